"""POST /v1/datasets against the real engine: a good zip and a good workbook are loaded, a dry
run writes nothing, a dataset with problems lists every one as {file,row,column,value,reason,
suggestion} and writes nothing; a zip that climbs out, names an absolute path, holds a link or
expands like a bomb is refused before extraction; an upload past the size limit is cut off
(413); a retry with the same Idempotency-Key is answered again without loading twice; a load
while another holds the graph is 409; only an admin uploads; every upload is audited."""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from orgnet.api.audit import AuditLog
from orgnet.api.keys import Keys
from orgnet.api.server import create_app
from orgnet.graph.connection import Database
from orgnet.graph.lock import WriteLock
from orgnet.graph.settings import Settings

from .datasets import street_with_two_communities
from .dump import count, dump, write_dataset
from .test_intake_structure import _workbook


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "api"
    folder.mkdir()
    return folder


@pytest.fixture
def tokens(home: Path) -> dict[str, str]:
    keys = Keys(home)
    return {
        role: keys.create(role=role, jurisdiction="all", name=f"{role}-key")[1]
        for role in ("admin", "analyst")
    }


@pytest.fixture
def client(db: Database, settings: Settings, home: Path) -> Iterator[TestClient]:
    limited = settings.model_copy(update={"orgnet_api_home": home, "orgnet_upload_mb": 1})
    with TestClient(create_app(limited)) as client:
        yield client


def _zip(files: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def _dataset(tmp_path: Path, files: dict[str, list[dict]] | None = None) -> bytes:
    folder = write_dataset(tmp_path / "csv", files or street_with_two_communities())
    return _zip({p.name: p.read_bytes() for p in sorted(folder.iterdir())})


def _post(
    client: TestClient, token: str | None, data: bytes, name: str = "名册.zip", **params: object
) -> object:
    headers = {"X-API-Key": token} if token else {}
    headers.update(params.pop("headers", {}))  # type: ignore[arg-type]
    return client.post("/v1/datasets", files={"file": (name, data)}, params=params, headers=headers)


def test_a_good_zip_is_loaded_and_audited(
    client: TestClient, db: Database, tokens: dict, home: Path, tmp_path: Path
) -> None:
    response = _post(client, tokens["admin"], _dataset(tmp_path))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dry_run"] is False and body["rows"] > 10
    assert body["nodes_created"]["Estate"] == 2
    assert count(db, "(n:Estate)") == 2
    # Recorded before anything was written, then with what came of it.
    started, line = list(AuditLog(home).read())
    assert (started["outcome"], started["rows"]) == ("loading", body["rows"])
    assert (line["outcome"], line["route"], line["key_name"]) == (
        "loaded",
        "/v1/datasets",
        "admin-key",
    )
    assert line["rows"] == body["rows"] and line["parameters"]["file"] == "名册.zip"


def test_a_workbook_is_loaded(
    client: TestClient, db: Database, tokens: dict, tmp_path: Path
) -> None:
    files = street_with_two_communities()
    book = _workbook(tmp_path / "名册.xlsx", {"regions": (files["regions"], "visible")})
    response = _post(client, tokens["admin"], book.read_bytes(), name="名册.xlsx")
    assert response.status_code == 200, response.text
    assert count(db, "(n:Community)") == 2


def test_a_dry_run_and_a_dataset_with_problems_write_nothing(
    client: TestClient, db: Database, tokens: dict, home: Path, tmp_path: Path
) -> None:
    before = dump(db)
    dry = _post(client, tokens["admin"], _dataset(tmp_path / "a"), dry_run="true")
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    files = street_with_two_communities()
    files["estates"][0]["households"] = "三百"
    files["regions"][2]["parent_id"] = "S9"
    bad = _post(client, tokens["admin"], _dataset(tmp_path / "b", files), lang="en")
    assert bad.status_code == 422
    body = bad.json()
    assert body["code"] == "validation_failed"
    by_column = {p["column"]: p for p in body["detail"]}
    assert set(by_column["households"]) == {
        "file",
        "row",
        "column",
        "value",
        "code",
        "reason",
        "suggestion",
    }
    assert (
        by_column["households"]["value"] == "三百"
        and by_column["households"]["file"] == "estates.csv"
    )
    assert by_column["households"]["row"] == 2 and by_column["households"]["reason"]
    assert by_column["parent_id"]["value"] == "S9"
    assert dump(db) == before
    outcomes = [line["outcome"] for line in AuditLog(home).read()]
    assert outcomes == ["validated", "invalid"]


@pytest.mark.parametrize(
    ("entries", "links", "says"),
    [
        ({"../regions.csv": b"id\n"}, (), "outside"),
        ({"/tmp/regions.csv": b"id\n"}, (), "outside"),
        ({"sub/../../regions.csv": b"id\n"}, (), "outside"),
        ({"C:\\regions.csv": b"id\n"}, (), "outside"),
        ({}, ("regions.csv",), "link"),
        ({"regions.csv": b"0" * (50 * 2**20)}, (), "expands"),
    ],
)
def test_an_unsafe_zip_is_refused_before_extraction(
    client: TestClient, db: Database, tokens: dict, tmp_path: Path,
    entries: dict, links: tuple, says: str,
) -> None:  # fmt: skip
    before = dump(db)
    response = _post(client, tokens["admin"], _zip(entries, links))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "unsafe_upload"
    assert says in response.json()["message"]
    assert dump(db) == before
    assert not (tmp_path.parent / "regions.csv").exists()


def test_not_a_zip_nor_a_workbook(client: TestClient, tokens: dict) -> None:
    response = _post(client, tokens["admin"], b"id,name\nS1,x\n", name="regions.csv")
    assert response.status_code == 422 and response.json()["code"] == "unsafe_upload"


def test_an_upload_past_the_limit_is_413(client: TestClient, db: Database, tokens: dict) -> None:
    big = _zip({"regions.csv": bytes(range(256)) * (6 * 2**12)}, ())  # ~1.5 MB, incompressible
    big = big + b"\0" * (2**20)
    response = _post(client, tokens["admin"], big)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: cut off as it arrives
        yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\n\r\n'
        for _ in range(3):
            yield b"\0" * 2**19
        yield b"\r\n--x--\r\n"

    streamed = client.post(
        "/v1/datasets",
        content=chunks(),
        headers={"X-API-Key": tokens["admin"], "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert streamed.status_code == 413, streamed.text
    assert streamed.json()["code"] == "too_large"
    assert count(db) == 0


def test_a_retry_with_the_same_idempotency_key_loads_once(
    client: TestClient, db: Database, tokens: dict, home: Path, tmp_path: Path
) -> None:
    data = _dataset(tmp_path / "a")
    headers = {"Idempotency-Key": "upload-2026-12-02-a"}
    first = _post(client, tokens["admin"], data, headers=headers)
    after_first = dump(db)
    again = _post(client, tokens["admin"], data, headers=headers)
    assert again.status_code == first.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert dump(db) == after_first
    assert [line["outcome"] for line in AuditLog(home).read()] == [
        "loading",
        "loaded",
        "replayed",
    ]
    files = street_with_two_communities()
    files["regions"][1]["name"] = "另一个街道"
    other = _post(client, tokens["admin"], _dataset(tmp_path / "b", files), headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert AuditLog(home).read_all()[-1]["outcome"] == "idempotency_key_reused"
    for bad in ("x" * 201, "two words", "键".encode()):
        bad_key = _post(client, tokens["admin"], data, headers={"Idempotency-Key": bad})
        assert bad_key.status_code == 422
        assert bad_key.json()["code"] == "invalid_parameter"
    assert dump(db) == after_first


def test_a_load_while_the_graph_is_held_is_409(
    client: TestClient, db: Database, tokens: dict, tmp_path: Path
) -> None:
    data = _dataset(tmp_path)
    with WriteLock(db, db.home):
        response = _post(client, tokens["admin"], data)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "busy"
    assert count(db, "(n:Entity)") == 0


def test_only_an_admin_uploads(
    client: TestClient, db: Database, tokens: dict, tmp_path: Path
) -> None:
    data = _dataset(tmp_path)
    assert _post(client, tokens["analyst"], data).status_code == 403
    assert _post(client, None, data).status_code == 401
    assert count(db, "(n:Entity)") == 0
    missing = client.post("/v1/datasets", headers={"X-API-Key": tokens["admin"]})
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_parameter"


# -- uploads, airtight --------------------------------------------------------------------------


def test_many_small_entries_that_expand_like_a_bomb_together_are_refused(
    db: Database, settings: Settings, home: Path, tokens: dict
) -> None:
    # 60 entries just under 1 MiB of zeros: none is large on its own, together they expand a
    # thousand times their packed size — under the upload limit here, and still refused.
    roomy = settings.model_copy(update={"orgnet_api_home": home, "orgnet_upload_mb": 100})
    entries = {f"part{i:02d}.csv": b"0" * (2**20 - 1) for i in range(60)}
    with TestClient(create_app(roomy)) as client:
        response = _post(client, tokens["admin"], _zip(entries))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "unsafe_upload" and "expand" in response.json()["message"]
    assert not any((home / "uploads").rglob("*.csv"))
    assert [line["outcome"] for line in AuditLog(home).read()] == ["unsafe_upload"]


def test_what_an_upload_unpacks_is_private_and_gone_after_it(
    client: TestClient, db: Database, tokens: dict, home: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from orgnet.api import uploads

    seen: list[tuple[str, int]] = []
    real = uploads.load_dataset

    def looking(db: Database, path: Path, **options: object) -> object:
        for file in [path, *path.rglob("*")] if path.is_dir() else [path]:
            seen.append((file.name, file.stat().st_mode & 0o777))
        return real(db, path, **options)

    monkeypatch.setattr(uploads, "load_dataset", looking)
    assert _post(client, tokens["admin"], _dataset(tmp_path)).status_code == 200
    files = [(name, mode) for name, mode in seen if name.endswith(".csv")]
    assert files and all(mode == 0o600 for _, mode in files), files
    assert all(mode == 0o700 for name, mode in seen if name == "dataset")
    assert list((home / "uploads").iterdir()) == []


def test_rosters_left_by_a_server_that_died_are_removed_when_one_starts(
    db: Database, settings: Settings, home: Path
) -> None:
    import os

    dead = home / "uploads" / "999999999-deadbeef" / "dataset"
    dead.mkdir(parents=True)
    (dead / "persons.csv").write_text("id,name,phone\nP1,张三,13800000001\n")
    old = home / "uploads" / "upload-x1y2"  # as an earlier version named them
    old.mkdir()
    (old / "received").write_bytes(b"PK")
    alive = home / "uploads" / f"{os.getpid()}-cafe"  # an upload under way in a live process
    alive.mkdir()
    with TestClient(create_app(settings.model_copy(update={"orgnet_api_home": home}))):
        pass
    assert sorted(p.name for p in (home / "uploads").iterdir()) == [alive.name]


def test_the_key_is_checked_before_the_body_is_read(
    db: Database, settings: Settings, home: Path
) -> None:
    """Over a real socket: the request says a large body follows, sends a little of it and
    waits; an unknown caller is refused at once, before the body is read."""
    import socket
    import threading

    import uvicorn

    from .conftest import _free_port

    port = _free_port()
    app = create_app(settings.model_copy(update={"orgnet_api_home": home}))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            threading.Event().wait(0.1)
        head = (
            "POST /v1/datasets HTTP/1.1\r\nHost: x\r\nX-API-Key: on_000000000000_"
            + "x" * 43
            + "\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            + f"Content-Length: {100 * 2**20}\r\n\r\n"
        ).encode()
        part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\n\r\n'
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(head + part + b"\0" * 4096)
            s.settimeout(5)
            # The head and the body may come in two packets: read until the body is whole.
            answer = s.recv(4096)
            while b"\r\n\r\n" in answer:
                head_part, _, body = answer.partition(b"\r\n\r\n")
                length = int(head_part.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                if len(body) >= length:
                    break
                more = s.recv(4096)
                if not more:
                    break
                answer += more
        assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
        assert b'"unauthorized"' in answer
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert not (home / "uploads").exists() or not any((home / "uploads").rglob("*"))


def test_a_load_is_in_the_audit_log_before_it_is_written(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    home = tmp_path / "api"
    home.mkdir()
    (home / "audit.jsonl").mkdir()  # the audit log cannot be written, whoever runs this
    _, token = Keys(home).create(role="admin", jurisdiction="all")
    with TestClient(create_app(settings.model_copy(update={"orgnet_api_home": home}))) as c:
        response = _post(c, token, _dataset(tmp_path))
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["code"] == "audit_unavailable" and "nothing was loaded" in body["message"]
    assert str(home) not in response.text
    assert count(db, "(n:Entity)") == 0


def test_a_formula_saved_without_its_value_is_a_problem_at_its_cell(
    client: TestClient, db: Database, tokens: dict, tmp_path: Path
) -> None:
    files = street_with_two_communities()
    person = {"id": "P1", "name": "张伟", "phone": '="138"&"00000001"'}  # openpyxl: a formula
    book = _workbook(
        tmp_path / "名册.xlsx",
        {"区域": (files["regions"], "visible"), "人员": ([person], "visible")},
    )
    response = _post(client, tokens["admin"], book.read_bytes(), name="名册.xlsx", lang="en")
    assert response.status_code == 422, response.text
    [problem] = response.json()["detail"]
    assert (problem["file"], problem["row"], problem["column"], problem["code"]) == (
        "名册.xlsx[人员]",
        2,
        "phone",
        "formula_without_value",
    )
    assert count(db) == 0
    # With the value Excel saves beside it, the value is read.
    _cache_formulas(book, "13800000009")
    assert _post(client, tokens["admin"], book.read_bytes(), name="名册.xlsx").status_code == 200
    assert db.read("MATCH (p:Person {id: 'P1'}) RETURN p.phone AS phone") == [
        {"phone": "13800000009"}
    ]


def _cache_formulas(book: Path, value: str) -> None:
    """The workbook as Excel saves it: each formula with its last value beside it."""
    import re

    with zipfile.ZipFile(book) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/"):
            text = re.sub(r"(<f>[^<]*</f>)(<v\s*/>|<v></v>)?", rf"\1<v>{value}</v>", data.decode())
            parts[name] = text.encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_problems_name_the_files_as_the_uploader_named_them(
    client: TestClient, tokens: dict, home: Path
) -> None:
    response = _post(
        client, tokens["admin"], _zip({"说明.txt": b"nothing here"}), name="我的名册.zip"
    )
    assert response.status_code == 422, response.text
    [problem] = response.json()["detail"]
    assert problem["file"] == "我的名册.zip" and problem["code"] == "no_files"
    assert str(home) not in response.text and "/tmp" not in response.text


def test_a_dry_run_says_what_it_would_create_and_update(
    client: TestClient, db: Database, tokens: dict, tmp_path: Path
) -> None:
    dry = _post(client, tokens["admin"], _dataset(tmp_path / "a"), dry_run="true").json()
    assert dry["nodes_created"]["Estate"] == 2 and dry["nodes_created"]["Person"] == 3
    assert dry["nodes_updated"] == {} and dry["tables"]["persons"] == 3
    assert count(db) == 0
    _post(client, tokens["admin"], _dataset(tmp_path / "b"))
    again = _post(client, tokens["admin"], _dataset(tmp_path / "c"), dry_run="true").json()
    assert again["nodes_created"] == {} and again["nodes_updated"]["Estate"] == 2


def test_one_file_part_and_nothing_else(client: TestClient, tokens: dict, tmp_path: Path) -> None:
    data = _dataset(tmp_path)
    two = client.post(
        "/v1/datasets",
        files=[("file", ("a.zip", data)), ("file", ("b.zip", data))],
        headers={"X-API-Key": tokens["admin"]},
    )
    assert two.status_code == 422 and two.json()["code"] == "invalid_parameter", two.text
    other = client.post(
        "/v1/datasets",
        files={"dataset": ("a.zip", data)},
        headers={"X-API-Key": tokens["admin"]},
    )
    assert other.status_code == 422 and other.json()["code"] == "invalid_parameter"


class _GbkInfo(zipfile.ZipInfo):
    """An entry named as a Chinese Windows names it: GBK bytes, no UTF-8 mark."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def test_a_zip_made_on_a_chinese_windows_is_read_by_its_names(
    client: TestClient, db: Database, tokens: dict, tmp_path: Path
) -> None:
    from orgnet.loaders.contract import FILES_BY_NAME

    folder = write_dataset(tmp_path / "csv", street_with_two_communities())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.writestr(_GbkInfo(FILES_BY_NAME[path.stem].zh + ".csv"), path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as check:  # as the zip format reads it
        assert not any(info.flag_bits & 0x800 for info in check.infolist())
        assert "人员.csv" not in check.namelist()
    response = _post(client, tokens["admin"], buffer.getvalue(), dry_run="true", lang="en")
    assert response.status_code == 200, response.text
    assert response.json()["nodes_created"]["Person"] == 3
