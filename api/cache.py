"""Answers kept between requests until the graph changes.

A data screen asks the same city's coverage every few seconds; the answer changes only when the
graph does. So the API keeps recent answers, keyed by the question, its inputs, the day, and the
caller's jurisdiction and right to personal data, under the graph's version — the bookmark of
the database's last committed transaction, which every writer moves (a load, ``orgnet db
derive``, or anything written by other means). The version is read again at most every
``CHECK_EVERY`` seconds, so a finished load shows within that. Requests that ask the same
thing at once share one computation. Large answers (past ``MAX_ROWS`` rows) are not kept.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any

CHECK_EVERY = 0.25  # seconds between reads of the graph's version
MAX_ROWS = 50_000  # rows of an answer worth keeping


class AnswerCache:
    def __init__(self, entries: int, version: Callable[[], str]) -> None:
        self.entries = entries
        self._version = version
        self._known: tuple[float, str] | None = None
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, Future] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def version(self) -> str:
        now = time.monotonic()
        with self._lock:
            if self._known is not None and now - self._known[0] < CHECK_EVERY:
                return self._known[1]
        current = self._version()
        with self._lock:
            if self._known is None or self._known[1] != current:
                self._kept.clear()
            self._known = (now, current)
        return current

    def answer(self, key: Hashable, compute: Callable[[], Any], rows: Callable[[Any], int]) -> Any:
        """The kept answer for ``key`` at the graph's version, or ``compute()``'s (shared with
        whoever asks the same meanwhile)."""
        if self.entries <= 0:
            return compute()
        versioned = (self.version(), key)
        with self._lock:
            if versioned in self._kept:
                self._kept.move_to_end(versioned)
                self.hits += 1
                return self._kept[versioned]
            running = self._running.get(versioned)
            if running is None:
                running = Future()
                self._running[versioned] = running
                owner = True
                self.misses += 1
            else:
                owner = False
        if not owner:
            return running.result()
        try:
            result = compute()
        except BaseException as e:
            running.set_exception(e)
            raise
        finally:
            with self._lock:
                self._running.pop(versioned, None)
        running.set_result(result)
        if rows(result) <= MAX_ROWS:
            with self._lock:
                self._kept[versioned] = result
                while len(self._kept) > self.entries:
                    self._kept.popitem(last=False)
        return result
