"""The engine's class-data archive (graph.class_archive): made once per build of the engine,
mapped by every engine after, and never in the way of a start — an archive that cannot be made
or cannot be used leaves the engine starting as it would without one."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from orgnet.graph import class_archive
from orgnet.graph.connection import connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.settings import Settings

from .conftest import _free_port

pytestmark = pytest.mark.usefixtures("quick_jvms")


def _mapped(pid: int) -> set[str]:
    """The files a process has mapped into its memory."""
    with open(f"/proc/{pid}/maps", encoding="utf-8") as maps:
        return {line.split(maxsplit=5)[5].strip() for line in maps if len(line.split()) > 5}


def test_the_test_engine_maps_the_archive_its_build_made(engine: EmbeddedEngine) -> None:
    target = engine.engine_dir / "target"
    stamp = json.loads((target / class_archive.STAMP).read_text(encoding="utf-8"))
    assert stamp["made"] is True, stamp
    pid = engine.status().pid
    assert pid is not None
    assert str(class_archive.archive_path(target)) in _mapped(pid)


def test_the_fingerprint_changes_with_any_jar_and_only_then(tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java is not None
    (tmp_path / "lib").mkdir()
    launcher = tmp_path / "orgnet-engine.jar"
    for path in (launcher, tmp_path / "lib" / "a.jar", tmp_path / "lib" / "b.jar"):
        path.write_bytes(b"PK")
    first = class_archive.fingerprint(java, class_archive.jars(tmp_path, launcher))
    assert class_archive.fingerprint(java, class_archive.jars(tmp_path, launcher)) == first
    os.utime(tmp_path / "lib" / "b.jar", ns=(1, 1))
    touched = class_archive.fingerprint(java, class_archive.jars(tmp_path, launcher))
    (tmp_path / "lib" / "c.jar").write_bytes(b"PK")
    added = class_archive.fingerprint(java, class_archive.jars(tmp_path, launcher))
    launcher.write_bytes(b"PK2")
    rebuilt = class_archive.fingerprint(java, class_archive.jars(tmp_path, launcher))
    assert len({first, touched, added, rebuilt}) == 4


@pytest.fixture
def own_build(tmp_path: Path, settings: Settings) -> Path:
    """An engine folder of its own that counts as built: the sources copied, the launcher's
    jar copied after them, Neo4j's jars linked (the test engine's build is left alone)."""
    built = settings.orgnet_engine_dir
    folder = tmp_path / "engine"
    shutil.copytree(built, folder, ignore=shutil.ignore_patterns("target"))
    (folder / "target").mkdir()
    shutil.copyfile(built / "target" / "orgnet-engine.jar", folder / "target" / "orgnet-engine.jar")
    (folder / "target" / "lib").symlink_to(built / "target" / "lib")
    return folder


def _engine(tmp_path: Path, folder: Path) -> EmbeddedEngine:
    return EmbeddedEngine(
        Settings(
            orgnet_home=tmp_path / "home",
            orgnet_port=_free_port(),
            orgnet_heap="512m",
            orgnet_pagecache="64m",
            orgnet_engine_dir=folder,
        )
    )


def test_an_archive_that_cannot_be_made_is_tried_once_and_the_engine_starts(
    tmp_path: Path, own_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the JDK's own archive beneath it, a JVM cannot write one of its own.
    monkeypatch.setenv("JDK_JAVA_OPTIONS", "-Xshare:off -XX:TieredStopAtLevel=1")
    engine = _engine(tmp_path, own_build)
    target = own_build / "target"
    try:
        status = engine.start()
        assert status.running
        with connect(engine.settings, start=False) as db:
            assert db.read("RETURN 1 AS one") == [{"one": 1}]
    finally:
        engine.stop()
    stamp = json.loads((target / class_archive.STAMP).read_text(encoding="utf-8"))
    assert stamp["made"] is False and "stopped as it started" in stamp["why"]
    assert not class_archive.archive_path(target).exists()
    assert not list(target.glob(".orgnet-engine.jsa.*")), "a half-written archive was left"
    # Not tried again for the same JVM and jars.
    java = shutil.which("java")
    assert java is not None
    before = (target / class_archive.STAMP).stat().st_mtime_ns
    assert engine.archived(java) == []
    assert (target / class_archive.STAMP).stat().st_mtime_ns == before


def test_an_archive_the_jvm_cannot_use_is_ignored(tmp_path: Path, own_build: Path) -> None:
    java = shutil.which("java")
    assert java is not None
    engine = _engine(tmp_path, own_build)
    target = own_build / "target"
    # Garbage where the archive should be, with a stamp that vouches for it.
    class_archive.archive_path(target).write_bytes(b"not an archive" * 1000)
    print_ = class_archive.fingerprint(java, class_archive.jars(target, engine.launcher))
    stamp = {"fingerprint": print_, "made": True, "why": "", "at": ""}
    (target / class_archive.STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    try:
        status = engine.start()
        assert status.running and status.pid is not None
        assert str(class_archive.archive_path(target)) not in _mapped(status.pid)
        with connect(engine.settings, start=False) as db:
            assert db.read("RETURN 1 AS one") == [{"one": 1}]
    finally:
        engine.stop()
