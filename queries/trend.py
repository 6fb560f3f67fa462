"""Progress over time (历年进展): a scope's figures at the end of every month, quarter or year of a
period — coverage of estates by party organization and party work, orgs by type, party members,
the length of each gap list, the terms overdue and not recorded — each read in one pass over the
scope for all the days at once (the queries ``trend_*``), by the same date rules as the
questions of one day (DESIGN §4): the figure of a day is what ``orgnet coverage``, ``census``,
``gaps`` and ``terms`` answer at that day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest
from orgnet.graph.model import TERM_YEARS_AT_LEVEL, TERM_YEARS_OF_TYPE

from .catalog import run_together
from .scope import Scope, ScopeArg, as_of_date, resolve_scope

EVERY = ("month", "quarter", "year")
MOST_DAYS = 600  # fifty years of months: a longer series says nothing a chart can show
_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_ends(first: str, last: str, every: str) -> list[str]:
    """The last day of each period (month, quarter or year) from the one holding ``first`` to
    the one holding ``last``; the last is ``last`` itself when its period has not ended.

    >>> period_ends("2025-11-15", "2026-02-10", "month")
    ['2025-11-30', '2025-12-31', '2026-01-31', '2026-02-10']
    >>> period_ends("2024-02-01", "2024-12-31", "quarter")
    ['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31']
    >>> period_ends("2019-06-30", "2021-03-01", "year")
    ['2019-12-31', '2020-12-31', '2021-03-01']
    """
    if every not in _MONTHS:
        raise BadRequest(f"every {every!r} is not one of {', '.join(EVERY)}", said="bad_every")
    step = _MONTHS[every]
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    # The month that closes the period holding ``start``.
    month = start.year * 12 + (start.month - 1) // step * step + step - 1
    days: list[str] = []
    while True:
        year, m = divmod(month, 12)
        day = dt.date(year, m + 1, calendar.monthrange(year, m + 1)[1])
        if day >= end:
            days.append(end.isoformat())
            return days
        days.append(day.isoformat())
        if len(days) >= MOST_DAYS:
            raise BadRequest(
                f"{first} … {last} by {every} is more than {MOST_DAYS} periods",
                said="too_many_periods",
                most=MOST_DAYS,
            )
        month += step


@dataclass(frozen=True)
class TrendPoint:
    """A scope's figures on ``day``, the last day of a period (rates null with no estate)."""

    day: str
    estates: int
    households: int
    org_covered: int
    work_covered: int
    org_rate: float | None
    work_rate: float | None
    gaps_estates: int  # each gap list's length that day: estates without a party org …
    gaps_buildings: int
    gaps_grids: int
    gaps_firms: int
    gaps_property: int
    gaps_owners: int
    terms_overdue: int  # elected orgs whose term has ended with no new one recorded
    terms_missing: int  # … and with no term recorded
    orgs: int
    working_committees: int
    party_committees: int  # 党委
    general_branches: int
    branches: int
    groups: int
    members: int


@dataclass(frozen=True)
class Trend:
    scope: Scope
    since: str
    until: str
    every: str
    points: list[TrendPoint]


_TYPES = {
    "working_committee": "working_committees",
    "committee": "party_committees",
    "general_branch": "general_branches",
    "branch": "branches",
    "group": "groups",
}


def trend(
    db: Database,
    scope: ScopeArg = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    every: str = "month",
) -> Trend:
    """The figures of ``scope`` at the end of every ``every`` from ``since`` to ``until``
    (today)."""
    if since is None or since == "":
        raise BadRequest("trend needs the day it starts from (since)", said="since_needed")
    first, last = as_of_date(since, "since"), as_of_date(until, "until")
    if first > last:
        raise BadRequest(
            f"since {first} is after until {last}",
            said="since_not_before_until",
            since=first,
            until=last,
        )
    days = period_ends(first, last, every)
    where = resolve_scope(db, scope)
    return Trend(where, first, last, every, figures_on(db, where, days))


# The figures a point takes as they are summed (the rest are worked out from these).
_COUNTED = (
    "gaps_buildings", "gaps_grids", "gaps_firms", "gaps_property", "gaps_owners", "members",
    "terms_overdue", "terms_missing",
)  # fmt: skip


def running(days: list[str], changes: Iterable[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    """Each day's figures from their changes ``(day, figure, change)``: the sum of the changes
    of each figure on or before the day.

    >>> running(["2026-01-31", "2026-02-28", "2026-03-31"],
    ...         [("2026-01-31", "orgs", 3), ("2026-03-31", "orgs", -1)])["2026-03-31"]
    {'orgs': 2}
    """
    by_day: dict[str, Counter[str]] = {}
    for day, figure, change in changes:
        by_day.setdefault(day, Counter())[figure] += change
    now: Counter[str] = Counter()
    figures = {}
    for day in days:
        now.update(by_day.get(day, Counter()))
        figures[day] = dict(now)
    return figures


def figures_on(db: Database, where: Scope, days: list[str]) -> list[TrendPoint]:
    """The figures of the scope ``where`` on each of ``days`` ('YYYY-MM-DD'), read in one
    pass."""
    days = sorted(set(days))  # the steps read each day after the one before it
    asked: dict[str, object] = {"scope": where.id, "days": days}
    terms = {
        "years_at_level": TERM_YEARS_AT_LEVEL,
        "years_of_type": TERM_YEARS_OF_TYPE,
    }
    coverage, orgs, members, buildings, grids, firms, estates, due = run_together(
        db,
        ("trend_coverage", asked),
        ("trend_orgs", asked),
        ("trend_members", asked),
        ("trend_gaps_buildings", asked),
        ("trend_gaps_grids", asked),
        ("trend_gaps_firms", asked),
        ("trend_gaps_estates", asked),
        ("trend_terms", {**asked, **terms}),
    )
    # Each query gives the changes of its figures; a day's figure is the sum of those up to it.
    changes: list[tuple[str, str, int]] = []
    for rows, figures in (
        (coverage, {f: f for f in ("estates", "households", "org_covered", "work_covered")}),
        (members, {"members": "members"}),
        (buildings, {"gaps": "gaps_buildings"}),
        (grids, {"gaps": "gaps_grids"}),
        (firms, {"gaps": "gaps_firms"}),
        (estates, {"property": "gaps_property", "owners": "gaps_owners"}),
        (due, {"overdue": "terms_overdue", "missing": "terms_missing"}),
    ):
        changes += [(r["day"], name, r[column]) for r in rows for column, name in figures.items()]
    changes += [(r["day"], f"type:{r['type']}", r["orgs"]) for r in orgs]
    points = []
    for day, f in running(days, changes).items():
        estates_built, org_covered, work_covered = (
            f.get("estates", 0), f.get("org_covered", 0), f.get("work_covered", 0)
        )  # fmt: skip
        types = {name.removeprefix("type:"): n for name, n in f.items() if name.startswith("type:")}
        points.append(
            TrendPoint(
                day=day,
                estates=estates_built,
                households=f.get("households", 0),
                org_covered=org_covered,
                work_covered=work_covered,
                org_rate=org_covered / estates_built if estates_built else None,
                work_rate=work_covered / estates_built if estates_built else None,
                gaps_estates=estates_built - org_covered,
                **{name: f.get(name, 0) for name in _COUNTED},
                orgs=sum(types.values()),
                **{field: types.get(code, 0) for code, field in _TYPES.items()},
            )
        )
    return points
