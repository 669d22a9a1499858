"""The one Dutch number and amount parser.

Dutch notation groups thousands with a dot and writes decimals after a comma
(``1.250`` is twelve hundred and fifty, ``1.234,56``); English notation the
other way round (``1,234.56``).  A single value such as ``1.250`` can be read
both ways, so the notation is decided per column, on a sample of its values:
:func:`notation_of` returns ``"nl"`` or ``"en"``, or None when the sample
does not decide or mixes both, and then the column stays a string (never a
guess that changes a sum a thousandfold).

>>> parse("1.250", "nl"), parse("1.234,56", "nl"), parse("1,234.56", "en"), parse("-7,5", "nl")
(Decimal('1250'), Decimal('1234.56'), Decimal('1234.56'), Decimal('-7.5'))
>>> parse("1.25.0", "nl") is None, parse("1.250", "en")
(True, Decimal('1.250'))
>>> notation_of(["1.250", "12,50"]), notation_of(["1,234.56", "7"]), notation_of(["1.250", "2.500"])
('nl', 'en', None)
>>> notation_of(["1.250,00", "1,234.56"]) is None, notation_of(["12", "7"]), notation_of(["Jansen"]) is None
(True, 'nl', True)

Amounts as invoices write them: a currency sign or code (``€ 1.250,00``,
``EUR 12,50``, ``-€ 7,50``), whole euros as ``1.250,-``, and the accountant's
negatives ``1.250,00-`` and ``(1.250,00)``:

>>> parse("€ 1.250,00"), parse("1.250,-"), parse("EUR 12,50"), parse("-€ 7,50"), parse("(1.250,00)"), parse("12,50-")
(Decimal('1250.00'), Decimal('1250.00'), Decimal('12.50'), Decimal('-7.50'), Decimal('-1250.00'), Decimal('-12.50'))
>>> notation_of(["1.250,-", "€ 2.500"]), parse("€€ 12"), parse("(12") is None
('nl', None, True)
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Iterable, Optional

from stdnum.exceptions import InvalidFormat, ValidationError

from ._text import nfkc

NOTATIONS = {"nl": (".", ","), "en": (",", ".")}  # notation -> (thousands separator, decimal separator)
# The shape of a number in each notation (RE2-compatible: pandas runs them on Arrow strings).
SHAPES = {
    "nl": r"[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?",
    "en": r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?",
}
_SHAPES = {k: re.compile(v) for k, v in SHAPES.items()}
_PLAIN = re.compile(r"[-+]?\d+")
# How amounts are dressed on invoices, undone before the shape is matched (applied in this order; RE2-compatible,
# for canonical_series).  Spaces are gone by then.  `,-` is whole euros, so it is Dutch notation.
DRESS = [
    (r",-{1,2}$", ",00"),                                      # 1.250,- and 1.250,--: whole euros
    (r"^\((.+)\)$", r"-\1"),                                   # (1.250,00): negative
    (r"^(\d[\d.,]*)-$", r"-\1"),                               # 1.250,00-: negative
    (r"^([-+]?)(?:€|EUR|eur)(\d)", r"\1\2"),                     # € 12,50, EUR 12,50, -€ 12,50
    (r"^(-?[\d.,]*\d)(?:€|EUR|eur)$", r"\1"),                    # 12,50 €
]
_DRESS = [(re.compile(a), b) for a, b in DRESS]


def _bare(value: str) -> str:
    value = nfkc(value).replace(" ", "")
    for pattern, replacement in _DRESS:
        value = pattern.sub(replacement, value)
    return value


def _canonical(bare: str, notation: str) -> str:
    thousands, decimal = NOTATIONS[notation]
    return bare.replace(thousands, "").replace(decimal, ".")


def compact(value: str, notation: str = "nl") -> str:
    """The number in canonical form (``1234.56``): thousands separators removed, a dot for the decimals."""
    return _canonical(_bare(value), notation)


def validate(value: str, notation: str = "nl") -> str:
    value = _bare(value)
    if not _SHAPES[notation].fullmatch(value):
        raise InvalidFormat()
    return _canonical(value, notation)


def is_valid(value: str, notation: str = "nl") -> bool:
    try:
        return bool(validate(value, notation))
    except ValidationError:
        return False


def parse(value: str, notation: str = "nl") -> Optional[Decimal]:
    """The value as a Decimal in the given notation, or None when it is not a number in it."""
    try:
        return Decimal(validate(value, notation))
    except (ValidationError, InvalidOperation):
        return None


def format(value: str, notation: str = "nl") -> str:
    """Dutch notation with thousands: ``1.234,56``."""
    number = parse(value, notation)
    text = f"{number:,}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def notations(value: str) -> frozenset:
    """The notations in which ``value`` is a number (empty when it is none).

    >>> sorted(notations("1.250")), sorted(notations("12,5")), sorted(notations("x"))
    (['en', 'nl'], ['nl'], [])
    """
    value = _bare(value)
    return frozenset(k for k, shape in _SHAPES.items() if shape.fullmatch(value))


def notation_of(values: Iterable[str]) -> Optional[str]:
    """The notation of a column from a sample of its values: ``"nl"``, ``"en"``, or None.

    None when no value is a number, or values need different notations, or
    every separated value reads both ways (``1.250`` alone).  A column of
    plain integers reads the same in both: ``"nl"``.
    """
    only_nl = only_en = both_separated = plain = 0
    for value in values:
        if not isinstance(value, str) or not value.strip():
            continue
        kinds = notations(value)
        if kinds == {"nl"}:
            only_nl += 1
        elif kinds == {"en"}:
            only_en += 1
        elif kinds:
            if _PLAIN.fullmatch(_bare(value)):
                plain += 1
            else:
                both_separated += 1
    if only_nl and only_en:
        return None
    if only_nl:
        return "nl"
    if only_en:
        return "en"
    if both_separated:
        return None
    return "nl" if plain else None


def decimals(value: str, notation: str) -> int:
    """Number of decimal places as written (``1.234,50`` -> 2)."""
    _, decimal = NOTATIONS[notation]
    value = _bare(value).lstrip("-")
    return len(value) - value.index(decimal) - 1 if decimal in value else 0


def canonical_series(values, notation: str):
    """Vectorised :func:`validate` over a pandas Series: canonical strings and the mask of values that fit."""
    text = values.astype("str").str.strip().str.replace(" ", "", regex=False)
    fits = text.str.fullmatch(SHAPES[notation]).fillna(False).to_numpy(dtype=bool).copy()
    if not fits.all():  # only a value that is no plain number can be a dressed one (most columns: none)
        dressed = text[~fits]
        for pattern, replacement in DRESS:
            dressed = dressed.str.replace(pattern, replacement, regex=True)
        text = text.copy()
        text[~fits] = dressed.to_numpy()
        fits[~fits] = dressed.str.fullmatch(SHAPES[notation]).fillna(False).to_numpy(dtype=bool)
    thousands, decimal = NOTATIONS[notation]
    canonical = text.str.replace(thousands, "", regex=False).str.replace(decimal, ".", regex=False)
    return canonical, fits
