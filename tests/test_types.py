"""The type checker sees across the layers: the folders graph/, loaders/, queries/ and api/ are
the installed package's orgnet.graph, orgnet.loaders …, and a call from one into another is
checked against what it calls — not typed Any because the module could not be found."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from orgnet.graph.settings import REPO

CALLS = """
from orgnet.graph.connection import Database
from orgnet.queries.coverage import coverage_summary
from orgnet.queries.scope import as_of_date


def summary(db: Database) -> str | None:
    return coverage_summary(db, "DMD01", as_of={day}).scope.name


def day() -> str:
    return as_of_date({day})
"""


def _mypy(tmp_path: Path, day: str) -> subprocess.CompletedProcess[str]:
    module = tmp_path / "calls.py"
    module.write_text(CALLS.format(day=day), encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "cache"),
            str(module),
        ],
        cwd=tmp_path,  # not the repository: the configuration alone must find the layers
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_call_across_the_layers_with_a_wrong_argument_type_is_refused(tmp_path: Path) -> None:
    right = _mypy(tmp_path, "'2024-06-30'")
    assert right.returncode == 0, right.stdout + right.stderr
    wrong = _mypy(tmp_path, "20240630")
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    said = [line for line in wrong.stdout.splitlines() if ": error:" in line]
    assert len(said) == 2, wrong.stdout
    assert all("[arg-type]" in line and '"int"' in line for line in said), said
    assert any('"coverage_summary"' in line for line in said), said
    assert any('"as_of_date"' in line for line in said), said
    assert "import-not-found" not in wrong.stdout
