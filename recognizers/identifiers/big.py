"""BIG number: the BIG-register number of a care professional.

Eleven digits with no published check digit, so a number is a BIG number only
with its label, written in many ways: ``BIG``, ``BIG-nummer``,
``BIG-registratie``, ``BIG-registratienummer``, ``BIG nr.``,
``ingeschreven in het BIG-register onder nummer``.

>>> compact("190 123 456 01"), is_valid("19012345601"), is_valid("1901234560")
('19012345601', True, False)
"""

from __future__ import annotations

from ._digits import digits_identifier
from ._text import GROUPED_DIGITS, NOT_IN_NUMBER_AFTER, NOT_IN_NUMBER_BEFORE

ENTITY = "NL_BIG"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("big", "big nummer", "bignummer", "big registratie", "big registratienummer", "big nr")
LABELS = (
    r"big\b", r"big-", r"big\s?(?:-\s?)?(?:nummer|nr|registratie(?:nummer)?|register|code)",
    r"beroepen\s+in\s+de\s+individuele",
)
PATTERNS = {"11_digits": NOT_IN_NUMBER_BEFORE + r"\d{11}" + NOT_IN_NUMBER_AFTER, "typeset": GROUPED_DIGITS}  # "3795 7869 145"


# compact, validate, is_valid, format: digits of the right length, no check digit.
compact, validate, is_valid, format = digits_identifier((11,))
