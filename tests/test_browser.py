"""A real browser opens the network views with the network blocked: the page draws (a canvas,
the vis.js data holding the view's node and edge counts), nothing but the page itself is
requested, and no script fails. Headless Chromium comes from the system's packages (`make test`
installs it where it can); without one the test says so and is skipped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orgnet.api.tree import draw_tree
from orgnet.api.views import View, draw
from orgnet.graph.connection import Database
from orgnet.queries.networks import contact_path, structure

from .city import TODAY

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


def _open(view: View, tmp_path: Path, name: str) -> dict:
    from playwright.sync_api import sync_playwright

    page_file = view.save(tmp_path / f"{name}.html")
    asked: list[str] = []
    failures: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=BROWSER, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("pageerror", lambda e: failures.append(str(e)))

            def only_the_page(route: object) -> None:
                url = route.request.url  # type: ignore[attr-defined]
                asked.append(url)
                if url == page_file.as_uri():
                    route.continue_()  # type: ignore[attr-defined]
                else:
                    route.abort()  # type: ignore[attr-defined]

            page.route("**/*", only_the_page)
            page.goto(page_file.as_uri())
            page.wait_for_function("window.orgnetView && window.orgnetView.drawnMs !== null")
            if "orgnetView.places" in page.content() or page.evaluate(
                "window.orgnetView.places !== undefined"
            ):
                # The org chart: its places listed, a search opening the branches it finds.
                drawn = page.evaluate(
                    "({nodes: window.orgnetView.nodes, edges: window.orgnetView.edges,"
                    " places: window.orgnetView.places, found: window.orgnetView.search('B12'),"
                    " shown: document.querySelector('li.hit').offsetParent !== null})"
                )
            else:
                drawn = page.evaluate(
                    "({nodes: window.orgnetView.nodes, edges: window.orgnetView.edges,"
                    " canvases: document.querySelectorAll('#network canvas').length,"
                    " width: document.querySelector('#network canvas').width})"
                )
        finally:
            browser.close()
    return {**drawn, "asked": asked, "failures": failures, "page": page_file.as_uri()}


@pytest.mark.skipif(
    BROWSER is None, reason="no chromium on this machine (apt-get install chromium)"
)
@pytest.mark.parametrize("kind", ["structure", "path"])
def test_a_browser_draws_the_view_and_fetches_nothing(
    graph: Database, tmp_path: Path, kind: str
) -> None:
    network = (
        structure(graph, "S1", TODAY)
        if kind == "structure"
        else contact_path(graph, "P-O1", "P-O3", TODAY)
    )
    view = draw_tree(network) if kind == "structure" else draw(network)
    seen = _open(view, tmp_path, kind)
    assert seen["failures"] == []
    if kind == "structure":
        assert seen["places"] > 10 and seen["found"] == 1 and seen["shown"]
    else:
        assert seen["canvases"] == 1 and seen["width"] > 0
    assert (seen["nodes"], seen["edges"]) == (view.nodes, view.edges) != (0, 0)
    assert seen["asked"] == [seen["page"]], "the page asked for something besides itself"
