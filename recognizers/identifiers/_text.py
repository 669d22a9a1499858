"""Unicode at the boundary, and the separators between a number's groups.

>>> fold("BSN １２３.４５６.７８２"), len(fold("ﬁ 1")) == len("ﬁ 1"), fold("bsn ١٢٣٤٥٦٧٨٢")
('BSN 123.456.782', True, 'bsn 123456782')
>>> nfkc(" ０６-１２３４ ")
'06-1234'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A number does not start inside a word, a decimal or another number ...
NOT_IN_NUMBER_BEFORE = r"(?<![\w.,/+-])"
# ... and does not continue into one.
NOT_IN_NUMBER_AFTER = r"(?![\w/-]|[.,]\d)"


_OCR_DIGITS = str.maketrans("OlI", "011")


def ocr_digits(value: str) -> str:
    """The digits OCR misread as letters, read back: O, l and I as 0, 1 and 1
    (``9O2 l17 448`` is 902 117 448, ``O38-4216O73`` is 038-4216073).

    >>> ocr_digits("9O2 l17 448"), ocr_digits("06 1O 38 77 24")
    ('902 117 448', '06 10 38 77 24')
    """
    return value.translate(_OCR_DIGITS)


def glued_to(label: str, digits: int) -> str:
    """Digits glued to their label in a file or key name (``AGB02275469_UZOVI3343_MZ301.asc``): the
    label's letters in either case straight before, no letter before the label, no digit or letter after.

    >>> import re
    >>> re.findall(glued_to("agb", 8), "/in/AGB02275469_UZOVI3343.asc magb12345678 AGB123456789 Practitioner/agb-01059832")
    ['02275469', '01059832']
    """
    letters = "".join(f"[{c.upper()}{c.lower()}]" for c in label)
    # the first digit before the look-behind: the engine skips to a digit at C speed; a dash or an
    # underscore may join them ("Practitioner/agb-01059832", "AGB_02275469.asc")
    return (rf"\d(?:(?<=(?<![A-Za-z]){letters}\d)|(?<=(?<![A-Za-z]){letters}[-_]\d))\d{{{digits - 1}}}(?![\dA-Za-z])")
# Typeset digits of a label-only identifier: groups of two to four digits split by single spaces
# ("0824 4701", "3795 7869 145"), or pairs split by dots ("03.32.33.21"); never a date's 2-2-4
# with dots.  The module's validate checks the number of digits.
GROUPED_DIGITS = (NOT_IN_NUMBER_BEFORE + r"(?:\d{2,4}(?: \d{2,4})+|\d{2}(?:\.\d{2}){3,5})"
                  + r"(?![\w/-]|[.,]\d| \d)")
# Every digit spaced, as OCR and forms with a box per digit write it ("9 2 0 1 4 4 7 8", "3 3 5 8"):
# counted only straight after the identifier's own label (base.DutchPatternRecognizer.DIRECT_ONLY_PATTERNS).
SPACED_DIGITS = NOT_IN_NUMBER_BEFORE + r"\d(?: \d){3,10}(?![\w/-]|[.,]\d| ?\d)"


# The zero of every run of ten decimal digits outside ASCII (Unicode category Nd: Arabic-Indic,
# Persian, Devanagari, ... and the full-width and mathematical ones NFKC folds anyway).  A BSN typed on
# an Arabic keyboard is a BSN: ``fold`` reads each as its ASCII digit.  Listed rather than found at
# import (scanning every code point costs ~0.3 s); tests/test_identifiers.py checks the list.
DIGIT_ZEROS = (0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
               0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
               0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
               0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
               0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
               0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0)
_OTHER_DIGITS = re.compile("[" + "".join(f"{chr(z)}-{chr(z + 9)}" for z in DIGIT_ZEROS) + "]")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if _OTHER_DIGITS.match(ch):
        return str(unicodedata.digit(ch))
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        # Dashes and spaces of other widths: one ASCII character keeps the offsets.
        return ch
    return folded


def _fold_dash(ch: str) -> str:
    if ch == "\u066c":
        return ","   # the Arabic thousands separator: an Arabic-locale spreadsheet's number format (١٢٣٬٤٥٦٬٧٨٢)
    if unicodedata.category(ch) == "Pd":
        return "-"
    if unicodedata.category(ch) == "Zs":
        return " "
    return _fold_char(ch)


# Dashes and spaces that NFKC leaves alone but people put between digits.
_OTHER_DASHES_SPACES = re.compile("[\u066c\u00a0\u2000-\u200a\u2010-\u2015\u202f\u205f\u2212\u3000\ufe58\ufe63\uff0d]")


@lru_cache(maxsize=32)
def fold(text: str) -> str:
    """NFKC per character where that keeps the length; dashes to ``-``, spaces to `` ``.

    Offset-preserving, so a recognizer can search the folded text and report
    spans of the original.  Linear; text that is ASCII, or NFKC-normal without
    other dashes and spaces (``Patiënt``), is returned as it is (cached: every
    recognizer folds the same text).
    """
    if text.isascii():
        return text
    if (unicodedata.is_normalized("NFKC", text) and _OTHER_DASHES_SPACES.search(text) is None
            and _OTHER_DIGITS.search(text) is None):
        return text
    return "".join(c if c < "\x80" else _fold_dash(c) for c in text)


# Characters that print as nothing: a value they split reads whole on screen (a soft hyphen of Word's justified
# text, a zero-width space of a web page, a NUL of a broken export, direction marks, a BOM).
INVISIBLE = "\x00\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# Marks a digit carries and still reads as itself: combining accents, a keycap (``1\ufe0f\u20e3``, a chat's emoji
# digits), variation selectors.
DIGIT_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f"
# Both inside a value: one value, one normal form (one pseudonym; locate and erase find it).  The output sweep
# reads a text without the same characters (masking/sweep.py).
HIDDEN_IN_VALUE = re.compile(f"[{INVISIBLE}]|(?<=\\d)[{DIGIT_MARKS}]+")


def nfkc(value: str) -> str:
    """A single value (a cell, a match) NFKC-normalised, dashes and spaces folded, what prints as nothing removed,
    stripped.

    >>> nfkc("123\u00ad456\u200b782"), nfkc("1\ufe0f\u20e32")
    ('123456782', '12')
    """
    if not value.isascii():
        value = HIDDEN_IN_VALUE.sub("", fold(unicodedata.normalize("NFKC", value)))
    elif "\x00" in value:
        value = value.replace("\x00", "")
    return value.strip()


def strip_separators(value: str, separators: str = " .-/") -> str:
    """The value without the characters people put between groups.

    >>> strip_separators("NL91-ABNA.0417 1643 00")
    'NL91ABNA0417164300'
    """
    return "".join(c for c in nfkc(value) if c not in separators)
