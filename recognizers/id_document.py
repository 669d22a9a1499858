"""NL_ID_DOCUMENT: the document number of a Dutch passport or identity card.

The rules (nine characters, no letter O, python-stdnum
``nl.identiteitskaartnummer``) and the label words live in
:mod:`recognizers.identifiers.id_document`.  Codes of that shape are common
(order codes, batch numbers), so a label is required.

>>> r = NlIdDocumentRecognizer()
>>> [(x.start, x.end) for x in r.analyze("paspoortnummer NXC4R2KL5", ["NL_ID_DOCUMENT"])]
[(15, 24)]
>>> r.analyze("paspoortnummer NXO4R2KL5", ["NL_ID_DOCUMENT"])
[]
"""

from __future__ import annotations

from typing import Optional

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer
from .identifiers import id_document


class NlIdDocumentRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_ID_DOCUMENT"
    PATTERNS = [Pattern("nl_document_" + name, regex, 0.4) for name, regex in id_document.PATTERNS.items()]
    CONTEXT = list(id_document.LABELS)
    NEGATIVE_CONTEXT = [r"factuur", r"order", r"artikel", r"batch", r"lot\b", r"kenmerk", r"referentie", r"iban"]
    REQUIRES_CONTEXT = True
    CONTEXT_SCORE = 0.9
    CONTEXT_BEFORE = 40

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return id_document.is_valid(pattern_text)
