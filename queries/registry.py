"""Every question, declared once: its name, the function that answers it, what it takes (with
type, default and bounds) and the type of its answer. The front doors read this — the command
line, the HTTP routes, docs/questions.md — so that a question has the same names, defaults and
bounds wherever it is asked.

Every question but ``chain``, ``path``, ``loads`` and ``history`` takes a scope (a district,
street or community id; everything when null) and every one but ``loads`` and ``history`` (which
tell of the record, not of the network on a day) an as_of date; those two are not repeated in
``inputs``.
"""

from __future__ import annotations

import dataclasses
import inspect
import keyword
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from orgnet.graph.model import (
    TERM_YEARS_AT_LEVEL,
    TERM_YEARS_OF_TYPE,
)

from . import changes, coverage, loads, pairing, paths, report, terms, trend

# The fixed values the questions pass to catalog queries (thresholds, term lengths), for what
# runs one catalog query on its own: the PROFILE helper and the catalog's tests.
FIXED_PARAMETERS: dict[str, Any] = {
    "actionable_from": coverage.ACTIONABLE_FROM,
    "branch_least": coverage.BRANCH_LEAST,
    "branch_most": coverage.BRANCH_MOST,
    "committee_from": coverage.COMMITTEE_FROM,
    "years_at_level": TERM_YEARS_AT_LEVEL,
    "years_of_type": TERM_YEARS_OF_TYPE,
}

GAP_KINDS = ("estates", "buildings", "grids", "firms", "property", "owners")


@dataclass(frozen=True)
class Input:
    """One thing a question takes beyond scope and as_of. ``name`` is the function's keyword
    and the HTTP parameter; the command line spells it ``--name-with-dashes`` (or takes it in
    place, ``positional``, under ``metavar``)."""

    name: str
    type: type  # str, int, float, bool, or list (of str)
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    positional: bool = False
    metavar: str | None = None
    required: bool = False
    entity: bool = False  # an entity's id (a front door checks the caller may name it)
    flag: str | None = None  # the command line's spelling when it differs (--rel, repeated)
    short: str | None = None  # and a one-letter form (-k)
    day: bool = False  # a date, in any form the import takes (as as_of)

    @property
    def option(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    @property
    def parameter(self) -> str:
        """The command function's parameter (the option's name without dashes; ``from_`` for
        ``--from``)."""
        name = self.option.removeprefix("--").replace("-", "_")
        return name + "_" if keyword.iskeyword(name) else name


@dataclass(frozen=True)
class Question:
    name: str  # the command (orgnet NAME) and the route (/v1/NAME)
    answer: Callable[..., Any]  # answer(db, [positional inputs], scope, as_of, **inputs)
    result: type
    summary: str
    inputs: tuple[Input, ...] = ()
    scoped: bool = True  # takes a scope
    personal: bool = False  # its answer can hold phones (masked unless the caller may read them)
    usage: str = field(default="")  # how docs/questions.md names it: "orgnet gaps KIND"
    dated: bool = True  # takes an as_of date
    role: str = "viewer"  # the least role that may ask it (access.ROLES)
    path: str = ""  # its route when not /v1/NAME/{positional…}

    @property
    def command(self) -> str:
        return self.usage or f"orgnet {self.name}"


_TOP_GAPS = Input("top", int, None, "Only the first N (the lists come worst first).", minimum=1)

QUESTIONS: tuple[Question, ...] = (
    Question("coverage", coverage.coverage_summary, coverage.CoverageSummary,
             "Estate coverage of a scope."),
    Question(
        "gaps", coverage.gaps, coverage.Gaps,
        "One gap list (KIND: estates, buildings, grids, firms, property, owners); `rows` holds "
        "EstateGap, BuildingGap, GridGap, FirmGap, PropertyGap or OwnersGap rows (below).",
        (Input("kind", str, None, "estates, buildings, grids, firms, property or owners.",
               choices=GAP_KINDS, positional=True, metavar="KIND", required=True), _TOP_GAPS),
        usage="orgnet gaps KIND",
    ),
    Question("census", coverage.census, coverage.Census,
             "Orgs by type and level; members and secretaries by category."),
    Question("rules", coverage.rules, coverage.Rules,
             "Vacancies, size rules, hierarchy integrity; asked for everything, the orgs that "
             "count in no scope."),
    Question("owners", coverage.owners, coverage.OwnersShares,
             "The party share of owners' committees, each and over the scope, beside the seed "
             "article's 62.9%.",
             (Input("below", float, 0.5, "Name the committees below this share.",
                    minimum=0, maximum=1),)),
    Question("terms", terms.terms, terms.Terms,
             "Terms (换届) ending within a window, overdue, or not recorded, with whom to remind.",
             (Input("within", str, "6m",
                    "Terms ending within this window: 90d, 8w, 6m or 1y (at most 5y)."),),
             personal=True),
    Question("pairing", pairing.pairing_balance, pairing.PairingBalance,
             "Pairing balance per community and across.", personal=True),
    Question("rebalance", pairing.rebalance, pairing.Rebalancing,
             "A re-pairing solved as a min-cost flow.",
             (Input("max_per_unit", int, 2, "Communities per unit, at most.",
                    minimum=1, maximum=20),
              Input("across_streets", bool, False, "Units may leave their street.")),
             usage="orgnet pairing --rebalance"),
    Question("chain", paths.chain, paths.Chain, "The chain up the party hierarchy.",
             (Input("id", str, None, "A building, estate, place, person, unit, firm or org.",
                    positional=True, metavar="ID", required=True, entity=True),),
             scoped=False, personal=True, usage="orgnet chain ID"),
    Question("path", paths.paths, paths.Paths, "The shortest contact paths.",
             (Input("source", str, None, "An entity id.", positional=True, metavar="FROM",
                    required=True, entity=True),
              Input("target", str, None, "An entity id.", positional=True, metavar="TO",
                    required=True, entity=True),
              Input("k", int, 3, "How many paths (1–10).", minimum=1, maximum=paths.MAX_PATHS,
                    short="-k"),
              Input("max_hops", int, 8, "Longest path (1–12).", minimum=1,
                    maximum=paths.MAX_HOPS),
              Input("rels", list, None, "Follow only these relationships (repeat the option).",
                    choices=tuple(r.value for r in paths.CONTACT_RELS), flag="--rel")),
             scoped=False, usage="orgnet path FROM TO"),
    Question("cross", paths.cross_appointments, paths.CrossAppointments,
             "Cross-appointments and triad gaps.", personal=True),
    Question("brokers", paths.brokers, paths.Brokers, "Articulation points and betweenness.",
             (Input("top", int, 10, "How many by betweenness (1–1000).", minimum=1,
                    maximum=paths.MAX_TOP),)),
    Question("report", report.coverage_report, report.CoverageReport,
             "Everything above for one scope (the xlsx report has a sheet per list).",
             personal=True),
    Question("changes", changes.changes, changes.Changes,
             "What changed between two days: orgs founded, dissolved and upgraded, estates "
             "newly covered and no longer covered, secretaries changed, pairings and reports "
             "begun and ended, terms renewed.",
             (Input("since", str, None, "The day the period begins (any form the import "
                    "takes; a month means its last day).", required=True, metavar="DATE",
                    day=True),
              Input("until", str, None, "The day it ends (default: today).", metavar="DATE",
                    day=True)),
             dated=False),
    Question("trend", trend.trend, trend.Trend,
             "A scope's figures at the end of every month, quarter or year of a period: "
             "coverage, orgs by type, party members.",
             (Input("since", str, None, "The first period is the one holding this day.",
                    required=True, metavar="DATE", flag="--from", day=True),
              Input("until", str, None, "The last period ends on this day (default: today).",
                    metavar="DATE", flag="--to", day=True),
              Input("every", str, "month", "month, quarter or year.", choices=trend.EVERY)),
             dated=False),
    Question("loads", loads.loads, loads.Loads,
             "Every load recorded: who, when, which files (with their SHA-256), what it did.",
             scoped=False, dated=False, role="admin"),
    Question("load_changes", loads.load_changes, loads.LoadChanges,
             "What one load did: per table what it created, changed and cleared, and thing by "
             "thing with the file:row that did it.",
             (Input("load", int, None, "A load's number (orgnet loads).", minimum=1,
                    positional=True, metavar="NUMBER", required=True),),
             scoped=False, dated=False, role="admin", usage="orgnet changes --load NUMBER",
             path="/v1/loads/{load}"),
    Question("history", loads.history, loads.EntityHistory,
             "Every recorded version of an entity: the load, its date, the file:row, and each "
             "property or link as it was and as it became.",
             (Input("id", str, None, "Any entity's id.", positional=True, metavar="ID",
                    required=True, entity=True),),
             scoped=False, dated=False, personal=True, role="analyst", usage="orgnet history ID",
             path="/v1/entities/{id}/history"),
)  # fmt: skip

_BY_NAME = {q.name: q for q in QUESTIONS}


def question(name: str) -> Question:
    return _BY_NAME[name]


def ask(
    q: Question,
    db: Any,
    inputs: dict[str, Any],
    *,
    scope: Any = None,
    as_of: str | None = None,
    show_phone: bool = False,
) -> Any:
    """Ask a question the way every front door does: its positional inputs in place, the rest
    by name, phones as the caller may read them; a gap list cut to ``top``."""
    positional = [inputs[i.name] for i in q.inputs if i.positional]
    named = {i.name: inputs[i.name] for i in q.inputs if not i.positional}
    top = named.pop("top", None) if q.name == "gaps" else None
    if q.scoped:
        named["scope"] = scope
    if "show_phone" in inspect.signature(q.answer).parameters:
        named["show_phone"] = show_phone
    if q.dated:
        named["as_of"] = as_of
    result = q.answer(db, *positional, **named)
    if top is not None:
        result = dataclasses.replace(result, rows=result.rows[:top])
    return result
