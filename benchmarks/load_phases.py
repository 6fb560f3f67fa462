"""Where a first load's time goes: one load into a fresh store, phase by phase.

    python -m benchmarks.load_phases [--scenario province] [--seed 1] [--way bulk|transactions]
                                     [--statements]

Loads the scenario once, in this process, into an empty store of the bench home's engine
(``--home``, var/bench by default, as the load benchmark), through the offline importer
(``--way bulk``, the default) or through transactions, and prints when each phase the loader
reports began and how long it took: preparing (the copy of the files, the write lock, the schema),
validating (with the importer's files written in the same pass), importing (the database closed,
the import, the database opened again, the schema) or writing, deriving scopes (SERVES) and
counting members (the steps).
With ``--statements`` it also times each statement of the derived links and steps with the ids
it was run for, and the finding of those ids (the loader's calls to ``graph.derived``, wrapped
here; the load itself is unchanged).
The load benchmark times the whole `orgnet load` as users run it; this says which part of it a
change shortened. The store it leaves is a whole load, the one `make bench-query` asks.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from orgnet.graph.connection import Database, connect
from orgnet.graph.settings import REPO, get_settings
from orgnet.loaders import load as loading
from orgnet.loaders.load import load_dataset

from .load_benchmark import _dataset, _environment, _fresh_engine


class _Clock:
    """A loader's reporter that notes when each phase begins."""

    def __init__(self) -> None:
        self.began = time.perf_counter()
        self.phases: list[tuple[str, float]] = [("preparing", self.began)]

    def phase(self, name: str, total: int) -> None:
        self.phases.append((name, time.perf_counter()))

    def advance(self, rows: int) -> None:
        pass

    def table(self, ended: float) -> list[tuple[str, float]]:
        ends = [at for _, at in self.phases[1:]] + [ended]
        return [(name, end - at) for (name, at), end in zip(self.phases, ends, strict=True)]


@contextlib.contextmanager
def _statements_timed() -> Iterator[list[tuple[str, int, float]]]:
    """The loader's derived statements timed while this runs: (name, ids, seconds) of each, the
    SERVES links' (serves_refresh), the finding of the steps' ids, and each step's."""
    timed: list[tuple[str, int, float]] = []
    serves, find, steps = loading.refresh_serves, loading.steps_to_count, loading.refresh_steps

    def refresh_serves(db: Database, ids: list[str], **options: Any) -> tuple[int, int]:
        began = time.perf_counter()
        counts = serves(db, ids, **options)
        timed.append(("serves_refresh", len(ids), time.perf_counter() - began))
        return counts

    def steps_to_count(*arguments: Any) -> list[tuple[str, list[str]]]:
        began = time.perf_counter()
        found = find(*arguments)
        timed.append(("(finding the ids of the steps)", 0, time.perf_counter() - began))
        return found

    def refresh_steps(db: Database, each: list[tuple[str, list[str]]], **options: Any) -> None:
        for name, ids in each:
            began = time.perf_counter()
            steps(db, [(name, ids)], **options)
            timed.append((name, len(ids), time.perf_counter() - began))

    replaced = {
        "refresh_serves": refresh_serves,
        "steps_to_count": steps_to_count,
        "refresh_steps": refresh_steps,
    }
    kept = {name: getattr(loading, name) for name in replaced}
    for name, wrapper in replaced.items():
        setattr(loading, name, wrapper)
    try:
        yield timed
    finally:
        for name, original in kept.items():
            setattr(loading, name, original)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="province")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--home", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--way", choices=("bulk", "transactions"), default="bulk")
    parser.add_argument("--statements", action="store_true", help="time each derived statement too")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    args.home.mkdir(parents=True, exist_ok=True)
    args.home.chmod(0o700)  # its store will hold personal data: the engine opens none else
    dataset = _dataset(args.home, args.scenario, args.seed)
    # The loader asks this process's settings whose engine it loads into (the importer writes
    # only its store): the bench home's, never a server named by NEO4J_URI.
    environment = _environment(args.home)
    for name in set(os.environ) - set(environment):
        del os.environ[name]
    os.environ.update(environment)
    get_settings.cache_clear()
    settings = get_settings()
    _fresh_engine(args.home)
    timing: contextlib.AbstractContextManager[list[tuple[str, int, float]]] = (
        _statements_timed() if args.statements else contextlib.nullcontext([])
    )
    with connect(settings) as db, timing as timed:
        clock = _Clock()
        summary = load_dataset(db, dataset, bulk=args.way == "bulk", reporter=clock)
        ended = time.perf_counter()
    way = "through the importer" if summary.imported else "through transactions"
    print(f"{args.scenario} (seed {args.seed}): {summary.rows:,} rows, {way}")
    for name, seconds in clock.table(ended):
        print(f"  {name:<20} {seconds:8.1f} s")
    print(f"  {'the load':<20} {ended - clock.began:8.1f} s")
    if timed:
        print("of which the derived links and steps, statement by statement:")
        for name, ids, seconds in timed:
            print(f"  {name:<32} {f'{ids:,}' if ids else '':>9} {seconds:8.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
