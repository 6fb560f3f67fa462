"""Brokers' betweenness, estimated against exact: the top ten persons of a city both ways.

    python -m benchmarks.brokers_accuracy [--scenario xinfu] [--home var/bench-brokers]

Loads the scenario (a city: one district) into an engine of its own (``--home``; loaded once
and kept), reads its whole contact graph as `orgnet brokers` does, and computes betweenness
twice: as the question does above queries.brokerage.EXACT_BETWEENNESS_NODES (the estimate with
its ε and δ) and exactly (Brandes, NetworKit; minutes on a city). Prints the time of each, how
many of the exact top ten persons the estimate's top ten holds, the worst error over persons
against the stated bound, and the two rankings side by side.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from orgnet.graph.connection import connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.settings import REPO, Settings
from orgnet.queries import brokerage
from orgnet.queries.catalog import run
from orgnet.queries.paths import contact_graph
from orgnet.queries.scope import as_of_date, resolve_scope

from .load_benchmark import _dataset, _fresh_engine, _run_loader

TOP = 10


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="xinfu")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--home", type=Path, default=REPO / "var" / "bench-brokers")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    args.home.mkdir(parents=True, exist_ok=True)
    args.home.chmod(0o700)  # its store will hold personal data: the engine opens none else
    loaded = args.home / "datasets" / f"{args.scenario}-{args.seed}.loaded"
    if not loaded.exists():
        dataset = _dataset(args.home, args.scenario, args.seed)
        _fresh_engine(args.home)
        seconds, _, _ = _run_loader(args.home, dataset)
        loaded.touch()
        print(f"loaded {args.scenario} in {seconds:.1f}s")
    settings = Settings(orgnet_home=args.home, neo4j_uri=None)
    with connect(settings) as db:
        rows = run(db, "contact_edges", scope=resolve_scope(db, None).id, as_of=as_of_date(None))
    EmbeddedEngine(settings).stop()  # the rest needs no database: its memory is given back
    _, is_org, edges = contact_graph(rows)
    nodes = sorted(is_org)
    print(f"{args.scenario}: {len(nodes):,} nodes, {len(set(edges)):,} links in its contact graph")

    started = time.perf_counter()
    estimate = brokerage.betweenness(nodes, edges)
    estimated = time.perf_counter() - started
    if estimate.epsilon is None:
        print("the graph is small enough to be computed exactly: nothing to compare")
        return 0
    started = time.perf_counter()
    exact = brokerage.betweenness(nodes, edges, exact_up_to=len(nodes))
    exactly = time.perf_counter() - started

    persons = [v for v in nodes if not is_org[v]]
    top_exact = sorted(persons, key=lambda v: (-exact.pairs[v], v))[:TOP]
    top_estimate = sorted(persons, key=lambda v: (-estimate.pairs[v], v))[:TOP]
    worst = max(abs(estimate.pairs[v] - exact.pairs[v]) for v in persons)
    print(
        f"estimate {estimated:.2f}s (ε {estimate.epsilon}, δ {estimate.delta}: ± "
        f"{estimate.pairs_error:,.0f} pairs); exact {exactly:.2f}s"
    )
    print(f"top {TOP}: {len(set(top_exact) & set(top_estimate))} of {TOP} the same")
    bound = estimate.pairs_error or 1.0
    print(f"worst error over persons: {worst:,.0f} pairs ({worst / bound:.0%} of the bound)")
    print(f"{'':>3} {'exact':<14} {'pairs':>14} {'estimated':>14}   {'estimate':<14} {'pairs':>14}")
    for rank, (a, b) in enumerate(zip(top_exact, top_estimate, strict=True), start=1):
        print(
            f"{rank:>3} {a:<14} {exact.pairs[a]:>14,.0f} {estimate.pairs[a]:>14,.0f}   "
            f"{b:<14} {estimate.pairs[b]:>14,.0f}"
        )
    return 0 if worst <= bound else 1


if __name__ == "__main__":
    raise SystemExit(main())
