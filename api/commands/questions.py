"""A command for every question of the registry (queries/registry.py), and the report."""

from __future__ import annotations

import dataclasses
import inspect
import typing
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from orgnet.graph.connection import connect
from orgnet.graph.model import RELATIONSHIPS, Rel
from orgnet.queries.registry import QUESTIONS, Input, Question, ask, question

from ..words import say
from .common import (
    DEFAULT_LANG,
    LANG,
    AsOfOpt,
    Format,
    FormatOpt,
    LangOpt,
    OutOpt,
    ScopeOpt,
    ShowPhoneOpt,
    app,
    called,
    emit,
    err,
    named,
    output_file,
    scope_of,
    show,
    tell,
    title_of,
    words,
    writing,
)

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


def keyword(name: str, annotation: object, default: object) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def input_parameter(
    q: Question, i: Input, prefix: str = "", needed: bool = True
) -> inspect.Parameter:
    kind: object = _ENUMS.get((q.name, i.name), i.type)
    help = words(f"help.input.{q.name}.{i.name}", choices=_choice_words(i))
    if i.positional:
        metavar = called((i.metavar or "id").lower())
        info = typer.Argument(metavar=metavar, help=help, show_default=False)
        return keyword(i.parameter, Annotated[kind, info], inspect.Parameter.empty)
    names = [i.option, *([i.short] if i.short else [])]
    if i.type is list:
        kind = list[str] | None
    elif i.default is None:
        kind = kind | None  # type: ignore[operator]
    bounds: dict[str, Any] = {
        k: v for k, v in (("min", i.minimum), ("max", i.maximum)) if v is not None
    }
    metavar = called(
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
    return keyword(i.parameter, Annotated[kind, info], ... if i.required and needed else i.default)


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
    parameters = [input_parameter(q, i) for i in q.inputs if i.positional]
    if q.scoped:
        parameters.append(keyword("scope", ScopeOpt, None))
    if q.dated:
        parameters.append(keyword("as_of", AsOfOpt, None))
    # With --load, `changes` tells of one load, and needs no period.
    parameters += [
        input_parameter(q, i, needed=by_load is None) for i in q.inputs if not i.positional
    ]
    if rebalance is not None:
        flag = typer.Option("--rebalance", help=words("help.rebalance"))
        parameters.append(keyword("rebalance", Annotated[bool, flag], False))
        parameters += [
            input_parameter(rebalance, i, words("help.with_rebalance")) for i in rebalance.inputs
        ]
    if by_load is not None:
        flag = typer.Option(
            "--load", min=1, metavar=called("number"), help=words("help.changes_load")
        )
        parameters.append(keyword("load", Annotated[int | None, flag], None))
    parameters += [
        keyword("fmt", FormatOpt, Format.table),
        keyword("lang", LangOpt, DEFAULT_LANG),
        keyword("out_file", OutOpt, None),
    ]
    tables = _table_names(q.result)
    if len(tables) > 1:
        listed = ("、" if LANG == "zh" else ", ").join(tables)
        option = typer.Option(
            "--table", metavar=called("table"), help=words("help.table", tables=listed)
        )
        parameters.append(keyword("table", Annotated[str | None, option], None))
    if phones:
        parameters.append(keyword("show_phone", ShowPhoneOpt, False))

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
                scope=scope_of(db, given.get("scope")),
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
            tell(say("cli.no_chain", lang.value, name=result.start.name, id=result.start.id))
        if asked.name == "path" and not result.paths and fmt is Format.table:
            tell(
                say("cli.no_path_found", lang.value, hops=inputs["max_hops"],
                    source=named(result.source), target=named(result.target))
            )  # fmt: skip
        changed = result.property_changes + result.link_changes if asked.name == "history" else 1
        if not changed and fmt is Format.table:
            tell(say("cli.no_history", lang.value, name=named(result.entity)))
            return
        emit(
            result,
            title=title_of(name, lang, result.scope if asked.scoped else None),
            fmt=fmt,
            lang=lang,
            out_file=given["out_file"],
            table=given.get("table"),
            lead=lead,
        )

    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__name__ = q.name
    app.command(name=q.name, help=words(f"help.{q.name}"))(command)


for _q in QUESTIONS:
    # rebalance: `pairing --rebalance`; loads: `orgnet loads` beside `orgnet loads undo`;
    # load_changes: `changes --load N`
    if _q.name not in ("rebalance", "report", "loads", "load_changes"):
        _question_command(_q)


@app.command(help=words("help.report"))
def report(
    out_file: Annotated[
        Path, typer.Option("--out", "-o", metavar=called("file"), help=words("help.report_out"))
    ],
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    from orgnet.api import render
    from orgnet.api.report import write_html
    from orgnet.queries.report import coverage_report

    suffix = output_file(out_file, ".html", ".htm", ".xlsx").suffix.lower()
    if suffix != ".xlsx":
        from orgnet.api.charts import cjk_font

        if cjk_font() is None:  # one line, not a warning per glyph
            tell(say("cli.notice", lang.value, text=say("charts.no_font", lang.value)))
    with connect() as db, err.status(words("cli.gathering")):
        result = coverage_report(db, scope_of(db, scope), as_of)
    with writing(out_file):
        if suffix == ".xlsx":
            render.write_xlsx(
                result,
                out_file,
                title=title_of("report", lang, result.scope),
                lang=lang.value,
            )
        else:
            write_html(result, out_file, lang.value)
    show(say("cli.wrote", lang.value, path=out_file))
