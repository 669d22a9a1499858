"""IBAN_CODE: international bank account numbers, Dutch and foreign.

The rules (mod-97, country lengths, groupings with spaces, dashes or dots)
live in :mod:`recognizers.identifiers.iban`.  The checksum makes context
unnecessary: a valid IBAN is an IBAN.  Presidio's own IBAN recognizer logs
the candidate text; this one never logs.

>>> r = NlIbanRecognizer()
>>> [(x.start, x.end) for x in r.analyze("IBAN NL91 ABNA 0417 1643 00 graag", ["IBAN_CODE"])]
[(5, 27)]
>>> [(x.start, x.end) for x in r.analyze("rek. NL91-ABNA-0417-1643-00", ["IBAN_CODE"])]
[(5, 27)]
>>> r.analyze("NL91 ABNA 0417 1643 01", ["IBAN_CODE"])
[]
"""

from __future__ import annotations

from typing import List

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult

from .base import DutchPatternRecognizer, make_result
from .identifiers import fold, iban


class NlIbanRecognizer(DutchPatternRecognizer):
    ENTITY = "IBAN_CODE"
    PATTERNS = [Pattern("iban", iban.PATTERN, 1.0)]
    CONTEXT = list(iban.LABELS)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None) -> List[RecognizerResult]:
        text = fold(text)
        results = []
        for start, end in iban.find(text):
            # Lowercase IBANs occur, but a lowercase country code is weaker evidence.
            score = 1.0 if text[start:start + 2].isupper() else 0.8
            results.append(make_result(self, self.ENTITY, start, end, score))
        return EntityRecognizer.remove_duplicates(results)
