"""Context words around a match: the evidence that turns a number into an identifier.

Dutch documents label identifiers: ``BSN: 123456782``, ``AGB-code 01012345``,
``factuurnummer 123456782``.  A :class:`ContextRule` looks at the text just
before a match (and, failing that, just after) and reports whether the closest
label is one of ours (``"positive"``), someone else's (``"negative"``: an
invoice number that happens to pass the elfproef), or absent (``None``).

>>> rule = ContextRule(positive=[r"bsn"], negative=[r"factuur"])
>>> text = "BSN 123456782, factuurnummer 111222333"
>>> rule.classify(text, 4, 13)
'positive'
>>> rule.classify(text, 29, 38)
'negative'
>>> rule.classify("nummer 123456782", 7, 16) is None
True
"""

from __future__ import annotations

import re
from typing import Iterable, Literal, Optional

Verdict = Optional[Literal["positive", "negative"]]


def _alternation(words: Iterable[str]) -> Optional[re.Pattern[str]]:
    words = list(words)
    if not words:
        return None
    # A label must start a word ("bsn" in "bsn-nummer", not in "absnt").
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(words) + ")", re.IGNORECASE)


class ContextRule:
    """Positive and negative label words searched in a window around a match."""

    def __init__(
        self,
        positive: Iterable[str],
        negative: Iterable[str] = (),
        before: int = 45,
        after: int = 25,
    ) -> None:
        self.positive = _alternation(positive)
        self.negative = _alternation(negative)
        self.before = before
        self.after = after

    def _last_end(self, pattern: Optional[re.Pattern[str]], window: str) -> int:
        last = -1
        if pattern is not None:
            for m in pattern.finditer(window):
                last = m.end()
        return last

    def _first_start(self, pattern: Optional[re.Pattern[str]], window: str) -> int:
        if pattern is None:
            return -1
        m = pattern.search(window)
        return m.start() if m else -1

    def classify(self, text: str, start: int, end: int) -> Verdict:
        """The verdict of the closest label before the match, else after it."""
        window = text[max(0, start - self.before):start]
        pos, neg = self._last_end(self.positive, window), self._last_end(self.negative, window)
        if pos >= 0 or neg >= 0:
            return "positive" if pos > neg else "negative"
        window = text[end:end + self.after]
        pos, neg = self._first_start(self.positive, window), self._first_start(self.negative, window)
        if pos >= 0 and (neg < 0 or pos < neg):
            return "positive"
        if neg >= 0:
            return "negative"
        return None


# Labels of identifiers that are not personal identifiers of the patient:
# a number right after one of these is that identifier, whatever its checksum.
OTHER_NUMBER_LABELS = [
    r"factuur", r"declaratie", r"nota\b", r"claim", r"order", r"bestel", r"referentie",
    r"ref\b", r"ref\.", r"kenmerk", r"dossier", r"polis", r"relatie", r"klant",
    r"lid(maat)?(nummer|nr)", r"verzekerden?(nummer|nr)", r"registratie", r"transactie",
    r"zending", r"ticket", r"batch", r"bon\b", r"contract", r"artikel", r"prestatie",
    r"machtiging", r"aanvraag", r"verwijzing", r"rekening", r"iban", r"debiteur",
    r"crediteur", r"betalings?kenmerk", r"kvk", r"agb", r"big\b", r"uzovi", r"btw",
    r"tel\b", r"tel\.", r"telefoon", r"mobiel", r"fax", r"postcode", r"huisnummer",
    r"bedrag", r"totaal", r"€", r"eur\b", r"euro", r"patiëntnummer", r"patientnummer",
    r"cliëntnummer", r"clientnummer", r"zorgverlenersnummer", r"praktijknummer",
]
