"""Console benchmark: every page of the console opened in headless Chromium against `orgnet
serve`, timed, and photographed.

    python -m benchmarks.console_benchmark [--home var/bench] [--district ID] [--runs 5]
    python -m benchmarks.console_benchmark --shots [--scenario xinfu] [--out var/pictures/console]

Timings (the default) read the province already loaded in the bench home (``make bench-load``
leaves it there) and serve it twice: with kept answers (each page opened once before it is
timed) and without (``ORGNET_API_CACHE=0``: every open asks the database again). For a city
(the largest district, or ``--district``) and for the whole province, each page is opened
``--runs`` times and the time from navigation start until its content is drawn (the load
event; on an entity page, its network drawn) is printed as the median with its spread. The
tree's first level is timed from the click to its branch drawn. Targets: every page ≤ 1 s on a
city and ≤ 3 s on the province with kept answers, ≤ 2 s on a city without them; the tree's
first level ≤ 300 ms.

``--shots`` photographs every page of a scenario (xinfu by default, generated and loaded into
its own engine home the first time) at 1366×768 and at 390×844 into ``--out``: look at them.
Every request that is not to the server is refused and counted (there must be none).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from orgnet.api.users import Users
from orgnet.graph.connection import Database, connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.settings import REPO, Settings
from orgnet.queries.registry import QUESTIONS

PASSWORD = "benchmark password"
CITY_MS, PROVINCE_MS, COLD_CITY_MS, BRANCH_MS = 1000, 3000, 2000, 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(home: Path, api_home: Path, **env: str) -> Iterator[str]:
    port = _free_port()
    environment = {**os.environ, "ORGNET_HOME": str(home), "ORGNET_API_HOME": str(api_home),
                   **env}  # fmt: skip
    environment.pop("NEO4J_URI", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "orgnet.api.cli", "serve", "--port", str(port)],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx2

        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx2.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit(
                    f"orgnet serve did not start: {server.stderr.read() if server.stderr else ''}"
                )
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)


def pages(db: Database, scope: str | None) -> list[tuple[str, str]]:
    """(name, path) of every page a clerk opens, for one scope (None: the user's own)."""
    q = f"scope={scope}&" if scope else ""
    [sample] = db.read(
        "MATCH (c:Community)<-[:PART_OF]-(e:Estate)<-[:COVERS]-(o:PartyOrg) "
        + ("WHERE EXISTS { (c)-[:PART_OF*0..2]->(:Entity {id: $scope}) } " if scope else "")
        + "WITH c, e, o ORDER BY c.id, e.id LIMIT 1 "
        "MATCH (p:Person)-[:LIVES_IN]->(:Building)-[:PART_OF]->(e) "
        "RETURN c.id AS community, e.id AS estate, o.id AS org, min(p.id) AS a, max(p.id) AS b",
        {"scope": scope},
    )
    listed = [("home", f"/?{q}"), ("questions", "/questions")]
    for question in QUESTIONS:
        extra = {
            "gaps": "kind=estates&",
            "chain": f"id={sample['estate']}&",
            "path": f"source={sample['a']}&target={sample['b']}&",
        }.get(question.name, "")
        scoped = q if question.scoped else ""
        listed.append((question.name, f"/questions/{question.name}?{extra}{scoped}"))
    listed += [
        ("tree", "/tree"),
        ("terms-page", f"/terms?{q}"),
        ("pairing-page", f"/pairing?{q}"),
        ("entity", f"/entities/{sample['community']}"),
        ("search", "/search?q=" + "社区"),
        ("upload", "/upload"),
    ]
    return listed


class Chromium:
    def __init__(self, playwright: Any, base: str, width: int = 1366, height: int = 768) -> None:
        path = shutil.which("chromium") or shutil.which("chromium-browser")
        if path is None:
            sys.exit("no chromium on this machine (apt-get install chromium fonts-noto-cjk)")
        self.base = base
        self.browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        self.context = self.browser.new_context(viewport={"width": width, "height": height})
        self.elsewhere: list[str] = []
        self.failures: list[str] = []

        def only_the_server(route: Any) -> None:
            if route.request.url.startswith(base):
                route.continue_()
            else:
                self.elsewhere.append(route.request.url)
                route.abort()

        self.context.route("**/*", only_the_server)
        self.context.set_default_timeout(600_000)  # a province's first answer takes a while
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.failures.append(str(e)))

    def sign_in(self, name: str) -> None:
        self.context.clear_cookies()
        self.page.goto(self.base + "/login?next=/questions")  # a light page to land on
        self.page.fill("#username", name)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("load")

    def open(self, path: str) -> float:
        """Milliseconds from navigation start until the page's content is drawn."""
        self.page.goto(self.base + path, timeout=300_000)
        self.page.wait_for_load_state("load")
        if path.startswith("/entities/"):
            self.page.wait_for_function("window.orgnetNetwork !== undefined", timeout=120_000)
            return float(self.page.evaluate("performance.now()"))
        return float(
            self.page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        )

    def open_branch(self) -> float:
        """Milliseconds from a click on the tree's first branch to its level drawn."""
        self.page.goto(self.base + "/tree")
        self.page.wait_for_load_state("load")
        started = float(self.page.evaluate("performance.now()"))
        self.page.click("li[role=treeitem] button.toggle")
        self.page.wait_for_selector("ul[role=group] li", timeout=120_000)
        return float(self.page.evaluate("performance.now()")) - started

    def close(self) -> None:
        self.browser.close()


def _row(name: str, times: list[float], target: float) -> str:
    median = statistics.median(times)
    flag = "" if median <= target else f"  > {target:,.0f}"
    return (f"  {name:<14}{median:>9,.0f}{f'{min(times):,.0f}–{max(times):,.0f}':>16}"
            f"{flag}")  # fmt: skip


def timings(args: argparse.Namespace) -> None:
    from playwright.sync_api import sync_playwright

    from .api_benchmark import largest_district

    settings = Settings(orgnet_home=args.home, neo4j_uri=None)
    EmbeddedEngine(settings).start()
    with connect(settings) as db:
        if not db.read("MATCH (e:Estate) RETURN count(e) > 0 AS loaded")[0]["loaded"]:
            sys.exit(f"no data in {args.home}: run `make bench-load` first")
        city = args.district or largest_district(db)
        scopes = {"city": pages(db, city), "province": pages(db, None)}
    with tempfile.TemporaryDirectory(prefix="orgnet-console-bench-") as api_home:
        users = Users(Path(api_home))
        users.create("city", role="admin", jurisdiction=city, password=PASSWORD,
                     personal_data=False)  # fmt: skip
        users.create("province", role="admin", jurisdiction="all", password=PASSWORD,
                     personal_data=False)  # fmt: skip
        print(f"city {city}; Chromium at 1366×768, nothing but the server reachable; median "
              f"of {args.runs} opens (ms, navigation start → content drawn), spread "
              "fastest–slowest")  # fmt: skip
        parts = set(args.parts.split(","))
        for kept in (True, False):
            if not kept and "cold" not in parts:
                continue
            env = {} if kept else {"ORGNET_API_CACHE": "0"}
            with served(args.home, Path(api_home), **env) as base, sync_playwright() as p:
                for who, listed in scopes.items():
                    if (not kept and who == "province") or (kept and who not in parts):
                        continue
                    target = (
                        (PROVINCE_MS if who == "province" else CITY_MS) if kept else COLD_CITY_MS
                    )
                    print(f"\n{who}, {'with kept answers' if kept else 'without kept answers'} "
                          f"(target ≤ {target:,} ms)")  # fmt: skip
                    browser = Chromium(p, base)
                    try:
                        browser.sign_in(who)
                        for name, path in listed:
                            if kept:
                                browser.open(path)  # its answer kept
                            times = [browser.open(path) for _ in range(args.runs)]
                            print(_row(name, times, target))
                        if kept:
                            branch = [browser.open_branch() for _ in range(args.runs)]
                            print(_row("tree level 1", branch, BRANCH_MS))
                        if browser.elsewhere or browser.failures:
                            sys.exit(f"fetched elsewhere {browser.elsewhere}; "
                                     f"failures {browser.failures}")  # fmt: skip
                    finally:
                        browser.close()


def shots(args: argparse.Namespace) -> None:
    from playwright.sync_api import sync_playwright

    from orgnet.api.notebook import open_scenario

    book = open_scenario(args.scenario, seed=7, home=args.scenario_home)
    try:
        listed = pages(book.db, None)
    finally:
        book.stop()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="orgnet-console-shots-") as api_home:
        Users(Path(api_home)).create("clerk", role="admin", jurisdiction="all",
                                     password=PASSWORD, personal_data=False)  # fmt: skip
        extra = [("login", "/login"), ("refused", "/questions/coverage?scope=NOPE")]
        small = {"ORGNET_HEAP": "1g", "ORGNET_PAGECACHE": "1g"}
        with served(args.scenario_home, Path(api_home), **small) as base, sync_playwright() as p:
            for width, height in ((1366, 768), (390, 844)):
                browser = Chromium(p, base, width, height)
                try:
                    browser.page.goto(base + "/login")
                    browser.page.screenshot(path=str(args.out / f"login-{width}.png"))
                    browser.sign_in("clerk")
                    for name, path in [*listed, *extra[1:]]:
                        browser.open(path)
                        browser.page.screenshot(
                            path=str(args.out / f"{name}-{width}.png"), full_page=True
                        )
                    browser.open_branch()
                    browser.page.click("ul[role=group] li button.toggle")
                    browser.page.wait_for_timeout(800)
                    browser.page.screenshot(path=str(args.out / f"tree-open-{width}.png"),
                                            full_page=True)  # fmt: skip
                    if browser.elsewhere or browser.failures:
                        sys.exit(f"fetched elsewhere {browser.elsewhere}; "
                                 f"failures {browser.failures}")  # fmt: skip
                finally:
                    browser.close()
    print(f"{len(listed) + 3} pages at 1366×768 and 390×844 in {args.out}: look at each one")


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--district", default=None, help="The city (default: the largest).")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shots", action="store_true", help="Photograph every page instead.")
    parser.add_argument(
        "--parts", default="city,province,cold",
        help="What to time: city and province with kept answers, cold (a city without them).",
    )  # fmt: skip
    parser.add_argument("--scenario", default="xinfu")
    parser.add_argument("--scenario-home", type=Path, default=REPO / "var" / "views")
    parser.add_argument("--out", type=Path, default=REPO / "var" / "pictures" / "console")
    args = parser.parse_args()
    shots(args) if args.shots else timings(args)


if __name__ == "__main__":
    main()
