"""BTW-id: the Dutch VAT identification number, ``NL`` + 9 digits + ``B`` + 2 digits.

The nine digits are an RSIN (BSN check) or, for an eenmanszaak since 2020, a
number with its own mod-97 check (python-stdnum ``nl.btw``).  Written compact
(``NL004495445B01``), with dots (``NL.0094.10.806.B.01``), spaces
(``NL 001241 643 B01``) or a dash (``NL-812421267 B01``), with leading zeros
left out (``NL4495445B01``), and after a btw label without ``NL``.

>>> compact("NL.0094.10.806.B.01"), compact("NL 001241 643 B01"), compact("nl4495445b01"), compact("004495445B01")
('NL009410806B01', 'NL001241643B01', 'NL004495445B01', 'NL004495445B01')
>>> is_valid("NL-812421267 B01"), is_valid("NL004495445B02"), is_valid("NL004495446B01")
(True, True, False)
>>> format("NL4495445B01")
'NL004495445B01'
>>> list(find("btw NL 001241 643 B01 en btw-nummer: 004495445B01, niet NL004495446B01"))
[(4, 21), (37, 49)]
"""

from __future__ import annotations

from typing import Iterator

import regex
from stdnum.exceptions import InvalidFormat
from stdnum.nl import btw as _stdnum_btw

from ._digits import validity
from ._text import fold, strip_separators

ENTITY = "NL_BTW"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("btw", "btw nummer", "btwnummer", "btw id", "vat number")
LABELS = (r"btw", r"vat\b", r"omzetbelasting", r"btw-?(?:nummer|nr|id|identificatienummer)", r"vat\s?(?:number|no|id)")

_SEP = r"[ .\-]?"
# The nine digits in any grouping of separators, leading zeros possibly left out (7-9 digits).
_DIGITS = r"\d(?:" + _SEP + r"\d){6,8}"
PATTERNS = {
    "prefixed": r"(?<![\w])NL" + _SEP + _DIGITS + _SEP + r"B" + _SEP + r"\d{2}(?![\w])",
    # Only after a btw label (the recognizer checks): 004495445B01.
    "bare": r"(?<![\w.\-])" + _DIGITS + _SEP + r"B" + _SEP + r"\d{2}(?![\w])",
}
_FIND_PREFIXED = regex.compile(PATTERNS["prefixed"], regex.IGNORECASE)
_FIND_ANY = regex.compile(r"(?:" + PATTERNS["prefixed"] + r")|(?:" + PATTERNS["bare"] + r")", regex.IGNORECASE)
# Every btw-id has "B" and two digits after a digit: most texts fail this cheap test.
_QUICK = regex.compile(r"\d[ .\-]?[Bb][ .\-]?\d\d")
_LABEL_BEFORE = regex.compile(r"(?:btw|vat|omzetbelasting)[\w\-]*\.?\s*(?::|\bis\b|\bluidt\b)?\s*$", regex.IGNORECASE)


def compact(number: str) -> str:
    """``NL`` + the nine digits (zero-padded) + ``B`` + two digits."""
    number = strip_separators(number).upper()
    if number.startswith("NL"):
        number = number[2:]
    if len(number) < 4 or number[-3] != "B":
        return "NL" + number
    return "NL" + number[:-3].zfill(9) + number[-3:]


def validate(number: str) -> str:
    number = compact(number)
    if not number.isascii():
        raise InvalidFormat()
    return "NL" + _stdnum_btw.validate(number)


is_valid = validity(validate)


format = compact  # the compact form is how it is written


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of valid BTW-ids: with ``NL`` anywhere, without ``NL`` right after a btw label."""
    text = fold(text)
    if _QUICK.search(text) is None:
        return
    for m in _FIND_ANY.finditer(text):
        value = m.group()
        if not value[:2].upper() == "NL" and not _LABEL_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue
        if is_valid(value):
            yield m.span()
