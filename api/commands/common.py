"""What every command shares: this run's language and words, the app and its groups, the
consoles, output files and the one place answers are formatted."""

from __future__ import annotations

import sys
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest, NotFound

from ..labels import error_words
from ..usage import speak
from ..words import LANGS, default_lang, say


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


def words(key: str, **params: object) -> str:
    """Words of this run's language."""
    return say(key, LANG, **params)


def called(kind: str) -> str:
    """What a value is called in the help (编号, 日期, 文件)."""
    return words(f"click.metavar_{kind}")


app = typer.Typer(
    name="orgnet",
    help=words("help.app"),
    no_args_is_help=True,
    add_completion=False,  # a shell's completion is no clerk's; its help would be English
    pretty_exceptions_enable=False,
    # Boxed errors and help on a terminal; redirected, a usage error is one plain line (a box
    # would be wrapped at 80 columns).
    rich_markup_mode="rich" if sys.stderr.isatty() else None,
)
db_app = typer.Typer(help=words("help.db"), no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def _everything(
    lang: Annotated[Lang | None, typer.Option("--lang", help=words("help.lang"))] = None,
) -> None:
    # --lang before the command (orgnet --lang en coverage) is read from the command line as
    # the run starts (_language), so that the help speaks it too.
    pass


viz_app = typer.Typer(help=words("help.viz"), no_args_is_help=True)
app.add_typer(viz_app, name="viz")
keys_app = typer.Typer(help=words("help.keys"), no_args_is_help=True)
app.add_typer(keys_app, name="keys")
users_app = typer.Typer(help=words("help.users"), no_args_is_help=True)
app.add_typer(users_app, name="users")
loads_app = typer.Typer(help=words("help.loads"), invoke_without_command=True)
app.add_typer(loads_app, name="loads")

# Never wrapped: a redirected stream would otherwise break a file:row:column line at 80 columns.
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def wide() -> Console:
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


def visible(text: str) -> str:
    """Text for a terminal: control characters (an ESC from a name) shown, not obeyed."""
    from orgnet.api.render import printable

    return "\n".join(printable(line) for line in str(text).split("\n"))


def show(text: str) -> None:
    """One line of a command's result, on stdout, taken literally."""
    out.print(Text(visible(text)))


def tell(text: str) -> None:
    """One line on stderr, as it is: no markup, no wrapping."""
    sys.stderr.write(visible(text) + "\n")
    sys.stderr.flush()


class Lang(StrEnum):
    zh = "zh"
    en = "en"


DEFAULT_LANG = Lang(LANG)


@contextmanager
def writing(path: Path) -> Iterator[None]:
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


def output_file(path: Path, *suffixes: str) -> Path:
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


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def as_of_option(value: str | None) -> str | None:
    """--as-of in any form the import takes (2023-05-01, 2023/5/1, 2023年5月1日, 2023-05)."""
    from orgnet.graph.dates import FORMS, BadValue, as_of_day

    if value is None:
        return None
    try:
        return as_of_day(value)
    except BadValue:
        raise Said(words("errors.not_a_date", value=value, forms=FORMS)) from None


class Said(typer.BadParameter):
    """A bad value of an option, said in this run's words already."""

    said = True


def out_option(value: Path | None) -> Path | None:
    if value is None:
        return None
    try:
        return output_file(value)
    except BadRequest as e:
        raise Said(error_words(e, LANG)) from None


ScopeOpt = Annotated[
    str | None, typer.Option("--scope", metavar=called("name"), help=words("help.scope"))
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", callback=as_of_option, metavar=called("date"), help=words("help.as_of")
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help=words("help.format"))]
LangOpt = Annotated[Lang, typer.Option("--lang", help=words("help.lang"))]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", callback=out_option, metavar=called("file"), help=words("help.out")
    ),
]
# How long a writer (a load, an undo, derive) waits for the one-writer lock.
WaitOpt = Annotated[
    float,
    typer.Option("--wait", min=0, max=86_400, metavar=called("seconds"), help=words("help.wait")),
]
ShowPhoneOpt = Annotated[bool, typer.Option("--show-phone", help=words("help.show_phone"))]


def emit(
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
        with writing(output_file(out_file, ".xlsx")):
            render.write_xlsx(result, out_file, title=title, lang=lang.value)
        tell(say("cli.wrote", lang.value, path=out_file))
        return
    if fmt is Format.csv and out_file is not None and out_file.suffix.lower() == ".zip":
        with writing(out_file):
            render.write_csv_zip(result, out_file, lang=lang.value)
        tell(say("cli.wrote", lang.value, path=out_file))
        return
    if fmt is Format.table:
        if out_file is not None:
            with writing(out_file), out_file.open("w", encoding="utf-8") as f:
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
        tell(say("cli.notice", lang.value, text=say("cli.other_tables", lang.value,
                                                     count=len(others), tables=names)))  # fmt: skip
    if out_file is not None:
        with writing(out_file):
            # A BOM so that Excel opens Chinese CSV as UTF-8.
            out_file.write_text(text, encoding="utf-8-sig" if fmt is Format.csv else "utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def title_of(name: str, lang: Lang, scope: object = None) -> str:
    from orgnet.api.labels import title

    return title(name, lang.value, scope)


def named(entity: typing.Any) -> str:
    return f"{entity.name} ({entity.id})" if entity.name else str(entity.id)


def scope_of(db: Database, given: str | None) -> typing.Any:
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
