"""The engine's class-data archive: the classes an engine loads as it starts, kept ready to map.

An engine's start spends most of its CPU reading, verifying and linking the ten thousand classes
of Neo4j's jars. The JVM can keep them, parsed, in an archive that a later JVM maps instead
(HotSpot's application class-data sharing, ``-XX:ArchiveClassesAtExit`` and
``-XX:SharedArchiveFile``). Measured with JDK 17 (`orgnet db start` of an empty home, 1g heap,
the median of five): 8.2 s to READY and 13.1 s of CPU without one, 6.3 s and 9.9 s with it.

The archive is made once per build of the engine, by a training engine of its own (a scratch
home, a few of the project's own statements over Bolt), and made again when the JVM or the
engine's jars change — the stamp beside it records what it was made from. It only ever speeds a
start up: an archive the JVM cannot use is ignored by the JVM, and an archive that cannot be
made is recorded as such and not tried again until its inputs change. The offline importer
(graph.importer) runs on the same class path, and maps it too.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

Command = Callable[[Path], list[str]]

ARCHIVE = "orgnet-engine.jsa"
STAMP = "orgnet-engine.jsa.json"
LOG = "orgnet-engine.jsa.log"
TRAINING_SECONDS = 180.0


def archive_path(target: Path) -> Path:
    return target / ARCHIVE


def fingerprint(java: str, classpath: list[Path]) -> str:
    """What an archive depends on: the JVM (its binary and its libjvm) and every jar of the
    class path, by name, size and time of change — the JVM refuses an archive when any
    differs."""
    binary = Path(java).resolve()
    parts = [str(binary)]
    runtime = binary.parent.parent
    for path in [binary, runtime / "lib" / "server" / "libjvm.so", *classpath]:
        try:
            info = path.stat()
        except OSError:
            parts.append(f"{path} -")
            continue
        parts.append(f"{path} {info.st_size} {info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def jars(target: Path, launcher: Path) -> list[Path]:
    return [launcher, *sorted((target / "lib").glob("*.jar"))]


def _stamp(target: Path) -> dict:
    try:
        found = json.loads((target / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def usable(target: Path, print_: str) -> bool:
    """Whether the archive in ``target`` was made from what the engine runs now."""
    stamp = _stamp(target)
    return (
        stamp.get("fingerprint") == print_
        and stamp.get("made") is True
        and archive_path(target).is_file()
    )


def settled(target: Path, print_: str) -> bool:
    """Whether nothing is left to try: the archive is made, or making it failed, for these
    inputs."""
    stamp = _stamp(target)
    return stamp.get("fingerprint") == print_ and (
        stamp.get("made") is False or archive_path(target).is_file()
    )


def use_flags(target: Path) -> list[str]:
    """The JVM options that map the archive — quietly: the JVM's remarks on an archive it
    cannot use would land in the engine's log, where a failed start looks for its cause."""
    where = f"-XX:SharedArchiveFile={archive_path(target)}"
    return [where, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]


def make(target: Path, print_: str, command: Command, port: int) -> None:
    """Train an engine (``command(home)`` its JVM's command line, Bolt on ``port``) that
    writes its classes at exit, in a scratch home; record the outcome in the stamp."""
    home = Path(tempfile.mkdtemp(prefix="orgnet-archive-"))
    written = target / f".{ARCHIVE}.{os.getpid()}"
    written.unlink(missing_ok=True)
    why = ""
    try:
        why = _train(command, port, home, written, target / LOG)
        if not why and written.is_file() and written.stat().st_size > 0:
            os.replace(written, archive_path(target))
        elif not why:
            why = "the JVM wrote no archive (see " + str(target / LOG) + ")"
    except OSError as e:
        why = str(e)
    finally:
        written.unlink(missing_ok=True)
        shutil.rmtree(home, ignore_errors=True)
    if why:
        archive_path(target).unlink(missing_ok=True)
    stamp = {"fingerprint": print_, "made": not why, "why": why, "at": time.strftime("%F %T")}
    (target / STAMP).write_text(json.dumps(stamp, ensure_ascii=False) + "\n", encoding="utf-8")


def _train(command: Command, port: int, home: Path, written: Path, log_path: Path) -> str:
    """Run the training engine; what went wrong, or "" when it ran and stopped cleanly."""
    home.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    fd = os.open(home / "password", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(password + "\n")
    argv = command(home)
    argv.insert(1, f"-XX:ArchiveClassesAtExit={written}")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=home
        )
    try:
        deadline = time.monotonic() + TRAINING_SECONDS
        while b"READY" not in log_path.read_bytes():
            if proc.poll() is not None:
                return f"the training engine stopped as it started (see {log_path})"
            if time.monotonic() > deadline:
                return "the training engine did not start in time"
            time.sleep(0.2)
        _exercise(f"bolt://127.0.0.1:{port}", password)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=TRAINING_SECONDS)
    except Exception as e:  # a training that fails only costs the speed-up
        return f"training the archive failed: {type(e).__name__}: {e}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return ""


def _exercise(uri: str, password: str) -> None:
    """What every command does first, so that its classes are in the archive too: connect,
    create the schema, write nodes and links with the loader's own statements, read."""
    from .connection import Database, _load_driver
    from .model import Label, Rel
    from .schema import ensure_schema
    from .writes import merge_nodes, merge_relationships, node_row, relationship_row, statement

    _load_driver()
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
        db = Database(driver, "neo4j", uri)
        ensure_schema(db)
        rows = [node_row(f"D{i}", {"name": f"区{i}"}, f"t.csv:{i}") for i in range(3)]
        db.write(merge_nodes(Label.DISTRICT), {"rows": rows, "load": 1})
        rows = [node_row(f"S{i}", {"name": f"街道{i}"}, f"t.csv:{i}") for i in range(6)]
        db.write(merge_nodes(Label.STREET), {"rows": rows, "load": 1})
        links = [
            relationship_row(Rel.PART_OF, f"S{i}", f"D{i % 3}", {}, f"t.csv:{i}") for i in range(6)
        ]
        db.write(merge_relationships(Rel.PART_OF), {"rows": links, "load": 1})
        db.read(statement("count_nodes"))
