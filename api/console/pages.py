"""Drawing a console page: the templates (``templates/console``), what every page knows (the
user, the CSRF token, the language, the menu) and the one way a page leaves — through the
guard, as every answer of the API does.

Every value a template prints is escaped (a name from a roster can hold ``<script>``); the
only markup a page inserts whole is the charts' SVG, which matplotlib escapes as it writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from ..guard import Guard, GuardedRoute, Released
from ..users import Session
from ..words import catalogue, say
from .session import CSRF_HEADER, lang_of

_ENV = Environment(
    loader=PackageLoader("orgnet.api", "templates/console"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)

# The menu: (path, words, the role it needs).
MENU = (
    ("/", "console.nav_home", "viewer"),
    ("/tree", "console.nav_tree", "viewer"),
    ("/questions", "console.nav_questions", "viewer"),
    ("/terms", "console.nav_terms", "viewer"),
    ("/pairing", "console.nav_pairing", "viewer"),
    ("/upload", "console.nav_upload", "admin"),
)


def pages_router() -> APIRouter:
    """A router of console pages: each a ``GuardedRoute``, none in the API's schema."""
    return APIRouter(include_in_schema=False, route_class=GuardedRoute)


def words(lang: str) -> Callable[..., str]:
    def w(key: str, **params: Any) -> str:
        return say(key, lang, **params)

    return w


def script_json(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block: no ``<``, ``>`` or ``&``, so
    that a name holding ``</script>`` cannot end it."""
    text = (
        json.dumps(value, ensure_ascii=False, default=str)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(text)


def link(path: str, **params: Any) -> str:
    """A path with its query, the empty parameters left out."""
    kept = [(k, v) for k, v in params.items() if v not in (None, "", False)]
    pairs: list[tuple[str, Any]] = []
    for k, v in kept:
        pairs += [(k, item) for item in v] if isinstance(v, (list, tuple)) else [(k, v)]
    return path + ("?" + urlencode(pairs) if pairs else "")


def html(
    request: Request,
    template: str,
    session: Session | None,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page, drawn (not yet sent: ``send`` lets it go through the guard)."""
    lang = lang_of(request)
    user = session.user if session else None
    path = request.url.path
    here = path + (f"?{request.url.query}" if request.url.query else "")
    text = _ENV.get_template(template).render(
        lang=lang,
        w=words(lang),
        words=catalogue(lang),
        user=user,
        csrf=session.csrf if session else "",
        csrf_header=CSRF_HEADER,
        menu=[(p, say(k, lang)) for p, k, role in MENU if user is not None and user.may(role)],
        path=path,
        here=here,
        other_lang="en" if lang == "zh" else "zh",
        link=link,
        **context,
    )
    return HTMLResponse(text, status_code=status)


def send(
    request: Request,
    session: Session,
    response: HTMLResponse,
    released: Released[Any] | None,
    *,
    rows: int = 0,
    parameters: dict[str, Any] | None = None,
    question: str | None = None,
    audit: bool = False,
) -> HTMLResponse:
    """Let a page go as every answer goes: audited first when it shows personal data in
    clear (or ``audit`` says it is recorded whatever it shows; withheld when that cannot be
    written), never kept by a browser when it names people."""
    guard: Guard = request.app.state.guard
    sent = guard.send(
        request,
        session.user,
        released,
        response,
        rows=rows,
        parameters=parameters or {},
        question=question,
        audit=audit,
    )
    assert isinstance(sent, HTMLResponse)
    return sent
