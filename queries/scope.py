"""What every question takes: a scope (a district, street or community) and an ``as_of`` date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from orgnet.graph.connection import Database
from orgnet.graph.dates import FORMS, BadValue, as_of_day
from orgnet.graph.errors import BadRequest, NotFound
from orgnet.graph.model import Label

from .catalog import run

SCOPE_LABELS = (Label.DISTRICT, Label.STREET, Label.COMMUNITY)


@dataclass(frozen=True)
class Entity:
    id: str
    label: str
    name: str | None


@dataclass(frozen=True)
class Scope:
    """A checked scope: ``id`` None means the whole graph."""

    id: str | None
    label: str | None = None
    name: str | None = None

    @property
    def title(self) -> str:
        return f"{self.name} ({self.id})" if self.id else "全部 all"


def entity(db: Database, id: str) -> Entity:
    """The entity with this id, or NotFound."""
    rows = run(db, "entity", id=id)
    if not rows:
        raise NotFound(f"no entity has the id {id!r}")
    return Entity(**rows[0])


# What a question takes as its scope: an id to check, or a Scope a front door already checked
# (the report resolves its scope once for all its questions; the HTTP API, once per request
# against the caller's jurisdiction).
ScopeArg = str | Scope | None


def resolve_scope(db: Database, scope: ScopeArg) -> Scope:
    """Check that ``scope`` names a district, street or community (None: everything); a Scope
    is taken as already checked."""
    if isinstance(scope, Scope):
        return scope
    if scope is None or scope == "":
        return Scope(None)
    found = entity(db, scope)
    if found.label not in SCOPE_LABELS:
        kinds = ", ".join(label.lower() for label in SCOPE_LABELS)
        raise BadRequest(f"scope {scope!r} is a {found.label}; a scope is a {kinds}")
    return Scope(found.id, found.label, found.name)


def as_of_date(value: str | dt.date | None) -> str:
    """``as_of`` as the 'YYYY-MM-DD' text the graph stores (today when None), from any form
    the import takes; a month means its last day."""
    if value is None or value == "":
        return dt.date.today().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return as_of_day(value)
    except BadValue:
        raise BadRequest(f"as_of {value!r} is not a date; write it as {FORMS}") from None
