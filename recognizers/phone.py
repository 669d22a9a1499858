"""PHONE_NUMBER: Dutch telephone numbers.

Ten digits with a leading 0 (``06-12345678``, ``020-1234567``,
``036 547 2299``), or ``+31`` / ``0031`` instead of the 0 (``+31 6 1234 5678``,
``+31 (0)20 123 4567``), and the service numbers 0800/0900/0906/0909 with 4 or
7 digits.  Written with spaces, dashes, dots or brackets.  Dates
(``06-12-2019 10``) are not phone numbers.

>>> r = NlPhoneRecognizer()
>>> [(x.start, x.end) for x in r.analyze("bel 06-12345678 of +31 (0)20 123 4567", ["PHONE_NUMBER"])]
[(4, 15), (19, 37)]
"""

from __future__ import annotations

import re
from typing import Optional

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer

_SEP = r"[ .\-]?"
_DATE_PREFIX = re.compile(r"^\(?\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")


class NlPhoneRecognizer(DutchPatternRecognizer):
    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        # International: +31 / 0031, optional (0), then nine digits.
        Pattern(
            "phone_international",
            r"(?<![\w+])(?:\+|00)31" + _SEP + r"(?:\(0\)" + _SEP + r")?[1-9](?:[ .\-]{0,3}\d){8}(?!\d)",
            0.85,
        ),
        # National: 0 and nine digits, the area code optionally in brackets.
        Pattern(
            "phone_national",
            r"(?<![\w+])(?:\(0[1-9]\d{0,2}\)(?:[ .\-]{0,3}\d){6,8}|0[1-9](?:[ .\-]{0,3}\d){8})(?!\d)",
            0.7,
        ),
        # Service numbers: 0800 / 0900 / 0906 / 0909 with 4 or 7 digits.
        Pattern(
            "phone_service",
            r"(?<![\w+])0(?:800|900|906|909)" + r"[ .\-]?\d{4}(?:\d{3})?(?!\d)",
            0.7,
        ),
    ]
    CONTEXT = [
        r"tel", r"telefoon", r"telefonisch", r"mobiel", r"gsm", r"bel", r"gebeld", r"bereikbaar",
        r"nummer", r"phone", r"fax", r"whatsapp", r"sms", r"contact", r"t:", r"m:",
    ]
    NEGATIVE_CONTEXT = [
        r"iban", r"rekening", r"factuur", r"declaratie", r"bsn", r"agb", r"big", r"kvk",
        r"polis", r"klant(?:nummer|nr)", r"dossier", r"kenmerk", r"referentie", r"€", r"eur\b", r"bedrag",
    ]
    CONTEXT_SCORE = 0.95

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        if _DATE_PREFIX.match(pattern_text):
            return False
        digits = re.sub(r"\D", "", pattern_text)
        if pattern_text.startswith("+") or digits.startswith("0031"):
            digits = "0" + digits[4:] if digits.startswith("0031") else "0" + digits[2:]
            digits = digits.replace("00", "0", 1) if digits.startswith("00") else digits
        if digits[:4] in ("0800", "0900", "0906", "0909"):
            return len(digits) in (8, 11)
        return len(digits) == 10 and digits[1] != "0"

    def score(self, text, start, end, pattern):
        verdict = self.context_rule.classify(text, start, end)
        if verdict == "positive":
            return self.CONTEXT_SCORE
        value = text[start:end]
        if verdict == "negative" and not value.startswith(("+", "06")):
            return None
        # A bare run of ten digits is weaker than a formatted or mobile number.
        if value.isdigit() and not value.startswith("06"):
            return 0.55
        return pattern.score
