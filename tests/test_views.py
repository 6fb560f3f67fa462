"""Network views on the hand-built city (tests/city.py): what each draws — nodes, edges, the
gaps ringed — and that a page fetches nothing: no script, stylesheet or @import from the
network, and no name in the data can end its script."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from orgnet.api.tree import draw_tree
from orgnet.api.views import draw
from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest
from orgnet.queries import networks
from orgnet.queries.networks import contact_path, neighbourhood, structure

from .city import TODAY
from .dump import orgnet


@pytest.fixture
def cli_env(cli_env: dict) -> dict:
    """These tests read what the command says in English (ORGNET_LANG=en); the Chinese words
    are the same catalogue's (test_words.py holds both to the same keys)."""
    return {**cli_env, "ORGNET_LANG": "en"}


def _data(html: str, name: str) -> list[dict]:
    m = re.search(rf"var {name} = new vis\.DataSet\((.*?)\);\n", html)
    assert m, name
    return json.loads(m.group(1))


def _fetches(html: str) -> list[str]:
    """Every address a page would fetch: script and link sources, CSS @import and url()."""
    found = re.findall(
        r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?([^"' >]+)""", html, re.I
    )
    found += re.findall(r"""@import\s+(?:url\()?["']?([^"')\s;]+)""", html, re.I)
    found += re.findall(r"""url\(\s*["']?(https?:[^"')\s]+)""", html, re.I)
    return found


def test_the_structure_of_a_street_rings_its_gaps(graph: Database) -> None:
    network = structure(graph, "S1", TODAY)
    by_id = {n.id: n for n in network.nodes}
    # S1's places: itself, C1, C2, grids G1–G3, estates E1–E6, buildings B11–B61.
    places = {"S1", "C1", "C2", "G1", "G2", "G3", "E1", "E2", "E3", "E4", "E5", "E6",
              "B11", "B12", "B21", "B22", "B31", "B41", "B51", "B61"}  # fmt: skip
    assert places <= set(by_id)
    assert "E7" not in by_id and "C3" not in by_id
    assert by_id["E4"].gaps == ("actionable",) and by_id["E5"].gaps == ("actionable",)
    assert by_id["E3"].gaps == () and by_id["E6"].gaps == ()
    assert {b for b in ("B12", "B21", "B22") if by_id[b].gaps == ("no_group",)} == {
        "B12",
        "B21",
        "B22",
    }
    assert by_id["G2"].gaps == ("no_branch",)
    assert "vacant" in by_id["PG1"].gaps and "vacant" in by_id["PC2"].gaps
    edges = {(e.source, e.target, e.type) for e in network.edges}
    assert ("PQ1", "B11", "COVERS") in edges and ("PC1", "PW1", "REPORTS_TO") in edges
    assert ("B11", "E1", "PART_OF") in edges and ("B11", "G1", "IN_GRID") in edges
    view = draw(network, hierarchy=True)
    nodes, drawn = _data(view.html, "nodes"), _data(view.html, "edges")
    assert (view.nodes, view.edges) == (len(network.nodes), len(network.edges))
    assert len(nodes) == view.nodes and len(drawn) == view.edges
    ringed = {n["id"] for n in nodes if n.get("borderWidth") == 5}
    assert {"E4", "E5", "B12", "G2", "PG1"} <= ringed and "E1" not in ringed
    assert "应建未建党组织" in view.html and "楼栋" in view.html
    assert _fetches(view.html) == []


def test_the_structure_reads_as_an_org_chart(graph: Database) -> None:
    from orgnet.api.tree import tree

    network = structure(graph, "S1", TODAY)
    (street,) = tree(network, "zh")
    assert (street.id, street.kind, street.open) == ("S1", "街道", True)
    communities = {c.id: c for c in street.children}
    assert set(communities) == {"C1", "C2"} and all(c.open for c in communities.values())
    c1 = communities["C1"]
    # Grids first, then estates, each with what it holds; the community's org beside it.
    assert [p.id for p in c1.children][:1] == ["G1"] and "E1" in [p.id for p in c1.children]
    assert [o.id for o in c1.orgs] == ["PC1"]
    e1 = next(p for p in c1.children if p.id == "E1")
    assert not e1.open and [b.id for b in e1.children] == ["B11", "B12"]
    assert [o.id for o in e1.orgs] == ["PJ"]  # a joint branch, beside each estate it covers
    # A closed branch still says what it holds: B12 has no group, E4 and E5 no org, G2 no
    # branch, PC2 and PG1 no secretary.
    assert e1.gaps_below == 1
    below = {c.id: c.gaps_below for c in street.children}
    assert below["C1"] >= 2 and below["C2"] >= 1  # E5 in C2 has no org
    assert street.gaps_below == sum(
        below[c] + len(communities[c].gaps) + sum(len(o.gaps) for o in communities[c].orgs)
        for c in below
    )
    page = draw_tree(network).html
    assert "下辖缺口" in page and "应建未建党组织" in page and 'type="search"' in page
    assert _fetches(page) == [] and "E1小区" in page


def test_a_structure_needs_a_scope_and_stays_under_the_cap(
    graph: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(BadRequest, match="scope"):
        structure(graph, None, TODAY)
    monkeypatch.setattr(networks, "MAX_NODES", 10)
    with pytest.raises(networks.TooLarge, match="smaller scope"):
        structure(graph, "S1", TODAY)


def test_a_path_view_stars_its_ends_and_names_its_posts(graph: Database) -> None:
    network = contact_path(graph, "P-O1", "P-O3", TODAY, k=2)
    assert {n.id for n in network.nodes} == {"P-O1", "P-O3", "B11", "OC1"}
    view = draw(network, lang="en")
    nodes = _data(view.html, "nodes")
    assert {n["id"] for n in nodes if n.get("shape") == "star"} == {"P-O1", "P-O3"}
    assert {e["label"] for e in _data(view.html, "edges")} >= {"lives in", "holds"}
    assert _fetches(view.html) == []


def test_a_name_cannot_end_the_page_s_script(graph: Database) -> None:
    graph.write(
        "CREATE (:Entity:Person {id: 'P-EVIL', name: '</script><script>alert(1)</script>'})"
        "-[:LIVES_IN]->(:Entity:Building {id: 'B-EVIL', name: 'x'})"
    )
    try:
        network, _ = neighbourhood(graph, "B-EVIL", TODAY)
        html = draw(network).html
        assert "<script>alert(1)" not in html
        assert [n["label"] for n in _data(html, "nodes") if n["id"] == "P-EVIL"] == [
            "</script><script>alert(1)</script>"
        ]
    finally:
        graph.write("MATCH (n:Entity) WHERE n.id IN ['P-EVIL', 'B-EVIL'] DETACH DELETE n")


def test_orgnet_viz_writes_each_view(graph: Database, tmp_path: Path, cli_env: dict) -> None:
    for args in (
        ["structure", "--scope", "C1"],
        ["pairing", "--scope", "S1"],
        ["cross"],
        ["path", "P-O1", "P-O3", "-k", "2"],
        ["neighbourhood", "E1", "--depth", "2"],
    ):
        out = tmp_path / f"{args[0]}.html"
        done = orgnet("viz", *args, "--out", str(out), "--as-of", TODAY, env=cli_env)
        assert done.returncode == 0, done.stderr
        assert f"wrote {out}" in done.stdout
        html = out.read_text(encoding="utf-8")
        assert _fetches(html) == []
        if args[0] == "structure":  # an org chart: a tree of the places
            assert 'class="place"' in html and "orgnetView" in html
        else:
            assert _data(html, "nodes")
    refused = orgnet("viz", "structure", "--scope", "E1", "--out", str(tmp_path / "x.html"),
                     env=cli_env)  # fmt: skip
    assert refused.returncode == 2 and "E1" in refused.stderr
    wrong = orgnet(
        "viz", "structure", "--scope", "C1", "--out", str(tmp_path / "x.png"), env=cli_env
    )
    assert wrong.returncode == 2 and ".html" in wrong.stderr


def test_the_pairing_view_shows_who_is_paired_with_whom(graph: Database) -> None:
    network = networks.pairing(graph, "D1", TODAY)
    by_id = {n.id: n for n in network.nodes}
    edges = {(e.source, e.target) for e in network.edges}
    # U1 → C1, U2 → E5 (so C2), U3 → C3; U4 never paired, U5 only from 2030.
    assert edges == {("U1", "C1"), ("U2", "C2"), ("U3", "C3")}
    assert {u for u in ("U1", "U2", "U3", "U4", "U5") if by_id[u].gaps == ("idle",)} == {"U4", "U5"}
    assert [by_id[c].gaps for c in ("C1", "C2", "C3")] == [(), (), ()]
    assert (by_id["C1"].size, by_id["C2"].size, by_id["C3"].size) == (1200, 200, 500)
    later = {(e.source, e.target) for e in networks.pairing(graph, "D1", "2030-06-01").edges}
    assert ("U5", "C1") in later
    assert _fetches(draw(network).html) == []


def test_the_cross_view_ties_people_to_the_bodies_they_sit_on(graph: Database) -> None:
    network = networks.cross(graph, "D1", TODAY)
    by_id = {n.id: n for n in network.nodes}
    edges = {(e.source, e.target, e.type) for e in network.edges}
    assert {n.id for n in network.nodes if n.label == "Person"} == {"P-C1", "P-J", "P-M3"}
    assert {("P-C1", "PC1", "HOLDS"), ("P-C1", "G1", "HOLDS"), ("P-J", "MC2", "HOLDS"),
            ("P-M3", "F3", "HOLDS")} <= edges  # fmt: skip
    assert (by_id["G1"].label, by_id["MC2"].label, by_id["F3"].label) == (
        "Grid", "OwnersCommittee", "PropertyFirm",
    )  # fmt: skip
    # Triads: E1 (PJ, OC1, F1) linked by nobody; E2 by P-J; E7 by P-M3.
    assert by_id["E1"].gaps == ("broken",) and by_id["E2"].gaps == () and by_id["E7"].gaps == ()
    assert {("PJ", "E1", "COVERS"), ("OC1", "E1", "REPRESENTS"), ("F1", "E1", "MANAGES")} <= edges
    assert by_id["OC1"].name and by_id["F1"].name
    assert "*" in str(by_id["P-C1"].details["phone"])  # masked unless asked
    shown = networks.cross(graph, "D1", TODAY, show_phone=True)
    assert "*" not in str({n.id: n for n in shown.nodes}["P-C1"].details["phone"])
    assert _fetches(draw(network).html) == []
