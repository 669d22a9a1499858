"""AGB code (Vektis AGB register) of a care provider or practice.

Eight digits, a string because of the leading zero; the first two digits are
the zorgverlenersoort (01 huisartsen, 02 apothekers, 12 tandartsen, ...).  No
check digit, so a number in a text is an AGB code only with a label; prefix
``00`` is never issued.  The AGB code of an individual practitioner is
personal data of that practitioner.

>>> compact("01-012345"), is_valid("01012345"), is_valid("00123456"), is_valid("0101234")
('01012345', True, False, False)
>>> format("12345678"), is_known_kind("12345678")
('12-345678', True)
"""

from __future__ import annotations

from stdnum.exceptions import InvalidComponent

from .._data import agb_zorgverlenersoorten
from ._digits import digits_identifier
from ._text import GROUPED_DIGITS, SPACED_DIGITS, NOT_IN_NUMBER_AFTER, NOT_IN_NUMBER_BEFORE, glued_to

ENTITY = "NL_AGB"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("agb", "agb code", "agbcode", "zorgverlenerscode", "zorgaanbiedercode", "praktijkcode", "instellingscode")
LABELS = (
    r"agb", r"zorgverlenerscode", r"zorgaanbiedercode", r"praktijkcode", r"instellingscode",
    r"vestigingscode", r"vektis",
)
PATTERNS = {
    "8_digits": NOT_IN_NUMBER_BEFORE + r"\d{8}" + NOT_IN_NUMBER_AFTER,
    "grouped": NOT_IN_NUMBER_BEFORE + r"\d{2}[-. ]\d{6}" + NOT_IN_NUMBER_AFTER,
    "typeset": GROUPED_DIGITS,  # "AGB-code 0824 4701", "03.32.33.21"
    "spaced": SPACED_DIGITS,  # "AGB: 0 3 0 1 2 4 6 6", straight after the label
    "glued": glued_to("agb", 8),  # a Vektis file's name: "AGB02275469_UZOVI3343_MZ301.asc"
}


def _issued(number: str) -> None:
    if number.startswith("00"):
        raise InvalidComponent()  # prefix 00 is never issued


compact, validate, is_valid, _ = digits_identifier((8,), check=_issued)


def format(number: str) -> str:
    number = compact(number)
    return f"{number[:2]}-{number[2:]}"


def is_known_kind(number: str) -> bool:
    """True when the zorgverlenersoort prefix is in the shipped Vektis table."""
    return compact(number)[:2] in agb_zorgverlenersoorten()
