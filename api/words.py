"""Every word orgnet says to a person, from one catalogue per language: ``catalogue/zh.toml``
and ``catalogue/en.toml`` hold the same keys (a test holds them so, and scans every door's
output for words of the other language). Chinese unless asked otherwise: ``--lang en`` on a
command, or ``ORGNET_LANG=en`` for everything.

    >>> say("cli.wrote", "zh", path="a.xlsx"), say("cli.wrote", "en", path="a.xlsx")
    ('已写入 a.xlsx', 'wrote a.xlsx')

The words of a dataset's problems are the loader's own (``loaders/messages.py``): it speaks to
the HTTP API's clients too, by code.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

LANGS = ("zh", "en")
_FOLDER = Path(__file__).resolve().parent / "catalogue"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of ``lang``, its tables flattened: ``cli.wrote``, ``columns.scope``."""
    with (_FOLDER / f"{lang}.toml").open("rb") as f:
        tables = tomllib.load(f)
    return {
        f"{table}.{key}": value for table, words in tables.items() for key, value in words.items()
    }


def default_lang() -> str:
    """The language of what no ``--lang`` decides: ORGNET_LANG, else Chinese."""
    lang = os.environ.get("ORGNET_LANG", "zh").strip().lower()
    return lang if lang in LANGS else "zh"


def say(key: str, lang: str | None = None, /, **params: object) -> str:
    """The words under ``key`` in ``lang`` (the default language when None), filled in."""
    text = catalogue(lang or default_lang())[key]
    return text.format(**params) if params else text


def has(key: str) -> bool:
    return key in catalogue("zh")


def number(value: int | float) -> str:
    """A count as both languages write it in running text: 1,234."""
    return f"{value:,}"
