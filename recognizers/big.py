"""NL_BIG: the BIG-register number of a care professional.

Eleven digits with no published check digit, so only with a label (``BIG``,
``BIG-nummer``, ``BIG-registratie``).

>>> r = NlBigRecognizer()
>>> [(x.start, x.end) for x in r.analyze("BIG-nummer 19012345601", ["NL_BIG"])]
[(11, 22)]
>>> r.analyze("kenmerk 19012345601", ["NL_BIG"])
[]
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer
from .context import OTHER_NUMBER_LABELS


class NlBigRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_BIG"
    PATTERNS = [Pattern("big_11_digits", r"(?<![\w.,/+-])\d{11}(?![\w/-]|[.,]\d)", 0.6)]
    CONTEXT = [r"big\b", r"big-", r"big-?nummer", r"big-?registratie", r"big-?register", r"beroepen\s+in\s+de\s+individuele"]
    NEGATIVE_CONTEXT = [w for w in OTHER_NUMBER_LABELS if w != r"big\b"]
    REQUIRES_CONTEXT = True
    CONTEXT_BEFORE = 70  # "het BIG-register vermeldt voor mw. E. Vos het nummer ..."
