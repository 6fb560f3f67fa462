"""Scenarios: deterministic for a seed, calibrated on the published figures, and shaped like the
domain, so that every question has something to find."""

from __future__ import annotations

import csv
import filecmp
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from orgnet.graph.connection import Database
from orgnet.graph.engine import EmbeddedEngine
from orgnet.loaders.contract import FILES
from orgnet.loaders.files import open_dataset
from orgnet.loaders.generate import generate_scenario, load_scenario, scenario_names
from orgnet.loaders.validate import validate

from .dump import database_with, orgnet


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    spec = load_scenario("demo")
    generate_scenario(spec, tmp_path / "a", seed=11)
    generate_scenario(spec, tmp_path / "b", seed=11)
    generate_scenario(spec, tmp_path / "c", seed=12)
    names = [f"{f.name}.csv" for f in FILES]
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert sorted(match) == sorted(names) and not mismatch and not errors
    _, differ, _ = filecmp.cmpfiles(tmp_path / "a", tmp_path / "c", names, shallow=False)
    assert "persons.csv" in differ


def test_every_scenario_is_numbers_only() -> None:
    def leaves(value: object) -> Iterator[object]:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key not in ("description", "id_prefix"):
                    yield from leaves(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from leaves(inner)
        else:
            yield value

    assert {"demo", "xinfu", "province"} <= set(scenario_names())
    for name in scenario_names():
        values = list(leaves(load_scenario(name)))
        assert values and all(isinstance(v, int | float) for v in values), name


def test_the_command_writes_a_dataset_that_validates(tmp_path: Path, cli_env: dict) -> None:
    done = orgnet(
        "generate", "--scenario", "demo", "--out", str(tmp_path), "--seed", "3", env=cli_env
    )
    assert done.returncode == 0, done.stderr
    result = validate(open_dataset(tmp_path), None)
    assert result.ok, result.problems[:5]
    assert result.rows["persons"] > 500


def test_an_unknown_scenario_is_refused_with_the_known_ones(tmp_path: Path, cli_env) -> None:
    done = orgnet("generate", "--scenario", "atlantis", "--out", str(tmp_path), env=cli_env)
    assert done.returncode != 0
    assert "demo" in done.stderr and "xinfu" in done.stderr


def test_the_district_matches_the_article_figures(district: Path) -> None:
    """Seed article 000: 766 estates; 45 general branches, 478 branches and 2,559 building
    groups at estate level; estate secretaries mostly retired, then in-service, few veterans."""
    assert len(_rows(district, "estates")) == 766
    # Counted as of the snapshot: the orgs dissolved before it are the district's past.
    orgs = [o for o in _rows(district, "party_orgs") if not o["dissolved"]]
    estate_level = Counter(o["type"] for o in orgs if o["level"] == "estate")
    assert estate_level["general_branch"] == 45
    assert estate_level["branch"] == 478
    assert sum(1 for o in orgs if o["type"] == "group" and o["level"] == "building") == 2559


# -- the shape of the network, asked of the loaded district --------------------------------------


@pytest.fixture(scope="module")
def graph(district: Path, engine: EmbeddedEngine, settings) -> Iterator[Database]:
    with database_with(settings, district) as db:
        yield db


def _one(db: Database, query: str) -> int:
    return int(db.read(query)[0]["n"])


def test_five_levels_from_district_to_building(graph: Database) -> None:
    assert _one(
        graph,
        "MATCH p = (:Building)-[:PART_OF]->(:Estate)-[:PART_OF]->(:Community)"
        "-[:PART_OF]->(:Street)-[:PART_OF]->(:District) RETURN count(p) AS n",
    ) == _one(graph, "MATCH (b:Building) RETURN count(b) AS n")


def test_joint_branches_cover_several_estates(graph: Database) -> None:
    assert (
        _one(
            graph,
            "MATCH (o:PartyOrg {formation: 'joint'})-[:COVERS]->(e:Estate) "
            "WITH o, count(e) AS estates WHERE estates >= 2 RETURN count(o) AS n",
        )
        >= 10
    )


def test_grids_span_estates_and_estates_span_grids(graph: Database) -> None:
    assert (
        _one(
            graph,
            "MATCH (g:Grid)<-[:IN_GRID]-(:Building)-[:PART_OF]->(e:Estate) "
            "WITH g, count(DISTINCT e) AS estates WHERE estates > 1 RETURN count(g) AS n",
        )
        > 0
    )
    assert (
        _one(
            graph,
            "MATCH (e:Estate)<-[:PART_OF]-(:Building)-[:IN_GRID]->(g:Grid) "
            "WITH e, count(DISTINCT g) AS grids WHERE grids > 1 RETURN count(e) AS n",
        )
        > 0
    )


def test_firms_with_and_without_a_party_organization(graph: Database) -> None:
    with_org = _one(
        graph,
        "MATCH (f:PropertyFirm) WHERE EXISTS { (f)<-[:BASED_IN]-(:PartyOrg) } RETURN count(f) AS n",
    )
    firms = _one(graph, "MATCH (f:PropertyFirm) RETURN count(f) AS n")
    assert 0 < with_org < firms


def test_party_guides_watch_estates_without_an_organization(graph: Database) -> None:
    assert (
        _one(
            graph,
            "MATCH (:Person)-[:HOLDS {role: 'party_guide'}]->(e:Estate) "
            "WHERE NOT EXISTS { (e)<-[:COVERS]-(:PartyOrg) } RETURN count(e) AS n",
        )
        > 0
    )


def test_owners_committees_have_varying_party_shares(graph: Database) -> None:
    shares = [
        r["share"]
        for r in graph.read(
            "MATCH (c:OwnersCommittee)<-[:HOLDS]-(p:Person) "
            "RETURN c.id AS id, avg(CASE WHEN p.party_member THEN 1.0 ELSE 0.0 END) AS share"
        )
    ]
    assert min(shares) == 0.0
    assert max(shares) >= 0.6
    assert len({round(s, 1) for s in shares}) >= 5


def test_people_are_cross_appointed(graph: Database) -> None:
    sides = (
        "CASE WHEN o:PartyOrg THEN 'party' WHEN o:OwnersCommittee THEN 'owners' "
        "WHEN o:PropertyFirm THEN 'property' WHEN o:Unit THEN 'unit' ELSE 'community' END"
    )
    assert (
        _one(
            graph,
            f"MATCH (p:Person)-[h:HOLDS]->(o) WHERE h.until IS NULL "
            f"WITH p, count(DISTINCT {sides}) AS sides WHERE sides >= 2 RETURN count(p) AS n",
        )
        >= 20
    )


def test_pairings_are_skewed_across_communities(graph: Database) -> None:
    counts = sorted(
        r["n"]
        for r in graph.read(
            "MATCH (c:Community) RETURN c.id AS id, COUNT { (c)<-[:PAIRED_WITH]-() } AS n"
        )
    )
    assert counts[0] <= 1
    assert counts[-1] >= 3 * max(counts[len(counts) // 2], 1)


def test_in_service_members_report_where_they_live_elsewhere_or_nowhere(graph: Database) -> None:
    row = graph.read(
        "MATCH (p:Person {member_category: 'in_service'}) "
        "OPTIONAL MATCH (p)-[:LIVES_IN]->(:Building)-[:PART_OF]->(:Estate)-[:PART_OF]->(home) "
        "OPTIONAL MATCH (p)-[:REPORTED_TO]->(c:Community) "
        "WITH p, home, c WHERE home IS NOT NULL "
        "RETURN sum(CASE WHEN c = home THEN 1 ELSE 0 END) AS here, "
        "sum(CASE WHEN c IS NOT NULL AND c <> home THEN 1 ELSE 0 END) AS elsewhere, "
        "sum(CASE WHEN c IS NULL THEN 1 ELSE 0 END) AS nowhere"
    )[0]
    assert row["here"] > row["elsewhere"] > 0
    assert row["nowhere"] > 0


def test_vacant_secretaries_and_large_branches(graph: Database) -> None:
    assert (
        _one(
            graph,
            "MATCH (o:PartyOrg {level: 'estate'}) WHERE NOT EXISTS { "
            "(o)<-[h:HOLDS {role: 'secretary'}]-() WHERE h.until IS NULL OR h.until >= '2026' } "
            "RETURN count(o) AS n",
        )
        > 0
    )
    assert (
        _one(
            graph,
            "MATCH (o:PartyOrg {type: 'branch'}) WHERE COUNT { (o)<-[:MEMBER_OF]-() } > 50 "
            "RETURN count(o) AS n",
        )
        > 0
    )


def test_estates_without_organization_and_firms(graph: Database) -> None:
    assert (
        _one(
            graph,
            "MATCH (e:Estate) WHERE NOT EXISTS { (e)<-[:COVERS]-(:PartyOrg) } RETURN count(e) AS n",
        )
        > 0
    )
    statuses = {
        r["s"] for r in graph.read("MATCH (e:Estate) RETURN DISTINCT e.property_status AS s")
    }
    assert {"managed", "unmanaged", "community_run", "self_managed"} <= statuses


def test_terms_are_laid_out_around_the_snapshot(district: Path) -> None:
    """Scenarios carry terms some of which are due within six months, some overdue and some
    missing, as a department's rosters do (worked out from the files, by the model's lengths)."""
    from orgnet.graph.model import term_years
    from orgnet.loaders.generate import SNAPSHOT

    status: Counter[str] = Counter()
    for o in _rows(district, "party_orgs"):
        if o["dissolved"]:
            continue  # dissolved before the snapshot: no term to hold
        years = term_years(o["type"], o["level"], int(o["term_years"] or 0) or None)
        if years is None:
            assert not o["term_start"], o  # appointed or not elected: no term
            continue
        if not o["term_start"]:
            status["missing"] += 1
            continue
        start = o["term_start"] if len(o["term_start"]) == 10 else o["term_start"] + "-01"
        ends = f"{int(start[:4]) + years}{start[4:]}"
        if ends <= SNAPSHOT.isoformat():
            status["overdue"] += 1
        elif ends <= "2027-05-23":
            status["due"] += 1
        else:
            status["later"] += 1
    total = sum(status.values())
    # Drawn as 12% missing, 8% overdue, 10% due: each within a few points on ~2,600 orgs.
    assert abs(status["missing"] / total - 0.12) < 0.03, status
    assert abs(status["overdue"] / total - 0.08) < 0.03, status
    assert abs(status["due"] / total - 0.10) < 0.03, status


def test_the_sector_committee_belongs_to_its_district(district: Path) -> None:
    sectors = [o for o in _rows(district, "party_orgs") if o["level"] == "sector"]
    assert sectors and all(o["region_id"] and not o["covers"] for o in sectors)
