"""An answer as the console shows it: its figures, and each of its tables sortable and paged —
the same split, columns, words and cells as the command line's tables and the report
(``render``), so that a page and a download never disagree.

A table is sorted by the raw values of a column (numbers as numbers, days as days, empty
last), then cut to its page; the links that sort and page a table keep every other parameter
of the page. An id of something the console has a page for links to it.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from typing import Any

from orgnet.queries.disclosure import Name

from .. import render
from ..labels import column
from .pages import link

PAGE_ROWS = 50
# Columns whose value is the id of an entity with a page of its own.
LINKED = ("id", "estate_id", "building_id", "grid_id", "community_id", "street_id", "org_id",
          "unit_id", "firm_id", "person_id", "committee_id", "parent_id")  # fmt: skip


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    id: str | None = None  # the id of the entity a name stands for


@dataclass(frozen=True)
class Column:
    key: str
    words: str
    numeric: bool
    sort_href: str
    sorted: str | None  # "asc", "desc" or None


@dataclass(frozen=True)
class Table:
    key: str
    heading: str
    columns: list[Column]
    rows: list[list[Cell]]
    total: int
    page: int
    pages: int
    page_hrefs: list[tuple[int, str]]
    download_csv: str


@dataclass(frozen=True)
class Figure:
    key: str
    words: str
    text: str


def figures(result: Any, lang: str) -> list[Figure]:
    found, _ = render.split(result)
    return [
        Figure(key, render.label(key, lang), render.cell(key, value, lang))
        for key, value in found
        if key not in ("as_of", "scope", "kind", "total")
        and not key.endswith("_total")
        and not (value is None and key.rsplit(".", 1)[-1] in ("reason", "undefined"))
    ]


_PAIRS: dict[Any, dict[str, str]] = {}


def named_ids(cls: Any) -> dict[str, str]:
    """The fields of a row type holding one id whose name another field holds (a ``Name``
    marker over it): {name field: id field}. A page shows the name, linked by its id."""
    if cls not in _PAIRS:
        found: dict[str, str] = {}
        for name, hint in typing.get_type_hints(cls, include_extras=True).items():
            for marker in getattr(hint, "__metadata__", ()):
                if (
                    isinstance(marker, Name)
                    and typing.get_origin(typing.get_args(hint)[0]) is not list
                ):
                    found[name] = marker.of
        _PAIRS[cls] = found
    return _PAIRS[cls]


def tables(
    result: Any,
    lang: str,
    *,
    path: str,
    params: dict[str, Any],
    download: str,
    entity_links: bool,
) -> list[Table]:
    """Every table of ``result`` sorted and cut as ``params`` say (``s.KEY``: a column, ``-``
    before it for descending; ``p.KEY``: the page)."""
    _, sections = render.split(result)
    drawn = []
    for s in sections:
        all_columns = s.columns()
        pairs = named_ids(type(s.rows[0])) if s.rows else {}
        pairs = {n: i for n, i in pairs.items() if n in all_columns and i in all_columns}
        hidden = set(pairs.values())
        columns = [c for c in all_columns if c not in hidden]
        order = str(params.get(f"s.{s.key}") or "")
        by, descending = order.removeprefix("-"), order.startswith("-")
        rows = list(s.rows)
        if by in columns:
            rows = _sorted(rows, s, all_columns.index(by), descending)
        pages = max(1, -(-len(rows) // PAGE_ROWS))
        try:
            page = min(max(1, int(params.get(f"p.{s.key}") or 1)), pages)
        except ValueError:
            page = 1
        shown = rows[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
        numeric = [
            any(render.is_number(getattr(r, c)) for r in s.rows if getattr(r, c) is not None)
            for c in columns
        ]
        header = []
        for c, is_numeric in zip(columns, numeric, strict=True):
            state = ("desc" if descending else "asc") if by == c else None
            flip = f"-{c}" if state == "asc" else c
            href = link(path, **{**params, f"s.{s.key}": flip, f"p.{s.key}": None})
            header.append(Column(c, column(c, lang), is_numeric, href, state))
        body = []
        for row in shown:
            values = dict(zip(all_columns, s.values(row), strict=True))
            cells = []
            for c in columns:
                v = values[c]
                if c in pairs:
                    id = values[pairs[c]]
                    # No name: a row without one (a street's row has no community), or one
                    # withheld (shown blank, as every table shows it); else its id.
                    text = render.cell(c, v, lang) or ("" if id is None else str(id))
                    link_to = f"/entities/{id}" if entity_links and id else None
                    cells.append(Cell(text, link_to, str(id) if id else None))
                else:
                    link_to = f"/entities/{v}" if entity_links and c in LINKED and v else None
                    cells.append(Cell(render.cell(c, v, lang), link_to))
            body.append(cells)
        drawn.append(
            Table(
                key=s.key,
                heading=render.section_heading(result, s, lang),
                columns=header,
                rows=body,
                total=len(rows),
                page=page,
                pages=pages,
                page_hrefs=[
                    (n, link(path, **{**params, f"p.{s.key}": n}))
                    for n in _page_numbers(page, pages)
                ],
                download_csv=link(download, **{**_asked(params), "format": "csv", "table": s.key})
                if download
                else "",
            )
        )
    return drawn


def _asked(params: dict[str, Any]) -> dict[str, Any]:
    """The question's own parameters, without the page's sorting and paging."""
    return {k: v for k, v in params.items() if not k.startswith(("s.", "p."))}


def _page_numbers(page: int, pages: int) -> list[int]:
    """The pages a pager offers: the first, the last, and two either side of this one."""
    near = set(range(max(1, page - 2), min(pages, page + 2) + 1))
    return sorted({1, pages} | near)


def _sorted(rows: list[Any], s: render.Section, index: int, descending: bool) -> list[Any]:
    def key(row: Any) -> tuple:
        value = s.values(row)[index]
        if isinstance(value, render.Named):
            value = "、".join(str(n or i) for i, n in zip(value.ids, value.names, strict=False))
        elif isinstance(value, (list, dict)) or dataclasses.is_dataclass(value):
            value = str(value)
        if value is None:
            return (1, 0, "")
        if isinstance(value, bool):
            return (0, 0, int(value))
        if isinstance(value, (int, float)):
            return (0, 0, value)
        return (0, 1, str(value))

    present = [r for r in rows if key(r)[0] == 0]
    absent = [r for r in rows if key(r)[0] == 1]
    # Numbers before text when a column holds both; empty last either way.
    return sorted(present, key=key, reverse=descending) + absent
