"""Looking things up, for an analyst: the search box (ids and names, from the text index), an
entity's page — its properties, its relationships, the chain up to the root, and its
neighbourhood drawn in the page — and the org and territory tree.

Each is the API's own lookup (``explore``, the ``chain`` question), inside the user's
jurisdiction and sent through the guard: what lies outside keeps its label and loses its id
and name; a person's name and phone show as the user's right allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from orgnet.graph.connection import Database
from orgnet.graph.model import Label
from orgnet.queries.registry import question
from orgnet.queries.scope import as_of_date

from ..answers import ask_within
from ..explore import (
    EntityRef,
    EntityView,
    Found,
    Neighbourhood,
    find_entities,
    look_up,
    walk_around,
)
from ..guard import Guard
from ..jurisdiction import unknown
from ..labels import label_words, property_words, withheld
from ..render import printable
from ..views import COLOURS, edge_words
from ..words import say
from .pages import html, pages_router, script_json, send
from .session import Analyst, lang_of
from .tables import figures, tables

RELATIONSHIPS_SHOWN = 200
AROUND = 150  # nodes of the neighbourhood drawn on an entity's page


@dataclass(frozen=True)
class Shown:
    """An entity as a page shows it: its words, and its page when it lies inside."""

    text: str
    kind: str
    href: str | None


def shown(ref: EntityRef, lang: str) -> Shown:
    kind = label_words(ref.label, lang)
    if ref.id is None:
        return Shown(withheld(lang, ref.label), kind, None)
    name = printable(ref.name) if ref.name else ""
    return Shown(f"{name} ({ref.id})" if name else ref.id, kind, f"/entities/{ref.id}")


def property_rows(view: EntityView, lang: str) -> list[tuple[str, str]]:
    rows = []
    for key, value in view.properties.items():
        if value in (None, "", []) or key in ("id", "name"):
            continue
        words, text = property_words(view.label, key, value, lang)
        rows.append((words, printable(text)))
    return sorted(rows)


def network_data(view: Neighbourhood, lang: str) -> dict[str, Any]:
    """The neighbourhood as vis-network draws it: a node per entity (withheld ones by their
    kind), coloured by label, the centre larger."""
    nodes = []
    for n in view.nodes:
        words = printable(n.name or n.id or "") if n.id else withheld(lang, n.label)
        nodes.append(
            {
                "id": n.handle,
                "label": words[:24],
                "title": f"{words}\n{label_words(n.label, lang)}",
                "color": COLOURS.get(n.label, "#999999"),
                "size": 22 if n.id == view.center else 12,
                "href": f"/entities/{n.id}" if n.id else None,
            }
        )
    edges = [
        {"from": e.source, "to": e.target, "title": edge_words(e.type, lang)} for e in view.edges
    ]
    return {"nodes": nodes, "edges": edges}


def router() -> APIRouter:
    routes = pages_router()

    @routes.get("/search")
    def search(
        request: Request,
        session: Analyst,
        q: Annotated[str, Query(max_length=100)] = "",
        label: Label | None = None,
    ) -> HTMLResponse:
        lang = lang_of(request)
        guard: Guard = request.app.state.guard
        user = session.user
        text = q.strip()

        def find(db: Database) -> Found:
            return find_entities(db, user, text, label, 50)

        released = guard.answer(user, find) if text else None
        found = released.answer.results if released else []
        page = html(
            request,
            "search.html.j2",
            session,
            title=say("console.search_title", lang),
            q=text,
            label=label.value if label else "",
            labels=[(lbl.value, label_words(lbl.value, lang)) for lbl in Label],
            results=[shown(r, lang) for r in found],
            searched=bool(text),
        )
        # A search by a user who may read names looks people up by name: recorded, whatever
        # it finds (as the API records it).
        return send(request, session, page, released, rows=len(found),
                    parameters={"q": text, "label": label and label.value},
                    audit=bool(text) and user.personal_data)  # fmt: skip

    @routes.get("/entities/{id}")
    def entity(request: Request, id: str, session: Analyst) -> HTMLResponse:
        lang = lang_of(request)
        guard: Guard = request.app.state.guard
        user = session.user
        day = as_of_date(None)
        if len(id) > 200:
            raise unknown(id[:40], user)

        def look(db: Database) -> list[Any]:
            # One answer, disclosed at once: a withheld entity has one handle on the page.
            return [
                look_up(db, user, id, RELATIONSHIPS_SHOWN),
                walk_around(db, user, id, day, depth=1, limit=AROUND),
                ask_within(db, question("chain"), user, None, day, {"id": id}),
            ]

        released = guard.answer(user, look)
        view, around, chain = released.answer
        me = shown(EntityRef(view.id, view.label, view.properties.get("name")), lang)
        page = html(
            request,
            "entity.html.j2",
            session,
            title=me.text,
            kind=me.kind,
            properties=property_rows(view, lang),
            relationships=[
                (
                    edge_words(r.type, lang),
                    say("console.direction_" + r.direction, lang),
                    shown(r.other, lang),
                )
                for r in view.relationships
            ],
            relationships_total=view.relationships_total,
            chain_figures=figures(chain, lang) if chain else [],
            chain_tables=tables(chain, lang, path=request.url.path, params={},
                                download="", entity_links=True) if chain else [],
            network=script_json(network_data(around, lang)),
            truncated=around.truncated,
        )  # fmt: skip
        return send(request, session, page, released, rows=1 + len(view.relationships),
                    parameters={"id": id})  # fmt: skip

    return routes
