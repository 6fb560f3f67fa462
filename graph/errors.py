"""The few kinds of domain error; turned into exit codes and HTTP statuses in one place each."""

from __future__ import annotations


class OrgnetError(Exception):
    """Base of every error orgnet reports to a user. ``code`` is stable for API clients.

    The message is English, for an API client and a log. ``said`` names the same words in the
    catalogues of the edge (``errors.SAID`` in api/catalogue/*.toml), filled with ``params``,
    so that a person is told in their language."""

    code = "error"
    exit_code = 1
    http_status = 500

    def __init__(self, *args: object, said: str | None = None, **params: object) -> None:
        super().__init__(*args)
        self.said = said
        self.params = params


class ValidationFailed(OrgnetError):
    """A dataset has problems; nothing was written."""

    code = "validation_failed"
    exit_code = 3
    http_status = 422

    def __init__(self, problems: list, notices: list | None = None) -> None:
        self.problems = problems  # list[Problem]; kept loose to avoid a cycle
        self.notices = notices or []  # list[Problem]: what was passed over, said beside them
        super().__init__(f"{len(problems)} problem(s) in the dataset; nothing was written")


class NotFound(OrgnetError):
    code = "not_found"
    exit_code = 4
    http_status = 404


class BadRequest(OrgnetError):
    code = "bad_request"
    exit_code = 2
    http_status = 400


class EngineUnavailable(OrgnetError):
    """The database cannot be reached (not running, wrong credentials, network)."""

    code = "engine_unavailable"
    exit_code = 5
    http_status = 503


class EngineError(OrgnetError):
    """The embedded engine cannot be built or started (Java or Maven missing, port taken …)."""

    code = "engine_error"
    exit_code = 6
    http_status = 503


class DiskFull(EngineUnavailable):
    """The disk that holds the store (or what a command writes) is full."""

    code = "disk_full"
    http_status = 507


class Busy(OrgnetError):
    """Another writer holds the graph (one load at a time)."""

    code = "busy"
    exit_code = 7
    http_status = 409


class Unauthorized(OrgnetError):
    """No API key, or one that is unknown or revoked."""

    code = "unauthorized"
    exit_code = 2
    http_status = 401


class Forbidden(OrgnetError):
    """The key may not do this: its role is too low, or the entity or scope lies outside its
    jurisdiction."""

    code = "forbidden"
    exit_code = 2
    http_status = 403


class QueryTimeout(OrgnetError):
    """A read ran past its time budget and was stopped."""

    code = "timeout"
    exit_code = 5
    http_status = 504


class StaleCursor(OrgnetError):
    """A page asked for with a cursor given before the graph last changed."""

    code = "stale_cursor"
    exit_code = 2
    http_status = 410


class UnsafeUpload(OrgnetError):
    """An upload refused before the intake sees it (a zip entry that escapes, a bomb …)."""

    code = "unsafe_upload"
    exit_code = 3
    http_status = 422


class IdempotencyConflict(OrgnetError):
    """An Idempotency-Key sent again with another upload."""

    code = "idempotency_key_reused"
    exit_code = 2
    http_status = 422


class KeysUnavailable(OrgnetError):
    """The file of API keys cannot be read."""

    code = "keys_unavailable"
    exit_code = 2
    http_status = 503


class AuditUnavailable(OrgnetError):
    """The audit line could not be written; the answer it would have recorded is withheld."""

    code = "audit_unavailable"
    exit_code = 5
    http_status = 503
