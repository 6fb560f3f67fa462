"""Signing in and out, and the language switch.

``POST /login`` (form fields ``username`` and ``password``) starts a session: an HttpOnly,
SameSite=Lax cookie (Secure over HTTPS) holding a random token. A failure answers only after a
pause (``FAILED_PAUSE``), the same for a wrong password and an unknown name; the account's
lock after repeated failures is ``users``'s. Every sign-in, failure, lock and sign-out is a
line of the audit log, written before the answer leaves (none is given when it cannot be).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

import anyio.to_thread
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ..audit import AuditLog
from ..users import MAX_PASSWORD, SignIn
from .pages import html, pages_router
from .session import COOKIE, LANG_COOKIE, current, local, users

FAILED_PAUSE = 1.0  # seconds a failed sign-in waits before it is answered


def _record(request: Request, name: str, outcome: str, **more: object) -> None:
    audit: AuditLog = request.app.state.audit
    audit.record(
        withheld="no one was signed in",
        caller="user",
        key_id=name,
        key_name=name,
        route=request.url.path,
        parameters={},
        jurisdiction=None,
        rows=0,
        outcome=outcome,
        client=request.client.host if request.client else None,
        **more,
    )


def _printable(text: str, most: int = 64) -> str:
    return "".join(c for c in text if c.isprintable())[:most]


def router() -> APIRouter:
    routes = pages_router()

    @routes.get("/login")
    def login_page(request: Request, next: str | None = None) -> Response:
        if current(request) is not None:
            return RedirectResponse(local(next), status_code=303)
        return html(request, "login.html.j2", None, next=local(next), failed=None)

    @routes.post("/login")
    async def login(
        request: Request,
        username: Annotated[str, Form(max_length=200)] = "",
        password: Annotated[str, Form(max_length=MAX_PASSWORD * 4)] = "",
        next: Annotated[str | None, Form(max_length=2000)] = None,
    ) -> Response:
        name = _printable(username.strip())
        result: SignIn = await anyio.to_thread.run_sync(users(request).sign_in, name, password)
        if result.session is None:
            outcome = {"wrong": "signin_failed", "locked": "signin_locked_out",
                       "disabled": "signin_disabled"}[result.refused or "wrong"]  # fmt: skip
            _record(request, name, outcome)
            if result.locked_now:
                _record(request, name, "account_locked", until=result.locked_until)
            await asyncio.sleep(FAILED_PAUSE)
            page = html(
                request,
                "login.html.j2",
                None,
                status=403 if result.refused in ("locked", "disabled") else 401,
                next=local(next),
                failed=result.refused if not result.locked_now else "locked",
                username=name,
            )
            return page
        _record(request, name, "signed_in")
        response = RedirectResponse(local(next), status_code=303)
        response.set_cookie(
            COOKIE,
            result.session.token,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    @routes.post("/logout")
    def logout(request: Request) -> Response:
        session = current(request)
        if session is not None:
            users(request).sign_out(session.token)
            _record(request, session.user.name, "signed_out")
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @routes.get("/lang/{lang}")
    def switch_language(
        request: Request, lang: Literal["zh", "en"], next: str | None = None
    ) -> Response:
        """The console in the other language (a preference kept by this browser)."""
        response = RedirectResponse(local(next), status_code=303)
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", path="/", max_age=365 * 86400)
        return response

    return routes
