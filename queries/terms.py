"""Terms (换届提醒): which elected party organizations of a scope must hold an election within a
window, which are overdue, and which have no term recorded — each with the superior org whose
secretary is to remind them (DESIGN §4).

How long a term runs is the model's data (``graph.model.term_years``): five years for
committees and community-level orgs, three for general branches and branches, an org's own
``term_years`` first.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest
from orgnet.graph.model import TERM_YEARS_AT_LEVEL, TERM_YEARS_OF_TYPE

from .catalog import run
from .disclosure import Name, Ref
from .paths import Secretary
from .privacy import phone_for
from .scope import Scope, ScopeArg, as_of_date, resolve_scope

_WINDOW = re.compile(r"^\s*(\d{1,4})\s*([dwmy])\s*$", re.IGNORECASE)
LONGEST_WINDOW_DAYS = 5 * 366  # a window past one full term says nothing more


def window_end(as_of: str, within: str) -> str:
    """The last day of a window of ``within`` ('90d', '8w', '6m', '1y') from ``as_of``; a month
    later than 31 August is 30 September.

    >>> window_end("2026-08-31", "1m"), window_end("2026-11-23", "6m")
    ('2026-09-30', '2027-05-23')
    >>> window_end("2024-02-29", "1y"), window_end("2026-11-23", "90d")
    ('2025-02-28', '2027-02-21')
    """
    m = _WINDOW.match(within)
    if not m or int(m.group(1)) == 0:
        raise BadRequest(f"window {within!r} is not like 90d, 8w, 6m or 1y")
    count, unit = int(m.group(1)), m.group(2).lower()
    start = dt.date.fromisoformat(as_of)
    if unit in "dw":
        end = start + dt.timedelta(days=count * (7 if unit == "w" else 1))
    else:
        months = start.month - 1 + count * (12 if unit == "y" else 1)
        year, month = start.year + months // 12, months % 12 + 1
        end = dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    if (end - start).days > LONGEST_WINDOW_DAYS:
        raise BadRequest(f"window {within!r} is longer than five years")
    return end.isoformat()


@dataclass(frozen=True)
class TermDue:
    """An elected org whose term needs attention: ``status`` overdue (ended by as_of, no new term
    recorded), due (ends within the window) or missing (no term recorded); ``reminders`` are the
    current secretaries of its superior org."""

    org_id: Annotated[str, Ref()]
    org: Annotated[str, Name("org_id")]
    type: str
    level: str
    status: str
    term_start: str | None
    term_years: int
    term_end: str | None
    parent_id: Annotated[str | None, Ref()]
    parent: Annotated[str | None, Name("parent_id")]
    reminders: list[Secretary]


@dataclass(frozen=True)
class Terms:
    scope: Scope
    as_of: str
    within: str
    until: str  # the window's last day
    overdue: int
    due: int
    missing: int
    orgs: list[TermDue]  # most urgent first


def terms(
    db: Database,
    scope: ScopeArg = None,
    as_of: str | dt.date | None = None,
    *,
    within: str = "6m",
    show_phone: bool = False,
) -> Terms:
    """The elected orgs of a scope whose term ends by the window's end (due), has ended with no
    new term recorded (overdue) or was never recorded (missing), most urgent first."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    until = window_end(day, within)
    rows = run(
        db,
        "terms",
        scope=where.id,
        as_of=day,
        until=until,
        years_at_level=TERM_YEARS_AT_LEVEL,
        years_of_type=TERM_YEARS_OF_TYPE,
    )
    # Each superior org's secretaries, asked and made once however many orgs it oversees.
    parents = sorted({r["parent_id"] for r in rows if r["parent_id"] is not None})
    reminders: dict[str | None, list[Secretary]] = {
        r["org_id"]: [
            Secretary(s["id"], s["name"], phone_for(s["phone"], show_phone))
            for s in r["secretaries"]
        ]
        for r in run(db, "secretaries_of", ids=parents, as_of=day)
    }
    orgs = [TermDue(**r, reminders=list(reminders.get(r["parent_id"], ()))) for r in rows]
    count = {s: sum(1 for o in orgs if o.status == s) for s in ("overdue", "due", "missing")}
    return Terms(where, day, within, until, **count, orgs=orgs)
