"""The scopes a user may choose: the districts, streets and communities inside their
jurisdiction, nested as the territory nests (a street, then its communities), kept until the
graph changes. A scope asked for outside it is refused with the 403 page — the same page for
one that does not exist, so that a user cannot learn which ids lie beyond their reach."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from orgnet.graph.connection import Database
from orgnet.graph.errors import Forbidden
from orgnet.queries.catalog import run

from ..access import Caller
from ..labels import label_words
from ..render import printable
from ..words import say

MOST = 3000  # choices a list offers; past it, the communities of a large jurisdiction are left out


def within(request: Request, user: Caller) -> list[dict[str, Any]]:
    """The scopes inside the user's jurisdiction, in the territory's order."""

    def compute() -> list[dict[str, Any]]:
        def ask(db: Database) -> list[dict[str, Any]]:
            jurisdiction = None if user.everywhere else user.jurisdiction
            return run(db, "scopes_within", jurisdiction=jurisdiction)

        rows: list[dict[str, Any]] = request.app.state.store.use(ask)
        return _nested(rows)

    found: list[dict[str, Any]] = request.app.state.cache.answer(
        ("console.scopes", user.jurisdiction), compute, len
    )
    return found


def _nested(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_parent: dict[str | None, list[dict[str, Any]]] = {}
    ids = {r["id"] for r in rows}
    for r in rows:
        by_parent.setdefault(r["parent_id"] if r["parent_id"] in ids else None, []).append(r)
    ordered: list[dict[str, Any]] = []

    def walk(parent: str | None, depth: int) -> None:
        for r in by_parent.get(parent, []):
            ordered.append({**r, "depth": depth})
            walk(r["id"], depth + 1)

    walk(None, 0)
    if len(ordered) > MOST:
        ordered = [r for r in ordered if r["label"] != "Community"][:MOST]
    return ordered


def choices(request: Request, user: Caller, lang: str) -> list[tuple[str, str]]:
    """(id, words) for a list of scopes: the whole jurisdiction first."""
    everything = say("console.whole_jurisdiction", lang)
    listed = [("", everything)]
    for r in within(request, user):
        indent = "\u3000" * r["depth"]
        kind = label_words(r["label"], lang)
        name = printable(r["name"] or r["id"])
        words = say("console.scope_choice", lang, indent=indent, name=name, kind=kind)
        listed.append((r["id"], words))
    return listed


def outside(scope: str) -> Forbidden:
    return Forbidden(
        f"the scope {scope!r} is not within your jurisdiction (or does not exist)",
        said="scope_outside",
        scope=scope[:40],
    )
