"""benchmarks/suite_cpu.py, the plugin `make test-cpu` runs the suite with: a line per test with
its wall time and who spent its CPU, summed by file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from orgnet.graph.settings import REPO


def test_each_test_is_written_down_and_summed_by_file(tmp_path: Path) -> None:
    (tmp_path / "test_spins.py").write_text(
        "import subprocess, sys, time\n"
        "def test_own():\n"
        "    end = time.process_time() + 0.3\n"
        "    while time.process_time() < end: pass\n"
        "def test_waited():\n"
        "    subprocess.run([sys.executable, '-c', 'import time\\n"
        "end = time.process_time() + 0.3\\nwhile time.process_time() < end: pass'])\n",
        encoding="utf-8",
    )
    out = tmp_path / "cpu.jsonl"
    env = {k: v for k, v in os.environ.items() if k != "ORGNET_HOME"}  # no engine to watch
    env.update(ORGNET_SUITE_CPU=str(out), PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "benchmarks.suite_cpu", "-p",
         "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path / "test_spins.py")],
        env=env, cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = {r["test"].split("::")[1]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(lines) == {"test_own", "test_waited"}
    assert lines["test_own"]["python"] >= 0.25 and lines["test_own"]["waited"] < 0.1
    assert lines["test_waited"]["waited"] >= 0.25 and lines["test_waited"]["python"] < 0.25
    assert all(r["engine"] is None and r["wall"] >= 0.25 for r in lines.values())

    table = subprocess.run(
        [sys.executable, "-m", "benchmarks.suite_cpu", str(out), str(out)],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    total, spins = table.splitlines()[1:3]
    assert total.endswith("all") and spins.endswith("test_spins.py") and "→" in spins


def test_the_test_that_starts_the_engine_is_counted_what_it_spent() -> None:
    from benchmarks.suite_cpu import _engine_spent

    assert _engine_spent(40.0, 52.5) == 12.5  # running throughout
    assert _engine_spent(None, 97.0) == 97.0  # started by the test: its start and first load
    assert _engine_spent(40.0, None) is None  # stopped or killed by it: counted as waited
    assert _engine_spent(40.0, 3.0) is None  # another engine than the one it began with
