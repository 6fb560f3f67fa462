"""The two pages a secretary acts on.

* **Terms** (换届): the orgs whose term is overdue, falls due within the window, or was never
  recorded — most urgent first — each with the day it ends and whom to remind (the org's and
  its parent's secretaries, their phones as the user's right allows).
* **Pairing**: the communities poorest in paired units per 10,000 households (none at all
  first), beside the rebalancing proposal — which unit to move, drop or pair anew, and the Gini
  before and after.

Both are the registry's questions (``terms``, ``pairing``, ``rebalance``), asked as the API
asks them and sent through the guard.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from orgnet.queries.registry import question

from ..answers import count_rows
from ..guard import Released
from ..labels import scope_title, window, word
from ..render import printable
from ..words import say
from . import scopes
from .pages import html, link, pages_router, send
from .questions import answer_of, form, read
from .session import Viewer, lang_of
from .tables import tables

TERMS_SHOWN = 200  # the orgs a group of the terms page lists; the workbook has them all


def _ask(request: Request, session: Any, name: str, lang: str) -> tuple[Any, Any]:
    q = question(name)
    asked = read(q, request, lang)
    return asked, (answer_of(request, q, session, asked) if asked.ready else None)


def _person(secretary: Any, lang: str) -> str:
    if secretary.id is None:
        return say("cli.outside", lang)
    name = printable(secretary.name or secretary.id)
    return f"{name} {secretary.phone}" if secretary.phone else name


def router() -> APIRouter:
    routes = pages_router()

    @routes.get("/terms")
    def terms(request: Request, session: Viewer) -> HTMLResponse:
        lang = lang_of(request)
        asked, released = _ask(request, session, "terms", lang)
        result = released.answer if released else None
        groups = []
        if result is not None:
            for status in ("overdue", "due", "missing"):
                listed = [o for o in result.orgs if o.status == status]
                total = len(listed)
                listed = listed[:TERMS_SHOWN]
                groups.append(
                    {
                        "status": status,
                        "total": total,
                        "words": word("status", status, lang),
                        "rows": [
                            {
                                "org": printable(o.org or o.org_id or ""),
                                "href": f"/entities/{o.org_id}"
                                if o.org_id and session.user.may("analyst")
                                else None,
                                "kind": word("type", o.type, lang),
                                "ends": o.term_end or "—",
                                "parent": printable(o.parent or "") if o.parent_id else "",
                                "remind": [_person(s, lang) for s in o.reminders],
                            }
                            for o in listed
                        ],
                    }
                )
        page = html(
            request,
            "terms.html.j2",
            session,
            title=say("console.nav_terms", lang),
            where=scope_title(result.scope, lang) if result else "",
            as_of=result.as_of if result else "",
            window=window(result.within, lang) if result else "",
            until=result.until if result else "",
            fields=form(question("terms"), asked, lang,
                        scopes.choices(request, session.user, lang)),
            groups=groups,
            download=link("/questions/terms/download", scope=asked.scope, as_of=asked.as_of,
                          within=asked.inputs.get("within"), format="xlsx"),
            errors=asked.errors,
        )  # fmt: skip
        rows = count_rows(result) if result else 0
        params = {"scope": asked.scope, "as_of": asked.as_of}
        return send(request, session, page, released, rows=rows, parameters=params,
                    question="terms")  # fmt: skip

    @routes.get("/pairing")
    def pairing(request: Request, session: Viewer) -> HTMLResponse:
        lang = lang_of(request)
        asked, balance = _ask(request, session, "pairing", lang)
        _, plan = _ask(request, session, "rebalance", lang)
        both = (
            Released([balance.answer, plan.answer], balance.clear or plan.clear,
                     balance.persons or plan.persons)
            if balance and plan else None
        )  # fmt: skip
        poorest = []
        if balance is not None:
            ordered = sorted(
                balance.answer.communities,
                key=lambda c: (c.units_per_10k is None, c.units_per_10k or 0, c.community_id or ""),
            )
            poorest = [c for c in ordered if c.households][:20]
        params = {"scope": asked.scope, "as_of": asked.as_of}
        page = html(
            request,
            "pairing.html.j2",
            session,
            title=say("console.nav_pairing", lang),
            where=scope_title(balance.answer.scope, lang) if balance else "",
            as_of=balance.answer.as_of if balance else "",
            balance=balance.answer if balance else None,
            plan=plan.answer if plan else None,
            poorest=poorest,
            plan_tables=tables(plan.answer, lang, path=request.url.path, params=params,
                               download="/questions/rebalance/download",
                               entity_links=session.user.may("analyst")) if plan else [],
            fields=form(question("pairing"), asked, lang,
                        scopes.choices(request, session.user, lang)),
            errors=asked.errors,
            reason=word("reason", plan.answer.reason, lang) if plan and plan.answer.reason else "",
        )  # fmt: skip
        rows = count_rows(balance.answer) + count_rows(plan.answer) if both else 0
        return send(request, session, page, both, rows=rows, parameters=params,
                    question="pairing")  # fmt: skip

    return routes
