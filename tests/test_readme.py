"""Every `orgnet` command the README shows works as written, on the demo `make demo` loads: the
quick start's template filled in as a clerk would and loaded, then each question, export and
view. Two are not run: `orgnet db stop` (it would stop the engine the other tests share) and
`orgnet serve` (it serves until stopped; tests/test_http_service.py starts it)."""

from __future__ import annotations

import csv
import re
import shlex
from pathlib import Path

from openpyxl import load_workbook

from orgnet.graph.connection import Database
from orgnet.graph.settings import REPO
from orgnet.loaders.contract import FILES, resolve_headers
from orgnet.loaders.generate import generate_scenario, load_scenario

from .dump import orgnet, wipe

NOT_RUN = ("orgnet db stop", "orgnet serve")


def readme_commands() -> list[list[str]]:
    """The README's `orgnet …` lines of its shell blocks, comments cut, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("orgnet ") and not line.startswith(NOT_RUN):
                commands.append(shlex.split(line))
    return commands


def _fill(template: Path, dataset: Path) -> None:
    """The template filled with a dataset's rows, under the template's own headers."""
    book = load_workbook(template)
    for spec in FILES:
        source = dataset / f"{spec.name}.csv"
        if not source.exists():
            continue
        sheet = book[spec.zh]
        headers = [c.value for c in sheet[1]]
        columns = resolve_headers(spec, headers)
        with source.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                sheet.append([row.get(columns.get(i, ""), "") or None for i in range(len(headers))])
    book.save(template)


def test_the_readme_holds_the_examples_it_should() -> None:
    commands = [" ".join(c[:2]) for c in readme_commands()]
    for expected in ("orgnet template", "orgnet load", "orgnet coverage", "orgnet path",
                     "orgnet viz", "orgnet report", "orgnet keys", "orgnet users"):  # fmt: skip
        assert any(c.startswith(expected) for c in commands), expected


def test_every_readme_command_works_as_written(db: Database, cli_env: dict, tmp_path: Path) -> None:
    wipe(db)
    demo = tmp_path / "demo"
    generate_scenario(load_scenario("demo"), demo, seed=1)  # what `make demo` generates
    env = {**cli_env, "ORGNET_API_HOME": str(tmp_path / "api")}  # its users and keys apart
    for args in readme_commands():
        # A password is typed where the README says so.
        typed = "a long enough secret\n" if "--password-stdin" in args else None
        done = orgnet(*args[1:], env=env, cwd=tmp_path, stdin=typed)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        if args[1] == "template":  # the clerk fills it in before loading it
            _fill(tmp_path / args[-1], demo)
        if args[1] == "path":
            assert "联系路径: 无" not in done.stdout, (args, done.stdout)
        if args[1] == "coverage":
            assert "在" in done.stdout and "个小区中" in done.stdout, done.stdout
    assert (tmp_path / "覆盖报告.html").exists() and (tmp_path / "结构.html").exists()
    assert db.read("MATCH (o:PartyOrg) RETURN count(o) AS n")[0]["n"] > 100
