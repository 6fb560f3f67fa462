"""The console's refusals and faults, as pages: a clerk never meets a JSON error. Without a
session the browser goes to the sign-in page (and back after); a role too low, a scope or an
id outside the jurisdiction, a form that is not one — each its page, in the user's language,
with the status the API would give. What went wrong inside stays in the server's log.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from orgnet.graph.errors import OrgnetError

from ..labels import error_words
from ..words import say
from .pages import html
from .session import SignInNeeded, current, lang_of

log = logging.getLogger("orgnet.api")
_NOT_CONSOLE = ("/v1/", "/v1", "/docs", "/redoc", "/openapi.json", "/healthz", "/readyz",
                "/static/")  # fmt: skip
# Faults inside, said in fixed words (their detail is the server log's).
_INSIDE = ("engine_unavailable", "engine_error", "keys_unavailable", "disk_full",
           "audit_unavailable", "timeout")  # fmt: skip


def is_console(request: Request) -> bool:
    """Whether a refusal is the console's, a page: a route of the console, or a path no route
    has asked for by a browser (an API client asking for one gets JSON)."""
    if request.url.path.startswith(_NOT_CONSOLE):
        return False
    if request.scope.get("endpoint") is not None:
        return True
    return "text/html" in request.headers.get("accept", "")


def console_error(request: Request, e: BaseException) -> Response:
    if isinstance(e, SignInNeeded):
        target = "/login?next=" + quote(e.next, safe="/")
        if request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    lang = lang_of(request)
    if isinstance(e, OrgnetError):
        status = e.http_status
        inside = e.code in _INSIDE
        words = say(f"console.inside_{e.code}", lang) if inside else error_words(e, lang)
    elif isinstance(e, RequestValidationError):
        status, words = 400, say("console.bad_parameter", lang)
    elif isinstance(e, HTTPException):
        status = e.status_code
        key = {404: "console.not_found", 405: "console.not_allowed", 413: "console.too_large"}
        words = say(key.get(status, "console.refused"), lang)
    else:
        status, words = 500, say("console.fault", lang)
    heading = say(f"console.status_{status}" if status in (400, 401, 403, 404, 409, 413, 422,
                  500, 503, 504) else "console.status_other", lang)  # fmt: skip
    try:
        try:
            session = current(request)
        except Exception:  # the store of sessions itself failed: the page without a menu
            session = None
        return html(request, "error.html.j2", session, status=status, title=heading,
                    message=words)  # fmt: skip
    except Exception:
        log.exception("the error page itself failed")
        return PlainTextResponse(words, status_code=status)
