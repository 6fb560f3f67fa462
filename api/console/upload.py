"""Uploading a roster, for an admin: choose a workbook or a zip of CSV files, check it (the
dry run: every problem as a table — file, row, column, value, reason, suggestion), fix and
check again, then load it with a progress bar.

It is the API's intake (``uploads``): the same checks of the file, the same validation within
the user's jurisdiction, the same one-load-at-a-time (a second is told who is loading), the same
audit lines. The page sends the file with its CSRF token in a header and follows the load's
progress (``/upload/progress``); without scripts the form posts as any form does.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import UploadFile

from orgnet.graph.errors import AuditUnavailable, BadRequest, OrgnetError, ValidationFailed
from orgnet.graph.model import Rel

from ..guard import Guard
from ..labels import error_words, label_words
from ..uploads import Loading, _problem, display_name, receive, recorder, take_in
from ..words import say
from .pages import html, pages_router, send
from .session import Admin, lang_of

log = logging.getLogger("orgnet.api")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class Progress:
    """How far each running upload has come, by the token its page chose (this process's)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict[str, dict[str, Any]] = {}

    def reporter(self, token: str | None) -> Any:
        progress = self

        class Reporter:
            def phase(self, name: str, total: int) -> None:
                progress.set(token, {"phase": name, "done": 0, "total": total})

            def advance(self, rows: int) -> None:
                with progress._lock:
                    state = progress._state.get(token or "")
                    if state is not None:
                        state["done"] += rows

        return Reporter()

    def set(self, token: str | None, state: dict[str, Any]) -> None:
        if token:
            with self._lock:
                self._state[token] = state

    def get(self, token: str) -> dict[str, Any] | None:
        with self._lock:
            state = self._state.get(token)
            return dict(state) if state else None

    def forget(self, token: str | None) -> None:
        with self._lock:
            self._state.pop(token or "", None)


def _summary_rows(summary: Any, dry_run: bool, lang: str) -> list[tuple[str, str, str]]:
    """(kind, created, updated) for each kind of thing the load touched."""
    created = dict(summary.new_nodes if dry_run else summary.nodes_created)
    if dry_run:
        updated = dict(summary.updated_nodes)
    else:
        updated = {label: summary.nodes_updated(label) for label in summary.nodes_seen}
    labels = sorted(set(created) | set(updated))
    return [
        (label_words(label, lang), f"{created.get(label, 0):,}", f"{updated.get(label, 0):,}")
        for label in labels
    ]


def router() -> APIRouter:
    routes = pages_router()

    @routes.get("/upload")
    def upload_page(request: Request, session: Admin) -> HTMLResponse:
        lang = lang_of(request)
        page = html(request, "upload.html.j2", session, title=say("console.nav_upload", lang),
                    outcome=None)  # fmt: skip
        return send(request, session, page, None)

    @routes.get("/upload/progress")
    def upload_progress(
        request: Request,
        session: Admin,
        token: Annotated[str, Query(min_length=8, max_length=64, pattern=_TOKEN.pattern)],
    ) -> Response:
        state = request.app.state.progress.get(token)
        guard: Guard = request.app.state.guard
        body = JSONResponse(state or {"phase": None, "done": 0, "total": 0})
        return guard.send(request, session.user, None, body, rows=0, parameters={})

    @routes.post("/upload")
    async def upload(request: Request, session: Admin) -> HTMLResponse:
        lang = lang_of(request)
        form = await request.form(max_files=1, max_fields=10)
        try:
            file = form.get("file")
            mode = str(form.get("mode") or "check")
            token = str(form.get("token") or "")
            if not isinstance(file, UploadFile) or not file.filename:
                raise BadRequest("choose a file to upload", said="upload_no_file")
            if mode not in ("check", "load"):
                raise BadRequest("mode is check or load", said="upload_mode")
            work = _Work(request, session, file, mode == "check", lang,
                         token if _TOKEN.match(token) else None)  # fmt: skip
            outcome = await anyio.to_thread.run_sync(work.run)
        finally:
            await form.close()
        page = html(
            request,
            "upload.html.j2",
            session,
            status=outcome["status"],
            title=say("console.nav_upload", lang),
            outcome=outcome,
        )
        return send(request, session, page, None, rows=outcome.get("rows", 0),
                    parameters={"file": outcome["file"], "mode": mode})  # fmt: skip

    return routes


class _Work:
    def __init__(
        self,
        request: Request,
        session: Any,
        file: UploadFile,
        dry_run: bool,
        lang: str,
        token: str | None,
    ) -> None:
        self.request, self.session, self.file = request, session, file
        self.dry_run, self.lang, self.token = dry_run, lang, token

    def run(self) -> dict[str, Any]:
        request, user, lang = self.request, self.session.user, self.lang
        name = display_name(self.file.filename)
        record = recorder(request, user, {"file": name, "dry_run": self.dry_run})
        loading: Loading = request.app.state.loading
        progress: Progress = request.app.state.progress
        outcome: dict[str, Any] = {"file": name, "dry_run": self.dry_run}
        if not loading.take(user.name):
            record("busy")
            busy = loading.busy()
            return {**outcome, "status": 409, "refused": error_words(busy, lang)}
        work: Path | None = None
        try:
            work, received, _ = receive(request.app.state.settings.api_home, self.file)
            progress.set(self.token, {"phase": "validating", "done": 0, "total": 0})
            summary = take_in(request, user, received, name, work, dry_run=self.dry_run,
                              record=record, reporter=progress.reporter(self.token))  # fmt: skip
        except ValidationFailed as e:
            record("invalid", problems=len(e.problems), withheld="the answer was withheld")
            problems = [_problem(p, lang) for p in e.problems]
            return {**outcome, "status": 422, "problems": problems}
        except AuditUnavailable:
            raise
        except OrgnetError as e:
            record(e.code)
            return {**outcome, "status": e.http_status, "refused": error_words(e, lang)}
        finally:
            loading.release()
            progress.forget(self.token)
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)
        if self.dry_run:
            record("validated", summary.rows, withheld="the answer was withheld")
        else:
            try:
                record("loaded", summary.rows)
            except AuditUnavailable:
                # Written, and its start recorded (as the API does): the page says what was done.
                log.error("an upload of %s was loaded; its outcome is not in the audit log", name)
        relationships = {k: v for k, v in summary.relationships_created.items() if k != Rel.SERVES}
        return {
            **outcome,
            "status": 200,
            "rows": summary.rows,
            "seconds": f"{summary.seconds:.1f}",
            "kinds": _summary_rows(summary, self.dry_run, lang),
            "links": sum(relationships.values()),
            "notices": [_problem(n, lang) for n in summary.notices],
        }
