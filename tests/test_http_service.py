"""The HTTP app's service routes and error shape, against the real engine: alive, ready with
the database's own counts, 503 with Retry-After (and no engine started) while the database
cannot be reached, and every refusal as JSON {code, message, detail}."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from orgnet.api.server import RETRY_AFTER, create_app
from orgnet.graph.connection import Database
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.settings import Settings

from .conftest import _free_port


@pytest.fixture
def client(db: Database, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def _is_problem(body: dict, code: str) -> None:
    assert set(body) == {"code", "message", "detail"}, body
    assert body["code"] == code, body
    assert body["message"], body


def test_alive(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_says_the_engine_and_its_version_and_nothing_of_what_it_holds(
    client: TestClient, db: Database
) -> None:
    db.write("CREATE (:Entity:Street {id: 'S-ready'})-[:PART_OF]->(:Entity:District {id: 'D-r'})")
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["version"].startswith("5.")
    # Asked without a key: how large the roster is, is not said.
    assert set(body) == {"status", "engine", "version", "edition"}


def test_while_the_database_is_away_it_is_503_and_no_engine_is_started(
    tmp_path: Path, settings: Settings
) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    away = Settings(orgnet_home=home, orgnet_port=_free_port(), neo4j_uri=None)
    with TestClient(create_app(away)) as client:
        for _ in range(2):  # the second request tries again, and is refused again
            started = time.monotonic()
            response = client.get("/readyz")
            assert time.monotonic() - started < 5
            assert response.status_code == 503
            assert response.headers["Retry-After"] == str(RETRY_AFTER)
            _is_problem(response.json(), "engine_unavailable")
            # Where the server keeps its engine is the server's business.
            assert str(home) not in response.text and "orgnet db start" not in response.text
        assert client.get("/healthz").status_code == 200
    assert not EmbeddedEngine(away).status().running
    assert not (home / "data").exists(), "a request started the engine"


def test_a_server_named_by_uri_that_does_not_answer_is_503(settings: Settings) -> None:
    nowhere = Settings(neo4j_uri=f"bolt://127.0.0.1:{_free_port()}", neo4j_password="x")
    with TestClient(create_app(nowhere)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    _is_problem(response.json(), "engine_unavailable")
    assert "bolt://" not in response.text and "127.0.0.1" not in response.text


def test_ready_answers_within_a_second_when_the_database_hangs(settings: Settings) -> None:
    """A server that takes the connection and never answers (a database stopped with SIGSTOP,
    a firewall dropping packets): /readyz says so in about a second, not half a minute."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def hold() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    threading.Thread(target=hold, daemon=True).start()
    port = listener.getsockname()[1]
    silent = Settings(neo4j_uri=f"bolt://127.0.0.1:{port}", neo4j_password="x")
    try:
        with TestClient(create_app(silent)) as client:
            started = time.monotonic()
            response = client.get("/readyz")
            took = time.monotonic() - started
        assert response.status_code == 503 and took < 3, (response.status_code, took)
        _is_problem(response.json(), "engine_unavailable")
        assert str(port) not in response.text
    finally:
        stop.set()
        for s in held:
            s.close()
        listener.close()


def test_refusals_are_json_with_a_stable_code(client: TestClient) -> None:
    missing = client.get("/no/such/route")
    assert missing.status_code == 404
    _is_problem(missing.json(), "not_found")
    wrong = client.post("/healthz")
    assert wrong.status_code == 405
    _is_problem(wrong.json(), "method_not_allowed")
    assert wrong.headers["Allow"] == "GET"


def test_the_openapi_document_names_the_routes_and_the_error_shape(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/healthz", "/readyz"} <= set(spec["paths"])
    assert set(spec["components"]["schemas"]["Problem"]["properties"]) == {
        "code",
        "message",
        "detail",
    }


def test_orgnet_serve_answers_over_a_real_socket(
    settings: Settings, engine: EmbeddedEngine
) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "orgnet.api.cli", "serve", "--port", str(port)],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # A readiness probe says 503 until the database answers within its second (the first
        # connection, on a busy machine, may take longer): asked again until ready.
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx2.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
                if response.status_code == 200:
                    break
                assert response.status_code == 503, response.text
                assert response.json()["code"] == "engine_unavailable", response.text
            except httpx2.TransportError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
            assert time.monotonic() < deadline, "orgnet serve was not ready in 60 s"
            time.sleep(0.2)
        assert response.json()["status"] == "ready"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("port", ["0", "65536", "-1", "eighty"])
def test_orgnet_serve_refuses_a_port_that_is_not_one(port: str, cli_env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "orgnet.api.cli", "serve", "--port", port],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--port" in done.stderr


def test_the_interactive_docs_need_no_network(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page)
        assert html.status_code == 200
        sources = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", html.text)
        scripts = re.findall(r"""(?:url|spec-url)\s*[:=]\s*['"]([^'"]+)['"]""", html.text)
        assert sources, html.text
        for source in sources + scripts:
            assert not source.startswith(("http:", "https:", "//")), source
            assert client.get(source).status_code == 200, source
    spec = client.get("/openapi.json").json()
    assert {"/v1/coverage", "/v1/gaps/{kind}", "/v1/search", "/v1/datasets"} <= set(spec["paths"])
