"""Rows that a busy office produces: the same relationship twice, cells emptied in a later
roster, a parent and a child swapped in one load, chains of orgs thousands deep. Each is either
refused at its file, row and column with the graph unchanged to the last property, or written
exactly as the rows say — whatever order they come in."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from orgnet.graph.connection import Database
from orgnet.graph.errors import ValidationFailed
from orgnet.loaders.load import load_dataset

from .datasets import street_with_two_communities
from .dump import dump, wipe, write_dataset
from .hostile import problems_of


@pytest.fixture
def loaded(db: Database, tmp_path: Path) -> Database:
    load_dataset(db, write_dataset(tmp_path / "base", street_with_two_communities()))
    return db


@pytest.mark.parametrize(
    ("table", "row"),
    [
        ("posts", {"person_id": "P1", "org_id": "O-E1", "role": "书记", "since": "2015-03-01"}),
        ("management", {"firm_id": "F1", "estate_id": "E1", "since": "2010-01-01"}),
        ("pairings", {"unit_id": "U1", "target_id": "C1", "since": "2020-01-01"}),
        ("reports", {"person_id": "P3", "community_id": "C2", "since": "2019-01-01"}),
        ("liaisons", {"liaison_id": "U1", "target_id": "C1", "scheme": "包联区直单位"}),
    ],
)
def test_one_relationship_is_one_row(db: Database, tmp_path: Path, table: str, row: dict) -> None:
    files = street_with_two_communities()
    files[table].append(row)  # the same two ends (and role) as the table's first row
    problems = problems_of(db, write_dataset(tmp_path / "twice", files))
    assert problems == [(f"{table}.csv", len(files[table]) + 1, "", "repeated_link")]
    # The same, shuffled: still refused (at whichever of the two comes second).
    random.Random(3).shuffle(files[table])
    shuffled = problems_of(db, write_dataset(tmp_path / "shuffled", files))
    assert [p[3] for p in shuffled] == ["repeated_link"]


def test_a_post_of_another_role_is_another_post(db: Database, tmp_path: Path) -> None:
    files = street_with_two_communities()
    files["posts"].append({"person_id": "P1", "org_id": "O-E1", "role": "committee_member"})
    load_dataset(db, write_dataset(tmp_path / "two", files))
    roles = db.read("MATCH (:Person {id: 'P1'})-[h:HOLDS]->(:PartyOrg {id: 'O-E1'}) "
                    "RETURN h.role AS role ORDER BY role")  # fmt: skip
    assert [r["role"] for r in roles] == ["committee_member", "secretary"]


def test_the_order_of_the_rows_never_matters(db: Database, tmp_path: Path) -> None:
    files = street_with_two_communities()
    load_dataset(db, write_dataset(tmp_path / "as_is", files))
    as_written = dump(db)
    for seed in (1, 2):
        wipe(db)
        shuffled = {name: list(rows) for name, rows in files.items()}
        for rows in shuffled.values():
            random.Random(seed).shuffle(rows)
        load_dataset(db, write_dataset(tmp_path / f"shuffled{seed}", shuffled))
        assert dump(db) == as_written


def test_an_emptied_membership_date_clears_it_even_without_the_org_column(
    loaded: Database, tmp_path: Path
) -> None:
    files = street_with_two_communities()
    files["persons"][0]["member_since"] = "2021-03-01"
    load_dataset(loaded, write_dataset(tmp_path / "dated", files))
    since = "MATCH (:Person {id: 'P1'})-[m:MEMBER_OF]->(o) RETURN m.since AS since, o.id AS org"
    assert loaded.read(since) == [{"since": "2021-03-01", "org": "O-E1"}]
    later = {"persons": [{"id": "P1", "name": "张伟", "member_since": ""}]}  # no party_org_id
    load_dataset(loaded, write_dataset(tmp_path / "emptied", later))
    assert loaded.read(since) == [{"since": None, "org": "O-E1"}]


def test_an_emptied_kept_column_clears_it(loaded: Database, tmp_path: Path) -> None:
    first = {"estates": [{"id": "E1", "name": "和平小区", "community_id": "C1", "物业费": "1.2"}]}
    summary = load_dataset(loaded, write_dataset(tmp_path / "kept", first), keep_extra=True)
    assert [n.code for n in summary.notices] == ["kept_column"]
    fee = "MATCH (e:Estate {id: 'E1'}) RETURN e.物业费 AS fee"
    assert loaded.read(fee) == [{"fee": "1.2"}]
    emptied = {"estates": [{"id": "E1", "name": "和平小区", "community_id": "C1", "物业费": ""}]}
    load_dataset(loaded, write_dataset(tmp_path / "emptied", emptied), keep_extra=True)
    assert loaded.read(fee) == [{"fee": None}]


def test_a_parent_and_its_child_swapped_in_one_load(loaded: Database, tmp_path: Path) -> None:
    # Stored: O-E1 reports to O-C1. This load empties O-E1's parent and puts O-C1 under it.
    orgs = {
        "party_orgs": [
            {"id": "O-C1", "name": "和平社区大党委", "type": "committee", "level": "community",
             "parent_id": "O-E1"},
            {"id": "O-E1", "name": "和平康乐联合党支部", "type": "branch", "level": "estate",
             "parent_id": ""},
        ]
    }  # fmt: skip
    load_dataset(loaded, write_dataset(tmp_path / "swapped", orgs))
    parent = "MATCH (:PartyOrg {id: $id})-[:REPORTS_TO]->(p) RETURN p.id AS parent"
    assert loaded.read(parent, {"id": "O-C1"}) == [{"parent": "O-E1"}]
    assert loaded.read(parent, {"id": "O-E1"}) == []


def test_a_cycle_through_the_stored_chain_is_still_refused(
    loaded: Database, tmp_path: Path
) -> None:
    # Stored: O-E1 → O-C1 → O-S1. Putting O-S1 under O-E1 closes the loop through two stored
    # links.
    orgs = {"party_orgs": [{"id": "O-S1", "name": "新建路街道大工委", "type": "working_committee",
                            "level": "street", "parent_id": "O-E1"}]}  # fmt: skip
    problems = problems_of(loaded, write_dataset(tmp_path / "loop", orgs))
    assert problems == [("party_orgs.csv", 2, "parent_id", "reports_to_cycle")]


def test_a_chain_thousands_deep_is_checked_in_one_walk(db: Database, tmp_path: Path) -> None:
    # 3,000 orgs each under the next, and the last under the first: one cycle, found and named
    # at its first row. (Walked once, the check is linear: the chain of the tests of an earlier
    # round took a minute at 2,000.)
    depth = 3_000
    orgs = [
        {"id": f"O{i:05d}", "name": f"支部{i}", "type": "branch", "level": "unit",
         "parent_id": f"O{(i + 1) % depth:05d}"}
        for i in range(depth)
    ]  # fmt: skip
    files = {"regions": street_with_two_communities()["regions"], "party_orgs": orgs}
    problems = problems_of(db, write_dataset(tmp_path / "deep", files), dry_run=True)
    assert problems == [("party_orgs.csv", 2, "parent_id", "reports_to_cycle")]
    orgs[-1]["parent_id"] = ""
    summary = load_dataset(db, write_dataset(tmp_path / "chain", files), dry_run=True)
    assert summary.rows_by_table["party_orgs"] == depth


class _SavingMeanwhile:
    """A progress reporter that, when writing begins, does what a clerk does in Excel: appends
    two rows to the roster being loaded (a second home for P1, a person living in an estate)."""

    def __init__(self, persons: Path) -> None:
        self.persons = persons

    def phase(self, name: str, total: int) -> None:
        if name == "writing":
            with self.persons.open("a", encoding="utf-8") as f:
                f.write("P1,张伟,是,居民党员,O-E1,B2,,\nP9,钱多多,否,,,E1,,\n")

    def advance(self, rows: int) -> None:
        pass


def test_a_roster_saved_while_it_is_written_changes_nothing_of_the_load(
    db: Database, tmp_path: Path
) -> None:
    files = street_with_two_communities()
    load_dataset(db, write_dataset(tmp_path / "clean", files))
    as_checked = dump(db)
    wipe(db)
    folder = write_dataset(tmp_path / "busy", files)
    load_dataset(db, folder, reporter=_SavingMeanwhile(folder / "persons.csv"))
    assert dump(db) == as_checked
    assert "P9" in (folder / "persons.csv").read_text()  # the clerk's file is theirs, as saved
    assert not any((db.home / "loading").iterdir())  # the copy is gone


# -- what no roster can mean ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "change", "expected"),
    [
        # A grid leader of an estate; a secretary of an owners' committee.
        ("posts", {0: {"org_id": "E1", "role": "grid_leader"}}, ("posts.csv", 2, "role")),
        ("posts", {1: {"role": "secretary"}}, ("posts.csv", 3, "role")),
        # A membership moved into its org before the person joined the party.
        ("persons", {0: {"joined_party": "2015-06-01", "member_since": "2014-01-01"}},
         ("persons.csv", 2, "member_since")),
        # Joined before eighteen (or before being born).
        ("persons", {0: {"birth_year": "2001", "joined_party": "2015-06-01"}},
         ("persons.csv", 2, "joined_party")),
        # A term begun before the org was founded.
        ("party_orgs", {2: {"term_start": "2020-01-01"}}, ("party_orgs.csv", 4, "term_start")),
        # A pairing that ends the day it begins: current on no day.
        ("pairings", {0: {"since": "2022-01-01", "until": "2022-01-01"}},
         ("pairings.csv", 2, "until")),
        # A secretary whose row says the person is no party member (P2 is not).
        ("posts", {0: {"person_id": "P2"}}, ("posts.csv", 2, "person_id")),
    ],
)  # fmt: skip
def test_what_no_roster_can_mean_is_refused_at_its_cell(
    loaded: Database, tmp_path: Path, table: str, change: dict, expected: tuple
) -> None:
    files = street_with_two_communities()
    for index, values in change.items():
        files[table][index].update(values)
    problems = problems_of(loaded, write_dataset(tmp_path / "odd", files))
    assert [p[:3] for p in problems] == [expected], problems


def test_past_a_thousand_problems_of_a_kind_the_rest_are_counted(
    db: Database, tmp_path: Path
) -> None:
    persons = [{"id": f"P{i:05d}", "name": f"人{i}", "phone": "not a phone"} for i in range(1_500)]
    files = {"regions": street_with_two_communities()["regions"], "persons": persons}
    with pytest.raises(ValidationFailed) as failed:
        load_dataset(None, write_dataset(tmp_path / "many", files), dry_run=True)
    problems = failed.value.problems
    assert [p.code for p in problems].count("bad_phone") == 1_000
    [more] = [p for p in problems if p.code == "more_problems"]
    assert "500 more problems of the kind bad_phone" in more.text("en")
    assert "另有 500 处同类问题" in more.text("zh")


def test_a_duplicate_names_the_first_row_that_defined_its_id(db: Database, tmp_path: Path) -> None:
    """The first definitions are read again after the pass (the pass keeps no row per id):
    each duplicate names its own first row, in another file or a later row of its own, and
    past a thousand they are counted."""
    files = street_with_two_communities()
    people = [{"id": f"Q{i:04d}", "name": f"人{i}"} for i in range(1_200)]
    files["persons"] = [*files["persons"], *people, *people, {"id": "E2", "name": "同号"}]
    first: dict[str, int] = {}
    for number, person in enumerate(files["persons"], start=2):
        first.setdefault(person["id"], number)
    with pytest.raises(ValidationFailed) as failed:
        load_dataset(None, write_dataset(tmp_path / "twice", files), dry_run=True)
    duplicates = [p for p in failed.value.problems if p.code == "duplicate_id"]
    assert len(duplicates) == 1_000
    for found in duplicates:
        if found.value == "E2":
            assert "first defined at estates.csv:3 as a Estate" in found.text("en")
            continue
        assert found.row == first[found.value] + len(people)
        assert f"first defined at persons.csv:{first[found.value]} as a Person" in found.text("en")
    [more] = [p for p in failed.value.problems if p.code == "more_problems"]
    assert "201 more problems of the kind duplicate_id" in more.text("en")


def test_residents_of_an_estate_of_no_households_in_the_same_load_name_its_row(
    loaded: Database, tmp_path: Path
) -> None:
    estates = [
        {"id": "E1", "name": "阳光小区", "community_id": "C1", "households": "120"},
        {"id": "E2", "name": "康乐小区", "community_id": "C2", "households": "0"},
    ]
    mover = {"id": "P3", "name": "王强", "building_id": "B2"}
    folder = write_dataset(tmp_path / "both", {"estates": estates, "persons": [mover]})
    summary = load_dataset(loaded, folder)
    said = [(n.file, n.row, n.column, n.code) for n in summary.notices]
    assert said == [("estates.csv", 3, "households", "residents_without_households")]


def test_a_secretary_stored_as_no_member_is_refused_and_one_made_a_member_is_not(
    loaded: Database, tmp_path: Path
) -> None:
    """The graph as it will be: the stored party membership, unless the load's row says it."""
    post = {"person_id": "P2", "org_id": "O-E1", "role": "副书记", "since": "2024-01-01"}
    problems = problems_of(loaded, write_dataset(tmp_path / "post", {"posts": [post]}))
    assert problems == [("posts.csv", 2, "person_id", "post_needs_member")]
    made_member = {"id": "P2", "name": "李娜", "party_member": "是"}
    folder = write_dataset(tmp_path / "both", {"persons": [made_member], "posts": [post]})
    load_dataset(loaded, folder)
    rows = loaded.read(
        "MATCH (:Person {id: 'P2'})-[h:HOLDS]->(:PartyOrg {id: 'O-E1'}) RETURN h.role AS role"
    )
    assert rows == [{"role": "deputy_secretary"}]


def test_a_post_at_a_stored_place_is_checked_as_one_at_a_place_of_the_roster(
    loaded: Database, tmp_path: Path
) -> None:
    """A post is checked at its row when the roster names all it reads, else after the pass
    against the database: both say the same."""
    leader = {"person_id": "P1", "org_id": "O-E1", "role": "grid_leader", "since": "2024-01-01"}
    problems = problems_of(loaded, write_dataset(tmp_path / "stored", {"posts": [leader]}))
    assert problems == [("posts.csv", 2, "role", "post_not_held_there")]
    files = street_with_two_communities()
    files["posts"] = [leader]
    problems = problems_of(loaded, write_dataset(tmp_path / "roster", files))
    assert problems == [("posts.csv", 2, "role", "post_not_held_there")]


def test_an_org_of_a_type_not_below_its_parent_s_is_loaded_said_and_listed_by_rules(
    loaded: Database, tmp_path: Path
) -> None:
    """A notice, not a problem: real rosters carry such parents, and the department wants them
    found (rules lists them), not the roster refused."""
    from orgnet.queries.coverage import rules

    group = {"id": "O-Q1", "name": "1号楼党小组", "type": "党小组", "level": "building",
             "parent_id": "O-E1", "covers": "B1"}  # fmt: skip
    committee = {"id": "O-X", "name": "某党委", "type": "committee", "level": "unit",
                 "parent_id": "O-Q1"}  # fmt: skip
    summary = load_dataset(
        loaded, write_dataset(tmp_path / "odd", {"party_orgs": [group, committee]})
    )
    said = [(n.file, n.row, n.column, n.code) for n in summary.notices]
    assert said == [("party_orgs.csv", 3, "parent_id", "type_not_below_parent")]
    assert "党委隶属于党小组" in summary.notices[0].text("zh")
    listed = [(r.org_id, r.type, r.parent_type, r.problem) for r in rules(loaded).integrity]
    assert ("O-X", "committee", "group", "type_not_below_parent") in listed
    # Its parent stored, the next load of the org alone says it again.
    again = load_dataset(loaded, write_dataset(tmp_path / "again", {"party_orgs": [committee]}))
    assert [n.code for n in again.notices] == ["type_not_below_parent"]


def test_residents_of_an_estate_of_no_households_are_loaded_and_said(
    loaded: Database, tmp_path: Path
) -> None:
    """A notice: the households are the roster's count, often stale; the people are real."""
    estate = {"id": "E2", "name": "康乐小区", "community_id": "C2", "households": "0"}
    summary = load_dataset(loaded, write_dataset(tmp_path / "zero", {"estates": [estate]}))
    assert summary.notices == []  # nobody of this load lives there
    mover = {"id": "P3", "name": "王强", "building_id": "B2"}
    summary = load_dataset(loaded, write_dataset(tmp_path / "move", {"persons": [mover]}))
    said = [(n.file, n.row, n.column, n.code) for n in summary.notices]
    assert said == [("persons.csv", 2, "building_id", "residents_without_households")]
    assert "小区 E2" in summary.notices[0].text("zh")
    assert loaded.read("MATCH (:Person {id: 'P3'})-[:LIVES_IN]->(b) RETURN b.id AS b") == [
        {"b": "B2"}
    ]
