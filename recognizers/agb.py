"""NL_AGB: the AGB code of a care provider (Vektis AGB register).

Eight digits, kept as a string because of the leading zero; the first two
digits are the zorgverlenersoort (01 huisartsen, 02 apothekers, 12
tandartsen, ...).  There is no check digit, so an AGB code is only recognised
with a label (``AGB``, ``AGB-code``, ``zorgverlenerscode``); prefix ``00`` is
never issued, and a prefix from the shipped table scores higher.  The AGB code
of an individual practitioner is personal data of that practitioner.

>>> r = NlAgbRecognizer()
>>> [(x.start, x.end, x.score) for x in r.analyze("AGB-code tandarts: 12345678", ["NL_AGB"])]
[(19, 27, 0.95)]
>>> r.analyze("ordernummer 12345678", ["NL_AGB"])
[]
"""

from __future__ import annotations

import re
from typing import Optional

from presidio_analyzer import Pattern

from ._data import agb_zorgverlenersoorten
from .base import DutchPatternRecognizer
from .context import OTHER_NUMBER_LABELS


class NlAgbRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_AGB"
    PATTERNS = [
        Pattern("agb_8_digits", r"(?<![\w.,/+-])\d{8}(?![\w/-]|[.,]\d)", 0.85),
        Pattern("agb_grouped", r"(?<![\w.,/+-])\d{2}[-. ]\d{6}(?![\w/-]|[.,]\d)", 0.8),
    ]
    CONTEXT = [
        r"agb", r"zorgverlenerscode", r"zorgaanbiedercode", r"praktijkcode", r"instellingscode",
        r"vestigingscode", r"vektis",
    ]
    NEGATIVE_CONTEXT = [w for w in OTHER_NUMBER_LABELS if w not in ("agb", r"praktijknummer", r"zorgverlenersnummer")]
    REQUIRES_CONTEXT = True

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return not re.sub(r"\D", "", pattern_text).startswith("00")

    def score(self, text, start, end, pattern):
        score = super().score(text, start, end, pattern)
        if score is None:
            return None
        known = re.sub(r"\D", "", text[start:end])[:2] in agb_zorgverlenersoorten()
        return score if known else score - 0.1
