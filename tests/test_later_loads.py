"""A later roster corrects an earlier one: an emptied one-target reference lets go of its link
(docs/import.md, "Later loads"), a person marked as not a member lets go of their membership,
and the questions count what the graph now says."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgnet.graph.connection import Database
from orgnet.graph.errors import ValidationFailed
from orgnet.loaders.load import load_dataset
from orgnet.queries.coverage import census

from .datasets import street_with_two_communities
from .dump import dump, write_dataset


def _first(db: Database, tmp_path: Path) -> None:
    load_dataset(db, write_dataset(tmp_path / "first", street_with_two_communities()))


def _later(db: Database, tmp_path: Path, files: dict[str, list[dict]]):
    return load_dataset(db, write_dataset(tmp_path / "later", files))


def _targets(db: Database, source: str, rel: str) -> list[str]:
    rows = db.read(
        f"MATCH (:Entity {{id: $id}})-[:{rel}]->(t) RETURN t.id AS id ORDER BY id", {"id": source}
    )
    return [r["id"] for r in rows]


def test_an_emptied_party_org_lets_go_of_the_membership(db: Database, tmp_path: Path) -> None:
    _first(db, tmp_path)
    assert _targets(db, "P1", "MEMBER_OF") == ["O-E1"]
    assert census(db, "D1").total_members == 1
    summary = _later(
        db,
        tmp_path,
        {"persons": [{"id": "P1", "name": "张伟", "party_member": "是", "party_org_id": ""}]},
    )
    assert _targets(db, "P1", "MEMBER_OF") == []
    assert summary.relationships_replaced["MEMBER_OF"] == 1
    assert census(db, "D1").total_members == 0  # no longer counted


def test_a_person_marked_as_no_member_lets_go_even_without_the_column(
    db: Database, tmp_path: Path
) -> None:
    _first(db, tmp_path)
    _later(db, tmp_path, {"persons": [{"id": "P1", "name": "张伟", "party_member": "否"}]})
    assert _targets(db, "P1", "MEMBER_OF") == []
    person = db.read("MATCH (p:Person {id: 'P1'}) RETURN properties(p) AS p")[0]["p"]
    assert person["party_member"] is False and "member_category" not in person
    assert _targets(db, "P1", "LIVES_IN") == ["B1"]  # what the row does not speak of stays


def test_a_non_member_given_a_party_org_is_a_contradiction(db: Database, tmp_path: Path) -> None:
    _first(db, tmp_path)
    before = dump(db)
    with pytest.raises(ValidationFailed) as failure:
        _later(
            db,
            tmp_path,
            {
                "persons": [
                    {"id": "P1", "name": "张伟", "party_member": "否", "party_org_id": "O-E1"}
                ]
            },
        )
    assert [str(p) for p in failure.value.problems] == [
        "persons.csv:2:party_org_id: O-E1 — a non-member has a party organization "
        "(clear the party organization, or mark the person as a party member)"
    ]
    assert dump(db) == before


@pytest.mark.parametrize(
    ("file", "row", "column", "source", "rel", "was"),
    [
        ("persons", {"id": "P1", "name": "张伟"}, "building_id", "P1", "LIVES_IN", ["B1"]),
        ("persons", {"id": "P3", "name": "王强"}, "employer_id", "P3", "WORKS_AT", ["U1"]),
        (
            "buildings",
            {"id": "B1", "name": "1号楼", "estate_id": "E1"},
            "grid_id",
            "B1",
            "IN_GRID",
            ["G1"],
        ),
        (
            "units",
            {"id": "U1", "name": "区教育局", "kind": "agency"},
            "street_id",
            "U1",
            "LOCATED_IN",
            ["S1"],
        ),
        (
            "party_orgs",
            {"id": "O-E1", "name": "和平康乐联合党支部", "type": "branch", "level": "estate"},
            "parent_id",
            "O-E1",
            "REPORTS_TO",
            ["O-C1"],
        ),
    ],
    ids=["building_id", "employer_id", "grid_id", "street_id", "parent_id"],
)
def test_an_emptied_one_target_reference_lets_go_of_its_link(
    db: Database,
    tmp_path: Path,
    file: str,
    row: dict,
    column: str,
    source: str,
    rel: str,
    was: list[str],
) -> None:
    _first(db, tmp_path)
    assert _targets(db, source, rel) == was
    _later(db, tmp_path, {file: [dict(row, **{column: ""})]})
    assert _targets(db, source, rel) == []
    # Loading the same again changes nothing more.
    once = dump(db)
    _later(db, tmp_path, {file: [dict(row, **{column: ""})]})
    assert dump(db) == once


def test_a_file_without_the_column_leaves_the_link(db: Database, tmp_path: Path) -> None:
    _first(db, tmp_path)
    _later(db, tmp_path, {"persons": [{"id": "P1", "name": "张伟", "phone": "13800000009"}]})
    assert _targets(db, "P1", "LIVES_IN") == ["B1"]
    assert _targets(db, "P1", "MEMBER_OF") == ["O-E1"]


def test_an_org_let_go_of_its_parent_no_longer_serves_above(db: Database, tmp_path: Path) -> None:
    # O-E1 covers E1 and E2 itself, so it still serves their communities, street and district;
    # O-C1 (covering C1) and O-S1 keep theirs. What goes is REPORTS_TO, and rules then see a
    # root at the estate level (hierarchy integrity).
    from orgnet.queries.coverage import rules

    _first(db, tmp_path)
    _later(
        db,
        tmp_path,
        {
            "party_orgs": [
                {
                    "id": "O-E1",
                    "name": "和平康乐联合党支部",
                    "type": "branch",
                    "level": "estate",
                    "parent_id": "",
                }
            ]
        },
    )
    assert _targets(db, "O-E1", "SERVES") == ["C1", "C2", "D1", "S1"]
    problems = rules(db, "D1").integrity
    assert [(p.org_id, p.problem) for p in problems] == [("O-E1", "no_parent")]
