"""The notebooks run top to bottom on the demo scenario, each in an engine home of its own
(jupytext's py:percent files are their source; they are executed as notebooks with a timeout
per cell), show what they promise — tables, charts, a network view — and no notebook is
committed with outputs."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from orgnet.graph.settings import REPO

# Engines of homes of their own, started for a moment each (tests/conftest.py, QUICK_JVM).
pytestmark = pytest.mark.usefixtures("quick_jvms")

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.py"))
CELL_SECONDS = 600


@pytest.fixture(scope="module", autouse=True)
def _notebook_engine() -> Iterator[None]:
    """The notebooks share one engine, kept running from one to the next (each closes only its
    connection); stopped once they have all run."""
    yield
    import tempfile

    from orgnet.graph.engine import EmbeddedEngine
    from orgnet.graph.settings import Settings

    home = Path(tempfile.gettempdir()) / "orgnet-notebook-demo-1"
    if home.exists():
        EmbeddedEngine(Settings(orgnet_home=home, orgnet_port=None, neo4j_uri=None)).stop()


def test_there_are_the_four_notebooks() -> None:
    assert [p.stem for p in NOTEBOOKS] == ["00-start", "01-coverage", "02-pairing", "03-contacts"]


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_runs_top_to_bottom(source: Path, tmp_path: Path) -> None:
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    text = source.read_text(encoding="utf-8")
    assert "MATCH" not in text and "db.read" not in text, (
        "a notebook asks through orgnet, not Cypher"
    )
    assert 'tags=["parameters"]' in text
    NotebookClient(
        notebook,
        timeout=CELL_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    shown = [
        kind
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        for kind in output.get("data", {})
    ]
    assert "text/html" in shown  # tables (pandas) and views
    if source.stem in ("01-coverage", "02-pairing"):
        assert "image/png" in shown  # a chart
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    for cell in notebook.cells:  # a chart is shown once, as the value its cell returns
        if cell.cell_type == "code":
            images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
            assert len(images) <= 1, cell.source
    for output in outputs:
        html = output.get("data", {}).get("text/html", "")
        assert "NetworKit" not in html, "a library wrote into the notebook"
        if "<table" in html and "iframe" not in html:  # a table reads: words, no NaN
            headers = re.findall(r"<th[^>]*>([^<]*)</th>", html)
            assert not [h for h in headers if re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", h)], headers
            assert "NaN" not in html and "None" not in html
    if source.stem == "03-contacts":
        first = next(o for o in outputs if "<table" in o.get("data", {}).get("text/html", ""))
        assert "<td>" in first["data"]["text/html"], "the chain opens on an empty table"
    if source.stem != "00-start":
        views = [
            output["data"]["text/html"]
            for cell in notebook.cells
            if cell.cell_type == "code"
            for output in cell.get("outputs", [])
            if "iframe" in output.get("data", {}).get("text/html", "")
        ]
        assert views, "no network view was shown"
        assert not any("https://" in v.split("srcdoc", 1)[0] for v in views)


def test_no_committed_notebook_carries_outputs() -> None:
    tracked = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "*.ipynb"], capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        notebook = nbformat.reads((REPO / name).read_text(encoding="utf-8"), as_version=4)
        carrying = [
            c for c in notebook.cells if c.cell_type == "code" and (c.outputs or c.execution_count)
        ]
        assert not carrying, (
            f"{name} is committed with outputs; clear them (jupytext keeps the .py)"
        )
