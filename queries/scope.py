"""What every question takes: a scope (a district, street or community) and an ``as_of`` date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from orgnet.graph.connection import Database
from orgnet.graph.dates import EARLIEST, FORMS, LATEST, BadValue, as_of_day
from orgnet.graph.errors import BadRequest, NotFound
from orgnet.graph.model import Label

from .catalog import run
from .disclosure import Name, Ref

SCOPE_LABELS = (Label.DISTRICT, Label.STREET, Label.COMMUNITY)


@dataclass(frozen=True)
class Entity:
    id: Annotated[str, Ref(label_from="label")]
    label: str
    name: Annotated[str | None, Name("id")]


@dataclass(frozen=True)
class Scope:
    """A checked scope: ``id`` None means the whole graph."""

    id: Annotated[str | None, Ref(label_from="label")]
    label: str | None = None
    name: Annotated[str | None, Name("id")] = None

    @property
    def title(self) -> str:
        """``name (id)``; empty for the whole graph (each front door says "all" in its words)."""
        return f"{self.name} ({self.id})" if self.id else ""


def entity(db: Database, id: str) -> Entity:
    """The entity with this id, or NotFound."""
    rows = run(db, "entity", id=id)
    if not rows:
        raise NotFound(f"no entity has the id {id!r}", said="no_entity", id=id)
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
        kinds = ", ".join(label.lower() for label in SCOPE_LABELS[:-1])
        kinds += f" or {SCOPE_LABELS[-1].lower()}"
        raise BadRequest(
            f"scope {scope!r} is not a {kinds} (its kind: {found.label})",
            said="not_a_scope",
            scope=scope,
            label=found.label,
        )
    return Scope(found.id, found.label, found.name)


def scopes_named(db: Database, name: str) -> list[Scope]:
    """The districts, streets and communities called ``name`` (at most twenty), by id: how a
    person names a scope. The HTTP API takes ids only (a name's candidates could lie outside a
    caller's jurisdiction)."""
    return [Scope(r["id"], r["label"], r["name"]) for r in run(db, "scopes_named", scope_name=name)]


# The forms of an as_of a front door declares (an HTTP parameter's pattern): a day or a month
# of 1900–2100, as the import writes them. A day the calendar lacks (2023-02-30) passes the
# pattern and is refused by as_of_date.
_YEAR, _MONTH, _DAY = r"(19\d\d|20\d\d|2100)", r"(0?[1-9]|1[0-2])", r"(0?[1-9]|[12]\d|3[01])"
AS_OF_PATTERN = (
    rf"^{_YEAR}(-{_MONTH}(-{_DAY})?|/{_MONTH}(/{_DAY})?|\.{_MONTH}(\.{_DAY})?"
    rf"|年{_MONTH}月({_DAY}日)?)$"
)


def as_of_date(value: str | dt.date | None, name: str = "as_of") -> str:
    """``as_of`` (or the day input ``name``) as the 'YYYY-MM-DD' text the graph stores (today
    when None), from any form the import takes; a month means its last day.

    >>> as_of_date("2024年2月")
    '2024-02-29'
    >>> as_of_date("9999-12-31")
    Traceback (most recent call last):
    orgnet.graph.errors.BadRequest: as_of '9999-12-31' is outside 1900-01-01 … 2100-12-31
    """
    if value is None or value == "":
        return dt.date.today().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return as_of_day(value)
    except BadValue as e:
        if e.code == "date_out_of_range":
            why, said = f"is outside {EARLIEST.isoformat()} … {LATEST.isoformat()}", "date_range"
        elif e.code in ("not_calendar_date", "month_out_of_range"):
            why, said = "is not a day of the calendar", "not_a_day"
        else:
            why, said = f"is not a date; write it as {FORMS}", "not_a_date"
        raise BadRequest(
            f"{name} {value!r} {why}",
            said=said,
            parameter=name,
            value=value,
            forms=FORMS,
            earliest=EARLIEST.isoformat(),
            latest=LATEST.isoformat(),
        ) from None
