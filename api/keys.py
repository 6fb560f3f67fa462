"""API keys: who may ask the HTTP API what, and about where.

A key is ``on_<id>_<secret>``: the id names it (in the audit log, in ``orgnet keys list`` and
``revoke``), the secret proves it. Only the secret's SHA-256 is kept — the secret is 32 random
bytes, so a fast hash is enough and a stolen key file opens nothing. The keys live in the home
(``keys.json``, readable by its owner only), apart from the graph: a re-import or a wiped
database never loses them, and a revocation takes effect on the next request.

A key is a ``Caller`` (``access``): a role, a jurisdiction and the personal-data right, the
same grant a console user has.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from orgnet.graph.errors import BadRequest, KeysUnavailable, NotFound

from .access import ALL, ROLES, Caller, check_role

__all__ = ["ALL", "ROLES", "Key", "Keys"]
_TOKEN = re.compile(r"^on_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_NAME = re.compile(r"^[\w.\-]{1,64}$")


@dataclass(frozen=True, kw_only=True)
class Key(Caller):
    created: str
    revoked: str | None
    digest: str  # sha256 of the secret, hex

    kind = "key"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


class Keys:
    """The keys of one home."""

    def __init__(self, home: Path) -> None:
        self.path = home / "keys.json"
        self._lock_path = home / "keys.lock"
        self._cache: tuple[tuple[int, int], dict[str, Key]] | None = None
        self._cache_lock = threading.Lock()

    # -- reading ---------------------------------------------------------------------------

    def all(self) -> list[Key]:
        return sorted(self._read().values(), key=lambda k: (k.created, k.id))

    def verify(self, token: str | None) -> Key | None:
        """The live key this token is, or None (no token, not a key, unknown, wrong secret,
        revoked)."""
        if not token:
            return None
        m = _TOKEN.match(token.strip())
        if not m:
            return None
        key = self._read().get(m[1])
        if key is None or key.revoked:
            return None
        if not hmac.compare_digest(key.digest, _digest(m[2])):
            return None
        return key

    def _read(self) -> dict[str, Key]:
        """The keys, read again only when the file changed (a revocation made by
        ``orgnet keys revoke`` in another process counts from the next request)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._cache_lock:
            if self._cache is not None and self._cache[0] == stamp:
                return self._cache[1]
            keys = self._load()
            self._cache = (stamp, keys)
            return keys

    def _load(self) -> dict[str, Key]:
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as e:
            raise KeysUnavailable(f"{self.path} cannot be read as keys: {e}") from None
        try:
            return {row["id"]: Key(**row) for row in rows}
        except (TypeError, KeyError) as e:
            raise KeysUnavailable(f"{self.path} cannot be read as keys: {e}") from None

    # -- writing ---------------------------------------------------------------------------

    def create(
        self, *, role: str, jurisdiction: str, personal_data: bool = False, name: str | None = None
    ) -> tuple[Key, str]:
        """A new key and its token (shown once: only its digest is kept)."""
        check_role(role)
        id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        name = name if name is not None else f"key-{id}"
        if not _NAME.match(name):
            raise BadRequest(
                f"key name {name!r}: up to 64 letters, digits, '.', '_' or '-', no spaces"
            )
        key = Key(
            id=id,
            name=name,
            role=role,
            jurisdiction=jurisdiction,
            personal_data=personal_data,
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            revoked=None,
            digest=_digest(secret),
        )
        with self._writing() as keys:
            if any(k.name == name and not k.revoked for k in keys.values()):
                raise BadRequest(f"a live key is already named {name!r}; choose another name")
            keys[id] = key
        return key, f"on_{id}_{secret}"

    def revoke(self, which: str) -> Key:
        """Revoke the key with this id or name (a name is unique among live keys)."""
        with self._writing() as keys:
            found = [k for k in keys.values() if which in (k.id, k.name)]
            live = [k for k in found if not k.revoked]
            if not found:
                raise NotFound(f"no key has the id or name {which!r} (orgnet keys list)")
            if not live:
                return found[0]
            key = replace(live[0], revoked=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
            keys[key.id] = key
            return key

    @contextmanager
    def _writing(self) -> Iterator[dict[str, Key]]:
        """The keys to change, under a lock; written whole to a new file that then replaces
        the old one, so a reader never sees half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            keys = self._load()
            yield keys
            text = json.dumps([asdict(k) for k in keys.values()], ensure_ascii=False, indent=1)
            partial = self.path.with_suffix(".json.partial")
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(partial, self.path)
