"""Validation of a whole dataset, against itself and what the database already holds.

One pass over every row checks values, required columns, duplicate ids and the references it
can already resolve; what it cannot (forward references, ids that only the database knows) is
settled after the pass with a few batched lookups. Every problem is reported, not just the
first, and nothing is written while any remains.
"""

from __future__ import annotations

import hashlib
import itertools
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from orgnet.graph.connection import Database
from orgnet.graph.model import (
    MEMBERS_ONLY_POSTS,
    POST_TARGETS,
    RELATIONSHIPS,
    Label,
    Rel,
    type_below_parent,
)
from orgnet.graph.writes import statement

from .aside import Aside, tables_aside
from .contract import FileSpec
from .files import Dataset, Table
from .reach import Jurisdiction, Reach
from .rows import ParsedRow, Problem, Reference, parse_row, problem

LOOKUP_BATCH = 10_000


class _Where(NamedTuple):
    file: str
    row: int


_LABELS = list(Label)
# Read for each of a province's millions of ids: a label's place and name found in a dict and a
# list, not by a search of the list or the enum's own attribute.
_PLACES = {label: place for place, label in enumerate(_LABELS)}
_NAMES = [label.value for label in _LABELS]


class _IdIndex:
    """Every id of the dataset with its label — and for a person, the party membership its
    row states — in one small int each (Python keeps those once: a province's millions of ids
    cost their strings and the dict's slots, nothing more). The row that defines an id is read
    again only when a problem names it (``_Validator.first_rows``)."""

    _LABEL_BITS = 4  # 0 not said, 1 a member, 2 not — above the label
    _LABEL_MASK = (1 << _LABEL_BITS) - 1
    assert len(_LABELS) <= _LABEL_MASK

    def __init__(self) -> None:
        self.packed: dict[str, int] = {}

    def reading(self, display: str) -> None:
        """The rows of this file or sheet are read next."""

    def add(self, identifier: str, label: Label, row: int = 0) -> None:
        self.packed[identifier] = _PLACES[label]

    def label(self, identifier: str) -> Label | None:
        value = self.packed.get(identifier)
        return None if value is None else _LABELS[value & self._LABEL_MASK]

    def label_name(self, identifier: str) -> str | None:
        """The label's name (``Label.value``) of ``identifier``; None when it is not here."""
        value = self.packed.get(identifier)
        return None if value is None else _NAMES[value & self._LABEL_MASK]

    def set_member(self, identifier: str, member: bool) -> None:
        """Keep the party membership a person's row states (its last row, if it had two)."""
        value = self.packed.get(identifier)
        if value is not None:
            said = 1 if member else 2
            kept = value & self._LABEL_MASK
            self.packed[identifier] = kept | said << self._LABEL_BITS

    def member(self, identifier: str) -> bool | None:
        """The party membership the person's row states; None when it states none."""
        said = self.packed.get(identifier, 0) >> self._LABEL_BITS
        return None if said == 0 else said == 1

    def __contains__(self, identifier: object) -> bool:
        return identifier in self.packed

    def __iter__(self) -> Iterator[str]:
        return iter(self.packed)


class _IdLog(_IdIndex):
    """The ids a validator reading tables aside (``loaders.aside``) defines, logged in the order
    its rows define them — with the table, row, label and the party membership a person's row
    states — for the validator of the other tables to add to its index as if it had read those
    rows itself (``_Validator.take``). It resolves nothing: every reference is left for after
    the pass, every duplicate for the other side to find. Packed: a province's persons cost
    25 MB here, against the 185 MB of an index."""

    def __init__(self) -> None:
        super().__init__()
        self.blob = bytearray()  # the ids, UTF-8, each ended by a NUL (no id holds one)
        self.tables = bytearray()  # of each, the table (its place among those read aside)
        self.rows = array("q")
        self.labels = bytearray()
        self.said = bytearray()  # 0 not said, 1 a member, 2 not
        self.displays: list[str] = []  # the tables, by their place
        self.last = ""

    def reading(self, display: str) -> None:
        self.displays.append(display)

    def add(self, identifier: str, label: Label, row: int = 0) -> None:
        self.blob += identifier.encode()
        self.blob.append(0)
        self.tables.append(len(self.displays) - 1)
        self.rows.append(row)
        self.labels.append(_PLACES[label])
        self.said.append(0)
        self.last = identifier

    def label(self, identifier: str) -> Label | None:
        return None

    def label_name(self, identifier: str) -> str | None:
        return None

    def set_member(self, identifier: str, member: bool) -> None:
        if identifier == self.last and self.said:
            self.said[-1] = 1 if member else 2

    def member(self, identifier: str) -> bool | None:
        return None

    def __contains__(self, identifier: object) -> bool:
        return False

    def __iter__(self) -> Iterator[str]:
        return _split(self.blob)

    def logged(self) -> Iterator[tuple[str, _Where, Label, int]]:
        """(id, its row, label, said) in the order they were defined."""
        displays = self.displays
        for identifier, table, row, label, said in zip(
            self, self.tables, self.rows, self.labels, self.said, strict=True
        ):
            yield identifier, _Where(displays[table], row), _LABELS[label], said


def _split(blob: bytearray, chunk: int = 1 << 20) -> Iterator[str]:
    """The NUL-ended UTF-8 texts of ``blob``, a megabyte at a time (not millions at once)."""
    start = 0
    while start < len(blob):
        end = blob.rfind(0, start, start + chunk) if start + chunk < len(blob) else len(blob) - 1
        if end < start:  # one text longer than a chunk
            end = blob.index(0, start)
        yield from blob[start:end].decode().split("\0")
        start = end + 1


# Problems of one kind listed, at most: past them a roster with a wrong column says the same
# thing a million times, and holding them all would take more memory than the load may use.
PROBLEMS_OF_A_KIND = 1_000


class Problems(list):
    """The problems found, the first PROBLEMS_OF_A_KIND of each kind kept and the rest
    counted; ``summed()`` adds one line per kind saying how many more there were."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: Counter[str] = Counter()
        self.more: Counter[str] = Counter()

    def append(self, found: Problem) -> None:
        if self.kept[found.code] >= PROBLEMS_OF_A_KIND:
            self.more[found.code] += 1
            return
        self.kept[found.code] += 1
        super().append(found)

    def one_more(self, code: str) -> None:
        """Count a problem past the kept ones without making it."""
        self.more[code] += 1

    def extend(self, found: Iterable[Problem]) -> None:  # type: ignore[override]
        if not found:  # most rows: none (the call is made for every row)
            return
        for one in found:
            self.append(one)

    def summed(self, display: str) -> None:
        for code, count in sorted(self.more.items()):
            super().append(
                problem(
                    display,
                    0,
                    "",
                    "",
                    "more_problems",
                    kind=code,
                    count=f"{count:,}",
                    kept=f"{PROBLEMS_OF_A_KIND:,}",
                )
            )


class RowSink(Protocol):
    """What is given every row as validation parses it (a first load's import files)."""

    def take(self, table: Table, row: ParsedRow) -> None: ...

    def aside(self) -> RowSink:
        """A sink of its own for the rows read in the second process (``aside``)."""
        ...

    def finished(self) -> object:
        """What it wrote, said so that the process that began it can ``adopt`` it."""
        ...

    def adopt(self, finished: object) -> None: ...


class _Packed:
    """Facts of rows kept for after the pass, packed: each a row of a file, a kind (a few
    values many share) and ``texts`` strings. A province leaves millions (the references of its
    persons, its posts, when read on two cores): as tuples each was several objects the
    collector walked again and again (9 s of the second process's minute), that pickled one
    by one (22 s more to hand them over) and held 250 MB; here they are three arrays."""

    def __init__(self, texts: int) -> None:
        self.texts = texts
        self.kinds: dict[tuple[object, ...], int] = {}
        self.said: list[tuple[object, ...]] = []  # (file, *kind), by number
        self.rows = array("q")
        self.of_kind = array("l")
        self.values = bytearray()  # UTF-8, each ended by a NUL (no text kept holds one)

    def _kind(self, kind: tuple[object, ...]) -> int:
        known = self.kinds.get(kind)
        if known is None:
            known = self.kinds[kind] = len(self.said)
            self.said.append(kind)
        return known

    def add(self, where: _Where, kind: tuple[object, ...], *texts: str) -> None:
        self.of_kind.append(self._kind((where.file, *kind)))
        self.rows.append(where.row)
        for text in texts:
            self.values += text.encode()
            self.values.append(0)

    def extend(self, other: _Packed) -> None:
        mine = [self._kind(kind) for kind in other.said]
        self.of_kind.extend(array("l", [mine[k] for k in other.of_kind]))
        self.rows.extend(other.rows)
        self.values += other.values

    def entries(self) -> Iterator[tuple[_Where, tuple[object, ...], list[str]]]:
        said = self.said
        where = _Where("", 0)
        values = _split(self.values)
        n = self.texts
        for row, kind in zip(self.rows, self.of_kind, strict=True):
            file, *rest = said[kind]
            if where.row != row or where.file != file:
                where = _Where(str(file), row)
            yield where, tuple(rest), [next(values) for _ in range(n)]


class _Deferred(_Packed):
    """The references left for after the pass."""

    def __init__(self) -> None:
        super().__init__(1)

    def append(self, where: _Where, reference: Reference) -> None:
        self.add(where, (reference.column, reference.expected, reference.rel), reference.value)

    def __iter__(self) -> Iterator[tuple[_Where, Reference]]:
        for where, (column, expected, rel), [value] in self.entries():
            yield where, Reference(column, value, expected, rel)  # type: ignore[arg-type]

    def unsettled(self, label_of: Callable[[str], str | None]) -> _Deferred:
        """Those whose id ``label_of`` does not find, or finds of a label they do not expect:
        the rest settle here, without a tuple made for each (millions, on two cores)."""
        left = _Deferred()
        said = self.said
        for row, kind, value in zip(self.rows, self.of_kind, _split(self.values), strict=True):
            file, column, expected, rel = said[kind]
            if label_of(value) not in expected:  # type: ignore[operator]
                reference = Reference(column, value, expected, rel)  # type: ignore[arg-type]
                left.append(_Where(str(file), row), reference)
        return left


class _Posts(_Packed):
    """The posts checked after the pass: (row, role, where it is held, who holds it)."""

    def __init__(self) -> None:
        super().__init__(2)

    def append(self, where: _Where, role: str, org: str, person: str) -> None:
        self.add(where, (role,), org, person)

    def __iter__(self) -> Iterator[tuple[_Where, str, str, str]]:
        for where, (role,), [org, person] in self.entries():
            yield where, str(role), org, person


@dataclass
class _Part:
    """What a validator that read some of the tables found (``loaders.aside``), for the one
    that read the others to take in (``_Validator.take``): everything its pass keeps."""

    positions: list[int]  # the tables it read, by their place in the dataset
    scanned: list[int]  # those of them whose rows it read (not stopped at their header)
    problems: list[Problem]
    more: Counter[str]
    rows: dict[str, int]
    ids: _IdLog
    deferred: _Deferred
    org_parents: dict[str, tuple[str, int]]
    org_parents_cleared: set[str]
    liaisons: list[tuple[_Where, str, str]]
    posts: _Posts
    org_types: dict[str, str]
    building_estate: dict[str, str]
    households: dict[str, int | None]
    residents: dict[str, int]


@dataclass
class Validation:
    problems: list[Problem] = field(default_factory=Problems)
    rows: dict[str, int] = field(default_factory=dict)  # file name → data rows
    database_was_empty: bool = False  # no entity in the database when the dataset was checked
    # Without a database (a dry run while it is down), references to ids the dataset does not
    # define cannot be checked; how many there were.
    against_database: bool = True
    unchecked: int = 0
    # Counted when asked (a dry run says what it would do): entities by label the dataset
    # would create, and those it would update.
    new_nodes: dict[str, int] = field(default_factory=dict)
    updated_nodes: dict[str, int] = field(default_factory=dict)
    # What the rows mean that the load goes on with but says (a type not below its parent's …).
    notices: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


class _Validator:
    def __init__(
        self,
        db: Database | None,
        keep_extra: bool,
        within: Jurisdiction | None = None,
        aside: bool = False,
    ) -> None:
        self.db = db
        self.reach = Reach(within) if within is not None else None
        self.stored: set[str] = set()  # ids of the dataset the database already holds
        # The rows of the edge file being read, by their relationship: the row number by a
        # digest of the relationship (its table, ends and key) — a province has a million posts,
        # and the digest is a sixth of the tuple of strings it stands for. 128 bits: two links
        # of a province would share one with a chance far below one in 10^25.
        self.links_seen: dict[bytes, int] = {}
        self.keep_extra = keep_extra
        self.result = Validation(against_database=db is not None)
        # Reading tables aside (loaders.aside): the ids logged for the other side.
        self.ids = _IdLog() if aside else _IdIndex()
        # (the row, its id, the label it was first defined as): the problem names the first
        # definition's row, read again after the pass (first_rows). At most the problems of a
        # kind that are kept; the rest are counted.
        self.duplicates: list[tuple[_Where, str, Label]] = []
        self.scanned: list[Table] = []  # the tables whose rows were read, in their order
        self.deferred = _Deferred()
        # An org's parent and the row (of party_orgs) that gives it.
        self.org_parents: dict[str, tuple[str, int]] = {}
        self.org_parents_cleared: set[str] = set()  # orgs whose parent_id the load empties
        self.liaisons: list[tuple[_Where, str, str]] = []
        # (row, role, where it is held, who holds it): the posts that could not be checked at
        # their row (what they name is not in the dataset, or the load is limited to a
        # jurisdiction, whose check knows what lies outside only after the pass).
        self.posts = _Posts()
        # What the checks of meaning read (meaning_rules): types of the orgs, each building's
        # estate, the estates' households, and the residents each building gains (how many,
        # the first row); the party membership the persons' rows state is kept in the index.
        self.org_types: dict[str, str] = {}
        self.building_estate: dict[str, str] = {}
        self.households: dict[str, int | None] = {}
        # building → residents << 32 | the first row (of persons) to name it: one int each.
        self.residents: dict[str, int] = {}
        self.displays: dict[str, str] = {}  # table → the file or sheet it is read from
        self.db_labels: dict[str, str] = {}
        self.spellings: dict[str, dict[str, str]] = {}  # table → column → the file's header
        self._database_empty: bool | None = None

    def problem(
        self, where: _Where, column: str, value: str, code: str, hint: str = "", **params: object
    ) -> None:
        header = self.spellings.get(where.file, {}).get(column, "")
        self.result.problems.append(
            problem(where.file, where.row, column, value, code, hint, header, params)
        )

    # -- the pass over every row ---------------------------------------------------------------

    def scan(
        self,
        table: Table,
        advance: Callable[[int], None],
        rows_to: RowSink | None = None,
    ) -> None:
        spec = table.spec
        if table.unreadable is not None:
            self.result.problems.append(table.unreadable)
            return
        self.result.problems.extend(table.header_problems)
        self.displays[spec.name] = table.display
        spelled = self.spellings[table.display] = table.spelled()
        present = set(table.columns.values())
        for name in spec.required:
            if name not in present:
                self.problem(
                    _Where(table.display, 1),
                    name,
                    "",
                    "required_column",
                    "add_column",
                    name=name,
                    header=spec.column(name).header,
                )
        if any(name not in present for name in spec.required):
            return
        self.scanned.append(table)
        self.ids.reading(table.display)
        count = 0
        for number, cells, extra in table.rows(self.result.problems):
            count += 1
            where = _Where(table.display, number)
            row = parse_row(spec, table.display, number, cells, extra, self.keep_extra, spelled)
            self.result.problems.extend(row.problems)
            if rows_to is not None:
                rows_to.take(table, row)
            if self.reach is not None:
                self.reach.row(table.display, row, spec)
            if row.id is not None and row.label is not None:
                first = self.ids.label(row.id)
                if first is None:
                    self.ids.add(row.id, row.label, number)
                elif len(self.duplicates) < PROBLEMS_OF_A_KIND:
                    self.duplicates.append((where, row.id, first))
                else:
                    self.problems_found.one_more("duplicate_id")
            for reference in row.references:
                self.check_reference(where, reference, defer=True)
                if spec.name == "party_orgs" and reference.column == "parent_id" and row.id:
                    self.org_parents[row.id] = (reference.value, number)
            if spec.name == "party_orgs" and row.id and Rel.REPORTS_TO in row.cleared:
                self.org_parents_cleared.add(row.id)
            if spec.edge is not None:
                self.repeated_link(where, spec, cells, row)
            if spec.name == "liaisons":
                self.liaisons.append((where, cells["liaison_id"], cells["target_id"]))
            if row.id is not None:
                self.facts(spec.name, where, row, cells)
            if spec.name == "posts" and isinstance(row.props.get("role"), str):
                self.post(where, str(row.props["role"]), cells["org_id"], cells["person_id"])
            if count % 10_000 == 0:
                advance(10_000)
        advance(count % 10_000)
        self.result.rows[spec.name] = count
        self.links_seen = {}  # a relationship is of one table: no later row can repeat these

    def facts(self, table: str, where: _Where, row: ParsedRow, cells: dict[str, str]) -> None:
        """Keep what meaning_rules reads of an entity's row."""
        assert row.id is not None
        if table == "party_orgs" and isinstance(row.props.get("type"), str):
            self.org_types[row.id] = str(row.props["type"])
        elif table == "persons":
            if isinstance(row.props.get("party_member"), bool):
                self.ids.set_member(row.id, bool(row.props["party_member"]))
            building = cells.get("building_id", "")
            if building:
                packed = self.residents.get(building, where.row)
                self.residents[building] = packed + (1 << 32)  # one resident more
        elif table == "buildings" and cells.get("estate_id"):
            self.building_estate[row.id] = cells["estate_id"]
        elif table == "estates":
            households = row.props.get("households")
            self.households[row.id] = households if isinstance(households, int) else None

    def repeated_link(
        self, where: _Where, spec: FileSpec, cells: dict[str, str], row: ParsedRow
    ) -> None:
        """One relationship is one row: a second row for the same two ends (and the same role,
        for a post) would overwrite the first by the order of the rows, so it is refused,
        naming both — whatever order they come in, the graph is the same or nothing."""
        assert spec.edge is not None
        source, target = cells[spec.edge.source], cells[spec.edge.target]
        if not source or not target:
            return
        key = (
            spec.name,
            source,
            target,
            *(row.props.get(k) for k in RELATIONSHIPS[spec.edge.rel].key),
        )
        digest = hashlib.blake2b(repr(key).encode(), digest_size=16).digest()
        first = self.links_seen.setdefault(digest, where.row)
        if first != where.row:  # one table a spec: the first row is of the same file
            self.problem(where, "", "", "repeated_link", "one_row", at=f"{where.file}:{first}")

    def post(self, where: _Where, role: str, org: str, person: str) -> None:
        """Check a post at its row when the dataset tells all its checks read (where it is
        held, and for a post only members hold, whether its holder is one): the posts come after
        the orgs, grids and persons they name. The others are kept for after the pass."""
        known = (
            self.reach is None
            and self.ids.label(org) is not None
            and (role not in MEMBERS_ONLY_POSTS or self.ids.member(person) is not None)
        )
        if not known:
            self.posts.append(where, role, org, person)
            return
        self.post_held_there(where, role, org)
        self.post_needs_member(where, role, org, person, {})

    def at(self, table: str, row: int) -> _Where:
        """A row of a table, by the table's name."""
        return _Where(self.displays[table], row)

    def label_of(self, identifier: str) -> str | None:
        known = self.ids.label_name(identifier)
        if known is not None:
            return known
        return self.db_labels.get(identifier)

    def check_reference(self, where: _Where, reference: Reference, defer: bool) -> None:
        label = self.label_of(reference.value)
        if label is None:
            if defer:
                self.deferred.append(where, reference)
            elif self.db is None:
                self.result.unchecked += 1
            else:
                self.problem(
                    where,
                    reference.column,
                    reference.value,
                    "unknown_id",
                    "expected",
                    expected=tuple(reference.expected),
                )
            return
        if label not in reference.expected:
            self.problem(
                where,
                reference.column,
                reference.value,
                "wrong_label",
                found=label,
                expected=tuple(reference.expected),
            )

    # -- the tables read in the second process (loaders.aside) -----------------------------------

    def part(self, tables: list[tuple[int, Table]]) -> _Part:
        """What this validator's pass over ``tables`` (with their places in the dataset) found,
        for the validator of the other tables to take in."""
        scanned = {id(table) for table in self.scanned}
        problems = self.problems_found
        assert isinstance(self.ids, _IdLog), "a validator made to read aside"
        return _Part(
            positions=[position for position, _ in tables],
            scanned=[position for position, table in tables if id(table) in scanned],
            problems=list(problems),
            more=problems.more,
            rows=self.result.rows,
            ids=self.ids,
            deferred=self.deferred,
            org_parents=self.org_parents,
            org_parents_cleared=self.org_parents_cleared,
            liaisons=self.liaisons,
            posts=self.posts,
            org_types=self.org_types,
            building_estate=self.building_estate,
            households=self.households,
            residents=self.residents,
        )

    def take(self, part: _Part, tables: list[Table]) -> bool:
        """Take in what a validator that read some of the dataset's ``tables`` aside found, as
        if this one had read them in their places: their ids are added in the order their rows
        define them (a duplicate among them found here, as the pass finds one), and after it
        the checks after the pass read both sides alike. False when what one pass says would
        depend on the order the rows are read in: an id defined on both sides (each side
        checked its own rows by its own definition, not the first), or more problems of a kind
        than are kept (which ones are kept). Either makes the dataset fail, and it is read
        again in one pass."""
        problems = self.problems_found
        kept = problems.kept + Counter(p.code for p in part.problems)
        kept["duplicate_id"] += len(self.duplicates)
        packed = self.ids.packed
        if (
            problems.more
            or part.more
            or max(kept.values(), default=0) > PROBLEMS_OF_A_KIND
            or any(identifier in packed for identifier in part.ids)
        ):
            return False
        order = {id(table): position for position, table in enumerate(tables)}
        mine = {order[id(table)] for table in self.scanned}
        self.scanned = [t for p, t in enumerate(tables) if p in mine or p in part.scanned]
        for position in part.positions:
            table = tables[position]
            self.displays[table.spec.name] = table.display
            self.spellings[table.display] = table.spelled()
        problems.extend(part.problems)
        rows = {**self.result.rows, **part.rows}
        self.result.rows = {t.spec.name: rows[t.spec.name] for t in tables if t.spec.name in rows}
        # What the part holds is let go of as it is taken in (the log last): a province's
        # would otherwise be held while the ids it adds grow the index (980 MB at the peak).
        self.deferred.extend(part.deferred)
        self.posts.extend(part.posts)
        part.deferred, part.posts = _Deferred(), _Posts()
        for identifier, where, label, said in part.ids.logged():
            first = self.ids.label(identifier)
            if first is None:
                self.ids.add(identifier, label)
            elif len(self.duplicates) < PROBLEMS_OF_A_KIND:
                self.duplicates.append((where, identifier, first))
            else:
                return False  # more duplicates than are kept
            if said:
                self.ids.set_member(identifier, said == 1)
        part.ids = _IdLog()
        self.org_parents.update(part.org_parents)
        self.org_parents_cleared |= part.org_parents_cleared
        self.liaisons += part.liaisons
        self.org_types.update(part.org_types)
        self.building_estate.update(part.building_estate)
        self.households.update(part.households)
        self.residents.update(part.residents)
        return True

    # -- after the pass ------------------------------------------------------------------------

    @property
    def problems_found(self) -> Problems:
        problems = self.result.problems
        assert isinstance(problems, Problems)
        return problems

    def first_rows(self, wanted: set[str]) -> dict[str, _Where]:
        """The row that first defined each of these ids of the dataset, by reading the tables
        again (in the pass's order) as far as the last of them: done only for a problem that
        names it, so that the pass keeps no row for each of millions of ids."""
        labels = {self.ids.label(i) for i in wanted}
        found: dict[str, _Where] = {}
        for table in self.scanned:
            spec = table.spec
            if len(found) == len(wanted):
                break
            if spec.label not in labels and spec.name != "regions":
                continue
            spelled = self.spellings[table.display]
            for number, cells, extra in table.rows([]):
                row = parse_row(spec, table.display, number, cells, extra, False, spelled)
                if row.id in wanted and row.label is not None and row.id not in found:
                    found[row.id] = _Where(table.display, number)
        return found

    def duplicate_ids(self) -> None:
        """A second row defining an id, naming the first."""
        if not self.duplicates:
            return
        first = self.first_rows({identifier for _, identifier, _ in self.duplicates})
        for where, identifier, label in self.duplicates:
            at = first[identifier]
            self.problem(
                where,
                "id",
                identifier,
                "duplicate_id",
                "first_defined",
                at=f"{at.file}:{at.row}",
                label=label,
            )
        self.duplicates = []

    def against_database(self) -> None:
        """Look up what only the database can tell: unknown references, reused ids."""
        if self.db is None or self.database_empty():
            return
        unresolved = {ref.value for _, ref in self.deferred if ref.value not in self.ids}
        self.db_labels = self._labels(unresolved)
        # The dataset's ids the database holds, batch by batch: what is kept is this index's
        # own strings, not a second copy of every id read back.
        reused: list[tuple[str, str]] = []
        batch: list[str] = []
        for identifier in itertools.chain(self.ids, [None]):
            if identifier is not None:
                batch.append(identifier)
            if batch and (identifier is None or len(batch) >= LOOKUP_BATCH):
                found = self._labels(batch)
                for mine in batch:
                    label = found.get(mine)
                    if label is not None:
                        self.stored.add(mine)
                        if label != self.ids.label(mine):
                            reused.append((mine, label))
                batch = []
        if self.reach is not None:
            self.reach.learn(self.stored | set(self.db_labels))
            # One outside is refused at its row, without saying what it is.
            reused = [(i, label) for i, label in reused if not self.reach.outside(i)]
        rows = self.first_rows({identifier for identifier, _ in reused}) if reused else {}
        for identifier, label in reused:
            own = self.ids.label(identifier)
            assert own is not None
            self.problem(
                rows[identifier],
                "id",
                identifier,
                "id_reused",
                "choose_another_id",
                found=label,
                label_plain=own.value,
            )

    def database_empty(self) -> bool:
        if self._database_empty is None:
            self._database_empty = (
                self.db is None or not self.db.read(statement("count_entities"))[0]["entities"]
            )
        return self._database_empty

    def _labels(self, ids: Iterable[str]) -> dict[str, str]:
        assert self.db is not None
        found: dict[str, str] = {}
        batch: list[str] = []
        query = statement("labels_of_ids")
        for identifier in ids:
            batch.append(identifier)
            if len(batch) >= LOOKUP_BATCH:
                found.update({r["id"]: r["label"] for r in self.db.read(query, {"ids": batch})})
                batch = []
        if batch:
            found.update({r["id"]: r["label"] for r in self.db.read(query, {"ids": batch})})
        return found

    def settle_deferred(self) -> None:
        for where, reference in self.deferred.unsettled(self.label_of):
            if self.reach is not None and reference.value not in self.ids:
                if self.reach.outside(reference.value):
                    continue  # the jurisdiction's check says whether it may be named
                if reference.value not in self.db_labels:
                    # Unknown, in the very words the jurisdiction's check uses for an id
                    # outside it: the refusal tells the two apart for nobody.
                    self.problem(where, reference.column, reference.value, "not_in_reach")
                    continue
            self.check_reference(where, reference, defer=False)
        self.deferred = _Deferred()

    def jurisdiction(self) -> None:
        """A load limited to a jurisdiction: what the rows create, change and name (reach)."""
        if self.reach is None or self.db is None:
            return
        found = self.reach.check(
            self.db,
            self.ids.label,
            lambda file, column: self.spellings.get(file, {}).get(column, ""),
        )
        self.result.problems.extend(found)

    def count_nodes(self) -> None:
        new: dict[str, int] = {}
        updated: dict[str, int] = {}
        stored, name_of = self.stored, self.ids.label_name
        for identifier in self.ids:
            name = name_of(identifier)
            assert name is not None
            counts = updated if identifier in stored else new
            counts[name] = counts.get(name, 0) + 1
        self.result.new_nodes, self.result.updated_nodes = new, updated

    def liaison_rules(self) -> None:
        # Units liaise with communities only (包联区直单位);
        # people liaise with communities, estates and grids.
        for where, liaison, target in self.liaisons:
            if self.reach is not None and self.reach.outside(target):
                continue  # nothing is said of what lies outside
            if self.label_of(liaison) == Label.UNIT and self.label_of(target) not in (
                None,
                Label.COMMUNITY,
            ):
                self.problem(
                    where, "target_id", target, "unit_liaison", found=self.label_of(target) or ""
                )

    def post_rules(self) -> None:
        """A post is held where such a post exists (graph.model.POST_TARGETS): a grid leader
        in a grid, a secretary in a party org."""
        for where, role, org, _ in self.posts:
            self.post_held_there(where, role, org)

    def post_held_there(self, where: _Where, role: str, org: str) -> None:
        if self.reach is not None and self.reach.outside(org):
            return  # nothing is said of what lies outside
        label = self.label_of(org)
        if label is not None and label not in POST_TARGETS.get(role, (label,)):
            self.problem(where, "role", role, "post_not_held_there", role=role, found=label)

    def post_needs_member(
        self, where: _Where, role: str, org: str, person: str, stored: dict[str, dict]
    ) -> None:
        """A post only members hold (a secretary's) held by someone who is no member, by
        the row's word or else the stored one."""
        if role not in MEMBERS_ONLY_POSTS or self._outside(org, person):
            return
        member = self.ids.member(person)
        if member is None:
            member = stored.get(person, {}).get("party_member")
        if member is False and self.label_of(org) == Label.PARTY_ORG:
            self.problem(where, "person_id", person, "post_needs_member", role=role)

    def meaning_rules(self) -> None:
        """What the model forbids between rows, on the graph as it will be (a row's value, else
        the stored one): a secretary who is not a party member is a problem; an org whose type
        is not below its parent's, and residents in an estate of no households, are notices
        (the load goes on; `rules` lists the first)."""
        wanted = {
            p
            for _, role, _, p in self.posts
            if role in MEMBERS_ONLY_POSTS and self.ids.member(p) is None
        }
        wanted |= {p for p, _ in self.org_parents.values() if p not in self.org_types}
        wanted |= {b for b in self.residents if b not in self.building_estate}
        wanted |= {e for e in self.building_estate.values() if e not in self.households}
        stored = self._stored_facts(wanted)
        for where, role, org, person in self.posts:
            self.post_needs_member(where, role, org, person, stored)
        for child, (parent, number) in self.org_parents.items():
            where = self.at("party_orgs", number)
            child_type = self.org_types.get(child)
            parent_type = self.org_types.get(parent, stored.get(parent, {}).get("type"))
            if self._outside(child, parent) or not child_type or not parent_type:
                continue
            if not type_below_parent(child_type, parent_type):
                self.notice(
                    where, "parent_id", parent, "type_not_below_parent",
                    type=child_type, parent_type=parent_type,
                )  # fmt: skip
        gained: dict[str, tuple[int, _Where, int | None]] = {}  # estate → residents, row, hh
        for building, packed in self.residents.items():
            count, first = packed >> 32, self.at("persons", packed & 0xFFFF_FFFF)
            fact = stored.get(building, {})
            estate = self.building_estate.get(building, fact.get("estate_id"))
            if estate is None or self._outside(building, estate):
                continue
            if estate in self.households:
                households = self.households[estate]
            else:  # the estate's stored count, read beside it or beside its building
                households = stored.get(estate, fact).get("households")
            had, at, _ = gained.get(estate, (0, first, households))
            gained[estate] = (had + count, at if at.row <= first.row else first, households)
        for estate, (count, first, households) in sorted(gained.items()):
            if households == 0:
                known = self.first_rows({estate}) if estate in self.ids else {}
                where = known.get(estate, first)
                column = "households" if known else "building_id"
                self.notice(
                    where, column, "0", "residents_without_households", estate=estate, count=count
                )

    def _outside(self, *ids: str) -> bool:
        return self.reach is not None and any(self.reach.outside(i) for i in ids)

    def _stored_facts(self, ids: Iterable[str]) -> dict[str, dict]:
        if self.db is None or self.database_empty():
            return {}
        found: dict[str, dict] = {}
        batch = sorted(ids)
        query = statement("stored_facts")
        for start in range(0, len(batch), LOOKUP_BATCH):
            rows = self.db.read(query, {"ids": batch[start : start + LOOKUP_BATCH]})
            found.update({r["id"]: r for r in rows})
        return found

    def notice(self, where: _Where, column: str, value: str, code: str, **params: object) -> None:
        header = self.spellings.get(where.file, {}).get(column, "")
        self.result.notices.append(
            problem(where.file, where.row, column, value, code, "", header, params)
        )

    def reporting_cycles(self) -> None:
        """REPORTS_TO must be a forest once the load is written: no organization may end up
        above itself. The graph as it will be: the parents the dataset gives, none for an org
        whose parent_id it empties, the stored chain for the rest. Each org is walked once
        (linear in the orgs, however deep the chains)."""
        parents: dict[str, str | None] = {o: None for o in self.org_parents_cleared}
        parents.update({child: parent for child, (parent, _) in self.org_parents.items()})
        outside = {p for p in parents.values() if p is not None and p not in parents}
        if self.db is not None and outside:
            for record in self.db.read(statement("org_parents"), {"ids": sorted(outside)}):
                parents.setdefault(record["id"], record["parent"])
        done: set[str] = set()
        for start in self.org_parents:
            path: list[str] = []
            on_path: dict[str, int] = {}
            node: str | None = start
            while node is not None and node not in done and node not in on_path:
                on_path[node] = len(path)
                path.append(node)
                node = parents.get(node)
            done.update(path)
            if node is None or node not in on_path:
                continue  # a root, or a chain already walked
            cycle = path[on_path[node] :]
            # Reported once, at the cycle's first row in the file, reading from there.
            first = min(
                (o for o in cycle if o in self.org_parents),
                key=lambda o: self.org_parents[o][1],
            )
            at = cycle.index(first)
            cycle = cycle[at:] + cycle[:at]
            parent, number = self.org_parents[first]
            where = self.at("party_orgs", number)
            self.problem(
                where,
                "parent_id",
                parent,
                "reports_to_cycle",
                "no_cycle",
                cycle=" → ".join([*cycle, cycle[0]]),
            )


def validate(
    dataset: Dataset,
    db: Database | None,
    *,
    keep_extra: bool = False,
    advance: Callable[[int], None] = lambda n: None,
    within: Jurisdiction | None = None,
    count: bool = False,
    rows_to: RowSink | None = None,
    split_bytes: int | None = None,
) -> Validation:
    """Check every row of the dataset; return every problem found (none means loadable).
    ``within`` limits it to a jurisdiction (see reach); ``count`` counts the entities it would
    create and update. ``rows_to`` is given every row as it is parsed (a first load's import
    files are written in the same pass), whatever its problems. From ``split_bytes`` of CSV on
    (``aside.SPLIT_BYTES`` by default), the largest tables are read in a second process."""
    validator = _Validator(db, keep_extra, within)
    validator.result.problems.extend(dataset.problems)
    tables = dataset.tables
    aside = [] if within is not None else tables_aside(dataset, split_bytes)
    second = None
    if aside:
        try:
            second = Aside(
                [(position, tables[position]) for position in aside],
                keep_extra,
                rows_to.aside() if rows_to is not None else None,
            )
        except OSError:  # no second interpreter to start (nothing is read yet): one pass
            aside = []
    if second is not None:
        try:
            both = second.advancing(advance)
            for position, table in enumerate(tables):
                if position not in aside:
                    validator.scan(table, both, rows_to)
            part, written = second.result(advance)
        finally:
            second.stop()
        if rows_to is not None:
            rows_to.adopt(written)
        if not validator.take(part, tables):  # the dataset fails: read again, in one pass
            validator = _Validator(db, keep_extra, within)
            validator.result.problems.extend(dataset.problems)
            aside, rows_to = [], None  # (its import files are never used)
    if not aside:
        for table in tables:
            validator.scan(table, advance, rows_to)
    validator.duplicate_ids()
    no_regions = not any(t.spec.name == "regions" for t in dataset.tables)
    if no_regions and db is not None and validator.database_empty() and not dataset.problems:
        validator.problem(_Where(dataset.display, 0), "", "", "no_regions", "add_regions")
    validator.against_database()
    validator.settle_deferred()
    validator.liaison_rules()
    validator.post_rules()
    validator.meaning_rules()
    validator.reporting_cycles()
    validator.jurisdiction()
    if count:
        validator.count_nodes()
    validator.result.database_was_empty = db is not None and validator.database_empty()
    problems = validator.result.problems
    problems.sort(key=lambda p: (_file_order(dataset, p.file), p.row, p.column))
    if isinstance(problems, Problems):
        problems.summed(dataset.display)
    return validator.result


def _file_order(dataset: Dataset, display: str) -> int:
    for i, table in enumerate(dataset.tables):
        if table.display == display:
            return i
    return -1
