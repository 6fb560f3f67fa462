"""Parsing of cell values into the model's kinds, with the reasons and suggestions users read.

Every parser takes the text of a cell (already stripped, never empty) and returns the value to
store, or raises ``BadValue`` with a reason and, where one helps, a suggestion.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

from orgnet.graph.model import Kind, Prop, Vocabulary


class BadValue(ValueError):
    def __init__(self, reason: str, suggestion: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.suggestion = suggestion


_DAY_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
_MONTH_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月$"),
)
# A spreadsheet cell holding a datetime arrives as '2023-05-01 00:00:00'.
_SPREADSHEET_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00$")

_TRUE = {"yes", "y", "true", "t", "1", "是", "√", "有"}
_FALSE = {"no", "n", "false", "f", "0", "否", "×", "无"}


def parse_date(text: str) -> str:
    """A date as ISO text: '2023-05-01', or '2023-05' when only the month is known.

    >>> parse_date("2023年5月1日"), parse_date("2023.05")
    ('2023-05-01', '2023-05')
    """
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:  # the ISO form, by far the commonest, without the regular expressions
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    if " " in text or "T" in text:
        text = _SPREADSHEET_DATETIME.sub(r"\1", text)
    for form in _DAY_FORMS:
        m = form.match(text)
        if m:
            year, month, day = (int(g) for g in m.groups())
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError as e:
                raise BadValue(f"not a calendar date ({e})") from e
    for form in _MONTH_FORMS:
        m = form.match(text)
        if m:
            year, month = (int(g) for g in m.groups())
            if not 1 <= month <= 12:
                raise BadValue("month out of range")
            return f"{year:04d}-{month:02d}"
    raise BadValue("unparsable date", "write it as 2023-05-01, 2023/5/1, 2023年5月1日 or 2023-05")


def parse_bool(text: str) -> bool:
    folded = text.casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise BadValue("not a yes/no value", "use 是/否, yes/no, true/false or 1/0")


def parse_int(text: str, prop: Prop) -> int:
    cleaned = text.replace(",", "").replace("，", "")
    if re.fullmatch(r"-?\d+\.0+", cleaned):  # spreadsheets store counts as floats
        cleaned = cleaned.split(".")[0]
    try:
        value = int(cleaned)
    except ValueError as e:
        raise BadValue("not a whole number") from e
    if prop.minimum is not None and value < prop.minimum:
        reason = "negative count" if prop.minimum == 0 else f"below {prop.minimum}"
        raise BadValue(reason)
    if prop.maximum is not None and value > prop.maximum:
        raise BadValue(f"above {prop.maximum}")
    return value


_LOOKUPS: dict[str, dict[str, str]] = {}


def parse_enum(text: str, vocabulary: Vocabulary) -> str:
    lookup = _LOOKUPS.get(vocabulary.name)
    if lookup is None:
        lookup = _LOOKUPS[vocabulary.name] = vocabulary.lookup()
    code = lookup.get(text.casefold())
    if code is not None:
        return code
    raise BadValue(f"unknown {vocabulary.name}", suggest(text, vocabulary))


def suggest(text: str, vocabulary: Vocabulary) -> str:
    """The closest accepted spelling, as 'did you mean …?', or the list of codes."""
    spellings = list(vocabulary.lookup())
    close = difflib.get_close_matches(text.casefold(), spellings, n=1, cutoff=0.5)
    if close:
        code = vocabulary.lookup()[close[0]]
        return f"did you mean {code} ({vocabulary.label(code)})?"
    return "one of " + ", ".join(f"{c.code} {c.label}" for c in vocabulary.choices)


def parse_value(text: str, prop: Prop) -> object:
    if prop.kind is Kind.TEXT:
        return text
    if prop.kind is Kind.INT:
        return parse_int(text, prop)
    if prop.kind is Kind.BOOL:
        return parse_bool(text)
    if prop.kind is Kind.DATE:
        return parse_date(text)
    assert prop.vocabulary is not None
    return parse_enum(text, prop.vocabulary)
