"""Helpers for feeding bad things to the real command: a graph loaded first (so that anything
half-written would show), the command run as a user runs it, and the checks every refusal
must pass — its exit status, its message, no traceback, and a graph unchanged to the last
property."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from orgnet.graph.connection import Database
from orgnet.graph.errors import ValidationFailed
from orgnet.loaders.load import load_dataset

from .datasets import street_with_two_communities
from .dump import dump, orgnet, write_dataset


def base(db: Database, folder: Path) -> tuple[list, list]:
    """Load the two-community street into ``db`` (from ``folder``); return its dump."""
    write_dataset(folder, street_with_two_communities())
    load_dataset(db, folder)
    return dump(db)


def problems_of(db: Database, path: Path, **options: object) -> list[tuple[str, int, str, str]]:
    """Load ``path`` into ``db``, which must refuse it with the graph unchanged; the problems
    as (file, row, column, code)."""
    before = dump(db)
    with pytest.raises(ValidationFailed) as failed:
        load_dataset(db, path, **options)
    assert dump(db) == before
    return [(p.file, p.row, p.column, p.code) for p in failed.value.problems]


def the_base_files(folder: Path) -> Path:
    """The two-community street's CSV files in ``folder``, to be spoiled by a test."""
    return write_dataset(folder, street_with_two_communities())


def run(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return orgnet(*args, env=env, timeout=timeout)


def refused(
    done: subprocess.CompletedProcess, status: int, *fragments: str
) -> subprocess.CompletedProcess:
    """The command failed with ``status``, said each of ``fragments`` on stderr, one plain
    line each and no traceback."""
    assert done.returncode == status, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    for fragment in fragments:
        assert fragment in done.stderr, (fragment, done.stderr)
    return done


def unchanged(db: Database, before: tuple[list, list]) -> None:
    after = dump(db)
    assert after == before, "the graph changed"
