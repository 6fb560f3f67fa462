"""docs/questions.md, written from the registry of questions and their result types: what each
command answers and the shape of its JSON (`--format json` prints the result's fields as they
are here).

    python -m orgnet.queries.describe docs
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from pathlib import Path
from typing import Any

from . import coverage, scope
from .registry import QUESTIONS

# command → (result type, what it answers), from the registry of questions
COMMANDS: list[tuple[str, type, str]] = [(q.command, q.result, q.summary) for q in QUESTIONS]
GAP_ROWS = [
    coverage.EstateGap,
    coverage.BuildingGap,
    coverage.GridGap,
    coverage.FirmGap,
    coverage.PropertyGap,
    coverage.OwnersGap,
]


def _type_name(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(hint)).replace("NoneType", "null")
    if origin is list:
        args = typing.get_args(hint)
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin is dict:
        key, value = typing.get_args(hint)
        return f"object of {_type_name(key)} → {_type_name(value)}"
    if hint is type(None):
        return "null"
    if isinstance(hint, type):
        return {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}.get(
            hint.__name__, hint.__name__
        )
    return str(hint)


def _nested(hint: Any) -> list[type]:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return [hint]
    return [t for arg in typing.get_args(hint) for t in _nested(arg)]


def _shape(cls: type, seen: set[type]) -> list[str]:
    out = [f"### {cls.__name__}\n\n"]
    doc = (cls.__doc__ or "").strip()
    if doc and not doc.startswith(f"{cls.__name__}("):
        out.append(" ".join(doc.split()) + "\n\n")
    out.append("| field | type |\n|---|---|\n")
    hints = typing.get_type_hints(cls)
    more: list[type] = []
    for f in dataclasses.fields(cls):
        out.append(f"| `{f.name}` | {_type_name(hints[f.name])} |\n")
        more += [t for t in _nested(hints[f.name]) if t not in seen]
    out.append("\n")
    for t in more:
        if t not in seen:
            seen.add(t)
            out += _shape(t, seen)
    return out


def questions_markdown() -> str:
    out = [
        "<!-- Written by `python -m orgnet.queries.describe docs`; do not edit by hand. -->\n\n",
        "# Questions and their JSON\n\n",
        "Every question takes `--scope` (a district, street or community id; everything when "
        "left out) and `--as-of` (YYYY-MM-DD; today when left out) — `chain` and `path` take "
        "ids instead of a scope; `loads` and `history`, which tell of the record of loads "
        "rather than of the network on a day, take neither. `--format json` prints the "
        "result object below: English keys, codes as stored (see "
        "[the model](model.md#enumerations)), dates as `YYYY-MM-DD` text, "
        "`null` for unknown. Phone numbers are masked (`138****0001`) unless `--show-phone`. "
        "`--format table|csv|xlsx` put codes into Chinese words (or English with `--lang en`); "
        "CSV holds one table of the answer (`--table NAME` chooses which; the first by "
        "default), XLSX all of them.\n\n",
        "| command | result | answers |\n|---|---|---|\n",
    ]
    for command, cls, what in COMMANDS:
        out.append(f"| `{command}` | [{cls.__name__}](#{cls.__name__.lower()}) | {what} |\n")
    out.append("\n## Shapes\n\n")
    seen: set[type] = {scope.Scope, scope.Entity}
    for _, cls, _ in COMMANDS:
        if cls not in seen:
            seen.add(cls)
            out += _shape(cls, seen)
    for cls in GAP_ROWS:
        if cls not in seen:
            seen.add(cls)
            out += _shape(cls, seen)
    out += _shape(scope.Scope, set(seen))
    out += _shape(scope.Entity, set(seen))
    return "".join(out).rstrip() + "\n"


DOCUMENTS = {"questions.md": questions_markdown}


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    for name, render in DOCUMENTS.items():
        (folder / name).write_text(render(), encoding="utf-8")
        print(folder / name)
