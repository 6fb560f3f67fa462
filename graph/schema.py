"""Constraints and indexes, created idempotently from the model's declaration."""

from __future__ import annotations

from .connection import Database
from .model import ENTITY, INDEXES, NODES


def schema_statements() -> list[str]:
    """Uniqueness of id per label and across all labels, then the indexes the questions use."""
    statements = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in [ENTITY, *NODES]
    ]
    statements += [
        f"CREATE INDEX {index.label.lower()}_{index.prop} IF NOT EXISTS "
        f"FOR (n:{index.label}) ON (n.{index.prop})"
        for index in INDEXES
    ]
    # The record of loads and the versions they kept (graph.provenance).
    statements.append(
        "CREATE CONSTRAINT load_number IF NOT EXISTS FOR (l:Load) REQUIRE l.number IS UNIQUE"
    )
    statements += [
        f"CREATE INDEX version_{key} IF NOT EXISTS FOR (v:Version) ON (v.version_{key})"
        for key in ("load", "of", "from")
    ]
    # Search by name (GET /v1/search): a text index answers CONTAINS, Chinese included.
    statements.append(f"CREATE TEXT INDEX entity_name IF NOT EXISTS FOR (n:{ENTITY}) ON (n.name)")
    return statements


def ensure_schema(db: Database) -> None:
    for statement in schema_statements():
        db.autocommit(statement)
    db.autocommit("CALL db.awaitIndexes(300)")
