"""A first load at the offline importer's speed.

Into an embedded database that holds nothing yet, a large dataset is not sent as transactions:
its validated rows are written, as a stream, as the importer's CSV files (a file per table and
label or link type, with the same properties and provenance the transactional loader writes),
and ``graph.importer`` builds the store from them with the engine stopped. Everything after
is the same for both ways — the schema, the derived links, the member steps and the record of
the load — so the graph is the same graph (a test compares the two whole).
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orgnet.graph.connection import Database
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.errors import BadRequest
from orgnet.graph.importer import Group, import_full
from orgnet.graph.lock import WriteLock
from orgnet.graph.model import ENTITY, RELATIONSHIPS, Kind, Label, Rel
from orgnet.graph.settings import get_settings
from orgnet.graph.writes import statement

from .contract import Edge
from .files import Table
from .rows import ParsedRow

if TYPE_CHECKING:
    from .load import LoadSummary

# Rows from which a load into an empty embedded database goes through the importer: below
# it, stopping and starting the engine (about ten seconds) costs more than it saves.
BULK_ROWS = 100_000

_PROVENANCE = ("load_created:long", "load_changed:long", "load_source")
_NODE_FIXED = ("id:ID", *_PROVENANCE)
_LINK_FIXED = (":START_ID", ":END_ID", *_PROVENANCE)
_RESERVED = frozenset({"id", "load_created", "load_changed", "load_source"})
# A property name the importer's header can carry as it is (a ':' would start a type).
_NAMEABLE = re.compile(r"^[^:,\"\r\n]+$")


class NotImportable(Exception):
    """A row the importer's files cannot say as the transactional loader would write it."""


_TYPES = {Kind.INT: ":long", Kind.BOOL: ":boolean"}  # the rest are strings


def _columns(table: Table, rel: Rel | None) -> dict[str, str]:
    """The properties a table's rows can give its nodes (``rel`` None) or its links of ``rel``,
    with the importer's type of each — every one, so that every row has every field (the
    importer misreads a row that ends early on an empty field)."""
    spec = table.spec
    found: dict[str, str] = {}
    for column in spec.columns:
        prop = column.prop
        if prop is None or column.name in _RESERVED:
            continue
        if spec.name == "regions" and column.name == "kind":
            continue  # it names the label of the row
        own = column.link is None and (rel is None or spec.edge is not None)
        if own:  # the node's, or an edge file's link's
            found[column.name] = _TYPES.get(prop.kind, "")
        elif rel is not None and column.link is rel:
            found[prop.name] = _TYPES.get(prop.kind, "")
    if rel is None:
        found.update((header, "") for header in table.extras.values() if header not in found)
    return found


class _File:
    """One table's rows of one label (or link type), every column of it in every row.

    Written by the csv module: a string quoted only when it must be, an absent value (None)
    an empty field, which the importer leaves unset. No value is an empty string (a cell is
    stripped, and an empty one is None), which the importer could not tell from an absent one;
    a row holding one is not written here."""

    def __init__(self, data: Path, fixed: tuple[str, ...], columns: dict[str, str]) -> None:
        self.data = data
        self.fixed = fixed
        self.columns = columns  # name → the importer's :type
        self.names = tuple(columns)
        self.allowed = frozenset(columns) | _RESERVED
        # The importer reads only 'true' as true; Python writes True.
        self.flags = [
            i for i, kind in enumerate(columns.values(), start=len(fixed)) if kind == ":boolean"
        ]
        fd = os.open(data, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # names, phones
        self.handle = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.rows = 0
        # Written first: a name it cannot carry is found before any row is.
        self.header = self._write_header()

    def write(self, cells: list[object], props: dict[str, object]) -> None:
        """One row: ``cells`` (its fixed fields) and then its properties, in column order."""
        if not props.keys() <= self.allowed:
            for key, value in props.items():
                if value is not None and key not in self.allowed:
                    raise NotImportable(f"a property {key!r} its table does not declare")
        cells.extend(map(props.get, self.names))
        for i in self.flags:
            if cells[i] is not None:
                cells[i] = "true" if cells[i] else "false"
        if "" in cells:
            raise NotImportable("an empty text")
        self.writer.writerow(cells)
        self.rows += 1

    def _write_header(self) -> Path:
        for name in self.columns:
            if not _NAMEABLE.match(name):
                raise NotImportable(f"a property named {name!r}")
        path = self.data.with_suffix(".header.csv")
        names = [*self.fixed, *(f"{name}{kind}" for name, kind in self.columns.items())]
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8", newline="") as out:
            csv.writer(out, lineterminator="\n").writerow(names)
        return path

    def close(self) -> None:
        if not self.handle.closed:
            self.handle.close()


@dataclass
class _Closed:
    """A file another writer wrote and closed (``ImportFiles.adopt``)."""

    header: Path
    data: Path
    rows: int

    def close(self) -> None:
        pass


@dataclass
class Written:
    """What a writer of import files wrote, for another to adopt: each file as (table, label
    or link type, header, data, rows), the links rows named twice, and why its files cannot be
    used, if they cannot."""

    files: list[tuple[str, Label | Rel, Path, Path, int]]
    repeated: Counter[str]
    unusable: str | None
    error: OSError | None


_NO_PROPS: dict[str, object] = {}


class ImportFiles:
    """What a dataset's rows write, as the offline importer's files in ``folder``.

    It takes each row as validation parses it and writes what the transactional writer's
    batches would (``loaders.load._Batches``, for an empty database: no link to let go of, none
    to update); on ``close`` it counts into ``summary`` what that writer counts."""

    def __init__(self, folder: Path, load: int, summary: LoadSummary, prefix: str = "") -> None:
        self.folder = folder
        self.load = load
        self.summary = summary
        self.prefix = prefix  # of its files' names: two writers share the folder (`aside`)
        self.table = ""
        self.source: Table | None = None  # the table whose rows are being written
        # Per table (file or sheet): its files by label and by link type.
        self.files: dict[tuple[str, Label | Rel], _File | _Closed] = {}
        self._nodes: dict[Label, _File] = {}  # the files of the table being read
        self._links: dict[Rel, _File] = {}
        self._edge: Edge | None = None  # the table's link, for a file of links
        self.repeated: Counter[str] = Counter()  # links a row names twice: merged into one
        self.unusable: str | None = None  # why a row could not be said in the files
        self.error: OSError | None = None  # writing them failed

    def _open(self, kind: Label | Rel) -> _File:
        assert self.source is not None
        data = self.folder / f"{self.prefix}{len(self.files):03d}.csv"
        if isinstance(kind, Label):
            found = self._nodes[kind] = _File(data, _NODE_FIXED, _columns(self.source, None))
        else:
            found = self._links[kind] = _File(data, _LINK_FIXED, _columns(self.source, kind))
        self.files[(self.table, kind)] = found
        return found

    def take(self, table: Table, row: ParsedRow) -> None:
        """One row as validation parses it: its node and its links (in the same pass, a
        row of a table that names others of its own — the importer links them after every
        node is in). A row the files cannot say marks them unusable, and writing stops."""
        if self.unusable is not None:
            return
        if table is not self.source:
            self.source, self.table = table, table.display
            self._nodes, self._links, self._edge = {}, {}, table.spec.edge
        where = f"{self.table}:{row.number}"
        load = self.load
        try:
            identifier, label = row.id, row.label
            if identifier is not None and label is not None:
                out = self._nodes.get(label) or self._open(label)
                out.write([identifier, load, load, where], row.props)
            edge = self._edge
            if edge is not None:
                ends = {r.column: r.value for r in row.references}
                source, target = ends.get(edge.source), ends.get(edge.target)
                if source and target:
                    out = self._links.get(edge.rel) or self._open(edge.rel)
                    out.write([source, target, load, load, where], row.props)
            elif identifier is not None and row.references:
                self._links_of(identifier, row, where)
        except NotImportable as e:
            self.unusable = str(e)
            self.discard()
        except OSError as e:  # the disk full, most likely: said after validation
            self.unusable, self.error = str(e), e
            self.discard()

    def _links_of(self, source: str, row: ParsedRow, where: str) -> None:
        references = row.references
        seen: set[tuple[object, ...]] | None = set() if len(references) > 1 else None
        load = self.load
        for reference in references:
            rel = reference.rel
            assert rel is not None
            props = row.link_props.get(rel, _NO_PROPS) if row.link_props else _NO_PROPS
            if seen is not None:  # MERGE keeps one link of a type between two ends (and key)
                key = (rel, reference.value, *(props.get(k) for k in RELATIONSHIPS[rel].key))
                if key in seen:
                    self.repeated[rel.value] += 1
                    continue
                seen.add(key)
            out = self._links.get(rel) or self._open(rel)
            out.write([source, reference.value, load, load, where], props)

    def aside(self) -> ImportFiles:
        """A writer of its own into the same folder, for the rows validated in a second process
        (``loaders.aside``): what it wrote is then ``adopt``-ed here."""
        return ImportFiles(self.folder, self.load, type(self.summary)(), f"{self.prefix}a")

    def finished(self) -> Written:
        """Every file closed, and what they hold said for the writer that began this one."""
        for file in self.files.values():
            file.close()
        files = [(table, kind, f.header, f.data, f.rows) for (table, kind), f in self.files.items()]
        return Written(files, self.repeated, self.unusable, self.error)

    def adopt(self, finished: object) -> None:
        """Take on the files another writer wrote into this folder (``finished``)."""
        assert isinstance(finished, Written)
        for table, kind, header, data, rows in finished.files:
            self.files[(table, kind)] = _Closed(header, data, rows)
        self.repeated.update(finished.repeated)
        if finished.unusable is not None and self.unusable is None:
            self.unusable, self.error = finished.unusable, finished.error
            self.discard()

    def close(self) -> tuple[list[Group], list[Group]] | None:
        """Every file closed, and what they hold counted into the summary: the importer's node
        and link groups; None when a row could not be said in them."""
        if self.unusable is not None:
            return None
        nodes: list[Group] = []
        links: list[Group] = []
        summary = self.summary
        for (table, kind), file in self.files.items():
            file.close()
            summary.created[table] += file.rows
            if isinstance(kind, Label):
                summary.nodes_created[kind.value] += file.rows
                summary.nodes_seen[kind.value] += file.rows
                nodes.append(Group(f"{kind.value}:{ENTITY}", (file.header, file.data)))
            else:
                summary.relationships_created[kind.value] += file.rows
                summary.relationships_seen[kind.value] += file.rows
                links.append(Group(kind.value, (file.header, file.data)))
        summary.relationships_seen.update(self.repeated)
        return nodes, links

    def discard(self) -> None:
        for file in self.files.values():
            file.close()


def engine_of(db: Database) -> EmbeddedEngine | None:
    """The embedded engine whose store ``db`` is, or None (a server named by NEO4J_URI)."""
    if db.home is None:
        return None
    settings = get_settings()
    if settings.external:
        return None
    engine = EmbeddedEngine(settings)
    return engine if engine.home == db.home.resolve() else None


def holds_nothing(db: Database) -> bool:
    """Whether the database holds no node at all but the write lock: no entity, no record of
    a load, no version — a store the importer may replace whole."""
    return db.read(statement("count_nodes"))[0]["nodes"] == 0


def check_possible(db: Database) -> None:
    """Raise BadRequest when ``--bulk`` was asked for where it cannot be done."""
    if engine_of(db) is None:
        raise BadRequest(
            "--bulk loads through the offline importer, which writes only the embedded "
            "engine's store; with NEO4J_URI the load goes through transactions (leave --bulk "
            "out)",
            said="bulk_server",
        )
    if not holds_nothing(db):
        raise BadRequest(
            "--bulk is for a first load, into a database that holds nothing yet; this one "
            "holds a graph, which a load adds to through transactions (leave --bulk out)",
            said="bulk_not_empty",
        )


def possible(db: Database, bulk: bool | None) -> bool:
    """Whether this load may go through the importer (its files are then written as the rows
    are validated): not told otherwise, an embedded engine, a database that holds nothing."""
    return bulk is not False and engine_of(db) is not None and holds_nothing(db)


def chosen(bulk: bool | None, rows: int) -> bool:
    """Whether a load that may go through the importer does: asked for, or left to orgnet
    (None) and of at least BULK_ROWS rows."""
    return bool(bulk) or (bulk is None and rows >= BULK_ROWS)


def replace_store(db: Database, lock: WriteLock, nodes: list[Group], links: list[Group]) -> float:
    """The database replaced by the import of these files, the engine stopped meanwhile and
    the write lock taken again in the new store; the seconds the importer took."""
    engine = engine_of(db)
    assert engine is not None
    with lock.store_replaced():
        return import_full(engine, db.database, nodes, links)
