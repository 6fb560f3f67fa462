"""`orgnet users` and a clerk's `--scope` by name, from the command line as a person runs them:
a password only ever from standard input and never said back, refused when short, a user made
once, listed, disabled and given a new password; and a scope's name that several scopes share
refused with every candidate named and nothing changed."""

from __future__ import annotations

import subprocess
from pathlib import Path

from orgnet.api.users import Users
from orgnet.graph.connection import Database

from .city import city
from .dump import dump, orgnet, write_dataset


def _run(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return orgnet(*args, env=env, stdin=stdin, timeout=300)


def test_a_user_is_made_listed_disabled_and_given_a_new_password(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**cli_env, "ORGNET_API_HOME": str(tmp_path)}
    secret = "a long enough secret"
    made = _run("users", "create", "wang.clerk", "--role", "analyst", "--jurisdiction", "all",
                "--password-stdin", env=env, stdin=secret + "\n")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "wang.clerk" in made.stdout and secret not in made.stdout + made.stderr
    stored = (tmp_path / "console.sqlite3").read_bytes()
    assert secret.encode() not in stored and b"$argon2id$" in stored
    assert (tmp_path / "console.sqlite3").stat().st_mode & 0o077 == 0
    again = _run("users", "create", "wang.clerk", "--role", "viewer", "--jurisdiction", "all",
                 "--password-stdin", env=env, stdin=secret + "\n")  # fmt: skip
    assert again.returncode == 2 and "已有名为“wang.clerk”的用户" in again.stderr
    short = _run("users", "create", "li", "--role", "viewer", "--jurisdiction", "all",
                 "--password-stdin", env=env, stdin="short\n")  # fmt: skip
    assert short.returncode == 2 and "至少需要 10 个字符" in short.stderr
    bare = _run("users", "create", "li", "--role", "viewer", "--jurisdiction", "all", env=env)
    assert bare.returncode == 2 and "--password-stdin" in bare.stderr
    wrong_role = _run("users", "create", "li", "--role", "boss", "--jurisdiction", "all",
                      "--password-stdin", env=env, stdin=secret)  # fmt: skip
    assert wrong_role.returncode == 2
    assert [u.name for u in Users(tmp_path).all()] == ["wang.clerk"]
    listed = _run("users", "list", env=env)
    assert "wang.clerk" in listed.stdout and "analyst" in listed.stdout
    users = Users(tmp_path)
    assert users.sign_in("wang.clerk", secret).session is not None
    changed = _run("users", "passwd", "wang.clerk", "--password-stdin", env=env,
                   stdin="another long secret\n")  # fmt: skip
    assert changed.returncode == 0
    assert users.sign_in("wang.clerk", secret).session is None
    assert users.sign_in("wang.clerk", "another long secret").session is not None
    disabled = _run("users", "disable", "wang.clerk", env=env)
    assert disabled.returncode == 0 and "停用" in disabled.stdout
    assert users.sign_in("wang.clerk", "another long secret").refused == "disabled"
    missing = _run("users", "disable", "nobody", env=env)
    assert missing.returncode == 4 and "没有名为“nobody”的用户" in missing.stderr


def test_a_scope_name_several_scopes_share_is_refused_with_the_candidates(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    from orgnet.loaders.load import load_dataset

    files = city()
    for row in files["regions"]:
        if row["id"] == "C3":
            row["name"] = "和平社区"  # C1's name, in the other street
    load_dataset(db, write_dataset(tmp_path / "twins", files))
    before = dump(db)
    done = orgnet("coverage", "--scope", "和平社区", env=cli_env)
    assert done.returncode == 2, done.stderr
    assert "“和平社区”对应多个范围" in done.stderr
    assert "和平社区 (C1)" in done.stderr and "和平社区 (C3)" in done.stderr
    assert dump(db) == before
    unique = orgnet("coverage", "--scope", "康乐社区", "--format", "json", env=cli_env)
    assert unique.returncode == 0 and '"id": "C2"' in unique.stdout
