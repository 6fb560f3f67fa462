"""A property-based test that keeps the intake honest: a valid demo dataset, mutated the ways
files go wrong — random bytes, encodings, quotes, cells, columns added or dropped, a table
given twice, huge numbers, control characters, a file cut short — is loaded by the real
command, and for every case either

* it exits 0 and the graph equals loading a clean, strict reading of the same bytes (decoded
  as UTF-8, else GB18030, parsed by the csv module in strict mode, written out again as plain
  UTF-8): nothing was read other than as it is; or
* it exits 3, naming a file and row, with the graph as it was (empty);

and never anything else: no traceback, no other status. Mutations whose refusal is certain
(UTF-16, Big5, a line from another encoding, a control character or one that draws nothing, an
Excel error value, a number the database cannot hold, a table given twice, a quote never closed,
a bare CR inside a row, a row given twice) must end in exit 3; what changes nothing a file says
(row order, CR line ends, a byte-order mark …) must give the demo's own graph.

The same for workbooks: merged ranges, formulas saved without their value, `_xHHHH_` escapes of
control characters and characters that draw nothing are refused; a stale declared extent, a
styled cell at the far corner and shuffled rows give the demo's own graph.

CI runs a fixed, bounded set of examples (25 files, 8 workbooks), `make test` a third of them
(``--fuzz quick``); ``pytest --fuzz-examples 500`` runs more, at random.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgnet.graph.connection import Database
from orgnet.loaders.contract import FILES_BY_NAME
from orgnet.loaders.load import load_dataset

from .dump import dump, orgnet, wipe


@pytest.fixture(scope="module")
def demo(scratch: Path) -> dict[str, bytes]:
    from orgnet.loaders.generate import generate_scenario, load_scenario

    folder = scratch / "fuzz-demo"
    if not folder.exists():
        generate_scenario(load_scenario("demo"), folder, seed=3)
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


# -- mutations ----------------------------------------------------------------------------------


@dataclass
class Mutation:
    kind: str
    file: str
    detail: tuple
    certain: bool = False  # its refusal is certain


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


CELL_VALUES = [
    "9" * 20,  # beyond 64 bits
    "-12",
    "1.5",
    "",
    "   ",
    '=HYPERLINK("http://x")',
    "+1",
    "@SUM(1)",
    "甲" * 2_001,  # over the cell limit
    "名\x1b[31m字",
    "名\x00字",
    "名\u200b字",
    "名\u202e字",
    "2023年5月1日",
    "2023-02-30",
    "是",
    "否",
    "1.38E+10",
    "13800000001",
    "郑\U00020000",  # a character beyond the BMP
]
# Characters that draw nothing, of every kind the intake refuses in any cell: soft hyphen,
# combining grapheme joiner, variation selector, Mongolian vowel separator, a tag character,
# braille blank, Hangul filler, an invisible operator.
INVISIBLE = ["\u00ad", "\u034f", "\ufe0f", "\u180e", "\U000e0041", "\u2800", "\u3164", "\u2061"]
CELL_VALUES += ["#N/A", "#REF!", *(f"名{c}字" for c in INVISIBLE)]
CERTAIN_VALUES = {"9" * 20, "甲" * 2_001, "名\x1b[31m字", "名\x00字", "名\u200b字", "名\u202e字",
                  "#N/A", "#REF!", *(f"名{c}字" for c in INVISIBLE)}  # fmt: skip
NOISE = [b'"', b",", b"\n", b"\r", b"\x00", b"\xff", b"\xe4", b"\xe4\xb8", b"\x81\x30", b";"]


# What a spreadsheet program or a clerk does to a file without changing what it says: each must
# load to the graph of the file as it was.
HARMLESS = ["utf8_mark", "gb18030", "crlf", "cr_lines", "blank_lines", "column_order",
            "chinese_headers", "quote_all", "shuffle_rows"]  # fmt: skip
HARMFUL = ["bytes", "encoding", "mixed", "quote", "cell", "add_column", "drop_column",
           "extra_cells", "duplicate", "truncate", "lone_cr", "repeated_row"]  # fmt: skip


@st.composite
def mutations(draw, names: list[str], demo: dict[str, bytes]) -> list[Mutation]:
    files = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    chosen = []
    for name in files:
        rows = _rows(demo[name])
        kind = draw(st.sampled_from(HARMFUL) if draw(st.booleans()) else st.sampled_from(HARMLESS))
        if kind in HARMLESS:
            chosen.append(Mutation(kind, name, (draw(st.randoms(use_true_random=False)),)))
        elif kind == "bytes":
            at = draw(st.floats(0, 1))
            payload = draw(st.lists(st.sampled_from(NOISE), min_size=1, max_size=4))
            chosen.append(Mutation(kind, name, (at, b"".join(payload))))
        elif kind == "encoding":
            encoding = draw(st.sampled_from(["utf-8-sig", "gb18030", "utf-16", "big5"]))
            text = demo[name].decode("utf-8")
            big5 = sum(1 for c in text if not c.isascii() and c.encode("big5", "replace") != b"?")
            certain = encoding == "utf-16" or (encoding == "big5" and big5 >= 20)
            chosen.append(Mutation(kind, name, (encoding,), certain))
        elif kind == "mixed":
            chinese = [i for i, line in enumerate(demo[name].split(b"\n")) if not line.isascii()]
            if len(chinese) < 2:
                continue
            line = draw(st.sampled_from(chinese[1:]))
            chosen.append(Mutation(kind, name, (line,), certain=True))
        elif kind in ("quote", "cell", "extra_cells") and len(rows) > 1:
            row = draw(st.integers(1, len(rows) - 1))
            column = draw(st.integers(0, len(rows[0]) - 1))
            if kind == "cell":
                value = draw(st.sampled_from(CELL_VALUES))
                certain = value in CERTAIN_VALUES and (value != "9" * 20 or _numeric(name, column))
                chosen.append(Mutation(kind, name, (row, column, value), certain))
            elif kind == "quote":
                chosen.append(Mutation(kind, name, (row, column), certain=True))
            else:
                chosen.append(Mutation(kind, name, (row, draw(st.text(min_size=1, max_size=5)))))
        elif kind == "add_column":
            chosen.append(Mutation(kind, name, (draw(st.sampled_from(["备注", "note", "名称"])),)))
        elif kind == "drop_column":
            chosen.append(Mutation(kind, name, (draw(st.integers(0, len(rows[0]) - 1)),)))
        elif kind == "duplicate":
            chosen.append(Mutation(kind, name, (), certain=True))
        elif kind in ("lone_cr", "repeated_row") and len(rows) > 1:
            # A bare CR inside a value of a row (of a file of LF lines); a row given twice (a
            # second id, or a second row of one relationship).
            row = draw(st.integers(1, len(rows) - 1))
            certain = kind == "repeated_row" or _bare_cell(demo[name], row) is not None
            chosen.append(Mutation(kind, name, (row,), certain))
        elif kind == "truncate":
            chosen.append(Mutation(kind, name, (draw(st.floats(0.05, 0.95)),)))
    return chosen


def _bare_cell(data: bytes, row: int) -> int | None:
    """Where in line ``row`` a CR can go inside a value: after the first character of its first
    cell of two characters or more, on a line written without quotes; None if there is none."""
    line = data.decode("utf-8").split("\n")[row]
    cells = next(csv.reader([line]))
    if ",".join(cells) != line:
        return None
    at = 0
    for cell in cells:
        if len(cell) > 1:
            return at + 1
        at += len(cell) + 1
    return None


def _numeric(name: str, column: int) -> bool:
    """Whether the demo's column at this position holds a whole number."""
    header = next(csv.reader([_header(name)]))
    spec = FILES_BY_NAME[name.removesuffix(".csv")]
    wanted = header[column]
    return any(
        c.name == wanted and c.prop is not None and c.prop.kind == "int" for c in spec.columns
    )


_HEADERS: dict[str, str] = {}


def _header(name: str) -> str:
    return _HEADERS[name]


def harmless(files: dict[str, bytes], mutation: Mutation) -> None:
    name, data = mutation.file, files[mutation.file]
    (rng,) = mutation.detail
    if mutation.kind == "utf8_mark":
        files[name] = b"\xef\xbb\xbf" + data
    elif mutation.kind == "gb18030":
        files[name] = data.decode("utf-8").encode("gb18030")
    elif mutation.kind == "crlf":
        files[name] = data.replace(b"\n", b"\r\n")
    elif mutation.kind == "cr_lines":
        files[name] = data.replace(b"\n", b"\r")
    elif mutation.kind == "blank_lines":
        lines = data.split(b"\n")
        for _ in range(3):
            lines.insert(rng.randint(1, len(lines)), b"")
        files[name] = b"\n".join(lines)
    else:
        rows = _rows(data)
        if mutation.kind == "shuffle_rows":
            body = rows[1:]
            rng.shuffle(body)
            rows = [rows[0], *body]
        elif mutation.kind == "column_order":
            order = list(range(len(rows[0])))
            rng.shuffle(order)
            rows = [[r[i] for i in order] for r in rows]
        elif mutation.kind == "chinese_headers":
            spec = FILES_BY_NAME[name.removesuffix(".csv")]
            rows[0] = [spec.column(h).header for h in rows[0]]
        buffer = io.StringIO()
        quoting = csv.QUOTE_ALL if mutation.kind == "quote_all" else csv.QUOTE_MINIMAL
        csv.writer(buffer, lineterminator="\n", quoting=quoting).writerows(rows)
        files[name] = buffer.getvalue().encode("utf-8")


def apply(files: dict[str, bytes], mutation: Mutation) -> None:
    name, data = mutation.file, files[mutation.file]
    if mutation.kind in HARMLESS:
        harmless(files, mutation)
    elif mutation.kind == "bytes":
        at, payload = mutation.detail
        cut = int(at * len(data))
        files[name] = data[:cut] + payload + data[cut:]
    elif mutation.kind == "encoding":
        (encoding,) = mutation.detail
        files[name] = data.decode("utf-8").encode(encoding, errors="replace")
    elif mutation.kind == "mixed":
        (number,) = mutation.detail
        lines = data.split(b"\n")
        lines[number] = lines[number].decode("utf-8").encode("gbk", errors="replace")
        files[name] = b"\n".join(lines)
    elif mutation.kind == "duplicate":
        files[FILES_BY_NAME[name.removesuffix(".csv")].zh + ".csv"] = data
    elif mutation.kind == "truncate":
        (at,) = mutation.detail
        files[name] = data[: int(at * len(data))]
    else:
        rows = _rows(data)
        if mutation.kind == "quote":
            row, column = mutation.detail
            # A quote that opens a cell and is never closed: written around the csv module.
            lines = data.decode("utf-8").split("\n")
            cells = lines[row].split(",")
            cells[column] = '"' + cells[column]
            lines[row] = ",".join(cells)
            files[name] = "\n".join(lines).encode("utf-8")
            return
        if mutation.kind == "lone_cr":
            (row,) = mutation.detail
            at = _bare_cell(data, row)
            if at is not None:
                lines = data.decode("utf-8").split("\n")
                lines[row] = lines[row][:at] + "\r" + lines[row][at:]
                files[name] = "\n".join(lines).encode("utf-8")
            return
        if mutation.kind == "repeated_row":
            (row,) = mutation.detail
            rows.append(list(rows[row]))
        elif mutation.kind == "cell":
            row, column, value = mutation.detail
            rows[row][column] = value
        elif mutation.kind == "extra_cells":
            row, extra = mutation.detail
            rows[row] += [extra]
        elif mutation.kind == "add_column":
            (header,) = mutation.detail
            rows = [r + ([header] if i == 0 else ["甲"]) for i, r in enumerate(rows)]
        elif mutation.kind == "drop_column":
            (column,) = mutation.detail
            rows = [r[:column] + r[column + 1 :] for r in rows]
        files[name] = _csv(rows)


# -- the independent strict reading -------------------------------------------------------------


def strict_reading(files: dict[str, bytes], into: Path) -> bool:
    """Write what the files say, read strictly, as plain UTF-8 CSV; False if they cannot be
    read strictly at all (then the command must not have loaded them)."""
    into.mkdir(parents=True)
    for name, data in files.items():
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                return False
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error:
            return False
        (into / name).write_bytes(_csv(rows))
    return True


# -- the property -------------------------------------------------------------------------------


@pytest.mark.fuzz
def test_no_file_corrupts_the_graph_or_crashes_the_command(
    db: Database,
    demo: dict[str, bytes],
    cli_env: dict,
    examples: Callable[[int], int],
    request: pytest.FixtureRequest,
) -> None:
    drawn = request.config.getoption("--fuzz-examples") or examples(25)
    names = sorted(demo)
    outcomes: Counter[int] = Counter()
    for name, data in demo.items():
        _HEADERS[name] = data.decode("utf-8").split("\n", 1)[0]

    # The graph a folder's files load into an empty database, kept by their bytes: the same
    # bytes give the same graph, so each folder seen is loaded once.
    graphs: dict[str, tuple[list, list]] = {}

    def graph_of(folder: Path) -> tuple[list, list]:
        files = sorted(folder.iterdir())
        parts = (p.name.encode() + b"\0" + p.read_bytes() for p in files)
        key = hashlib.sha256(b"\0".join(parts)).hexdigest()
        if key not in graphs:
            wipe(db)
            load_dataset(db, folder)
            graphs[key] = dump(db)
        return graphs[key]

    @settings(
        max_examples=drawn,
        deadline=None,
        derandomize=drawn <= 25,  # CI and `make test`: the same bounded set every run
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(mutations(names, demo))
    def case(chosen: list[Mutation]) -> None:
        files = dict(demo)
        for mutation in chosen:
            apply(files, mutation)
        with tempfile.TemporaryDirectory() as work:
            folder = Path(work) / "data"
            folder.mkdir()
            for name, data in files.items():
                (folder / name).write_bytes(data)
            wipe(db)
            done = orgnet("load", str(folder), "--lang", "en", env=cli_env, timeout=300)
            assert "Traceback" not in done.stderr, (chosen, done.stderr)
            assert done.returncode in (0, 3), (chosen, done.returncode, done.stderr)
            outcomes[done.returncode] += 1
            if done.returncode == 3:
                assert dump(db) == ([], []), chosen
                named = [line for line in done.stderr.splitlines() if line.split(":")[0] in files]
                assert named, (chosen, done.stderr)
                return
            assert not any(m.certain for m in chosen), (chosen, done.stderr)
            loaded = dump(db)
            if all(m.kind in HARMLESS for m in chosen):  # and the graph is the demo's own
                the_demo = Path(work) / "demo"
                the_demo.mkdir()
                for name, data in demo.items():
                    (the_demo / name).write_bytes(data)
                assert graph_of(the_demo) == loaded, chosen
            clean = Path(work) / "clean"
            assert strict_reading(files, clean), (chosen, "loaded what a strict reading cannot")
            assert graph_of(clean) == loaded, chosen
        shutil.rmtree(folder, ignore_errors=True)

    case()
    # Both ends of the property were reached: loads that went in, and refusals.
    print(f"intake fuzz: {drawn} examples, exit 0 × {outcomes[0]}, exit 3 × {outcomes[3]}")
    assert outcomes[0] and outcomes[3], outcomes


# -- workbooks ----------------------------------------------------------------------------------

# What a writer or Excel leaves in a workbook without changing what it says …
BOOK_HARMLESS = ["stale_dimension", "far_corner", "shuffle_rows"]
# … and what must be refused, whichever sheet and cell it falls on.
BOOK_CERTAIN = ["merged", "formula", "x_escape", "invisible"]


def _book_patch(kind: str) -> Callable[[str], str]:
    if kind == "stale_dimension":
        return lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:B2"/>', xml)
    if kind == "far_corner":
        far = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
        return lambda xml: xml.replace("</sheetData>", far + "</sheetData>")
    assert kind == "merged"
    merged = '<mergeCells count="1"><mergeCell ref="A2:A3"/></mergeCells>'
    return lambda xml: xml.replace("</sheetData>", "</sheetData>" + merged)


@pytest.mark.fuzz
def test_no_workbook_corrupts_the_graph_or_crashes_the_command(
    db: Database,
    demo: dict[str, bytes],
    cli_env: dict,
    examples: Callable[[int], int],
    request: pytest.FixtureRequest,
) -> None:
    from .test_intake_structure import _workbook
    from .test_intake_workbooks import _patch

    asked = request.config.getoption("--fuzz-examples")
    drawn = max(6, asked // 3) if asked else examples(8)
    tables = {
        name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
        for name, data in demo.items()
    }
    with tempfile.TemporaryDirectory() as work:
        for name, data in demo.items():
            (Path(work) / name).write_bytes(data)
        wipe(db)
        load_dataset(db, Path(work))
        demo_graph = dump(db)
    sheets = sorted(t for t, rows in tables.items() if len(rows) >= 2)
    outcomes: Counter[int] = Counter()

    @settings(
        max_examples=drawn,
        deadline=None,
        derandomize=drawn <= 25,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(BOOK_HARMLESS + BOOK_CERTAIN),
                st.sampled_from(sheets),
                st.randoms(use_true_random=False),
            ),
            min_size=1,
            max_size=2,
            unique_by=lambda m: m[1],
        )
    )
    def case(chosen: list[tuple]) -> None:
        rows = {t: [dict(r) for r in rs] for t, rs in tables.items()}
        patches = []
        for kind, table, rng in chosen:
            if kind == "shuffle_rows":
                rng.shuffle(rows[table])
            elif kind in ("formula", "x_escape", "invisible"):
                row = rng.choice(rows[table])
                column = rng.choice([c for c, v in row.items() if v])
                if kind == "formula":
                    row[column] = "=1+1"  # written without a saved value, as openpyxl does
                else:  # a BEL as Excel escapes it, or a character that draws nothing
                    mark = "_x0007_" if kind == "x_escape" else rng.choice(INVISIBLE)
                    row[column] = row[column][:1] + mark + row[column][1:]
            else:
                patches.append((kind, table))
        certain = any(kind in BOOK_CERTAIN for kind, _, _ in chosen)
        with tempfile.TemporaryDirectory() as work:
            book = Path(work) / "名册.xlsx"
            written = {FILES_BY_NAME[t].zh: (rs, "visible") for t, rs in rows.items() if rs}
            _workbook(book, written)
            for kind, table in patches:
                _patch(book, FILES_BY_NAME[table].zh, _book_patch(kind))
            wipe(db)
            done = orgnet("load", str(book), "--lang", "en", env=cli_env, timeout=300)
        assert "Traceback" not in done.stderr, (chosen, done.stderr)
        outcomes[done.returncode] += 1
        if certain:
            assert done.returncode == 3, (chosen, done.returncode, done.stderr)
            assert dump(db) == ([], []), chosen
            assert "名册.xlsx[" in done.stderr, (chosen, done.stderr)
        else:
            assert done.returncode == 0, (chosen, done.stderr)
            assert dump(db) == demo_graph, chosen

    case()
    print(f"workbook fuzz: {drawn} examples, exit 0 × {outcomes[0]}, exit 3 × {outcomes[3]}")
    assert outcomes[0] and outcomes[3], outcomes
