"""Data in and out of the graph's history: orgnet load, generate, template, and loads (undo)."""

from __future__ import annotations

import shlex
import sys
import typing
from pathlib import Path
from typing import Annotated

import typer
from rich import box
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

from orgnet.graph.connection import Database, connect
from orgnet.graph.errors import BadRequest, EngineError, EngineUnavailable, ValidationFailed
from orgnet.graph.model import RELATIONSHIPS, Rel
from orgnet.queries.registry import ask, question

from ..labels import error_words
from ..words import say
from .common import (
    DEFAULT_LANG,
    LANG,
    Format,
    FormatOpt,
    Lang,
    LangOpt,
    OutOpt,
    WaitOpt,
    app,
    called,
    emit,
    err,
    loads_app,
    output_file,
    show,
    tell,
    title_of,
    wide,
    words,
    writing,
)


class _ProgressReporter:
    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    # The loader's phases, in words.
    PHASES: typing.ClassVar[dict[str, str]] = {
        "validating": "cli.phase_validating",
        "writing": "cli.phase_writing",
        "deriving scopes": "cli.phase_deriving",
        "counting members": "cli.phase_counting",
        "importing": "cli.phase_importing",
    }

    def phase(self, name: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=False)
        described = words(self.PHASES[name]) if name in self.PHASES else name
        self.task = self.progress.add_task(described, total=total or None)

    def advance(self, rows: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, rows)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(words("cli.progress_rows")),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,  # a log file gets the result, not a bar redrawn
    )


@app.command(help=words("help.load"))
def load(
    path: Annotated[Path, typer.Argument(metavar=called("file"), help=words("help.load_path"))],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=words("help.dry_run"))] = False,
    keep_extra: Annotated[
        bool, typer.Option("--keep-extra", help=words("help.keep_extra"))
    ] = False,
    wait: WaitOpt = 0,
    bulk: Annotated[
        bool | None, typer.Option("--bulk/--no-bulk", show_default=False, help=words("help.bulk"))
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help=words("help.lang"))] = DEFAULT_LANG,
) -> None:
    from orgnet.loaders.load import load_dataset
    from orgnet.loaders.messages import REASONS, words

    if not path.exists():  # said before the engine is started for nothing
        raise BadRequest(f"{path}: no such file or folder", said="no_such_path", path=path)
    db: Database | None = None
    try:
        db = _database_for_a_dry_run(lang) if dry_run else connect()
        with _progress() as progress:
            summary = load_dataset(
                db,
                path,
                dry_run=dry_run,
                keep_extra=keep_extra,
                wait=wait,
                reporter=_ProgressReporter(progress),
                command=shlex.join(["orgnet", *sys.argv[1:]]),
                bulk=bulk,
            )
    except ValidationFailed as e:
        _notices(e.notices, lang)
        for problem in e.problems:
            tell(problem.text(lang.value))
        tell(words(REASONS, "nothing_written", {"count": len(e.problems)}, lang.value))
        raise typer.Exit(e.exit_code) from None
    finally:
        if db is not None:
            db.close()
    _notices(summary.notices, lang)
    if summary.validated_only:
        if summary.unchecked:
            text = words(REASONS, "unchecked_references", {"count": summary.unchecked}, lang.value)
            tell(say("cli.notice", lang.value, text=text))
        show(
            say("cli.valid", lang.value, rows=f"{summary.rows:,}", seconds=f"{summary.seconds:.1f}")
        )
        return
    _load_summary(summary, lang.value)


def _load_summary(summary: typing.Any, lang: str) -> None:
    """What a load wrote: a line, then what it created, updated and ended — the things (in the
    model's order: 区, 街道, 社区 …) beside the links between them, in the model's words."""
    from rich.columns import Columns

    from orgnet.graph.model import DERIVED, NODES, Label

    derived_words = {d.type.value: d.zh for d in DERIVED}

    def named(kind: str) -> str:
        if lang != "zh":
            return kind
        if kind in Label._value2member_map_:
            return NODES[Label(kind)].zh
        if kind in derived_words:
            return derived_words[kind]
        return RELATIONSHIPS[Rel(kind)].zh if kind in Rel._value2member_map_ else kind

    def table(what: str, ended: bool) -> Table:
        drawn = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        drawn.add_column(say(what, lang))
        keys = ("cli.load_rows", "cli.load_created", "cli.load_updated")
        for key in (*keys, *(("cli.load_ended",) if ended else ())):
            drawn.add_column(say(key, lang), justify="right", no_wrap=True)
        return drawn

    things = table("cli.load_things", ended=False)
    for label in [label for label in NODES if label in summary.nodes_seen]:
        things.add_row(
            named(label),
            f"{summary.nodes_seen[label]:,}",
            f"{summary.nodes_created[label]:,}",
            f"{summary.nodes_updated(label):,}",
        )
    links = table("cli.load_links", ended=True)
    written = set(summary.relationships_seen) | set(summary.relationships_replaced)
    for rel in [rel for rel in RELATIONSHIPS if rel in written]:
        links.add_row(
            named(rel),
            f"{summary.relationships_seen[rel]:,}",
            f"{summary.relationships_created[rel]:,}",
            f"{summary.relationships_kept(rel):,}",
            f"{summary.relationships_replaced[rel]:,}",
        )
    derived = Rel.SERVES
    if summary.relationships_created[derived] or summary.relationships_replaced[derived]:
        links.add_row(
            say("cli.load_derived", lang, what=named(derived)), "—",
            f"{summary.relationships_created[derived]:,}", "—",
            f"{summary.relationships_replaced[derived]:,}",
        )  # fmt: skip
    console = wide()
    show(
        say("cli.loaded", lang, rows=f"{summary.rows:,}", seconds=f"{summary.seconds:.1f}",
            number=summary.load)
    )  # fmt: skip
    if summary.imported:
        show(say("cli.loaded_imported", lang))
    console.print(Columns([things, links], padding=(0, 4)))


def _database_for_a_dry_run(lang: Lang) -> Database | None:
    """The database if it answers (never started for a dry run), else None: the dataset is
    then checked on its own, and the command says so."""
    try:
        return connect(start=False)
    except (EngineUnavailable, EngineError) as e:
        reason = error_words(e, lang.value)
        tell(
            say("cli.notice", lang.value, text=say("cli.dry_run_alone", lang.value, reason=reason))
        )
        return None


def _notices(notices: list, lang: Lang) -> None:
    for notice in notices:
        tell(say("cli.notice", lang.value, text=notice.text(lang.value)))


@app.command(help=words("help.generate"))
def generate(
    out_dir: Annotated[
        Path, typer.Option("--out", metavar=called("folder"), help=words("help.generate_out"))
    ],
    scenario: Annotated[
        str, typer.Option(metavar=called("scenario"), help=words("help.scenario"))
    ] = "demo",
    scenario_file: Annotated[
        Path | None,
        typer.Option("--scenario-file", metavar=called("file"), help=words("help.scenario_file")),
    ] = None,
    seed: Annotated[
        int, typer.Option(min=0, max=2**32 - 1, metavar=called("number"), help=words("help.seed"))
    ] = 1,
) -> None:
    from orgnet.loaders.generate import generate_scenario, load_scenario, read_scenario_file

    if out_dir.exists() and not out_dir.is_dir():
        raise BadRequest(
            f"--out {out_dir} is a file; name a folder to write the CSV files to",
            said="out_is_file",
            path=out_dir,
        )
    spec = read_scenario_file(scenario_file) if scenario_file else load_scenario(scenario)
    name = str(scenario_file) if scenario_file else scenario
    with writing(out_dir), err.status(words("cli.generating", name=name)):
        counts = generate_scenario(spec, out_dir, seed=seed)
    tables = "、" if LANG == "zh" else ", "
    show(
        words(
            "cli.generated",
            name=name,
            seed=seed,
            folder=out_dir,
            counts=tables.join(
                words("cli.generated_count", table=_table_words(table), count=f"{n:,}")
                for table, n in counts.items()
            ),
        )
    )


def _table_words(table: str) -> str:
    """An import table by its name in this run's language (区域 for regions)."""
    from orgnet.loaders.contract import FILES_BY_NAME

    spec = FILES_BY_NAME.get(table)
    return spec.zh if spec is not None and LANG == "zh" else table


@app.command(help=words("help.template"))
def template(
    out_file: Annotated[
        Path, typer.Option("--out", metavar=called("file"), help=words("help.template_out"))
    ],
) -> None:
    from orgnet.loaders.template import write_template

    with writing(output_file(out_file, ".xlsx")):
        write_template(out_file)
    show(words("cli.wrote", path=out_file))


@loads_app.callback()
def loads(
    ctx: typer.Context,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = DEFAULT_LANG,
    out_file: OutOpt = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    with connect() as db:
        result = ask(question("loads"), db, {})
    if not result.loads and fmt is Format.table:
        tell(say("cli.no_loads", lang.value))
        return
    emit(result, title=title_of("loads", lang), fmt=fmt, lang=lang, out_file=out_file)


@loads_app.command("undo", help=words("help.loads_undo"))
def loads_undo(
    number: Annotated[
        int | None,
        typer.Argument(metavar=called("number"), help=words("help.loads_undo_number"), min=1),
    ] = None,
    wait: WaitOpt = 0,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    from orgnet.graph.provenance import undo

    command = "orgnet loads undo" + (f" {number}" if number is not None else "")
    with connect() as db:
        done = undo(db, number=number, wait=wait, command=command)
    show(
        say(
            "cli.undone", lang.value, load=done.load, number=done.number,
            nodes=f"{done.deleted_nodes:,}", links=f"{done.deleted_links:,}",
            restored=f"{done.restored:,}",
        )
    )  # fmt: skip
