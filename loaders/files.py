"""Reading a dataset: a folder of CSV files or one .xlsx workbook, streamed row by row.

CSV may be UTF-8 (with or without BOM) or GB18030; headers and sheet names may be English or
Chinese. Rows are numbered as a spreadsheet numbers them: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from orgnet.graph.errors import BadRequest

from .contract import FILE_ALIASES, FILES, FILES_BY_NAME, FileSpec, resolve_headers
from .template import TEMPLATE_SHEETS


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' when the file decodes as UTF-8 (BOM or not), else 'gb18030'."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return "gb18030"
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Table:
    """One file of a dataset: where it comes from and how to stream its rows."""

    spec: FileSpec
    display: str  # what problems name: 'persons.csv' or 'data.xlsx[人员]'
    source: Path
    sheet: str | None = None
    encoding: str = "utf-8-sig"
    headers: list[str] = field(default_factory=list)
    columns: dict[int, str] = field(default_factory=dict)  # position → column name
    extras: dict[int, str] = field(default_factory=dict)  # position → unknown header

    def raw_rows(self) -> Iterator[list[str]]:
        """All rows, header included, as lists of stripped strings."""
        if self.sheet is None:
            with open(self.source, encoding=self.encoding, newline="") as f:
                for record in csv.reader(f):
                    yield [cell.strip() for cell in record]
        else:
            workbook = load_workbook(self.source, read_only=True, data_only=True)
            try:
                for values in workbook[self.sheet].iter_rows(values_only=True):
                    yield [_cell_text(v) for v in values]
            finally:
                workbook.close()

    def rows(self) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
        """(row number, known columns, extra columns) for every non-blank data row."""
        rows = self.raw_rows()
        next(rows, None)
        for number, cells in enumerate(rows, start=2):
            if not any(cells):
                continue
            known = {name: cells[i] if i < len(cells) else "" for i, name in self.columns.items()}
            extra = {h: cells[i] for i, h in self.extras.items() if i < len(cells) and cells[i]}
            yield number, known, extra


@dataclass
class Dataset:
    path: Path
    tables: list[Table]
    notices: list[str]  # files or sheets passed over, unknown columns


def _prepare(table: Table) -> Table:
    header = next(table.raw_rows(), [])
    table.headers = header
    table.columns = resolve_headers(table.spec, header)
    table.extras = {
        i: h.strip() for i, h in enumerate(header) if i not in table.columns and h and h.strip()
    }
    return table


def open_dataset(path: Path) -> Dataset:
    """Find the dataset's tables, in the order the loader processes them."""
    path = Path(path)
    found: dict[str, Table] = {}
    notices: list[str] = []
    if path.is_dir():
        for file in sorted(path.iterdir()):
            if file.suffix.lower() != ".csv":
                continue
            name = FILE_ALIASES.get(file.stem.strip())
            if name is None:
                notices.append(f"{file.name}: not a file of the import format; passed over")
                continue
            spec = FILES_BY_NAME[name]
            found[name] = Table(spec, file.name, file, encoding=detect_encoding(file))
    elif path.suffix.lower() == ".xlsx" and path.is_file():
        workbook = load_workbook(path, read_only=True)
        sheets = list(workbook.sheetnames)
        workbook.close()
        for sheet in sheets:
            name = FILE_ALIASES.get(sheet.strip())
            if name is None and sheet in TEMPLATE_SHEETS:
                continue
            if name is None:
                notices.append(
                    f"{path.name}[{sheet}]: not a sheet of the import format; passed over"
                )
                continue
            spec = FILES_BY_NAME[name]
            found[name] = Table(spec, f"{path.name}[{sheet}]", path, sheet=sheet)
    elif not path.exists():
        raise BadRequest(f"{path}: no such file or folder")
    else:
        raise BadRequest(f"{path}: a dataset is a folder of CSV files or one .xlsx workbook")
    tables = [_prepare(found[spec.name]) for spec in FILES if spec.name in found]
    for table in tables:
        for header in table.extras.values():
            notices.append(f"{table.display}: column {header!r} is not in the import format")
    return Dataset(path, tables, notices)
