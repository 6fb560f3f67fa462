"""Every question takes a scope and an as_of date; bad ones get clear errors."""

from __future__ import annotations

import datetime as dt

import pytest

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest, NotFound
from orgnet.queries.coverage import coverage_summary
from orgnet.queries.scope import as_of_date, resolve_scope


def test_a_scope_is_a_district_street_or_community(graph: Database) -> None:
    assert resolve_scope(graph, "S1").label == "Street"
    assert resolve_scope(graph, None).id is None
    with pytest.raises(BadRequest, match=r"E1.*Estate"):
        coverage_summary(graph, "E1")
    with pytest.raises(NotFound, match="ZZ"):
        coverage_summary(graph, "ZZ")


def test_as_of_is_a_date_and_defaults_to_today() -> None:
    assert as_of_date(None) == dt.date.today().isoformat()
    assert as_of_date(dt.date(2024, 2, 29)) == "2024-02-29"
    with pytest.raises(BadRequest):
        as_of_date("2026-13-01")
