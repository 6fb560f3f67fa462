"""Differential test: on the generated district (the xinfu scenario, 766 estates), the answers
of the Cypher questions equal those computed in plain Python from the dataset's CSV files by
tests/reference.py, which shares no code with the loader or the queries — at the snapshot and
at dates in the district's past, where orgs not yet founded or since dissolved, estates not yet
built, covers not yet begun and branches not yet upgraded count as DESIGN §4 says."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import asdict
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
from orgnet.queries.registry import FIXED_PARAMETERS
from orgnet.queries.scope import resolve_scope
from orgnet.queries.trend import figures_on, period_ends

from . import reference
from .dump import Loaded, database_with

AS_OF = "2026-11-23"
# The snapshot, and days of the past: before most estate orgs were founded and upgraded, and
# while some of the orgs and owners' committees dissolved since still worked.
PAST = ("2009-12-31", "2019-07-01")


@pytest.fixture(scope="module")
def loaded(
    district: Path, district_loaded: Loaded, engine: EmbeddedEngine, settings
) -> Iterator[Database]:
    # The district as the session's other readers compare with it (`district_loaded`), read
    # while it is held: the module after this one that compares with it (the imports') then
    # need not load it again, when the tests between have emptied the database.
    with database_with(settings, district) as db:
        yield db


@pytest.fixture(scope="module", params=(AS_OF, *PAST))
def day(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def city(district: Path, day: str) -> reference.City:
    return reference.read_city(district, day)


@pytest.fixture(scope="module")
def snapshot(district: Path) -> reference.City:
    return reference.read_city(district, AS_OF)


def _ids(folder: Path, name: str) -> set[str]:
    with (folder / f"{name}.csv").open(encoding="utf-8-sig") as f:
        return {r["id"] for r in csv.DictReader(f)}


def _scopes(city: reference.City) -> list[str]:
    district = next(r for r, k in city.kind.items() if k == "district")
    streets = sorted(r for r, k in city.kind.items() if k == "street")
    communities = sorted(r for r, k in city.kind.items() if k == "community")
    return [district, *streets, communities[0], communities[-1]]


def test_the_dataset_is_big_enough_to_mean_something(snapshot: reference.City) -> None:
    scope = _scopes(snapshot)[0]
    answer = reference.coverage(snapshot, scope)
    assert answer["estates"] == 766
    assert 0 < answer["org_covered"] < answer["work_covered"] < answer["estates"]
    assert sum(actionable for _, actionable in reference.estate_gaps(snapshot, scope).values()) > 0


def test_the_past_is_another_network(district: Path, snapshot: reference.City) -> None:
    """The district's past differs from its present in each way the rules read: fewer estates
    built, fewer covered, orgs since dissolved still at work, general branches still branches,
    covers not yet begun — so that the comparisons at those days test something."""
    scope = _scopes(snapshot)[0]
    then = reference.read_city(district, PAST[0])
    now, past = reference.coverage(snapshot, scope), reference.coverage(then, scope)
    assert past["estates"] < now["estates"] and past["org_covered"] < now["org_covered"]
    dissolved = [o for o, r in then.orgs.items() if r.get("dissolved")]
    assert dissolved and any(then.exists(then.orgs[o]) for o in dissolved)
    assert not any(snapshot.exists(snapshot.orgs[o]) for o in dissolved)
    upgraded = [o for o in then.forms if then.exists(then.orgs[o])]
    assert any(then.form(o)[0] == "branch" for o in upgraded)
    assert all(snapshot.form(o)[0] == "general_branch" for o in snapshot.forms)
    with (district / "covers.csv").open(encoding="utf-8") as f:
        later = list(csv.DictReader(f))
    assert any(r["since"] > PAST[1] for r in later) and any(r["since"] < AS_OF for r in later)


def test_coverage(loaded: Database, city: reference.City) -> None:
    for scope in _scopes(city):
        summary = coverage_summary(loaded, scope, city.as_of)
        got = {k: getattr(summary, k) for k in ("estates", "households", "org_covered",
                                                "work_covered")}  # fmt: skip
        assert got == reference.coverage(city, scope), scope


def test_gap_lists(loaded: Database, city: reference.City) -> None:
    for scope in _scopes(city):
        estates = {
            g.estate_id: (g.members, g.actionable)
            for g in gaps(loaded, "estates", scope, city.as_of).rows
        }
        assert estates == reference.estate_gaps(city, scope), scope
        grids = {g.grid_id for g in gaps(loaded, "grids", scope, city.as_of).rows}
        assert grids == reference.grid_gaps(city, scope), scope
        buildings = {
            g.building_id: g.members for g in gaps(loaded, "buildings", scope, city.as_of).rows
        }
        assert buildings == reference.building_gaps(city, scope), scope
        owners = {g.estate_id for g in gaps(loaded, "owners", scope, city.as_of).rows}
        assert owners == reference.owners_gaps(city, scope), scope


def test_a_list_asked_in_parts_is_the_whole_list_in_its_order(
    loaded: Database, city: reference.City
) -> None:
    """The building gaps are asked part by part side by side (a district's streets, a
    street's communities, everything's districts): the rows are the query's for the whole scope,
    each once, in its order (most members first, then by id)."""
    members = set()
    for scope in [None, *_scopes(city)]:
        whole = run(loaded, "gaps_buildings", scope=scope, as_of=city.as_of)
        parted = [asdict(g) for g in gaps(loaded, "buildings", scope, city.as_of).rows]
        assert parted == whole, scope
        members |= {r["members"] for r in whole}
    assert len(members) > 1, "nothing to order by"


def test_pairing_per_community(loaded: Database, city: reference.City) -> None:
    for scope in _scopes(city)[:2]:
        balance = pairing_balance(loaded, scope, city.as_of)
        got = {c.community_id: (c.units, c.members, c.households) for c in balance.communities}
        assert got == reference.pairing(city, scope), scope


def test_vacancies(loaded: Database, city: reference.City) -> None:
    rows = run(loaded, "rules_vacancies", scope=None, as_of=city.as_of)
    assert {r["org_id"] for r in rows} == reference.vacancies(city)


def test_cross_appointments_and_triads(
    loaded: Database, city: reference.City, district: Path
) -> None:
    firms, units = _ids(district, "property_firms"), _ids(district, "units")
    answer = cross_appointments(loaded, None, city.as_of)
    assert {p.person_id: p.pattern for p in answer.persons} == reference.cross_patterns(
        city, firms, units
    )
    assert {t.estate_id for t in answer.triad_gaps} == reference.triad_gaps(city, firms)


def test_unscoped_answers_are_the_districts_when_there_is_one(
    loaded: Database, snapshot: reference.City
) -> None:
    """Several lists take a path of their own when unscoped (an index or a relationship type
    read whole instead of a walk down from the scope); on a dataset of one district they must
    answer what the district's walk does."""
    district = _scopes(snapshot)[0]
    for name in (
        "pairing_unreported_members",
        "pairing_mismatched_members",
        "cross_appointments",
        "gaps_buildings",
    ):
        everything = run(loaded, name, scope=None, as_of=AS_OF)
        assert everything, f"{name} finds nothing to compare"
        assert everything == run(loaded, name, scope=district, as_of=AS_OF), name
    assert run(loaded, "rules_size", scope=None, as_of=AS_OF, **SIZES) == run(
        loaded, "rules_size", scope=district, as_of=AS_OF, **SIZES
    )


def test_the_trend_of_every_year(
    loaded: Database, district: Path, snapshot: reference.City
) -> None:
    """The trend reads the district's history in one pass, by the steps of each thing; every
    year's end (and the days of the past above) gives the figures the reference computes
    afresh from the files at that day — estates built, covered, and each gap list's length."""
    scopes = _scopes(snapshot)[:2]
    days = sorted({*period_ends("2004-06-30", AS_OF, "year"), *PAST})
    trends = {scope: figures_on(loaded, resolve_scope(loaded, scope), days) for scope in scopes}
    for i, day in enumerate(days):
        then = reference.read_city(district, day)
        for scope in scopes:
            point = trends[scope][i]
            expected = reference.coverage(then, scope)
            assert {k: getattr(point, k) for k in expected} == expected, (scope, day)
            assert point.gaps_estates == len(reference.estate_gaps(then, scope)), (scope, day)
            assert point.gaps_grids == len(reference.grid_gaps(then, scope)), (scope, day)
            assert point.gaps_buildings == len(reference.building_gaps(then, scope)), (scope, day)
            assert point.gaps_owners == len(reference.owners_gaps(then, scope)), (scope, day)
    covered = [p.org_covered for p in trends[scopes[0]]]
    assert covered[0] < covered[-1], "the district's history shows no progress to test"


SIZES = {"branch_least": BRANCH_LEAST, "branch_most": BRANCH_MOST, "committee_from": COMMITTEE_FROM}


def _days_around(
    turns: list[str], draw: random.Random, anyday: int, examples: Callable[[int], int]
) -> list[str]:
    """The days to compare two answers on: today and the past days, six of ``turns`` (days on
    which something changes), the day before each of those, and ``anyday`` random days — as
    many as ``examples`` draws of them (the tests that call this are marked fuzz: CI draws
    them all, `make test` a third, at least three)."""
    on_turns = draw.sample(turns, examples(6))
    before = [(dt.date.fromisoformat(d) - dt.timedelta(days=1)).isoformat() for d in on_turns]
    random_days = [
        (dt.date(1995, 1, 1) + dt.timedelta(days=draw.randrange(12_000))).isoformat()
        for _ in range(examples(anyday))
    ]
    return [AS_OF, *PAST, *on_turns, *before, *random_days]


def _answers_as_the_walk(
    loaded: Database,
    snapshot: reference.City,
    question: str,
    days: list[str],
    **more: object,
) -> list[int]:
    """Asks ``question`` and its walk (``…_walk``, every membership, post or resident read one
    by one) on each of ``days`` for everything and every scope, asserts the two answer alike,
    and returns how many rows each answer had."""
    sizes = []
    for day in days:
        for scope in [None, *_scopes(snapshot)]:
            answer = run(loaded, question, scope=scope, as_of=day, **more)
            sizes.append(len(answer))
            assert answer == run(loaded, f"{question}_walk", scope=scope, as_of=day, **more), (
                scope, day
            )  # fmt: skip
    return sizes


@pytest.mark.fuzz
@pytest.mark.parametrize(
    ("steps", "label", "question", "more"),
    [
        ("member_days", "PartyOrg", "census_members", {}),
        ("size_days", "PartyOrg", "rules_size", SIZES),
        ("unattached_days", "Estate", "census_unattached", {}),
        ("seat_days", "OwnersCommittee", "owners_party_share", {}),
        ("resident_days", "Building", "gaps_buildings", {}),
        ("secretary_days", "PartyOrg", "rules_vacancies", {}),
        ("report_days", "Community", "pairing_communities", {}),
        ("triad_days", "Estate", "estate_triads", {"linked": None}),
    ],
)
def test_the_steps_answer_what_the_walk_does(
    loaded: Database,
    snapshot: reference.City,
    examples: Callable[[int], int],
    steps: str,
    label: str,
    question: str,
    more: dict[str, object],
) -> None:
    """The census reads each org's member steps and each region's unattached steps, the size
    rules each org's size steps, the owners' party share each committee's seat steps, the
    building gaps each building's resident steps, the vacancies each org's secretary steps,
    the pairing balance each community's report steps, the triads each estate's triad steps;
    walking every membership, resident or post by the same rules gives the same counts, by
    category, the same orgs past a size, the same shares, the same buildings with the same
    members and the same orgs without a secretary for every scope (and everything, where
    the members who live in no estate, marked by the loader, are read one by one) on random days
    and on days that fall exactly on a step (and the day before one)."""
    rows = loaded.read(f"MATCH (n:{label}) WHERE n.{steps} IS NOT NULL RETURN n.{steps} AS days")
    stepped = sorted({d for r in rows for d in r["days"] if len(d) == 10})
    assert len(stepped) > 100, "too few steps to test"
    if question == "census_unattached":  # unscoped, it reads those the loader marked
        marked = "MATCH (p:Person {outside_estates: true}) RETURN count(p) AS n"
        assert loaded.read(marked)[0]["n"] > 10, "too few members living in no estate"
    days = _days_around(stepped, random.Random(23), anyday=6, examples=examples)
    sizes = _answers_as_the_walk(loaded, snapshot, question, days, **more)
    assert sum(map(bool, sizes)) > 20, "too few days with anyone counted"


@pytest.mark.fuzz
def test_the_triad_steps_count_the_linked_triads_and_list_the_gaps_as_the_walk(
    loaded: Database, snapshot: reference.City, examples: Callable[[int], int]
) -> None:
    """The cross question lists the triads nobody links and only counts the linked ones, both
    from the triad steps; walking every estate's parties and posts lists the same gaps and as
    many linked triads, for every scope and everything, on days the steps turn (and the day
    before each) and random days."""
    rows = loaded.read("MATCH (e:Estate) WHERE e.triad_days IS NOT NULL RETURN e.triad_days AS d")
    turns = sorted({d for r in rows for d in r["d"] if len(d) == 10})
    days = _days_around(turns, random.Random(37), anyday=3, examples=examples)
    gaps = _answers_as_the_walk(loaded, snapshot, "estate_triads", days, linked=False)
    assert sum(gaps) > 20, "too few gaps"
    linked = 0
    for day in days:
        for scope in [None, *_scopes(snapshot)]:
            [counted] = run(loaded, "triads_linked", scope=scope, as_of=day)
            walked = run(loaded, "estate_triads_walk", scope=scope, as_of=day, linked=True)
            assert counted["linked"] == len(walked), (scope, day)
            linked += len(walked)
    assert linked > 20, "too few linked triads"


@pytest.mark.fuzz
def test_the_posted_in_links_find_the_cross_appointments_walking_every_post_does(
    loaded: Database, snapshot: reference.City, examples: Callable[[int], int]
) -> None:
    """In a scope, the cross-appointments start from the persons with a POSTED_IN link to it
    (unscoped, from those marked with many posts) and check their posts on the day; walking
    every post on the scope's organizations and places finds the same persons with the same
    posts, for every scope and everything, on days posts begin and end (and the day before
    each) and random days."""
    linked = "MATCH (p:Person {many_posts: true})-[:POSTED_IN]->() RETURN count(DISTINCT p) AS n"
    assert loaded.read(linked)[0]["n"] > 20, "too few persons with many posts"
    rows = loaded.read("MATCH ()-[h:HOLDS]->() RETURN collect(h.since) + collect(h.until) AS d")
    turns = sorted({d for r in rows for d in r["d"] if d and len(d) == 10})
    days = _days_around(turns, random.Random(41), anyday=3, examples=examples)
    assert sum(_answers_as_the_walk(loaded, snapshot, "cross_appointments", days)) > 20


@pytest.mark.fuzz
def test_the_mark_of_a_term_finds_the_terms_judging_every_org_does(
    loaded: Database, snapshot: reference.City, examples: Callable[[int], int]
) -> None:
    """The terms judge only the orgs marked as maybe having a term (termed: found by its index
    unscoped); judging every org of the scope gives the same rows, for every scope and
    everything, on days terms begin and forms change (and the day before each) and random
    days."""
    marked = "MATCH (o:PartyOrg) RETURN count(o.termed) AS marked, count(o) AS orgs"
    [counted] = loaded.read(marked)
    assert 20 < counted["marked"] < counted["orgs"], "no orgs, or no groups, to tell apart"
    rows = loaded.read(
        "MATCH (o:PartyOrg) RETURN collect(o.term_start) + collect(o.founded) "
        "+ reduce(d = [], o IN collect(o) | d + coalesce(o.form_since, [])) AS d"
    )
    turns = sorted({d for r in rows for d in r["d"] if d and len(d) == 10})
    days = _days_around(turns, random.Random(43), anyday=3, examples=examples)
    years = ("years_at_level", "years_of_type")
    more = {"until": "2027-05-23", **{k: FIXED_PARAMETERS[k] for k in years}}
    assert sum(_answers_as_the_walk(loaded, snapshot, "terms", days, **more)) > 20


@pytest.mark.fuzz
@pytest.mark.parametrize(
    ("span", "question"), [("hierarchy", "rules_integrity"), ("vacancy", "rules_vacancies")]
)
def test_the_spans_answer_what_judging_every_org_does(
    loaded: Database,
    snapshot: reference.City,
    examples: Callable[[int], int],
    span: str,
    question: str,
) -> None:
    """Hierarchy integrity judges only the orgs whose span of broken rules holds the day, the
    vacancies those whose span of vacancy does (found by its index); judging every org of the
    scope gives the same rows, for every scope and everything, on the days the spans begin and
    end, the day before each, and random days."""
    rows = loaded.read(
        f"MATCH (o:PartyOrg) WHERE o.{span}_until IS NOT NULL "
        f"RETURN o.{span}_since AS since, o.{span}_until AS until"
    )
    ends = sorted({d for r in rows for d in (r["since"], r["until"]) if len(d) == 10})
    assert len(ends) > 10, "too few spans to test"
    days = _days_around(ends, random.Random(29), anyday=4, examples=examples)
    assert sum(_answers_as_the_walk(loaded, snapshot, question, days)) > 20, "too few orgs found"


@pytest.mark.fuzz
@pytest.mark.parametrize("question", ["pairing_unreported_members", "pairing_mismatched_members"])
def test_the_home_communities_answer_what_walking_every_resident_does(
    loaded: Database, snapshot: reference.City, examples: Callable[[int], int], question: str
) -> None:
    """The pairing lists find a scope's in-service members and reporters through the home
    community and the span of reporting nowhere the loader keeps on them; walking every
    resident of the scope gives the same rows, for every scope and everything, on the days
    reports and spans begin and end, the day before each, and random days."""
    homes = "MATCH (p:Person) WHERE p.home_community IS NOT NULL RETURN count(p) AS n"
    assert loaded.read(homes)[0]["n"] > 20, "too few home communities to test"
    rows = loaded.read(
        "MATCH (:Person)-[r:REPORTED_TO]->() RETURN collect(r.since) + collect(r.until) AS days "
        "UNION ALL MATCH (p:Person) WHERE p.unreported_until IS NOT NULL "
        "RETURN collect(p.unreported_since) + collect(p.unreported_until) AS days"
    )
    turns = sorted({d for row in rows for d in row["days"] if d and len(d) == 10})
    days = _days_around(turns, random.Random(31), anyday=4, examples=examples)
    assert sum(_answers_as_the_walk(loaded, snapshot, question, days)) > 20, "too few listed"
