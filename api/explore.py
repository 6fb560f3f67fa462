"""Looking entities up, for an analyst: one entity whole, a search by name or id, and a
neighbourhood for a graph view. An entity named by id that lies outside the key's jurisdiction
is refused as one that does not exist (404); a search finds only what lies inside, and finds a
person by name only for a key that may read names (by id, for any other); a neighbourhood is
not walked on past what lies outside. Everything an answer shows leaves through the guard,
which withholds what lies outside (its label kept) and hides a person's name, phone and other
properties unless the key may read personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import TypeAdapter

from orgnet.graph.connection import Database
from orgnet.graph.model import DERIVED_PROPERTY_NAMES, Label
from orgnet.graph.provenance import PROVENANCE_KEYS
from orgnet.queries.catalog import run
from orgnet.queries.disclosure import About, Handle, Name, Properties, Ref
from orgnet.queries.networks import neighbourhood as around
from orgnet.queries.scope import AS_OF_PATTERN, as_of_date

from .access import Caller
from .auth import Analyst
from .guard import Guard, GuardedRoute, Released
from .jurisdiction import inside, require_inside
from .keys import Key

MAX_RELATIONSHIPS = 500
MAX_NODES = 2000
MAX_RESULTS = 100

Id = Annotated[str, PathParam(description="An entity id.", max_length=200)]


@dataclass(frozen=True)
class EntityRef:
    """An entity another points to; ``id`` and ``name`` null when it lies outside the key's
    jurisdiction (in a neighbourhood, ``handle`` then names it for the edges, as ``~1``, ``~2``
    …, the same within one answer only)."""

    id: Annotated[str | None, Ref(label_from="label")]
    label: str
    name: Annotated[str | None, Name("id")]
    handle: Annotated[str | None, Handle()] = None


@dataclass(frozen=True)
class Relationship:
    type: str
    direction: Literal["out", "in"]
    # Withheld with the other end: a relationship's properties can name it (an agreement).
    properties: Annotated[dict[str, Any], About("other")]
    other: EntityRef


@dataclass(frozen=True)
class EntityView:
    id: Annotated[str, Ref(label_from="label")]
    label: str
    properties: Annotated[dict[str, Any], Properties("id")]
    relationships: list[Relationship]
    relationships_total: int


@dataclass(frozen=True)
class Edge:
    """An edge between two nodes, by their ``handle`` (the id of a node shown)."""

    source: Annotated[str, Handle()]
    target: Annotated[str, Handle()]
    type: str


@dataclass(frozen=True)
class Neighbourhood:
    center: Annotated[str, Ref()]
    depth: int
    as_of: str
    nodes: list[EntityRef]
    edges: list[Edge]
    truncated: bool  # the node limit was reached: narrow it (depth 1, a smaller limit)


@dataclass(frozen=True)
class Found:
    q: str
    results: list[EntityRef]


def _send(
    request: Request,
    key: Key,
    released: Released,
    rows: int,
    parameters: dict[str, Any],
    *,
    audit: bool = False,
) -> Response:
    guard: Guard = request.app.state.guard
    body = TypeAdapter(type(released.answer)).dump_json(released.answer)
    response = Response(body, media_type="application/json")
    return guard.send(
        request, key, released, response, rows=rows, parameters=parameters, audit=audit
    )


def router() -> APIRouter:
    routes = APIRouter(tags=["entities"], route_class=GuardedRoute)

    @routes.get(
        "/v1/entities/{id}",
        summary="One entity, and its relationships one hop out.",
        response_model=EntityView,
    )
    def entity_view(
        request: Request,
        key: Analyst,
        id: Id,
        limit: Annotated[
            int, Query(ge=1, le=MAX_RELATIONSHIPS, description="Relationships at most.")
        ] = 100,
    ) -> Response:
        """One entity: its label, its properties, and its relationships one hop out (the
        first ``limit`` by type, with the total)."""

        def look(db: Database) -> EntityView:
            return look_up(db, key, id, limit)

        guard: Guard = request.app.state.guard
        released = guard.answer(key, look)
        rows = 1 + len(released.answer.relationships)
        return _send(request, key, released, rows, {"id": id, "limit": limit})

    @routes.get(
        "/v1/entities/{id}/neighbourhood",
        summary="An entity and what lies around it, as nodes and edges.",
        response_model=Neighbourhood,
    )
    def neighbourhood(
        request: Request,
        key: Analyst,
        id: Id,
        depth: Annotated[int, Query(ge=1, le=2, description="1 or 2 steps out.")] = 1,
        limit: Annotated[
            int, Query(ge=1, le=MAX_NODES, description="Nodes at most, the entity's own included.")
        ] = 200,
        as_of: Annotated[
            str | None,
            Query(
                description="Relationships current on this day (default today).",
                max_length=40,
                pattern=AS_OF_PATTERN,
            ),
        ] = None,
    ) -> Response:
        """An entity and what lies around it, as nodes and edges for a graph view: its
        relationships current at ``as_of`` (the derived links left out), ``depth`` steps out,
        at most ``limit`` nodes. The walk goes on only from what lies inside the key's
        jurisdiction (today, whatever ``as_of``)."""
        day = as_of_date(as_of)

        def walk(db: Database) -> Neighbourhood:
            return walk_around(db, key, id, day, depth=depth, limit=limit)

        guard: Guard = request.app.state.guard
        released = guard.answer(key, walk)
        view: Neighbourhood = released.answer
        # Sorted once handles stand in for what is withheld, so that the order tells nothing.
        edges = sorted(view.edges, key=lambda e: (e.source, e.target, e.type))
        shown = Released(
            Neighbourhood(view.center, view.depth, view.as_of, view.nodes, edges, view.truncated),
            released.clear,
            released.persons,
        )
        params = {"id": id, "depth": depth, "limit": limit, "as_of": day}
        return _send(request, key, shown, len(view.nodes), params)

    @routes.get(
        "/v1/search", summary="Find entities by id or by part of a name.", response_model=Found
    )
    def search(
        request: Request,
        key: Analyst,
        q: Annotated[
            str, Query(min_length=1, max_length=100, description="An id, or part of a name.")
        ],
        label: Annotated[Label | None, Query(description="Only entities of this label.")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_RESULTS, description="Results at most.")] = 20,
    ) -> Response:
        """Places, orgs, units, firms, committees and people whose id is ``q`` or whose name
        holds it, inside the key's jurisdiction: the id first, then names that start with it,
        then the shortest. A person is found by name only for a key that may read personal
        data (and such a search is audited); for any other key, by their id."""
        text = q.strip()

        def find(db: Database) -> Found:
            return find_entities(db, key, text, label, limit)

        guard: Guard = request.app.state.guard
        released = guard.answer(key, find)
        params = {"q": q, "label": label and label.value, "limit": limit}
        # A search by a key that may read names looks people up by name: recorded, whatever
        # it finds.
        found = len(released.answer.results)
        return _send(request, key, released, found, params, audit=key.personal_data)

    return routes


# What the graph keeps beside an entity's own properties — copies for the questions and the
# record of which load wrote it (`orgnet history` shows that) — never shown as its properties.
_INTERNAL = DERIVED_PROPERTY_NAMES | PROVENANCE_KEYS


def look_up(db: Database, key: Caller, id: str, limit: int) -> EntityView:
    """One entity inside the caller's jurisdiction (else 404): its label, its properties, and
    its relationships one hop out (the first ``limit`` by type, with the total)."""
    require_inside(db, key, [id])
    [me] = run(db, "entity_detail", id=id)
    rows = run(db, "entity_relationships", id=id, limit=limit)
    return EntityView(
        id=me["id"],
        label=me["label"],
        properties={k: v for k, v in me["properties"].items() if k not in DERIVED_PROPERTY_NAMES},
        relationships=[
            Relationship(
                type=r["type"],
                direction=r["direction"],
                properties={k: v for k, v in r["properties"].items() if k not in _INTERNAL},
                other=EntityRef(r["other_id"], r["other_label"], r["other_name"]),
            )
            for r in rows
        ],
        relationships_total=rows[0]["total"] if rows else 0,
    )


def walk_around(
    db: Database, key: Caller, id: str, day: str, *, depth: int, limit: int
) -> Neighbourhood:
    """An entity inside the caller's jurisdiction and what lies around it, walked on only
    from what lies inside (today, whatever ``day``)."""
    require_inside(db, key, [id])
    network, truncated = around(
        db, id, day, depth=depth, limit=limit, onward=lambda ids: inside(db, key, ids)
    )
    return Neighbourhood(
        center=id,
        depth=depth,
        as_of=day,
        nodes=[EntityRef(n.id, n.label, n.name, handle=n.id) for n in network.nodes],
        edges=[Edge(e.source, e.target, e.type) for e in network.edges],
        truncated=truncated,
    )


def find_entities(db: Database, key: Caller, text: str, label: Label | None, limit: int) -> Found:
    """Entities inside the caller's jurisdiction whose id is ``text`` or whose name holds it;
    a person by name only for a caller who may read names."""
    if not text:
        return Found(q=text, results=[])
    # Candidates beyond the limit, since some may lie outside the jurisdiction.
    wanted = limit if key.everywhere else min(limit * 20, 2000)
    rows = run(
        db,
        "search",
        q=text,
        label=label and label.value,
        limit=wanted,
        person_names=key.personal_data,
    )
    seen = inside(db, key, {r["id"] for r in rows})
    kept = [r for r in rows if r["id"] in seen][:limit]
    return Found(q=text, results=[EntityRef(r["id"], r["label"], r["name"]) for r in kept])
