"""The second round of the questions on the dated network of tests/dated.py: one rule for dates
in every question (asked the day before a relationship ends or begins, the day it does, and
the day after), orgs that cover nothing, members without an org, rebalancing that never hurts,
owners' shares and terms. The answers are the ones worked out by hand in tests/dated.py."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from orgnet.graph import rules as graph_rules
from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest
from orgnet.graph.rules import MACROS
from orgnet.graph.writes import statement
from orgnet.queries import pairing
from orgnet.queries.catalog import CYPHER, names, query
from orgnet.queries.changes import changes
from orgnet.queries.coverage import census, coverage_summary, gaps, owners, rules
from orgnet.queries.paths import chain, cross_appointments, paths
from orgnet.queries.registry import GAP_KINDS
from orgnet.queries.scope import resolve_scope
from orgnet.queries.terms import terms
from orgnet.queries.trend import figures_on, trend

from .dated import TODAY, TOMORROW, YESTERDAY, dated
from .dump import database_with, orgnet, write_dataset


@pytest.fixture(scope="module")
def net(engine, settings, tmp_path_factory) -> Iterator[Database]:
    folder = write_dataset(tmp_path_factory.mktemp("dated"), dated())
    with database_with(settings, folder) as db:
        yield db


# -- one rule for dates -------------------------------------------------------------------------


def test_the_date_rule_is_written_once() -> None:
    # No query spells out a date check or the member-at-a-date rule by hand: they name
    # CURRENT(r) and MEMBER_AT(p), which graph/rules.py writes out — the questions' and the
    # graph layer's own statements (the member steps it derives) alike.
    statements = [CYPHER / f"{name}.cypher" for name in names()]
    statements += sorted((Path(graph_rules.__file__).parent / "cypher").glob("*.cypher"))
    assert any(p.stem == "member_steps_refresh" for p in statements)
    for path in statements:
        text = path.read_text(encoding="utf-8")
        name = path.stem
        body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
        assert "since <=" not in body and "until >" not in body, name
        assert "party_member AND" not in body, name
        assert not re.search(r"\.joined_party\b\s*(<|>|=|IS\b)", body), name  # read, not judged
        # Nor a node's beginning and end, nor its form or members at a date (ALIVE, BUILT,
        # COVERS_AT, TYPE_AT, LEVEL_AT, MEMBERS_AT).
        # A day may be shown (RETURN o.founded AS founded) or read into values for the rules to
        # judge (the trend's); it is never compared, nor a form or a step looked up, by hand.
        compared = r"\.(founded|dissolved|built_year)\b\s*(<|>|=|IS\b|<>)"
        assert not re.search(compared, body), name
        if path.parent == CYPHER:  # the graph layer writes the forms and steps the rules read
            assert not re.search(r"\.form_\w+\s*(\[|<|>|=|IS\b)", body), name
            assert not re.search(r"\.(member|unattached|seat)_days\s*(\[|<|>)", body), name
    assert {"CURRENT", "MEMBER_AT", "ALIVE", "BUILT", "COVERS_AT", "TYPE_AT"} <= set(MACROS)
    written = "\n".join(
        line for line in query("census_members_walk").text.splitlines() if not line.startswith("//")
    )
    assert "m.since <= $as_of" in written and "CURRENT(" not in written
    derived = statement("member_steps_refresh")
    assert "m.since <= day" in derived and "MEMBER_AT(" not in derived


def _census(db: Database, scope: str | None, day: str) -> dict:
    found = census(db, scope, day)
    return {
        "orgs": {(r.type, r.level): r.orgs for r in found.orgs},
        "members": {r.category: r.members for r in found.members},
        "unattached": {r.category: r.members for r in found.unattached},
        "secretaries": {r.category: r.secretaries for r in found.secretaries},
    }


def test_census_counts_what_is_current(net: Database) -> None:
    today = _census(net, "D1", TODAY)
    assert today["orgs"] == {
        ("working_committee", "street"): 1,
        ("committee", "community"): 2,
        ("committee", "sector"): 1,  # PSEC, by its region
        ("branch", "estate"): 3,
        ("group", "building"): 1,
    }
    assert today["members"] == {"resident": 8, "in_service": 2}
    assert today["unattached"] == {"resident": 1, "floating": 1}  # P-a, P-c
    assert today["secretaries"] == {"resident": 5}
    assert _census(net, "D1", YESTERDAY)["orgs"][("branch", "unit")] == 1  # PF1's contract ran
    tomorrow = _census(net, "D1", TOMORROW)
    assert tomorrow["orgs"][("branch", "unit")] == 1  # PF2's has begun
    assert tomorrow["members"] == {"resident": 10, "in_service": 2}  # + P-a, + P-b
    assert tomorrow["unattached"] == {"floating": 1}


def test_unscoped_members_and_those_without_an_org_add_up_to_every_party_member(
    net: Database,
) -> None:
    found = census(net, None, TODAY)
    assert (found.total_members, found.total_unattached) == (15, 4)  # D2: 3 members, P-E6
    everyone = net.read(
        "MATCH (p:Person {party_member: true}) WHERE coalesce(p.joined_party, '') <= $day "
        "RETURN count(p) AS n",
        {"day": TODAY},
    )[0]["n"]
    assert found.total_members + found.total_unattached == everyone == 19


def test_rules_see_vacancies_and_unplaced_orgs_at_their_date(net: Database) -> None:
    assert [v.org_id for v in rules(net, "D1", TODAY).vacancies] == ["PC2", "PE2"]
    assert rules(net, "D1", TODAY).vacancies[0].last_until == "2026-11-23"
    assert [v.org_id for v in rules(net, "D1", YESTERDAY).vacancies] == ["PE2"]
    assert [v.org_id for v in rules(net, "D1", TOMORROW).vacancies] == ["PC2", "PE2", "PF2"]
    assert [u.org_id for u in rules(net, None, TODAY).unplaced] == ["PF1", "PF2", "PSEC2"]
    assert [u.org_id for u in rules(net, None, YESTERDAY).unplaced] == ["PF2", "PSEC2"]
    assert [u.org_id for u in rules(net, None, TOMORROW).unplaced] == ["PF1", "PSEC2"]
    assert rules(net, "D1", TODAY).unplaced == []  # a scope never holds them
    # PE1's members: P-E1, P-g, P-g2, P-h, P-j today; P-a and P-b count from tomorrow.
    sizes = {r.org_id: r.members for r in rules(net, None, TOMORROW).size}
    assert "PE1" not in sizes  # 7 members: no rule applies
    assert sizes["PE3"] == 1  # go joint


@pytest.mark.parametrize(
    ("day", "property_gaps", "firm_gaps", "triad_gaps"),
    [
        (YESTERDAY, ["E2"], ["F3"], ["E1", "E3"]),
        (TODAY, ["E1", "E2"], ["F3"], ["E3"]),
        (TOMORROW, ["E1"], [], ["E2", "E3"]),
    ],
)
def test_a_contract_counts_only_while_it_runs(
    net: Database, day: str, property_gaps, firm_gaps, triad_gaps
) -> None:
    assert [g.estate_id for g in gaps(net, "property", "D1", day).rows] == property_gaps
    assert [g.firm_id for g in gaps(net, "firms", "D1", day).rows] == firm_gaps
    found = cross_appointments(net, "D1", day).triad_gaps
    assert sorted(t.estate_id for t in found) == triad_gaps


def test_pairing_counts_current_pairings_and_reports(net: Database) -> None:
    today = pairing.pairing_balance(net, "D1", TODAY)
    assert [(c.community_id, c.units, c.members) for c in today.communities] == [
        ("C1", 1, 0),
        ("C2", 0, 0),
    ]
    assert (today.units.gini, today.units.cv, today.units.undefined) == (0.5, 1.0, None)
    assert (today.members.gini, today.members.cv, today.members.undefined) == (
        None,
        None,
        "all_zero",
    )
    assert [u.unit_id for u in today.idle_units] == ["U1", "U2"]
    assert [m.person_id for m in today.unreported or []] == ["P-g", "P-g2"]
    assert today.mismatched == []
    yesterday = pairing.pairing_balance(net, "D1", YESTERDAY)
    assert [(m.person_id, m.lives_in_id, m.reported_to_id) for m in yesterday.mismatched or []] == [
        ("P-g", "C1", "C2")
    ]
    tomorrow = pairing.pairing_balance(net, "D1", TOMORROW)
    assert [(c.units_per_10k, c.members_per_1k) for c in tomorrow.communities] == [
        (20.0, 2.0),
        (20.0, 0.0),
    ]


def test_a_spread_with_no_households_is_undefined_not_zero() -> None:
    assert pairing.spread({}).undefined == "no_households"
    assert pairing.spread({}).gini is None
    zero = pairing.spread({"C1": 0.0, "C2": 0.0})
    assert (zero.gini, zero.cv, zero.undefined, zero.top_decile) == (None, None, "all_zero", [])
    # One community has no spread to measure: not a Gini of 0 (even) but none.
    alone = pairing.spread({"C1": 12.5}, {"C1": "和平社区"})
    assert (alone.gini, alone.cv, alone.undefined) == (None, None, "one_community")
    assert (alone.top_decile, alone.top_decile_names) == (["C1"], ["和平社区"])


def test_rebalancing_never_raises_the_gini(net: Database) -> None:
    today = pairing.rebalance(net, "D1", TODAY)
    assert (today.moves, today.reason) == ([], "no_move_lowers_gini")
    assert today.gini_before == today.gini_after == 0.5
    assert [(m.unit_id, m.to_id) for m in today.idle] == [("U1", "C2"), ("U2", "C1")]
    assert today.gini_with_idle == pytest.approx(1 / 6)
    tomorrow = pairing.rebalance(net, "D1", TOMORROW)
    assert (tomorrow.moves, tomorrow.reason, tomorrow.gini_before) == ([], "already_even", 0.0)
    assert [(m.unit_id, m.to_id) for m in tomorrow.idle] == [("U1", "C1")]
    assert tomorrow.gini_with_idle == pytest.approx(1 / 6)


def test_the_chain_starts_from_a_membership_only_once_it_runs(net: Database) -> None:
    assert [link.org_id for link in chain(net, "P-a", TODAY).links] == ["PG1", "PE1", "PC1", "PS"]
    assert chain(net, "P-a", TODAY).links[0].via == "lives_in"
    assert [link.org_id for link in chain(net, "P-a", TOMORROW).links] == ["PE1", "PC1", "PS"]


def test_paths_follow_only_current_relationships(net: Database) -> None:
    yesterday = paths(net, "P-h", "F1", YESTERDAY, k=1)
    assert [[n.id for n in p.nodes] for p in yesterday.paths] == [["P-h", "B1", "E1", "F1"]]
    assert paths(net, "P-h", "F1", TODAY, k=1).paths == []
    assert [p.hops for p in paths(net, "P-PS", "E3", TODAY, k=1).paths] == [4]
    tomorrow = paths(net, "P-PS", "E3", TOMORROW, k=1).paths
    assert [(p.hops, p.rels) for p in tomorrow] == [(1, [["LIAISES"]])]


# -- owners' shares -----------------------------------------------------------------------------


def test_the_party_share_of_owners_committees(net: Database) -> None:
    today = owners(net, "D1", TODAY)
    assert [
        (r.committee_id, r.committee_members, r.party_members, r.share) for r in today.rows
    ] == [
        ("OC3", 1, 0, 0.0),
        ("OC1", 2, 1, 0.5),
        ("OC2", 0, 0, None),
    ]
    assert (today.committees, today.committee_members, today.party_members) == (3, 3, 1)
    assert today.share == pytest.approx(1 / 3)
    assert (today.below_count, today.unstaffed, today.seed_share) == (1, 1, 0.629)
    yesterday = owners(net, "D1", YESTERDAY)
    assert yesterday.share == 0.5 and yesterday.rows[1].share == pytest.approx(2 / 3)
    assert owners(net, "D1", TODAY, below=0.6).below_count == 2


# -- terms --------------------------------------------------------------------------------------


def test_terms_due_overdue_and_missing_with_whom_to_remind(net: Database) -> None:
    found = terms(net, "D1", TODAY)
    assert (found.until, found.overdue, found.due, found.missing) == ("2027-05-23", 2, 2, 1)
    assert [
        (t.status, t.org_id, t.term_end, t.parent_id, [s.id for s in t.reminders])
        for t in found.orgs
    ] == [
        ("overdue", "PC2", "2026-05-01", "PS", ["P-PS"]),
        ("overdue", "PSEC", "2026-11-01", None, []),
        ("due", "PC1", "2026-12-01", "PS", ["P-PS"]),
        ("due", "PE1", "2027-03-01", "PC1", ["P-C1"]),
        ("missing", "PE2", None, "PC1", ["P-C1"]),
    ]
    assert found.orgs[0].reminders[0].phone == "138****0010"  # masked unless asked
    assert terms(net, "D1", TODAY, show_phone=True).orgs[0].reminders[0].phone == "13800000010"
    everything = terms(net, None, TODAY)
    assert [t.org_id for t in everything.orgs] == [
        "PC2", "PSEC", "PC1", "PE1", "PF1", "PE2", "PF2", "PSEC2"
    ]  # fmt: skip
    assert {t.org_id: t.term_years for t in everything.orgs}["PF1"] == 2  # its own term_years
    shorter = terms(net, "D1", TODAY, within="8d")  # to 2026-12-01: PC1 only
    assert [(t.status, t.org_id) for t in shorter.orgs if t.status == "due"] == [("due", "PC1")]


@pytest.mark.parametrize("window", ["0d", "6", "-3m", "6 months", "100y", "abc"])
def test_a_window_that_is_not_one(net: Database, window: str) -> None:
    from orgnet.graph.errors import BadRequest

    with pytest.raises(BadRequest):
        terms(net, "D1", TODAY, within=window)


def test_terms_and_owners_answer_in_every_format(net: Database, cli_env, tmp_path: Path) -> None:
    for args in (["terms", "--scope", "D1"], ["owners", "--scope", "D1", "--below", "0.6"]):
        for fmt in ("table", "json", "csv"):
            done = orgnet(*args, "--as-of", TODAY, "-f", fmt, env=cli_env)
            assert done.returncode == 0, done.stderr
            assert done.stdout.strip()
        book = tmp_path / f"{args[0]}.xlsx"
        done = orgnet(*args, "--as-of", TODAY, "-f", "xlsx", "-o", str(book), env=cli_env)
        assert done.returncode == 0, done.stderr and book.exists()
    answer = json.loads(
        orgnet("terms", "--scope", "D1", "--as-of", TODAY, "-f", "json", env=cli_env).stdout
    )
    assert answer["overdue"] == 2 and answer["orgs"][0]["reminders"][0]["phone"] == "138****0010"
    table = orgnet("terms", "--scope", "D1", "--as-of", TODAY, env=dict(cli_env, COLUMNS="300"))
    assert "逾期未换届" in table.stdout and "PC2" in table.stdout
    bad = orgnet("owners", "--below", "1.5", env=cli_env)
    assert bad.returncode == 2
    bad = orgnet("terms", "--within", "forever", env=cli_env)
    assert bad.returncode == 2 and "is not like 90d" in bad.stderr


def test_the_report_tells_terms_owners_and_members_without_an_org(
    net: Database, cli_env, tmp_path: Path
) -> None:
    page = tmp_path / "报告.html"
    done = orgnet("report", "--scope", "D1", "--as-of", TODAY, "-o", str(page), env=cli_env)
    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    for text in ("换届提醒", "逾期未换届", "PC2党组织", "组织关系未落实的党员", "62.9%",
                 "各社区比率均为0"):  # fmt: skip
        assert text in html, text


# -- things that begin and end (valid time, D2 of tests/dated.py) -------------------------------


@pytest.mark.parametrize(
    ("day", "estates", "households", "org_covered"),
    [
        ("2014-12-31", 3, 500, 1),  # PE6 not yet founded, PC3's cover of E7 not begun
        (YESTERDAY, 3, 500, 3),
        (TODAY, 3, 500, 1),  # PE6 dissolved, PE7 not founded; E7's covers ended and not begun
        (TOMORROW, 3, 500, 3),
        ("2027-06-01", 4, 700, 3),  # E5 built in 2027: counted, and a gap
    ],
)
def test_coverage_counts_orgs_and_estates_only_while_they_exist(
    net: Database, day: str, estates: int, households: int, org_covered: int
) -> None:
    from orgnet.queries.coverage import coverage_summary

    found = coverage_summary(net, "D2", day)
    assert (found.estates, found.households, found.org_covered) == (
        estates,
        households,
        org_covered,
    )
    gap_ids = [g.estate_id for g in gaps(net, "estates", "D2", day).rows]
    assert len(gap_ids) == estates - org_covered
    assert "E5" not in gap_ids or day >= "2027"


def test_a_dissolved_org_leaves_a_gap_and_its_members_without_an_org(net: Database) -> None:
    today = {g.estate_id: g.members for g in gaps(net, "estates", "D2", TODAY).rows}
    assert today == {"E6": 1, "E7": 0}  # P-E6 still lives in E6 and is still a member
    assert gaps(net, "estates", "D2", YESTERDAY).rows == []
    assert gaps(net, "estates", "D2", TOMORROW).rows == []
    assert _census(net, "D2", TODAY)["members"] == {"resident": 3}
    assert _census(net, "D2", TODAY)["unattached"] == {"resident": 1}  # P-E6
    assert _census(net, "D2", YESTERDAY)["members"] == {"resident": 4}
    assert _census(net, "D2", YESTERDAY)["unattached"] == {}


def test_the_census_reads_each_org_as_it_was_that_day(net: Database) -> None:
    base = {("working_committee", "street"): 1, ("committee", "community"): 1}
    assert _census(net, "D2", YESTERDAY)["orgs"] == {**base, ("branch", "estate"): 2}
    assert _census(net, "D2", TODAY)["orgs"] == {**base, ("general_branch", "estate"): 1}
    assert _census(net, "D2", TOMORROW)["orgs"] == {
        **base,
        ("general_branch", "estate"): 1,
        ("branch", "estate"): 1,
    }
    # Before its first recorded form the org has the earliest one; from the last, its row.
    assert _census(net, "D2", "2014-12-31")["orgs"][("branch", "estate")] == 1
    stored = net.read("MATCH (o:PartyOrg {id: 'PE4'}) RETURN o.type AS type, o.form_type AS f")
    assert stored == [{"type": "general_branch", "f": ["branch", "general_branch"]}]


def test_rules_and_terms_see_only_the_orgs_of_the_day(net: Database) -> None:
    assert [v.org_id for v in rules(net, "D2", TODAY).vacancies] == []
    assert [v.org_id for v in rules(net, "D2", TOMORROW).vacancies] == ["PE7"]
    assert rules(net, "D2", TODAY).integrity == []
    assert [(t.status, t.org_id) for t in terms(net, "D2", TODAY).orgs] == []
    assert [(t.status, t.org_id) for t in terms(net, "D2", YESTERDAY).orgs] == [("missing", "PE4")]
    assert [t.type for t in terms(net, "D2", YESTERDAY).orgs] == ["branch"]


@pytest.mark.parametrize(
    ("day", "owners_gaps"),
    [(YESTERDAY, ["E6", "E7"]), (TODAY, ["E4", "E6", "E7"]), (TOMORROW, ["E4", "E7"])],
)
def test_owners_committees_count_while_they_exist(
    net: Database, day: str, owners_gaps: list[str]
) -> None:
    assert [g.estate_id for g in gaps(net, "owners", "D2", day).rows] == owners_gaps


def test_the_chain_climbs_only_through_orgs_that_exist(net: Database) -> None:
    assert [link.org_id for link in chain(net, "P-E6", YESTERDAY).links] == ["PE6", "PC3", "PS2"]
    today = chain(net, "P-E6", TODAY).links
    assert [link.org_id for link in today] == ["PC3", "PS2"]
    assert today[0].via == "lives_in"
    assert [link.org_id for link in chain(net, "P-E6", TOMORROW).links] == ["PE7", "PC3", "PS2"]
    # A path walks no org that does not exist that day: yesterday through P-E6's own org.
    assert [p.hops for p in paths(net, "P-E6", "PC3", YESTERDAY, k=1).paths] == [2]
    assert [p.hops for p in paths(net, "P-E6", "PC3", TODAY, k=1).paths] == [4]


# -- what changed between two days (orgnet changes) -------------------------------------------


def _changed(net: Database, scope: str, since: str, until: str) -> dict:
    found = changes(net, scope, since, until)
    return {
        "orgs": sorted((o.org_id, o.change, o.day) for o in found.org_changes),
        "estates": sorted((e.estate_id, e.change, e.built) for e in found.estate_changes),
        "secretaries": [(s.org_id, s.before_ids, s.after_ids) for s in found.secretary_changes],
        "ties": sorted((t.kind, t.from_id, t.to_id, t.change) for t in found.tie_changes),
        "renewed": [r.org_id for r in found.renewals],
    }


def test_changes_compare_the_network_of_two_days(net: Database) -> None:
    # D2, from yesterday to today: PE6 dissolved, PE4 upgraded; E6 and E7 lose their orgs; PE4's
    # term began today.
    assert _changed(net, "D2", YESTERDAY, TODAY) == {
        "orgs": [("PE4", "upgraded", None), ("PE6", "dissolved", TODAY)],
        "estates": [("E6", "uncovered", False), ("E7", "uncovered", False)],
        "secretaries": [], "ties": [], "renewed": ["PE4"],
    }  # fmt: skip
    # From today to tomorrow: PE7 founded, covering E6; PE4's dated cover of E7 begins.
    found = changes(net, "D2", TODAY, TOMORROW)
    assert [(o.org_id, o.change, o.type_after, o.level_after) for o in found.org_changes] == [
        ("PE7", "founded", "branch", "estate")
    ]
    assert (found.orgs_founded, found.estate_orgs_founded, found.estates_covered) == (1, 1, 2)
    assert [r.org_id for r in found.renewals] == ["PE7"]
    # Over both days E6 is covered at each end (PE6, then PE7): no change in coverage.
    assert _changed(net, "D2", YESTERDAY, TOMORROW)["estates"] == []
    # E5 is built in 2027 and not covered: built; E6 and E7 covered again by then.
    assert _changed(net, "D2", TODAY, "2027-06-01")["estates"] == [
        ("E5", "built", True), ("E6", "covered", False), ("E7", "covered", False)
    ]  # fmt: skip
    # D1: the secretary of PC2 left today; a pairing and a report ended today, others begin
    # tomorrow.
    d1 = _changed(net, "D1", YESTERDAY, TODAY)
    assert d1["secretaries"] == [("PC2", ["P-C2"], [])]
    assert d1["ties"] == [("pairing", "U1", "C1", "ended"), ("report", "P-g", "C2", "ended")]
    assert _changed(net, "D1", TODAY, TOMORROW)["ties"] == [
        ("pairing", "U2", "C2", "began"), ("report", "P-g2", "C1", "began")
    ]  # fmt: skip


def test_changes_agree_with_the_questions_of_each_day(net: Database) -> None:
    """What changes says of estates is what the gap list says on each of the two days."""
    days = ["2014-12-31", YESTERDAY, TODAY, TOMORROW, "2027-06-01"]
    for since, until in [(a, b) for a in days for b in days if a < b]:
        for scope in ("D1", "D2", None):
            found = changes(net, scope, since, until)
            before = {r.estate_id for r in gaps(net, "estates", scope, since).rows}
            after = {r.estate_id for r in gaps(net, "estates", scope, until).rows}
            covered = {e.estate_id for e in found.estate_changes if e.change == "covered"}
            uncovered = {e.estate_id for e in found.estate_changes if e.change == "uncovered"}
            assert covered == before - after, (scope, since, until)
            built = {e.estate_id for e in found.estate_changes if e.built}
            assert uncovered == after - before - built, (scope, since, until)
            orgs = census(net, scope, until).orgs, census(net, scope, since).orgs
            net_orgs = sum(r.orgs for r in orgs[0]) - sum(r.orgs for r in orgs[1])
            if scope is None:  # everything: every org counts, so founded less dissolved
                assert found.orgs_founded - found.orgs_dissolved == net_orgs, (since, until)


def test_changes_refuse_a_period_that_is_not_one(net: Database) -> None:
    for since, until in [(TODAY, TODAY), (TOMORROW, TODAY), ("2026-13-01", TODAY), (None, TODAY)]:
        with pytest.raises(BadRequest):
            changes(net, "D2", since, until)


# -- progress over time (orgnet trend) ---------------------------------------------------------


def test_the_trend_of_many_days_is_what_each_day_answers(net: Database) -> None:
    """Read in one pass, each day's figures are the coverage and census of that day — on the
    edges of the dated network (yesterday, today, tomorrow) and before and after them."""
    days = ["2014-12-31", "2020-06-30", YESTERDAY, TODAY, TOMORROW, "2027-06-01"]
    for scope in ("D1", "D2", "C3", None):
        where = resolve_scope(net, scope)
        for point in figures_on(net, where, days):
            day = point.day
            asked = coverage_summary(net, scope, day)
            counted = census(net, scope, day)
            assert (point.estates, point.households, point.org_covered, point.work_covered) == (
                asked.estates, asked.households, asked.org_covered, asked.work_covered
            ), (scope, day)  # fmt: skip
            for kind in GAP_KINDS:
                listed = len(gaps(net, kind, scope, day).rows)
                assert getattr(point, f"gaps_{kind}") == listed, (scope, day, kind)
            by_type: dict[str, int] = {}
            for r in counted.orgs:
                by_type[r.type] = by_type.get(r.type, 0) + r.orgs
            assert point.orgs == sum(by_type.values()), (scope, day)
            assert (point.general_branches, point.branches) == (
                by_type.get("general_branch", 0), by_type.get("branch", 0)
            ), (scope, day)  # fmt: skip
            assert point.members == sum(r.members for r in counted.members), (scope, day)
            due = terms(net, scope, day)
            assert (point.terms_overdue, point.terms_missing) == (
                sum(1 for o in due.orgs if o.status == "overdue"),
                sum(1 for o in due.orgs if o.status == "missing"),
            ), (scope, day)
    # The edges themselves: PE4 a general branch from today, PE6 gone today, PE7 from tomorrow.
    d2 = {p.day: p for p in figures_on(net, resolve_scope(net, "D2"), days)}
    assert [(d2[d].general_branches, d2[d].branches) for d in (YESTERDAY, TODAY, TOMORROW)] == [
        (0, 2), (1, 0), (1, 1)
    ]  # fmt: skip
    assert [d2[d].org_covered for d in (YESTERDAY, TODAY, TOMORROW)] == [3, 1, 3]


def test_the_steps_of_many_days_add_up_to_each_day_asked_alone(net: Database) -> None:
    """The trend reads each thing only on the days it may change (its turns) and adds the
    steps up; asked one day at a time there are no steps, only the day's own judgment. Every
    dated day of the network, the day before and the day after, in random runs of days (so
    that some turns fall on a day of the run, some between two, some before the first)."""
    dated_days: set[str] = set()
    for rows in dated().values():
        for row in rows:
            for value in row.values():
                if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
                    day = dt.date.fromisoformat(value if len(value) == 10 else value + "-01")
                    dated_days |= {
                        (day + dt.timedelta(days=shift)).isoformat() for shift in (-1, 0, 1)
                    }
    assert {YESTERDAY, TODAY, TOMORROW, "2021-05-01", "2024-12-31"} <= dated_days
    days = sorted(dated_days | {"2027-01-01", "2028-12-31"})  # built_year 2027, terms ending
    alone = {}
    for scope in ("D1", "D2", "C3", None):
        where = resolve_scope(net, scope)
        alone = {day: figures_on(net, where, [day])[0] for day in days}
        runs = random.Random(f"steps {scope}")
        for _ in range(6):
            run_of = sorted(runs.sample(days, runs.randint(2, len(days))))
            assert figures_on(net, where, run_of) == [alone[day] for day in run_of], scope
        assert figures_on(net, where, days) == [alone[day] for day in days], scope


def test_a_trend_ends_each_period_and_the_series_on_its_last_day(net: Database) -> None:
    found = trend(net, "D2", "2026-09-15", TODAY, "month")
    assert [p.day for p in found.points] == ["2026-09-30", "2026-10-31", TODAY]
    assert found.points[-1].org_covered == 1 and found.points[-2].org_covered == 3
    assert [p.day for p in trend(net, "D2", "2025-01-01", TOMORROW, "year").points] == [
        "2025-12-31", TOMORROW
    ]  # fmt: skip
    for since, until, every in [
        (TOMORROW, TODAY, "month"), (None, TODAY, "month"), ("2026-13-01", TODAY, "month"),
        ("1900-01-01", TODAY, "month"), (YESTERDAY, TODAY, "week"),
    ]:  # fmt: skip
        with pytest.raises(BadRequest):
            trend(net, "D2", since, until, every)
