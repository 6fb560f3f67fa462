"""The rules of the model that every statement reads alike, written once as Cypher macros: a
statement names ``CURRENT(r)`` or ``MEMBER_AT(p)`` and ``expand`` writes the rule out when the
statement is loaded — the questions' catalog (``queries/catalog.py``) and the graph layer's own
statements (``graph/writes.py``, which derives what the questions read) alike.

Each asks at ``$as_of``, or at the day a second argument names (``CURRENT(r, $since)``), so
that a question comparing two days reads the same rule at both:

* **one rule for dates** (DESIGN §4): a dated relationship — HOLDS, MEMBER_OF, PAIRED_WITH,
  REPORTED_TO, LIAISES, MANAGES, and SERVES where a management contract gives it dates — counts
  at ``$as_of`` when its ``since`` is empty or on/before it and its ``until`` empty or after it.
  Dates compare as the ISO text they are stored as, so a month ('2023-05') sorts before every
  day of it: a post held since May 2023 counts from 1 May, one held until May 2023 ends then.
* **a party member at a date**: a person marked a member whose ``joined_party`` is empty or
  on/before ``$as_of`` (someone who joins next month is not yet counted).
* **things that begin and end** (DESIGN §4, valid time): ``ALIVE(o)`` — a party org or owners'
  committee exists from its ``founded`` (empty: always) until its ``dissolved`` (empty: never);
  ``BUILT(e)`` — an estate exists from 1 January of its ``built_year``; ``COVERS_AT(c)`` — a
  COVERS link counts while it is current (a dated cover) and its org exists; ``TYPE_AT(o)`` and
  ``LEVEL_AT(o)`` — an org's type and level at ``$as_of`` from its form over time (HAD_FORM,
  copied onto it as ``form_since``/``form_type``/``form_level`` in date order): the form of the
  latest date on/before ``$as_of``, the earliest before the first, and from the latest date on
  the ``party_orgs`` row (the present). Where a dated node does not exist, nothing of it
  counts: its covers, posts, memberships and pairings are read through these rules.
* **where an org counts** (``SCOPE_ORGS(org)``, a subquery that yields each org of ``$scope``
  once, every org when ``$scope`` is empty or null; ``SERVING_ORGS(org)``, the same for a scope
  that is given): an org counts in a scope it SERVES by a link current at ``$as_of``
  (docs/model.md, Derived relationships) — it, or an org above it, covers a place there, is
  based in a firm managing one of its estates (while the contract runs) or in a unit of one of
  its streets, or belongs to the region. ``SPANNING_ORGS(org)`` yields the orgs of ``$scope`` on
  either of ``$since`` and ``$until``, for the questions that compare two days;
  ``DATED_ORGS(org)`` each org that may count on some day, with what places it (``spans``), and
  ``COUNTS_ON(org, day)`` whether it counts on one — for the questions that read many days in
  one pass.
"""

from __future__ import annotations

import re

from .model import ELECTED_TYPES, GROUP_PARENTS, TYPE_RANK

_SCOPE_ORGS = """CALL () {{
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH ({0}:PartyOrg) WHERE ALIVE({0}) RETURN {0}
  UNION ALL
  SERVING_ORGS({0})
  RETURN {0}
}}"""
_SERVING_ORGS = """MATCH (:Entity {{id: $scope}})<-[serves:SERVES]-({0}:PartyOrg)
  WHERE CURRENT(serves) AND ALIVE({0})
  WITH DISTINCT {0}"""
# The orgs of $scope on either of two days (a question comparing $since with $until).
_SPANNING_ORGS = """CALL () {{
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH ({0}:PartyOrg)
  RETURN {0}
  UNION
  MATCH (:Entity {{id: $scope}})<-[serves:SERVES]-({0}:PartyOrg)
  WHERE CURRENT(serves, $since) OR CURRENT(serves, $until)
  RETURN {0}
}}"""
# The orgs of $scope on any day (a question asking many days in one pass): each org once, with
# the SERVES links that place it in $scope (``spans``), or every org (``everywhere``) when $scope
# is empty or null. ``COUNTS_ON(org, day)`` then says whether it counts on one day.
_DATED_ORGS = """CALL () {{
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH ({0}:PartyOrg)
  RETURN {0}, [] AS spans, true AS everywhere
  UNION ALL
  MATCH (:Entity {{id: $scope}})<-[serves:SERVES]-({0}:PartyOrg)
  RETURN {0}, collect(serves) AS spans, false AS everywhere
}}"""
_ALIVE = (
    "({0}.founded IS NULL OR {0}.founded <= $as_of)"
    " AND ({0}.dissolved IS NULL OR {0}.dissolved > $as_of)"
)
# An org's form at $as_of: the index of the form in effect is how many later dates have come.
_FORM_AT = """CASE WHEN {0}.form_since IS NULL OR {0}.form_since[-1] <= $as_of THEN {0}.{1}
  ELSE {0}.form_{1}[reduce(form_at = 0, form_day IN {0}.form_since[1..] |
                           CASE WHEN form_day <= $as_of THEN form_at + 1 ELSE form_at END)] END"""


# A count read from steps (graph/derived.py: the days on which it changes, the kind of each
# change and the change, kept in day order on the node it counts for): the indexes of the steps
# on or before the day, for a count by kind. An org's party members (``member_``, judged by
# member_steps_refresh.cypher with CURRENT and MEMBER_AT), an estate's residents who are party
# members of no existing org (``unattached_``, unattached_steps_refresh.cypher), an owners'
# committee's members and party members among them (``seat_``, seat_steps_refresh.cypher), a
# building's residents who are party members (``resident_``, resident_steps_refresh.cypher), an
# org's current secretary posts (``secretary_``, secretary_steps_refresh.cypher; no kinds), an
# org's members and subtree members by the size rules (``size_``, size_steps_refresh.cypher), a
# community's in-service members reported to it (``report_``, report_steps_refresh.cypher).
def _steps_at(prefix: str) -> str:
    # The days are in order, so the steps on or before a day are a prefix of them; the list is
    # read once (bound in a one-element comprehension), not once for each step.
    return f"""[step_days IN [coalesce({{0}}.{prefix}_days, [])] |
         range(0, size([step_day IN step_days WHERE step_day <= $as_of]) - 1)][0]"""


_MEMBER_STEPS_AT = _steps_at("member")
_UNATTACHED_STEPS_AT = _steps_at("unattached")
_SEAT_STEPS_AT = _steps_at("seat")
_RESIDENT_STEPS_AT = _steps_at("resident")
_SECRETARY_STEPS_AT = _steps_at("secretary")
_SIZE_STEPS_AT = _steps_at("size")
_REPORT_STEPS_AT = _steps_at("report")


def _sum_at(prefix: str) -> str:
    """The count at the day, of every kind: the changes of the steps on or before it, summed."""
    steps = f"{prefix.upper()}_STEPS_AT({{0}})"
    return f"""reduce({prefix}s_so_far = 0, {prefix}_step IN {steps} |
         {prefix}s_so_far + {{0}}.{prefix}_changes[{prefix}_step])"""


_MEMBERS_AT = _sum_at("member")
_RESIDENTS_AT = _sum_at("resident")
_SECRETARIES_AT = _sum_at("secretary")
_REPORTERS_AT = _sum_at("report")
# An org's members and subtree members as the size rules count them (size_steps_refresh.cypher):
# the changes of its size steps on or before the day, one list for each.
_OWN_MEMBERS_AT = """reduce(own_so_far = 0, size_step IN SIZE_STEPS_AT({0}) |
         own_so_far + {0}.size_own[size_step])"""
_SUBTREE_MEMBERS_AT = """reduce(subtree_so_far = 0, size_step IN SIZE_STEPS_AT({0}) |
         subtree_so_far + {0}.size_subtree[size_step])"""

# The days on which each rule above can turn, for a question asking many days in one pass: a
# thing judged by these rules is the same on every day between two of its turns (each rule
# compares the day with a date the thing holds, and turns on that date).
_TURNS = {
    "CURRENT_TURNS": "[{0}.since, {0}.until]",
    "MEMBER_TURNS": "[{0}.joined_party]",
    "ALIVE_TURNS": "[{0}.founded, {0}.dissolved]",
    "BUILT_TURNS": "[toString({0}.built_year) + '-01-01']",
    "COVERS_TURNS": "[{0}.since, {0}.until, startNode({0}).founded, startNode({0}).dissolved]",
    "FORM_TURNS": "coalesce({0}.form_since, [])",  # TYPE_AT and LEVEL_AT
    "MEMBERS_TURNS": "coalesce({0}.member_days, [])",  # MEMBERS_AT and MEMBER_STEPS_AT
    "COUNTS_TURNS": (
        "reduce(turns_of = ALIVE_TURNS({0}), span IN spans | turns_of + CURRENT_TURNS(span))"
    ),
}
# The periods of $days (each the last day of one) in which a thing with these turns may change:
# the first, where its count begins, and each holding one of its turns after the first day —
# the index of the first day on/after the turn.
_PERIODS = """reduce(periods_of = [0],
         turned IN [turn IN {0} WHERE turn > $days[0] AND turn <= $days[-1] |
                    size([period_end IN $days WHERE period_end < turn])] |
         CASE WHEN turned IN periods_of THEN periods_of ELSE periods_of + turned END)"""
# A thing's steps: for each period in which it may change, the day that closes it (``day``) and
# the days to judge it on (``at``) with the sign of each (its state on that day, less its state
# on the last day of the period before): summed by ``day`` and run through in order, the steps
# of every thing give the figure of each day.
_STEPS = """reduce(steps_of = [], period IN PERIODS({0}) |
         steps_of + [{{day: $days[period], at: $days[period], sign: 1}}]
         + CASE WHEN period > 0 THEN [{{day: $days[period], at: $days[period - 1], sign: -1}}]
                ELSE [] END)"""


# The territorial levels by rank, street the highest (a map in a template: doubled braces).
_LEVEL_RANK = "{{street: 1, community: 2, grid: 3, estate: 4, building: 5}}"


def _hierarchy_problems() -> str:
    """The hierarchy rules an org breaks at the day (DESIGN §4), as a list of codes: no parent
    (an existing one, ALIVE) while its level is community, grid, estate or building (street,
    unit and sector orgs may be roots); a territorial level not below its parent's (street >
    community > grid > estate > building; unit and sector are not ranked); a type not below its
    parent's (TYPE_RANK: working committee > committee > general branch > branch > group, a
    group's parent being one of GROUP_PARENTS). Types and levels are those at the day (TYPE_AT,
    LEVEL_AT)."""
    # Maps in the text are written with doubled braces: the text is a template (str.format).
    types = "{{" + ", ".join(f"{code}: {rank}" for code, rank in TYPE_RANK.items()) + "}}"
    group_parents = "[" + ", ".join(f"'{code}'" for code in GROUP_PARENTS) + "]"
    return f"""[rule_up IN [head([({{0}})-[:REPORTS_TO]->(rule_parent:PartyOrg)
                              WHERE ALIVE(rule_parent) | rule_parent])] |
  [rule_broken IN [
     CASE WHEN rule_up IS NULL AND LEVEL_AT({{0}}) IN ['community', 'grid', 'estate', 'building']
          THEN 'no_parent' END,
     CASE WHEN rule_up IS NOT NULL
               AND {_LEVEL_RANK}[LEVEL_AT({{0}})] <= {_LEVEL_RANK}[LEVEL_AT(rule_up)]
          THEN 'not_below_parent' END,
     CASE WHEN rule_up IS NOT NULL
               AND {types}[TYPE_AT({{0}})] IS NOT NULL AND {types}[TYPE_AT(rule_up)] IS NOT NULL
               AND CASE WHEN TYPE_AT({{0}}) = 'group' THEN NOT TYPE_AT(rule_up) IN {group_parents}
                        ELSE {types}[TYPE_AT({{0}})] <= {types}[TYPE_AT(rule_up)] END
          THEN 'type_not_below_parent' END
   ] WHERE rule_broken IS NOT NULL]][0]"""


# The org types whose orgs are elected for a term (ELECTED_TYPES), as a list in a template.
_ELECTED = "[" + ", ".join(f"'{code}'" for code in ELECTED_TYPES) + "]"

MACROS: dict[str, str] = {
    "SCOPE_ORGS": _SCOPE_ORGS,
    "SERVING_ORGS": _SERVING_ORGS,
    "SPANNING_ORGS": _SPANNING_ORGS,
    "DATED_ORGS": _DATED_ORGS,
    "COUNTS_ON": "(everywhere OR any(serves IN spans WHERE CURRENT(serves))) AND ALIVE({0})",
    "CURRENT": "({0}.since IS NULL OR {0}.since <= $as_of)"
    " AND ({0}.until IS NULL OR {0}.until > $as_of)",
    "MEMBER_AT": "({0}.party_member AND ({0}.joined_party IS NULL OR {0}.joined_party <= $as_of))",
    "ALIVE": _ALIVE,
    "BUILT": "{0}.built_year IS NULL OR {0}.built_year <= toInteger(left($as_of, 4))",
    "COVERS_AT": "CURRENT({0}) AND " + _ALIVE.replace("{0}", "startNode({0})"),
    "TYPE_AT": _FORM_AT.replace("{1}", "type"),
    "LEVEL_AT": _FORM_AT.replace("{1}", "level"),
    "MEMBER_STEPS_AT": _MEMBER_STEPS_AT,
    "UNATTACHED_STEPS_AT": _UNATTACHED_STEPS_AT,
    "SEAT_STEPS_AT": _SEAT_STEPS_AT,
    "RESIDENT_STEPS_AT": _RESIDENT_STEPS_AT,
    "SECRETARY_STEPS_AT": _SECRETARY_STEPS_AT,
    "SIZE_STEPS_AT": _SIZE_STEPS_AT,
    "REPORT_STEPS_AT": _REPORT_STEPS_AT,
    "MEMBERS_AT": _MEMBERS_AT,
    "RESIDENTS_AT": _RESIDENTS_AT,
    "SECRETARIES_AT": _SECRETARIES_AT,
    "OWN_MEMBERS_AT": _OWN_MEMBERS_AT,
    "SUBTREE_MEMBERS_AT": _SUBTREE_MEMBERS_AT,
    "REPORTERS_AT": _REPORTERS_AT,
    **_TURNS,
    "HIERARCHY_PROBLEMS": _hierarchy_problems(),
    # Whether the org's span of broken hierarchy rules (hierarchy_refresh.cypher) holds the day:
    # only then may HIERARCHY_PROBLEMS find one (it begins at '' or a day, and ends at a day or
    # '~', which sorts after every day).
    "MAY_BREAK_HIERARCHY": "{0}.hierarchy_until > $as_of AND {0}.hierarchy_since <= $as_of",
    # Whether the org's span of vacancy (vacancy_refresh.cypher) holds the day: only then may it
    # exist, not as a group, with no secretary post current (as the span of broken rules above).
    "MAY_BE_VACANT": "{0}.vacancy_until > $as_of AND {0}.vacancy_since <= $as_of",
    # Whether an in-service member's span of reporting nowhere (homes_refresh.cypher) holds the
    # day: only then may they be a party member with no current report.
    "MAY_BE_UNREPORTED": "{0}.unreported_until > $as_of AND {0}.unreported_since <= $as_of",
    # An estate's triad at the day (triad_steps_refresh.cypher): 0 none, 1 a triad nobody
    # links, 2 a linked one — the state of its last step on or before the day.
    "TRIAD_AT": """[triad_days IN [coalesce({0}.triad_days, [])] |
         [triad_seen IN [size([triad_day IN triad_days WHERE triad_day <= $as_of])] |
          CASE WHEN triad_seen = 0 THEN 0 ELSE {0}.triad_states[triad_seen - 1] END][0]][0]""",
    # Whether an org type is one elected for a term (换届): a term runs the years of its type
    # and level unless the org gives its own.
    "ELECTED": "{0} IN " + _ELECTED,
    # Whether an org may have a term on some day: its own term_years, or an elected type in its
    # row or one of its forms. serves_refresh.cypher keeps it as the mark termed.
    "MAY_HAVE_TERM": "{0}.term_years IS NOT NULL OR ELECTED({0}.type)"
    " OR any(form_type IN coalesce({0}.form_type, []) WHERE ELECTED(form_type))",
    # Whether a person lives in no estate: nowhere (no LIVES_IN), or in a building of none (no
    # PART_OF); the mark outside_estates (outside_estates_refresh.cypher) is kept by it.
    "LIVES_IN_NO_ESTATE": "NOT EXISTS {{ ({0})-[:LIVES_IN]->() }}"
    " OR EXISTS {{ ({0})-[:LIVES_IN]->(estate_less:Building)"
    " WHERE NOT EXISTS {{ (estate_less)-[:PART_OF]->() }} }}",
    "PERIODS": _PERIODS,
    "STEPS": _STEPS,
}
_MACRO = re.compile(r"\b(" + "|".join(MACROS) + r")\(([\w.]+)(?:,\s*(\$?\w+))?\)")


def expand(text: str) -> str:
    """A query's text with its macros written out (a predicate in parentheses, so that it
    composes; a subquery as it is). A macro asks at ``$as_of`` unless a second argument names
    another day: ``COVERS_AT(c, $since)``, ``ALIVE(o, day)``.

    >>> "$since" in expand("ALIVE(o, $since)") and "$as_of" not in expand("ALIVE(o, $since)")
    True
    """

    def write(m: re.Match) -> str:
        body = expand(MACROS[m.group(1)].format(m.group(2)))
        if m.group(3):
            body = body.replace("$as_of", m.group(3))
        return body if body.startswith(("CALL", "MATCH")) else f"({body})"

    return _MACRO.sub(write, text)
