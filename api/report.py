"""The coverage report as one self-contained HTML page (no scripts, no fonts or files fetched),
or as a workbook through render.write_xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from orgnet.queries.report import CoverageReport

from .labels import (
    changes_sentence,
    column,
    coverage_sentence,
    heading,
    scope_title,
    window,
    word,
)
from .render import cell
from .words import say

SHOWN_ROWS = 200  # longer lists are cut in the page; the workbook has them whole


@dataclass
class HtmlTable:
    title: str
    headers: list[str]
    numeric: list[bool]
    rows: list[list[str]]
    total: int


@dataclass
class Bar:
    label: str
    value: float
    width: float
    text: str


def _heading(name: str, lang: str) -> str:
    """A question's title as a section heading (capitalised in English)."""
    text = heading(name, lang)
    return text[:1].upper() + text[1:]


def _window(within: str, lang: str) -> str:
    return window(within, lang)


def _table(title: str, rows: list[Any], columns: list[str], lang: str) -> HtmlTable:
    numeric = [
        bool(rows)
        and isinstance(getattr(rows[0], c), (int, float))
        and not isinstance(getattr(rows[0], c), bool)
        for c in columns
    ]
    return HtmlTable(
        title,
        [column(c, lang) for c in columns],
        numeric,
        [[cell(c, getattr(r, c), lang) for c in columns] for r in rows[:SHOWN_ROWS]],
        len(rows),
    )


def _bars(report: CoverageReport, attr: str) -> list[Bar]:
    values = [
        (c.community, getattr(c, attr))
        for c in report.pairing.communities
        if getattr(c, attr) is not None
    ]
    top = max((v for _, v in values), default=0) or 1
    return [Bar(name, v, 100 * v / top, f"{v:,.1f}") for name, v in values[:60]]


def _figure(value: float | None, undefined: str | None, lang: str) -> str:
    """A Gini or CV to three places, or why there is none."""
    if value is not None:
        return f"{value:.3f}"
    why = word("undefined", undefined, lang) if undefined else None
    return "—" + (say("report.undefined", lang, why=why) if why else "")


def html(report: CoverageReport, lang: str = "zh") -> str:
    # Every value is escaped: names come from rosters, and a template named .html.j2 is not
    # one select_autoescape() would escape.
    env = Environment(loader=PackageLoader("orgnet.api", "templates"), autoescape=True)
    zh = lang == "zh"
    area = [
        "estates",
        "households",
        "org_covered",
        "org_rate",
        "work_covered",
        "work_rate",
        "actionable",
    ]
    p = report.pairing
    return env.get_template("report.html.j2").render(
        zh=zh,
        w=lambda key, **params: say(key, lang, **params),
        scope=scope_title(report.scope, lang),
        report=report,
        title=say("report.title", lang, scope=report.scope.name or say("cli.all", lang)),
        sentence=coverage_sentence(report.summary, lang),
        progress_sentence=changes_sentence(report.changes, lang),
        progress=_table(
            say("report.progress_table", lang),
            report.progress.points,
            [
                "day",
                "estates",
                "org_rate",
                "work_rate",
                "gaps_estates",
                "orgs",
                "members",
                "terms_overdue",
            ],
            lang,
        ),
        figures=[
            (column("estates", lang), f"{report.summary.estates:,}"),
            (column("org_rate", lang), cell("org_rate", report.summary.org_rate, lang)),
            (column("work_rate", lang), cell("work_rate", report.summary.work_rate, lang)),
            (
                say("report.actionable", lang),
                f"{sum(g.actionable for g in report.estate_gaps):,}",
            ),
            (say("report.vacancies", lang), f"{len(report.rules.vacancies):,}"),
            (
                say("report.gini", lang),
                "—" if p.units.gini is None else f"{p.units.gini:.3f}",
            ),
        ],
        streets=_table(
            say("report.by_street", lang), report.streets, ["street_id", "street", *area], lang
        ),
        communities=_table(
            say("report.by_community", lang),
            report.communities,
            ["street", "community_id", "community", *area],
            lang,
        ),
        gaps=[
            _table(t, rows, cols, lang)
            for t, rows, cols in cast(
                list[tuple[str, list[Any], list[str]]],
                [
                    (
                        _heading("gaps.estates", lang),
                        report.estate_gaps,
                        [
                            "estate_id",
                            "estate",
                            "community",
                            "households",
                            "members",
                            "work_covered",
                            "actionable",
                        ],
                    ),
                    (
                        _heading("gaps.buildings", lang),
                        report.building_gaps,
                        ["building_id", "building", "estate", "members"],
                    ),
                    (
                        _heading("gaps.grids", lang),
                        report.grid_gaps,
                        ["grid_id", "grid", "community", "households", "buildings"],
                    ),
                    (
                        _heading("gaps.firms", lang),
                        report.firm_gaps,
                        ["firm_id", "firm", "star_rating", "estates"],
                    ),
                    (
                        _heading("gaps.property", lang),
                        report.property_gaps,
                        ["estate_id", "estate", "community", "property_status", "fallback"],
                    ),
                    (
                        _heading("gaps.owners", lang),
                        report.owners_gaps,
                        ["estate_id", "estate", "community", "households"],
                    ),
                    (
                        say("report.owners_share", lang),
                        report.owners.rows,
                        ["committee", "estate", "committee_members", "party_members", "share"],
                    ),
                ],
            )
        ],
        rules=[
            _table(
                say("report.vacancies", lang),
                report.rules.vacancies,
                ["org_id", "org", "type", "level", "last_until"],
                lang,
            ),
            _table(
                say("report.size", lang),
                report.rules.size,
                ["org_id", "org", "type", "members", "subtree_members", "rule"],
                lang,
            ),
            _table(
                say("report.integrity", lang),
                report.rules.integrity,
                ["org_id", "org", "level", "parent_id", "parent_level", "problem"],
                lang,
            ),
            *(
                [
                    _table(
                        say("report.unplaced", lang),
                        report.rules.unplaced,
                        ["org_id", "org", "type", "level", "parent_id"],
                        lang,
                    )
                ]
                if report.scope.id is None
                else []
            ),
        ],
        terms_figures=[
            (column("overdue", lang), f"{report.terms.overdue:,}"),
            (column("due", lang), f"{report.terms.due:,}"),
            (column("missing", lang), f"{report.terms.missing:,}"),
        ],
        terms=_table(
            say("report.terms", lang, within=_window(report.terms.within, lang)),
            report.terms.orgs,
            ["status", "org_id", "org", "type", "term_start", "term_end", "parent", "reminders"],
            lang,
        ),
        owners_figures=[
            (column("committees", lang), f"{report.owners.committees:,}"),
            (
                column("share", lang),
                "—" if report.owners.share is None else f"{report.owners.share:.1%}",
            ),
            (column("seed_share", lang), f"{report.owners.seed_share:.1%}"),
            (
                column("below_count", lang) + f" {report.owners.below:.0%}",
                f"{report.owners.below_count:,}",
            ),
        ],
        census=[
            _table(
                say("report.orgs", lang),
                report.census.orgs,
                ["type", "level", "orgs"],
                lang,
            ),
            _table(
                say("report.members", lang), report.census.members, ["category", "members"], lang
            ),
            _table(
                say("report.unattached", lang),
                report.census.unattached,
                ["category", "members"],
                lang,
            ),
            _table(
                say("report.secretaries", lang),
                report.census.secretaries,
                ["category", "secretaries"],
                lang,
            ),
        ],
        pairing_figures=[
            (
                column("units_per_10k", lang) + " " + column("gini", lang),
                _figure(p.units.gini, p.units.undefined, lang),
            ),
            (
                column("units_per_10k", lang) + " " + column("cv", lang),
                _figure(p.units.cv, p.units.undefined, lang),
            ),
            (
                column("members_per_1k", lang) + " " + column("gini", lang),
                _figure(p.members.gini, p.members.undefined, lang),
            ),
            (
                column("members_per_1k", lang) + " " + column("cv", lang),
                _figure(p.members.cv, p.members.undefined, lang),
            ),
        ],
        unit_bars=_bars(report, "units_per_10k"),
        member_bars=_bars(report, "members_per_1k"),
        pairing=[
            _table(
                say("report.idle", lang),
                p.idle_units,
                ["unit_id", "unit", "kind", "street"],
                lang,
            ),
            _table(
                say("report.unreported", lang),
                p.unreported or [],
                ["person", "phone", "community", "employer"],
                lang,
            ),
            _table(
                say("report.mismatched", lang),
                p.mismatched or [],
                ["person", "phone", "lives_in", "reported_to"],
                lang,
            ),
        ],
        cross=[
            _table(
                say("report.patterns", lang),
                report.cross.patterns,
                ["pattern", "persons"],
                lang,
            ),
            _table(
                say("report.triads", lang),
                report.cross.triad_gaps,
                ["estate_id", "estate", "community", "org_ids", "committee_ids", "firm_ids"],
                lang,
            ),
        ],
        shown_rows=SHOWN_ROWS,
        charts=_charts(report, lang),
    )


def _charts(report: CoverageReport, lang: str) -> dict[str, Markup]:
    """The report's charts as inline SVG (the page stays one file): coverage by street (by
    community within one street), the Lorenz curve of pairing, the census by type and level,
    the secretaries by category, and the year's progress."""
    from . import charts

    by_street = len(report.streets) > 1
    areas = report.streets if by_street else report.communities
    drawn = {
        "coverage": charts.drawn_svg(
            charts.coverage, areas, lang=lang, by="street" if by_street else "community"
        ),
        # One community has no spread to draw (its Gini is undefined, said beside).
        **(
            {"lorenz": charts.drawn_svg(charts.lorenz, report.pairing, lang=lang)}
            if report.pairing.units.gini is not None
            else {}
        ),
        "census": charts.drawn_svg(charts.census, report.census, lang=lang),
        "secretaries": charts.drawn_svg(charts.secretaries, report.census, lang=lang),
        "trend": charts.drawn_svg(charts.trend, report.progress, lang=lang),
    }
    # matplotlib writes the text of an SVG escaped, names from rosters included.
    return {name: Markup(svg) for name, svg in drawn.items()}


def write_html(report: CoverageReport, path: Path, lang: str = "zh") -> None:
    path.write_text(html(report, lang), encoding="utf-8")
