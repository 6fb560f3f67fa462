"""Uploading a dataset over HTTP: ``POST /v1/datasets``, for an admin key.

The body is multipart with one file: a ``.zip`` of the import format's CSV files, or one
``.xlsx`` workbook. The key is checked before a byte of the body is read (an unknown caller's
upload is never written anywhere). The upload then goes through the same intake as ``orgnet
load`` — validated whole, written under the one write lock, nothing written when anything is
wrong — and every problem comes back as ``{file, row, column, value, code, reason,
suggestion}`` (422), the files named as the uploader named them. Before the intake sees it, the
upload itself is checked:

* its size: past ``ORGNET_UPLOAD_MB`` megabytes the request is cut off and refused (413);
* a zip (and an xlsx, which is one): an entry whose name is absolute or climbs out with
  ``..``, a link, more than ``MAX_ENTRIES`` entries, entries that expand more than
  ``MAX_RATIO`` times their compressed size (each, or all together) or past the size limit in
  all — each is refused (422) before anything is extracted, and extraction stops past the
  limit whatever the entries declare; entries are extracted flat into a private folder (files
  only their owner reads, removed whatever happens, and at the next start after a crash) by
  their own name, never by the path the zip gives.

A key whose jurisdiction is a district, street or community loads only within it: a row that
would create or change anything outside is a problem at its row (``loaders.reach``).

``dry_run=true`` validates only, and says how many entities of each kind the dataset would
create and update. An ``Idempotency-Key`` header makes a retried upload harmless: the same key
and the same file get the first answer again (``Idempotent-Replayed: true``), nothing loaded
twice; the same key with another file is refused (422). One load at a time: a second gets 409
while one runs. Every upload is written to the audit log whatever its outcome, a replay and a
refusal included; a load's line is written before anything is, and when it cannot be, nothing
is loaded (503).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import threading
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from orgnet.graph import workspace
from orgnet.graph.connection import Database
from orgnet.graph.errors import (
    AuditUnavailable,
    Busy,
    IdempotencyConflict,
    OrgnetError,
    UnsafeUpload,
    ValidationFailed,
)
from orgnet.graph.model import Rel
from orgnet.loaders.load import LoadSummary, Reporter, load_dataset
from orgnet.loaders.reach import Jurisdiction
from orgnet.loaders.validate import Validation

from .access import Caller
from .auth import Admin
from .guard import Guard, GuardedRoute
from .jurisdiction import inside
from .keys import Key
from .problems import Problem

MAX_ENTRIES = 200  # files in a zip: the import format has a dozen tables
MAX_RATIO = 100  # how many times its compressed size an entry (or all of them) may expand to
IDEMPOTENCY_KEY = r"^[\x21-\x7e]{1,200}$"  # printable ASCII, as HTTP header values go
log = logging.getLogger("orgnet.api")


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
    # Loaded: what was created and updated. A dry run: what would be (entities only; the
    # relationships are counted as they are written).
    nodes_created: dict[str, int]
    nodes_updated: dict[str, int]
    relationships_created: dict[str, int]
    relationships_replaced: dict[str, int]
    tables: dict[str, int]  # rows of each table
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


_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "A .zip of CSV files or one .xlsx workbook.",
                    }
                },
            }
        }
    },
}


def router() -> APIRouter:
    routes = APIRouter(tags=["datasets"], route_class=GuardedRoute)

    @routes.post(
        "/v1/datasets",
        summary="Load a dataset (a .zip of CSV files or one .xlsx), validated whole first.",
        response_model=Loaded,
        openapi_extra={"requestBody": _BODY},
        responses={
            409: {"model": Problem, "description": "Another load is running."},
            413: {"model": Problem, "description": "The upload is too large."},
            422: {
                "model": Problem,
                "description": "The dataset has problems (every one listed); nothing written.",
            },
        },
    )
    async def upload(
        request: Request,
        key: Admin,
        dry_run: Annotated[bool, Query(description="Validate only; write nothing.")] = False,
        lang: Annotated[
            Literal["zh", "en"], Query(description="Problems in Chinese or English.")
        ] = "zh",
        idempotency_key: Annotated[
            str | None,
            Header(
                alias="Idempotency-Key",
                description="Send the same value when retrying (1 to 200 printable ASCII "
                "characters): the first answer comes back.",
                pattern=IDEMPOTENCY_KEY,
            ),
        ] = None,
    ) -> Response:
        """Validate a dataset whole, then write it (nothing is written if anything is wrong).
        The key is checked before the body is read."""
        # The body is read only now, the key being known (a File parameter would have FastAPI
        # read and spool it before any check).
        try:
            form = await request.form(max_files=1, max_fields=0)
        except HTTPException as e:
            if e.status_code == 413:
                raise
            raise _invalid(str(e.detail)) from None
        try:
            files = form.getlist("file")
            if len(files) != 1 or not isinstance(files[0], UploadFile):
                raise _invalid("send one file part named 'file' (a .zip or an .xlsx)")
            work = partial(_upload, request, key, files[0], dry_run, lang, idempotency_key)
            return await anyio.to_thread.run_sync(work)
        finally:
            await form.close()

    return routes


def _invalid(reason: str) -> RequestValidationError:
    return RequestValidationError(
        [{"loc": ("body", "file"), "msg": reason, "type": "value_error", "input": None}]
    )


class Loading:
    """One upload at a time in this process, whichever door it came by (the write lock holds
    across processes): who is loading, and since when, for the next one to be told."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.holder: tuple[str, str] | None = None  # (who, since: HH:MM:SS UTC)

    def take(self, who: str) -> bool:
        if not self._lock.acquire(blocking=False):
            return False
        self.holder = (who, dt.datetime.now(dt.UTC).strftime("%H:%M:%S"))
        return True

    def release(self) -> None:
        self.holder = None
        self._lock.release()

    def busy(self) -> Busy:
        who, since = self.holder or ("?", "?")
        return Busy(
            f"another upload is being loaded (by {who}, since {since} UTC)",
            said="upload_busy",
            who=who,
            since=since,
        )


Recorder = Callable[..., None]


def recorder(request: Request, caller: Caller, params: dict[str, Any]) -> Recorder:
    """A function that writes one audit line of an upload (its outcome, rows, more)."""
    guard: Guard = request.app.state.guard

    def record(
        outcome: str, rows: int = 0, withheld: str = "nothing was loaded", **more: Any
    ) -> None:
        guard.audit.record(
            withheld=withheld,
            caller=caller.kind,
            key_id=caller.id,
            key_name=caller.name,
            route=request.url.path,
            parameters={k: v for k, v in params.items() if v is not None},
            jurisdiction=caller.jurisdiction,
            rows=rows,
            outcome=outcome,
            **more,
        )

    return record


def receive(home: Path, file: UploadFile) -> tuple[Path, Path, str]:
    """The upload saved into a private work folder: the folder, the file, its SHA-256."""
    with workspace.writing(home / "uploads"):
        work = workspace.work_folder(home / "uploads")
        received = work / "received"
        digest = _save(file, received)
    return work, received, digest


def take_in(
    request: Request,
    caller: Caller,
    received: Path,
    name: str,
    work: Path,
    *,
    dry_run: bool,
    record: Recorder,
    reporter: Reporter | None = None,
) -> LoadSummary:
    """The same intake as ``orgnet load``: unpacked, validated whole within the caller's
    jurisdiction, then written (a load's start recorded before anything is written; nothing
    is when it cannot be). Raises ValidationFailed with every problem, nothing written."""
    settings = request.app.state.settings
    guard: Guard = request.app.state.guard
    home: Path = settings.api_home
    limit = settings.orgnet_upload_mb * 2**20

    def before_writing(validation: Validation) -> None:
        if not dry_run:  # recorded before anything is written; unrecorded, nothing is
            record("loading", validation.total_rows)

    with workspace.writing(home / "uploads"):
        dataset = _unpack(received, name, work, limit)

    def load(db: Database) -> LoadSummary:
        within = None
        if not caller.everywhere:
            within = Jurisdiction(caller.jurisdiction, lambda ids: inside(db, caller, ids))
        return load_dataset(
            db,
            dataset,
            dry_run=dry_run,
            within=within,
            display=name,
            on_validated=before_writing,
            copy=False,  # unpacked here into a private folder already
            reporter=reporter,
            by=caller.name,  # the API key's name, or the console user's
            command=f"{request.method} {request.url.path} {name}",
        )

    summary: LoadSummary = guard.store.use(load)
    return summary


def _upload(
    request: Request,
    key: Key,
    file: UploadFile,
    dry_run: bool,
    lang: str,
    idempotency_key: str | None,
) -> Response:
    settings = request.app.state.settings
    guard: Guard = request.app.state.guard
    loading: Loading = request.app.state.loading
    home: Path = settings.api_home
    name = display_name(file.filename)
    params = {"file": name, "dry_run": dry_run, "idempotency_key": idempotency_key}
    record = recorder(request, key, params)

    def send(response: Response, rows: int, outcome: str, **more: Any) -> Response:
        record(outcome, rows, withheld="the answer was withheld", **more)
        return guard.send(request, key, None, response, rows=rows, parameters=params)

    if not loading.take(key.name):
        record("busy")
        raise loading.busy()
    work: Path | None = None
    try:
        work, received, digest = receive(home, file)
        remembered = _Remembered(home, key, idempotency_key, digest, dry_run)
        try:
            replay = remembered.replay()
        except IdempotencyConflict as e:
            record(e.code)
            raise
        if replay is not None:
            return send(replay, 0, "replayed")
        try:
            summary = take_in(request, key, received, name, work, dry_run=dry_run, record=record)
        except ValidationFailed as e:
            detail = [_problem(p, lang) for p in e.problems]
            body = {"code": e.code, "message": str(e), "detail": detail}
            remembered.keep(422, body)
            return send(JSONResponse(body, status_code=422), 0, "invalid", problems=len(detail))
        except AuditUnavailable:
            raise
        except OrgnetError as e:
            record(e.code)
            raise
        loaded = _loaded(summary, dry_run, lang)
        remembered.keep(200, loaded.model_dump())
        response = JSONResponse(loaded.model_dump())
        if dry_run:
            return send(response, loaded.rows, "validated")
        try:
            record("loaded", loaded.rows)
        except AuditUnavailable:
            # The load is written and its start recorded: the answer says what was done.
            log.error("an upload of %s was loaded; its outcome is not in the audit log", name)
        return guard.send(request, key, None, response, rows=loaded.rows, parameters=params)
    finally:
        loading.release()
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def display_name(filename: str | None) -> str:
    """An uploaded file's name as problems and the audit log show it: its last part, without
    control characters, at most 100 characters."""
    base = PurePosixPath((filename or "").replace("\\", "/")).name
    base = "".join(c for c in base if c.isprintable()).strip()[:100]
    return base if base not in ("", ".", "..") else "upload"


# -- the private folder of uploads ---------------------------------------------------------


def clear_leftovers(home: Path) -> None:
    """Remove what uploads of processes no longer running left behind (a server killed
    mid-upload leaves the rosters it was reading)."""
    workspace.clear_leftovers(home / "uploads")


def _save(file: UploadFile, target: Path) -> str:
    """The upload written to ``target``; its SHA-256."""
    digest = hashlib.sha256()
    with workspace.private_file(target) as out:
        while chunk := file.file.read(2**20):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _unpack(received: Path, name: str, work: Path, limit: int) -> Path:
    """The dataset the intake reads: the workbook (named as uploaded, so that problems name
    it so), or a folder of the zip's files."""
    if not zipfile.is_zipfile(received):
        raise UnsafeUpload(f"{name}: not a .zip of CSV files nor an .xlsx workbook")
    with zipfile.ZipFile(received) as archive:
        entries = archive.infolist()
        _check_entries(name, entries, limit)
        if name.lower().endswith(".xlsx") or "[Content_Types].xml" in archive.namelist():
            workbook = work / "book" / (name if name.lower().endswith(".xlsx") else f"{name}.xlsx")
            workbook.parent.mkdir(mode=0o700)
            received.rename(workbook)
            return workbook
        folder = work / "dataset"
        folder.mkdir(mode=0o700)
        seen: set[str] = set()
        budget = [limit]
        for entry in entries:
            if entry.is_dir():
                continue
            base = PurePosixPath(entry_name(entry)).name
            if base.startswith(".") or base.startswith("__MACOSX"):
                continue
            if base.casefold() in seen:
                raise UnsafeUpload(f"{name}: two entries are named {base!r}")
            seen.add(base.casefold())
            _extract(archive, entry, folder / base, budget, name)
        return folder


def entry_name(entry: zipfile.ZipInfo) -> str:
    """An entry's name as the uploader's system wrote it. A zip made on a Chinese Windows marks
    no encoding and writes its names in GBK, which the zip format would read as CP437 (人员.csv
    as ╚╦╘▒.csv): a name without the UTF-8 mark is read as UTF-8 if it is that (some tools
    leave the mark off), else as GB18030, as ``unzip -O GBK`` would."""
    if entry.flag_bits & 0x800:
        return entry.filename
    raw = entry.filename.encode("cp437")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return entry.filename


def _check_entries(name: str, entries: list[zipfile.ZipInfo], limit: int) -> None:
    if len(entries) > MAX_ENTRIES:
        raise UnsafeUpload(f"{name}: {len(entries)} entries; a dataset has at most {MAX_ENTRIES}")
    total = packed = 0
    for entry in entries:
        path = entry_name(entry).replace("\\", "/")
        parts = PurePosixPath(path).parts
        if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or ".." in parts:
            raise UnsafeUpload(
                f"{name}: the entry {entry_name(entry)!r} points outside the archive"
            )
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise UnsafeUpload(f"{name}: the entry {entry_name(entry)!r} is a link")
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1) and entry.file_size > 2**20:
            raise UnsafeUpload(
                f"{name}: the entry {entry_name(entry)!r} expands {entry.file_size:,} bytes from "
                f"{entry.compress_size:,} (more than {MAX_RATIO} times)"
            )
        total += entry.file_size
        packed += entry.compress_size
        if total > limit:
            raise UnsafeUpload(f"{name}: expands past {limit // 2**20} MB (ORGNET_UPLOAD_MB)")
    # Many entries, each below the size that draws attention, can still be a bomb together.
    if total > MAX_RATIO * max(packed, 1) and total > 2**20:
        raise UnsafeUpload(
            f"{name}: its {len(entries)} entries expand {total:,} bytes from {packed:,} (more "
            f"than {MAX_RATIO} times)"
        )


def _extract(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path, budget: list[int], name: str
) -> None:
    """One entry, never more bytes than it declares (a header that lies is a bomb), nor than
    is left of the upload's limit."""
    written = 0
    with archive.open(entry) as source, workspace.private_file(target) as out:
        while chunk := source.read(2**20):
            written += len(chunk)
            budget[0] -= len(chunk)
            if written > entry.file_size:
                raise UnsafeUpload(f"the entry {entry_name(entry)!r} is larger than it declares")
            if budget[0] < 0:
                raise UnsafeUpload(f"{name}: expands past the upload limit (ORGNET_UPLOAD_MB)")
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
    if dry_run:
        created = dict(summary.new_nodes)
        updated = dict(summary.updated_nodes)
    else:
        created = dict(summary.nodes_created)
        updated = {label: summary.nodes_updated(label) for label in summary.nodes_seen}
    return Loaded(
        dry_run=dry_run,
        rows=summary.rows,
        seconds=round(summary.seconds, 3),
        nodes_created=created,
        nodes_updated=updated,
        relationships_created={
            k: v for k, v in summary.relationships_created.items() if k != Rel.SERVES
        },
        relationships_replaced=dict(summary.relationships_replaced),
        tables=dict(summary.rows_by_table),
        notices=[DatasetProblem(**_problem(n, lang)) for n in summary.notices],
    )


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
            folder = home / "idempotency"
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.path = folder / f"{name}.json"

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
