"""Every query of the catalog runs against the real engine on the hand-built city, declares
exactly the parameters it uses, and answers the same rows, in the same order, whether it is
sent as written or packed into one record (queries/packing.py)."""

from __future__ import annotations

import re

import pytest

from orgnet.graph.connection import Database
from orgnet.queries.catalog import names, query
from orgnet.queries.packing import unpack
from orgnet.queries.registry import FIXED_PARAMETERS

from .city import TODAY

VALUES: dict[str, object] = {
    "scope": "D1",
    "as_of": TODAY,
    "until": "2027-05-23",
    **FIXED_PARAMETERS,
    "levels": None,
    "types": None,
    "min_hops": 1,
    "max_hops": 6,
    "k": 3,
    "id": "B51",
    "from": "P-O1",
    "to": "P-O3",
    "ids": ["E1", "PJ", "P-O1", "P-C3", "U1", "F1", "OC1", "C3", "S1"],
    "jurisdiction": "S1",
    "limit": 5,
    "q": "社区",
    "label": None,
    "person_names": True,
    "scope_name": "东街道",
    "since": "2021-01-01",
    "days": ["2019-12-31", "2021-06-30", "2026-06-30"],
    "load": 1,
    "most": 100,
    "linked": None,
}


@pytest.mark.parametrize("name", names())
def test_every_query_answers_the_same_packed_or_not(graph: Database, name: str) -> None:
    q = query(name)
    body = "\n".join(line for line in q.text.splitlines() if not line.startswith("//"))
    used = set(re.findall(r"\$([a-z_]+)", body))
    assert used == set(q.parameters), f"{name}: the header declares {q.parameters}"
    params = {p: VALUES[p] for p in q.parameters}
    plain = graph.read(q.text, params)
    assert q.packed is not None, f"{name} is sent row by row"
    assert unpack(graph.read(q.packed.text, params), q.packed.columns) == plain
    for scope in (None, "S2", "C3"):  # and scoped otherwise, where it takes a scope
        if "scope" in params:
            params["scope"] = scope
            plain = graph.read(q.text, params)
            assert unpack(graph.read(q.packed.text, params), q.packed.columns) == plain
