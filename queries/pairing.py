"""Pairing balance (结对/报到均衡): are paired units and reporting in-service members spread
fairly over the communities of a scope, and a re-pairing that spreads units better (DESIGN §4).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest

from .catalog import paused_collector, run, run_together
from .disclosure import Name, Phone, Ref
from .privacy import phone_for
from .scope import Scope, ScopeArg, as_of_date, resolve_scope


@dataclass(frozen=True)
class CommunityPairing:
    """A community's paired units and reporting in-service members against its households."""

    community_id: Annotated[str, Ref()]
    community: Annotated[str, Name("community_id")]
    street_id: Annotated[str, Ref()]
    street: Annotated[str, Name("street_id")]
    households: int | None
    units: int
    members: int
    # Per 10,000 and per 1,000 households; None when households are unknown or zero.
    units_per_10k: float | None = field(init=False)
    members_per_1k: float | None = field(init=False)

    def __post_init__(self) -> None:
        h = self.households
        object.__setattr__(self, "units_per_10k", self.units * 10_000 / h if h else None)
        object.__setattr__(self, "members_per_1k", self.members * 1_000 / h if h else None)


@dataclass(frozen=True)
class Spread:
    """How evenly a ratio is spread over the communities that have households. Gini and CV are
    null, not 0, when they are undefined, and ``undefined`` says why: ``no_households`` (no
    community of the scope has a household figure), ``one_community`` (one alone: a spread
    needs two to compare; a community's own report has none) or ``all_zero`` (every ratio is
    0)."""

    gini: float | None
    cv: float | None
    undefined: str | None
    none: Annotated[list[str], Ref()]
    none_names: Annotated[list[str], Name("none")]
    top_decile: Annotated[list[str], Ref()]
    top_decile_names: Annotated[list[str], Name("top_decile")]


@dataclass(frozen=True)
class IdleUnit:
    unit_id: Annotated[str, Ref()]
    unit: Annotated[str, Name("unit_id")]
    kind: str
    street_id: Annotated[str | None, Ref()]
    street: Annotated[str | None, Name("street_id")]


@dataclass(frozen=True)
class UnreportedMember:
    """An in-service member living in the scope who reports (双报到) to no community."""

    person_id: Annotated[str, Ref(person=True)]
    person: Annotated[str, Name("person_id")]
    phone: Annotated[str | None, Phone("person_id")]
    community_id: Annotated[str, Ref()]
    community: Annotated[str, Name("community_id")]
    employer_id: Annotated[str | None, Ref()]
    employer: Annotated[str | None, Name("employer_id")]


@dataclass(frozen=True)
class MismatchedMember:
    """A member reported to a community other than the one they live in."""

    person_id: Annotated[str, Ref(person=True)]
    person: Annotated[str, Name("person_id")]
    phone: Annotated[str | None, Phone("person_id")]
    lives_in_id: Annotated[str, Ref()]
    lives_in: Annotated[str, Name("lives_in_id")]
    reported_to_id: Annotated[str, Ref()]
    reported_to: Annotated[str, Name("reported_to_id")]
    since: str | None


@dataclass(frozen=True)
class PairingBalance:
    scope: Scope
    as_of: str
    communities: list[CommunityPairing]
    units: Spread
    members: Spread
    idle_units: list[IdleUnit]
    # The two member lists; null when they were not asked for (``members=False``).
    unreported: list[UnreportedMember] | None
    mismatched: list[MismatchedMember] | None


def gini(values: Sequence[float]) -> float | None:
    """The Gini coefficient: mean absolute difference over twice the mean (0 is even).

    >>> gini([1, 1, 1])
    0.0
    >>> round(gini([0, 0, 3]), 4)
    0.6667
    """
    n = len(values)
    total = sum(values)
    if n == 0 or total == 0:
        return None
    ordered = sorted(values)
    # Σ_i (2i - n - 1) x_(i) over sorted values equals half the sum of all |x_i - x_j|.
    weighted = sum((2 * i - n - 1) * x for i, x in enumerate(ordered, start=1))
    return weighted / (n * total)


def coefficient_of_variation(values: Sequence[float]) -> float | None:
    """Population standard deviation over the mean."""
    n = len(values)
    if n == 0:
        return None
    mean = sum(values) / n
    if mean == 0:
        return None
    return math.sqrt(sum((x - mean) ** 2 for x in values) / n) / mean


def spread(ratios: dict[str, float], names: dict[str, str] | None = None) -> Spread:
    """Gini and CV of a ratio over communities; those at zero; the top decile (the ⌈n/10⌉
    highest, ties by id), each with its name from ``names``."""
    names = names or {}
    values = list(ratios.values())
    ranked = sorted(ratios, key=lambda c: (-ratios[c], c))
    top = ranked[: math.ceil(len(ranked) / 10)] if ranked and any(values) else []
    undefined = (
        "no_households"
        if not values
        else "one_community"
        if len(values) == 1
        else "all_zero"
        if not any(values)
        else None
    )
    return Spread(
        gini=gini(values) if len(values) > 1 else None,
        cv=coefficient_of_variation(values) if len(values) > 1 else None,
        undefined=undefined,
        none=(none := sorted(c for c, v in ratios.items() if v == 0)),
        none_names=[names.get(c, "") for c in none],
        top_decile=top,
        top_decile_names=[names.get(c, "") for c in top],
    )


# The queries a community's figures come from: its households and reporting members, and the
# units paired with it (counted apart: unscoped, from the units' side).
_COMMUNITIES = ("pairing_communities", "pairing_units")


def _communities(rows: list[dict], unit_rows: list[dict]) -> list[CommunityPairing]:
    """The communities' figures, each with the units paired with it (none when it has no row)."""
    units = {r["community_id"]: r["units"] for r in unit_rows}
    return [CommunityPairing(**r, units=units.get(r["community_id"], 0)) for r in rows]


def pairing_balance(
    db: Database,
    scope: ScopeArg = None,
    as_of: str | dt.date | None = None,
    *,
    show_phone: bool = False,
    members: bool = True,
) -> PairingBalance:
    """Per community of a scope: paired units (pairings with the community or one of its
    estates) and reporting in-service members against households (the community's own figure,
    else the sum of its estates'); across communities, the Gini and coefficient of variation of
    units per 10,000 and members per 1,000 households, communities with none and the top decile
    (communities with unknown households are left out of the ratios); idle units; in-service
    members living in the scope who report nowhere; members reported away from where they live.
    The two member lists are the largest answers (a province's run to tens of thousands of
    rows); ``members=False`` leaves them out (None) when only the balance is wanted.
    """
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    params: dict[str, object] = {"scope": where.id, "as_of": day}
    lists = ("pairing_unreported_members", "pairing_mismatched_members") if members else ()
    # The slowest first: the member lists have the most rows.
    *found, community_rows, unit_rows, idle_rows = run_together(
        db,
        *[(name, params) for name in (*lists, *_COMMUNITIES, "pairing_idle_units")],
    )
    communities = _communities(community_rows, unit_rows)
    units: dict[str, float] = {
        c.community_id: c.units_per_10k for c in communities if c.units_per_10k is not None
    }
    per_1k: dict[str, float] = {
        c.community_id: c.members_per_1k for c in communities if c.members_per_1k is not None
    }
    named = {c.community_id: c.community for c in communities}
    unreported = mismatched = None
    if members:
        with paused_collector():  # a province's lists run to tens of thousands of rows
            unreported = [
                UnreportedMember(**{**r, "phone": phone_for(r["phone"], show_phone)})
                for r in found[0]
            ]
            mismatched = [
                MismatchedMember(**{**r, "phone": phone_for(r["phone"], show_phone)})
                for r in found[1]
            ]
    return PairingBalance(
        where,
        day,
        communities,
        spread(units, named),
        spread(per_1k, named),
        [IdleUnit(**r) for r in idle_rows],
        unreported,
        mismatched,
    )


# -- rebalancing --------------------------------------------------------------------------------


# What a move does to a unit's pairings: it leaves one community for another; it ends one (the
# unit is paired with more communities than the plan's max_per_unit allows); it adds one (an
# idle unit proposed to a community).
MOVE = "move"
DROP = "drop"
NEW = "new"


@dataclass(frozen=True)
class Move:
    """One re-pairing: ``unit`` leaves ``from_id`` for ``to_id`` (``change`` move); ends its
    pairing with ``from_id`` (drop: above ``max_per_unit``); or pairs anew with ``to_id`` (new).
    """

    unit_id: Annotated[str, Ref()]
    unit: Annotated[str, Name("unit_id")]
    from_id: Annotated[str | None, Ref()]
    from_community: Annotated[str | None, Name("from_id")]
    to_id: Annotated[str | None, Ref()]
    to_community: Annotated[str | None, Name("to_id")]
    change: str


@dataclass(frozen=True)
class CommunityChange:
    community_id: Annotated[str, Ref()]
    community: Annotated[str, Name("community_id")]
    households: int
    units_before: int
    units_after: int  # after the moves
    units_with_idle: int  # and with the idle units proposed to it


@dataclass(frozen=True)
class Rebalancing:
    """A re-pairing plan: ``moves`` of paired units that lower the Gini of units per household
    (from ``gini_before`` to ``gini_after``), or none, with ``reason`` saying why; and apart from
    them, ``idle`` proposals: each idle unit for the community then poorest in units."""

    scope: Scope
    as_of: str
    max_per_unit: int
    across_streets: bool
    gini_before: float | None
    gini_after: float | None
    # Why the plan has no moves: no_households, no_paired_units, already_even or
    # no_move_lowers_gini; null when it has some.
    reason: str | None
    moves: list[Move]
    idle: list[Move]
    gini_with_idle: float | None
    communities: list[CommunityChange]


# Costs are integers for the network simplex to be exact; squared ratios per 10,000 households
# are scaled by this before rounding, and a new pairing costs one (it only breaks ties, so the
# proposal moves as few units as the balance allows).
_SCALE = 1_000
_NEW_PAIRING = 1
# Communities one unit may be paired with in a plan: a unit's 共建 agreements are few, and the
# flow network grows with the product of units and this bound.
MAX_PER_UNIT = 20


def rebalance(
    db: Database,
    scope: ScopeArg = None,
    as_of: str | dt.date | None = None,
    *,
    max_per_unit: int = 2,
    across_streets: bool = False,
) -> Rebalancing:
    """Re-pair the paired units of a scope so that units per household are spread as evenly as
    they can be, solved exactly as a min-cost flow — and never worse than before.

    Every paired unit keeps its number of pairings in the scope (at most ``max_per_unit``) and
    may pair with any community of its own street (of the scope when ``across_streets``) that
    has households, besides those it already pairs with, at most once each. The flow minimises
    Σ (r_c − r̄)² over communities, where r_c is the community's units per 10,000 households and
    r̄ the scope's; the cost is convex in the units a community gets, so unit-capacity arcs with
    increasing marginal costs make the min-cost flow the exact optimum (costs rounded to
    thousandths), and among equal optima the one that keeps the most current pairings.

    The spread is judged by the Gini, though, which the squares only approximate: a plan that
    does not lower the Gini is not proposed (the moves are empty, and ``reason`` says why).
    Idle units are kept apart — pairing one adds a unit, which could make an even spread uneven
    — and proposed one at a time, by id, to the community of their street (anywhere when
    ``across_streets`` or when they have no street) with the fewest units per household.
    """
    if not 1 <= max_per_unit <= MAX_PER_UNIT:
        raise BadRequest(f"max_per_unit must be between 1 and {MAX_PER_UNIT}")
    where, day = resolve_scope(db, scope), as_of_date(as_of)
    params: dict[str, object] = {"scope": where.id, "as_of": day}
    communities = {
        c.community_id: c
        for c in _communities(*run_together(db, *[(name, params) for name in _COMMUNITIES]))
    }
    households = {c: p.households for c, p in communities.items() if p.households}
    links = run(db, "pairing_links", **params)
    names = {r["unit_id"]: r["unit"] for r in links}
    current = {r["unit_id"]: [c for c in r["community_ids"] if c in households] for r in links}

    by_street: dict[str, list[str]] = {}
    for c, p in communities.items():
        if c in households:
            by_street.setdefault(p.street_id, []).append(c)
    everywhere = sorted(households)

    def options_of(unit: str, street: str | None) -> list[str]:
        if across_streets or street is None:
            return everywhere
        return by_street.get(street, [])

    streets = {r["unit_id"]: r["street_id"] for r in links}
    unpaired = {r["unit_id"] for r in links if not r["community_ids"]}
    paired = {u for u, cs in current.items() if cs}  # in the balance: paired where households are
    # Every set in id order: the flow's ties then fall the same way in every run (a set's order
    # changes with the process's hash seed, and with it which of two equal plans came out).
    allowed = {u: sorted(set(options_of(u, streets[u])) | set(current[u])) for u in sorted(paired)}
    supply = {u: min(max_per_unit, len(current[u]), len(allowed[u])) for u in paired}
    plan = _plan(allowed, supply, current, households)

    def named(community: str | None) -> tuple[str | None, str | None]:
        return community, communities[community].community if community else None

    moves: list[Move] = []
    for unit in sorted(plan):
        gone = sorted(set(current[unit]) - set(plan[unit]))
        new = sorted(set(plan[unit]) - set(current[unit]))
        for k in range(max(len(gone), len(new))):
            left = gone[k] if k < len(gone) else None
            joined = new[k] if k < len(new) else None
            change = MOVE if left and joined else DROP if left else NEW
            moves.append(Move(unit, names[unit], *named(left), *named(joined), change))
    before = {c: communities[c].units for c in households}

    def gini_of(units: dict[str, int]) -> float | None:
        return gini([units[c] * 10_000 / h for c, h in households.items()])

    after = _apply(before, moves)
    gini_before, gini_after = gini_of(before), gini_of(after)
    reason = None
    if not households:
        reason = "no_households"
    elif not paired:
        reason = "no_paired_units"
    elif gini_before == 0:
        reason = "already_even"
    elif gini_before is None or gini_after is None or gini_after >= gini_before:
        reason = "no_move_lowers_gini"
    if reason is not None:
        moves, after, gini_after = [], dict(before), gini_before

    idle: list[Move] = []
    with_idle = dict(after)
    for unit in sorted(unpaired):
        options = options_of(unit, streets[unit])
        if not options:
            continue
        poorest = min(options, key=lambda c: (with_idle[c] / households[c], c))
        with_idle[poorest] += 1
        idle.append(Move(unit, names[unit], None, None, *named(poorest), NEW))
    return Rebalancing(
        where,
        day,
        max_per_unit,
        across_streets,
        gini_before,
        gini_after,
        reason,
        moves,
        idle,
        gini_of(with_idle),
        [
            CommunityChange(c, communities[c].community, h, before[c], after[c], with_idle[c])
            for c, h in households.items()
        ],
    )


def _plan(
    allowed: dict[str, list[str]],
    supply: dict[str, int],
    current: dict[str, list[str]],
    households: dict[str, int],
) -> dict[str, list[str]]:
    """The communities each unit is paired with in the min-cost flow described in rebalance()."""
    total_units = sum(supply.values())
    total_households = sum(households.values())
    if not total_units or not total_households:
        return {unit: list(current[unit]) for unit in allowed}
    target = total_units * 10_000 / total_households
    import networkx as nx  # loaded when a rebalancing is asked for (CLI startup)

    graph = nx.DiGraph()
    graph.add_node("sink", demand=total_units)
    for unit, options in sorted(allowed.items()):
        graph.add_node(("unit", unit), demand=-supply[unit])
        for c in options:
            cost = 0 if c in current[unit] else _NEW_PAIRING
            graph.add_edge(("unit", unit), ("community", c), capacity=1, weight=cost)
    for c, h in sorted(households.items()):
        scale = 10_000 / h
        reachable = sum(1 for options in allowed.values() if c in options)
        for j in range(1, reachable + 1):
            # Marginal cost of the j-th unit: (j·s − r̄)² − ((j−1)·s − r̄)², s = 10,000 / h.
            marginal = (j * scale - target) ** 2 - ((j - 1) * scale - target) ** 2
            graph.add_edge(("community", c), ("slot", c, j), capacity=1, weight=0)
            graph.add_edge(("slot", c, j), "sink", capacity=1, weight=round(marginal * _SCALE))
    flow = nx.min_cost_flow(graph)
    return {
        unit: sorted(node[1] for node, units in flow.get(("unit", unit), {}).items() if units)
        for unit in allowed
    }


def _apply(units: dict[str, int], moves: list[Move]) -> dict[str, int]:
    after = dict(units)
    for move in moves:
        if move.from_id is not None and move.from_id in after:
            after[move.from_id] -= 1
        if move.to_id is not None:
            after[move.to_id] += 1
    return after
