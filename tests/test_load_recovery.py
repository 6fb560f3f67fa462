"""Loads are idempotent, and a load interrupted midway — the loader killed, or the engine killed
— then run again ends with exactly the graph of a clean load: no duplicates, nothing missing."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from orgnet.graph.connection import Database, connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.provenance import records
from orgnet.graph.settings import Settings
from orgnet.loaders.load import load_dataset

from .conftest import own_env
from .datasets import street_with_two_communities
from .dump import ORGNET, count, dump, loaded, network_of, wipe, write_dataset


@pytest.fixture
def cli_env(cli_env: dict) -> dict:
    """These tests read what the command says in English (ORGNET_LANG=en)."""
    return {**cli_env, "ORGNET_LANG": "en"}


# Interrupt once this many nodes are in: past the territory (~3,500 nodes of the small
# district's ~10,700), among the people.
PARTWAY = 4_000


@pytest.fixture(scope="module")
def clean_graph(
    small_district: Path, engine: EmbeddedEngine, settings: Settings
) -> tuple[list, list]:
    """The small district (tests/conftest.py, SMALL_DISTRICT) loaded through transactions."""
    with connect(settings) as db:
        return loaded(db, small_district).network


def test_loading_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    write_dataset(tmp_path, street_with_two_communities())
    first = load_dataset(db, tmp_path)
    once = dump(db)
    second = load_dataset(db, tmp_path)
    assert dump(db) == once
    assert network_of(dump(db, provenance=True)) == once  # as `loaded` reads the network
    assert sum(second.nodes_created.values()) == 0
    assert sum(second.relationships_created.values()) == 0
    assert sum(first.nodes_created.values()) == count(db, "(n:Entity)")
    # The second changed nothing: it is recorded, with nothing created, changed or cleared.
    assert (first.load, second.load) == (1, 2)
    assert count(db, "(v:Version)") == 0


def test_a_later_load_updates_properties_and_moves_functional_links(
    db: Database, tmp_path: Path
) -> None:
    write_dataset(tmp_path / "first", street_with_two_communities())
    load_dataset(db, tmp_path / "first")
    write_dataset(
        tmp_path / "second",
        {
            "regions": [{"id": "G2", "name": "第二网格", "kind": "grid", "parent_id": "C2"}],
            # B2 joins grid G2, E1 gets a new household figure, P2 moves to B1.
            "buildings": [{"id": "B2", "name": "2号楼", "estate_id": "E2", "grid_id": "G2"}],
            "estates": [
                {"id": "E1", "name": "和平小区", "community_id": "C1", "households": "320"}
            ],
            "persons": [{"id": "P2", "name": "李娜", "building_id": "B1"}],
        },
    )
    load_dataset(db, tmp_path / "second")
    assert db.read("MATCH (e:Estate {id: 'E1'}) RETURN e.households AS h, e.built_year AS y") == [
        {"h": 320, "y": 1998}  # a column absent from the later file is left as it was
    ]
    assert db.read("MATCH (:Person {id: 'P2'})-[:LIVES_IN]->(b) RETURN b.id AS b") == [{"b": "B1"}]
    assert db.read("MATCH (:Building {id: 'B2'})-[:IN_GRID]->(g) RETURN g.id AS g") == [{"g": "G2"}]


def _start_load(path: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`orgnet load` of ``path`` started (against the test engine, unless ``env`` says another)."""
    return subprocess.Popen(
        [*ORGNET, "load", str(path)],
        env=dict(os.environ if env is None else env, ORGNET_LANG="en"),  # its words read below
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _size(graph: Database | tuple[list, list]) -> int:
    """How many nodes and relationships of the network a database, or a dumped graph, holds."""
    if isinstance(graph, tuple):
        return len(graph[0]) + len(graph[1])
    return count(graph, "(:Entity)") + count(graph, "(:Entity)-[]->()")


def _wait_partway(db: Database, load: subprocess.Popen) -> None:
    deadline = time.monotonic() + 300
    while count(db) < PARTWAY:
        assert load.poll() is None, f"the load ended before it could be interrupted: {load.stderr}"
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_killed_loader_run_again_gives_the_clean_graph(
    db: Database, small_district: Path, clean_graph: tuple[list, list]
) -> None:
    load = _start_load(small_district)
    _wait_partway(db, load)
    load.send_signal(signal.SIGKILL)
    load.wait()
    assert count(db) >= PARTWAY
    assert _size(db) < _size(clean_graph)  # its links, if not all its nodes, partly in

    load_dataset(db, small_district)
    assert dump(db) == clean_graph
    assert _size(db) == _size(clean_graph)  # the partial graph above was counted alike
    # The record survives: the load killed and completed by running it again is one entry.
    assert [(r.number, r.status) for r in records(db)] == [(1, "done")]


# The engine killed is one of the module's own (tests/conftest.py, `own_engine`), so that the
# worker's keeps what it has planned for the modules after this one.
@pytest.mark.usefixtures("quick_jvms")  # the engine started again, as the imports' tests do
def test_a_killed_engine_restarted_and_load_run_again_gives_the_clean_graph(
    own_engine: EmbeddedEngine, small_district: Path, clean_graph: tuple[list, list]
) -> None:
    with connect(own_engine.settings) as db:
        wipe(db)
        load = _start_load(small_district, own_env(dict(os.environ), own_engine))
        _wait_partway(db, load)
        pid = own_engine.status().pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        _, stderr = load.communicate(timeout=300)
    assert load.returncode == 5
    said = [line for line in stderr.splitlines() if line.strip()]
    assert len(said) == 1 and "stopped answering" in said[0], stderr

    own_engine.start()  # the store recovers from its transaction log
    with connect(own_engine.settings) as again:
        assert _size(again) < _size(clean_graph)
        load_dataset(again, small_district)
        assert dump(again) == clean_graph
        assert [(r.number, r.status) for r in records(again)] == [(1, "done")]
