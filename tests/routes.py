"""The routes of an app, walked whole: FastAPI keeps an included router as one entry of
``app.routes``, its own routes inside it."""

from __future__ import annotations

from typing import Any


def every_route(routes: list[Any]) -> list[Any]:
    """The routes of an app, those of its included routers among them."""
    found = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        found += every_route(inner.routes) if inner is not None else [route]
    return found
