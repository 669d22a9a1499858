"""UZOVI code (Vektis) of a Dutch health insurer: four digits, no check digit.

Only recognisable by a label, or by an insurer word next to a code in the
shipped table of known codes (``recognizers/data/uzovi.csv``).

>>> compact(" 3311 "), is_valid("3311"), is_valid("331"), is_known("3311"), insurer("3311")
('3311', True, False, True, 'Zilveren Kruis')
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from .._data import uzovi_codes
from ._digits import digits_identifier
from ._text import NOT_IN_NUMBER_AFTER, NOT_IN_NUMBER_BEFORE, SPACED_DIGITS, glued_to

ENTITY = "NL_UZOVI"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("uzovi", "uzovi code", "uzovicode", "verzekeraarcode", "verzekeraarscode")
LABELS = (r"uzovi", r"uzovi-?code", r"verzekeraarscode", r"verzekeraarcode")
INSURER_WORDS = (r"verzekeraar", r"zorgverzekeraar", r"ziektekostenverzekeraar", r"insurer", r"maatschappij")
PATTERNS = {"4_digits": NOT_IN_NUMBER_BEFORE + r"\d{4}" + NOT_IN_NUMBER_AFTER,
            "spaced": SPACED_DIGITS,  # "UZOVI: 3 3 5 8", straight after the label
            "glued": glued_to("uzovi", 4)}  # a Vektis file's name: "AGB02275469_UZOVI3343_MZ301.asc"


# Dutch health insurers' brand names (the market's labels and the risk carriers behind them), beside
# the named codes of the shipped table: an insurer's name before a number labels a member number
# ("Zilveren Kruis 926628356"), and it is neither a person ("Eucare") nor a place ("De Friesland").
BRANDS = (
    "Zilveren Kruis", "Achmea", "Avéro Achmea", "De Friesland", "FBTO", "Interpolis", "Prolife", "Pro Life",
    "VGZ", "Univé", "IZA", "IZZ", "UMC", "Zekur", "Bewuzt", "United Consumers", "Besured", "Ditzo", "Zorgzaam",
    "CZ", "OHRA", "Nationale-Nederlanden", "Menzis", "Anderzorg", "Hema", "DSW", "Stad Holland", "inTwente",
    "ONVZ", "VvAA", "PNOzorg", "Zorg en Zekerheid", "ZieZo", "AZVZ", "Salland", "Eno", "HollandZorg",
    "a.s.r.", "ASR", "De Amersfoortse", "Ditzo", "Aevitae", "Eucare", "National Academic", "Caresq", "Just",
)
# Brand names that are also ordinary words or capitalised abbreviations: only in this exact case.
_EXACT_CASE = frozenset({"CZ", "VGZ", "IZA", "IZZ", "UMC", "DSW", "ONVZ", "ASR", "Eno", "Just", "Hema", "FBTO", "OHRA", "AZVZ"})


@lru_cache(maxsize=1)
def _name_keys() -> tuple:
    """The longest lowercase word of each insurer's name ("friesland", not "de"): a cheap first check."""
    names = BRANDS + tuple(v for v in uzovi_codes().values() if v)
    return tuple(sorted({max(n.lower().split(), key=len) for n in names if n not in ("Just", "Hema", "Eno")}))


def may_name_insurer(lowercase_text: str) -> bool:
    """False when no insurer's name can occur in the (lowercased) text: substring tests at C speed.

    >>> may_name_insurer("verzekerd bij zilveren kruis"), may_name_insurer("geen naam hier")
    (True, False)
    """
    return _keys_pattern().search(lowercase_text) is not None


@lru_cache(maxsize=1)
def _keys_pattern() -> "re.Pattern[str]":
    return re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(k) for k in _name_keys()) + ")")  # not "cz" in "Kowalczyk"


@lru_cache(maxsize=1)
def insurer_name_pattern() -> str:
    """A regex source matching any insurer's name (longest first; abbreviations only in their own case)."""
    names = sorted({n for n in BRANDS + tuple(v for v in uzovi_codes().values() if v)}, key=len, reverse=True)
    parts = [re.escape(n).replace(r"\ ", r"\s+") if n in _EXACT_CASE else "(?i:" + re.escape(n).replace(r"\ ", r"\s+") + ")"
             for n in names if n not in ("Just", "Hema", "Eno")]  # words first, brands only rarely
    return r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])"


# compact, validate, is_valid, format: digits of the right length, no check digit.
compact, validate, is_valid, format = digits_identifier((4,))


def is_known(number: str) -> bool:
    return compact(number) in uzovi_codes()


def insurer(number: str) -> Optional[str]:
    """The insurer's name for a known code (None when unknown or unnamed)."""
    return uzovi_codes().get(compact(number)) or None
