"""The questions over HTTP: one ``GET /v1/…`` route for each question of the registry, with
the command line's inputs, defaults and bounds, answering the JSON of ``--format json``.

* ``/v1/NAME``, the positional inputs as path segments: ``/v1/gaps/{kind}``,
  ``/v1/chain/{id}``, ``/v1/path/{source}/{target}``; ``scope`` and ``as_of`` as the CLI takes
  them (no scope: the key's jurisdiction).
* Lists are paged: every table of the answer is cut to ``limit`` rows (≤ 1000, 100 by default)
  from the ``cursor``; ``page`` says each table's total and the cursor of the next page (null
  on the last). A cursor keeps the day the first page was asked for, so the pages of one answer
  agree, and belongs to its question and parameters.
* ``format=csv|xlsx`` (or ``Accept: text/csv`` / the xlsx media type) downloads the tables the
  CLI writes, whole (``table`` picks one for CSV), in ``lang`` zh or en.
* Personal data: unless the key was made with ``--personal-data``, every person's name is
  shortened and every phone masked, in every format; an answer that holds either in clear is
  written to the audit log before it leaves.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import io
import json
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, create_model

from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest, StaleCursor
from orgnet.queries.registry import QUESTIONS, Input, Question, ask
from orgnet.queries.scope import AS_OF_PATTERN, as_of_date

from . import render
from .access import Caller
from .auth import needs
from .cursors import CURSOR_PATTERN, CursorSigner
from .guard import Guard, GuardedRoute
from .jurisdiction import require_inside, scope_for, today
from .keys import Key
from .labels import title
from .problems import Problem

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
Format = Literal["json", "csv", "xlsx"]
# What a request names besides a question's own inputs; not part of a cursor's fingerprint.
_PRESENTATION = ("format", "lang", "table", "limit", "cursor")


class Page(BaseModel):
    limit: int
    totals: dict[str, int]  # each table's rows in the whole answer, by its key
    next_cursor: str | None


def route(q: Question) -> str:
    if q.path:
        return q.path
    return f"/v1/{q.name}" + "".join(f"/{{{i.name}}}" for i in q.inputs if i.positional)


def router() -> APIRouter:
    questions = APIRouter(prefix="", tags=["questions"], route_class=GuardedRoute)
    for q in QUESTIONS:
        questions.add_api_route(
            route(q),
            _endpoint(q),
            methods=["GET"],
            name=q.name,
            summary=q.summary.split(";")[0],
            description=_description(q),
            response_model=_answer_model(q),
            responses={
                200: {
                    "content": {"text/csv": {}, XLSX: {}},
                    "description": "The answer (JSON, or a CSV or XLSX download).",
                },
                410: {
                    "model": Problem,
                    "description": "The cursor was given before the graph last changed.",
                },
            },
        )
    return questions


def _description(q: Question) -> str:
    return (
        f"{q.summary}\n\nThe same answer as `{q.command} --format json` "
        "(see docs/questions.md for every field)."
    )


def _answer_model(q: Question) -> type[BaseModel]:
    hints = typing.get_type_hints(q.result)
    fields: dict[str, Any] = {f.name: (hints[f.name], ...) for f in dataclasses.fields(q.result)}
    return create_model(f"{q.result.__name__}Answer", page=(Page, ...), **fields)


# -- the endpoint, built from the registry --------------------------------------------------


def _endpoint(q: Question) -> Callable[..., Response]:
    caller = needs(q.role)

    def answer(request: Request, **given: Any) -> Response:
        key: Key = given.pop("key")
        return _answer(request, q, key, given)

    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        _keyword("key", Annotated[Key, _depends(caller)], inspect.Parameter.empty),
        *(_input(i) for i in q.inputs),
        *(_common(q)),
    ]
    # FastAPI reads the parameters from the signature: the registry's inputs become the
    # route's path and query parameters, with their types, defaults and bounds.
    answer.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    answer.__name__ = f"answer_{q.name}"
    return answer


def _depends(dependency: Callable[..., Any]) -> Any:
    from fastapi import Depends

    return Depends(dependency)


def _keyword(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def _input(i: Input) -> inspect.Parameter:
    bounds: dict[str, Any] = {
        k: v for k, v in (("ge", i.minimum), ("le", i.maximum)) if v is not None
    }
    base: Any = Literal[i.choices] if i.choices else str  # type: ignore[valid-type]
    if i.type is list:
        base = list[base]  # type: ignore[valid-type]
    elif not i.choices:
        base = i.type
    if i.positional:
        return _keyword(
            i.name,
            Annotated[base, PathParam(description=i.help, max_length=200)]
            if base is str
            else Annotated[base, PathParam(description=i.help, **bounds)],
            inspect.Parameter.empty,
        )
    if i.type is str and not i.choices:
        bounds["max_length"] = 40
    if i.day:
        bounds["pattern"] = AS_OF_PATTERN
    annotation = base if i.default is not None or i.required else base | None
    default = inspect.Parameter.empty if i.required else i.default
    return _keyword(i.name, Annotated[annotation, Query(description=i.help, **bounds)], default)


def _common(q: Question) -> list[inspect.Parameter]:
    common = []
    if q.scoped:
        common.append(
            _keyword(
                "scope",
                Annotated[
                    str | None,
                    Query(
                        description="A district, street or community id (default: the key's "
                        "jurisdiction).",
                        max_length=200,
                    ),
                ],
                None,
            )
        )
    if q.dated:
        common.append(
            _keyword(
                "as_of",
                Annotated[
                    str | None,
                    Query(
                        description="Count what was current on this day, from 1900 to 2100 (any "
                        "form the import takes; a month means its last day). Default: today.",
                        max_length=40,
                        pattern=AS_OF_PATTERN,
                    ),
                ],
                None,
            )
        )
    common += [
        _keyword(
            "format",
            Annotated[
                Format | None,
                Query(description="json (default), csv or xlsx; or send an Accept header."),
            ],
            None,
        ),
        _keyword(
            "lang",
            Annotated[
                Literal["zh", "en"],
                Query(description="The words of a download: Chinese (zh) or English (en)."),
            ],
            "zh",
        ),
        _keyword(
            "table",
            Annotated[
                str | None,
                Query(description="With csv: which of the answer's tables.", max_length=100),
            ],
            None,
        ),
        _keyword(
            "limit",
            Annotated[int, Query(description="Rows of each table on a page.", ge=1, le=MAX_LIMIT)],
            DEFAULT_LIMIT,
        ),
        _keyword(
            "cursor",
            Annotated[
                str | None,
                Query(
                    description="The page after the one whose `page.next_cursor` this is.",
                    max_length=500,
                    pattern=CURSOR_PATTERN,
                ),
            ],
            None,
        ),
    ]
    return common


# -- answering ------------------------------------------------------------------------------


def _answer(request: Request, q: Question, key: Key, given: dict[str, Any]) -> Response:
    guard: Guard = request.app.state.guard
    fmt = _format(given["format"], request.headers.get("accept"))
    inputs = {i.name: given[i.name] for i in q.inputs}
    fingerprint = _fingerprint(q, given)
    version = guard.cache.version()
    signer: CursorSigner = request.app.state.cursors
    offset, pinned = _cursor(signer, given["cursor"], fingerprint, version)
    if pinned and given.get("as_of") and as_of_date(given["as_of"]) != pinned:
        raise BadRequest("as_of differs from the day the cursor's first page was asked for")
    day = pinned or as_of_date(given.get("as_of"))
    etag = _etag(request, key, version, day, fmt)
    if etag in _none_match(request.headers.get("if-none-match")):
        return Response(status_code=304, headers={"ETag": etag})

    def work(db: Database) -> Any:
        return ask_within(db, q, key, given.get("scope"), day, inputs)

    released = guard.answer(
        key, work, kept=kept(q, inputs, given.get("scope"), day), rows=count_rows
    )
    parameters = {k: v for k, v in given.items() if k != "cursor"}
    if fmt != "json":
        response = _download(q, released.answer, fmt, given)
        rows = count_rows(released.answer)
    else:
        shown, totals = _page(released.answer, offset, given["limit"])
        more = any(total > offset + given["limit"] for total in totals.values())
        page = Page(
            limit=given["limit"],
            totals=totals,
            next_cursor=signer.sign(offset + given["limit"], day, fingerprint, version)
            if more
            else None,
        )
        body = {**dataclasses.asdict(shown), "page": page.model_dump()}
        response = Response(
            json.dumps(body, ensure_ascii=False, default=str), media_type="application/json"
        )
        rows = count_rows(shown)
    response.headers["ETag"] = etag
    return guard.send(
        request, key, released, response, rows=rows, parameters=parameters, question=q.name
    )


def kept(q: Question, inputs: dict[str, Any], scope: str | None, day: str) -> tuple:
    """What names an answer among those kept: the same for every door that asks it."""
    return (q.name, json.dumps(inputs, sort_keys=True, default=str), scope, day)


def ask_within(
    db: Database, q: Question, key: Caller, scope: str | None, day: str, inputs: dict[str, Any]
) -> Any:
    """The question asked in the key's jurisdiction: a scope inside it (its own by default),
    the entities it names inside it. What the answer passes through on its way is the
    guard's to withhold."""
    where = scope_for(db, key, scope) if q.scoped else None
    require_inside(db, key, [inputs[i.name] for i in q.inputs if i.entity])
    return ask(q, db, inputs, scope=where, as_of=day, show_phone=key.personal_data)


def _etag(request: Request, key: Caller, version: str, day: str, fmt: str) -> str:
    """The same answer, byte for byte, while the graph, the day asked about, the request, the
    key's reach and the day it is asked on (what lies inside is today's) stay the same."""
    asked = sorted(request.query_params.multi_items())
    reach = [key.jurisdiction, key.personal_data, today()]
    text = json.dumps([version, day, request.url.path, asked, fmt, *reach], ensure_ascii=False)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _none_match(header: str | None) -> set[str]:
    if not header:
        return set()
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}


def _format(asked: str | None, accept: str | None) -> str:
    if asked:
        return asked
    accept = (accept or "").lower()
    if "text/csv" in accept:
        return "csv"
    if XLSX in accept:
        return "xlsx"
    return "json"


def _download(q: Question, result: Any, fmt: str, given: dict[str, Any]) -> Response:
    lang = given["lang"]
    name = f"{q.name}-{given[q.inputs[0].name]}" if q.name == "gaps" else q.name
    heading = title(
        f"gaps.{given['kind']}" if q.name == "gaps" else q.name,
        lang,
        getattr(result, "scope", None),
    )
    if fmt == "csv":
        try:
            text = render.to_csv(result, lang=lang, part=given["table"], choose=True)
        except render.NoSuchTable as e:
            raise BadRequest(f"{e}; name one with table=") from None
        content, media = ("\ufeff" + text).encode("utf-8"), CSV
    else:
        buffer = io.BytesIO()
        render.write_xlsx(result, buffer, title=heading, lang=lang)
        content, media = buffer.getvalue(), XLSX
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


# -- paging -----------------------------------------------------------------------------------


def _page(result: Any, offset: int, limit: int, prefix: str = "") -> tuple[Any, dict[str, int]]:
    """``result`` with each of its tables (lists of rows, nested answers' included) cut to
    ``limit`` rows from ``offset``, and each table's whole length by its key."""
    totals: dict[str, int] = {}
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(result):
        value = getattr(result, f.name)
        key = prefix + f.name
        if isinstance(value, list) and (not value or dataclasses.is_dataclass(value[0])):
            if _is_table(result, f.name, value):
                totals[key] = len(value)
                changes[f.name] = value[offset : offset + limit]
        elif dataclasses.is_dataclass(value) and not isinstance(value, type) and f.init:
            cut, more = _page(value, offset, limit, key + ".")
            if more:
                totals |= more
                changes[f.name] = cut
    return (dataclasses.replace(result, **changes) if changes else result), totals


def _is_table(owner: Any, name: str, value: list) -> bool:
    if value:
        return True
    args = typing.get_args(typing.get_type_hints(type(owner)).get(name))
    return not args or dataclasses.is_dataclass(args[0])


def count_rows(result: Any) -> int:
    """Rows in all of an answer's tables."""
    _, totals = _page(result, 0, 0)
    return sum(totals.values())


def _fingerprint(q: Question, given: dict[str, Any]) -> str:
    asked = {k: v for k, v in sorted(given.items()) if k not in _PRESENTATION and k != "as_of"}
    text = json.dumps([q.name, asked], default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _cursor(
    signer: CursorSigner, cursor: str | None, fingerprint: str, version: str
) -> tuple[int, str | None]:
    """The offset and the pinned day a cursor holds (0 and None for the first page). A cursor
    given out before the graph last changed is stale (410): its pages would no longer fit."""
    if cursor is None:
        return 0, None
    offset, day, owner, graph = signer.open(cursor)
    if owner != fingerprint:
        raise BadRequest("cursor belongs to another question or other parameters")
    if graph != signer.graph(version):
        raise StaleCursor(
            "the graph changed since the first page was given (a load); ask for the first "
            "page again"
        )
    return offset, day
