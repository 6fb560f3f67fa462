"""The coverage report a department sends upward: every question of a scope in one answer
(DESIGN §5, `orgnet report`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated

from orgnet.graph.connection import Database

from .catalog import run
from .changes import Changes, changes
from .coverage import (
    ACTIONABLE_FROM,
    BuildingGap,
    Census,
    CoverageSummary,
    EstateGap,
    FirmGap,
    GridGap,
    OwnersGap,
    OwnersShares,
    PropertyGap,
    Rules,
    census,
    coverage_summary,
    gaps,
    owners,
    rate,
    rules,
)
from .disclosure import Name, Ref
from .pairing import PairingBalance, pairing_balance
from .paths import CrossAppointments, cross_appointments
from .scope import Scope, ScopeArg, as_of_date, resolve_scope
from .terms import Terms, terms
from .trend import Trend, trend


@dataclass(frozen=True)
class AreaCoverage:
    """Estate coverage of one street or community."""

    street_id: Annotated[str, Ref()]
    street: Annotated[str, Name("street_id")]
    community_id: Annotated[str | None, Ref()]
    community: Annotated[str | None, Name("community_id")]
    estates: int
    households: int
    org_covered: int
    work_covered: int
    actionable: int
    org_rate: float | None = field(init=False)  # None: no estates
    work_rate: float | None = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "org_rate", rate(self.org_covered, self.estates))
        object.__setattr__(self, "work_rate", rate(self.work_covered, self.estates))


@dataclass(frozen=True)
class CoverageReport:
    scope: Scope
    as_of: str
    summary: CoverageSummary
    streets: list[AreaCoverage]
    communities: list[AreaCoverage]
    estate_gaps: list[EstateGap]
    building_gaps: list[BuildingGap]
    grid_gaps: list[GridGap]
    firm_gaps: list[FirmGap]
    property_gaps: list[PropertyGap]
    owners_gaps: list[OwnersGap]
    owners: OwnersShares
    rules: Rules
    census: Census
    terms: Terms
    pairing: PairingBalance
    cross: CrossAppointments
    progress: Trend  # month by month over the year before as_of
    changes: Changes  # what changed in that year


def year_before(day: str) -> str:
    """The same day a year earlier (29 February: the 28th).

    >>> year_before("2026-11-23"), year_before("2024-02-29")
    ('2025-11-23', '2023-02-28')
    """
    d = dt.date.fromisoformat(day)
    return d.replace(year=d.year - 1, day=min(d.day, 28) if d.month == 2 else d.day).isoformat()


def coverage_report(
    db: Database, scope: ScopeArg = None, as_of: str | dt.date | None = None
) -> CoverageReport:
    """Everything a scope's report shows; phones stay masked (a report is sent on)."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    communities = [
        AreaCoverage(**r)
        for r in run(
            db,
            "coverage_by_community",
            scope=where.id,
            as_of=day,
            actionable_from=ACTIONABLE_FROM,
        )
    ]
    return CoverageReport(
        scope=where,
        as_of=day,
        summary=coverage_summary(db, where, day),
        streets=_by_street(communities),
        communities=communities,
        estate_gaps=gaps(db, "estates", where, day).rows,
        building_gaps=gaps(db, "buildings", where, day).rows,
        grid_gaps=gaps(db, "grids", where, day).rows,
        firm_gaps=gaps(db, "firms", where, day).rows,
        property_gaps=gaps(db, "property", where, day).rows,
        owners_gaps=gaps(db, "owners", where, day).rows,
        owners=owners(db, where, day),
        rules=rules(db, where, day),
        census=census(db, where, day),
        terms=terms(db, where, day),
        pairing=pairing_balance(db, where, day),
        cross=cross_appointments(db, where, day),
        progress=trend(db, where, year_before(day), day, "month"),
        changes=changes(db, where, year_before(day), day),
    )


def _by_street(communities: list[AreaCoverage]) -> list[AreaCoverage]:
    streets: dict[str, list[AreaCoverage]] = {}
    for c in communities:
        streets.setdefault(c.street_id, []).append(c)
    return [
        AreaCoverage(
            street_id,
            rows[0].street,
            None,
            None,
            sum(r.estates for r in rows),
            sum(r.households for r in rows),
            sum(r.org_covered for r in rows),
            sum(r.work_covered for r in rows),
            sum(r.actionable for r in rows),
        )
        for street_id, rows in streets.items()
    ]
