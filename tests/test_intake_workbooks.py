"""What real workbooks carry — merged cells, formulas saved with or without their values, a
stale declared extent, a styled cell at the sheet's far corner, Excel's `_xHHHH_` escapes and
error values — never changes the graph without a word: each is refused at its file, row and
column with the graph unchanged to the last property, or read as Excel shows it (the same graph
as the CSV files of the same rows)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from orgnet.graph.connection import Database
from orgnet.graph.errors import ValidationFailed
from orgnet.loaders.contract import FILES_BY_NAME
from orgnet.loaders.load import load_dataset

from .datasets import street_with_two_communities
from .dump import dump, wipe, write_dataset
from .hostile import problems_of
from .test_intake_structure import _workbook

SHEETS = {name: FILES_BY_NAME[name].zh for name in street_with_two_communities()}


def _book(path: Path, edit: Callable[[dict], None] | None = None) -> Path:
    files = street_with_two_communities()
    if edit is not None:
        edit(files)
    return _workbook(path, {zh: (files[name], "visible") for name, zh in SHEETS.items()})


def _patch(book: Path, sheet: str, change: Callable[[str], str]) -> None:
    """Rewrite one sheet's XML inside the workbook."""
    reader = load_workbook(book, read_only=True)
    part = reader[sheet]._worksheet_path.lstrip("/")
    reader.close()
    with zipfile.ZipFile(book) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts[part] = change(parts[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.fixture
def loaded(db: Database, tmp_path: Path) -> Database:
    load_dataset(db, write_dataset(tmp_path / "base", street_with_two_communities()))
    return db


def test_merged_cells_in_the_data_are_refused_naming_the_range(
    loaded: Database, tmp_path: Path
) -> None:
    book = _book(tmp_path / "名册.xlsx")
    # Persons' building cells of rows 2–3 merged: row 3 would read as moved out.
    _patch(book, "人员", lambda xml: xml.replace("</sheetData>", "</sheetData>"
           '<mergeCells count="1"><mergeCell ref="F2:F3"/></mergeCells>'))  # fmt: skip
    problems = problems_of(loaded, book)
    [merged] = [p for p in problems if p[3] == "merged_cells"]
    assert merged[:2] == ("名册.xlsx[人员]", 2)
    with pytest.raises(ValidationFailed) as failed:
        load_dataset(loaded, book)
    [said] = [p for p in failed.value.problems if p.code == "merged_cells"]
    assert "F2:F3" in said.text("en") and "F2:F3" in said.text("zh")


def test_a_stale_declared_extent_is_not_believed(db: Database, tmp_path: Path) -> None:
    # The same rows as CSV files and as a workbook whose sheets declare far too small an
    # extent (two columns, two rows): the same graph.
    load_dataset(db, write_dataset(tmp_path / "csv", street_with_two_communities()))
    from_csv = dump(db)
    wipe(db)
    book = _book(tmp_path / "名册.xlsx")
    for sheet in SHEETS.values():
        _patch(book, sheet, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>',
                                               '<dimension ref="A1:B2"/>', xml))  # fmt: skip
    load_dataset(db, book)
    assert dump(db) == from_csv


def test_a_styled_cell_at_the_far_corner_costs_nothing(db: Database, tmp_path: Path) -> None:
    book = _book(tmp_path / "名册.xlsx")

    def far(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)
        row = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
        return xml.replace("</sheetData>", row + "</sheetData>")

    _patch(book, "人员", far)
    summary = load_dataset(db, book, dry_run=True)
    assert summary.rows_by_table["persons"] == 3


def test_excel_escapes_are_read_as_what_they_stand_for(loaded: Database, tmp_path: Path) -> None:
    def edit(files: dict) -> None:
        files["persons"][0]["name"] = "张_x000D_伟"  # a line break inside a name
        files["persons"][1]["name"] = "李娜_x000D_"  # one at its end: Excel shows 李娜
        files["persons"][2]["name"] = "王_x005F_x0041_强"  # a literal "_x0041_"

    book = _book(tmp_path / "名册.xlsx", edit)
    assert problems_of(loaded, book) == [("名册.xlsx[人员]", 2, "name", "line_break")]

    def fixed(files: dict) -> None:
        edit(files)
        files["persons"][0]["name"] = "张伟"

    load_dataset(loaded, _book(tmp_path / "改.xlsx", fixed))
    names = {
        r["id"]: r["name"]
        for r in loaded.read("MATCH (p:Person) RETURN p.id AS id, p.name AS name")
    }
    assert names == {"P1": "张伟", "P2": "李娜", "P3": "王_x0041_强"}


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?"])
def test_an_excel_error_value_is_a_problem_at_its_cell(
    loaded: Database, tmp_path: Path, error: str
) -> None:
    def edit(files: dict) -> None:
        files["persons"][1]["name"] = error

    # In a workbook (as an error cell) and in a CSV file exported from one (as its text).
    book = _book(tmp_path / "名册.xlsx", edit)
    _patch(book, "人员", lambda xml: re.sub(
        r'<c r="B3" t="inlineStr"><is><t>[^<]*</t></is></c>',
        f'<c r="B3" t="e"><v>{error}</v></c>', xml))  # fmt: skip
    assert problems_of(loaded, book) == [("名册.xlsx[人员]", 3, "name", "excel_error")]
    files = street_with_two_communities()
    edit(files)
    folder = write_dataset(tmp_path / "csv", files)
    assert problems_of(loaded, folder) == [("persons.csv", 3, "name", "excel_error")]
