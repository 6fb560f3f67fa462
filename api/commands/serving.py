"""orgnet serve: the HTTP API and the console."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import EmbeddedEngine, app, called, err, get_settings, show, words


@app.command(help=words("help.serve"))
def serve(
    host: Annotated[
        str, typer.Option("--host", metavar=called("host"), help=words("help.host"))
    ] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option("--port", min=1, max=65535, metavar=called("port"), help=words("help.port")),
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, max=64, metavar=called("number"), help=words("help.workers")
        ),
    ] = 1,
) -> None:
    import uvicorn

    settings = get_settings()
    if not settings.external:
        with err.status(words("cli.starting")):
            EmbeddedEngine(settings).start()
    show(words("cli.serving", host=host, port=port))
    # Each process builds its app from the environment's settings.
    uvicorn.run(
        "orgnet.api.server:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        http="orgnet.api.serving:JsonH11Protocol",
    )
