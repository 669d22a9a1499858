"""NL_KVK: the KvK (Chamber of Commerce) number of an enterprise: 8 digits, with a label.

A KvK number of an eenmanszaak (a practice run by one care provider) points to
a person, so it is detected like the other identifiers.

>>> r = NlKvkRecognizer()
>>> [(x.start, x.end) for x in r.analyze("KvK 12345678", ["NL_KVK"])]
[(4, 12)]
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer
from .context import OTHER_NUMBER_LABELS


class NlKvkRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_KVK"
    PATTERNS = [Pattern("kvk_8_digits", r"(?<![\w.,/+-])\d{8}(?![\w/-]|[.,]\d)", 0.6)]
    CONTEXT = [r"kvk", r"k\.v\.k", r"kamer\s+van\s+koophandel", r"handelsregister", r"coc\b"]
    NEGATIVE_CONTEXT = [w for w in OTHER_NUMBER_LABELS if w != "kvk"]
    REQUIRES_CONTEXT = True
