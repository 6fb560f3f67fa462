"""SERVES, the derived link from a party organization to the scopes it counts in (docs/model.md),
kept true by the loader across incremental loads.

The expected links are worked out by hand from tests/city.py; after every load the test also
asks for a refresh of every org and expects it to change nothing, which it would if the load
had missed an org whose scopes moved.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orgnet.graph.connection import Database
from orgnet.graph.derived import Touched, refresh_all
from orgnet.graph.model import Rel
from orgnet.loaders.load import LoadSummary, load_dataset
from orgnet.queries.coverage import census

from .city import TODAY, _building, _org, city
from .dump import orgnet, write_dataset


@pytest.fixture
def cli_env(cli_env: dict) -> dict:
    """These tests read what the command says in English (ORGNET_LANG=en); the Chinese words
    are the same catalogue's (test_words.py holds both to the same keys)."""
    return {**cli_env, "ORGNET_LANG": "en"}


def _load(db: Database, folder: Path, files: dict[str, list[dict]]) -> LoadSummary:
    summary = load_dataset(db, write_dataset(folder, files))
    assert refresh_all(db) == (0, 0), "the load left an org's scopes stale"
    return summary


def _serves(db: Database, org: str) -> set[str]:
    rows = db.read("MATCH (:PartyOrg {id: $id})-[:SERVES]->(s) RETURN s.id AS id", {"id": org})
    return {r["id"] for r in rows}


def _orgs(db: Database, scope: str) -> int:
    return sum(row.orgs for row in census(db, scope, TODAY).orgs)


def test_a_first_load_links_every_org_to_its_scopes(db: Database, tmp_path: Path) -> None:
    _load(db, tmp_path, city())
    assert _serves(db, "PW1") == {"S1", "D1"}  # covers the street itself
    assert _serves(db, "PQ1") == {"C1", "S1", "D1"}  # B11 → E1 → C1
    assert _serves(db, "PX") == {"C1", "S1", "D1"}  # covers nothing; reports to PG1 (G1)
    assert _serves(db, "PF1") == {"C1", "S1", "D1"}  # based in F1, which manages E1 and E2
    assert _serves(db, "PC3") == {"C3", "S2", "D1"}
    assert _serves(db, "PQ7") == {"C3", "S2", "D1"}


def test_moving_an_org_moves_it_and_everything_below(db: Database, tmp_path: Path) -> None:
    _load(db, tmp_path / "city", city())
    assert _orgs(db, "C3") == 3  # PC3, PB7, PQ7
    # PG1 (grid branch of G1 in C1) now reports to PC3 in S2; PX below it follows.
    pg1 = next(o for o in city()["party_orgs"] if o["id"] == "PG1")
    summary = _load(db, tmp_path / "move", {"party_orgs": [{**pg1, "parent_id": "PC3"}]})
    assert _serves(db, "PG1") == {"C1", "S1", "C3", "S2", "D1"}  # still covers G1
    assert _serves(db, "PX") == {"C1", "S1", "C3", "S2", "D1"}
    assert summary.relationships_created[Rel.SERVES] == 4  # C3 and S2, for PG1 and for PX
    assert _orgs(db, "C3") == 5


def test_moving_a_place_or_a_host_moves_the_orgs_there(db: Database, tmp_path: Path) -> None:
    files = city()
    files["party_orgs"].append(_org("PU", "branch", "unit", host_id="U3"))
    _load(db, tmp_path / "city", files)
    assert _serves(db, "PU") == {"S2", "D1"}  # U3 is located in S2

    summary = _load(
        db,
        tmp_path / "move",
        {
            # B71 (PQ7's building) moves from E7 (C3, S2) to E5 (C2, S1).
            "buildings": [_building("B71", "E5")],
            # U3 moves to S1; F1 also manages E7 from now on.
            "units": [{"id": "U3", "name": "城投公司", "kind": "soe", "street_id": "S1"}],
            "management": [{"firm_id": "F1", "estate_id": "E7"}],
        },
    )
    # PQ7 covers B71, now in C2; it still reports to PB7, which covers E7 in C3.
    assert _serves(db, "PQ7") == {"C2", "S1", "C3", "S2", "D1"}
    assert _serves(db, "PU") == {"S1", "D1"}
    assert _serves(db, "PF1") == {"C1", "S1", "C3", "S2", "D1"}
    # PF1's links through F1's contracts since 2019 carry that date; E7's contract has none, so
    # its links are undated, and D1 — reached both ways — keeps one undated link instead of its
    # dated one. Created: PQ7 C2, S1; PU S1; PF1 C3, S2 and D1 (undated). Let go: PU's S2 and
    # PF1's dated D1.
    assert summary.relationships_created[Rel.SERVES] == 2 + 1 + 3
    assert summary.relationships_replaced[Rel.SERVES] == 2


class _Phases:
    def __init__(self) -> None:
        self.totals: dict[str, int] = {}

    def phase(self, name: str, total: int) -> None:
        self.totals[name] = total

    def advance(self, rows: int) -> None:
        pass


def test_only_the_orgs_a_load_can_move_are_refreshed(db: Database, tmp_path: Path) -> None:
    phases = _Phases()
    load_dataset(db, write_dataset(tmp_path / "city", city()), reporter=phases)
    assert phases.totals["deriving scopes"] == 12  # every org of the city
    files = city()
    people = {"persons": files["persons"], "posts": files["posts"]}
    load_dataset(db, write_dataset(tmp_path / "people", people), reporter=phases)
    assert phases.totals["deriving scopes"] == 0
    pb7 = next(o for o in files["party_orgs"] if o["id"] == "PB7")
    load_dataset(db, write_dataset(tmp_path / "pb7", {"party_orgs": [pb7]}), reporter=phases)
    assert phases.totals["deriving scopes"] == 2  # PB7 and PQ7 below it


def test_past_its_limit_a_load_refreshes_every_org_rather_than_track_ids() -> None:
    touched = Touched(limit=3)
    touched.link(Rel.COVERS, "PJ")
    touched.link(Rel.MANAGES, "F1")
    touched.link(Rel.HOLDS, "P-J")  # a post moves no org
    touched.link(Rel.PART_OF, "B71")
    assert (touched.orgs, touched.hosts, touched.places) == ({"PJ"}, {"F1"}, {"B71"})
    assert not touched.everything
    touched.link(Rel.LOCATED_IN, "U3")
    assert touched.everything and not (touched.orgs or touched.hosts or touched.places)


def test_db_derive_restores_links_written_around_the_loader(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    _load(db, tmp_path, city())
    # As if PX had been moved by hand under PC3, and PQ7's links deleted.
    db.write("MATCH (:PartyOrg {id: 'PX'})-[r:REPORTS_TO]->() DELETE r")
    db.write(
        "MATCH (x:PartyOrg {id: 'PX'}), (p:PartyOrg {id: 'PC3'}) CREATE (x)-[:REPORTS_TO]->(p)"
    )
    db.write("MATCH (:PartyOrg {id: 'PQ7'})-[r:SERVES]->() DELETE r")
    done = orgnet("db", "derive", env=cli_env, check=True)
    # PX: C3 and S2 in, C1 and S1 out (D1 stays); PQ7: C3, S2, D1 back.
    assert "SERVES: 5 created, 2 no longer true" in done.stdout
    assert _serves(db, "PX") == {"C3", "S2", "D1"}
    assert _serves(db, "PQ7") == {"C3", "S2", "D1"}
