"""orgnet viz: the network views, written as HTML pages."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path
from typing import Annotated

import typer

from orgnet.graph.connection import connect
from orgnet.queries.registry import question

from ..words import say
from .common import (
    DEFAULT_LANG,
    AsOfOpt,
    LangOpt,
    ScopeOpt,
    ShowPhoneOpt,
    called,
    named,
    output_file,
    scope_of,
    show,
    tell,
    viz_app,
    words,
    writing,
)
from .questions import input_parameter, keyword

ViewOut = Annotated[
    Path, typer.Option("--out", "-o", metavar=called("file"), help=words("help.view_out"))
]


def _write_view(view: object, out_file: Path) -> None:
    from orgnet.api.views import View

    assert isinstance(view, View)
    with writing(output_file(out_file, ".html", ".htm")):
        view.save(out_file)
    show(words("cli.wrote_view", path=out_file, nodes=f"{view.nodes:,}", edges=f"{view.edges:,}"))


@viz_app.command("structure", help=words("help.viz_structure"))
def viz_structure(
    scope: Annotated[
        str, typer.Option("--scope", metavar=called("name"), help=words("help.viz_scope"))
    ],
    out_file: ViewOut,
    as_of: AsOfOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    show_phone: ShowPhoneOpt = False,
) -> None:
    from orgnet.api.tree import draw_tree
    from orgnet.queries.networks import structure

    output_file(out_file, ".html", ".htm")
    with connect() as db:
        network = structure(db, scope_of(db, scope), as_of, show_phone=show_phone)
    _write_view(draw_tree(network, lang=lang.value), out_file)


@viz_app.command("pairing", help=words("help.viz_pairing"))
def viz_pairing(
    out_file: ViewOut,
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    from orgnet.api.views import draw
    from orgnet.queries.networks import pairing

    output_file(out_file, ".html", ".htm")
    with connect() as db:
        network = pairing(db, scope_of(db, scope), as_of)
    _write_view(draw(network, lang=lang.value), out_file)


@viz_app.command("cross", help=words("help.viz_cross"))
def viz_cross(
    out_file: ViewOut,
    scope: ScopeOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    show_phone: ShowPhoneOpt = False,
) -> None:
    from orgnet.api.views import draw
    from orgnet.queries.networks import cross

    output_file(out_file, ".html", ".htm")
    with connect() as db:
        network = cross(db, scope_of(db, scope), as_of, show_phone=show_phone)
    _write_view(draw(network, lang=lang.value), out_file)


def _viz_path(**given: typing.Any) -> None:
    from orgnet.api.views import draw
    from orgnet.queries.networks import contact_path

    out_file, lang = given["out_file"], given["lang"]
    output_file(out_file, ".html", ".htm")
    with connect() as db:
        network = contact_path(
            db, given["source"], given["target"], given["as_of"], k=given["k"],
            max_hops=given["max_hops"], rels=given["rel"],
        )  # fmt: skip
    if not network.edges:  # the page would hold the two ends alone: said, and not written
        source, target = (
            next(n for n in network.nodes if n.details.get("end") == end)
            for end in ("source", "target")
        )
        tell(
            say("cli.no_path_found", lang.value, hops=given["max_hops"],
                source=named(source), target=named(target))
        )  # fmt: skip
        raise typer.Exit(4)
    _write_view(draw(network, lang=lang.value), out_file)


def _viz_path_command() -> None:
    """`viz path` takes what `orgnet path` takes (its inputs from the registry), and --out."""
    q = question("path")
    parameters = [input_parameter(q, i) for i in q.inputs if i.positional]
    parameters += [
        keyword("out_file", ViewOut, inspect.Parameter.empty),
        keyword("as_of", AsOfOpt, None),
    ]
    parameters += [input_parameter(q, i) for i in q.inputs if not i.positional]
    parameters.append(keyword("lang", LangOpt, DEFAULT_LANG))
    _viz_path.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    viz_app.command("path", help=words("help.viz_path"))(_viz_path)


_viz_path_command()


@viz_app.command("neighbourhood", help=words("help.viz_neighbourhood"))
def viz_neighbourhood(
    id: Annotated[str, typer.Argument(metavar=called("id"), help=words("help.entity_id"))],
    out_file: ViewOut,
    as_of: AsOfOpt = None,
    depth: Annotated[
        int,
        typer.Option("--depth", min=1, max=2, metavar=called("number"), help=words("help.depth")),
    ] = 1,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    from orgnet.api.views import draw
    from orgnet.queries.networks import neighbourhood

    output_file(out_file, ".html", ".htm")
    with connect() as db:
        network, truncated = neighbourhood(db, id, as_of, depth=depth)
    if truncated:
        tell(say("cli.notice", lang.value, text=say("cli.neighbourhood_cut", lang.value)))
    _write_view(draw(network, lang=lang.value), out_file)
