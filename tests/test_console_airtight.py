"""The console, airtight: every page of it — discovered from the app's routes, so that a page
added later is walked without editing this test — asked by users of every role on a street and
on a community, with and without the personal-data right, with their own scope, one beside it
and ones outside, and with ids inside, outside and unknown; no page, fragment or download holds
an id, a name, an agreement or a phone of anything outside the user's jurisdiction, nor a full
name or a clear phone without the right.

What lies outside is worked out from the graph by the rule of the API's airtight test
(tests/test_jurisdiction_airtight.py), written apart from the one the guard applies, on the
same network that reaches across the two streets.

CI asks every request of every user; `make test` (``--fuzz quick``) asks each user a third of
them, in turn, so that every request is still asked of some user (the ``rotation`` fixture).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from orgnet.api.guard import OPEN, GuardedRoute
from orgnet.api.server import create_app
from orgnet.api.users import Users
from orgnet.graph.connection import Database
from orgnet.graph.settings import Settings
from orgnet.queries.registry import GAP_KINDS, QUESTIONS

from .dump import database_with, write_dataset
from .routes import every_route
from .test_jurisdiction_airtight import _SPLIT, Network, _dataset, tokens_of

PASSWORD = "correct horse battery"
USERS = [
    ("S1-viewer", "viewer", "S1", False),
    ("S1-analyst-pd", "analyst", "S1", True),
    ("C1-analyst", "analyst", "C1", False),
    ("C1-admin-pd", "admin", "C1", True),
    ("C2-analyst-pd", "analyst", "C2", True),
]


@pytest.fixture(scope="module")
def graph(engine: Any, settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    folder = write_dataset(tmp_path_factory.mktemp("across"), _dataset())
    with database_with(settings, folder) as db:
        yield db


@pytest.fixture(scope="module")
def app(graph: Database, settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Any:
    home = tmp_path_factory.mktemp("airtight-console")
    users = Users(home)
    for name, role, where, personal in USERS:
        users.create(name, role=role, jurisdiction=where, password=PASSWORD,
                     personal_data=personal)  # fmt: skip
    return create_app(settings.model_copy(update={"orgnet_api_home": Path(home)}))


def _pages(app: Any) -> list[str]:
    """The console's GET pages, by path: every guarded route outside the API."""
    found = []
    for route in every_route(app.routes):
        if not isinstance(route, GuardedRoute) or route.path.startswith("/v1"):
            continue
        if "GET" in route.methods and route.path not in OPEN:
            found.append(route.path)
    return sorted(set(found))


def _asked(path: str, j: str, ids: dict[str, list[str]]) -> list[dict[str, Any]]:
    """How the walk asks each page: its parameters (a path's own in ``_path``)."""
    scopes = [None, j, "C2" if j == "S1" else "S1", "C3", "P-C3"]
    every_id = [*ids["inside"], *ids["outside"], "NOPE"]
    if path in ("/", "/terms", "/pairing"):
        return [{"scope": s} if s else {} for s in scopes] + [{"as_of": "2021-06-01"}]
    if path in ("/questions", "/upload"):
        return [{}]
    if path == "/tree":
        finds = [{"find": q} for q in ("社区", "西", "C3", "P-C3", "王小明")]
        return [{}, *({"open": i} for i in every_id), *finds]
    if path == "/questions/{name}" or path == "/questions/{name}/download":
        asked = []
        for q in QUESTIONS:
            inputs: list[dict[str, Any]] = [{}]
            if q.name == "gaps":
                inputs = [{"kind": k} for k in GAP_KINDS]
            elif q.name in ("chain", "history"):
                inputs = [{"id": i} for i in every_id]
            elif q.name == "changes":
                inputs = [{"since": "2020-01-01"}, {"since": "2021-01-01", "until": "2024-06-01"}]
            elif q.name == "trend":
                inputs = [{"since": "2020-01-01", "every": "year"}]
            elif q.name == "load_changes":
                inputs = [{"load": "1"}, {"load": "99"}]
            elif q.name == "path":
                inputs = [{"source": a, "target": b} for a in ids["inside"][:2]
                          for b in [*ids["inside"][2:4], *ids["outside"][:2]]]  # fmt: skip
            formats = ["xlsx", "csv"] + (["html"] if q.name == "report" else [])
            for given in inputs:
                for scope in scopes if q.scoped else [None]:
                    params = {"_path": path.replace("{name}", q.name), **given}
                    if scope:
                        params["scope"] = scope
                    if path.endswith("/download"):
                        asked += [{**params, "format": f} for f in formats]
                    else:
                        asked.append(params)
        return asked
    if path == "/entities/{id}":
        return [{"_path": f"/entities/{i}"} for i in every_id]
    if path == "/tree/branch":
        return [{"id": i, "kind": k} for i in [*every_id, j, "D1", "S2"] for k in ("place", "org")]
    if path == "/search":
        return [{"q": q} for q in ("人", "社区", "西", "P-C3", "C3", "王小明", "李晓燕", "U3")]
    if path == "/upload/progress":
        return [{"token": "abcdefgh12345678"}]
    raise AssertionError(f"the walk does not know how to ask {path}: teach it")


def _ids(network: Network, j: str) -> dict[str, list[str]]:
    inside = network.inside(j)
    people = sorted(i for i in inside if network.labels[i] in ("Person", "Building"))[:3]
    return {
        "inside": [*people, "E1", "PC1", "U1"],
        "outside": ["P-C3", "C3", "PW1" if j.startswith("C") else "D1", "B71", "U3"],
    }


@pytest.mark.fuzz
def test_no_page_lets_anything_outside_the_jurisdiction_or_personal_data_through(
    app: Any, graph: Database, rotation: Callable[..., bool]
) -> None:
    network = Network(graph)
    pages = _pages(app)
    assert {"/", "/questions/{name}", "/entities/{id}", "/tree/branch", "/upload"} <= set(pages)
    answered: dict[str, int] = {}
    considered = asked = 0
    for user, (name, _, j, personal) in enumerate(USERS):
        client = TestClient(app, follow_redirects=False)
        signed = client.post("/login", data={"username": name, "password": PASSWORD})
        assert signed.status_code == 303
        forbidden = network.forbidden(j, personal)
        ids = _ids(network, j)
        walked = [
            (page, params, number, len(every))
            for page in pages
            for every in [_asked(page, j, ids)]
            for number, params in enumerate(every)
        ]
        considered += len(walked)
        for page, params, number, of in walked:
            # `make test`: each user a third of a page's requests, in turn; a page asked one
            # way, by every user (which of them it answers depends on the role).
            if of > 1 and not rotation(user, number):
                continue
            asked += 1
            params = dict(params)
            url = params.pop("_path", page)
            response = client.get(url, params=params)
            assert response.status_code < 500, (name, url, params, response.text[:300])
            sent = set(_SPLIT.split(url)) | {str(v) for v in params.values()}
            found = tokens_of(response) - sent
            leaks = {t: why for t, why in forbidden.items() if t in found}
            assert not leaks, (name, url, params, response.status_code, leaks)
            if response.status_code == 200:
                answered[page] = answered.get(page, 0) + 1
    # Every page answered someone (the walk asked what each can show, not only refusals).
    assert set(answered) == set(pages), set(pages) - set(answered)
    assert considered > 1000 and asked >= considered // 3
