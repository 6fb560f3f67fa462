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
import sys
import traceback
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from orgnet.graph.connection import Database, connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.errors import (
    BadRequest,
    DiskFull,
    EngineError,
    EngineUnavailable,
    OrgnetError,
    ValidationFailed,
)
from orgnet.graph.model import Rel
from orgnet.graph.settings import get_settings
from orgnet.queries.registry import QUESTIONS, Input, Question, ask, question
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

app = typer.Typer(
    name="orgnet",
    help="A knowledge graph of urban grassroots organizational networks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Boxed errors and help on a terminal; redirected, a usage error is one plain line (a box
    # would be wrapped at 80 columns).
    rich_markup_mode="rich" if sys.stderr.isatty() else None,
)
db_app = typer.Typer(help="The embedded engine: start, stop, status.", no_args_is_help=True)
app.add_typer(db_app, name="db")
viz_app = typer.Typer(
    help="Network views as self-contained HTML pages: structure, pairing, cross, path, "
    "neighbourhood.",
    no_args_is_help=True,
)
app.add_typer(viz_app, name="viz")
keys_app = typer.Typer(
    help="API keys for `orgnet serve`: create, list, revoke.", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")

# Never wrapped: a redirected stream would otherwise break a file:row:column line at 80 columns.
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def _wide() -> Console:
    """stdout for a table whose ids and times must not be cut: a terminal as it is, a file or
    pipe 200 columns wide (not the 80 a redirected stream gets)."""
    return out if out.is_terminal else Console(soft_wrap=True, highlight=False, width=200)


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


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Writing ``path``: a disk full or a permission refused is a bad request naming it."""
    try:
        yield
    except OSError as e:
        raise BadRequest(f"cannot write {path}: {e.strerror or e}") from None


def _output(path: Path, *suffixes: str) -> Path:
    """A file to write a result to: not a folder, in a folder that exists, with one of
    ``suffixes`` when given."""
    if path.is_dir():
        raise BadRequest(f"{path} is a folder; name a file to write")
    if not path.parent.is_dir():
        raise BadRequest(f"cannot write {path}: the folder {path.parent} does not exist")
    if suffixes and path.suffix.lower() not in suffixes:
        raise BadRequest(f"{path}: the file is written as {' or '.join(suffixes)}; name it so")
    return path


# -- the engine ---------------------------------------------------------------------------------


@db_app.command("start")
def db_start() -> None:
    """Start the embedded engine (builds it with Maven the first time)."""
    settings = get_settings()
    if settings.external:
        _say(f"using {settings.neo4j_uri} (NEO4J_URI); the embedded engine is not started")
        return
    engine = EmbeddedEngine(settings)
    with err.status("starting the engine…"):
        engine.start()
        # A database that stopped itself after a fault (its disk full) is brought back.
        connect(settings).close()
        status = engine.status()
    _say(f"engine running: {status.uri} (pid {status.pid}, home {status.home})")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded engine cleanly."""
    engine = EmbeddedEngine(get_settings())
    if engine.stop():
        _say("engine stopped")
    else:
        _say("engine was not running")


@db_app.command("status")
def db_status() -> None:
    """Say whether the database answers, and where. Exit status 0 when it does, 5 when not."""
    settings = get_settings()
    if settings.external:
        with connect(settings):
            pass
        _say(f"external database: {settings.neo4j_uri} (database {settings.neo4j_database})")
        return
    status = EmbeddedEngine(settings).status()
    if not status.running:
        raise EngineUnavailable(f"stopped (home {status.home})")
    # Running is not enough: its database may have stopped itself after a fault.
    connect(settings, start=False, retry_seconds=0).close()
    _say(f"running: {status.uri} (pid {status.pid}, home {status.home})")


@db_app.command("derive")
def db_derive(
    wait: Annotated[
        float,
        typer.Option("--wait", min=0, max=86_400, help="Seconds to wait for a running load."),
    ] = 0,
) -> None:
    """Work out every derived relationship afresh (the loader keeps them up to date; this is
    for a database written by other means)."""
    from orgnet.graph.derived import refresh_all
    from orgnet.graph.lock import WriteLock

    with (
        connect() as db,
        WriteLock(db, db.home, wait=wait),
        err.status("deriving which scopes each org serves…"),
    ):
        created, deleted = refresh_all(db)
    _say(f"{Rel.SERVES}: {created:,} created, {deleted:,} no longer true")


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
        disable=not err.is_terminal,  # a log file gets the result, not a bar redrawn
    )


@app.command()
def load(
    path: Annotated[Path, typer.Argument(help="A folder of CSV files or one .xlsx workbook.")],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Validate only; with the database down, against the dataset alone.",
        ),
    ] = False,
    keep_extra: Annotated[
        bool, typer.Option("--keep-extra", help="Keep unknown columns as properties.")
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait", min=0, max=86_400, help="Seconds to wait while another load writes."
        ),
    ] = 0,
    lang: Annotated[
        Lang, typer.Option("--lang", help="Problems in Chinese (zh) or English (en).")
    ] = Lang.zh,
) -> None:
    """Validate a dataset whole, then write it (nothing is written if anything is wrong)."""
    from orgnet.loaders.load import load_dataset
    from orgnet.loaders.messages import REASONS, words

    if not path.exists():  # said before the engine is started for nothing
        raise BadRequest(f"{path}: no such file or folder")
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
            _line(
                ("提示：" if lang is Lang.zh else "notice: ")
                + words(REASONS, "unchecked_references", {"count": summary.unchecked}, lang.value)
            )
        _say(f"valid: {summary.rows:,} rows, no problems ({summary.seconds:.1f}s)")
        return
    table = Table(title=f"loaded {summary.rows:,} rows in {summary.seconds:.1f}s")
    table.add_column("label / type")
    table.add_column("rows", justify="right")
    table.add_column("created", justify="right")
    table.add_column("updated", justify="right")
    table.add_column("let go", justify="right")
    for label in sorted(summary.nodes_seen):
        table.add_row(
            label,
            f"{summary.nodes_seen[label]:,}",
            f"{summary.nodes_created[label]:,}",
            f"{summary.nodes_updated(label):,}",
            "—",
        )
    for rel in sorted(set(summary.relationships_seen) | set(summary.relationships_replaced)):
        if rel == Rel.SERVES:
            continue
        table.add_row(
            rel,
            f"{summary.relationships_seen[rel]:,}",
            f"{summary.relationships_created[rel]:,}",
            f"{summary.relationships_kept(rel):,}",
            f"{summary.relationships_replaced[rel]:,}",
        )
    derived = Rel.SERVES
    if summary.relationships_created[derived] or summary.relationships_replaced[derived]:
        table.add_row(
            f"{derived} (derived)", "—", f"{summary.relationships_created[derived]:,}", "—",
            f"{summary.relationships_replaced[derived]:,}",
        )  # fmt: skip
    out.print(table)


def _database_for_a_dry_run(lang: Lang) -> Database | None:
    """The database if it answers (never started for a dry run), else None: the dataset is
    then checked on its own, and the command says so."""
    try:
        return connect(start=False)
    except (EngineUnavailable, EngineError) as e:
        if lang is Lang.zh:
            _line(f"提示：数据库无法连接（{e}），仅按数据集本身校验")
        else:
            _line(f"notice: the database is not reachable ({e}); validating the dataset alone")
        return None


def _notices(notices: list, lang: Lang) -> None:
    prefix = "提示：" if lang is Lang.zh else "notice: "
    for notice in notices:
        _line(prefix + notice.text(lang.value))


@app.command()
def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the CSV files to.")],
    scenario: Annotated[
        str, typer.Option(help="A packaged scenario: demo, xinfu or province.")
    ] = "demo",
    scenario_file: Annotated[
        Path | None,
        typer.Option("--scenario-file", help="A scenario of your own, as a .json file."),
    ] = None,
    seed: Annotated[
        int, typer.Option(min=0, max=2**32 - 1, help="The same seed gives the same dataset.")
    ] = 1,
) -> None:
    """Write a synthetic dataset in the import format, calibrated on the seed articles."""
    from orgnet.loaders.generate import generate_scenario, load_scenario, read_scenario_file

    if out_dir.exists() and not out_dir.is_dir():
        raise BadRequest(f"--out {out_dir} is a file; name a folder to write the CSV files to")
    spec = read_scenario_file(scenario_file) if scenario_file else load_scenario(scenario)
    name = str(scenario_file) if scenario_file else scenario
    with _writing(out_dir), err.status(f"generating {name}…"):
        counts = generate_scenario(spec, out_dir, seed=seed)
    _say(
        f"wrote {name} (seed {seed}) to {out_dir}: "
        + ", ".join(f"{n:,} {table}" for table, n in counts.items())
    )


@app.command()
def template(
    out_file: Annotated[Path, typer.Option("--out", help="The .xlsx file to write.")],
) -> None:
    """Write an empty import workbook with Chinese headers, drop-downs and instructions."""
    from orgnet.loaders.template import write_template

    with _writing(_output(out_file, ".xlsx")):
        write_template(out_file)
    _say(f"wrote {out_file}")


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
        raise typer.BadParameter(f"{value!r} is not a date; write it as {FORMS}") from None


def _out_option(value: Path | None) -> Path | None:
    if value is None:
        return None
    try:
        return _output(value)
    except BadRequest as e:
        raise typer.BadParameter(str(e)) from None


ScopeOpt = Annotated[
    str | None,
    typer.Option("--scope", help="A district, street or community id (default: everything)."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        callback=_as_of_option,
        help="Count posts, memberships, pairings and reports current then (a month: its end).",
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, json, csv or xlsx.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Labels in Chinese (zh) or English (en).")]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        callback=_out_option,
        help="Write to this file (required for xlsx) instead of stdout.",
    ),
]
TableOpt = Annotated[
    str | None, typer.Option("--table", help="With csv: which of the answer's tables to write.")
]
ShowPhoneOpt = Annotated[
    bool, typer.Option("--show-phone", help="Show phone numbers unmasked (personal data).")
]


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
            raise BadRequest("--format xlsx needs --out FILE.xlsx")
        with _writing(_output(out_file, ".xlsx")):
            render.write_xlsx(result, out_file, title=title, lang=lang.value)
        _line(f"wrote {out_file}")
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

_COMMAND_HELP: dict[str, str] = {
    "coverage": "Coverage summary: estates with party organization and party work.",
    "gaps": "Gap lists: estates without a party org (应建未建), buildings without a group, grids "
    "without a branch, firms without red property, estates without a firm or an owners' "
    "committee.",
    "census": "Census: party orgs by type and level, members and secretaries by category.",
    "rules": "Rules: secretary vacancies, size rules (3 / 50 / 100 members), hierarchy integrity.",
    "pairing": "Pairing balance: paired units and reporting members per household, by community.",
    "chain": "The chain up the party hierarchy, with each level's secretary.",
    "path": "The shortest contact paths between two entities.",
    "cross": "Cross-appointments by pattern, and estates whose triad nobody links (三方联动).",
    "brokers": "People whose removal cuts organizations apart, and the most between others.",
    "terms": "Terms (换届提醒): elected orgs whose term ends within the window, those overdue, "
    "and those with no term recorded, each with the superior org's secretary to remind it.",
    "owners": "Party members on owners' committees: each committee's share, the scope's, and "
    "those below a threshold, beside the seed article's 62.9%.",
}


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


def _input(q: Question, i: Input, prefix: str = "") -> inspect.Parameter:
    kind: object = _ENUMS.get((q.name, i.name), i.type)
    if i.positional:
        info = typer.Argument(metavar=i.metavar, help=i.help, show_default=False)
        return _keyword(i.parameter, Annotated[kind, info], inspect.Parameter.empty)
    names = [i.option, *([i.short] if i.short else [])]
    if i.type is list:
        kind = list[str] | None
    elif i.default is None:
        kind = kind | None  # type: ignore[operator]
    bounds = {k: v for k, v in (("min", i.minimum), ("max", i.maximum)) if v is not None}
    words = prefix + i.help[0].lower() + i.help[1:] if prefix else i.help
    info = typer.Option(*names, help=words, **bounds)
    return _keyword(i.parameter, Annotated[kind, info], i.default)


def _tables(q: Question) -> int:
    hints = typing.get_type_hints(q.result)
    return sum(
        1
        for f in dataclasses.fields(q.result)
        if typing.get_origin(hints[f.name]) is list
        or (f.name == "rows" and hints[f.name] is list)
        or any(typing.get_origin(a) is list for a in typing.get_args(hints[f.name]))
    )


def _question_command(q: Question) -> None:
    rebalance = question("rebalance") if q.name == "pairing" else None
    phones = "show_phone" in inspect.signature(q.answer).parameters
    parameters = [_input(q, i) for i in q.inputs if i.positional]
    if q.scoped:
        parameters.append(_keyword("scope", ScopeOpt, None))
    parameters.append(_keyword("as_of", AsOfOpt, None))
    parameters += [_input(q, i) for i in q.inputs if not i.positional]
    if rebalance is not None:
        flag = typer.Option("--rebalance", help="Propose re-pairings that even out units.")
        parameters.append(_keyword("rebalance", Annotated[bool, flag], False))
        parameters += [_input(rebalance, i, "With --rebalance: ") for i in rebalance.inputs]
    parameters += [
        _keyword("fmt", FormatOpt, Format.table),
        _keyword("lang", LangOpt, Lang.zh),
        _keyword("out_file", OutOpt, None),
    ]
    if _tables(q) > 1:
        parameters.append(_keyword("table", TableOpt, None))
    if phones:
        parameters.append(_keyword("show_phone", ShowPhoneOpt, False))

    def command(**given: typing.Any) -> None:
        asked = rebalance if rebalance is not None and given.get("rebalance") else q
        inputs = {
            i.name: given[i.parameter].value
            if isinstance(given[i.parameter], StrEnum)
            else given[i.parameter]
            for i in asked.inputs
        }
        with connect() as db:
            result = ask(
                asked,
                db,
                inputs,
                scope=given.get("scope"),
                as_of=given["as_of"],
                show_phone=given.get("show_phone", False),
            )
        fmt, lang = given["fmt"], given["lang"]
        name = f"gaps.{inputs['kind']}" if asked.name == "gaps" else asked.name
        lead = None
        if asked.name == "coverage":
            from orgnet.api.labels import coverage_sentence

            lead = coverage_sentence(result, lang.value)
        if asked.name == "chain" and not result.links and fmt is Format.table:
            _line(f"no party org reaches {result.start.name} ({result.start.id})")
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
    command.__doc__ = _COMMAND_HELP[q.name]
    app.command(name=q.name)(command)


for _q in QUESTIONS:
    if _q.name not in ("rebalance", "report"):  # rebalance: `pairing --rebalance`
        _question_command(_q)


@app.command()
def report(
    out_file: Annotated[
        Path, typer.Option("--out", "-o", help="FILE.html (a page) or FILE.xlsx (a workbook).")
    ],
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """One coverage report of a scope to send upward: summary, rates by street and community,
    every gap list, rules, census, pairing balance and cross-appointments (phones masked)."""
    from orgnet.api import render
    from orgnet.api.report import write_html
    from orgnet.queries.report import coverage_report

    suffix = _output(out_file, ".html", ".htm", ".xlsx").suffix.lower()
    with connect() as db, err.status("gathering the report…"):
        result = coverage_report(db, scope, as_of)
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
    _say(f"wrote {out_file}")


# -- network views ------------------------------------------------------------------------------

ViewOut = Annotated[
    Path, typer.Option("--out", "-o", help="The .html file to write (one self-contained page).")
]


def _write_view(view: object, out_file: Path) -> None:
    from orgnet.api.views import View

    assert isinstance(view, View)
    with _writing(_output(out_file, ".html", ".htm")):
        view.save(out_file)
    _say(f"wrote {out_file}: {view.nodes:,} nodes, {view.edges:,} relationships")


@viz_app.command("structure")
def viz_structure(
    scope: Annotated[
        str, typer.Option("--scope", help="A street or community id (a district is large).")
    ],
    out_file: ViewOut,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
    show_phone: ShowPhoneOpt = False,
) -> None:
    """A street's or community's levels — street, communities, grids, estates, buildings — with
    the party orgs covering each and their reporting lines, the gaps ringed."""
    from orgnet.api.views import draw
    from orgnet.queries.networks import structure

    _output(out_file, ".html", ".htm")
    with connect() as db:
        network = structure(db, scope, as_of, show_phone=show_phone)
    _write_view(draw(network, lang=lang.value, hierarchy=True), out_file)


@viz_app.command("pairing")
def viz_pairing(
    out_file: ViewOut,
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Paired units and the communities they are paired with, communities sized by
    households, so that an uneven spread shows."""
    from orgnet.api.views import draw
    from orgnet.queries.networks import pairing

    _output(out_file, ".html", ".htm")
    with connect() as db:
        network = pairing(db, scope, as_of)
    _write_view(draw(network, lang=lang.value), out_file)


@viz_app.command("cross")
def viz_cross(
    out_file: ViewOut,
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
    show_phone: ShowPhoneOpt = False,
) -> None:
    """People with posts on more than one side and the bodies they tie together, with the
    estates whose triad is linked or broken."""
    from orgnet.api.views import draw
    from orgnet.queries.networks import cross

    _output(out_file, ".html", ".htm")
    with connect() as db:
        network = cross(db, scope, as_of, show_phone=show_phone)
    _write_view(draw(network, lang=lang.value), out_file)


@viz_app.command("path")
def viz_path(
    source: Annotated[str, typer.Argument(metavar="FROM", help="An entity id.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="An entity id.")],
    out_file: ViewOut,
    as_of: AsOfOpt = None,
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=10, help="How many paths.")] = 3,
    rel: Annotated[
        list[str] | None, typer.Option("--rel", help="Follow only these relationships.")
    ] = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """The shortest contact paths between two entities, the posts on the edges."""
    from orgnet.api.views import draw
    from orgnet.queries.networks import contact_path

    _output(out_file, ".html", ".htm")
    with connect() as db:
        network = contact_path(db, source, target, as_of, k=k, rels=rel)
    _write_view(draw(network, lang=lang.value), out_file)


@viz_app.command("neighbourhood")
def viz_neighbourhood(
    id: Annotated[str, typer.Argument(metavar="ID", help="An entity id.")],
    out_file: ViewOut,
    as_of: AsOfOpt = None,
    depth: Annotated[int, typer.Option("--depth", min=1, max=2, help="1 or 2 steps out.")] = 1,
    lang: LangOpt = Lang.zh,
) -> None:
    """One entity and what lies around it."""
    from orgnet.api.views import draw
    from orgnet.queries.networks import neighbourhood

    _output(out_file, ".html", ".htm")
    with connect() as db:
        network, truncated = neighbourhood(db, id, as_of, depth=depth)
    if truncated:
        _line("notice: the neighbourhood was cut at 500 nodes; ask for --depth 1")
    _write_view(draw(network, lang=lang.value), out_file)


# -- the HTTP API -------------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, max=64, help="Server processes (one per core serves the most)."
        ),
    ] = 1,
) -> None:
    """Serve the questions over HTTP to other systems (OpenAPI at /openapi.json). Starts the
    embedded engine first, unless NEO4J_URI names a server."""
    import uvicorn

    settings = get_settings()
    if not settings.external:
        with err.status("starting the engine…"):
            EmbeddedEngine(settings).start()
    _say(f"serving on http://{host}:{port} (OpenAPI at /openapi.json)")
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


@keys_app.command("create")
def keys_create(
    role: Annotated[
        Role,
        typer.Option(
            "--role",
            help="viewer: the questions; analyst: also entities, search, neighbourhoods; "
            "admin: also uploads.",
        ),
    ],
    jurisdiction: Annotated[
        str,
        typer.Option(
            "--jurisdiction", help="The district, street or community id it may see, or 'all'."
        ),
    ],
    personal_data: Annotated[
        bool,
        typer.Option(
            "--personal-data",
            help="Names and phones in clear (each such answer is written to the audit log).",
        ),
    ] = False,
    name: Annotated[str | None, typer.Option("--name", help="A name to know it by.")] = None,
) -> None:
    """Make a key and print it once (only its hash is kept)."""
    from orgnet.api.keys import ALL, Keys
    from orgnet.queries.scope import resolve_scope

    settings = get_settings()
    if jurisdiction != ALL:
        with connect() as db:
            where = resolve_scope(db, jurisdiction)
        jurisdiction = str(where.id)
    key, token = Keys(settings.api_home).create(
        role=role.value, jurisdiction=jurisdiction, personal_data=personal_data, name=name
    )
    _line(
        f"key {key.name} ({key.id}): {key.role}, jurisdiction {key.jurisdiction}"
        + (", personal data in clear" if key.personal_data else "")
        + " — shown once; send it in the X-API-Key header"
    )
    _say(token)


@keys_app.command("list")
def keys_list() -> None:
    """The keys: id, name, role, jurisdiction, personal data, made, revoked (never the key)."""
    from orgnet.api.keys import Keys

    table = Table()
    for heading in ("id", "name", "role", "jurisdiction", "personal data", "created", "revoked"):
        table.add_column(heading)
    for key in Keys(get_settings().api_home).all():
        table.add_row(
            *(
                Text(_visible(v))
                for v in (
                    key.id, key.name, key.role, key.jurisdiction,
                    "yes" if key.personal_data else "no", key.created, key.revoked or "",
                )
            )
        )  # fmt: skip
    _wide().print(table)


@keys_app.command("revoke")
def keys_revoke(
    which: Annotated[str, typer.Argument(metavar="ID_OR_NAME", help="The key's id or name.")],
) -> None:
    """Revoke a key: from the next request on, it is refused (401)."""
    from orgnet.api.keys import Keys

    key = Keys(get_settings().api_home).revoke(which)
    _say(f"key {key.name} ({key.id}) revoked {key.revoked}")


@app.command()
def audit(
    since: Annotated[
        str | None, typer.Option("--since", help="From this day (or time) on, UTC.")
    ] = None,
    key: Annotated[str | None, typer.Option("--key", help="One key's id or name.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The audit log of the HTTP API: every upload and every answer with personal data in
    clear — when, which key, which route and parameters, how many rows."""
    import json

    from orgnet.api.audit import AuditLog

    day = _as_of_option(since) if since and len(since) <= 11 else since
    lines = list(AuditLog(get_settings().api_home).read(since=day, key=key))
    if fmt is Format.json:
        sys.stdout.write(json.dumps(lines, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is not Format.table:
        raise BadRequest("orgnet audit writes table or json")
    table = Table(title=f"audit ({len(lines):,})")
    for heading in ("time", "key", "route", "parameters", "jurisdiction", "rows", "outcome"):
        table.add_column(heading, overflow="fold")
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


def _one_line(text: str) -> str:
    """A failure is said in one line: a message that spans lines (a driver's) is joined."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _system_refusal(e: OSError) -> OrgnetError | None:
    """What the system refused (a full disk, a file this user may not write), in one line;
    None for what only a fault in orgnet would cause."""
    import errno

    where = f" ({e.filename})" if e.filename else ""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(
            f"the disk is full{where}; free some space and run the command again "
            f"(a load completes what it had written)"
        )
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return BadRequest(f"{e.strerror}{where}: this user may not use it; check its permissions")
    return None


def main() -> None:
    """Entry point: runs the app and turns every failure into one line and an exit status."""
    try:
        app()
    except OrgnetError as e:
        _line(f"error: {_one_line(str(e))}")
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        _line("interrupted")
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
            _line(f"error: {refused.args[0]}")
            sys.exit(refused.exit_code)
        _line(
            f"error: an unexpected {type(e).__name__} ({e}); this is a fault in orgnet — please "
            f"report it with the command you ran (ORGNET_DEBUG=1 shows where it happened)"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
