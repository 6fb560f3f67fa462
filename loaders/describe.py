"""The reference documentation, written from the declarations themselves.

``docs/model.md`` comes from ``graph.model`` and ``docs/import.md`` from ``loaders.contract``, so
the documentation cannot say something the code does not do. Regenerate with
``python -m orgnet.loaders.describe docs`` (a test fails when the committed files are stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

from orgnet.graph.model import (
    DERIVED,
    ENTITY,
    INDEXES,
    NODES,
    RELATIONSHIPS,
    SIDES,
    VOCABULARIES,
    Kind,
    Prop,
)

from .contract import ALIASES, FILES

_HEADER = "<!-- Written by `python -m orgnet.loaders.describe docs`; do not edit by hand. -->\n\n"


def _kind(prop: Prop, page: str = "") -> str:
    if prop.kind is Kind.ENUM and prop.vocabulary is not None:
        return f"enum [{prop.vocabulary.name}]({page}#{prop.vocabulary.name})"
    text = str(prop.kind)
    if prop.minimum is not None or prop.maximum is not None:
        low = "" if prop.minimum is None else str(prop.minimum)
        high = "" if prop.maximum is None else str(prop.maximum)
        text += f" {low}–{high}" if high else f" ≥ {low}"
    if prop.personal:
        text += ", personal data (masked)"
    return text


def model_markdown() -> str:
    out = [_HEADER, "# The knowledge model\n\n"]
    out.append(
        f"Every node carries its own label and `{ENTITY}`; `id` is unique per label and across "
        f"`{ENTITY}`, so an id names one node whatever its kind.\n\n## Nodes\n\n"
    )
    for node in NODES.values():
        out.append(f"### {node.label} {node.zh}\n\n| property | kind |\n|---|---|\n")
        out += [f"| `{p.name}` | {_kind(p)} |\n" for p in node.properties]
        out.append("\n")
    out.append("## Relationships\n\n| type | 中文 | from | to | properties | notes |\n")
    out.append("|---|---|---|---|---|---|\n")
    for rel in RELATIONSHIPS.values():
        notes = []
        if rel.functional:
            notes.append("one target per source; a later load replaces it")
        if rel.key:
            notes.append("keyed by " + ", ".join(f"`{k}`" for k in rel.key))
        props = ", ".join(f"`{p.name}`" for p in rel.properties) or "—"
        out.append(
            f"| `{rel.type}` | {rel.zh} | {', '.join(rel.sources)} | {', '.join(rel.targets)} "
            f"| {props} | {'; '.join(notes)} |\n"
        )
    out.append(
        "\n## Derived relationships\n\nWorked out by the loader from the relationships above "
        "after every load (for the organizations the load touched, and those below them), and "
        "never imported. They spare the questions a walk of the graph.\n\n"
        "| type | 中文 | from | to | meaning |\n|---|---|---|---|---|\n"
    )
    for derived in DERIVED:
        out.append(
            f"| `{derived.type}` | {derived.zh} | {', '.join(derived.sources)} "
            f"| {', '.join(derived.targets)} | {derived.meaning} |\n"
        )
    out.append("\n## Sides of a cross-appointment\n\n| label | side |\n|---|---|\n")
    out += [f"| {label} | {side} |\n" for label, side in SIDES.items()]
    out.append("\n## Indexes beyond the id constraints\n\n")
    out += [f"* `{i.label}.{i.prop}`\n" for i in INDEXES]
    out.append("\n## Enumerations\n\nImport accepts the code or any of the Chinese names.\n\n")
    for vocabulary in VOCABULARIES.values():
        out.append(f"### {vocabulary.name}\n\n| code | 中文 |\n|---|---|\n")
        out += [f"| `{c.code}` | {' / '.join(c.names)} |\n" for c in vocabulary.choices]
        out.append("\n")
    return "".join(out).rstrip() + "\n"


def import_markdown() -> str:
    out = [_HEADER, "# Import format\n\n"]
    out.append(
        "A dataset is a folder of CSV files (UTF-8 with or without BOM, or GB18030) or one `.xlsx` "
        "workbook with a sheet per file. Files are read in the order below; every file is "
        "optional except `regions` on a first load. Headers may be the English names or any "
        "Chinese alias; sheets may carry the English or the Chinese name. `orgnet template` "
        "writes a workbook with these sheets, Chinese headers and drop-down lists.\n\n"
        "Dates: `2023-05-01`, `2023/5/1`, `2023年5月1日`, `2023.05`, `2023-05` (month kept). "
        "Booleans: yes/no, true/false, 1/0, 是/否. Enumerations: the code or a Chinese name "
        "(see [the model](model.md#enumerations)). An emptied cell clears the property.\n\n"
    )
    for spec in FILES:
        out.append(f"## {spec.name} ({spec.zh})\n\n")
        if spec.edge is not None:
            out.append(
                f"Each row is a `{spec.edge.rel}` relationship from `{spec.edge.source}` "
                f"to `{spec.edge.target}`.\n\n"
            )
        elif spec.label is not None:
            out.append(f"Each row is one `{spec.label}` node.\n\n")
        else:
            out.append("Each row is a node whose label its `kind` decides.\n\n")
        out.append("| column | 中文表头 | required | meaning |\n|---|---|---|---|\n")
        for column in spec.columns:
            if column.prop is not None:
                meaning = _kind(column.prop, "model.md")
            else:
                meaning = "id of " + " or ".join(column.refs)
                if column.many:
                    meaning += " (several, separated by `;`)"
                if column.rel is not None:
                    meaning += f" → `{column.rel}`"
            headers = " / ".join(ALIASES.get(column.name, ()))
            required = "yes" if column.required else ""
            if spec.name == "regions" and column.name == "parent_id":
                required = "yes, except for a district"
            out.append(f"| `{column.name}` | {headers} | {required} | {meaning} |\n")
        out.append("\n")
    return "".join(out).rstrip() + "\n"


DOCUMENTS = {"model.md": model_markdown, "import.md": import_markdown}


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in DOCUMENTS.items():
        path = folder / name
        path.write_text(render(), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(path)
