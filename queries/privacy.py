"""Personal data: phone numbers are shown masked unless the caller may read them."""

from __future__ import annotations

import dataclasses
import re
import typing
from typing import Any, TypeVar

# The normal forms the loader stores (loaders.values.parse_phone): a mobile, a landline with its
# area code (and maybe an extension), a local number, a service line.
_MOBILE = re.compile(r"^(1\d{2})\d{4}(\d{4})$")
_LANDLINE = re.compile(r"^(0\d{2,3}-)\d+(\d{4})(?:-\d+)?$")
_LOCAL = re.compile(r"^\d+(\d{4})(?:-\d+)?$")
_SERVICE = re.compile(r"^([48]00-)\d{3}-(\d{4})$")
T = TypeVar("T")


def mask_phone(phone: str | None) -> str | None:
    """Keep what a notice prints — a mobile's first three and last four digits, a landline's
    area code and last four — and hide the rest. A value in no known form (stored before the
    loader checked phones) is hidden whole.

    >>> mask_phone("13800000001"), mask_phone("0351-6021234-12"), mask_phone("6021234")
    ('138****0001', '0351-****1234', '****1234')
    >>> mask_phone("not a phone")
    '****'
    """
    if not phone:
        return phone
    if m := _MOBILE.match(phone):
        return f"{m[1]}****{m[2]}"
    if m := _LANDLINE.match(phone):
        return f"{m[1]}****{m[2]}"
    if m := _SERVICE.match(phone):
        return f"{m[1]}***-{m[2]}"
    if m := _LOCAL.match(phone):
        return f"****{m[1]}"
    return "****"


def phone_for(phone: str | None, show: bool) -> str | None:
    return phone if show else mask_phone(phone)


def shorten_name(name: str | None) -> str | None:
    """A person's name as a notice to the public prints it: the family name and one star.

    >>> shorten_name("张三"), shorten_name("欧阳娜娜"), shorten_name("")
    ('张*', '欧*', '')
    """
    if not name:
        return name
    return name[0] + "*"


def hide_personal(result: T) -> T:
    """``result`` (an answer: dataclasses, lists of them) with every person's name shortened
    and every phone masked — for a caller who may not read personal data. A person's name is a
    ``person`` field; the ``name`` of a row that carries a ``phone`` (a secretary); the ``name``
    of an entity or a path's node whose label is Person."""
    return typing.cast(T, _hide(result))


def _hide(value: Any) -> Any:
    if isinstance(value, list):
        return [_hide(v) for v in value]
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    names = {f.name for f in dataclasses.fields(value) if f.init}
    changes: dict[str, Any] = {}
    for name in names:
        current = getattr(value, name)
        if name == "person" and isinstance(current, str):
            changes[name] = shorten_name(current)
        elif name == "phone" and isinstance(current, str) and "*" not in current:
            changes[name] = mask_phone(current)
        elif isinstance(current, list) or dataclasses.is_dataclass(current):
            changes[name] = _hide(current)
    is_person = getattr(value, "label", None) == "Person" or "phone" in names
    if "name" in names and is_person:
        changes["name"] = shorten_name(typing.cast(Any, value).name)
    return dataclasses.replace(value, **changes)
