"""What planning costs: every statement of the project planned by an engine just started.

    python -m benchmarks.plan_cost [--runs 3] [--top 15]

The engine keeps a plan for each statement text it has run, but only while it runs: an engine
started afresh (a restart, an import's, a command's engine of a home of its own, each test
engine) plans every statement again the first time it meets it. This starts an engine on an
empty store of its own (``--home``, var/plan-cost by default; emptied first, as the load
benchmark empties its own), its JVM started as `orgnet db start` starts one (ORGNET_HEAP and
ORGNET_PAGECACHE, and what ``JDK_JAVA_OPTIONS`` adds), then plans (``EXPLAIN``, nothing run)
in the order a first load and its first questions meet them: the loader's writes for every
label and relationship type of the model, the lookups and records of a load, the derived links
and steps, then every question of the catalog (packed as it is asked). For each it prints the
first plan, on the engine just started, and the median of ``--runs`` plans made again
(``CYPHER replan=force``) once all have been planned, with the size of its text; then the sums
by group. The first plan is what a fresh engine pays; the later one what planning costs once
the engine's code is compiled.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from orgnet.graph.connection import Database, connect
from orgnet.graph.model import NODES, RELATIONSHIPS
from orgnet.graph.settings import REPO
from orgnet.graph.writes import (
    _CYPHER,
    merge_nodes,
    merge_relationships,
    statement,
    update_relationships,
)
from orgnet.queries.catalog import names, query

from .load_benchmark import _fresh_engine

# The templates filled in with the model's labels and types (graph.writes; an undo's with each
# type it takes links of back): planned once for each.
_TEMPLATES = {
    "merge_nodes",
    "merge_relationships",
    "replace_relationships",
    "update_relationships",
    "undo_links",
}


def _writes() -> list[tuple[str, str]]:
    """The upserts of every label and relationship type of the model, each named by its
    template: a functional type's both ways (replacing a source's other targets, and merely
    adding, as into a database that held nothing), and the update of its properties."""
    found = [(f"merge_nodes {label.value}", merge_nodes(label)) for label in NODES]
    for rel in RELATIONSHIPS:
        if RELATIONSHIPS[rel].functional:
            found.append((f"replace_relationships {rel.value}", merge_relationships(rel)))
            found.append((f"update_relationships {rel.value}", update_relationships(rel)))
        text = merge_relationships(rel, replace=False)
        found.append((f"merge_relationships {rel.value}", text))
    return found


def _graph() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The graph layer's other statements: those of the derived links and steps (``_refresh``,
    ``_regions``), and the rest (lookups, the record of loads, the write lock)."""
    derived: list[tuple[str, str]] = []
    rest: list[tuple[str, str]] = []
    for path in sorted(_CYPHER.glob("*.cypher")):
        if path.stem in _TEMPLATES:
            continue
        item = (path.stem, statement(path.stem))
        (derived if path.stem.endswith(("_refresh", "_regions")) else rest).append(item)
    for rel in RELATIONSHIPS:  # an undo's, for each type it takes links of back
        rest.append(
            (f"undo_links {rel.value}", statement("undo_links").replace("{type}", rel.value))
        )
    return derived, rest


def _catalog() -> list[tuple[str, str]]:
    asked = []
    for name in names():
        q = query(name)
        asked.append((name, q.packed.text if q.packed is not None else q.text))
    return asked


def statements() -> dict[str, list[tuple[str, str]]]:
    """Every statement the project runs, by group, named, in the order a first load and its
    first questions meet them."""
    derived, rest = _graph()
    return {
        "the loader's writes": _writes(),
        "lookups and records": rest,
        "derived links and steps": derived,
        "the catalog's questions": _catalog(),
    }


def _plan(db: Database, text: str, again: bool = False) -> float:
    started = time.perf_counter()
    db.read("EXPLAIN " + ("CYPHER replan=force " if again else "") + text)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=REPO / "var" / "plan-cost")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)

    args.home.mkdir(parents=True, exist_ok=True)
    args.home.chmod(0o700)
    started = time.perf_counter()
    engine = _fresh_engine(args.home)
    print(f"engine started in {time.perf_counter() - started:.1f} s")

    groups = statements()
    rows: list[tuple[str, str, int, float, float]] = []
    try:
        with connect(engine.settings) as db:
            first = {
                (group, name): _plan(db, text)
                for group, items in groups.items()
                for name, text in items
            }
            for group, items in groups.items():
                for name, text in items:
                    later = statistics.median(
                        _plan(db, text, again=True) for _ in range(max(1, args.runs))
                    )
                    rows.append((group, name, len(text), first[group, name], later))
    finally:
        engine.stop()

    print(f"\n{'first':>7} {'later':>7} {'chars':>6}  statement (the {args.top} slowest first)")
    for group, name, chars, once, later in sorted(rows, key=lambda r: -r[3])[: args.top]:
        print(f"{once:7.2f} {later:7.2f} {chars:6}  {name} ({group})")
    print(f"\n{'first':>7} {'later':>7} {'count':>6}  group (seconds, summed)")
    for group in groups:
        mine = [r for r in rows if r[0] == group]
        print(
            f"{sum(r[3] for r in mine):7.1f} {sum(r[4] for r in mine):7.1f} {len(mine):6}  {group}"
        )
    print(f"{sum(r[3] for r in rows):7.1f} {sum(r[4] for r in rows):7.1f} {len(rows):6}  every one")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
