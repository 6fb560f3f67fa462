"""Brokers' graph work (queries/brokerage.py) against NetworkX, which shares none of its code:
the cut-offs of every vertex in one search, against removing each vertex in turn; exact
betweenness against Brandes' as NetworkX computes it; and the estimate held to the guarantee
it states."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pytest
from scipy.sparse.csgraph import connected_components

from orgnet.queries import brokerage
from orgnet.queries.brokerage import betweenness, cut_counts, cut_off


def _pieces(g: nx.Graph, v: int, is_org: dict[int, bool]) -> list[list[int]]:
    """The organizations of each piece v's component falls into without v (those holding any)."""
    rest = g.subgraph(nx.node_connected_component(g, v) - {v})
    pieces = [sorted(n for n in c if is_org[n]) for c in nx.connected_components(rest)]
    return [p for p in pieces if p]


def _graphs(count: int) -> list[tuple[nx.Graph, dict[int, bool]]]:
    made = []
    for seed in range(count):
        rng = random.Random(seed)
        n = rng.randint(1, 40)
        kind = seed % 3
        if kind == 0:
            g = nx.gnm_random_graph(n, rng.randint(0, 2 * n), seed=seed)
        elif kind == 1:  # tree-like: most vertices cut something off
            g = nx.random_labeled_tree(n, seed=seed) if n > 1 else nx.empty_graph(1)
        else:  # blocks joined at single vertices, as communities' orgs are by a secretary
            g = nx.disjoint_union_all(
                [nx.cycle_graph(rng.randint(3, 6)) for _ in range(rng.randint(1, 5))]
            )
            nodes = list(g)
            for a, b in itertools.pairwise(nodes):
                if rng.random() < 0.2:
                    g.add_edge(a, b)
        made.append((g, {v: rng.random() < 0.5 for v in g}))
    return made


@pytest.mark.parametrize(("g", "is_org"), _graphs(400))
def test_the_cut_offs_of_every_vertex_in_one_search_are_those_of_removing_each(
    g: nx.Graph, is_org: dict[int, bool]
) -> None:
    names = {v: f"n{v:02d}" for v in g}
    adjacency = {names[v]: {names[w] for w in g[v]} for v in g}
    orgs = {names[v]: is_org[v] for v in g}
    expected = {}
    lists = {}
    for v in g:
        pieces = _pieces(g, v, is_org)
        if len(pieces) >= 2:
            pieces.sort(key=lambda p: (-len(p), [names[o] for o in p]))
            expected[names[v]] = sum(len(p) for p in pieces[1:])
            lists[names[v]] = sorted(names[o] for p in pieces[1:] for o in p)
    assert cut_counts(adjacency, orgs) == expected
    for v, listed in lists.items():
        assert cut_off(adjacency, orgs, v) == listed


def test_exact_betweenness_is_brandes_counting_each_pair_once() -> None:
    g = nx.barabasi_albert_graph(300, 2, seed=3)
    nodes = [f"n{v}" for v in g]
    found = betweenness(sorted(nodes), [(f"n{a}", f"n{b}") for a, b in g.edges])
    assert found.epsilon is None and found.delta is None and found.pairs_error is None
    truth = nx.betweenness_centrality(g, normalized=False)
    assert found.pairs == pytest.approx({f"n{v}": s for v, s in truth.items()}, abs=1e-5)


def test_the_estimate_stays_within_the_bound_it_states(monkeypatch: pytest.MonkeyPatch) -> None:
    g = nx.barabasi_albert_graph(2_000, 2, seed=5)
    nodes = sorted(f"n{v}" for v in g)
    edges = [(f"n{a}", f"n{b}") for a, b in g.edges]
    exact = betweenness(nodes, edges)
    monkeypatch.setattr(brokerage, "EXACT_BETWEENNESS_NODES", 1_000)
    estimate = betweenness(nodes, edges)
    assert (estimate.epsilon, estimate.delta) == (brokerage.EPSILON, brokerage.DELTA)
    pairs = len(nodes) * (len(nodes) - 1) / 2
    assert estimate.pairs_error == pytest.approx(brokerage.EPSILON * pairs, abs=0.1)
    worst = max(abs(estimate.pairs[v] - exact.pairs[v]) for v in nodes)
    assert worst <= estimate.pairs_error
    # A bound that is no bound (an estimate scaled wrong) would be far off here: the
    # estimate is close where the betweenness is large.
    top = sorted(nodes, key=lambda v: -exact.pairs[v])[:10]
    assert worst < exact.pairs[top[0]] / 10
    assert len(set(top) & set(sorted(nodes, key=lambda v: -estimate.pairs[v])[:10])) >= 8
    # The same answer every time: the sampling is seeded and deterministic across threads.
    assert betweenness(nodes, edges) == estimate


def _contact_like(seed: int) -> nx.Graph:
    """A graph shaped as a city's contact graph is: most persons hang off one organization
    (trees of depth one or two), a block with cycles joined to the rest by a chain, two
    organizations joined by two persons each on an equal share of the paths between them,
    and pieces apart (trees, a cycle, a single link)."""
    rng = random.Random(seed)
    g = nx.Graph()
    g.add_edges_from([("h1", "x"), ("x", "h2"), ("h1", "y"), ("y", "h2")])  # ties: x or y
    for hub, count in (("h1", 300), ("h2", 250)):
        for i in range(count):
            g.add_edge(hub, f"{hub}-{i}")
            if rng.random() < 0.1:  # a person's own members: a tree of depth two
                for j in range(rng.randint(1, 3)):
                    g.add_edge(f"{hub}-{i}", f"{hub}-{i}-{j}")
    block = nx.gnm_random_graph(150, 300, seed=seed)
    block = block.subgraph(max(nx.connected_components(block), key=len))
    g.add_edges_from((f"b{a}", f"b{b}") for a, b in block.edges)
    first = f"b{min(block)}"
    nx.add_path(g, ["h1", "c1", "c2", "c3", first])
    for i in range(12):
        tree = nx.random_labeled_tree(rng.randint(5, 60), seed=seed + i)
        g.add_edges_from((f"t{i}-{a}", f"t{i}-{b}") for a, b in tree.edges)
    nx.add_cycle(g, [f"r{i}" for i in range(9)])
    g.add_edge("lone-a", "lone-b")
    return g


@pytest.mark.parametrize("seed", [1, 2])
def test_the_estimate_keeps_its_bound_where_trees_hang_and_paths_tie(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """The sampling's shortcuts — pairs in two pieces, trees climbed rather than searched,
    one search for the pairs that share a root, ties drawn by their counts of paths — against
    Brandes' exact betweenness, at a bound tight enough that a tie always broken the same way
    (x 0, y all) would be caught."""
    g = _contact_like(seed)
    nodes = sorted(g)
    edges = list(g.edges)
    truth = nx.betweenness_centrality(g, normalized=False)
    monkeypatch.setattr(brokerage, "EXACT_BETWEENNESS_NODES", 100)
    monkeypatch.setattr(brokerage, "EPSILON", 0.02)
    estimate = betweenness(nodes, edges)
    assert estimate.epsilon == 0.02
    pairs = len(nodes) * (len(nodes) - 1) / 2
    assert estimate.pairs_error == pytest.approx(0.02 * pairs, abs=0.1)
    worst = max(abs(estimate.pairs[v] - truth[v]) for v in nodes)
    assert worst <= estimate.pairs_error
    # x and y split the paths between the two sides of the hubs: each well above the bound.
    assert truth["x"] == pytest.approx(truth["y"])
    assert truth["x"] > 2 * estimate.pairs_error
    # Ends of paths and leaves lie inside none.
    assert all(estimate.pairs[v] == 0 for v in nodes if g.degree(v) == 1)
    top = sorted(nodes, key=lambda v: -truth[v])[:10]
    assert len(set(top) & set(sorted(nodes, key=lambda v: -estimate.pairs[v])[:10])) >= 8
    assert betweenness(nodes, list(reversed(edges))) == estimate


def test_the_vertex_diameter_bound_holds_in_every_piece() -> None:
    for g, _ in _graphs(60):
        if g.number_of_edges() == 0:
            continue
        nodes = sorted(g)
        index = {v: i for i, v in enumerate(nodes)}
        ends = np.array([sorted((index[a], index[b])) for a, b in g.edges if a != b])
        adjacency = brokerage._adjacency(len(nodes), ends.reshape(-1, 2))
        count, piece = connected_components(adjacency, directed=False)
        truth = max(nx.diameter(g.subgraph(c)) + 1 for c in nx.connected_components(g))
        assert truth <= brokerage._vertex_diameter_bound(adjacency, piece, count)
