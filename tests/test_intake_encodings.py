"""A CSV file is UTF-8 (with or without its mark) or GB18030 as a whole. Anything else — a line
saved from another program, Big5, UTF-8 garbled by a conversion, UTF-16, Latin-1 — is refused
at the line where it shows, naming the encoding tried, and the graph is left as it was."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from orgnet.graph.connection import Database
from orgnet.loaders import encoding
from orgnet.loaders.encoding import GB18030, UTF8, EncodingProblem, detect_encoding

from .dump import dump, write_csv
from .hostile import base, refused, run, the_base_files, unchanged


def _reencode(path: Path, encode) -> None:
    """Rewrite a UTF-8 file's lines through ``encode(number, line) -> bytes``."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_bytes(b"".join(encode(n, line) for n, line in enumerate(lines, start=1)))


def _refused_load(db: Database, tmp_path: Path, cli_env: dict, spoil, *fragments: str) -> None:
    before = base(db, tmp_path / "base")
    folder = the_base_files(tmp_path / "spoiled")
    spoil(folder)
    refused(run("load", str(folder), "--lang", "en", env=cli_env), 3, *fragments)
    unchanged(db, before)


def test_a_utf8_file_with_one_gbk_line(db: Database, tmp_path: Path, cli_env: dict) -> None:
    # Line 3 (李娜) pasted from a GBK program; line 2 (张伟) is UTF-8 Chinese.
    def spoil(folder: Path) -> None:
        _reencode(
            folder / "persons.csv",
            lambda n, line: line.encode("gbk" if n == 3 else "utf-8"),
        )

    _refused_load(
        db,
        tmp_path,
        cli_env,
        spoil,
        "persons.csv:3: this line is not UTF-8 (byte 0x",
        "while line 2 is: the file mixes encodings (save it as CSV UTF-8 and load it again)",
    )


def test_the_same_in_chinese_by_default(db: Database, tmp_path: Path, cli_env: dict) -> None:
    before = base(db, tmp_path / "base")
    folder = the_base_files(tmp_path / "spoiled")
    _reencode(folder / "persons.csv", lambda n, line: line.encode("gbk" if n == 3 else "utf-8"))
    done = run("load", str(folder), env=cli_env)
    refused(done, 3, "persons.csv:3: 该行不是 UTF-8 编码", "而第 2 行是：文件混用了多种编码")
    assert "数据集中有 1 处问题，未写入任何数据" in done.stderr
    unchanged(db, before)


def test_a_big5_file(db: Database, tmp_path: Path, cli_env: dict) -> None:
    traditional = [
        {"id": "D1", "name": "忻府區", "kind": "district", "parent_id": ""},
        {"id": "S1", "name": "新建路街道", "kind": "street", "parent_id": "D1"},
        {"id": "C1", "name": "和平社區", "kind": "community", "parent_id": "S1"},
        {"id": "C2", "name": "康樂社區", "kind": "community", "parent_id": "S1"},
        {"id": "G1", "name": "第一網格", "kind": "grid", "parent_id": "C1"},
    ]

    def spoil(folder: Path) -> None:
        write_csv(folder, "regions", traditional, encoding="big5")

    _refused_load(
        db,
        tmp_path,
        cli_env,
        spoil,
        "regions.csv:2: read as GB18030 the text is unlikely characters (",
        "the file is in another encoding (Big5, or UTF-8 garbled by a conversion)",
    )


def test_utf8_read_as_gbk_and_saved_again(db: Database, tmp_path: Path, cli_env: dict) -> None:
    # A program opened the UTF-8 file as GBK and saved it (as UTF-8): valid UTF-8, and every
    # name mojibake — 和平小区 became 鍜屽钩灏忓尯.
    def spoil(folder: Path) -> None:
        path = folder / "estates.csv"
        garbled = path.read_bytes().decode("gb18030", errors="replace")
        path.write_text(garbled, encoding="utf-8")

    _refused_load(
        db,
        tmp_path,
        cli_env,
        spoil,
        "estates.csv:2: the text is garbled (E1,鍜屽钩灏忓尯",
        "once E1,和平小区",
        "(load the file as it was before it was saved again)",
    )


def test_utf8_read_as_gbk_and_saved_as_gbk(db: Database, tmp_path: Path, cli_env: dict) -> None:
    # The same, saved in GBK: the bytes are valid GB18030, the text still mojibake.
    def spoil(folder: Path) -> None:
        path = folder / "estates.csv"
        garbled = path.read_bytes().decode("gb18030", errors="replace")
        path.write_bytes(garbled.encode("gb18030"))

    _refused_load(db, tmp_path, cli_env, spoil, "estates.csv:2: ")


def test_utf16_with_its_mark(db: Database, tmp_path: Path, cli_env: dict) -> None:
    def spoil(folder: Path) -> None:
        path = folder / "units.csv"
        path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))

    _refused_load(db, tmp_path, cli_env, spoil, "units.csv:1: the file is UTF-16")


def test_utf16_without_a_mark(db: Database, tmp_path: Path, cli_env: dict) -> None:
    def spoil(folder: Path) -> None:
        path = folder / "units.csv"
        path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))

    _refused_load(db, tmp_path, cli_env, spoil, "units.csv:1: the line holds NUL bytes")


def test_latin1(db: Database, tmp_path: Path, cli_env: dict) -> None:
    def spoil(folder: Path) -> None:
        write_csv(
            folder, "units", [{"id": "U1", "name": "Café Müller", "kind": "agency"}], "latin-1"
        )

    _refused_load(
        db, tmp_path, cli_env, spoil, "units.csv:2: neither UTF-8 nor GB18030 (byte 0xE9)"
    )


def test_a_utf8_mark_on_a_file_that_is_not(db: Database, tmp_path: Path, cli_env: dict) -> None:
    def spoil(folder: Path) -> None:
        _reencode(
            folder / "persons.csv",
            lambda n, line: (
                (b"\xef\xbb\xbf" if n == 1 else b"") + line.encode("gbk" if n == 4 else "utf-8")
            ),
        )

    _refused_load(
        db,
        tmp_path,
        cli_env,
        spoil,
        "persons.csv:4: the file is marked as UTF-8 but this line is not UTF-8",
    )


def test_gbk_names_with_rare_characters_still_load(db: Database, tmp_path: Path) -> None:
    # A real GB18030 roster: a few name characters outside GB2312 are no reason to refuse it.
    from orgnet.loaders.load import load_dataset

    folder = the_base_files(tmp_path / "gb")
    names = {"P1": "王喆", "P2": "张堃", "P3": "李玥"}
    _reencode(folder / "persons.csv", lambda n, line: line.encode("gb18030"))
    text = (folder / "persons.csv").read_bytes().decode("gb18030")
    for person, name in zip(names, ("张伟", "李娜", "王强"), strict=True):
        text = text.replace(name, names[person])
    (folder / "persons.csv").write_bytes(text.encode("gb18030"))
    assert detect_encoding(folder / "persons.csv") == GB18030
    load_dataset(db, folder)
    stored = db.read("MATCH (p:Person) RETURN p.id AS id, p.name AS name ORDER BY id")
    assert {r["id"]: r["name"] for r in stored} == names
    assert dump(db)[0]  # and the rest of the dataset with it


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id,name\nU1,区教育局\n".encode(), UTF8),
        (b"\xef\xbb\xbf" + "id,name\nU1,区教育局\n".encode(), UTF8),
        ("id,name\nU1,区教育局\n".encode("gb18030"), GB18030),
        (b"id,name\nU1,plain ascii\n", UTF8),
    ],
)
def test_what_is_read_as_what(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(content)
    assert detect_encoding(path) == expected


_ROWS = "".join(f"P{i},张伟{i},1970\n" for i in range(40))
_GARBLED = "和平小区".encode().decode("gb18030", errors="replace")  # 鍜屽钩灏忓尯


@pytest.mark.parametrize(
    ("name", "content", "plain"),
    [
        ("a rare character", f"id,name\n{_ROWS}P99,王堃,1971\n{_ROWS}".encode(), True),
        ("with its mark", codecs.BOM_UTF8 + f"编号,姓名\n{_ROWS}".encode(), True),
        ("CRLF lines", f"id,name\n{_ROWS}".replace("\n", "\r\n").encode(), True),
        ("garbled far in", f"id,name\n{_ROWS}E1,{_GARBLED}\n{_ROWS}".encode(), False),
        ("a GBK line far in", f"id\n{_ROWS}".encode() + "P98,李娜\n".encode("gbk"), False),
        ("GB18030 throughout", f"id,name\n{_ROWS}".encode("gb18030"), False),
        ("a NUL far in", f"id\n{_ROWS}".encode() + b"P98,\x00\n", False),
        ("a bare CR far in", f"id\n{_ROWS}P98,李\r娜\n{_ROWS}".encode(), False),
        ("CR lines", f"id,name\n{_ROWS}".replace("\n", "\r").encode(), False),
    ],
)
@pytest.mark.parametrize("chunk", [7, 64, encoding.CHUNK])
def test_a_megabyte_at_a_time_is_read_as_line_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: bytes, plain: bool,
    chunk: int,
) -> None:  # fmt: skip
    """The shortcut for a file plainly UTF-8 (`_plainly_utf8`) takes exactly those, and for
    every file the answer — an encoding, or the problem and its line — is the line-by-line
    one; read in chunks small enough to cut lines, CRLFs and characters anywhere."""
    monkeypatch.setattr(encoding, "CHUNK", chunk)
    path = tmp_path / "persons.csv"
    path.write_bytes(content)

    def answer(read: Callable[[], str]) -> object:
        try:
            return read()
        except EncodingProblem as e:
            return (e.line, e.code, e.params)

    with path.open("rb") as f:
        assert encoding._plainly_utf8(f) is plain, name
    with path.open("rb") as f:
        by_lines = answer(lambda: encoding._by_lines(f, content.startswith(codecs.BOM_UTF8), path))
    assert answer(lambda: detect_encoding(path)) == by_lines, name
    assert (by_lines == UTF8) is (plain or name == "CR lines"), (name, by_lines)


def test_utf32_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes("id,name\n".encode("utf-32"))
    with pytest.raises(EncodingProblem) as problem:
        detect_encoding(path)
    assert (problem.value.line, problem.value.params) == (1, {"encoding": "UTF-32"})


# -- line ends, and a line or a cell of another encoding inside a GB18030 file ---------------


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
def test_a_bare_cr_inside_a_row_is_a_break_inside_it(
    db: Database, tmp_path: Path, cli_env: dict, ending: str
) -> None:
    # Line 3 (P2) has a CR inside its unquoted name: read as a line end, it would rename P2
    # and make a person of the name's second half.
    def spoil(folder: Path) -> None:
        _reencode(
            folder / "persons.csv",
            lambda n, line: (
                (line.replace("李娜", "李\r娜") if n == 3 else line).rstrip("\n").encode()
                + ending.encode()
            ),
        )

    _refused_load(db, tmp_path, cli_env, spoil, "persons.csv:3: a line break (CR) inside the row")


def test_a_file_of_cr_lines_is_read_as_one_of_lf_lines(db: Database, tmp_path: Path) -> None:
    from orgnet.loaders.load import load_dataset

    load_dataset(db, the_base_files(tmp_path / "lf"))
    with_lf = dump(db)
    from .dump import wipe

    wipe(db)
    folder = the_base_files(tmp_path / "cr")
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    load_dataset(db, folder)
    assert dump(db) == with_lf


def test_a_gbk_line_of_a_file_of_cr_lines_is_named_at_its_line(
    db: Database, tmp_path: Path, cli_env: dict
) -> None:
    def spoil(folder: Path) -> None:
        _reencode(
            folder / "persons.csv",
            lambda n, line: line.rstrip("\r\n").encode("gbk" if n == 3 else "utf-8") + b"\r",
        )

    _refused_load(
        db, tmp_path, cli_env, spoil, "persons.csv:3: this line is not UTF-8", "while line 2 is"
    )


def test_a_big5_line_in_a_gb18030_file(db: Database, tmp_path: Path, cli_env: dict) -> None:
    # Every other line is GB18030; line 4 was pasted from a Big5 roster.
    def spoil(folder: Path) -> None:
        _reencode(
            folder / "regions.csv",
            lambda n, line: (
                line.replace("和平社区", "和平社區康樂網格").encode("big5")
                if n == 4
                else line.encode("gb18030")
            ),
        )

    _refused_load(
        db, tmp_path, cli_env, spoil, "regions.csv:4: read as GB18030 the text is unlikely"
    )


def test_one_utf8_cell_in_a_gb18030_file(db: Database, tmp_path: Path, cli_env: dict) -> None:
    # Line 2's name (张伟) was typed into a UTF-8 program; the rest of the file, the rest of
    # that line included (是, 居民党员), is GB18030.
    def spoil(folder: Path) -> None:
        def encode(n: int, line: str) -> bytes:
            if n != 2:
                return line.encode("gb18030")
            head, name, tail = line.partition("张伟")
            return head.encode("gb18030") + name.encode("utf-8") + tail.encode("gb18030")

        _reencode(folder / "persons.csv", encode)

    _refused_load(
        db,
        tmp_path,
        cli_env,
        spoil,
        "persons.csv:2: a cell of this line is UTF-8 (张伟) in a file that is GB18030",
    )
