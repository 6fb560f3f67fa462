"""Brokers' graph work (queries/brokerage.py) against NetworkX, which shares none of its code:
the cut-offs of every vertex in one search, against removing each vertex in turn; exact
betweenness against Brandes' as NetworkX computes it; and the estimate held to the guarantee
it states."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

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
