"""The Cypher catalog: one question per ``.cypher`` file, loaded by name.

Each file opens with a header of ``//`` lines that says what it answers, its parameters and
its columns; the catalog reads the parameters from there so that tests can run every query.

The rules that several questions share — dates, membership, where an org counts — are written
once as macros a query names (``CURRENT(r)``, ``MEMBER_AT(p)`` …), in ``graph/rules.py``; the
catalog writes them out when it loads a file (a test checks that no query spells a rule out by
hand).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from orgnet.graph.connection import Database
from orgnet.graph.rules import expand

from .packing import Packed, pack, unpack

CYPHER = Path(__file__).parent / "cypher"
T = TypeVar("T")
_PARAM = re.compile(r"\$([a-z_]+)")


@contextmanager
def paused_collector() -> Iterator[None]:
    """Python's cycle collector paused while an answer's many small objects are made: it would
    walk every object made so far again and again, though none of them refer to each other in
    a cycle (a city's contact graph took 190 ms to build with it, 59 ms without; a province's
    building gaps 2.0 s, 1.7 s; its cross-appointments' 33,000 persons and 150,000 posts three
    times as long). The pause is the whole process's, for the second a question takes: a
    question that found the collector on turns it back on when it ends."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@cache
def _readers() -> ThreadPoolExecutor:
    """The threads that send a question's independent queries at once (the engine runs each
    query on one core: the parallel runtime is not in the community edition). Shared by every
    caller, so sized for a server's concurrent requests (ORGNET_QUERY_THREADS)."""
    from orgnet.graph.settings import get_settings  # read when a question is first asked

    return ThreadPoolExecutor(
        max_workers=get_settings().orgnet_query_threads, thread_name_prefix="orgnet-read"
    )


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    header: str
    packed: Packed | None = None  # the same query answering in one record (see packing)

    @property
    def parameters(self) -> list[str]:
        """The parameters the header declares (``// Parameters: $scope, $as_of``, which may run
        on over the following lines until ``// Columns:``)."""
        found: list[str] = []
        reading = False
        for line in self.header.splitlines():
            lowered = line.lower()
            if lowered.startswith("parameters:"):
                reading = True
            elif lowered.startswith("columns:"):
                reading = False
            if reading:
                found += [p for p in _PARAM.findall(line) if p not in found]
        return found


@cache
def query(name: str) -> Query:
    text = (CYPHER / f"{name}.cypher").read_text(encoding="utf-8")
    header = "\n".join(
        line.removeprefix("//").strip() for line in text.splitlines() if line.startswith("//")
    )
    written = expand(text)
    return Query(name, written, header, pack(written))


def names() -> list[str]:
    return sorted(p.stem for p in CYPHER.glob("*.cypher"))


def run(db: Database, name: str, **parameters: object) -> list[dict]:
    """Run a catalog query in a read transaction with exactly the parameters its header names;
    its rows come packed in one record (see packing) and are returned as dicts."""
    q = query(name)
    declared = set(q.parameters)
    if set(parameters) != declared:
        missing, extra = declared - set(parameters), set(parameters) - declared
        raise TypeError(f"{name}: missing parameters {sorted(missing)}, unknown {sorted(extra)}")
    # Everything is asked as the empty scope, never null (the queries take either). An engine
    # keeps a plan for each statement and each set of its parameters' types, and null is of
    # none: an engine that does not also tell strings apart by their length (the tests',
    # tests/conftest.py) planned every question twice, scoped and not — 170 of the 795 plans
    # two test engines made over eight of the slowest modules.
    if "scope" in parameters and parameters["scope"] is None:
        parameters["scope"] = ""
    if q.packed is None:
        return db.read(q.text, parameters)
    return unpack(db.read(q.packed.text, parameters), q.packed.columns)


def run_together(db: Database, *asks: tuple[str, dict[str, object]]) -> list[list[dict]]:
    """Run independent catalog queries at the same time, each in a read transaction of its
    own, and return their rows in the order asked. For a question whose parts do not depend on
    one another; the parts may see the graph a moment apart, as any two reads do."""
    with paused_collector():  # their rows are made into dicts meanwhile
        futures = [_readers().submit(run, db, name, **parameters) for name, parameters in asks]
        return [future.result() for future in futures]


def run_in_parts(
    db: Database,
    name: str,
    make: Callable[..., T],
    order: Callable[[T], tuple],
    *,
    scope: str | None,
    **parameters: object,
) -> list[T]:
    """Run a catalog query for each part of ``scope`` side by side (``scope_parts``: a
    district's streets, a street's communities, everything's districts), so that the engine
    answers on every core, and return its rows made into ``make(**row)`` in the query's own
    order (``order``, its ORDER BY as a sort key on what ``make`` made). Each part's rows are
    made as they arrive, while the engine answers the others. Only for a query whose rows
    belong each to one place below the scope, so that the parts' rows are the scope's, each
    once."""

    def part(id: str) -> list[T]:
        return [make(**row) for row in run(db, name, **parameters, scope=id)]

    parts = [r["id"] for r in run(db, "scope_parts", scope=scope)]
    with paused_collector():  # the parts' rows are made meanwhile
        futures = [_readers().submit(part, id) for id in parts]
        rows = [row for future in futures for row in future.result()]
    rows.sort(key=order)  # the parts' rows are each in order: runs the sort merges
    return rows
