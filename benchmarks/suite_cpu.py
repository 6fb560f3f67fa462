"""Where the test suite's time goes: the CPU each test costs, and who spent it.

    make test-cpu                                    # the suite, with this plugin, then the table
    python -m benchmarks.suite_cpu FILE [BEFORE]     # the table of a run (beside an earlier one)

The suite runs on two workers that keep both cores busy (an idle core is rare while it runs), so
a test's wall time says more about what ran beside it than about itself; what it cost is its
CPU. As a pytest plugin (``pytest -p benchmarks.suite_cpu``, the file named by ORGNET_SUITE_CPU)
this writes a line per test: its wall time, the CPU of the worker's own process, of the
processes it started and waited for (the `orgnet` commands — forked by tests/cli_zygote.py,
which says what they took — the importer, the browser), and of
the test engine's JVM while the test ran. The table sums them by file.

What it cannot see: an engine a command starts for a home of its own outlives the command and
is nobody's child to wait for; and when a test stops or kills the test engine, the JVM's CPU of
its whole life is counted to that test's waited processes (its engine column then is empty).
The test that starts the test engine (the first of each worker) is counted all it spent so far.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

OUT = "ORGNET_SUITE_CPU"


def _engine_cpu() -> float | None:
    """The CPU the test engine's JVM has spent so far (None when it is not running)."""
    import psutil

    try:
        pid = int((Path(os.environ["ORGNET_HOME"]) / "engine.pid").read_text())
        times = psutil.Process(pid).cpu_times()
    except (KeyError, OSError, ValueError, psutil.Error):
        return None
    return float(times.user + times.system)


def _cpu(who: int) -> float:
    used = resource.getrusage(who)
    seconds = used.ru_utime + used.ru_stime
    if who == resource.RUSAGE_CHILDREN:
        # The commands tests/forked_cli.py runs are its zygote's children, not this process's.
        forked = sys.modules.get("tests.forked_cli")
        seconds += getattr(forked, "cpu", 0.0)
    return seconds


def _engine_spent(before: float | None, after: float | None) -> float | None:
    """The test engine's CPU over a test, from its CPU before and after: all of it when the
    test started the engine (the first of each worker does, with the district it loads), none
    known when it stopped it or started another."""
    if after is None:
        return None
    if before is None:
        return after
    return after - before if after >= before else None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    own, waited = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    engine, began, began_at = _engine_cpu(), time.perf_counter(), time.time()
    yield
    engine_after = _engine_cpu()
    line = {
        "test": item.nodeid,
        "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"),
        "began": began_at,
        "wall": time.perf_counter() - began,
        "python": _cpu(resource.RUSAGE_SELF) - own,
        "waited": _cpu(resource.RUSAGE_CHILDREN) - waited,
        "engine": _engine_spent(engine, engine_after),
    }
    path = os.environ.get(OUT)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")


_COLUMNS = ("wall", "python", "waited", "engine")


def by_file(path: Path) -> dict[str, dict[str, float]]:
    files: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(_COLUMNS, 0.0))
    for text in path.read_text(encoding="utf-8").splitlines():
        line = json.loads(text)
        sums = files[line["test"].split("::")[0].rsplit("/", 1)[-1]]
        for column in _COLUMNS:
            sums[column] += line[column] or 0.0
    return dict(files)


def table(now: dict[str, dict[str, float]], before: dict | None = None, top: int = 30) -> str:
    def cell(file: str | None, column: str) -> str:
        if file is None:
            value = sum(f[column] for f in now.values())
            was = sum(f[column] for f in before.values()) if before else None
        else:
            value = now.get(file, {}).get(column, 0.0)
            was = before.get(file, {}).get(column, 0.0) if before else None
        return f"{value:8.1f}" if was is None else f"{was:8.1f} → {value:7.1f}"

    width = 18 if before else 8
    lines = ["".join(c.rjust(width + 2) for c in _COLUMNS) + "  file (seconds)"]
    for file in [None, *sorted(now, key=lambda f: -now[f]["wall"])[:top]]:
        lines.append("".join(cell(file, c).rjust(width + 2) for c in _COLUMNS)
                     + f"  {file or 'all'}")  # fmt: skip
    return "\n".join(lines)


def by_worker(path: Path) -> str:
    """Each worker's share: the wall time of its tests summed, and when its last one ended
    after the first test of the run began (a worker that ends early waited for the other)."""
    lines = [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]
    if not lines or "worker" not in lines[0]:
        return ""
    first = min(line["began"] for line in lines)
    workers: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for line in lines:
        share = workers[line["worker"]]
        share[0] += line["wall"]
        share[1] = max(share[1], line["began"] + line["wall"] - first)
    return "\n".join(
        f"{worker}: its tests {tests:7.1f} s, its last ended {ended:7.1f} s after the first began"
        for worker, (tests, ended) in sorted(workers.items())
    )


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__)
        return 2
    before = by_file(Path(argv[1])) if len(argv) == 2 else None
    print(table(by_file(Path(argv[0])), before))
    print(by_worker(Path(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
