"""What a clumsy clerk or a hostile user puts in a roster — a quote left open, a runaway cell,
surplus cells, a column or a table given twice, a workbook that is not one, control
characters, numbers the database cannot hold, phones Excel mangled — is refused at its file,
row and column, with exit status 3 and the graph unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from orgnet.graph.connection import Database
from orgnet.loaders.contract import FILES_BY_NAME
from orgnet.loaders.load import load_dataset

from .datasets import street_with_two_communities
from .dump import dump, wipe, write_dataset
from .hostile import base, refused, run, the_base_files, unchanged


def _edit(path: Path, line: int, edit) -> None:
    """Replace line ``line`` (1-based) of a UTF-8 text file by ``edit(old)``."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = edit(lines[line - 1])
    path.write_text("".join(lines), encoding="utf-8")


def _spoiled(tmp_path: Path, spoil) -> Path:
    folder = the_base_files(tmp_path / "spoiled")
    spoil(folder)
    return folder


def _refused(db, tmp_path, cli_env, spoil, *fragments: str, status: int = 3) -> str:
    before = base(db, tmp_path / "base")
    done = run("load", str(_spoiled(tmp_path, spoil)), "--lang", "en", env=cli_env)
    refused(done, status, *fragments)
    unchanged(db, before)
    return done.stderr


# -- CSV structure ------------------------------------------------------------------------------


def test_a_quote_left_open_is_named_where_it_opened(db: Database, tmp_path: Path, cli_env):
    # persons.csv line 3: P2's name opens a quote nothing closes; it would swallow the rest.
    def spoil(folder: Path) -> None:
        _edit(folder / "persons.csv", 3, lambda line: line.replace("P2,", 'P2,"', 1))

    stderr = _refused(
        db,
        tmp_path,
        cli_env,
        spoil,
        "persons.csv:3: a quoted value opened on this line is never closed "
        "(close the quote, or remove it)",
    )
    assert stderr.count("\n") == 2  # the problem, and the line saying nothing was written


def test_a_quote_that_runs_on_to_a_later_quote(db: Database, tmp_path: Path, cli_env) -> None:
    def spoil(folder: Path) -> None:
        path = folder / "estates.csv"
        _edit(path, 2, lambda line: line.replace("E1,", 'E1,"', 1))
        _edit(path, 3, lambda line: line.replace("康乐家园", '"康乐"家园', 1))

    _refused(
        db,
        tmp_path,
        cli_env,
        spoil,
        "estates.csv:2: a quoted value opened on this line runs on to line 3",
    )


def test_text_after_a_closing_quote(db: Database, tmp_path: Path, cli_env) -> None:
    def spoil(folder: Path) -> None:
        _edit(folder / "units.csv", 2, lambda line: line.replace("区教育局", '"区教育"局', 1))

    _refused(db, tmp_path, cli_env, spoil, "units.csv:2: text follows the closing quote")


def test_a_cell_over_the_limit(db: Database, tmp_path: Path, cli_env) -> None:
    def spoil(folder: Path) -> None:
        _edit(folder / "units.csv", 2, lambda line: line.replace("区教育局", "局" * 2_001, 1))

    stderr = _refused(
        db,
        tmp_path,
        cli_env,
        spoil,
        "units.csv:2:name: 局局局",
        "— a value of 2,001 characters; the limit is 2,000",
    )
    assert max(len(line) for line in stderr.splitlines()) < 300  # the value is cut when shown


def test_a_runaway_value_past_what_the_reader_holds(db: Database, tmp_path: Path, cli_env):
    # A quote left open before a megabyte of text: the csv module's own limit, named.
    def spoil(folder: Path) -> None:
        path = folder / "units.csv"
        path.write_text(
            'id,name,kind\nU1,"区教育局,agency\n' + ("x" * 100 + "\n") * 11_000, encoding="utf-8"
        )

    _refused(
        db,
        tmp_path,
        cli_env,
        spoil,
        "units.csv:2: a value of more than 1000000 characters starts on this line",
    )


def test_a_row_with_more_cells_than_its_header(db: Database, tmp_path: Path, cli_env) -> None:
    def spoil(folder: Path) -> None:
        _edit(folder / "estates.csv", 3, lambda line: line.rstrip("\n") + ",多出来的\n")

    _refused(
        db,
        tmp_path,
        cli_env,
        spoil,
        "estates.csv:3:G: 多出来的 — the row has 7 cells, the header 6",
    )


def test_a_value_under_an_empty_header(db: Database, tmp_path: Path, cli_env) -> None:
    def spoil(folder: Path) -> None:
        path = folder / "units.csv"
        path.write_text("id,name,,kind\nU1,区教育局,备注,agency\n", encoding="utf-8")

    _refused(
        db, tmp_path, cli_env, spoil, "units.csv:2:C: 备注 — a value in a column with no header"
    )


def test_trailing_empty_cells_are_no_problem(db: Database, tmp_path: Path) -> None:
    folder = the_base_files(tmp_path / "data")
    _edit(folder / "units.csv", 2, lambda line: line.rstrip("\n") + ",,,\n")
    load_dataset(db, folder)
    assert db.read("MATCH (u:Unit) RETURN u.name AS name") == [{"name": "区教育局"}]


def test_a_column_given_twice(db: Database, tmp_path: Path, cli_env) -> None:
    def spoil(folder: Path) -> None:
        _edit(folder / "units.csv", 1, lambda line: line.rstrip("\n") + ",名称\n")

    _refused(
        db,
        tmp_path,
        cli_env,
        spoil,
        "units.csv:1:E: 名称 — a second column for name (the first is name)",
    )


# -- two sources for one table ------------------------------------------------------------------


def test_two_files_for_one_table(db: Database, tmp_path: Path, cli_env) -> None:
    def spoil(folder: Path) -> None:
        shutil.copy(folder / "estates.csv", folder / "小区.csv")

    _refused(
        db,
        tmp_path,
        cli_env,
        spoil,
        "小区.csv: two sources for the table estates: estates.csv and 小区.csv "
        "(keep one of the two)",
    )


def _workbook(path: Path, sheets: dict[str, tuple[list[dict], str]]) -> Path:
    """Write sheets {name: (rows, state)} with the template's Chinese headers."""
    book = Workbook()
    book.remove(book.active)
    for name, (rows, state) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.sheet_state = state
        spec = FILES_BY_NAME[_table(name)]
        headers = list(dict.fromkeys(h for row in rows for h in row))
        sheet.append([spec.column(h).header for h in headers])
        for row in rows:
            sheet.append([row.get(h, "") for h in headers])
    book.save(path)
    return path


def _table(sheet: str) -> str:
    return next(s.name for s in FILES_BY_NAME.values() if sheet in (s.name, s.zh))


def test_two_visible_sheets_for_one_table(db: Database, tmp_path: Path, cli_env) -> None:
    files = street_with_two_communities()
    before = base(db, tmp_path / "base")
    book = _workbook(
        tmp_path / "名册.xlsx",
        {"区域": (files["regions"], "visible"), "小区": (files["estates"], "visible"),
         "estates": (files["estates"], "visible")},
    )  # fmt: skip
    refused(
        run("load", str(book), "--lang", "en", env=cli_env),
        3,
        "名册.xlsx[estates]: two sources for the table estates: 名册.xlsx[小区] and "
        "名册.xlsx[estates]",
    )
    unchanged(db, before)


def test_a_hidden_sheet_beside_a_visible_one_is_passed_over(db, tmp_path: Path, cli_env) -> None:
    files = street_with_two_communities()
    stale = [dict(row, name=row["name"] + "（旧）") for row in files["estates"]]
    book = _workbook(
        tmp_path / "名册.xlsx",
        {"区域": (files["regions"], "visible"), "小区": (files["estates"], "visible"),
         "estates": (stale, "hidden")},
    )  # fmt: skip
    done = run("load", str(book), "--lang", "en", env=cli_env)
    assert done.returncode == 0, done.stderr
    assert (
        "notice: 名册.xlsx[estates]: a hidden sheet, passed over (名册.xlsx[小区] is read)"
        in done.stderr
    )
    names = {r["name"] for r in db.read("MATCH (e:Estate) RETURN e.name AS name")}
    assert names == {"和平小区", "康乐家园"}


def test_a_hidden_sheet_that_is_the_only_source_is_read(db, tmp_path: Path, cli_env) -> None:
    files = street_with_two_communities()
    book = _workbook(
        tmp_path / "名册.xlsx",
        {"区域": (files["regions"], "visible"), "小区": (files["estates"], "hidden")},
    )
    done = run("load", str(book), env=cli_env)
    assert done.returncode == 0, done.stderr
    assert "提示：名册.xlsx[小区]: 隐藏的工作表，作为“estates”表的唯一来源读取" in done.stderr
    assert len(db.read("MATCH (e:Estate) RETURN e")) == 2


# -- files that are not what they say ----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"id,name\n", "File is not a zip file"),
        (b"PK\x03\x04" + b"\x00" * 64, "File is not a zip file"),
    ],
    ids=["a CSV renamed .xlsx", "a truncated workbook"],
)
def test_a_workbook_that_is_not_one(db, tmp_path: Path, cli_env, content: bytes, detail: str):
    before = base(db, tmp_path / "base")
    path = tmp_path / "名册.xlsx"
    path.write_bytes(content)
    refused(
        run("load", str(path), "--lang", "en", env=cli_env),
        3,
        f"名册.xlsx: not a readable .xlsx workbook ({detail})",
    )
    unchanged(db, before)


def test_a_workbook_whose_sheet_is_broken(db, tmp_path: Path, cli_env) -> None:
    import zipfile

    before = base(db, tmp_path / "base")
    good = _workbook(
        tmp_path / "good.xlsx", {"区域": (street_with_two_communities()["regions"], "visible")}
    )
    broken = tmp_path / "名册.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut off mid-XML
            target.writestr(item, data)
    refused(
        run("load", str(broken), "--lang", "en", env=cli_env),
        3,
        "名册.xlsx[区域]: not a readable .xlsx workbook",
    )
    unchanged(db, before)


def test_an_empty_folder_has_no_files(db: Database, tmp_path: Path, cli_env) -> None:
    before = base(db, tmp_path / "base")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("not a table")
    refused(
        run("load", str(tmp_path / "empty"), "--lang", "en", env=cli_env),
        3,
        "empty: no file of the import format found here",
    )
    unchanged(db, before)


# -- values -------------------------------------------------------------------------------------


VALUE_CASES = {
    "an escape sequence in a name": (
        "units", 2, ("区教育局", "区教\x1b[31m育局"),
        "units.csv:2:name: 区教\\x1b[31m育局 — holds a control character (U+001B)",
    ),
    "a NUL byte": (
        "units", 2, ("区教育局", "区教\x00育局"), "units.csv:2: the line holds NUL bytes",
    ),
    "a zero-width space in an id": (
        "buildings", 2, ("B1,", "B1\u200b,"),
        "buildings.csv:2:id: B1\\u200b — holds a control character (U+200B)",
    ),
    "a right-to-left override": (
        "estates", 2, ("和平小区", "和平\u202e小区"),
        "estates.csv:2:name: 和平\\u202e小区 — holds a control character (U+202E)",
    ),
    "a line break inside a quoted value": (
        "units", 2, ("区教育局", '"区教\n育局"'),
        "units.csv:2:name: 区教\\n育局 — holds a line break (write the value on one line)",
    ),
    "a 20-digit household count": (
        "regions", 4, (",1200,", ",12345678901234567890,"),
        "regions.csv:4:households: 12345678901234567890 — above 20,000,000",
    ),
    "a building of more households than a building holds": (
        "buildings", 2, (",60", ",10001"), "buildings.csv:2:households: 10001 — above 10,000",
    ),
    "digits of another script": (
        "buildings", 2, (",60", ",٦٠"), "buildings.csv:2:households: ٦٠ — not a whole number",
    ),
    "a date before 1900": (
        "posts", 2, ("2021-03-01", "0021-03-01"),
        "posts.csv:2:since: 0021-03-01 — a date outside 1900-01-01–2100-12-31",
    ),
    "a phone in Excel's scientific form": (
        "persons", 2, ("13800000001", "1.38E+10"),
        "persons.csv:2:phone: 1.38E+10 — a phone number shown as a spreadsheet number",
    ),
    "a phone that is not one": (
        "persons", 2, ("13800000001", "not-a-phone <b>"),
        "persons.csv:2:phone: not-a-phone <b> — not a mainland mobile or landline number",
    ),
    "an eight-digit number starting with 1": (
        "persons", 2, ("13800000001", "12345678"),
        "persons.csv:2:phone: 12345678 — not a mainland mobile or landline number",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(VALUE_CASES), ids=list(VALUE_CASES))
def test_a_value_the_graph_must_not_hold(db: Database, tmp_path: Path, cli_env, case: str):
    table, line, (old, new), expected = VALUE_CASES[case]

    def spoil(folder: Path) -> None:
        path = folder / f"{table}.csv"
        _edit(path, line, lambda text: text.replace(old, new, 1))
        assert new in path.read_text(encoding="utf-8")

    _refused(db, tmp_path, cli_env, spoil, expected)


@pytest.mark.parametrize(
    ("typed", "stored", "masked"),
    [
        ("138 0000 0001", "13800000001", "138****0001"),
        ("+86 138-0000-0001", "13800000001", "138****0001"),
        ("１３８００００００01", "13800000001", "138****0001"),
        ("(0351)6021234", "0351-6021234", "0351-****1234"),
        ("010 62751234 转 123", "010-62751234-123", "010-****1234"),
        ("6021234", "6021234", "****1234"),
        ("400-123-4567", "400-123-4567", "400-***-4567"),
    ],
)
def test_phones_are_stored_in_one_form_and_masked(
    db: Database, tmp_path: Path, typed: str, stored: str, masked: str
) -> None:
    from orgnet.queries.privacy import mask_phone

    files = street_with_two_communities()
    files["persons"][0]["phone"] = typed
    load_dataset(db, write_dataset(tmp_path, files))
    assert db.read("MATCH (p:Person {id: 'P1'}) RETURN p.phone AS phone") == [{"phone": stored}]
    assert mask_phone(stored) == masked


def test_every_problem_of_a_bad_file_at_once(db: Database, tmp_path: Path) -> None:
    # Structure and values together: each is its own line, none hides another.
    from orgnet.graph.errors import ValidationFailed

    folder = the_base_files(tmp_path / "data")
    _edit(folder / "estates.csv", 3, lambda line: line.rstrip("\n") + ",多出来的\n")
    _edit(folder / "units.csv", 2, lambda line: line.replace("区教育局", "区教\x07育局"))
    _edit(folder / "persons.csv", 2, lambda line: line.replace("13800000001", "1.38E+10"))
    wipe(db)
    with pytest.raises(ValidationFailed) as failure:
        load_dataset(db, folder)
    codes = sorted(p.code for p in failure.value.problems)
    assert codes == ["control_character", "extra_cells", "phone_scientific"]
    assert dump(db) == ([], [])


def test_notices_are_printed_even_when_the_dataset_is_refused(
    db: Database, tmp_path: Path, cli_env
) -> None:
    folder = the_base_files(tmp_path / "data")
    _edit(folder / "estates.csv", 1, lambda line: line.rstrip("\n") + ",备注\n")
    _edit(
        folder / "estates.csv",
        2,
        lambda line: line.replace(",300,", ",-300,").rstrip("\n") + ",改造\n",
    )
    (folder / "readme.csv").write_text("说明\n", encoding="utf-8")
    done = refused(
        run("load", str(folder), env=cli_env),
        3,
        "提示：estates.csv: 列“备注”不属于导入格式，已忽略",
        "提示：readme.csv: 不是导入格式的文件，已跳过",
        "estates.csv:2:户数: -300 — 数量不能为负数",
    )
    assert done.stderr.index("提示") < done.stderr.index("estates.csv:2:")
