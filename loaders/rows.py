"""Turning one row of a table into what it means for the graph.

The same function serves validation (which reads the problems and the references) and
writing (which reads the node, its properties and its links), so a value is parsed by one rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from orgnet.graph.model import PARENT_OF, REGION_LABELS, RELATIONSHIPS, Label, Rel

from .contract import ALIASES, Column, FileSpec
from .messages import HINTS, REASONS, words
from .values import (
    BadValue,
    check_text,
    needs_plain,
    parse_value,
    plain,
    plain_id,
    scan_row,
)

# A value shown in a message is cut to this many characters (a runaway field can be 100,000).
SHOWN_VALUE = 60
# What Excel shows in a cell whose formula failed; saved as values (in a workbook, or exported
# to CSV) they are text no roster means.
EXCEL_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")
)  # fmt: skip


def shown(value: str) -> str:
    """A value as a message shows it: control characters made visible, cut when long."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value[: SHOWN_VALUE + 1])
    return text if len(value) <= SHOWN_VALUE else text[:SHOWN_VALUE] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, at a file, row and column.

    ``code`` says what is wrong and ``hint`` what to do, both stable for API clients; the words
    are in ``messages`` in Chinese and English. ``row`` 0 is the file (or dataset) as a whole;
    ``column`` is the column's name in the import format (or a spreadsheet column letter for a
    cell with no column), ``header`` the file's own spelling of it.
    """

    file: str
    row: int
    column: str
    value: str
    code: str
    hint: str = ""
    params: tuple[tuple[str, object], ...] = ()
    header: str = ""

    def reason(self, lang: str = "en") -> str:
        return words(REASONS, self.code, dict(self.params), lang)

    def suggestion(self, lang: str = "en") -> str:
        return words(HINTS, self.hint, dict(self.params), lang) if self.hint else ""

    def column_name(self, lang: str = "en") -> str:
        """The column as the reader knows it: the Chinese header in Chinese, else the English."""
        if lang == "zh":
            if self.header and not self.header.isascii():
                return self.header
            if self.column in ALIASES:
                return ALIASES[self.column][0]
        return self.column or self.header

    def text(self, lang: str = "en") -> str:
        """``file:row:column: value — reason (suggestion)``, one line."""
        place = self.file + (f":{self.row}" if self.row else "")
        if self.column:
            empty = "（空）" if lang == "zh" else "(empty)"
            text = f"{place}:{self.column_name(lang)}: {shown(self.value) or empty} — "
        else:
            text = f"{place}: "
        text += self.reason(lang)
        hint = self.suggestion(lang)
        if hint:
            text += f"（{hint}）" if lang == "zh" else f" ({hint})"
        return text

    def __str__(self) -> str:
        return self.text("en")


def problem(
    file: str,
    row: int,
    column: str,
    value: str,
    code: str,
    hint: str = "",
    header: str = "",
    params: Mapping[str, object] | None = None,
    **more: object,
) -> Problem:
    """A Problem, with its parameters given as a mapping or as keywords."""
    return Problem(
        file, row, column, value, code, hint, (*(params or {}).items(), *more.items()), header
    )


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
    # One-target links this row lets go of: their column is in the file and the cell is empty
    # (a person moved out, left the party, an org without a parent any more).
    cleared: list[Rel] = field(default_factory=list)
    # Properties of this row's links (persons.member_since → MEMBER_OF.since), by type.
    link_props: dict[Rel, dict[str, object]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def parse_row(
    spec: FileSpec,
    display: str,
    number: int,
    cells: dict[str, str],
    extra: dict[str, str],
    keep_extra: bool = False,
    headers: Mapping[str, str] | None = None,
) -> ParsedRow:
    """What one row means: its node, properties and links, or the problems that stop it.

    ``cells`` maps the file's columns (by their import-format names) to their text, ``extra``
    the unknown columns by header; ``headers`` gives the file's own spelling of each column.
    """
    row = ParsedRow(number)
    spelled = headers or {}
    # One search over the whole row finds the rare control character (or an Excel error
    # value, all of which start with '#'); only then cell by cell.
    joined = "".join(cells.values())
    suspect, unplain = scan_row(joined)  # unplain: full-width forms, radicals, not NFC
    errors = "#" in joined
    special = suspect or errors or unplain  # most rows: none of it, one test per cell

    def report(column: str, value: str, code: str, hint: str = "", **params: object) -> None:
        header = spelled.get(column, "")
        row.problems.append(problem(display, number, column, value, code, hint, header, params))

    for column in spec.columns:
        if column.name not in cells:
            continue
        text = cells[column.name]
        if not text:
            if column.required:
                report(column.name, text, "missing_value")
            elif column.link is not None and column.prop is not None:
                row.link_props.setdefault(column.link, {})[column.prop.name] = None
            elif column.prop is not None:
                row.props[column.name] = None  # an emptied cell clears the property
            elif column.rel is not None and RELATIONSHIPS[column.rel].functional:
                row.cleared.append(column.rel)  # and an emptied one-target link, the link
            continue
        if special and errors and text in EXCEL_ERRORS:
            report(column.name, text, "excel_error", "fix_formula")
            continue
        try:
            if special:
                if suspect:
                    check_text(text)
                if unplain and (column.name == "id" or column.refs):
                    # An id is kept as written: one that only looks like another (Ｐ０１ beside
                    # P01) would make a second entity, or name none.
                    meant = plain_id(text)
                    if meant is not None:
                        report(column.name, text, "lookalike_id", "write_as", plain=meant)
                        continue
                elif unplain and needs_plain(text):
                    text = plain(text)
            if column.link is not None and column.prop is not None:
                value = parse_value(text, column.prop)
                row.link_props.setdefault(column.link, {})[column.prop.name] = value
            elif column.prop is not None:
                row.props[column.name] = parse_value(text, column.prop)
            elif column.refs:
                _add_references(row, column, text)
        except BadValue as e:
            report(column.name, text, e.code, e.hint, **e.params)

    since, until = row.props.get("since"), row.props.get("until")
    if isinstance(since, str) and isinstance(until, str) and until <= since[: len(until)]:
        # Never current: a post, contract or pairing that ends when or before it begins.
        report("until", cells["until"], "until_not_after_since", "swap_dates", since=since)
    founded, dissolved = row.props.get("founded"), row.props.get("dissolved")
    if (
        isinstance(founded, str)
        and isinstance(dissolved, str)
        and dissolved <= founded[: len(dissolved)]
    ):
        # An org or committee that ends when or before it begins never counts anywhere.
        report(
            "dissolved",
            cells["dissolved"],
            "dissolved_before_founding",
            "swap_dates",
            founded=founded,
        )
    if spec.name == "party_orgs":
        founded, term_start = row.props.get("founded"), row.props.get("term_start")
        if isinstance(founded, str) and isinstance(term_start, str) and term_start < founded[:7]:
            # A term begins with an election the org held: not before the org was founded.
            report("term_start", cells["term_start"], "term_before_founding", founded=founded)
    if spec.name == "regions":
        _region_rules(row, report, cells)
    elif spec.label is not None:
        row.label = spec.label
    if spec.label is not None or spec.name == "regions":
        identifier = row.props.pop("id", None)
        row.id = str(identifier) if identifier else None
    if spec.name == "persons":
        _person_rules(row, report, cells)
    if keep_extra:
        for header, text in extra.items():
            if not text:
                row.props.setdefault(header, None)  # an emptied cell clears, as any other
                continue
            if text in EXCEL_ERRORS:
                report("", text, "excel_error", "fix_formula")
                continue
            text = plain(text)
            try:
                check_text(text)
            except BadValue as e:
                report("", text, e.code, e.hint, **e.params)
                continue
            row.props.setdefault(header, text)
    return row


Report = Callable[..., None]


def _add_references(row: ParsedRow, column: Column, text: str) -> None:
    values = [v.strip() for v in text.replace("；", ";").split(";")] if column.many else [text]
    for value in values:
        if value:
            row.references.append(Reference(column.name, value, column.refs, column.rel))


def _region_rules(row: ParsedRow, report: Report, cells: dict[str, str]) -> None:
    kind = row.props.pop("kind", None)
    if kind is None:
        return
    row.label = REGION_LABELS[str(kind)]
    parent_label = PARENT_OF.get(row.label)
    has_parent = bool(cells.get("parent_id"))
    if parent_label is None:
        if has_parent:
            report("parent_id", cells["parent_id"], "district_parent", "leave_parent_empty")
            row.references.clear()
        return
    if not has_parent:
        report("parent_id", "", "missing_value", "part_of", label=row.label, parent=parent_label)
        return
    # The parent's kind is fixed by the child's: a grid is part of a community, not a street.
    row.references = [
        Reference(r.column, r.value, (parent_label,), r.rel) if r.column == "parent_id" else r
        for r in row.references
    ]


# The Party Constitution (art. 1): a member joins at eighteen or older.
JOINING_AGE = 18


_MEMBER_OF = Rel.MEMBER_OF  # a module constant: an enum member looked up per row costs


def _person_rules(row: ParsedRow, report: Report, cells: dict[str, str]) -> None:
    joined = row.props.get("joined_party")
    if type(joined) is str:
        born = row.props.get("birth_year")
        if type(born) is int and int(joined[:4]) - born < JOINING_AGE:
            report("joined_party", cells["joined_party"], "joined_too_young", born=born)
        membership = row.link_props.get(_MEMBER_OF) if row.link_props else None
        since = membership.get("since") if membership else None
        if type(since) is str and since[: len(joined)] < joined[: len(since)]:
            # A membership moves into an org (组织关系转入) once there is one to move.
            report(
                "member_since", cells["member_since"], "membership_before_joining", joined=joined
            )
    member = row.props.get("party_member")
    if member is False:
        # A non-member has no category and no party organization: saying otherwise in the same
        # row is a contradiction to settle; leaving them out lets go of any stored ones.
        if row.props.get("member_category"):
            report(
                "member_category",
                cells.get("member_category", ""),
                "non_member_category",
                "clear_category",
            )
        if any(r.rel is Rel.MEMBER_OF for r in row.references):
            report("party_org_id", cells["party_org_id"], "non_member_org", "clear_org")
        row.props["member_category"] = None
        if Rel.MEMBER_OF not in row.cleared:
            row.cleared.append(Rel.MEMBER_OF)
    elif member is None and (
        row.props.get("member_category") or any(r.rel is Rel.MEMBER_OF for r in row.references)
    ):
        row.props["party_member"] = True  # a category or a party org says they are a member
    if row.link_props.get(Rel.MEMBER_OF, {}).get("since") and not any(
        r.rel is Rel.MEMBER_OF for r in row.references
    ):
        report(
            "member_since", cells.get("member_since", ""), "membership_date_without_org", "add_org"
        )


def links_of(
    spec: FileSpec, row: ParsedRow
) -> Iterator[tuple[Rel, str, str | None, dict[str, object]]]:
    """The relationships a parsed row stands for: (type, source id, target id, properties); a
    target of None lets go of the source's one-target link of that type."""
    if spec.edge is not None:
        cells = {r.column: r.value for r in row.references}
        yield spec.edge.rel, cells[spec.edge.source], cells[spec.edge.target], row.props
        return
    assert row.id is not None
    for reference in row.references:
        assert reference.rel is not None
        yield reference.rel, row.id, reference.value, row.link_props.get(reference.rel, {})
    for rel in row.cleared:
        yield rel, row.id, None, {}
