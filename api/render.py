"""Formatting at the edge: any question's result (a dataclass) as rich tables, JSON, CSV or an
XLSX workbook, with Chinese labels by default or English ones.

A result's list fields of dataclass rows are its tables (sections); every other field is a
figure. JSON keeps codes and English keys (the shape is the result's fields, see
docs/questions.md); tables, CSV and XLSX put codes into words in the chosen language.

The values are the graph's, and a name can hold anything a roster held: so a terminal gets
them literally (no markup, control characters replaced), and a spreadsheet gets text as text —
a name starting with ``=``, ``+``, ``-`` or ``@`` is never a formula (in CSV it is prefixed with
an apostrophe, the usual defence; in a workbook it is a text cell with Excel's quote prefix).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from orgnet.loaders.values import CONTROL
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .labels import column, section, withheld, word

PERCENT = {"org_rate", "work_rate", "share", "seed_share", "below"}
# What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """``text`` without control or invisible format characters (each becomes U+FFFD)."""
    return CONTROL.sub("\ufffd", text)


def _formula_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


@dataclasses.dataclass
class Section:
    key: str
    rows: list[Any]  # dataclass instances

    def columns(self) -> list[str]:
        if not self.rows:
            return []
        return [f.name for f in dataclasses.fields(self.rows[0])]


def split(result: Any, prefix: str = "") -> tuple[list[tuple[str, Any]], list[Section]]:
    """The figures (name, value) and the sections of a result; a nested answer (the report's
    rules, say) contributes its own, under its field's name."""
    figures: list[tuple[str, Any]] = []
    sections: list[Section] = []
    hints = typing.get_type_hints(type(result))
    for f in dataclasses.fields(result):
        key = prefix + f.name
        value: Any = getattr(result, f.name)
        if isinstance(value, list) and _is_table(hints.get(f.name), value):
            sections.append(Section(key, value))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            if hasattr(value, "title"):
                if not prefix:
                    figures.append((key, value.title))
            elif {"id", "label", "name"} <= {g.name for g in dataclasses.fields(value)}:
                named = typing.cast(Any, value)
                figures.append((key, f"{named.name} ({named.id})"))
            else:
                more, nested = split(value, f"{key}.")
                figures += [(k, v) for k, v in more if k.rsplit(".", 1)[-1] != "as_of"]
                sections += nested
        elif not (prefix and f.name == "as_of"):
            figures.append((key, value))
    return figures, sections


def _is_table(hint: Any, value: list) -> bool:
    if value:
        return dataclasses.is_dataclass(value[0])
    args = typing.get_args(hint)
    return not args or dataclasses.is_dataclass(args[0])


def _label(key: str, lang: str) -> str:
    if "." in key:
        head, tail = key.rsplit(".", 1)
        return f"{_label(head, lang)} {column(tail, lang)}"
    return column(key, lang)


def _section(key: str, lang: str) -> str:
    return " ".join(section(part, lang) for part in key.split("."))


def cell(key: str, value: Any, lang: str, *, plain: bool = False) -> str:
    """One value as text: codes in words, booleans as 是/否, rates as percentages. ``plain``
    numbers (for CSV) carry no thousands separators or percent signs."""
    return printable(_cell(key, value, lang, plain=plain))


def _cell(key: str, value: Any, lang: str, *, plain: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if plain and isinstance(value, (int, float)):
        return str(round(value, 6)) if isinstance(value, float) else str(value)
    if isinstance(value, float):
        return f"{value:.1%}" if key.rsplit(".", 1)[-1] in PERCENT else f"{value:,.3f}"
    if isinstance(value, int):
        return f"{value:,}" if key not in ("depth", "hops") else str(value)
    if isinstance(value, dict):
        sep = "、" if lang == "zh" else ", "
        return sep.join(f"{word('type', str(k), lang)} {v}" for k, v in value.items())
    if isinstance(value, list):
        sep = "、" if lang == "zh" else ", "
        if key == "nodes":
            return " — ".join(_item(key, v, lang) for v in value)
        if key == "rels":  # a path's steps, each the relationships joining its two ends
            return sep.join("/".join(word(key, r, lang) for r in step) for step in value)
        return sep.join(_item(key, v, lang) for v in value)
    if dataclasses.is_dataclass(value):
        return _item(key, value, lang)
    return word(key, str(value), lang)


def _item(key: str, value: Any, lang: str) -> str:
    """One item of a list in a cell: a code in words, a row by its own text, and an entity
    the answer withholds (its id null) by its kind, marked as lying outside."""
    if value is None:
        return withheld(lang)
    if not dataclasses.is_dataclass(value):
        return word(key, str(value), lang)
    fields = {f.name for f in dataclasses.fields(value)}
    ids = [getattr(value, f) for f in ("id", "org_id", "person_id") if f in fields]
    if ids and all(i is None for i in ids):
        return withheld(lang, getattr(value, "label", None))
    return str(value)


def _rows(s: Section, lang: str, *, plain: bool = False) -> Iterator[list[str]]:
    for row in s.rows:
        values = [getattr(row, c) for c in s.columns()]
        texts = [cell(c, v, lang, plain=plain) for c, v in zip(s.columns(), values, strict=True)]
        if plain:  # for a spreadsheet: text that would be a formula is kept text
            texts = [
                t if _is_number(v) else _formula_safe(t) for t, v in zip(texts, values, strict=True)
            ]
        yield texts


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def print_tables(result: Any, console: Console, *, title: str, lang: str) -> None:
    figures, sections = split(result)
    head = Table(title=Text(printable(title)), show_header=False)
    head.add_column()
    head.add_column(justify="right")
    for key, value in figures:
        head.add_row(Text(_label(key, lang)), Text(cell(key, value, lang)))
    console.print(head)
    for s in sections:
        table = Table(title=Text(f"{_section(s.key, lang)} ({len(s.rows):,})"))
        for c in s.columns():
            numeric = isinstance(getattr(s.rows[0], c), (int, float)) if s.rows else False
            table.add_column(
                column(c, lang), overflow="fold", justify="right" if numeric else "left"
            )
        for values in _rows(s, lang):
            table.add_row(*(Text(v) for v in values))
        if s.rows:
            console.print(table)
        else:
            console.print(f"{_section(s.key, lang)}: {'无' if lang == 'zh' else 'none'}")


def to_json(result: Any) -> str:
    return json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=2, default=str)


class NoSuchTable(ValueError):
    """A table asked for that the answer does not have, or none asked of several."""


def to_csv(result: Any, *, lang: str, part: str | None = None, choose: bool = False) -> str:
    """The result's first table (or the one named ``part``) as CSV; an answer of figures only
    (the coverage summary) is one row of them. With ``choose``, an answer of several tables
    needs ``part`` (NoSuchTable names them)."""
    figures, sections = split(result)
    if choose and part is None and len(sections) > 1:
        names = ", ".join(s.key for s in sections)
        raise NoSuchTable(f"this answer has {len(sections)} tables ({names})")
    if not sections and part is None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_label(key, lang) for key, _ in figures])
        writer.writerow(
            [
                cell(key, v, lang, plain=True)
                if _is_number(v)
                else _formula_safe(cell(key, v, lang, plain=True))
                for key, v in figures
            ]
        )
        return buffer.getvalue()
    chosen = [s for s in sections if part in (None, s.key)]
    if not chosen:
        names = ", ".join(s.key for s in sections)
        raise NoSuchTable(f"no table {part!r} in this answer (tables: {names})")
    s = chosen[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = s.columns() or _declared_columns(result, s.key)
    writer.writerow([column(c, lang) for c in columns])
    writer.writerows(_rows(s, lang, plain=True))
    return buffer.getvalue()


def _declared_columns(result: Any, key: str) -> list[str]:
    owner = result
    *path, last = key.split(".")
    for part in path:
        owner = getattr(owner, part)
    args = typing.get_args(typing.get_type_hints(type(owner)).get(last))
    if args and dataclasses.is_dataclass(args[0]):
        return [f.name for f in dataclasses.fields(args[0])]
    return []


def write_xlsx(result: Any, path: Path | typing.BinaryIO, *, title: str, lang: str) -> None:
    """A workbook (to a file, or a stream): a summary sheet of the figures, then a sheet per
    table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    figures, sections = split(result)
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "概况" if lang == "zh" else "summary"
    _append(summary, [printable(title)])
    summary["A1"].font = Font(bold=True, size=13)
    for key, value in figures:
        _append(summary, [_label(key, lang), cell(key, value, lang)])
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 40
    used: set[str] = {summary.title}
    for s in sections:
        name = _section(s.key, lang)[:31]
        while name in used:
            name = name[:29] + "_" + str(len(used))
        used.add(name)
        sheet = book.create_sheet(name.replace("/", "、"))
        columns = s.columns() or _declared_columns(result, s.key)
        sheet.append([column(c, lang) for c in columns])
        for c in sheet[1]:
            c.font = Font(bold=True)
        for row in s.rows:
            _append(sheet, [_xlsx_value(c, getattr(row, c), lang) for c in columns])
        for i, c in enumerate(columns, start=1):
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(
                10, min(40, 2 + 2 * len(column(c, lang)))
            )
        sheet.freeze_panes = "A2"
    book.save(path)


def _xlsx_value(key: str, value: Any, lang: str) -> Any:
    """Numbers stay numbers in a workbook (so they sum); everything else as in a table."""
    if _is_number(value):
        return value
    return cell(key, value, lang)


def _append(sheet: Any, values: list[Any]) -> None:
    """A row of a workbook, its text as text cells: openpyxl would make '=…' a formula (and
    '#N/A' an error); a value a spreadsheet reads as a formula also gets the quote prefix, so
    that editing the cell keeps it text."""
    sheet.append(values)
    for target in sheet[sheet.max_row]:
        if isinstance(target.value, str):
            target.data_type = "s"
            if target.value.startswith(FORMULA_START):
                target.quotePrefix = True
