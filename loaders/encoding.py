"""Which encoding a CSV file is in — UTF-8 (with or without a byte-order mark) or GB18030, as a
whole — decided strictly, so that a file is never read as something it is not.

Decoding a file that is neither, or is both in parts, does not fail on its own: GB18030 gives a
character for almost every pair of bytes, so a Big5 file, a UTF-8 file with one line saved
from a GBK program, or UTF-8 garbled by a wrong conversion would all be read, and every name in
them would be mojibake. So:

* a UTF-16 or UTF-32 byte-order mark, or a NUL byte, is refused at once;
* a file that decodes as UTF-8 throughout is UTF-8 — unless a line is UTF-8 Chinese that a
  program once read as GBK and saved again, mojibake that would go in as names;
* a file with a line that is UTF-8 Chinese and a line that is not UTF-8 mixes encodings;
* otherwise every line must decode as GB18030, and the characters must look like Chinese text:
  read as GB18030, Big5 and garbled UTF-8 turn mostly into characters outside the 6,763 of
  GB2312 (and its punctuation), which cover nearly all of modern simplified Chinese — while a
  real roster has at most the odd rare character of a name.

Each refusal names the line and the encoding tried.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

UTF8 = "utf-8-sig"  # reads a file with or without the byte-order mark
GB18030 = "gb18030"

_FOREIGN_MARKS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_CJK = re.compile("[\u3400-\u9fff]")

# Read as GB18030, a file is refused when at least this many of its non-ASCII characters, and
# at least this share of them, are unlikely in Chinese text (measured: Big5 and garbled UTF-8
# read as GB18030 give two thirds or more; a roster a rare name character here and there).
UNLIKELY_AT_LEAST = 3
UNLIKELY_SHARE = 1 / 3
# One line alone is refused when half its characters are unlikely: a line of a real roster is
# one person, whose name has at most one rare character.
LINE_UNLIKELY_SHARE = 1 / 2


@dataclass
class EncodingProblem(Exception):
    """The file cannot be read as UTF-8 or GB18030: at ``line``, a problem code and its hint."""

    line: int
    code: str
    hint: str = "save_as_utf8"
    params: dict[str, object] = field(default_factory=dict)


def _likely_characters() -> str:
    """GB2312's characters and its punctuation (rows A1–A3 and B0–F7 of the code)."""
    rows = [*range(0xA1, 0xA4), *range(0xB0, 0xF8)]
    pairs = bytes(b for row in rows for cell in range(0xA1, 0xFF) for b in (row, cell))
    return "".join(c for c in pairs.decode(GB18030, errors="replace") if c != "\ufffd")


_WIDE = re.compile(r"[^\x00-\x7f]")
_UNLIKELY = re.compile("[^\x00-\x7f" + re.escape(_likely_characters()) + "]")


def _unlikely_share(text: str) -> float:
    if not _UNLIKELY.search(text):  # most Chinese text: none (a province's lines, 4 s less)
        return 0.0
    wide = len(_WIDE.findall(text))
    return len(_UNLIKELY.findall(text)) / wide if wide else 0.0


def _read_as_gbk_once(text: str) -> str | None:
    """The text it was, when ``text`` is UTF-8 Chinese that a program once read as GBK and
    saved again ('鍜屽钩灏忓尯' for '和平小区'); else None.

    Its GBK bytes are then the original UTF-8 — which real Chinese text almost never is — and
    the mojibake is mostly unlikely characters while the original is all GB2312.
    """
    if _unlikely_share(text) < UNLIKELY_SHARE:
        return None
    # The conversion may have lost a byte here and there (an odd one out became '�'): what
    # decodes must be nearly all Chinese, and all of it likely.
    original = text.replace("\ufffd", "").encode(GB18030).decode("utf-8", errors="replace")
    chinese = len(_CJK.findall(original))
    lost = original.count("\ufffd")
    if chinese < 2 or lost * 2 > chinese or _unlikely_share(original.replace("\ufffd", "")) > 0:
        return None
    return original


def _bad_byte(line: bytes, error: UnicodeDecodeError) -> str:
    return f"{line[error.start]:02X}"


def lines(f: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """The lines of a file, numbered as the CSV reader numbers them: a line ends at CRLF, LF
    or CR alike. The file's lines end one way, told by its first line end: CRLF and LF may mix
    (an editor's row appended), but a bare CR in a file of LF lines — or an LF in a file of CR
    lines — is a break inside a row, where the reader would cut it in two (a name split into a
    name and a new person): an EncodingProblem at its line."""
    start = f.tell()
    first = f.readline()
    f.seek(start)
    cr = first.find(b"\r")
    if cr == -1 or cr >= len(first) - 2:  # LF or CRLF lines (or one line): read as they come
        number = 0
        for number, line in enumerate(f, start=1):
            cr = line.find(b"\r")
            if cr != -1 and cr < len(line) - 2:
                raise EncodingProblem(number, "break_inside_row", "one_line")
            yield number, line
        return
    yield from _cr_lines(f)


def _cr_lines(f: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """The lines of a file whose lines end with CR (a classic Mac, some exports)."""
    number, rest = 1, b""
    while chunk := f.read(2**20):
        data = rest + chunk
        if b"\n" in data:
            raise EncodingProblem(number + data[: data.index(b"\n")].count(b"\r"),
                                  "break_inside_row", "one_line")  # fmt: skip
        pieces = data.split(b"\r")
        rest = pieces.pop()
        for piece in pieces:
            yield number, piece + b"\r"
            number += 1
    if rest:
        yield number, rest


def detect_encoding(path: Path) -> str:
    """``UTF8`` or ``GB18030`` for the whole file, or raise EncodingProblem."""
    with open(path, "rb") as f:
        head = f.read(4)
        for mark, name in _FOREIGN_MARKS:
            if head.startswith(mark):
                raise EncodingProblem(1, "wrong_encoding", params={"encoding": name})
        f.seek(0)
        if _plainly_utf8(f):
            return UTF8
        f.seek(0)
        return _by_lines(f, marked=head.startswith(codecs.BOM_UTF8), path=path)


CHUNK = 1 << 20  # bytes read at once by the shortcut (and then up to the end of a line)


def _plainly_utf8(f: BinaryIO) -> bool:
    """True when the file is what `_by_lines` would find UTF-8 with no problem, told a megabyte
    at a time instead of line by line (a province's files: 2.1 s instead of 5.7): no NUL byte,
    no CR but before an LF (so no break inside a row, and lines of LF or CRLF), UTF-8
    throughout, and no line that is UTF-8 Chinese once read as GBK. Only a line with a
    character unlikely in Chinese text can be that (`_read_as_gbk_once`), so only those few are
    judged, as `_by_lines` judges them. False sends the file to `_by_lines`, which names the
    problem and its line, or finds none where this could not be sure."""
    while chunk := f.read(CHUNK):
        chunk += f.readline()  # whole lines: no character and no CRLF cut in two
        if b"\x00" in chunk or chunk.count(b"\r") != chunk.count(b"\r\n"):
            return False
        if chunk.isascii():
            continue
        try:
            text = chunk.decode("utf-8")  # as `_by_lines` reads a line: a mark is a character
        except UnicodeDecodeError:
            return False
        judged = -1  # where the last line judged begins
        for unlikely in _UNLIKELY.finditer(text):
            begins = text.rfind("\n", 0, unlikely.start()) + 1
            if begins == judged:
                continue
            judged = begins
            ends = text.find("\n", unlikely.start())
            line = text[begins:] if ends == -1 else text[begins : ends + 1]
            if _CJK.search(line) and _read_as_gbk_once(line) is not None:
                return False
    return True


def _by_lines(f: BinaryIO, marked: bool, path: Path) -> str:
    """`detect_encoding` line by line, naming the line of the first problem (``marked``: the
    file begins with UTF-8's byte-order mark)."""
    first_bad: tuple[int, str] | None = None  # (line, byte) of the first non-UTF-8 line
    utf8_chinese: int | None = None  # the first line that is UTF-8 and Chinese
    for number, line in lines(f):
        if b"\x00" in line:
            raise EncodingProblem(number, "nul_bytes")
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as e:
            if first_bad is None:
                first_bad = (number, _bad_byte(line, e))
                if marked:
                    raise EncodingProblem(
                        number, "bom_not_utf8", params={"byte": first_bad[1]}
                    ) from None
            if utf8_chinese is not None:
                break
            continue
        if _CJK.search(text):
            repaired = _read_as_gbk_once(text)
            if repaired is not None:
                raise EncodingProblem(
                    number,
                    "utf8_read_as_gbk",
                    "use_the_original",
                    {"sample": text.strip()[:12], "repaired": repaired.strip()[:12]},
                )
            if utf8_chinese is None:
                utf8_chinese = number
                if first_bad is not None:
                    break
    if first_bad is None:
        return UTF8
    if utf8_chinese is not None:
        raise EncodingProblem(
            first_bad[0], "mixed_encoding", params={"byte": first_bad[1], "utf8_line": utf8_chinese}
        )
    _check_gb18030(path)
    return GB18030


def _check_gb18030(path: Path) -> None:
    """Every line of a file that is not UTF-8 reads as GB18030 — and reads as Chinese: a line
    that is mostly unlikely characters (a Big5 line pasted in), or a cell that is UTF-8
    Chinese (one value saved from elsewhere), decodes byte by byte all the same and would go in
    as mojibake; each is refused at its line. So is a file unlikely as a whole."""
    sample: list[str] = []  # the first few unlikely characters
    first_line = unlikely = seen = 0
    odd_line: tuple[int, str] | None = None  # the first line unlikely on its own
    with open(path, "rb") as f:
        for number, line in lines(f):
            if line.isascii():
                continue
            try:
                text = line.decode(GB18030)
            except UnicodeDecodeError as e:
                raise EncodingProblem(
                    number, "not_utf8_or_gb18030", params={"byte": _bad_byte(line, e)}
                ) from None
            wide = len(_WIDE.findall(text))
            seen += wide
            found = _UNLIKELY.findall(text)
            if found:
                if len(found) >= UNLIKELY_AT_LEAST and len(found) >= LINE_UNLIKELY_SHARE * wide:
                    odd_line = odd_line or (number, "".join(found[:8]))
                _no_utf8_cell(number, line)
                unlikely += len(found)
                first_line = first_line or number
                sample += found[: 8 - len(sample)]
    if unlikely >= UNLIKELY_AT_LEAST and unlikely >= UNLIKELY_SHARE * seen:
        raise EncodingProblem(first_line, "unlikely_gb18030", params={"sample": "".join(sample)})
    if odd_line is not None:
        raise EncodingProblem(odd_line[0], "unlikely_gb18030", params={"sample": odd_line[1]})


def _no_utf8_cell(number: int, line: bytes) -> None:
    """Refuse a line of a GB18030 file with a cell that is UTF-8 Chinese. Commas never fall
    inside a character of either encoding, so each cell starts where a character does."""
    for cell in line.split(b","):
        if cell.isascii():
            continue
        try:
            text = cell.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if not _CJK.search(text):
            continue
        read = cell.decode(GB18030, errors="replace")
        if _unlikely_share(read) >= LINE_UNLIKELY_SHARE:
            raise EncodingProblem(
                number, "utf8_in_gb18030", params={"sample": text.strip(' "\r\n')[:12]}
            )
