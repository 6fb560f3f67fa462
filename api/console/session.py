"""Who is using the console: the session cookie, the role a page needs, and the CSRF check
every state-changing request passes.

* ``signed_in(role)`` is a dependency: the live session (its idle time restarted) of a user of
  ``role`` or above. Without one the browser is sent to the sign-in page (``SignInNeeded``),
  and back to where it was going afterwards; with a role too low, the 403 page.
* ``csrf_checked`` runs before every POST of the console (the router's own dependency): the
  request must come from the console's own origin (``Origin``, when the browser sends it) and
  carry the session's CSRF token, in the ``X-CSRF-Token`` header or a ``csrf`` form field.
  Signing in has no session yet; it is checked for its origin only.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from orgnet.graph.errors import Forbidden, OrgnetError

from ..users import Session, Users

COOKIE = "orgnet_session"
LANG_COOKIE = "orgnet_lang"
CSRF_HEADER = "X-CSRF-Token"
LANGS = ("zh", "en")


class SignInNeeded(Exception):
    """No live session: the browser goes to the sign-in page, then back to ``next``."""

    def __init__(self, next: str) -> None:
        super().__init__(next)
        self.next = next


class CsrfRefused(OrgnetError):
    code = "csrf_refused"
    exit_code = 2
    http_status = 403


def users(request: Request) -> Users:
    return request.app.state.users


def lang_of(request: Request) -> str:
    """The console's language for this browser: its choice (a cookie), else Chinese."""
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LANGS else "zh"


def local(next: str | None) -> str:
    """``next`` when it is a path of this site, else the home page (a link that would send a
    user elsewhere after signing in is not followed)."""
    if not next or not next.startswith("/") or next.startswith("//") or "\\" in next:
        return "/"
    parts = urlsplit(next)
    if parts.scheme or parts.netloc:
        return "/"
    return next


def current(request: Request) -> Session | None:
    session = getattr(request.state, "session", None)
    if session is None:
        session = users(request).session(request.cookies.get(COOKIE))
        request.state.session = session
    return session


def signed_in(role: str) -> Callable[..., Session]:
    def dependency(request: Request) -> Session:
        session = current(request)
        if session is None:
            wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInNeeded(wanted if request.method == "GET" else "/")
        if not session.user.may(role):
            raise Forbidden(
                f"this page needs the {role} role (yours: {session.user.role})",
                said="role_needed",
                role=role,
                mine=session.user.role,
            )
        return session

    return dependency


def same_origin(request: Request) -> None:
    """Refuse a POST a page of another site made (its browser says so in ``Origin``)."""
    origin = request.headers.get("origin")
    if origin is None or (origin == "null" and request.url.path == "/login"):
        return
    host = request.headers.get("host", "")
    if urlsplit(origin).netloc != host:
        raise CsrfRefused("this form was sent from another site", said="csrf_origin")


async def csrf_checked(request: Request) -> None:
    """Every POST of the console: from its own origin, with the session's CSRF token."""
    if request.method != "POST":
        return
    same_origin(request)
    if request.url.path == "/login":
        return
    session = current(request)
    if session is None:
        raise SignInNeeded("/")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:  # a form sent without script: the token is one of its fields
        form = await request.form()
        value = form.get("csrf")
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(session.csrf.encode(), sent.encode()):
        raise CsrfRefused("this form carries no valid CSRF token; reload the page and try again",
                          said="csrf_missing")  # fmt: skip


Viewer = Annotated[Session, Depends(signed_in("viewer"))]
Analyst = Annotated[Session, Depends(signed_in("analyst"))]
Admin = Annotated[Session, Depends(signed_in("admin"))]
