"""Reading a dataset: a folder of CSV files or one .xlsx workbook, streamed row by row.

CSV is UTF-8 (with or without BOM) or GB18030, decided for the whole file (``encoding``);
headers and sheet names may be English or Chinese. Rows are numbered as a spreadsheet numbers
them — the header is row 1 — and a CSV record by the line it starts on.

Reading is strict, because whatever the reader lets through goes into the graph: a quote left
open, a cell past ``MAX_CELL`` characters, a row with more cells than the header, a column given
twice, two files for one table, a workbook that is not one — each is a problem at its file, row
and column, never a value silently cut, joined or dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from orgnet.graph.errors import BadRequest

from .contract import ALIASES, FILE_ALIASES, FILES, FILES_BY_NAME, FileSpec, resolve_headers
from .encoding import UTF8, EncodingProblem, detect_encoding
from .rows import Problem, problem, shown
from .template import TEMPLATE_SHEETS
from .values import BadValue, check_text

# Characters in one cell. A name, an address, a list of the places a joint branch covers all
# fit; a value longer than this is a quote left open or text pasted into the wrong cell.
MAX_CELL = 2_000
# Where the csv module itself stops a value: far above MAX_CELL, so that a quote left open is
# reported as one (the line it opened on) rather than as an overlong value.
RUNAWAY = 1_000_000
csv.field_size_limit(RUNAWAY)

Stamp = tuple[int, int]  # a file's size and modification time, to notice it changing


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # Excel writes a character XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x).
        if "_x" in value:
            value = _EXCEL_ESCAPE.sub(lambda m: chr(int(m[1], 16)), value)
        return value.strip()
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _stamp(path: Path) -> Stamp:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def letter(position: int) -> str:
    """The spreadsheet letter of a 0-based column position: 0 → 'A', 26 → 'AA'."""
    return get_column_letter(position + 1)


@dataclass
class Table:
    """One file of a dataset: where it comes from and how to stream its rows."""

    spec: FileSpec
    display: str  # what problems name: 'persons.csv' or 'data.xlsx[人员]'
    source: Path
    sheet: str | None = None
    encoding: str = UTF8
    headers: list[str] = field(default_factory=list)
    columns: dict[int, str] = field(default_factory=dict)  # position → column name
    extras: dict[int, str] = field(default_factory=dict)  # position → unknown header
    width: int = 0  # the header's cells up to its last non-empty one
    unreadable: Problem | None = None  # the file cannot be read at all
    header_problems: list[Problem] = field(default_factory=list)
    stamp: Stamp | None = None

    def spelled(self) -> dict[str, str]:
        """Column name → the header as the file spells it."""
        return {name: self.headers[i].strip() for i, name in self.columns.items()}

    def _problem(
        self, row: int, column: str, value: str, code: str, hint: str = "", **params: object
    ) -> Problem:
        header = self.spelled().get(column, "") if column in self.columns.values() else ""
        return problem(self.display, row, column, value, code, hint, header, params)

    # -- records ---------------------------------------------------------------------------

    def records(self, sink: list[Problem] | None = None) -> Iterator[tuple[int, list[str]]]:
        """Every record, header included, as (number, stripped cells). A problem that leaves
        the rest of the file unreadable (a quote never closed) goes to ``sink`` and ends it."""
        sink = [] if sink is None else sink
        if self.unreadable is not None:
            return
        try:
            if self.sheet is None:
                yield from self._csv_records(sink)
            else:
                yield from self._sheet_records(sink)
        except (OSError, UnicodeDecodeError) as e:
            sink.append(self._problem(0, "", "", "unreadable", detail=_detail(e)))
        except Exception as e:  # a workbook's XML can break in many ways, all the same to us
            if self.sheet is None:
                raise
            sink.append(self._problem(0, "", "", "not_xlsx", detail=_detail(e)))

    def _csv_records(self, sink: list[Problem]) -> Iterator[tuple[int, list[str]]]:
        with open(self.source, encoding=self.encoding, newline="") as f:
            reader = csv.reader(f, strict=True)
            start = 1
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except csv.Error as e:
                    sink.append(self._broken(str(e), start, reader.line_num))
                    return
                yield start, [cell.strip() for cell in record]
                start = reader.line_num + 1

    def _broken(self, error: str, start: int, now: int) -> Problem:
        if "unexpected end of data" in error:
            return self._problem(start, "", "", "unclosed_quote", "close_quote")
        if "expected after" in error:
            if now > start:
                return self._problem(start, "", "", "quote_runs_on", "close_quote", end=now)
            return self._problem(start, "", "", "text_after_quote", "close_quote")
        if "field larger than field limit" in error:
            return self._problem(start, "", "", "runaway_value", "close_quote", limit=RUNAWAY)
        if "new-line character" in error:
            return self._problem(start, "", "", "line_break", "one_line")
        return self._problem(start, "", "", "unreadable", detail=error)

    def _sheet_records(self, sink: list[Problem]) -> Iterator[tuple[int, list[str]]]:
        """The sheet's rows as Excel shows them, whatever wrote the file:

        * every row and column the sheet holds, never the extent its ``<dimension>`` declares
          (a writer may leave a stale one, and read-only reading would stop there or drop
          columns — or walk a styled empty cell's million rows);
        * a formula read from the value saved with it; one saved without (a workbook written by
          a program, or saved with calculation off) would read as an emptied cell and clear what
          the graph holds, so it is a problem at its cell;
        * a merged range: only its first cell holds the value, the others would read as emptied
          cells and clear links — a problem naming the range, at its first cell;
        * Excel's escapes of characters a cell cannot hold in XML (``_x000D_``) decoded, so
          that what they stand for meets the rules for control characters.
        """
        assert self.sheet is not None
        workbook = load_workbook(self.source, read_only=True, data_only=True)
        formulas = None
        if _has_formulas(self.source):
            formulas = load_workbook(self.source, read_only=True, data_only=False)
        try:
            sheet = workbook[self.sheet]
            sheet.reset_dimensions()
            merged = _merged_ranges(self.source, _stamp(self.source), sheet._worksheet_path)
            rows = sheet.iter_rows(values_only=True)
            written = None
            if formulas is not None:
                raw_sheet = formulas[self.sheet]
                raw_sheet.reset_dimensions()
                written = raw_sheet.iter_rows(values_only=True)
            for number, values in enumerate(rows, start=1):
                for area, first in merged.get(number, ()):
                    field = self.columns.get(first) or letter(first)
                    found = self._problem(number, field, area, "merged_cells", "unmerge", area=area)
                    sink.append(found)
                if written is not None:
                    raw = next(written, ())
                    for i, (value, formula) in enumerate(zip(values, raw, strict=False)):
                        if value is None and isinstance(formula, str) and formula[:1] == "=":
                            field = self.columns.get(i) or letter(i)
                            code, hint = "formula_without_value", "save_calculated"
                            sink.append(self._problem(number, field, formula, code, hint))
                yield number, [_cell_text(v) for v in values]
        finally:
            workbook.close()
            if formulas is not None:
                formulas.close()

    # -- rows ------------------------------------------------------------------------------

    def rows(
        self, sink: list[Problem] | None = None
    ) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
        """(row number, known columns, extra columns) for every non-blank data row; what is
        wrong with a row's shape (too many cells, an overlong one) goes to ``sink``."""
        sink = [] if sink is None else sink
        records = self.records(sink)
        next(records, None)
        width = self.width
        unnamed = [i for i in range(width) if not self.headers[i].strip()]
        positions = list(self.columns.items())
        for number, cells in records:
            if not any(cells):
                continue
            # The shape is checked cell by cell only when the row's length, an unnamed column
            # or its longest cell says something may be wrong: most rows cost three C calls.
            if (
                len(cells) > width
                or max(map(len, cells)) > MAX_CELL
                or (unnamed and any(cells[i] for i in unnamed if i < len(cells)))
            ):
                self._shape(number, cells, sink)
            if len(cells) >= width:
                known = {name: cells[i] for i, name in positions}
            else:
                known = {name: cells[i] if i < len(cells) else "" for i, name in positions}
            extra = {h: cells[i] if i < len(cells) else "" for i, h in self.extras.items()}
            yield number, known, extra

    def _shape(self, number: int, cells: list[str], sink: list[Problem]) -> None:
        for i, cell in enumerate(cells):
            if not cell:
                continue
            if i >= self.width:
                sink.append(
                    self._problem(
                        number,
                        letter(i),
                        cell,
                        "extra_cells",
                        "remove_cells",
                        cells=len(_trimmed(cells)),
                        columns=self.width,
                    )
                )
                return
            if not self.headers[i].strip():
                sink.append(self._problem(number, letter(i), cell, "no_header", "remove_cells"))
            elif len(cell) > MAX_CELL:
                column = self.columns.get(i) or self.extras.get(i, letter(i))
                sink.append(
                    self._problem(
                        number,
                        column,
                        cell,
                        "cell_too_long",
                        "shorten",
                        length=f"{len(cell):,}",
                        limit=f"{MAX_CELL:,}",
                    )
                )

    def changed(self) -> bool:
        """Whether the file is not the one that was validated (saved again since)."""
        try:
            return self.stamp is not None and _stamp(self.source) != self.stamp
        except OSError:
            return True


_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+\d+))?"')


@functools.lru_cache(maxsize=64)
def _merged_ranges(path: Path, stamp: Stamp, part: str) -> dict[int, list[tuple[str, int]]]:
    """A sheet's merged ranges by their first row: (the range, its first column's position).
    Read-only reading does not give them; they follow the cells in the sheet's XML."""
    found: dict[int, list[tuple[str, int]]] = {}
    try:
        with zipfile.ZipFile(path) as book, book.open(part.lstrip("/")) as sheet:
            tail = b""
            while chunk := sheet.read(2**20):
                text = tail + chunk
                cut = text.rfind(b"<")
                for m in _MERGED.finditer(text, 0, cut if cut > 0 else len(text)):
                    column, row, end = m[1].decode(), int(m[2]), m[3]
                    area = f"{column}{row}" + (f":{end.decode()}" if end else "")
                    found.setdefault(row, []).append((area, column_index_from_string(column) - 1))
                tail = text[cut:] if cut > 0 else b""
            for m in _MERGED.finditer(tail):
                column, row, end = m[1].decode(), int(m[2]), m[3]
                area = f"{column}{row}" + (f":{end.decode()}" if end else "")
                found.setdefault(row, []).append((area, column_index_from_string(column) - 1))
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    return found


def _has_formulas(path: Path) -> bool:
    """Whether any sheet of a workbook holds a formula (an ``<f>`` element), read without
    parsing the sheets (once per version of the file)."""
    try:
        return _formulas_in(path, _stamp(path))
    except OSError:
        return False


@functools.lru_cache(maxsize=64)
def _formulas_in(path: Path, stamp: Stamp) -> bool:
    try:
        with zipfile.ZipFile(path) as book:
            for name in book.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with book.open(name) as sheet:
                        tail = b""
                        while chunk := sheet.read(2**20):
                            if re.search(rb"<(?:\w+:)?f[ >/]", tail + chunk):
                                return True
                            tail = chunk[-16:]
    except (OSError, zipfile.BadZipFile):
        return False
    return False


def _trimmed(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _detail(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]


@dataclass
class Dataset:
    path: Path
    tables: list[Table]
    notices: list[Problem]  # files, sheets or columns passed over: said, but not in the way
    problems: list[Problem] = field(default_factory=list)  # with the dataset as a whole
    display: str = ""  # what a problem of the whole dataset names (its path by default)

    def __post_init__(self) -> None:
        self.display = self.display or str(self.path)


def _prepare(table: Table) -> Table:
    sink: list[Problem] = []
    header = next((cells for _, cells in table.records(sink)), [])
    if sink:
        table.unreadable = sink[0]
        return table
    table.headers = header
    table.width = len(_trimmed(header))
    table.columns = resolve_headers(table.spec, header)
    for i, h in enumerate(header):
        text = h.strip().lstrip("\ufeff")
        if i in table.columns or not text:
            continue
        try:
            check_text(text)
        except BadValue as e:
            table.header_problems.append(
                problem(table.display, 1, letter(i), text, e.code, e.hint, params=e.params)
            )
            continue
        claimed = _claimed_by(table, text)
        if claimed is not None:
            first = header[next(j for j, n in table.columns.items() if n == claimed)].strip()
            table.header_problems.append(
                problem(
                    table.display,
                    1,
                    letter(i),
                    text,
                    "duplicate_column",
                    "keep_one_column",
                    name=claimed,
                    first=first,
                )
            )
        else:
            table.extras[i] = text
    return table


def _claimed_by(table: Table, header: str) -> str | None:
    """The column this header names that an earlier header already claimed, if any."""
    for column in table.spec.columns:
        named = header == column.name or header in ALIASES[column.name]
        if named and column.name in table.columns.values():
            return column.name
    return None


def check_dataset_path(path: Path) -> None:
    """Raise BadRequest unless ``path`` is a folder or an .xlsx file (what it holds is read
    by ``open_dataset``)."""
    if path.is_dir() or (path.suffix.lower() == ".xlsx" and path.is_file()):
        return
    if not path.exists():
        raise BadRequest(f"{path}: no such file or folder")
    raise BadRequest(f"{path}: a dataset is a folder of CSV files or one .xlsx workbook")


def open_dataset(path: Path, display: str | None = None, keep_extra: bool = False) -> Dataset:
    """Find the dataset's tables, in the order the loader processes them. A problem of the
    dataset as a whole names it ``display`` (its path by default: an upload names it as the
    uploader did, not by where the server keeps it)."""
    path = Path(path)
    display = display or str(path)
    found: dict[str, list[Table]] = {}
    notices: list[Problem] = []
    problems: list[Problem] = []
    if path.is_dir():
        try:
            entries = sorted(path.iterdir())
        except OSError as e:
            raise BadRequest(f"{path}: the folder cannot be read ({e.strerror})") from None
        for file in entries:
            if file.suffix.lower() != ".csv" or not file.is_file():
                continue
            name = FILE_ALIASES.get(file.stem.strip())
            if name is None:
                notices.append(problem(file.name, 0, "", "", "passed_over_file"))
                continue
            table = Table(FILES_BY_NAME[name], file.name, file, stamp=_stamp(file))
            try:
                table.encoding = detect_encoding(file)
            except EncodingProblem as e:
                table.unreadable = problem(
                    file.name, e.line, "", "", e.code, e.hint, params=e.params
                )
            except OSError as e:
                table.unreadable = problem(file.name, 0, "", "", "unreadable", detail=_detail(e))
            found.setdefault(name, []).append(table)
    else:
        check_dataset_path(path)
        _sheets(path, found, notices, problems)
    tables = []
    for spec in FILES:
        sources = found.get(spec.name, [])
        if len(sources) > 1:
            first, second = sources[0].display, sources[1].display
            problems.append(
                problem(
                    second,
                    0,
                    "",
                    "",
                    "two_sources",
                    "keep_one_source",
                    table=spec.name,
                    first=first,
                    second=second,
                )
            )
        elif sources:
            tables.append(_prepare(sources[0]))
    if not found and not problems:
        problems.append(problem(display, 0, "", "", "no_files", "add_regions"))
    said = "kept_column" if keep_extra else "unknown_column"
    for table in tables:
        for header in table.extras.values():
            notices.append(problem(table.display, 0, "", "", said, heading=shown(header)))
    return Dataset(path, tables, notices, problems, display)


def _sheets(
    path: Path, found: dict[str, list[Table]], notices: list[Problem], problems: list[Problem]
) -> None:
    """The workbook's sheets of the import format. A hidden sheet is read only when it is the
    only source of its table (a notice says so); beside a visible one it is passed over."""
    try:
        workbook = load_workbook(path, read_only=True)
        sheets = [(name, workbook[name].sheet_state != "visible") for name in workbook.sheetnames]
        workbook.close()
    except Exception as e:  # not a zip, no workbook part, broken XML: all one to a user
        problems.append(problem(path.name, 0, "", "", "not_xlsx", detail=_detail(e)))
        return
    stamp = _stamp(path)
    hidden: dict[str, list[Table]] = {}
    for sheet, is_hidden in sheets:
        name = FILE_ALIASES.get(sheet.strip())
        if name is None and sheet in TEMPLATE_SHEETS:
            continue
        if name is None:
            notices.append(problem(f"{path.name}[{sheet}]", 0, "", "", "passed_over_sheet"))
            continue
        table = Table(FILES_BY_NAME[name], f"{path.name}[{sheet}]", path, sheet=sheet, stamp=stamp)
        (hidden if is_hidden else found).setdefault(name, []).append(table)
    for name, tables in hidden.items():
        if name in found:
            for table in tables:
                visible = found[name][0].display
                notices.append(
                    problem(table.display, 0, "", "", "hidden_passed_over", read=visible)
                )
            continue
        for table in tables:
            notices.append(problem(table.display, 0, "", "", "hidden_read", table=name))
        found[name] = tables


def same_files(dataset: Dataset) -> bool:
    """Whether every file of the dataset is still the one that was opened."""
    return not any(table.changed() for table in dataset.tables)
