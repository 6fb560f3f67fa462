"""Every failure a user can cause ends in one clear line and a documented exit status (the
`orgnet` command's docstring, the README): no traceback, whatever the option, the output path,
the environment or the state of the engine."""

from __future__ import annotations

import json
import os
import socket
import stat
import time
from pathlib import Path

import pytest

from orgnet.graph.engine import EmbeddedEngine

from .city import TODAY
from .conftest import AUTH_LOCK_SECONDS
from .datasets import street_with_two_communities
from .dump import count, write_dataset
from .hostile import refused, run


@pytest.fixture
def cli_env(cli_env: dict) -> dict:
    """These tests read what the command says in English (ORGNET_LANG=en); the Chinese words
    are the same catalogue's (test_words.py holds both to the same keys)."""
    return {**cli_env, "ORGNET_LANG": "en"}


BAD_REQUEST, DATASET, UNREACHABLE, ENGINE = 2, 3, 5, 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _own_home(cli_env: dict, home: Path, **more: str) -> dict:
    """The environment of a home of its own, with no port pinned and a small engine."""
    env = {k: v for k, v in cli_env.items() if k != "ORGNET_PORT"}
    return {**env, "ORGNET_HOME": str(home), "ORGNET_HEAP": "512m", "ORGNET_PAGECACHE": "64m",
            **more}  # fmt: skip


# -- options and arguments ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["gaps", "estates", "--top", "-5"],
        ["gaps", "estates", "--top", "0"],
        ["brokers", "--top", "0"],
        ["brokers", "--top", "1001"],
        ["path", "A", "B", "-k", "0"],
        ["path", "A", "B", "-k", "11"],
        ["path", "A", "B", "--max-hops", "13"],
        ["pairing", "--rebalance", "--max-per-unit", "0"],
        ["generate", "--out", "x", "--seed", "-1"],
        ["load", "x", "--wait", "-1"],
        ["db", "derive", "--wait", "-3"],
        ["coverage", "--as-of", "去年春天"],
        ["coverage", "--as-of", "2026-13-01"],
        ["coverage", "--format", "pdf"],
    ],
    ids=lambda a: " ".join(a),
)
def test_a_value_out_of_bounds_is_a_bad_request(args: list[str], cli_env: dict) -> None:
    done = refused(run(*args, env=cli_env), BAD_REQUEST)
    assert "invalid value for" in done.stderr or "is not a date" in done.stderr, done.stderr
    assert not done.stdout


def test_as_of_takes_every_form_the_import_does(graph, cli_env: dict) -> None:
    def coverage(as_of: str) -> dict:
        done = run("coverage", "--scope", "D1", "--as-of", as_of, "-f", "json", env=cli_env)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    iso = coverage(TODAY)
    for form in ("2026年11月23日", "2026/11/23", "2026.11.23"):
        assert coverage(form) == iso, form
    assert coverage("2026-11")["as_of"] == "2026-11-30"  # a month means its end
    assert coverage("2024年2月")["as_of"] == "2024-02-29"


# -- output paths -------------------------------------------------------------------------------


def test_output_paths_that_cannot_be_written(graph, tmp_path: Path, cli_env: dict) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "x.csv"
    refused(
        run("gaps", "estates", "-f", "csv", "--out", str(missing), env=cli_env),
        BAD_REQUEST,
        f"the folder {missing.parent} does not exist",
    )
    refused(
        run("gaps", "estates", "-f", "csv", "--out", str(tmp_path), env=cli_env),
        BAD_REQUEST,
        "is a folder; name a file to write",
    )
    refused(
        run("census", "-f", "xlsx", "--out", str(tmp_path / "x.csv"), env=cli_env),
        BAD_REQUEST,
        "the file is written as .xlsx",
    )
    refused(
        run("report", "--out", str(tmp_path / "report.pdf"), env=cli_env),
        BAD_REQUEST,
        "the file is written as .html / .htm / .xlsx",
    )
    refused(run("template", "--out", str(tmp_path), env=cli_env), BAD_REQUEST, "is a folder")
    refused(
        run("template", "--out", str(tmp_path / "x.txt"), env=cli_env),
        BAD_REQUEST,
        "x.txt: the file is written as .xlsx",
    )
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    refused(
        run("generate", "--out", str(a_file), env=cli_env),
        BAD_REQUEST,
        f"--out {a_file} is a file; name a folder",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


# -- scenarios ----------------------------------------------------------------------------------


def test_a_scenario_is_a_packaged_name_or_a_file_given_as_one(
    tmp_path: Path, cli_env: dict
) -> None:
    stray = tmp_path / "stray.json"
    stray.write_text(json.dumps({"districts": 1}))
    refused(
        run(
            "generate",
            "--scenario",
            f"../../../../..{stray.with_suffix('')}",
            "--out",
            str(tmp_path / "out"),
            env=cli_env,
        ),
        BAD_REQUEST,
        "unknown scenario",
        "one of demo, province, xinfu",
    )
    refused(
        run("generate", "--scenario-file", str(stray), "--out", str(tmp_path / "out"), env=cli_env),
        BAD_REQUEST,
        "not a scenario",
        "id_prefix: Field required",
    )
    from orgnet.loaders.generate import SCENARIOS

    runaway = json.loads((SCENARIOS / "demo.json").read_text(encoding="utf-8"))
    runaway["districts"] = 10**9
    (tmp_path / "runaway.json").write_text(json.dumps(runaway))
    refused(
        run(
            "generate",
            "--scenario-file",
            str(tmp_path / "runaway.json"),
            "--out",
            str(tmp_path / "out"),
            env=cli_env,
        ),
        BAD_REQUEST,
        "districts: Input should be less than or equal to 100",
    )
    (tmp_path / "broken.json").write_text("{not json")
    refused(
        run(
            "generate",
            "--scenario-file",
            str(tmp_path / "broken.json"),
            "--out",
            str(tmp_path / "out"),
            env=cli_env,
        ),
        BAD_REQUEST,
        "not a scenario",
    )
    own = json.loads((SCENARIOS / "demo.json").read_text(encoding="utf-8"))
    own["communities_per_street"] = [2, 2]
    (tmp_path / "own.json").write_text(json.dumps(own))
    done = run("generate", "--scenario-file", str(tmp_path / "own.json"), "--out",
               str(tmp_path / "out"), env=cli_env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    regions = (tmp_path / "out" / "regions.csv").read_text(encoding="utf-8")
    assert regions.count(",community,") == 2
    assert not (tmp_path / "out" / "stray").exists()


# -- the database named by the environment ------------------------------------------------------


@pytest.fixture
def external(engine: EmbeddedEngine, cli_env: dict, tmp_path: Path) -> dict:
    return dict(
        cli_env,
        NEO4J_URI=f"neo4j://127.0.0.1:{engine.status().port}",
        NEO4J_USER="neo4j",
        NEO4J_PASSWORD=engine.password(),
        NEO4J_DATABASE="neo4j",
        ORGNET_HOME=str(tmp_path / "unused-home"),
    )


def test_database_settings_that_cannot_work(external: dict) -> None:
    refused(
        run("coverage", env=dict(external, NEO4J_DATABASE="nosuch")),
        UNREACHABLE,
        "has no database 'nosuch' (NEO4J_DATABASE)",
    )
    for uri in ("http://127.0.0.1:7474", "not a uri", "bolt//127.0.0.1:7687"):
        refused(
            run("coverage", env=dict(external, NEO4J_URI=uri)),
            UNREACHABLE,
            f"NEO4J_URI '{uri}' is not a Neo4j address",
        )
    refused(run("coverage", env=dict(external, ORGNET_PORT="abc")), BAD_REQUEST, "ORGNET_PORT")
    refused(run("coverage", env=dict(external, ORGNET_PORT="70000")), BAD_REQUEST, "ORGNET_PORT")


def test_wrong_credentials_until_the_server_slows_them_down(external: dict) -> None:
    wrong = dict(external, NEO4J_PASSWORD="not-the-password")
    said = set()
    for _ in range(6):  # the server locks the user out after a few failures in a row
        done = refused(run("coverage", env=wrong), UNREACHABLE)
        said.add("too many times" if "too many times" in done.stderr else "refused")
    assert "too many times" in said
    time.sleep(AUTH_LOCK_SECONDS + 1)  # the right password works once the lockout is over


def test_db_status_says_reachable_with_0_and_unreachable_with_5(
    external: dict, tmp_path: Path, cli_env: dict
) -> None:
    done = run("db", "status", env=external)
    assert done.returncode == 0 and "external database: neo4j://" in done.stdout
    refused(
        run("db", "status", env=dict(external, NEO4J_URI=f"bolt://127.0.0.1:{_free_port()}")),
        UNREACHABLE,
        "not reachable",
    )
    stopped = run("db", "status", env=_own_home(cli_env, tmp_path / "home"))
    assert stopped.returncode == UNREACHABLE
    # Said as what it is, with what starts it — not as an error.
    assert "the engine is stopped" in stopped.stdout and "orgnet db start" in stopped.stdout
    assert not stopped.stderr
    chinese = run("db", "status", env=_own_home(cli_env, tmp_path / "home", ORGNET_LANG="zh"))
    assert "数据库未运行" in chinese.stdout and "启动请执行：orgnet db start" in chinese.stdout
    done = run("db", "status", env=cli_env)
    assert done.returncode == 0 and done.stdout.startswith("running: bolt://127.0.0.1:")


# -- the engine's home ---------------------------------------------------------------------------


def test_the_home_and_its_store_are_the_owners_alone(engine: EmbeddedEngine) -> None:
    assert stat.S_IMODE(engine.home.stat().st_mode) == 0o700
    opened = [
        path
        for path in (engine.home / "data").rglob("*")
        if stat.S_IMODE(path.stat().st_mode) & 0o077
    ]
    assert not opened, opened[:5]


def test_a_home_open_to_other_users_is_refused(tmp_path: Path, cli_env: dict) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    refused(
        run("db", "start", env=_own_home(cli_env, home)),
        ENGINE,
        f"the home {home} is open to other users (mode 755)",
        f"chmod 700 {home}",
    )
    assert list(home.iterdir()) == []


def test_a_home_that_is_a_file(tmp_path: Path, cli_env: dict) -> None:
    home = tmp_path / "home"
    home.write_text("")
    refused(
        run("db", "start", env=_own_home(cli_env, home)), ENGINE, f"ORGNET_HOME {home} is a file"
    )
    refused(run("coverage", env=_own_home(cli_env, home)), ENGINE, "is a file")


def test_ports_a_home_does_not_have(tmp_path: Path, cli_env: dict) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "port").write_text("garbage\n")  # a port file that is not one: a new port is chosen
    env = _own_home(cli_env, home)
    try:
        done = run("db", "start", env=env)
        assert done.returncode == 0, done.stderr
        port = int((home / "port").read_text())
        # Asked for another port than the one it runs on: said at once, not after minutes.
        other = _free_port()
        started = time.monotonic()
        refused(
            run("coverage", env=dict(env, ORGNET_PORT=str(other))),
            ENGINE,
            f"runs on port {port}, but ORGNET_PORT asks for {other}",
        )
        assert time.monotonic() - started < 30
        assert run("db", "stop", env=env).returncode == 0
        # Its port was taken since (by another home, say): it starts on another.
        with socket.socket() as holder:
            # The stopped engine's connections may linger in TIME_WAIT on the port; a listener
            # may still take it (as another home's engine would).
            holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            holder.bind(("127.0.0.1", port))
            holder.listen()
            done = run("db", "start", env=env)
            assert done.returncode == 0, done.stderr
            assert int((home / "port").read_text()) != port
            # Pinned to the taken port, it says so.
            assert run("db", "stop", env=env).returncode == 0
            refused(
                run("db", "start", env=dict(env, ORGNET_PORT=str(port))),
                ENGINE,
                f"port {port} on 127.0.0.1 is taken",
            )
    finally:
        run("db", "stop", env=env)


# -- a dry run with the database down -----------------------------------------------------------


def test_a_dry_run_validates_the_dataset_alone_when_the_database_is_down(
    tmp_path: Path, cli_env: dict
) -> None:
    env = _own_home(cli_env, tmp_path / "home")  # a home whose engine is not running
    files = street_with_two_communities()
    files["posts"].append({"person_id": "P-NOT-HERE", "org_id": "O-E1", "role": "委员"})
    folder = write_dataset(tmp_path / "data", files)
    done = run("load", str(folder), "--dry-run", "--lang", "en", env=env)
    assert done.returncode == 0, done.stderr
    assert "the database is not reachable" in done.stderr
    assert "validating the dataset alone" in done.stderr
    assert "1 reference(s) to ids the dataset does not define were not checked" in done.stderr
    assert "valid: 25 rows" in done.stdout
    assert not (tmp_path / "home" / "engine.pid").exists()  # nothing was started
    files["estates"][0]["households"] = "-3"
    folder = write_dataset(tmp_path / "bad", files)
    refused(
        run("load", str(folder), "--dry-run", "--lang", "en", env=env),
        DATASET,
        "estates.csv:2:households: -3 — negative count",
    )


def test_loading_with_the_engine_stopped_starts_it(db, tmp_path: Path, cli_env: dict) -> None:
    # Not a failure at all: a load (not a dry run) starts the engine it needs.
    folder = write_dataset(tmp_path / "data", street_with_two_communities())
    done = run("load", str(folder), env=cli_env)
    assert done.returncode == 0, done.stderr
    assert count(db, "(:Estate)") == 2
