"""The org and territory tree: district → street → community → grid and estate → building on
one side, the party orgs as they report to each other on the other, one level at a time (a
branch opens when clicked, fetched then). Each place carries its coverage badge — a street's
or community's org coverage rate, whether an estate is covered — and the gaps found there;
each org its vacancy or overdue term.

The badges are read from the ``report`` answer of the user's jurisdiction (the same figures as
the home page). A branch is opened only under a place or org inside the jurisdiction; what it
holds that lies outside keeps its kind and loses its id and name, as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from orgnet.graph.connection import Database
from orgnet.queries.catalog import run
from orgnet.queries.registry import question
from orgnet.queries.scope import as_of_date

from ..explore import EntityRef
from ..guard import Guard
from ..jurisdiction import require_inside
from ..labels import label_words, withheld, word
from ..render import cell, printable
from ..words import say
from .pages import html, pages_router, send
from .questions import Asked, answer_of
from .session import Viewer, lang_of


@dataclass(frozen=True)
class Branch:
    """One node of the tree, as the query gives it."""

    ref: EntityRef
    children: int
    orgs: int  # a place: the orgs covering it; an org: the places it covers
    type: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class Node:
    """One node as the page draws it."""

    kind: str  # "place" or "org"
    id: str | None
    text: str
    label_words: str
    children: int
    badge: str | None
    alarms: list[str]
    href: str | None


def badges(report: Any, lang: str) -> dict[str, tuple[str | None, list[str]]]:
    """id → (its badge, its gaps in words), from the report of the jurisdiction."""
    found: dict[str, tuple[str | None, list[str]]] = {}

    def mark(id: str | None, gap: str) -> None:
        if id is None:
            return
        badge, alarms = found.get(id, (None, []))
        found[id] = (badge, [*alarms, gap])

    for area in [*report.streets, *report.communities]:
        id = area.community_id or area.street_id
        if id:
            rate = cell("org_rate", area.org_rate, lang)
            found[id] = (say("console.badge_rate", lang, rate=rate), found.get(id, (None, []))[1])
    for gap in report.estate_gaps:
        mark(gap.estate_id, say("console.gap_estate", lang))
    for gap in report.building_gaps:
        mark(gap.building_id, say("console.gap_building", lang))
    for gap in report.grid_gaps:
        mark(gap.grid_id, say("console.gap_grid", lang))
    for gap in report.property_gaps:
        mark(gap.estate_id, say("console.gap_property", lang))
    for gap in report.owners_gaps:
        mark(gap.estate_id, say("console.gap_owners", lang))
    for vacancy in report.rules.vacancies:
        mark(vacancy.org_id, say("console.gap_vacant", lang))
    for due in report.terms.orgs:
        if due.status == "overdue":
            mark(due.org_id, say("console.gap_overdue", lang))
    return found


def _nodes(branches: list[Branch], kind: str, marks: dict, lang: str, analyst: bool) -> list[Node]:
    drawn = []
    for b in branches:
        ref = b.ref
        badge, alarms = marks.get(ref.id, (None, [])) if ref.id else (None, [])
        if ref.id and ref.label == "Estate" and badge is None:
            covered = not any(a == say("console.gap_estate", lang) for a in alarms)
            badge = say("console.badge_covered" if covered else "console.badge_uncovered", lang)
        if ref.id is None:
            text = withheld(lang, ref.label)
        else:
            name = printable(ref.name or "")
            text = f"{name} ({ref.id})" if name else ref.id
        kinds = label_words(ref.label, lang)
        if b.type:
            kinds = word("type", b.type, lang)
        drawn.append(
            Node(
                kind=kind,
                id=ref.id,
                text=text,
                label_words=kinds,
                children=b.children if ref.id else 0,
                badge=badge,
                alarms=alarms,
                href=f"/entities/{ref.id}" if analyst and ref.id else None,
            )
        )
    return drawn


def _branches(rows: list[dict]) -> list[Branch]:
    return [
        Branch(
            EntityRef(r["id"], r["label"], r["name"]),
            r["children"],
            r.get("orgs", r.get("covers", 0)),
            r.get("type"),
            r.get("level"),
        )
        for r in rows
    ]


def router() -> APIRouter:
    routes = pages_router()

    def marks_for(request: Request, session: Any, lang: str) -> tuple[dict, Any]:
        report = answer_of(
            request, question("report"), session, Asked({}, None, None, as_of_date(None), {}, [])
        )
        return badges(report.answer, lang), report

    @routes.get("/tree")
    def tree(request: Request, session: Viewer) -> HTMLResponse:
        lang = lang_of(request)
        guard: Guard = request.app.state.guard
        user = session.user
        day = as_of_date(None)

        def tops(db: Database) -> list[list[Branch]]:
            if user.everywhere:
                places = [
                    r
                    for r in run(db, "scopes_within", jurisdiction=None)
                    if r["label"] == "District"
                ]
                rows = [{**r, "children": 1, "orgs": 0} for r in places]
            else:
                [me] = run(db, "entity_detail", id=user.jurisdiction)
                name = me["properties"].get("name")
                rows = [{"id": me["id"], "label": me["label"], "name": name, "children": 1,
                         "orgs": 0}]  # fmt: skip
            scope = None if user.everywhere else user.jurisdiction
            orgs = run(db, "tree_top_orgs", scope=scope, as_of=day)
            return [_branches(rows), _branches(orgs)]

        released = guard.answer(user, tops)
        places, orgs = released.answer
        marks, _ = marks_for(request, session, lang)
        analyst = user.may("analyst")
        page = html(
            request,
            "tree.html.j2",
            session,
            title=say("console.nav_tree", lang),
            places=_nodes(places, "place", marks, lang, analyst),
            orgs=_nodes(orgs, "org", marks, lang, analyst),
        )
        return send(request, session, page, released, rows=len(places) + len(orgs))

    @routes.get("/tree/branch")
    def branch(
        request: Request,
        session: Viewer,
        id: Annotated[str, Query(max_length=200)],
        kind: Literal["place", "org"] = "place",
    ) -> HTMLResponse:
        """One level under a place or an org, as list items (the tree's script puts them in)."""
        lang = lang_of(request)
        guard: Guard = request.app.state.guard
        user = session.user
        day = as_of_date(None)

        def level(db: Database) -> list[Branch]:
            require_inside(db, user, [id])
            name = "tree_places" if kind == "place" else "tree_orgs"
            return _branches(run(db, name, id=id, as_of=day))

        released = guard.answer(user, level)
        marks, _ = marks_for(request, session, lang)
        nodes = _nodes(released.answer, kind, marks, lang, user.may("analyst"))
        page = html(request, "tree_branch.html.j2", session, nodes=nodes)
        return send(request, session, page, released, rows=len(nodes),
                    parameters={"id": id, "kind": kind})  # fmt: skip

    return routes
