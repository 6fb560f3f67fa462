"""Uploading a dataset over HTTP: ``POST /v1/datasets``, for an admin key.

The body is multipart with one file: a ``.zip`` of the import format's CSV files, or one
``.xlsx`` workbook. It goes through the same intake as ``orgnet load`` — validated whole,
written under the one write lock, nothing written when anything is wrong — and every problem
comes back as ``{file, row, column, value, reason, suggestion}`` (422). Before the intake sees
it, the upload itself is checked:

* its size: past ``ORGNET_UPLOAD_MB`` megabytes the request is cut off and refused (413);
* a zip (and an xlsx, which is one): an entry whose name is absolute or climbs out with
  ``..``, a link, more than ``MAX_ENTRIES`` entries, an entry that expands more than
  ``MAX_RATIO`` times its compressed size or past the size limit in all — each is refused (422)
  before anything is extracted; entries are extracted flat into a private folder by their own
  name, never by the path the zip gives.

``dry_run=true`` validates only. An ``Idempotency-Key`` header makes a retried upload harmless:
the same key and the same file get the first answer again (``Idempotent-Replayed: true``),
nothing loaded twice; the same key with another file is refused (422). One load at a time: a
second gets 409 while one runs. Every upload is written to the audit log, whatever its outcome.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from orgnet.graph.errors import (
    Busy,
    IdempotencyConflict,
    OrgnetError,
    UnsafeUpload,
    ValidationFailed,
)
from orgnet.graph.model import Rel
from orgnet.loaders.load import LoadSummary, load_dataset
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from .audit import AuditLog
from .auth import Admin
from .keys import Key
from .problems import Problem

MAX_ENTRIES = 200  # files in a zip: the import format has a dozen tables
MAX_RATIO = 100  # how many times its compressed size an entry may expand to
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


class DatasetProblem(BaseModel):
    file: str
    row: int
    column: str
    value: str
    code: str
    reason: str
    suggestion: str


class Loaded(BaseModel):
    dry_run: bool
    rows: int
    seconds: float
    nodes_created: dict[str, int]
    nodes_updated: dict[str, int]
    relationships_created: dict[str, int]
    relationships_replaced: dict[str, int]
    notices: list[DatasetProblem]


class LimitBodies:
    """ASGI middleware: a POST's body is counted as it arrives and cut off past the limit (a
    Content-Length above it is refused before a byte is read), so that no oversized body is
    ever spooled to disk. Past the limit mid-body it raises an HTTP 413 (which the framework
    passes through body parsing untouched, and the app answers as JSON ``too_large``)."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse_too_large(send, limit)
            return
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, _too_large(limit))
            return message

        await self.app(scope, counted, send)


def _too_large(limit: int) -> str:
    return f"the upload is larger than {limit // 2**20} MB (ORGNET_UPLOAD_MB)"


async def _refuse_too_large(send: Callable, limit: int) -> None:
    body = Problem(code="too_large", message=_too_large(limit)).model_dump_json().encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def router() -> APIRouter:
    routes = APIRouter(tags=["datasets"])
    running = threading.Lock()  # one upload at a time in this process (the write lock: across)

    @routes.post(
        "/v1/datasets",
        summary="Load a dataset (a .zip of CSV files or one .xlsx), validated whole first.",
        response_model=Loaded,
        responses={
            409: {"description": "Another load is running."},
            413: {"description": "The upload is too large."},
            422: {"description": "The dataset has problems (every one listed); nothing written."},
        },
    )
    def upload(
        request: Request,
        key: Admin,
        file: Annotated[UploadFile, File(description="A .zip of CSV files or one .xlsx.")],
        dry_run: Annotated[bool, Query(description="Validate only; write nothing.")] = False,
        lang: Annotated[
            Literal["zh", "en"], Query(description="Problems in Chinese or English.")
        ] = "zh",
        idempotency_key: Annotated[
            str | None,
            Header(
                alias="Idempotency-Key",
                description="Send the same value when retrying: the first answer comes back.",
            ),
        ] = None,
    ) -> Any:
        """Validate a dataset whole, then write it (nothing is written if anything is wrong)."""
        settings = request.app.state.settings
        home: Path = settings.api_home
        audit: AuditLog = request.app.state.audit
        name = PurePosixPath(file.filename or "upload").name
        params = {"file": name, "dry_run": dry_run, "idempotency_key": idempotency_key}
        if idempotency_key is not None and not _IDEMPOTENCY_KEY.match(idempotency_key):
            raise _audited(
                audit, key, request, params,
                UnsafeUpload("Idempotency-Key: 1 to 200 printable ASCII characters"),
            )  # fmt: skip
        if not running.acquire(blocking=False):
            raise _audited(audit, key, request, params, Busy("another upload is being loaded"))
        work: Path | None = None
        try:
            work = Path(tempfile.mkdtemp(prefix="upload-", dir=_private(home / "uploads")))
            received = work / "received"
            digest = _save(file, received)
            remembered = _Remembered(home, key, idempotency_key, digest, dry_run)
            replay = remembered.replay()
            if replay is not None:
                return replay
            try:
                dataset = _unpack(received, name, work, settings.orgnet_upload_mb * 2**20)
                summary = request.app.state.store.use(
                    lambda db: load_dataset(db, dataset, dry_run=dry_run)
                )
            except ValidationFailed as e:
                detail = [_problem(p, lang) for p in e.problems]
                body = {"code": e.code, "message": str(e), "detail": detail}
                remembered.keep(422, body)
                audit.record(**_line(key, request, params, 0, "invalid", len(detail)))
                return JSONResponse(body, status_code=422)
            except OrgnetError as e:
                raise _audited(audit, key, request, params, e) from None
            loaded = _loaded(summary, dry_run, lang)
            remembered.keep(200, loaded.model_dump())
            outcome = "validated" if dry_run else "loaded"
            audit.record(**_line(key, request, params, loaded.rows, outcome, 0))
            return loaded
        finally:
            running.release()
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)

    return routes


def _private(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _save(file: UploadFile, target: Path) -> str:
    """The upload written to ``target``; its SHA-256."""
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := file.file.read(2**20):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _unpack(received: Path, name: str, work: Path, limit: int) -> Path:
    """The dataset the intake reads: the workbook, or a folder of the zip's files."""
    if not zipfile.is_zipfile(received):
        raise UnsafeUpload(f"{name}: not a .zip of CSV files nor an .xlsx workbook")
    with zipfile.ZipFile(received) as archive:
        entries = archive.infolist()
        _check_entries(name, entries, limit)
        if name.lower().endswith(".xlsx") or "[Content_Types].xml" in archive.namelist():
            workbook = work / "dataset.xlsx"
            received.rename(workbook)
            return workbook
        folder = _private(work / "dataset")
        seen: set[str] = set()
        for entry in entries:
            if entry.is_dir():
                continue
            base = PurePosixPath(entry.filename).name
            if base.startswith(".") or base.startswith("__MACOSX"):
                continue
            if base.casefold() in seen:
                raise UnsafeUpload(f"{name}: two entries are named {base!r}")
            seen.add(base.casefold())
            _extract(archive, entry, folder / base)
        return folder


def _check_entries(name: str, entries: list[zipfile.ZipInfo], limit: int) -> None:
    if len(entries) > MAX_ENTRIES:
        raise UnsafeUpload(f"{name}: {len(entries)} entries; a dataset has at most {MAX_ENTRIES}")
    total = 0
    for entry in entries:
        path = entry.filename.replace("\\", "/")
        parts = PurePosixPath(path).parts
        if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or ".." in parts:
            raise UnsafeUpload(f"{name}: the entry {entry.filename!r} points outside the archive")
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise UnsafeUpload(f"{name}: the entry {entry.filename!r} is a link")
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1) and entry.file_size > 2**20:
            raise UnsafeUpload(
                f"{name}: the entry {entry.filename!r} expands {entry.file_size:,} bytes from "
                f"{entry.compress_size:,} (more than {MAX_RATIO} times)"
            )
        total += entry.file_size
        if total > limit:
            raise UnsafeUpload(f"{name}: expands past {limit // 2**20} MB (ORGNET_UPLOAD_MB)")


def _extract(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path) -> None:
    """One entry, never more bytes than it declares (a header that lies is a bomb)."""
    written = 0
    with archive.open(entry) as source, target.open("xb") as out:
        while chunk := source.read(2**20):
            written += len(chunk)
            if written > entry.file_size:
                raise UnsafeUpload(f"the entry {entry.filename!r} is larger than it declares")
            out.write(chunk)


def _problem(p: Any, lang: str) -> dict:
    return DatasetProblem(
        file=p.file,
        row=p.row,
        column=p.column_name(lang),
        value=p.value,
        code=p.code,
        reason=p.reason(lang),
        suggestion=p.suggestion(lang),
    ).model_dump()


def _loaded(summary: LoadSummary, dry_run: bool, lang: str) -> Loaded:
    return Loaded(
        dry_run=dry_run,
        rows=summary.rows,
        seconds=round(summary.seconds, 3),
        nodes_created=dict(summary.nodes_created),
        nodes_updated={label: summary.nodes_updated(label) for label in summary.nodes_seen},
        relationships_created={
            k: v for k, v in summary.relationships_created.items() if k != Rel.SERVES
        },
        relationships_replaced=dict(summary.relationships_replaced),
        notices=[DatasetProblem(**_problem(n, lang)) for n in summary.notices],
    )


def _line(
    key: Key, request: Request, params: dict, rows: int, outcome: str, problems: int
) -> dict[str, Any]:
    return {
        "key_id": key.id,
        "key_name": key.name,
        "route": request.url.path,
        "parameters": {k: v for k, v in params.items() if v is not None},
        "jurisdiction": key.jurisdiction,
        "rows": rows,
        "outcome": outcome,
        **({"problems": problems} if problems else {}),
    }


def _audited(
    audit: AuditLog, key: Key, request: Request, params: dict, error: OrgnetError
) -> OrgnetError:
    audit.record(**_line(key, request, params, 0, error.code, 0))
    return error


class _Remembered:
    """The answer to an upload sent with an Idempotency-Key, kept in the home per key and
    Idempotency-Key, with the file's hash."""

    def __init__(
        self, home: Path, key: Key, idempotency_key: str | None, digest: str, dry_run: bool
    ) -> None:
        self.digest = f"{digest}:{'dry' if dry_run else 'write'}"
        self.path: Path | None = None
        if idempotency_key is not None:
            name = hashlib.sha256(f"{key.id}\0{idempotency_key}".encode()).hexdigest()
            self.path = _private(home / "idempotency") / f"{name}.json"

    def replay(self) -> JSONResponse | None:
        if self.path is None or not self.path.exists():
            return None
        kept = json.loads(self.path.read_text(encoding="utf-8"))
        if kept["digest"] != self.digest:
            raise IdempotencyConflict(
                "this Idempotency-Key was sent with another file (or another dry_run); "
                "use a new key for a new upload"
            )
        return JSONResponse(
            kept["body"], status_code=kept["status"], headers={"Idempotent-Replayed": "true"}
        )

    def keep(self, status: int, body: dict) -> None:
        if self.path is None:
            return
        text = json.dumps({"digest": self.digest, "status": status, "body": body})
        partial = self.path.with_suffix(".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(partial, self.path)
