"""Transaction time: every load recorded, every fact traceable to the roster row that wrote it,
any load taken back (留痕).

A load is a ``Load`` node — who ran it, when it began and ended, the command, each source file
with its SHA-256 and rows, and per table what it created, changed and cleared. Every node and
link a load writes carries ``load_created``, ``load_changed`` and ``load_source`` (file:row);
what a load changes or lets go of is kept as it was in a ``Version`` node, written in the same
transaction as the change (graph/cypher/merge_*.cypher). So the record survives a crash with
the graph, a load completed by running it again resumes its own record, and the latest load
can be taken back exactly: what it created deleted, what it changed or let go of put back, the
derived links worked out again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .connection import Database
from .derived import VERSION as DERIVED_VERSION
from .derived import Touched, refresh
from .errors import BadRequest, NotFound
from .lock import WriteLock, _user
from .model import DERIVED_PROPERTY_NAMES, RELATIONSHIPS, TERRITORY, Label, Rel
from .writes import statement

# The properties provenance adds to every node and link a load writes; never the entity's own.
PROVENANCE_KEYS = frozenset({"load_created", "load_changed", "load_source"})
# The keys a Version node adds to the properties it keeps.
VERSION_KEYS = frozenset(
    {
        "version_load",
        "version_kind",
        "version_change",
        "version_of",
        "version_type",
        "version_from",
        "version_to",
        "version_source",
        "other_name",  # and other_label: what history_entity adds to a version it reads
        "other_label",
    }
)


def who() -> str:
    """The user at the host, for a load run on this machine."""
    return f"{_user()}@{socket.gethostname()}"


def now() -> str:
    """This moment, as a record says it: '2026-12-03 08:43:20+08:00'."""
    return dt.datetime.now().astimezone().isoformat(sep=" ", timespec="seconds")


@dataclass(frozen=True)
class SourceFile:
    name: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class TableCounts:
    table: str
    created: int = 0
    changed: int = 0
    cleared: int = 0


@dataclass(frozen=True)
class LoadRecord:
    """One load (or undo) as recorded."""

    number: int
    kind: str  # 'load' | 'undo'
    by: str
    began: str
    ended: str | None
    command: str
    status: str  # 'writing' | 'done' | 'interrupted' | 'undoing' | 'undone'
    files: list[SourceFile] = field(default_factory=list)
    tables: list[TableCounts] = field(default_factory=list)
    undoes: int | None = None
    undone_by: int | None = None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def begin(db: Database, by: str, command: str, files: Iterable[SourceFile]) -> int:
    """The number of the load about to write (the caller holds the write lock). A load that
    was interrupted and is run again on the same files continues its own record; one left
    unfinished by other files is marked interrupted, and a new record begins."""
    files = list(files)
    latest = db.read(statement("load_latest"))
    shas = [f.sha256 for f in files]
    if latest:
        last = latest[0]
        if last["status"] == "writing" and last["kind"] == "load":
            if list(last["file_sha256"] or []) == shas:
                return int(last["number"])
            db.write(
                statement("load_status"),
                {"number": last["number"], "status": "interrupted", "undone_by": None},
            )
    number = int(latest[0]["number"]) + 1 if latest else 1
    _record(db, number, "load", by, command, files, None)
    return number


def _record(
    db: Database,
    number: int,
    kind: str,
    by: str,
    command: str,
    files: list[SourceFile],
    undoes: int | None,
) -> None:
    db.write(
        statement("load_begin"),
        {
            "number": number,
            "kind": kind,
            "by": by,
            "began": now(),
            "command": command[:500],
            "file_names": [f.name for f in files],
            "file_sha256": [f.sha256 for f in files],
            "file_rows": [f.rows for f in files],
            "undoes": undoes,
        },
    )


def finish(db: Database, number: int, tables: Iterable[TableCounts]) -> None:
    """Record that a load (or an undo) finished, and that it left every derived link and
    property at this version of them (``derived_behind``: it worked them all out afresh if
    they were older)."""
    tables = [t for t in tables if t.created or t.changed or t.cleared]
    db.write(
        statement("load_finish"),
        {
            "number": number,
            "ended": now(),
            "count_tables": [t.table for t in tables],
            "count_created": [t.created for t in tables],
            "count_changed": [t.changed for t in tables],
            "count_cleared": [t.cleared for t in tables],
            "derived": DERIVED_VERSION,
        },
    )


def derived_behind(db: Database) -> bool:
    """Whether the graph's derived links and properties may be older than this orgnet's
    (``graph.derived.VERSION``): the latest finished load recorded an older version, or none
    (an older orgnet's, or a graph written by other means). A load or undo that finds them
    behind works them all out afresh before it finishes."""
    latest = db.read(statement("load_derived"))
    return not latest or (latest[0]["derived"] or 0) < DERIVED_VERSION


def _as_record(p: Mapping[str, Any]) -> LoadRecord:
    files = [
        SourceFile(n, s, r)
        for n, s, r in zip(
            p.get("file_names") or [], p.get("file_sha256") or [], p.get("file_rows") or [],
            strict=True,
        )
    ]  # fmt: skip
    tables = [
        TableCounts(t, c, ch, cl)
        for t, c, ch, cl in zip(
            p.get("count_tables") or [], p.get("count_created") or [],
            p.get("count_changed") or [], p.get("count_cleared") or [], strict=True,
        )
    ]  # fmt: skip
    return LoadRecord(
        number=int(p["number"]),
        kind=p.get("kind") or "load",
        by=p.get("by") or "",
        began=p.get("began") or "",
        ended=p.get("ended"),
        command=p.get("command") or "",
        status=p.get("status") or "",
        files=files,
        tables=tables,
        undoes=p.get("undoes"),
        undone_by=p.get("undone_by"),
    )


def records(db: Database) -> list[LoadRecord]:
    """Every load recorded, the latest first."""
    return [_as_record(r["props"]) for r in db.read(statement("loads_list"))]


# -- taking a load back -------------------------------------------------------------------------


@dataclass(frozen=True)
class Undone:
    """What an undo did: the load it took back and its own record's number."""

    load: int
    number: int
    deleted_nodes: int
    deleted_links: int
    restored: int


def undoable(loads: list[LoadRecord]) -> LoadRecord | None:
    """The most recent load not yet taken back (an undo itself is never taken back)."""
    for record in loads:
        if record.kind == "load" and record.status != "undone":
            return record
    return None


def undo(
    db: Database,
    *,
    number: int | None = None,
    by: str | None = None,
    command: str = "orgnet loads undo",
    wait: float = 0.0,
) -> Undone:
    """Take back the most recent load not yet taken back (``number``, when given, must be it:
    an older load is refused, naming the loads after it). The graph becomes what it was before
    that load, derived links included; the undo is recorded as a load of its own. It holds the
    write lock, as a load does; interrupted, it is completed by running it again."""
    with WriteLock(db, db.home, wait=wait):
        loads = records(db)
        target = undoable(loads)
        if target is None:
            raise NotFound("no load to take back", said="no_load_to_undo")
        if number is not None and number != target.number:
            _refuse(loads, number)
        load = target.number
        resumed = target.status == "undoing"
        db.write(statement("load_status"), {"number": load, "status": "undoing", "undone_by": None})
        touched = Touched(everything=resumed or derived_behind(db))
        did: dict[str, int] = {"created_node": 0, "created_link": 0, "version": 0}
        for row in db.read(statement("undo_touched"), {"load": load}):
            did[row["what"]] += 1
            _touch(touched, row["kind"], row["name"], row["id"], row["other"])
        db.autocommit(statement("undo_created_links"), {"load": load})
        db.autocommit(statement("undo_created_nodes"), {"load": load})
        db.autocommit(statement("undo_nodes"), {"load": load})
        for rel, spec in RELATIONSHIPS.items():
            db.autocommit(
                statement("undo_links").replace("{type}", rel.value),
                {"load": load, "key": list(spec.key)},
            )
        refresh(db, touched, load)
        mine = max((r.number for r in loads), default=0) + 1
        _record(db, mine, "undo", by or who(), command, [], load)
        finish(
            db,
            mine,
            [TableCounts("", did["created_node"] + did["created_link"], did["version"], 0)],
        )
        db.write(statement("load_status"), {"number": load, "status": "undone", "undone_by": mine})
    return Undone(load, mine, did["created_node"], did["created_link"], did["version"])


def _refuse(loads: list[LoadRecord], number: int) -> None:
    """Why load ``number``, not the latest to take back, is refused: it is not recorded, it is
    an undo, it was already taken back, or loads after it stand."""
    named = next((r for r in loads if r.number == number), None)
    if named is None:
        raise NotFound(f"no load {number}", said="no_such_load", number=number)
    if named.kind != "load":
        raise BadRequest(
            f"{number} records an undo, which is not taken back: load again instead",
            said="undo_not_undone",
            number=number,
        )
    if named.status == "undone":
        raise BadRequest(
            f"load {number} was already taken back (by {named.undone_by})",
            said="already_undone",
            number=number,
            by=named.undone_by,
        )
    later = ", ".join(
        str(r.number)
        for r in loads  # the latest first
        if r.kind == "load" and r.number > number and r.status != "undone"
    )
    raise BadRequest(
        f"load {number} is not the latest: take back {later} first",
        said="not_the_latest_load",
        number=number,
        later=later,
    )


def _touch(touched: Touched, kind: str, name: str | None, id: str, other: str | None) -> None:
    """Note what an undo changes that can change which scopes an org serves or how many
    members it has."""
    if name is None:
        return
    if kind == "node":
        if name == Label.PERSON:
            touched.member(id)
        elif name == Label.PARTY_ORG:
            touched.add(touched.orgs, id)
        elif name in (Label.UNIT, Label.PROPERTY_FIRM):
            touched.add(touched.hosts, id)
        elif name == Label.OWNERS_COMMITTEE:
            touched.add(touched.triads, id)
        elif name in TERRITORY:
            touched.add(touched.places, id)
    elif name in Rel._value2member_map_:
        touched.link(Rel(name), id)
        if Rel(name) is Rel.MEMBER_OF:
            touched.member(id, other)
        if Rel(name) is Rel.LIVES_IN:
            touched.home(id, other)
        if Rel(name) is Rel.HOLDS and other is not None:
            touched.seat(other, id)
        if Rel(name) is Rel.REPORTS_TO and other is not None:
            touched.upper(other)
        if Rel(name) is Rel.REPORTED_TO:
            touched.report(id, other)
        if Rel(name) is Rel.PART_OF:
            touched.add(touched.places, id)
            if other is not None:
                touched.parent(other)


# -- an entity's history ------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change a load made: ``change`` 'created', 'changed' or 'cleared'; of the entity's
    own property ``what``, or of its link ``link`` (a relationship type) to ``other`` — the
    link itself (``what`` None) or one of its properties — with the value as it was and as it
    became (None where there was none)."""

    change: str
    what: str | None
    before: Any = None
    after: Any = None
    link: str | None = None
    other: str | None = None
    other_name: str | None = None
    other_label: str | None = None


@dataclass(frozen=True)
class EntityVersion:
    """What one load did to an entity: when, who, which file and row, and each change."""

    load: int
    began: str
    by: str
    command: str
    source: str
    changes: list[Change]


@dataclass(frozen=True)
class History:
    id: str
    label: str
    versions: list[EntityVersion]  # the earliest first


def _own(props: Mapping[str, Any] | None) -> dict[str, Any]:
    """An entity's or link's own properties, without provenance and version keys."""
    # Not its own: provenance, the version's keys, the copies the loader derives (a form over
    # time is shown by its HAD_FORM links); and its id, which names it once, above.
    hidden = PROVENANCE_KEYS | VERSION_KEYS | DERIVED_PROPERTY_NAMES | {"id"}
    return {k: v for k, v in (props or {}).items() if k not in hidden}


def _diff(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    change: str,
    **link: Any,
) -> list[Change]:
    """Each own property whose value differs, as it was and as it became."""
    old, new = _own(before), _own(after)
    return [
        Change(change, k, old.get(k), new.get(k), **link)
        for k in sorted(set(old) | set(new))
        if old.get(k) != new.get(k) and (old.get(k) not in _EMPTY or new.get(k) not in _EMPTY)
    ]


_EMPTY: tuple[Any, ...] = (None, "", [])  # a value left blank: no change to show


def _made(
    events: dict[tuple[int, str], list[Change]], state: Mapping[str, Any], **link: Any
) -> None:
    """The creation of a link, with its properties, by the load and row that made it."""
    made = state.get("load_created")
    if made is not None:
        key = (int(made), str(state.get("load_source") or ""))
        events.setdefault(key, []).extend(
            [Change("created", None, **link), *_diff(None, state, "created", **link)]
        )


def history(db: Database, id: str) -> History:
    """Every recorded version of an entity: the load that created it, and each load that
    changed it or its links out, with the file:row that did and each value as it was → as it
    became. Versions written before provenance was kept are not known, and not shown."""
    rows = db.read(statement("history_entity"), {"id": id})
    if not rows:
        raise NotFound(f"no entity has the id {id!r}", said="no_entity", id=id)
    row = rows[0]
    # The node: its state after each load is the version the next change kept, or its present.
    versions = row["versions"]
    now_props = row["props"]
    created = now_props.get("load_created")
    first = versions[0] if versions else now_props
    events: dict[tuple[int, str], list[Change]] = {}
    if created is not None:
        events[(created, str(first.get("load_source") or ""))] = _diff(None, first, "created")
    for i, version in enumerate(versions):
        after = versions[i + 1] if i + 1 < len(versions) else now_props
        key = (int(version["version_load"]), str(version.get("version_source") or ""))
        events.setdefault(key, []).extend(_diff(version, after, "changed"))
    # Its links out: made by a load, changed or let go of by later ones.
    link_versions: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for v in row["link_versions"]:
        link_versions.setdefault((v["version_type"], v["version_to"]), []).append(v)
    present = {(link["type"], link["other_id"]): link for link in row["links"]}
    for (rel, other), kept in link_versions.items():
        link = present.get((rel, other))
        named = {
            "link": rel,
            "other": other,
            "other_name": kept[0].get("other_name"),
            "other_label": kept[0].get("other_label"),
        }
        states: list[Mapping[str, Any] | None] = [*kept, link["props"] if link else None]
        _made(events, kept[0], **named)
        for i, version in enumerate(kept):
            key = (int(version["version_load"]), str(version.get("version_source") or ""))
            later = states[i + 1]
            if version.get("version_change") == "cleared":
                events.setdefault(key, []).append(Change("cleared", None, **named))
                if later is not None:
                    _made(events, later, **named)  # made again by a later load
            else:
                events.setdefault(key, []).extend(_diff(version, later, "changed", **named))
    for (rel, other), link in present.items():
        if (rel, other) not in link_versions:
            named = {
                "link": rel,
                "other": other,
                "other_name": link["other_name"],
                "other_label": link["other_label"],
            }
            _made(events, link["props"], **named)
    loads = {r.number: r for r in records(db)}
    out = []
    for (load, source), changes in sorted(events.items()):
        if not changes:
            continue
        record = loads.get(load)
        out.append(
            EntityVersion(
                load=load,
                began=record.began if record else "",
                by=record.by if record else "",
                command=record.command if record else "",
                source=source,
                changes=changes,
            )
        )
    return History(id, row["label"], out)
