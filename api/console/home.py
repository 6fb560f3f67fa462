"""The home page of a jurisdiction (or of a scope chosen within it): the coverage sentence in
the articles' form, the two coverage rates, orgs by type, members, the count of each gap list,
terms due and overdue, the pairing Gini — each figure a link to its list — and coverage by
street (by community within one street), lowest first.

Every figure is read from the ``report`` question's answer, asked as the API asks it, so that
each equals the figure of the question it links to.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from orgnet.queries.registry import question

from .. import charts
from ..answers import count_rows
from ..labels import coverage_sentence, scope_title, window, word
from ..render import cell
from ..words import say
from . import scopes
from .pages import html, link, pages_router, send
from .questions import answer_of, read
from .session import Viewer, lang_of


@dataclass(frozen=True)
class Tile:
    words: str
    value: str
    href: str
    alarm: bool = False  # a gap or an overdue term: something to act on


def tiles(report: Any, lang: str, scope: str | None, as_of: str | None) -> dict[str, list[Tile]]:
    """The home page's figures, in groups, each with the link to its list."""

    def to(path: str, **more: Any) -> str:
        return link(path, scope=scope, as_of=as_of, **more)

    summary = report.summary
    by_type: Counter[str] = Counter()
    for row in report.census.orgs:
        by_type[row.type] += row.orgs
    members = sum(r.members for r in report.census.members)
    gaps = [
        ("estates", report.estate_gaps),
        ("buildings", report.building_gaps),
        ("grids", report.grid_gaps),
        ("firms", report.firm_gaps),
        ("property", report.property_gaps),
        ("owners", report.owners_gaps),
    ]
    gini = report.pairing.units.gini
    return {
        "coverage": [
            Tile(say("console.tile_estates", lang), f"{summary.estates:,}",
                 to("/questions/coverage")),
            Tile(say("console.tile_org_rate", lang), cell("org_rate", summary.org_rate, lang),
                 to("/questions/coverage")),
            Tile(say("console.tile_work_rate", lang), cell("work_rate", summary.work_rate, lang),
                 to("/questions/coverage")),
        ],
        "orgs": [
            Tile(word("type", t, lang), f"{n:,}", to("/questions/census"))
            for t, n in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        + [Tile(say("console.tile_members", lang), f"{members:,}", to("/questions/census"))],
        "gaps": [
            Tile(say(f"titles.gaps.{kind}", lang), f"{len(rows):,}",
                 to("/questions/gaps", kind=kind), alarm=bool(rows))
            for kind, rows in gaps
        ],
        "work": [
            Tile(say("console.tile_overdue", lang), f"{report.terms.overdue:,}", to("/terms"),
                 alarm=report.terms.overdue > 0),
            Tile(say("console.tile_due", lang, within=window(report.terms.within, lang)),
                 f"{report.terms.due:,}",
                 to("/terms")),
            Tile(say("console.tile_vacancies", lang), f"{len(report.rules.vacancies):,}",
                 to("/questions/rules"), alarm=bool(report.rules.vacancies)),
            Tile(say("console.tile_gini", lang), "—" if gini is None else f"{gini:.3f}",
                 to("/pairing")),
        ],
    }  # fmt: skip


CHART_AREAS = 30  # the lowest areas a chart draws (a province has hundreds of streets)


def lowest(areas: list[Any], most: int = CHART_AREAS) -> list[Any]:
    """The areas with the lowest coverage, at most ``most`` of them (those without estates
    have no rate and are left out)."""
    rated = [a for a in areas if a.org_rate is not None and a.work_rate is not None]
    rated.sort(key=lambda a: (a.org_rate, a.work_rate, a.community_id or a.street_id or ""))
    return rated[:most]


def coverage_chart(report: Any, lang: str) -> tuple[Markup | None, int]:
    """Coverage by street (by community within one street), the lowest first: the chart, and
    how many areas it leaves out."""
    by_street = len(report.streets) > 1
    areas = report.streets if by_street else report.communities
    shown = lowest(areas)
    if not shown:
        return None, 0
    drawn = charts.drawn_svg(charts.coverage, shown, lang=lang,
                             by="street" if by_street else "community")  # fmt: skip
    rated = sum(1 for a in areas if a.org_rate is not None and a.work_rate is not None)
    return Markup(drawn), rated - len(shown)


def router() -> APIRouter:
    routes = pages_router()

    @routes.get("/")
    def home(request: Request, session: Viewer) -> HTMLResponse:
        lang = lang_of(request)
        q = question("report")
        asked = read(q, request, lang)
        released = answer_of(request, q, session, asked) if not asked.errors else None
        report = released.answer if released else None
        chart, left = coverage_chart(report, lang) if report else (None, 0)
        page = html(
            request,
            "home.html.j2",
            session,
            status=200 if report is not None else 400,
            title=say("console.home_title", lang),
            where=scope_title(report.scope, lang) if report else "",
            as_of=report.as_of if report else "",
            sentence=coverage_sentence(report.summary, lang) if report else "",
            groups=tiles(report, lang, asked.scope, asked.as_of) if report else {},
            chart=chart,
            chart_left=left,
            scope_choices=scopes.choices(request, session.user, lang),
            scope=asked.scope or "",
            as_of_value=asked.as_of or "",
            errors=asked.errors,
            report_href=link("/questions/report/download", scope=asked.scope,
                             as_of=asked.as_of, format="html"),
            xlsx_href=link("/questions/report/download", scope=asked.scope,
                           as_of=asked.as_of, format="xlsx"),
        )  # fmt: skip
        rows = count_rows(report) if report is not None else 0
        asked_params = {"scope": asked.scope, "as_of": asked.as_of}
        return send(request, session, page, released, rows=rows, parameters=asked_params,
                    question="report")  # fmt: skip

    return routes
