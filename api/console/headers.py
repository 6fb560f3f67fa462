"""What every response says to the browser about itself, and the console's own files.

Every page forbids what it does not need: scripts only from the app itself (no inline script,
no ``eval``), nothing fetched from elsewhere, no framing by another site, no sniffing of types.
Inline styles are allowed (the charts' SVG carries a stylesheet of its own, and htmx and
vis-network set styles as they draw); a style cannot run code. The interactive API docs
(``/docs``, ``/redoc``) run inline scripts of their own and keep their own rules.
"""

from __future__ import annotations

from pathlib import Path

from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATIC = Path(__file__).resolve().parent.parent / "static"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_OWN_RULES = ("/docs", "/redoc")


def static_files() -> StaticFiles:
    """The console's scripts and styles, and vis-network (from the pyvis package, which
    carries it) — served by the app, never fetched from a CDN."""
    return StaticFiles(directory=STATIC, packages=[("pyvis", "templates/lib/vis-9.1.2")])


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        own_rules = str(scope.get("path", "")).startswith(_OWN_RULES)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in _HEADERS:
                    if name not in present:
                        headers.append((name, value))
                if not own_rules and b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
