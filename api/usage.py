"""The command line's own words — its help headings, its usage line, and what it says of a
command typed wrong — in the language of the catalogue, not the English the argument parser
writes.

The parser (typer's click) writes these words in English in a few places: a heading through
gettext (``typer.core._``, ``typer.rich_utils``'s titles), the usage prefix and the help
option's text as literals, and the usage errors as messages. ``speak`` sends the first three
through the catalogue; ``usage_error`` says a usage error from its kind and parameter.
"""

from __future__ import annotations

import re
from typing import Any

from .words import catalogue, say

# The parser's English → the catalogue's key (click.*): its gettext words, by their text.
_GETTEXT = {
    "Options": "options",
    "Arguments": "arguments",
    "Commands": "commands",
    "required": "required",
    "default: {default}": "default",
    "Aborted!": "aborted",
    "Missing command.": "missing_command",
    "No such command {name!r}.": "no_such_command",
    "(dynamic)": "dynamic",
    "env var: {var}": "env_var",
}


def speak(lang: str) -> None:
    """Make the parser's headings, usage line and help option speak ``lang``."""
    import typer.core
    import typer.rich_utils
    from typer._click import core, decorators, formatting

    words = catalogue(lang)

    def gettext(text: str) -> str:
        key = _GETTEXT.get(text)
        return words[f"click.{key}"] if key else text

    typer.core._ = gettext  # type: ignore[assignment]
    rich = typer.rich_utils
    rich.ARGUMENTS_PANEL_TITLE = words["click.arguments"]
    rich.OPTIONS_PANEL_TITLE = words["click.options"]
    rich.COMMANDS_PANEL_TITLE = words["click.commands"]
    rich.ERRORS_PANEL_TITLE = words["click.error"]
    rich.DEFAULT_STRING = words["click.default_rich"]
    rich.REQUIRED_LONG_STRING = words["click.required_rich"]
    rich.ABORTED_TEXT = words["click.aborted"]
    rich.RICH_HELP = words["click.rich_help"]

    write_usage = formatting.HelpFormatter.write_usage

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, words["click.usage"] if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
    # An argument is named in words already (起点编号); its Python type (<str>) says nothing.
    typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]
    placeholders = {"[OPTIONS]": words["click.options_metavar"],
                    "COMMAND [ARGS]...": words["click.command_metavar"]}  # fmt: skip
    for cls in (core.Command, typer.core.TyperGroup):
        collect = cls.__dict__.get("collect_usage_pieces")
        if collect is None:
            continue

        def pieces(self: Any, ctx: Any, collect: Any = collect) -> list[str]:
            return [placeholders.get(p, p) for p in collect(self, ctx)]

        cls.collect_usage_pieces = pieces  # type: ignore[method-assign]
    help_option = decorators.help_option

    def help_in_words(names: Any) -> Any:
        add = help_option(names)

        def adding(command: Any) -> Any:
            added = add(command)
            command.params[-1].help = words["click.help"]
            return added

        return adding

    decorators.help_option = help_in_words  # type: ignore[assignment]


def _name(param: Any) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or []
    if opts and opts[0].startswith("-"):
        return opts[0]
    return getattr(param, "metavar", None) or (param.name or "").upper()


# What the parser says of a bad value (pydantic's words, or click's), and the catalogue's.
_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"greater than or equal to (?P<n>[-\d.]+)"), "at_least"),
    (re.compile(r"less than or equal to (?P<n>[-\d.]+)"), "at_most"),
    (re.compile(r"greater than (?P<n>[-\d.]+)"), "above"),
    (re.compile(r"less than (?P<n>[-\d.]+)"), "below"),
    (re.compile(r"valid integer"), "integer"),
    (re.compile(r"valid number"), "number"),
    (re.compile(r"'(?P<value>[^']*)' is not one of (?P<choices>.+?)\.?$"), "one_of"),
)


def usage_error(error: Any, lang: str) -> str:
    """A usage error (an option unknown, a value missing or out of bounds, a command that is
    none) in words; our own parameter callbacks' messages are said as they are."""
    from typer._click import exceptions as click

    name = _name(getattr(error, "param", None))
    message = str(getattr(error, "message", "") or "")
    if isinstance(error, click.NoSuchOption):
        found = ", ".join(sorted(error.possibilities or ()))
        text = say("click.no_such_option", lang, option=error.option_name)
        return text + (say("click.did_you_mean", lang, options=found) if found else "")
    if isinstance(error, click.MissingParameter):
        return say("click.missing", lang, name=name or message)
    if isinstance(error, click.BadParameter):
        if getattr(error, "said", False):
            return message
        for pattern, key in _DETAILS:
            found_detail = pattern.search(message)
            if found_detail:
                detail = say(f"click.value_{key}", lang, **found_detail.groupdict())
                return say("click.bad_value", lang, name=name, detail=detail)
        return say("click.bad_value", lang, name=name, detail=message)
    requires = re.match(r"Option '(?P<option>[^']+)' requires", message)
    if requires:
        return say("click.needs_value", lang, option=requires["option"])
    extra = re.match(r"Got unexpected extra argument\S* \((?P<extra>.*)\)", message)
    if extra:
        return say("click.extra", lang, extra=extra["extra"])
    takes_none = re.match(r"Option '(?P<option>[^']+)' does not take a value", message)
    if takes_none:
        return say("click.takes_no_value", lang, option=takes_none["option"])
    return message
