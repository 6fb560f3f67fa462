"""The `orgnet` command: thin commands over loaders/ and queries/.

Domain errors become exit codes here, in one place (``main``).
"""

from __future__ import annotations

import dataclasses
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from orgnet.graph.connection import connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.errors import BadRequest, OrgnetError, ValidationFailed
from orgnet.graph.model import Rel
from orgnet.graph.settings import get_settings
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

app = typer.Typer(
    name="orgnet",
    help="A knowledge graph of urban grassroots organizational networks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The embedded engine: start, stop, status.", no_args_is_help=True)
app.add_typer(db_app, name="db")

out = Console()
err = Console(stderr=True)


# -- the engine ---------------------------------------------------------------------------------


@db_app.command("start")
def db_start() -> None:
    """Start the embedded engine (builds it with Maven the first time)."""
    settings = get_settings()
    if settings.external:
        out.print(f"using {settings.neo4j_uri} (NEO4J_URI); the embedded engine is not started")
        return
    engine = EmbeddedEngine(settings)
    with err.status("starting the engine…"):
        status = engine.start()
    out.print(f"engine running: {status.uri} (pid {status.pid}, home {status.home})")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded engine cleanly."""
    engine = EmbeddedEngine(get_settings())
    if engine.stop():
        out.print("engine stopped")
    else:
        out.print("engine was not running")


@db_app.command("status")
def db_status() -> None:
    """Say whether the engine runs, where, and on which port."""
    settings = get_settings()
    if settings.external:
        out.print(f"external database: {settings.neo4j_uri} (database {settings.neo4j_database})")
        return
    status = EmbeddedEngine(settings).status()
    if status.running:
        out.print(f"running: {status.uri} (pid {status.pid}, home {status.home})")
    else:
        out.print(f"stopped (home {status.home})")
        raise typer.Exit(1)


@db_app.command("derive")
def db_derive() -> None:
    """Work out every derived relationship afresh (the loader keeps them up to date; this is
    for a database written by other means)."""
    from orgnet.graph.derived import refresh_all

    with connect() as db, err.status("deriving which scopes each org serves…"):
        created, deleted = refresh_all(db)
    out.print(f"{Rel.SERVES}: {created:,} created, {deleted:,} no longer true")


# -- data in ------------------------------------------------------------------------------------


class _ProgressReporter:
    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def phase(self, name: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=False)
        self.task = self.progress.add_task(name, total=total or None)

    def advance(self, rows: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, rows)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@app.command()
def load(
    path: Annotated[Path, typer.Argument(help="A folder of CSV files or one .xlsx workbook.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only.")] = False,
    keep_extra: Annotated[
        bool, typer.Option("--keep-extra", help="Keep unknown columns as properties.")
    ] = False,
) -> None:
    """Validate a dataset whole, then write it (nothing is written if anything is wrong)."""
    from orgnet.loaders.load import load_dataset

    with connect() as db, _progress() as progress:
        summary = load_dataset(
            db, path, dry_run=dry_run, keep_extra=keep_extra, reporter=_ProgressReporter(progress)
        )
    for notice in summary.notices:
        err.print(f"[yellow]notice:[/] {notice}")
    if summary.validated_only:
        out.print(f"valid: {summary.rows:,} rows, no problems ({summary.seconds:.1f}s)")
        return
    table = Table(title=f"loaded {summary.rows:,} rows in {summary.seconds:.1f}s")
    table.add_column("label / type")
    table.add_column("rows", justify="right")
    table.add_column("created", justify="right")
    table.add_column("updated", justify="right")
    for label in sorted(summary.nodes_seen):
        table.add_row(
            label,
            f"{summary.nodes_seen[label]:,}",
            f"{summary.nodes_created[label]:,}",
            f"{summary.nodes_updated(label):,}",
        )
    for rel in sorted(summary.relationships_seen):
        table.add_row(
            rel,
            f"{summary.relationships_seen[rel]:,}",
            f"{summary.relationships_created[rel]:,}",
            f"{summary.relationships_kept(rel):,}",
        )
    derived = Rel.SERVES
    if summary.relationships_created[derived] or summary.relationships_replaced[derived]:
        gone = summary.relationships_replaced[derived]
        table.add_row(
            f"{derived} (derived)", "—", f"{summary.relationships_created[derived]:,}",
            f"{gone:,} no longer true" if gone else "—",
        )  # fmt: skip
    out.print(table)


@app.command()
def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the CSV files to.")],
    scenario: Annotated[str, typer.Option(help="demo, xinfu or province.")] = "demo",
    seed: Annotated[int, typer.Option(help="The same seed gives the same dataset.")] = 1,
) -> None:
    """Write a synthetic dataset in the import format, calibrated on the seed articles."""
    from orgnet.loaders.generate import generate_scenario, load_scenario

    spec = load_scenario(scenario)
    with err.status(f"generating {scenario}…"):
        counts = generate_scenario(spec, out_dir, seed=seed)
    out.print(
        f"wrote {scenario} (seed {seed}) to {out_dir}: "
        + ", ".join(f"{n:,} {name}" for name, n in counts.items())
    )


@app.command()
def template(
    out_file: Annotated[Path, typer.Option("--out", help="The .xlsx file to write.")],
) -> None:
    """Write an empty import workbook with Chinese headers, drop-downs and instructions."""
    from orgnet.loaders.template import write_template

    write_template(out_file)
    out.print(f"wrote {out_file}")


# -- questions ----------------------------------------------------------------------------------


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class GapKind(StrEnum):
    estates = "estates"
    buildings = "buildings"
    grids = "grids"
    firms = "firms"
    property = "property"
    owners = "owners"


ScopeOpt = Annotated[
    str | None,
    typer.Option("--scope", help="A district, street or community id (default: everything)."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Count posts, memberships, pairings and reports current then."),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, json, csv or xlsx.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Labels in Chinese (zh) or English (en).")]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Write to this file (required for xlsx) instead of stdout."),
]
TableOpt = Annotated[
    str | None, typer.Option("--table", help="With csv: which of the answer's tables to write.")
]
ShowPhoneOpt = Annotated[
    bool, typer.Option("--show-phone", help="Show phone numbers unmasked (personal data).")
]


def _emit(
    result: object,
    *,
    title: str,
    fmt: Format,
    lang: Lang,
    out_file: Path | None,
    table: str | None = None,
    lead: str | None = None,
) -> None:
    """Print or write one answer in the chosen format; the only place answers are formatted."""
    from orgnet.api import render

    if fmt is Format.xlsx:
        if out_file is None:
            raise BadRequest("--format xlsx needs --out FILE.xlsx")
        render.write_xlsx(result, out_file, title=title, lang=lang.value)
        err.print(f"wrote {out_file}")
        return
    if fmt is Format.table:
        if out_file is not None:
            with out_file.open("w", encoding="utf-8") as f:
                console = Console(file=f, width=160)
                if lead:
                    console.print(lead)
                render.print_tables(result, console, title=title, lang=lang.value)
            return
        if lead:
            out.print(lead)
        render.print_tables(result, out, title=title, lang=lang.value)
        return
    try:
        text = (
            render.to_json(result)
            if fmt is Format.json
            else render.to_csv(result, lang=lang.value, part=table)
        )
    except ValueError as e:
        raise BadRequest(str(e)) from None
    if out_file is not None:
        # A BOM so that Excel opens Chinese CSV as UTF-8.
        out_file.write_text(text, encoding="utf-8-sig" if fmt is Format.csv else "utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _title(zh: str, en: str, lang: Lang, scope: object = None) -> str:
    name = zh if lang is Lang.zh else en
    title = getattr(scope, "title", None)
    return f"{name} — {title}" if title else name


@app.command()
def coverage(
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    out_file: OutOpt = None,
) -> None:
    """Coverage summary: estates with party organization and party work."""
    from orgnet.queries.coverage import coverage_summary

    with connect() as db:
        summary = coverage_summary(db, scope=scope, as_of=as_of)
    _emit(
        summary,
        title=_title("覆盖概况", "coverage", lang, summary.scope),
        fmt=fmt,
        lang=lang,
        out_file=out_file,
        lead=summary.sentence(lang.value),
    )


@app.command()
def gaps(
    kind: Annotated[
        GapKind, typer.Argument(help="estates, buildings, grids, firms, property or owners.")
    ],
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    top: Annotated[
        int | None, typer.Option("--top", help="Only the first N (the lists come worst first).")
    ] = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    out_file: OutOpt = None,
) -> None:
    """Gap lists: estates without a party org (应建未建), buildings without a group, grids without
    a branch, firms without red property, estates without a firm or an owners' committee."""
    from orgnet.queries.coverage import gaps as gap_list

    titles = {
        "estates": ("未建党组织的小区", "estates without a party org"),
        "buildings": ("未建楼栋党小组的楼栋", "buildings without a group"),
        "grids": ("未建网格党支部的网格", "grids without a branch"),
        "firms": ("未实现红色物业的物业企业", "firms without party org or guide"),
        "property": ("无物业管理的小区", "estates without a property firm"),
        "owners": ("未成立业委会的小区", "estates without an owners' committee"),
    }
    with connect() as db:
        result = gap_list(db, kind.value, scope=scope, as_of=as_of)
    if top is not None:
        result = dataclasses.replace(result, rows=result.rows[:top])
    _emit(
        result,
        title=_title(*titles[kind.value], lang, result.scope),
        fmt=fmt,
        lang=lang,
        out_file=out_file,
    )


@app.command()
def census(
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    out_file: OutOpt = None,
    table: TableOpt = None,
) -> None:
    """Census: party orgs by type and level, members and secretaries by category."""
    from orgnet.queries.coverage import census as run_census

    with connect() as db:
        result = run_census(db, scope=scope, as_of=as_of)
    _emit(
        result,
        title=_title("党组织和党员统计", "census", lang, result.scope),
        fmt=fmt,
        lang=lang,
        out_file=out_file,
        table=table,
    )


@app.command()
def rules(
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    out_file: OutOpt = None,
    table: TableOpt = None,
) -> None:
    """Rules: secretary vacancies, size rules (3 / 50 / 100 members), hierarchy integrity."""
    from orgnet.queries.coverage import rules as run_rules

    with connect() as db:
        result = run_rules(db, scope=scope, as_of=as_of)
    _emit(
        result,
        title=_title("组织设置规范", "rules", lang, result.scope),
        fmt=fmt,
        lang=lang,
        out_file=out_file,
        table=table,
    )


@app.command()
def pairing(
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    rebalance: Annotated[
        bool, typer.Option("--rebalance", help="Propose re-pairings that even out units.")
    ] = False,
    max_per_unit: Annotated[
        int, typer.Option("--max-per-unit", help="With --rebalance: communities per unit, at most.")
    ] = 2,
    across_streets: Annotated[
        bool,
        typer.Option("--across-streets", help="With --rebalance: units may leave their street."),
    ] = False,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    out_file: OutOpt = None,
    table: TableOpt = None,
    show_phone: ShowPhoneOpt = False,
) -> None:
    """Pairing balance: paired units and reporting members per household, by community."""
    from orgnet.queries import pairing as questions

    with connect() as db:
        if rebalance:
            moves = questions.rebalance(
                db, scope, as_of, max_per_unit=max_per_unit, across_streets=across_streets
            )
            _emit(
                moves,
                title=_title("结对调整方案", "rebalancing", lang, moves.scope),
                fmt=fmt,
                lang=lang,
                out_file=out_file,
                table=table,
            )
            return
        result = questions.pairing_balance(db, scope, as_of, show_phone=show_phone)
    _emit(
        result,
        title=_title("结对共建与双报到均衡", "pairing balance", lang, result.scope),
        fmt=fmt,
        lang=lang,
        out_file=out_file,
        table=table,
    )


@app.command()
def chain(
    id: Annotated[
        str, typer.Argument(help="A building, estate, place, person, unit, firm or org.")
    ],
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    out_file: OutOpt = None,
    show_phone: ShowPhoneOpt = False,
) -> None:
    """The chain up the party hierarchy, with each level's secretary."""
    from orgnet.queries.paths import chain as run_chain

    with connect() as db:
        result = run_chain(db, id, as_of, show_phone=show_phone)
    if not result.links and fmt is Format.table:
        err.print(f"no party org reaches {result.start.name} ({result.start.id})")
    _emit(result, title=_title("组织联系链", "chain", lang), fmt=fmt, lang=lang, out_file=out_file)


@app.command()
def path(
    source: Annotated[str, typer.Argument(metavar="FROM", help="An entity id.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="An entity id.")],
    as_of: AsOfOpt = None,
    k: Annotated[int, typer.Option("--k", "-k", help="How many paths (1–10).")] = 3,
    max_hops: Annotated[int, typer.Option("--max-hops", help="Longest path (1–12).")] = 8,
    rel: Annotated[
        list[str] | None,
        typer.Option("--rel", help="Follow only these relationships (repeat the option)."),
    ] = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    out_file: OutOpt = None,
) -> None:
    """The shortest contact paths between two entities."""
    from orgnet.queries.paths import paths

    with connect() as db:
        result = paths(db, source, target, as_of, k=k, max_hops=max_hops, rels=rel)
    _emit(result, title=_title("联系路径", "paths", lang), fmt=fmt, lang=lang, out_file=out_file)


@app.command()
def cross(
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    out_file: OutOpt = None,
    table: TableOpt = None,
    show_phone: ShowPhoneOpt = False,
) -> None:
    """Cross-appointments by pattern, and estates whose triad nobody links (三方联动)."""
    from orgnet.queries.paths import cross_appointments

    with connect() as db:
        result = cross_appointments(db, scope, as_of, show_phone=show_phone)
    _emit(
        result,
        title=_title("交叉任职", "cross-appointments", lang, result.scope),
        fmt=fmt,
        lang=lang,
        out_file=out_file,
        table=table,
    )


@app.command()
def brokers(
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    top: Annotated[int, typer.Option("--top", help="How many by betweenness.")] = 10,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
    out_file: OutOpt = None,
    table: TableOpt = None,
) -> None:
    """People whose removal cuts organizations apart, and the most between others."""
    from orgnet.queries.paths import brokers as find_brokers

    with connect() as db:
        result = find_brokers(db, scope, as_of, top=top)
    _emit(
        result,
        title=_title("关键联系人", "brokers", lang, result.scope),
        fmt=fmt,
        lang=lang,
        out_file=out_file,
        table=table,
    )


@app.command()
def report(
    out_file: Annotated[
        Path, typer.Option("--out", "-o", help="FILE.html (a page) or FILE.xlsx (a workbook).")
    ],
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """One coverage report of a scope to send upward: summary, rates by street and community,
    every gap list, rules, census, pairing balance and cross-appointments (phones masked)."""
    from orgnet.api import render
    from orgnet.api.report import write_html
    from orgnet.queries.report import coverage_report

    suffix = out_file.suffix.lower()
    if suffix not in (".html", ".htm", ".xlsx"):
        raise BadRequest(f"{out_file}: the report is written as .html or .xlsx")
    with connect() as db, err.status("gathering the report…"):
        result = coverage_report(db, scope, as_of)
    if suffix == ".xlsx":
        render.write_xlsx(
            result,
            out_file,
            title=_title("覆盖情况报告", "coverage report", lang, result.scope),
            lang=lang.value,
        )
    else:
        write_html(result, out_file, lang.value)
    out.print(f"wrote {out_file}")


def main() -> None:
    """Entry point: runs the app and maps domain errors to exit codes."""
    try:
        app()
    except ValidationFailed as e:
        for problem in e.problems:
            err.print(str(problem), markup=False, highlight=False)
        err.print(f"[red]{e}[/]")
        sys.exit(e.exit_code)
    except OrgnetError as e:
        err.print(f"[red]error:[/] {e}", highlight=False)
        sys.exit(e.exit_code)


if __name__ == "__main__":
    main()
