"""What orgnet writes out can be read safely, whatever names a roster held: the HTML report
escapes every value, a spreadsheet never takes a name for a formula, a terminal never obeys a
name's markup or escape sequences, and an error line is one line however it is redirected."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from orgnet.graph.connection import Database
from orgnet.loaders.load import load_dataset

from .city import TODAY, city
from .dump import orgnet, wipe, write_dataset

NAME_FIELDS = ("regions", "estates", "buildings", "units", "property_firms", "party_orgs",
               "owners_committees", "persons")  # fmt: skip


def _hostile(make) -> dict[str, list[dict]]:
    """The hand-built city with every name replaced by ``make(id)``."""
    files = city()
    for name in NAME_FIELDS:
        for row in files[name]:
            row["name"] = make(row["id"])
    return files


@pytest.fixture
def scripted(db: Database, tmp_path: Path) -> Database:
    files = _hostile(lambda id: f'<script>alert("{id}")</script><img src=x onerror=alert(1)>')
    load_dataset(db, write_dataset(tmp_path / "data", files))
    return db


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.links: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        self.links.update(v for name, v in attrs if name.endswith("href") and v)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_report_escapes_every_name(scripted: Database, tmp_path: Path, cli_env) -> None:
    page = tmp_path / "报告.html"
    done = orgnet("report", "--scope", "D1", "--as-of", TODAY, "--out", str(page), env=cli_env)
    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    parsed = _Tags()
    parsed.feed(html)
    # Only the page's own elements and its charts' SVG; no script, no image, no event handler,
    # and a chart's only links point within the page.
    page_tags = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "div",
                 "span", "b", "table", "tr", "th", "td", "footer"}  # fmt: skip
    chart_tags = {"figure", "svg", "defs", "g", "path", "rect", "clippath", "use", "text"}
    assert parsed.tags <= page_tags | chart_tags
    assert not {a for a in parsed.attributes if a.startswith("on")}
    assert all(link.startswith("#") for link in parsed.links), parsed.links
    text = "".join(parsed.text)
    # The names are there, as text: the scope, an estate gap, a firm, an org, a person.
    for id in ("D1", "E4", "F3", "PG1", "P-S2"):
        assert f'<script>alert("{id}")</script>' in text, id
    assert "&lt;script&gt;" in html


def test_spreadsheets_never_take_a_name_for_a_formula(db: Database, tmp_path: Path, cli_env):
    starts = {"E": "=HYPERLINK(\"http://x.example\",\"点击\")", "B": "+1+1", "G": "-2+3",
              "F": "@SUM(1,2)", "P": "=1+1"}  # fmt: skip
    files = _hostile(lambda id: starts.get(id[0], "") + id if id[0] in starts else id)
    load_dataset(db, write_dataset(tmp_path / "data", files))

    done = orgnet("gaps", "estates", "--scope", "D1", "--as-of", TODAY, "-f", "csv", env=cli_env)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    names = {row[1] for row in rows[1:]}
    assert "'" + starts["E"] + "E4" in names  # prefixed, as the usual defence does
    assert all(not name.startswith(("=", "+", "-", "@")) for row in rows for name in row)

    book = tmp_path / "缺口.xlsx"
    done = orgnet("gaps", "estates", "--scope", "D1", "--as-of", TODAY, "-f", "xlsx", "-o",
                  str(book), env=cli_env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    sheet = load_workbook(book).worksheets[1]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    hostile = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert hostile, "the names are written as they are"
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile)

    report = tmp_path / "报告.xlsx"
    done = orgnet("report", "--scope", "D1", "--as-of", TODAY, "-o", str(report), env=cli_env)
    assert done.returncode == 0, done.stderr
    for sheet in load_workbook(report).worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)


def test_a_terminal_shows_markup_and_escapes_literally(db: Database, tmp_path: Path, cli_env):
    files = city()
    estates = {row["id"]: row for row in files["estates"]}
    estates["E4"]["name"] = "[bold red]E4[/] [link=file:///etc/passwd]小区[/link] [/]"
    load_dataset(db, write_dataset(tmp_path / "data", files))
    # A name written around the loader (by another program) with an escape sequence in it.
    db.write("MATCH (e:Estate {id: 'E5'}) SET e.name = 'E5\u001b[2J\u001b]0;pwned\u0007小区'")
    wide = dict(cli_env, COLUMNS="400")
    done = orgnet("gaps", "estates", "--scope", "D1", "--as-of", TODAY, env=wide)
    assert done.returncode == 0, done.stderr
    assert "[bold red]E4[/] [link=file:///etc/passwd]小区[/link] [/]" in done.stdout
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "E5\ufffd[2J" in done.stdout
    book = tmp_path / "缺口.xlsx"
    done = orgnet("gaps", "estates", "--scope", "D1", "--as-of", TODAY, "-f", "xlsx", "-o",
                  str(book), env=cli_env)  # fmt: skip
    assert done.returncode == 0, done.stderr  # openpyxl refuses control characters: replaced
    names = [c.value for row in load_workbook(book).worksheets[1].iter_rows() for c in row]
    assert "E5\ufffd[2J\ufffd]0;pwned\ufffd小区" in names


def test_a_problem_line_is_one_line_however_long(db: Database, tmp_path: Path, cli_env) -> None:
    files = city()
    files["estates"][0]["households"] = "-1"
    files["estates"][1]["property_status"] = "一个很长很长很长很长很长很长很长的不存在的物业状态"
    folder = write_dataset(tmp_path / "data", files)
    done = orgnet("load", str(folder), env=dict(cli_env, COLUMNS="40"))
    assert done.returncode == 3
    # The problems, after the notices (the city's PX, a branch under a branch, is one).
    lines = [line for line in done.stderr.strip().splitlines() if not line.startswith("提示：")]
    assert lines[0] == "estates.csv:2:户数: -1 — 数量不能为负数"
    assert (
        lines[1].startswith("estates.csv:3:物业状态: 一个很长") and "不是可选的物业状态" in lines[1]
    )
    assert len(lines) == 3 and len(lines[1]) > 40
    wipe(db)
