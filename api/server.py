"""The HTTP API for other systems: the app factory. The routes live beside it — the questions
(``answers``, built from the registry), entities and search (``explore``), uploads
(``uploads``) — and who may ask what in ``auth``, ``keys``, ``jurisdiction``, ``guard`` and
``audit``.

``create_app()`` builds the app. Its lifespan owns one driver for the app's life, opened on the
first request that needs the database and kept; a request never starts the embedded engine
(``orgnet serve`` does, or NEO4J_URI names a server). While the database cannot be reached, every
route that needs it answers 503 with ``Retry-After``, and the next request tries again.

Every route under ``/v1`` sends what it answers through the guard (``guard``), which cuts it to
the key's jurisdiction, hides personal data the key may not read and writes the audit line; a
route whose answer did not pass it is refused on its way out.

Every error is JSON ``{"code", "message", "detail"}``: the codes of ``graph.errors`` for what the
questions raise, and ``invalid_parameter``, ``not_found`` and ``method_not_allowed`` (with
``Allow``) for what the routing refuses. What went wrong inside — the database's address, a
driver's error, a path of the server — goes to the server's log, never into an answer. No client
input reaches the client as a 500.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as Late
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from orgnet.graph.connection import Database, connect
from orgnet.graph.dates import FORMS
from orgnet.graph.errors import EngineUnavailable, OrgnetError
from orgnet.graph.settings import Settings, get_settings

from . import answers, console, explore, uploads
from .audit import AuditLog
from .cache import AnswerCache
from .console.errors import console_error, is_console
from .console.headers import SecurityHeaders, static_files
from .console.session import SignInNeeded
from .console.upload import Progress
from .cursors import CursorSigner
from .guard import EncodedSlashes, Guard, GuardedRoute
from .keys import Keys
from .problems import Problem
from .users import Users

RETRY_AFTER = 5  # seconds a client waits before asking again while the database is away
READY_WITHIN = 1.0  # seconds /readyz waits for the database before it says it is not ready
# Transient failures a read of the API is retried over, in seconds (the driver's own 30 would
# keep a client waiting half a minute for a 503 while the database is away).
RETRY_SECONDS = 2.0
CONNECT_SECONDS = 5.0  # to open a connection to the database (the driver's own is 30)
T = TypeVar("T")
log = logging.getLogger("orgnet.api")
# What a client is told of a fault inside: the detail (an address, a driver's error, a path)
# goes to the server's log.
_INSIDE = {
    "engine_unavailable": "the database cannot be reached; try again shortly",
    "engine_error": "the database cannot be reached; try again shortly",
    "keys_unavailable": "the API's keys cannot be read; tell the server's administrator",
    "disk_full": "the server's disk is full: nothing was written; tell its administrator",
}


# What a parameter refused for its form should look like (the pattern itself tells a person
# little).
_PATTERN_WORDS = {
    "as_of": f"a day or a month from 1900 to 2100, written {FORMS}",
    "cursor": "not a cursor this API gave out (take page.next_cursor as it is)",
    "idempotency-key": "1 to 200 printable ASCII characters, no spaces",
}


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    engine: str
    version: str
    edition: str


class Store:
    """The app's one driver: opened on first need, kept, and let go of when the database
    stops answering, so that the next request reconnects (the embedded engine may come back
    on another port). It never starts the engine."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._db: Database | None = None
        self._lock = threading.Lock()

    def use(self, work: Callable[[Database], T]) -> T:
        with self._lock:
            db = self._db
        if db is None:
            # Connected outside the lock: a database that hangs holds up the requests that
            # need it, not every other one (nor the app's shutdown).
            fresh = connect(
                self.settings,
                start=False,
                retry_seconds=RETRY_SECONDS,
                connection_timeout=CONNECT_SECONDS,
            )
            fresh.read_timeout = self.settings.orgnet_api_timeout or None
            with self._lock:
                if self._db is None:
                    self._db = fresh
                db = self._db
            if db is not fresh:
                fresh.close()
        try:
            return work(db)
        except EngineUnavailable:
            self._forget(db)
            raise

    def _forget(self, db: Database) -> None:
        with self._lock:
            if self._db is db:
                self._db = None
        db.close()

    def close(self) -> None:
        with self._lock:
            db, self._db = self._db, None
        if db is not None:
            db.close()


def _store(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(_store)]


def _problem(
    status: int,
    code: str,
    message: str,
    detail: Any = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    headers = dict(headers or {})
    if status == 503:
        headers["Retry-After"] = str(RETRY_AFTER)
    if status == 401:
        headers["WWW-Authenticate"] = 'APIKey header="X-API-Key"'
    body = Problem(code=code, message=message, detail=detail).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


def _ready(db: Database) -> Ready:
    [component] = db.read(
        "CALL dbms.components() YIELD name, versions, edition "
        "RETURN name, versions[0] AS version, edition"
    )
    return Ready(
        status="ready",
        engine=component["name"],
        version=component["version"],
        edition=component["edition"],
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API, answering from the database ``settings`` name (the environment's by default)."""
    settings = settings or get_settings()
    readiness = ThreadPoolExecutor(max_workers=4, thread_name_prefix="orgnet-ready")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Endpoints are plain functions run on a thread each; as many as the settings say.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.orgnet_api_threads
        uploads.clear_leftovers(settings.api_home)
        try:
            yield
        finally:
            app.state.store.close()
            readiness.shutdown(wait=False)

    # The interactive docs (/docs, /redoc) with their scripts and styles served by the app
    # itself: the networks this runs on often reach no CDN.
    app = FastAPIOffline(
        title="orgnet",
        summary="Coverage gaps, pairing balance and contact paths of urban grassroots networks.",
        version="1",
        lifespan=lifespan,
        responses={
            400: {"model": Problem, "description": "A parameter is not one (a date, a cursor)."},
            401: {"model": Problem, "description": "No API key, or one not valid."},
            403: {"model": Problem, "description": "The key's role may not ask this."},
            404: {
                "model": Problem,
                "description": "No entity with the id lies within the key's jurisdiction.",
            },
            422: {"model": Problem, "description": "A parameter or the dataset is not valid."},
            503: {"model": Problem, "description": "The database cannot be reached."},
            507: {"model": Problem, "description": "The server's disk is full."},
            504: {"model": Problem, "description": "The question ran past its time budget."},
            413: {"model": Problem, "description": "The upload is larger than the limit."},
        },
    )
    app.router.route_class = GuardedRoute
    app.state.settings = settings
    app.state.store = Store(settings)
    app.state.cache = AnswerCache(
        settings.orgnet_api_cache, lambda: app.state.store.use(lambda db: db.version())
    )
    app.state.keys = Keys(settings.api_home)
    app.state.audit = AuditLog(settings.api_home)
    app.state.cursors = CursorSigner(settings.api_home)
    app.state.guard = Guard(app.state.store, app.state.cache, app.state.audit)
    app.state.users = Users(
        settings.api_home,
        idle_minutes=settings.orgnet_session_idle,
        attempts=settings.orgnet_signin_attempts,
        lock_minutes=settings.orgnet_signin_lock,
    )
    app.state.loading = uploads.Loading()
    app.state.progress = Progress()

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, e: SignInNeeded) -> Response:
        return console_error(request, e)

    @app.exception_handler(OrgnetError)
    async def orgnet_error(request: Request, e: OrgnetError) -> Response:
        message = _INSIDE.get(e.code)
        if message is not None:
            log.warning("%s %s: %s: %s", request.method, request.url.path, e.code, e)
        if is_console(request):
            return console_error(request, e)
        return _problem(e.http_status, e.code, message or str(e))

    @app.exception_handler(RequestValidationError)
    async def invalid_parameter(request: Request, e: RequestValidationError) -> Response:
        if is_console(request):
            return console_error(request, e)
        detail = []
        for error in e.errors():
            parameter = ".".join(str(p) for p in error["loc"][1:])
            reason = error["msg"]
            if error.get("type") == "string_pattern_mismatch":
                reason = _PATTERN_WORDS.get(parameter.lower(), reason)
            detail.append({"parameter": parameter, "reason": reason})
        return _problem(422, "invalid_parameter", "a parameter is not valid", detail)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, e: HTTPException) -> Response:
        if is_console(request):
            return console_error(request, e)
        codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        code = codes.get(e.status_code, "http_error")
        return _problem(e.status_code, code, str(e.detail), headers=e.headers)

    @app.exception_handler(Exception)
    async def fault(request: Request, e: Exception) -> Response:
        log.exception("%s %s: an unexpected fault", request.method, request.url.path)
        if is_console(request):
            return console_error(request, e)
        return _problem(500, "internal", f"an unexpected {type(e).__name__}; this is a fault")

    @app.get("/healthz", tags=["service"])
    def healthz() -> Health:
        """The process is alive (the database is not asked)."""
        return Health(status="ok")

    @app.get("/readyz", tags=["service"])
    def readyz(store: StoreDep) -> Ready:
        """The database answers, within a second: its engine and version."""
        asked = readiness.submit(store.use, _ready)
        try:
            return asked.result(timeout=READY_WITHIN)
        except Late:
            late = f"the database did not answer within {READY_WITHIN:g} s"
            raise EngineUnavailable(late) from None

    app.include_router(answers.router())
    app.include_router(explore.router())
    app.include_router(uploads.router())
    app.include_router(console.router())
    app.mount("/static", static_files(), name="static")
    app.add_middleware(uploads.LimitBodies, max_bytes=settings.orgnet_upload_mb * 2**20)
    app.add_middleware(EncodedSlashes)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(SecurityHeaders)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["X-API-Key", "Idempotency-Key", "Content-Type", "If-None-Match"],
            expose_headers=["ETag", "Idempotent-Replayed", "Retry-After", "Content-Disposition"],
            max_age=600,
        )
    return app
