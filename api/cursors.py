"""Page cursors a client cannot forge.

A cursor carries where the next page starts, the day its first page was asked for, which
question and parameters it belongs to, and the graph's version it was given under — and an
HMAC of all four with a secret kept in the API's home (``cursor.key``, readable by its owner
only, made once and shared by every server process). A cursor that was edited, or made by
anyone but this API, is refused (400) before anything in it is believed.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from orgnet.graph.dates import BadValue, as_of_day
from orgnet.graph.errors import BadRequest

_MAC_BYTES = 16
MAX_OFFSET = 10**9
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{22}$"  # a body and its MAC


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorSigner:
    def __init__(self, home: Path) -> None:
        self.path = home / "cursor.key"
        self._secret: bytes | None = None

    @property
    def secret(self) -> bytes:
        if self._secret is None:
            self._secret = _secret(self.path)
        return self._secret

    @staticmethod
    def graph(version: str) -> str:
        """A short token of the graph's version (the version itself is the database's)."""
        return hashlib.sha256(version.encode()).hexdigest()[:16]

    def sign(self, offset: int, day: str, fingerprint: str, version: str) -> str:
        data = json.dumps(
            {"o": offset, "d": day, "f": fingerprint, "v": self.graph(version)},
            separators=(",", ":"),
        ).encode()
        mac = hmac.new(self.secret, data, hashlib.sha256).digest()[:_MAC_BYTES]
        return f"{_b64(data)}.{_b64(mac)}"

    def open(self, cursor: str) -> tuple[int, str, str, str]:
        """(offset, day, fingerprint, graph) of a cursor this API signed; BadRequest else."""
        refused = BadRequest("cursor is not one this API gave out")
        try:
            body, mac = cursor.split(".")
            data, given = _unb64(body), _unb64(mac)
        except (ValueError, TypeError):
            raise refused from None
        wanted = hmac.new(self.secret, data, hashlib.sha256).digest()[:_MAC_BYTES]
        if not hmac.compare_digest(given, wanted):
            raise refused
        try:
            fields = json.loads(data)
            offset, day = int(fields["o"]), str(fields["d"])
            if not 0 <= offset <= MAX_OFFSET or as_of_day(day) != day:
                raise ValueError(offset)
            return offset, day, str(fields["f"]), str(fields["v"])
        except (ValueError, TypeError, KeyError, BadValue):
            raise refused from None


def _secret(path: Path) -> bytes:
    """The home's cursor secret, made on first need. Made whole in a file of its own, then
    linked into place, so that two processes starting at once agree on one secret."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32))
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: theirs
            os.link(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    if len(text) < 64:
        raise BadRequest(f"{path} is not a cursor key (delete it and a new one is made)")
    return bytes.fromhex(text)
