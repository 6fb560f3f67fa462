"""A first load through the offline importer (loaders.bulk, graph.importer): the same graph as
transactions give, whole — nodes, links, their provenance, the derived links and member steps,
the record of the load — and every way it cannot or does not work leaves a clear error and
the database as it was."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from orgnet.graph import importer
from orgnet.graph.connection import Database, connect
from orgnet.graph.engine import EmbeddedEngine, importing_now
from orgnet.graph.errors import BadRequest, EngineError, ValidationFailed
from orgnet.graph.settings import Settings, get_settings
from orgnet.loaders import aside, bulk
from orgnet.loaders.load import load_dataset

from .conftest import own_env
from .datasets import street_with_two_communities
from .dump import Loaded, count, dump, load_records, orgnet, wipe, write_dataset

# Each import runs the importer and starts the engine again (tests/conftest.py, QUICK_JVM): an
# engine of the module's own (`own_engine`), so that the worker's keeps what it has planned.
pytestmark = pytest.mark.usefixtures("quick_jvms")


@pytest.fixture
def db(own_engine: EmbeddedEngine) -> Iterator[Database]:
    """The module's engine's database, emptied (the engine started if an import left it
    stopped), with this process's settings naming its home and port: the importer replaces the
    store of the engine they name."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in own_env({}, own_engine).items():
            patch.setenv(name, value)
        get_settings.cache_clear()
        own_engine.start()
        with connect(own_engine.settings) as database:
            wipe(database)
            yield database
    get_settings.cache_clear()


COUNTED = (
    "nodes_created", "nodes_seen", "relationships_created", "relationships_seen",
    "relationships_replaced", "created", "changed", "cleared",
)  # fmt: skip


def _imported(
    db: Database, folder: Path, importer_way: bool | None = True, **options: object
) -> tuple:
    """The graph (dump, record, summary) a first load of ``folder`` gives into a database that
    held nothing, through the importer (``importer_way``: --bulk, or None to let the size
    decide)."""
    wipe(db)
    summary = load_dataset(db, folder, bulk=importer_way, **options)  # type: ignore[arg-type]
    return dump(db, provenance=True), load_records(db), summary


def _both_ways(
    db: Database, folder: Path, importer_way: bool | None = True, **options: object
) -> tuple[tuple, tuple]:
    """The graph a first load of ``folder`` gives through transactions, then `_imported`."""
    wipe(db)
    summary = load_dataset(db, folder, bulk=False, **options)  # type: ignore[arg-type]
    transactional = (dump(db, provenance=True), load_records(db), summary)
    return transactional, _imported(db, folder, importer_way, **options)


def _assert_same(transactional: tuple, imported: tuple) -> None:
    (graph_t, loads_t, summary_t), (graph_i, loads_i, summary_i) = transactional, imported
    assert not summary_t.imported and summary_i.imported
    assert graph_i[0] == graph_t[0]  # nodes: labels, properties, provenance, member steps
    assert graph_i[1] == graph_t[1]  # links, the derived SERVES among them
    assert loads_i == loads_t and loads_i[0]["status"] == "done"
    for counted in COUNTED:
        assert getattr(summary_i, counted) == getattr(summary_t, counted), counted


def _engine_pid(engine: EmbeddedEngine) -> int | None:
    return engine.status().pid


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from orgnet.loaders.generate import generate_scenario, load_scenario

    out = tmp_path_factory.mktemp("demo")
    generate_scenario(load_scenario("demo"), out, seed=1)
    return out


def test_the_district_imported_is_the_district_loaded(
    db: Database, district: Path, district_loaded: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    transactional = (district_loaded.graph, district_loaded.loads, district_loaded.summary)
    # Validated on two cores, as a province is (loaders.aside): its persons read aside, and
    # their import files written there.
    monkeypatch.setattr(aside, "SPLIT_BYTES", 0)
    imported = _imported(db, district)
    _assert_same(transactional, imported)
    # The derived links and the member steps were written after the import, as after a load.
    assert any(r[0] == "SERVES" for r in imported[0][1])
    steps = [n for n in imported[0][0] if "member_days" in dict(n[1])]
    assert len(steps) > 100


def test_the_demo_imported_is_the_demo_loaded(
    db: Database, own_engine: EmbeddedEngine, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = load_dataset(db, demo, dry_run=True).rows
    monkeypatch.setattr(bulk, "BULK_ROWS", rows)  # not told: from this size on, the importer
    pid = _engine_pid(own_engine)
    transactional, imported = _both_ways(db, demo, importer_way=None)
    _assert_same(transactional, imported)
    assert len(transactional[0][0]) > 1_000 and len(transactional[0][1]) > 3_000
    # Imported by the running engine, in its own JVM: the same process answers after.
    assert _engine_pid(own_engine) == pid and own_engine.status().running


def test_extra_columns_are_imported_and_a_name_the_importer_cannot_carry_is_not(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = street_with_two_communities()
    for i, person in enumerate(files["persons"]):
        person["备注"] = f'说明 "{i}", 见附件' if i % 2 else ""
    folder = write_dataset(tmp_path / "extra", files)
    modes: list[int] = []
    real = importer.import_full

    def looking(engine, database, nodes, links):  # type: ignore[no-untyped-def]
        for group in (*nodes, *links):
            modes.extend(os.stat(f).st_mode & 0o777 for f in group.files)
            modes.append(os.stat(group.files[0].parent).st_mode & 0o777)
        return real(engine, database, nodes, links)

    monkeypatch.setattr(bulk, "import_full", looking)
    transactional, imported = _both_ways(db, folder, keep_extra=True)
    _assert_same(transactional, imported)
    assert any(dict(n[1]).get("备注") == '说明 "1", 见附件' for n in imported[0][0])
    # The files hold names and phones: the owner's alone, as the copy of the roster is.
    assert len(modes) > 10 and set(modes) <= {0o600, 0o700}

    # A header with ':' would be read by the importer as a name and a type: such a load goes
    # through transactions, to the same graph.
    for person in files["persons"]:
        person["备注:旧"] = person.pop("备注")
    folder = write_dataset(tmp_path / "colon", files)
    transactional, fallen_back = _both_ways(db, folder, keep_extra=True)
    assert not fallen_back[2].imported
    assert fallen_back[0] == transactional[0] and fallen_back[1] == transactional[1]
    assert any(dict(n[1]).get("备注:旧") for n in fallen_back[0][0])


def test_size_decides_when_not_told(
    db: Database, own_engine: EmbeddedEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (From the size on, the demo's test: it is imported without being told.)
    folder = write_dataset(tmp_path / "street", street_with_two_communities())
    rows = load_dataset(db, folder, dry_run=True).rows
    monkeypatch.setattr(bulk, "BULK_ROWS", rows + 1)
    before = _engine_pid(own_engine)
    assert not load_dataset(db, folder, bulk=None).imported  # below the size

    # A database that holds a graph is added to through transactions, whatever the size.
    monkeypatch.setattr(bulk, "BULK_ROWS", 1)
    again = load_dataset(db, folder, bulk=None)
    assert not again.imported and again.load == 2
    assert _engine_pid(own_engine) == before  # never restarted


def test_bulk_into_a_database_that_holds_something_is_refused_before_reading(
    db: Database, own_engine: EmbeddedEngine, tmp_path: Path
) -> None:
    folder = write_dataset(tmp_path / "street", street_with_two_communities())
    load_dataset(db, folder)
    before, pid = dump(db, provenance=True), _engine_pid(own_engine)
    broken = write_dataset(tmp_path / "broken", {"regions": [{"id": "", "name": "x"}]})
    with pytest.raises(BadRequest) as refused:
        load_dataset(db, broken, bulk=True)  # refused before its problems are looked for
    assert refused.value.said == "bulk_not_empty"
    assert dump(db, provenance=True) == before and _engine_pid(own_engine) == pid

    # Even a store that holds only the record of loads (all of it undone) is not replaced.
    wipe(db)
    db.write("CREATE (:Load {number: 1, kind: 'load', status: 'undone'})")
    with pytest.raises(BadRequest):
        load_dataset(db, folder, bulk=True)
    assert count(db) == 1


def test_bulk_with_a_server_is_refused(
    db: Database, own_engine: EmbeddedEngine, tmp_path: Path
) -> None:
    folder = write_dataset(tmp_path / "street", street_with_two_communities())
    status = own_engine.status()
    server = Settings(neo4j_uri=status.uri, neo4j_password=own_engine.password())
    with connect(server) as remote:
        assert remote.home is None
        with pytest.raises(BadRequest) as refused:
            load_dataset(remote, folder, bulk=True)
        assert refused.value.said == "bulk_server"
        assert not bulk.possible(remote, None)  # never chosen for a server
    assert count(db) == 0


def test_a_dataset_with_problems_is_not_imported(
    db: Database, own_engine: EmbeddedEngine, tmp_path: Path
) -> None:
    files = street_with_two_communities()
    files["persons"][0]["birth_year"] = "1800"
    folder = write_dataset(tmp_path / "bad", files)
    pid = _engine_pid(own_engine)
    with pytest.raises(ValidationFailed):
        load_dataset(db, folder, bulk=True)
    assert count(db) == 0 and _engine_pid(own_engine) == pid  # validated first: no restart


def test_a_failed_import_says_why_and_leaves_an_empty_working_database(
    db: Database, own_engine: EmbeddedEngine, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    folder = write_dataset(tmp_path / "street", street_with_two_communities())
    real = bulk._File.write

    def to_nowhere(self: bulk._File, cells: list[object], props: dict[str, object]) -> None:
        if self.fixed is bulk._LINK_FIXED:
            cells[1] = "nobody"  # a link to a node the files do not hold
        real(self, cells, props)

    monkeypatch.setattr(bulk._File, "write", to_nowhere)
    with pytest.raises(EngineError) as failed:
        load_dataset(db, folder, bulk=True)
    assert failed.value.said == "import_failed"
    assert "nobody" in str(failed.value) and "import.log" in str(failed.value)
    assert own_engine.status().running
    monkeypatch.undo()
    assert count(db) == 0  # the half-written store was removed; the engine made it anew
    loading = own_engine.settings.orgnet_home / "loading"
    assert not list(loading.glob("*/*.csv"))  # the files, gone
    # The write lock was given back: the next load runs.
    assert load_dataset(db, folder).load == 1


def test_the_engine_is_not_started_on_a_store_being_imported(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    engine = EmbeddedEngine(Settings(orgnet_home=home))
    with importer._holding(home), pytest.raises(EngineError) as refused:
        engine.start()
    assert refused.value.said == "importing"
    assert not engine.status().running and not importing_now(home)


def test_the_command_says_bulk_is_for_a_first_load(
    db: Database, own_engine: EmbeddedEngine, cli_env: dict[str, str], tmp_path: Path
) -> None:
    cli_env = own_env(cli_env, own_engine)
    folder = write_dataset(tmp_path / "street", street_with_two_communities())
    first = orgnet("load", "--bulk", str(folder), "--lang", "zh", env=cli_env)
    assert first.returncode == 0, first.stderr
    assert "这是首次载入，已用离线导入一次写入" in first.stdout
    assert "已导入" in first.stdout and "人员" in first.stdout  # the summary, as for any load
    done = orgnet("load", "--bulk", str(folder), "--lang", "zh", env=cli_env)
    assert done.returncode == 2
    assert "--bulk 只用于首次载入空数据库" in done.stderr
    assert count(db, "(:Load)") == 1
    assert re.search(r"--bulk\s*/\s*--no-bulk", orgnet("load", "--help", env=cli_env).stdout)


def test_a_request_the_engine_does_not_take_is_refused_and_changes_nothing(
    db: Database, own_engine: EmbeddedEngine, tmp_path: Path
) -> None:
    db.write("CREATE (:Region:Entity {id: 'R1', name: '东城'})")
    outside = tmp_path / "outside"
    (outside / "kept").mkdir(parents=True)
    given = tmp_path / "arguments"
    given.write_text("database\nimport\nfull\nneo4j\n")
    # A name that is a path, to a folder the engine would remove after a failed import.
    upward = os.path.relpath(outside, own_engine.home / "data" / "data" / "databases")
    pid, said_from = _engine_pid(own_engine), own_engine.log_file.stat().st_size
    for line in (f"import {upward} {given}", "import", "stop", "import a b c"):
        assert own_engine.request(line)

    def said() -> str:
        return own_engine.log_file.read_bytes()[said_from:].decode()

    deadline = time.monotonic() + 30
    while said().count("REFUSED") < 4:
        assert time.monotonic() < deadline, said()
        time.sleep(0.1)
    time.sleep(0.5)  # anything it would do after the last, done
    # (The last names a database, but a file of arguments there is not: refused before the
    # database is closed.)
    assert said().count("REFUSED") == 4 and "IMPORTED" not in said()
    assert (outside / "kept").is_dir() and _engine_pid(own_engine) == pid
    assert count(db) == 1


# The last two start the module's engine anew (killed; taking no requests): after them, its
# plans are made again by a JVM that compiles afresh, and no test of an import comes after.
def test_an_engine_that_ends_during_the_import_leaves_an_empty_database(
    db: Database, own_engine: EmbeddedEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_dataset(tmp_path / "street", street_with_two_communities())
    real = EmbeddedEngine.request

    def then_killed(self: EmbeddedEngine, line: str) -> bool:
        taken = real(self, line)
        if line.startswith("import "):
            os.kill(self.status().pid or 0, signal.SIGKILL)
        return taken

    monkeypatch.setattr(EmbeddedEngine, "request", then_killed)
    pid = _engine_pid(own_engine)
    with pytest.raises(EngineError) as failed:
        load_dataset(db, folder, bulk=True)
    monkeypatch.undo()
    assert failed.value.said == "import_engine_stopped"
    assert "stopped during the import" in str(failed.value)
    # Started again, on a store without what the import may have written, and not locked.
    assert _engine_pid(own_engine) != pid and own_engine.status().running
    assert not importing_now(own_engine.home) and own_engine.listening()
    assert count(db) == 0


def test_an_engine_that_takes_no_requests_is_started_anew_for_the_import(
    db: Database, own_engine: EmbeddedEngine, tmp_path: Path
) -> None:
    (tmp_path / "h.csv").write_text("id:ID,name\n")
    (tmp_path / "d.csv").write_text("R1,东城\n")
    regions = importer.Group("Region:Entity", (tmp_path / "h.csv", tmp_path / "d.csv"))
    pid = _engine_pid(own_engine)
    # As an engine started by an older orgnet, or before its pipe was made: none reads it.
    own_engine.control_file.unlink()
    assert not own_engine.listening()
    importer.import_full(own_engine, db.database, [regions], [])
    assert _engine_pid(own_engine) != pid and own_engine.listening()
    assert db.read("MATCH (r:Region) RETURN r.id AS id, r.name AS name") == [
        {"id": "R1", "name": "东城"}
    ]
