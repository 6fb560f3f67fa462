"""Personal data: phone numbers are shown masked unless the caller may read them."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str | None:
    """Keep the first three and last four digits, the way Chinese notices print numbers.

    >>> mask_phone("13800000001")
    '138****0001'
    """
    if not phone:
        return phone
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def phone_for(phone: str | None, show: bool) -> str | None:
    return phone if show else mask_phone(phone)
