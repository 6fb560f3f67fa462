"""The console in a real browser: headless Chromium (the system's) against `orgnet serve` on the
hand-built city, with every request that is not to the server aborted and counted.

A clerk's week, end to end: a wrong password, a locked account; signing in; the home page's
figures equal to the JSON of the same questions; every question page for a viewer of a street
(and the 403 page for a scope outside it); an Excel download opened with openpyxl; an upload
with three problems shown at their file, row and column, then a clean one that loads and
changes the home page; a form sent without its CSRF token refused; a hostile name shown inert
(no dialog ever opens); a session ending when idle; signing out — and axe-core on every page
(no serious or critical violation). Without chromium the test says so and is skipped.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
from openpyxl import load_workbook

from orgnet.api.keys import Keys
from orgnet.api.users import Users
from orgnet.graph.connection import Database
from orgnet.queries.registry import QUESTIONS

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no chromium on this machine (apt-get install chromium)"
)
PASSWORD = "correct horse battery"
HOSTILE = "<img src=x onerror=alert(1)>"
INPUTS = {
    "gaps": "?kind=estates", "chain": "?id=PQ1", "path": "?source=P-O1&target=P-O3",
    "changes": "?since=2020-01-01", "trend": "?since=2024-06-01&every=quarter",
    "history": "?id=P-O1", "load_changes": "?load=1",
}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(home: Path, **env: str) -> Iterator[str]:
    """`orgnet serve` on a free port, its users and keys in ``home``: its address."""
    port = _free_port()
    environment = {**os.environ, "ORGNET_API_HOME": str(home), **env}
    server = subprocess.Popen(
        [sys.executable, "-m", "orgnet.api.cli", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx2.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert server.poll() is None, "orgnet serve ended"
            assert time.monotonic() < deadline, "orgnet serve did not answer"
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def home(graph: Database, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("console-browser")
    users = Users(folder)
    for name, role, where in [
        ("s1-viewer", "viewer", "S1"),
        ("s1-admin", "admin", "S1"),
        ("to-lock", "viewer", "S1"),
        ("c1-idle", "viewer", "C1"),
    ]:
        users.create(name, role=role, jurisdiction=where, password=PASSWORD,
                     personal_data=False)  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def base(home: Path) -> Iterator[str]:
    with served(home, ORGNET_SIGNIN_ATTEMPTS="2") as address:
        yield address


class Browser:
    """One headless Chromium page that reaches only the server, fails on any script error or
    dialog, and checks each page it opens with axe-core."""

    def __init__(self, playwright: Any, base: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.base = base
        self.browser = playwright.chromium.launch(executable_path=BROWSER, args=["--no-sandbox"])
        self.context = self.browser.new_context(
            viewport={"width": 1366, "height": 768}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.elsewhere: list[str] = []
        self.failures: list[str] = []
        self.dialogs: list[str] = []
        self.axe = Axe()
        self.checked: dict[str, list[str]] = {}

        def only_the_server(route: Any) -> None:
            if route.request.url.startswith(base):
                route.continue_()
            else:
                self.elsewhere.append(route.request.url)
                route.abort()

        self.context.route("**/*", only_the_server)
        self.page.on("pageerror", lambda e: self.failures.append(str(e)))
        self.page.on("console", lambda m: self._console(m))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _console(self, message: Any) -> None:
        # A page answered 4xx on purpose logs "Failed to load resource": that is not a fault.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.failures.append(message.text)

    def open(self, path: str, status: int = 200) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == status, (path, response.status)
        # Loaded is enough: a page is whole as served (only a click fetches more, which the
        # test waits for where it clicks), and waiting for the network to idle costs half a
        # second a page.
        self.accessible(path)
        return response

    def accessible(self, path: str) -> None:
        results = self.axe.run(self.page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        self.checked[path] = bad
        assert not bad, (path, bad)

    def sign_in(self, name: str, password: str = PASSWORD) -> None:
        """Sign in as ``name`` (whoever was signed in before is forgotten)."""
        self.context.clear_cookies()
        self.page.goto(self.base + "/login")
        self.page.fill("#username", name)
        self.page.fill("#password", password)
        with self.page.expect_navigation():  # to the page it leads to, loaded
            self.page.click("button[type=submit]")

    def close(self) -> None:
        self.browser.close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def _tiles(page: Any) -> dict[str, str]:
    return page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('.tile')].map(t => "
        "[t.querySelector('.words').textContent, t.querySelector('.value').textContent]))"
    )


def test_a_clerk_signs_in_asks_downloads_uploads_and_signs_out(
    playwright: Any, base: str, home: Path, tmp_path: Path, graph: Database
) -> None:
    b = Browser(playwright, base)
    try:
        # A wrong password, then an account locked after two (this server's limit).
        b.open("/login")
        b.sign_in("to-lock", "wrong password one")
        assert "用户名或密码不正确" in b.page.inner_text("main")
        b.accessible("/login (wrong)")
        b.sign_in("to-lock", "wrong password two")
        b.sign_in("to-lock")
        assert "账号已暂时锁定" in b.page.inner_text("main")

        # Signed in, the home page of the street: its figures are the questions' own.
        b.sign_in("s1-viewer")
        assert b.page.url == base + "/"
        b.accessible("/")
        _, token = Keys(home).create(role="viewer", jurisdiction="S1", name="browser-check")
        api = httpx2.Client(base_url=base, headers={"X-API-Key": token})
        coverage = api.get("/v1/coverage").json()
        figures = _tiles(b.page)
        assert figures["小区数"] == f"{coverage['estates']:,}"
        assert figures["党组织覆盖率"] == f"{coverage['org_rate']:.1%}"
        estates_gaps = api.get("/v1/gaps/estates").json()["page"]["totals"]["rows"]
        assert figures["未建党组织的小区"] == f"{estates_gaps:,}"
        assert figures["逾期未换届"] == f"{api.get('/v1/terms').json()['overdue']:,}"

        # Every question of the registry, as a page (a viewer's role may not ask some).
        for q in QUESTIONS:
            status = 200 if q.role == "viewer" else 403
            b.open(f"/questions/{q.name}{INPUTS.get(q.name, '')}", status=status)
            assert b.page.locator("h1").inner_text()
        b.open("/questions/coverage?scope=C3", status=403)
        assert "不在您的辖区内" in b.page.inner_text("main")
        b.open("/tree")
        b.page.click("li[role=treeitem] button.toggle")
        b.page.wait_for_selector("ul[role=group] li")
        b.accessible("/tree (open)")
        b.open("/terms")
        b.open("/pairing")

        # An Excel download, opened.
        b.open("/questions/gaps?kind=estates")
        with b.page.expect_download() as caught:
            b.page.click("a.download[href*='format=xlsx']")
        saved = tmp_path / caught.value.suggested_filename
        caught.value.save_as(saved)
        book = load_workbook(saved)
        assert book.worksheets[1].max_row - 1 == estates_gaps

        # A form sent without its CSRF token is refused, and the session stays.
        refused = b.page.evaluate(
            "fetch('/logout', {method: 'POST', headers: {'Content-Type': "
            "'application/x-www-form-urlencoded'}, body: 'x=1'}).then(r => r.status)"
        )
        assert refused == 403
        b.open("/")

        # An admin uploads a roster with three problems, then a clean one; first, the pages
        # only an analyst or an admin may open, in Chinese and accessible as the others.
        b.sign_in("s1-admin")
        for q in QUESTIONS:
            if q.role != "viewer":
                b.open(f"/questions/{q.name}{INPUTS.get(q.name, '')}")
                assert b.page.locator("h1").inner_text()
        b.open("/upload")
        assert b.page.is_hidden(".progress")  # shown only while a file goes up
        wrong = tmp_path / "新园.zip"
        wrong.write_bytes(_zip({"estates.csv": "id,name,community_id,households\n"
                                "E90,新园,C1,-5\nE91,,C1,100\nE92,北园,C1,many\n"}))  # fmt: skip
        b.page.set_input_files("#u-file", str(wrong))
        b.page.click("button[value=check]")
        b.page.wait_for_selector("table.problems")
        cells = b.page.eval_on_selector_all(
            "table.problems tbody tr",
            "rows => rows.map(r => [...r.cells].slice(0, 3).map(c => c.textContent.trim()))",
        )
        assert sorted(cells) == [
            ["estates.csv", "2", "户数"], ["estates.csv", "3", "名称"],
            ["estates.csv", "4", "户数"],
        ]  # fmt: skip
        b.accessible("/upload (problems)")
        before = _tiles_of(b, "/")
        clean = tmp_path / "新园-改.zip"
        clean.write_bytes(_zip({"estates.csv": "id,name,community_id,households\n"
                                f"E90,{HOSTILE},C1,60\n"}))  # fmt: skip
        b.open("/upload")
        b.page.set_input_files("#u-file", str(clean))
        b.page.click("button[value=load]")
        b.page.wait_for_selector("#result h2")
        assert "已导入" in b.page.inner_text("#result")
        after = _tiles_of(b, "/")
        assert int(after["小区数"]) == int(before["小区数"]) + 1
        # The hostile name, shown as the text it is, wherever it appears.
        b.open("/questions/gaps?kind=estates")
        assert HOSTILE in b.page.inner_text("main")
        assert b.page.locator("main img").count() == 0
        assert b.dialogs == []

        # Signing out ends the session.
        with b.page.expect_navigation():
            b.page.click("header form.inline button")
        assert "/login" in b.page.url
        b.page.goto(base + "/questions")
        assert "/login" in b.page.url

        assert b.failures == [], b.failures
        assert b.elsewhere == [], b.elsewhere
    finally:
        b.close()


def _tiles_of(b: Browser, path: str) -> dict[str, str]:
    b.open(path)
    return {k: v.replace(",", "") for k, v in _tiles(b.page).items()}


def test_a_session_idle_past_its_time_sends_the_browser_to_sign_in(
    playwright: Any, home: Path
) -> None:
    with served(home, ORGNET_SESSION_IDLE="0.05") as address:  # three seconds
        b = Browser(playwright, address)
        try:
            b.sign_in("c1-idle")
            b.open("/")
            time.sleep(4)
            b.page.goto(address + "/terms")
            assert b.page.url.startswith(address + "/login?next=/terms")
            assert b.failures == [] and b.elsewhere == []
        finally:
            b.close()
