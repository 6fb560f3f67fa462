"""The one guard every answer of the HTTP API passes on its way out.

A key decides what an answer may show: its jurisdiction, and its right to personal data. A
route gets what it sends only through the guard:

* ``Guard.answer(key, work, kept=…)`` works the answer out and discloses it for the
  key: every entity it names — whatever field it sits in (``queries.disclosure`` marks them) —
  that lies outside the key's jurisdiction *today* keeps its label and loses its id, name,
  phone and everything said about it; a person inside keeps their id and shows a shortened name
  and a masked phone, unless the key may read personal data. The jurisdiction is the key's on
  every date: an ``as_of`` in the past asks what was, never where the key may look. A disclosed
  answer is kept, for the next request with the same reach on the same day, until the graph
  changes.
* ``Guard.send(request, key, released, response, …)`` lets the response go: when it shows a
  person's name or phone in clear (or it answers an upload) the audit line is written first,
  and when that line cannot be written the response is withheld (503). It says how long the
  response may be kept by whoever receives it (never, when it holds people).

The caller is a ``Caller`` (``access``): an API key or a console user, the same grant either
way, so a data screen and a clerk's page never disagree.

Every route runs as a ``GuardedRoute``: a successful response that did not leave through
``Guard.send`` is not sent — the client gets a 500 and the fault is logged — so that a route
added without the guard fails closed instead of leaking. The only routes exempt are those in
``OPEN``, which show nothing of the graph (health, readiness, signing in and out, the
console's language switch).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import unquote

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from orgnet.graph.connection import Database
from orgnet.queries.disclosure import Disclosed, disclose, entity_ids

from .access import Caller
from .audit import AuditLog
from .cache import AnswerCache
from .jurisdiction import inside, today
from .problems import Problem

T = TypeVar("T")
log = logging.getLogger("orgnet.api")
# The routes that show nothing of the graph, by path; every other route's answers must pass
# the guard.
OPEN = frozenset({"/healthz", "/readyz", "/login", "/logout", "/lang/{lang}"})


@dataclass(frozen=True)
class Released(Generic[T]):
    """An answer disclosed for one key."""

    answer: T
    clear: bool  # it shows some person's name or phone in clear
    persons: bool  # it names some person (shown or not)


class Guard:
    def __init__(self, store: Any, cache: AnswerCache, audit: AuditLog) -> None:
        self.store = store
        self.cache = cache
        self.audit = audit

    def answer(
        self,
        key: Caller,
        work: Callable[[Database], T],
        *,
        kept: Hashable | None = None,
        rows: Callable[[T], int] = lambda _: 0,
    ) -> Released[T]:
        """``work``'s answer as ``key`` may see it; ``kept`` names it among the answers kept
        until the graph changes (None: worked out afresh)."""

        def release(db: Database) -> Released[T]:
            return self.release(db, key, work(db))

        def compute() -> Released[T]:
            return self.store.use(release)

        if kept is None:
            return compute()
        # What lies inside is today's: a post that ends tonight lets go of its holder tomorrow.
        reach = (kept, key.jurisdiction, key.personal_data, today())
        released: Released[T] = self.cache.answer(reach, compute, lambda r: rows(r.answer))
        return released

    @staticmethod
    def release(db: Database, key: Caller, answer: T) -> Released[T]:
        """``answer`` disclosed for ``key``: what lies outside its jurisdiction today withheld,
        personal data as it may read it."""
        ids = entity_ids(answer)
        if key.everywhere:
            seen: Callable[[str], bool] | None = None
        else:
            within = inside(db, key, ids)
            seen = within.__contains__
        shown: Disclosed[T] = disclose(answer, seen, personal_data=key.personal_data)
        return Released(shown.answer, shown.clear, shown.persons)

    def send(
        self,
        request: Request,
        key: Caller,
        released: Released[Any] | None,
        response: Response,
        *,
        rows: int,
        parameters: dict[str, Any],
        outcome: str = "answered",
        audit: bool = False,
        question: str | None = None,
        **more: Any,
    ) -> Response:
        """Let ``response`` go, audited first when it shows personal data in clear (or
        ``audit`` says every outcome is recorded, as for uploads)."""
        clear = released is not None and released.clear
        if clear or audit:
            self.audit.record(
                caller=key.kind,
                key_id=key.id,
                key_name=key.name,
                route=request.url.path,
                **({"question": question} if question else {}),
                parameters={k: v for k, v in parameters.items() if v is not None},
                jurisdiction=key.jurisdiction,
                rows=rows,
                outcome=outcome,
                **more,
            )
        if released is not None and released.persons:
            response.headers["Cache-Control"] = "no-store"
        elif "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-cache"
        response.guarded = True  # type: ignore[attr-defined]
        return response


class EncodedSlashes:
    """ASGI middleware: an id may hold a slash, sent encoded (``/v1/entities/A%2FB``). The
    router matches the decoded path, where it would make two segments (and route to another
    answer); so the path the router sees keeps each segment's own slashes and percent signs
    encoded, and ``GuardedRoute`` decodes the parameters once the route has matched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path") if scope["type"] == "http" else None
        if raw:
            segments = raw.split(b"?", 1)[0].decode("latin-1").split("/")
            scope = dict(scope)
            scope["path"] = "/".join(
                unquote(s).replace("%", "%25").replace("/", "%2F") for s in segments
            )
            scope["orgnet.encoded"] = True
        await self.app(scope, receive, send)


class GuardedRoute(APIRoute):
    """A route whose successful responses must have left through ``Guard.send``. Its path
    parameters are decoded here, once the route has matched (``EncodedSlashes``)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        params = child.get("path_params")
        if params and scope.get("orgnet.encoded"):
            child["path_params"] = {
                k: unquote(v) if isinstance(v, str) else v for k, v in params.items()
            }
        return match, child

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.path in OPEN:
            return handler

        async def guarded(request: Request) -> Response:
            response = await handler(request)
            if 200 <= response.status_code < 300 and not getattr(response, "guarded", False):
                log.error("%s %s answered without the guard; withheld", request.method, self.path)
                body = Problem(
                    code="internal",
                    message="this answer did not pass the jurisdiction guard and was withheld; "
                    "this is a fault",
                )
                return JSONResponse(body.model_dump(), status_code=500)
            return response

        return guarded
