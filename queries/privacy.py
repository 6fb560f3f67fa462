"""Personal data: phone numbers are shown masked unless the caller may read them."""

from __future__ import annotations

import re

# The normal forms the loader stores (loaders.values.parse_phone): a mobile, a landline with its
# area code (and maybe an extension), a local number, a service line.
_MOBILE = re.compile(r"^(1\d{2})\d{4}(\d{4})$")
_LANDLINE = re.compile(r"^(0\d{2,3}-)\d+(\d{4})(?:-\d+)?$")
_LOCAL = re.compile(r"^\d+(\d{4})(?:-\d+)?$")
_SERVICE = re.compile(r"^([48]00-)\d{3}-(\d{4})$")


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
