"""Coverage (覆盖): where party organization, or party work, is missing; the rules and census
that go with it (DESIGN §4). Each function runs one catalog query in a read transaction and
returns typed rows; the definitions live in the queries' headers and are restated here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest

from .catalog import query, run, run_in_parts, run_together
from .disclosure import Name, Ref
from .scope import Scope, ScopeArg, as_of_date, resolve_scope

# The Party Constitution (art. 30): a primary organization is formed wherever there are three
# full members or more — so an estate without one, where three live, should have one (应建未建),
# and a branch of fewer than three cannot stand alone (it should go joint).
ACTIONABLE_FROM = 3
BRANCH_LEAST = 3
# A branch is kept to at most 50 members (beyond, it divides: a general branch over branches),
# and an organization of 100 members or more sets up a committee (基层组织工作条例).
BRANCH_MOST = 50
COMMITTEE_FROM = 100


def rate(part: int, whole: int) -> float | None:
    """``part`` as a share of ``whole`` estates; None when there are none (a scope without an
    estate is neither covered nor uncovered: its rate is undefined, not 0%)."""
    return part / whole if whole else None


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
    org_rate: float | None = field(init=False)  # None: no estates
    work_rate: float | None = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "org_rate", rate(self.org_covered, self.estates))
        object.__setattr__(self, "work_rate", rate(self.work_covered, self.estates))


def coverage_summary(
    db: Database, scope: ScopeArg = None, as_of: str | dt.date | None = None
) -> CoverageSummary:
    """Estate coverage of a scope (all the graph when ``scope`` is None) at ``as_of`` (today)."""
    where = resolve_scope(db, scope)
    day = as_of_date(as_of)
    params: dict[str, object] = {"scope": where.id, "as_of": day}
    [row], census = run_together(
        db, ("estate_coverage_summary", params), ("estate_org_census", params)
    )
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

    estate_id: Annotated[str, Ref()]
    estate: Annotated[str, Name("estate_id")]
    community_id: Annotated[str, Ref()]
    community: Annotated[str, Name("community_id")]
    households: int | None
    members: int
    work_covered: bool
    actionable: bool


@dataclass(frozen=True)
class BuildingGap:
    """A building of an org-covered estate with no building group (党小组) covering it."""

    building_id: Annotated[str, Ref()]
    building: Annotated[str, Name("building_id")]
    estate_id: Annotated[str, Ref()]
    estate: Annotated[str, Name("estate_id")]
    members: int


@dataclass(frozen=True)
class GridGap:
    """A grid with no grid-level party org (一网格一支部)."""

    grid_id: Annotated[str, Ref()]
    grid: Annotated[str, Name("grid_id")]
    community_id: Annotated[str, Ref()]
    community: Annotated[str, Name("community_id")]
    households: int | None
    buildings: int


@dataclass(frozen=True)
class FirmGap:
    """A property firm with neither a party org based in it nor a current party guide."""

    firm_id: Annotated[str, Ref()]
    firm: Annotated[str, Name("firm_id")]
    star_rating: int | None
    estate_ids: Annotated[list[str], Ref()]
    estates: Annotated[list[str], Name("estate_ids")]


@dataclass(frozen=True)
class PropertyGap:
    """An estate no firm manages; ``fallback`` when the community or owners run it instead."""

    estate_id: Annotated[str, Ref()]
    estate: Annotated[str, Name("estate_id")]
    community_id: Annotated[str, Ref()]
    community: Annotated[str, Name("community_id")]
    households: int | None
    property_status: str | None
    fallback: bool


@dataclass(frozen=True)
class OwnersGap:
    """An estate with no owners' committee (业委会) or management committee (物管会)."""

    estate_id: Annotated[str, Ref()]
    estate: Annotated[str, Name("estate_id")]
    community_id: Annotated[str, Ref()]
    community: Annotated[str, Name("community_id")]
    households: int | None


@dataclass(frozen=True)
class OwnersShare:
    """An owners' committee and the share of its current members who are party members."""

    committee_id: Annotated[str, Ref()]
    committee: Annotated[str, Name("committee_id")]
    kind: str | None
    estate_id: Annotated[str, Ref()]
    estate: Annotated[str, Name("estate_id")]
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
    total: int  # rows in the whole list (``rows`` may be its first ``top``)


GAP_KINDS = ("estates", "buildings", "grids", "firms", "property", "owners")
_GAP_ROWS: dict[str, tuple[str, type]] = {
    # kind: (query, row type)
    "estates": ("gaps_estates", EstateGap),
    "buildings": ("gaps_buildings", BuildingGap),
    "grids": ("gaps_grids", GridGap),
    "firms": ("gaps_firms", FirmGap),
    "property": ("gaps_property", PropertyGap),
    "owners": ("gaps_owners", OwnersGap),
}


# The longest lists, asked part by part side by side, with their query's ORDER BY as a key.
_GAPS_IN_PARTS: dict[str, Callable[[Any], tuple]] = {
    "buildings": lambda gap: (-gap.members, gap.building_id),
}


def gaps(
    db: Database, kind: str, scope: ScopeArg = None, as_of: str | dt.date | None = None
) -> Gaps:
    """The gap list ``kind`` (one of GAP_KINDS) of a scope at ``as_of`` (today)."""
    if kind not in _GAP_ROWS:
        raise BadRequest(f"unknown gap list {kind!r}; choose one of {', '.join(GAP_KINDS)}")
    name, row_type = _GAP_ROWS[kind]
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    offered: dict[str, object] = {
        "scope": where.id,
        "as_of": day,
        "actionable_from": ACTIONABLE_FROM,
    }
    params = {k: v for k, v in offered.items() if k in query(name).parameters}
    if kind in _GAPS_IN_PARTS:
        del params["scope"]
        rows = run_in_parts(db, name, row_type, _GAPS_IN_PARTS[kind], scope=where.id, **params)
    else:
        rows = [row_type(**r) for r in run(db, name, **params)]
    return Gaps(kind, where, day, rows, len(rows))


# Seed article 002: 312 party members on its owners' committees, 62.9% of their members — the
# figure a department sets its own share beside.
SEED_OWNERS_SHARE = 0.629


@dataclass(frozen=True)
class OwnersShares:
    """Owners' committees of a scope and the party members among their current members: per
    committee, over the scope (``share``: party members over members, summed over committees),
    and the committees whose share is below ``below`` (a committee with no current member has
    no share and is counted apart, in ``unstaffed``)."""

    scope: Scope
    as_of: str
    below: float
    committees: int
    committee_members: int
    party_members: int
    share: float | None
    seed_share: float
    below_count: int
    unstaffed: int
    rows: list[OwnersShare]  # the lowest share first; those without members last


def owners_party_share(
    db: Database, scope: ScopeArg = None, as_of: str | dt.date | None = None
) -> list[OwnersShare]:
    """Per owners' committee: current members (chair, vice_chair, member) who are party members."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    return [OwnersShare(**r) for r in run(db, "owners_party_share", scope=where.id, as_of=day)]


def owners(
    db: Database,
    scope: ScopeArg = None,
    as_of: str | dt.date | None = None,
    *,
    below: float = 0.5,
) -> OwnersShares:
    """The party share of the owners' committees of a scope (DESIGN §4), committee by committee
    and over the scope, beside the seed article's 62.9%, with those below ``below``."""
    if not 0 <= below <= 1:
        raise BadRequest("below is a share between 0 and 1")
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    rows = [OwnersShare(**r) for r in run(db, "owners_party_share", scope=where.id, as_of=day)]
    members = sum(r.committee_members for r in rows)
    party = sum(r.party_members for r in rows)
    return OwnersShares(
        where,
        day,
        below,
        committees=len(rows),
        committee_members=members,
        party_members=party,
        share=party / members if members else None,
        seed_share=SEED_OWNERS_SHARE,
        below_count=sum(1 for r in rows if r.share is not None and r.share < below),
        unstaffed=sum(1 for r in rows if r.share is None),
        rows=rows,
    )


# -- rules --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vacancy:
    """A party org (not a group) with no current secretary; ``last_until`` when one left."""

    org_id: Annotated[str, Ref()]
    org: Annotated[str, Name("org_id")]
    type: str
    level: str
    parent_id: Annotated[str | None, Ref()]
    last_until: str | None


@dataclass(frozen=True)
class SizeRule:
    """A branch above 50 members (become a general branch), below 3 (go joint), or a branch or
    general branch with 100 or more members in its subtree (become a committee)."""

    org_id: Annotated[str, Ref()]
    org: Annotated[str, Name("org_id")]
    type: str
    level: str
    members: int
    subtree_members: int
    rule: str


@dataclass(frozen=True)
class IntegrityProblem:
    """A territorial org with no parent, or a child not below its parent's level or type."""

    org_id: Annotated[str, Ref()]
    org: Annotated[str, Name("org_id")]
    level: str
    type: str
    parent_id: Annotated[str | None, Ref()]
    parent_level: str | None
    parent_type: str | None
    problem: str


@dataclass(frozen=True)
class UnplacedOrg:
    """An org that counts in no scope: it (and every org above it) covers no place, is based
    nowhere and belongs to no region (give it a region_id)."""

    org_id: Annotated[str, Ref()]
    org: Annotated[str, Name("org_id")]
    type: str
    level: str
    parent_id: Annotated[str | None, Ref()]


@dataclass(frozen=True)
class Rules:
    scope: Scope
    as_of: str
    vacancies: list[Vacancy]
    size: list[SizeRule]
    integrity: list[IntegrityProblem]
    # Orgs in no scope; listed in the answer for everything (a scope never holds them).
    unplaced: list[UnplacedOrg]


def rules(db: Database, scope: ScopeArg = None, as_of: str | dt.date | None = None) -> Rules:
    """Vacancies, size rules and hierarchy integrity of the party orgs of a scope, and (asked
    for everything) the orgs that count in no scope."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    params: dict[str, object] = {"scope": where.id, "as_of": day}
    thresholds = {
        "branch_least": BRANCH_LEAST,
        "branch_most": BRANCH_MOST,
        "committee_from": COMMITTEE_FROM,
    }
    asks: list[tuple[str, dict[str, object]]] = [
        ("rules_vacancies", params),
        ("rules_size", {**params, **thresholds}),
        ("rules_integrity", params),
    ]
    if where.id is None:
        asks.append(("rules_unplaced", {"as_of": day}))
    vacancies, size, integrity, *unplaced = run_together(db, *asks)
    return Rules(
        where,
        day,
        [Vacancy(**r) for r in vacancies],
        [SizeRule(**r) for r in size],
        [IntegrityProblem(**r) for r in integrity],
        [UnplacedOrg(**r) for r in unplaced[0]] if unplaced else [],
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
    by category — and beside the members of the scope's orgs, the party members with no current
    organization (组织关系未落实) who live in the scope (``unattached``)."""

    scope: Scope
    as_of: str
    orgs: list[OrgCount]
    members: list[MemberCount]
    unattached: list[MemberCount]
    secretaries: list[SecretaryCount]

    @property
    def total_orgs(self) -> int:
        return sum(r.orgs for r in self.orgs)

    @property
    def total_members(self) -> int:
        return sum(r.members for r in self.members)

    @property
    def total_unattached(self) -> int:
        return sum(r.members for r in self.unattached)


def census(
    db: Database,
    scope: ScopeArg = None,
    as_of: str | dt.date | None = None,
    levels: list[str] | None = None,
) -> Census:
    """Census of the party orgs of a scope; ``levels`` narrows the secretaries counted."""
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    params: dict[str, object] = {"scope": where.id, "as_of": day}
    members, unattached, secretaries, orgs = run_together(
        db,
        ("census_members", params),
        ("census_unattached", params),
        ("census_secretaries", {**params, "levels": levels}),
        ("census_orgs", params),
    )
    return Census(
        where,
        day,
        [OrgCount(**r) for r in orgs],
        [MemberCount(**r) for r in members],
        [MemberCount(**r) for r in unattached],
        [SecretaryCount(**r) for r in secretaries],
    )
