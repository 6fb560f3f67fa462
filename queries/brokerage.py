"""The graph work behind brokers (DESIGN §4), apart from the database: which persons cut a
community's organizations apart, and who lies on the most shortest paths.

Cut-offs are found in one depth-first search per community (Hopcroft and Tarjan's low points):
removing a vertex v separates the subtree of each child c whose low point does not reach above
v, and the rest of the component stays together — so every piece's count of organizations is a
sum the search has already made, and all brokers cost time linear in the graph. The lists of
what each cuts off are drawn for the few brokers an answer shows.

Betweenness is exact on small graphs and estimated above EXACT_BETWEENNESS_NODES by Riondato
and Kornaropoulos' sampling (WSDM 2014, NetworKit's ApproxBetweenness): enough shortest paths,
each drawn uniformly among those of a uniformly drawn pair, that every node's share of the pairs
is within EPSILON of the truth with probability at least 1 − DELTA (the sample size bounded by
the graph's vertex diameter through the VC dimension, with Löffler and Phillips' constant).
KADABRA (Borassi and Natale), adaptive and faster, was measured first: on xinfu's largest
component NetworKit's KADABRA gave a unit and the party org based in it, each on 13.1% of the
pairs, 20.1% and 7.0% (at a stated bound of 2%, whatever the seed), while this estimator stayed
within a third of its bound on the whole graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Exact betweenness costs a breadth-first search from every node; above this many nodes the
# estimate with a guarantee takes its place.
EXACT_BETWEENNESS_NODES = 5_000
# Every node's share of the pairs within EPSILON, with probability at least 1 − DELTA.
EPSILON = 0.05
DELTA = 0.1
VC_CONSTANT = 0.5  # the universal constant of the sample size (Löffler and Phillips)
SEED = 7


@dataclass(frozen=True)
class Betweenness:
    """Unnormalised betweenness: ``pairs[node]`` is the number of unordered pairs of other
    nodes whose shortest paths run through the node (split evenly among ties). Estimated:
    ``epsilon`` and ``delta`` are the guarantee, ``pairs_error`` the same bound in pairs."""

    pairs: dict[str, float]
    epsilon: float | None = None
    delta: float | None = None
    pairs_error: float | None = None


def cut_counts(adjacency: dict[str, set[str]], is_org: dict[str, bool]) -> dict[str, int]:
    """For every vertex whose removal leaves organizations of its component apart, how many
    it cuts off: the organizations of every piece but the largest (by organizations).

    >>> ring = {"a": {"p"}, "p": {"a", "b"}, "b": {"p", "q"}, "q": {"b", "c"}, "c": {"q"}}
    >>> sorted(cut_counts(ring, {"a": True, "b": True, "c": True, "p": False, "q": False}).items())
    [('b', 1), ('p', 1), ('q', 1)]
    """
    disc: dict[str, int] = {}
    low: dict[str, int] = {}
    orgs: dict[str, int] = {}  # organizations in the depth-first subtree of a vertex
    counts: dict[str, int] = {}
    for root in adjacency:
        if root in disc:
            continue
        # Separated pieces of each vertex of this component, found as its children finish.
        pieces: dict[str, list[int]] = {}
        order = [root]
        disc[root] = low[root] = 0
        orgs[root] = int(is_org[root])
        stack: list[tuple[str, str | None, Any]] = [(root, None, iter(adjacency[root]))]
        while stack:
            v, parent, neighbours = stack[-1]
            advanced = False
            for w in neighbours:
                if w not in disc:
                    disc[w] = low[w] = len(disc)
                    orgs[w] = int(is_org[w])
                    order.append(w)
                    stack.append((w, v, iter(adjacency[w])))
                    advanced = True
                    break
                if w != parent and disc[w] < low[v]:
                    low[v] = disc[w]
            if advanced:
                continue
            stack.pop()
            if parent is not None:
                orgs[parent] += orgs[v]
                if low[v] < low[parent]:
                    low[parent] = low[v]
                if low[v] >= disc[parent]:  # v's subtree hangs on parent alone
                    pieces.setdefault(parent, []).append(orgs[v])
        total = orgs[root]
        for v, separated in pieces.items():
            if v != root:  # the rest of the component: its parent's side and the subtrees
                # of children that reach above v by another way
                separated = [*separated, total - int(is_org[v]) - sum(separated)]
            found = [n for n in separated if n]
            if len(found) >= 2:
                counts[v] = sum(found) - max(found)
    return counts


def cut_off(adjacency: dict[str, set[str]], is_org: dict[str, bool], person: str) -> list[str]:
    """The organizations that lose their way to the rest of the person's component when the
    person is removed: all but those of the largest remaining piece that holds organizations
    (by size, then by their ids)."""
    seen = {person}
    pieces: list[list[str]] = []
    for start in sorted(adjacency[person]):
        if start in seen:
            continue
        seen.add(start)
        frontier, piece = [start], []
        while frontier:
            node = frontier.pop()
            if is_org[node]:
                piece.append(node)
            for neighbour in adjacency[node]:
                if neighbour not in seen:
                    seen.add(neighbour)
                    frontier.append(neighbour)
        if piece:
            pieces.append(sorted(piece))
    if len(pieces) < 2:
        return []
    pieces.sort(key=lambda p: (-len(p), p))
    return sorted(org for piece in pieces[1:] for org in piece)


def betweenness(
    nodes: list[str], edges: Iterable[tuple[str, str]], *, exact_up_to: int | None = None
) -> Betweenness:
    """Betweenness of an undirected graph, each pair of nodes counted once: exact up to
    ``exact_up_to`` nodes (EXACT_BETWEENNESS_NODES by default), else an estimate with its
    guarantee."""
    nk = networkit()
    index = {node: i for i, node in enumerate(nodes)}
    graph = nk.Graph(len(nodes))
    for a, b in sorted({(a, b) if a < b else (b, a) for a, b in edges if a != b}):
        graph.addEdge(index[a], index[b])
    n = len(nodes)
    pairs = n * (n - 1) / 2
    if n <= (EXACT_BETWEENNESS_NODES if exact_up_to is None else exact_up_to):
        exact = nk.centrality.Betweenness(graph, False)
        exact.run()
        # NetworKit counts both orders of every pair on an undirected graph. Rounded so that
        # sums taken in a different order by its threads rank the same.
        scores = [round(s / 2, 6) for s in exact.scores()]
        return Betweenness(dict(zip(nodes, scores, strict=True)))
    nk.engineering.setSeed(SEED, True)  # a seed for each thread: the same answer each time
    estimate = nk.centrality.ApproxBetweenness(graph, EPSILON, DELTA, VC_CONSTANT)
    estimate.run()
    # Each node's share of the pairs of nodes.
    scores = [round(s * pairs, 1) for s in estimate.scores()]
    return Betweenness(
        dict(zip(nodes, scores, strict=True)), EPSILON, DELTA, round(EPSILON * pairs, 1)
    )


def networkit() -> Any:
    """NetworKit, imported without its profiling module: on import that module writes a
    script into any notebook that imports NetworKit (display_html at module level), and orgnet
    never profiles. A stand-in takes its place before NetworKit is first imported."""
    import sys
    import types

    if "networkit" not in sys.modules:
        package = types.ModuleType("networkit.profiling")
        module = types.ModuleType("networkit.profiling.profiling")
        package.profiling = module  # type: ignore[attr-defined]
        sys.modules.setdefault("networkit.profiling", package)
        sys.modules.setdefault("networkit.profiling.profiling", module)
    import networkit

    return networkit
