"""IBAN (ISO 13616 international bank account number), Dutch and foreign.

Country code, two check digits (mod 97), then a country-specific number of
letters and digits; printed compact, in groups of four, or with dashes or dots
(``NL91-ABNA-0417-1643-00``), and foreign IBANs often with a space after the
country code (``DE 89 3704 0044 0532 0130 00``).  The checksum is the proof:
a valid IBAN needs no label.

>>> compact("nl91 abna 0417 1643 00"), compact("NL91-ABNA.0417-1643-00")
('NL91ABNA0417164300', 'NL91ABNA0417164300')
>>> validate("NL91ABNA0417164301")
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidChecksum: The number's checksum or check digit is invalid.
>>> is_valid("DE 89 3704 0044 0532 0130 00"), format("NL91ABNA0417164300")
(True, 'NL91 ABNA 0417 1643 00')
>>> list(find("IBAN NL91 ABNA 0417 1643 00 graag, niet NL91ABNA0417164301"))
[(5, 27)]
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, Optional

from stdnum import iban as _stdnum_iban
from stdnum import numdb
from stdnum.exceptions import InvalidFormat, ValidationError

from ._digits import validity
from ._text import fold, strip_separators

ENTITY = "IBAN_CODE"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("iban", "rekeningnummer", "rekening", "bankrekening", "bankrekeningnummer", "rekeningnr", "account number")
LABELS = (r"iban", r"rekening", r"bankrekening", r"rek\.?\s?nr", r"tenaamstelling", r"account\s+number", r"bank\s?account")

# Country code and check digits (each optionally followed by one separator),
# then 11-30 characters with optional single separators.  The longest prefix
# that validates is the IBAN, so a word after a grouped IBAN is never swallowed.
PATTERN = r"(?<![\w\-.])[A-Za-z]{2}[ \-.]?\d{2}(?:[ \-.]?[A-Za-z0-9]){11,30}"
_CANDIDATE = re.compile(PATTERN)  # re scans it twice as fast as the regex module (a letter class behind a look-behind)
# A superset of the candidates without look-arounds (RE2, for column-wise pre-filtering).
PREFILTER = r"[A-Za-z]{2}[ \-.]?\d{2}(?:[ \-.]?[A-Za-z0-9]){11}"
_SEPARATORS = " -."


def compact(number: str) -> str:
    """Upper case, separators removed."""
    return strip_separators(number, _SEPARATORS).upper()


def validate(number: str) -> str:
    number = compact(number)
    if not number.isascii():
        raise InvalidFormat()
    return _stdnum_iban.validate(number)


is_valid = validity(validate)


def format(number: str) -> str:
    """Groups of four: ``NL91 ABNA 0417 1643 00``."""
    return _stdnum_iban.format(compact(number))


@lru_cache(maxsize=512)
def length(country: str) -> Optional[int]:
    """The IBAN length of a country (from python-stdnum's copy of the SWIFT registry), None if unknown.

    >>> length("NL"), length("DE"), length("XX")
    (18, 22, None)
    """
    info = numdb.get("iban").info(country.upper())
    structure = info[0][1].get("bban") if info and len(info[0][0]) == 2 else None
    return 4 + sum(int(n) for n in re.findall(r"\d+", structure)) if structure else None


def longest_valid_end(candidate: str) -> Optional[int]:
    """Length of the prefix of ``candidate`` that is a valid IBAN (not cutting a group), or None.

    Only the prefix with the country's IBAN length is checked: one mod-97 per candidate.
    """
    expected = length(candidate[:2])
    if expected is None:
        return None
    seen = 0
    for i, ch in enumerate(candidate):
        if ch in _SEPARATORS:
            continue
        seen += 1
        if seen == expected:
            end = i + 1
            if end < len(candidate) and candidate[end].isalnum():
                return None  # would cut through a group of characters
            return end if _valid_in_text(candidate[:end]) else None
    return None


def _valid_in_text(number: str) -> bool:
    """Mod-97 and the country's length, without python-stdnum's national account checks:
    in text a privacy tool fails closed (a mod-97-valid string of an IBAN's length is one)."""
    number = compact(number)
    try:
        return number.isascii() and bool(_stdnum_iban.validate(number, check_country=False))
    except ValidationError:
        return False


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of IBANs in any grouping: mod-97 and the country's length (:func:`validate`
    also applies python-stdnum's national account checks, which a text search skips)."""
    text, pos = fold(text), 0
    while (m := _CANDIDATE.search(text, pos)) is not None:
        end = longest_valid_end(m.group())
        if end is None:
            pos = m.start() + 1  # an IBAN may start inside a failed candidate ("ZZ12 NL91...")
        else:
            yield m.start(), m.start() + end
            pos = m.start() + end
