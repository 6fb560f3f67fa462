"""The tests' `orgnet` commands, forked from a zygote that has their libraries imported
(tests/cli_zygote.py), answer as the command run in an interpreter of its own does: the same
output, words, exit status and files, from the same folder, environment and input — and one
that outlives its time is killed and said to have, as subprocess says it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psutil
import pytest

from . import forked_cli
from .conftest import _free_port
from .dump import ORGNET, orgnet


def _exec(*args: str, env: dict[str, str], cwd: Path, stdin: str | None = None):
    return subprocess.run(
        [*ORGNET, *args], env=env, cwd=cwd, input=stdin, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


@pytest.fixture
def env(cli_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    return {**cli_env, "ORGNET_API_HOME": str(tmp_path / "api"), "COLUMNS": "70"}


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("load", "--help"),
        ("no-such-command",),
        ("coverage", "--scope"),  # an option without its value
        ("generate", "--scenario", "demo", "--out", "made"),  # a folder named from the cwd
        ("template", "--out", "made.xlsx"),
        ("users", "list"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_forked_command_answers_as_one_of_its_own(
    args: tuple[str, ...], lang: str, env: dict[str, str], tmp_path: Path
) -> None:
    env = {**env, "ORGNET_LANG": lang}
    (tmp_path / "own").mkdir()
    (tmp_path / "forked").mkdir()
    own = _exec(*args, env=env, cwd=tmp_path / "own")
    forked = forked_cli.run(ORGNET, args, env, 300, tmp_path / "forked", None)
    assert forked is not None
    assert (forked.returncode, forked.stdout, forked.stderr) == (
        own.returncode, own.stdout, own.stderr,
    )  # fmt: skip
    assert forked.args == [*ORGNET, *args]
    made = sorted(p.relative_to(tmp_path / "own") for p in (tmp_path / "own").rglob("*"))
    assert made == sorted(
        p.relative_to(tmp_path / "forked") for p in (tmp_path / "forked").rglob("*")
    )


def test_standard_input_reaches_a_forked_command(env: dict[str, str], tmp_path: Path) -> None:
    create = ("users", "create", "--role", "viewer", "--jurisdiction", "all", "--password-stdin")
    made = orgnet(*create, "li.clerk", env=env, cwd=tmp_path, stdin="long enough secret\n")
    assert made.returncode == 0, made.stderr
    short = orgnet(*create, "wu.clerk", env=env, cwd=tmp_path, stdin="short\n")
    own = _exec(*create, "wu.clerk", env=env, cwd=tmp_path, stdin="short\n")
    assert short.returncode == own.returncode != 0
    assert short.stderr == own.stderr
    listed = orgnet("users", "list", env=env, cwd=tmp_path).stdout
    assert "li.clerk" in listed and "wu.clerk" not in listed


def test_a_forked_command_past_its_time_is_killed(env: dict[str, str], tmp_path: Path) -> None:
    before = forked_cli.cpu
    with pytest.raises(subprocess.TimeoutExpired) as raised:
        orgnet("serve", "--port", str(_free_port()), env=env, cwd=tmp_path, timeout=3)
    assert raised.value.cmd == [*ORGNET, "serve", "--port", raised.value.cmd[-1]]
    # Nothing of it is left, and the zygote runs the next command.
    assert forked_cli.last_pid is not None
    assert not psutil.pid_exists(forked_cli.last_pid)
    assert orgnet("--help", env=env).returncode == 0
    assert forked_cli.cpu > before  # what the commands took is counted


def test_a_command_runs_of_its_own_when_asked(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORGNET_TESTS_EXEC", "1")
    assert forked_cli.run(ORGNET, ("--help",), env, 60, None, None) is None
    assert orgnet("--help", env=env).returncode == 0
    assert os.environ["ORGNET_TESTS_EXEC"] == "1"
