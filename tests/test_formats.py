"""Input formats: GB18030 and BOM-prefixed CSV, Chinese headers and sheet names, XLSX
workbooks, every accepted date and boolean form, and the Excel template round trip."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from orgnet.graph.connection import Database
from orgnet.loaders.contract import ALIASES, FILES_BY_NAME
from orgnet.loaders.encoding import detect_encoding
from orgnet.loaders.load import load_dataset
from orgnet.loaders.template import write_template
from orgnet.loaders.values import BadValue, parse_bool, parse_date

from .datasets import street_with_two_communities
from .dump import dump, write_dataset


def _chinese(files: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The same rows under the template's Chinese headers."""
    out = {}
    for name, rows in files.items():
        spec = FILES_BY_NAME[name]
        out[name] = [{spec.column(k).header: v for k, v in row.items()} for row in rows]
    return out


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2023-05-01", "2023-05-01"),
        ("2023/5/1", "2023-05-01"),
        ("2023年5月1日", "2023-05-01"),
        ("2023.05", "2023-05"),
        ("2023-05", "2023-05"),
        ("2023年5月", "2023-05"),
        ("2023-05-01 00:00:00", "2023-05-01"),
    ],
)
def test_every_date_form(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["2023-13", "2023-02-29", "五月", "2023/05/01/02"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(BadValue):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", True),
        ("No", False),
        ("TRUE", True),
        ("false", False),
        ("1", True),
        ("0", False),
        ("是", True),
        ("否", False),
    ],
)
def test_every_boolean_form(text: str, value: bool) -> None:
    assert parse_bool(text) is value


def test_gb18030_csv_with_chinese_headers_loads_like_utf8(db: Database, tmp_path: Path) -> None:
    write_dataset(tmp_path / "utf8", street_with_two_communities())
    load_dataset(db, tmp_path / "utf8")
    expected = dump(db)
    db.autocommit("MATCH (n) DETACH DELETE n")

    folder = tmp_path / "gb"
    for name, rows in _chinese(street_with_two_communities()).items():
        write_dataset(folder, {FILES_BY_NAME[name].zh: rows}, encoding="gb18030")
    assert detect_encoding(folder / "区域.csv") == "gb18030"
    load_dataset(db, folder)
    assert dump(db) == expected


def test_utf8_with_bom(db: Database, tmp_path: Path) -> None:
    write_dataset(tmp_path, street_with_two_communities(), encoding="utf-8-sig")
    assert (tmp_path / "regions.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    load_dataset(db, tmp_path)
    names = db.read("MATCH (d:District) RETURN d.id AS id, d.name AS name")
    assert names == [{"id": "D1", "name": "忻府区"}]


def test_a_workbook_with_chinese_sheet_names(db: Database, tmp_path: Path) -> None:
    write_dataset(tmp_path / "csv", street_with_two_communities())
    load_dataset(db, tmp_path / "csv")
    expected = dump(db)
    db.autocommit("MATCH (n) DETACH DELETE n")

    book = Workbook()
    book.remove(book.active)
    for name, rows in _chinese(street_with_two_communities()).items():
        sheet = book.create_sheet(FILES_BY_NAME[name].zh)
        headers = list(dict.fromkeys(h for row in rows for h in row))
        sheet.append(headers)
        for row in rows:
            values: list[object] = [row.get(h, "") for h in headers]
            sheet.append([int(v) if isinstance(v, str) and v.isdigit() else v for v in values])
    path = tmp_path / "名册.xlsx"
    book.save(path)
    load_dataset(db, path)
    assert dump(db) == expected


def test_the_template_filled_in_loads(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = load_workbook(path)
    assert book.sheetnames[0] == "说明"
    regions = book["区域"]
    headers = [c.value for c in regions[1]]
    assert headers[:4] == ["编号", "名称", "层级类别", "上级编号"]
    assert any(v.formula1.startswith("=选项!") for v in regions.data_validations.dataValidation)
    # Fill it the way a department would: Chinese enum labels from the drop-downs.
    regions.append(["D1", "忻府区", "区", None])
    regions.append(["S1", "新建路街道", "街道", "D1"])
    regions.append(["C1", "和平社区", "社区", "S1", 1200])
    estates = book["小区"]
    columns = [c.value for c in estates[1]]
    row = dict.fromkeys(columns)
    row.update(
        {
            "编号": "E1",
            "名称": "和平小区",
            "所属社区编号": "C1",
            "户数": 300,
            "物业状态": "社区领办物业",
        }
    )
    estates.append([row[c] for c in columns])
    # A person as a clerk types one: 姓名, a phone in the text-formatted column (kept as typed,
    # not 1.38E+10), 是否党员 from its drop-down, a category from its list.
    persons = book["人员"]
    columns = [c.value for c in persons[1]]
    assert columns[:2] == ["编号", "姓名"]
    phone = columns.index("联系电话") + 1
    letter = persons.cell(1, phone).column_letter
    assert persons.column_dimensions[letter].number_format == "@"
    member = columns.index("是否党员") + 1
    member_letter = persons.cell(1, member).column_letter
    assert any(
        v.formula1 == '"是,否"' and f"{member_letter}2" in str(v.sqref)
        for v in persons.data_validations.dataValidation
    )
    row = dict.fromkeys(columns)
    row.update({"编号": "P1", "姓名": "张三", "联系电话": "13800000001", "是否党员": "是",
                "党员类别": "在职党员"})  # fmt: skip
    persons.append([row[c] for c in columns])
    book.save(path)

    summary = load_dataset(db, path)
    assert summary.rows == 5
    assert db.read(
        "MATCH (e:Estate)-[:PART_OF]->(c:Community) RETURN e.property_status AS s, c.id AS c"
    ) == [{"s": "community_run", "c": "C1"}]
    assert db.read(
        "MATCH (p:Person {id: 'P1'}) RETURN p.name AS n, p.phone AS t, p.party_member AS m, "
        "p.member_category AS c"
    ) == [{"n": "张三", "t": "13800000001", "m": True, "c": "in_service"}]
    guide = book["说明"]
    notes = [str(c.value) for row in guide.iter_rows(min_row=7) for c in row[4:5]]
    assert any("填写小区的编号" in n for n in notes) and not any("Estate" in n for n in notes)


def test_unknown_columns_are_kept_only_when_asked(db: Database, tmp_path: Path) -> None:
    files = street_with_two_communities()
    files["estates"][0]["备注"] = "老旧小区改造"
    write_dataset(tmp_path, files)
    summary = load_dataset(db, tmp_path)
    assert any("备注" in n.text() for n in summary.notices)
    assert db.read("MATCH (e:Estate {id: 'E1'}) RETURN e.`备注` AS note") == [{"note": None}]
    load_dataset(db, tmp_path, keep_extra=True)
    assert db.read("MATCH (e:Estate {id: 'E1'}) RETURN e.`备注` AS note") == [
        {"note": "老旧小区改造"}
    ]


def test_every_alias_in_the_glossary_is_accepted() -> None:
    # The glossary's alias table, as the contract holds it, names only columns that exist.
    columns = {c.name for spec in FILES_BY_NAME.values() for c in spec.columns}
    assert set(ALIASES) == columns


def test_csv_module_round_trip_of_commas_and_quotes(db: Database, tmp_path: Path) -> None:
    files = street_with_two_communities()
    files["estates"][0]["name"] = '和平小区, "北区"'
    write_dataset(tmp_path, files)
    with open(tmp_path / "estates.csv", encoding="utf-8") as f:
        assert list(csv.reader(f))[1][1] == '和平小区, "北区"'
    load_dataset(db, tmp_path)
    assert db.read("MATCH (e:Estate {id: 'E1'}) RETURN e.name AS n") == [{"n": '和平小区, "北区"'}]
