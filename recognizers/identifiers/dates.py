"""The one Dutch date parser.

Notations: ``12-03-1985``, ``12/03/1985``, ``12.03.1985``, ``12-3-85``,
``12 maart 1985``, ``12 mrt. 1985``, ``12-mrt-1985``, ``12 MAA/MAR 1985`` (passports), ``1985-03-12``,
``1985/03/12``, ``1985.03.12`` and the fixed-width ``19850312`` of declaration files; month
names and their abbreviations in Dutch (and the English ones that differ).
Two-digit years are in the past century when they would lie in the future.

>>> parse("12 mrt. 1985"), parse("19850312"), parse("31-02-1985")
(datetime.date(1985, 3, 12), datetime.date(1985, 3, 12), None)
>>> parse("zeventien april 1969"), parse("tweeëntwintig mei 1980"), parse("dertig feb 1980")
(datetime.date(1969, 4, 17), datetime.date(1980, 5, 22), None)
>>> parse("drie februari achtentachtig"), parse("zes oktober negentienvijfenzestig"), parse("elf elf tweeduizend vijf")
(datetime.date(1988, 2, 3), datetime.date(1965, 10, 6), datetime.date(2005, 11, 11))
>>> parse("twee dertien negentig")
>>> parse("04121995"), parse("12100456")   # day first only with a year 19xx/20xx: an AGB code is no date
(datetime.date(1995, 12, 4), None)
>>> parse("12 MAA/MAR 1985"), parse("1 okt '85"), parse("１２-０３-１９８５")
(datetime.date(1985, 3, 12), datetime.date(1985, 10, 1), datetime.date(1985, 3, 12))
>>> compact("12 maart 1985"), format("1985-03-12"), is_valid("2024-13-01")
('1985-03-12', '12-03-1985', False)
>>> list(find("geboren op 12-03-1975, behandeld op 14 nov. 2024"))
[(11, 21), (36, 48)]
>>> column_format(["12-03-1985", "01-01-2000"]), column_format(["12-03-1985", "1985-03-12"])
('%d-%m-%Y', None)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Iterator, Optional

import regex
from stdnum.exceptions import InvalidComponent, InvalidFormat

from ._digits import validity
from ._text import fold, nfkc

ENTITY = "DATE_OF_BIRTH"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS_BIRTH = ("geboortedatum", "geb datum", "gebdatum", "gebdat", "geb dat", "dob", "date of birth", "birthdate", "birth date", "geboorte datum", "geboren", "geburtsdatum")
LABELS_BIRTH = (
    r"geboren", r"geb\b", r"geb\.", r"geboortedatum", r"geboorte", r"geb\.?\s?datum",
    # English "born" in lowercase, or as a field ("Born: ..."): "Born" alone is a place in Limburg
    r"gebdat", r"dob\b", r"d\.o\.b", r"date of birth", r"birth", r"(?-i:born)", r"(?-i:Born)(?=\s*:|\s+on\b)",
    # Polish forms: "ur. 23.11.1993" (after a space: "uur." holds no label), "urodzona", "data urodzenia"
    r" ur\.(?=\s*(?:\d|$))", r"urodzon[aey]", r"data\s+urodzenia",
    # Frisian "berne" (born): "hy is berne op 11 novimber 1950"
    r"berne\b",
    # German: a cross-border worker's letter, a Personalausweis ("Geburtsdatum: 17.09.1968", "Geburtstag")
    r"geburts(?:datum|tag)",
)
LABELS = LABELS_BIRTH

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "febr": 2, "february": 2,
    "maart": 3, "mrt": 3, "maa": 3, "mar": 3, "mrch": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7, "augustus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
    # Frisian (an official language of Fryslân): "berne op 11 novimber 1950"
    "jannewaris": 1, "febrewaris": 2, "maaie": 5, "juny": 6, "septimber": 9, "novimber": 11, "desimber": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# Days spelled out, as a caller says them and a transcript writes them ("zeventien april 1969").
_UNITS = ("een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
DAY_WORDS = {
    **{w: n for n, w in enumerate(_UNITS, 1)}, "één": 1, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13,
    "veertien": 14, "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20,
    **{w + ("ën" if w.endswith("e") else "en") + "twintig": 20 + n for n, w in enumerate(_UNITS, 1)},
    **{w + "entwintig": 20 + n for n, w in enumerate(_UNITS, 1) if w.endswith("e")},  # "tweeentwintig"
    "dertig": 30, "eenendertig": 31, "éénentwintig": 21, "éénendertig": 31,
}
_DAY_WORD = "|".join(sorted(DAY_WORDS, key=len, reverse=True))
# Numbers 1-99 in words, for years said aloud ("achtentachtig", "negentienvijfenzestig").
_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80, "negentig": 90}
NUMBER_WORDS = {
    **{w: n for w, n in DAY_WORDS.items() if n < 20}, **_TENS,
    **{u + ("ën" if u.endswith("e") else "en") + t: n + m for n, u in enumerate(_UNITS, 1) for t, m in _TENS.items()},
    **{u + "en" + t: n + m for n, u in enumerate(_UNITS, 1) for t, m in _TENS.items() if u.endswith("e")},
}
_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_YEAR_WORDS = (r"(?:negentien(?:honderd)?(?:en)? ?(?:" + _NUMBER_WORD + r")|tweeduizend(?: ?(?:en ?)?(?:"
               + _NUMBER_WORD + r"))?|(?:" + _NUMBER_WORD + r"))")
_SPOKEN = re.compile(r"(" + _DAY_WORD + r")[ -](" + _MONTH + r"|" + _NUMBER_WORD + r")[ -](" + _YEAR_WORDS[3:-1] + r")", re.IGNORECASE)
_B = r"(?<![\w\-/.])"
_E = r"(?![\w/]|[-.]\d)"
PATTERNS = {
    "numeric": _B + r"\d{1,2}([-/.])\d{1,2}\1(?:\d{4}|'?\d{2})" + _E,  # 12-3-'51 too
    "iso": _B + r"(?:19|20)\d{2}([-/.])\d{1,2}\1\d{1,2}" + _E,
    # 12 maart 1985, 12 mrt. 1985, 12-mrt-1985, and on passports 12 MAA/MAR 1985.
    # ... and in English with an ordinal: "14th of March 1992", "2nd Nov 1994"
    "written": _B + r"(?:\d{1,2}(?:(?<=1)st|(?<=2)nd|(?<=3)rd|th)?(?: of)?|(?:" + _DAY_WORD + r")(?= ))[ .\-/]+(?:" + _MONTH + r")\.?(?:/(?:" + _MONTH + r")\.?)?[ .\-/]+(?:\d{4}|'\d{2})" + _E,
    "compact": _B + r"(?:19|20)\d{6}" + _E,
    # "04121995": day, month, year run together, as a caller types a birth date
    "compact_dmy": _B + r"(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d{2}" + _E,
    # Chinese and Japanese documents: 1950年3月8日 (year, month, day)
    "cjk": r"(?<!\d)(?:19|20)\d{2}年\d{1,2}月\d{1,2}日",
    # said aloud and written down: "drie februari achtentachtig", "elf elf negenenzeventig"
    # ... or with hyphens, as a transcript joins the words: "negen-twee-zevenenvijftig"
    "spoken": r"(?<![\w-])(?:" + _DAY_WORD + r")[ -](?:" + _MONTH + r"|" + _NUMBER_WORD + r")[ -]" + _YEAR_WORDS + r"(?![\w-])",
}
# Notations a birth date has only after its label: the year alone ("geboren in '41",
# "Geboortedatum: 1993") and a date in spaced digits as a caller types it ("geb 14 3 2001").
BIRTH_ONLY_PATTERNS = {
    "year": _B + r"(?:'\d{2}|(?:19|20)\d{2})" + r"(?![\w/'’]|[-.,]\d)",
    "spaced": _B + r"\d{1,2} \d{1,2} (?:19|20)\d{2}" + _E,
    # OCR and forms space the separators or every digit: "15 - 03 - 1947", "2 3 - 0 6 - 1 9 4 9"
    "spaced_separators": _B + r"\d(?: ?\d)? ?([-/.]) ?\d(?: ?\d)? ?\1 ?(?:1 ?9|2 ?0) ?\d ?\d(?! ?\d)" + _E,
}
# A PDF's column wrapped the date after a separator ("geb. 31-\n03-1932"): only after the label.
BIRTH_ONLY_PATTERNS["wrapped"] = r"\d(?<![\w\-/.]\d)\d?([-/.])[ \t]*\n[ \t]*\d{1,2}\1(?:19|20)\d{2}" + _E  # (a digit first: C speed)
# Every digit spaced, the groups perhaps by two spaces ("1 4 0 6 2 0 1 4", "2 1  0 8  1 9 7 7"), day first.
BIRTH_ONLY_PATTERNS["digits_spaced"] = _B + r"\d(?: {1,2}\d){7}(?! {0,2}\d)" + _E
# OCR reads 0 as O and 1 as l or I: "O5-1O-1987", "l2-O7-l959" (at least one such letter; see ocr_digits).
BIRTH_ONLY_PATTERNS["ocr"] = _B + r"(?:\d[\dOlI]?|[OlI]\d)([-/.])[\dOlI]{1,2}\1[\dOlI]{4}" + _E  # a digit in the day
# ... and in a written date, as an ID card prints it: "O8 MAA/MAR 1987"
BIRTH_ONLY_PATTERNS["ocr_written"] = (_B + r"(?:\d[\dOlI]?|[OlI]\d)[ .\-/]+(?:" + _MONTH + r")\.?(?:/(?:" + _MONTH + r")\.?)?[ .\-/]+[\dOlI]{4}" + _E)
_OCR_TOKEN = re.compile(r"(?<![A-Za-z])[\dOlI]{1,4}(?![A-Za-z])")
_OCR_DIGITS = str.maketrans("OlI", "011")
_DIGITS_SPACED = re.compile(r"\d(?: {1,2}\d){7}")
_SPACED_SEPARATORS = re.compile(r"\d(?: ?\d)? ?([-/.]) ?\d(?: ?\d)? ?\1 ?(?:1 ?9|2 ?0) ?\d ?\d")
_YEAR = re.compile(r"'(\d{2})|((?:19|20)\d{2})")
_SPACED = re.compile(r"(\d{1,2}) (\d{1,2}) (\d{4})")
_FIND = regex.compile(
    "|".join(f"(?:{p})" for p in PATTERNS.values()).replace("\\1", "[-/.]"),
    regex.IGNORECASE,
)
_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4}|'\d{2})")
_WRITTEN = re.compile(r"(\d{1,2}|[a-zéë]+)(?:st|nd|rd|th)?(?: of)?[ .\-/]+([a-z]+)\.?(?:/[a-z]+\.?)?[ .\-/]+(\d{4}|'\d{2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CJK = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")

# Column notations that pandas can parse vectorised (strftime format -> shape).
COLUMN_FORMATS = {
    "%Y-%m-%d": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "%d-%m-%Y": re.compile(r"^\d{2}-\d{2}-\d{4}$"),
    "%d/%m/%Y": re.compile(r"^\d{2}/\d{2}/\d{4}$"),
    "%d.%m.%Y": re.compile(r"^\d{2}\.\d{2}\.\d{4}$"),
}


def _year(text: str) -> int:
    year = int(text.lstrip("'"))
    if len(text.lstrip("'")) == 2:
        year += 1900 if year > dt.date.today().year % 100 else 2000
    return year


_WRAP = re.compile(r"(?<=[-/.])[ \t]*\n[ \t]*")


def parse(value: str) -> Optional[dt.date]:
    """The date in one of the notations above, or None (a line break after a separator is the wrap of a
    PDF's column: ``31-\\n03-1932`` is 31-03-1932)."""
    value = nfkc(_WRAP.sub("", value) if "\n" in value else value).lower()
    try:
        if m := _ISO.fullmatch(value):
            return dt.date(int(m[1]), int(m[3]), int(m[4]))
        if m := _NUMERIC.fullmatch(value):
            day, month = int(m[1]), int(m[3])
            if month > 12 and day <= 12 and m[2] == "/":
                day, month = month, day  # "03/27/1990": the US order, month first, where day first cannot be
            return dt.date(_year(m[4]), month, day)
        if m := _WRITTEN.fullmatch(value):
            month = MONTHS.get(m[2])
            day = int(m[1]) if m[1].isdigit() else DAY_WORDS.get(m[1])
            return dt.date(_year(m[3]), month, day) if month and day else None
        if m := _COMPACT.fullmatch(value):
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                if value[4:6] not in ("19", "20"):
                    return None   # an 8-digit code (AGB 12100456), not a date written day first
                return dt.date(int(value[4:]), int(value[2:4]), int(value[:2]))  # "04121995": day first
        if m := _CJK.fullmatch(value):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _SPOKEN.fullmatch(value):
            month = MONTHS.get(m[2]) or NUMBER_WORDS.get(m[2])
            year = _spoken_year(m[3])
            return dt.date(year, month, DAY_WORDS[m[1]]) if year and month and month <= 12 else None
    except ValueError:
        return None
    return None


def _spoken_year(words: str) -> Optional[int]:
    """'negentienvijfenzestig' 1965, 'tweeduizend vijf' 2005, 'achtentachtig' 1988."""
    words = words.replace(" ", "")
    for head, century in (("negentienhonderd", 1900), ("negentien", 1900), ("tweeduizend", 2000)):
        if words.startswith(head) and (words != "negentien" or head != "negentien"):
            rest = words[len(head):]
            rest = rest[2:] if rest.startswith("en") and rest[2:] in NUMBER_WORDS else rest
            return century + NUMBER_WORDS[rest] if rest in NUMBER_WORDS else (century if not rest else None)
    n = NUMBER_WORDS.get(words)
    return _year(f"'{n:02d}") if n is not None else None


_EXCEL_DAY_0 = dt.date(1899, 12, 30)   # day 0 of a spreadsheet's 1900 date system (its 1900 leap-day bug folded in)
_EXCEL_SERIAL = re.compile(r"\s*(\d{5})(?:\.\d+)?\s*")


def from_excel_serial(value: str) -> Optional[dt.date]:
    """The date a spreadsheet's day number stands for: a date cell whose format was reset (*Standaard*,
    *General*) holds it, in the workbook and in a CSV saved from it (``29358`` is 17-05-1980; a time of day
    is its fraction). Five digits only, 18-05-1927 to 2173: four digits are more likely a year. Workbooks
    of the 1904 date system (old Mac Excel) would read 4 years early; they are not told apart here.

    >>> from_excel_serial("29358"), from_excel_serial("29358.75"), from_excel_serial("1980"), from_excel_serial("123456")
    (datetime.date(1980, 5, 17), datetime.date(1980, 5, 17), None, None)
    """
    m = _EXCEL_SERIAL.fullmatch(value)
    return _EXCEL_DAY_0 + dt.timedelta(days=int(m.group(1))) if m else None


def compact(value: str) -> str:
    """ISO 8601 (``1985-03-12``); the value itself when it is no date."""
    date = parse(value)
    return date.isoformat() if date else nfkc(value)


def validate(value: str) -> str:
    date = parse(value)
    if date is None:
        raise InvalidFormat()
    if date.year < 1800:
        raise InvalidComponent()
    return date.isoformat()


is_valid = validity(validate)


def format(value: str) -> str:
    """The common Dutch notation ``12-03-1985``."""
    return parse(value).strftime("%d-%m-%Y")


def is_plausible_birth_date(value: str, today: Optional[dt.date] = None) -> bool:
    date = parse(value)
    return date is not None and dt.date(1900, 1, 1) <= date <= (today or dt.date.today())


def year_only(value: str) -> Optional[int]:
    """The year of a year written alone (``'41`` 1941, ``1993``), or None.

    >>> year_only("'41"), year_only("1993"), year_only("12-03-1993")
    (1941, 1993, None)
    """
    m = _YEAR.fullmatch(nfkc(value))
    return None if m is None else _year("'" + m[1]) if m[1] else int(m[2])


def ocr_digits(value: str) -> str:
    """A date as OCR misreads it, its letters O, l and I read as the digits they stand for.

    >>> ocr_digits("l2-O7-l959"), ocr_digits("O5-1O-1987"), ocr_digits("Oslo"), ocr_digits("O8 MAA/MAR 1987")
    ('12-07-1959', '05-10-1987', 'Oslo', '08 MAA/MAR 1987')
    """
    if not any(c.isdigit() for c in value):
        return value
    if not all(c.isdigit() or c in "OlI-/." for c in value):
        # a written date: only its groups of digits ("O8 MAA/MAR 1987" is 08 MAA/MAR 1987)
        return _OCR_TOKEN.sub(lambda m: m.group().translate(_OCR_DIGITS) if any(c.isdigit() for c in m.group()) else m.group(), value)
    return value.translate(_OCR_DIGITS)


def is_plausible_birth_year(value: str, today: Optional[dt.date] = None) -> bool:
    """A year alone (``'41``, ``1993``) or spaced digits (``14 3 2001``) that can be a birth date.

    >>> is_plausible_birth_year("'41"), is_plausible_birth_year("1993"), is_plausible_birth_year("14 3 2001")
    (True, True, True)
    >>> is_plausible_birth_year("2090"), is_plausible_birth_year("31 2 2001")
    (False, False)
    """
    today = today or dt.date.today()
    value = nfkc(value)
    if _DIGITS_SPACED.fullmatch(value):
        return is_plausible_birth_date(value.replace(" ", ""), today)  # "1 4 0 6 2 0 1 4"
    if (ocr := ocr_digits(value)) != value:
        return is_plausible_birth_date(ocr, today)  # "O5-1O-1987"
    if (year := year_only(value)) is not None:
        return 1900 <= year <= today.year
    if " " in value and _SPACED_SEPARATORS.fullmatch(value):
        return is_plausible_birth_date(value.replace(" ", ""), today)  # "15 - 03 - 1947"
    if m := _SPACED.fullmatch(value):
        try:
            date = dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return False
        return dt.date(1900, 1, 1) <= date <= today
    return False


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of valid dates in ``text``."""
    for m in _FIND.finditer(fold(text)):
        if parse(m.group()) is not None:
            yield m.span()


def column_format(values: Iterable[str], share: float = 1.0) -> Optional[str]:
    """The strftime format of a column's notation (vectorised parsing), or None when none fits ``share``."""
    values = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    if not values:
        return None
    for fmt, shape in COLUMN_FORMATS.items():
        fits = [v for v in values if shape.match(v)]
        if len(fits) >= share * len(values) and sum(parse(v) is not None for v in fits) >= share * len(values):
            return fmt
    return None
