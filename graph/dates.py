"""Dates as rosters write them, and as the graph keeps them.

The graph stores a date as ISO text — '2023-05-01', or '2023-05' when only the month is known —
so that dates compare as strings in Cypher. One grammar reads every form a clerk types, for the
import (``loaders.values``) and for ``--as-of`` alike.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

# Dates a roster can mean: a founding, a joining, the start or end of a post.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
EXAMPLES = ("2023-05-01", "2023/5/1", "2023年5月1日", "2023-05")
FORMS = f"{', '.join(EXAMPLES[:-1])} or {EXAMPLES[-1]}"  # said in English; the edge says its own


class BadValue(ValueError):
    """A value that is not what its column holds: a problem code and a hint code (their words
    are in ``loaders.messages``), with their parameters. Raised by every parser of values."""

    def __init__(self, code: str, hint: str = "", **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.hint = hint
        self.params = params


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


def _year_in_range(year: int) -> None:
    if not EARLIEST.year <= year <= LATEST.year:
        raise BadValue(
            "date_out_of_range", earliest=EARLIEST.isoformat(), latest=LATEST.isoformat()
        )


def parse_date(text: str) -> str:
    """A date as ISO text: '2023-05-01', or '2023-05' when only the month is known.

    >>> parse_date("2023年5月1日"), parse_date("2023.05")
    ('2023-05-01', '2023-05')
    """
    text = text.strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:  # the ISO form, by far the commonest, without the regular expressions
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if EARLIEST <= day <= LATEST:
                return text
            _year_in_range(day.year)
    if " " in text or "T" in text:
        text = _SPREADSHEET_DATETIME.sub(r"\1", text)
    for form in _DAY_FORMS:
        m = form.match(text)
        if m:
            year, month, day_of_month = (int(g) for g in m.groups())
            _year_in_range(year)
            try:
                return dt.date(year, month, day_of_month).isoformat()
            except ValueError as e:
                raise BadValue("not_calendar_date") from e
    for form in _MONTH_FORMS:
        m = form.match(text)
        if m:
            year, month = (int(g) for g in m.groups())
            _year_in_range(year)
            if not 1 <= month <= 12:
                raise BadValue("month_out_of_range")
            return f"{year:04d}-{month:02d}"
    raise BadValue("unparsable_date", "date_forms")


def as_of_day(text: str) -> str:
    """A date to ask a question at, as 'YYYY-MM-DD'. A month means its last day: 'as of May
    2023' counts what was current by the end of May.

    >>> as_of_day("2024年2月"), as_of_day("2023/5/1")
    ('2024-02-29', '2023-05-01')
    """
    day = parse_date(text)
    if len(day) == 7:
        year, month = int(day[:4]), int(day[5:])
        return f"{day}-{calendar.monthrange(year, month)[1]:02d}"
    return day
