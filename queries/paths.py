"""Contact paths (联系路径): who reaches whom, through which posts (DESIGN §4) — the chain up the
party hierarchy, shortest paths over the contact graph, cross-appointments and the estate triad,
and brokers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest, NotFound
from orgnet.graph.model import Rel

from .catalog import paused_collector, run, run_together
from .disclosure import Name, Phone, Ref
from .privacy import phone_for
from .scope import Entity, Scope, ScopeArg, as_of_date, entity, resolve_scope

# The relationships a contact path may follow (DESIGN §4); IN_GRID, BASED_IN and LOCATED_IN tie
# places and hosts together but carry no contact between people.
CONTACT_RELS: tuple[Rel, ...] = (
    Rel.HOLDS,
    Rel.MEMBER_OF,
    Rel.REPORTS_TO,
    Rel.COVERS,
    Rel.MANAGES,
    Rel.REPRESENTS,
    Rel.PAIRED_WITH,
    Rel.REPORTED_TO,
    Rel.LIAISES,
    Rel.LIVES_IN,
    Rel.WORKS_AT,
    Rel.PART_OF,
)
MAX_HOPS = 12  # the bound written into path.cypher's pattern
MAX_PATHS = 10  # at most this many alternatives are asked for (k)


# -- chain --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Secretary:
    id: Annotated[str, Ref(person=True)]
    name: Annotated[str, Name("id")]
    phone: Annotated[str | None, Phone("id")]

    def __str__(self) -> str:
        return f"{self.name} {self.phone}" if self.phone else self.name


@dataclass(frozen=True)
class ChainLink:
    """One org of a chain: depth 0 is where it starts (and ``via`` says how it was reached).
    ``org_id`` and ``org`` are null where the HTTP API withholds an org outside the caller's
    jurisdiction."""

    depth: int
    org_id: Annotated[str | None, Ref()]
    org: Annotated[str | None, Name("org_id")]
    type: str
    level: str
    via: str | None
    secretaries: list[Secretary]


@dataclass(frozen=True)
class Chain:
    start: Entity
    as_of: str
    links: list[ChainLink]


def chain(
    db: Database, id: str, as_of: str | dt.date | None = None, *, show_phone: bool = False
) -> Chain:
    """From any building, estate, place, person, unit, firm or org, the chain up REPORTS_TO to
    the root, with each level's current secretaries. It starts at the most specific org: a
    person's own org (else the chain of where they live); the org based in a unit or firm; for a
    place the org covering it, else its estate's, grid's, community's, street's, district's.
    An empty chain means no party org reaches the entity.
    """
    start, day = entity(db, id), as_of_date(as_of)
    links = [
        ChainLink(
            **{
                **r,
                "secretaries": [
                    Secretary(s["id"], s["name"], phone_for(s["phone"], show_phone))
                    for s in r["secretaries"]
                ],
            }
        )
        for r in run(db, "chain", id=id, as_of=day)
    ]
    return Chain(start, day, links)


# -- path ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A node of a path; ``id`` is null where the HTTP API withholds one outside the caller's
    jurisdiction (its label is kept)."""

    id: Annotated[str | None, Ref(label_from="label")]
    label: str
    name: Annotated[str | None, Name("id")]

    def __str__(self) -> str:
        return f"{self.name}({self.id})" if self.name else (self.id or self.label)


@dataclass(frozen=True)
class ContactPath:
    """A path through ``nodes``; ``rels[i]`` lists every relationship type (in the order of
    CONTACT_RELS) joining ``nodes[i]`` and ``nodes[i + 1]``: two contacts joined several ways
    are one step."""

    hops: int
    nodes: list[Node]
    rels: list[list[str]]

    def __str__(self) -> str:
        text = str(self.nodes[0])
        for step, node in zip(self.rels, self.nodes[1:], strict=True):
            text += f" -{'/'.join(step)}- {node}"
        return text


@dataclass(frozen=True)
class Paths:
    source: Entity
    target: Entity
    as_of: str
    paths: list[ContactPath]


def paths(
    db: Database,
    source: str,
    target: str,
    as_of: str | dt.date | None = None,
    *,
    k: int = 3,
    max_hops: int = 8,
    rels: list[str] | None = None,
) -> Paths:
    """The ``k`` shortest paths (at most ten) of at most ``max_hops`` (at most twelve) between
    two entities over the contact graph, following ``rels`` (all contact relationships when
    None) in either direction, counting only relationships current at ``as_of``. Paths of equal
    length come in the order of the ids along them.
    """
    if not 1 <= k <= MAX_PATHS:
        raise BadRequest(f"k must be between 1 and {MAX_PATHS}")
    if not 1 <= max_hops <= MAX_HOPS:
        raise BadRequest(f"max_hops must be between 1 and {MAX_HOPS}")
    types = [Rel(r.upper()) if r.upper() in Rel.__members__ else r for r in (rels or CONTACT_RELS)]
    unknown = [t for t in types if t not in CONTACT_RELS]
    if unknown:
        allowed = ", ".join(CONTACT_RELS)
        raise BadRequest(
            f"not a contact relationship: {', '.join(unknown)} (choose from {allowed})"
        )
    day = as_of_date(as_of)
    found: list[ContactPath] = []
    shortest = 1
    # Each ask returns the paths of one length, the shortest at least ``shortest`` hops long;
    # the next starts one hop longer, until there are k or no longer path within max_hops.
    # The first ask also returns the two ends, so the common case is one round trip.
    ends: tuple[Entity, Entity] | None = None
    while len(found) < k and shortest <= max_hops:
        params = {
            "from": source,
            "to": target,
            "types": None if rels is None else [str(t) for t in types],
            "min_hops": shortest,
            "max_hops": max_hops,
            "k": k - len(found),
            "as_of": day,
        }
        rows = run(db, "path", **params)
        if not rows:  # one of the ids names nothing: entity() raises NotFound naming it
            entity(db, source)
            entity(db, target)
            raise NotFound(
                f"no path: {source!r} or {target!r} is not in the graph",
                said="no_entity",
                id=f"{source} / {target}",
            )
        (row,) = rows
        ends = ends or (Entity(**row["source"]), Entity(**row["target"]))
        if row["hops"] is not None and row["current"] == 0:
            # Every shortest path uses a relationship not current at as_of: search again,
            # over current relationships only (slower: dates checked all along the search).
            (row,) = run(db, "path_current", **params)
        if row["hops"] is None:
            break
        found += [
            ContactPath(
                row["hops"],
                [Node(**n) for n in p["nodes"]],
                [sorted(step, key=CONTACT_RELS.index) for step in p["rels"]],
            )
            for p in row["paths"]
        ]
        shortest = row["hops"] + 1
    assert ends is not None  # the loop asks at least once: k ≥ 1 and max_hops ≥ 1
    return Paths(*ends, day, found)


# -- cross-appointments and triads --------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    org_id: Annotated[str, Ref()]
    org: Annotated[str, Name("org_id")]
    side: str
    role: str

    def __str__(self) -> str:
        return f"{self.org}({self.org_id}) {self.role}"


@dataclass(frozen=True)
class CrossAppointee:
    """A person with current posts on two or more sides (party, owners, property, community,
    unit)."""

    person_id: Annotated[str, Ref(person=True)]
    person: Annotated[str, Name("person_id")]
    phone: Annotated[str | None, Phone("person_id")]
    party_member: bool | None
    sides: list[str]
    pattern: str
    posts: list[Post]


@dataclass(frozen=True)
class Pattern:
    pattern: str
    persons: int


@dataclass(frozen=True)
class Triad:
    """An estate with a covering party org, an owners' committee and a managing firm; linked
    when someone holds current posts in two of the three (三方联动)."""

    estate_id: Annotated[str, Ref()]
    estate: Annotated[str, Name("estate_id")]
    community_id: Annotated[str, Ref()]
    community: Annotated[str, Name("community_id")]
    org_ids: Annotated[list[str], Ref()]
    org_names: Annotated[list[str], Name("org_ids")]
    committee_ids: Annotated[list[str], Ref()]
    committee_names: Annotated[list[str], Name("committee_ids")]
    firm_ids: Annotated[list[str], Ref()]
    firm_names: Annotated[list[str], Name("firm_ids")]
    linked_by: Annotated[list[str], Ref(person=True)]
    linked_by_names: Annotated[list[str], Name("linked_by")]
    linked: bool


@dataclass(frozen=True)
class CrossAppointments:
    scope: Scope
    as_of: str
    patterns: list[Pattern]
    persons: list[CrossAppointee]
    triad_gaps: list[Triad]
    triads_linked: int


def cross_appointments(
    db: Database,
    scope: ScopeArg = None,
    as_of: str | dt.date | None = None,
    *,
    show_phone: bool = False,
) -> CrossAppointments:
    """Every person of a scope with current posts on two or more sides, grouped by pattern
    (most common first), and the estates whose triad nobody links. The answer's many small
    objects (a province's 33,000 persons and 160,000 posts) are made with the cycle collector
    paused: it took two thirds of the time making them."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    params: dict[str, object] = {"scope": where.id, "as_of": day}
    with paused_collector():
        appointees, triad_rows, [linked] = run_together(
            db,
            ("cross_appointments", params),
            ("estate_triads", {**params, "linked": False}),  # the gaps, with their parties
            ("triads_linked", params),  # the others only counted
        )
        persons = [
            CrossAppointee(
                **{
                    **r,
                    "phone": phone_for(r["phone"], show_phone),
                    "posts": [Post(*p) for p in r["posts"]],
                }
            )
            for r in appointees
        ]
        gaps = [Triad(**r) for r in triad_rows]
    counts: dict[str, int] = defaultdict(int)
    for person in persons:
        counts[person.pattern] += 1
    patterns = [Pattern(p, n) for p, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]
    return CrossAppointments(where, day, patterns, persons, gaps, linked["linked"])


# -- brokers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Broker:
    """A person whose removal cuts organizations of a community off from each other."""

    community_id: Annotated[str, Ref()]
    person_id: Annotated[str, Ref(person=True)]
    person: Annotated[str, Name("person_id")]
    cut_off: Annotated[list[str], Ref()]
    cut_off_names: Annotated[list[str], Name("cut_off")]


@dataclass(frozen=True)
class Central:
    """A person by betweenness in the contact graph of the scope: ``pairs`` is the number of
    node pairs whose shortest paths run through them (split evenly among ties)."""

    person_id: Annotated[str, Ref(person=True)]
    person: Annotated[str, Name("person_id")]
    pairs: float


@dataclass(frozen=True)
class Brokers:
    scope: Scope
    as_of: str
    brokers: list[Broker]
    brokers_total: int  # brokers in the scope (``brokers`` holds the first ``top``)
    central: list[Central]
    sampled: bool  # betweenness estimated (above brokerage.EXACT_BETWEENNESS_NODES nodes)
    # The estimate's guarantee: every person's share of the pairs within epsilon of the truth
    # with probability at least 1 − delta; pairs_error is that bound in pairs. None: exact.
    epsilon: float | None
    delta: float | None
    pairs_error: float | None


MAX_TOP = 1_000  # brokers by betweenness, at most


def brokers(
    db: Database, scope: ScopeArg = None, as_of: str | dt.date | None = None, *, top: int = 10
) -> Brokers:
    """Articulation points among persons in each community's contact graph (organizations tied
    by posts, memberships, employment, REPORTS_TO and BASED_IN; see contact_edges.cypher) that
    separate organizations — the ``top`` of them by how many they cut off — and the ``top``
    persons by betweenness over the whole scope: exact on small graphs, else estimated with a
    stated guarantee (see brokerage).
    """
    if not 1 <= top <= MAX_TOP:
        raise BadRequest(f"top must be between 1 and {MAX_TOP}")
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    with paused_collector():
        return _brokers(db, where, day, top)


def _brokers(db: Database, where: Scope, day: str, top: int) -> Brokers:
    from .brokerage import betweenness, cut_counts, cut_off

    # The scope's parts asked side by side: the engine answers each on a core of its own.
    parts = [r["id"] for r in run(db, "scope_parts", scope=where.id)]
    answers = run_together(db, *(("contact_edges", {"scope": p, "as_of": day}) for p in parts))
    by_community, is_org, edges = contact_graph([row for rows in answers for row in rows])

    # (cut off, community, person) for every broker, the lists drawn for those shown.
    ranked_brokers = sorted(
        (-count, community, person)
        for community, graph in by_community.items()
        for person, count in cut_counts(graph, is_org).items()
        if not is_org[person]
    )
    found = [
        (community, person, cut_off(by_community[community], is_org, person))
        for _, community, person in ranked_brokers[:top]
    ]
    scores = betweenness(sorted(is_org), edges)
    ranked = sorted(
        (p for p, s in scores.pairs.items() if not is_org[p] and s > 0),
        key=lambda p: (-scores.pairs[p], p),
    )[:top]
    names = _names(
        db, {p for _, p, _ in found} | set(ranked) | {c for *_, cut in found for c in cut}
    )
    return Brokers(
        where,
        day,
        [
            Broker(community, person, names.get(person, ""), cut, [names.get(c, "") for c in cut])
            for community, person, cut in found
        ],
        len(ranked_brokers),
        [Central(p, names.get(p, ""), scores.pairs[p]) for p in ranked],
        scores.epsilon is not None,
        scores.epsilon,
        scores.delta,
        scores.pairs_error,
    )


def contact_graph(
    rows: list[dict],
) -> tuple[dict[str, dict[str, set[str]]], dict[str, bool], list[tuple[str, str]]]:
    """The contact graph from contact_edges' rows, built once: each community's (a node's
    neighbours), whether each node is an organization, and the scope's links (their union)."""
    by_community: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    is_org: dict[str, bool] = {}
    edges: list[tuple[str, str]] = []
    for r in rows:
        if not (r["persons"] or r["orgs"]):
            continue  # an organization tied to nothing yet is no node of the graph
        graph, org = by_community[r["community_id"]], r["org"]
        is_org[org] = True
        ties = graph[org]
        for person in r["persons"]:
            is_org[person] = False
            ties.add(person)
            graph[person].add(org)
            edges.append((person, org))
        for other in r["orgs"]:
            is_org[other] = True
            ties.add(other)
            graph[other].add(org)
            edges.append((other, org))
    return by_community, is_org, edges


def _names(db: Database, ids: set[str]) -> dict[str, str]:
    return {r["id"]: r["name"] for r in run(db, "names_of_ids", ids=sorted(ids))}
