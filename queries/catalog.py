"""The Cypher catalog: one question per ``.cypher`` file, loaded by name.

Each file opens with a header of ``//`` lines that says what it answers, its parameters and
its columns; the catalog reads the parameters from there so that tests can run every query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from orgnet.graph.connection import Database

CYPHER = Path(__file__).parent / "cypher"
_PARAM = re.compile(r"\$([a-z_]+)")


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    header: str

    @property
    def parameters(self) -> list[str]:
        """The parameters the header declares (``// Parameters: $scope, $as_of``, which may run
        on over the following lines until ``// Columns:``)."""
        found: list[str] = []
        reading = False
        for line in self.header.splitlines():
            lowered = line.lower()
            if lowered.startswith("parameters:"):
                reading = True
            elif lowered.startswith("columns:"):
                reading = False
            if reading:
                found += [p for p in _PARAM.findall(line) if p not in found]
        return found


@cache
def query(name: str) -> Query:
    text = (CYPHER / f"{name}.cypher").read_text(encoding="utf-8")
    header = "\n".join(
        line.removeprefix("//").strip() for line in text.splitlines() if line.startswith("//")
    )
    return Query(name, text, header)


def names() -> list[str]:
    return sorted(p.stem for p in CYPHER.glob("*.cypher"))


def run(db: Database, name: str, **parameters: object) -> list[dict]:
    """Run a catalog query in a read transaction with exactly the parameters its header names."""
    q = query(name)
    declared = set(q.parameters)
    if set(parameters) != declared:
        missing, extra = declared - set(parameters), set(parameters) - declared
        raise TypeError(f"{name}: missing parameters {sorted(missing)}, unknown {sorted(extra)}")
    return db.read(q.text, parameters)
