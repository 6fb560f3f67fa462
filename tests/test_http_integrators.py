"""What an engineer integrating with the HTTP API expects of it, against the real engine and
the hand-built city: cursors that cannot be forged, ETag and If-None-Match, no caching of
personal data, gzip, CORS only where configured, a CSV download that names its tables, ids
with a slash in them, and JSON for every refusal — one the HTTP layer itself makes included."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from orgnet.api.keys import Keys
from orgnet.api.server import create_app
from orgnet.graph.connection import Database
from orgnet.graph.settings import Settings

from .city import TODAY
from .conftest import _free_port


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("integrators")


@pytest.fixture(scope="module")
def tokens(home: Path) -> dict[str, str]:
    keys = Keys(home)
    return {
        name: keys.create(role=role, jurisdiction=where, personal_data=personal, name=name)[1]
        for name, role, where, personal in [
            ("viewer", "viewer", "all", False),
            ("personal", "analyst", "all", True),
        ]
    }


@pytest.fixture(scope="module")
def client(graph: Database, settings: Settings, home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"orgnet_api_home": home}))) as c:
        yield c


def _get(client: TestClient, token: str, url: str, headers: dict | None = None, **params: Any):
    return client.get(
        url, params={"as_of": TODAY, **params}, headers={"X-API-Key": token, **(headers or {})}
    )


def test_a_cursor_cannot_be_forged(client: TestClient, tokens: dict, home: Path) -> None:
    first = _get(client, tokens["viewer"], "/v1/gaps/buildings", limit=1).json()
    cursor = first["page"]["next_cursor"]
    assert (
        _get(client, tokens["viewer"], "/v1/gaps/buildings", limit=1, cursor=cursor).status_code
        == 200
    )
    body, mac = cursor.split(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    for change in ({"o": 0}, {"o": data["o"] + 1}, {"d": "2020-01-01"}):
        forged = base64.urlsafe_b64encode(json.dumps({**data, **change}).encode()).decode()
        response = _get(
            client, tokens["viewer"], "/v1/gaps/buildings", limit=1,
            cursor=forged.rstrip("=") + "." + mac,
        )  # fmt: skip
        assert response.status_code == 400, (change, response.text)
        assert response.json()["code"] == "bad_request"
    assert (home / "cursor.key").stat().st_mode & 0o077 == 0
    # The secret is the home's: an app of the same home reads the cursors another gave.
    again = TestClient(create_app(client.app.state.settings))
    with again:
        assert (
            _get(again, tokens["viewer"], "/v1/gaps/buildings", limit=1, cursor=cursor).status_code
            == 200
        )


def test_an_unchanged_answer_is_304_and_personal_data_is_never_kept(
    client: TestClient, tokens: dict
) -> None:
    first = _get(client, tokens["viewer"], "/v1/coverage")
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = _get(client, tokens["viewer"], "/v1/coverage", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    other = _get(client, tokens["viewer"], "/v1/coverage", headers={"If-None-Match": tag},
                 scope="C1")  # fmt: skip
    assert other.status_code == 200 and other.headers["ETag"] != tag
    # Another key's reach is another answer.
    mine = _get(client, tokens["personal"], "/v1/coverage", headers={"If-None-Match": tag})
    assert mine.status_code == 200
    people = _get(client, tokens["personal"], "/v1/cross")
    assert people.headers["Cache-Control"] == "no-store"
    masked = _get(client, tokens["viewer"], "/v1/cross")
    assert masked.headers["Cache-Control"] == "no-store"  # ids of people, still personal


def test_answers_are_compressed_for_a_client_that_asks(client: TestClient, tokens: dict) -> None:
    plain = client.get(
        "/v1/gaps/buildings",
        params={"as_of": TODAY, "limit": 1000},
        headers={"X-API-Key": tokens["viewer"], "Accept-Encoding": "identity"},
    )
    packed = client.get(
        "/v1/gaps/buildings",
        params={"as_of": TODAY, "limit": 1000, "format": "csv"},
        headers={"X-API-Key": tokens["viewer"], "Accept-Encoding": "gzip"},
    )
    assert "content-encoding" not in plain.headers
    report = client.get(
        "/v1/report",
        params={"as_of": TODAY, "limit": 1000},
        headers={"X-API-Key": tokens["viewer"], "Accept-Encoding": "gzip"},
    )
    assert report.headers.get("content-encoding") == "gzip"
    assert report.json()["summary"]["estates"] == 7  # decoded as any client does
    assert packed.status_code == 200


def test_cors_is_off_unless_origins_are_named(
    graph: Database, settings: Settings, home: Path, tokens: dict
) -> None:
    ask = {"Origin": "https://screen.example.gov.cn", "X-API-Key": tokens["viewer"]}
    with TestClient(create_app(settings.model_copy(update={"orgnet_api_home": home}))) as c:
        closed = c.get("/v1/coverage", params={"as_of": TODAY}, headers=ask)
        assert "access-control-allow-origin" not in closed.headers
    opened = settings.model_copy(
        update={"orgnet_api_home": home, "orgnet_api_cors": "https://screen.example.gov.cn"}
    )
    with TestClient(create_app(opened)) as c:
        answer = c.get("/v1/coverage", params={"as_of": TODAY}, headers=ask)
        assert answer.headers["access-control-allow-origin"] == "https://screen.example.gov.cn"
        assert "ETag" in answer.headers["access-control-expose-headers"]
        preflight = c.options(
            "/v1/coverage",
            headers={
                "Origin": "https://screen.example.gov.cn",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "X-API-Key",
            },
        )
        assert preflight.status_code == 200
        stranger = c.get(
            "/v1/coverage", params={"as_of": TODAY},
            headers={**ask, "Origin": "https://elsewhere.example.com"},
        )  # fmt: skip
        assert "access-control-allow-origin" not in stranger.headers


def test_a_csv_of_several_tables_names_them(client: TestClient, tokens: dict) -> None:
    response = _get(client, tokens["viewer"], "/v1/pairing", format="csv")
    assert response.status_code == 400
    message = response.json()["message"]
    assert "communities" in message and "mismatched" in message and "table=" in message
    one = _get(client, tokens["viewer"], "/v1/coverage", format="csv")  # one table of figures
    assert one.status_code == 200


def test_an_id_with_a_slash_is_one_id(client: TestClient, graph: Database, tokens: dict) -> None:
    graph.write("CREATE (:Entity:Unit {id: 'A/neighbourhood', name: '斜杠单位', kind: 'agency'})")
    try:
        whole = client.get(
            "/v1/entities/A%2Fneighbourhood", headers={"X-API-Key": tokens["personal"]}
        )
        assert whole.status_code == 200, whole.text
        assert whole.json()["id"] == "A/neighbourhood" and "relationships" in whole.json()
        around = client.get(
            "/v1/entities/A%2Fneighbourhood/neighbourhood",
            headers={"X-API-Key": tokens["personal"]},
        )
        assert around.status_code == 200 and around.json()["center"] == "A/neighbourhood"
        missing = client.get("/v1/entities/A%2Fnope", headers={"X-API-Key": tokens["personal"]})
        assert missing.status_code == 404
        percent = client.get("/v1/chain/100%25", headers={"X-API-Key": tokens["personal"]})
        assert percent.status_code == 404 and "'100%'" in percent.json()["message"]
    finally:
        graph.write("MATCH (u:Unit {id: 'A/neighbourhood'}) DETACH DELETE u")


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def test_a_request_the_http_layer_refuses_is_answered_in_json(
    graph: Database, settings: Settings, home: Path
) -> None:
    port = _free_port()
    env = {**__import__("os").environ, "ORGNET_API_HOME": str(home)}
    server = subprocess.Popen(
        [sys.executable, "-m", "orgnet.api.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx2.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        answer = _raw(port, "GET /v1/chain/张三 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head, head
        assert json.loads(body)["code"] == "bad_request"
    finally:
        server.terminate()
        server.wait(timeout=30)
