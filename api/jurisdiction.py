"""A key's jurisdiction: what lies inside it, and the scope and ids a request may name.

What lies inside is defined once, in queries/cypher/inside_jurisdiction.cypher, and asked
about *today*: the jurisdiction is the key's on every date, so an ``as_of`` in the past never
reaches what lies outside it now. A request with no scope gets the jurisdiction. A scope or
an entity named by id that lies outside is refused exactly as one that does not exist (404,
one message), so that a key cannot tell the two apart and learn which ids exist, or what
they are, beyond its reach. What an answer passes through on its way (a node of a path, an
org up a chain) is withheld by the guard (``guard``), not refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from orgnet.graph.connection import Database
from orgnet.graph.errors import NotFound
from orgnet.queries.catalog import run
from orgnet.queries.scope import Scope, resolve_scope

from .access import Caller


def today() -> str:
    return dt.date.today().isoformat()


def inside(db: Database, key: Caller, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` inside the key's jurisdiction today."""
    wanted = sorted(set(ids))
    if key.everywhere:
        return set(wanted)
    if not wanted:
        return set()
    rows = run(db, "inside_jurisdiction", ids=wanted, jurisdiction=key.jurisdiction, as_of=today())
    return {r["id"] for r in rows}


def unknown(id: str, key: Caller) -> NotFound:
    """The one refusal for an id that does not exist or lies outside the key's reach."""
    if key.everywhere:
        return NotFound(f"no entity has the id {id!r}", said="no_entity", id=id)
    return NotFound(
        f"no entity has the id {id!r} within this key's jurisdiction", said="no_entity", id=id
    )


def require_inside(db: Database, key: Caller, ids: Iterable[str]) -> None:
    """Refuse (404) when any entity a request names by id is unknown or lies outside."""
    wanted = list(dict.fromkeys(ids))
    if key.everywhere:
        found = {r["id"] for r in run(db, "entities_of_ids", ids=wanted)}
    else:
        found = inside(db, key, wanted)
    for id in wanted:
        if id not in found:
            raise unknown(id, key)


def scope_for(db: Database, key: Caller, scope: str | None) -> Scope:
    """The scope a request asks about: the one it names, inside the key's jurisdiction, or
    the jurisdiction itself."""
    if not scope:
        return resolve_scope(db, None if key.everywhere else key.jurisdiction)
    require_inside(db, key, [scope])
    return resolve_scope(db, scope)  # not a district, street or community: 400
