"""IBAN_CODE: international bank account numbers, Dutch and foreign.

``NLkk BBBB 0123 4567 89``: country code, two check digits (ISO 13616
mod-97), then a country-specific number of characters; written compact or in
groups of four.  The checksum makes context unnecessary: a valid IBAN is an
IBAN.  Presidio's own IBAN recognizer logs the candidate text; this one never
logs.

>>> r = NlIbanRecognizer()
>>> [(x.start, x.end) for x in r.analyze("IBAN NL91 ABNA 0417 1643 00 graag", ["IBAN_CODE"])]
[(5, 27)]
>>> r.analyze("NL91 ABNA 0417 1643 01", ["IBAN_CODE"])
[]
"""

from __future__ import annotations

from typing import List

import regex
from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from stdnum import iban

from .base import REGEX_TIMEOUT_SECONDS, DutchPatternRecognizer, make_result

# Country code and check digits, then 11-30 characters with optional single
# spaces; the longest prefix that validates is the IBAN (so a word that follows
# a grouped IBAN is never swallowed).
_CANDIDATE = r"(?<![\w])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}"


def is_valid_iban(value: str) -> bool:
    """True when ``value`` passes the country format and the mod-97 check.

    >>> is_valid_iban("NL91ABNA0417164300"), is_valid_iban("NL91ABNA0417164301")
    (True, False)
    """
    return iban.is_valid(value)


class NlIbanRecognizer(DutchPatternRecognizer):
    ENTITY = "IBAN_CODE"
    PATTERNS = [Pattern("iban", _CANDIDATE, 1.0)]
    CONTEXT = [r"iban", r"rekening", r"bankrekening", r"rek\.?\s?nr", r"tenaamstelling"]

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None) -> List[RecognizerResult]:
        results = []
        try:
            matches = list(self._compiled[0].finditer(text, timeout=REGEX_TIMEOUT_SECONDS))
        except TimeoutError:
            return []
        for match in matches:
            end = self._longest_valid_end(match.group())
            if end is None:
                continue
            # Lowercase IBANs occur, but a lowercase country code is weaker evidence.
            score = 1.0 if match.group()[:2].isupper() else 0.8
            results.append(make_result(self, self.ENTITY, match.start(), match.start() + end, score))
        return EntityRecognizer.remove_duplicates(results)

    @staticmethod
    def _longest_valid_end(candidate: str):
        """Length of the longest prefix of ``candidate`` that is a valid IBAN."""
        ends = [i + 1 for i, ch in enumerate(candidate) if ch != " "]
        for end in reversed(ends):
            if end < 15:
                break
            if end < len(candidate) and candidate[end].isalnum():
                continue  # would cut through a group of characters
            if is_valid_iban(candidate[:end]):
                return end
        return None
