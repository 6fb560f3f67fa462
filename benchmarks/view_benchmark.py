"""View benchmark: every network view and the HTML report of a scenario, drawn, opened in
headless Chromium with the network blocked, timed and photographed.

    python -m benchmarks.view_benchmark [--scenario xinfu] [--home var/views] [--out var/pictures]
                                        [--runs 3]

It generates and loads the scenario into its own engine home the first time. For the largest
community (by buildings), its street and district it draws the structure, pairing, cross, path
and neighbourhood views and writes the report; each page is opened ``--runs`` times in
Chromium with every request but the page refused, and the time until vis-network first drew
(from navigation start) is printed as the median with its spread, beside the nodes, the
relationships and the time Python took to build the page. A PNG of each lands in ``--out``:
look at them.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from orgnet.api.notebook import open_scenario
from orgnet.api.report import write_html
from orgnet.api.views import View, draw
from orgnet.graph.connection import Database
from orgnet.graph.settings import REPO
from orgnet.queries import networks
from orgnet.queries.report import coverage_report


def _largest_community(db: Database) -> tuple[str, str, str]:
    [row] = db.read(
        "MATCH (d:District)<-[:PART_OF]-(s:Street)<-[:PART_OF]-(c:Community) "
        "RETURN c.id AS community, s.id AS street, d.id AS district "
        "ORDER BY COUNT { (c)<-[:PART_OF*2]-(:Building) } DESC, community LIMIT 1"
    )
    return row["community"], row["street"], row["district"]


def _two_residents(db: Database, community: str) -> tuple[str, str]:
    rows = db.read(
        "MATCH (:Community {id: $c})<-[:PART_OF*2]-(:Building)<-[:LIVES_IN]-(p:Person) "
        "RETURN p.id AS id ORDER BY id LIMIT 40",
        {"c": community},
    )
    return rows[0]["id"], rows[-1]["id"]


def _open(browser: object, page_file: Path, png: Path | None, views: bool) -> float:
    """Milliseconds from navigation start until the view first drew (the report: until it
    loaded); a screenshot when ``png`` is given."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    asked: list[str] = []

    def only_the_page(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        asked.append(url)
        route.continue_() if url == page_file.as_uri() else route.abort()  # type: ignore[attr-defined]

    page.route("**/*", only_the_page)
    page.goto(page_file.as_uri())
    if views:
        page.wait_for_function("window.orgnetView && window.orgnetView.drawnMs !== null")
        ms = float(page.evaluate("window.orgnetView.drawnMs"))
    else:
        ms = float(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
    if png is not None:
        page.screenshot(path=str(png), full_page=not views)
    page.close()
    if asked != [page_file.as_uri()]:
        sys.exit(f"{page_file.name} asked for more than itself: {asked}")
    return ms


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="xinfu")
    parser.add_argument("--home", type=Path, default=REPO / "var" / "views")
    parser.add_argument("--out", type=Path, default=REPO / "var" / "pictures")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--as-of", default="2026-11-23")
    args = parser.parse_args()
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser_path is None:
        sys.exit("no chromium on this machine (apt-get install chromium fonts-noto-cjk)")

    args.out.mkdir(parents=True, exist_ok=True)
    day = args.as_of
    book = open_scenario(args.scenario, seed=7, home=args.home)  # generated and loaded once
    db = book.db
    try:
        community, street, district = _largest_community(db)
        a, b = _two_residents(db, community)
        asked: list[tuple[str, Callable[[], View]]] = [
            (f"structure {community}",
             lambda: draw(networks.structure(db, community, day), hierarchy=True)),
            (f"structure {street}",
             lambda: draw(networks.structure(db, street, day), hierarchy=True)),
            (f"pairing {district}", lambda: draw(networks.pairing(db, district, day))),
            (f"cross {street}", lambda: draw(networks.cross(db, street, day))),
            (f"path {a} {b}", lambda: draw(networks.contact_path(db, a, b, day))),
            (f"neighbourhood {community}",
             lambda: draw(networks.neighbourhood(db, community, day, depth=1)[0])),
        ]  # fmt: skip
        pages: list[tuple[str, Path, int, int, float]] = []
        for name, build in asked:
            started = time.perf_counter()
            view = build()
            built = (time.perf_counter() - started) * 1000
            path = view.save(args.out / f"{name.replace(' ', '-')}.html")
            pages.append((name, path, view.nodes, view.edges, built))
        report = args.out / f"report-{district}.html"
        started = time.perf_counter()
        write_html(coverage_report(db, district, day), report)
        pages.append((f"report {district}", report, 0, 0, (time.perf_counter() - started) * 1000))
    finally:
        book.stop()

    from playwright.sync_api import sync_playwright

    print(f"\n{args.scenario}: largest community {community} (street {street}); Chromium, "
          f"network blocked; median of {args.runs} opens, spread fastest–slowest\n")  # fmt: skip
    print(f"{'page':<42}{'nodes':>7}{'edges':>7}{'built ms':>10}{'drawn ms':>10}{'spread':>14}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        try:
            for name, path, nodes, edges, built in pages:
                views = not name.startswith("report")
                times = [
                    _open(browser, path, path.with_suffix(".png") if i == 0 else None, views)
                    for i in range(args.runs)
                ]
                spread = f"{min(times):,.0f}–{max(times):,.0f}"
                print(f"{name:<42}{nodes:>7,}{edges:>7,}{built:>10,.0f}"
                      f"{statistics.median(times):>10,.0f}{spread:>14}")  # fmt: skip
        finally:
            browser.close()
    print(f"\nPNGs in {args.out}")


if __name__ == "__main__":
    main()
