"""The `orgnet` command: thin commands over loaders/ and queries/.

Domain errors become exit statuses here, in one place (``main``):

    0 done · 1 a fault in orgnet itself (a bug: report it) · 2 a bad request (an option,
    argument, output path or environment setting) · 3 the dataset has problems · 4 not found ·
    5 the database is not reachable or refused the credentials · 6 the engine could not be
    built or started · 7 busy: another load is writing the graph

and every failure is one plain line on stderr, never a traceback (ORGNET_DEBUG=1 adds it).
Anything that can hold a user's text (a name, an id, a log) is printed without markup and with
control characters made visible.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import shlex
import sys
import traceback
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
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
from rich.text import Text

from orgnet.graph.connection import Database, connect
from orgnet.graph.errors import (
    BadRequest,
    DiskFull,
    EngineError,
    EngineUnavailable,
    NotFound,
    OrgnetError,
    ValidationFailed,
)
from orgnet.graph.model import RELATIONSHIPS, Rel
from orgnet.queries.registry import QUESTIONS, Input, Question, ask, question

from .labels import error_words
from .usage import speak, usage_error
from .words import LANGS, default_lang, say


def _language(argv: list[str]) -> str:
    """The language of this run: --lang on the command line (it decides the help too), else
    ORGNET_LANG, else Chinese."""
    for i, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in LANGS:
            return value
    return default_lang()


LANG = _language(sys.argv[1:])
speak(LANG)


def _w(key: str, **params: object) -> str:
    """Words of this run's language."""
    return say(key, LANG, **params)


def _mv(kind: str) -> str:
    """What a value is called in the help (编号, 日期, 文件)."""
    return _w(f"click.metavar_{kind}")


app = typer.Typer(
    name="orgnet",
    help=_w("help.app"),
    no_args_is_help=True,
    add_completion=False,  # a shell's completion is no clerk's; its help would be English
    pretty_exceptions_enable=False,
    # Boxed errors and help on a terminal; redirected, a usage error is one plain line (a box
    # would be wrapped at 80 columns).
    rich_markup_mode="rich" if sys.stderr.isatty() else None,
)
db_app = typer.Typer(help=_w("help.db"), no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def _everything(
    lang: Annotated[Lang | None, typer.Option("--lang", help=_w("help.lang"))] = None,
) -> None:
    # --lang before the command (orgnet --lang en coverage) is read from the command line as
    # the run starts (_language), so that the help speaks it too.
    pass


viz_app = typer.Typer(help=_w("help.viz"), no_args_is_help=True)
app.add_typer(viz_app, name="viz")
keys_app = typer.Typer(help=_w("help.keys"), no_args_is_help=True)
app.add_typer(keys_app, name="keys")
users_app = typer.Typer(help=_w("help.users"), no_args_is_help=True)
app.add_typer(users_app, name="users")
loads_app = typer.Typer(help=_w("help.loads"), invoke_without_command=True)
app.add_typer(loads_app, name="loads")

if TYPE_CHECKING:
    from orgnet.api.users import Users

# Never wrapped: a redirected stream would otherwise break a file:row:column line at 80 columns.
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def _wide() -> Console:
    """stdout for a table whose ids and times must not be cut: a terminal as it is, a file or
    pipe 200 columns wide (not the 80 a redirected stream gets)."""
    return out if out.is_terminal else Console(soft_wrap=True, highlight=False, width=200)


def get_settings() -> typing.Any:
    """The settings (read when a command needs them: pydantic-settings is slow to import)."""
    from orgnet.graph.settings import get_settings as read

    return read()


def EmbeddedEngine(settings: typing.Any) -> typing.Any:
    """The embedded engine of ``settings`` (its module loaded when a command needs it)."""
    from orgnet.graph.engine import EmbeddedEngine as Engine

    return Engine(settings)


def _visible(text: str) -> str:
    """Text for a terminal: control characters (an ESC from a name) shown, not obeyed."""
    from orgnet.api.render import printable

    return "\n".join(printable(line) for line in str(text).split("\n"))


def _say(text: str) -> None:
    """One line of a command's result, on stdout, taken literally."""
    out.print(Text(_visible(text)))


def _line(text: str) -> None:
    """One line on stderr, as it is: no markup, no wrapping."""
    sys.stderr.write(_visible(text) + "\n")
    sys.stderr.flush()


class Lang(StrEnum):
    zh = "zh"
    en = "en"


DEFAULT_LANG = Lang(LANG)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Writing ``path``: a disk full or a permission refused is a bad request naming it."""
    try:
        yield
    except OSError as e:
        raise BadRequest(
            f"cannot write {path}: {e.strerror or e}",
            said="cannot_write",
            path=path,
            reason=e.strerror or e,
        ) from None


def _output(path: Path, *suffixes: str) -> Path:
    """A file to write a result to: not a folder, in a folder that exists, with one of
    ``suffixes`` when given."""
    if path.is_dir():
        raise BadRequest(f"{path} is a folder; name a file to write", said="is_folder", path=path)
    if not path.parent.is_dir():
        raise BadRequest(
            f"cannot write {path}: the folder {path.parent} does not exist",
            said="no_folder",
            path=path,
            folder=path.parent,
        )
    if suffixes and path.suffix.lower() not in suffixes:
        raise BadRequest(
            f"{path}: the file is written as {' or '.join(suffixes)}; name it so",
            said="wrong_suffix",
            path=path,
            suffixes=" / ".join(suffixes),
        )
    return path


# -- the engine ---------------------------------------------------------------------------------


@db_app.command("start", help=_w("help.db_start"))
def db_start() -> None:
    settings = get_settings()
    if settings.external:
        _say(_w("cli.external", uri=settings.neo4j_uri))
        return
    engine = EmbeddedEngine(settings)
    with err.status(_w("cli.starting")):
        engine.start()
        # A database that stopped itself after a fault (its disk full) is brought back.
        connect(settings).close()
        status = engine.status()
    _say(_w("cli.running", uri=status.uri, pid=status.pid, home=status.home))


@db_app.command("stop", help=_w("help.db_stop"))
def db_stop() -> None:
    engine = EmbeddedEngine(get_settings())
    _say(_w("cli.stopped" if engine.stop() else "cli.not_running"))


@db_app.command("status", help=_w("help.db_status"))
def db_status() -> None:
    settings = get_settings()
    if settings.external:
        with connect(settings):
            pass
        _say(_w("cli.status_external", uri=settings.neo4j_uri, database=settings.neo4j_database))
        return
    status = EmbeddedEngine(settings).status()
    if not status.running:
        # Said as what it is, on stdout, with what starts it; the exit status says it too.
        _say(_w("cli.status_stopped", home=status.home))
        raise typer.Exit(EngineUnavailable.exit_code)
    # Running is not enough: its database may have stopped itself after a fault.
    connect(settings, start=False, retry_seconds=0).close()
    _say(_w("cli.status_running", uri=status.uri, pid=status.pid, home=status.home))


@db_app.command("derive", help=_w("help.db_derive"))
def db_derive(
    wait: Annotated[
        float,
        typer.Option("--wait", min=0, max=86_400, metavar=_mv("seconds"), help=_w("help.wait")),
    ] = 0,
) -> None:
    from orgnet.graph.derived import refresh_all
    from orgnet.graph.lock import WriteLock

    with (
        connect() as db,
        WriteLock(db, db.home, wait=wait),
        err.status(_w("cli.deriving")),
    ):
        created, deleted = refresh_all(db)
    from orgnet.graph.model import DERIVED

    serves = next(d for d in DERIVED if d.type is Rel.SERVES)
    what = serves.zh if LANG == "zh" else Rel.SERVES.value
    _say(_w("cli.derived", what=what, created=f"{created:,}", deleted=f"{deleted:,}"))


# -- data in ------------------------------------------------------------------------------------


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
    }

    def phase(self, name: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=False)
        words = _w(self.PHASES[name]) if name in self.PHASES else name
        self.task = self.progress.add_task(words, total=total or None)

    def advance(self, rows: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, rows)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(_w("cli.progress_rows")),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,  # a log file gets the result, not a bar redrawn
    )


@app.command(help=_w("help.load"))
def load(
    path: Annotated[Path, typer.Argument(metavar=_mv("file"), help=_w("help.load_path"))],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_w("help.dry_run"))] = False,
    keep_extra: Annotated[bool, typer.Option("--keep-extra", help=_w("help.keep_extra"))] = False,
    wait: Annotated[
        float,
        typer.Option("--wait", min=0, max=86_400, metavar=_mv("seconds"), help=_w("help.wait")),
    ] = 0,
    lang: Annotated[Lang, typer.Option("--lang", help=_w("help.lang"))] = DEFAULT_LANG,
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
            )
    except ValidationFailed as e:
        _notices(e.notices, lang)
        for problem in e.problems:
            _line(problem.text(lang.value))
        _line(words(REASONS, "nothing_written", {"count": len(e.problems)}, lang.value))
        raise typer.Exit(e.exit_code) from None
    finally:
        if db is not None:
            db.close()
    _notices(summary.notices, lang)
    if summary.validated_only:
        if summary.unchecked:
            text = words(REASONS, "unchecked_references", {"count": summary.unchecked}, lang.value)
            _line(say("cli.notice", lang.value, text=text))
        _say(
            say("cli.valid", lang.value, rows=f"{summary.rows:,}", seconds=f"{summary.seconds:.1f}")
        )
        return
    _load_summary(summary, lang.value)


def _load_summary(summary: typing.Any, lang: str) -> None:
    """What a load wrote: a line, then what it created, updated and ended — the things (in the
    model's order: 区, 街道, 社区 …) beside the links between them, in the model's words."""
    from rich.columns import Columns

    from orgnet.graph.model import DERIVED, NODES, RELATIONSHIPS, Label

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
    console = _wide()
    _say(
        say("cli.loaded", lang, rows=f"{summary.rows:,}", seconds=f"{summary.seconds:.1f}",
            number=summary.load)
    )  # fmt: skip
    console.print(Columns([things, links], padding=(0, 4)))


def _database_for_a_dry_run(lang: Lang) -> Database | None:
    """The database if it answers (never started for a dry run), else None: the dataset is
    then checked on its own, and the command says so."""
    try:
        return connect(start=False)
    except (EngineUnavailable, EngineError) as e:
        reason = error_words(e, lang.value)
        _line(
            say("cli.notice", lang.value, text=say("cli.dry_run_alone", lang.value, reason=reason))
        )
        return None


def _notices(notices: list, lang: Lang) -> None:
    for notice in notices:
        _line(say("cli.notice", lang.value, text=notice.text(lang.value)))


@app.command(help=_w("help.generate"))
def generate(
    out_dir: Annotated[
        Path, typer.Option("--out", metavar=_mv("folder"), help=_w("help.generate_out"))
    ],
    scenario: Annotated[
        str, typer.Option(metavar=_mv("scenario"), help=_w("help.scenario"))
    ] = "demo",
    scenario_file: Annotated[
        Path | None,
        typer.Option("--scenario-file", metavar=_mv("file"), help=_w("help.scenario_file")),
    ] = None,
    seed: Annotated[
        int, typer.Option(min=0, max=2**32 - 1, metavar=_mv("number"), help=_w("help.seed"))
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
    with _writing(out_dir), err.status(_w("cli.generating", name=name)):
        counts = generate_scenario(spec, out_dir, seed=seed)
    tables = "、" if LANG == "zh" else ", "
    _say(
        _w(
            "cli.generated",
            name=name,
            seed=seed,
            folder=out_dir,
            counts=tables.join(
                _w("cli.generated_count", table=_table_words(table), count=f"{n:,}")
                for table, n in counts.items()
            ),
        )
    )


def _table_words(table: str) -> str:
    """An import table by its name in this run's language (区域 for regions)."""
    from orgnet.loaders.contract import FILES_BY_NAME

    spec = FILES_BY_NAME.get(table)
    return spec.zh if spec is not None and LANG == "zh" else table


@app.command(help=_w("help.template"))
def template(
    out_file: Annotated[
        Path, typer.Option("--out", metavar=_mv("file"), help=_w("help.template_out"))
    ],
) -> None:
    from orgnet.loaders.template import write_template

    with _writing(_output(out_file, ".xlsx")):
        write_template(out_file)
    _say(_w("cli.wrote", path=out_file))


# -- questions ----------------------------------------------------------------------------------


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def _as_of_option(value: str | None) -> str | None:
    """--as-of in any form the import takes (2023-05-01, 2023/5/1, 2023年5月1日, 2023-05)."""
    from orgnet.graph.dates import FORMS, BadValue, as_of_day

    if value is None:
        return None
    try:
        return as_of_day(value)
    except BadValue:
        raise _Said(_w("errors.not_a_date", value=value, forms=FORMS)) from None


class _Said(typer.BadParameter):
    """A bad value of an option, said in this run's words already."""

    said = True


def _out_option(value: Path | None) -> Path | None:
    if value is None:
        return None
    try:
        return _output(value)
    except BadRequest as e:
        raise _Said(error_words(e, LANG)) from None


ScopeOpt = Annotated[
    str | None, typer.Option("--scope", metavar=_mv("name"), help=_w("help.scope"))
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", callback=_as_of_option, metavar=_mv("date"), help=_w("help.as_of")),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help=_w("help.format"))]
LangOpt = Annotated[Lang, typer.Option("--lang", help=_w("help.lang"))]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", callback=_out_option, metavar=_mv("file"), help=_w("help.out")),
]
ShowPhoneOpt = Annotated[bool, typer.Option("--show-phone", help=_w("help.show_phone"))]


def _emit(
    result: object,
    *,
    title: str,
    fmt: Format,
    lang: Lang,
    out_file: Path | None,
    table: str | None = None,
    lead: str | None = None,
) -> None:
    """Print or write one answer in the chosen format; the only place answers are formatted."""
    from orgnet.api import render

    if fmt is Format.xlsx:
        if out_file is None:
            raise BadRequest("--format xlsx needs --out FILE.xlsx", said="xlsx_needs_out")
        with _writing(_output(out_file, ".xlsx")):
            render.write_xlsx(result, out_file, title=title, lang=lang.value)
        _line(say("cli.wrote", lang.value, path=out_file))
        return
    if fmt is Format.csv and out_file is not None and out_file.suffix.lower() == ".zip":
        with _writing(out_file):
            render.write_csv_zip(result, out_file, lang=lang.value)
        _line(say("cli.wrote", lang.value, path=out_file))
        return
    if fmt is Format.table:
        if out_file is not None:
            with _writing(out_file), out_file.open("w", encoding="utf-8") as f:
                console = Console(file=f, width=160)
                if lead:
                    console.print(Text(lead))
                render.print_tables(result, console, title=title, lang=lang.value)
            return
        if lead:
            out.print(Text(lead))
        render.print_tables(result, out, title=title, lang=lang.value)
        return
    try:
        text = (
            render.to_json(result)
            if fmt is Format.json
            else render.to_csv(result, lang=lang.value, part=table)
        )
    except ValueError as e:
        raise BadRequest(str(e)) from None
    others = render.table_keys(result)[1:] if fmt is Format.csv and table is None else []
    if others:  # never a table left out without a word
        names = "、".join(f"{k}（{render.table_words(k, lang.value)}）" for k in others)
        if lang is not Lang.zh:
            names = ", ".join(f"{k} ({render.table_words(k, lang.value)})" for k in others)
        _line(say("cli.notice", lang.value, text=say("cli.other_tables", lang.value,
                                                     count=len(others), tables=names)))  # fmt: skip
    if out_file is not None:
        with _writing(out_file):
            # A BOM so that Excel opens Chinese CSV as UTF-8.
            out_file.write_text(text, encoding="utf-8-sig" if fmt is Format.csv else "utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _title(name: str, lang: Lang, scope: object = None) -> str:
    from orgnet.api.labels import title

    return title(name, lang.value, scope)


# Every question's command is built from its declaration in queries/registry.py: its inputs
# become arguments and options with the same names, defaults and bounds the HTTP API has, and
# the options every question shares are added beside them. What a command does on top of
# asking is said here, per question: coverage leads with the seed articles' sentence; chain
# says when no org reaches the entity; pairing also asks for a rebalancing (--rebalance).


def _choices(i: Input) -> type[StrEnum]:
    """An input's choices as the enumeration typer offers and checks."""
    assert i.choices is not None
    return StrEnum(i.metavar or i.name.title(), {c: c for c in i.choices})  # type: ignore[return-value]


_ENUMS: dict[tuple[str, str], type[StrEnum]] = {
    (q.name, i.name): _choices(i)
    for q in QUESTIONS
    for i in q.inputs
    if i.choices and i.type is not list
}
GapKind = _ENUMS[("gaps", "kind")]


def _keyword(name: str, annotation: object, default: object) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def _input(q: Question, i: Input, prefix: str = "", needed: bool = True) -> inspect.Parameter:
    kind: object = _ENUMS.get((q.name, i.name), i.type)
    help = _w(f"help.input.{q.name}.{i.name}", choices=_choice_words(i))
    if i.positional:
        metavar = _mv((i.metavar or "id").lower())
        info = typer.Argument(metavar=metavar, help=help, show_default=False)
        return _keyword(i.parameter, Annotated[kind, info], inspect.Parameter.empty)
    names = [i.option, *([i.short] if i.short else [])]
    if i.type is list:
        kind = list[str] | None
    elif i.default is None:
        kind = kind | None  # type: ignore[operator]
    bounds: dict[str, Any] = {
        k: v for k, v in (("min", i.minimum), ("max", i.maximum)) if v is not None
    }
    metavar = _mv(
        i.metavar.lower()
        if i.metavar
        else "relation"
        if i.type is list
        else "number"
        if i.type in (int, float)
        else "text"
    )
    if i.type is bool:
        info = typer.Option(*names, help=prefix + help)
    else:
        info = typer.Option(*names, metavar=metavar, help=prefix + help, **bounds)
    return _keyword(i.parameter, Annotated[kind, info], ... if i.required and needed else i.default)


def _choice_words(i: Input) -> str:
    """An input's choices as the help lists them: the code typed, and in Chinese its words
    (HOLDS（任职）)."""
    if LANG != "zh" or i.name != "rels":
        return ", ".join(i.choices or ())
    return "、".join(f"{c}（{RELATIONSHIPS[Rel(c)].zh}）" for c in i.choices or ())


def _table_names(result: type) -> list[str]:
    """The tables an answer of type ``result`` has, each as --table takes it and in words:
    moves（调整方案）."""
    from orgnet.api.render import table_words

    hints = typing.get_type_hints(result)
    keys = [
        f.name
        for f in dataclasses.fields(result)
        if typing.get_origin(hints[f.name]) is list
        or (f.name == "rows" and hints[f.name] is list)
        or any(typing.get_origin(a) is list for a in typing.get_args(hints[f.name]))
    ]
    if LANG != "zh":
        return [f"{k} ({table_words(k, LANG)})" for k in keys]
    return [f"{k}（{table_words(k, LANG)}）" for k in keys]


def _question_command(q: Question) -> None:
    rebalance = question("rebalance") if q.name == "pairing" else None
    by_load = question("load_changes") if q.name == "changes" else None
    phones = "show_phone" in inspect.signature(q.answer).parameters
    parameters = [_input(q, i) for i in q.inputs if i.positional]
    if q.scoped:
        parameters.append(_keyword("scope", ScopeOpt, None))
    if q.dated:
        parameters.append(_keyword("as_of", AsOfOpt, None))
    # With --load, `changes` tells of one load, and needs no period.
    parameters += [_input(q, i, needed=by_load is None) for i in q.inputs if not i.positional]
    if rebalance is not None:
        flag = typer.Option("--rebalance", help=_w("help.rebalance"))
        parameters.append(_keyword("rebalance", Annotated[bool, flag], False))
        parameters += [_input(rebalance, i, _w("help.with_rebalance")) for i in rebalance.inputs]
    if by_load is not None:
        flag = typer.Option("--load", min=1, metavar=_mv("number"), help=_w("help.changes_load"))
        parameters.append(_keyword("load", Annotated[int | None, flag], None))
    parameters += [
        _keyword("fmt", FormatOpt, Format.table),
        _keyword("lang", LangOpt, DEFAULT_LANG),
        _keyword("out_file", OutOpt, None),
    ]
    tables = _table_names(q.result)
    if len(tables) > 1:
        listed = ("、" if LANG == "zh" else ", ").join(tables)
        option = typer.Option("--table", metavar=_mv("table"), help=_w("help.table", tables=listed))
        parameters.append(_keyword("table", Annotated[str | None, option], None))
    if phones:
        parameters.append(_keyword("show_phone", ShowPhoneOpt, False))

    def command(**given: typing.Any) -> None:
        asked = rebalance if rebalance is not None and given.get("rebalance") else q
        if by_load is not None and given.get("load") is not None:
            asked = by_load
        inputs = {
            i.name: given[i.parameter].value
            if isinstance(given[i.parameter], StrEnum)
            else given[i.parameter]
            for i in asked.inputs
            if i.parameter in given
        }
        with connect() as db:
            result = ask(
                asked,
                db,
                inputs,
                scope=_scope(db, given.get("scope")),
                as_of=given.get("as_of"),
                show_phone=given.get("show_phone", False),
            )
        fmt, lang = given["fmt"], given["lang"]
        name = f"gaps.{inputs['kind']}" if asked.name == "gaps" else asked.name
        lead = None
        if asked.name == "coverage":
            from orgnet.api.labels import coverage_sentence

            lead = coverage_sentence(result, lang.value)
        if asked.name == "changes":
            from orgnet.api.labels import changes_sentence

            lead = changes_sentence(result, lang.value)
        if asked.name == "chain" and not result.links and fmt is Format.table:
            _line(say("cli.no_chain", lang.value, name=result.start.name, id=result.start.id))
        if asked.name == "path" and not result.paths and fmt is Format.table:
            _line(
                say("cli.no_path_found", lang.value, hops=inputs["max_hops"],
                    source=_named(result.source), target=_named(result.target))
            )  # fmt: skip
        changed = result.property_changes + result.link_changes if asked.name == "history" else 1
        if not changed and fmt is Format.table:
            _line(say("cli.no_history", lang.value, name=_named(result.entity)))
            return
        _emit(
            result,
            title=_title(name, lang, result.scope if asked.scoped else None),
            fmt=fmt,
            lang=lang,
            out_file=given["out_file"],
            table=given.get("table"),
            lead=lead,
        )

    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__name__ = q.name
    app.command(name=q.name, help=_w(f"help.{q.name}"))(command)


def _named(entity: typing.Any) -> str:
    return f"{entity.name} ({entity.id})" if entity.name else str(entity.id)


def _scope(db: Database, given: str | None) -> typing.Any:
    """--scope as a clerk writes it: an id, or the unique name of a district, street or
    community (盛泰街道); several of that name are said, for the id to be given."""
    from orgnet.queries.scope import resolve_scope, scopes_named

    if not given:
        return None
    try:
        return resolve_scope(db, given)
    except NotFound:
        found = scopes_named(db, given)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = "、".join(f"{s.name} ({s.id})" for s in found)
            raise BadRequest(
                f"{given!r} names several scopes: {listed}",
                said="scope_candidates",
                name=given,
                candidates=listed,
            ) from None
        raise


for _q in QUESTIONS:
    # rebalance: `pairing --rebalance`; loads: `orgnet loads` beside `orgnet loads undo`;
    # load_changes: `changes --load N`
    if _q.name not in ("rebalance", "report", "loads", "load_changes"):
        _question_command(_q)


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
        _line(say("cli.no_loads", lang.value))
        return
    _emit(result, title=_title("loads", lang), fmt=fmt, lang=lang, out_file=out_file)


@loads_app.command("undo", help=_w("help.loads_undo"))
def loads_undo(
    number: Annotated[
        int | None,
        typer.Argument(metavar=_mv("number"), help=_w("help.loads_undo_number"), min=1),
    ] = None,
    wait: Annotated[
        float,
        typer.Option("--wait", min=0, max=86_400, metavar=_mv("seconds"), help=_w("help.wait")),
    ] = 0,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    from orgnet.graph.provenance import undo

    command = "orgnet loads undo" + (f" {number}" if number is not None else "")
    with connect() as db:
        done = undo(db, number=number, wait=wait, command=command)
    _say(
        say(
            "cli.undone", lang.value, load=done.load, number=done.number,
            nodes=f"{done.deleted_nodes:,}", links=f"{done.deleted_links:,}",
            restored=f"{done.restored:,}",
        )
    )  # fmt: skip


@app.command(help=_w("help.report"))
def report(
    out_file: Annotated[
        Path, typer.Option("--out", "-o", metavar=_mv("file"), help=_w("help.report_out"))
    ],
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    from orgnet.api import render
    from orgnet.api.report import write_html
    from orgnet.queries.report import coverage_report

    suffix = _output(out_file, ".html", ".htm", ".xlsx").suffix.lower()
    if suffix != ".xlsx":
        from orgnet.api.charts import cjk_font

        if cjk_font() is None:  # one line, not a warning per glyph
            _line(say("cli.notice", lang.value, text=say("charts.no_font", lang.value)))
    with connect() as db, err.status(_w("cli.gathering")):
        result = coverage_report(db, _scope(db, scope), as_of)
    with _writing(out_file):
        if suffix == ".xlsx":
            render.write_xlsx(
                result,
                out_file,
                title=_title("report", lang, result.scope),
                lang=lang.value,
            )
        else:
            write_html(result, out_file, lang.value)
    _say(say("cli.wrote", lang.value, path=out_file))


# -- network views ------------------------------------------------------------------------------

ViewOut = Annotated[
    Path, typer.Option("--out", "-o", metavar=_mv("file"), help=_w("help.view_out"))
]


def _write_view(view: object, out_file: Path) -> None:
    from orgnet.api.views import View

    assert isinstance(view, View)
    with _writing(_output(out_file, ".html", ".htm")):
        view.save(out_file)
    _say(_w("cli.wrote_view", path=out_file, nodes=f"{view.nodes:,}", edges=f"{view.edges:,}"))


@viz_app.command("structure", help=_w("help.viz_structure"))
def viz_structure(
    scope: Annotated[str, typer.Option("--scope", metavar=_mv("name"), help=_w("help.viz_scope"))],
    out_file: ViewOut,
    as_of: AsOfOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    show_phone: ShowPhoneOpt = False,
) -> None:
    from orgnet.api.tree import draw_tree
    from orgnet.queries.networks import structure

    _output(out_file, ".html", ".htm")
    with connect() as db:
        network = structure(db, _scope(db, scope), as_of, show_phone=show_phone)
    _write_view(draw_tree(network, lang=lang.value), out_file)


@viz_app.command("pairing", help=_w("help.viz_pairing"))
def viz_pairing(
    out_file: ViewOut,
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    from orgnet.api.views import draw
    from orgnet.queries.networks import pairing

    _output(out_file, ".html", ".htm")
    with connect() as db:
        network = pairing(db, _scope(db, scope), as_of)
    _write_view(draw(network, lang=lang.value), out_file)


@viz_app.command("cross", help=_w("help.viz_cross"))
def viz_cross(
    out_file: ViewOut,
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    show_phone: ShowPhoneOpt = False,
) -> None:
    from orgnet.api.views import draw
    from orgnet.queries.networks import cross

    _output(out_file, ".html", ".htm")
    with connect() as db:
        network = cross(db, _scope(db, scope), as_of, show_phone=show_phone)
    _write_view(draw(network, lang=lang.value), out_file)


def _viz_path(**given: typing.Any) -> None:
    from orgnet.api.views import draw
    from orgnet.queries.networks import contact_path

    out_file, lang = given["out_file"], given["lang"]
    _output(out_file, ".html", ".htm")
    with connect() as db:
        network = contact_path(
            db, given["source"], given["target"], given["as_of"], k=given["k"],
            max_hops=given["max_hops"], rels=given["rel"],
        )  # fmt: skip
    if not network.edges:  # the page would hold the two ends alone: said, and not written
        source, target = (
            next(n for n in network.nodes if n.details.get("end") == end)
            for end in ("source", "target")
        )
        _line(
            say("cli.no_path_found", lang.value, hops=given["max_hops"],
                source=_named(source), target=_named(target))
        )  # fmt: skip
        raise typer.Exit(4)
    _write_view(draw(network, lang=lang.value), out_file)


def _viz_path_command() -> None:
    """`viz path` takes what `orgnet path` takes (its inputs from the registry), and --out."""
    q = question("path")
    parameters = [_input(q, i) for i in q.inputs if i.positional]
    parameters += [
        _keyword("out_file", ViewOut, inspect.Parameter.empty),
        _keyword("as_of", AsOfOpt, None),
    ]
    parameters += [_input(q, i) for i in q.inputs if not i.positional]
    parameters.append(_keyword("lang", LangOpt, DEFAULT_LANG))
    _viz_path.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    viz_app.command("path", help=_w("help.viz_path"))(_viz_path)


_viz_path_command()


@viz_app.command("neighbourhood", help=_w("help.viz_neighbourhood"))
def viz_neighbourhood(
    id: Annotated[str, typer.Argument(metavar=_mv("id"), help=_w("help.entity_id"))],
    out_file: ViewOut,
    as_of: AsOfOpt = None,
    depth: Annotated[
        int, typer.Option("--depth", min=1, max=2, metavar=_mv("number"), help=_w("help.depth"))
    ] = 1,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    from orgnet.api.views import draw
    from orgnet.queries.networks import neighbourhood

    _output(out_file, ".html", ".htm")
    with connect() as db:
        network, truncated = neighbourhood(db, id, as_of, depth=depth)
    if truncated:
        _line(say("cli.notice", lang.value, text=say("cli.neighbourhood_cut", lang.value)))
    _write_view(draw(network, lang=lang.value), out_file)


# -- the HTTP API -------------------------------------------------------------------------------


@app.command(help=_w("help.serve"))
def serve(
    host: Annotated[
        str, typer.Option("--host", metavar=_mv("host"), help=_w("help.host"))
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, metavar=_mv("port"), help=_w("help.port"))
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, max=64, metavar=_mv("number"), help=_w("help.workers")),
    ] = 1,
) -> None:
    import uvicorn

    settings = get_settings()
    if not settings.external:
        with err.status(_w("cli.starting")):
            EmbeddedEngine(settings).start()
    _say(_w("cli.serving", host=host, port=port))
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


class Role(StrEnum):
    viewer = "viewer"
    analyst = "analyst"
    admin = "admin"


@keys_app.command("create", help=_w("help.keys_create"))
def keys_create(
    role: Annotated[Role, typer.Option("--role", help=_w("help.keys_role"))],
    jurisdiction: Annotated[
        str, typer.Option("--jurisdiction", metavar=_mv("id"), help=_w("help.keys_jurisdiction"))
    ],
    personal_data: Annotated[
        bool, typer.Option("--personal-data", help=_w("help.keys_personal"))
    ] = False,
    name: Annotated[
        str | None, typer.Option("--name", metavar=_mv("text"), help=_w("help.keys_name"))
    ] = None,
) -> None:
    from orgnet.api.keys import Keys

    settings = get_settings()
    key, token = Keys(settings.api_home).create(
        role=role.value, jurisdiction=_jurisdiction(jurisdiction),
        personal_data=personal_data, name=name,
    )  # fmt: skip
    _line(
        _w("cli.key_made", name=key.name, id=key.id, role=key.role,
           jurisdiction=key.jurisdiction,
           personal=_w("cli.key_personal") if key.personal_data else "")
    )  # fmt: skip
    _say(token)


@keys_app.command("list", help=_w("help.keys_list"))
def keys_list() -> None:
    from orgnet.api.keys import Keys

    table = Table()
    for heading in ("id", "name", "role", "jurisdiction", "personal", "created", "revoked"):
        table.add_column(_w(f"cli.keys_{heading}"))
    for key in Keys(get_settings().api_home).all():
        table.add_row(
            *(
                Text(_visible(v))
                for v in (
                    key.id, key.name, key.role, key.jurisdiction,
                    _w("cli.yes" if key.personal_data else "cli.no"), key.created,
                    key.revoked or "",
                )
            )
        )  # fmt: skip
    _wide().print(table)


@keys_app.command("revoke", help=_w("help.keys_revoke"))
def keys_revoke(
    which: Annotated[str, typer.Argument(metavar=_mv("name"), help=_w("help.keys_which"))],
) -> None:
    from orgnet.api.keys import Keys

    key = Keys(get_settings().api_home).revoke(which)
    _say(_w("cli.key_revoked", name=key.name, id=key.id, when=key.revoked))


def _users() -> Users:
    from orgnet.api.users import Users

    settings = get_settings()
    return Users(settings.api_home)


def _jurisdiction(given: str) -> str:
    """A key's or a user's jurisdiction: ``all``, or the id of a district, street or community
    that exists (refused otherwise)."""
    from orgnet.api.access import ALL
    from orgnet.queries.scope import resolve_scope

    if given == ALL:
        return given
    with connect() as db:
        return str(resolve_scope(db, given).id)


def _password_from_stdin(asked: bool) -> str:
    """The password, the first line of standard input (typed, or piped from a secret store);
    never an option, which a shell's history and the process list would keep — so
    ``--password-stdin`` must say it comes that way."""
    if not asked:
        raise BadRequest("give the password on standard input with --password-stdin",
                         said="password_stdin")  # fmt: skip
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise BadRequest("no password on standard input", said="no_password")
    return password


@users_app.command("create", help=_w("help.users_create"))
def users_create(
    name: Annotated[str, typer.Argument(metavar=_mv("name"), help=_w("help.users_name"))],
    role: Annotated[Role, typer.Option("--role", help=_w("help.keys_role"))],
    jurisdiction: Annotated[
        str, typer.Option("--jurisdiction", metavar=_mv("id"), help=_w("help.keys_jurisdiction"))
    ],
    personal_data: Annotated[
        bool, typer.Option("--personal-data", help=_w("help.keys_personal"))
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=_w("help.users_password_stdin"))
    ] = False,
) -> None:
    password = _password_from_stdin(password_stdin)
    user = _users().create(
        name, role=role.value, jurisdiction=_jurisdiction(jurisdiction), password=password,
        personal_data=personal_data,
    )  # fmt: skip
    _say(
        _w("cli.user_made", name=user.name, role=user.role, jurisdiction=user.jurisdiction,
           personal=_w("cli.key_personal") if user.personal_data else "")
    )  # fmt: skip


@users_app.command("list", help=_w("help.users_list"))
def users_list() -> None:
    table = Table()
    for heading in ("name", "role", "jurisdiction", "personal", "created", "disabled", "locked"):
        table.add_column(_w(f"cli.users_{heading}"))
    for user in _users().all():
        table.add_row(
            *(
                Text(_visible(v))
                for v in (
                    user.name, user.role, user.jurisdiction,
                    _w("cli.yes" if user.personal_data else "cli.no"), user.created,
                    user.disabled or "", user.locked_until or "",
                )
            )
        )  # fmt: skip
    _wide().print(table)


@users_app.command("disable", help=_w("help.users_disable"))
def users_disable(
    name: Annotated[str, typer.Argument(metavar=_mv("name"), help=_w("help.users_name"))],
) -> None:
    user = _users().disable(name)
    when = (user.disabled or "")[:16].replace("T", " ") + " UTC"
    _say(_w("cli.user_disabled", name=user.name, when=when))


@users_app.command("passwd", help=_w("help.users_passwd"))
def users_passwd(
    name: Annotated[str, typer.Argument(metavar=_mv("name"), help=_w("help.users_name"))],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=_w("help.users_password_stdin"))
    ] = False,
) -> None:
    password = _password_from_stdin(password_stdin)
    user = _users().set_password(name, password)
    _say(_w("cli.user_password_set", name=user.name))


@app.command(help=_w("help.audit"))
def audit(
    since: Annotated[
        str | None, typer.Option("--since", metavar=_mv("date"), help=_w("help.audit_since"))
    ] = None,
    key: Annotated[
        str | None, typer.Option("--key", metavar=_mv("name"), help=_w("help.audit_key"))
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    import json

    from orgnet.api.audit import AuditLog

    day = _as_of_option(since) if since and len(since) <= 11 else since
    lines = list(AuditLog(get_settings().api_home).read(since=day, key=key))
    if fmt is Format.json:
        sys.stdout.write(json.dumps(lines, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is not Format.table:
        raise BadRequest("orgnet audit writes table or json", said="audit_formats")
    table = Table(title=_w("cli.audit_title", count=f"{len(lines):,}"))
    for heading in ("time", "key", "route", "parameters", "jurisdiction", "rows", "outcome"):
        table.add_column(_w(f"cli.audit_{heading}"), overflow="fold")
    for line in lines:
        table.add_row(
            *(
                Text(_visible(str(v)))
                for v in (
                    line.get("time"), f"{line.get('key_name')} ({line.get('key_id')})",
                    line.get("route"), json.dumps(line.get("parameters"), ensure_ascii=False),
                    line.get("jurisdiction"), line.get("rows"), line.get("outcome"),
                )
            )
        )  # fmt: skip
    _wide().print(table)


def _system_refusal(e: OSError) -> OrgnetError | None:
    """What the system refused (a full disk, a file this user may not write), in one line;
    None for what only a fault in orgnet would cause."""
    import errno

    where = f" ({e.filename})" if e.filename else ""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(
            f"the disk is full{where}; free some space and run the command again "
            f"(a load completes what it had written)",
            said="disk_full",
            where=where,
        )
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return BadRequest(
            f"{e.strerror}{where}: this user may not use it; check its permissions",
            said="refused",
            reason=e.strerror,
            where=where,
        )
    return None


def main() -> None:
    """Entry point: runs the app and turns every failure into one line and an exit status."""
    from typer import Abort
    from typer._click.exceptions import ClickException, UsageError

    try:
        code = app(standalone_mode=False, prog_name="orgnet")
        if isinstance(code, int) and code:
            sys.exit(code)
    except OrgnetError as e:
        _line(_w("cli.error", text=error_words(e, LANG)))
        sys.exit(e.exit_code)
    except UsageError as e:
        _line(_w("cli.error", text=usage_error(e, LANG)))
        command = e.ctx.command_path if e.ctx is not None else "orgnet"
        _line(_w("click.try_help", command=command))
        sys.exit(e.exit_code)
    except ClickException as e:
        _line(_w("cli.error", text=e.format_message()))
        sys.exit(e.exit_code)
    except (KeyboardInterrupt, Abort):
        _line(_w("cli.interrupted"))
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (orgnet gaps estates | head): nothing more to say to it.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except Exception as e:
        if os.environ.get("ORGNET_DEBUG"):
            traceback.print_exc()
        refused = _system_refusal(e) if isinstance(e, OSError) else None
        if refused is not None:
            _line(_w("cli.error", text=error_words(refused, LANG)))
            sys.exit(refused.exit_code)
        _line(_w("cli.error", text=_w("cli.fault", kind=type(e).__name__, detail=e)))
        sys.exit(1)


if __name__ == "__main__":
    main()
