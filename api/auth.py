"""Who is asking: the ``X-API-Key`` header checked against the home's keys, and the role a
route needs. No key, an unknown, wrong or revoked one: 401; a role too low: 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from orgnet.graph.errors import Forbidden, Unauthorized

from .keys import Key, Keys

HEADER = "X-API-Key"
_scheme = APIKeyHeader(
    name=HEADER,
    auto_error=False,
    description="A key made by `orgnet keys create` (shown once when it is made).",
)


def _keys(request: Request) -> Keys:
    return request.app.state.keys


def needs(role: str) -> Callable[..., Key]:
    """A dependency: the caller's live key, of ``role`` or above."""

    def caller(request: Request, token: Annotated[str | None, Depends(_scheme)] = None) -> Key:
        key = _keys(request).verify(token)
        if key is None:
            why = "no API key" if not token else "the API key is not valid (unknown or revoked)"
            raise Unauthorized(f"{why}; send one in the {HEADER} header")
        if not key.may(role):
            raise Forbidden(f"this needs the {role} role (this key's role: {key.role})")
        request.state.key = key
        return key

    return caller


Viewer = Annotated[Key, Depends(needs("viewer"))]
Analyst = Annotated[Key, Depends(needs("analyst"))]
Admin = Annotated[Key, Depends(needs("admin"))]
