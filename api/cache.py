"""Answers kept between requests until the graph changes.

A data screen asks the same city's coverage every few seconds; the answer changes only when the
graph does. So the API keeps recent answers, keyed by the question, its inputs, the day, and the
caller's jurisdiction and right to personal data, under the graph's version — the bookmark of
the database's last committed transaction, which every writer moves (a load, ``orgnet db
derive``, or anything written by other means). The version is read again at most every
``CHECK_EVERY`` seconds, so a finished load shows within that. Requests that ask the same
thing at once share one computation. What is kept is bounded twice: by entries (the settings'
``ORGNET_API_CACHE``) and by rows in all (``KEPT_ROWS``), the least recently asked let go
first — so a province's large answers (a report, its rules) are kept too, a few at a time,
instead of being asked anew on every page.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any

CHECK_EVERY = 0.25  # seconds between reads of the graph's version
KEPT_ROWS = 2_000_000  # rows of all kept answers together (a row is a few hundred bytes)


class AnswerCache:
    def __init__(self, entries: int, version: Callable[[], str]) -> None:
        self.entries = entries
        self._version = version
        self._known: tuple[float, str] | None = None
        self._kept: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()  # answer, rows
        self._rows = 0
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
                self._rows = 0
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
                return self._kept[versioned][0]
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
        size = rows(result)
        if size <= KEPT_ROWS:
            with self._lock:
                if versioned[0] == (self._known[1] if self._known else None):
                    self._kept[versioned] = (result, size)
                    self._rows += size
                while len(self._kept) > self.entries or self._rows > KEPT_ROWS:
                    _, (_, dropped) = self._kept.popitem(last=False)
                    self._rows -= dropped
        return result
