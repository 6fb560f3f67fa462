"""The coverage report as one self-contained HTML page (no scripts, no fonts or files fetched),
or as a workbook through render.write_xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup
from orgnet.queries.report import CoverageReport

from .labels import TITLES, column, coverage_sentence, word
from .render import cell

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
    zh, en = TITLES[name]
    return zh if lang == "zh" else en[:1].upper() + en[1:]


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
    return "—" + (
        f"（{word('undefined', undefined, lang)}）"
        if undefined and lang == "zh"
        else f" ({undefined})"
        if undefined
        else ""
    )


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
        report=report,
        title=(
            f"{report.scope.name or '全部'}城市基层党建覆盖情况报告"
            if zh
            else f"Urban party-building coverage report — {report.scope.name or 'all'}"
        ),
        sentence=coverage_sentence(report.summary, lang),
        figures=[
            (column("estates", lang), f"{report.summary.estates:,}"),
            (column("org_rate", lang), f"{report.summary.org_rate:.1%}"),
            (column("work_rate", lang), f"{report.summary.work_rate:.1%}"),
            (
                "应建未建小区" if zh else "actionable gaps",
                f"{sum(g.actionable for g in report.estate_gaps):,}",
            ),
            ("书记空缺" if zh else "vacancies", f"{len(report.rules.vacancies):,}"),
            (
                "结对基尼系数" if zh else "pairing Gini",
                "—" if p.units.gini is None else f"{p.units.gini:.3f}",
            ),
        ],
        streets=_table(
            "各街道" if zh else "By street", report.streets, ["street_id", "street", *area], lang
        ),
        communities=_table(
            "各社区" if zh else "By community",
            report.communities,
            ["street", "community_id", "community", *area],
            lang,
        ),
        gaps=[
            _table(t, rows, cols, lang)
            for t, rows, cols in [
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
                    "业委会成员中的党员占比" if zh else "Party members on owners' committees",
                    report.owners.rows,
                    ["committee", "estate", "committee_members", "party_members", "share"],
                ),
            ]
        ],
        rules=[
            _table(
                "书记空缺" if zh else "Vacancies",
                report.rules.vacancies,
                ["org_id", "org", "type", "level", "last_until"],
                lang,
            ),
            _table(
                "规模调整" if zh else "Size rules",
                report.rules.size,
                ["org_id", "org", "type", "members", "subtree_members", "rule"],
                lang,
            ),
            _table(
                "隶属关系问题" if zh else "Hierarchy integrity",
                report.rules.integrity,
                ["org_id", "org", "level", "parent_id", "parent_level", "problem"],
                lang,
            ),
            *(
                [
                    _table(
                        "无所属范围的党组织（请补填所属区域编号）"
                        if zh
                        else "Orgs in no scope (give them a region_id)",
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
            (f"换届提醒（{report.terms.within}内到期、逾期及未记录任期）")
            if zh
            else f"Terms due within {report.terms.within}, overdue, or not recorded",
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
                "党组织" if zh else "Party orgs",
                report.census.orgs,
                ["type", "level", "orgs"],
                lang,
            ),
            _table(
                "党员" if zh else "Members", report.census.members, ["category", "members"], lang
            ),
            _table(
                "组织关系未落实的党员（居住在本范围）"
                if zh
                else "Party members without an org (living here)",
                report.census.unattached,
                ["category", "members"],
                lang,
            ),
            _table(
                "书记" if zh else "Secretaries",
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
                "未结对单位" if zh else "Idle units",
                p.idle_units,
                ["unit_id", "unit", "kind", "street"],
                lang,
            ),
            _table(
                "未报到的在职党员" if zh else "In-service members reported nowhere",
                p.unreported or [],
                ["person", "phone", "community", "employer"],
                lang,
            ),
            _table(
                "报到社区与居住社区不一致" if zh else "Reported away from home",
                p.mismatched or [],
                ["person", "phone", "lives_in", "reported_to"],
                lang,
            ),
        ],
        cross=[
            _table(
                "交叉任职类型" if zh else "Cross-appointment patterns",
                report.cross.patterns,
                ["pattern", "persons"],
                lang,
            ),
            _table(
                "三方联动缺口（有党组织、业委会、物业但无人交叉任职）"
                if zh
                else "Triad gaps (org, committee and firm, nobody in two)",
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
    and the secretaries by category."""
    from . import charts

    by_street = len(report.streets) > 1
    drawn = {
        "coverage": charts.coverage(
            report.streets if by_street else report.communities,
            lang=lang,
            by="street" if by_street else "community",
        ),
        "lorenz": charts.lorenz(report.pairing, lang=lang),
        "census": charts.census(report.census, lang=lang),
        "secretaries": charts.secretaries(report.census, lang=lang),
    }
    # matplotlib writes the text of an SVG escaped, names from rosters included.
    return {name: Markup(charts.svg(fig)) for name, fig in drawn.items()}


def write_html(report: CoverageReport, path: Path, lang: str = "zh") -> None:
    path.write_text(html(report, lang), encoding="utf-8")
