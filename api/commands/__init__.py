"""The `orgnet` command's groups of commands, one module each; importing the package registers
them on ``common.app``, in this order (the order the help lists them in)."""

import importlib

GROUPS = ("engine", "loading", "questions", "views", "serving", "access")

for _group in GROUPS:
    importlib.import_module(f"{__name__}.{_group}")
