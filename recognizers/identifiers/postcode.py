"""Dutch postcodes: four digits (no leading zero) and two letters, ``1234 AB``.

Every letter pair is issued except SA, SD and SS (python-stdnum
``nl.postcode``).  Written ``1234 AB``, ``1234AB``, ``NL-2611ET``, and in
free text also lowercase (``1234ab``).  A number followed by a unit
(``1000 mg``) is not a postcode: that filter applies only to a lowercase pair
or a pair followed by a dosage word, never to an upper-case pair.

>>> compact("2611 et"), compact("NL-2611ET"), format("2611et")
('2611ET', '2611ET', '2611 ET')
>>> is_valid("1234 SA"), is_valid("0123 AB"), is_valid("3511 LK")
(False, False, True)
>>> validate("1234SS")
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidComponent: One of the parts of the number are invalid or unknown.
>>> list(find("Kerkstraat 1, 3511 LK Utrecht; neem 1000 mg; NL-2611ET"))
[(14, 21), (45, 54)]
"""

from __future__ import annotations

import re
from typing import Iterator

import regex
from stdnum.nl import postcode as _stdnum_postcode

from ._digits import validity
from ._text import fold, nfkc

ENTITY = "NL_POSTCODE"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("postcode", "pc", "pc4", "pc6", "zipcode", "zip", "postal code", "postalcode")
LABELS = (r"postcode", r"pc\b", r"zip\s?code", r"postal\s+code", r"postbus")

# Units and abbreviations that follow a number in clinical text.
UNITS = frozenset({
    "mg", "ml", "kg", "km", "cm", "mm", "dl", "cl", "gr", "kb", "mb", "gb", "tb", "hz", "kw",
    "mw", "ug", "ie", "eh", "pk", "ad", "bc", "st", "pc", "uu", "nr", "ex", "cc", "mu", "ns",
    "ms", "ma", "nm", "mv", "kv", "pa", "ha",
})
# Words after a number that make the number a dose, not an address.
DOSAGE_WORDS = re.compile(
    r"\s*,?\s*(?:per\b|p\.?\s?d\b|/|x\b|maal|keer|daags|\d?\s?dd\b|tablet|capsule|zakje|druppel|dosis|ampul|eenheden|"
    r"paracetamol|ibuprofen|oraal|i\.?v\b|s\.?c\b|i\.?m\b|vitamine|insuline|heparine|morfine|oplossing|"
    r"infuus|injectie|suspensie|zalf|gel\b|siroop|cafe[iï]ne|alcohol|water\b|nacl|glucose)",
    re.IGNORECASE,
)

# Words before a number that make it a dose: a dosage word or another quantity with a unit
# ("Dosering vitamine D 800 IE dd, daarna 2000 IE").
DOSAGE_BEFORE = re.compile(
    r"(?:dosering|dosis|doseer|vitamine|insuline|heparine|tablet|capsule|\d\s?(?:ie|mg|ml|ug|µg|mcg|eh)\b|"
    # a medicine's name right before the dose ("Recept: Paracetamol 1000 MG, 3dd 1")
    r"(?:paracetamol|ibuprofen|diclofenac|naproxen|metformine|omeprazol|pantoprazol|amoxicilline|"
    r"prednison|metoprolol|simvastatine|atorvastatine|levothyroxine|amitriptyline|tramadol|morfine)\s*$)",
    re.IGNORECASE,
)

# Not inside a word or a number: no letter, digit, "-", ".", "," or "/" before it.
# (The first character is matched before the look-behind checks what stands before it: the
# engine then skips to a candidate at C speed instead of trying the look-behind at every position.)
_D = r"[1-9](?<![\w\-.,/][1-9])"
PATTERNS = {
    "prefixed": r"N(?<![\w\-.,/]N)L-?[1-9]\d{3} ?(?!S[ADS])[A-Z]{2}(?![\w\-])",
    "upper": _D + r"\d{3} ?(?!S[ADS])[A-Z]{2}(?![\w\-])",
    "lower_compact": _D + r"\d{3}(?!s[ads])[a-z]{2}(?![\w\-])",
    "lower_spaced": _D + r"\d{3} (?!s[ads])[a-z]{2}(?![\w\-])",
}
# Searched one by one: an alternation of look-behinds defeats the regex engine's fast scan.
_FIND = (regex.compile(PATTERNS["prefixed"]), regex.compile(PATTERNS["upper"]))


def compact(number: str) -> str:
    """``1234AB``: upper case, no space, no ``NL-`` prefix."""
    number = nfkc(number).upper().replace(" ", "").replace("-", "")
    return number[2:] if number.startswith("NL") else number


def validate(number: str) -> str:
    number = compact(number)
    _stdnum_postcode.validate(number)
    return number


is_valid = validity(validate)


def format(number: str) -> str:
    """``1234 AB``."""
    number = compact(number)
    return f"{number[:4]} {number[4:]}"


_PLACE_AFTER = re.compile(r"[ ,]*(?:[A-Z][a-z]|'[st][ -]|[A-Z]{3,}\b)")
_ADDRESS_BEFORE = re.compile(
    r"(?:postcode|pc|postbus\s+\d+|(?:straat|weg|laan|plein|gracht|kade|singel|dijk|hof|dreef|pad|steeg|park)\s+\d+\s?[a-zA-Z]?)"
    r"[\s,:]*$",
    re.IGNORECASE,
)


def in_address(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` stands where a postcode stands: after ``postcode`` or a
    street and number, or before a place name."""
    return bool(_PLACE_AFTER.match(text, end) or _ADDRESS_BEFORE.search(text, max(0, start - 40), start))


def is_unit(text: str, start: int, end: int) -> bool:
    """True when the postcode-shaped match ``text[start:end]`` is a quantity (``1000 mg``, ``500 ML per dag``).

    A lowercase unit pair is a unit; an upper-case one only when it is followed
    by a dosage word, and never in an address.

    >>> is_unit("neem 1000 mg", 5, 12), is_unit("1000 MG per dag", 0, 7), is_unit("Dorpsweg 3, 1000 MG Amsterdam", 12, 19)
    (True, True, False)
    >>> is_unit("postcode 2000 IE", 9, 16), is_unit("gaf 2000 IE vitamine D", 4, 11)
    (False, True)

    A dose without a word after it is known by the dose before it:

    >>> is_unit("vitamine D 800 IE dd, daarna 2000 IE.", 29, 36), is_unit("Kerkweg 1, 2000 IE Leiden", 11, 18)
    (True, False)
    >>> is_unit("Recept: Paracetamol 1000 MG, 3dd 1.", 20, 27), is_unit("Ibuprofen 400 MG 2dd", 10, 16)
    (True, True)
    """
    letters = text[end - 2:end]
    if letters.lower() not in UNITS:
        return False
    if letters.islower():
        return True
    if in_address(text, start, end):
        return False
    return DOSAGE_WORDS.match(text, end) is not None or DOSAGE_BEFORE.search(text, max(0, start - 40), start) is not None


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of upper-case postcodes (``1234 AB``, ``1234AB``, ``NL-1234AB``) that are not a dose."""
    text = fold(text)
    spans = sorted(m.span() for pattern in _FIND for m in pattern.finditer(text))
    for start, end in spans:
        if not is_unit(text, start, end):
            yield start, end
