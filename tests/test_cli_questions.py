"""Every question answers from the CLI in every format (DESIGN §5), on the hand-built city."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from orgnet.api.cli import app
from orgnet.graph.connection import Database

from .city import TODAY
from .dump import orgnet

runner = CliRunner()

COMMANDS = [
    ["coverage", "--scope", "D1"],
    ["gaps", "estates", "--scope", "D1"],
    ["gaps", "buildings", "--scope", "D1"],
    ["gaps", "grids", "--scope", "D1"],
    ["gaps", "firms", "--scope", "D1"],
    ["gaps", "property", "--scope", "D1"],
    ["gaps", "owners", "--scope", "D1"],
    ["census", "--scope", "D1"],
    ["rules", "--scope", "D1"],
    ["pairing", "--scope", "D1"],
    ["pairing", "--scope", "D1", "--rebalance"],
    ["chain", "B51"],
    ["path", "P-O1", "P-O3", "-k", "2"],
    ["cross", "--scope", "D1"],
    ["brokers", "--scope", "D1"],
]


def _run(args: list[str]) -> str:
    result = runner.invoke(app, [*args, "--as-of", TODAY])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_every_question_in_every_format(graph: Database, args: list[str], tmp_path: Path) -> None:
    assert _run([*args, "--format", "table"]).strip()
    assert isinstance(json.loads(_run([*args, "--format", "json"])), dict)
    rows = list(csv.reader(io.StringIO(_run([*args, "--format", "csv"]))))
    assert rows and rows[0]
    out = tmp_path / "answer.xlsx"
    _run([*args, "--format", "xlsx", "--out", str(out)])
    assert len(load_workbook(out).sheetnames) >= 1


def test_chinese_labels_by_default_and_english_on_request(graph: Database) -> None:
    zh = list(csv.DictReader(io.StringIO(_run(["gaps", "estates", "--scope", "D1", "-f", "csv"]))))
    assert zh[0]["小区编号"] == "E5" and zh[0]["应建未建"] == "是"
    en = _run(["gaps", "estates", "--scope", "D1", "-f", "csv", "--lang", "en"])
    first = next(csv.DictReader(io.StringIO(en)))
    assert first["estate id"] == "E5" and first["actionable"] == "yes"
    rules = _run(["rules", "--scope", "D1", "-f", "csv", "--table", "size"])
    assert "应升格为党委" in rules  # PC3's subtree holds 100 members


def test_phones_are_masked_unless_asked(graph: Database) -> None:
    masked = json.loads(_run(["cross", "--scope", "D1", "-f", "json"]))
    assert [p["phone"] for p in masked["persons"]][:2] == ["138****0002", "138****0005"]
    shown = json.loads(_run(["cross", "--scope", "D1", "-f", "json", "--show-phone"]))
    assert [p["phone"] for p in shown["persons"]][:2] == ["13800000002", "13800000005"]
    assert "13800000001" not in _run(["chain", "B12"])


def test_json_shape_of_pairing(graph: Database) -> None:
    answer = json.loads(_run(["pairing", "--scope", "D1", "-f", "json"]))
    assert set(answer) == {
        "scope", "as_of", "communities", "units", "members", "idle_units", "unreported",
        "mismatched",
    }  # fmt: skip
    assert answer["scope"] == {"id": "D1", "label": "District", "name": "新城区"}
    assert answer["communities"][1]["units_per_10k"] == 50.0
    assert answer["units"]["top_decile"] == ["C2"]


def test_a_workbook_holds_numbers_rates_and_days_as_excel_takes_them(
    graph: Database, tmp_path: Path
) -> None:
    import datetime as dt

    book = tmp_path / "coverage.xlsx"
    _run(["report", "--scope", "D1", "--out", str(book)])
    sheets = load_workbook(book)
    summary = {row[0].value: row[1] for row in sheets["概况"].iter_rows(min_row=2) if row[0].value}
    assert isinstance(summary["截至日期"].value, dt.datetime)
    assert summary["截至日期"].number_format == "yyyy-mm-dd"
    streets = sheets["各街道"]
    headers = [c.value for c in streets[1]]
    first = {h: c for h, c in zip(headers, streets[2], strict=True)}
    assert isinstance(first["小区"].value, int) and first["小区"].number_format == "#,##0"
    assert isinstance(first["组织覆盖率"].value, float)
    assert first["组织覆盖率"].number_format == "0.0%"
    assert streets.freeze_panes == "A2" and streets.auto_filter.ref == streets.dimensions
    assert streets.column_dimensions["B"].width >= 8
    terms = tmp_path / "terms.xlsx"
    _run(["terms", "--scope", "D1", "-f", "xlsx", "-o", str(terms)])
    orgs = load_workbook(terms)["党组织"]
    headers = [c.value for c in orgs[1]]
    days = [r[headers.index("任期届满")].value for r in orgs.iter_rows(min_row=2)]
    assert days and all(isinstance(d, dt.datetime) for d in days if d is not None)


def test_every_table_of_an_answer_in_csv(graph: Database, tmp_path: Path, cli_env: dict) -> None:
    import zipfile

    # Without --table the first is written, and the others are named, never left out unsaid.
    done = orgnet("pairing", "--scope", "D1", "--as-of", TODAY, "-f", "csv", env=cli_env)
    assert done.returncode == 0, done.stderr
    assert "idle_units（未结对单位）" in done.stderr and "--table" in done.stderr
    bundle = tmp_path / "结对.zip"
    done = orgnet("pairing", "--scope", "D1", "--as-of", TODAY, "-f", "csv", "-o", str(bundle),
                  env=cli_env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    names = zipfile.ZipFile(bundle).namelist()
    assert names == [
        "各社区.csv",
        "未结对单位.csv",
        "未报到在职党员（按居住地）.csv",
        "报到与居住不一致.csv",
    ]
    text = zipfile.ZipFile(bundle).read("各社区.csv").decode("utf-8-sig")
    assert text.startswith("社区编号,社区")
    listed = "".join(_help(["pairing"]).split())  # the help wraps its lines
    assert "--table" in listed and "idle_units（未结对单位）" in listed


def _help(args: list[str]) -> str:
    result = runner.invoke(app, [*args, "--help"])
    return result.stdout


def test_xlsx_needs_a_file(graph: Database) -> None:
    result = runner.invoke(app, ["coverage", "-f", "xlsx"])
    assert result.exit_code != 0


def test_a_bad_scope_exits_with_the_not_found_status(graph: Database, cli_env: dict) -> None:
    done = orgnet("coverage", "--scope", "ZZ", env=cli_env)
    assert done.returncode == 4
    assert "ZZ" in done.stderr


def test_the_report_as_a_page_and_a_workbook(graph: Database, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    _run(["report", "--scope", "D1", "--out", str(page)])
    text = page.read_text(encoding="utf-8")
    # The seed articles' sentence, with the city's figures (worked out in tests/city.py).
    assert "在7个小区中，建立党总支0个、党支部2个、楼栋党小组2个" in text
    assert "组织覆盖率42.9%" in text
    for gap in ("E5小区", "B12号楼", "第二网格", "西园物业", "PC3党组织"):
        assert gap in text
    assert "138****" in text or "13800000" not in text  # phones never unmasked
    assert "<script" not in text and "http" not in text.split("</style>")[0]
    book = tmp_path / "report.xlsx"
    _run(["report", "--scope", "D1", "--out", str(book)])
    sheets = load_workbook(book).sheetnames
    assert {"概况", "各街道", "各社区", "未建党组织的小区", "结对 各社区"} <= set(sheets)
    english = tmp_path / "report-en.html"
    _run(["report", "--scope", "D1", "--out", str(english), "--lang", "en"])
    assert "Across 7 estates, 0 general branches, 2 branches and 2 building groups" in (
        english.read_text(encoding="utf-8")
    )
