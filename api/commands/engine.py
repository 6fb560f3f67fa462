"""orgnet db: start, stop and ask after the embedded engine; work out the derived links."""

from __future__ import annotations

import typer

from orgnet.graph.connection import connect
from orgnet.graph.errors import EngineUnavailable
from orgnet.graph.model import Rel

from .common import LANG, EmbeddedEngine, WaitOpt, db_app, err, get_settings, show, words


@db_app.command("start", help=words("help.db_start"))
def db_start() -> None:
    settings = get_settings()
    if settings.external:
        show(words("cli.external", uri=settings.neo4j_uri))
        return
    engine = EmbeddedEngine(settings)
    with err.status(words("cli.starting")):
        engine.start()
        # A database that stopped itself after a fault (its disk full) is brought back.
        connect(settings).close()
        status = engine.status()
    show(words("cli.running", uri=status.uri, pid=status.pid, home=status.home))


@db_app.command("stop", help=words("help.db_stop"))
def db_stop() -> None:
    engine = EmbeddedEngine(get_settings())
    show(words("cli.stopped" if engine.stop() else "cli.not_running"))


@db_app.command("status", help=words("help.db_status"))
def db_status() -> None:
    settings = get_settings()
    if settings.external:
        with connect(settings):
            pass
        show(words("cli.status_external", uri=settings.neo4j_uri, database=settings.neo4j_database))
        return
    status = EmbeddedEngine(settings).status()
    if not status.running:
        # Said as what it is, on stdout, with what starts it; the exit status says it too.
        show(words("cli.status_stopped", home=status.home))
        raise typer.Exit(EngineUnavailable.exit_code)
    # Running is not enough: its database may have stopped itself after a fault.
    connect(settings, start=False, retry_seconds=0).close()
    show(words("cli.status_running", uri=status.uri, pid=status.pid, home=status.home))


@db_app.command("derive", help=words("help.db_derive"))
def db_derive(
    wait: WaitOpt = 0,
) -> None:
    from orgnet.graph.derived import refresh_all
    from orgnet.graph.lock import WriteLock

    with (
        connect() as db,
        WriteLock(db, db.home, wait=wait),
        err.status(words("cli.deriving")),
    ):
        created, deleted = refresh_all(db)
    from orgnet.graph.model import DERIVED

    serves = next(d for d in DERIVED if d.type is Rel.SERVES)
    what = serves.zh if LANG == "zh" else Rel.SERVES.value
    show(words("cli.derived", what=what, created=f"{created:,}", deleted=f"{deleted:,}"))
