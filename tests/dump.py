"""Helpers for tests: write small datasets, wipe the database, and dump the whole graph in a
canonical form so that two graphs can be compared for equality."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from orgnet.graph.connection import Database, connect
from orgnet.graph.settings import Settings
from orgnet.loaders.load import LoadSummary

from . import forked_cli

ORGNET = [sys.executable, "-m", "orgnet.api.cli"]


def wipe(db: Database) -> None:
    global _held
    _held = None
    db.autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


@dataclass(frozen=True)
class _Held:
    """A dataset loaded whole into an emptied database by `holding`, with what the load said
    and what the database looked like just after: its counts and its record of loads."""

    folder: Path
    summary: LoadSummary
    after: tuple


# What the test engine's database holds, when `holding` loaded it and nothing wiped it since.
_held: _Held | None = None


def _looks(db: Database) -> tuple:
    """What any later write would have changed: the counts of nodes and links (kept by the
    engine, read at once) and the record of loads."""
    return (
        db.read("MATCH (n) RETURN count(n) AS n")[0]["n"],
        db.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"],
        db.read("MATCH (l:Load) RETURN l.number AS n, l.status AS s, l.ended AS e ORDER BY n"),
    )


def holding(db: Database, folder: Path) -> LoadSummary:
    """Make ``db`` hold only the dataset in ``folder``, loaded through transactions into an
    emptied database, and return what that load said. A large dataset several modules read
    (the district) is loaded once: when the database still holds it as it was left just after
    its load, the load is not repeated. Every test that writes begins with `wipe`, which
    forgets it."""
    global _held
    folder = Path(folder)
    if _held is not None and _held.folder == folder and _looks(db) == _held.after:
        return _held.summary
    from orgnet.loaders.load import load_dataset

    wipe(db)
    summary = load_dataset(db, folder)
    _held = _Held(folder, summary, _looks(db))
    return summary


def load_records(db: Database) -> list[dict]:
    """The record of loads, but when each began and ended."""
    rows = db.read("MATCH (l:Load) RETURN properties(l) AS p ORDER BY l.number")
    return [{k: v for k, v in r["p"].items() if k not in ("began", "ended")} for r in rows]


@dataclass(frozen=True)
class Loaded:
    """A dataset loaded through transactions into an emptied database, as the tests compare
    it: the network (`dump`), the network with its provenance, the record of loads and what
    the load said."""

    network: tuple[list, list]
    graph: tuple[list, list]
    loads: list[dict]
    summary: LoadSummary


def loaded(db: Database, folder: Path) -> Loaded:
    summary = holding(db, folder)
    graph = dump(db, provenance=True)
    return Loaded(network_of(graph), graph, load_records(db), summary)


@contextmanager
def database_with(settings: Settings, folder: Path) -> Iterator[Database]:
    """The test engine's database holding only the dataset in ``folder`` (see `holding`)."""
    with connect(settings) as db:
        holding(db, folder)
        yield db


PROVENANCE = ("load_created", "load_changed", "load_source")


def dump(db: Database, provenance: bool = False) -> tuple[list, list]:
    """Every node (labels, properties) and relationship (type, ends, properties), sorted: the
    network, without the record of loads. With ``provenance``, each one's provenance and the
    versions kept too (what an undo must give back exactly); without, the network alone (what
    two loads of the same rows from other files must agree on)."""
    nodes = db.read(
        "MATCH (n) WHERE NOT n:Load AND NOT n:OrgnetLock AND ($all OR NOT n:Version) "
        "RETURN labels(n) AS labels, properties(n) AS props",
        {"all": provenance},
    )
    rels = db.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props"
    )
    if not provenance:
        for item in (*nodes, *rels):
            item["props"] = {k: v for k, v in item["props"].items() if k not in PROVENANCE}
    canon_nodes = sorted(
        (tuple(sorted(n["labels"])), tuple(sorted(n["props"].items()))) for n in nodes
    )
    canon_rels = sorted(
        (r["type"], r["a"], r["b"], tuple(sorted(r["props"].items()))) for r in rels
    )
    return canon_nodes, canon_rels


def network_of(graph: tuple[list, list]) -> tuple[list, list]:
    """What `dump` without provenance reads, from what it read with it (a district's graph is
    not read twice)."""
    nodes, rels = graph

    def plain(props: tuple) -> tuple:
        return tuple(item for item in props if item[0] not in PROVENANCE)

    return (
        sorted((labels, plain(props)) for labels, props in nodes if "Version" not in labels),
        sorted((kind, a, b, plain(props)) for kind, a, b, props in rels),
    )


def count(db: Database, pattern: str = "(n)") -> int:
    return int(db.read(f"MATCH {pattern} RETURN count(*) AS n")[0]["n"])


def write_csv(folder: Path, name: str, rows: list[dict], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    headers: list[str] = []
    for row in rows:
        headers += [k for k in row if k not in headers]
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.DictWriter(f, headers)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_dataset(folder: Path, files: dict[str, list[dict]], encoding: str = "utf-8") -> Path:
    for name, rows in files.items():
        write_csv(folder, name, rows, encoding)
    return folder


def orgnet(
    *args: str,
    env: dict[str, str],
    check: bool = False,
    timeout: float = 900,
    cwd: Path | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess:
    """The command as a process: forked from one that has its libraries imported
    (tests/cli_zygote.py), or of an interpreter of its own when that cannot be."""
    done = forked_cli.run(ORGNET, args, env, timeout, cwd, stdin)
    if done is None:
        done = subprocess.run(
            [*ORGNET, *args], env=env, capture_output=True, text=True, timeout=timeout,
            cwd=cwd, input=stdin,
        )  # fmt: skip
    if check and done.returncode != 0:
        raise AssertionError(f"orgnet {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done
