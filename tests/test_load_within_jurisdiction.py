"""A load limited to a jurisdiction (an upload by an admin key of a street or a community)
creates and changes only what lies inside it, against the real engine and the hand-built city
(tests/city.py: streets S1 and S2, communities C1 and C2 in S1, C3 in S2).

Each refusal is at its file, row and column, says nothing of what lies outside (an id outside
is refused in the very words of an id that does not exist), and leaves the graph as it was —
compared whole. What the load places inside by the rule of loaders/reach is found inside by the
questions' own rule (inside_jurisdiction.cypher) once it is written.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from orgnet.api.keys import Keys
from orgnet.api.server import create_app
from orgnet.graph.connection import Database
from orgnet.graph.errors import ValidationFailed
from orgnet.graph.settings import Settings
from orgnet.loaders.load import load_dataset
from orgnet.loaders.reach import Jurisdiction
from orgnet.queries.catalog import run

from .city import city
from .dump import dump, wipe, write_dataset

TODAY = dt.date.today().isoformat()


@pytest.fixture
def loaded(db: Database, tmp_path: Path) -> Database:
    load_dataset(db, write_dataset(tmp_path / "city", city()))
    return db


def within(db: Database, region: str) -> Jurisdiction:
    """The jurisdiction as the API builds it: inside as the questions say, today."""

    def inside(ids: list[str]) -> set[str]:
        rows = run(db, "inside_jurisdiction", ids=ids, jurisdiction=region, as_of=TODAY)
        return {r["id"] for r in rows}

    return Jurisdiction(region, inside)


def refused(db: Database, folder: Path, region: str) -> list[tuple[str, int, str, str]]:
    """The problems of loading ``folder`` within ``region`` (file, row, column, code); the graph
    unchanged, whole."""
    before = dump(db)
    with pytest.raises(ValidationFailed) as failed:
        load_dataset(db, folder, within=within(db, region))
    assert dump(db) == before
    return [(p.file, p.row, p.column, p.code) for p in failed.value.problems]


def _dataset(tmp_path: Path, name: str, files: dict[str, list[dict]]) -> Path:
    return write_dataset(tmp_path / name, files)


def test_a_row_of_something_outside_is_refused_at_its_id(loaded: Database, tmp_path: Path) -> None:
    # P-C3 lives in C3 (S2): a key of S1 may not rename them, nor give them a phone.
    files = {"persons": [{"id": "P-C3", "name": "改名", "phone": "13900000000"}]}
    assert refused(loaded, _dataset(tmp_path, "a", files), "S1") == [
        ("persons.csv", 2, "id", "outside_jurisdiction")
    ]


def test_naming_something_outside_is_refused_as_naming_nothing(
    loaded: Database, tmp_path: Path
) -> None:
    # Every cell names the other street's things, or nothing at all: the same problem for both,
    # and no word of what the id is (a person, a street, an org).
    posts = [
        {"person_id": "P-O1", "org_id": "PC3", "role": "committee_member"},  # an org of S2
        {"person_id": "P-O1", "org_id": "NOPE", "role": "committee_member"},  # nothing
        {"person_id": "P-C3", "org_id": "PC1", "role": "committee_member"},  # a person of S2
        {"person_id": "P-O1", "org_id": "S2", "role": "committee_member"},  # a street
    ]
    problems = refused(loaded, _dataset(tmp_path, "b", {"posts": posts}), "S1")
    assert problems == [
        ("posts.csv", 2, "org_id", "not_in_reach"),
        ("posts.csv", 3, "org_id", "not_in_reach"),
        ("posts.csv", 4, "person_id", "not_in_reach"),
        ("posts.csv", 5, "org_id", "not_in_reach"),
    ]
    with pytest.raises(ValidationFailed) as failed:
        folder = _dataset(tmp_path, "b2", {"posts": posts})
        load_dataset(loaded, folder, within=within(loaded, "S1"), dry_run=True)
    texts = {p.reason("en") for p in failed.value.problems} | {
        p.reason("zh") for p in failed.value.problems
    }
    assert len(texts) == 2  # one sentence, in each language
    assert not any(word in " ".join(texts) for word in ("Person", "Street", "PartyOrg", "人员"))


def test_what_the_load_places_inside_is_inside_once_written(
    loaded: Database, tmp_path: Path
) -> None:
    files = {
        "estates": [{"id": "E9", "name": "新苑", "community_id": "C1"}],
        "buildings": [{"id": "B91", "name": "1号楼", "estate_id": "E9"}],
        "party_orgs": [
            {
                "id": "PQ9",
                "name": "新苑党小组",
                "type": "group",
                "level": "building",
                "covers": "B91",
                "parent_id": "PJ",
            },
        ],
        "units": [{"id": "U9", "name": "市档案馆", "kind": "agency"}],
        "property_firms": [{"id": "F9", "name": "新苑物业"}],
        "owners_committees": [{"id": "OC9", "name": "新苑业委会", "estate_id": "E9"}],
        "persons": [
            {"id": "P-91", "name": "新居民", "building_id": "B91"},
            {"id": "P-92", "name": "新党员", "party_member": "是", "party_org_id": "PQ9"},
            {"id": "P-93", "name": "新网格员"},
        ],
        "posts": [{"person_id": "P-93", "org_id": "G1", "role": "grid_worker"}],
        "pairings": [{"unit_id": "U9", "target_id": "E9", "since": "2024-01-01"}],
        "management": [{"firm_id": "F9", "estate_id": "E9", "since": "2024-01-01"}],
    }
    load_dataset(loaded, _dataset(tmp_path, "c", files), within=within(loaded, "C1"))
    new = ["E9", "B91", "PQ9", "U9", "F9", "OC9", "P-91", "P-92", "P-93"]
    found = run(loaded, "inside_jurisdiction", ids=new, jurisdiction="C1", as_of=TODAY)
    assert {r["id"] for r in found} == set(new)
    # An org that covers nothing belongs to its region: S1 places it for a key of S1 (for
    # one of C1, S1 lies outside).
    sector = {"party_orgs": [{"id": "PR9", "name": "物业行业党委", "type": "committee",
                              "level": "sector", "region_id": "S1"}]}  # fmt: skip
    load_dataset(loaded, _dataset(tmp_path, "c2", sector), within=within(loaded, "S1"))
    found = run(loaded, "inside_jurisdiction", ids=["PR9"], jurisdiction="S1", as_of=TODAY)
    assert [r["id"] for r in found] == ["PR9"]


def test_a_new_entity_the_load_does_not_place_inside_is_refused(
    loaded: Database, tmp_path: Path
) -> None:
    files = {
        "persons": [
            {"id": "P-N1x", "name": "无处安放"},  # nothing places them
            {"id": "P-N2x", "name": "明年任职"},  # a post that begins next year places no one
            {"id": "P-N3x", "name": "外街居民", "building_id": "B71"},  # home outside
        ],
        "posts": [{"person_id": "P-N2x", "org_id": "PC1", "role": "member", "since": "2099-01-01"}],
        "party_orgs": [{"id": "P-ORG", "name": "悬空支部", "type": "branch", "level": "community"}],
        "regions": [{"id": "D9", "name": "新区", "kind": "district", "parent_id": ""}],
    }
    problems = refused(loaded, _dataset(tmp_path, "d", files), "S1")
    assert ("regions.csv", 2, "id", "not_placed") in problems
    assert ("party_orgs.csv", 2, "id", "not_placed") in problems
    assert ("persons.csv", 2, "id", "not_placed") in problems
    assert ("persons.csv", 3, "id", "not_placed") in problems
    assert ("persons.csv", 4, "building_id", "not_in_reach") in problems
    assert ("persons.csv", 4, "id", "not_placed") in problems


def test_a_link_to_outside_may_be_restated_but_not_made_changed_or_ended(
    loaded: Database, tmp_path: Path
) -> None:
    # C1's own row names its street S1, outside a key of C1: restated as it is, it loads.
    row = {"id": "C1", "name": "和平社区（新名）", "kind": "community", "parent_id": "S1"}
    load_dataset(loaded, _dataset(tmp_path, "e", {"regions": [row]}), within=within(loaded, "C1"))
    assert run(loaded, "entity", id="C1")[0]["name"] == "和平社区（新名）"
    # Another street: a change at the other end. None: the link let go of.
    moved = {**row, "parent_id": "S2"}
    assert refused(loaded, _dataset(tmp_path, "f", {"regions": [moved]}), "C1") == [
        ("regions.csv", 2, "parent_id", "not_in_reach"),
        ("regions.csv", 2, "parent_id", "lets_go_outside"),
    ]
    cut = {**row, "parent_id": ""}
    problems = refused(loaded, _dataset(tmp_path, "g", {"regions": [cut]}), "C1")
    assert ("regions.csv", 2, "parent_id", "lets_go_outside") in problems
    # A resident of C1 employed by U4 (a school of S1, paired with nothing: outside C1):
    # restating the employer is nothing; a new employer inside lets go of the one outside.
    keep = {"id": "P-S1", "name": "人员P-S1", "employer_id": "U4"}
    load_dataset(loaded, _dataset(tmp_path, "h0", {"persons": [keep]}))
    load_dataset(loaded, _dataset(tmp_path, "h", {"persons": [keep]}), within=within(loaded, "C1"))
    change = {**keep, "employer_id": "F1"}
    assert refused(loaded, _dataset(tmp_path, "i", {"persons": [change]}), "C1") == [
        ("persons.csv", 2, "employer_id", "lets_go_outside")
    ]


def test_a_post_in_an_org_outside_is_restated_only_as_it_is(
    loaded: Database, tmp_path: Path
) -> None:
    # P-W1 lives in C1 and is the secretary of PW1, the street's working committee (outside
    # C1). A key of C1 may restate the post as it is, but not end it nor date it otherwise.
    same = [{"person_id": "P-W1", "org_id": "PW1", "role": "secretary", "since": "2022-01-01"}]
    load_dataset(loaded, _dataset(tmp_path, "j", {"posts": same}), within=within(loaded, "C1"))
    for changed in ({"until": "2025-01-01"}, {"since": "2021-01-01"}, {"role": "member"}):
        rows = [{**same[0], **changed}]
        assert refused(loaded, _dataset(tmp_path, f"k{len(changed)}{changed}", {"posts": rows}),
                       "C1") == [("posts.csv", 2, "org_id", "not_in_reach")]  # fmt: skip
    # For a key of C2, both ends lie outside: nothing of it may be named.
    assert refused(loaded, _dataset(tmp_path, "k9", {"posts": same}), "C2") == [
        ("posts.csv", 2, "org_id", "not_in_reach"),
        ("posts.csv", 2, "person_id", "not_in_reach"),
    ]


def test_a_key_of_everything_is_not_limited(loaded: Database, tmp_path: Path) -> None:
    files = {"persons": [{"id": "P-C3", "name": "改名"}]}
    load_dataset(loaded, _dataset(tmp_path, "l", files))
    assert run(loaded, "entity", id="P-C3")[0]["name"] == "改名"


def test_into_an_empty_database_a_limited_load_places_nothing(db: Database, tmp_path: Path) -> None:
    wipe(db)
    files = {"regions": [{"id": "S1", "name": "东街道", "kind": "street", "parent_id": "D1"}]}
    problems = refused(db, _dataset(tmp_path, "m", files), "S1")
    assert ("regions.csv", 2, "parent_id", "not_in_reach") in problems


# -- over HTTP ---------------------------------------------------------------------------------


@pytest.fixture
def client(loaded: Database, settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    home = tmp_path / "api"
    home.mkdir()
    app = create_app(settings.model_copy(update={"orgnet_api_home": home}))
    with TestClient(app) as client:
        client.app_home = home  # type: ignore[attr-defined]
        yield client


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_an_admin_of_one_street_cannot_write_into_another(
    client: TestClient, loaded: Database
) -> None:
    home = client.app_home  # type: ignore[attr-defined]
    _, token = Keys(home).create(role="admin", jurisdiction="S1", name="s1-admin")
    before = dump(loaded)
    data = _zip({"persons.csv": "id,name,phone\nP-C3,改名,13900000000\nP-O1,人员P-O1,\n"})
    for dry_run in ("true", "false"):
        response = client.post(
            "/v1/datasets",
            params={"dry_run": dry_run, "lang": "en"},
            files={"file": ("名册.zip", data)},
            headers={"X-API-Key": token},
        )
        assert response.status_code == 422, response.text
        [problem] = response.json()["detail"]
        assert (problem["file"], problem["row"], problem["column"], problem["code"]) == (
            "persons.csv",
            2,
            "id",
            "outside_jurisdiction",
        )
    assert dump(loaded) == before
