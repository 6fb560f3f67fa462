"""One writer at a time. A second load refuses at once (exit status 7, naming who writes) or
waits its turn with --wait; a lock left by a writer that died is broken; and the one-target
links stay one-target even when two writers go around the lock."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest

from orgnet.graph.connection import Database
from orgnet.graph.errors import Busy
from orgnet.graph.lock import NAME, WriteLock
from orgnet.graph.model import Rel
from orgnet.graph.writes import merge_relationships, relationship_row, statement
from orgnet.loaders.load import load_dataset

from .datasets import street_with_two_communities
from .dump import ORGNET, count, dump, wipe, write_dataset
from .hostile import refused, run


@pytest.fixture
def cli_env(cli_env: dict) -> dict:
    """These tests read what the command says in English (ORGNET_LANG=en); the Chinese words
    are the same catalogue's (test_words.py holds both to the same keys)."""
    return {**cli_env, "ORGNET_LANG": "en"}


def _lock_node(db: Database, **holder: object) -> None:
    """A lock in the database as another writer would have left it."""
    db.autocommit(statement("lock_constraint"))
    values = {
        "name": NAME,
        "token": "someone-else",
        "lease": 120,
        "host": "elsewhere",
        "pid": 1,
        "started": 0.0,
        "user": "clerk",
        "command": "orgnet load 花名册.xlsx",
        "since": "2026-11-23T09:00:00+08:00",
        **holder,
    }
    db.write(statement("lock_take"), values)


def _moves(people: list[str], building: str) -> dict[str, list[dict]]:
    return {"persons": [{"id": p, "name": p, "building_id": building} for p in people]}


def test_a_second_load_refuses_or_waits_its_turn(
    db: Database, district: Path, tmp_path: Path, cli_env: dict
) -> None:
    # A large load writes; a small one moving three of its residents comes in meanwhile.
    people = [r["id"] for r in _first_residents(district, 3)]
    building = _some_building(district)
    write_dataset(tmp_path / "move", _moves(people, building))
    first = subprocess.Popen(
        [*ORGNET, "load", str(district)],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _until(lambda: count(db) > 0, first)
        refused(
            run("load", str(tmp_path / "move"), "--lang", "en", env=cli_env),
            Busy.exit_code,
            "error: the graph is being written by ",
            f"(pid {first.pid} on {socket.gethostname()}",
            "one load at a time",
            "--wait SECONDS",
        )
        queued = run("load", str(tmp_path / "move"), "--wait", "600", env=cli_env)
    finally:
        _, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stderr
    assert queued.returncode == 0, queued.stderr
    # The queued load ran after the first: the three now live where it put them, once each.
    for person in people:
        lives = db.read(
            "MATCH (:Person {id: $id})-[:LIVES_IN]->(b) RETURN b.id AS b", {"id": person}
        )
        assert lives == [{"b": building}]
    assert db.read("MATCH (l:OrgnetLock) RETURN count(l) AS n") == [{"n": 0}]


def _first_residents(district: Path, n: int) -> list[dict]:
    import csv

    with open(district / "persons.csv", encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["building_id"]][:n]


def _some_building(district: Path) -> str:
    import csv

    with open(district / "buildings.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))[-1]["id"]


def _until(condition, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_lock_held_elsewhere_refuses_and_a_dry_run_still_runs(
    db: Database, tmp_path: Path, cli_env: dict
) -> None:
    _lock_node(db)
    write_dataset(tmp_path, street_with_two_communities())
    refused(
        run("load", str(tmp_path), "--lang", "en", env=cli_env),
        Busy.exit_code,
        "the graph is being written by orgnet load 花名册.xlsx (pid 1 on elsewhere, user clerk",
    )
    assert count(db, "(:Entity)") == 0
    checked = run("load", str(tmp_path), "--dry-run", "--lang", "en", env=cli_env)
    assert checked.returncode == 0, checked.stderr
    assert "valid: 24 rows" in checked.stdout


def test_a_lock_whose_lease_ran_out_is_broken(db: Database, tmp_path: Path) -> None:
    _lock_node(db, lease=-1)  # its holder on another machine stopped renewing it
    load_dataset(db, write_dataset(tmp_path, street_with_two_communities()))
    assert count(db, "(:Estate)") == 2
    assert count(db, "(:OrgnetLock)") == 0


def test_a_lock_of_a_writer_that_died_here_is_broken(db: Database, tmp_path: Path) -> None:
    dead = _a_dead_pid()
    _lock_node(db, host=socket.gethostname(), pid=dead, started=time.time() - 60)
    load_dataset(db, write_dataset(tmp_path, street_with_two_communities()))
    assert count(db, "(:Estate)") == 2


def test_a_lock_this_process_left_behind_is_broken(db: Database, tmp_path: Path) -> None:
    """A release that failed (the database stopped itself as the load ended) leaves a lock
    naming this very process, which still runs (a server, a notebook): it holds no such lock
    now, so the lock is stale — while one it does hold is still respected."""
    me = psutil.Process()
    _lock_node(db, host=socket.gethostname(), pid=me.pid, started=me.create_time())
    load_dataset(db, write_dataset(tmp_path, street_with_two_communities()))
    assert count(db, "(:Estate)") == 2
    with WriteLock(db), pytest.raises(Busy, match="is being written by"), WriteLock(db):
        pass


def _a_dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_writer_waits_for_the_lock_to_be_let_go(db: Database, tmp_path: Path) -> None:
    write_dataset(tmp_path, street_with_two_communities())
    holder = WriteLock(db, db.home)
    holder.__enter__()
    # Another thread of this process counts as another writer: it waits, then loads.
    done: list[object] = []
    waiting = threading.Thread(
        target=lambda: done.append(load_dataset(db, tmp_path, wait=60)), daemon=True
    )
    waiting.start()
    time.sleep(1.0)
    assert not done and count(db, "(:Entity)") == 0
    holder.__exit__(None, None, None)
    waiting.join(timeout=60)
    assert done and count(db, "(:Estate)") == 2


def test_one_target_links_stay_one_target_under_concurrent_writers(db: Database) -> None:
    # Eight writers around the lock, each moving the same 150 people into its own building,
    # one person a transaction: without the source locked first, a writer that had not yet
    # seen another's move kept both (measured: 11 of 300 people in two buildings).
    wipe(db)
    people = [f"RP{i}" for i in range(150)]
    db.write("UNWIND $ids AS id CREATE (:Person:Entity {id: id})", {"ids": people})
    db.write("UNWIND range(1, 8) AS i CREATE (:Building:Entity {id: 'RB' + i})")
    query = merge_relationships(Rel.LIVES_IN)

    def move_everyone(building: str) -> None:
        for person in people:
            db.write(
                query, {"rows": [relationship_row(Rel.LIVES_IN, person, building, {})], "load": 1}
            )

    writers = [threading.Thread(target=move_everyone, args=(f"RB{i}",)) for i in range(1, 9)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    homes = db.read("MATCH (p:Person) RETURN p.id AS id, count{ (p)-[:LIVES_IN]->() } AS homes")
    assert {r["homes"] for r in homes} == {1}


def test_the_lock_file_of_the_home_says_who_holds_it(db: Database) -> None:
    import json

    with WriteLock(db, db.home):
        assert db.home is not None
        holder = json.loads((db.home / "write.lock").read_text(encoding="utf-8"))
        assert holder["pid"] == os.getpid()
    assert (db.home / "write.lock").read_text(encoding="utf-8") == ""
    assert dump(db) == ([], [])
