"""NL_BSN: the burgerservicenummer, the Dutch citizen service number.

Nine digits (eight-digit BSNs are zero-padded) passing the elfproef
``9*d1 + 8*d2 + ... + 2*d8 - 1*d9 = 0 (mod 11)``, written plain
(``123456782``), dotted (``123.456.782``, ``1234.56.782``) or spaced.

One in eleven random 9-digit numbers passes the elfproef, so a bare number is
only weak evidence: context words (``bsn``, ``burgerservicenummer``,
``sofinummer``) confirm it and the label of another number (``factuurnummer``)
rejects it.  Onderwijsnummers never count as a BSN.

>>> from presidio_analyzer import RecognizerResult
>>> r = NlBsnRecognizer()
>>> [(x.start, x.end, x.score) for x in r.analyze("BSN: 123.456.782", ["NL_BSN"])]
[(5, 16, 0.95)]
>>> r.analyze("factuurnummer 123456782", ["NL_BSN"])
[]
"""

from __future__ import annotations

from typing import Optional

from presidio_analyzer import Pattern
from stdnum.nl import bsn, onderwijsnummer

from .base import DutchPatternRecognizer
from .context import OTHER_NUMBER_LABELS

_NOT_IN_NUMBER_BEFORE = r"(?<![\w.,/+-])"
_NOT_IN_NUMBER_AFTER = r"(?![\w/-]|[.,]\d)"


def is_valid_bsn(value: str) -> bool:
    """True for an 8- or 9-digit number that passes the elfproef and is no onderwijsnummer.

    >>> is_valid_bsn("123.456.782"), is_valid_bsn("123456789"), is_valid_bsn("101222331")
    (True, False, False)
    """
    compact = bsn.compact(value)
    if not bsn.is_valid(compact) or onderwijsnummer.is_valid(compact):
        return False
    return len(set(compact)) > 2  # 111111110, 999999990, ... are placeholders


class NlBsnRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_BSN"
    PATTERNS = [
        Pattern("bsn_formatted", _NOT_IN_NUMBER_BEFORE + r"(?:\d{3}([. ])\d{3}\1\d{3}|\d{4}([. ])\d{2}\2\d{3}|\d{3}-\d{3}-\d{3})" + _NOT_IN_NUMBER_AFTER, 0.6),
        Pattern("bsn_9_digits", _NOT_IN_NUMBER_BEFORE + r"\d{9}" + _NOT_IN_NUMBER_AFTER, 0.4),
        Pattern("bsn_8_digits", _NOT_IN_NUMBER_BEFORE + r"\d{8}" + _NOT_IN_NUMBER_AFTER, 0.3),
    ]
    CONTEXT = [
        r"bsn", r"burger\s?service\s?n(?:umme)?r", r"burgerservice", r"sofi", r"sofinummer",
        r"persoonsnummer", r"persoonsgebonden\s+nummer", r"citizen\s+service",
    ]
    NEGATIVE_CONTEXT = OTHER_NUMBER_LABELS

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return is_valid_bsn(pattern_text)

    def score(self, text, start, end, pattern):
        verdict = self.context_rule.classify(text, start, end)
        if verdict == "negative":
            return None
        if verdict == "positive":
            return self.CONTEXT_SCORE
        # An 8-digit number is as likely an AGB or KvK number: only with a label.
        return None if pattern.name == "bsn_8_digits" else pattern.score
