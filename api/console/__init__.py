"""The department's console: every question in a browser, served by ``orgnet serve`` beside
``/v1``, on the same registry, jurisdiction, masking and audit.

Server-rendered pages (``templates/console``), with htmx for the tree's branches and the
upload's progress; every script, stylesheet and picture is served by the app itself
(``/static``), so the console works on an intranet with no way out. The pages:

* ``/login``, ``/logout``, ``/lang/{zh|en}`` — ``signin``;
* ``/`` — the jurisdiction's home page (``home``);
* ``/questions`` and ``/questions/NAME`` (with its downloads) — every question of the
  registry (``questions``);
* ``/tree``, ``/search``, ``/entities/ID`` — ``tree``, ``entities``;
* ``/terms`` and ``/pairing`` — the pages a secretary acts on (``actions``);
* ``/upload`` — loading a roster (``upload``).

Every page leaves through the guard (``guard.GuardedRoute`` refuses one that did not); a POST
passes the CSRF check (``session.csrf_checked``) before anything else.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ..guard import GuardedRoute
from . import actions, entities, home, questions, signin, tree, upload
from .session import csrf_checked


def router() -> APIRouter:
    console = APIRouter(
        include_in_schema=False, route_class=GuardedRoute, dependencies=[Depends(csrf_checked)]
    )
    for part in (signin, home, questions, tree, entities, actions, upload):
        console.include_router(part.router())
    return console
