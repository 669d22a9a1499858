"""Shared rules of the label-only identifiers: a fixed number of digits, no check digit."""

from __future__ import annotations

from stdnum.exceptions import InvalidFormat, InvalidLength

from ._text import strip_separators


def compact_digits(number: str) -> str:
    return strip_separators(number)


def validate_digits(number: str, lengths: tuple[int, ...]) -> str:
    number = compact_digits(number)
    if not number.isascii() or not number.isdigit():
        raise InvalidFormat()
    if len(number) not in lengths:
        raise InvalidLength()
    return number
