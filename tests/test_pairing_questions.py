"""Pairing balance and rebalancing (DESIGN §4) on the hand-built city of tests/city.py.

The figures below are worked out by hand in the city's docstring; none is computed here with
the code under test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orgnet.graph.connection import Database
from orgnet.loaders.load import load_dataset
from orgnet.queries.pairing import coefficient_of_variation, gini, pairing_balance, rebalance

from .city import TODAY
from .dump import write_dataset


def test_per_community_units_members_and_households(graph: Database) -> None:
    balance = pairing_balance(graph, "D1", TODAY)
    rows = [(c.community_id, c.units, c.members, c.households) for c in balance.communities]
    # C2 has no household figure of its own: 120 + 80 from its estates; its unit pairs with E5.
    assert rows == [("C1", 1, 2, 1200), ("C2", 1, 0, 200), ("C3", 1, 0, 500)]
    ratios = [(c.units_per_10k, c.members_per_1k) for c in balance.communities]
    assert ratios == [
        (pytest.approx(8.3333, abs=1e-4), pytest.approx(1.6667, abs=1e-4)),
        (50.0, 0.0),
        (20.0, 0.0),
    ]


def test_spread_across_communities(graph: Database) -> None:
    balance = pairing_balance(graph, "D1", TODAY)
    assert balance.units.gini == pytest.approx(50 / 141)
    assert balance.units.cv == pytest.approx(0.6722, abs=1e-4)
    assert (balance.units.none, balance.units.top_decile) == ([], ["C2"])
    assert balance.members.gini == pytest.approx(2 / 3)
    assert balance.members.cv == pytest.approx(2**0.5)
    assert (balance.members.none, balance.members.top_decile) == (["C2", "C3"], ["C1"])


def test_idle_units_and_members_reported_nowhere_or_elsewhere(graph: Database) -> None:
    balance = pairing_balance(graph, "D1", TODAY)
    assert [u.unit_id for u in balance.idle_units] == ["U4", "U5"]
    assert [(m.person_id, m.community_id) for m in balance.unreported] == [
        ("P-S4", "C1"),
        ("P-S3", "C3"),
    ]
    assert [(m.person_id, m.lives_in_id, m.reported_to_id) for m in balance.mismatched] == [
        ("P-S2", "C2", "C1")
    ]


def test_the_balance_alone_leaves_the_member_lists_out(graph: Database) -> None:
    balance = pairing_balance(graph, "D1", TODAY, members=False)
    assert (balance.unreported, balance.mismatched) == (None, None)
    assert [(c.community_id, c.units, c.members) for c in balance.communities] == [
        ("C1", 1, 2),
        ("C2", 1, 0),
        ("C3", 1, 0),
    ]
    assert [u.unit_id for u in balance.idle_units] == ["U4", "U5"]


def test_pairings_and_reports_count_from_their_start(graph: Database) -> None:
    later = pairing_balance(graph, "D1", "2030-06-01")
    c1 = later.communities[0]
    assert (c1.community_id, c1.units, c1.members) == ("C1", 2, 3)
    assert [u.unit_id for u in later.idle_units] == ["U4"]
    assert [m.person_id for m in later.unreported] == ["P-S3"]


def test_scope_narrows_pairing_to_a_street(graph: Database) -> None:
    balance = pairing_balance(graph, "S2", TODAY)
    assert [c.community_id for c in balance.communities] == ["C3"]
    assert [u.unit_id for u in balance.idle_units] == ["U5"]
    assert [m.person_id for m in balance.unreported] == ["P-S3"]


def test_rebalancing_within_streets(graph: Database) -> None:
    # The squares would move U2 from C2 to C1 — and raise the Gini to 4/11: no plan.
    plan = rebalance(graph, "D1", TODAY)
    assert (plan.moves, plan.reason) == ([], "no_move_lowers_gini")
    assert plan.gini_before == plan.gini_after == pytest.approx(50 / 141)
    assert [(m.unit_id, m.from_id, m.to_id) for m in plan.idle] == [
        ("U4", None, "C1"),
        ("U5", None, "C3"),
    ]
    assert plan.gini_with_idle == pytest.approx(5 / 24)
    assert [
        (c.community_id, c.units_before, c.units_after, c.units_with_idle) for c in plan.communities
    ] == [("C1", 1, 1, 2), ("C2", 1, 1, 1), ("C3", 1, 1, 2)]


def test_rebalancing_across_streets(graph: Database) -> None:
    plan = rebalance(graph, "D1", TODAY, across_streets=True)
    assert (plan.moves, plan.reason) == ([], "no_move_lowers_gini")
    assert [(m.unit_id, m.from_id, m.to_id) for m in plan.idle] == [
        ("U4", None, "C1"),
        ("U5", None, "C1"),
    ]
    assert plan.gini_with_idle == pytest.approx(4 / 19)


def test_gini_and_cv_edges() -> None:
    assert gini([]) is None and gini([0, 0]) is None
    assert gini([5, 5, 5, 5]) == 0
    assert gini([0, 0, 0, 4]) == pytest.approx(3 / 4)
    assert coefficient_of_variation([2, 4]) == pytest.approx(1 / 3)


# Last: the empty database this test loads its own network into is the module graph's too.
def test_a_plan_that_lowers_the_gini_is_proposed(db: Database, tmp_path: Path) -> None:
    # Two communities of 1,000 households; both units paired with C1: 20 and 0 per 10k, Gini
    # 1/2. Moving either unit to C2 evens them (10 and 10, Gini 0): one move, and the plan
    # keeps the other unit where it is.
    files = {
        "regions": [
            {"id": "D9", "name": "九区", "kind": "district", "parent_id": ""},
            {"id": "S9", "name": "九街道", "kind": "street", "parent_id": "D9"},
            {"id": "C91", "name": "甲社区", "kind": "community", "parent_id": "S9",
             "households": "1000"},
            {"id": "C92", "name": "乙社区", "kind": "community", "parent_id": "S9",
             "households": "1000"},
        ],
        "units": [
            {"id": "U91", "name": "甲单位", "kind": "agency", "street_id": "S9"},
            {"id": "U92", "name": "乙单位", "kind": "agency", "street_id": "S9"},
        ],
        "pairings": [
            {"unit_id": "U91", "target_id": "C91"},
            {"unit_id": "U92", "target_id": "C91"},
        ],
    }  # fmt: skip
    load_dataset(db, write_dataset(tmp_path, files))
    plan = rebalance(db, "D9", TODAY)
    assert plan.reason is None and plan.gini_before == 0.5 and plan.gini_after == 0
    assert [(m.from_id, m.to_id, m.to_community, m.change) for m in plan.moves] == [
        ("C91", "C92", "乙社区", "move")
    ]
    assert [(c.community_id, c.units_after) for c in plan.communities] == [("C91", 1), ("C92", 1)]


def test_a_pairing_above_the_limit_per_unit_is_said_as_dropped(
    db: Database, tmp_path: Path
) -> None:
    # U81 is paired with three communities of 1,000 households and U82 with the first: 20, 10,
    # 10 and 0 units per 10k. With at most two communities a unit, U81 keeps C82 and C83 and
    # drops C81 (10, 10, 10, 0): a drop, not a move to nowhere.
    files = {
        "regions": [
            {"id": "D8", "name": "八区", "kind": "district", "parent_id": ""},
            {"id": "S8", "name": "八街道", "kind": "street", "parent_id": "D8"},
            *({"id": f"C8{i}", "name": f"八{i}社区", "kind": "community", "parent_id": "S8",
               "households": "1000"} for i in range(1, 5)),
        ],
        "units": [
            {"id": "U81", "name": "甲单位", "kind": "agency", "street_id": "S8"},
            {"id": "U82", "name": "乙单位", "kind": "agency", "street_id": "S8"},
        ],
        "pairings": [
            *({"unit_id": "U81", "target_id": f"C8{i}"} for i in range(1, 4)),
            {"unit_id": "U82", "target_id": "C81"},
        ],
    }  # fmt: skip
    load_dataset(db, write_dataset(tmp_path, files))
    plan = rebalance(db, "D8", TODAY, max_per_unit=2)
    assert [(m.unit_id, m.from_id, m.from_community, m.to_id, m.change) for m in plan.moves] == [
        ("U81", "C81", "八1社区", None, "drop")
    ]
    assert [(c.community_id, c.units_after) for c in plan.communities] == [
        ("C81", 1), ("C82", 1), ("C83", 1), ("C84", 0)
    ]  # fmt: skip
    from orgnet.api import render

    table = render.to_csv(plan, lang="zh", part="moves")
    assert "解除结对" in table and "八1社区" in table


def test_a_rebalancing_plan_is_the_same_from_run_to_run(
    db: Database, tmp_path: Path, cli_env: dict
) -> None:
    """A plan sent upward must be the same tomorrow: ties between equal plans are broken by
    the ids, not by the order a process happens to hold its sets in (a new hash seed a run)."""
    from orgnet.loaders.generate import generate_scenario, load_scenario

    from .dump import orgnet

    demo = tmp_path / "demo"
    generate_scenario(load_scenario("demo"), demo, seed=7)
    load_dataset(db, demo)
    district = db.read("MATCH (d:District) RETURN d.id AS id")[0]["id"]
    plans = set()
    for seed in ("1", "2", "3", "4", "5"):
        done = orgnet("pairing", "--rebalance", "--scope", district, "-f", "json",
                      env=dict(cli_env, PYTHONHASHSEED=seed))  # fmt: skip
        assert done.returncode == 0, done.stderr
        plans.add(done.stdout)
    assert len(plans) == 1
    assert '"moves": []' not in plans.pop()  # a plan with moves, where ties can fall either way
