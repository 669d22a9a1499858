"""KvK number (Kamer van Koophandel, the Dutch business register).

Eight digits, no check digit; a vestigingsnummer (establishment) has twelve.
The KvK number of an eenmanszaak (a practice run by one care provider)
points to a person.  Only recognised with a label.

>>> compact("1234 5678"), is_valid("12345678"), is_valid("000012345678"), is_valid("1234567")
('12345678', True, True, False)
"""

from __future__ import annotations

from ._digits import digits_identifier
from ._text import GROUPED_DIGITS, SPACED_DIGITS, NOT_IN_NUMBER_AFTER, NOT_IN_NUMBER_BEFORE

ENTITY = "NL_KVK"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("kvk", "kvk nummer", "kvknummer")
LABELS = (r"kvk", r"k\.v\.k", r"kamer\s+van\s+koophandel", r"handelsregister", r"coc\b", r"vestigingsnummer", r"chamber\s+of\s+commerce")
PATTERNS = {"8_digits": NOT_IN_NUMBER_BEFORE + r"\d{8}" + NOT_IN_NUMBER_AFTER, "typeset": GROUPED_DIGITS,  # "KvK 3368 4017"
            "spaced": SPACED_DIGITS}  # "kvk nummer 9 2 0 1 4 4 7 8", straight after the label


# compact, validate, is_valid, format: digits of the right length, no check digit.
compact, validate, is_valid, format = digits_identifier((8, 12))
