"""The engine and how orgnet reaches a database: the embedded engine in its home, its clear
refusals (no Java, no Maven, port taken), two homes side by side, and an external server named
by NEO4J_URI, which is used instead of the embedded engine and never starts it."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from orgnet.graph.connection import connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.errors import EngineError, EngineUnavailable
from orgnet.graph.settings import Settings

from .datasets import street_with_two_communities
from .dump import count, orgnet, write_dataset

# Engines of homes of their own, started for a moment each (tests/conftest.py, QUICK_JVM).
pytestmark = pytest.mark.usefixtures("quick_jvms")


@pytest.fixture
def cli_env(cli_env: dict) -> dict:
    """These tests read what the command says in English (ORGNET_LANG=en); the Chinese words
    are the same catalogue's (test_words.py holds both to the same keys)."""
    return {**cli_env, "ORGNET_LANG": "en"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _home_settings(home: Path, **overrides: object) -> Settings:
    return Settings(
        orgnet_home=home,
        orgnet_port=overrides.pop("orgnet_port", _free_port()),
        orgnet_heap="512m",
        orgnet_pagecache="128m",
        **overrides,
    )


# -- the embedded engine ----------------------------------------------------------------------


def test_the_password_file_is_readable_by_its_owner_only(engine: EmbeddedEngine) -> None:
    mode = stat.S_IMODE(engine.password_file.stat().st_mode)
    assert mode == 0o600
    assert len(engine.password()) >= 24


def test_bolt_listens_on_loopback_only(engine: EmbeddedEngine) -> None:
    port = engine.status().port
    assert port is not None
    import psutil

    listening = [
        c.laddr
        for c in psutil.Process(engine.status().pid).net_connections(kind="tcp")
        if c.status == psutil.CONN_LISTEN and c.laddr.port == port
    ]
    assert listening
    for address in listening:  # Java may bind an IPv6 socket to the IPv4-mapped loopback
        ip = ipaddress.ip_address(address.ip)
        assert (getattr(ip, "ipv4_mapped", None) or ip) == ipaddress.ip_address("127.0.0.1")


def test_the_engine_sends_no_usage_report(engine: EmbeddedEngine, settings: Settings) -> None:
    """Neo4j reports a store's counts and size to Neo4j every day unless told not to."""
    with connect(settings) as db:
        said = db.read(
            "SHOW SETTINGS YIELD name, value WHERE name = 'dbms.usage_report.enabled' RETURN value"
        )
    assert said == [{"value": "false"}]
    log = engine.home / "logs" / "debug.log"
    assert "Usage Data is being sent" not in log.read_text(encoding="utf-8", errors="replace")


def test_two_homes_run_side_by_side(engine: EmbeddedEngine, tmp_path: Path) -> None:
    """Two homes run side by side, each with the Neo4j settings its neo4j.conf gives, but never
    against the engine's own (authentication on, the usage report off)."""
    (tmp_path / "other").mkdir(mode=0o700)
    (tmp_path / "other" / "neo4j.conf").write_text(
        "dbms.cypher.min_replan_interval=7s\n"
        "dbms.security.auth_enabled=false\n"
        "dbms.usage_report.enabled=true\n"
    )
    other = EmbeddedEngine(_home_settings(tmp_path / "other"))
    try:
        status = other.start()
        assert status.running and status.port != engine.status().port
        with connect(other.settings) as db:
            db.write("CREATE (:Marker {id: 'only-here'})")
            assert count(db, "(:Marker)") == 1
            said = db.read(
                "SHOW SETTINGS YIELD name, value WHERE name IN $names "
                "RETURN name, value ORDER BY name",
                {"names": ["dbms.cypher.min_replan_interval", "dbms.security.auth_enabled",
                           "dbms.usage_report.enabled"]},
            )  # fmt: skip
        assert [r["value"] for r in said] == ["7s", "true", "false"], said
        with connect(engine.settings) as db:
            assert count(db, "(:Marker)") == 0
        assert (tmp_path / "other" / "data").is_dir()
    finally:
        assert other.stop()
    assert not other.status().running
    assert engine.status().running


def test_a_taken_port_is_named(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        engine = EmbeddedEngine(_home_settings(tmp_path / "home", orgnet_port=port))
        with pytest.raises(EngineError, match=f"port {port} on 127.0.0.1 is taken"):
            engine.start()


def test_missing_java_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    engine = EmbeddedEngine(_home_settings(tmp_path / "home"))
    with pytest.raises(EngineError, match="Java is not installed"):
        engine.start()


def test_missing_maven_is_named_when_the_engine_needs_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    unbuilt = tmp_path / "engine"
    shutil.copytree(settings.orgnet_engine_dir, unbuilt, ignore=shutil.ignore_patterns("target"))
    java = shutil.which("java")
    assert java is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "java").symlink_to(java)
    monkeypatch.setenv("PATH", str(bin_dir))
    engine = EmbeddedEngine(_home_settings(tmp_path / "home", orgnet_engine_dir=unbuilt))
    with pytest.raises(EngineError, match=r"Maven \(mvn\) is not installed"):
        engine.start()


def test_the_command_reports_an_engine_error_with_its_exit_code(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    env = dict(cli_env, PATH=str(tmp_path), ORGNET_HOME=str(tmp_path / "home"))
    env["ORGNET_PORT"] = str(_free_port())
    done = orgnet("db", "start", env=env)
    assert done.returncode == EngineError.exit_code
    assert "Java is not installed" in done.stderr
    assert "Traceback" not in done.stderr


# -- an external server (NEO4J_URI) ------------------------------------------------------------


@pytest.fixture
def external_env(engine: EmbeddedEngine, cli_env: dict[str, str], tmp_path: Path) -> dict:
    """The test engine, reached as an external server from a home that has no engine."""
    status = engine.status()
    return dict(
        cli_env,
        NEO4J_URI=f"neo4j://127.0.0.1:{status.port}",  # a routing URI, as for a cluster
        NEO4J_USER="neo4j",
        NEO4J_PASSWORD=engine.password(),
        NEO4J_DATABASE="neo4j",
        ORGNET_HOME=str(tmp_path / "unused-home"),
        ORGNET_PORT=str(_free_port()),
    )


def test_an_external_server_is_used_and_no_engine_is_started(
    db, external_env: dict, tmp_path: Path
) -> None:
    files = street_with_two_communities()
    write_dataset(tmp_path / "data", files)
    loaded = orgnet("load", str(tmp_path / "data"), env=external_env)
    assert loaded.returncode == 0, loaded.stderr
    # Written to the server named by NEO4J_URI, which is the test engine.
    assert count(db, "(:Estate)") == len(files["estates"]) > 0
    summary = orgnet("coverage", env=external_env)
    assert summary.returncode == 0, summary.stderr
    status = orgnet("db", "status", env=external_env)
    assert "external database: neo4j://127.0.0.1" in status.stdout
    assert not (tmp_path / "unused-home").exists()


def test_db_start_refuses_to_start_an_engine_beside_an_external_server(
    external_env: dict, tmp_path: Path
) -> None:
    done = orgnet("db", "start", env=external_env)
    assert "NEO4J_URI" in done.stdout + done.stderr
    assert not (tmp_path / "unused-home").exists()


def test_wrong_credentials_for_an_external_server(external_env: dict, tmp_path: Path) -> None:
    done = orgnet("coverage", env=dict(external_env, NEO4J_PASSWORD="not-the-password"))
    assert done.returncode == EngineUnavailable.exit_code
    assert "refused the credentials" in done.stderr
    assert not (tmp_path / "unused-home").exists()


def test_an_unreachable_external_server(external_env: dict) -> None:
    done = orgnet("coverage", env=dict(external_env, NEO4J_URI=f"bolt://127.0.0.1:{_free_port()}"))
    assert done.returncode == EngineUnavailable.exit_code
    assert "not reachable" in done.stderr


def test_connect_in_process_honours_the_external_settings(engine: EmbeddedEngine, tmp_path):
    settings = Settings(
        neo4j_uri=f"bolt://127.0.0.1:{engine.status().port}",
        neo4j_password=engine.password(),
        orgnet_home=tmp_path / "unused",
    )
    with connect(settings) as db:
        assert db.uri.startswith("bolt://127.0.0.1")
        assert db.read("RETURN 1 AS one") == [{"one": 1}]
    assert not (tmp_path / "unused").exists()
    assert os.environ.get("NEO4J_URI") is None


def test_connecting_does_not_import_pandas_or_numpy_and_both_still_import(
    engine: EmbeddedEngine, settings: Settings
) -> None:
    """The driver would import pandas and numpy (a notebook's extra) as it loads: a third of a
    second of every command that connects, for parameters orgnet never sends."""
    script = (
        "import sys\n"
        "from orgnet.graph.connection import connect\n"
        "from orgnet.graph.settings import Settings\n"
        "with connect(Settings()) as db:\n"
        "    assert db.read('RETURN 1 AS one') == [{'one': 1}]\n"
        "assert 'neo4j' in sys.modules, sorted(sys.modules)\n"
        "assert 'pandas' not in sys.modules and 'numpy' not in sys.modules, sorted(sys.modules)\n"
        "import numpy\n"
        "import pandas\n"
        "assert numpy.arange(3).sum() == 3\n"
        "assert pandas.DataFrame({'a': [1]}).shape == (1, 1)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=dict(os.environ), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
