"""What changed in a period (本期变化), in valid time: the network on ``since`` compared with the
network on ``until`` — orgs founded, dissolved, upgraded (升格) or otherwise re-formed; estates
built, newly covered by a party org and no longer covered; secretaries changed; pairings and
reports begun and ended; terms renewed (换届). Each is read by the same date rules as every
question (DESIGN §4), at the two days; what began and ended again within the period differs
on neither day and is not counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest
from orgnet.graph.model import TYPE_RANK

from .catalog import run_together
from .disclosure import Name, Ref
from .scope import Scope, ScopeArg, as_of_date, resolve_scope


@dataclass(frozen=True)
class OrgChange:
    """``change``: founded, dissolved, upgraded (its type ranks higher on ``until``: a branch
    become a general branch, 升格), downgraded, or reformed (its level changed, its type not);
    ``day`` the founding or dissolution."""

    org_id: Annotated[str, Ref()]
    org: Annotated[str | None, Name("org_id")]
    change: str
    day: str | None
    type_before: str | None
    type_after: str | None
    level_before: str | None
    level_after: str | None


@dataclass(frozen=True)
class EstateChange:
    """``change``: covered (a party org covers it on ``until`` and did not on ``since``),
    uncovered (the reverse) or built (built in between and not covered yet); ``built`` also
    marks an estate built in between and covered already."""

    estate_id: Annotated[str, Ref()]
    estate: Annotated[str | None, Name("estate_id")]
    community_id: Annotated[str | None, Ref()]
    community: Annotated[str | None, Name("community_id")]
    households: int | None
    change: str
    built: bool


@dataclass(frozen=True)
class SecretaryChange:
    """An org whose secretary on ``until`` is not the one on ``since`` (换书记)."""

    org_id: Annotated[str, Ref()]
    org: Annotated[str | None, Name("org_id")]
    before_ids: Annotated[list[str], Ref(person=True)]
    before: Annotated[list[str | None], Name("before_ids")]
    after_ids: Annotated[list[str], Ref(person=True)]
    after: Annotated[list[str | None], Name("after_ids")]


@dataclass(frozen=True)
class TieChange:
    """A pairing (``kind`` pairing: a unit or firm with a place) or a report (``kind`` report:
    an in-service member with a community) that ``began`` or ``ended`` in the period."""

    kind: str
    change: str
    from_id: Annotated[str, Ref(label_from="from_label")]
    from_label: str
    from_name: Annotated[str | None, Name("from_id")]
    to_id: Annotated[str, Ref()]
    to_name: Annotated[str | None, Name("to_id")]


@dataclass(frozen=True)
class Renewal:
    """An org whose current term began in the period (换届)."""

    org_id: Annotated[str, Ref()]
    org: Annotated[str | None, Name("org_id")]
    term_start: str


@dataclass(frozen=True)
class Changes:
    scope: Scope
    since: str
    until: str
    orgs_founded: int
    estate_orgs_founded: int  # of them, orgs of an estate (小区党组织)
    orgs_dissolved: int
    orgs_upgraded: int
    estates_built: int
    estates_covered: int  # newly covered by a party org
    estates_uncovered: int  # no longer covered
    secretaries_changed: int
    pairings_begun: int
    pairings_ended: int
    reports_begun: int
    reports_ended: int
    terms_renewed: int
    org_changes: list[OrgChange]
    estate_changes: list[EstateChange]
    secretary_changes: list[SecretaryChange]
    tie_changes: list[TieChange]
    renewals: list[Renewal]


def _org_change(r: dict) -> OrgChange:
    before, after = r["type_before"], r["type_after"]
    if r["founded"] is not None or before is None:
        change, day = "founded", r["founded"]
    elif r["dissolved"] is not None or after is None:
        change, day = "dissolved", r["dissolved"]
    elif before != after and before in TYPE_RANK and after in TYPE_RANK:
        change, day = ("upgraded" if TYPE_RANK[after] < TYPE_RANK[before] else "downgraded"), None
    else:
        change, day = "reformed", None
    return OrgChange(r["org_id"], r["org"], change, day, before, after, r["level_before"],
                     r["level_after"])  # fmt: skip


def _estate_change(r: dict) -> EstateChange:
    if r["covered_after"] and not r["covered_before"]:
        change = "covered"
    elif r["covered_before"] and not r["covered_after"]:
        change = "uncovered"
    else:
        change = "built"
    return EstateChange(r["estate_id"], r["estate"], r["community_id"], r["community"],
                        r["households"], change, r["built"])  # fmt: skip


def changes(
    db: Database,
    scope: ScopeArg = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
) -> Changes:
    """What differs between the network of ``scope`` on ``since`` and on ``until`` (today)."""
    if since is None or since == "":
        raise BadRequest("changes needs the day the period begins (since)", said="since_needed")
    first, last = as_of_date(since, "since"), as_of_date(until, "until")
    if first >= last:
        raise BadRequest(
            f"since {first} is not before until {last}",
            said="since_not_before_until",
            since=first,
            until=last,
        )
    where = resolve_scope(db, scope)
    asked: dict[str, object] = {"scope": where.id, "since": first, "until": last}
    orgs, estates, secretaries, ties, terms = run_together(
        db,
        ("changes_orgs", asked),
        ("changes_estates", asked),
        ("changes_secretaries", asked),
        ("changes_pairings", asked),
        ("changes_terms", asked),
    )
    org_changes = [_org_change(r) for r in orgs]
    estate_changes = [_estate_change(r) for r in estates]
    tie_changes = [
        TieChange(r["kind"], "began" if r["began"] else "ended", r["from_id"], r["from_label"],
                  r["from_name"], r["to_id"], r["to_name"])
        for r in ties
    ]  # fmt: skip

    def orgs_that(change: str) -> list[OrgChange]:
        return [o for o in org_changes if o.change == change]

    def ties_that(kind: str, change: str) -> int:
        return sum(1 for t in tie_changes if t.kind == kind and t.change == change)

    return Changes(
        scope=where,
        since=first,
        until=last,
        orgs_founded=len(orgs_that("founded")),
        estate_orgs_founded=sum(1 for o in orgs_that("founded") if o.level_after == "estate"),
        orgs_dissolved=len(orgs_that("dissolved")),
        orgs_upgraded=len(orgs_that("upgraded")),
        estates_built=sum(1 for e in estate_changes if e.built),
        estates_covered=sum(1 for e in estate_changes if e.change == "covered"),
        estates_uncovered=sum(1 for e in estate_changes if e.change == "uncovered"),
        secretaries_changed=len(secretaries),
        pairings_begun=ties_that("pairing", "began"),
        pairings_ended=ties_that("pairing", "ended"),
        reports_begun=ties_that("report", "began"),
        reports_ended=ties_that("report", "ended"),
        terms_renewed=len(terms),
        org_changes=org_changes,
        estate_changes=estate_changes,
        secretary_changes=[SecretaryChange(**r) for r in secretaries],
        tie_changes=tie_changes,
        renewals=[Renewal(**r) for r in terms],
    )
