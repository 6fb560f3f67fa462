"""Differential test: on the generated district (the xinfu scenario, 766 estates), the answers
of the Cypher questions equal those computed in plain Python from the dataset's CSV files by
tests/reference.py, which shares no code with the loader or the queries."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from orgnet.graph.connection import Database
from orgnet.graph.engine import EmbeddedEngine
from orgnet.queries.catalog import run
from orgnet.queries.coverage import (
    BRANCH_LEAST,
    BRANCH_MOST,
    COMMITTEE_FROM,
    coverage_summary,
    gaps,
)
from orgnet.queries.pairing import pairing_balance
from orgnet.queries.paths import cross_appointments

from . import reference
from .dump import database_with

AS_OF = "2026-11-23"


@pytest.fixture(scope="module")
def loaded(district: Path, engine: EmbeddedEngine, settings) -> Iterator[Database]:
    with database_with(settings, district) as db:
        yield db


@pytest.fixture(scope="module")
def city(district: Path) -> reference.City:
    return reference.read_city(district, AS_OF)


def _ids(folder: Path, name: str) -> set[str]:
    with (folder / f"{name}.csv").open(encoding="utf-8-sig") as f:
        return {r["id"] for r in csv.DictReader(f)}


def _scopes(city: reference.City) -> list[str]:
    district = next(r for r, k in city.kind.items() if k == "district")
    streets = sorted(r for r, k in city.kind.items() if k == "street")
    communities = sorted(r for r, k in city.kind.items() if k == "community")
    return [district, *streets, communities[0], communities[-1]]


def test_the_dataset_is_big_enough_to_mean_something(city: reference.City) -> None:
    scope = _scopes(city)[0]
    answer = reference.coverage(city, scope)
    assert answer["estates"] == 766
    assert 0 < answer["org_covered"] < answer["work_covered"] < answer["estates"]
    assert sum(actionable for _, actionable in reference.estate_gaps(city, scope).values()) > 0


def test_coverage(loaded: Database, city: reference.City) -> None:
    for scope in _scopes(city):
        summary = coverage_summary(loaded, scope, AS_OF)
        got = {k: getattr(summary, k) for k in ("estates", "households", "org_covered",
                                                "work_covered")}  # fmt: skip
        assert got == reference.coverage(city, scope), scope


def test_gap_lists(loaded: Database, city: reference.City) -> None:
    for scope in _scopes(city):
        estates = {
            g.estate_id: (g.members, g.actionable) for g in gaps(loaded, "estates", scope).rows
        }
        assert estates == reference.estate_gaps(city, scope), scope
        grids = {g.grid_id for g in gaps(loaded, "grids", scope).rows}
        assert grids == reference.grid_gaps(city, scope), scope
        buildings = {g.building_id: g.members for g in gaps(loaded, "buildings", scope).rows}
        assert buildings == reference.building_gaps(city, scope), scope
        owners = {g.estate_id for g in gaps(loaded, "owners", scope).rows}
        assert owners == reference.owners_gaps(city, scope), scope


def test_pairing_per_community(loaded: Database, city: reference.City) -> None:
    for scope in _scopes(city)[:2]:
        balance = pairing_balance(loaded, scope, AS_OF)
        got = {c.community_id: (c.units, c.members, c.households) for c in balance.communities}
        assert got == reference.pairing(city, scope), scope


def test_vacancies(loaded: Database, city: reference.City) -> None:
    rows = run(loaded, "rules_vacancies", scope=None, as_of=AS_OF)
    assert {r["org_id"] for r in rows} == reference.vacancies(city)


def test_cross_appointments_and_triads(
    loaded: Database, city: reference.City, district: Path
) -> None:
    firms, units = _ids(district, "property_firms"), _ids(district, "units")
    answer = cross_appointments(loaded, None, AS_OF)
    assert {p.person_id: p.pattern for p in answer.persons} == reference.cross_patterns(
        city, firms, units
    )
    assert {t.estate_id for t in answer.triad_gaps} == reference.triad_gaps(city, firms)


def test_unscoped_answers_are_the_districts_when_there_is_one(
    loaded: Database, city: reference.City
) -> None:
    """Several lists take a path of their own when unscoped (an index or a relationship type
    read whole instead of a walk down from the scope); on a dataset of one district they must
    answer what the district's walk does."""
    district = _scopes(city)[0]
    for name in (
        "pairing_unreported_members",
        "pairing_mismatched_members",
        "cross_appointments",
        "gaps_buildings",
    ):
        everything = run(loaded, name, scope=None, as_of=AS_OF)
        assert everything, f"{name} finds nothing to compare"
        assert everything == run(loaded, name, scope=district, as_of=AS_OF), name
    sizes = {
        "branch_least": BRANCH_LEAST,
        "branch_most": BRANCH_MOST,
        "committee_from": COMMITTEE_FROM,
    }
    assert run(loaded, "rules_size", scope=None, as_of=AS_OF, **sizes) == run(
        loaded, "rules_size", scope=district, as_of=AS_OF, **sizes
    )
