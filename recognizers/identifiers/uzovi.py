"""UZOVI code (Vektis) of a Dutch health insurer: four digits, no check digit.

Only recognisable by a label, or by an insurer word next to a code in the
shipped table of known codes (``recognizers/data/uzovi.csv``).

>>> compact(" 3311 "), is_valid("3311"), is_valid("331"), is_known("3311"), insurer("3311")
('3311', True, False, True, 'Zilveren Kruis')
"""

from __future__ import annotations

from typing import Optional

from .._data import uzovi_codes
from ._digits import digits_identifier
from ._text import NOT_IN_NUMBER_AFTER, NOT_IN_NUMBER_BEFORE

ENTITY = "NL_UZOVI"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("uzovi", "uzovi code", "uzovicode", "verzekeraarcode", "verzekeraarscode")
LABELS = (r"uzovi", r"uzovi-?code", r"verzekeraarscode", r"verzekeraarcode")
INSURER_WORDS = (r"verzekeraar", r"zorgverzekeraar", r"ziektekostenverzekeraar", r"insurer", r"maatschappij")
PATTERNS = {"4_digits": NOT_IN_NUMBER_BEFORE + r"\d{4}" + NOT_IN_NUMBER_AFTER}


# compact, validate, is_valid, format: digits of the right length, no check digit.
compact, validate, is_valid, format = digits_identifier((4,))


def is_known(number: str) -> bool:
    return compact(number) in uzovi_codes()


def insurer(number: str) -> Optional[str]:
    """The insurer's name for a known code (None when unknown or unnamed)."""
    return uzovi_codes().get(compact(number)) or None
