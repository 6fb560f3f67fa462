"""Coverage (覆盖): where party organization, or party work, is missing; the rules and census
that go with it (DESIGN §4). Each function runs one catalog query in a read transaction and
returns typed rows; the definitions live in the queries' headers and are restated here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest

from .catalog import run, run_together
from .scope import Scope, as_of_date, resolve_scope


def rate(part: int, whole: int) -> float:
    """``part`` as a share of ``whole`` estates (0 when there are none)."""
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class CoverageSummary:
    """How many estates of a scope are org-covered and work-covered, and the estate-level orgs.

    An estate is org-covered when a PartyOrg COVERS it; work-covered when it is org-covered, a
    PartyOrg covers a grid holding one of its buildings, or someone holds a current party_guide
    post on it.
    """

    scope: Scope
    as_of: str
    estates: int
    households: int
    org_covered: int
    work_covered: int
    orgs_by_type: dict[str, int] = field(default_factory=dict)
    org_rate: float = field(init=False)
    work_rate: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "org_rate", rate(self.org_covered, self.estates))
        object.__setattr__(self, "work_rate", rate(self.work_covered, self.estates))

    def sentence(self, lang: str = "zh") -> str:
        """The figures the way the seed articles state them (Chinese, or ``lang="en"``)."""
        general = self.orgs_by_type.get("general_branch", 0)
        branches = self.orgs_by_type.get("branch", 0)
        groups = self.orgs_by_type.get("group", 0)
        if lang == "zh":
            return (
                f"在{self.estates:,}个小区中，建立党总支{general:,}个、党支部{branches:,}个、"
                f"楼栋党小组{groups:,}个；党的组织覆盖率{self.org_rate:.1%}，"
                f"党的工作覆盖率{self.work_rate:.1%}。"
            )
        return (
            f"Across {self.estates:,} estates, {general:,} general branches, {branches:,} branches "
            f"and {groups:,} building groups; organization coverage {self.org_rate:.1%}, "
            f"work coverage {self.work_rate:.1%}."
        )


def coverage_summary(
    db: Database, scope: str | None = None, as_of: str | dt.date | None = None
) -> CoverageSummary:
    """Estate coverage of a scope (all the graph when ``scope`` is None) at ``as_of`` (today)."""
    where = resolve_scope(db, scope)
    day = as_of_date(as_of)
    [row] = run(db, "estate_coverage_summary", scope=where.id, as_of=day)
    census = run(db, "estate_org_census", scope=where.id)
    return CoverageSummary(
        scope=where,
        as_of=day,
        orgs_by_type={r["type"]: r["orgs"] for r in census},
        **row,
    )


# -- gaps ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EstateGap:
    """An estate no party org covers; actionable (应建未建) with three non-floating members."""

    estate_id: str
    estate: str
    community_id: str
    community: str
    households: int | None
    members: int
    work_covered: bool
    actionable: bool


@dataclass(frozen=True)
class BuildingGap:
    """A building of an org-covered estate with no building group (党小组) covering it."""

    building_id: str
    building: str
    estate_id: str
    estate: str
    members: int


@dataclass(frozen=True)
class GridGap:
    """A grid with no grid-level party org (一网格一支部)."""

    grid_id: str
    grid: str
    community_id: str
    community: str
    households: int | None
    buildings: int


@dataclass(frozen=True)
class FirmGap:
    """A property firm with neither a party org based in it nor a current party guide."""

    firm_id: str
    firm: str
    star_rating: int | None
    estate_ids: list[str]
    estates: list[str]


@dataclass(frozen=True)
class PropertyGap:
    """An estate no firm manages; ``fallback`` when the community or owners run it instead."""

    estate_id: str
    estate: str
    community_id: str
    community: str
    households: int | None
    property_status: str | None
    fallback: bool


@dataclass(frozen=True)
class OwnersGap:
    """An estate with no owners' committee (业委会) or management committee (物管会)."""

    estate_id: str
    estate: str
    community_id: str
    community: str
    households: int | None


@dataclass(frozen=True)
class OwnersShare:
    """An owners' committee and the share of its current members who are party members."""

    committee_id: str
    committee: str
    kind: str | None
    estate_id: str
    estate: str
    committee_members: int
    party_members: int
    share: float | None


@dataclass(frozen=True)
class Gaps:
    """One gap list of a scope at a date."""

    kind: str
    scope: Scope
    as_of: str
    rows: list


GAP_KINDS = ("estates", "buildings", "grids", "firms", "property", "owners")
_GAP_ROWS: dict[str, tuple[str, type, bool]] = {
    # kind: (query, row type, takes as_of)
    "estates": ("gaps_estates", EstateGap, True),
    "buildings": ("gaps_buildings", BuildingGap, False),
    "grids": ("gaps_grids", GridGap, False),
    "firms": ("gaps_firms", FirmGap, True),
    "property": ("gaps_property", PropertyGap, False),
    "owners": ("gaps_owners", OwnersGap, False),
}


def gaps(
    db: Database, kind: str, scope: str | None = None, as_of: str | dt.date | None = None
) -> Gaps:
    """The gap list ``kind`` (one of GAP_KINDS) of a scope at ``as_of`` (today)."""
    if kind not in _GAP_ROWS:
        raise BadRequest(f"unknown gap list {kind!r}; choose one of {', '.join(GAP_KINDS)}")
    name, row_type, dated = _GAP_ROWS[kind]
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    params: dict[str, object] = {"scope": where.id}
    if dated:
        params["as_of"] = day
    return Gaps(kind, where, day, [row_type(**r) for r in run(db, name, **params)])


def owners_party_share(
    db: Database, scope: str | None = None, as_of: str | dt.date | None = None
) -> list[OwnersShare]:
    """Per owners' committee: current members (chair, vice_chair, member) who are party members."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    return [OwnersShare(**r) for r in run(db, "owners_party_share", scope=where.id, as_of=day)]


# -- rules --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vacancy:
    """A party org (not a group) with no current secretary; ``last_until`` when one left."""

    org_id: str
    org: str
    type: str
    level: str
    parent_id: str | None
    last_until: str | None


@dataclass(frozen=True)
class SizeRule:
    """A branch above 50 members (become a general branch), below 3 (go joint), or a branch or
    general branch with 100 or more members in its subtree (become a committee)."""

    org_id: str
    org: str
    type: str
    level: str
    members: int
    subtree_members: int
    rule: str


@dataclass(frozen=True)
class IntegrityProblem:
    """A territorial org with no parent, or a child not below its parent's level."""

    org_id: str
    org: str
    level: str
    parent_id: str | None
    parent_level: str | None
    problem: str


@dataclass(frozen=True)
class Rules:
    scope: Scope
    as_of: str
    vacancies: list[Vacancy]
    size: list[SizeRule]
    integrity: list[IntegrityProblem]


def rules(db: Database, scope: str | None = None, as_of: str | dt.date | None = None) -> Rules:
    """Vacancies, size rules and hierarchy integrity of the party orgs of a scope."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    return Rules(
        where,
        day,
        [Vacancy(**r) for r in run(db, "rules_vacancies", scope=where.id, as_of=day)],
        [SizeRule(**r) for r in run(db, "rules_size", scope=where.id, as_of=day)],
        [IntegrityProblem(**r) for r in run(db, "rules_integrity", scope=where.id)],
    )


# -- census -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgCount:
    type: str
    level: str
    orgs: int


@dataclass(frozen=True)
class MemberCount:
    category: str | None
    members: int


@dataclass(frozen=True)
class SecretaryCount:
    category: str | None
    secretaries: int


@dataclass(frozen=True)
class Census:
    """The tables the seed articles report: orgs by type and level, members and secretaries
    by category."""

    scope: Scope
    as_of: str
    orgs: list[OrgCount]
    members: list[MemberCount]
    secretaries: list[SecretaryCount]

    @property
    def total_orgs(self) -> int:
        return sum(r.orgs for r in self.orgs)

    @property
    def total_members(self) -> int:
        return sum(r.members for r in self.members)


def census(
    db: Database,
    scope: str | None = None,
    as_of: str | dt.date | None = None,
    levels: list[str] | None = None,
) -> Census:
    """Census of the party orgs of a scope; ``levels`` narrows the secretaries counted."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    members, secretaries, orgs = run_together(
        db,
        ("census_members", {"scope": where.id, "as_of": day}),
        ("census_secretaries", {"scope": where.id, "as_of": day, "levels": levels}),
        ("census_orgs", {"scope": where.id}),
    )
    return Census(
        where,
        day,
        [OrgCount(**r) for r in orgs],
        [MemberCount(**r) for r in members],
        [SecretaryCount(**r) for r in secretaries],
    )
