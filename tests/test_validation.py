"""Each validation rule of DESIGN §3, triggered by a file that breaks it, against the real engine.

Every failing load must name file, row and column, and must write nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from orgnet.graph.connection import Database
from orgnet.graph.errors import ValidationFailed
from orgnet.graph.model import DERIVED_PROPERTY_NAMES
from orgnet.loaders.load import load_dataset

from .datasets import street_with_two_communities
from .dump import count, orgnet, write_dataset

Files = dict[str, list[dict]]


def _set(file: str, index: int, **values: str) -> Callable[[Files], None]:
    def mutate(files: Files) -> None:
        files[file][index].update(values)

    return mutate


def _add(file: str, **row: str) -> Callable[[Files], None]:
    def mutate(files: Files) -> None:
        files[file].append(row)

    return mutate


def _drop_column(file: str, column: str) -> Callable[[Files], None]:
    def mutate(files: Files) -> None:
        for row in files[file]:
            row.pop(column, None)

    return mutate


CASES = {
    "missing required value": (
        _set("estates", 0, name=""),
        "estates.csv:2:name: (empty) — missing required value",
    ),
    "required column missing": (
        _drop_column("estates", "community_id"),
        "estates.csv:1:community_id: (empty) — required column missing",
    ),
    "duplicate id across files": (
        _add("estates", id="C1", name="重名小区", community_id="C1"),
        "estates.csv:4:id: C1 — duplicate id (first defined at regions.csv:4 as a Community)",
    ),
    "unknown enum, closest suggested": (
        _set("estates", 0, property_status="有物亚"),
        "estates.csv:2:property_status: 有物亚 — unknown property_status "
        "(did you mean managed (有物业)?)",
    ),
    "unknown enum in English": (
        _set("party_orgs", 2, type="brnch"),
        "party_orgs.csv:4:type: brnch — unknown org_type (did you mean branch (党支部)?)",
    ),
    "reference to nothing": (
        _set("buildings", 1, grid_id="G9"),
        "buildings.csv:3:grid_id: G9 — unknown id: exists neither in the dataset nor in the "
        "database (expected a Grid)",
    ),
    "wrong parent kind": (
        _set("estates", 1, community_id="S1"),
        "estates.csv:3:community_id: S1 — names a Street; expected a Community",
    ),
    "grid under a street": (
        _set("regions", 4, parent_id="S1"),
        "regions.csv:6:parent_id: S1 — names a Street; expected a Community",
    ),
    "a district with a parent": (
        _set("regions", 0, parent_id="S1"),
        "regions.csv:2:parent_id: S1 — a district has no parent",
    ),
    "reports-to cycle": (
        _set("party_orgs", 0, parent_id="O-E1"),
        "party_orgs.csv:2:parent_id: O-E1 — REPORTS_TO cycle: O-S1 → O-E1 → O-C1 → O-S1",
    ),
    "non-member with a member category": (
        _set("persons", 1, member_category="retired"),
        "persons.csv:3:member_category: retired — a non-member has a member category",
    ),
    "negative count": (
        _set("buildings", 0, households="-5"),
        "buildings.csv:2:households: -5 — negative count",
    ),
    "unparsable date": (
        _set("posts", 0, since="去年春天"),
        "posts.csv:2:since: 去年春天 — unparsable date",
    ),
    "impossible date": (
        _set("management", 0, since="2023-02-30"),
        "management.csv:2:since: 2023-02-30 — not a calendar date",
    ),
    "a post that ends before it starts": (
        _set("posts", 0, until="2020-12-31"),
        "posts.csv:2:until: 2020-12-31 — ends before it starts (2021-03-01): never current",
    ),
    "a membership date without an org": (
        _set("persons", 2, member_since="2023-01"),
        "persons.csv:4:member_since: 2023-01 — a membership date without a party organization",
    ),
    "a region that is not one": (
        _set("party_orgs", 0, region_id="E1"),
        "party_orgs.csv:2:region_id: E1 — names an Estate; expected a District or a Street or "
        "a Community",
    ),
    "a term of no years": (
        _set("party_orgs", 1, term_years="0"),
        "party_orgs.csv:3:term_years: 0 — below 1",
    ),
    "an org dissolved before it was founded": (
        _set("party_orgs", 1, founded="2015-06-01", dissolved="2015年3月1日"),
        "party_orgs.csv:3:dissolved: 2015年3月1日 — dissolved before it was founded (2015-06-01): "
        "it never existed",
    ),
    "a committee dissolved the day it was founded": (
        _set("owners_committees", 0, founded="2020-01", dissolved="2020-01"),
        "owners_committees.csv:2:dissolved: 2020-01 — dissolved before it was founded",
    ),
    "a dated cover that ends before it begins": (
        _add("covers", org_id="O-C1", target_id="E1", since="2020-01-01", until="2019-01-01"),
        "covers.csv:2:until: 2019-01-01 — ends before it starts (2020-01-01): never current",
    ),
    "a cover of nothing": (
        _add("covers", org_id="O-C1", target_id="U1", since="2020-01-01"),
        "covers.csv:2:target_id: U1 — names a Unit",
    ),
    "a form with no date": (
        _add("org_history", org_id="O-C1", since="", type="branch", level="estate"),
        "org_history.csv:2:since: (empty) — missing required value",
    ),
    "a form of no known type": (
        _add("org_history", org_id="O-C1", since="2010-03", type="党支布", level="estate"),
        "org_history.csv:2:type: 党支布 — unknown org_type (did you mean branch (党支部)?)",
    ),
    "a form of an org that is not one": (
        _add("org_history", org_id="E1", since="2010-01", type="党支部", level="小区"),
        "org_history.csv:2:org_id: E1 — names an Estate; expected a PartyOrg",
    ),
    "two forms on one day": (
        lambda files: files["org_history"].extend(
            [
                {"org_id": "O-C1", "since": "2010-01-01", "type": "branch", "level": "estate"},
                {
                    "org_id": "O-C1",
                    "since": "2010-01-01",
                    "type": "committee",
                    "level": "community",
                },
            ]
        ),
        "org_history.csv:3:",
    ),
    "unit liaising with an estate": (
        _set("liaisons", 0, target_id="E1"),
        "liaisons.csv:2:target_id: E1 — a unit liaises with a community; this names an Estate",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_each_rule_reports_file_row_column_and_writes_nothing(
    case: str, db: Database, tmp_path: Path
) -> None:
    mutate, expected = CASES[case]
    files = street_with_two_communities()
    files.setdefault("covers", [])
    files.setdefault("org_history", [])
    mutate(files)
    write_dataset(tmp_path, files)
    with pytest.raises(ValidationFailed) as failure:
        load_dataset(db, tmp_path)
    problems = [str(p) for p in failure.value.problems]
    assert any(p.startswith(expected) for p in problems), problems
    assert count(db) == 0


def test_every_problem_is_reported_not_just_the_first(db: Database, tmp_path: Path) -> None:
    files = street_with_two_communities()
    for name in (
        "missing required value",
        "negative count",
        "unparsable date",
        "wrong parent kind",
    ):
        CASES[name][0](files)
    write_dataset(tmp_path, files)
    with pytest.raises(ValidationFailed) as failure:
        load_dataset(db, tmp_path)
    assert len(failure.value.problems) == 4
    assert count(db) == 0


def test_the_base_dataset_is_valid(db: Database, tmp_path: Path) -> None:
    write_dataset(tmp_path, street_with_two_communities())
    summary = load_dataset(db, tmp_path)
    assert summary.rows == 24
    assert count(db, "(n:Entity)") == 5 + 2 + 2 + 1 + 1 + 3 + 1 + 3
    # Worked out from the files: PART_OF for 4 regions below the district, 2 estates and
    # 2 buildings; the joint branch covers two estates; P1 and P3 live in B1, P2 in B2.
    assert summary.relationships_created == {
        "PART_OF": 8,
        "COVERS": 4,
        "LIVES_IN": 3,
        "REPORTS_TO": 2,
        "HOLDS": 2,
        "IN_GRID": 1,
        "LOCATED_IN": 1,
        "REPRESENTS": 1,
        "MEMBER_OF": 1,
        "WORKS_AT": 1,
        "MANAGES": 1,
        "PAIRED_WITH": 1,
        "REPORTED_TO": 1,
        "LIAISES": 1,
        # Derived: O-S1 serves S1, D1; O-C1 C1, S1, D1; O-E1 C1, C2 (E1, E2), S1, D1.
        "SERVES": 2 + 3 + 4,
    }
    estate = db.read("MATCH (e:Estate {id: 'E1'}) RETURN properties(e) AS p")[0]["p"]
    # Beside what it imported, the steps the loader derives for it (the census reads its
    # unattached steps, the cross question its triad steps: O-E1, its committee and firm).
    derived = {k: estate.pop(k) for k in list(estate) if k in DERIVED_PROPERTY_NAMES}
    assert set(derived) == {
        "unattached_days", "unattached_kinds", "unattached_changes", "triad_days", "triad_states"
    }  # fmt: skip
    assert estate == {
        "id": "E1",
        "name": "和平小区",
        "households": 300,
        "built_year": 1998,
        "property_status": "managed",
        # Its provenance: the first load wrote it, from the estates file's first row.
        "load_created": 1,
        "load_changed": 1,
        "load_source": "estates.csv:2",
    }
    org = db.read("MATCH (o:PartyOrg {id: 'O-E1'}) RETURN properties(o) AS p")[0]["p"]
    assert org["formation"] == "joint" and org["founded"] == "2021-03"


def test_an_id_reused_for_another_kind_in_a_later_load(db: Database, tmp_path: Path) -> None:
    write_dataset(tmp_path / "first", street_with_two_communities())
    load_dataset(db, tmp_path / "first")
    before = count(db)
    write_dataset(
        tmp_path / "second", {"units": [{"id": "E1", "name": "某单位", "kind": "school"}]}
    )
    with pytest.raises(ValidationFailed) as failure:
        load_dataset(db, tmp_path / "second")
    assert [str(p) for p in failure.value.problems] == [
        "units.csv:2:id: E1 — id already names an Estate in the database; ids are unique across "
        "every kind (choose another id for this Unit)"
    ]
    assert count(db) == before


def test_a_later_load_may_reference_what_the_database_holds(db: Database, tmp_path: Path) -> None:
    write_dataset(tmp_path / "first", street_with_two_communities())
    load_dataset(db, tmp_path / "first")
    write_dataset(
        tmp_path / "second",
        {"posts": [{"person_id": "P3", "org_id": "O-C1", "role": "兼职委员", "part_time": "是"}]},
    )
    load_dataset(db, tmp_path / "second")
    held = db.read(
        "MATCH (:Person {id: 'P3'})-[h:HOLDS]->(o) RETURN o.id AS org, h.role AS role, "
        "h.part_time AS part_time"
    )
    assert held == [{"org": "O-C1", "role": "part_time_member", "part_time": True}]


def test_a_cycle_through_the_database_is_caught(db: Database, tmp_path: Path) -> None:
    write_dataset(tmp_path / "first", street_with_two_communities())
    load_dataset(db, tmp_path / "first")
    # O-S1 now to report to O-E1, which (stored) reports to O-C1, which reports to O-S1.
    write_dataset(
        tmp_path / "second",
        {
            "party_orgs": [
                {
                    "id": "O-S1",
                    "name": "新建路街道大工委",
                    "type": "working_committee",
                    "level": "street",
                    "parent_id": "O-E1",
                }
            ]
        },
    )
    with pytest.raises(ValidationFailed) as failure:
        load_dataset(db, tmp_path / "second")
    assert "REPORTS_TO cycle: O-S1 → O-E1 → O-C1 → O-S1" in str(failure.value.problems[0])


def test_the_command_prints_problems_and_exits_non_zero(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    files = street_with_two_communities()
    CASES["negative count"][0](files)
    write_dataset(tmp_path, files)
    done = orgnet("load", str(tmp_path), "--lang", "en", env=cli_env)
    assert done.returncode == 3
    assert "buildings.csv:2:households: -5 — negative count" in done.stderr
    assert "nothing was written" in done.stderr
    assert count(db) == 0
    # In Chinese by default, the column named as the template heads it.
    done = orgnet("load", str(tmp_path), env=cli_env)
    assert done.returncode == 3
    assert "buildings.csv:2:户数: -5 — 数量不能为负数" in done.stderr
    assert "数据集中有 1 处问题，未写入任何数据" in done.stderr
    assert count(db) == 0
