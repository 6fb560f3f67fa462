"""The graph work behind brokers (DESIGN §4), apart from the database: which persons cut a
community's organizations apart, and who lies on the most shortest paths.

Cut-offs are found in one depth-first search per community (Hopcroft and Tarjan's low points):
removing a vertex v separates the subtree of each child c whose low point does not reach above
v, and the rest of the component stays together — so every piece's count of organizations is a
sum the search has already made, and all brokers cost time linear in the graph. The lists of
what each cuts off are drawn for the few brokers an answer shows.

Betweenness is exact on small graphs and estimated above EXACT_BETWEENNESS_NODES by Riondato
and Kornaropoulos' sampling (WSDM 2014): enough shortest paths, each drawn uniformly among those
of a uniformly drawn pair, that every node's share of the pairs is within EPSILON of the truth
with probability at least 1 − DELTA (the sample size bounded by the graph's vertex diameter
through the VC dimension, with Löffler and Phillips' constant). The estimator is theirs; how a
path is drawn is shaped to the contact graph, where most persons hang off one organization and
the communities fall into pieces:
* a pair in two components has no path: it counts as drawn, and costs nothing;
* trees hanging off the graph are peeled first — their paths are unique, so a path between two
  nodes is the climb from each to where its tree hangs (its root) and a shortest path between
  the roots, drawn in the 2-core alone (a city's 63,356 nodes leave 17,263);
* pairs that share a root end share one breadth-first search, with its counts of shortest
  paths, from which each path is drawn backwards (each predecessor with its share of the paths).
NetworKit's ApproxBetweenness draws the same but searches the whole graph from every pair's
first node. KADABRA (Borassi and Natale), adaptive and faster, was measured first: on xinfu's
largest component NetworKit's KADABRA gave a unit and the party org based in it, each on 13.1%
of the pairs, 20.1% and 7.0% (at a stated bound of 2%, whatever the seed), while this estimator
stayed within a third of its bound on the whole graph.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

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

    def leaf_person(v: str) -> bool:  # cuts nothing off, and its piece holds no organization
        return not is_org[v] and len(adjacency[v]) == 1

    for root in adjacency:
        if root in disc or leaf_person(root):
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
                    if leaf_person(w):
                        continue
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
    index = {node: i for i, node in enumerate(nodes)}
    ends = _links(index, edges)
    n = len(nodes)
    if n <= (EXACT_BETWEENNESS_NODES if exact_up_to is None else exact_up_to):
        exact = networkit().centrality.Betweenness(_networkit_graph(n, ends), False)
        exact.run()
        # NetworKit counts both orders of every pair on an undirected graph. Rounded so that
        # sums taken in a different order by its threads rank the same.
        scores = [round(s / 2, 6) for s in exact.scores()]
        return Betweenness(dict(zip(nodes, scores, strict=True)))
    pairs = n * (n - 1) / 2
    scores = np.round(_sampled_shares(n, ends) * pairs, 1).tolist()
    return Betweenness(
        dict(zip(nodes, scores, strict=True)),
        EPSILON,
        DELTA,
        round(EPSILON * pairs, 1),
    )


def _links(index: dict[str, int], edges: Iterable[tuple[str, str]]) -> np.ndarray:
    """Each link once, as a row of the indices of its two ends (the smaller first), in order;
    a node's link to itself dropped."""
    ends = np.fromiter(
        map(index.__getitem__, itertools.chain.from_iterable(edges)), dtype=np.int64
    ).reshape(-1, 2)
    low, high = ends.min(axis=1), ends.max(axis=1)
    n = len(index)
    keys = np.unique((low * n + high)[low != high])
    return np.stack([keys // n, keys % n], axis=1) if n else ends


def sample_size(vertex_diameter: int) -> int:
    """Riondato and Kornaropoulos' number of shortest paths to draw for a graph whose shortest
    paths hold at most ``vertex_diameter`` nodes (0: none has a node inside it).

    >>> sample_size(2), sample_size(111)
    (0, 1861)
    """
    if vertex_diameter <= 2:
        return 0
    dimension = math.floor(math.log2(vertex_diameter - 2)) + 1
    return math.ceil(VC_CONSTANT / EPSILON**2 * (dimension - math.log(DELTA)))


def _sampled_shares(n: int, ends: np.ndarray) -> np.ndarray:
    """Each node's estimated share of the ordered pairs of other nodes whose shortest paths run
    through it: the shortest paths of ``sample_size`` uniformly drawn pairs, one drawn uniformly
    for each pair (see the module's docstring for how)."""
    adjacency = _adjacency(n, ends)
    components, piece = connected_components(adjacency, directed=False)
    hang = _Hanging.peel(adjacency)
    draws = sample_size(_vertex_diameter_bound(adjacency, piece, components))
    if not draws:
        return np.zeros(n)
    rng = np.random.default_rng(SEED)
    first = rng.integers(0, n, draws)
    second = rng.integers(0, n - 1, draws)
    second += second >= first  # uniform among the other nodes
    joined = piece[first] == piece[second]
    first, second = first[joined].tolist(), second[joined].tolist()
    root = hang.root
    # Pairs hanging off one root are a path in its tree; the others a path between their roots,
    # searched from the root that the most pairs share.
    inside: list[int] = []  # every node inside a drawn path, once for each path
    between: list[tuple[int, int, int, int]] = []
    for u, v in zip(first, second, strict=True):
        if root[u] == root[v]:
            inside.extend(hang.tree_path(u, v)[1:-1])
        else:
            between.append((u, v, root[u], root[v]))
    shared = Counter(r for *_, ru, rv in between for r in (ru, rv))
    by_source: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for u, v, ru, rv in between:
        if (shared[ru], -ru) >= (shared[rv], -rv):
            by_source[ru].append((u, v, rv))
        else:
            by_source[rv].append((v, u, ru))
    core, where = hang.core_graph(adjacency)
    starts, neighbours = core.indptr.tolist(), core.indices.tolist()
    inner = core.tocoo()
    upper = inner.row < inner.col  # each link once
    searched = _networkit_graph(len(hang.core), np.stack([inner.row[upper], inner.col[upper]], 1))
    # A search for several targets runs to the end; one for a single target stops there.
    whole, towards = (networkit().distance.BFS(searched, 0, False) for _ in range(2))
    for source in sorted(by_source):
        group = by_source[source]
        search = whole if len(group) > 1 else towards
        search.setSource(where[source])
        if search is towards:
            search.setTarget(where[group[0][2]])
        search.run()
        for u, v, target in group:
            inside.extend(hang.climb(u)[1:])  # u's tree to its root, the root included
            inside.extend(hang.climb(v)[1:])
            path = _drawn_path(search.distance, starts, neighbours, where[target], rng)
            inside.extend(hang.core[t] for t in path)
    return np.bincount(np.array(inside, dtype=np.int64), minlength=n) / draws


def _networkit_graph(n: int, ends: np.ndarray) -> Any:
    """An undirected NetworKit graph of ``n`` nodes with a link for each row of ``ends``."""
    return networkit().GraphFromCoo(
        (ends[:, 0].astype(np.uint64), ends[:, 1].astype(np.uint64)), n=n
    )


def _adjacency(n: int, ends: np.ndarray) -> csr_matrix:
    rows = np.concatenate([ends[:, 0], ends[:, 1]])
    columns = np.concatenate([ends[:, 1], ends[:, 0]])
    return csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, columns)), shape=(n, n))


def _vertex_diameter_bound(adjacency: csr_matrix, piece: np.ndarray, components: int) -> int:
    """At most how many nodes a shortest path holds: in each component, no more than its
    nodes, nor than twice the farthest distance from any one of its nodes, plus one. One
    search from a node of every component at once (the components share no node), so a
    graph of thousands of pieces costs one pass, not one per piece."""
    if not components:
        return 0
    _, starts = np.unique(piece, return_index=True)
    distances = dijkstra(adjacency, directed=False, indices=starts, unweighted=True, min_only=True)
    farthest = np.zeros(components)
    np.maximum.at(farthest, piece, distances)
    sizes = np.bincount(piece, minlength=components)
    return int(np.minimum(sizes, 2 * farthest + 1).max())


def _drawn_path(
    distance: Callable[[int], float],
    starts: list[int],
    neighbours: list[int],
    target: int,
    rng: np.random.Generator,
) -> list[int]:
    """The nodes strictly between a breadth-first search's source and ``target`` on a shortest
    path drawn uniformly among them (the graph in CSR form: a node's neighbours are
    ``neighbours[starts[node]:starts[node + 1]]``). The nodes of those paths are the target
    and, level by level back, the neighbours one step nearer the source; counting the paths
    from the source to each of them forwards, the path is drawn backwards, each nearer
    neighbour taken with its share of the paths. A search stopped at the target has the
    distances of every node nearer than it."""
    far = int(distance(target))
    levels = [[target]]
    nearer: dict[int, list[int]] = {}
    for step in range(far - 1, 0, -1):
        level: dict[int, None] = {}  # in the order found: the same draw every time
        for node in levels[-1]:
            before = [b for b in neighbours[starts[node] : starts[node + 1]] if distance(b) == step]
            nearer[node] = before
            level.update(dict.fromkeys(before))
        levels.append(list(level))
    paths = dict.fromkeys(levels[-1], 1) if far > 1 else {}
    for nodes in reversed(levels[1:-1]):
        for node in nodes:
            paths[node] = sum(paths[b] for b in nearer[node])
    inside: list[int] = []
    node = target
    for _ in range(far - 1):
        before = nearer[node]
        if len(before) > 1:
            weights = [paths[b] for b in before]
            pick = rng.random() * sum(weights)
            for b, weight in zip(before, weights, strict=True):
                node = b
                pick -= weight
                if pick < 0:
                    break
        else:
            node = before[0]
        inside.append(node)
    return inside


@dataclass(frozen=True)
class _Hanging:
    """The trees hanging off a graph, peeled leaf by leaf: each peeled node's parent (the
    neighbour left when it was peeled), the root its tree hangs from (a node of the 2-core, or
    the last node of a component that is a tree) and its depth below it."""

    parent: list[int]
    root: list[int]
    depth: list[int]
    core: list[int]  # the nodes never peeled, in order

    @classmethod
    def peel(cls, adjacency: csr_matrix) -> _Hanging:
        n = adjacency.shape[0]
        starts, neighbours = adjacency.indptr.tolist(), adjacency.indices.tolist()
        degree = [starts[i + 1] - starts[i] for i in range(n)]
        parent = [-1] * n
        peeled = [False] * n
        order: list[int] = []
        leaves = [i for i in range(n) if degree[i] == 1]
        while leaves:
            leaf = leaves.pop()
            if degree[leaf] != 1:  # the last node of a tree: its root
                continue
            peeled[leaf] = True
            order.append(leaf)
            for other in neighbours[starts[leaf] : starts[leaf + 1]]:
                if not peeled[other]:
                    parent[leaf] = other
                    degree[leaf] = 0
                    degree[other] -= 1
                    if degree[other] == 1:
                        leaves.append(other)
                    break
        root, depth = list(range(n)), [0] * n
        for node in reversed(order):  # a parent is peeled after its children, or never
            root[node] = root[parent[node]]
            depth[node] = depth[parent[node]] + 1
        return cls(parent, root, depth, [i for i in range(n) if not peeled[i]])

    def climb(self, node: int) -> list[int]:
        """The node and those above it up to its root, the root included."""
        path = [node]
        while self.parent[node] >= 0:
            node = self.parent[node]
            path.append(node)
        return path

    def tree_path(self, u: int, v: int) -> list[int]:
        """The one path between two nodes of the same tree, both ends included."""
        up, down = [u], [v]
        while self.depth[u] > self.depth[v]:
            u = self.parent[u]
            up.append(u)
        while self.depth[v] > self.depth[u]:
            v = self.parent[v]
            down.append(v)
        while u != v:
            u, v = self.parent[u], self.parent[v]
            up.append(u)
            down.append(v)
        return up + down[-2::-1]

    def core_graph(self, adjacency: csr_matrix) -> tuple[csr_matrix, dict[int, int]]:
        """The 2-core (with the roots of tree components), and where each of its nodes is in
        it."""
        where = {node: i for i, node in enumerate(self.core)}
        kept = np.array(self.core, dtype=np.int64)
        return adjacency[kept][:, kept].tocsr(), where


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
