"""The connection layer: one place that turns settings into a working driver.

Reads run in read transactions and writes in write transactions, with an explicit database
name, so the same code runs against a cluster behind a ``neo4j://`` routing URI (DESIGN §9).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import neo4j
    from neo4j import GraphDatabase
    from neo4j.exceptions import (
        AuthError,
        ConfigurationError,
        DatabaseError,
        DriverError,
        Neo4jError,
        ServiceUnavailable,
        SessionExpired,
    )

    from .settings import Settings

from .errors import DiskFull, EngineUnavailable, QueryTimeout

# What the driver imports when it finds it (neo4j._optional_deps), for parameters orgnet
# never sends.
_DRIVER_EXTRAS = ("numpy", "pandas", "pyarrow")


def _load_driver() -> None:
    """Import the driver on the first connection: it takes a third of a second, which a
    command that asks nothing (--help) should not pay.
    Every name of it this module uses is bound here, before any of them can be reached.

    Where pandas or numpy is installed (the notebooks' extra, the brokers question), the
    driver imports them as it loads, only to send their arrays and timestamps as parameters,
    which orgnet never does: a third of a second of every command that connects. They are
    kept out while the driver loads, and import as usual afterwards."""
    kept_out = [name for name in _DRIVER_EXTRAS if name not in sys.modules]
    for name in kept_out:
        sys.modules[name] = None  # type: ignore[assignment]  # import numpy: ImportError
    try:
        import neo4j
        from neo4j import GraphDatabase
        from neo4j.exceptions import (
            AuthError,
            ConfigurationError,
            DatabaseError,
            DriverError,
            Neo4jError,
            ServiceUnavailable,
            SessionExpired,
        )
    finally:
        for name in kept_out:
            del sys.modules[name]

    globals().update(
        neo4j=neo4j, GraphDatabase=GraphDatabase, AuthError=AuthError,
        ConfigurationError=ConfigurationError, DatabaseError=DatabaseError,
        DriverError=DriverError, Neo4jError=Neo4jError, ServiceUnavailable=ServiceUnavailable,
        SessionExpired=SessionExpired,
    )  # fmt: skip


# The driver logs a transaction it retries (a deadlock between two writers, say) as a warning;
# it recovers, and the user sees the outcome. Without a handler of its own, Python would print
# those warnings on stderr.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class WriteCounts:
    nodes_created: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    changed: int = 0  # what the statement says it changed (its `changed` column, summed)


class Database:
    """A driver bound to one database, with the two transaction shapes orgnet uses."""

    def __init__(
        self, driver: neo4j.Driver, database: str, uri: str, home: Path | None = None
    ) -> None:
        self.driver = driver
        self.database = database
        self.uri = uri
        self.home = home  # the embedded engine's home; None for a server named by NEO4J_URI
        # Each read's time budget in seconds (None: the server's own); past it the database
        # stops the read and it raises QueryTimeout.
        self.read_timeout: float | None = None

    def read(self, query: str, parameters: Mapping[str, Any] | None = None) -> list[dict]:
        """Run one query in a read transaction and return its records as dicts.

        The values are taken as the driver decoded them (``Record.data()`` would walk every
        value again to turn nodes into dicts, a third of the time of a large answer); the
        catalog's queries return properties, lists and maps, never nodes.
        """

        def work(tx: neo4j.ManagedTransaction) -> list[dict]:
            result = tx.run(query, dict(parameters or {}))
            keys = result.keys()
            return [dict(zip(keys, record, strict=True)) for record in result]

        if self.read_timeout:
            work = neo4j.unit_of_work(timeout=self.read_timeout)(work)
        with self._session() as session:
            return session.execute_read(work)

    def version(self) -> str:
        """The graph's version: the bookmark of the database's last committed transaction,
        which any write moves."""
        with self._session() as session:
            session.execute_read(lambda tx: tx.run("RETURN 1").consume())
            return ",".join(sorted(session.last_bookmarks().raw_values))

    def write(self, query: str, parameters: Mapping[str, Any] | None = None) -> WriteCounts:
        """Run one query in a write transaction (retried on transient errors)."""

        def work(tx: neo4j.ManagedTransaction) -> WriteCounts:
            result = tx.run(query, dict(parameters or {}))
            changed = sum(r.get("changed", 0) or 0 for r in result)
            c = result.consume().counters
            return WriteCounts(
                c.nodes_created,
                c.relationships_created,
                c.relationships_deleted,
                c.properties_set,
                changed,
            )

        with self._session() as session:
            return session.execute_write(work)

    def autocommit(self, query: str, parameters: Mapping[str, Any] | None = None) -> None:
        """Run a statement in an auto-commit transaction: schema commands, and statements
        that commit in batches of their own (CALL … IN TRANSACTIONS)."""
        with self._session() as session:
            session.run(query, dict(parameters or {})).consume()

    @contextmanager
    def _session(self) -> Iterator[neo4j.Session]:
        try:
            with self.driver.session(database=self.database) as session:
                yield session
        except (ServiceUnavailable, SessionExpired) as e:
            raise EngineUnavailable(
                f"the database at {self.uri} stopped answering ({_reason(e)}): was its engine "
                f"stopped? Run the command again (orgnet db start starts the engine)",
                said="stopped_answering",
                uri=self.uri,
                reason=_reason(e),
            ) from e
        except Neo4jError as e:
            if "TransactionTimedOut" in (e.code or ""):
                raise QueryTimeout(
                    f"the query ran past its budget of {self.read_timeout:g} s and was stopped"
                ) from e
            refused = _refusal(e, self.uri, self.database) or _fault(e, self.uri, self.home)
            if refused is None:
                raise
            raise refused from e

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reason(error: Exception) -> str:
    """The driver's reason for a lost connection, in a few words (its message spans lines and
    repeats the address)."""
    text = str(error)
    if "(reason " in text:
        text = text.rsplit("(reason ", 1)[1].rstrip(")")
    text = text.splitlines()[0] if text.strip() else type(error).__name__
    return text.replace("[Errno 111] ", "").strip().rstrip(":").lower()


_STOPPED_ITSELF = "needs to be restarted"


def _fault(error: Neo4jError, uri: str, home: Path | None) -> EngineUnavailable | None:
    """A database that failed writing — the disk of the embedded engine full, or a database
    that stopped itself after a fault — in words; None for any other error."""
    if not isinstance(error, DatabaseError):
        return None
    full = _full_disk(home, error.message or "")
    if full is not None:
        return full
    if _STOPPED_ITSELF in (error.message or ""):
        return _stopped_itself(uri, home, "")
    return None


def _full_disk(home: Path | None, said: str = "") -> DiskFull | None:
    """The embedded engine's disk, full (little room left, or the database said so)."""
    if home is None:
        return None
    from .engine import DISK_LEAST, free_space, megabytes

    free = free_space(home)
    if free >= DISK_LEAST and "No space left" not in said:
        return None
    return DiskFull(
        f"the disk holding the database ({home}) is full ({megabytes(free)} free) and the "
        f"database stopped writing; free some space and run the command again (the engine "
        f"restarts itself, and a load completes what it had written)",
        said="disk_full_database",
        home=home,
        free=megabytes(free),
    )


def _stopped_itself(uri: str, home: Path | None, why: str) -> EngineUnavailable:
    """A database that stopped itself after a fault, and what brings it back."""
    full = _full_disk(home)
    if full is not None:
        return full
    if "No space left on device" in why:
        cause = " (its disk was full, and has room again)"
    else:
        cause = f" ({_one_line(why)})" if why else ""
    again = (
        "any command restarts it (orgnet db start)"
        if home is not None
        else "it must be restarted by its administrator"
    )
    return EngineUnavailable(f"the database at {uri} stopped itself after a fault{cause}; {again}")


def _why_stopped(driver: neo4j.Driver, database: str) -> str:
    """What the database says of itself when it stopped itself (SHOW DATABASES)."""
    try:
        records = driver.execute_query(
            "SHOW DATABASES YIELD name, statusMessage WHERE name = $name RETURN statusMessage",
            name=database,
            database_="system",
        ).records
    except (Neo4jError, DriverError, OSError):
        return ""
    return str(records[0]["statusMessage"] or "") if records else ""


def _refusal(error: Neo4jError, uri: str, database: str) -> EngineUnavailable | None:
    """The database's refusals a user can cause by configuration, in words; None for others."""
    code = error.code or ""
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return EngineUnavailable(
            f"{uri} has no database {database!r} (NEO4J_DATABASE); name one it holds"
        )
    if code == "Neo.ClientError.Security.AuthenticationRateLimit":
        return EngineUnavailable(
            f"{uri} refused the credentials too many times and now waits before trying them "
            f"again; check NEO4J_USER and NEO4J_PASSWORD, then retry in a few seconds"
        )
    if isinstance(error, AuthError) or code.startswith("Neo.ClientError.Security."):
        return EngineUnavailable(f"{uri} refused the credentials: {error.message}")
    return None


_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def connect(
    settings: Settings | None = None,
    *,
    start: bool = True,
    retry_seconds: float | None = None,
    connection_timeout: float | None = None,
    _restarted: bool = False,
) -> Database:
    """Open the database: the server named by NEO4J_URI, else the embedded engine.

    The embedded engine is started on demand unless ``start`` is false. A transaction that
    fails for a passing cause (the database away, a deadlock) is retried for ``retry_seconds``
    (the driver's 30 by default); a connection is waited for ``connection_timeout`` seconds
    (the driver's 30 by default).
    """
    _load_driver()
    from .engine import EmbeddedEngine
    from .settings import get_settings

    settings = settings or get_settings()
    home: Path | None = None
    if settings.external:
        uri = str(settings.neo4j_uri).strip()
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if scheme not in _SCHEMES:
            raise EngineUnavailable(
                f"NEO4J_URI {uri!r} is not a Neo4j address; it starts with one of "
                + ", ".join(f"{s}://" for s in _SCHEMES)
                + " (for example neo4j://db.example.internal:7687)"
            )
        auth = (settings.neo4j_user, settings.neo4j_password or "")
    else:
        engine = EmbeddedEngine(settings)
        status = engine.start() if start else engine.status()
        if not status.running:
            raise EngineUnavailable(
                f"the embedded engine of {engine.home} is not running (orgnet db start)",
                said="not_running",
                home=engine.home,
            )
        uri = str(status.uri)
        auth = (settings.neo4j_user, engine.password())
        home = engine.home
    try:
        driver = GraphDatabase.driver(
            uri,
            auth=auth,
            max_connection_pool_size=settings.orgnet_db_pool,
            notifications_min_severity="OFF",
            max_transaction_retry_time=30.0 if retry_seconds is None else retry_seconds,
            connection_timeout=30.0 if connection_timeout is None else connection_timeout,
        )
    except (ConfigurationError, ValueError) as e:
        raise EngineUnavailable(f"NEO4J_URI {uri!r} is not usable: {e}") from e
    try:
        driver.verify_connectivity()
        # And the database named: an unknown one fails only once a session uses it.
        driver.execute_query("RETURN 1", database_=settings.neo4j_database)
    except Neo4jError as e:
        refused = _refusal(e, uri, settings.neo4j_database)
        stopped = _STOPPED_ITSELF in (e.message or "")
        why = _why_stopped(driver, settings.neo4j_database) if stopped and not refused else ""
        driver.close()
        if refused is not None:
            raise refused from e
        if stopped:
            if home is not None and start and _full_disk(home) is None and not _restarted:
                # What was committed is in the store's log; a new start recovers it.
                from .lock import break_after_restart

                EmbeddedEngine(settings).restart()
                database = connect(
                    settings,
                    start=start,
                    retry_seconds=retry_seconds,
                    connection_timeout=connection_timeout,
                    _restarted=True,
                )
                break_after_restart(database)
                return database
            raise _stopped_itself(uri, home, why) from e
        raise EngineUnavailable(f"{uri}: {_one_line(e.message or str(e))}") from e
    except (ServiceUnavailable, OSError, DriverError) as e:
        driver.close()
        raise EngineUnavailable(
            f"the database at {uri} is not reachable: {_reason(e)}",
            said="unreachable",
            uri=uri,
            reason=_reason(e),
        ) from e
    return Database(driver, settings.neo4j_database, uri, home)


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
