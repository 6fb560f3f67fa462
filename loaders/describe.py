"""The reference documentation, written from the declarations themselves.

``docs/model.md`` comes from ``graph.model`` and ``docs/import.md`` from ``loaders.contract``, so
the documentation cannot say something the code does not do. Regenerate with
``python -m orgnet.loaders.describe docs`` (a test fails when the committed files are stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

from orgnet.graph.dates import EARLIEST, LATEST
from orgnet.graph.model import (
    DERIVED,
    DERIVED_PROPERTIES,
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
from .files import MAX_CELL
from .messages import HINTS, REASONS

_HEADER = "<!-- Written by `python -m orgnet.loaders.describe docs`; do not edit by hand. -->\n\n"


def _number(n: int) -> str:
    return f"{n:,}" if abs(n) >= 10_000 else str(n)  # a year stays 1900


def _kind(prop: Prop, page: str = "") -> str:
    if prop.kind is Kind.ENUM and prop.vocabulary is not None:
        return f"enum [{prop.vocabulary.name}]({page}#{prop.vocabulary.name})"
    text = str(prop.kind)
    if prop.minimum is not None or prop.maximum is not None:
        low = "" if prop.minimum is None else _number(prop.minimum)
        high = "" if prop.maximum is None else _number(prop.maximum)
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
    out.append(
        "\nDerived properties, copied the same way so that a question reads an org's type and "
        "level at any date without a walk (TYPE_AT, LEVEL_AT):\n\n"
        "| label | property | holds |\n|---|---|---|\n"
    )
    out += [
        f"| {label} | `{prop}` | {holds} |\n" for (label, prop), holds in DERIVED_PROPERTIES.items()
    ]
    out.append(
        "\n## Provenance\n\n"
        "Every load is a `Load` node (`orgnet loads`): its `number`, `kind` (`load` or `undo`), "
        "who ran it (`by`: the user at the host, the API key's or the console user's name), "
        "`began` and `ended`, the `command`, each source file (`file_names`, `file_sha256`, "
        "`file_rows`), and per table (file or sheet) what it created, changed and cleared "
        "(`count_tables`, `count_created`, `count_changed`, `count_cleared`); its `status` is "
        "`writing`, `done`, `interrupted`, `undoing` or `undone` (`undone_by` the undo's "
        "number, an undo's `undoes` the load it took back). A load interrupted and run again "
        "on the same files continues its own record.\n\n"
        "Every node and relationship a load writes carries `load_created`, `load_changed` (load "
        "numbers) and `load_source` (the `file:row` that last wrote it). When a load changes "
        "something or lets go of a link, the thing as it was is kept in a `Version` node, in "
        "the same transaction: its properties, with `version_load`, `version_kind` (`node` or "
        "`link`), `version_change` (`changed` or `cleared`), `version_source` (the row that "
        "changed it) and `version_of` (a node's id) or `version_type`, `version_from`, "
        "`version_to` (a link's). `orgnet history ID` reads them; `orgnet loads undo` deletes "
        "what the latest load created, puts back what it changed and let go of, and works the "
        "derived links out again.\n"
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
        f"Dates: `2023-05-01`, `2023/5/1`, `2023年5月1日`, `2023.05`, `2023-05` (month kept), "
        f"from {EARLIEST.year} to {LATEST.year}. "
        "Booleans: yes/no, true/false, 1/0, 是/否. Enumerations: the code or a Chinese name "
        "(see [the model](model.md#enumerations)). Phones: a mainland mobile (`13800000001`, "
        "`+86 138-0000-0001`) or landline (`0351-6021234`, `(010)62751234 转 12`), stored in "
        "one form (`0351-6021234-12`); a number a spreadsheet turned into `1.38E+10` is "
        "refused, its last digits being lost.\n\n"
        "## Later loads\n\n"
        "A dataset may be split across loads, and a later load corrects an earlier one, row by "
        "row: a column the later file has sets what it says, a column it lacks leaves what is "
        "stored. So an **emptied cell clears the property**, and an **emptied one-target "
        "reference lets go of the link** (the columns marked *one target* below: a person "
        "who moved out, left the party or changed employer; a building taken out of its grid; "
        "an org without a parent any more). A person marked as not a party member "
        "(`party_member` 否) lets go of their `MEMBER_OF` and member category even when the "
        "file lacks those columns; giving a non-member a category or a party organization in "
        "the same row is a problem. References that may name several targets (`covers`) and "
        "the relationship files only ever add: a later load does not remove what an earlier "
        "one wrote.\n\n"
        "## What is refused\n\n"
        "Everything below is reported as `file:row:column: value — reason (suggestion)`, every "
        "problem at once, and nothing is written:\n\n"
        "* a CSV file that is not UTF-8 or GB18030 as a whole: UTF-16 or UTF-32, NUL bytes, a "
        "file mixing UTF-8 lines with lines from another encoding, bytes that are neither, or "
        "text that reads as GB18030 only as unlikely characters (Big5, or UTF-8 garbled by a "
        "conversion) — named at the line where it shows;\n"
        "* a quote left open (named at the line it opened on), text after a closing quote, a "
        f"cell over {MAX_CELL:,} characters, a row with more cells than its header, a value "
        "under an empty header, a column given twice (`name` and `名称`);\n"
        "* two sources for one table (`estates.csv` beside `小区.csv`; two visible sheets); a "
        "hidden sheet is read only when it is its table's only source, and a notice says so;\n"
        "* a file that is not a readable workbook, a folder with no file of the format;\n"
        "* a control character in any cell (C0, C1, DEL), or an invisible format character "
        "that copy-paste brings in (zero-width spaces, direction marks, a stray byte-order "
        "mark), and a line break inside a value;\n"
        "* an integer outside 64 bits or outside its property's range (see the model), a date "
        "outside the years above, a phone in no mainland form.\n\n"
        "Notices — files, sheets and columns passed over, a hidden sheet read — are printed "
        "whether or not the dataset is valid. Messages are in Chinese by default, in English "
        "with `--lang en`; each has a stable code (below) for programs that read them.\n\n"
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
            if column.rel is not None and RELATIONSHIPS[column.rel].functional:
                meaning += " (one target)" if column.required else " (one target; emptied: let go)"
            headers = " / ".join(ALIASES.get(column.name, ()))
            required = "yes" if column.required else ""
            if spec.name == "regions" and column.name == "parent_id":
                required = "yes, except for a district"
            out.append(f"| `{column.name}` | {headers} | {required} | {meaning} |\n")
        out.append("\n")
    out.append(
        "## Problem codes\n\n| code | English | 中文 |\n|---|---|---|\n"
        + "".join(f"| `{code}` | {w.en} | {w.zh} |\n" for code, w in REASONS.items())
        + "\n## Suggestion codes\n\n| code | English | 中文 |\n|---|---|---|\n"
        + "".join(f"| `{code}` | {w.en} | {w.zh} |\n" for code, w in HINTS.items())
    )
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
