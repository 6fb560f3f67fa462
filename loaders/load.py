"""read → validate → write: loading a dataset into the graph.

Writes are batched (``UNWIND $rows`` with parameters, one transaction a batch), streamed (a batch
at a time, never the whole file) and idempotent (MERGE on ids and relationship keys), so a load
that was interrupted — the loader or the engine killed — is completed by running it again.
Background threads send batches while the main thread parses the next rows.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol

from orgnet.graph import provenance, workspace
from orgnet.graph.connection import Database, WriteCounts
from orgnet.graph.derived import (
    Touched,
    orgs_to_refresh,
    refresh_serves,
    refresh_steps,
    steps_to_count,
)
from orgnet.graph.errors import BadRequest, ValidationFailed
from orgnet.graph.lock import WriteLock
from orgnet.graph.model import Label, Rel
from orgnet.graph.schema import await_indexes, ensure_schema
from orgnet.graph.writes import (
    merge_nodes,
    merge_relationships,
    node_row,
    relationship_row,
    update_relationships,
)

from . import bulk as importing
from .contract import FileSpec
from .files import Dataset, Table, check_dataset_path, open_dataset, same_files
from .reach import Jurisdiction
from .rows import ParsedRow, Problem, links_of, parse_row, problem
from .validate import RowSink, Validation, validate

BATCH_SIZE = 20_000
FIRST_LOAD = 1  # the number of the first load a database records (graph.provenance.begin)
WRITERS = 2  # concurrent write transactions: the engine works on one core per transaction


class Reporter(Protocol):
    def phase(self, name: str, total: int) -> None: ...
    def advance(self, rows: int) -> None: ...


class _Silent:
    def phase(self, name: str, total: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass


@dataclass
class LoadSummary:
    rows: int = 0
    seconds: float = 0.0
    validated_only: bool = False
    nodes_created: Counter[str] = field(default_factory=Counter)
    nodes_seen: Counter[str] = field(default_factory=Counter)
    relationships_created: Counter[str] = field(default_factory=Counter)
    relationships_seen: Counter[str] = field(default_factory=Counter)
    relationships_replaced: Counter[str] = field(default_factory=Counter)
    notices: list[Problem] = field(default_factory=list)
    # A dry run without the database: references to ids the dataset does not define, unchecked.
    unchecked: int | None = None
    # A dry run: the entities by label it would create and update, and the rows of each table.
    new_nodes: Counter[str] = field(default_factory=Counter)
    updated_nodes: Counter[str] = field(default_factory=Counter)
    rows_by_table: dict[str, int] = field(default_factory=dict)
    # A load that wrote: its number in the record of loads, and per table (file or sheet) what
    # it created, changed and cleared.
    load: int | None = None
    created: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    imported: bool = False  # written by the offline importer (loaders.bulk), not transactions
    cleared: Counter[str] = field(default_factory=Counter)

    def nodes_updated(self, label: str) -> int:
        return self.nodes_seen[label] - self.nodes_created[label]

    def relationships_kept(self, rel: str) -> int:
        return self.relationships_seen[rel] - self.relationships_created[rel]


@dataclass
class _Job:
    name: str  # the label or relationship type, for the summary
    table: str  # the file or sheet its rows come from
    query: str
    rows: list[dict]
    is_node: bool
    number: int  # nodes: this batch's place among node batches; links: among its type's
    needs_nodes: int = 0  # links: node batches that must have committed first


class _Sender:
    """Sends batches from a few background threads, each with a transaction of its own.

    Node batches run in any order beside anything else: their ids are unique. A link batch
    waits until every node batch sent before it has committed (so its MATCHes find both ends)
    and until the previous batch of its own type has (so a later row wins, as in file order).
    """

    def __init__(
        self,
        db: Database,
        summary: LoadSummary,
        writers: int,
        guard: Callable[[], None] = lambda: None,
        load: int = 0,
    ) -> None:
        self.db = db
        self.load = load
        self.summary = summary
        self.guard = guard  # raises when writing must stop (the write lock was lost)
        self.jobs: queue.Queue[_Job | None] = queue.Queue(maxsize=2 * writers)
        self.error: BaseException | None = None
        self.state = threading.Condition()
        self.nodes_sent = 0
        self.nodes_committed: set[int] = set()
        self.nodes_upto = 0  # every node batch numbered up to this one has committed
        self.links_sent: Counter[str] = Counter()
        self.links_upto: Counter[str] = Counter()
        self.threads = [
            threading.Thread(target=self._run, name=f"orgnet-load-writer-{i}", daemon=True)
            for i in range(writers)
        ]
        for thread in self.threads:
            thread.start()

    def _ready(self, job: _Job) -> bool:
        return self.error is not None or (
            self.nodes_upto >= job.needs_nodes and self.links_upto[job.name] == job.number - 1
        )

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            if not job.is_node:
                with self.state:
                    self.state.wait_for(partial(self._ready, job))
            if self.error is not None:
                continue
            try:
                counts = self.db.write(job.query, {"rows": job.rows, "load": self.load})
            except BaseException as e:  # handed to the main thread, raised there
                with self.state:
                    self.error = e
                    self.state.notify_all()
                continue
            with self.state:
                self._count(job, counts)
                if job.is_node:
                    self.nodes_committed.add(job.number)
                    while self.nodes_upto + 1 in self.nodes_committed:
                        self.nodes_upto += 1
                        self.nodes_committed.discard(self.nodes_upto)
                else:
                    self.links_upto[job.name] = job.number
                self.state.notify_all()

    def _count(self, job: _Job, counts: WriteCounts) -> None:
        summary = self.summary
        if job.is_node:
            created = counts.nodes_created - counts.changed  # the rest are kept versions
            summary.nodes_created[job.name] += created
            summary.nodes_seen[job.name] += len(job.rows)
        else:
            created = counts.relationships_created
            summary.relationships_created[job.name] += counts.relationships_created
            summary.relationships_replaced[job.name] += counts.relationships_deleted
            summary.relationships_seen[job.name] += sum(1 for r in job.rows if r.get("target"))
            summary.cleared[job.table] += counts.relationships_deleted
        summary.created[job.table] += created
        summary.changed[job.table] += counts.changed

    def send_nodes(self, name: str, table: str, query: str, rows: list[dict]) -> None:
        self._raise()
        self.nodes_sent += 1
        self.jobs.put(_Job(name, table, query, rows, True, self.nodes_sent))

    def send_links(self, name: str, table: str, query: str, rows: list[dict]) -> None:
        self._raise()
        self.links_sent[name] += 1
        number = self.links_sent[name]
        self.jobs.put(_Job(name, table, query, rows, False, number, needs_nodes=self.nodes_sent))

    def close(self) -> None:
        for _ in self.threads:
            self.jobs.put(None)
        for thread in self.threads:
            thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error
        self.guard()


class _Batches:
    """Rows waiting to be sent, per label and per relationship type.

    Nodes always go before the relationships gathered with them, so a relationship never waits
    on a node still in the buffer.
    """

    def __init__(self, sender: _Sender, batch_size: int, replace: bool, touched: Touched) -> None:
        self.sender = sender
        self.batch_size = batch_size
        self.replace = replace
        self.touched = touched
        self.nodes: dict[Label, list[dict]] = {}
        self.links: dict[Rel, list[dict]] = {}
        self.updates: dict[Rel, list[dict]] = {}
        self.table = ""  # the file or sheet whose rows are gathered now (flushed at its end)

    def node(self, label: Label, identifier: str, props: dict[str, object], where: str) -> None:
        if label is Label.PARTY_ORG:  # its founding and dissolution date the links below it
            self.touched.add(self.touched.orgs, identifier)
        elif label is Label.PERSON:  # party standing: the member steps of their org
            self.touched.member(identifier)
        elif label in (Label.ESTATE, Label.OWNERS_COMMITTEE):  # built, founded: their triads
            self.touched.add(self.touched.triads, identifier)
        rows = self.nodes.setdefault(label, [])
        rows.append(node_row(identifier, props, where))
        if len(rows) >= self.batch_size:
            self.flush_nodes()

    def link(
        self, rel: Rel, source: str, target: str | None, props: dict[str, object], where: str
    ) -> None:
        """A link to write, or with no target, a one-target link to let go of."""
        self.touched.link(rel, source)
        if rel is Rel.MEMBER_OF:
            self.touched.member(source, target)
        elif rel is Rel.LIVES_IN:
            self.touched.home(source, target)
        elif rel is Rel.PART_OF and target is not None:
            self.touched.parent(target)
        elif rel is Rel.HOLDS and target is not None:
            self.touched.seat(target, source)
        elif rel is Rel.REPORTS_TO and target is not None:
            self.touched.upper(target)
        elif rel is Rel.REPORTED_TO:
            self.touched.report(source, target)
        if target is None and not self.replace:
            return  # into an empty database there is nothing to let go of
        rows = self.links.setdefault(rel, [])
        rows.append(relationship_row(rel, source, target, props, where))
        if len(rows) >= self.batch_size:
            self.flush()

    def update(self, rel: Rel, source: str, props: dict[str, object], where: str) -> None:
        """Properties for a source's one-target link of ``rel``, whatever its target."""
        if not self.replace:
            return  # into an empty database there is no link to set them on
        rows = self.updates.setdefault(rel, [])
        rows.append({"source": source, "props": props, "source_row": where})
        if len(rows) >= self.batch_size:
            self.flush()

    def flush_nodes(self) -> None:
        for label, rows in self.nodes.items():
            if rows:
                self.sender.send_nodes(label.value, self.table, merge_nodes(label), rows)
        self.nodes = {}

    def flush(self) -> None:
        self.flush_nodes()
        for rel, rows in self.links.items():
            if rows:
                query = merge_relationships(rel, replace=self.replace)
                self.sender.send_links(rel.value, self.table, query, rows)
        self.links = {}
        for rel, rows in self.updates.items():
            if rows:  # after the links of their type, in the same order as the rows
                self.sender.send_links(rel.value, self.table, update_relationships(rel), rows)
        self.updates = {}


def link_updates(spec: FileSpec, row: ParsedRow) -> Iterator[tuple[Rel, str, dict[str, object]]]:
    """Properties of a row's links whose target the row does not give (its column absent):
    set on the link the entity has, whatever it targets — an emptied member_since clears the
    membership's date even in a file without party_org_id."""
    if spec.edge is not None or row.id is None:
        return
    named = {r.rel for r in row.references} | set(row.cleared)
    for rel, props in row.link_props.items():
        if rel not in named and props:
            yield rel, row.id, props


class FileChanged(ValidationFailed):
    """A file of the dataset was saved again between validation and writing."""


def _write_table(table: Table, batches: _Batches, keep_extra: bool, reporter: Reporter) -> None:
    spec = table.spec
    spelled = table.spelled()

    def rows() -> Iterator[ParsedRow]:
        # Validated rows parse without a problem; one now means the file changed since.
        sink: list[Problem] = []
        for number, cells, extra in table.rows(sink):
            row = parse_row(spec, table.display, number, cells, extra, keep_extra, spelled)
            if row.problems or sink:
                raise FileChanged([problem(table.display, 0, "", "", "file_changed", "load_again")])
            yield row
        if sink:
            raise FileChanged([problem(table.display, 0, "", "", "file_changed", "load_again")])

    def write_links(row: ParsedRow) -> None:
        where = f"{table.display}:{row.number}"
        for link in links_of(spec, row):
            batches.link(*link, where)
        for rel, source, props in link_updates(spec, row):
            batches.update(rel, source, props, where)

    batches.table = table.display
    count = 0
    for row in rows():
        if row.label is not None and row.id is not None:
            batches.node(row.label, row.id, row.props, f"{table.display}:{row.number}")
        if not spec.self_referencing:
            write_links(row)
        count += 1
        if count % 1_000 == 0:
            reporter.advance(1_000)
    reporter.advance(count % 1_000)
    batches.flush()
    if spec.self_referencing:
        # Second pass: every node of the file now exists, whatever order the rows came in.
        for row in rows():
            write_links(row)
        batches.flush()


def load_dataset(
    db: Database | None,
    path: Path,
    *,
    dry_run: bool = False,
    keep_extra: bool = False,
    wait: float = 0.0,
    batch_size: int = BATCH_SIZE,
    writers: int = WRITERS,
    reporter: Reporter | None = None,
    on_validated: Callable[[Validation], None] | None = None,
    within: Jurisdiction | None = None,
    display: str | None = None,
    copy: bool = True,
    started: float | None = None,
    by: str | None = None,
    command: str = "orgnet load",
    bulk: bool | None = False,
) -> LoadSummary:
    """Validate the dataset at ``path`` whole, then write it; raise ValidationFailed if it has
    any problem (nothing is written then).

    The write lock (``graph.lock``) is held from before validation until the derived links are
    refreshed, so what was validated is what is written to; a second writer waits up to
    ``wait`` seconds, then gets Busy. A dry run takes no lock, and with ``db`` None validates
    against the dataset alone (references to ids it does not define are counted, not checked);
    it counts what it would create and update. ``within`` limits the load to a jurisdiction
    (``reach``): a row that would create or change anything outside it is a problem.
    ``on_validated`` is called once the dataset is found valid, before anything is written: an
    exception there stops the load with nothing written. Problems of the dataset as a whole
    name it ``display`` (its path by default). A load that writes reads the dataset from a
    private copy of its files, made once (``copy``; an upload already is one). It is recorded
    (``graph.provenance``) as run ``by`` someone (the user at this host by default) with
    ``command``, and what it writes carries its number and the file:row that wrote it.
    ``bulk`` True writes a first load through the offline importer (``loaders.bulk``: an
    embedded database holding nothing, else BadRequest), False through transactions, None
    lets the size decide.
    """
    reporter = reporter or _Silent()
    started = started if started is not None else time.perf_counter()
    if not (dry_run or db is None) and copy:
        # What is written is exactly what was checked: the files are copied once, privately,
        # and both validated and written from the copy — a roster saved again while the load
        # runs (rows appended in Excel) changes nothing of it. Only the copy is read.
        check_dataset_path(Path(path))
        base = copies_folder(db)
        workspace.clear_leftovers(base)
        with workspace.writing(base):
            work = workspace.work_folder(base)
        try:
            with workspace.writing(base):
                copied = _copy(path, work)
            return load_dataset(
                db, copied, keep_extra=keep_extra, wait=wait, batch_size=batch_size,
                writers=writers, reporter=reporter, on_validated=on_validated, within=within,
                display=display or str(path), copy=False, started=started, by=by,
                command=command, bulk=bulk,
            )  # fmt: skip
        finally:
            shutil.rmtree(work, ignore_errors=True)
    dataset: Dataset = open_dataset(path, display, keep_extra)
    if dry_run or db is None:
        if not dry_run:
            raise ValueError("writing needs a database")
        validation = _validated(dataset, db, keep_extra, reporter, on_validated, within, True)
        return LoadSummary(
            rows=validation.total_rows,
            seconds=time.perf_counter() - started,
            validated_only=True,
            notices=dataset.notices + validation.notices,
            unchecked=None if validation.against_database else validation.unchecked,
            new_nodes=Counter(validation.new_nodes),
            updated_nodes=Counter(validation.updated_nodes),
            rows_by_table=dict(validation.rows),
        )
    with WriteLock(db, db.home, wait=wait) as lock:
        if bulk:
            importing.check_possible(db)  # before the rows are read, not after
        ensure_schema(db)
        # A first load may go through the offline importer: its files are written as the
        # rows are validated, in the same pass, and used if the load is large enough.
        base = copies_folder(db)
        folder = None
        if importing.possible(db, bulk):
            with workspace.writing(base):
                folder = workspace.work_folder(base)
            prepared = importing.ImportFiles(folder, FIRST_LOAD, LoadSummary())
        try:
            validation = _validated(
                dataset, db, keep_extra, reporter, on_validated, within, False,
                rows_to=prepared if folder is not None else None,
            )  # fmt: skip
            if not same_files(dataset):
                raise FileChanged(
                    [problem(dataset.display, 0, "", "", "file_changed", "load_again")]
                )
            summary = LoadSummary(
                rows=validation.total_rows,
                notices=dataset.notices + validation.notices,
                rows_by_table=dict(validation.rows),
            )
            imported = (
                folder is not None
                and importing.chosen(bulk, validation.total_rows)
                and _import(db, lock, prepared, summary, base, reporter)
            )
        finally:
            if folder is not None:
                prepared.discard()
                shutil.rmtree(folder, ignore_errors=True)
        files = source_files(dataset, validation)
        # Into an empty database, a functional link has no earlier target to let go of, and
        # every org's SERVES links are new. Into one whose derived links and properties an
        # older orgnet worked out (or none did), every one of them is worked out afresh.
        touched = Touched(everything=validation.database_was_empty or provenance.derived_behind(db))
        number = provenance.begin(db, by or provenance.who(), command, files)
        summary.load = number
        summary.imported = imported
        if imported:
            assert number == FIRST_LOAD, "the imported store held a record of loads"
        else:
            reporter.phase("writing", validation.total_rows)
            sender = _Sender(db, summary, writers, guard=lock.check, load=number)
            try:
                batches = _Batches(sender, batch_size, not validation.database_was_empty, touched)
                for table in dataset.tables:
                    _write_table(table, batches, keep_extra, reporter)
            finally:
                sender.close()
        lock.check()
        orgs = orgs_to_refresh(db, touched)
        reporter.phase("deriving scopes", len(orgs))
        created, deleted = refresh_serves(db, orgs, advance=reporter.advance)
        steps = steps_to_count(db, touched, number, orgs)
        reporter.phase("counting members", sum(len(ids) for _, ids in steps))
        refresh_steps(db, steps, advance=reporter.advance)
        provenance.finish(
            db,
            number,
            [
                provenance.TableCounts(
                    t.display, summary.created[t.display], summary.changed[t.display],
                    summary.cleared[t.display],
                )
                for t in dataset.tables
            ],
        )  # fmt: skip
        if imported:
            await_indexes(db)  # what the import's schema left building
    summary.relationships_created[Rel.SERVES] += created
    summary.relationships_replaced[Rel.SERVES] += deleted
    summary.seconds = time.perf_counter() - started
    return summary


def _import(
    db: Database,
    lock: WriteLock,
    prepared: importing.ImportFiles,
    summary: LoadSummary,
    base: Path,
    reporter: Reporter,
) -> bool:
    """Replace the database, which holds nothing, by the import of the files validation
    wrote (``loaders.bulk``), as its first load, then write its schema; False, with nothing
    written, when a row could not be said in them (the load then goes through transactions)."""
    if prepared.error is not None:
        with workspace.writing(base):  # the disk filled up as they were written
            raise prepared.error
    groups = prepared.close()
    if groups is None:
        return False
    reporter.phase("importing", 0)
    importing.replace_store(db, lock, *groups)
    # The indexes the derived links do not read (names, categories) build meanwhile.
    ensure_schema(db, wait=False)
    counted = prepared.summary
    for kind in ("nodes_created", "nodes_seen", "relationships_created", "relationships_seen"):
        getattr(summary, kind).update(getattr(counted, kind))
    summary.created.update(counted.created)
    return True


def source_files(dataset: Dataset, validation: Validation) -> list[provenance.SourceFile]:
    """Each file the dataset was read from (a workbook once), with its SHA-256 and rows."""
    rows: dict[Path, int] = {}
    for table in dataset.tables:
        rows[table.source] = rows.get(table.source, 0) + validation.rows.get(table.spec.name, 0)
    return [
        provenance.SourceFile(path.name, provenance.sha256(path), count)
        for path, count in rows.items()
    ]


def copies_folder(db: Database) -> Path:
    """Where a load keeps its private copy: in the engine's home, or for a server named by
    NEO4J_URI, in a folder of the user's own under the system's temporary folder."""
    if db.home is not None:
        return db.home / "loading"
    return Path(tempfile.gettempdir()) / f"orgnet-loading-{os.getuid()}"


def _copy(path: Path, work: Path) -> Path:
    """The dataset's files copied into ``work``: every CSV file of the folder (those passed
    over too, so that the same notices are said), or the workbook."""
    if path.is_dir():
        try:
            entries = sorted(path.iterdir())
        except OSError as e:
            raise BadRequest(f"{path}: the folder cannot be read ({e.strerror})") from None
        sources = [p for p in entries if p.suffix.lower() == ".csv" and p.is_file()]
    else:
        sources = [path]
    for source in sources:
        with open(source, "rb") as original, workspace.private_file(work / source.name) as out:
            shutil.copyfileobj(original, out, 2**20)
    return work if path.is_dir() else work / path.name


def _validated(
    dataset: Dataset,
    db: Database | None,
    keep_extra: bool,
    reporter: Reporter,
    on_validated: Callable[[Validation], None] | None,
    within: Jurisdiction | None,
    count: bool,
    rows_to: RowSink | None = None,
) -> Validation:
    reporter.phase("validating", 0)
    validation = validate(
        dataset, db, keep_extra=keep_extra, advance=reporter.advance, within=within,
        count=count, rows_to=rows_to,
    )  # fmt: skip
    if not validation.ok:
        raise ValidationFailed(validation.problems, notices=dataset.notices + validation.notices)
    if on_validated is not None:
        on_validated(validation)
    return validation
