"""NL_KVK: the KvK (Chamber of Commerce) number of an enterprise: 8 digits, with a label.

The rules live in :mod:`recognizers.identifiers.kvk`.  A KvK number of an
eenmanszaak (a practice run by one care provider) points to a person, so it
is detected like the other identifiers.

>>> r = NlKvkRecognizer()
>>> [(x.start, x.end) for x in r.analyze("KvK 12345678", ["NL_KVK"])]
[(4, 12)]
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer
from .context import other_labels
from .identifiers import kvk


class NlKvkRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_KVK"
    PATTERNS = [Pattern("kvk_8_digits", kvk.PATTERNS["8_digits"], 0.6), Pattern("kvk_typeset", kvk.PATTERNS["typeset"], 0.6),
                Pattern("kvk_spaced", kvk.PATTERNS["spaced"], 0.6)]
    DIRECT_ONLY_PATTERNS = frozenset({"kvk_spaced"})
    CONTEXT = list(kvk.LABELS)
    NEGATIVE_CONTEXT = other_labels(kvk.LABELS)
    REQUIRES_CONTEXT = True

    def validate_result(self, pattern_text: str):
        return kvk.is_valid(pattern_text)
