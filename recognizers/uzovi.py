"""NL_UZOVI: the UZOVI code of a Dutch health insurer (Vektis).

Four digits with no check digit: only recognisable by a label (``UZOVI``,
``UZOVI-code``), or by ``verzekeraar`` / ``zorgverzekeraar`` next to a code in
the shipped table of known codes (``recognizers/data/uzovi.csv``).

>>> r = NlUzoviRecognizer()
>>> [(x.start, x.end) for x in r.analyze("UZOVI 3311 (Zilveren Kruis)", ["NL_UZOVI"])]
[(6, 10)]
>>> r.analyze("in 2019 opgenomen", ["NL_UZOVI"])
[]
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from ._data import uzovi_codes
from .base import DutchPatternRecognizer
from .context import ContextRule

_INSURER_WORDS = [r"verzekeraar", r"zorgverzekeraar", r"ziektekostenverzekeraar", r"insurer", r"maatschappij"]


class NlUzoviRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_UZOVI"
    PATTERNS = [Pattern("uzovi_4_digits", r"(?<![\w.,/+-])\d{4}(?![\w/-]|[.,]\d)", 0.5)]
    CONTEXT = [r"uzovi", r"uzovi-?code", r"verzekeraarscode", r"verzekeraarcode"]
    NEGATIVE_CONTEXT = [r"postcode", r"bedrag", r"€", r"eur\b", r"jaar", r"sinds", r"vanaf", r"in\b", r"agb", r"bsn", r"tel"]
    REQUIRES_CONTEXT = True
    CONTEXT_BEFORE = 30

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_language)
        names = [n.lower() for n in uzovi_codes().values() if n]
        self.insurer_rule = ContextRule(_INSURER_WORDS + [_escape(n) for n in names], self.NEGATIVE_CONTEXT, 40, 30)

    def score(self, text, start, end, pattern):
        score = super().score(text, start, end, pattern)
        if score is not None:
            return score
        if text[start:end] in uzovi_codes() and self.insurer_rule.classify(text, start, end) == "positive":
            return 0.85
        return None


def _escape(name: str) -> str:
    import re

    return re.escape(name).replace(r"\ ", r"\s+")
