"""The question registry agrees with the functions it names and with the command line: the same
inputs, defaults and bounds wherever a question is asked (docs/questions.md is written from the
registry, and test_docs holds it to what is committed)."""

from __future__ import annotations

import dataclasses
import inspect
import typing

import pytest
import typer

from orgnet.api.cli import GapKind, app
from orgnet.queries.disclosure import Value
from orgnet.queries.registry import QUESTIONS, Question

COMMANDS: typing.Any = typer.main.get_command(app)


def _cli(q: Question) -> dict[str, typing.Any]:
    """The command's parameters by name (typer's own click: read by attribute)."""
    asked_through = {"rebalance": "pairing", "load_changes": "changes"}
    command = COMMANDS.commands[asked_through.get(q.name, q.name)]
    return {p.name: p for p in command.params if p.name}


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.name)
def test_the_function_takes_what_the_registry_says(q: Question) -> None:
    signature = inspect.signature(q.answer)
    assert next(iter(signature.parameters)) == "db"
    expected = {
        *(["as_of"] if q.dated else []), *(["scope"] if q.scoped else []),
        *(i.name for i in q.inputs),
    }  # fmt: skip
    expected -= {"top"} if q.name == "gaps" else set()  # the command cuts the list
    taken = set(signature.parameters) - {"db", "show_phone", "members", "levels"}
    assert taken == expected
    for i in q.inputs:
        if i.name in signature.parameters and not i.required:
            assert signature.parameters[i.name].default == i.default, i.name
    assert typing.get_type_hints(q.answer)["return"] is q.result


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.name)
def test_the_command_line_has_the_same_inputs_defaults_and_bounds(q: Question) -> None:
    options = _cli(q)
    if q.name == "load_changes":  # `changes --load N`: one option, beside the period's
        assert options["load"].min == 1 and options["load"].param_type_name == "option"
        return
    assert ("scope" in options) == q.scoped
    assert ("as_of" in options) == q.dated
    # Phones can be shown where the answer holds them, except in the report, which is sent on.
    assert ("show_phone" in options) == (q.personal and q.name != "report") or (
        q.name == "rebalance"  # asked through `pairing`, which has the option for its lists
    )
    for i in q.inputs:
        name = i.parameter  # rel for --rel, from_ for --from
        option = options[name]
        assert (option.param_type_name == "argument") == i.positional, i.name
        if i.positional:
            assert option.required and option.metavar, i.name  # named in the run's words
            continue
        assert option.default == i.default or (option.default is None and i.default is None)
        assert (option.min, option.max) == (i.minimum, i.maximum), i.name
    if q.name == "gaps":
        assert tuple(k.value for k in GapKind) == q.inputs[0].choices


def _has_phone(cls: type, seen: set[type] | None = None) -> bool:
    seen = seen or set()
    if cls in seen or not dataclasses.is_dataclass(cls):
        return False
    seen.add(cls)
    for f in dataclasses.fields(cls):
        hint = typing.get_type_hints(cls, include_extras=True)[f.name]
        if f.name == "phone" or "phone" in f.name.split("_"):
            return True
        if any(isinstance(m, Value) for m in getattr(hint, "__metadata__", ())):
            return True  # any of an entity's own properties, its phone among them
        if any(_has_phone(t, seen) for t in _types(hint)):
            return True
    return False


def _types(hint: object) -> list[type]:
    if isinstance(hint, type):
        return [hint]
    return [t for a in typing.get_args(hint) for t in _types(a)]


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.name)
def test_a_question_is_personal_exactly_when_its_answer_can_hold_a_phone(q: Question) -> None:
    assert q.personal == _has_phone(q.result)
