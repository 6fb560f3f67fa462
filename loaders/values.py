"""Parsing of cell values into the model's kinds, with the problems users read.

Every parser takes the text of a cell (already stripped, never empty) and returns the value to
store, or raises ``BadValue`` with a problem code, a hint code and their parameters (the words
are in ``messages``). A value that passes here fits the database: integers are within 64 bits
and the property's own range, dates within the years ``graph.dates`` allows, text free of
control characters.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from orgnet.graph import dates
from orgnet.graph.dates import BadValue
from orgnet.graph.model import Kind, Prop, Vocabulary

# The store holds 64-bit integers; a larger number would fail halfway through a load.
INT64 = (-(2**63), 2**63 - 1)


def _invisible() -> str:
    """Every character that shows nothing, or nothing of its own: the controls (Cc), every
    format character (Cf: soft hyphen, zero-width spaces and joiners, direction marks and
    overrides, the Mongolian vowel separator, deprecated format characters, interlinear
    annotations, tag characters, a stray byte-order mark), line and paragraph separators, and
    the marks and letters that draw as nothing — the combining grapheme joiner, variation
    selectors, the braille blank and the Hangul fillers."""
    chars = [
        chr(c)
        for c in range(0x110000)
        if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp") and not 0xD800 <= c <= 0xDFFF
    ]
    chars += ["\u034f", "\u2800", "\u115f", "\u1160", "\u3164", "\uffa0"]
    chars += [chr(c) for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))]
    ranges: list[list[int]] = []
    for c in sorted(ord(ch) for ch in set(chars)):
        if ranges and c == ranges[-1][1] + 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


# Characters no cell may hold: the controls (they corrupt terminals and cannot be written to a
# workbook) and every character that draws nothing, which copy-paste brings in and which makes
# two ids or names that look the same differ. Written out (computing them costs a third of a
# second at every start); a test holds it to _invisible() for the Unicode this Python has.
INVISIBLE = (
    "\x00-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2"
    "\u115f-\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\U000e0100-\U000e01ef"
)
CONTROL = re.compile(f"[{INVISIBLE}]")
# Forms a clerk's input method types for what is meant as the plain one: full-width Latin
# letters and digits (Ａ１), and Kangxi radicals (⼈ for 人); NFC besides (decomposed accents,
# CJK compatibility ideographs). Full-width punctuation is Chinese text's own （，：）: kept.
_WIDE_FORMS = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2f00-\u2fdf]")
# In an id, any full-width form (and the ideographic space) only looks like the plain one.
_WIDE_IN_ID = re.compile("[\uff01-\uff5e\u3000\u2f00-\u2fdf]")


def _nfkc(m: re.Match) -> str:
    return unicodedata.normalize("NFKC", m.group())


def plain(text: str) -> str:
    """``text`` in the one form the graph keeps: NFC, with full-width letters and digits and
    Kangxi radicals as the characters they stand for.

    >>> plain("Ａ栋１单元（东）"), plain("⼈民路"), plain("e\u0301")
    ('A栋1单元（东）', '人民路', 'é')
    """
    if _WIDE_FORMS.search(text):
        text = _WIDE_FORMS.sub(_nfkc, text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def needs_plain(text: str) -> bool:
    """Whether ``text`` is not yet in the form the graph keeps (one search, one C call)."""
    return _WIDE_FORMS.search(text) is not None or not unicodedata.is_normalized("NFC", text)


# What a row must hold for either rule to apply beyond what str.isprintable() finds (the
# controls and format characters): the invisible marks and letters Unicode calls printable,
# full-width forms, the ideographic space and Kangxi radicals.
_ODD = re.compile(
    "[\u034f\u115f\u1160\u2800\u3164\uffa0\ufe00-\ufe0f\uff01-\uff5e\u3000\u2f00-\u2fdf"
    "\U000e0100-\U000e01ef]"
)


def scan_row(text: str) -> tuple[bool, bool]:
    """For a whole row (its cells joined): whether a cell may hold a character no cell may
    hold (``check_text`` cell by cell), and whether one may need ``plain`` or ``plain_id``.
    Most rows — ASCII, or Chinese in NFC without full-width forms — are ruled out by a few
    C calls.

    >>> scan_row("P1,张伟"), scan_row("P1,张\u200b伟"), scan_row("Ｐ１,张伟")
    ((False, False), (True, False), (False, True))
    """
    if text.isascii():
        return (not text.isprintable() and CONTROL.search(text) is not None), False
    odd = _ODD.search(text) is not None
    suspect = (odd or not text.isprintable()) and CONTROL.search(text) is not None
    return suspect, odd or not unicodedata.is_normalized("NFC", text)


def plain_id(text: str) -> str | None:
    """The plain form of an id that only looks like it (``Ｐ－０１`` for ``P-01``), or None for
    an id that is plain already.

    >>> plain_id("Ｐ－０１"), plain_id("P-01")
    ('P-01', None)
    """
    if _WIDE_IN_ID.search(text) is None and unicodedata.is_normalized("NFC", text):
        return None
    return unicodedata.normalize("NFC", _WIDE_IN_ID.sub(_nfkc, text))


def check_text(text: str) -> None:
    """Raise BadValue when ``text`` holds a control or invisible format character."""
    found = CONTROL.search(text)
    if found is None:
        return
    char = found.group()
    if char in "\r\n":
        raise BadValue("line_break", "one_line")
    raise BadValue("control_character", "remove_control", char=f"U+{ord(char):04X}")


_TRUE = {"yes", "y", "true", "t", "1", "是", "√", "有"}
_FALSE = {"no", "n", "false", "f", "0", "否", "×", "无"}


def parse_date(text: str) -> str:
    """A date as ISO text: '2023-05-01', or '2023-05' when only the month is known.

    >>> parse_date("2023年5月1日"), parse_date("2023.05")
    ('2023-05-01', '2023-05')
    """
    return dates.parse_date(text)


def parse_bool(text: str) -> bool:
    folded = text.casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise BadValue("not_boolean", "bool_forms")


_INTEGER = re.compile(r"-?\d+")


def _number(n: int) -> str:
    return f"{n:,}" if abs(n) >= 10_000 else str(n)  # a year stays 1900


def parse_int(text: str, prop: Prop) -> int:
    if text.isdigit() and text.isascii() and len(text) < 19:  # the commonest form: plain digits
        value = int(text)
    else:
        cleaned = text.replace(",", "").replace("，", "")
        if re.fullmatch(r"-?\d+\.0+", cleaned):  # spreadsheets store counts as floats
            cleaned = cleaned.split(".")[0]
        # int() would also take '١٢' (other scripts' digits), '1_000' and ' 12 '; a roster
        # means plain digits. The length check keeps a runaway number from costing quadratic
        # time.
        if len(cleaned) > 30 or not _INTEGER.fullmatch(cleaned) or not cleaned.isascii():
            raise BadValue("not_integer")
        value = int(cleaned)
    low = INT64[0] if prop.minimum is None else prop.minimum
    high = INT64[1] if prop.maximum is None else prop.maximum
    if value < low:
        if low == 0:
            raise BadValue("negative_count")
        raise BadValue("below_minimum", minimum=_number(low))
    if value > high:
        raise BadValue("above_maximum", maximum=_number(high))
    return value


_LOOKUPS: dict[str, dict[str, str]] = {}


def parse_enum(text: str, vocabulary: Vocabulary) -> str:
    lookup = _LOOKUPS.get(vocabulary.name)
    if lookup is None:
        lookup = _LOOKUPS[vocabulary.name] = vocabulary.lookup()
    code = lookup.get(text.casefold())
    if code is not None:
        return code
    close = difflib.get_close_matches(text.casefold(), list(lookup), n=1, cutoff=0.5)
    if close:
        code = lookup[close[0]]
        raise BadValue(
            "unknown_enum",
            "did_you_mean",
            vocabulary=vocabulary.name,
            choice=code,
            name=vocabulary.label(code),
        )
    choices = ", ".join(f"{c.code} {c.label}" for c in vocabulary.choices)
    raise BadValue("unknown_enum", "one_of", vocabulary=vocabulary.name, choices=choices)


# Mainland numbers, with the separators people type. Mobiles: 1[3-9] and nine digits
# (13800000001, 138 0000 0001, +86 138-0000-0001). Landlines: an area code, then seven or eight
# digits not starting with 0 or 1 (0351-6021234, (010)62751234, 010 62751234 转 123); the area
# code is three digits for 010 and 02x (the largest cities) and four for every other (0351),
# so the digits split one way only. Also a local number without its area code, and 400 or
# 800 service lines.
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE]\+?\d+$")
_COUNTRY = re.compile(r"^(?:\+\s*86|0086)[\s\-]*")
_EXTENSION = re.compile(r"\s*(?:转|ext\.?|x|#)\s*")
_GROUPS = re.compile(r"[\s\-()（）]+")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LOCAL = re.compile(r"^[2-9]\d{6,7}$")
_SERVICE = re.compile(r"^([48]00)(\d{3})(\d{4})$")


def _landline(digits: str) -> str | None:
    if len(digits) < 10 or digits[0] != "0":
        return None
    area = digits[:3] if digits[1] in "12" else digits[:4]
    number = digits[len(area) :]
    return f"{area}-{number}" if _LOCAL.match(number) else None


def parse_phone(text: str) -> str:
    """A phone number in one normal form: '13800000001', '0351-6021234' (with '-12' for an
    extension), a local '6021234', or '400-123-4567'.

    >>> parse_phone("+86 138-0000-0001"), parse_phone("(0351)6021234 转 12")
    ('13800000001', '0351-6021234-12')
    """
    if len(text) == 11 and text.isdigit() and text.isascii() and _MOBILE.match(text):
        return text  # the commonest form, as it is
    if _SCIENTIFIC.match(text):
        raise BadValue("phone_scientific", "phone_as_text", number=text)
    # NFKC turns the full-width digits of a Chinese input method into ASCII ones.
    plain = unicodedata.normalize("NFKC", text).casefold().strip()
    main, *extensions = _EXTENSION.split(_COUNTRY.sub("", plain))
    groups = [g for g in _GROUPS.split(main) if g]
    if len(extensions) > 1 or not groups or not all(g.isdigit() and g.isascii() for g in groups):
        raise BadValue("bad_phone", "phone_forms")
    extension = extensions[0] if extensions else None
    digits = "".join(groups)
    # 0351-6021234-12: a last group that only fits as an extension is one.
    last_is_extension = len(groups) > 2 and _landline("".join(groups[:-1])) is not None
    if extension is None and last_is_extension and _landline(digits) is None:
        digits, extension = "".join(groups[:-1]), groups[-1]
    if extension is not None and not re.fullmatch(r"\d{1,6}", extension):
        raise BadValue("bad_phone", "phone_forms")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    found: str | None = None
    if _MOBILE.match(digits):
        found = digits if extension is None else None
    elif landline := _landline(digits):
        found = landline + (f"-{extension}" if extension else "")
    elif _LOCAL.match(digits):
        found = digits + (f"-{extension}" if extension else "")
    elif (service := _SERVICE.match(digits)) and extension is None:
        found = "-".join(service.groups())
    if found is None:
        raise BadValue("bad_phone", "phone_forms")
    return found


def parse_value(text: str, prop: Prop) -> object:
    if prop.kind is Kind.TEXT:
        return text
    if prop.kind is Kind.INT:
        return parse_int(text, prop)
    if prop.kind is Kind.BOOL:
        return parse_bool(text)
    if prop.kind is Kind.DATE:
        return dates.parse_date(text)
    if prop.kind is Kind.PHONE:
        return parse_phone(text)
    assert prop.vocabulary is not None
    return parse_enum(text, prop.vocabulary)
