"""NL_MEMBER_NUMBER: an insurer's member, policy or client number, by its label.

Insurers and care providers number their members and clients
(``verzekerdennummer``, ``lidnummer``, ``polisnummer``, ``relatienummer``,
``klantnummer``, ``patiëntnummer``).  These numbers have no common format, so
only a label makes them recognisable; they identify a person as well as a BSN
does.

>>> r = NlMemberNumberRecognizer()
>>> [(x.start, x.end) for x in r.analyze("verzekerdennummer: 123456789", ["NL_MEMBER_NUMBER"])]
[(19, 28)]
>>> r.analyze("het nummer 123456789", ["NL_MEMBER_NUMBER"])
[]
"""

from __future__ import annotations

from typing import Optional

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer


class NlMemberNumberRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_MEMBER_NUMBER"
    PATTERNS = [
        Pattern("member_number", r"(?<![\w.,/+-])(?:[A-Z]{1,3}-?)?\d[\d.\-]{4,14}\d(?![\w/-]|[.,]\d)", 0.5)
    ]
    CONTEXT = [
        r"verzekerden?(?:nummer|nr)", r"verz\.?\s?nr", r"lid(?:maat)?(?:nummer|nr)", r"polis(?:nummer|nr)",
        r"relatie(?:nummer|nr)", r"klant(?:nummer|nr)", r"pati[eë]nt(?:nummer|nr)", r"cli[eë]nt(?:nummer|nr)",
        r"member\s+(?:id|number)", r"policy\s+number", r"inschrijf(?:nummer|nr)", r"dossier(?:nummer|nr)",
    ]
    NEGATIVE_CONTEXT = [r"bsn", r"burgerservice", r"iban", r"factuur", r"declaratie", r"agb", r"big\b", r"kvk", r"tel", r"uzovi"]
    REQUIRES_CONTEXT = True
    CONTEXT_BEFORE = 30
    CONTEXT_AFTER = 0

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return None
