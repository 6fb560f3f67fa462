"""Constraints and indexes, created idempotently from the model's declaration."""

from __future__ import annotations

from .connection import Database
from .model import ENTITY, INDEXES, NODES


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
    constraints always are: their statements wait)."""
    for statement in schema_statements():
        db.autocommit(statement)
    if wait:
        await_indexes(db)


def await_indexes(db: Database) -> None:
    db.autocommit("CALL db.awaitIndexes(300)")
