"""Charts: in the HTML report as inline SVG (the page stays one file), with Chinese text and
the hand-worked figures of tests/city.py; names from rosters escaped; PNG from Python with a
CJK font, or a clear refusal without one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from orgnet.api import charts
from orgnet.api.render import write_xlsx
from orgnet.api.report import html
from orgnet.graph.connection import Database
from orgnet.graph.errors import BadRequest
from orgnet.queries.report import AreaCoverage, coverage_report, year_before
from orgnet.queries.trend import trend

from .city import TODAY


def test_the_report_carries_its_charts(graph: Database) -> None:
    page = html(coverage_report(graph, "D1", TODAY), "zh")
    figures = re.findall(r'<figure class="chart-figure">\s*(<svg.*?</svg>)', page, re.S)
    assert len(figures) == 5
    text = " ".join(figures)
    assert f"历年进展（{year_before(TODAY)} 至 {TODAY}）" in text  # the year's progress
    assert "各街道覆盖率" in text  # D1 has two streets
    assert "基尼系数 0.355" in text  # units per 10k over C1–C3: 50/141 (tests/city.py)
    assert "党组织（按类型和层级）" in text and "书记（按人员类别）" in text
    assert "http://www.w3.org/2000/svg" in text  # the namespace, not a fetch
    assert not re.search(r"""(?:xlink:)?href=["']https?:""", text)
    english = html(coverage_report(graph, "D1", TODAY), "en")
    assert "Coverage by street" in english and "Paired units (Gini 0.355)" in english
    assert "progress (since" in english


def test_a_name_in_a_chart_is_text_not_markup() -> None:
    area = AreaCoverage("S9", "<script>alert(1)</script>", None, None, 4, 100, 2, 3, 1)
    svg = charts.svg(charts.coverage([area]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_a_chart_asked_again_is_drawn_once_and_other_figures_are_drawn_anew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn: list[str] = []

    def coverage(*args: object, **kwargs: object) -> object:
        drawn.append("coverage")
        return charts.coverage(*args, **kwargs)  # type: ignore[arg-type]

    coverage.__qualname__ = "coverage_counted"  # a chart of its own, apart from the pages'
    monkeypatch.setattr(charts, "_DRAWN", type(charts._DRAWN)())
    one = AreaCoverage("S9", "新建路街道", None, None, 4, 100, 2, 3, 1)
    other = AreaCoverage("S9", "新建路街道", None, None, 4, 100, 2, 3, 2)  # one figure apart
    first = charts.drawn_svg(coverage, [one], lang="zh")
    assert charts.drawn_svg(coverage, [one], lang="zh") == first
    assert drawn == ["coverage"]
    # What drawing it gives, but for the ids matplotlib draws at random for each drawing.
    ids = re.compile(r'(?:id="|#)[\w-]+')
    assert ids.sub("", first) == ids.sub("", charts.svg(charts.coverage([one], lang="zh")))
    assert charts.drawn_svg(coverage, [other], lang="zh") != first
    assert charts.drawn_svg(coverage, [one], lang="en") != first
    assert drawn == ["coverage"] * 3
    for n in range(70):  # the last 64 are kept, the first let go of
        charts.drawn_svg(coverage, [one], lang="zh", target=n / 100)
    assert len(charts._DRAWN) == 64
    charts.drawn_svg(coverage, [one], lang="zh")
    assert drawn == ["coverage"] * 74


def test_a_png_needs_a_cjk_font_and_says_so() -> None:
    area = AreaCoverage("S9", "新建路街道", None, None, 4, 100, 2, 3, 1)
    if charts.cjk_font() is None:
        with pytest.raises(BadRequest, match="fonts-noto-cjk"):
            charts.png(charts.coverage([area]))
    else:
        assert charts.png(charts.coverage([area])).startswith(b"\x89PNG\r\n\x1a\n")


def test_without_a_cjk_font_charts_are_drawn_without_a_warning_per_glyph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import warnings

    # As on a machine without a CJK font: matplotlib measures the Chinese with DejaVu Sans,
    # which has none of its glyphs. A page's SVG is still drawn, without a warning each.
    monkeypatch.setattr(charts, "CJK_FONTS", ("No Such CJK Font",))
    assert charts.cjk_font() is None
    area = AreaCoverage("S9", "新建路街道", None, None, 4, 100, 2, 3, 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        svg = charts.svg(charts.coverage([area]))
    assert "新建路街道" in svg
    assert not [w for w in caught if "missing from" in str(w.message)], caught[:3]


def test_a_trend_workbook_draws_its_own_chart(graph: Database, tmp_path: Path) -> None:
    """The trend's sheet carries an Excel chart of the two coverage rates, drawn from its cells
    (days as dates, rates as percentages); the report's workbook has it too."""
    from openpyxl import load_workbook

    found = trend(graph, "D1", "2025-01-01", TODAY, "quarter")
    write_xlsx(found, tmp_path / "trend.xlsx", title="历年进展", lang="zh")
    book = load_workbook(tmp_path / "trend.xlsx")
    [sheet] = [s for s in book if s._charts]
    [chart] = sheet._charts
    assert len(chart.series) == 2 and sheet.max_row == len(found.points) + 1
    assert isinstance(sheet["A2"].value, dt.datetime) and sheet["A2"].number_format == "yyyy-mm-dd"
    write_xlsx(coverage_report(graph, "D1", TODAY), tmp_path / "report.xlsx", title="报告",
               lang="zh")  # fmt: skip
    assert sum(len(s._charts) for s in load_workbook(tmp_path / "report.xlsx")) == 1
