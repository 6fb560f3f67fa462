"""Constraints and indexes, created idempotently from the model's declaration."""

from __future__ import annotations

import re

from .connection import Database
from .model import ENTITY, INDEXES, NODES
from .writes import statement


def schema_statements() -> list[str]:
    """The indexes the questions use, then uniqueness of id per label and across all labels.

    Indexes first: each is built in the background once created, while a constraint's
    statement waits until its own index is built — so on a store that holds a graph already
    (an offline import) the indexes are built beside the constraints instead of after them
    (a province: 11 s instead of 18)."""
    indexes = [
        f"CREATE INDEX {index.label.lower()}_{index.prop} IF NOT EXISTS "
        f"FOR (n:{index.label}) ON (n.{index.prop})"
        for index in INDEXES
    ]
    # The versions the record of loads kept (graph.provenance).
    indexes += [
        f"CREATE INDEX version_{key} IF NOT EXISTS FOR (v:Version) ON (v.version_{key})"
        for key in ("load", "of", "from")
    ]
    # Search by name (GET /v1/search): a text index answers CONTAINS, Chinese included.
    indexes.append(f"CREATE TEXT INDEX entity_name IF NOT EXISTS FOR (n:{ENTITY}) ON (n.name)")
    constraints = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in [ENTITY, *NODES]
    ]
    # The record of loads.
    constraints.append(
        "CREATE CONSTRAINT load_number IF NOT EXISTS FOR (l:Load) REQUIRE l.number IS UNIQUE"
    )
    return indexes + constraints


def ensure_schema(db: Database, *, wait: bool = True) -> None:
    """Create what is missing; with ``wait``, return once every index is built (the
    constraints always are: their statements wait).

    What the database has is read first, in one statement, and only what it lacks is created:
    a load into a database that has its schema (every load but the first) was otherwise 21
    schema transactions, each a no-op that the engine still opened, checked and committed."""
    have = {row["name"]: row["online"] for row in db.read(statement("schema_indexes"))}
    missing = [text for text in schema_statements() if _name(text) not in have]
    for text in missing:
        db.autocommit(text)
    if wait and (missing or not all(have.values())):
        await_indexes(db)


_NAMED = re.compile(r"CREATE (?:TEXT )?(?:INDEX|CONSTRAINT) (\w+) IF NOT EXISTS ")


def _name(text: str) -> str:
    found = _NAMED.match(text)
    if found is None:
        raise ValueError(f"a schema statement without its name: {text}")
    return found.group(1)


def await_indexes(db: Database) -> None:
    db.autocommit("CALL db.awaitIndexes(300)")
