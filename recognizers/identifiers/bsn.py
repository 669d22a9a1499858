"""BSN (burgerservicenummer, the Dutch citizen service number).

Nine digits passing the elfproef ``9*d1 + 8*d2 + ... + 2*d8 - 1*d9 = 0
(mod 11)``; an eight-digit BSN is valid after zero-padding to nine.  Written
plain (``123456782``), dotted (``123.456.782``, ``1234.56.782``), spaced or
with dashes.  Onderwijsnummers and placeholders (``111111110``) are never a
BSN.  About one in eleven random 9-digit numbers passes the elfproef, so a
number in a text is a BSN only with its label (see ``LABELS``).

>>> compact("1234.56.782"), compact("12345678"[:8])
('123456782', '012345678')
>>> validate("123456782")
'123456782'
>>> validate("123456789")
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidChecksum: The number's checksum or check digit is invalid.
>>> is_valid("１２３４５６７８２"), is_valid("101222331"), is_valid("111111110")
(True, False, False)
>>> format("123456782")
'1234.56.782'
>>> [m for m in find("BSN 123.456.782, nr 123456789 of 111 222 333")]
[(4, 15), (33, 44)]
"""

from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np
import regex
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.nl import bsn as _stdnum_bsn
from stdnum.nl import onderwijsnummer

from ._digits import validity
from ._text import NOT_IN_NUMBER_AFTER, NOT_IN_NUMBER_BEFORE, fold, glued_to, strip_separators

# Label words that announce a BSN (regular expressions, matched from a word start).
ENTITY = "NL_BSN"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("bsn", "burgerservicenummer", "sofinummer", "sofi", "bsn nummer", "citizen service number", "persoonsnummer")
LABELS = (
    # ... and as it is misspelt: "burgerservicnummer", "burgerservicenumer"
    r"bsn", r"burger\s?servic?e?\s?n(?:umm?e)?r", r"burgerservice", r"sofi", r"sofinummer",
    r"persoonsnummer", r"persoonsgebonden\s+nummer", r"citizen\s+service", r"personal\s+no",
)

# Notations, most specific first (the recognizer scores them differently).
PATTERNS = {
    "formatted": NOT_IN_NUMBER_BEFORE
    + r"(?:\d{3}([. ,])\d{3}\1\d{3}|\d{4}([. ])\d{2}\2\d{3}|\d{3}-\d{3}-\d{3}|\d{2}([. ,])\d{3}\3\d{3})"
    + NOT_IN_NUMBER_AFTER,
    "9_digits": NOT_IN_NUMBER_BEFORE + r"\d{9}" + NOT_IN_NUMBER_AFTER,
    "8_digits": NOT_IN_NUMBER_BEFORE + r"\d{8}" + NOT_IN_NUMBER_AFTER,
}
# Any other grouping of nine digits, as people type them after the label ("28686 7722",
# "2 3 2 3 3 2 1 1 3"): a BSN only with its label (the recognizer asks for it).
GROUPED = NOT_IN_NUMBER_BEFORE + r"\d{1,5}(?:[ .]\d{1,5}){1,8}" + NOT_IN_NUMBER_AFTER
# Nine digits between underscores of a file or key name ("scan_376397597_46.jpg"): only with the label.
IN_NAME = r"(?<=_)\d{9}(?![^\W_]|[/-]|[.,]\d)|(?<![^\W_]|[.,/+-])\d{9}(?=_)"
# Nine digits broken by a line end, as a note wrapped at a fixed width ("bsn 123456\n782"): only straight after the label
# (the recognizer validates it without the break; compact keeps it, as the pseudonyms' column kernels do).
# (the first digit before the look-behind: the engine skips to a digit at C speed)
WRAPPED = r"\d(?<![\w.,/+-]\d)(?=[\d \t]{0,9}\r?\n)\d{0,7}[ \t]?\r?\n[ \t]{0,3}\d{1,8}" + NOT_IN_NUMBER_AFTER
# Glued to its label ("BSN799642630", "bsn-123456782"): the label is in the pattern.
GLUED = glued_to("bsn", 9)
_ANY = regex.compile("|".join(f"(?:{p})" for p in PATTERNS.values()).replace("\\1", "(?:[. ,])").replace("\\2", "(?:[. ])").replace("\\3", "(?:[. ,])"))
_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])


def compact(number: str) -> str:
    """The nine digits: separators removed, full-width digits folded, eight digits zero-padded."""
    number = strip_separators(number, " .-/,")   # "123,456,782": a number cell formatted with thousands separators
    return number.zfill(9) if len(number) == 8 and number.isdigit() else number


def validate(number: str) -> str:
    """The compact BSN, or a :mod:`stdnum.exceptions` error saying what is wrong (never the value)."""
    number = compact(number)
    if not number.isascii() or not number.isdigit():
        raise InvalidFormat()
    if len(number) != 9:
        raise InvalidLength()
    if not _stdnum_bsn.is_valid(number):
        raise InvalidChecksum()
    if onderwijsnummer.is_valid(number) or len(set(number)) <= 2:
        raise InvalidComponent()  # an onderwijsnummer, or a placeholder such as 111111110
    return number


is_valid = validity(validate)


def format(number: str) -> str:
    """The notation of the Belastingdienst: ``1234.56.782``."""
    number = compact(number)
    return f"{number[:4]}.{number[4:6]}.{number[6:]}"


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the 8- and 9-digit numbers (plain, dotted, spaced) that are valid BSNs."""
    for m in _ANY.finditer(fold(text)):
        if is_valid(m.group()):
            yield m.span()


def elfproef(values: Sequence[str]) -> np.ndarray:
    """Vectorised :func:`is_valid` for values of 8 or 9 ASCII digits (one boolean per value); eight
    digits are zero-padded, as :func:`compact` does.  Anything else is False.

    >>> elfproef(["123456782", "123456789", "12345678", "abc", "12345672"]).tolist()
    [True, False, False, False, True]
    """
    out = np.zeros(len(values), dtype=bool)
    at = [i for i, v in enumerate(values) if len(v) in (8, 9) and v.isascii() and v.isdigit()]
    if not at:
        return out
    nine = [values[i].zfill(9) for i in at]
    matrix = np.frombuffer("".join(nine).encode("ascii"), dtype=np.uint8).reshape(-1, 9) - 48
    passes = (matrix.astype(np.int64) @ _WEIGHTS) % 11 == 0
    # Placeholders (at most two distinct digits) and onderwijsnummers are not BSNs.
    distinct = np.array([len(set(v)) > 2 for v in nine])
    onderwijs = np.array([onderwijsnummer.is_valid(v) if v.startswith("10") else False for v in nine])
    out[at] = passes & distinct & ~onderwijs
    return out
