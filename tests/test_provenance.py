"""Transaction time (留痕): every load recorded with who, when, its files' SHA-256 and what it did;
everything a load writes traceable to its file and row; an entity's every version; the latest
load taken back exactly — load → correct → undo gives the first graph back, derived links
and the versions kept included — on the dated network of tests/dated.py."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from orgnet.api.keys import Keys
from orgnet.api.server import create_app
from orgnet.graph.connection import Database
from orgnet.graph.derived import VERSION as DERIVED_VERSION
from orgnet.graph.derived import refresh_all
from orgnet.graph.errors import BadRequest, Busy, NotFound
from orgnet.graph.lock import WriteLock
from orgnet.graph.provenance import derived_behind, records, undo
from orgnet.graph.settings import Settings
from orgnet.loaders.load import load_dataset
from orgnet.queries.catalog import run_together
from orgnet.queries.loads import history, load_changes
from orgnet.queries.privacy import shorten_name
from orgnet.queries.registry import FIXED_PARAMETERS

from .dated import TODAY, TOMORROW, YESTERDAY, dated
from .dump import count, dump, orgnet, wipe, write_dataset

# A month's corrections to the dated network: a phone given, a move, a member joining an org
# and one leaving theirs, a post ending, an org dissolved and another moved under a new parent
# (so that derived scopes change), a new estate and a dated cover of it.
_NAMES = {"P-a": "人员P-a", "P-c": "人员P-c", "P-d": "人员P-d", "P-e": "人员P-e"}
CORRECTION: dict[str, list[dict]] = {
    "estates": [{"id": "E8", "name": "八号小区", "community_id": "C3", "households": "80"}],
    "party_orgs": [
        {"id": "PE2", "name": "PE2党组织", "type": "branch", "level": "estate",
         "parent_id": "PC1", "dissolved": "2026-11-30"},
        {"id": "PC2", "name": "PC2党组织", "type": "committee", "level": "community",
         "parent_id": "PS2", "dissolved": ""},
    ],
    "covers": [{"org_id": "PE4", "target_id": "E8", "since": "2026-12-01", "until": ""}],
    "persons": [
        {"id": "P-a", "name": _NAMES["P-a"], "phone": "13800000099", "building_id": "B1",
         "party_org_id": "PE1"},
        {"id": "P-c", "name": _NAMES["P-c"], "phone": "", "building_id": "B2",
         "party_org_id": ""},
        {"id": "P-d", "name": _NAMES["P-d"], "phone": "", "building_id": "",
         "party_org_id": "PE1"},
        {"id": "P-e", "name": _NAMES["P-e"], "phone": "", "building_id": "B2",
         "party_org_id": ""},
    ],
    "posts": [{"person_id": "P-PS", "org_id": "PS", "role": "secretary",
               "since": "2022-01-01", "until": "2026-12-31"}],
}  # fmt: skip


@pytest.fixture
def first(db: Database, tmp_path: Path) -> Iterator[Path]:
    folder = write_dataset(tmp_path / "first", dated())
    load_dataset(db, folder, by="张三@区委组织部", command="orgnet load first")
    yield folder


def _correct(db: Database, tmp_path: Path) -> Path:
    folder = write_dataset(tmp_path / "correction", CORRECTION)
    load_dataset(db, folder, by="李四@区委组织部", command="orgnet load correction")
    return folder


def test_every_load_is_recorded_with_its_files_and_what_it_did(
    db: Database, first: Path, tmp_path: Path
) -> None:
    correction = _correct(db, tmp_path)
    [second, one] = records(db)
    assert (one.number, one.kind, one.status, one.by, one.command) == (
        1, "load", "done", "张三@区委组织部", "orgnet load first"
    )  # fmt: skip
    assert one.began <= (one.ended or "") and one.ended
    persons = next(f for f in second.files if f.name == "persons.csv")
    digest = hashlib.sha256((correction / "persons.csv").read_bytes()).hexdigest()
    assert (persons.sha256, persons.rows) == (digest, 4)
    by_table = {t.table: t for t in second.tables}
    assert by_table["estates.csv"].created == 2  # E8, and its PART_OF
    assert by_table["persons.csv"].changed >= 1  # P-a's phone
    assert by_table["persons.csv"].cleared == 2  # P-c's old home, P-e's membership
    assert by_table["party_orgs.csv"].changed == 1 and by_table["party_orgs.csv"].cleared == 1
    # What the first created is there still, but for the three links the second let go of
    # (P-c's home, P-e's membership, PC2's parent); E8 is the second's.
    assert sum(t.created for t in one.tables) == (
        count(db, "(n:Entity) WHERE n.load_created = 1")
        + count(db, "(:Entity)-[r]->(:Entity) WHERE r.load_created = 1")
        + sum(t.cleared for t in second.tables)
    )
    # Everything written carries its load and the file:row that wrote it.
    row = db.read(
        "MATCH (p:Person {id: 'P-a'})-[r:LIVES_IN]->() RETURN p.load_created AS made, "
        "p.load_changed AS changed, p.load_source AS source, r.load_source AS link"
    )[0]
    assert row == {"made": 1, "changed": 2, "source": "persons.csv:2",
                   "link": "persons.csv:9"}  # fmt: skip


def test_loading_the_same_files_again_changes_nothing_and_says_so(
    db: Database, first: Path
) -> None:
    before = dump(db, provenance=True)
    again = load_dataset(db, first)
    assert dump(db, provenance=True) == before
    latest = records(db)[0]
    assert (latest.number, latest.status, latest.tables) == (2, "done", [])
    assert again.load == 2


def test_load_correct_undo_gives_the_first_graph_back_exactly(
    db: Database, first: Path, tmp_path: Path
) -> None:
    before = dump(db, provenance=True)
    serves = db.read("MATCH (o)-[s:SERVES]->(p) RETURN o.id AS o, p.id AS p, s.span AS s")
    _correct(db, tmp_path)
    assert dump(db, provenance=True) != before
    moved = db.read("MATCH (:PartyOrg {id: 'PE3'})-[:SERVES]->(p) RETURN collect(p.id) AS p")
    assert "D2" in moved[0]["p"]  # PC2 went under PS2 in D2, and PE3 with it
    done = undo(db, by="李四@区委组织部")
    assert (done.load, done.number) == (2, 3)
    assert dump(db, provenance=True) == before
    again = db.read("MATCH (o)-[s:SERVES]->(p) RETURN o.id AS o, p.id AS p, s.span AS s")
    key = lambda r: (r["o"], r["p"], r["s"] or "")  # noqa: E731
    assert sorted(again, key=key) == sorted(serves, key=key)
    [three, two, one] = records(db)
    assert (three.kind, three.undoes, three.status) == ("undo", 2, "done")
    assert (two.status, two.undone_by) == ("undone", 3)
    assert one.status == "done"
    # Taken back twice: the first load too, to an empty network.
    assert undo(db).load == 1
    assert count(db, "(n:Entity)") == 0 and count(db, "(v:Version)") == 0
    with pytest.raises(NotFound):
        undo(db)


TERMS = {
    "until": "2027-05-23",
    **{k: FIXED_PARAMETERS[k] for k in ("years_at_level", "years_of_type")},
}


def _members_by_steps_and_by_walk(
    db: Database, asked: Callable[[int], bool] = lambda number: True
) -> list[tuple[list[dict], list[dict]]]:
    """The members, the unattached members, the orgs past a size (thresholds that the small
    network's orgs cross), the owners' committees' shares, the building gaps with their
    members, the broken hierarchy rules, the vacancies, the pairing lists and the estates'
    triads of each scope and day, read from the steps (and spans and home communities) and by
    the walk: of every question, scope and day (390 of them), or those whose number is
    ``asked``."""
    cases = [
        (question, {"scope": scope, "as_of": day, **more})
        for question, more in (
            ("census_members", {}),
            ("census_unattached", {}),
            ("rules_size", {"branch_least": 3, "branch_most": 50, "committee_from": 2}),
            ("owners_party_share", {}),
            ("gaps_buildings", {}),
            ("rules_integrity", {}),
            ("rules_vacancies", {}),
            ("pairing_unreported_members", {}),
            ("pairing_mismatched_members", {}),
            ("pairing_communities", {}),
            ("estate_triads", {"linked": None}),
            ("cross_appointments", {}),
            ("terms", TERMS),
        )
        for scope in (None, "D1", "D2", "C1", "C2")
        for day in ("2020-06-30", YESTERDAY, TODAY, TOMORROW, "2026-11-30", "2026-12-01")
    ]
    asks = [
        (name, parameters)
        for number, (question, parameters) in enumerate(cases)
        if asked(number)
        for name in (question, f"{question}_walk")
    ]
    # Asked side by side, as a question's parts are: 780 reads one after the other left the
    # engine and this process waiting on each other (the corrections' test took 53 s alone
    # so, 40 s thus).
    answers = run_together(db, *asks)
    pairs = list(zip(answers[::2], answers[1::2], strict=True))
    assert sum(bool(by_steps) for by_steps, _ in pairs) > len(pairs) // 2, "too little counted"
    return pairs


def test_the_member_steps_follow_every_load_and_undo(
    db: Database, first: Path, tmp_path: Path
) -> None:
    """The census reads each org's member steps and each estate's unattached steps, which the
    loader works out again for the orgs and estates a load touched — the org a member joins,
    the one they leave, the one whose member's standing changes, the estate a member moves
    into or out of or whose member's membership ends — and an undo for those it puts back:
    read by steps or by walking every membership and resident, every scope and day answers the
    same after each."""
    steps = (
        "MATCH (o:PartyOrg|Estate) RETURN o.id AS id, o.member_days AS days, "
        "o.member_changes AS n, o.unattached_days AS loose, o.unattached_changes AS m"
    )
    first_steps = db.read(steps)
    for by_steps, by_walk in _members_by_steps_and_by_walk(db):
        assert by_steps == by_walk
    _correct(db, tmp_path)
    assert db.read(steps) != first_steps
    for by_steps, by_walk in _members_by_steps_and_by_walk(db):
        assert by_steps == by_walk
    undo(db)
    assert db.read(steps) == first_steps
    for by_steps, by_walk in _members_by_steps_and_by_walk(db):
        assert by_steps == by_walk


@pytest.mark.fuzz
def test_the_steps_follow_each_correction_and_its_undo(
    db: Database, first: Path, tmp_path: Path, rotation: Callable[..., bool]
) -> None:
    """Corrections, each a load of its own: PE3 dissolved (its member P-E3, of E3, is then of no
    existing org); P-c's home let go (E3 loses a floating member, known only from the version
    the load keeps); P-E3 reporting to C2, where they live, and the in-service P-g2 to C1 from
    an earlier day; E3 moved from C2 to C1 (C2 loses its unattached members, known only from the
    version, and P-E3 a home there); P-h's chair of OC1 ended; P-g seated on OC3; P-j put in
    PE1's group PG1; PG1 moved from the branch PE1 to PE2 (PE1 loses P-j, known only from the
    version); the in-service P-g moved to C3; the in-service P-F1 reporting to C3 (once undone,
    known only from the link taken back); P-E1's secretary post of PE1 ended; P-k, chair of OC3,
    made a member of PE3's committee (linking E3's triad); OC2 dissolved (ending E2's), then
    representing E1 instead (E2 loses it, known only from the version); F3's management of E3
    ended; E3 moved back to C2 (P-k, now holding posts on PE3 and OC3, is posted there again);
    PE3 covering E2 instead (P-k is posted where PE3 serves, known only from its SERVES links);
    P-i, of OC1, made a building leader of B4 in C3; E1 moved to C2 (P-i is posted there through
    OC1, known only from the place); the group PG1 given a term of its own (marked as maybe
    having one); E6, with P-E6 of the dissolved PE6, moved to C1, in another street and district
    (the unattached steps of both communities, streets and districts change, each level summed
    from the one below). Each changes the unattached steps of E3 or of the communities, the resident
    steps of P-c's building B3, a committee's seat steps, an org's member, size or secretary
    steps, a home community, a community's report steps, an estate's triad steps, a person's
    POSTED_IN links or an org's mark of a term, and the census, size rules, owners' shares,
    building gaps, vacancies, pairing lists and balance, triads, cross-appointments and terms
    read from them answer what the walk does; undone, each puts them back. (With ``--fuzz
    quick``, each correction and undo is read on a third of the questions, scopes and days, in
    turn: each of them read after seven corrections and seven undos.)"""
    org = next(row for row in dated()["party_orgs"] if row["id"] == "PE3")
    group = next(row for row in dated()["party_orgs"] if row["id"] == "PG1")
    grouped = next(row for row in dated()["persons"] if row["id"] == "P-j")
    serving = next(row for row in dated()["persons"] if row["id"] == "P-g")
    person = next(row for row in dated()["persons"] if row["id"] == "P-c")
    estate = next(row for row in dated()["estates"] if row["id"] == "E3")
    committee = next(row for row in dated()["owners_committees"] if row["id"] == "OC2")
    first_estate = next(row for row in dated()["estates"] if row["id"] == "E1")
    sixth_estate = next(row for row in dated()["estates"] if row["id"] == "E6")
    corrections = {
        "dissolved": {"party_orgs": [{**org, "dissolved": "2026-06-30"}]},
        "moved": {"persons": [{**person, "building_id": ""}]},
        "reporting": {
            "reports": [
                {"person_id": "P-E3", "community_id": "C2", "since": "2026-01-01", "until": ""},
                {"person_id": "P-g2", "community_id": "C1", "since": "2026-06-01", "until": ""},
            ]
        },
        "estate": {"estates": [{**estate, "community_id": "C1"}]},
        "post": {
            "posts": [
                {
                    "person_id": "P-h",
                    "org_id": "OC1",
                    "role": "chair",
                    "since": "2022-01-01",
                    "until": "2026-06-30",
                }
            ]
        },
        "seated": {
            "posts": [
                {
                    "person_id": "P-g",
                    "org_id": "OC3",
                    "role": "member",
                    "since": "2026-01-01",
                    "until": "",
                }
            ]
        },
        "grouped": {"persons": [{**grouped, "party_org_id": "PG1"}]},
        "regrouped": {"party_orgs": [{**group, "parent_id": "PE2"}]},
        "rehomed": {"persons": [{**serving, "building_id": "B4"}]},
        "reported anew": {
            "reports": [
                {"person_id": "P-F1", "community_id": "C3", "since": "2026-01-01", "until": ""}
            ]
        },
        "secretary": {
            "posts": [
                {
                    "person_id": "P-E1",
                    "org_id": "PE1",
                    "role": "secretary",
                    "since": "2022-01-01",
                    "until": "2026-06-30",
                }
            ]
        },
        "linked": {
            "posts": [
                {
                    "person_id": "P-k",
                    "org_id": "PE3",
                    "role": "committee_member",
                    "since": "2024-01-01",
                    "until": "",
                }
            ]
        },
        "unrepresented": {"owners_committees": [{**committee, "dissolved": "2026-12-01"}]},
        "represents another": {
            "owners_committees": [{**committee, "dissolved": "2026-12-01", "estate_id": "E1"}]
        },
        "unmanaged": {
            "management": [{"firm_id": "F3", "estate_id": "E3", "since": "", "until": "2026-03-01"}]
        },
        "moved back": {"estates": [estate]},
        "covers elsewhere": {"party_orgs": [{**org, "dissolved": "2026-06-30", "covers": "E2"}]},
        "building leader": {
            "posts": [
                {
                    "person_id": "P-i",
                    "org_id": "B4",
                    "role": "building_leader",
                    "since": "2022-01-01",
                    "until": "",
                }
            ]
        },
        "estate elsewhere": {"estates": [{**first_estate, "community_id": "C2"}]},
        "given a term": {
            "party_orgs": [
                {**group, "parent_id": "PE2", "term_start": "2025-01-01", "term_years": "1"}
            ]
        },
        "estate across streets": {"estates": [{**sixth_estate, "community_id": "C1"}]},
    }
    steps = (
        "MATCH (n:Estate|Community|OwnersCommittee|Building|PartyOrg|Person) "
        "WHERE n.id IN ['E2', 'E3', 'C1', 'C2', 'C3', 'OC1', 'OC3', 'B3', 'PE1', 'PE2', 'PG1', "
        "'P-E3', 'P-g', 'P-k', 'P-i'] "
        "RETURN n.id AS id, n.unattached_days AS days, n.unattached_changes AS n, "
        "n.seat_days AS seat_days, n.seat_changes AS seats, "
        "n.resident_days AS resident_days, n.resident_changes AS residents, "
        "n.secretary_days AS secretary_days, n.secretary_changes AS secretaries, "
        "n.member_days AS member_days, n.member_changes AS members, "
        "n.size_days AS size_days, n.size_own AS own, n.size_subtree AS subtree, "
        "n.home_community AS home, n.report_days AS report_days, "
        "n.report_changes AS reports, n.triad_days AS triad_days, n.triad_states AS triads, "
        "n.many_posts AS many, COLLECT { MATCH (n)-[:POSTED_IN]->(r) RETURN r.id ORDER BY r.id } "
        "AS posted_in, n.termed AS termed ORDER BY id"
    )
    seen = [db.read(steps)]
    for turn, (name, files) in enumerate(corrections.items()):
        load_dataset(db, write_dataset(tmp_path / name, files))
        assert db.read(steps) != seen[-1], name
        seen.append(db.read(steps))
        for by_steps, by_walk in _members_by_steps_and_by_walk(db, partial(rotation, turn)):
            assert by_steps == by_walk, name
    for turn, kept in enumerate(reversed(seen[:-1])):
        undo(db)
        assert db.read(steps) == kept
        for by_steps, by_walk in _members_by_steps_and_by_walk(db, partial(rotation, turn)):
            assert by_steps == by_walk


def test_a_member_in_a_building_of_no_estate_is_marked_until_a_load_gives_it_one(
    db: Database, first: Path, tmp_path: Path
) -> None:
    """Unscoped, the census reads the party members who live in no estate through the mark the
    loader keeps (outside_estates; a home let go, above). A building written by other means,
    with no estate, marks its members once derived; the load that gives it its estate takes the
    mark away (and counts them in the estate's steps). Read by the mark and steps or by walking
    every member, the census answers the same after each."""
    marked = "MATCH (p:Person {outside_estates: true}) RETURN collect(p.id) AS ids"
    db.write(
        "CREATE (:Entity:Building {id: 'B-X', name: 'X楼'})"
        "<-[:LIVES_IN]-(:Entity:Person {id: 'P-X', name: '人员P-X', party_member: true})"
    )
    refresh_all(db)
    assert "P-X" in db.read(marked)[0]["ids"]
    for by_steps, by_walk in _members_by_steps_and_by_walk(db):
        assert by_steps == by_walk
    building = next(row for row in dated()["buildings"] if row["id"] == "B1")
    given = {"buildings": [{**building, "id": "B-X", "name": "X楼"}]}
    load_dataset(db, write_dataset(tmp_path / "given", given))
    assert "P-X" not in db.read(marked)[0]["ids"]
    for by_steps, by_walk in _members_by_steps_and_by_walk(db):
        assert by_steps == by_walk


def test_a_graph_derived_by_an_older_orgnet_is_derived_afresh_by_its_next_load_or_undo(
    db: Database, first: Path, tmp_path: Path
) -> None:
    """A store an older orgnet derived lacks what it did not keep (here: the buildings'
    resident steps) and records no version of them, or an older one. The next load works
    every derived link and property out afresh, as `orgnet db derive` would, and records this
    version; a load that finds them current works out only what it touched. An undo does the
    same, and `orgnet db derive` records the version it worked them all out at."""
    steps = (
        "MATCH (b:Building) RETURN b.id AS id, b.resident_days AS days, "
        "b.resident_kinds AS kinds, b.resident_changes AS n ORDER BY id"
    )
    strip = "MATCH (b:Building) REMOVE b.resident_days, b.resident_kinds, b.resident_changes"
    forget = "MATCH (l:Load) REMOVE l.derived"
    db.write(strip)
    _correct(db, tmp_path)  # the version current: only the buildings it touched
    partial = db.read(steps)
    refresh_all(db)
    whole = db.read(steps)
    assert partial != whole and sum(bool(r["days"]) for r in whole) > 3
    for older in (None, DERIVED_VERSION - 1):
        db.write(strip)
        db.write(forget if older is None else "MATCH (l:Load) SET l.derived = $v", {"v": older})
        _correct(db, tmp_path)  # the same files again: the graph is unchanged
        assert db.read(steps) == whole, older
        assert db.read("MATCH (l:Load) RETURN max(l.derived) AS v")[0]["v"] == DERIVED_VERSION
        for by_steps, by_walk in _members_by_steps_and_by_walk(db):
            assert by_steps == by_walk
    db.write(strip)
    db.write(forget)
    undo(db)
    taken_back = db.read(steps)
    refresh_all(db)
    assert taken_back == db.read(steps) and any(r["days"] for r in taken_back)
    # `orgnet db derive` records the version it worked them out at: the next load finds them
    # current and works out only what it touched.
    db.write(forget)
    assert derived_behind(db)
    refresh_all(db)
    assert not derived_behind(db)
    db.write(strip)
    _correct(db, tmp_path)
    touched_only = db.read(steps)
    refresh_all(db)
    assert touched_only != db.read(steps)


def test_without_provenance_the_load_benchmark_writes_the_same_network(
    db: Database, tmp_path: Path
) -> None:
    """The load benchmark measures what provenance costs against the loader with plain upserts
    (benchmarks/plain_load.py): the comparison holds only if they write the same network, a
    correction's replaced and emptied links included — all but the provenance. (Without
    versions, a correction cannot tell which orgs it let a member go from: the derived
    properties are worked out afresh on both sides before they are compared.)"""
    from benchmarks.plain_load import plain_statements

    first = write_dataset(tmp_path / "first", dated())
    load_dataset(db, first)
    _correct(db, tmp_path)
    refresh_all(db)
    kept = dump(db)
    wipe(db)
    with plain_statements():
        load_dataset(db, first)
        _correct(db, tmp_path)
    refresh_all(db)
    assert dump(db) == kept
    assert count(db, "(n:Version)") == 0
    assert count(db, "(n:Entity) WHERE n.load_source IS NOT NULL") == 0
    assert count(db, "()-[r]->() WHERE r.load_source IS NOT NULL") == 0


def test_an_older_load_is_refused_naming_the_loads_after_it(
    db: Database, first: Path, tmp_path: Path
) -> None:
    _correct(db, tmp_path)
    before = dump(db, provenance=True)
    with pytest.raises(BadRequest) as refused:
        undo(db, number=1)
    assert refused.value.said == "not_the_latest_load" and "2" in str(refused.value)
    with pytest.raises(NotFound):
        undo(db, number=9)
    assert dump(db, provenance=True) == before


def test_undo_waits_for_the_one_writer(db: Database, first: Path) -> None:
    before = dump(db, provenance=True)
    with WriteLock(db, db.home), pytest.raises(Busy):
        undo(db, wait=0)
    assert dump(db, provenance=True) == before


def test_history_shows_each_version_with_its_load_and_row(
    db: Database, first: Path, tmp_path: Path
) -> None:
    _correct(db, tmp_path)
    moves = history(db, "P-c")
    own = [(c.load, c.file_row, c.action, c.what, c.after) for c in moves.property_changes]
    assert (1, "persons.csv:11", "created", "name", "人员P-c") in own
    assert not any(c.what == "id" for c in moves.property_changes)  # named once, above
    links = [(c.load, c.file_row, c.action, c.link, c.other_id, c.what) for c in moves.link_changes]
    assert (1, "persons.csv:11", "created", "LIVES_IN", "B3", None) in links
    assert (2, "persons.csv:3", "cleared", "LIVES_IN", "B3", None) in links
    assert (2, "persons.csv:3", "created", "LIVES_IN", "B2", None) in links
    assert [(c.other_name, c.other_label) for c in moves.link_changes if c.other_id == "B2"] == [
        ("2号楼", "Building")
    ]
    phone = [c for c in history(db, "P-a").property_changes if c.what == "phone"]
    assert [(c.load, c.action, c.before, c.after) for c in phone] == [
        (2, "changed", None, "138****0099")
    ]
    shown = history(db, "P-a", show_phone=True).property_changes
    assert [c.after for c in shown if c.what == "phone"] == ["13800000099"]
    ended = [(c.link, c.other_id, c.what, c.before, c.after)
             for c in history(db, "P-PS").link_changes if c.load == 2]  # fmt: skip
    assert ended == [("HOLDS", "PS", "until", None, "2026-12-31")]
    assert [(c.what, c.after) for c in history(db, "PE2").property_changes if c.load == 2] == [
        ("dissolved", "2026-11-30")
    ]
    with pytest.raises(NotFound):
        history(db, "NOBODY")


def test_the_command_lists_loads_takes_one_back_and_shows_history(
    db: Database, first: Path, tmp_path: Path, cli_env: dict
) -> None:
    _correct(db, tmp_path)
    listed = orgnet("loads", "--format", "json", env=cli_env, check=True)
    rows = json.loads(listed.stdout)["loads"]
    assert [(r["number"], r["status"]) for r in rows] == [(2, "done"), (1, "done")]
    table = orgnet("loads", env={**cli_env, "ORGNET_LANG": "zh", "COLUMNS": "200"}, check=True)
    assert "导入记录" in table.stdout and "李四@区委组织部" in table.stdout
    assert "persons.csv" in table.stdout
    # When, in this machine's time to the second, without the offset kept in the record.
    began = rows[0]["began"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d", began)
    assert began[:19] in table.stdout and began[19:] not in table.stdout
    said = orgnet(
        "history", "P-c", env={**cli_env, "ORGNET_LANG": "zh", "COLUMNS": "200"}, check=True
    ).stdout
    assert "变更历史" in said and "persons.csv:3" in said and "2号楼" in said
    assert "居住" in said and "解除" in said and "LIVES_IN" not in said
    zh = {**cli_env, "ORGNET_LANG": "zh"}
    refused = orgnet("loads", "undo", "1", env=zh)
    assert refused.returncode != 0 and "第 1 批不是最近一次导入：请先撤回第 2 批" in refused.stderr
    did = orgnet("changes", "--load", "2", env={**zh, "COLUMNS": "200"}, check=True).stdout
    assert "一批导入做了什么" in did and "persons.csv:3" in did and "解除" in did
    done = orgnet("loads", "undo", env=zh, check=True)
    assert "已撤回第 2 批导入" in done.stdout + done.stderr
    assert records(db)[0].kind == "undo"
    # The worst values, each refused with its reason and the database unchanged.
    before = dump(db, provenance=True)
    for asked, said in [
        (("loads", "undo", "2"), "第 2 批导入已经撤回（撤回记录为第 3 批）"),
        (("loads", "undo", "3"), "第 3 批是一次撤回"),
        (("loads", "undo", "9"), "没有第 9 批导入"),
        (("loads", "undo", "0"), "不能小于 1"),
        (("loads", "undo", "-1"), "没有 -1 这个选项"),
        (("loads", "undo", "abc"), "应为整数"),
        (("history", "NOBODY"), "没有编号为“NOBODY”的对象"),
    ]:
        got = orgnet(*asked, env=zh)
        assert got.returncode != 0 and said in got.stderr, (asked, got.stdout, got.stderr)
        assert "Traceback" not in got.stderr
    assert dump(db, provenance=True) == before


def test_the_load_says_which_load_it_recorded(db: Database, tmp_path: Path, cli_env: dict) -> None:
    folder = write_dataset(tmp_path / "first", dated())
    said = orgnet("load", str(folder), env={**cli_env, "ORGNET_LANG": "zh"}, check=True)
    assert "记为第 1 批导入" in said.stdout + said.stderr
    assert records(db)[0].command.startswith("orgnet load ")


def test_what_one_load_did_thing_by_thing(db: Database, first: Path, tmp_path: Path) -> None:
    _correct(db, tmp_path)
    did = load_changes(db, 2)
    assert (did.number, did.by, did.status) == (2, "李四@区委组织部", "done")
    record = records(db)[0]
    assert [(t.table, t.created, t.changed, t.cleared) for t in did.tables] == [
        (t.table, t.created, t.changed, t.cleared) for t in record.tables
    ]
    rows = {(c.action, c.id, c.link, c.other_id, c.file_row) for c in did.changes}
    assert ("created", "E8", None, None, "estates.csv:2") in rows
    assert ("changed", "P-a", None, None, "persons.csv:2") in rows
    assert ("cleared", "P-c", "LIVES_IN", "B3", "persons.csv:3") in rows
    assert ("created", "P-c", "LIVES_IN", "B2", "persons.csv:3") in rows
    assert did.shown == len(did.changes) and did.shown <= did.total
    # Ordered by file, then row as a number (persons.csv:10 after persons.csv:9).
    at = [(c.file_row or "").split(":") for c in did.changes]
    assert at == sorted(at, key=lambda a: (a[0], int(a[-1]) if a[-1].isdigit() else 0))
    with pytest.raises(NotFound):
        load_changes(db, 9)


def test_loads_and_history_over_http_keep_to_the_key(
    db: Database, first: Path, tmp_path: Path, settings: Settings
) -> None:
    """/v1/loads for an admin; /v1/entities/{id}/history for an analyst, within their
    jurisdiction: a link to something outside keeps its type only, a person's name and phone
    shown in clear only with the personal-data right."""
    _correct(db, tmp_path)  # PC2 moved from PS (district D1) under PS2 (D2)
    home = tmp_path / "api"
    keys = Keys(home)
    token = {
        name: keys.create(role=role, jurisdiction=where, personal_data=pd, name=name)[1]
        for name, role, where, pd in [
            ("admin", "admin", "all", False),
            ("viewer", "viewer", "all", True),
            ("d2", "analyst", "D2", False),
            ("pd", "analyst", "all", True),
        ]
    }
    app = create_app(settings.model_copy(update={"orgnet_api_home": home}))
    with TestClient(app) as client:

        def get(who: str, url: str) -> Any:
            return client.get(url, headers={"X-API-Key": token[who]})

        listed = get("admin", "/v1/loads")
        assert listed.status_code == 200, listed.text
        assert [r["number"] for r in listed.json()["loads"]] == [2, 1]
        assert get("viewer", "/v1/loads").status_code == 403
        one = get("admin", "/v1/loads/2")
        assert one.status_code == 200 and one.json()["number"] == 2
        assert get("viewer", "/v1/loads/2").status_code == 403
        assert get("admin", "/v1/loads/9").status_code == 404
        assert get("admin", "/v1/loads/0").status_code == 422
        assert get("viewer", "/v1/entities/P-a/history").status_code == 403
        # Inside D2 since the correction: PC2, whose old parent PS (D1) is withheld.
        moved = get("d2", "/v1/entities/PC2/history")
        assert moved.status_code == 200, moved.text
        body = moved.json()
        assert body["entity"]["id"] == "PC2"
        old = [r for r in body["link_changes"] if r["action"] == "cleared"]
        assert old and all(r["other_id"] is None and r["other_name"] is None for r in old)
        assert "PS党组织" not in moved.text and '"PS"' not in moved.text
        assert any(r["other_id"] == "PS2" for r in body["link_changes"])
        assert get("d2", "/v1/entities/P-a/history").status_code == 404  # outside D2
        # A person of D2: name shortened and phone masked, unless the key may read them.
        masked = get("d2", "/v1/entities/P-E4/history")
        assert masked.status_code == 200 and masked.headers["cache-control"] == "no-store"
        mine = {r["what"]: r["after"] for r in masked.json()["property_changes"]}
        assert mine["name"] == shorten_name("人员P-E4") and "人员P-E4" not in masked.text
        clear = {r["what"]: r["after"] for r in get("pd", "/v1/entities/P-a/history").json()[
            "property_changes"] if r["load"] == 2}  # fmt: skip
        assert clear == {"phone": "13800000099"}
        assert get("pd", "/v1/entities/NOBODY/history").status_code == 404
