"""Neo4j's offline importer (``neo4j-admin database import full``) run on the embedded engine's
store, from the jars the engine already has.

It writes a database whole, from CSV files, at many times the speed of transactions — but only
into a store no database service has open. So the engine of the home runs it in its own JVM,
asked through its pipe (``graph.engine``, ``EmbeddedEngine.request``; ``engine/``'s Engine.java):
it shuts its database service down, imports, and opens the service again. The code that JVM has
compiled stays, where a JVM started for the import and another for the engine after would start
cold and compile it again: a street's first load took 21 s that way, the derived links and steps
planned by the fresh engine most of it. While it runs, a file lock (``importing`` in the home)
keeps any other command from waiting on the engine or starting one on the half-written store.
What it was given is replaced: it is for a database that holds nothing yet (``loaders.bulk``
decides).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from .engine import _NO_SPACE, IMPORT_LOCK, EmbeddedEngine, _cause, free_space, megabytes
from .errors import DiskFull, EngineError, OrgnetError


@dataclass(frozen=True)
class Group:
    """Files the importer reads as one: a header file, then data files without one.
    ``name`` is the nodes' labels ('Person:Entity') or the links' type ('MEMBER_OF')."""

    name: str
    files: tuple[Path, ...]

    def argument(self) -> str:
        return f"{self.name}=" + ",".join(str(f) for f in self.files)


@contextlib.contextmanager
def _holding(home: Path) -> Iterator[int]:
    """The home's import lock, held (its descriptor yielded)."""
    fd = os.open(home / IMPORT_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def import_full(
    engine: EmbeddedEngine,
    database: str,
    nodes: list[Group],
    relationships: list[Group],
) -> float:
    """Replace ``database`` of the engine's store with the import of these files; returns the
    seconds the importer took. The engine runs it in its own JVM, its database service shut
    down meanwhile and opened again after, whatever happened; an import that failed leaves the
    database empty (the engine makes it anew)."""
    home = engine.home
    conf = home / "import"
    conf.mkdir(mode=0o700, exist_ok=True)
    # Its logs beside the engine's; everything else as the engine has it (the store under
    # data/, Neo4j's own defaults), so that the engine opens what it wrote.
    (conf / "neo4j.conf").write_text(f"server.directories.logs={home / 'logs'}\n")
    arguments = [
        "database",
        "import",
        "full",
        database,
        "--overwrite-destination=true",
        # A row is a line: validation refuses a line break in a value (one that came through
        # would be quoted, and fail the import loudly rather than split a row).
        "--multiline-fields=false",
        "--skip-bad-entries-logging=true",
        "--verbose",  # a failure says its cause (the exception), not only that it failed
        f"--report-file={home / 'logs' / 'import.report'}",
        f"--max-off-heap-memory={engine.settings.orgnet_pagecache}",
        *(f"--nodes={g.argument()}" for g in nodes),
        *(f"--relationships={g.argument()}" for g in relationships),
    ]
    if any("\n" in a for a in arguments):
        raise EngineError(f"a file to import has a line break in its name: {arguments}")
    given = conf / "arguments"
    fd = os.open(given, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(arguments) + "\n")
    log = home / "logs" / "import.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    # An engine that does not read its pipe (started by an older orgnet) is started anew.
    engine.start()
    if not engine.listening():
        engine.restart()
    try:
        with _holding(home):
            with open(log, "ab") as out:
                offset = out.tell()
                out.write(f"\n--- import {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
            pid = engine.status().pid
            said_from = _size(engine.log_file)
            started = time.perf_counter()
            if pid is None or not engine.request(f"import {database} {given}"):
                raise _not_taken(engine)
            try:
                code = _imported(engine, pid, said_from)
            except BaseException:
                # Interrupted, or the engine ended midway: what it wrote is removed, and it is
                # started again on the store without it.
                _end(pid)
                _clear(home / "data", database)
                raise
            seconds = time.perf_counter() - started
        if code != 0:
            raise _failure(home, log, offset)
    finally:
        given.unlink(missing_ok=True)
        engine.start()
    return seconds


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


_IMPORTED = re.compile(r"^IMPORTED (-?\d+)$.*^READY", re.M | re.S)
_REFUSED = re.compile(r"^REFUSED ", re.M)


def _imported(engine: EmbeddedEngine, pid: int, offset: int) -> int:
    """The importer's exit code, once the engine says it and that it answers again."""
    while True:
        said = engine.said_since(offset)
        found = _IMPORTED.search(said)
        if found:
            return int(found.group(1))
        if _REFUSED.search(said):  # a request it does not take: never imported
            raise _not_taken(engine)
        if engine.status().pid != pid:  # ended (a zombie counts as ended)
            raise EngineError(
                f"the engine stopped during the import (its log: {engine.log_file}); nothing "
                f"was written — load again",
                said="import_engine_stopped",
                log=engine.log_file,
            )
        time.sleep(0.1)


def _not_taken(engine: EmbeddedEngine) -> EngineError:
    return EngineError(
        f"the engine of {engine.home} did not take the request to import (its log: "
        f"{engine.log_file}); nothing was written",
        said="import_not_taken",
        home=engine.home,
        log=engine.log_file,
    )


def _end(pid: int) -> None:
    """The engine killed, and waited for until it is reaped: it was writing the store. (Not as
    `graph.engine._ended` waits, which takes a zombie for ended: the start that followed found
    the killed JVM's port still taken.)"""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(psutil.Error):
        psutil.Process(pid).wait(30)


def _clear(neo4j_home: Path, database: str) -> None:
    """What a failed import left of the database: removed, so the engine starts it empty."""
    for folder in ("databases", "transactions"):
        shutil.rmtree(neo4j_home / "data" / folder / database, ignore_errors=True)


def _failure(home: Path, log: Path, offset: int) -> OrgnetError:
    with open(log, "rb") as f:
        f.seek(offset)
        said = f.read().decode("utf-8", errors="replace")
    free = free_space(home)
    if _NO_SPACE.search(said):
        return DiskFull(
            f"the disk holding {home} filled up during the import ({megabytes(free)} free); "
            f"nothing was written — free some space and load again",
            said="disk_full_import",
            home=home,
            free=megabytes(free),
        )
    return EngineError(
        f"the offline import failed: {_cause(said)} (its log: {log}); nothing was written",
        said="import_failed",
        cause=_cause(said),
        log=log,
    )
