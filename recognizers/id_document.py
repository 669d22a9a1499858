"""NL_ID_DOCUMENT: the document number of a Dutch passport or identity card.

Nine characters: two letters, six letters or digits, one digit; the letter O
is never used (python-stdnum ``nl.identiteitskaartnummer``).  Codes of that
shape are common (order codes, batch numbers), so a label is required
(``paspoort``, ``identiteitskaart``, ``ID-kaart``, ``documentnummer``).

>>> r = NlIdDocumentRecognizer()
>>> [(x.start, x.end) for x in r.analyze("paspoortnummer NXC4R2KL5", ["NL_ID_DOCUMENT"])]
[(15, 24)]
>>> r.analyze("paspoortnummer NXO4R2KL5", ["NL_ID_DOCUMENT"])
[]
"""

from __future__ import annotations

from typing import Optional

from presidio_analyzer import Pattern
from stdnum.nl import identiteitskaartnummer

from .base import DutchPatternRecognizer


class NlIdDocumentRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_ID_DOCUMENT"
    PATTERNS = [Pattern("nl_document_number", r"(?<![\w])[A-Za-z]{2}[A-Za-z0-9]{6}\d(?![\w])", 0.4)]
    CONTEXT = [
        r"paspoort", r"passport", r"identiteitskaart", r"identiteitsbewijs", r"id-?kaart", r"id-?bewijs",
        r"legitimatie", r"documentnummer", r"document\s?nr", r"docnr", r"reisdocument", r"id\s?nr",
        r"id\s+document", r"identity\s+card", r"nederlandse\s+id",
    ]
    NEGATIVE_CONTEXT = [r"factuur", r"order", r"artikel", r"batch", r"lot\b", r"kenmerk", r"referentie", r"iban"]
    REQUIRES_CONTEXT = True
    CONTEXT_SCORE = 0.9
    CONTEXT_BEFORE = 40

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        value = pattern_text.upper()
        # The middle six of a real document number mix letters and digits or are
        # all digits; an all-letter middle is a word ("ABCDEFGHI1" is not a number).
        if value[2:8].isalpha():
            return False
        return identiteitskaartnummer.is_valid(value)
