"""`orgnet keys` and `orgnet audit`, run as a user runs them: a key printed once and kept only
as its hash, checked against the graph for its jurisdiction, listed and revoked by id or name;
the audit log read back by key and date. Worst values get a clear error and change nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from orgnet.api.audit import AuditLog
from orgnet.api.keys import Keys
from orgnet.graph.connection import Database

from .dump import orgnet


@pytest.fixture
def cli_env(cli_env: dict) -> dict:
    """These tests read what the command says in English (ORGNET_LANG=en); the Chinese words
    are the same catalogue's (test_words.py holds both to the same keys)."""
    return {**cli_env, "ORGNET_LANG": "en"}


@pytest.fixture
def env(cli_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    return {**cli_env, "ORGNET_API_HOME": str(tmp_path)}


def test_a_key_is_printed_once_listed_and_revoked(
    graph: Database, env: dict[str, str], tmp_path: Path
) -> None:
    made = orgnet(
        "keys", "create", "--role", "analyst", "--jurisdiction", "S1", "--name", "grid-system",
        env=env, check=True,
    )  # fmt: skip
    token = made.stdout.strip()
    assert re.fullmatch(r"on_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", token), made.stdout
    assert "grid-system" in made.stderr and "S1" in made.stderr
    key = Keys(tmp_path).verify(token)
    assert key is not None and (key.role, key.jurisdiction, key.personal_data) == (
        "analyst", "S1", False,
    )  # fmt: skip
    listed = orgnet("keys", "list", env=env, check=True).stdout
    assert "grid-system" in listed and key.id in listed and token not in listed
    assert token.split("_", 2)[2] not in (tmp_path / "keys.json").read_text()
    revoked = orgnet("keys", "revoke", "grid-system", env=env, check=True)
    assert key.id in revoked.stdout
    assert Keys(tmp_path).verify(token) is None


@pytest.mark.parametrize(
    ("args", "status", "says"),
    [
        (["--role", "root", "--jurisdiction", "S1"], 2, "root"),
        (["--role", "viewer", "--jurisdiction", "NOWHERE"], 4, "NOWHERE"),
        (["--role", "viewer", "--jurisdiction", "E1"], 2, "E1"),
        (["--role", "viewer", "--jurisdiction", "S1", "--name", "a b"], 2, "a b"),
        (["--role", "viewer", "--jurisdiction", "S1", "--name", "x" * 65], 2, "name"),
        (["--role", "viewer"], 2, "--jurisdiction"),
    ],
)
def test_a_key_that_cannot_be_made_is_not_made(
    graph: Database, env: dict[str, str], tmp_path: Path, args: list[str], status: int, says: str
) -> None:
    done = orgnet("keys", "create", *args, env=env)
    assert done.returncode == status, done.stderr
    assert says in done.stderr
    assert done.stdout == ""
    assert Keys(tmp_path).all() == []


def test_revoking_a_key_that_does_not_exist_says_so(env: dict[str, str]) -> None:
    done = orgnet("keys", "revoke", "nobody", env=env)
    assert done.returncode == 4 and "nobody" in done.stderr


def test_the_audit_log_is_read_by_key_and_date(env: dict[str, str], tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    log.record(key_id="a1", key_name="screen", route="/v1/cross", rows=3, outcome="answered")
    log.record(key_id="b2", key_name="platform", route="/v1/datasets", rows=0, outcome="loaded")
    (tmp_path / "audit.jsonl").open("a").write('{"cut short by a cra')  # a torn last line
    every = json.loads(orgnet("audit", "-f", "json", env=env, check=True).stdout)
    assert [line["key_name"] for line in every] == ["screen", "platform"]
    one = json.loads(orgnet("audit", "--key", "b2", "-f", "json", env=env, check=True).stdout)
    assert [line["route"] for line in one] == ["/v1/datasets"]
    later = orgnet("audit", "--since", "2099-01-01", "-f", "json", env=env, check=True)
    assert json.loads(later.stdout) == []
    table = orgnet("audit", env=env, check=True).stdout
    assert "screen" in table and "/v1/cross" in table
    bad = orgnet("audit", "--since", "someday", env=env)
    assert bad.returncode == 2 and "someday" in bad.stderr
