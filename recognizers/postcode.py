"""NL_POSTCODE: Dutch postcodes, ``1234 AB`` or ``1234AB``.

Four digits (no leading zero) and two letters; the letter pairs SA, SD and SS
are never issued.  In free text postcodes also appear lowercase (``1234ab``);
units after a number (``1000 mg``, ``500 ML``, ``2000 IE``) are not
postcodes, and a lowercase pair after a space (``in 2019 de``) needs a label.

>>> r = NlPostcodeRecognizer()
>>> [(x.start, x.end) for x in r.analyze("Kerkstraat 1, 3511 LK Utrecht", ["NL_POSTCODE"])]
[(14, 21)]
>>> r.analyze("neem 1000 mg paracetamol", ["NL_POSTCODE"])
[]
"""

from __future__ import annotations

from typing import Optional

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer

UNITS = {
    "mg", "ml", "kg", "km", "cm", "mm", "dl", "cl", "gr", "kb", "mb", "gb", "tb", "hz", "kw",
    "mw", "ug", "ie", "eh", "pk", "ad", "bc", "st", "pc", "uu", "nr", "ex", "cc", "mu", "ns",
    "ms", "ma", "mm", "nm", "mv", "kv", "pa", "ha",
}
STOP_PAIRS = {
    "de", "en", "is", "in", "op", "te", "om", "na", "al", "zo", "nu", "of", "ik", "je", "we",
    "ze", "er", "nr", "tm", "ca", "wk", "km", "uw", "ga", "an", "at", "to", "be", "by", "on",
    "or", "as", "it", "he", "if", "so", "no", "up", "do", "me", "my", "us",
}


class NlPostcodeRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_POSTCODE"
    PATTERNS = [
        Pattern("postcode_upper", r"(?<![\w\-.,/])[1-9]\d{3} ?(?!S[ADS])[A-Z]{2}(?![\w\-])", 0.7),
        Pattern("postcode_lower_compact", r"(?<![\w\-.,/])[1-9]\d{3}(?!s[ads])[a-z]{2}(?![\w\-])", 0.6),
        Pattern("postcode_lower_spaced", r"(?<![\w\-.,/])[1-9]\d{3} (?!s[ads])[a-z]{2}(?![\w\-])", 0.3),
    ]
    CONTEXT = [r"postcode", r"pc\b", r"adres", r"woonachtig", r"woont", r"postbus", r"straat", r"weg\b", r"laan\b"]
    CONTEXT_SCORE = 0.9
    CONTEXT_BEFORE = 30
    CONTEXT_AFTER = 0

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        letters = pattern_text[-2:].lower()
        if letters in UNITS:
            return False
        return None

    def score(self, text, start, end, pattern):
        verdict = self.context_rule.classify(text, start, end)
        letters = text[end - 2:end].lower()
        if pattern.name == "postcode_lower_spaced":
            if verdict != "positive" or letters in STOP_PAIRS:
                return None
            return 0.75
        if pattern.name == "postcode_lower_compact" and letters in STOP_PAIRS and verdict != "positive":
            return None
        return self.CONTEXT_SCORE if verdict == "positive" else pattern.score
