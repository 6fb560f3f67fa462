"""Where each figure came from (留痕): the record of loads, and one entity's versions, as
answers every front door shows — the facts are kept by ``graph.provenance``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from orgnet.graph import provenance
from orgnet.graph.connection import Database
from orgnet.graph.errors import NotFound
from orgnet.graph.model import NODES, Label

from .catalog import run
from .disclosure import About, Name, Ref, Value
from .privacy import phone_for
from .scope import Entity, entity


@dataclass(frozen=True)
class LoadRow:
    number: int
    kind: str  # 'load' | 'undo'
    status: str
    began: str
    by: str
    files: str  # each file with its rows and the first 12 digits of its SHA-256
    created: int
    changed: int
    cleared: int
    ended: str | None
    command: str
    undoes: int | None
    undone_by: int | None


@dataclass(frozen=True)
class Loads:
    loads: list[LoadRow]  # the latest first


def loads(db: Database) -> Loads:
    """Every load recorded: who, when, which files (with their SHA-256) and what it did."""
    return Loads([_row(r) for r in provenance.records(db)])


def _row(r: provenance.LoadRecord) -> LoadRow:
    return LoadRow(
        number=r.number,
        kind=r.kind,
        status=r.status,
        by=r.by,
        began=r.began,
        ended=r.ended,
        command=r.command,
        files="; ".join(f"{f.name} ({f.rows:,}; {f.sha256[:12]})" for f in r.files),
        created=sum(t.created for t in r.tables),
        changed=sum(t.changed for t in r.tables),
        cleared=sum(t.cleared for t in r.tables),
        undoes=r.undoes,
        undone_by=r.undone_by,
    )


@dataclass(frozen=True)
class PropertyChange:
    """One of the entity's own properties set by a load (when, by whom, from which file:row):
    ``action`` ``created`` or ``changed``, the property ``what`` as it was → as it became."""

    load: int
    began: str
    by: str
    file_row: str
    action: str
    id: Annotated[str, Ref(label_from="label")]
    label: str
    what: str
    before: Annotated[Any, Value("id", "what")]
    after: Annotated[Any, Value("id", "what")]


@dataclass(frozen=True)
class LinkChange:
    """One of the entity's links out made, changed or let go of by a load: ``action``
    ``created``, ``changed`` or ``cleared``; the link itself (no ``what``) or one of its
    properties, as it was → as it became."""

    load: int
    began: str
    by: str
    file_row: str
    action: str
    link: str
    other_id: Annotated[str | None, Ref(label_from="other_label")]
    other_label: str | None
    other_name: Annotated[str | None, Name("other_id")]
    what: str | None
    before: Annotated[Any, About("other_id")]
    after: Annotated[Any, About("other_id")]


@dataclass(frozen=True)
class EntityHistory:
    entity: Entity
    property_changes: list[PropertyChange]  # the earliest first
    link_changes: list[LinkChange]  # the earliest first


def _personal(label: str, key: str | None) -> bool:
    if label not in Label._value2member_map_ or key is None:
        return False
    return any(p.name == key and p.personal for p in NODES[Label(label)].properties)


def history(db: Database, id: str, *, show_phone: bool = False) -> EntityHistory:
    """Every recorded version of an entity: each load that created or changed it or its links
    out — when, by whom, from which file and row — and each value as it was → as it became.
    Phones are masked unless ``show_phone``."""
    found = entity(db, id)
    kept = provenance.history(db, id)
    properties, links = [], []
    for v in kept.versions:
        when: dict[str, Any] = {"load": v.load, "began": v.began, "by": v.by, "file_row": v.source}
        for c in v.changes:
            if c.link is None:
                before, after = c.before, c.after
                if _personal(kept.label, c.what):
                    before, after = phone_for(before, show_phone), phone_for(after, show_phone)
                properties.append(
                    PropertyChange(**when, action=c.change, id=found.id, label=kept.label,
                                   what=str(c.what), before=before, after=after)
                )  # fmt: skip
            else:
                links.append(
                    LinkChange(**when, action=c.change, link=c.link, other_id=c.other,
                               other_label=c.other_label, other_name=c.other_name, what=c.what,
                               before=c.before, after=c.after)
                )  # fmt: skip
    return EntityHistory(found, properties, links)


MOST_CHANGES = 10_000  # a first load creates everything: the list says so, cut here


@dataclass(frozen=True)
class LoadTable:
    table: str
    created: int
    changed: int
    cleared: int


@dataclass(frozen=True)
class LoadChange:
    """One thing a load created, changed or let go of (``action``): a node, or its link
    ``link`` to ``other_id`` — with the file:row that did it."""

    action: str
    label: str | None
    id: Annotated[str | None, Ref(label_from="label")]
    name: Annotated[str | None, Name("id")]
    link: str | None
    other_id: Annotated[str | None, Ref(label_from="other_label")]
    other_label: str | None
    other_name: Annotated[str | None, Name("other_id")]
    file_row: str | None


@dataclass(frozen=True)
class LoadChanges:
    number: int
    kind: str  # 'load' | 'undo'
    status: str
    began: str
    by: str
    command: str
    files: str
    undone_by: int | None
    shown: int  # the things listed (at most MOST_CHANGES) …
    total: int  # … of all it created, changed and cleared
    tables: list[LoadTable]
    changes: list[LoadChange]


def load_changes(db: Database, load: int) -> LoadChanges:
    """What one load did: per table how much it created, changed and cleared, and thing by
    thing (the first ``MOST_CHANGES``, by file and row)."""
    record = next((r for r in provenance.records(db) if r.number == load), None)
    if record is None:
        raise NotFound(f"no load {load}", said="no_such_load", number=load)
    found = _row(record)
    rows = run(db, "load_changes", load=load, most=MOST_CHANGES)
    return LoadChanges(
        number=found.number,
        kind=found.kind,
        status=found.status,
        began=found.began,
        by=found.by,
        command=found.command,
        files=found.files,
        undone_by=found.undone_by,
        shown=len(rows),
        total=found.created + found.changed + found.cleared,
        tables=[LoadTable(t.table, t.created, t.changed, t.cleared) for t in record.tables],
        changes=[LoadChange(**r) for r in rows],
    )
