"""The console, page by page, against the real engine and the hand-built city (tests/city.py):
signing in (a wrong password slowed, an account locked after repeated failures, every sign-in
in the audit log), the session cookie, CSRF, idle expiry and signing out; the home page's
figures equal the JSON of the same questions; every question of the registry as a page, its
form's bounds, its downloads; the scope and ids outside a jurisdiction refused with the same
page as ones that do not exist; entity pages, the tree and the search for an analyst only;
a roster uploaded with problems and then clean; the security headers; a hostile name shown
as text; and no route, of the console or any other, answering without the guard."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from starlette.routing import Mount

from orgnet.api.access import ROLES
from orgnet.api.audit import AuditLog
from orgnet.api.guard import OPEN, GuardedRoute
from orgnet.api.keys import Keys
from orgnet.api.server import create_app
from orgnet.api.users import Users
from orgnet.graph.connection import Database
from orgnet.graph.settings import Settings
from orgnet.queries.registry import GAP_KINDS, QUESTIONS

from .routes import every_route

PASSWORD = "correct horse battery"
# The users of these tests: (name, role, jurisdiction, personal data).
USERS = [
    ("all-admin", "admin", "all", True),
    ("s1-viewer", "viewer", "S1", False),
    ("s1-analyst", "analyst", "S1", False),
    ("s1-admin", "admin", "S1", False),
    ("c1-viewer", "viewer", "C1", False),
]
# What a question page is asked with, beyond scope and as_of.
INPUTS: dict[str, dict[str, str]] = {
    "gaps": {"kind": "estates"},
    "chain": {"id": "PQ1"},
    "path": {"source": "P-O1", "target": "P-O3"},
    "history": {"id": "P-O1"},
    "changes": {"since": "2020-01-01"},
    "trend": {"since": "2024-06-01", "every": "quarter"},
    "load_changes": {"load": "1"},
}
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("console")
    users = Users(folder)
    for name, role, where, personal in USERS:
        users.create(name, role=role, jurisdiction=where, password=PASSWORD,
                     personal_data=personal)  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def app(graph: Database, settings: Settings, home: Path) -> Any:
    return create_app(
        settings.model_copy(
            update={"orgnet_api_home": home, "orgnet_signin_attempts": 3,
                    "orgnet_signin_lock": 5.0}
        )
    )  # fmt: skip


@pytest.fixture(scope="module")
def server(app: Any) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield client


def signed_in(app: Any, name: str) -> TestClient:
    """A browser of its own (its own cookies), signed in as ``name``."""
    client = TestClient(app, follow_redirects=False)
    response = client.post("/login", data={"username": name, "password": PASSWORD})
    assert response.status_code == 303, response.text[:300]
    return client


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def text_of(page: str) -> str:
    """A page's text, its markup removed and its entities read."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>|<svg.*?</svg>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def tiles(page: str) -> dict[str, str]:
    """The home page's figures: words → value."""
    found = re.findall(
        r'<span class="value">([^<]*)</span><span class="words">([^<]*)</span>', page
    )
    return {html.unescape(words): html.unescape(value) for value, words in found}


# -- signing in -------------------------------------------------------------------------------


def test_a_page_without_a_session_sends_the_browser_to_sign_in_and_back(
    app: Any, server: TestClient
) -> None:
    response = server.get("/questions/census?scope=S1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/questions/census%3Fscope%3DS1"
    page = server.get(response.headers["location"])
    assert page.status_code == 200 and 'name="username"' in page.text
    signed = TestClient(app, follow_redirects=False)
    back = signed.post(
        "/login",
        data={"username": "s1-viewer", "password": PASSWORD, "next": "/questions/census?scope=S1"},
    )
    assert back.status_code == 303 and back.headers["location"] == "/questions/census?scope=S1"
    # A link that would send a user elsewhere after signing in goes home instead.
    away = signed.post(
        "/login", data={"username": "s1-viewer", "password": PASSWORD, "next": "//evil.example"}
    )
    assert away.headers["location"] == "/"


def test_the_session_cookie_is_httponly_and_samesite(server: TestClient) -> None:
    response = server.post("/login", data={"username": "c1-viewer", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "orgnet_session=" in cookie
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert PASSWORD.lower() not in cookie


def test_a_wrong_password_is_slowed_said_in_chinese_and_audited(
    server: TestClient, home: Path
) -> None:
    started = time.perf_counter()
    response = server.post("/login", data={"username": "s1-viewer", "password": "not it at all"})
    assert time.perf_counter() - started >= 0.9
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.text
    assert "orgnet_session" not in response.headers.get("set-cookie", "")
    # An unknown name is answered exactly so (no telling which names exist).
    unknown = server.post("/login", data={"username": "nobody", "password": "not it at all"})
    assert unknown.status_code == 401 and "用户名或密码不正确" in unknown.text
    outcomes = [(line["key_name"], line["outcome"]) for line in AuditLog(home).read()]
    assert ("s1-viewer", "signin_failed") in outcomes
    assert ("nobody", "signin_failed") in outcomes


def test_repeated_failures_lock_the_account_even_against_the_right_password(
    app: Any, home: Path
) -> None:
    users = Users(home)
    users.create("to-lock", role="viewer", jurisdiction="S1", password=PASSWORD,
                 personal_data=False)  # fmt: skip
    client = TestClient(app, follow_redirects=False)
    for _ in range(3):  # the app of these tests locks after 3
        client.post("/login", data={"username": "to-lock", "password": "wrong password!"})
    right = client.post("/login", data={"username": "to-lock", "password": PASSWORD})
    assert right.status_code == 403
    assert "账号已暂时锁定" in right.text
    assert users.get("to-lock").locked_until is not None
    outcomes = [line["outcome"] for line in AuditLog(home).read() if line["key_name"] == "to-lock"]
    assert outcomes.count("signin_failed") == 3
    assert "account_locked" in outcomes and outcomes[-1] == "signin_locked_out"
    # A new password (orgnet users passwd) lifts the lock.
    users.set_password("to-lock", "another long password")
    again = client.post("/login", data={"username": "to-lock", "password": "another long password"})
    assert again.status_code == 303


def test_a_post_without_the_csrf_token_or_from_another_site_is_refused(app: Any) -> None:
    client = signed_in(app, "s1-viewer")
    refused = client.post("/logout")
    assert refused.status_code == 403
    assert "安全令牌" in refused.text
    assert client.get("/").status_code == 200  # still signed in
    token = csrf_of(client.get("/").text)
    elsewhere = client.post("/logout", data={"csrf": token},
                            headers={"Origin": "https://evil.example"})  # fmt: skip
    assert elsewhere.status_code == 403 and "其他网站" in elsewhere.text
    wrong = client.post("/logout", data={"csrf": token[:-2] + "xx"})
    assert wrong.status_code == 403
    out = client.post("/logout", data={"csrf": token})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/").status_code == 303  # the session is gone
    replayed = client.post("/logout", data={"csrf": token})
    assert replayed.status_code == 303 and "/login" in replayed.headers["location"]


def test_a_session_idle_past_its_time_ends(
    graph: Database, settings: Settings, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sessions' clock, moved on by hand rather than waited for (the browser's test waits).
    now = [dt.datetime.now(dt.UTC)]
    monkeypatch.setattr("orgnet.api.users._now", lambda: now[0])
    quick = create_app(
        settings.model_copy(update={"orgnet_api_home": home, "orgnet_session_idle": 1})
    )  # a minute
    client = signed_in(quick, "c1-viewer")
    assert client.get("/questions").status_code == 200
    for _ in range(3):  # in use, its idle time restarts with each page
        now[0] += dt.timedelta(seconds=50)
        assert client.get("/questions").status_code == 200
    now[0] += dt.timedelta(seconds=59)
    assert client.get("/questions").status_code == 200
    now[0] += dt.timedelta(seconds=61)
    assert client.get("/questions").status_code == 303


def test_a_disabled_user_is_signed_out_at_once(app: Any, home: Path) -> None:
    Users(home).create("leaver", role="viewer", jurisdiction="C1", password=PASSWORD,
                       personal_data=False)  # fmt: skip
    client = signed_in(app, "leaver")
    assert client.get("/").status_code == 200
    Users(home).disable("leaver")
    assert client.get("/").status_code == 303
    again = client.post("/login", data={"username": "leaver", "password": PASSWORD})
    assert again.status_code == 403 and "已停用" in again.text


# -- the home page and the questions ----------------------------------------------------------


def test_the_home_page_says_what_the_questions_say(app: Any, home: Path) -> None:
    client = signed_in(app, "s1-viewer")
    page = client.get("/")
    assert page.status_code == 200
    _, token = Keys(home).create(role="viewer", jurisdiction="S1", name="home-check")
    api = TestClient(app)

    def ask(path: str) -> Any:
        response = api.get(path, headers={"X-API-Key": token}, params={"limit": 1000})
        assert response.status_code == 200, response.text
        return response.json()

    coverage = ask("/v1/coverage")
    figures = tiles(page.text)
    assert figures["小区数"] == f"{coverage['estates']:,}"
    assert figures["党组织覆盖率"] == f"{coverage['org_rate']:.1%}"
    assert figures["党的工作覆盖率"] == f"{coverage['work_rate']:.1%}"
    titles = {"estates": "未建党组织的小区", "buildings": "未建楼栋党小组的楼栋",
              "grids": "未建网格党支部的网格"}  # fmt: skip
    for kind in GAP_KINDS:
        rows = ask(f"/v1/gaps/{kind}")["page"]["totals"]["rows"]
        linked = re.search(
            rf'href="(/questions/gaps\?kind={kind})"><span class="value">{rows:,}</span>', page.text
        )
        assert linked, (kind, rows)
        if kind in titles:
            assert figures[titles[kind]] == f"{rows:,}"
    terms = ask("/v1/terms")
    assert figures["逾期未换届"] == f"{terms['overdue']:,}"
    census = ask("/v1/census")
    assert figures["党员"] == f"{sum(r['members'] for r in census['members']):,}"
    pairing = ask("/v1/pairing")
    assert figures["结对单位分布基尼系数"] == f"{pairing['units']['gini']:.3f}"
    sentence = re.search(r'<p class="sentence">([^<]*)</p>', page.text)
    assert sentence and f"在{coverage['estates']}个小区中" in html.unescape(sentence.group(1))
    assert "<svg" in page.text  # coverage by community, lowest first


@pytest.mark.parametrize("user", ["s1-viewer", "s1-analyst", "s1-admin"])
def test_every_question_of_the_registry_has_a_page_for_a_user_of_a_street(
    app: Any, user: str
) -> None:
    """A page for every question the user's role may ask (listed, answered in Chinese); one
    it may not ask is not listed, and refused."""
    client = signed_in(app, user)
    listed = client.get("/questions").text
    role = user.removeprefix("s1-")
    for q in QUESTIONS:
        if ROLES.index(q.role) > ROLES.index(role):
            assert f'href="/questions/{q.name}"' not in listed
            refused = client.get(f"/questions/{q.name}", params=INPUTS.get(q.name, {}))
            assert refused.status_code == 403 and "角色" in text_of(refused.text), q.name
            continue
        assert f'href="/questions/{q.name}"' in listed
        page = client.get(f"/questions/{q.name}", params=INPUTS.get(q.name, {}))
        assert page.status_code == 200, (q.name, text_of(page.text)[:300])
        assert '<form class="ask"' in page.text
        # the charts of those that have them: the census's two, the report's coverage by area
        drawn = re.findall(r'<figure class="chart"[^>]*>\s*<svg', page.text)
        assert len(drawn) == {"census": 2, "report": 1}.get(q.name, len(drawn)), q.name
        shown = text_of(page.text)
        if q.scoped:
            assert "盛泰" not in shown
            assert "东街道" in shown or q.name == "path", q.name  # its scope, by name
        # the same titles and words as the report: Chinese throughout (a roster's file name,
        # estates.csv, is the clerk's own)
        words = re.sub(r"[\w.-]+\.(csv|xlsx|zip)\b", "", shown)
        assert not re.search(r"\b(estates|org_rate|rows|members)\b", words), q.name


def test_a_scope_outside_the_jurisdiction_is_refused_as_one_that_does_not_exist(
    app: Any,
) -> None:
    client = signed_in(app, "s1-viewer")
    outside = client.get("/questions/coverage", params={"scope": "C3"})
    missing = client.get("/questions/coverage", params={"scope": "NOPE"})
    assert outside.status_code == missing.status_code == 403
    assert text_of(outside.text).replace("C3", "X") == text_of(missing.text).replace("NOPE", "X")
    assert "不在您的辖区内" in outside.text
    assert "西园" not in outside.text  # C3's name
    download = client.get("/questions/coverage/download", params={"scope": "C3", "format": "csv"})
    assert download.status_code == 403


def test_a_form_outside_its_bounds_is_answered_with_the_form_and_its_error(app: Any) -> None:
    client = signed_in(app, "s1-viewer")
    for params, said in [
        ({"top": "0"}, "应在 1 至 1000 之间"),
        ({"top": "many"}, "不是数字"),
        ({"as_of": "2023-02-30"}, "在日历上不存在"),
        ({"as_of": "9999-12-31"}, "超出"),
    ]:
        page = client.get("/questions/brokers", params=params)
        assert page.status_code == 400, params
        assert said in text_of(page.text), (params, text_of(page.text)[:400])
        assert 'aria-invalid="true"' in page.text
    # A question whose required input is missing shows its form, and asks nothing.
    form = client.get("/questions/gaps")
    assert form.status_code == 200 and "<table" not in form.text
    assert 'name="kind"' in form.text and "未建党组织的小区" in form.text
    wrong_kind = client.get("/questions/gaps", params={"kind": "castles"})
    assert wrong_kind.status_code == 400
    assert client.get("/questions/nothing").status_code == 404


def test_tables_sort_and_page_and_downloads_hold_the_whole_answer(app: Any, home: Path) -> None:
    client = signed_in(app, "all-admin")
    page = client.get("/questions/gaps", params={"kind": "buildings", "s.rows": "-members"})
    assert page.status_code == 200
    assert 'aria-sort="descending"' in page.text
    _, token = Keys(home).create(role="viewer", jurisdiction="all", personal_data=True,
                                 name="download-check")  # fmt: skip
    api = (
        TestClient(app)
        .get("/v1/gaps/buildings", headers={"X-API-Key": token}, params={"limit": 1000})
        .json()
    )
    members = sorted((r["members"] for r in api["rows"]), reverse=True)
    shown = re.findall(r'<td class="num">(\d+)</td>\s*</tr>', page.text)
    assert [int(m) for m in shown] == members
    book = client.get("/questions/gaps/download", params={"kind": "buildings", "format": "xlsx"})
    assert book.status_code == 200
    assert 'filename="gaps-buildings.xlsx"' in book.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(book.content)).worksheets[1]
    assert sheet.max_row - 1 == len(api["rows"])
    zipped = client.get("/questions/census/download", params={"format": "csv", "scope": "S1"})
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert len(archive.namelist()) == 4
    report = client.get("/questions/report/download", params={"format": "html", "scope": "S1"})
    assert report.status_code == 200 and "text/html" in report.headers["content-type"]
    assert "attachment" in report.headers["content-disposition"]


# -- looking up: entity pages, the tree, the search -------------------------------------------


def test_an_entity_page_shows_its_properties_chain_and_neighbourhood(app: Any) -> None:
    client = signed_in(app, "s1-analyst")
    page = client.get("/entities/E1")
    assert page.status_code == 200
    shown = text_of(page.text)
    assert "上级组织链" in shown and "基本信息" in shown
    assert 'id="network-data"' in page.text and "/static/vis-network.min.js" in page.text
    assert "PJ" in page.text and "PC1" in page.text  # the chain up
    # The people around it show shortened names and masked phones.
    assert not re.search(r"1[3-9]\d{9}", page.text)
    outside = client.get("/entities/C3")
    missing = client.get("/entities/NOPE")
    assert outside.status_code == missing.status_code == 404
    assert "西园" not in outside.text
    viewer = signed_in(app, "s1-viewer")
    assert viewer.get("/entities/E1").status_code == 403
    assert viewer.get("/search", params={"q": "E1"}).status_code == 403


def test_the_tree_opens_one_level_at_a_time_within_the_jurisdiction(app: Any) -> None:
    client = signed_in(app, "s1-viewer")
    page = client.get("/tree")
    assert page.status_code == 200
    assert "东街道 (S1)" in page.text and "新城区" not in page.text
    branch = client.get("/tree/branch", params={"id": "S1", "kind": "place"})
    assert branch.status_code == 200
    assert "C1" in branch.text and "C2" in branch.text and "C3" not in branch.text
    assert "覆盖率" in branch.text
    estates = client.get("/tree/branch", params={"id": "C1", "kind": "place"}).text
    assert "未建党组织" in estates  # E4 is an actionable gap
    orgs = client.get("/tree/branch", params={"id": "PC1", "kind": "org"})
    assert orgs.status_code == 200 and "PJ" in orgs.text
    assert client.get("/tree/branch", params={"id": "D1", "kind": "place"}).status_code == 404
    assert client.get("/tree/branch", params={"id": "S2"}).status_code == 404
    # The search box jumps to a place: the tree opened down to it, the place marked.
    jump = client.get("/tree", params={"find": "B12"})
    assert jump.status_code == 303 and jump.headers["location"] == "/tree?open=B12"
    opened = client.get("/tree", params={"open": "B12"}).text
    assert 'class="here"' in opened and "B12" in opened and "E1" in opened and "C2" in opened
    several = client.get("/tree", params={"find": "社区"})
    assert several.status_code == 200 and "/tree?open=C1" in several.text
    assert "/tree?open=C3" not in several.text
    assert client.get("/tree", params={"open": "C3"}).status_code == 404


def test_the_search_finds_within_the_jurisdiction_only(app: Any) -> None:
    client = signed_in(app, "s1-analyst")
    found = client.get("/search", params={"q": "社区"})
    assert found.status_code == 200
    assert "/entities/C1" in found.text and "/entities/C3" not in found.text


# -- uploading ---------------------------------------------------------------------------------


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def test_an_upload_shows_every_problem_then_loads_when_clean(
    app: Any, graph: Database, home: Path
) -> None:
    client = signed_in(app, "s1-admin")
    page = client.get("/upload")
    assert page.status_code == 200
    token = csrf_of(page.text)
    before = graph.read("MATCH (e:Estate) RETURN count(e) AS n")[0]["n"]
    wrong = _zip({"estates.csv": "id,name,community_id,households\n"
                  "E90,新园,C1,-5\nE91,,C1,100\nE92,远园,C3,80\n"})  # fmt: skip
    refused = client.post(
        "/upload",
        data={"mode": "load", "csrf": token},
        files={"file": ("新园.zip", wrong, "application/zip")},
    )
    assert refused.status_code == 422, text_of(refused.text)[:500]
    rows = re.findall(r"<tr><td>estates\.csv</td><td class=\"num\">(\d+)</td><td>([^<]*)</td>",
                      refused.text)  # fmt: skip
    # Each problem at its row and column (the row outside the jurisdiction: two of them).
    assert {(int(r), c) for r, c in rows} >= {(2, "户数"), (3, "名称"), (4, "所属社区编号")}, rows
    assert {int(r) for r, _ in rows} == {2, 3, 4}
    assert "未写入任何内容" in text_of(refused.text)
    assert graph.read("MATCH (e:Estate) RETURN count(e) AS n")[0]["n"] == before
    clean = _zip({"estates.csv": f"id,name,community_id,households\nE90,{HOSTILE},C1,60\n"})
    checked = client.post("/upload", data={"mode": "check", "csrf": token},
                          files={"file": ("新园.zip", clean, "application/zip")})  # fmt: skip
    assert checked.status_code == 200 and "检查通过" in checked.text
    assert graph.read("MATCH (e:Estate) RETURN count(e) AS n")[0]["n"] == before
    loaded = client.post("/upload", data={"mode": "load", "csrf": token},
                         files={"file": ("新园.zip", clean, "application/zip")})  # fmt: skip
    assert loaded.status_code == 200 and "已导入" in loaded.text
    assert graph.read("MATCH (e:Estate) RETURN count(e) AS n")[0]["n"] == before + 1
    estates = tiles(client.get("/").text)["小区数"]
    assert int(estates.replace(",", "")) == 7  # S1's six, and the new one
    outcomes = [line["outcome"] for line in AuditLog(home).read()
                if line.get("key_name") == "s1-admin" and line["route"] == "/upload"]  # fmt: skip
    assert outcomes[-4:] == ["invalid", "validated", "loading", "loaded"]
    # A hostile name is shown as text wherever it appears.
    gaps = client.get("/questions/gaps", params={"kind": "estates"}).text
    assert HOSTILE not in gaps and html.escape(HOSTILE, quote=False) in gaps


def test_a_second_upload_at_once_is_told_who_is_loading(app: Any) -> None:
    client = signed_in(app, "s1-admin")
    token = csrf_of(client.get("/upload").text)
    assert app.state.loading.take("all-admin")
    try:
        roster = ("a.zip", _zip({"estates.csv": "id\n"}), "application/zip")
        busy = client.post("/upload", data={"mode": "check", "csrf": token},
                           files={"file": roster})  # fmt: skip
    finally:
        app.state.loading.release()
    assert busy.status_code == 409
    assert "all-admin" in text_of(busy.text) and "正在导入" in text_of(busy.text)


def test_only_an_admin_may_upload(app: Any) -> None:
    client = signed_in(app, "s1-analyst")
    assert client.get("/upload").status_code == 403
    assert 'href="/upload"' not in client.get("/").text


# -- what every response carries ---------------------------------------------------------------


def test_every_page_forbids_inline_scripts_and_framing(app: Any) -> None:
    client = signed_in(app, "s1-analyst")
    for path in ("/", "/login", "/tree", "/questions/census", "/entities/E1", "/nothing"):
        response = client.get(path)
        policy = response.headers["content-security-policy"]
        script = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
        assert "unsafe-inline" not in script and "unsafe-eval" not in script
        assert "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))", response.text)
        # Nothing fetched from elsewhere (an SVG's namespaces are names, not fetches).
        assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", response.text), path
    assert client.get("/static/htmx.min.js").status_code == 200
    assert client.get("/static/vis-network.min.js").status_code == 200


def test_every_route_answers_through_the_guard(app: Any) -> None:
    """Every route of the app is guarded — its answers withheld unless they left through the
    guard — but the few that show nothing of the graph, and the API's docs."""
    docs = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
    routes = every_route(app.routes)
    assert len(routes) > 40
    for route in routes:
        if isinstance(route, Mount):
            assert route.path in ("/static", "/static-offline-docs")
            continue
        path = getattr(route, "path", "")
        if path in docs or path.startswith("/static-offline-docs"):
            continue
        assert isinstance(route, GuardedRoute), path
    # A page added without the guard is withheld, not sent.
    from orgnet.api.console.pages import pages_router

    extra = pages_router()

    @extra.get("/unguarded-page")
    def unguarded() -> HTMLResponse:
        return HTMLResponse("<p>secret</p>")

    app.include_router(extra)
    try:
        response = signed_in(app, "all-admin").get("/unguarded-page")
        assert response.status_code == 500 and "secret" not in response.text
    finally:
        app.router.routes[:] = [r for r in app.router.routes
                                if getattr(r, "path", "") != "/unguarded-page"]  # fmt: skip
    assert "/unguarded-page" not in OPEN


def test_the_console_speaks_english_when_asked(app: Any, graph: Database) -> None:
    client = signed_in(app, "s1-viewer")
    switched = client.get("/lang/en", params={"next": "/questions/census"})
    assert switched.status_code == 303 and switched.headers["location"] == "/questions/census"
    page = client.get("/questions/census").text
    assert 'lang="en"' in page and "Sign out" in page
    text = text_of(page).replace("中文", "")  # the switch back says itself in its language
    for row in graph.read("MATCH (n) WHERE n.name IS NOT NULL RETURN DISTINCT n.name AS name"):
        text = text.replace(row["name"], "")  # the data's names are the data's
    assert not re.search(r"[\u4e00-\u9fff]", text), text
    client.get("/lang/zh")


def test_a_page_showing_personal_data_is_withheld_when_its_audit_line_cannot_be_written(
    graph: Database, settings: Settings, tmp_path: Path
) -> None:
    Users(tmp_path).create("reader", role="analyst", jurisdiction="all", password=PASSWORD,
                           personal_data=True)  # fmt: skip
    app = create_app(settings.model_copy(update={"orgnet_api_home": tmp_path}))
    client = signed_in(app, "reader")  # its sign-in recorded
    names = {r["name"] for r in graph.read("MATCH (p:Person) RETURN p.name AS name")}
    shown = client.get("/questions/cross")
    assert shown.status_code == 200 and any(n in shown.text for n in names)
    (tmp_path / "audit.jsonl").rename(tmp_path / "audit.old")
    (tmp_path / "audit.jsonl").mkdir()  # unwritable, whoever runs this (root included)
    withheld = client.get("/questions/cross")
    assert withheld.status_code == 503
    assert "审计日志无法写入" in withheld.text
    assert not any(n in withheld.text for n in names)
    assert client.get("/questions/coverage").status_code == 200  # nothing personal: shown


def test_a_search_by_a_user_who_may_read_names_is_audited_whatever_it_finds(
    app: Any, home: Path
) -> None:
    client = signed_in(app, "all-admin")
    assert client.get("/search", params={"q": "没有这个名字"}).status_code == 200
    lines = [line for line in AuditLog(home).read()
             if line["route"] == "/search" and line["key_name"] == "all-admin"]  # fmt: skip
    assert lines and lines[-1]["parameters"]["q"] == "没有这个名字"
    assert lines[-1]["caller"] == "user" and lines[-1]["rows"] == 0
