"""read → validate → write: loading a dataset into the graph.

Writes are batched (``UNWIND $rows`` with parameters, one transaction a batch), streamed (a batch
at a time, never the whole file) and idempotent (MERGE on ids and relationship keys), so a load
that was interrupted — the loader or the engine killed — is completed by running it again.
A background thread sends batches while the main thread parses the next rows.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from orgnet.graph.connection import Database
from orgnet.graph.errors import ValidationFailed
from orgnet.graph.model import RELATIONSHIPS, Label, Rel
from orgnet.graph.schema import ensure_schema
from orgnet.graph.writes import merge_nodes, merge_relationships

from .files import Dataset, Table, open_dataset
from .rows import ParsedRow, parse_row
from .validate import Validation, validate

BATCH_SIZE = 5_000


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
    notices: list[str] = field(default_factory=list)

    def nodes_updated(self, label: str) -> int:
        return self.nodes_seen[label] - self.nodes_created[label]

    def relationships_kept(self, rel: str) -> int:
        return self.relationships_seen[rel] - self.relationships_created[rel]


class _Sender:
    """Sends batches to the database in order, from one background thread."""

    def __init__(self, db: Database, summary: LoadSummary) -> None:
        self.db = db
        self.summary = summary
        self.jobs: queue.Queue[tuple[str, str, bool, list[dict]] | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="orgnet-load-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is not None:
                continue
            name, query, is_node, rows = job
            try:
                counts = self.db.write(query, {"rows": rows})
            except BaseException as e:  # handed to the main thread, raised there
                self.error = e
                continue
            if is_node:
                self.summary.nodes_created[name] += counts.nodes_created
                self.summary.nodes_seen[name] += len(rows)
            else:
                self.summary.relationships_created[name] += counts.relationships_created
                self.summary.relationships_replaced[name] += counts.relationships_deleted
                self.summary.relationships_seen[name] += len(rows)

    def send(self, name: str, query: str, is_node: bool, rows: list[dict]) -> None:
        self._raise()
        self.jobs.put((name, query, is_node, rows))

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error


class _Batches:
    """Rows waiting to be sent, per label and per relationship type.

    Nodes always go before the relationships gathered with them, so a relationship never waits
    on a node still in the buffer.
    """

    def __init__(self, sender: _Sender, batch_size: int) -> None:
        self.sender = sender
        self.batch_size = batch_size
        self.nodes: dict[Label, list[dict]] = {}
        self.links: dict[Rel, list[dict]] = {}

    def node(self, label: Label, identifier: str, props: dict[str, object]) -> None:
        rows = self.nodes.setdefault(label, [])
        rows.append({"id": identifier, "props": props})
        if len(rows) >= self.batch_size:
            self.flush_nodes()

    def link(self, rel: Rel, source: str, target: str, props: dict[str, object]) -> None:
        spec = RELATIONSHIPS[rel]
        key = {k: props[k] for k in spec.key}
        rest = {k: v for k, v in props.items() if k not in spec.key}
        rows = self.links.setdefault(rel, [])
        rows.append({"source": source, "target": target, "key": key, "props": rest})
        if len(rows) >= self.batch_size:
            self.flush()

    def flush_nodes(self) -> None:
        for label, rows in self.nodes.items():
            if rows:
                self.sender.send(label.value, merge_nodes(label), True, rows)
        self.nodes = {}

    def flush(self) -> None:
        self.flush_nodes()
        for rel, rows in self.links.items():
            if rows:
                self.sender.send(rel.value, merge_relationships(rel), False, rows)
        self.links = {}


def _write_table(table: Table, batches: _Batches, keep_extra: bool, reporter: Reporter) -> None:
    spec = table.spec

    def rows() -> Iterator[ParsedRow]:
        for number, cells, extra in table.rows():
            yield parse_row(spec, table.display, number, cells, extra, keep_extra)

    def write_links(row: ParsedRow) -> None:
        if spec.edge is not None:
            cells = {r.column: r.value for r in row.references}
            batches.link(spec.edge.rel, cells[spec.edge.source], cells[spec.edge.target], row.props)
            return
        assert row.id is not None
        for reference in row.references:
            assert reference.rel is not None
            batches.link(reference.rel, row.id, reference.value, {})

    count = 0
    for row in rows():
        if row.label is not None and row.id is not None:
            batches.node(row.label, row.id, row.props)
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
    db: Database,
    path: Path,
    *,
    dry_run: bool = False,
    keep_extra: bool = False,
    batch_size: int = BATCH_SIZE,
    reporter: Reporter | None = None,
    on_validated: Callable[[Validation], None] | None = None,
) -> LoadSummary:
    """Validate the dataset at ``path`` whole, then write it; raise ValidationFailed if it has
    any problem (nothing is written then)."""
    reporter = reporter or _Silent()
    started = time.perf_counter()
    dataset: Dataset = open_dataset(path)
    ensure_schema(db)
    reporter.phase("validating", 0)
    validation = validate(dataset, db, keep_extra=keep_extra, advance=reporter.advance)
    if on_validated is not None:
        on_validated(validation)
    if not validation.ok:
        raise ValidationFailed(validation.problems)
    summary = LoadSummary(rows=validation.total_rows, notices=dataset.notices)
    if dry_run:
        summary.validated_only = True
        summary.seconds = time.perf_counter() - started
        return summary
    reporter.phase("writing", validation.total_rows)
    sender = _Sender(db, summary)
    try:
        batches = _Batches(sender, batch_size)
        for table in dataset.tables:
            _write_table(table, batches, keep_extra, reporter)
    finally:
        sender.close()
    summary.seconds = time.perf_counter() - started
    return summary
