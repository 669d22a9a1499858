"""PHONE_NUMBER: Dutch telephone numbers.

The rules (notations, lengths, validation against the Dutch number plan,
E.164) live in :mod:`recognizers.identifiers.phone`; this recognizer scores
the numbers it finds.  A valid number is a phone number wherever it stands
(``088-…``, ``0800``, ``0900`` included); words elsewhere in the note
(``polis``, ``factuur``) do not suppress it, only a competing label that
directly labels it, and even then a mobile or ``+31`` number stays.

>>> r = NlPhoneRecognizer()
>>> [(x.start, x.end) for x in r.analyze("bel 06-12345678 of +31 (0)20 123 4567", ["PHONE_NUMBER"])]
[(4, 15), (19, 37)]
>>> [(x.start, x.end) for x in r.analyze("Polis 3 verlopen. Bel (0301234567) of 00 31 10 123 4567", ["PHONE_NUMBER"])]
[(23, 33), (38, 55)]
"""

from __future__ import annotations

from typing import List

import regex
from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult

from .base import DutchPatternRecognizer, make_result
from .context import NON_PERSONAL_LABELS
from .identifiers import agb, big, bsn, fold, iban, kvk, phone
from .identifiers._text import ocr_digits
from .prefilter import requirement

_SERVICE = ("0800", "0900", "0906", "0909", "088", "085")
_UAN = regex.compile(phone.UAN_NATIONAL)
# OCR's letters beside digits (cheap first check), and a national number's shape with them in it
_OCR_MIX = regex.compile(r"\d[OlI]|[OlI]\d")
_OCR_PHONE = regex.compile(r"(?<![\w+])[0O][1-9lIO](?:[ .\-]{0,2}[\dOlI]){7,8}(?![\w])")


class NlPhoneRecognizer(DutchPatternRecognizer):
    ENTITY = "PHONE_NUMBER"
    PATTERNS = [Pattern("phone_" + name, regex, 0.7) for name, regex in phone.PATTERNS.items()]
    CONTEXT = list(phone.LABELS) + [r"nummer", r"contact"]
    NEGATIVE_CONTEXT = list(NON_PERSONAL_LABELS) + [
        w for m in (iban, bsn, agb, big, kvk) for w in m.LABELS
    ]
    CONTEXT_SCORE = 0.95

    # What the finders' patterns need of a text (seven digits, a "+"): a finder that cannot match is not run.
    _NEEDS = tuple(requirement(p.pattern) for p in (phone.CANDIDATE, phone.FOREIGN_CANDIDATE, _UAN))

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None) -> List[RecognizerResult]:
        text = fold(text)
        results = []
        national, foreign, uan = (need.may_match(text) for need in self._NEEDS)
        for start, end in phone.find(text) if national else ():
            score = self._score(text, start, end)
            if score is not None:
                results.append(make_result(self, self.ENTITY, start, end, score))
        if foreign:
            for start, end in phone.find_foreign(text):
                score = self._score(text, start, end)
                if score is not None:
                    results.append(make_result(self, self.ENTITY, start, end, score))
        for start, end in phone.find_foreign_dialled(text) if "00" in text else ():
            if self.context_rule.classify(text, start, end) == "positive":
                results.append(make_result(self, self.ENTITY, start, end, self.CONTEXT_SCORE))
        for start, end in phone.find_spoken(text):
            results.append(make_result(self, self.ENTITY, start, end, self._score(text, start, end) or 0.55))
        if _OCR_MIX.search(text) is not None:
            results.extend(self._ocr(text))
        for m in _UAN.finditer(text) if uan else ():
            # "14 020": a municipal number only with a phone label ("bel 14 020").
            if self.context_rule.classify(text, *m.span()) == "positive":
                results.append(make_result(self, self.ENTITY, m.start(), m.end(), self.CONTEXT_SCORE))
        return EntityRecognizer.remove_duplicates(results)

    def _ocr(self, text: str) -> List[RecognizerResult]:
        """A number OCR read with letters for digits ('O38-4216O73', '06 1O 38 77 24'): the letters O, l
        and I between digits, read back, give a valid Dutch number of a phone's shape."""
        found = []
        for m in _OCR_PHONE.finditer(text):
            value = m.group()
            digits = ocr_digits(value)
            if digits != value and sum(c.isdigit() for c in value) >= 6 and phone.is_valid(digits) \
                    and self.context_rule.classify(text, *m.span()) != "negative":
                found.append(make_result(self, self.ENTITY, m.start(), m.end(), 0.85))
        return found

    @staticmethod
    def _typeset_landline(value: str) -> bool:
        """A number in an issued range written with a phone's grouping ('0346 - 212 804'): a file or
        dossier number is not so written, so the label before it ('staat in het dossier:') is not its own."""
        return not value.isdigit() and phone.is_valid(value)

    _WRAP_AFTER_DASH = regex.compile(r"-[ \t]?\r?\n")

    def _score(self, text: str, start: int, end: int):
        verdict = self.context_rule.classify(text, start, end)
        if verdict == "positive":
            return self.CONTEXT_SCORE
        if "\n" in text[start:end] and self._WRAP_AFTER_DASH.search(text, start, end) is None:
            return None  # a line break between digits: one number only with its label ("tel 06-1234\n5678")
        value = text[start:end].lstrip("(")
        international = value.startswith(("+", "00"))
        if verdict == "negative" and not (international or value.startswith("06") or self._typeset_landline(value)):
            return None
        # A bare run of ten digits, or a number in an unissued range, is weaker evidence
        # (phonenumbers is asked last: ~60 µs per new number).
        if (value.isdigit() and not value.startswith(("06",) + _SERVICE)) or not phone.is_valid(value):
            return 0.55
        return 0.85 if international else 0.7
