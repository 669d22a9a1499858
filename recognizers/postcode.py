"""NL_POSTCODE: Dutch postcodes, ``1234 AB``, ``1234AB``, ``NL-2611ET``.

The rules (letter pairs, the SA/SD/SS exclusion, the unit filter) live in
:mod:`recognizers.identifiers.postcode`.  An upper-case pair is a postcode
unless it is a unit followed by a dosage word (``1000 MG per dag``); a
lowercase pair (``1234ab``) is one unless it is a unit (``1000 mg``), and a
lowercase pair after a space (``in 2019 de``) needs a label.

>>> r = NlPostcodeRecognizer()
>>> [(x.start, x.end) for x in r.analyze("Kerkstraat 1, 3511 LK Utrecht", ["NL_POSTCODE"])]
[(14, 21)]
>>> [(x.start, x.end) for x in r.analyze("Dorpsweg 3, 1000 MG Amsterdam", ["NL_POSTCODE"])]
[(12, 19)]
>>> r.analyze("neem 1000 mg paracetamol", ["NL_POSTCODE"])
[]
>>> [(x.start, x.end) for x in r.analyze("mn nieuwe adres meidoornstraat 14 5421 ks gemert", ["NL_POSTCODE"])]
[(34, 41)]
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer
from .identifiers import postcode

# Lowercase pairs that are words after a number ("in 2019 de", "3000 en").
STOP_PAIRS = {
    "de", "en", "is", "in", "op", "te", "om", "na", "al", "zo", "nu", "of", "ik", "je", "we",
    "ze", "er", "nr", "tm", "ca", "wk", "km", "uw", "ga", "an", "at", "to", "be", "by", "on",
    "or", "as", "it", "he", "if", "so", "no", "up", "do", "me", "my", "us",
}


_WORD_AFTER = re.compile(r"[ \t,]+([^\W\d_][\w'-]*)")


class NlPostcodeRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_POSTCODE"
    PATTERNS = [
        Pattern("postcode_prefixed", postcode.PATTERNS["prefixed"], 0.8),
        Pattern("postcode_upper", postcode.PATTERNS["upper"], 0.7),
        Pattern("postcode_lower_compact", postcode.PATTERNS["lower_compact"], 0.6),
        Pattern("postcode_lower_spaced", postcode.PATTERNS["lower_spaced"], 0.3),
    ]
    PREFILTER = r"\d{4} ?[A-Za-z]{2}"  # what every pattern holds
    # A street before the number labels it too, also as the end of a word ("meidoornstraat 14 5421 ks").
    CONTEXT = list(postcode.LABELS) + [r"adres", r"woonachtig", r"woont",
                                       r"[^\W\d_]{0,30}(?:straat|weg|laan|plein|gracht|kade|singel|dreef|hof|pad)\b"]
    # A number directly labelled as an article, order or amount is not a postcode ("artikel 1000 ST").
    NEGATIVE_CONTEXT = [r"artikel", r"art\.", r"order", r"bestel", r"bedrag", r"€", r"eur\b", r"dosering", r"dosis"]
    CONTEXT_SCORE = 0.9
    CONTEXT_BEFORE = 30
    CONTEXT_AFTER = 0

    @staticmethod
    def _place_after(text: str, end: int) -> bool:
        from .lexicon import load_lexicon

        m = _WORD_AFTER.match(text, end)
        return m is not None and m.group(1).lower() in load_lexicon().places

    def score(self, text, start, end, pattern):
        if postcode.is_unit(text, start, end):
            return None
        verdict = self.context_rule.classify(text, start, end)
        if verdict == "negative":
            return None
        letters = text[end - 2:end].lower()
        if pattern.name == "postcode_lower_spaced":
            if verdict != "positive" or letters in STOP_PAIRS and not self._place_after(text, end):
                return None  # "in week 3 wk": a word; "8011 wk zwolle": a place after it makes it a postcode
            return 0.75
        if pattern.name == "postcode_lower_compact" and letters in STOP_PAIRS and verdict != "positive":
            return None
        return self.CONTEXT_SCORE if verdict == "positive" else pattern.score
