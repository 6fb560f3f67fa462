"""Jurisdiction and personal data, airtight: every route of the OpenAPI document, asked by keys
of every role on a street and on a community, with and without the personal-data right, with
and without a scope, today, in the past and in the future, in every format — and no answer
holds an id, a name, an agreement or a phone of anything outside the key's jurisdiction, nor a
full name or a clear phone without the right.

What lies outside is worked out here from the graph itself (a dump of every node and
relationship) by a rule written apart from the one the API applies; the routes are discovered
from the OpenAPI document, so a route added later is walked without editing this test.

The network is the hand-built city (tests/city.py) with a few people and pairings that reach
across the two streets: P-X lives in S2 and reports to C1; P-Y lives in C1, works for a unit of
S2 and reports to C3; unit U1 (S1) is also paired with C3 under an agreement that names it.

CI asks every request of every key; `make test` (``--fuzz quick``) asks each key a third of
them, in turn, so that every request is still asked of some key (the ``rotation`` fixture).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from orgnet.api.audit import AuditLog
from orgnet.api.keys import Keys
from orgnet.api.server import create_app
from orgnet.graph.connection import Database
from orgnet.graph.model import TERRITORY
from orgnet.graph.settings import Settings
from orgnet.queries.registry import GAP_KINDS

from .city import city
from .dump import database_with, dump, write_dataset

PAST, FUTURE = "2021-06-01", "2030-06-01"
# Who lives, works, reports and pairs across the two streets (see the module's docstring).
_ACROSS: dict[str, list[dict]] = {
    "persons": [
        {"id": "P-X", "name": "王小明", "phone": "13900000099", "party_member": "是",
         "member_category": "in_service", "building_id": "B71"},
        {"id": "P-Y", "name": "李晓燕", "phone": "13900000098", "party_member": "是",
         "member_category": "in_service", "building_id": "B11", "employer_id": "U3"},
    ],
    "reports": [
        {"person_id": "P-X", "community_id": "C1", "since": "2020-01-01"},
        {"person_id": "P-Y", "community_id": "C3", "since": "2024-03-01"},
    ],
    "pairings": [
        {"unit_id": "U1", "target_id": "C3", "since": "2024-01-01", "agreement": "AGR-西园-U1"},
        {"unit_id": "U3", "target_id": "C3", "since": "2022-07-01", "agreement": "AGR-城投-西园"},
    ],
}  # fmt: skip
KEYS = [
    (f"{where}-{role}{'-pd' if personal else ''}", role, where, personal)
    for where in ("S1", "C1")
    for role in ("viewer", "analyst", "admin")
    for personal in (False, True)
] + [("C2-analyst-pd", "analyst", "C2", True)]
ROLES = {name: role for name, role, _, _ in KEYS}


def _dataset() -> dict[str, list[dict]]:
    files = city()
    for name, rows in _ACROSS.items():
        kept = [r for r in files.get(name, []) if name != "pairings" or r["unit_id"] != "U3"]
        files[name] = kept + rows
    return files


@pytest.fixture(scope="module")
def graph(engine: Any, settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    folder = write_dataset(tmp_path_factory.mktemp("across"), _dataset())
    with database_with(settings, folder) as db:
        yield db


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("airtight-api")


@pytest.fixture(scope="module")
def tokens(home: Path) -> dict[str, tuple[str, str, bool]]:
    keys = Keys(home)
    made = {}
    for name, role, where, personal in KEYS:
        _, token = keys.create(role=role, jurisdiction=where, personal_data=personal, name=name)
        made[name] = (token, where, personal)
    return made


@pytest.fixture(scope="module")
def client(graph: Database, settings: Settings, home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"orgnet_api_home": home}))) as c:
        yield c


# -- what lies outside, from the graph itself --------------------------------------------------


class Network:
    """The dumped graph, and what lies inside a jurisdiction by a rule of the test's own:
    places under it; orgs that serve it (a current SERVES); committees of its estates; firms
    managing one of them and units located in one of its streets or paired with one of its
    places, by a current link; persons living in, holding a post in, member of, reported to or
    liaising with any of these, by a current link."""

    def __init__(self, db: Database) -> None:
        nodes, rels = dump(db)
        self.labels: dict[str, str] = {}
        self.props: dict[str, dict] = {}
        for labels, props in nodes:
            values = dict(props)
            label = next(label for label in labels if label != "Entity")
            self.labels[values["id"]] = label
            self.props[values["id"]] = values
        self.rels = [(t, a, b, dict(p)) for t, a, b, p in rels]
        self.today = dt.date.today().isoformat()

    def current(self, props: dict) -> bool:
        since, until = props.get("since"), props.get("until")
        return (since is None or since <= self.today) and (until is None or until > self.today)

    def inside(self, j: str) -> set[str]:
        parent = {a: b for t, a, b, _ in self.rels if t == "PART_OF"}

        def under(x: str) -> bool:
            for _ in range(6):
                if x == j:
                    return True
                if x not in parent:
                    return False
                x = parent[x]
            return False

        places = {n for n, label in self.labels.items() if label in TERRITORY and under(n)}
        rels = self.rels
        orgs = {a for t, a, b, p in rels if t == "SERVES" and b == j and self.current(p)}
        committees = {a for t, a, b, _ in rels if t == "REPRESENTS" and b in places}
        firms = {a for t, a, b, p in rels if t == "MANAGES" and b in places and self.current(p)}
        units = {a for t, a, b, _ in rels if t == "LOCATED_IN" and b in places} | {
            a for t, a, b, p in rels if t == "PAIRED_WITH" and b in places and self.current(p)
        }
        bodies = places | orgs | committees | firms | units
        ties = ("LIVES_IN", "HOLDS", "MEMBER_OF", "REPORTED_TO", "LIAISES")
        persons = {
            a
            for t, a, b, p in rels
            if t in ties and b in bodies and self.labels[a] == "Person" and self.current(p)
        }
        return bodies | persons

    def forbidden(self, j: str, personal: bool) -> dict[str, str]:
        """Every value an answer to a key of ``j`` must not hold, with why."""
        inside = self.inside(j)
        names_inside = {self.props[n].get("name") for n in inside}
        out: dict[str, str] = {}
        for id, label in self.labels.items():
            if id in inside:
                if label == "Person" and not personal:
                    name, phone = self.props[id].get("name"), self.props[id].get("phone")
                    if name:
                        out[name] = f"the full name of {id}"
                    if phone:
                        out[phone] = f"the phone of {id}"
                continue
            out[id] = f"the id of {id} ({label}, outside)"
            name = self.props[id].get("name")
            if name and name not in names_inside:
                out[name] = f"the name of {id} ({label}, outside)"
            if self.props[id].get("phone"):
                out[self.props[id]["phone"]] = f"the phone of {id} (outside)"
        for t, a, b, p in self.rels:
            if a in inside and b in inside:
                continue
            for value in p.values():
                if isinstance(value, str) and not re.fullmatch(r"[\d\-|]+|[a-z_]+", value):
                    out[value] = f"a property of {t} {a}→{b} (outside)"
        return out


@pytest.fixture(scope="module")
def network(graph: Database) -> Network:
    return Network(graph)


# -- reading whatever came back -------------------------------------------------------------

_SPLIT = re.compile(r"[\s,;、—()（）:：\[\]'\"<>=/]+")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def tokens_of(response: Any) -> set[str]:
    """Every value a response carries, whole and cut at separators."""
    kind = response.headers.get("content-type", "")
    texts: list[str] = []
    if "json" in kind:
        texts = list(_strings(response.json()))
    elif "csv" in kind:
        texts = [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
                 for cell in row]  # fmt: skip
    elif "spreadsheet" in kind:
        book = load_workbook(io.BytesIO(response.content))
        texts = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
                 if c.value is not None]  # fmt: skip
    else:
        texts = [response.text]
    found = set(texts)
    for text in texts:
        found.update(t for t in _SPLIT.split(text) if t)
    return found


def zipped_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist())


class Walk:
    """The requests of the walk, each checked; with a ``rotation`` (``--fuzz quick``), a key
    asks only its share of its requests (the downloads of an answer it asked always). Keys of
    one role ask the same requests in the same order, so each key takes its turn among those of
    its role (four or more each): every request is still asked of one of them."""

    def __init__(self, client: TestClient, network: Network, rotation: Callable[..., bool]) -> None:
        self.client = client
        self.network = network
        self.rotation = rotation
        self.turns: dict[str, int] = {}  # a key's turn among the keys of its role
        self.considered: dict[str, int] = {}
        self.asked = 0
        self.answered: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self._forbidden: dict[tuple[str, bool], dict[str, str]] = {}

    def forbidden(self, j: str, personal: bool) -> dict[str, str]:
        if (j, personal) not in self._forbidden:
            self._forbidden[(j, personal)] = self.network.forbidden(j, personal)
        return self._forbidden[(j, personal)]

    def check(self, name: str, token: str, j: str, personal: bool, method: str, url: str,
              params: dict | None = None, route: str = "", always: bool = False,
              **more: Any) -> Any:  # fmt: skip
        """The response, checked; None for a request that is not this key's to ask."""
        if name not in self.turns:
            self.turns[name] = sum(ROLES[k] == ROLES[name] for k in self.turns)
        number = self.considered.get(name, 0)
        if not always:  # a download is not counted: the order stays the same for every key
            self.considered[name] = number + 1
            if not self.rotation(self.turns[name], number):
                return None
        started = time.perf_counter()
        response = self.client.request(
            method, url, params=params, headers={"X-API-Key": token}, **more
        )
        self.asked += 1
        kind = f"{method} {route or url} {(params or {}).get('format', 'json')}"
        self.seconds[kind] = self.seconds.get(kind, 0.0) + time.perf_counter() - started
        assert response.status_code < 500, (name, url, params, response.text[:300])
        # What the request itself carried may come back (an id asked for, a file's cells).
        sent = set(_SPLIT.split(url)) | {str(v) for v in (params or {}).values()}
        for _, (_, content) in (more.get("files") or {}).items():
            sent |= set(_SPLIT.split(zipped_text(content)))
        found = tokens_of(response) - sent
        leaks = {token: why for token, why in self.forbidden(j, personal).items() if token in found}
        assert not leaks, (name, method, url, params, response.status_code, leaks)
        if response.status_code == 200:
            self.answered[route or url] = self.answered.get(route or url, 0) + 1
        return response


def _ids(network: Network, j: str) -> dict[str, list[str]]:
    inside = network.inside(j)
    people = sorted(i for i in inside if network.labels[i] in ("Person", "Building"))[:3]
    return {
        "inside": [*people, "E1", "PC1", "U1"],
        "outside": ["P-C3", "C3", "PW1" if j.startswith("C") else "D1", "B71", "U3"],
        "unknown": ["NOPE"],
    }


@pytest.mark.fuzz
def test_no_route_lets_anything_outside_the_jurisdiction_or_personal_data_through(
    client: TestClient, tokens: dict, network: Network, rotation: Callable[..., bool]
) -> None:
    spec = client.get("/openapi.json").json()
    walk = Walk(client, network, rotation)  # `make test`: each key a third, in turn
    routes = [
        (path, method)
        for path, operations in spec["paths"].items()
        for method in operations
        if path.startswith("/v1/")
    ]
    assert len(routes) >= 17
    for name, (token, j, personal) in tokens.items():
        ids = _ids(network, j)
        # Its own, one beside or above it, one of the other street, and a person's id.
        scopes = [None, j, "C2" if j == "S1" else "S1", "C3", "P-C3"]
        for path, method in routes:
            if method == "post":
                _upload(walk, name, token, j, personal)
                continue
            operation = spec["paths"][path][method]
            # A question answers a viewer, an analyst and an admin alike: the viewer's keys
            # ask it every way, the others by default and with a scope outside.
            every_way = "viewer" in name or "questions" not in operation.get("tags", [])
            for url in _urls(path, ids):
                parameters = operation.get("parameters", [])
                names = {p["name"] for p in parameters}
                most = next(
                    (p["schema"].get("maximum") for p in parameters if p["name"] == "limit"), None
                )
                asked_scopes = scopes if every_way else [None, "C3"]
                for scope in asked_scopes if "scope" in names else [None]:
                    # Past and future days with the key's own scope: the jurisdiction stays.
                    days = (None, PAST, FUTURE) if "as_of" in names and not scope else (None,)
                    if not every_way:
                        days = (None, PAST)
                    for as_of in days:
                        params: dict[str, Any] = {"limit": most} if most else {}
                        if scope:
                            params["scope"] = scope
                        if as_of:
                            params["as_of"] = as_of
                        if "depth" in names:
                            params["depth"] = 2
                        if "since" in names:  # a period: from before the pairings began
                            params["since"] = "2020-01-01"
                        if "q" in names:
                            for q in ("人", "人员P-O1", "社区", "西", "P-C3", "C3", "王小明"):
                                asked = {**params, "q": q}
                                walk.check(name, token, j, personal, "GET", url, asked, path)
                            continue
                        response = walk.check(name, token, j, personal, "GET", url, params, path)
                        downloads = every_way and not scope and not as_of
                        if response is None or response.status_code != 200:
                            continue
                        if "format" in names and downloads:
                            _downloads(walk, name, token, j, personal, url, params, response, path)
    # Every route was answered (200) for some key: the walk reached every answer's body.
    assert {path for path, _ in routes} <= set(walk.answered), set(walk.answered)
    considered = sum(walk.considered.values())  # the downloads besides
    assert considered > 2000 and walk.asked >= considered // 3
    slowest = sorted(walk.seconds.items(), key=lambda i: -i[1])[:8]
    shown = ", ".join(f"{k} {s:.1f}s" for k, s in slowest)
    print(f"\n{walk.asked} requests of {considered}, and downloads; slowest: {shown}")


def _urls(path: str, ids: dict[str, list[str]]) -> list[str]:
    every = ids["inside"][:2] + ids["outside"] + ids["unknown"]
    if "{kind}" in path:
        return [path.replace("{kind}", kind) for kind in GAP_KINDS]
    if "{source}" in path:
        pairs = [("P-O1", "P-O3"), ("P-O1", "P-X"), ("P-O1", "P-C3"), ("B11", "B71")]
        return [path.replace("{source}", a).replace("{target}", b) for a, b in pairs]
    if "{load}" in path:
        return [path.replace("{load}", n) for n in ("1", "99")]
    if "{id}" in path:
        return [path.replace("{id}", id) for id in every]
    assert "{" not in path, f"a route this test does not know how to name: {path}"
    return [path]


def _downloads(walk: Walk, name: str, token: str, j: str, personal: bool, url: str,
               params: dict, answered: Any, route: str) -> None:  # fmt: skip
    tables = list(answered.json().get("page", {}).get("totals", {})) or [None]
    for table in tables:
        asked = {**params, "format": "csv", **({"table": table} if table else {})}
        got = walk.check(name, token, j, personal, "GET", url, asked, route, always=True)
        assert got.status_code == 200, got.text[:200]
    xlsx = {**params, "format": "xlsx"}
    walk.check(name, token, j, personal, "GET", url, xlsx, route, always=True)


def _upload(walk: Walk, name: str, token: str, j: str, personal: bool) -> None:
    """A dry run naming things outside (a person of S2, the other street) beside an id that
    does not exist, and one naming only what lies inside: what comes back says nothing of what
    lies outside."""
    for rows in (
        "person_id,org_id,role\nP-C3,PC1,member\nP-O1,S2,member\nP-O1,NOPE,member\n",
        "person_id,org_id,role\nP-O1,PC1,committee_member\n",
    ):
        data = io.BytesIO()
        with zipfile.ZipFile(data, "w") as archive:
            archive.writestr("posts.csv", rows)
        walk.check(name, token, j, personal, "POST", "/v1/datasets", {"dry_run": "true"},
                   "/v1/datasets", files={"file": ("名册.zip", data.getvalue())})  # fmt: skip


# -- each leak of the issue, on its own -------------------------------------------------------


def _get(client: TestClient, tokens: dict, name: str, url: str, **params: Any) -> Any:
    return client.get(url, params=params, headers={"X-API-Key": tokens[name][0]})


def test_search_cannot_rebuild_names_a_key_may_not_read(client: TestClient, tokens: dict) -> None:
    # Without the right, a person is found by id only: no character of a name tells.
    assert (
        _get(client, tokens, "S1-analyst", "/v1/search", q="人", label="Person").json()["results"]
        == []
    )
    by_name = _get(client, tokens, "S1-analyst", "/v1/search", q="人员P-O1").json()["results"]
    assert by_name == []
    [by_id] = _get(client, tokens, "S1-analyst", "/v1/search", q="P-O1").json()["results"]
    assert (by_id["id"], by_id["name"]) == ("P-O1", "人*")
    # With it, by name — and every such search is in the audit log, whatever it found.
    found = _get(client, tokens, "S1-analyst-pd", "/v1/search", q="人员P-O1").json()["results"]
    assert [r["id"] for r in found] == ["P-O1"]
    nothing = _get(client, tokens, "S1-analyst-pd", "/v1/search", q="不存在的人").json()
    assert nothing["results"] == []


def test_searches_by_name_are_audited(client: TestClient, tokens: dict, home: Path) -> None:
    before = len(AuditLog(home).read_all())
    _get(client, tokens, "S1-analyst-pd", "/v1/search", q="无此人")
    _get(client, tokens, "S1-analyst", "/v1/search", q="无此人")  # names of no one: unaudited
    lines = AuditLog(home).read_all()[before:]
    assert [(line["key_name"], line["route"]) for line in lines] == [
        ("S1-analyst-pd", "/v1/search")
    ]
    assert lines[0]["parameters"]["q"] == "无此人" and lines[0]["rows"] == 0


def test_answers_withhold_what_lies_outside_whatever_field_it_sits_in(
    client: TestClient, tokens: dict
) -> None:
    pairing = _get(client, tokens, "S1-viewer-pd", "/v1/pairing", limit=1000).json()
    rows = {r["person_id"]: r for r in pairing["mismatched"]}
    # P-Y lives in C1 and reports to C3, which lies outside S1; P-X reports to C1 from S2.
    assert (rows["P-Y"]["reported_to_id"], rows["P-Y"]["reported_to"]) == (None, None)
    assert (rows["P-X"]["lives_in_id"], rows["P-X"]["lives_in"]) == (None, None)
    assert rows["P-X"]["reported_to_id"] == "C1"
    [unreported] = [r for r in pairing["unreported"] if r["person_id"] == "P-S4"]
    assert unreported["employer_id"] == "U1"  # a unit of S1: inside
    terms = _get(client, tokens, "C1-viewer-pd", "/v1/terms", limit=1000).json()
    for org in terms["orgs"]:
        if org["org_id"] in ("PC1",):
            assert (org["parent_id"], org["parent"]) == (None, None)  # PW1 serves S1, not C1
    idle = _get(client, tokens, "C1-viewer", "/v1/rebalance", limit=1000).json()["idle"]
    assert all(m["unit_id"] is None and m["unit"] is None for m in idle)  # S1's units
    terms_c2 = _get(client, tokens, "C2-analyst-pd", "/v1/terms", limit=1000).json()
    [pc2] = [o for o in terms_c2["orgs"] if o["org_id"] == "PC2"]
    # Its superior PW1 and PW1's secretary (who lives in C1) lie outside C2.
    assert pc2["parent_id"] is None and pc2["reminders"] == [
        {"id": None, "name": None, "phone": None}
    ]


def test_the_jurisdiction_is_the_key_s_on_every_date(client: TestClient, tokens: dict) -> None:
    # P-C3 lives in S2: refused today, and on any day asked about.
    for as_of in (None, PAST, FUTURE):
        params = {"as_of": as_of} if as_of else {}
        for url in ("/v1/chain/P-C3", "/v1/entities/P-C3/neighbourhood"):
            response = _get(client, tokens, "S1-analyst-pd", url, **params)
            assert response.status_code == 404, (url, as_of)
    # Walked from inside at a past date, what lies outside today stays withheld.
    around = _get(
        client, tokens, "S1-analyst-pd", "/v1/entities/U1/neighbourhood", as_of=PAST, depth=2
    ).json()
    assert "C3" not in {n["id"] for n in around["nodes"]}


def test_a_relationship_to_something_withheld_keeps_its_type_only(
    client: TestClient, tokens: dict
) -> None:
    unit = _get(client, tokens, "S1-analyst-pd", "/v1/entities/U1").json()
    [paired] = [
        r for r in unit["relationships"] if r["type"] == "PAIRED_WITH" and r["other"]["id"] is None
    ]
    assert paired["other"] == {"id": None, "label": "Community", "name": None, "handle": None}
    assert paired["properties"] == {}  # its agreement names C3
    assert "AGR" not in json.dumps(unit, ensure_ascii=False)
    mine = [r for r in unit["relationships"] if r["other"]["id"] == "C1"]
    assert mine and mine[0]["properties"]["since"] == "2023-03-01"


def test_outside_and_unknown_look_the_same(client: TestClient, tokens: dict) -> None:
    for name in ("C1-analyst", "S1-viewer"):
        seen = set()
        for id in ("P-C3", "C3", "S2", "D1", "NOPE", "B71"):
            for url in (f"/v1/chain/{id}", f"/v1/coverage?scope={id}"):
                response = client.get(url, headers={"X-API-Key": tokens[name][0]})
                assert response.status_code == 404, (name, url)
                seen.add(response.text.replace(id, "X"))
        assert len(seen) == 1, seen
