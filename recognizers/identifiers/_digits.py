"""The skeleton the identifier modules share.

Every module has python-stdnum's four functions.  ``is_valid`` is always
"``validate`` does not raise", so :func:`validity` writes it once; the
label-only identifiers that are a fixed number of digits with no check digit
(UZOVI, BIG, KvK, and AGB with its one extra rule) get all four from
:func:`digits_identifier`.

>>> compact, validate, is_valid, format = digits_identifier((4,))
>>> compact(" 33-11 "), is_valid("3311"), is_valid("331"), format("33 11")
('3311', True, False, '3311')
>>> validate("33a1")
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidFormat: The number has an invalid format.
"""

from __future__ import annotations

from typing import Callable, Optional

from stdnum.exceptions import InvalidFormat, InvalidLength, ValidationError

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


def validity(validate: Callable[[str], str]) -> Callable[[str], bool]:
    """``is_valid`` for a module's ``validate``: True when it raises no :mod:`stdnum.exceptions` error."""

    def is_valid(number: str) -> bool:
        try:
            return bool(validate(number))
        except ValidationError:
            return False

    is_valid.__doc__ = "True when the value passes ``validate`` (never raises)."
    return is_valid


def digits_identifier(lengths: tuple[int, ...], check: Optional[Callable[[str], None]] = None):
    """``compact``, ``validate``, ``is_valid`` and ``format`` of digits of the given lengths.

    ``check`` gets the compact digits and raises a :mod:`stdnum.exceptions`
    error for values the identifier never takes (AGB: prefix ``00``).
    """

    def compact(number: str) -> str:
        """The digits, separators (spaces, dots, dashes, slashes) removed."""
        return compact_digits(number)

    def validate(number: str) -> str:
        """The compact digits, or a :mod:`stdnum.exceptions` error (never the value)."""
        number = validate_digits(number, lengths)
        if check is not None:
            check(number)
        return number

    return compact, validate, validity(validate), compact
