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

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from orgnet.graph.connection import Database
from orgnet.graph.model import TERRITORY, Label
from orgnet.queries.catalog import run
from orgnet.queries.registry import question
from orgnet.queries.scope import as_of_date

from ..explore import EntityRef, find_entities
from ..guard import Guard
from ..jurisdiction import require_inside
from ..labels import label_words, withheld, word
from ..render import cell, printable
from ..words import say
from .pages import html, link, pages_router, send
from .questions import Asked, answer_of
from .session import Viewer, lang_of

TOP_ORGS = 200  # the top orgs the tree draws at first


@dataclass(frozen=True)
class Branch:
    """One node of the tree, as the query gives it."""

    ref: EntityRef
    children: int
    orgs: int  # a place: the orgs covering it; an org: the places it covers
    type: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class Level:
    """A node and, when the tree is opened down through it, the level under it."""

    branch: Branch
    kids: list[Level]


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
    kids: list[Node] = field(default_factory=list)  # drawn open
    here: bool = False  # the node a search jumped to


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


def _nodes(
    levels: list[Level], kind: str, marks: dict, lang: str, analyst: bool, here: str | None = None
) -> list[Node]:
    drawn = []
    for level in levels:
        b = level.branch
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
                kids=_nodes(level.kids, kind, marks, lang, analyst, here),
                here=here is not None and ref.id == here,
            )
        )
    return drawn


def _levels(rows: list[dict]) -> list[Level]:
    return [Level(b, []) for b in _branches(rows)]


def _opened(db: Database, levels: list[Level], through: set[str], kind: str, day: str) -> None:
    """Open, under ``levels``, the branches whose ids lie on the way down to a node."""
    for level in levels:
        id = level.branch.ref.id
        if id in through and level.branch.children:
            name = "tree_places" if kind == "place" else "tree_orgs"
            level.kids.extend(_levels(run(db, name, id=id, as_of=day)))
            _opened(db, level.kids, through - {id}, kind, day)


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
        """The badges of the user's jurisdiction, worked out once from its report and kept
        with it (a province's gap lists hold hundreds of thousands of rows)."""
        user = session.user
        day = as_of_date(None)
        asked = Asked({}, None, None, day, {}, [])
        report = answer_of(request, question("report"), session, asked)
        reach = ("console.badges", user.jurisdiction, user.personal_data, day, lang)
        marks: dict = request.app.state.cache.answer(
            reach, lambda: badges(report.answer, lang), len
        )
        return marks, report

    @routes.get("/tree", response_model=None)
    def tree(
        request: Request,
        session: Viewer,
        find: Annotated[str, Query(max_length=100)] = "",
        open: Annotated[str, Query(max_length=200)] = "",
    ) -> Response:
        """The tree's first levels; ``open`` draws it opened down to a place or an org (the
        search box's jump), ``find`` searches the places and orgs by id or name."""
        lang = lang_of(request)
        guard: Guard = request.app.state.guard
        user = session.user
        day = as_of_date(None)
        text = find.strip()

        def tops(db: Database) -> list[Any]:
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
            place_levels = _levels(rows)
            org_levels = _levels(run(db, "tree_top_orgs", scope=scope, as_of=day))
            if open:
                require_inside(db, user, [open])
                [path] = run(db, "tree_path", id=open) or [{"ids": [open]}]
                through = set(path["ids"])
                _opened(db, place_levels, through, "place", day)
                _opened(db, org_levels, through, "org", day)
            found = []
            if text:
                wanted = {*(label.value for label in TERRITORY), Label.PARTY_ORG.value}
                found = [
                    r for r in find_entities(db, user, text, None, 50).results
                    if r.label in wanted
                ][:20]  # fmt: skip
            return [place_levels, org_levels, found]

        released = guard.answer(user, tops, kept=("console.tree", open, text, day),
                                rows=lambda answer: sum(len(part) for part in answer))  # fmt: skip
        places, orgs, found = released.answer
        if text and len(found) == 1 and found[0].id:
            return RedirectResponse(link("/tree", open=found[0].id), status_code=303)
        marks, _ = marks_for(request, session, lang)
        analyst = user.may("analyst")
        # A province has thousands of orgs reporting to none (units' branches): the first
        # ones are drawn, and the search box finds the others.
        shown_orgs = orgs[:TOP_ORGS] if not open else orgs
        page = html(
            request,
            "tree.html.j2",
            session,
            title=say("console.nav_tree", lang),
            places=_nodes(places, "place", marks, lang, analyst, open or None),
            orgs=_nodes(shown_orgs, "org", marks, lang, analyst, open or None),
            orgs_left=len(orgs) - len(shown_orgs),
            find=text,
            found=[
                (r.id, printable(r.name or r.id or ""), label_words(r.label, lang))
                for r in found
                if r.id
            ],
        )
        return send(request, session, page, released, rows=len(places) + len(orgs),
                    parameters={"find": text, "open": open})  # fmt: skip

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

        def level(db: Database) -> list[Level]:
            require_inside(db, user, [id])
            name = "tree_places" if kind == "place" else "tree_orgs"
            return _levels(run(db, name, id=id, as_of=day))

        released = guard.answer(user, level, kept=("console.branch", id, kind, day), rows=len)
        marks, _ = marks_for(request, session, lang)
        nodes = _nodes(released.answer, kind, marks, lang, user.may("analyst"))
        page = html(request, "tree_branch.html.j2", session, nodes=nodes)
        return send(request, session, page, released, rows=len(nodes),
                    parameters={"id": id, "kind": kind})  # fmt: skip

    return routes
