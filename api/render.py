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
import datetime as dt
import io
import json
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from orgnet.loaders.values import CONTROL
from orgnet.queries.disclosure import Name
from orgnet.queries.scope import Scope

from .labels import column, scope_title, section, withheld, word
from .words import catalogue, say

PERCENT = {"org_rate", "work_rate", "share", "seed_share", "below"}
RATES = {"org_rate", "work_rate"}  # null when the area has no estates
# Moments (when a load began and ended), kept with their offset from UTC: shown in this
# machine's time, without the offset nobody at a desk reads.
MOMENTS = {"began", "ended"}
# What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """``text`` without control or invisible format characters (each becomes U+FFFD)."""
    return CONTROL.sub("\ufffd", text)


def _formula_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


_LIST_NAMES: dict[Any, dict[str, str]] = {}


def list_names(cls: Any) -> dict[str, str]:
    """The fields of ``cls`` that hold a list of ids, each with the field holding their names
    (a ``Name`` marker over it): a table shows them together, 新滨社区 (DMD01-S01-C05)."""
    if cls in _LIST_NAMES:
        return _LIST_NAMES[cls]
    found: dict[str, str] = _LIST_NAMES.setdefault(cls, {})
    for name, hint in typing.get_type_hints(cls, include_extras=True).items():
        for marker in getattr(hint, "__metadata__", ()):
            if isinstance(marker, Name) and typing.get_origin(typing.get_args(hint)[0]) is list:
                found[marker.of] = name
    return found


def fields_shown(cls: Any) -> list[str]:
    """The fields of a row type a table shows: a list's names go with its ids."""
    partners = set(list_names(cls).values())
    return [f.name for f in dataclasses.fields(cls) if f.name not in partners]


@dataclasses.dataclass
class Section:
    key: str
    rows: list[Any]  # dataclass instances
    declared: type | None = None  # the row type, when the list is empty

    def columns(self) -> list[str]:
        if self.rows:
            return fields_shown(type(self.rows[0]))
        return fields_shown(self.declared) if self.declared else []

    def values(self, row: Any) -> list[Any]:
        """A row's values for its columns, a list of ids paired with their names."""
        partners = list_names(type(row))
        return [
            Named(getattr(row, c), getattr(row, partners[c])) if c in partners else getattr(row, c)
            for c in self.columns()
        ]


@dataclasses.dataclass(frozen=True)
class Named:
    """Ids with their names, shown together."""

    ids: list[Any]
    names: list[Any]


def split(result: Any, prefix: str = "") -> tuple[list[tuple[str, Any]], list[Section]]:
    """The figures (name, value) and the sections of a result; a nested answer (the report's
    rules, say) contributes its own, under its field's name."""
    figures: list[tuple[str, Any]] = []
    sections: list[Section] = []
    hints = typing.get_type_hints(type(result))
    partners = list_names(type(result))
    hidden = set(partners.values())
    for f in dataclasses.fields(result):
        key = prefix + f.name
        value: Any = getattr(result, f.name)
        if f.name in hidden:
            continue
        if f.name in partners:
            figures.append((key, Named(value, getattr(result, partners[f.name]))))
        elif isinstance(value, list) and _is_table(hints.get(f.name), value):
            args = typing.get_args(hints.get(f.name))
            declared = args[0] if args and dataclasses.is_dataclass(args[0]) else None
            sections.append(Section(key, value, typing.cast(Any, declared)))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            if isinstance(value, Scope):
                if not prefix:
                    figures.append((key, value))
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


def label(key: str, lang: str) -> str:
    """A figure's words; a figure of a nested answer (the report's ``pairing.units.gini``)
    after the words of what it belongs to: 结对 结对单位 基尼系数."""
    *heads, tail = key.split(".")
    words = catalogue(lang)
    said = [words.get(f"columns.{h}") or words.get(f"sections.{h}") or h for h in heads]
    return " ".join([*said, column(tail, lang)])


def _section(key: str, lang: str) -> str:
    return " ".join(section(part, lang) for part in key.split("."))


def cell(key: str, value: Any, lang: str, *, plain: bool = False) -> str:
    """One value as text: codes in words, booleans as 是/否, rates as percentages. ``plain``
    numbers (for CSV) carry no thousands separators or percent signs."""
    return printable(_cell(key, value, lang, plain=plain))


def _cell(key: str, value: Any, lang: str, *, plain: bool = False) -> str:
    if value is None:
        return say("cli.no_rate", lang) if key.rsplit(".", 1)[-1] in RATES else ""
    if isinstance(value, bool):
        return say("cli.yes" if value else "cli.no", lang)
    if isinstance(value, str) and key.rsplit(".", 1)[-1] in MOMENTS:
        return local_time(value)
    if isinstance(value, Scope):
        return scope_title(value, lang)
    if isinstance(value, Named):
        if not value.ids:
            return say("cli.none", lang)
        sep = "、" if lang == "zh" else ", "
        return sep.join(
            withheld(lang) if i is None else f"{n} ({i})" if n else str(i)
            for i, n in zip(value.ids, value.names, strict=False)
        )
    if plain and isinstance(value, (int, float)):
        return str(round(value, 6)) if isinstance(value, float) else str(value)
    if isinstance(value, float):
        return _decimal(key.rsplit(".", 1)[-1], value)
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


def local_time(moment: str) -> str:
    """A moment kept as ISO 8601 with its offset, in this machine's time to the second."""
    try:
        return dt.datetime.fromisoformat(moment).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return moment


# Decimal places a figure is read to: a Gini or CV to three, a ratio per households to one; any
# other figure to what its size needs (betweenness in whole pairs).
PLACES = {"gini": 3, "cv": 3, "gini_before": 3, "gini_after": 3, "gini_with_idle": 3,
          "units_per_10k": 1, "members_per_1k": 1}  # fmt: skip


def _decimal(key: str, value: float) -> str:
    if key in PERCENT:
        return f"{value:.1%}"
    places = PLACES.get(key, 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 3)
    return f"{value:,.{places}f}"


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
    if "role" in fields:  # a post: where, and the post in words
        post = typing.cast(Any, value)
        return f"{post.org}({post.org_id}) {word('role', post.role, lang)}"
    return str(value)


def _rows(s: Section, lang: str, *, plain: bool = False) -> Iterator[list[str]]:
    for row in s.rows:
        values = s.values(row)
        texts = [cell(c, v, lang, plain=plain) for c, v in zip(s.columns(), values, strict=True)]
        if plain:  # for a spreadsheet: text that would be a formula is kept text
            texts = [
                t if is_number(v) else _formula_safe(t) for t, v in zip(texts, values, strict=True)
            ]
        yield texts


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# What a table never breaks across lines: ids, phones, dates and numbers (a clerk copies them).
RIGID = ("id", "phone", "as_of", "since", "until", "term_start", "term_end", "last_until")
# The narrowest a column of text is drawn when the terminal is narrow (five Chinese characters:
# most names of a place whole); below that, the columns on the right are left out and the
# table says so. A heading may wrap down to two characters a line.
TEXT_LEAST = 10
# Tables whose rows are counts by kind (census): their heading says the sum, not the rows.
SUMMED = {"orgs": "orgs", "members": "members", "secretaries": "secretaries",
          "unattached": "members", "patterns": "persons"}  # fmt: skip


def _rigid(column_key: str, values: list[Any]) -> bool:
    return (
        column_key in RIGID
        or column_key.endswith("_id")
        or any(is_number(v) for v in values if v is not None)
    )


def print_tables(result: Any, console: Console, *, title: str, lang: str) -> None:
    """The answer as tables: its figures, then each of its lists. An id, a phone, a date or a
    number never wraps: text columns narrow first, then columns on the right are left out
    (said under the table)."""
    figures, sections = split(result)
    # The title says the scope (and a gap list its kind); the day it is as of follows it.
    as_of = next((v for k, v in figures if k == "as_of"), None)
    heading = printable(title) + (say("cli.as_of", lang, day=as_of) if as_of else "")
    said = [
        (key, value)
        for key, value in figures
        if key not in ("as_of", "scope", "kind", "total")
        and not key.endswith("_total")
        # "why there is none" when there is one, or the error bound of what is exact, says
        # nothing
        and not (
            value is None
            and key.rsplit(".", 1)[-1] in ("reason", "undefined", "epsilon", "delta", "pairs_error")
        )
    ]
    if said:
        head = Table(title=Text(heading), show_header=False)
        head.add_column()
        head.add_column(justify="right")
        for key, value in said:
            head.add_row(Text(label(key, lang)), Text(cell(key, value, lang)))
        console.print(head)
    else:
        console.print(Text(heading))
    for s in sections:
        if not s.rows:
            console.print(Text(f"{_section(s.key, lang)}: {say('cli.none', lang)}"))
            continue
        shown, least = _layout(s, console.width, lang)
        console.print(_table(result, s, shown, least, lang))
        dropped = [c for c in s.columns() if c not in shown]
        if dropped:
            names = ("、" if lang == "zh" else ", ").join(column(c, lang) for c in dropped)
            console.print(Text(say("cli.more_columns", lang, count=len(dropped), columns=names)))


def section_heading(result: Any, s: Section, lang: str) -> str:
    name = _section(s.key, lang)
    total = getattr(result, "total" if s.key == "rows" else f"{s.key}_total", None)
    if isinstance(total, int) and total > len(s.rows):
        return say("cli.shown_of", lang, title=name, total=f"{total:,}", shown=f"{len(s.rows):,}")
    summed = SUMMED.get(s.key.rsplit(".", 1)[-1])
    if summed and s.rows and hasattr(s.rows[0], summed) and not hasattr(s.rows[0], "org_id"):
        count = sum(getattr(r, summed) or 0 for r in s.rows)
        return say("cli.counted", lang, title=name, total=f"{count:,}")
    return say("cli.counted", lang, title=name, total=f"{len(s.rows):,}")


def _layout(s: Section, width: int, lang: str) -> tuple[list[str], dict[str, int]]:
    """The columns that fit ``width`` and the least width of each: a rigid column its widest
    value, a text column TEXT_LEAST (or less, when its values are shorter)."""
    columns = s.columns()
    texts = list(zip(*_rows(s, lang), strict=True))
    least: dict[str, int] = {}
    for c, values in zip(columns, texts, strict=True):
        widest = max((cell_len(v) for v in values), default=0)
        header = max((cell_len(w) for w in column(c, lang).split()), default=0)
        raw = [getattr(r, c) for r in s.rows]
        least[c] = max(widest if _rigid(c, raw) else min(widest, TEXT_LEAST), min(header, 4), 1)
    shown = list(columns)
    # Left out first: the id of something whose name is shown beside it (a gap's community),
    # never the row's own (the first column); then columns from the right.
    spare = [c for c in columns[1:] if c.endswith("_id") and c.removesuffix("_id") in columns]
    order = [*reversed(spare), *reversed([c for c in columns if c not in spare])]
    # Borders: one at each side and one between columns, with a space either side of a value.
    while len(shown) > 2 and sum(least[c] for c in shown) + 3 * len(shown) + 1 > width:
        shown.remove(order.pop(0))
    return shown, least


def _table(result: Any, s: Section, shown: list[str], least: dict[str, int], lang: str) -> Table:
    table = Table(title=Text(section_heading(result, s, lang)))
    for c in shown:
        raw = [getattr(r, c) for r in s.rows]
        rigid = _rigid(c, raw)
        table.add_column(
            column(c, lang),
            justify="right" if any(is_number(v) for v in raw if v is not None) else "left",
            no_wrap=rigid,
            min_width=least[c],
            overflow="ellipsis" if rigid else "fold",
        )
    index = [s.columns().index(c) for c in shown]
    for values in _rows(s, lang):
        table.add_row(*(Text(values[i]) for i in index))
    return table


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
        writer.writerow([label(key, lang) for key, _ in figures])
        writer.writerow(
            [
                cell(key, v, lang, plain=True)
                if is_number(v)
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


def table_keys(result: Any) -> list[str]:
    """The tables of an answer, as --table names them."""
    return [s.key for s in split(result)[1]]


def table_words(key: str, lang: str) -> str:
    """A table of an answer in words: moves → 调整方案."""
    return _section(key, lang)


def write_csv_zip(result: Any, path: Path | typing.BinaryIO, *, lang: str) -> None:
    """Every table of an answer as CSV (UTF-8 with a BOM, as Excel opens it), in one zip; the
    files named by the tables' words (调整方案.csv), an answer of figures only as one file."""
    import zipfile

    keys: list[str | None] = [*table_keys(result)] or [None]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for key in keys:
            name = table_words(key, lang) if key else section("summary", lang)
            text = to_csv(result, lang=lang, part=key)
            book.writestr(f"{name.replace('/', '、')}.csv", text.encode("utf-8-sig"))


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
    table. Numbers are numbers (they sum), rates percentages, days dates; each sheet's header
    frozen and filtered, its columns as wide as what they hold."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    figures, sections = split(result)
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = section("summary", lang)
    _append(summary, [printable(title)])
    summary["A1"].font = Font(bold=True, size=13)
    for key, value in figures:
        if key == "total" or key.endswith("_total"):
            continue
        _append(summary, [label(key, lang), _xlsx_value(key, value, lang)])
        _number_format(summary.cell(summary.max_row, 2), key.rsplit(".", 1)[-1], value)
    _fit(summary, skip_first=True)
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
            values = s.values(row)
            _append(sheet, [_xlsx_value(c, v, lang) for c, v in zip(columns, values, strict=True)])
            for i, (c, v) in enumerate(zip(columns, values, strict=True), start=1):
                _number_format(sheet.cell(sheet.max_row, i), c, v)
        sheet.freeze_panes = "A2"
        if s.rows:
            sheet.auto_filter.ref = sheet.dimensions
        _fit(sheet)
        if s.key.rsplit(".", 1)[-1] == "points" and s.rows:  # a trend: its chart beside it
            _trend_chart(sheet, columns, lang)
    book.save(path)


def _trend_chart(sheet: Any, columns: list[str], lang: str) -> None:
    """Organization and work coverage period by period, as a chart of the workbook's own
    (Excel draws it from the sheet's cells, and redraws it when they are edited)."""
    from openpyxl.chart import LineChart, Reference
    from openpyxl.utils import get_column_letter

    chart = LineChart()
    chart.title = say("titles.trend", lang)
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.height, chart.width = 8, 18
    for key in ("org_rate", "work_rate"):
        at = columns.index(key) + 1
        chart.add_data(Reference(sheet, min_col=at, min_row=1, max_row=sheet.max_row),
                       titles_from_data=True)  # fmt: skip
    day = columns.index("day") + 1
    chart.set_categories(Reference(sheet, min_col=day, min_row=2, max_row=sheet.max_row))
    sheet.add_chart(chart, f"{get_column_letter(len(columns) + 2)}2")


# The figures that are days: a workbook holds them as dates (they sort and filter as dates).
DATE_KEYS = {"as_of", "since", "until", "term_start", "term_end", "last_until", "day"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _xlsx_value(key: str, value: Any, lang: str) -> Any:
    """Numbers stay numbers in a workbook (so they sum), a day a date; everything else as in
    a table. A month alone (2021-05) stays text: it is no day."""
    if is_number(value):
        return value
    if isinstance(value, str) and key.rsplit(".", 1)[-1] in DATE_KEYS and _DAY.match(value):
        return dt.date.fromisoformat(value)
    return cell(key, value, lang)


def _number_format(target: Any, key: str, value: Any) -> None:
    if isinstance(value, str) and key in DATE_KEYS and _DAY.match(value):
        target.number_format = "yyyy-mm-dd"
    elif not is_number(value):
        return
    elif key in PERCENT:
        target.number_format = "0.0%"
    elif isinstance(value, float):
        places = PLACES.get(key, 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 3)
        target.number_format = "#,##0" + ("." + "0" * places if places else "")
    else:
        target.number_format = "#,##0"


def _fit(sheet: Any, *, skip_first: bool = False) -> None:
    """Each column as wide as its widest value (a Chinese character is two), within reason."""
    widths: dict[str, int] = {}
    for row in sheet.iter_rows(min_row=2 if skip_first else 1):
        for target in row:
            if target.value is None:
                continue
            text = target.value.isoformat() if isinstance(target.value, dt.date) else target.value
            shown = f"{text:,}" if is_number(text) else str(text)
            widths[target.column_letter] = max(widths.get(target.column_letter, 0), cell_len(shown))
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = max(8, min(60, width + 2))


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
