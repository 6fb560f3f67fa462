"""Coverage (覆盖): where party organization, or party work, is missing (DESIGN §4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from orgnet.graph.connection import Database
from orgnet.graph.model import ORG_TYPE

from .catalog import query


def _today() -> str:
    return dt.date.today().isoformat()


@dataclass(frozen=True)
class CoverageSummary:
    """How many estates of a scope are org-covered and work-covered, and the estate-level orgs.

    An estate is org-covered when a PartyOrg COVERS it; work-covered when it is org-covered, a
    PartyOrg covers a grid holding one of its buildings, or someone holds a current party_guide
    post on it.
    """

    scope: str | None
    as_of: str
    estates: int
    households: int
    org_covered: int
    work_covered: int
    orgs_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def org_rate(self) -> float:
        return self.org_covered / self.estates if self.estates else 0.0

    @property
    def work_rate(self) -> float:
        return self.work_covered / self.estates if self.estates else 0.0

    def lines(self) -> list[tuple[str, str]]:
        rows = [
            ("小区 estates", f"{self.estates:,}"),
            ("户数 households", f"{self.households:,}"),
            ("党的组织覆盖 org-covered", f"{self.org_covered:,} ({self.org_rate:.1%})"),
            ("党的工作覆盖 work-covered", f"{self.work_covered:,} ({self.work_rate:.1%})"),
        ]
        for code in ORG_TYPE.codes():
            if code in self.orgs_by_type:
                rows.append((f"{ORG_TYPE.label(code)} {code}", f"{self.orgs_by_type[code]:,}"))
        return rows


def coverage_summary(
    db: Database, scope: str | None = None, as_of: str | None = None
) -> CoverageSummary:
    """Estate coverage of a scope (all the graph when ``scope`` is None) at ``as_of`` (today)."""
    as_of = as_of or _today()
    row = db.read(query("estate_coverage_summary").text, {"scope": scope, "as_of": as_of})[0]
    census = db.read(query("estate_org_census").text, {"scope": scope})
    return CoverageSummary(
        scope=scope,
        as_of=as_of,
        estates=row["estates"],
        households=row["households"],
        org_covered=row["org_covered"],
        work_covered=row["work_covered"],
        orgs_by_type={r["type"]: r["orgs"] for r in census},
    )
