"""Looking entities up, for an analyst: one entity whole, a search by name or id, and a
neighbourhood for a graph view. Each keeps to the key's jurisdiction — an entity named by id
outside it is refused (403), a neighbour outside it keeps its label and loses its id and name,
and a search finds only what lies inside — and hides a person's name and phone (and every other
property of a person but whether and how they are a party member) unless the key may read
personal data.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from orgnet.graph.connection import Database
from orgnet.graph.errors import NotFound
from orgnet.graph.model import Label
from orgnet.queries.catalog import run
from orgnet.queries.networks import neighbourhood as around
from orgnet.queries.privacy import mask_phone, shorten_name
from orgnet.queries.scope import as_of_date
from pydantic import BaseModel

from .audit import AuditLog
from .auth import Analyst
from .jurisdiction import inside, require_inside
from .keys import Key

MAX_RELATIONSHIPS = 500
MAX_NODES = 2000
MAX_RESULTS = 100
# What a key without personal data sees of a person.
_PERSON_SHOWN = ("id", "name", "phone", "party_member", "member_category")

Id = Annotated[str, PathParam(description="An entity id.", max_length=200)]


class Ref(BaseModel):
    """An entity another points to; ``id`` and ``name`` null when it lies outside the key's
    jurisdiction (in a neighbourhood, ``handle`` then names it for the edges, as ``~1``, ``~2``
    …, the same within one answer only)."""

    id: str | None
    label: str
    name: str | None
    handle: str | None = None


class Relationship(BaseModel):
    type: str
    direction: Literal["out", "in"]
    properties: dict[str, Any]
    other: Ref


class EntityView(BaseModel):
    id: str
    label: str
    properties: dict[str, Any]
    relationships: list[Relationship]
    relationships_total: int


class Edge(BaseModel):
    """An edge between two nodes, by their ``handle`` (the id of a node shown)."""

    source: str
    target: str
    type: str


class Neighbourhood(BaseModel):
    center: str
    depth: int
    as_of: str
    nodes: list[Ref]
    edges: list[Edge]
    truncated: bool  # the node limit was reached: narrow it (depth 1, a smaller limit)


class Found(BaseModel):
    q: str
    results: list[Ref]


def router() -> APIRouter:
    routes = APIRouter(tags=["entities"])

    @routes.get("/v1/entities/{id}", summary="One entity, and its relationships one hop out.")
    def entity_view(
        request: Request,
        key: Analyst,
        id: Id,
        limit: Annotated[
            int, Query(ge=1, le=MAX_RELATIONSHIPS, description="Relationships at most.")
        ] = 100,
    ) -> EntityView:
        """One entity: its label, its properties, and its relationships one hop out (the
        first ``limit`` by type, with the total)."""

        def look(db: Database) -> tuple[EntityView, bool]:
            day = as_of_date(None)
            found = run(db, "entity_detail", id=id)
            if not found:
                raise NotFound(f"no entity has the id {id!r}")
            require_inside(db, key, [id], day)
            rows = run(db, "entity_relationships", id=id, limit=limit)
            seen = inside(db, key, {r["other_id"] for r in rows}, day)
            [me] = found
            props, clear = _properties(me["label"], me["properties"], key)
            relationships = []
            for r in rows:
                other = _ref(r["other_id"], r["other_label"], r["other_name"], seen, key)
                person = r["other_label"] == Label.PERSON and r["other_id"] in seen
                clear = clear or (key.personal_data and person)
                relationships.append(
                    Relationship(
                        type=r["type"],
                        direction=r["direction"],
                        properties=r["properties"],
                        other=other,
                    )
                )
            view = EntityView(
                id=me["id"],
                label=me["label"],
                properties=props,
                relationships=relationships,
                relationships_total=rows[0]["total"] if rows else 0,
            )
            return view, clear

        view, clear = request.app.state.store.use(look)
        if clear:
            _audit(request, key, {"id": id, "limit": limit}, 1 + len(view.relationships))
        return view

    @routes.get(
        "/v1/entities/{id}/neighbourhood",
        summary="An entity and what lies around it, as nodes and edges.",
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
            Query(description="Relationships current on this day (default today).", max_length=40),
        ] = None,
    ) -> Neighbourhood:
        """An entity and what lies around it, as nodes and edges for a graph view: its
        relationships current at ``as_of`` (the derived SERVES left out), ``depth`` steps out,
        at most ``limit`` nodes."""
        day = as_of_date(as_of)

        def walk(db: Database) -> tuple[Neighbourhood, bool]:
            if not run(db, "entity", id=id):
                raise NotFound(f"no entity has the id {id!r}")
            require_inside(db, key, [id], day)
            network, truncated = around(db, id, day, depth=depth, limit=limit)
            nodes = {n.id: {"id": n.id, "label": n.label, "name": n.name} for n in network.nodes}
            shown = {(e.source, e.target, e.type) for e in network.edges}
            seen = inside(db, key, nodes, day)
            clear = key.personal_data and any(
                n["label"] == Label.PERSON and n["id"] in seen for n in nodes.values()
            )
            handles: dict[str, str] = {}
            refs = []
            for n in nodes.values():
                ref = _ref(n["id"], n["label"], n["name"], seen, key)
                handles[n["id"]] = ref.id or f"~{len(handles) + 1}"
                refs.append(ref.model_copy(update={"handle": handles[n["id"]]}))
            view = Neighbourhood(
                center=id,
                depth=depth,
                as_of=day,
                nodes=refs,
                edges=[
                    Edge(source=handles[a], target=handles[b], type=t)
                    for a, b, t in sorted(shown, key=lambda e: (handles[e[0]], handles[e[1]], e[2]))
                ],
                truncated=truncated,
            )
            return view, clear

        view, clear = request.app.state.store.use(walk)
        if clear:
            params = {"id": id, "depth": depth, "limit": limit, "as_of": day}
            _audit(request, key, params, len(view.nodes))
        return view

    @routes.get("/v1/search", summary="Find entities by id or by part of a name.")
    def search(
        request: Request,
        key: Analyst,
        q: Annotated[
            str, Query(min_length=1, max_length=100, description="An id, or part of a name.")
        ],
        label: Annotated[Label | None, Query(description="Only entities of this label.")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_RESULTS, description="Results at most.")] = 20,
    ) -> Found:
        """Places, orgs, units, firms, committees and people whose id is ``q`` or whose name
        holds it, inside the key's jurisdiction: the id first, then names that start with it,
        then the shortest."""
        text = q.strip()

        def find(db: Database) -> tuple[Found, bool]:
            day = as_of_date(None)
            # Candidates beyond the limit, since some may lie outside the jurisdiction.
            wanted = limit if key.everywhere else min(limit * 20, 2000)
            rows = run(db, "search", q=text, label=label and label.value, limit=wanted)
            seen = inside(db, key, {r["id"] for r in rows}, day)
            kept = [r for r in rows if r["id"] in seen][:limit]
            clear = key.personal_data and any(r["label"] == Label.PERSON for r in kept)
            results = [_ref(r["id"], r["label"], r["name"], seen, key) for r in kept]
            return Found(q=text, results=results), clear

        found, clear = (
            request.app.state.store.use(find) if text else (Found(q=q, results=[]), False)
        )
        if clear:
            params = {"q": q, "label": label and label.value, "limit": limit}
            _audit(request, key, params, len(found.results))
        return found

    return routes


def _ref(id: str, label: str, name: str | None, seen: set[str], key: Key) -> Ref:
    if id not in seen:
        return Ref(id=None, label=label, name=None)
    if label == Label.PERSON and not key.personal_data:
        name = shorten_name(name)
    return Ref(id=id, label=label, name=name)


def _properties(label: str, properties: dict[str, Any], key: Key) -> tuple[dict[str, Any], bool]:
    """An entity's properties as the key may see them, and whether they hold personal data
    in clear."""
    if label != Label.PERSON:
        return properties, False
    if key.personal_data:
        return properties, True
    shown = {k: v for k, v in properties.items() if k in _PERSON_SHOWN}
    if "name" in shown:
        shown["name"] = shorten_name(shown["name"])
    if "phone" in shown:
        shown["phone"] = mask_phone(shown["phone"])
    return shown, False


def _audit(request: Request, key: Key, parameters: dict[str, Any], rows: int) -> None:
    log: AuditLog = request.app.state.audit
    log.record(
        key_id=key.id,
        key_name=key.name,
        route=request.url.path,
        parameters={k: v for k, v in parameters.items() if v is not None},
        jurisdiction=key.jurisdiction,
        rows=rows,
        outcome="answered",
    )
