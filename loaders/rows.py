"""Turning one row of a table into what it means for the graph.

The same function serves validation (which reads the problems and the references) and
writing (which reads the node, its properties and its links), so a value is parsed by one rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from orgnet.graph.model import PARENT_OF, REGION_LABELS, Label, Rel

from .contract import Column, FileSpec
from .values import BadValue, parse_value


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, at a file, row and column."""

    file: str
    row: int
    column: str
    value: str
    reason: str
    suggestion: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.row}:{self.column}: {self.value or '(empty)'} — {self.reason}"
        return f"{text} ({self.suggestion})" if self.suggestion else text


class Reference(NamedTuple):
    column: str
    value: str
    expected: tuple[Label, ...]
    rel: Rel | None  # the relationship it becomes; None for the ends of an edge file


@dataclass(slots=True)
class ParsedRow:
    number: int
    label: Label | None = None
    id: str | None = None
    props: dict[str, object] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_row(
    spec: FileSpec,
    display: str,
    number: int,
    cells: dict[str, str],
    extra: dict[str, str],
    keep_extra: bool = False,
) -> ParsedRow:
    row = ParsedRow(number)

    def problem(column: str, value: str, reason: str, suggestion: str = "") -> None:
        row.problems.append(Problem(display, number, column, value, reason, suggestion))

    for column in spec.columns:
        if column.name not in cells:
            continue
        text = cells[column.name]
        if not text:
            if column.required:
                problem(column.name, text, "missing required value")
            elif column.prop is not None:
                row.props[column.name] = None  # an emptied cell clears the property
            continue
        if column.prop is not None:
            try:
                row.props[column.name] = parse_value(text, column.prop)
            except BadValue as e:
                problem(column.name, text, e.reason, e.suggestion)
        elif column.refs:
            _add_references(row, column, text)

    if spec.name == "regions":
        _region_rules(row, display, cells)
    elif spec.label is not None:
        row.label = spec.label
    if spec.label is not None or spec.name == "regions":
        identifier = row.props.pop("id", None)
        row.id = str(identifier) if identifier else None
    if spec.name == "persons":
        _person_rules(row, display, cells)
    if keep_extra:
        for header, text in extra.items():
            row.props.setdefault(header, text)
    return row


def _add_references(row: ParsedRow, column: Column, text: str) -> None:
    values = [v.strip() for v in text.replace("；", ";").split(";")] if column.many else [text]
    for value in values:
        if value:
            row.references.append(Reference(column.name, value, column.refs, column.rel))


def _region_rules(row: ParsedRow, display: str, cells: dict[str, str]) -> None:
    kind = row.props.pop("kind", None)
    if kind is None:
        return
    row.label = REGION_LABELS[str(kind)]
    parent_label = PARENT_OF.get(row.label)
    has_parent = bool(cells.get("parent_id"))
    if parent_label is None:
        if has_parent:
            row.problems.append(
                Problem(
                    display,
                    row.number,
                    "parent_id",
                    cells["parent_id"],
                    "a district has no parent",
                    "leave parent_id empty",
                )
            )
            row.references.clear()
        return
    if not has_parent:
        row.problems.append(
            Problem(
                display,
                row.number,
                "parent_id",
                "",
                "missing required value",
                f"a {row.label.value.lower()} is part of a {parent_label.value.lower()}",
            )
        )
        return
    # The parent's kind is fixed by the child's: a grid is part of a community, not a street.
    row.references = [
        Reference(r.column, r.value, (parent_label,), r.rel) if r.column == "parent_id" else r
        for r in row.references
    ]


def _person_rules(row: ParsedRow, display: str, cells: dict[str, str]) -> None:
    category = row.props.get("member_category")
    member = row.props.get("party_member")
    if category and member is False:
        row.problems.append(
            Problem(
                display,
                row.number,
                "member_category",
                cells.get("member_category", ""),
                "a non-member has a member category",
                "clear the category, or mark the person as a party member",
            )
        )
    elif category and member is None:
        row.props["party_member"] = True  # a member category says the person is a member
