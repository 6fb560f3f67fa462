"""Where each figure came from (留痕): the record of loads, and one entity's versions, as
answers every front door shows — the facts are kept by ``graph.provenance``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from orgnet.graph import provenance
from orgnet.graph.connection import Database
from orgnet.graph.model import NODES, Label

from .disclosure import Name, Ref
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
    rows = []
    for r in provenance.records(db):
        rows.append(
            LoadRow(
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
        )
    return Loads(rows)


@dataclass(frozen=True)
class HistoryRow:
    """One change: by which load (when, by whom, from which file:row), its ``action``
    (``created``, ``changed`` or ``cleared``); of the entity's property ``what``, or of its
    link ``link`` to ``other_id`` — the link itself (no ``what``) or one of its properties."""

    load: int
    began: str
    by: str
    file_row: str
    action: str  # created, changed or cleared
    link: str | None
    other_id: Annotated[str | None, Ref()]
    other_name: Annotated[str | None, Name("other_id")]
    what: str | None
    before: Any
    after: Any


@dataclass(frozen=True)
class EntityHistory:
    entity: Entity
    changes: list[HistoryRow]  # the earliest first


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
    rows = []
    for v in kept.versions:
        for c in v.changes:
            before, after = c.before, c.after
            if c.link is None and _personal(kept.label, c.what):
                before, after = phone_for(before, show_phone), phone_for(after, show_phone)
            rows.append(
                HistoryRow(
                    load=v.load, began=v.began, by=v.by, file_row=v.source, action=c.change,
                    link=c.link, other_id=c.other, other_name=c.other_name, what=c.what,
                    before=before, after=after,
                )
            )  # fmt: skip
    return EntityHistory(found, rows)
