"""Writing within a jurisdiction: a load limited to a district, street or community (an upload
by an API key whose jurisdiction it is) creates or changes only what lies inside it.

What lies inside is what the questions say lies inside (queries/cypher/inside_jurisdiction
.cypher), today; the caller that limits the load says it, as ``Jurisdiction.inside``. Then:

* a row may name — as its own id, or in any column that names another entity — only what lies
  inside, what the same load places inside (below), or something outside through a link the
  database already holds exactly as the row gives it (a community's row restating its street, a
  resident's row restating an employer elsewhere): restating a link changes nothing;
* something outside is neither changed nor named otherwise: its row is refused at its id, and a
  cell naming it is refused exactly as a cell naming an id that does not exist, so that the
  refusal says nothing of what lies outside (not even its kind);
* a row may not let go of a link to something outside (an emptied cell, or another target for
  a one-target link): that changes the other end too. A key whose jurisdiction holds both ends
  records a person moving house across it;
* a new entity must lie inside once loaded, by the same rule the questions read: a place by its
  parent; a party org by a place it covers, its parent org or its region (a unit or firm it is
  based in does not place it); an owners' committee by its estate; a unit by its street or a
  current pairing; a property firm by a current management contract; a person by their home,
  their party org, or a current post, report (双报到) or liaison. Links that begin later or
  have ended place nothing: the entity would not lie inside today.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from orgnet.graph.connection import Database
from orgnet.graph.model import RELATIONSHIPS, TERRITORY, Label, Rel
from orgnet.graph.writes import statement

from .contract import FileSpec
from .rows import ParsedRow, Problem, problem

LOOKUP_BATCH = 10_000

# What places a new entity inside, by its label: the links (from it) whose target inside puts
# it inside too — inside_jurisdiction.cypher's rules, read from the entity's side.
PLACED_BY: dict[Label, tuple[Rel, ...]] = {
    **{label: (Rel.PART_OF,) for label in TERRITORY},
    Label.PARTY_ORG: (Rel.COVERS, Rel.REPORTS_TO, Rel.BELONGS_TO),
    Label.OWNERS_COMMITTEE: (Rel.REPRESENTS,),
    Label.UNIT: (Rel.LOCATED_IN, Rel.PAIRED_WITH),
    Label.PROPERTY_FIRM: (Rel.MANAGES,),
    Label.PERSON: (Rel.LIVES_IN, Rel.MEMBER_OF, Rel.HOLDS, Rel.REPORTED_TO, Rel.LIAISES),
}


@dataclass(frozen=True)
class Jurisdiction:
    """A load's limit: the region's id, and which existing entities lie inside it today."""

    id: str
    inside: Callable[[list[str]], set[str]]


class _Where(NamedTuple):
    file: str
    row: int


class _Link(NamedTuple):
    source: str
    rel: Rel
    target: str
    props: dict[str, object]


class _Named(NamedTuple):
    """A cell that names an entity, and the link the row makes through it."""

    where: _Where
    column: str
    id: str
    link: _Link


class _LetGo(NamedTuple):
    """A row that sets (``target``) or clears (None) an entity's one-target link."""

    where: _Where
    column: str
    source: str
    rel: Rel
    target: str | None


@dataclass
class Reach:
    """What a load limited to a jurisdiction must check, gathered row by row during validation
    and checked once the ids the database knows are settled."""

    jurisdiction: Jurisdiction
    today: str = field(default_factory=lambda: dt.date.today().isoformat())
    nodes: list[tuple[_Where, str, Label]] = field(default_factory=list)
    named: list[_Named] = field(default_factory=list)
    let_go: list[_LetGo] = field(default_factory=list)
    inside: set[str] = field(default_factory=set)  # existing ids inside, today
    known: set[str] = field(default_factory=set)  # existing ids, inside or not

    # -- during the pass ---------------------------------------------------------------------

    def row(self, file: str, row: ParsedRow, spec: FileSpec) -> None:
        where = _Where(file, row.number)
        if spec.edge is not None:
            cells = {r.column: r.value for r in row.references}
            source, target = cells.get(spec.edge.source), cells.get(spec.edge.target)
            if source and target:
                link = _Link(source, spec.edge.rel, target, row.props)
                self.named.append(_Named(where, spec.edge.source, source, link))
                self.named.append(_Named(where, spec.edge.target, target, link))
            return
        if row.id is None or row.label is None:
            return
        self.nodes.append((where, row.id, row.label))
        for reference in row.references:
            assert reference.rel is not None
            props = row.link_props.get(reference.rel, {})
            link = _Link(row.id, reference.rel, reference.value, props)
            self.named.append(_Named(where, reference.column, reference.value, link))
            if RELATIONSHIPS[reference.rel].functional:
                self.let_go.append(
                    _LetGo(where, reference.column, row.id, reference.rel, reference.value)
                )
        for rel in row.cleared:
            column = next((c.name for c in spec.columns if c.rel is rel), "")
            self.let_go.append(_LetGo(where, column, row.id, rel, None))

    def ids(self) -> set[str]:
        """Every id the gathered rows name (to learn which exist and which lie inside)."""
        return {id for _, id, _ in self.nodes} | {n.id for n in self.named}

    # -- once the database has been asked ------------------------------------------------------

    def learn(self, known: Iterable[str]) -> None:
        """Which ids the database holds (``known``), and which of them lie inside."""
        fresh = sorted(set(known) - self.known)
        self.known |= set(fresh)
        for start in range(0, len(fresh), LOOKUP_BATCH):
            self.inside |= self.jurisdiction.inside(fresh[start : start + LOOKUP_BATCH])

    def outside(self, id: str) -> bool:
        """An existing entity outside the jurisdiction."""
        return id in self.known and id not in self.inside

    def check(
        self,
        db: Database,
        defined: Callable[[str], Label | None],
        header: Callable[[str, str], str],
    ) -> list[Problem]:
        """Every problem of the rows gathered: rows of what lies outside, cells naming it,
        links to it let go of, new entities that would not lie inside."""
        held = _Held(db, self)
        placed = self._placed(defined)
        problems: list[Problem] = []

        def report(
            where: _Where, column: str, value: str, code: str, hint: str = "", **params: object
        ) -> None:
            spelled = header(where.file, column)
            found = problem(where.file, where.row, column, value, code, hint, spelled, params)
            problems.append(found)

        for where, id, label in self.nodes:
            if self.outside(id):
                report(where, "id", id, "outside_jurisdiction")
            elif id not in self.known and id not in placed:
                how = f"place_{label.value}"
                report(where, "id", id, "not_placed", how, label_plain=label.value)
        for named in self.named:
            if not self.outside(named.id):
                continue
            # Restated, a link changes nothing — but only a row whose other end lies inside
            # may restate one: else the answer would tell how two outside things are linked.
            link = named.link
            other = link.target if named.id == link.source else link.source
            mine = other in self.inside or other in placed
            if not (mine and held.restates(link)):
                report(named.where, named.column, named.id, "not_in_reach")
        for let_go in self.let_go:
            if let_go.source in self.inside and held.lets_go_outside(let_go):
                report(let_go.where, let_go.column, let_go.target or "", "lets_go_outside")
        return problems

    def _placed(self, defined: Callable[[str], Label | None]) -> set[str]:
        """The new entities the load places inside (a fixed point: a new building of a new
        estate of a community inside is inside)."""
        anchors: dict[str, set[str]] = defaultdict(set)
        for named in self.named:
            source, rel, target, props = named.link
            if source in self.known or named.id != target:
                continue
            label = defined(source)
            if label is not None and rel in PLACED_BY[label] and self._current(props):
                anchors[source].add(target)
        placed: set[str] = set()
        waiting = set(anchors)
        while True:
            now = {
                id for id in waiting if any(t in self.inside or t in placed for t in anchors[id])
            }
            if not now:
                return placed
            placed |= now
            waiting -= now

    def _current(self, props: dict[str, object]) -> bool:
        since, until = props.get("since"), props.get("until")
        return (not isinstance(since, str) or since <= self.today) and (
            not isinstance(until, str) or until > self.today
        )


class _Held:
    """What the database holds of the links the rows touch: each (source, type)'s targets and
    their properties. The targets are learnt too (inside or not), to know what letting go of
    one would change."""

    def __init__(self, db: Database, reach: Reach) -> None:
        pairs = sorted(
            {(n.link.source, n.link.rel.value) for n in reach.named if n.link.source in reach.known}
            | {(g.source, g.rel.value) for g in reach.let_go if g.source in reach.known}
        )
        self.targets: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)
        query = statement("links_held")
        for start in range(0, len(pairs), LOOKUP_BATCH):
            batch = [{"source": s, "type": t} for s, t in pairs[start : start + LOOKUP_BATCH]]
            for r in db.read(query, {"links": batch}):
                self.targets[(r["source"], r["type"])].append((r["target"], r["properties"]))
        reach.learn({t for held in self.targets.values() for t, _ in held})
        self.reach = reach

    def restates(self, link: _Link) -> bool:
        """The database holds this very link, with every property the row gives (a property
        the row empties is one the link does not have)."""
        for target, props in self.targets.get((link.source, link.rel.value), []):
            if target == link.target and all(
                props.get(k) == v if v is not None else k not in props
                for k, v in link.props.items()
            ):
                return True
        return False

    def lets_go_outside(self, let_go: _LetGo) -> bool:
        """The row lets go of a one-target link whose target lies outside (it clears the link,
        or names another target)."""
        return any(
            self.reach.outside(target) and target != let_go.target
            for target, _ in self.targets.get((let_go.source, let_go.rel.value), [])
        )
