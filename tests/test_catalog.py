"""Every query of the catalog runs against the real engine on the hand-built city, declares
exactly the parameters it uses, and answers the same rows, in the same order, whether it is
sent as written or packed into one record (queries/packing.py). Everything is asked as the empty
scope, which the queries answer as they do null."""

from __future__ import annotations

import re

import pytest

from orgnet.graph.connection import Database
from orgnet.queries.catalog import names, query, run
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
    # And scoped otherwise, where it takes a scope: everything asked as the catalog asks it
    # (queries.catalog.run), the empty scope.
    for scope in ("", "S2", "C3"):
        if "scope" in params:
            params["scope"] = scope
            plain = graph.read(q.text, params)
            assert unpack(graph.read(q.packed.text, params), q.packed.columns) == plain


@pytest.mark.parametrize("name", ["census_orgs", "gaps_estates", "rules_integrity"])
def test_everything_is_asked_as_the_empty_scope_and_answered_as_null_is(
    graph: Database, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict] = []
    real = Database.read

    def read(self: Database, text: str, parameters: dict | None = None) -> list[dict]:
        sent.append(dict(parameters or {}))
        return real(self, text, parameters)

    monkeypatch.setattr(Database, "read", read)
    params = {p: VALUES[p] for p in query(name).parameters}
    rows = run(graph, name, **{**params, "scope": None})
    assert [asked["scope"] for asked in sent] == [""]  # one plan for every scope's question
    packed = query(name).packed
    assert packed is not None
    assert unpack(graph.read(packed.text, {**params, "scope": None}), packed.columns) == rows
    assert rows and rows != run(graph, name, **{**params, "scope": "S2"})  # a street: fewer
