"""One writer at a time: the lock a load (or any other write of the graph) holds from before it
validates until it has written and derived everything.

Two loads at once would each validate against a graph the other is changing and each keep the
one target of a one-target link the other did not see (a person living in two buildings). So a
writer takes:

* for the embedded engine, a lock file in its home (``write.lock``), held with ``flock``: the
  kernel lets go of it the moment its process ends, however it ends;
* always, a lock in the database itself — one ``OrgnetLock`` node under a uniqueness
  constraint — which is what guards a server other machines write to. Its holder renews a lease
  while it works; a lock whose lease ran out, or whose holder on this machine is no longer
  running, is stale and is broken by the next writer.

The second writer either waits (``wait`` seconds) or gets ``Busy`` naming who holds the lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import psutil

from .connection import Database
from .errors import Busy, EngineError, EngineUnavailable
from .writes import statement

NAME = "write"  # one lock for every writer of the graph
LEASE = 120  # seconds a holder's lease runs before it must be renewed
RENEW = 20  # seconds between renewals
POLL = 0.5  # seconds between attempts while waiting

# The tokens of the locks this process holds now. A lock in the database naming this process
# with another token was left by it — its release failed with a database that stopped itself
# (a full disk), say — and is stale though its holder still runs (a server, a notebook).
_HELD: set[str] = set()


def _holder() -> dict[str, Any]:
    """Who is asking: enough for another user to know whom to wait for."""
    process = psutil.Process()
    return {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "started": process.create_time(),
        "user": _user(),
        "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))[
            :300
        ],
        "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def _user() -> str:
    try:
        return psutil.Process().username()
    except (psutil.Error, KeyError):
        return str(os.getuid())


def _alive_here(holder: dict[str, Any]) -> bool:
    """Whether a holder on this machine is still running (the same pid and start time)."""
    try:
        process = psutil.Process(int(holder["pid"]))
        return abs(process.create_time() - float(holder["started"])) < 1.0
    except (psutil.Error, KeyError, TypeError, ValueError):
        return False


def _constraint_error() -> type[Exception]:
    from neo4j.exceptions import ConstraintError  # loaded with the first connection

    return ConstraintError


def describe(holder: dict[str, Any] | None) -> str:
    if not holder:
        return "another writer"
    return (
        f"{holder.get('command') or 'a writer'} (pid {holder.get('pid')} on "
        f"{holder.get('host')}, user {holder.get('user')}, since {holder.get('since')})"
    )


def break_after_restart(db: Database) -> None:
    """A database that stopped itself after a fault failed every write under way, and its
    writers with them: the lock one of them held is stale, though that writer may still run
    (a server whose upload failed). Called once the engine is started again."""
    rows = db.read(statement("lock_holder"), {"name": NAME})
    if rows:
        db.write(statement("lock_break"), {"name": NAME, "token": rows[0]["token"], "dead": True})


class WriteLock:
    """Held by ``with WriteLock(db, home):``; ``home`` is the embedded engine's home, if any."""

    def __init__(self, db: Database, home: Path | None = None, *, wait: float = 0.0) -> None:
        self.db = db
        self.home = home
        self.wait = wait
        self.token = secrets.token_hex(16)
        self.holder = _holder()
        self._file: IO[str] | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None
        self.lost = False

    # -- the lock file of an embedded home --------------------------------------------------

    def _take_file(self, deadline: float) -> None:
        assert self.home is not None
        path = self.home / "write.lock"
        try:
            self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115
        except OSError as e:
            raise EngineError(
                f"cannot take the write lock {path}: {e.strerror or e}; it must be a file this "
                f"user may write (remove it when no load runs: it is made again)"
            ) from e
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    try:
                        holder = json.loads(handle.read() or "null")
                    except ValueError:
                        holder = None
                    handle.close()
                    raise self._busy(holder) from None
                time.sleep(POLL)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(self.holder, ensure_ascii=False))
        handle.flush()
        self._file = handle

    def _drop_file(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.truncate(0)
                fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    # -- the lock in the database -----------------------------------------------------------

    def _take_node(self, deadline: float) -> None:
        self.db.autocommit(statement("lock_constraint"))
        parameters = {"name": NAME, "token": self.token, "lease": LEASE, **self.holder}
        while True:
            try:
                self.db.write(statement("lock_take"), parameters)
                return
            except _constraint_error():
                pass
            rows = self.db.read(statement("lock_holder"), {"name": NAME})
            if not rows:
                continue  # let go of in the meantime: try again at once
            holder = rows[0]
            here = holder.get("host") == self.holder["host"]
            dead = here and not _alive_here(holder)
            left_by_us = here and holder.get("pid") == os.getpid() and not dead
            dead = dead or (left_by_us and holder["token"] not in _HELD)
            if dead or holder["expired"]:
                self.db.write(
                    statement("lock_break"), {"name": NAME, "token": holder["token"], "dead": dead}
                )
                continue
            if time.monotonic() >= deadline:
                raise self._busy(holder)
            time.sleep(POLL)

    def _renew(self) -> None:
        while not self._stop.wait(RENEW):
            try:
                counts = self.db.write(
                    statement("lock_renew"), {"name": NAME, "token": self.token, "lease": LEASE}
                )
            except Exception:  # the database is down: the load itself will say so
                continue
            if counts.properties_set == 0:
                self.lost = True  # broken as stale by another writer: stop writing
                return

    def _drop_node(self) -> None:
        with contextlib.suppress(Exception):  # a database that went down keeps a stale lock
            self.db.write(statement("lock_release"), {"name": NAME, "token": self.token})

    def _busy(self, holder: dict[str, Any] | None) -> Busy:
        waited = f" (waited {self.wait:.0f}s)" if self.wait else ""
        return Busy(
            f"the graph is being written by {describe(holder)}{waited}; one load at a time — "
            f"run again when it has finished, or add --wait SECONDS to queue behind it",
            said="busy_waited" if self.wait else "busy",
            seconds=f"{self.wait:.0f}",
            **{
                k: (holder or {}).get(k) or "?" for k in ("command", "pid", "host", "user", "since")
            },
        )

    # -- holding it -------------------------------------------------------------------------

    def check(self) -> None:
        """Raise Busy if the lock was lost (broken by another writer after a long stall)."""
        if self.lost:
            raise Busy(
                "the write lock was taken over by another writer; nothing more was written",
                said="lock_lost",
            )

    @contextlib.contextmanager
    def store_replaced(self) -> Iterator[None]:
        """Around the store being replaced whole (an offline import, the engine stopped): the
        lease stops being renewed, and the lock node, gone with the old store, is taken again
        in the new one. The home's lock file, held throughout, keeps every other writer of an
        embedded home out meanwhile; a server's store is never replaced."""
        assert self.home is not None, "only an embedded engine's store is replaced"
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        try:
            yield
        finally:
            with contextlib.suppress(Exception):  # one left in a store that was kept
                self.db.write(statement("lock_release"), {"name": NAME, "token": self.token})
            self._take_node(time.monotonic())
            self._stop = threading.Event()
            self._renewer = threading.Thread(target=self._renew, name="orgnet-lock", daemon=True)
            self._renewer.start()

    def __enter__(self) -> WriteLock:
        deadline = time.monotonic() + self.wait
        if self.home is not None:
            self._take_file(deadline)
        try:
            self._take_node(deadline)
        except BaseException:
            self._drop_file()
            raise
        _HELD.add(self.token)
        self._renewer = threading.Thread(target=self._renew, name="orgnet-lock", daemon=True)
        self._renewer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        # A database that stopped answering would only be retried for the driver's half a
        # minute before the error is said: its lock is left, stale, for the next writer.
        gone = isinstance(exc[1], EngineUnavailable)
        if self._renewer is not None and not gone:
            self._renewer.join(timeout=5)
        if not gone:
            self._drop_node()
        _HELD.discard(self.token)
        self._drop_file()
