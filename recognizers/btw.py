"""NL_BTW: the Dutch VAT identification number, ``NL`` + 9 digits + ``B`` + 2 digits.

Validated with python-stdnum (the 9 digits are an RSIN or, for an
eenmanszaak since 2020, a separate number with its own mod-97 check).

>>> r = NlBtwRecognizer()
>>> [(x.start, x.end) for x in r.analyze("btw NL004495445B01", ["NL_BTW"])]
[(4, 18)]
"""

from __future__ import annotations

from typing import Optional

from presidio_analyzer import Pattern
from stdnum.nl import btw

from .base import DutchPatternRecognizer


class NlBtwRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_BTW"
    PATTERNS = [Pattern("btw_id", r"(?<![\w])NL ?\d{9} ?B ?\d{2}(?![\w])", 0.85)]
    CONTEXT = [r"btw", r"vat", r"omzetbelasting"]

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return btw.is_valid(pattern_text)
