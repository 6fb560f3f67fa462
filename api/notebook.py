"""For notebooks: a scenario in an engine home of its own, and answers as tables.

    book = open_scenario("demo")          # generates and loads it the first time
    frame(gaps(book.db, "estates", "DMD01").rows)
    book.stop()

No Cypher in a notebook: the questions are orgnet's functions (queries/), the pictures
api/charts.py and api/views.py.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orgnet.graph.connection import Database, connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.settings import Settings


@dataclass
class Notebook:
    db: Database
    settings: Settings

    def close(self) -> None:
        """Close the connection; the engine keeps running, with the scenario loaded, for the
        next notebook (``stop`` stops it)."""
        self.db.close()

    def stop(self) -> None:
        """Close the connection and stop the notebook's engine."""
        self.db.close()
        EmbeddedEngine(self.settings).stop()


def open_scenario(name: str = "demo", *, seed: int = 1, home: Path | None = None) -> Notebook:
    """The packaged scenario ``name`` in an engine home of its own (a folder under the system's
    temporary folder unless ``home`` says), generated and loaded the first time; the engine is
    sized small (ORGNET_HEAP and ORGNET_PAGECACHE, 1g each, unless set)."""
    from orgnet.loaders.generate import generate_scenario, load_scenario
    from orgnet.loaders.load import load_dataset

    home = home or Path(tempfile.gettempdir()) / f"orgnet-notebook-{name}-{seed}"
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    settings = Settings(
        orgnet_home=home,
        orgnet_port=None,
        neo4j_uri=None,
        orgnet_heap=os.environ.get("ORGNET_HEAP", "1g"),
        orgnet_pagecache=os.environ.get("ORGNET_PAGECACHE", "1g"),
    )
    db = connect(settings)
    if not db.read("MATCH (e:Estate) RETURN count(e) > 0 AS loaded")[0]["loaded"]:
        dataset = home / "dataset"
        if not dataset.exists():
            generate_scenario(load_scenario(name), dataset, seed=seed)
        load_dataset(db, dataset)
    return Notebook(db, settings)


def frame(rows: list[Any], *, lang: str = "zh", raw: bool = False) -> Any:
    """Rows of an answer (dataclasses) as a pandas DataFrame to read: headers in words (小区
    编号), codes in words (党支部), rates as percentages, figures rounded as the tables round
    them, nothing shown where there is nothing. ``raw`` gives the fields as they are, for
    computing with them."""
    import pandas as pd

    from .labels import column
    from .render import Section, cell, is_number

    if raw:
        return pd.DataFrame([dataclasses.asdict(r) for r in rows])
    if not rows:
        return pd.DataFrame()
    section = Section("rows", rows)
    keys = section.columns()
    data = [
        [
            v if is_number(v) and not isinstance(v, float) else cell(k, v, lang)
            for k, v in zip(keys, section.values(r), strict=True)
        ]
        for r in rows
    ]
    return pd.DataFrame(data, columns=[column(k, lang) for k in keys])
