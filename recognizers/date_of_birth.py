"""DATE_OF_BIRTH: a date that the text says is a birth date.

Dutch notations: ``12-03-1985``, ``12/03/1985``, ``12.03.1985``,
``12 maart 1985``, ``12 mrt. 1985``, ``1985-03-12`` and the fixed-width
``19850312``.  A date is a birth date only by context (``geboren``, ``geb.``,
``geboortedatum``, ``DOB``); treatment, invoice and scan dates are not, and a
birth date lies between 1900 and today.

>>> r = DateOfBirthRecognizer()
>>> [(x.start, x.end) for x in r.analyze("geb. 12 mrt. 1985", ["DATE_OF_BIRTH"])]
[(5, 17)]
>>> r.analyze("behandeld op 12-03-2024", ["DATE_OF_BIRTH"])
[]
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8,
    "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_B = r"(?<![\w\-/.])"
_E = r"(?![\w/]|[-.]\d)"


def parse_dutch_date(value: str) -> Optional[dt.date]:
    """Parse one of the Dutch notations above, or None.

    >>> parse_dutch_date("12 mrt. 1985"), parse_dutch_date("19850312"), parse_dutch_date("31-02-1985")
    (datetime.date(1985, 3, 12), datetime.date(1985, 3, 12), None)
    """
    value = value.strip().lower()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        elif m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})", value):
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
            if len(m[3]) == 2:
                y += 1900 if y > dt.date.today().year % 100 else 2000
        elif m := re.fullmatch(r"(\d{1,2})[ -]+([a-z]+)\.?[ -]+(\d{4})", value):
            d, mo, y = int(m[1]), MONTHS.get(m[2], 0), int(m[3])
        elif m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", value):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        else:
            return None
        return dt.date(y, mo, d)
    except ValueError:
        return None


def is_plausible_birth_date(value: str) -> bool:
    date = parse_dutch_date(value)
    return date is not None and dt.date(1900, 1, 1) <= date <= dt.date.today()


class DateOfBirthRecognizer(DutchPatternRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = [
        Pattern("date_numeric", _B + r"\d{1,2}([-/.])\d{1,2}\1(?:\d{4}|\d{2})" + _E, 0.5),
        Pattern("date_iso", _B + r"(?:19|20)\d{2}-\d{2}-\d{2}" + _E, 0.5),
        Pattern("date_written", _B + r"\d{1,2}[ -]+(?:" + _MONTH + r")\.?[ -]+\d{4}" + _E, 0.5),
        Pattern("date_compact", _B + r"(?:19|20)\d{6}" + _E, 0.4),
    ]
    REGEX_FLAGS = DutchPatternRecognizer.REGEX_FLAGS | re.IGNORECASE
    CONTEXT = [
        r"geboren", r"geb\b", r"geb\.", r"geboortedatum", r"geboorte", r"geb\.?\s?datum",
        r"gebdat", r"dob\b", r"d\.o\.b", r"date of birth", r"birth", r"born", r"\*\s*$",
    ]
    NEGATIVE_CONTEXT = [
        r"behandel", r"opname", r"opgenomen", r"consult", r"factuur", r"declaratie", r"verzend",
        r"verzonden", r"ontvang", r"afspraak", r"overl", r"ingang", r"ingediend", r"prestatie",
        r"verval", r"geldig", r"afgifte", r"uitgifte", r"scan", r"controle", r"operatie",
        r"ok\b", r"sinds", r"vanaf", r"d\.d\.", r"dd\b", r"datum\s+van\s+(?!geboorte)",
        r"gezien", r"bezoek", r"aanvraag", r"verwijzing", r"uitslag", r"onderzoek", r"ontslag",
        r"start", r"eind", r"begin", r"periode", r"t/m", r"tot", r"per\b", r"betaal", r"ingeschreven",
        r"aangemeld", r"gemeld", r"telefonisch", r"gebeld", r"mail", r"brief", r"vandaag",
    ]
    REQUIRES_CONTEXT = True
    CONTEXT_SCORE = 0.9
    CONTEXT_BEFORE = 40
    CONTEXT_AFTER = 20

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return is_plausible_birth_date(pattern_text)
