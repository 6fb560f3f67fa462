"""Fixtures: a real embedded engine in a throwaway home, on a port of its own.

The environment is set before anything reads settings, so no test can reach a user's ``var/``
or a server named by the caller's NEO4J_URI.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_HOME = Path(tempfile.mkdtemp(prefix="orgnet-test-"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


for _name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
    os.environ.pop(_name, None)
os.environ.update(
    ORGNET_HOME=str(_HOME / "engine"),
    ORGNET_PORT=str(_free_port()),
    ORGNET_HEAP="1g",
    ORGNET_PAGECACHE="512m",
)

# The test engine plans each query once (Neo4j's settings of a home: graph/engine.py). By
# default a plan is made again, at most every 10 s, once the counts it was made from have
# changed by three quarters — as they do between nearly any two tests, each loading a graph of
# its own into an emptied database — and planning, not running, is most of what a small graph
# costs: the intake and lock tests took 92 s with it, 75 s without. (Sampled by Java Flight
# Recorder over eight of the slowest modules, 62% of a worker's engine's Bolt threads' time was
# in the Cypher front end and planner: checking and rewriting statements above all.) Plans
# made on one test's graph answer another's rightly, only perhaps more slowly; the district,
# the largest, is loaded first where it is read (TOGETHER).
#
# Nor does it plan a statement again for each size of its parameters. By default the plans are
# kept apart by the size, in powers of ten, of every list and string a statement is given: an
# id of 9 characters and one of 12 are planned once each, a batch of 8 rows and one of 80 too
# (each plan of a large statement 0.6–0.9 s, measured on an engine alone). With the sizes told
# apart, the suite took 1,012 and 1,029 s and 1,953 and 1,969 CPU-seconds of the machine;
# without, 926 s and 1,775 (`make test`'s pytest, one run each).
#
# And it keeps every plan it made. A database keeps 1,000 by default, the least used thrown out
# past them, to be made again when next asked; a worker's engine is asked over a session each
# statement with each kind of parameters it is given, packed and not, and the tests' own. With
# room for 20,000, the suite's pytest took 741.6 s and its engines 583 CPU-seconds, against
# 771.7 s and 613 with 1,000 (`make test-cpu`, one run each: near the machine's noise, but more
# room can only spare plans).
#
# A user who gave a wrong password too often is refused for two seconds, not Neo4j's five: the
# test that provokes it waits the lockout out, so that the tests after it can sign in.
AUTH_LOCK_SECONDS = 2
ENGINE_CONF = (
    "dbms.cypher.min_replan_interval=24h\n"
    "internal.cypher.use_parameter_size=false\n"
    "server.memory.query_cache.per_db_cache_num_entries=20000\n"
    f"dbms.security.auth_lock_time={AUTH_LOCK_SECONDS}s\n"
)
(_HOME / "engine").mkdir(mode=0o700)
(_HOME / "engine" / "neo4j.conf").write_text(ENGINE_CONF)

from orgnet.graph.connection import Database, connect  # noqa: E402
from orgnet.graph.engine import EmbeddedEngine  # noqa: E402
from orgnet.graph.settings import Settings  # noqa: E402

from .dump import Loaded, loaded, wipe  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz",
        choices=("quick", "full"),
        default="full",
        help="how many examples the tests marked fuzz draw: all of their fixed set (full: CI), "
        "or about a third of it (quick: `make test` on a workstation)",
    )
    parser.addoption(
        "--fuzz-examples",
        type=int,
        default=None,
        help="examples of the intake fuzz test, instead of its fixed set of 25 (more are drawn "
        "at random)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fuzz: a property checked over drawn examples; `--fuzz quick` draws fewer of them "
        "(the same ones on every run), `--fuzz full` all (CI)",
    )


@pytest.fixture
def examples(request: pytest.FixtureRequest) -> Callable[[int], int]:
    """The examples a fuzz test draws, from the number it draws in full: a third of them (at
    least three) with ``--fuzz quick``, the same ones on every run."""
    assert request.node.get_closest_marker("fuzz"), "a test that draws examples is marked fuzz"
    quick = request.config.getoption("--fuzz") == "quick"
    return lambda full: max(3, full // 3) if quick else full


@pytest.fixture
def rotation(request: pytest.FixtureRequest) -> Callable[..., bool]:
    """Whether a walk that asks every request of every user (a fuzz test) asks user number
    ``user`` its request number ``asked``: every one with ``--fuzz full``; with ``--fuzz
    quick``, one request in ``among`` (three unless told) of each user's, in turn (those whose
    number is the user's less a multiple of ``among``) — with ``among`` users or more, every
    request is still asked of one of them, and every user asks some of every kind."""
    assert request.node.get_closest_marker("fuzz"), "a test that rotates its asking is marked fuzz"
    if request.config.getoption("--fuzz") == "full":
        return lambda user, asked, among=3: True
    return lambda user, asked, among=3: (asked - user) % among == 0


# The modules that read the district loaded through transactions, run one after another by one
# worker, so that it is loaded once for them all (tests/dump.py, `holding`; `district_loaded`):
# those that read it where it lies first, then the imports, which compare with it. The engine
# the imports close and open again, and the one killed (test_load_recovery), are engines of
# their modules' own (`own_engine`): the worker's runs the whole session, its plans made and
# its code compiled.
TOGETHER = (
    "test_differential.py",
    "test_generate.py",
    "test_bulk_load.py",
)

# The test files that take longest, longest first (`pytest --durations=0`, summed by file): each
# goes wholly to one worker (`--dist loadfile`), so they are handed out first and the short ones
# fill in around them, rather than one long file running alone at the end. The rest keep the
# order of their number of tests, as the workers would have it.
SLOWEST_FIRST = (
    *TOGETHER,
    "test_load_recovery.py",
    "test_engine_failures.py",
    "test_fuzz_intake.py",
    "test_words.py",
    "test_command_failures.py",
    "test_console_browser.py",
    "test_console_airtight.py",
    "test_readme.py",
    "test_catalog.py",
    "test_dates_and_terms.py",
    "test_intake_structure.py",
    "test_provenance.py",
    "test_notebooks.py",
    "test_wheel.py",
    "test_console.py",
    "test_http_questions.py",
    "test_intake_rows.py",
    "test_engine.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    counts = Counter(item.path.name for item in items)

    def weight(item: pytest.Item) -> tuple[int, int, str]:
        name = item.path.name
        rank = SLOWEST_FIRST.index(name) if name in SLOWEST_FIRST else len(SLOWEST_FIRST)
        return rank, -counts[name], name

    items.sort(key=weight)  # stable: the tests of a file keep their order


@pytest.hookimpl(optionalhook=True)  # a hook of xdist's: without it (-p no:xdist), unused
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """With ``--dist loadfile``: a file wholly to one worker, as xdist does — and the modules
    of TOGETHER wholly to one worker too, as if they were one file."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Together(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = super()._split_scope(nodeid)
            return "district" if file.rsplit("/", 1)[-1] in TOGETHER else file

    return Together(config, log)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[EmbeddedEngine]:
    engine = EmbeddedEngine(settings)
    engine.start()
    yield engine
    engine.stop()
    shutil.rmtree(_HOME, ignore_errors=True)


@pytest.fixture
def db(engine: EmbeddedEngine, settings: Settings) -> Iterator[Database]:
    """An empty database (the engine is restarted if a test killed it)."""
    engine.start()
    database = connect(settings)
    wipe(database)
    yield database
    database.close()


# The JVMs a command or a test starts for itself (an engine of a home of its own, the importer)
# compile with the quick compiler alone: they live seconds, on small graphs, where the
# optimising one spent more than it gave back (an engine's start: 14 s of CPU with it, 9
# without; a demo load 4.5 s and 1.3). The test engine, which answers every test for minutes,
# keeps both, with their defaults. The optimising one takes over a third of its CPU (221 of
# the two workers' 602 CPU-seconds over a suite; the statements 258), compiling mostly Neo4j's
# planner and runtime rather than the plans' expressions, but spares more than that: with the
# quick one alone, six of the slowest modules took 351 s against 302–323; with expressions
# never compiled, 307 s; with the optimising one at four times its thresholds, those modules
# 283 and 298 s, and the whole suite 825 s against 811. (Read by the `java` launcher.)
QUICK_JVM = {"JDK_JAVA_OPTIONS": "-XX:TieredStopAtLevel=1"}


@pytest.fixture(scope="module")
def own_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedEngine]:
    """An engine of the module's own, set as the test engine is, for the tests that stop, kill
    or replace its store (an import, a killed engine): the worker's engine then runs the whole
    session, and keeps for the modules after them the plans and compiled code it has made. It
    starts as a command's does (QUICK_JVM), as it will start again after each import or kill."""
    home = tmp_path_factory.mktemp("own") / "engine"
    home.mkdir(mode=0o700)
    (home / "neo4j.conf").write_text(ENGINE_CONF)
    engine = EmbeddedEngine(
        Settings(
            orgnet_home=home, orgnet_port=_free_port(), orgnet_heap="1g", orgnet_pagecache="512m"
        )
    )
    with pytest.MonkeyPatch.context() as patch:
        for name, value in QUICK_JVM.items():
            patch.setenv(name, value)
        engine.start()
    yield engine
    engine.stop()


def own_env(env: dict[str, str], engine: EmbeddedEngine) -> dict[str, str]:
    """``env`` (a command's environment) with ``engine``'s home and port."""
    return {
        **env,
        "ORGNET_HOME": str(engine.settings.orgnet_home),
        "ORGNET_PORT": str(engine.settings.orgnet_port),
    }


@pytest.fixture
def cli_env(settings: Settings) -> dict[str, str]:
    """The environment for running the `orgnet` command against the test engine."""
    return {**os.environ, **QUICK_JVM}


@pytest.fixture
def quick_jvms(monkeypatch: pytest.MonkeyPatch) -> None:
    """The JVMs this test starts in process start as a command's do (QUICK_JVM): engines of
    homes of their own, or the importer and the engine it stops and starts again, or an engine
    it killed (with every engine quick from the start, the worker's too, the suite took as
    long: 1,085 s against 1,053 and 1,078, and again later 978 s and 1,847 CPU-seconds against
    978 s and 1,860 — what the optimising compiler costs, the slower code and the code cache's
    sweeper spend back)."""
    for name, value in QUICK_JVM.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="session")
def scratch() -> Path:
    path = _HOME / "scratch"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def district(scratch: Path) -> Path:
    """The district calibrated on seed article 000: ~50,000 rows, generated once a session."""
    from orgnet.loaders.generate import generate_scenario, load_scenario

    out = scratch / "xinfu"
    if not out.exists():
        generate_scenario(load_scenario("xinfu"), out, seed=7)
    return out


@pytest.fixture(scope="module")
def graph(engine: EmbeddedEngine, settings: Settings, tmp_path_factory) -> Iterator[Database]:
    """The hand-built city of tests/city.py, loaded once per test module."""
    from .city import city
    from .dump import database_with, write_dataset

    folder = write_dataset(tmp_path_factory.mktemp("city"), city())
    with database_with(settings, folder) as db:
        yield db


# A smaller district, of the same scenario: 2 streets and 220 estates, ~14,700 rows (~10,700
# nodes) — for the tests that interrupt a load and run it again, and so load it twice and more,
# on an engine just started among them: what they show does not grow with the district.
SMALL_DISTRICT = {
    "streets_per_district": [2, 2],
    "estates": 220,
    "firms_per_district": 18,
    "estate_orgs": {"general_branches": 13, "branches": 137, "building_groups": 735},
    "estate_secretary_categories": {"retired": 78, "veteran": 5, "in_service": 47, "resident": 20},
}


@pytest.fixture(scope="session")
def small_district(scratch: Path) -> Path:
    """The district's scenario with two streets (SMALL_DISTRICT), generated once a session."""
    from orgnet.loaders.generate import generate_scenario, load_scenario

    out = scratch / "xinfu-small"
    if not out.exists():
        generate_scenario({**load_scenario("xinfu"), **SMALL_DISTRICT}, out, seed=7)
    return out


@pytest.fixture(scope="session")
def district_loaded(district: Path, engine: EmbeddedEngine, settings: Settings) -> Loaded:
    """The district loaded through transactions, compared whole — once a session, and from
    the database as the modules that read it left it when it still holds it (`holding`)."""
    with connect(settings) as db:
        return loaded(db, district)
