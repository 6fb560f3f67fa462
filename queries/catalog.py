"""The Cypher catalog: one question per ``.cypher`` file, loaded by name.

Each file opens with a header of ``//`` lines that says what it answers, its parameters and
its columns; the catalog reads the parameters from there so that tests can run every query.

Rules that several questions share are written once, here, as macros a query names —
``CURRENT(r)`` and ``MEMBER_AT(p)`` — and the catalog writes them out when it loads the file
(a test checks that no query spells a rule out by hand). Each asks at ``$as_of``, or at the day
a second argument names (``CURRENT(r, $since)``), so that a question comparing two days reads
the same rule at both:

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
  once, every org when ``$scope`` is null; ``SERVING_ORGS(org)``, the same for a scope that is
  given): an org counts in a scope it SERVES by a link current at ``$as_of`` (docs/model.md,
  Derived relationships) — it, or an org above it, covers a place there, is based in a firm
  managing one of its estates (while the contract runs) or in a unit of one of its streets, or
  belongs to the region. ``SPANNING_ORGS(org)`` yields the orgs of ``$scope`` on either of
  ``$since`` and ``$until``, for the questions that compare two days; ``DATED_ORGS(org)`` each
  org that may count on some day, with what places it (``spans``), and ``COUNTS_ON(org, day)``
  whether it counts on one — for the questions that read many days in one pass.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from orgnet.graph.connection import Database

from .packing import Packed, pack, unpack

CYPHER = Path(__file__).parent / "cypher"
_PARAM = re.compile(r"\$([a-z_]+)")


@cache
def _readers() -> ThreadPoolExecutor:
    """The threads that send a question's independent queries at once (the engine runs each
    query on one core: the parallel runtime is not in the community edition). Shared by every
    caller, so sized for a server's concurrent requests (ORGNET_QUERY_THREADS)."""
    from orgnet.graph.settings import get_settings  # read when a question is first asked

    return ThreadPoolExecutor(
        max_workers=get_settings().orgnet_query_threads, thread_name_prefix="orgnet-read"
    )


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    header: str
    packed: Packed | None = None  # the same query answering in one record (see packing)

    @property
    def parameters(self) -> list[str]:
        """The parameters the header declares (``// Parameters: $scope, $as_of``, which may run
        on over the following lines until ``// Columns:``)."""
        found: list[str] = []
        reading = False
        for line in self.header.splitlines():
            lowered = line.lower()
            if lowered.startswith("parameters:"):
                reading = True
            elif lowered.startswith("columns:"):
                reading = False
            if reading:
                found += [p for p in _PARAM.findall(line) if p not in found]
        return found


_SCOPE_ORGS = """CALL () {{
  UNWIND CASE WHEN $scope IS NULL THEN [true] ELSE [] END AS everything
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
  UNWIND CASE WHEN $scope IS NULL THEN [true] ELSE [] END AS everything
  MATCH ({0}:PartyOrg)
  RETURN {0}
  UNION
  MATCH (:Entity {{id: $scope}})<-[serves:SERVES]-({0}:PartyOrg)
  WHERE CURRENT(serves, $since) OR CURRENT(serves, $until)
  RETURN {0}
}}"""
# The orgs of $scope on any day (a question asking many days in one pass): each org once, with
# the SERVES links that place it in $scope (``spans``), or every org (``everywhere``) when $scope
# is null. ``COUNTS_ON(org, day)`` then says whether it counts on one day.
_DATED_ORGS = """CALL () {{
  UNWIND CASE WHEN $scope IS NULL THEN [true] ELSE [] END AS everything
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


@cache
def query(name: str) -> Query:
    text = (CYPHER / f"{name}.cypher").read_text(encoding="utf-8")
    header = "\n".join(
        line.removeprefix("//").strip() for line in text.splitlines() if line.startswith("//")
    )
    written = expand(text)
    return Query(name, written, header, pack(written))


def names() -> list[str]:
    return sorted(p.stem for p in CYPHER.glob("*.cypher"))


def run(db: Database, name: str, **parameters: object) -> list[dict]:
    """Run a catalog query in a read transaction with exactly the parameters its header names;
    its rows come packed in one record (see packing) and are returned as dicts."""
    q = query(name)
    declared = set(q.parameters)
    if set(parameters) != declared:
        missing, extra = declared - set(parameters), set(parameters) - declared
        raise TypeError(f"{name}: missing parameters {sorted(missing)}, unknown {sorted(extra)}")
    if q.packed is None:
        return db.read(q.text, parameters)
    return unpack(db.read(q.packed.text, parameters), q.packed.columns)


def run_together(db: Database, *asks: tuple[str, dict[str, object]]) -> list[list[dict]]:
    """Run independent catalog queries at the same time, each in a read transaction of its
    own, and return their rows in the order asked. For a question whose parts do not depend on
    one another; the parts may see the graph a moment apart, as any two reads do."""
    futures = [_readers().submit(run, db, name, **parameters) for name, parameters in asks]
    return [future.result() for future in futures]
