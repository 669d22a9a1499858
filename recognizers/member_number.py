"""NL_MEMBER_NUMBER: an insurer's member, policy or client number, by its label.

The rules and label words (``verzekerdennummer``, ``lidnummer``,
``polisnummer``, ``relatienummer``, ``klantnummer``, ``patiëntnummer``) live
in :mod:`recognizers.identifiers.member_number`.  No common format, so only
a label makes one recognisable; it identifies a person as well as a BSN does.

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
from .identifiers import agb, big, bsn, iban, kvk, member_number, uzovi


class NlMemberNumberRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_MEMBER_NUMBER"
    PATTERNS = [Pattern("member_number", member_number.PATTERNS["member_number"], 0.5)]
    CONTEXT = list(member_number.LABELS)
    NEGATIVE_CONTEXT = [r"factuur", r"declaratie", r"tel"] + [w for m in (bsn, iban, agb, big, kvk, uzovi) for w in m.LABELS]
    REQUIRES_CONTEXT = True
    CONTEXT_BEFORE = 30
    CONTEXT_AFTER = 0

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return member_number.is_valid(pattern_text)
