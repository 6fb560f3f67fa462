"""The body of every error the HTTP API answers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Problem(BaseModel):
    """Every error's body: a stable ``code``, a ``message`` in words, and the ``detail`` that
    goes with it (the parameters refused, every problem of a dataset)."""

    code: str
    message: str
    detail: Any = None
