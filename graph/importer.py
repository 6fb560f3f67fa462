"""Neo4j's offline importer (``neo4j-admin database import full``) run on the embedded engine's
store, from the jars the engine already has.

It writes a database whole, from CSV files, at many times the speed of transactions — but only
into a store no engine has open. So the engine of the home is stopped for it and started again
after; while it runs, a file lock (``importing`` in the home) keeps any other command from
starting the engine on the half-written store. What it was given is replaced: it is for a
database that holds nothing yet (``loaders.bulk`` decides).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .engine import _NO_SPACE, IMPORT_LOCK, EmbeddedEngine, _cause, free_space, megabytes
from .errors import DiskFull, EngineError, OrgnetError

MAIN_CLASS = "org.neo4j.cli.AdminTool"


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
    """The home's import lock, held (its descriptor yielded: the importer inherits it, so the
    lock lasts as long as either process)."""
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
    seconds the importer took. The engine is stopped first and started again after, whatever
    happened; an import that failed leaves the database empty (the engine makes it anew)."""
    home = engine.home
    java = engine._require_java()
    engine.build()
    conf = home / "import"
    conf.mkdir(mode=0o700, exist_ok=True)
    # Its logs beside the engine's; everything else as the engine has it (the store under
    # data/, Neo4j's own defaults), so that the engine opens what it wrote.
    (conf / "neo4j.conf").write_text(f"server.directories.logs={home / 'logs'}\n")
    log = home / "logs" / "import.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        java,
        # The engine's class archive: the importer runs on the same jars.
        *engine.archived(java),
        f"-Xmx{engine.settings.orgnet_heap}",
        "-XX:+UseG1GC",
        "-Dfile.encoding=UTF-8",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "-cp",
        engine.classpath(),
        MAIN_CLASS,
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
    environment = {
        **os.environ,
        "NEO4J_HOME": str(home / "data"),
        "NEO4J_CONF": str(conf),
    }
    environment.pop("JAVA_TOOL_OPTIONS", None)
    try:
        with _holding(home) as fd:
            engine.stop()
            started = time.perf_counter()
            with open(log, "ab") as out:
                offset = out.tell()
                out.write(f"\n--- import {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
                out.flush()
                done = subprocess.run(
                    command,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    env=environment,
                    cwd=home,
                    pass_fds=(fd,),
                    umask=0o077,
                    check=False,
                )
            seconds = time.perf_counter() - started
            if done.returncode != 0:
                raise _failure(home, log, offset)
    except BaseException:
        _clear(home / "data", database)
        raise
    finally:
        engine.start()
    return seconds


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
