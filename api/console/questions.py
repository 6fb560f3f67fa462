"""Every question of the registry as a page: ``/questions/NAME``, with the query parameters of
``GET /v1/NAME`` (the positional inputs as parameters too: ``/questions/gaps?kind=estates``),
a form built from the question's declaration — its inputs with the same defaults and bounds —
and the answer as sortable, paged tables with the report's titles and words, its chart where
it has one, and downloads (CSV, XLSX, and the HTML report of the scope).

A question added to the registry has a page here without one being written. The answer is
asked as the API asks it (``answers.ask_within``): within the user's jurisdiction, kept with
the API's answers, and sent through the guard.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest, Forbidden, NotFound, OrgnetError
from orgnet.queries.registry import GAP_KINDS, QUESTIONS, Input, Question
from orgnet.queries.scope import as_of_date

from .. import charts, render
from ..answers import XLSX, ask_within, count_rows, kept
from ..guard import Guard, Released
from ..labels import error_words, title, word
from ..words import has, say
from . import scopes
from .pages import html, link, pages_router, send
from .session import Viewer, lang_of
from .tables import figures, tables

_BY_NAME = {q.name: q for q in QUESTIONS}


@dataclass
class Field:
    """One control of a question's form."""

    name: str
    words: str
    widget: str  # "select", "checkbox", "checkboxes", "number", "text", "date"
    value: Any
    help: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, words)
    minimum: float | None = None
    maximum: float | None = None
    step: str | None = None
    required: bool = False
    error: str | None = None


@dataclass
class Asked:
    """What a request asks of a question: its inputs read, and what is wrong with them."""

    inputs: dict[str, Any]
    scope: str | None
    as_of: str | None
    day: str | None
    errors: dict[str, str]
    missing: list[str]  # required inputs not given: the page shows the form only

    @property
    def ready(self) -> bool:
        return not self.errors and not self.missing


def input_words(i: Input, lang: str) -> str:
    key = f"console.input_{i.name}"
    return say(key, lang) if has(key) else i.name


def _choice_words(i: Input, value: str, lang: str) -> str:
    if i.name == "kind" and value in GAP_KINDS:
        return say(f"titles.gaps.{value}", lang)
    return word(i.name, value, lang)


def read(q: Question, request: Request, lang: str) -> Asked:
    """The question's inputs from the query, converted and checked against their bounds."""
    query = request.query_params
    inputs: dict[str, Any] = {}
    errors: dict[str, str] = {}
    missing: list[str] = []
    for i in q.inputs:
        raw: Any = query.getlist(i.name) if i.type is list else (query.get(i.name) or "").strip()
        if raw in ("", []):
            if i.required:
                missing.append(i.name)
            inputs[i.name] = i.default
            continue
        try:
            inputs[i.name] = _convert(i, raw, lang)
        except ValueError as e:
            errors[i.name] = str(e)
            inputs[i.name] = i.default
    scope = (query.get("scope") or "").strip() or None if q.scoped else None
    as_of = (query.get("as_of") or "").strip() or None if q.dated else None
    day = None
    try:
        day = as_of_date(as_of)
    except OrgnetError as e:
        errors["as_of"] = error_words(e, lang)
    if scope is not None and len(scope) > 200:
        errors["scope"] = say("console.bad_scope", lang)
    return Asked(inputs, scope, as_of, day, errors, missing)


def _convert(i: Input, raw: Any, lang: str) -> Any:
    if i.type is list:
        chosen = [str(v) for v in raw if str(v).strip()]
        wrong = [v for v in chosen if i.choices and v not in i.choices]
        if wrong:
            raise ValueError(say("console.bad_choice", lang, value=wrong[0]))
        return chosen or None
    if i.type is bool:
        return raw.lower() in ("true", "1", "on", "yes")
    if i.choices and raw not in i.choices:
        raise ValueError(say("console.bad_choice", lang, value=raw[:40]))
    if i.type in (int, float):
        try:
            number = i.type(raw)
        except ValueError:
            raise ValueError(say("console.not_a_number", lang, value=raw[:40])) from None
        low = -float("inf") if i.minimum is None else i.minimum
        high = float("inf") if i.maximum is None else i.maximum
        if not low <= number <= high:
            raise ValueError(
                say("console.out_of_range", lang, least=_bound(i.minimum), most=_bound(i.maximum))
            )
        return number
    if len(raw) > (200 if i.positional else 40):
        raise ValueError(say("console.too_long", lang))
    return raw


def _bound(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"


def form(q: Question, asked: Asked, lang: str, scope_choices: list[tuple[str, str]]) -> list[Field]:
    """The form of a question: its scope and date, then its inputs as declared."""
    fields: list[Field] = []
    if q.scoped:
        fields.append(
            Field("scope", say("console.input_scope", lang), "select", asked.scope or "",
                  choices=scope_choices, error=asked.errors.get("scope"))
        )  # fmt: skip
    for i in q.inputs:
        value = asked.inputs.get(i.name)
        if i.type is list:
            widget = "checkboxes"
        elif i.type is bool:
            widget = "checkbox"
        elif i.choices:
            widget = "select"
        elif i.type in (int, float):
            widget = "number"
        else:
            widget = "text"
        fields.append(
            Field(
                i.name,
                input_words(i, lang),
                widget,
                value if value is not None else "",
                help=say(f"console.help_{i.name}", lang) if has(f"console.help_{i.name}") else "",
                choices=[(c, _choice_words(i, c, lang)) for c in i.choices or ()],
                minimum=i.minimum,
                maximum=i.maximum,
                step="any" if i.type is float else None,
                required=i.required,
                error=asked.errors.get(i.name),
            )
        )
    if q.dated:
        fields.append(
            Field("as_of", say("console.input_as_of", lang), "date", asked.as_of or "",
                  help=say("console.help_as_of", lang), error=asked.errors.get("as_of"))
        )  # fmt: skip
    return fields


def about(q: Question, lang: str) -> str:
    """What a question answers, in a sentence (none for a question the catalogue does not
    describe yet: its page is there all the same)."""
    key = f"console.about_{q.name}"
    return say(key, lang) if has(key) else ""


def heading_of(q: Question, inputs: dict[str, Any]) -> str:
    return f"gaps.{inputs['kind']}" if q.name == "gaps" and inputs.get("kind") else q.name


def answer_of(request: Request, q: Question, session: Any, asked: Asked) -> Released[Any]:
    """The answer as the user may see it: asked within their jurisdiction, kept with the
    API's answers. A scope outside it (or none such) is the 403 page; another id that is not
    the user's to name stays a NotFound for the page to say."""
    guard: Guard = request.app.state.guard
    user = session.user
    day = asked.day or as_of_date(None)

    def work(db: Database) -> Any:
        return ask_within(db, q, user, asked.scope, day, asked.inputs)

    key = kept(q, asked.inputs, asked.scope, day)
    try:
        return guard.answer(user, work, kept=key, rows=count_rows)
    except NotFound as e:
        if asked.scope and e.params.get("id") == asked.scope:
            raise scopes.outside(asked.scope) from None
        raise


def chart_svgs(q: Question, result: Any, lang: str) -> list[Markup]:
    """The charts an answer has: the census's, the pairing's Lorenz curve (when there is a
    spread), the report's coverage by area."""
    drawn: list[tuple[Any, Any]] = []  # (how, from what)
    if q.name == "census":
        drawn = [(charts.census, result), (charts.secretaries, result)]
    elif q.name == "trend" and result.points:
        drawn = [(charts.trend, result)]
    elif q.name == "pairing" and result.units.gini is not None:
        drawn = [(charts.lorenz, result)]
    elif q.name == "report":  # as the home page draws it
        from .home import coverage_chart

        chart, _ = coverage_chart(result, lang)
        return [chart] if chart is not None else []
    # matplotlib writes the text of an SVG escaped, names from rosters included.
    return [Markup(charts.drawn_svg(draw, found, lang=lang)) for draw, found in drawn]


def params_of(request: Request) -> dict[str, Any]:
    """The page's query as a dict (a repeated parameter as a list)."""
    params: dict[str, Any] = {}
    for k in request.query_params:
        values = request.query_params.getlist(k)
        params[k] = values if len(values) > 1 else values[0]
    return params


def _question(name: str, session: Any) -> Question:
    """The question a page names, if the user's role may ask it."""
    q = _BY_NAME.get(name)
    if q is None:
        raise NotFound(f"no question is named {name!r}", said="no_question", name=name[:40])
    if not session.user.may(q.role):
        raise Forbidden(
            f"this page needs the {q.role} role (yours: {session.user.role})",
            said="role_needed",
            role=q.role,
            mine=session.user.role,
        )
    return q


def router() -> APIRouter:
    routes = pages_router()

    @routes.get("/questions")
    def question_list(request: Request, session: Viewer) -> HTMLResponse:
        lang = lang_of(request)
        listed = [
            (f"/questions/{q.name}", say(f"titles.{q.name}", lang), about(q, lang))
            for q in QUESTIONS
            if session.user.may(q.role)
        ]  # fmt: skip
        page = html(request, "questions.html.j2", session, listed=listed,
                    title=say("console.nav_questions", lang))  # fmt: skip
        return send(request, session, page, None)

    @routes.get("/questions/{name}")
    def question_page(request: Request, name: str, session: Viewer) -> HTMLResponse:
        q = _question(name, session)
        lang = lang_of(request)
        asked = read(q, request, lang)
        params = params_of(request)
        choices = scopes.choices(request, session.user, lang) if q.scoped else []
        released = None
        status = 200
        if asked.ready:
            try:
                released = answer_of(request, q, session, asked)
            except NotFound as e:
                asked.errors["_"] = error_words(e, lang)
                status = 404
            except BadRequest as e:
                asked.errors["_"] = error_words(e, lang)
                status = 400
        elif asked.errors:
            status = 400
        result = released.answer if released else None
        heading = heading_of(q, asked.inputs)
        download = f"/questions/{q.name}/download"
        asked_params = {k: v for k, v in params.items() if not k.startswith(("s.", "p."))}
        page = html(
            request,
            "question.html.j2",
            session,
            status=status,
            q=q,
            title=title(heading, lang, getattr(result, "scope", None) if result else None),
            about=about(q, lang),
            fields=form(q, asked, lang, choices),
            problem=asked.errors.get("_"),
            answered=result is not None,
            as_of=getattr(result, "as_of", None),
            figures=figures(result, lang) if result is not None else [],
            tables=tables(
                result,
                lang,
                path=request.url.path,
                params=params,
                download=download,
                entity_links=session.user.may("analyst"),
            )
            if result is not None
            else [],
            charts=chart_svgs(q, result, lang) if result is not None else [],
            downloads=_downloads(q, result, download, asked_params, asked.scope),
        )  # fmt: skip
        rows = count_rows(result) if result is not None else 0
        return send(request, session, page, released, rows=rows,
                    parameters=asked_params, question=q.name)  # fmt: skip

    @routes.get("/questions/{name}/download")
    def question_download(request: Request, name: str, session: Viewer) -> Response:
        q = _question(name, session)
        lang = lang_of(request)
        asked = read(q, request, lang)
        if not asked.ready:
            problem = next(iter(asked.errors.values()), None) or say("console.fill_form", lang)
            raise BadRequest(problem, said="console_form", problem=problem)
        fmt = request.query_params.get("format", "xlsx")
        if fmt not in ("csv", "xlsx", "html"):
            raise BadRequest(f"format {fmt[:20]!r}: csv, xlsx or html", said="console_format")
        if fmt == "html" and q.name != "report":
            raise BadRequest("the HTML report is the report question's", said="console_format")
        released = answer_of(request, q, session, asked)
        result = released.answer
        heading = title(heading_of(q, asked.inputs), lang, getattr(result, "scope", None))
        stem = f"{q.name}-{asked.inputs['kind']}" if q.name == "gaps" else q.name
        table = request.query_params.get("table")
        if fmt == "csv" and table:
            try:
                text = render.to_csv(result, lang=lang, part=table)
            except render.NoSuchTable:
                raise BadRequest(f"no table {table[:40]!r}", said="console_table") from None
            content, media, ext = (
                ("\ufeff" + text).encode("utf-8"),
                "text/csv; charset=utf-8",
                "csv",
            )
            stem = f"{stem}-{table}"
        elif fmt == "csv":
            buffer = io.BytesIO()
            render.write_csv_zip(result, buffer, lang=lang)
            content, media, ext = buffer.getvalue(), "application/zip", "zip"
        elif fmt == "xlsx":
            buffer = io.BytesIO()
            render.write_xlsx(result, buffer, title=heading, lang=lang)
            content, media, ext = buffer.getvalue(), XLSX, "xlsx"
        else:
            from ..report import html as report_html

            content, media, ext = (
                report_html(result, lang).encode("utf-8"),
                "text/html; charset=utf-8",
                "html",
            )
        response = Response(
            content,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{stem}.{ext}"'},
        )  # fmt: skip
        guard: Guard = request.app.state.guard
        asked_params = {k: v for k, v in params_of(request).items() if k != "table"}
        return guard.send(request, session.user, released, response, rows=count_rows(result),
                          parameters=asked_params, question=q.name)  # fmt: skip

    return routes


def _downloads(
    q: Question, result: Any, path: str, params: dict[str, Any], scope: str | None
) -> list[tuple[str, str]]:
    if result is None:
        return []
    found = [
        ("xlsx", link(path, **{**params, "format": "xlsx"})),
        ("csv", link(path, **{**params, "format": "csv"})),
    ]
    if q.scoped:  # the report of the same scope
        report = {"scope": scope, "as_of": params.get("as_of"), "format": "html"}
        found.append(("html", link("/questions/report/download", **report)))
    return found
