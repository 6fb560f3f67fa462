"""Coverage, rules and census (DESIGN §4) on the hand-built city of tests/city.py.

Every expected answer here was worked out by hand from the city's description; none is
computed by the code under test.
"""

from __future__ import annotations

import pytest

from orgnet.graph.connection import Database
from orgnet.queries.catalog import run
from orgnet.queries.coverage import census, rules

from .city import TODAY

# The thresholds the rules take as parameters: the Party Constitution's 3, a branch's 50, a
# committee's 100 members.
THRESHOLDS = {"branch_least": 3, "branch_most": 50, "committee_from": 100}


def _ids(rows: list[dict], column: str) -> list[str]:
    return [r[column] for r in rows]


# -- coverage -----------------------------------------------------------------------------------


def test_coverage_summary_of_the_city(graph: Database) -> None:
    [row] = run(graph, "estate_coverage_summary", scope="D1", as_of=TODAY)
    assert row == {"estates": 7, "households": 1450, "org_covered": 3, "work_covered": 6}


def test_an_expired_party_guide_counts_only_while_current(graph: Database) -> None:
    [row] = run(graph, "estate_coverage_summary", scope="C1", as_of="2024-06-01")
    assert row == {"estates": 4, "households": 750, "org_covered": 2, "work_covered": 4}
    [row] = run(graph, "estate_coverage_summary", scope="C1", as_of=TODAY)
    assert row["work_covered"] == 3


def test_scope_narrows_to_a_street_and_everything_widens(graph: Database) -> None:
    [s2] = run(graph, "estate_coverage_summary", scope="S2", as_of=TODAY)
    assert s2 == {"estates": 1, "households": 500, "org_covered": 1, "work_covered": 1}
    [everything] = run(graph, "estate_coverage_summary", scope=None, as_of=TODAY)
    assert everything["estates"] == 7


def test_estate_gaps_and_the_three_member_threshold(graph: Database) -> None:
    rows = run(graph, "gaps_estates", scope="D1", as_of=TODAY, actionable_from=3)
    assert [(r["estate_id"], r["members"], r["work_covered"], r["actionable"]) for r in rows] == [
        ("E5", 7, True, True),
        ("E4", 3, True, True),
        ("E3", 2, False, False),  # three members live there, but one is floating
        ("E6", 0, True, False),
    ]


def test_buildings_of_covered_estates_without_a_group(graph: Database) -> None:
    rows = run(graph, "gaps_buildings", scope="D1", as_of=TODAY)
    assert [(r["building_id"], r["estate_id"], r["members"]) for r in rows] == [
        ("B12", "E1", 5),
        ("B21", "E2", 2),
        ("B22", "E2", 2),
    ]


def test_grids_without_a_grid_branch(graph: Database) -> None:
    rows = run(graph, "gaps_grids", scope="D1", as_of="2026-11-23")
    assert [(r["grid_id"], r["community_id"], r["buildings"]) for r in rows] == [("G2", "C1", 2)]


def test_firms_without_party_organization_or_work(graph: Database) -> None:
    rows = run(graph, "gaps_firms", scope="D1", as_of=TODAY)
    assert [(r["firm_id"], r["estate_ids"]) for r in rows] == [("F3", ["E7"])]


def test_estates_without_a_firm_and_their_fallbacks(graph: Database) -> None:
    rows = run(graph, "gaps_property", scope="D1", as_of=TODAY)
    assert [(r["estate_id"], r["property_status"], r["fallback"]) for r in rows] == [
        ("E3", "unmanaged", False),
        ("E6", None, False),
        ("E4", "community_run", True),
        ("E5", "self_managed", True),
    ]


def test_owners_committees_missing_and_their_party_share(graph: Database) -> None:
    assert _ids(run(graph, "gaps_owners", scope="D1", as_of="2026-11-23"), "estate_id") == [
        "E3",
        "E4",
        "E5",
        "E6",
    ]
    shares = run(graph, "owners_party_share", scope="D1", as_of=TODAY)
    assert [(r["committee_id"], r["committee_members"], r["party_members"]) for r in shares] == [
        ("OC7", 2, 0),
        ("OC1", 3, 2),  # P-O4's post ended in 2023
        ("MC2", 1, 1),
    ]
    assert shares[1]["share"] == pytest.approx(2 / 3)


# -- rules --------------------------------------------------------------------------------------


def test_vacancies_today_and_before_a_post_expired(graph: Database) -> None:
    today = run(graph, "rules_vacancies", scope="D1", as_of=TODAY)
    assert [(r["org_id"], r["last_until"]) for r in today] == [
        ("PC2", "2025-06-30"),
        ("PG1", None),
        ("PX", None),
    ]
    earlier = run(graph, "rules_vacancies", scope="D1", as_of="2025-01-01")
    assert _ids(earlier, "org_id") == ["PG1", "PX"]


def test_size_rules_at_their_edges(graph: Database) -> None:
    rows = run(graph, "rules_size", scope="D1", as_of=TODAY, **THRESHOLDS)
    assert [(r["rule"], r["org_id"], r["members"], r["subtree_members"]) for r in rows] == [
        ("become_committee", "PC3", 49, 100),
        ("become_general_branch", "PB7", 51, 51),  # 50 (PG3) would not be listed
        ("go_joint", "PG1", 2, 2),
        ("go_joint", "PX", 0, 0),
    ]


def test_hierarchy_integrity(graph: Database) -> None:
    rows = rules(graph, "D1", TODAY).integrity
    assert [(r.problem, r.org_id, r.parent_id, r.parent_type) for r in rows] == [
        ("no_parent", "PC3", None, None),
        ("not_below_parent", "PX", "PG1", "branch"),
        ("type_not_below_parent", "PX", "PG1", "branch"),  # a branch under a branch
    ]


def test_orgs_of_a_community_scope(graph: Database) -> None:
    rows = census(graph, "C1", TODAY).orgs
    by_type_level = {(r.type, r.level): r.orgs for r in rows}
    # PC1, PG1, PJ, PQ1 cover C1's places; PX reports to PG1; PF1 is based in F1, which
    # manages E1 and E2. PW1 covers the street above: not in the community's scope.
    assert by_type_level == {
        ("committee", "community"): 1,
        ("branch", "grid"): 1,
        ("branch", "estate"): 1,
        ("group", "building"): 1,
        ("branch", "community"): 1,
        ("branch", "unit"): 1,
    }


# -- census -------------------------------------------------------------------------------------


def test_estate_level_census_as_the_articles_state_it(graph: Database) -> None:
    rows = run(graph, "estate_org_census", scope="D1", as_of="2026-11-23")
    assert {r["type"]: r["orgs"] for r in rows} == {"branch": 2, "group": 2}


def test_members_by_category(graph: Database) -> None:
    rows = census(graph, "D1", TODAY).members
    # Every member belongs to an org of D1 except P-E3c (floating, no org).
    # retired: P-J, P-B7, P-E3b; in_service: P-F1, P-F1a, P-F1b, P-S1–4; veteran: P-G1b.
    counts = {r.category: r.members for r in rows}
    assert counts["retired"] == 3
    assert counts["in_service"] == 7
    assert counts["veteran"] == 1
    assert "floating" not in counts
    total_resident = 177 - 3 - 7 - 1  # 177 members with an org in all: 31 named, 146 in bulk
    assert counts["resident"] == total_resident


def test_secretaries_by_category(graph: Database) -> None:
    rows = census(graph, "D1", TODAY).secretaries
    # Current secretaries: P-W1, P-C1, P-C3, P-G3 (resident), P-J, P-B7 (retired),
    # P-F1 (in_service). P-C2's post has ended.
    assert {r.category: r.secretaries for r in rows} == {
        "resident": 4,
        "retired": 2,
        "in_service": 1,
    }
    estate_level = census(graph, "D1", TODAY, levels=["estate"]).secretaries
    assert {r.category: r.secretaries for r in estate_level} == {"retired": 2}
