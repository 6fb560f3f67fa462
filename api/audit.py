"""The audit log: one line for every upload and every answer that held personal data in clear.

Append-only JSON lines in the home (``audit.jsonl``, readable by its owner only): the time, the
key's id and name (never the key), the route, the parameters, the jurisdiction, the rows
returned and the outcome. A line is written and flushed to disk before the answer leaves; when
it cannot be written, the answer does not leave either (the caller gets 503), so no personal
data goes out unrecorded. ``orgnet audit`` reads it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from orgnet.graph.errors import AuditUnavailable

log = logging.getLogger("orgnet.api")


class AuditLog:
    def __init__(self, home: Path) -> None:
        self.path = home / "audit.jsonl"

    def record(self, *, withheld: str = "nothing was answered", **entry: Any) -> None:
        """Append one line (with the time) and make it durable, or raise AuditUnavailable
        (whose message says what was ``withheld`` for want of it)."""
        line = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), **entry}
        data = (json.dumps(line, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # whole lines, whatever their length
                written = os.write(fd, data)
                if written != len(data):
                    raise OSError(f"wrote {written} of {len(data)} bytes")
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as e:
            log.error("the audit log %s cannot be written: %s", self.path, e.strerror or e)
            raise AuditUnavailable(
                f"the audit log cannot be written, so {withheld}; tell the server's administrator"
            ) from None

    def read(self, *, since: str | None = None, key: str | None = None) -> Iterator[dict]:
        """The lines in order, from ``since`` (an ISO date or time) on, of the key with this
        id or name."""
        try:
            f = self.path.open(encoding="utf-8")
        except FileNotFoundError:
            return
        with f:
            for text in f:
                if not text.strip():
                    continue
                try:
                    line = json.loads(text)
                except ValueError:
                    continue  # a line cut short by a crash; the ones after it still count
                if since and str(line.get("time", "")) < since:
                    continue
                if key and key not in (line.get("key_id"), line.get("key_name")):
                    continue
                yield line

    def read_all(self) -> list[dict]:
        return list(self.read())
