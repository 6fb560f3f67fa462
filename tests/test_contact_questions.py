"""Contact paths (DESIGN §4): chain, path, cross-appointments, triads and brokers, on the
hand-built city of tests/city.py (answers worked out by hand in its docstring)."""

from __future__ import annotations

import re

import pytest

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest, NotFound
from orgnet.graph.settings import REPO
from orgnet.queries.paths import CONTACT_RELS, brokers, chain, cross_appointments, paths

from .city import TODAY


def _chain(db: Database, id: str, **kw: object) -> list[str]:
    return [link.org_id for link in chain(db, id, TODAY, **kw).links]  # type: ignore[arg-type]


def test_chain_starts_at_the_most_specific_org(graph: Database) -> None:
    assert _chain(graph, "B31") == ["PC1", "PW1"]  # no org on E3 or G2: the community's
    assert _chain(graph, "B12") == ["PJ", "PC1", "PW1"]  # the estate's before the grid's
    assert _chain(graph, "B51") == ["PG3", "PC2", "PW1"]  # E5 uncovered: the grid's
    assert _chain(graph, "P-O2") == ["PQ1", "PJ", "PC1", "PW1"]  # not a member: where they live
    assert _chain(graph, "P-F1") == ["PF1"]
    assert _chain(graph, "PQ7") == ["PQ7", "PB7", "PC3"]
    assert _chain(graph, "F1") == ["PF1"]
    assert _chain(graph, "P-M3") == []


def test_chain_names_current_secretaries_with_masked_phones(graph: Database) -> None:
    links = chain(graph, "B51", TODAY).links
    assert links[0].via == "covers_grid"
    assert [[s.id for s in link.secretaries] for link in links] == [["P-G3"], [], ["P-W1"]]
    assert links[2].secretaries[0].phone == "138****0001"
    shown = chain(graph, "B51", TODAY, show_phone=True).links
    assert shown[2].secretaries[0].phone == "13800000001"
    # PC2's secretary left on 2025-06-30: still in post a year earlier.
    earlier = chain(graph, "B51", "2024-06-30").links
    assert [s.id for s in earlier[1].secretaries] == ["P-C2"]


def test_chain_of_an_unknown_id(graph: Database) -> None:
    with pytest.raises(NotFound):
        chain(graph, "nobody", TODAY)


def test_paths_tie_in_the_order_of_their_ids(graph: Database) -> None:
    found = paths(graph, "P-O1", "P-O3", TODAY, k=2).paths
    assert [[n.id for n in p.nodes] for p in found] == [
        ["P-O1", "B11", "P-O3"],
        ["P-O1", "OC1", "P-O3"],
    ]
    assert found[0].rels == [["LIVES_IN"], ["LIVES_IN"]]


def test_k_alternatives_go_on_to_the_next_length_in_the_order_of_their_ids(graph: Database) -> None:
    found = paths(graph, "P-O1", "P-O3", TODAY, k=5).paths
    assert [(p.hops, [n.id for n in p.nodes]) for p in found] == [
        (2, ["P-O1", "B11", "P-O3"]),
        (2, ["P-O1", "OC1", "P-O3"]),
        (2, ["P-O1", "PJ", "P-O3"]),
        (4, ["P-O1", "B11", "E1", "OC1", "P-O3"]),
        (4, ["P-O1", "B11", "E1", "PJ", "P-O3"]),
    ]
    assert found[3].rels == [["LIVES_IN"], ["PART_OF"], ["REPRESENTS"], ["HOLDS"]]


def test_contacts_joined_several_ways_are_one_step_and_k_paths_differ_in_whom_they_pass(
    graph: Database,
) -> None:
    # A secretary holds a post in the org she is a member of: one step, listing both.
    (row,) = graph.read(
        "MATCH (p:Person)-[:HOLDS]->(o:PartyOrg)<-[:MEMBER_OF]-(p) "
        "RETURN p.id AS person, o.id AS org ORDER BY person LIMIT 1"
    )
    (only,) = paths(graph, row["person"], row["org"], TODAY, k=3, max_hops=1).paths
    assert only.rels == [["MEMBER_OF", "HOLDS"]] or only.rels == [["HOLDS", "MEMBER_OF"]]
    assert only.rels[0] == sorted(only.rels[0], key=CONTACT_RELS.index)
    for source, target in (("P-O1", "P-O3"), ("P-J", "P-C1"), (row["person"], "P-W1")):
        found = paths(graph, source, target, TODAY, k=10, max_hops=6).paths
        through = [tuple(n.id for n in p.nodes) for p in found]
        assert len(through) == len(set(through)), through
        assert all(len(p.rels) == p.hops and all(p.rels) for p in found)


def test_paths_name_their_ends_and_an_unknown_end(graph: Database) -> None:
    found = paths(graph, "P-O1", "F3", TODAY, max_hops=2)
    assert (found.source.id, found.source.label, found.target.label) == (
        "P-O1",
        "Person",
        "PropertyFirm",
    )
    assert found.paths == []  # F3 is 7 hops away
    with pytest.raises(NotFound, match="nobody"):
        paths(graph, "P-O1", "nobody", TODAY)
    with pytest.raises(NotFound, match="nobody"):
        paths(graph, "nobody", "P-O1", TODAY)


def test_paths_follow_only_current_relationships_of_the_chosen_types(graph: Database) -> None:
    assert paths(graph, "P-O1", "P-O4", TODAY, rels=["HOLDS"]).paths == []
    [found] = paths(graph, "P-O1", "P-O4", "2023-06-01", rels=["holds"]).paths
    assert [n.id for n in found.nodes] == ["P-O1", "OC1", "P-O4"]


def test_an_expired_shortcut_gives_way_to_the_current_paths(graph: Database) -> None:
    rels = ["HOLDS", "LIVES_IN", "PART_OF", "REPRESENTS"]
    found = paths(graph, "P-O4", "OC1", TODAY, k=2, rels=rels).paths
    assert [[n.id for n in p.nodes] for p in found] == [
        ["P-O4", "B11", "E1", "OC1"],
        ["P-O4", "B11", "P-O1", "OC1"],
    ]
    [then] = paths(graph, "P-O4", "OC1", "2023-06-01", k=1, rels=rels).paths
    assert [n.id for n in then.nodes] == ["P-O4", "OC1"]


def test_paths_respect_max_hops(graph: Database) -> None:
    assert paths(graph, "P-O1", "F3", TODAY, max_hops=6).paths == []
    assert paths(graph, "P-O1", "F3", TODAY, max_hops=7, k=1).paths[0].hops == 7


def test_paths_reject_bad_arguments(graph: Database) -> None:
    with pytest.raises(BadRequest):
        paths(graph, "P-O1", "F3", TODAY, rels=["IN_GRID"])
    with pytest.raises(BadRequest):
        paths(graph, "P-O1", "F3", TODAY, k=11)
    with pytest.raises(BadRequest):
        paths(graph, "P-O1", "F3", TODAY, max_hops=13)


def test_cross_appointments_by_pattern(graph: Database) -> None:
    found = cross_appointments(graph, "D1", TODAY)
    assert [(p.person_id, p.pattern) for p in found.persons] == [
        ("P-C1", "community+party"),
        ("P-J", "owners+party"),
        ("P-M3", "party+property"),
    ]
    assert [(p.pattern, p.persons) for p in found.patterns] == [
        ("community+party", 1),
        ("owners+party", 1),
        ("party+property", 1),
    ]
    assert [p.person_id for p in cross_appointments(graph, "C3", TODAY).persons] == ["P-M3"]


def test_triads_linked_and_unlinked(graph: Database) -> None:
    found = cross_appointments(graph, "D1", TODAY)
    assert [(t.estate_id, t.org_ids, t.committee_ids, t.firm_ids) for t in found.triad_gaps] == [
        ("E1", ["PJ"], ["OC1"], ["F1"])
    ]
    assert found.triads_linked == 2


def test_brokers_cut_organizations_apart(graph: Database) -> None:
    found = brokers(graph, "D1", TODAY)
    assert [(b.community_id, b.person_id, b.cut_off) for b in found.brokers] == [
        ("C1", "P-C1", ["G1"]),
        ("C1", "P-J", ["MC2"]),
        ("C3", "P-M3", ["F3"]),
    ]
    assert found.brokers_total == 3
    assert found.brokers[0].cut_off_names == [
        graph.read("MATCH (g {id: 'G1'}) RETURN g.name AS name")[0]["name"]
    ]
    # --top cuts the brokers as it cuts the ranking, and the answer says how many there are.
    first = brokers(graph, "D1", TODAY, top=1)
    assert ([b.person_id for b in first.brokers], first.brokers_total) == (["P-C1"], 3)
    c3 = brokers(graph, "C3", TODAY)
    assert [(c.person_id, c.pairs) for c in c3.central] == [("P-M3", 103)]
    assert not c3.sampled


def test_the_path_query_follows_exactly_the_contact_relationships() -> None:
    # The pattern names the types, so no other relationship (SERVES, IN_GRID, …) can ever be
    # walked, whatever $types holds; it must name every contact type.
    for name in ("path", "path_current"):
        text = (REPO / "queries" / "cypher" / f"{name}.cypher").read_text(encoding="utf-8")
        named = re.search(r"\(\)-\[r:([A-Z_|\s]+)\]-\((step)?\)", text)
        assert named is not None, name
        assert set(re.split(r"[|\s]+", named.group(1).strip())) == set(CONTACT_RELS), name
