"""DATE_OF_BIRTH: a date that the text says is a birth date.

The notations and the parser live in :mod:`recognizers.identifiers.dates`.
A date is a birth date only by context (``geboren``, ``geb.``,
``geboortedatum``, ``DOB``) in the same sentence, and the context does not
carry past another date (``geboren op 12-03-1975, is op 14-11-2024
behandeld``: only the first).  Treatment, invoice and scan dates are not, and
a birth date lies between 1900 and today.

>>> r = DateOfBirthRecognizer()
>>> [(x.start, x.end) for x in r.analyze("geb. 12 mrt. 1985", ["DATE_OF_BIRTH"])]
[(5, 17)]
>>> [(x.start, x.end) for x in r.analyze("geboren op 12-03-1975, is op 14-11-2024 behandeld", ["DATE_OF_BIRTH"])]
[(11, 21)]
>>> r.analyze("behandeld op 12-03-2024", ["DATE_OF_BIRTH"])
[]

A year alone or a date in spaced digits only straight after the label:

>>> [(x.start, x.end) for x in r.analyze("geboren in '41, verhuisd in '70", ["DATE_OF_BIRTH"])]
[(11, 14)]
"""

from __future__ import annotations

import re
from typing import Optional

from presidio_analyzer import EntityRecognizer, Pattern

from .base import DutchPatternRecognizer, make_result
from .context import ContextRule
from .identifiers import dates
from .identifiers.dates import is_plausible_birth_date, parse as parse_dutch_date  # noqa: F401  (re-exported)

# Another date ends the birth-date context.
_ANY_DATE = "|".join(f"(?:{p})" for p in dates.PATTERNS.values()).replace("\\1", "[-/.]")
# ... and so does a birth year given straight after the label: "Geboortedatum: 1993, behandeld op 01-01-2024".
_ANY_DATE += r"|(?:geboren(?:\s+in)?|geb\.?|geboortedatum)\s*[:(]?\s*(?:'\d{2}|(?:19|20)\d{2})(?![\w/.-])"


class DateOfBirthRecognizer(DutchPatternRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = [
        Pattern("date_numeric", dates.PATTERNS["numeric"], 0.5),
        Pattern("date_iso", dates.PATTERNS["iso"], 0.5),
        Pattern("date_written", dates.PATTERNS["written"], 0.5),
        Pattern("date_compact", dates.PATTERNS["compact"], 0.4),
        Pattern("date_compact_dmy", dates.PATTERNS["compact_dmy"], 0.4),
        Pattern("date_cjk", dates.PATTERNS["cjk"], 0.5),
        Pattern("date_spoken", dates.PATTERNS["spoken"], 0.5),
        Pattern("birth_year", dates.BIRTH_ONLY_PATTERNS["year"], 0.5),
        Pattern("birth_spaced", dates.BIRTH_ONLY_PATTERNS["spaced"], 0.5),
        Pattern("birth_spaced_separators", dates.BIRTH_ONLY_PATTERNS["spaced_separators"], 0.5),
        Pattern("birth_digits_spaced", dates.BIRTH_ONLY_PATTERNS["digits_spaced"], 0.5),
        Pattern("birth_ocr", dates.BIRTH_ONLY_PATTERNS["ocr"], 0.5),
        Pattern("birth_ocr_written", dates.BIRTH_ONLY_PATTERNS["ocr_written"], 0.5),
        Pattern("birth_wrapped", dates.BIRTH_ONLY_PATTERNS["wrapped"], 0.5),
    ]
    RE_PATTERNS = frozenset({"date_written", "date_spoken", "birth_ocr_written"})
    PATTERN_NEEDS = {"birth_wrapped": "\n"}
    # A year alone or spaced digits are a birth date only straight after the label ("geboren in '41").
    # (an OCR'd label is spaced too, "Geb .  datum  :", and a form's leader dots stand before the value)
    _DIRECT = re.compile(r"(?<![\w])(?:geboren(?:\s+in)?|geb\s?\.?|geboortedatum|geboortejaar|geb\s?\.?\s*dat(?:um|\.)?|dob|date\s+of\s+birth|birth\s?date)"
                         r"\s*(?:\.{2,}|…+)?\s*[:(\[]?\s*$", re.IGNORECASE)  # a form's box: "Geboortedatum   [ 2 - 12 - 1946 ]"
    _BIRTH_ONLY = frozenset(("birth_year", "birth_spaced", "birth_spaced_separators", "birth_digits_spaced", "birth_ocr", "birth_ocr_written",
                             "birth_wrapped"))
    # "hij is van drie juni achtenveertig", "Schoonmoeder is van '34", "ik ben van 1961": a person "is of" a date
    _IS_OF_VALUE = re.compile(r"(?i)(?<![\w])(?:is|ben|was) van (?:'\d\d|\d|(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|"
                              r"dertien|veertien|vijftien|zestien|zeventien|achttien|negentien|twintig|dertig|[a-z]+entwintig|eenendertig)\b)")
    _IS_OF = re.compile(r"(?<![\w])(?:ik\s+ben|(?:hij|zij|ze|u|die|\w*(?:moeder|vader)|man|vrouw|oma|opa|zoon|dochter|kind|broer|zus|"
                        r"pati[eë]nt(?:e)?|mevrouw|meneer|cli[eë]nt)\s+(?:is|was))\s+van\s*$", re.IGNORECASE)
    SPOKEN_BEFORE = 90  # "Haar geboortedatum is de zevende van de zevende, zeven juli tachtig"
    REGEX_FLAGS = DutchPatternRecognizer.REGEX_FLAGS | re.IGNORECASE
    # the genealogical birth sign, and the Belgian "°" (° 14/06/1981, Lommel) straight before the date
    CONTEXT = list(dates.LABELS_BIRTH) + [r"\*\s*$", r"(?<!\d )°\s*$"]  # (not a temperature's degree)
    # a note's short "gb 1-7-1958", straight before the date (looked for by score: "gb" is inside many words)
    _GB = re.compile(r"(?<![\w])(?<!\d )(?-i:gb)\.?\s*:?\s*$")  # not a size ("2 gb")
    # A person's age straight before the date or year in brackets or after a comma:
    # "Maud Beerens, 34 jr (03-02-1992)", "Leeftijd patiënt 44 (1982)"
    _AGE = re.compile(r"(?i)(?:(?<![\w,.])\d{1,3}\s*(?:jr|jaar)\.?|\bleeftijd\b[^\n\d(]{0,20}\d{1,3}(?:\s*(?:jr|jaar)\.?)?)\s*[(,]\s*$")
    # A weekday before the date belongs to it ("geb. dinsdag 4 maart 1941")
    _WEEKDAY = re.compile(r"(?i)(?<![\w])(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
                          r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+$")
    NEGATIVE_CONTEXT = [
        r"behandel", r"opname", r"opgenomen", r"consult", r"factuur", r"declaratie", r"verzend",
        r"verzonden", r"ontvang", r"afspraak", r"overl", r"ingang", r"ingediend", r"prestatie",
        r"verval", r"geldig", r"afgifte", r"uitgifte", r"scan", r"(?<!ter\s)controle", r"operatie",
        r"ok\b", r"sinds", r"vanaf", r"d\.d\.", r"dd\b(?![-/.]?mm)", r"datum\s+van\s+(?!geboorte)",
        r"gezien", r"bezoek", r"aanvraag", r"verwijzing", r"uitslag", r"onderzoek", r"ontslag",
        r"start", r"eind", r"begin", r"periode", r"t/m", r"tot", r"per\b", r"betaal", r"ingeschreven",
        r"aangemeld", r"gemeld", r"telefonisch", r"gebeld", r"mail", r"brief", r"vandaag",
    ]
    REQUIRES_CONTEXT = True
    CONTEXT_SCORE = 0.9
    CONTEXT_BEFORE = 40
    CONTEXT_AFTER = 20

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_language)
        self.context_rule = ContextRule(self.CONTEXT, self.NEGATIVE_CONTEXT, self.CONTEXT_BEFORE,
                                        self.CONTEXT_AFTER, barrier=_ANY_DATE, prefixes=True)
        self.spoken_rule = ContextRule(self.CONTEXT, self.NEGATIVE_CONTEXT, self.SPOKEN_BEFORE,
                                       self.CONTEXT_AFTER, barrier=_ANY_DATE, prefixes=True)

    def may_have_context(self, text: str) -> bool:
        # "(*14-6-1960)": the genealogical birth sign is a label too
        if "*" in text or "°" in text or super().may_have_context(text):
            return True
        if "(" in text and ("jr" in text or "jaar" in text or "eeftijd" in text) or " gb" in text or "\ngb" in text:
            return True  # "34 jr (03-02-1992)": an age before the date; "gb 1-7-1958"
        # "hij is van drie juni achtenveertig": only where a value follows a person's "is van" (most notes: one find)
        if "s van " not in text and "n van " not in text:
            return False  # most texts: no "is van", "was van", "ben van"
        return self._IS_OF_VALUE.search(text) is not None

    # A row of a list of people ending in a date, set apart by a tab or two spaces:
    _ROW_DATE = re.compile(r"(?m)(?<![ \t])(?:\t|  )[ \t]*+(\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|(?:19|20)\d{2}-\d{2}-\d{2})[ \t]*$")
    # ... with the person's role on the policy or in the family as the field before it
    # ("VAN DEN BERG, R.      partner      13-07-1979")
    _ROLE_FIELD = re.compile(r"(?i)(?<![ \t])(?:\t|  )[ \t]*+(?:hoofd|mede)?(?:verzekerde|verzekeringnemer|partner|echtgeno(?:ot|te)|kind|zoon|dochter|"
                             r"moeder|vader|ouder|pleegkind|gezinslid)[ \t]*$")
    # ... or under a line whose last column name is the birth date ("Bewonerslijst (kamer / naam / geb.)")
    _BIRTH_LAST = re.compile(r"(?i)(?<![\w])(?:geb\.?|geboren|geboortedatum|geb\.?\s?datum|geb\.?\s?dat\.?|dob)\s*\)?\s*:?\s*$")
    LIST_REACH = 12  # rows looked back to find the list's head (bounded work per row)

    def _list_rows(self, text: str) -> list:
        """Birth dates ending the rows of a list of people (a role field before them, or a head naming them)."""
        found = []
        for m in self._ROW_DATE.finditer(text):
            start, end = m.span(1)
            if not is_plausible_birth_date(m.group(1)):
                continue
            line_start = text.rfind("\n", 0, start) + 1
            if self._ROLE_FIELD.search(text, line_start, m.start()) or self._head_names_birth(text, line_start):
                found.append(make_result(self, self.ENTITY, start, end, 0.85))
        return found

    def _head_names_birth(self, text: str, line_start: int) -> bool:
        """The first line above the rows ending in a date names the birth date as its last column."""
        for _ in range(self.LIST_REACH):
            if line_start == 0:
                return False
            prev = text.rfind("\n", 0, line_start - 1) + 1
            line = text[prev:line_start - 1]
            if not self._ROW_DATE.search(line):
                return self._BIRTH_LAST.search(line) is not None
            line_start = prev
        return False

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if "  " in text or "\t" in text:
            rows = self._list_rows(text)
            if rows:
                results = EntityRecognizer.remove_duplicates(results + rows)
        for r in results:
            if r.start > 6 and text[r.start - 1] == " ":
                day = self._WEEKDAY.search(text, max(0, r.start - 12), r.start)  # (the longest: "wednesday, ")
                if day:
                    r.start = day.start()
        return results

    # the person's age straight after the date: "11-07-2004 (22 jr)", "3-4-1950, 76 jaar"
    _AGE_AFTER = re.compile(r"\s*[(,]\s*(\d{1,3})\s*(?:jr|jaar|j|yrs|years)\b\.?(?:\s*oud)?\s*(?:[),;\n]|$)")

    def _age_after(self, text: str, start: int, end: int) -> bool:
        """An age that fits the date (within a year) stands straight after it."""
        import datetime as dt

        m = self._AGE_AFTER.match(text, end)
        date = m and dates.parse(text[start:end])
        return bool(date) and abs((dt.date.today().year - date.year) - int(m.group(1))) <= 1 \
            and self.context_rule.classify(text, start, end) != "negative"  # "behandeld op ... (22 jr)"

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return is_plausible_birth_date(pattern_text) or dates.is_plausible_birth_year(pattern_text)

    # A chat export's or a log's stamp: a date opening its line, a time after it ("09/10/2026, 07:58 - Ricardo: ...",
    # "[2026-10-12 22:41:07]"): when a message was written, not anyone's birth
    _STAMP_TIME = re.compile(r",?[ \t]\d{1,2}:\d{2}(?::\d{2})?(?![\d])")
    _LINE_OPEN = re.compile(r"(?:^|\n)[ \t]*\[?$")

    def _stamp(self, text: str, start: int, end: int) -> bool:
        return self._STAMP_TIME.match(text, end) is not None and self._LINE_OPEN.search(text, max(0, start - 4), start) is not None

    def score(self, text, start, end, pattern):
        if self._stamp(text, start, end):
            return None
        if pattern.name == "birth_ocr" and dates.ocr_digits(text[start:end]) == text[start:end]:
            return None  # no letter for a digit: the numeric pattern's date
        if pattern.name == "birth_ocr_written" and dates.ocr_digits(text[start:end]) == text[start:end]:
            return None  # no letter for a digit: the written pattern's date
        is_of = " van" in text[max(0, start - 6):start] and self._IS_OF.search(text, max(0, start - 40), start) is not None
        if not is_of and text[start - 1:start] in "(, " and start > 0:
            is_of = self._AGE.search(text, max(0, start - 40), start) is not None \
                or "gb" in text[max(0, start - 6):start] and self._GB.search(text, max(0, start - 8), start) is not None
        if not is_of and text[end:end + 2].lstrip()[:1] in ("(", ","):
            is_of = self._age_after(text, start, end)
        if pattern.name in self._BIRTH_ONLY:
            direct = is_of or self._DIRECT.search(text, max(0, start - 45), start)
            return self.CONTEXT_SCORE if direct else None
        if is_of and is_plausible_birth_date(text[start:end]):
            return self.CONTEXT_SCORE
        if not is_plausible_birth_date(text[start:end]):
            return None
        score = super().score(text, start, end, pattern)
        if score is None and pattern.name == "date_spoken" and self.spoken_rule.classify(text, start, end) == "positive":
            return self.CONTEXT_SCORE  # a date said aloud comes after more words than a written one
        return score
