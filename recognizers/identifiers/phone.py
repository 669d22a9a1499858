"""Telephone numbers: Dutch numbers found in text, any number normalised to E.164.

Dutch numbers have ten digits with a leading 0 (``06-12345678``,
``020-123 4567``, ``088-1234567``), ``+31``, ``0031`` or ``00 31`` instead of
the 0 (``+31 6 1234 5678``, ``+31 (0)20 123 4567``), and the service numbers
0800/0900/0906/0909 with four or seven digits (``0800-1234``,
``+31 800 1234``); written with spaces, dashes, dots or in brackets
(``(030) 123 4567``, ``(0301234567)``).

``compact`` gives E.164, so every spelling of one number gets one pseudonym:

>>> compact("+31 (0)20 123 4567"), compact("020 123 4567"), compact("0031 20 1234567"), compact("00 31 10 123 4567")
('+31201234567', '+31201234567', '+31201234567', '+31101234567')
>>> is_valid("06-12345678"), is_valid("0123456789"), is_valid("+31 800 1234"), is_valid("+32 12 34 56 78")
(True, False, True, True)
>>> format("0201234567")
'+31 20 123 4567'
>>> list(find("bel 06-12345678 of (0301234567), niet op 06-12-2019 10"))
[(4, 15), (20, 30)]

Why both hand rules and ``phonenumbers``: ``phonenumbers`` (Google's
libphonenumber metadata) knows which Dutch number ranges exist, so it
validates (``is_valid``, ``find(strict=True)``); it parses a number in ~60 µs, and its ``PhoneNumberMatcher``
needs ~7 µs per character of text (~25 ms for a 4 KB note, measured), far too
slow for the 1,500 notes/s the detector must keep.  So candidates are *found*
with the linear regular expressions below, their digit count is checked by
hand (most candidates end there), and only a candidate with the right length
is *validated* by ``phonenumbers`` (cached per number).  In text, a number
that has the Dutch shape but lies in an unissued range still counts
(``is_plausible``; the recognizer scores it lower): fail closed.  ``compact`` is the
hand rule (the trunk 0 or ``00``/``+`` and the country code to ``+31``):
the same result ``phonenumbers`` gives for a Dutch number, at a fraction of
the cost, and vectorisable over a column.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, Optional

import phonenumbers
import regex
from stdnum.exceptions import InvalidFormat, InvalidLength

from ._digits import validity
from ._text import fold, nfkc

ENTITY = "PHONE_NUMBER"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("telefoon", "tel", "telefoonnummer", "telnr", "mobiel", "mobielnummer", "gsm", "phone", "mobile", "fax")
LABELS = (
    r"tel\b", r"tel\.", r"telefoon", r"telefonisch", r"telnr", r"mobiel", r"gsm", r"bel(?:de|t|len|lend)?\b", r"gebeld", r"terugbel",
    r"bereikbaar", r"phone", r"mobile", r"fax", r"whatsapp", r"sms", r"t:", r"m:", r"tel:",
    r"telefoon\s?(?:nummer|nr)", r"tel\s?(?:nummer|nr)", r"mobiel\s?(?:nummer|nr)",
)

_SEP = r"[ .\-]{0,3}"
# A group of digits, optionally closed by a bracket: "(030) 123 4567"; or a line broken after a
# dash, as a form's column wraps it ("0575-\n512 338", "010 -\n4156 723"), or between digits, as a note
# wrapped at a fixed width ("06-1234\n5678": the recognizer asks a phone label for that one).
_DIGIT = r"(?:(?:[ .\-)]{0,3}| ?-?[ \t]?\r?\n[ \t]{0,3})\d)"
PATTERNS = {
    # +31 / 0031 / 00 31 (perhaps in brackets: "(0031) 6 4411 9072"), optionally (0), then 7-9 digits.
    "international": r"(?<![\w+])(?:\+|\(?00[ ]?)31\)?" + _SEP + r"(?:\(0\)" + _SEP + r")?\(?[1-9]" + _DIGIT + r"{6,8}(?![\d])",
    # A trunk 0, optionally in brackets with the area code or the whole number.
    "national": r"(?<![\w+])\(?0[1-9]" + _DIGIT + r"{6,9}\)?(?!\d)",
    # The area or mobile prefix set apart by a slash: "06/28 39 10 74", "020/123 4567".
    "national_slash": r"(?<![\w+/])0[1-9]\d{0,2} ?/ ?\d(?:[ .\-]{0,3}\d){5,8}(?![\d/])",  # "06 / 12 34 56 78" too
    # Every digit spaced, as OCR reads a form with a box per digit: "0 6 - 2 9 4 4 1 0 8 3".
    "national_spaced": r"(?<![\w+])0 {1,2}[1-9](?: {1,2}(?:- {1,2})?\d){8}(?! {0,2}\d)",
    # Municipal numbers (UAN): 14 + the area code without its 0, "+31 14 020".
    "international_uan": r"(?<![\w+])(?:\+|00[ ]?)31[ .\-]{0,3}14[ .\-]?0\d{2,3}(?!\d)",
}
# Numbers of other countries, always with "+": validated by phonenumbers (strict).
FOREIGN = r"(?<![\w+])\+(?!31)[1-9](?:[ .\-]{0,2}\(?\d\)?){6,14}(?!\d)"
# "14 020" without a country code: only with a phone label (the recognizer checks).
UAN_NATIONAL = r"(?<![\w+.,/-])14[ .\-]?0\d{2,3}(?![\w/-]|[.,]\d)"
# A superset of the candidates without look-arounds (RE2, for column-wise pre-filtering).
PREFILTER = r"(?:\+|00[ ]?)31|0[1-9](?:[ .\-)/]{0,3}\d){6}"
_CANDIDATE = CANDIDATE = regex.compile("|".join(f"(?:{p})" for p in PATTERNS.values()))
_DATE_PREFIX = re.compile(r"^\(?\d{1,2}[-./](?:0?[1-9]|1[0-2])[-./]\d{2,4}")  # a month there, or it is no date
# Five pairs of digits with one separator are a number, not a date and a time: "06.12.34.56.78".
_FIVE_PAIRS = re.compile(r"0\d([-. ])\d\d(?:\1\d\d){3}(?!\d)")
_SERVICE = ("0800", "0900", "0906", "0909")


def compact(number: str) -> str:
    """E.164 (``+31201234567``); a number without ``+``/``00`` and with a trunk 0 is Dutch."""
    value = nfkc(number).replace("(0)", "")
    digits = "".join(c for c in value if c.isdigit())
    if value.startswith("+"):
        pass
    elif digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "31" + digits[1:]
    elif digits.startswith("140") and 5 <= len(digits) <= 7:
        digits = "31" + digits  # a municipal number (14 020) has no trunk 0
    else:
        return digits  # no country: kept as written (digits only)
    if digits.startswith("310"):
        digits = "31" + digits[3:]  # +31 020 ...: the trunk 0 written after the country code
    return "+" + digits


def _dutch_length_ok(e164: str) -> bool:
    national = "0" + e164[3:]
    if national.startswith("0140"):
        return 6 <= len(national) <= 8  # municipal number: 14 + area code
    if national.startswith(_SERVICE):
        return len(national) in (8, 11)
    return len(national) == 10


@lru_cache(maxsize=100_000)
def _libphonenumber_valid(e164: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return False


def validate(number: str) -> str:
    """The E.164 form of a valid number, or a :mod:`stdnum.exceptions` error."""
    e164 = compact(number)
    if not e164.startswith("+") or not e164[1:].isdigit():
        raise InvalidFormat()
    if e164.startswith("+31") and not _dutch_length_ok(e164):
        raise InvalidLength()
    if not _libphonenumber_valid(e164):
        raise InvalidFormat()
    return e164


is_valid = validity(validate)


def format(number: str) -> str:
    """The international notation: ``+31 20 123 4567``."""
    return phonenumbers.format_number(phonenumbers.parse(validate(number), None),
                                      phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_plausible(number: str) -> bool:
    """True for a number with the shape of a Dutch number (length by type), whether or not
    its range is in use.  A privacy tool fails closed: ``06-98765432`` is not an issued
    mobile number, but it is written as one and is treated as one in text.

    >>> is_plausible("06-98765432"), is_valid("06-98765432"), is_plausible("06-1234567")
    (True, False, False)
    """
    e164 = compact(number)
    return e164.startswith("+31") and e164[3:].isdigit() and e164[3:4] != "0" and _dutch_length_ok(e164)


def _longest_valid_end(candidate: str, strict: bool = True) -> Optional[int]:
    """Length of the longest prefix ending on a digit (or its bracket) that is a valid Dutch number."""
    if _DATE_PREFIX.match(candidate) and not _FIVE_PAIRS.match(candidate):
        return None  # 06-12-2019 10: a date and a time
    ends = [i + 1 for i, ch in enumerate(candidate) if ch.isdigit()]
    for end in reversed(ends):
        if end < len(candidate) and candidate[end].isdigit():
            continue
        e164 = compact(candidate[:end])
        if is_plausible(e164) and (not strict or _libphonenumber_valid(e164)):
            return end
    return None


_FOREIGN = FOREIGN_CANDIDATE = regex.compile(FOREIGN)

# A number said digit by digit, as speech-to-text writes it: "nul zes twee vier een een nul acht zeven drie".
DIGIT_WORDS = {"nul": "0", "een": "1", "één": "1", "twee": "2", "drie": "3", "vier": "4", "vijf": "5", "zes": "6",
               "zeven": "7", "acht": "8", "negen": "9"}
DIGIT_WORD = _DIGIT_WORD = "(?:" + "|".join(DIGIT_WORDS) + ")"
# (a transcript's line may wrap between two digit words: "nul zes vier vier een nul\ntwee drie acht negen")
SPOKEN = re.compile(r"(?<![\w])nul(?:(?:[ ,]{1,2}|[ ,]?\r?\n[ \t]?)" + _DIGIT_WORD + r"){9}(?![\w])", re.IGNORECASE)


def find_spoken(text: str) -> Iterator[tuple[int, int]]:
    """Spans of Dutch numbers said digit by digit (ten digit words from 'nul') that have a number's shape.

    >>> list(find_spoken("mijn nummer is nul zes twee vier een een nul acht zeven drie en"))
    [(15, 60)]
    >>> list(find_spoken("nul nul nul nul nul nul nul nul nul nul"))
    []
    """
    if "nul" not in text.lower():
        return  # most texts: no number said aloud
    for m in SPOKEN.finditer(text):
        digits = "".join(DIGIT_WORDS[w] for w in re.findall(r"[^\W\d_]+", m.group().lower()))
        if is_plausible(digits):
            yield m.span()


def find_foreign(text: str) -> Iterator[tuple[int, int]]:
    """Spans of valid non-Dutch numbers written with ``+`` and a country code (``+32 14 41 22 90``)."""
    text = fold(text)
    for m in _FOREIGN.finditer(text):
        candidate = m.group()
        ends = [i + 1 for i, ch in enumerate(candidate) if ch.isdigit()]
        for end in reversed(ends[6:]):  # the longest prefix that is a valid number
            if _libphonenumber_valid(compact(candidate[:end])):
                yield m.start(), m.start() + end
                break


# ... and dialled with 00 for the "+" ("0048 601 228 417"): the recognizer asks a phone label for these
# (an order or account number may start with 00 too).
FOREIGN_DIALLED = r"0(?<![\w+]0)0(?!31)[1-9](?:[ .\-]{0,2}\d){6,14}(?!\d)"  # (the first 0 before the look-behind: C speed)
_FOREIGN_DIALLED = regex.compile(FOREIGN_DIALLED)


def find_foreign_dialled(text: str) -> Iterator[tuple[int, int]]:
    """Spans of valid non-Dutch numbers written with ``00`` and a country code (``0048 601 228 417``).

    >>> list(find_foreign_dialled("bel 0048 601 228 417 of 0031 6 12345678"))
    [(4, 20)]
    """
    text = fold(text)
    if "00" not in text:
        return
    for m in _FOREIGN_DIALLED.finditer(text):
        candidate = m.group()
        ends = [i + 1 for i, ch in enumerate(candidate) if ch.isdigit()]
        for end in reversed(ends[8:]):  # the longest prefix that is a valid number
            if _libphonenumber_valid(compact(candidate[:end])):
                yield m.start(), m.start() + end
                break


def find(text: str, strict: bool = False) -> Iterator[tuple[int, int]]:
    """Spans of Dutch telephone numbers anywhere in ``text``: plausible ones (the default,
    failing closed), or with ``strict`` only numbers in an issued range (:func:`is_valid`)."""
    text, pos = fold(text), 0
    while (m := _CANDIDATE.search(text, pos)) is not None:
        candidate = m.group()
        end = _longest_valid_end(candidate, strict)
        if end is None:
            pos = m.end()
            continue
        start = m.start()
        if candidate.startswith("(") and ")" not in candidate[:end]:
            start += 1  # "(06 12 34 56 78)": the number in brackets, not the brackets
        yield start, m.start() + end
        pos = m.start() + end
