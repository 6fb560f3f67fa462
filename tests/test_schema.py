"""The schema (graph.schema): every index and constraint the model declares exists and is built
after a load, and a database that has them all is sent no schema statement — only what is
missing is created again."""

from __future__ import annotations

import pytest

from orgnet.graph import schema
from orgnet.graph.connection import Database
from orgnet.graph.schema import ensure_schema, schema_statements


def _names(db: Database, kind: str) -> dict[str, str]:
    return {r["name"]: r.get("state", "") for r in db.read(f"SHOW {kind} YIELD *")}


def _sent(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements ensure_schema sends as it runs (to the real engine)."""
    sent: list[str] = []
    autocommit = db.autocommit

    def recording(query: str, parameters: object = None) -> None:
        sent.append(query)
        autocommit(query, parameters)  # type: ignore[arg-type]

    monkeypatch.setattr(db, "autocommit", recording)
    return sent


def test_every_declared_index_and_constraint_is_there_and_built(db: Database) -> None:
    ensure_schema(db)
    indexes, constraints = _names(db, "INDEXES"), _names(db, "CONSTRAINTS")
    for text in schema_statements():
        name = schema._name(text)
        if " CONSTRAINT " in text:
            assert name in constraints, text
        assert indexes.get(name) == "ONLINE", (text, indexes.get(name))


def test_a_database_with_its_schema_is_sent_no_schema_statement(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_schema(db)
    sent = _sent(db, monkeypatch)
    ensure_schema(db)
    assert sent == []


@pytest.mark.parametrize("dropped", ["INDEX entity_name", "CONSTRAINT person_id"])
def test_only_what_is_missing_is_made_again(
    db: Database, monkeypatch: pytest.MonkeyPatch, dropped: str
) -> None:
    ensure_schema(db)
    before = set(_names(db, "INDEXES"))
    db.autocommit(f"DROP {dropped}")
    sent = _sent(db, monkeypatch)
    ensure_schema(db)
    name = dropped.split()[1]
    assert [schema._name(text) for text in sent if text.startswith("CREATE")] == [name]
    assert set(_names(db, "INDEXES")) == before
