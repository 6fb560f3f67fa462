"""One catalogue of words per language (api/catalogue/*.toml): the same keys and placeholders in
each, and every door speaking one language at a time — a scan of every command's output and
help, the report, the template, the views and the HTTP answers' labels for words of the other."""

from __future__ import annotations

import json
import re
import string
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from orgnet.api.labels import column, heading, section
from orgnet.api.words import LANGS, catalogue
from orgnet.graph.connection import Database
from orgnet.graph.settings import REPO
from orgnet.loaders.contract import FILES

from .city import TODAY, city
from .dump import orgnet

CATALOGUES = REPO / "api" / "catalogue"

# What a Chinese page may hold in Latin letters: the ids and names of the data, the options and
# codes a person types (--scope, csv, HOLDS), and the names of programs and files.
TYPED = {
    "orgnet", "csv", "xlsx", "json", "table", "html", "htm", "zip", "zh", "en", "all",
    "demo", "xinfu", "province", "viewer", "analyst", "admin", "estates", "buildings", "grids",
    "firms", "property", "owners", "communities", "idle_units", "unreported", "mismatched",
    "moves", "idle", "rows", "vacancies", "size", "integrity", "orgs", "members", "secretaries",
    "unattached", "patterns", "persons", "triad_gaps", "brokers", "central", "links", "paths",
    "unplaced", "NEO4J_URI", "ORGNET_DEBUG", "HTTP", "API", "X-API-Key", "OpenAPI", "openapi",
    "Maven", "Java", "JDK", "Neo4j", "bolt", "http", "localhost", "Debian", "apt-get",
    "install", "fonts-noto-cjk", "maven", "openjdk-17-jdk-headless", "d", "w", "m", "y",
    "argon2", "users", "passwd", "disable", "Excel", "loads", "undo", "history", "SHA-256",
    "x",  # a bound as the help writes it: 1<=x<=10
    # the commands
    "db", "start", "stop", "status", "derive", "load", "generate", "template", "coverage",
    "gaps", "census", "rules", "terms", "pairing", "chain", "path", "cross", "report", "serve",
    "audit", "keys", "create", "list", "revoke", "viz", "structure", "neighbourhood", "mvn",
    "changes", "trend", "month", "quarter", "year",
    # the files of the import format (regions.csv)
    *(f.name for f in FILES),
}  # fmt: skip
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")  # --scope, -k (not the -S3 of P-S3)
CJK = re.compile(r"[\u3400-\u9fff]")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_each_language_has_the_same_words_with_the_same_blanks() -> None:
    tables = {
        lang: tomllib.loads((CATALOGUES / f"{lang}.toml").read_text(encoding="utf-8"))
        for lang in LANGS
    }
    zh, en = catalogue("zh"), catalogue("en")
    assert set(zh) == set(en), set(zh) ^ set(en)
    assert tables["zh"].keys() == tables["en"].keys()
    # The language switch names the other language in that language (English, 中文).
    switch = "console.other_lang"
    assert (zh[switch], en[switch]) == ("English", "中文")
    for key in set(zh) - {switch}:
        assert _placeholders(zh[key]) == _placeholders(en[key]), key
        assert not CJK.search(re.sub(r"\d+年\d+月(\d+日)?", "", en[key])), (key, en[key])
        # The Chinese words hold no English word but what a person types or a program's name.
        blanks = OPTION.sub(" ", re.sub(r"\{[^}]*\}|\[/?\w*\]", " ", zh[key]))
        stray = {w for w in LATIN.findall(blanks) if w not in TYPED and not w.isupper()}
        assert not stray, (key, zh[key], stray)


def test_the_labels_come_from_the_catalogue() -> None:
    assert (column("org_rate", "zh"), column("org_rate", "en")) == ("组织覆盖率", "org coverage")
    assert heading("gaps.estates", "zh") == "未建党组织的小区"
    assert section("moves", "en") == "moves"


# -- every door, in each language ---------------------------------------------------------------

QUESTIONS = [
    ["coverage", "--scope", "D1"],
    ["gaps", "estates", "--scope", "D1", "--top", "1"],
    ["gaps", "buildings", "--scope", "D1"],
    ["gaps", "grids", "--scope", "D1"],
    ["gaps", "firms", "--scope", "D1"],
    ["gaps", "property", "--scope", "D1"],
    ["gaps", "owners", "--scope", "D1"],
    ["census", "--scope", "D1"],
    ["rules"],
    ["owners", "--scope", "D1"],
    ["terms", "--scope", "D1"],
    ["pairing", "--scope", "D1"],
    ["pairing", "--scope", "D1", "--rebalance"],
    ["chain", "B51"],
    ["path", "P-O1", "P-O3", "-k", "2"],
    ["path", "P-O1", "F3", "--max-hops", "2"],
    ["cross", "--scope", "D1"],
    ["brokers", "--scope", "D1", "--top", "1"],
    ["coverage", "--scope", "东街道"],
    ["coverage", "--scope", "nowhere"],
    ["coverage", "--top", "3"],
    ["path", "A", "B", "-k", "0"],
    ["gaps", "nothing"],
    ["coverage", "--as-of", "去年春天"],
    ["coverage", "--scope", "B51"],
    ["nosuch"],
    ["report", "-o", "{tmp}/report.pdf"],
    ["viz", "structure", "-o", "{tmp}/x.html"],
    ["db", "derive"],
    ["db", "status"],
]
HELP = [
    [], ["db"], ["viz"], ["keys"], ["db", "start"], ["db", "stop"], ["db", "status"],
    ["db", "derive"], ["load"], ["generate"], ["template"], ["coverage"], ["gaps"], ["census"],
    ["rules"], ["owners"], ["terms"], ["pairing"], ["chain"], ["path"], ["cross"], ["brokers"],
    ["report"], ["serve"], ["audit"], ["keys", "create"], ["keys", "list"], ["keys", "revoke"],
    ["viz", "structure"], ["viz", "pairing"], ["viz", "cross"], ["viz", "path"],
    ["viz", "neighbourhood"], ["users"], ["users", "create"], ["users", "list"],
    ["users", "disable"], ["users", "passwd"],
]  # fmt: skip


def _data_words() -> tuple[set[str], set[str]]:
    """The ids and the names of the city: what a page says in the data's own words."""
    ids: set[str] = set()
    names: set[str] = set()
    for rows in city().values():
        for row in rows:
            for key, value in row.items():
                if not value:
                    continue
                if key == "id" or key.endswith("_id"):
                    ids.add(str(value))
                elif key in ("name",):
                    names.add(str(value))
    return ids, names


def _english_in(text: str, data: set[str]) -> set[str]:
    """The Latin words of a Chinese text that are none of the data's ids and names, paths,
    options, dates or what a person types."""
    text = re.sub(r"(/[\w.\-]+)+", " ", text)  # paths
    text = OPTION.sub(" ", text)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    words = {m.group(0): text[max(0, m.start() - 30) : m.end() + 30] for m in LATIN.finditer(text)}
    return {
        f"{w} in …{around}…"
        for w, around in words.items()
        if w not in TYPED and not (w.isupper() and len(w) > 1)
    }


def _chinese_in(text: str, names: set[str]) -> list[str]:
    """The Chinese of an English text that is none of the data's names (whole or shortened,
    张*), nor the sheets' names a workbook may use (区域)."""
    from orgnet.loaders.contract import FILES

    text = re.sub(r"\d+年\d+月(\d+日)?", " ", text)  # a date as Chinese rosters write it
    shortened = {name[0] + "*" for name in names if name}
    for name in sorted(names | shortened | {f.zh for f in FILES}, key=len, reverse=True):
        text = text.replace(name, " ")
    return [line for line in text.splitlines() if CJK.search(line)]


@pytest.mark.fuzz
@pytest.mark.parametrize("lang", LANGS)
def test_every_command_speaks_one_language(
    graph: Database, cli_env: dict, tmp_path: Path, lang: str, rotation: Callable[..., bool]
) -> None:
    ids, names = _data_words()
    env = {**cli_env, "ORGNET_LANG": lang, "COLUMNS": "1000"}  # no name folded in two
    seen: list[str] = []
    for number, args in enumerate([*QUESTIONS, *([*a, "--help"] for a in HELP)]):
        # `make test`: each language asks every other command, in turn (and the unknown one).
        if args != ["nosuch"] and not rotation(LANGS.index(lang), number, among=len(LANGS)):
            continue
        args = [a.replace("{tmp}", str(tmp_path)) for a in args]
        if args and args[0] not in ("nosuch", "db", "viz", "keys", "users", "load", "generate"):
            args = (
                [*args, "--as-of", TODAY]
                if "--as-of" not in args and "--help" not in args
                else args
            )
        done = orgnet(*args, env=env)
        assert "Traceback" not in done.stderr, (args, done.stderr)
        said = done.stdout + done.stderr
        if "--help" in args:  # the help wraps a line anywhere, a word too
            said = re.sub(r"\n\s+", "", said)
        # The engine's folder first: what was typed (db) may be two letters of its random name.
        said = said.replace(env["ORGNET_HOME"], " ")
        for name in sorted(names, key=len, reverse=True):
            said = said.replace(name, " ")
        # what was typed is said back as it was (the longest first; not a count: --top 1)
        for typed in sorted(args, key=len, reverse=True):
            typed_value = not typed.isdigit() and not typed.startswith("-")
            said = said.replace(typed, " ") if typed_value else said
        seen.append(said)
        if lang == "zh":
            stray = _english_in(said, ids | names)
            assert not stray, (args, stray, said)
        else:
            stray_lines = _chinese_in(said, names)
            assert not stray_lines, (args, stray_lines)
    assert any("错误：" in s for s in seen) == (lang == "zh")


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_and_the_load_speak_one_language(
    graph: Database, cli_env: dict, tmp_path: Path, lang: str
) -> None:
    ids, names = _data_words()
    env = {**cli_env, "ORGNET_LANG": lang}
    page = tmp_path / "report.html"
    done = orgnet("report", "--scope", "D1", "--as-of", TODAY, "-o", str(page), env=env)
    assert done.returncode == 0, done.stderr
    text = re.sub(r"<style>.*?</style>|<svg.*?</svg>|<[^>]+>", " ", page.read_text(), flags=re.S)
    if lang == "zh":
        assert not _english_in(text, ids | names), _english_in(text, ids | names)
    else:
        assert not _chinese_in(text, names), _chinese_in(text, names)[:5]
    # A dry run's summary and a refused load: the summary's words and the problems'.
    folder = tmp_path / "empty"
    folder.mkdir()
    done = orgnet("load", str(folder), "--dry-run", env=env)
    said = (done.stdout + done.stderr).replace(str(folder), " ")
    if lang == "zh":
        assert not _english_in(said, ids), said
    else:
        assert not _chinese_in(said, names), said


def test_the_template_is_chinese_throughout(cli_env: dict, tmp_path: Path) -> None:
    book = tmp_path / "模板.xlsx"
    done = orgnet("template", "--out", str(book), env=cli_env)
    assert done.returncode == 0, done.stderr
    texts = []
    for sheet in load_workbook(book).worksheets:
        texts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            if sheet.title == "说明" and len(row) > 2:
                row = (*row[:2], *row[3:])  # 英文列名: the English headers a roster may use
            texts += [str(v) for v in row if isinstance(v, str)]
    stray = _english_in("\n".join(texts), set())
    assert not stray, stray


def test_the_http_labels_speak_the_language_asked(graph: Database) -> None:
    from orgnet.api.labels import column, heading

    for name in ("coverage", "gaps.estates", "pairing", "rebalance", "path", "brokers"):
        assert CJK.search(heading(name, "zh")) and not CJK.search(heading(name, "en"))
    for key in json.loads(json.dumps(list(catalogue("zh")))):
        if key.startswith("columns."):
            name = key.removeprefix("columns.")
            assert not CJK.search(column(name, "en")), name
