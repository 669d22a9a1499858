"""NL_AGB: the AGB code of a care provider (Vektis AGB register).

The rules (eight digits, no ``00`` prefix, the zorgverlenersoort table, the
label words) live in :mod:`recognizers.identifiers.agb`.  There is no check
digit, so an AGB code is only recognised with a label; a prefix from the
shipped table scores higher.

>>> r = NlAgbRecognizer()
>>> [(x.start, x.end, x.score) for x in r.analyze("AGB-code tandarts: 12345678", ["NL_AGB"])]
[(19, 27, 0.95)]
>>> r.analyze("ordernummer 12345678", ["NL_AGB"])
[]
"""

from __future__ import annotations

from typing import Optional

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer
from .context import other_labels
from .identifiers import agb


class NlAgbRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_AGB"
    PATTERNS = [
        Pattern("agb_8_digits", agb.PATTERNS["8_digits"], 0.85),
        Pattern("agb_grouped", agb.PATTERNS["grouped"], 0.8),
        Pattern("agb_typeset", agb.PATTERNS["typeset"], 0.8),
        Pattern("agb_spaced", agb.PATTERNS["spaced"], 0.8),
        Pattern("agb_glued", agb.PATTERNS["glued"], 0.8),
    ]
    DIRECT_ONLY_PATTERNS = frozenset({"agb_spaced", "agb_glued"})
    CONTEXT = list(agb.LABELS)
    NEGATIVE_CONTEXT = [w for w in other_labels(agb.LABELS) if w not in (r"praktijknummer", r"zorgverlenersnummer")]
    REQUIRES_CONTEXT = True

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return agb.is_valid(pattern_text)

    def score(self, text, start, end, pattern):
        score = super().score(text, start, end, pattern)
        if score is None:
            return None
        return score if agb.is_known_kind(text[start:end]) else score - 0.1
