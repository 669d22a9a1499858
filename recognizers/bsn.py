"""NL_BSN: the burgerservicenummer, the Dutch citizen service number.

The rules (elfproef, zero-padding, notations, label words) live in
:mod:`recognizers.identifiers.bsn`; this recognizer adds the context.  One
in eleven random 9-digit numbers passes the elfproef, so a bare number is
only weak evidence: its label within the sentence confirms it, and a
competing label that directly labels the number (``factuurnummer``) rejects
it (:mod:`recognizers.context`).

>>> r = NlBsnRecognizer()
>>> [(x.start, x.end, x.score) for x in r.analyze("BSN: 123.456.782", ["NL_BSN"])]
[(5, 16, 0.95)]
>>> [(x.start, x.end) for x in r.analyze("Het BSN van de klant is 123456782.", ["NL_BSN"])]
[(24, 33)]
>>> r.analyze("factuurnummer 123456782", ["NL_BSN"])
[]
"""

from __future__ import annotations

from typing import Optional

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer
from .context import other_labels
from .identifiers import bsn


class NlBsnRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_BSN"
    PATTERNS = [
        Pattern("bsn_formatted", bsn.PATTERNS["formatted"], 0.6),
        Pattern("bsn_9_digits", bsn.PATTERNS["9_digits"], 0.4),
        Pattern("bsn_8_digits", bsn.PATTERNS["8_digits"], 0.3),
    ]
    CONTEXT = list(bsn.LABELS)
    NEGATIVE_CONTEXT = other_labels(bsn.LABELS)
    # "Ook mijn sofinummer klopt niet in uw systeem; het juiste nummer is ...": the elfproef
    # makes a label further back in the same sentence still strong evidence.
    CONTEXT_BEFORE = 80

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return bsn.is_valid(pattern_text)

    def score(self, text, start, end, pattern):
        verdict = self.context_rule.classify(text, start, end)
        if verdict == "negative":
            return None
        if verdict == "positive":
            return self.CONTEXT_SCORE
        # An 8-digit number is as likely an AGB or KvK number: only with a label.
        return None if pattern.name == "bsn_8_digits" else pattern.score
