"""The examples in docstrings run, as written: they are part of what a function promises."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("orgnet.graph", "orgnet.loaders", "orgnet.queries", "orgnet.api")
MODULES = sorted(
    f"{package}.{m.name}"
    for package in PACKAGES
    for m in pkgutil.iter_modules(importlib.import_module(package).__path__)
    # The command and its groups build its app at import.
    if f"{package}.{m.name}" not in ("orgnet.api.cli", "orgnet.api.commands")
)


def test_every_layer_is_read() -> None:
    assert {"orgnet.graph.model", "orgnet.loaders.values", "orgnet.queries.pairing"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failed == 0
