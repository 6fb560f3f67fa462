"""What goes wrong around the engine is said in one line naming its cause, and what can come back
comes back by itself: a full disk (named, and the database recovered once space is freed, with
no restart by hand), too few open files, a port taken between the check and the bind, a JVM
that refuses its options, a lock file that cannot be written, an engine killed mid-load."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from orgnet.graph import engine as engine_module
from orgnet.graph.connection import Database, connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.errors import DiskFull, EngineError
from orgnet.graph.settings import Settings
from orgnet.loaders.load import load_dataset

from .datasets import street_with_two_communities
from .dump import ORGNET, dump, write_dataset
from .hostile import refused, run

# Engines of homes of their own, started for a moment each (tests/conftest.py, QUICK_JVM).
pytestmark = pytest.mark.usefixtures("quick_jvms")


@pytest.fixture
def cli_env(cli_env: dict) -> dict:
    """These tests read what the command says in English (ORGNET_LANG=en); the Chinese words
    are the same catalogue's (test_words.py holds both to the same keys)."""
    return {**cli_env, "ORGNET_LANG": "en"}


ENGINE, UNREACHABLE = 6, 5


def one_line(done: subprocess.CompletedProcess) -> str:
    """The one line a failed command said (a progress bar is not said when not a terminal)."""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: "), lines
    return lines[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(cli_env: dict, settings: Settings) -> dict:
    return dict(
        cli_env,
        ORGNET_HOME=str(settings.orgnet_home),
        ORGNET_PORT=str(settings.orgnet_port),
        ORGNET_HEAP=settings.orgnet_heap,
        ORGNET_PAGECACHE=settings.orgnet_pagecache,
    )


# -- a full disk ----------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A file system of 640 MB of its own (an empty store takes about 520 of it)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    disk = tmp_path / "disk"
    disk.mkdir(mode=0o700)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=640m,mode=0700", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"this machine does not let a test mount a file system: {done.stderr}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def _fill(disk: Path, leave: int = 0) -> Path:
    """Fill ``disk`` but ``leave`` bytes; the file that fills it."""
    filler = disk / f"filler-{len(list(disk.glob('filler-*')))}"
    free = shutil.disk_usage(disk).free
    try:
        with open(filler, "wb") as f:
            f.write(b"\0" * max(free - leave, 0))
    except OSError as e:  # full already (seen once: the engine's own files took the rest)
        if e.errno != errno.ENOSPC:
            raise
    return filler


class _FillWhenWriting:
    """A reporter that fills the disk the moment a load begins to write: what was copied and
    validated is in; what the engine writes next finds no room."""

    def __init__(self, disk: Path) -> None:
        self.disk = disk

    def phase(self, name: str, total: int) -> None:
        if name == "writing":
            _fill(self.disk)

    def advance(self, rows: int) -> None:
        pass


def test_a_full_disk_is_named_and_the_database_comes_back_once_space_is_freed(
    small_disk: Path, db: Database, tmp_path: Path, cli_env: dict
) -> None:
    # A street: the disk fills before the first write of any roster, so a small one says as
    # much as the demo did, and costs less in the engines this test starts.
    street = write_dataset(tmp_path / "street", street_with_two_communities())
    load_dataset(db, street)
    clean = dump(db)  # the same dataset loaded where the disk has room

    settings = Settings(
        orgnet_home=small_disk / "home",
        orgnet_port=_free_port(),
        orgnet_heap="512m",
        orgnet_pagecache="64m",
    )
    env = _env(cli_env, settings)
    engine = EmbeddedEngine(settings)
    try:
        engine.start()
        first = engine.status().pid
        with connect(settings) as small:
            # No room to copy the roster into: said, and nothing is loaded.
            filler = _fill(small_disk)
            line = one_line(refused(run("load", str(street), env=env), UNREACHABLE))
            assert "is full" in line and "nothing was loaded" in line, line
            assert small.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
            filler.unlink(missing_ok=True)

            # Room for the copy, none for the store: the engine's failure is named as the disk.
            with pytest.raises(DiskFull, match=r"the disk holding the database .* is full"):
                load_dataset(small, street, reporter=_FillWhenWriting(small_disk))

        # The database stopped itself; while the disk stays full, every command says so.
        line = one_line(refused(run("db", "status", env=env), UNREACHABLE))
        assert "is full" in line, line
        line = one_line(refused(run("census", env=env), UNREACHABLE))
        assert "is full" in line, line

        # Space freed: the next command brings the database back (no `db stop`/`db start`), and
        # the load run again completes what it had written.
        for filler in small_disk.glob("filler-*"):
            filler.unlink()
        done = run("load", str(street), env=env)
        assert done.returncode == 0, done.stderr
        assert engine.status().pid != first  # the engine was restarted, by orgnet
        assert run("db", "status", env=env).returncode == 0
        with connect(settings) as small:
            assert dump(small) == clean
    finally:
        engine.stop()


# -- starting the engine --------------------------------------------------------------------------


def _limited(files: tuple[int, int]) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, files)

    return limit


def test_too_few_open_files_is_said_before_the_engine_starts(tmp_path: Path, cli_env: dict) -> None:
    env = {k: v for k, v in cli_env.items() if k != "ORGNET_PORT"}
    env.update(ORGNET_HOME=str(tmp_path / "home"), ORGNET_HEAP="512m", ORGNET_PAGECACHE="64m")
    done = subprocess.run(
        [*ORGNET, "db", "start"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited((200, 200)),
    )
    line = one_line(refused(done, ENGINE, "only 200 files", "ulimit -n"))
    assert "\ufffd" not in line
    assert not (tmp_path / "home" / "engine.pid").exists()  # no JVM was left to fail


def test_a_setting_the_home_s_neo4j_conf_gets_wrong_is_named_with_the_file(
    tmp_path: Path, cli_env: dict
) -> None:
    env = {k: v for k, v in cli_env.items() if k != "ORGNET_PORT"}
    env.update(ORGNET_HOME=str(tmp_path / "home"), ORGNET_HEAP="512m", ORGNET_PAGECACHE="64m")
    (tmp_path / "home").mkdir(mode=0o700)
    conf = tmp_path / "home" / "neo4j.conf"
    for wrong, said in (
        ("dbms.cypher.min_replan_interval=banana", "dbms.cypher.min_replan_interval"),
        ("no.such.setting=1", "no.such.setting"),
    ):
        conf.write_text(wrong + "\n")
        line = one_line(refused(run("db", "start", env=env), ENGINE, str(conf), said))
        assert "\ufffd" not in line
        assert not (tmp_path / "home" / "engine.pid").exists()  # no JVM was left running
        assert not (tmp_path / "home" / "data").exists()  # nor a store made


def test_a_port_taken_as_the_engine_binds_it_is_left_for_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check that a port is free and the JVM's bind are apart; a port taken in between
    makes the engine try another (when no port is pinned) — and a low limit of open files is
    raised for it."""
    settings = Settings(
        orgnet_home=tmp_path / "home", orgnet_port=None, orgnet_heap="512m", orgnet_pagecache="64m"
    )
    engine = EmbeddedEngine(settings)
    engine.ensure_home()
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    taken = holder.getsockname()[1]
    engine.port_file.write_text(f"{taken}\n")
    checks = {"lied": 0}
    real_check = engine_module._port_free

    def free_until_bound(port: int) -> bool:  # the race: free when checked, taken at the bind
        if port == taken and checks["lied"] < 2:
            checks["lied"] += 1
            return True
        return real_check(port)

    monkeypatch.setattr(engine_module, "_port_free", free_until_bound)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        status = engine.start()
        assert checks["lied"] == 2
        assert status.running and status.port != taken
        assert int(engine.port_file.read_text()) == status.port  # the next start uses it
        assert status.pid is not None
        jvm_files = psutil.Process(status.pid).rlimit(psutil.RLIMIT_NOFILE)[0]
        assert jvm_files >= min(engine_module.FILES_RECOMMENDED, hard), jvm_files
        assert "Address already in use" in engine.log_file.read_text()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        holder.close()
        engine.stop()


def test_a_pinned_port_taken_as_the_engine_binds_it_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        settings = Settings(
            orgnet_home=tmp_path / "home", orgnet_port=port, orgnet_heap="512m",
            orgnet_pagecache="64m",
        )  # fmt: skip
        monkeypatch.setattr(engine_module, "_port_free", lambda p: True)
        with pytest.raises(EngineError) as refused_start:
            EmbeddedEngine(settings).start()
    message = str(refused_start.value)
    assert f"port {port} (ORGNET_PORT) was taken" in message and "\n" not in message


def test_a_heap_the_jvm_refuses_is_named_in_one_line(tmp_path: Path, cli_env: dict) -> None:
    env = {k: v for k, v in cli_env.items() if k != "ORGNET_PORT"}
    env.update(ORGNET_HOME=str(tmp_path / "home"), ORGNET_HEAP="lots", ORGNET_PAGECACHE="64m")
    line = one_line(refused(run("db", "start", env=env), ENGINE, "ORGNET_HEAP 'lots'"))
    assert "engine.out" in line  # where the whole of it is


@pytest.mark.parametrize(
    ("said", "words"),
    [
        (
            'Exception in thread "main" java.lang.RuntimeException: Error starting Neo4j\n'
            "\tat org.neo4j.Foo.bar(Foo.java:1)\n"
            "Caused by: java.io.IOException: Too many open files\n\t... 5 more\n",
            "ran out of open files",
        ),
        (
            "Caused by: java.io.UncheckedIOException: java.io.IOException: No space left on "
            "device\n\tat x\n",
            "is full",
        ),
        (
            "Error occurred during initialization of VM\nCould not reserve enough space for "
            "object heap\n",
            "could not have the memory",
        ),
        (
            "Caused by: org.neo4j.kernel.StoreLockException: Unable to obtain lock on store lock "
            "file\n",
            "held by another process",
        ),
        (
            'Exception in thread "main" java.lang.RuntimeException: Error starting Neo4j\n'
            "\tat a.b(C.java:1)\nCaused by: java.lang.IllegalStateException: the store is of a "
            "newer format\n\tat d.e(F.java:2)\n",
            "the store is of a newer format (IllegalStateException)",
        ),
    ],
    ids=["files", "disk", "memory", "locked", "deepest cause"],
)
def test_a_failed_start_is_said_by_its_cause(
    said: str, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "free_space", lambda path: 10 * 2**30)
    engine = EmbeddedEngine(Settings(orgnet_home=tmp_path / "home", orgnet_port=_free_port()))
    failure = engine._failure(said)
    assert words in str(failure)
    assert "\n" not in str(failure) and "\t" not in str(failure)
    assert isinstance(failure, DiskFull) == (words == "is full")


# -- the write lock and a killed engine ----------------------------------------------------------


def test_a_lock_file_that_cannot_be_written_is_named(
    db: Database, engine: EmbeddedEngine, tmp_path: Path, cli_env: dict
) -> None:
    folder = write_dataset(tmp_path / "data", street_with_two_communities())
    lock = engine.home / "write.lock"
    aside = engine.home / "write.lock.aside"
    if lock.exists():
        lock.rename(aside)
    lock.mkdir()  # what no user can write a lock into (root writes a read-only file)
    try:
        line = one_line(refused(run("load", str(folder), env=cli_env), ENGINE))
        assert f"cannot take the write lock {lock}" in line, line
        assert "fault in orgnet" not in line
        assert dump(db) == ([], [])
    finally:
        lock.rmdir()
        if aside.exists():
            aside.rename(lock)
