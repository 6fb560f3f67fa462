"""Load benchmark (DESIGN §8): the loader against one-transaction-per-row loading of the same rows.

    python -m benchmarks.load_benchmark [--scenario province] [--seed 1] [--sample 6000] [--runs 3]
                                        [--ways transactions bulk]

Prints, for each run: the loader's rows/s (the whole `orgnet load`, validation included, as a
separate process), the baseline's rows/s on a sample of the same rows measured just before it,
their ratio, and the loader's peak memory (its maximum resident set); the same loader with
provenance left out (``benchmarks.plain_load``) on the same rows, and what provenance costs
(the share of rows/s it takes); then the median of each over the runs with its spread
(lowest–highest), which is what the targets are held to, so that one noisy run neither passes
nor fails them. Targets: ratio ≥ 50×, peak ≤ 1 GB, provenance ≤ 15%.

A first load through the offline importer (``orgnet load --bulk``, into a fresh store) is timed
beside them: the load, then the census asked from its own process — from the files to the first
answer, target ≤ 3 minutes — and the importer alone on the same rows' files, which is the floor
the bulk load stands on.

It runs an embedded engine of its own in ``var/bench`` (``--home``), on a fresh store for each
phase, so it never touches the data in ``var/``; NEO4J_URI is ignored. The generated dataset is
kept in the home's ``datasets/`` and reused by later runs with the same scenario and seed. The
last phase is always a whole `orgnet load`, so the store it leaves is the one `make bench-query`
asks.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from orgnet.graph.connection import connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.importer import import_full
from orgnet.graph.schema import ensure_schema
from orgnet.graph.settings import REPO, Settings
from orgnet.loaders.bulk import ImportFiles
from orgnet.loaders.files import open_dataset
from orgnet.loaders.generate import generate_scenario, load_scenario
from orgnet.loaders.load import LoadSummary
from orgnet.loaders.validate import validate

from .baseline import load_row_by_row, sample_sizes

TARGET_RATIO = 50
TARGET_PEAK_MB = 1024
TARGET_PROVENANCE = 0.15  # of the loader's rows/s
TARGET_FIRST_LOAD = 180.0  # seconds from the files to the first answer, through the importer


def _fresh_engine(home: Path) -> EmbeddedEngine:
    """The bench home's engine, restarted on an empty store."""
    engine = EmbeddedEngine(Settings(orgnet_home=home, neo4j_uri=None))
    engine.stop()
    shutil.rmtree(home / "data", ignore_errors=True)
    engine.start()
    return engine


def _dataset(home: Path, scenario: str, seed: int) -> Path:
    out = home / "datasets" / f"{scenario}-{seed}"
    done = out / ".complete"
    if not done.exists():
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        counts = generate_scenario(load_scenario(scenario), out, seed=seed)
        done.touch()
        print(
            f"generated {scenario} (seed {seed}): {sum(counts.values()):,} rows "
            f"in {time.perf_counter() - started:.1f}s → {out}"
        )
    return out


def _environment(home: Path) -> dict[str, str]:
    """The environment of a command run against the bench home's engine (never NEO4J_URI's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["ORGNET_HOME"] = str(home)
    env.pop("ORGNET_PORT", None)
    return env


def _run_loader(
    home: Path, dataset: Path, plain: bool = False, way: str = "--no-bulk"
) -> tuple[float, int, str]:
    """Run `orgnet load` as its own process (``plain``: without provenance; ``way``: through
    transactions or the offline importer); return (seconds, peak RSS in KiB, its output)."""
    env = _environment(home)
    log = home / "loader.out"
    command = ["orgnet.api.cli", "load"] if not plain else ["benchmarks.plain_load"]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    with open(log, "w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", *command, way, str(dataset)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"the loader failed (exit {proc.returncode}):\n{text[-3000:]}")
    return seconds, usage.ru_maxrss, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="province")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=6000, help="rows for the baseline")
    parser.add_argument("--home", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--ways",
        nargs="+",
        choices=("transactions", "bulk"),
        default=["transactions", "bulk"],
        help="transactions: the loader, its baseline and the plain loader; bulk: a first load "
        "through the offline importer, the first answer after it, and the importer alone",
    )
    args = parser.parse_args(argv)
    home = args.home.resolve()
    # The bench home is the benchmark's own: private, as the engine requires of a home.
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(home, 0o700)

    dataset_path = _dataset(home, args.scenario, args.seed)
    dataset = open_dataset(dataset_path)
    rows = {table.spec.name: sum(1 for _ in table.rows()) for table in dataset.tables}
    total = sum(rows.values())
    print(f"load benchmark — {args.scenario} (seed {args.seed}): {total:,} rows, {len(rows)} files")

    ratios: list[float] = []
    rates: list[float] = []
    peaks: list[float] = []
    costs: list[float] = []
    firsts: list[tuple[float, float, float, float]] = []
    for run in range(1, args.runs + 1):
        print(f"run {run}/{args.runs}")
        if "bulk" in args.ways:
            firsts.append(_first_load(home, dataset_path, total))
        if "transactions" not in args.ways:
            continue
        engine = _fresh_engine(home)
        settings = engine.settings
        with connect(settings) as db:
            ensure_schema(db)
            base_rows, base_seconds = load_row_by_row(db, dataset, sample_sizes(rows, args.sample))
        base_rate = base_rows / base_seconds

        # The plain loader first, the loader last: the store it leaves is what `make
        # bench-query` asks, and it must hold what `orgnet load` writes.
        engine = _fresh_engine(home)
        plain_seconds, plain_kib, _ = _run_loader(home, dataset_path, plain=True)
        plain_rate = total / plain_seconds
        engine.stop()

        engine = _fresh_engine(home)
        seconds, peak_kib, _ = _run_loader(home, dataset_path)
        rate = total / seconds
        with connect(settings) as db:
            nodes = db.read("MATCH (n:Entity) RETURN count(n) AS n")[0]["n"]
            relationships = db.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
        engine.stop()
        cost = 1 - rate / plain_rate
        costs.append(cost)

        peak_mb = peak_kib / 1024
        ratios.append(rate / base_rate)
        rates.append(rate)
        peaks.append(peak_mb)
        print(
            f"  loader    {total:>10,} rows  {seconds:8.1f} s  {rate:>9,.0f} rows/s  "
            f"peak memory {peak_mb:,.0f} MB  ({nodes:,} nodes, {relationships:,} relationships)"
        )
        print(
            f"  baseline  {base_rows:>10,} rows  {base_seconds:8.1f} s  {base_rate:>9,.0f} rows/s  "
            f"(one transaction per row; the first rows of each file, in proportion)"
        )
        print(f"  ratio     {rate / base_rate:,.1f}×")
        print(
            f"  plain     {total:>10,} rows  {plain_seconds:8.1f} s  {plain_rate:>9,.0f} rows/s  "
            f"peak memory {plain_kib / 1024:,.0f} MB  (the loader without provenance)"
        )
        print(f"  provenance costs {cost:.1%} of the rows/s", flush=True)

    print(f"median of {args.runs} run(s) (spread lowest–highest)")
    first_ok = True
    if firsts:
        bulk, _, answering, alone = (sorted(x) for x in zip(*firsts, strict=True))
        first = statistics.median(answering)
        first_ok = first <= TARGET_FIRST_LOAD
        print(
            f"  bulk      {statistics.median(bulk):8.1f} s ({bulk[0]:.1f}–{bulk[-1]:.1f})  "
            f"{total / statistics.median(bulk):,.0f} rows/s"
        )
        print(
            f"  answering {first:8.1f} s ({answering[0]:.1f}–{answering[-1]:.1f})  from the "
            f"files to the census   target ≤ {TARGET_FIRST_LOAD:.0f} s  "
            f"{'met' if first_ok else 'MISSED'}"
        )
        print(
            f"  importer  {statistics.median(alone):8.1f} s ({alone[0]:.1f}–{alone[-1]:.1f})  "
            f"alone, on the same rows' files"
        )
    if not ratios:
        return 1 if args.strict and not first_ok else 0
    ratio = statistics.median(ratios)
    peak_mb = statistics.median(peaks)
    ratio_ok = ratio >= TARGET_RATIO
    peak_ok = peak_mb <= TARGET_PEAK_MB
    cost = statistics.median(costs)
    cost_ok = cost <= TARGET_PROVENANCE
    print(
        f"  loader    {statistics.median(rates):>9,.0f} rows/s  "
        f"({min(rates):,.0f}–{max(rates):,.0f})"
    )
    print(
        f"  ratio     {ratio:,.1f}× ({min(ratios):,.1f}–{max(ratios):,.1f})   "
        f"target ≥ {TARGET_RATIO}×  {'met' if ratio_ok else 'MISSED'}"
    )
    print(
        f"  memory    {peak_mb:,.0f} MB ({min(peaks):,.0f}–{max(peaks):,.0f})   "
        f"target ≤ {TARGET_PEAK_MB:,} MB  {'met' if peak_ok else 'MISSED'}"
    )
    print(
        f"  provenance {cost:.1%} ({min(costs):.1%}–{max(costs):.1%})   "
        f"target ≤ {TARGET_PROVENANCE:.0%}  {'met' if cost_ok else 'MISSED'}"
    )
    return 1 if args.strict and not (ratio_ok and peak_ok and cost_ok and first_ok) else 0


def _first_load(home: Path, dataset: Path, total: int) -> tuple[float, float, float, float]:
    """The importer alone on the rows' files (validated without the database, as a load
    writes them), then a first load through the offline importer into a fresh store and the
    census asked as a clerk would (its own process): (the load's seconds, the census's, the two
    together, the importer's). The load comes last: the store it leaves is what `make
    bench-query` asks, and the importer alone leaves no schema, SERVES or record of the load."""
    engine = _fresh_engine(home)
    folder = home / "import-files"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    files = ImportFiles(folder, 1, LoadSummary())
    validate(open_dataset(dataset), None, rows_to=files)
    groups = files.close()
    assert groups is not None, files.unusable
    alone = import_full(engine, engine.settings.neo4j_database, *groups)
    shutil.rmtree(folder, ignore_errors=True)

    engine = _fresh_engine(home)
    seconds, peak_kib, _ = _run_loader(home, dataset, way="--bulk")
    started = time.perf_counter()
    env = _environment(home)
    done = subprocess.run(
        [sys.executable, "-m", "orgnet.api.cli", "census"], env=env, capture_output=True
    )
    answer = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the census failed after the first load:\n{done.stderr[-2000:]!r}")
    with connect(engine.settings) as db:
        nodes = db.read("MATCH (n:Entity) RETURN count(n) AS n")[0]["n"]
        relationships = db.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    engine.stop()
    print(
        f"  bulk      {total:>10,} rows  {seconds:8.1f} s  {total / seconds:>9,.0f} rows/s  "
        f"peak memory {peak_kib / 1024:,.0f} MB  ({nodes:,} nodes, {relationships:,} "
        f"relationships)"
    )
    print(
        f"  answering {seconds + answer:8.1f} s  from the files to the census "
        f"(`orgnet census` {answer:.1f} s)"
    )
    print(f"  importer  {alone:8.1f} s  alone, on the same rows' files", flush=True)
    return seconds, answer, seconds + answer, alone


if __name__ == "__main__":
    sys.exit(main())
