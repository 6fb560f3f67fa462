"""The `orgnet` command: thin commands over loaders/ and queries/.

Domain errors become exit codes here, in one place (``main``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from orgnet.graph.connection import connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.errors import OrgnetError, ValidationFailed
from orgnet.graph.settings import get_settings
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

app = typer.Typer(
    name="orgnet",
    help="A knowledge graph of urban grassroots organizational networks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The embedded engine: start, stop, status.", no_args_is_help=True)
app.add_typer(db_app, name="db")

out = Console()
err = Console(stderr=True)


# -- the engine ---------------------------------------------------------------------------------


@db_app.command("start")
def db_start() -> None:
    """Start the embedded engine (builds it with Maven the first time)."""
    settings = get_settings()
    if settings.external:
        out.print(f"using {settings.neo4j_uri} (NEO4J_URI); the embedded engine is not started")
        return
    engine = EmbeddedEngine(settings)
    with err.status("starting the engine…"):
        status = engine.start()
    out.print(f"engine running: {status.uri} (pid {status.pid}, home {status.home})")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded engine cleanly."""
    engine = EmbeddedEngine(get_settings())
    if engine.stop():
        out.print("engine stopped")
    else:
        out.print("engine was not running")


@db_app.command("status")
def db_status() -> None:
    """Say whether the engine runs, where, and on which port."""
    settings = get_settings()
    if settings.external:
        out.print(f"external database: {settings.neo4j_uri} (database {settings.neo4j_database})")
        return
    status = EmbeddedEngine(settings).status()
    if status.running:
        out.print(f"running: {status.uri} (pid {status.pid}, home {status.home})")
    else:
        out.print(f"stopped (home {status.home})")
        raise typer.Exit(1)


# -- data in ------------------------------------------------------------------------------------


class _ProgressReporter:
    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def phase(self, name: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=False)
        self.task = self.progress.add_task(name, total=total or None)

    def advance(self, rows: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, rows)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@app.command()
def load(
    path: Annotated[Path, typer.Argument(help="A folder of CSV files or one .xlsx workbook.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only.")] = False,
    keep_extra: Annotated[
        bool, typer.Option("--keep-extra", help="Keep unknown columns as properties.")
    ] = False,
) -> None:
    """Validate a dataset whole, then write it (nothing is written if anything is wrong)."""
    from orgnet.loaders.load import load_dataset

    with connect() as db, _progress() as progress:
        summary = load_dataset(
            db, path, dry_run=dry_run, keep_extra=keep_extra, reporter=_ProgressReporter(progress)
        )
    for notice in summary.notices:
        err.print(f"[yellow]notice:[/] {notice}")
    if summary.validated_only:
        out.print(f"valid: {summary.rows:,} rows, no problems ({summary.seconds:.1f}s)")
        return
    table = Table(title=f"loaded {summary.rows:,} rows in {summary.seconds:.1f}s")
    table.add_column("label / type")
    table.add_column("rows", justify="right")
    table.add_column("created", justify="right")
    table.add_column("updated", justify="right")
    for label in sorted(summary.nodes_seen):
        table.add_row(
            label,
            f"{summary.nodes_seen[label]:,}",
            f"{summary.nodes_created[label]:,}",
            f"{summary.nodes_updated(label):,}",
        )
    for rel in sorted(summary.relationships_seen):
        table.add_row(
            rel,
            f"{summary.relationships_seen[rel]:,}",
            f"{summary.relationships_created[rel]:,}",
            f"{summary.relationships_kept(rel):,}",
        )
    out.print(table)


@app.command()
def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the CSV files to.")],
    scenario: Annotated[str, typer.Option(help="demo, xinfu or province.")] = "demo",
    seed: Annotated[int, typer.Option(help="The same seed gives the same dataset.")] = 1,
) -> None:
    """Write a synthetic dataset in the import format, calibrated on the seed articles."""
    from orgnet.loaders.generate import generate_scenario, load_scenario

    spec = load_scenario(scenario)
    with err.status(f"generating {scenario}…"):
        counts = generate_scenario(spec, out_dir, seed=seed)
    out.print(
        f"wrote {scenario} (seed {seed}) to {out_dir}: "
        + ", ".join(f"{n:,} {name}" for name, n in counts.items())
    )


@app.command()
def template(
    out_file: Annotated[Path, typer.Option("--out", help="The .xlsx file to write.")],
) -> None:
    """Write an empty import workbook with Chinese headers, drop-downs and instructions."""
    from orgnet.loaders.template import write_template

    write_template(out_file)
    out.print(f"wrote {out_file}")


# -- questions ----------------------------------------------------------------------------------


@app.command()
def coverage(
    scope: Annotated[str | None, typer.Option(help="A district, street or community id.")] = None,
) -> None:
    """Coverage summary: estates with party organization and party work."""
    from orgnet.queries.coverage import coverage_summary

    with connect() as db:
        summary = coverage_summary(db, scope=scope)
    table = Table(title=f"覆盖概况 coverage {('— ' + scope) if scope else ''}")
    table.add_column("指标")
    table.add_column("数量", justify="right")
    for label, value in summary.lines():
        table.add_row(label, value)
    out.print(table)


def main() -> None:
    """Entry point: runs the app and maps domain errors to exit codes."""
    try:
        app()
    except ValidationFailed as e:
        for problem in e.problems:
            err.print(str(problem), markup=False, highlight=False)
        err.print(f"[red]{e}[/]")
        sys.exit(e.exit_code)
    except OrgnetError as e:
        err.print(f"[red]error:[/] {e}", highlight=False)
        sys.exit(e.exit_code)


if __name__ == "__main__":
    main()
