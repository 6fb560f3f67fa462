"""Networks to draw: the nodes and edges of a view, with what each node is and which gaps it
shows, and no words (api/views.py draws them, in Chinese or English).

* ``structure`` — a street's or community's places (street, communities, grids, estates,
  buildings) with the party organizations that cover them and their REPORTS_TO links; a node
  carries the gaps the questions find there: an estate that should have an org and has none
  (应建未建), a building of a covered estate without a group, a grid without a branch, an org
  without a secretary.
* ``pairing`` — units and the communities they are paired with, communities sized by
  households, so that an uneven spread shows (a community with no unit is ringed).
* ``cross`` — people with posts on more than one side and the bodies they tie together, with
  the estates whose triad (party org, owners' committee, firm) is complete, linked or broken.
* ``path`` — the shortest contact paths between two entities, the posts on the edges.
* ``neighbourhood`` — one entity and what lies around it, one or two steps out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest, NotFound

from .catalog import run
from .coverage import gaps, rules
from .pairing import pairing_balance
from .paths import cross_appointments, paths
from .privacy import phone_for
from .scope import SCOPE_LABELS, ScopeArg, as_of_date, resolve_scope

MAX_NODES = 3_000  # above this a browser struggles to lay a view out; narrow the scope instead


@dataclass(frozen=True)
class ViewNode:
    id: str
    label: str  # the entity's label: Street, Estate, PartyOrg, Person …
    name: str | None
    gaps: tuple[str, ...] = ()  # actionable, no_group, no_branch, vacant
    size: float | None = None  # households of a place, degree of an org or person
    details: dict[str, object] = field(default_factory=dict)  # shown in the tooltip


@dataclass(frozen=True)
class ViewEdge:
    source: str
    target: str
    type: str  # the relationship: PART_OF, COVERS, REPORTS_TO, HOLDS …


@dataclass(frozen=True)
class Network:
    kind: str
    title: str  # what it shows: a scope's name and id, or the two ends of a path
    as_of: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]


class TooLarge(BadRequest):
    """A view with more nodes than a browser can lay out."""


def _check_size(count: int, kind: str) -> None:
    if count > MAX_NODES:
        raise TooLarge(
            f"the {kind} view would have {count:,} nodes, more than {MAX_NODES:,} a browser "
            f"lays out; ask for a smaller scope (a street or one community)",
            said="view_too_large",
            count=f"{count:,}",
            most=f"{MAX_NODES:,}",
        )


def structure(
    db: Database, scope: ScopeArg, as_of: str | dt.date | None = None, *, show_phone: bool = False
) -> Network:
    """A street's or community's five levels and the party organizations that cover them."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    if where.id is None or where.label not in SCOPE_LABELS:
        raise BadRequest(
            "a structure view needs a scope: a street or a community id", said="view_needs_scope"
        )
    places = run(db, "view_places", scope=where.id)
    orgs = run(db, "view_orgs", scope=where.id, as_of=day)
    _check_size(len(places) + len(orgs), "structure")
    flags: dict[str, list[str]] = {}
    for row in gaps(db, "estates", where, day).rows:
        if row.actionable:
            flags.setdefault(row.estate_id, []).append("actionable")
    for row in gaps(db, "buildings", where, day).rows:
        flags.setdefault(row.building_id, []).append("no_group")
    for row in gaps(db, "grids", where, day).rows:
        flags.setdefault(row.grid_id, []).append("no_branch")
    for row in rules(db, where, day).vacancies:
        flags.setdefault(row.org_id, []).append("vacant")
    ids = {p["id"] for p in places} | {o["id"] for o in orgs}
    nodes = [
        ViewNode(
            p["id"], p["label"], p["name"], tuple(flags.get(p["id"], ())), p["households"],
            {"households": p["households"]} if p["households"] is not None else {},
        )
        for p in places
    ]  # fmt: skip
    nodes += [
        ViewNode(
            o["id"], "PartyOrg", o["name"], tuple(flags.get(o["id"], ())), float(len(o["covers"])),
            {
                "type": o["type"],
                "level": o["level"],
                "secretaries": [
                    f"{s['name']} {phone_for(s['phone'], show_phone) or ''}".strip()
                    for s in o["secretaries"]
                ],
            },
        )
        for o in orgs
    ]  # fmt: skip
    edges = [ViewEdge(p["id"], p["parent_id"], "PART_OF") for p in places if p["parent_id"]]
    edges += [ViewEdge(p["id"], p["grid_id"], "IN_GRID") for p in places if p["grid_id"] in ids]
    for o in orgs:
        edges += [ViewEdge(o["id"], c, "COVERS") for c in o["covers"] if c in ids]
        if o["parent_id"] in ids:
            edges.append(ViewEdge(o["id"], o["parent_id"], "REPORTS_TO"))
    return Network("structure", where.title, day, nodes, edges)


def pairing(db: Database, scope: ScopeArg, as_of: str | dt.date | None = None) -> Network:
    """Paired units and the communities of a scope they are paired with (a pairing with an
    estate counts for its community), communities sized by households; a community no unit is
    paired with carries the gap ``unpaired``."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    balance = pairing_balance(db, where, day, members=False)
    links = run(db, "pairing_links", scope=where.id, as_of=day)
    _check_size(len(balance.communities) + len(links), "pairing")
    nodes = [
        ViewNode(
            c.community_id, "Community", c.community, () if c.units else ("unpaired",),
            float(c.households or 0),
            {"households": c.households, "units": c.units, "units_per_10k": c.units_per_10k},
        )
        for c in balance.communities
    ]  # fmt: skip
    shown = {c.community_id for c in balance.communities}
    nodes += [
        ViewNode(u["unit_id"], "Unit", u["unit"], () if u["community_ids"] else ("idle",))
        for u in links
    ]
    edges = [
        ViewEdge(u["unit_id"], c, "PAIRED_WITH")
        for u in links
        for c in u["community_ids"]
        if c in shown
    ]
    return Network("pairing", where.title, day, nodes, edges)


def cross(
    db: Database, scope: ScopeArg, as_of: str | dt.date | None = None, *, show_phone: bool = False
) -> Network:
    """People with current posts on two or more sides and the bodies they hold them in, and
    the estates with a full triad — linked by someone (``linked``) or not (gap ``broken``)."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    found = cross_appointments(db, where, day, show_phone=show_phone)
    # The gaps came with the cross-appointments; only the linked triads are asked for here, in
    # the order estate_triads gives both (the gaps first).
    triads = [dataclasses.asdict(t) for t in found.triad_gaps]
    triads += run(db, "estate_triads", scope=where.id, as_of=day, linked=True)
    nodes: dict[str, ViewNode] = {}
    edges: dict[tuple[str, str, str], ViewEdge] = {}
    for person in found.persons:
        nodes[person.person_id] = ViewNode(
            person.person_id, "Person", person.person, (), float(len(person.posts)),
            {"pattern": person.pattern, "phone": person.phone,
             "posts": [f"{p.org} {p.role}" for p in person.posts]},
        )  # fmt: skip
        for post in person.posts:
            nodes.setdefault(post.org_id, ViewNode(post.org_id, "", post.org))  # label below
            edges.setdefault(
                (person.person_id, post.org_id, "HOLDS"),
                ViewEdge(person.person_id, post.org_id, "HOLDS"),
            )
    for triad in triads:
        estate = triad["estate_id"]
        nodes[estate] = ViewNode(
            estate, "Estate", triad["estate"], () if triad["linked"] else ("broken",), None,
            {"linked_by": triad["linked_by"]},
        )  # fmt: skip
        for ids, label, rel in (
            (triad["org_ids"], "PartyOrg", "COVERS"),
            (triad["committee_ids"], "OwnersCommittee", "REPRESENTS"),
            (triad["firm_ids"], "PropertyFirm", "MANAGES"),
        ):
            for body in ids:
                nodes.setdefault(body, ViewNode(body, label, None))  # named below
                edges.setdefault((body, estate, rel), ViewEdge(body, estate, rel))
    _check_size(len(nodes), "cross")
    bodies = sorted(n.id for n in nodes.values() if n.label != "Person")
    known = {r["id"]: r for r in run(db, "entities_of_ids", ids=bodies)}
    drawn = [
        dataclasses.replace(n, label=known[n.id]["label"], name=n.name or known[n.id]["name"])
        if n.id in known
        else n
        for n in nodes.values()
    ]
    return Network("cross", where.title, day, drawn, list(edges.values()))


def contact_path(
    db: Database,
    source: str,
    target: str,
    as_of: str | dt.date | None = None,
    *,
    k: int = 3,
    max_hops: int = 8,
    rels: list[str] | None = None,
) -> Network:
    """The ``k`` shortest contact paths of at most ``max_hops`` between two entities, drawn as
    one network (the two ends alone, without an edge, when there is none)."""
    found = paths(db, source, target, as_of, k=k, max_hops=max_hops, rels=rels)
    nodes: dict[str, ViewNode] = {}
    edges: dict[tuple[str, str, str], ViewEdge] = {}
    for p in found.paths:
        for node in p.nodes:
            if node.id is not None:
                nodes.setdefault(node.id, ViewNode(node.id, node.label, node.name))
        for step, a, b in zip(p.rels, p.nodes, p.nodes[1:], strict=False):
            if a.id is not None and b.id is not None:
                for rel in step:
                    edges.setdefault((a.id, b.id, rel), ViewEdge(a.id, b.id, rel))
    for end in (found.source, found.target):
        nodes.setdefault(end.id, ViewNode(end.id, end.label, end.name))
    ends = ("source", "target")
    marked = [
        ViewNode(n.id, n.label, n.name, n.gaps, n.size, {**n.details, "end": e})
        if (e := next((x for x, end in zip(ends, (found.source, found.target), strict=True)
                       if end.id == n.id), None))
        else n
        for n in nodes.values()
    ]  # fmt: skip
    title = f"{found.source.name or found.source.id} → {found.target.name or found.target.id}"
    return Network("path", title, found.as_of, marked, list(edges.values()))


def neighbourhood(
    db: Database, id: str, as_of: str | dt.date | None = None, *, depth: int = 1,
    limit: int = 500, onward: Callable[[list[str]], set[str]] | None = None,
) -> tuple[Network, bool]:  # fmt: skip
    """An entity and what lies around it, ``depth`` steps out over relationships current at
    ``as_of`` (the derived links left out), at most ``limit`` nodes; and whether the limit
    cut it short. ``onward`` says which of the nodes reached the walk goes on from (all, when
    None): a caller's jurisdiction, so that what lies beyond the nodes outside it stays
    unseen."""
    if depth not in (1, 2):
        raise BadRequest("depth is 1 or 2")
    day = as_of_date(as_of)
    found = run(db, "entity", id=id)
    if not found:
        raise NotFound(f"no entity has the id {id!r}")
    nodes: dict[str, dict] = {id: found[0]}
    edges: dict[tuple[str, str, str], None] = {}
    frontier, truncated = [id], False
    for _ in range(depth):
        room = limit - len(nodes)
        asked = room * 8 + 8
        rows = run(db, "neighbours", ids=frontier, as_of=day, limit=asked)
        reached: list[str] = []
        for r in rows:
            if r["id"] not in nodes:
                if len(nodes) >= limit:
                    truncated = True
                    continue
                nodes[r["id"]] = r
                reached.append(r["id"])
            edges[(r["source"], r["target"], r["type"])] = None
        truncated = truncated or len(rows) >= asked
        frontier = sorted(onward(reached)) if onward is not None and reached else reached
        if not frontier:
            break
    network = Network(
        "neighbourhood",
        f"{found[0]['name'] or id} ({id})",
        day,
        [ViewNode(n["id"], n["label"], n["name"]) for n in nodes.values()],
        [ViewEdge(a, b, t) for a, b, t in edges if a in nodes and b in nodes],
    )
    return network, truncated
