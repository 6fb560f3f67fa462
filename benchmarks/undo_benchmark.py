"""Undo benchmark: how long `orgnet loads undo` takes to give back a city after a correction.

    python -m benchmarks.undo_benchmark [--scenario xinfu] [--share 0.1] [--runs 3]

Loads the scenario (a city: one district) into a fresh engine of its own (``--home``), then,
each run, loads a correction of it — ``--share`` of its people with a new phone and another
home, the same share of posts ended — and takes that load back, timing the undo (write lock,
versions restored, created links deleted, scopes derived again, the undo recorded). After each
undo the graph's nodes, links and their properties (the record of loads aside) are counted
against the counts before the correction. Prints each run, then the median with its spread
(lowest–highest). Target: ≤ 10 s.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from pathlib import Path

from orgnet.graph.connection import Database, connect
from orgnet.graph.provenance import undo
from orgnet.graph.settings import REPO, Settings
from orgnet.loaders.load import load_dataset

from .load_benchmark import _dataset, _fresh_engine, _run_loader

TARGET_SECONDS = 10.0
_COUNTS = """
MATCH (n) WHERE NOT n:Load AND NOT n:OrgnetLock
WITH count(n) AS nodes, sum(size(keys(n))) AS node_keys
MATCH ()-[r]->() RETURN nodes, node_keys, count(r) AS links, sum(size(keys(r))) AS link_keys
"""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def correction(dataset: Path, out: Path, share: float, seed: int) -> int:
    """A month's corrections to ``dataset`` written to ``out``: ``share`` of its people with a
    new phone and another home, ``share`` of its posts ended. Returns the rows written."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    persons = _rows(dataset / "persons.csv")
    homes = sorted({p["building_id"] for p in persons if p.get("building_id")})
    moved = rng.sample(persons, int(len(persons) * share))
    for i, p in enumerate(moved):
        p["phone"] = f"139{seed % 100:02d}{i:06d}"
        p["building_id"] = rng.choice(homes)
    posts = _rows(dataset / "posts.csv")
    ended = rng.sample(posts, int(len(posts) * share))
    for p in ended:
        p["until"] = "2026-10-31"
    _write(out / "persons.csv", moved)
    _write(out / "posts.csv", ended)
    return len(moved) + len(ended)


def _counts(db: Database) -> dict:
    return db.read(_COUNTS)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="xinfu")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--share", type=float, default=0.1, help="of people and posts corrected")
    parser.add_argument("--home", type=Path, default=REPO / "var" / "bench-undo")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    args.home.mkdir(parents=True, exist_ok=True)
    args.home.chmod(0o700)  # its store will hold personal data: the engine opens none else
    dataset = _dataset(args.home, args.scenario, args.seed)
    _fresh_engine(args.home)
    seconds, _, _ = _run_loader(args.home, dataset)
    print(f"loaded {args.scenario} in {seconds:.1f}s")
    settings = Settings(orgnet_home=args.home, neo4j_uri=None)
    times = []
    with connect(settings) as db:
        before = _counts(db)
        for run in range(1, args.runs + 1):
            fixed = args.home / "datasets" / f"correction-{run}"
            rows = correction(dataset, fixed, args.share, seed=run)
            started = time.perf_counter()
            load_dataset(db, fixed, command="benchmark correction")
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            done = undo(db, command="benchmark undo")
            took = time.perf_counter() - started
            same = _counts(db) == before
            times.append(took)
            print(
                f"run {run}: correction of {rows:,} rows loaded in {loaded:.1f}s; undo "
                f"{took:.2f}s (restored {done.restored:,}, deleted {done.deleted_links:,} links)"
                f"; counts {'equal' if same else 'DIFFER'}"
            )
            if not same:
                return 1
    median = statistics.median(times)
    verdict = "ok" if median <= TARGET_SECONDS else f"MISSES ≤{TARGET_SECONDS:g}s"
    print(f"undo: median {median:.2f}s ({min(times):.2f}–{max(times):.2f}) over {len(times)} "
          f"runs  {verdict}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
