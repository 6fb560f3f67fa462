"""The answers kept between requests: bounded by entries and by rows in all, the least recently
asked let go first; a large answer is kept while it fits; a change of the graph forgets all."""

from __future__ import annotations

import pytest

from orgnet.api import cache
from orgnet.api.cache import AnswerCache


def test_answers_are_kept_within_a_budget_of_rows_the_least_recent_let_go_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cache, "KEPT_ROWS", 100)
    monkeypatch.setattr(cache, "CHECK_EVERY", 60.0)
    version = ["v1"]
    kept = AnswerCache(10, lambda: version[0])
    computed: list[str] = []

    def ask(key: str, rows: int) -> str:
        def compute() -> str:
            computed.append(key)
            return key

        return kept.answer(key, compute, lambda _: rows)

    ask("a", 60)
    ask("b", 30)
    ask("a", 60)  # kept; now the most recent
    assert computed == ["a", "b"]
    ask("c", 30)  # 120 rows: b, the least recent, is let go
    ask("a", 60)
    ask("b", 30)
    assert computed == ["a", "b", "c", "b"]
    ask("huge", 101)  # larger than the whole budget: answered, never kept
    ask("huge", 101)
    assert computed.count("huge") == 2
    version[0] = "v2"
    monkeypatch.setattr(cache, "CHECK_EVERY", 0.0)  # the next read of the version sees v2
    ask("a", 60)
    assert computed[-1] == "a"  # the graph changed: asked anew
