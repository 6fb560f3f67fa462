"""The Cypher catalog: one question per ``.cypher`` file, loaded by name.

Each file opens with a header of ``//`` lines that says what it answers, its parameters and
its columns; the catalog reads the parameters from there so that tests can run every query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CYPHER = Path(__file__).parent / "cypher"
_PARAM = re.compile(r"\$([a-z_]+)")


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    header: str

    @property
    def parameters(self) -> list[str]:
        """The parameters the header declares (``// Parameters: $scope, $as_of``)."""
        for line in self.header.splitlines():
            if line.lower().startswith("parameters:"):
                return _PARAM.findall(line)
        return []


@cache
def query(name: str) -> Query:
    text = (CYPHER / f"{name}.cypher").read_text(encoding="utf-8")
    header = "\n".join(
        line.removeprefix("//").strip() for line in text.splitlines() if line.startswith("//")
    )
    return Query(name, text, header)


def names() -> list[str]:
    return sorted(p.stem for p in CYPHER.glob("*.cypher"))
