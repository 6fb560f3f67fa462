"""The console's users and their sessions, kept in the home (``console.sqlite3``, readable by
its owner only) beside the API's keys, apart from the graph.

A user is a ``Caller`` (``access``) — a role, a jurisdiction and the personal-data right, the
same grant an API key has — with a password. Only the password's argon2id hash is kept (a
memory-hard function: a stolen file is slow to guess from). Signing in:

* a wrong password (or an unknown name, which costs the same time) is a failure, counted per
  user; after ``attempts`` failures in a row the account is locked for ``lock_minutes``, and a
  locked account refuses even the right password until then;
* a right password starts a session: a random token (the cookie; only its SHA-256 is kept)
  with a CSRF token of its own, which every form that changes something carries back;
* a session ends on sign-out, when its user is disabled or their password changed, and when
  it has been idle for ``idle_minutes``.

SQLite serialises the writers of the several processes ``orgnet serve --workers`` runs, so a
failure counted in one worker counts in every other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from orgnet.graph.errors import BadRequest, NotFound

from .access import Caller, check_role

_NAME = re.compile(r"^[\w.\-@]{1,64}$")
MIN_PASSWORD = 10  # characters
MAX_PASSWORD = 1024  # a longer "password" only costs the hash time
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A hash to verify against when the name is unknown, so that a wrong name costs the time a
# wrong password does (and does not tell which names exist).
_DECOY = _hasher.hash(secrets.token_urlsafe(16))

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    personal_data INTEGER NOT NULL,
    hash TEXT NOT NULL,
    created TEXT NOT NULL,
    disabled TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
    digest TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created TEXT NOT NULL,
    seen TEXT NOT NULL
);
"""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(when: dt.datetime) -> str:
    return when.isoformat(timespec="milliseconds")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True, kw_only=True)
class User(Caller):
    created: str
    disabled: str | None
    locked_until: str | None

    kind = "user"


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    token: str  # the cookie's value (never stored)


@dataclass(frozen=True)
class SignIn:
    """What a sign-in came to: a session, or why not (``refused``: wrong, locked, disabled)
    and whether this failure locked the account."""

    session: Session | None
    refused: str | None = None  # "wrong", "locked", "disabled"
    locked_now: bool = False
    locked_until: str | None = None


class Users:
    def __init__(
        self,
        home: Path,
        *,
        idle_minutes: float = 30.0,
        attempts: int = 5,
        lock_minutes: float = 15.0,
    ) -> None:
        self.path = home / "console.sqlite3"
        self.idle = dt.timedelta(minutes=idle_minutes)
        self.attempts = attempts
        self.lock = dt.timedelta(minutes=lock_minutes)

    # -- the store --------------------------------------------------------------------------

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction (taken for writing at once, so that two workers
        counting a failure never both read the old count)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        with closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as db:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA busy_timeout = 10000")
            db.executescript(_SCHEMA)
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @staticmethod
    def _user(row: sqlite3.Row) -> User:
        return User(
            id=row["name"],
            name=row["name"],
            role=row["role"],
            jurisdiction=row["jurisdiction"],
            personal_data=bool(row["personal_data"]),
            created=row["created"],
            disabled=row["disabled"],
            locked_until=row["locked_until"],
        )

    # -- managing users (orgnet users …) -----------------------------------------------------

    def create(
        self, name: str, *, role: str, jurisdiction: str, password: str, personal_data: bool
    ) -> User:
        if not _NAME.match(name):
            raise BadRequest(
                f"user name {name!r}: up to 64 letters, digits, '.', '_', '-' or '@', no spaces",
                said="bad_user_name",
                name=name,
            )
        check_role(role)
        hashed = _hasher.hash(_password(password))
        with self._db() as db:
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise BadRequest(f"a user is already named {name!r}", said="user_exists", name=name)
            db.execute(
                "INSERT INTO users (name, role, jurisdiction, personal_data, hash, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (name, role, jurisdiction, int(personal_data), hashed, _stamp(_now())),
            )
            return self._user(db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone())

    def all(self) -> list[User]:
        with self._db() as db:
            return [self._user(r) for r in db.execute("SELECT * FROM users ORDER BY name")]

    def get(self, name: str) -> User:
        with self._db() as db:
            row = db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(f"no user is named {name!r} (orgnet users list)", said="no_user",
                           name=name)  # fmt: skip
        return self._user(row)

    def disable(self, name: str) -> User:
        """Disable a user: their sessions end now, and they cannot sign in again."""
        self.get(name)
        with self._db() as db:
            db.execute(
                "UPDATE users SET disabled = coalesce(disabled, ?) WHERE name = ?",
                (_stamp(_now()), name),
            )
            db.execute("DELETE FROM sessions WHERE user = ?", (name,))
        return self.get(name)

    def set_password(self, name: str, password: str) -> User:
        """A new password: the user's sessions end, and a lock is lifted."""
        self.get(name)
        hashed = _hasher.hash(_password(password))
        with self._db() as db:
            db.execute(
                "UPDATE users SET hash = ?, failures = 0, locked_until = NULL WHERE name = ?",
                (hashed, name),
            )
            db.execute("DELETE FROM sessions WHERE user = ?", (name,))
        return self.get(name)

    # -- signing in and out -----------------------------------------------------------------

    def sign_in(self, name: str, password: str) -> SignIn:
        """Check a name and password; a session when they are right and the account is open.
        Verifying the hash (tens of milliseconds, on purpose) happens outside the store's
        transaction."""
        now = _now()
        with self._db() as db:
            row = db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        hashed = row["hash"] if row is not None else _DECOY
        try:
            right: bool = _hasher.verify(hashed, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            right = False
        if row is None:
            return SignIn(None, "wrong")
        with self._db() as db:
            row = db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
            if row is None:
                return SignIn(None, "wrong")
            if row["disabled"]:
                return SignIn(None, "disabled")
            locked = row["locked_until"]
            if locked and dt.datetime.fromisoformat(locked) > now:
                return SignIn(None, "locked", locked_until=locked)
            if not right:
                failures = row["failures"] + 1
                until = _stamp(now + self.lock) if failures >= self.attempts else None
                db.execute(
                    "UPDATE users SET failures = ?, locked_until = ? WHERE name = ?",
                    (0 if until else failures, until, name),
                )
                return SignIn(None, "wrong", locked_now=until is not None, locked_until=until)
            if _hasher.check_needs_rehash(row["hash"]):
                db.execute(
                    "UPDATE users SET hash = ? WHERE name = ?", (_hasher.hash(password), name)
                )
            db.execute("UPDATE users SET failures = 0, locked_until = NULL WHERE name = ?", (name,))
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            db.execute(
                "INSERT INTO sessions (digest, user, csrf, created, seen) VALUES (?, ?, ?, ?, ?)",
                (_digest(token), name, csrf, _stamp(now), _stamp(now)),
            )
            # Sessions idle past their time are forgotten as others begin.
            db.execute("DELETE FROM sessions WHERE seen < ?", (_stamp(now - self.idle),))
            user = self._user(db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone())
        return SignIn(Session(user, csrf, token))

    def session(self, token: str | None) -> Session | None:
        """The live session this cookie is, its idle time restarted; None when there is none
        (never was, signed out, idle too long, its user disabled)."""
        if not token or len(token) > 200:
            return None
        now = _now()
        with self._db() as db:
            row = db.execute(
                "SELECT s.csrf, s.seen, u.* FROM sessions s JOIN users u ON u.name = s.user "
                "WHERE s.digest = ?",
                (_digest(token),),
            ).fetchone()
            if row is None:
                return None
            if row["disabled"] or dt.datetime.fromisoformat(row["seen"]) + self.idle < now:
                db.execute("DELETE FROM sessions WHERE digest = ?", (_digest(token),))
                return None
            db.execute(
                "UPDATE sessions SET seen = ? WHERE digest = ?", (_stamp(now), _digest(token))
            )
            return Session(self._user(row), row["csrf"], token)

    def sign_out(self, token: str | None) -> None:
        if not token:
            return
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE digest = ?", (_digest(token),))


def csrf_matches(session: Session, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(session.csrf.encode(), (sent or "").encode())


def _password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise BadRequest(
            f"a password has at least {MIN_PASSWORD} characters", said="short_password",
            least=MIN_PASSWORD,
        )  # fmt: skip
    if len(password) > MAX_PASSWORD:
        raise BadRequest(
            f"a password has at most {MAX_PASSWORD} characters", said="long_password",
            most=MAX_PASSWORD,
        )  # fmt: skip
    return password
