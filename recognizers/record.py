"""Record lines: the fields of an old customer system's export, without field names.

Legacy systems print a person as one line of fields: surname and initials in
capitals, a birth date, the BSN, the postcode and the house number
(``JANSEN P 19850312 123456782 1234AB 12``).  No field has a label, so the
sentence rules find nothing; the structure itself is the evidence: a short
line of bare fields (no prose: no ordinary Dutch word) holding a Dutch
postcode, exactly one plausible birth date and exactly one number that passes
the elfproef is such a record.  Its date is the birth date, the number the
BSN, and the words before the first number the person's name.

>>> r = RecordLineRecognizer()
>>> text = "Uit het oude systeem:\\nJANSEN P 19850312 123456782 1234AB 12"
>>> [(x.entity_type, text[x.start:x.end]) for x in r.analyze(text, r.supported_entities)]
[('PERSON', 'JANSEN P'), ('DATE_OF_BIRTH', '19850312'), ('NL_BSN', '123456782')]

A line with prose, two candidate dates or a number failing the elfproef is no record:

>>> r.analyze("Factuur 20250101 123456782 1234AB betaald", r.supported_entities)
[]

A line of cells between ``|`` or ``;`` (a log's or an export's record, no header) is read the
same way, and its other fields by their place beside the BSN, in the order insurers' records
(Vektis' verzekerdenrecord) keep them: the number of 6-15 digits next to the BSN is the member
number, a four-digit cell next to those two the UZOVI code, an 8-digit cell with a known
zorgverlenersoort prefix the AGB code; of several dates, the birth date is the one a gender code
(``M``, ``V``, ``O``, ``1``, ``2``) follows:

>>> text = "|01012345|3311|40021877|123456782|1967-03-31|V|9403AV|31|13002|20261104|000002640|"
>>> [(x.entity_type, text[x.start:x.end]) for x in r.analyze(text, r.supported_entities)]
[('DATE_OF_BIRTH', '1967-03-31'), ('NL_BSN', '123456782'), ('NL_MEMBER_NUMBER', '40021877'), ('NL_UZOVI', '3311'), ('NL_AGB', '01012345')]

Each line is split once and each field validated once: linear in the text.
"""

from __future__ import annotations

import re
from typing import List

import regex

from presidio_analyzer import EntityRecognizer, RecognizerResult

from .base import make_result
from .identifiers import agb, bsn, dates, fold, member_number, uzovi

SCORE = 0.85
MAX_LINE = 160  # a record is short; a longer line is prose or a table
# (the first character matched before the look-behind: both engines then skip to a candidate at C speed)
_POSTCODE = regex.compile(r"[1-9](?<![\w][1-9])\d{3} ?[A-Z]{2}(?![\w])")
_NINE = re.compile(r"\d(?<![\d.,-]\d)\d{7,8}(?![\d.,-])")
_FIELD = re.compile(r"\S+")
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*")


_DELIMITERS = ("|", ";")
_GENDER = frozenset({"M", "V", "O", "U", "X", "1", "2"})
_MEMBER_DIGITS = re.compile(r"\d{6,15}")
# An insurer's reference to its member: the UZOVI code, a slash, the member number.
_PAIR = re.compile(r"(\d{4})/(\d{6,15})")
_INITIALS = re.compile(r"[A-Z]{1,4}")


def _common_word(word: str) -> bool:
    from .table import _common_word as common

    return common(word)


class RecordLineRecognizer(EntityRecognizer):
    """BSN, birth date and name in the bare fields of a legacy record line."""

    ENTITIES = ["NL_BSN", "DATE_OF_BIRTH", "PERSON", "NL_MEMBER_NUMBER", "NL_UZOVI", "NL_AGB"]

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=list(self.ENTITIES), supported_language=supported_language, name=type(self).__name__)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        text = fold(text)
        if _NINE.search(text) is None or _POSTCODE.search(text) is None:
            return []  # most texts: two C-level searches
        wanted = set(entities) & set(self.ENTITIES)
        results: List[RecognizerResult] = []
        offset = 0
        for line in text.split("\n"):
            if len(line) <= MAX_LINE and _POSTCODE.search(line):
                results.extend(r for r in self._record(line, offset) if r.entity_type in wanted)
            offset += len(line) + 1
        return results

    def _record(self, line: str, offset: int) -> List[RecognizerResult]:
        delimiter = next((d for d in _DELIMITERS if line.count(d) >= 4), None)
        if delimiter is not None:
            return self._cells(line, offset, delimiter)
        fields = [(m.start() + offset, m.group()) for m in _FIELD.finditer(line)]
        words = [value for _, value in fields if value[:1].isalpha() and len(value) >= 3]
        if any(value.islower() for value in words):
            return []  # prose: not a bare record
        # a label ("Factuur", "betaald"), unless the line opens with an insurer's reference and is all capitals
        # ("3311/556012847 OP DEN KAMP CAM 19661005 V ...": a surname may be a word)
        capitals = bool(fields) and _PAIR.fullmatch(fields[0][1]) is not None and all(value.isupper() for value in words)
        if not capitals and any(_common_word(value.strip(".,")) for value in words):
            return []
        numbers = [(s, v) for s, v in fields if v.isdigit() and len(v) in (8, 9) and bsn.is_valid(v)]
        births = [(s, v) for s, v in fields if dates.is_plausible_birth_date(v)]
        numbers = [n for n in numbers if n not in births]
        pairs = [(s, m) for s, v in fields for m in [_PAIR.fullmatch(v)] if m and uzovi.is_known(m.group(1))]
        if len(births) != 1 or len(numbers) + len(pairs) != 1:
            return []
        found = [make_result(self, "DATE_OF_BIRTH", births[0][0], births[0][0] + len(births[0][1]), SCORE)]
        if numbers:
            found.append(make_result(self, "NL_BSN", numbers[0][0], numbers[0][0] + len(numbers[0][1]), SCORE))
        else:
            # an insurer's reference instead of the BSN ("3311/556012847"): the record is the insured's
            # when a gender code follows the birth date, as in the insurers' records
            at = next(n for n, f in enumerate(fields) if f[0] == births[0][0])
            if at + 1 >= len(fields) or fields[at + 1][1] not in _GENDER:
                return []
            start, m = pairs[0]
            found += [make_result(self, "NL_UZOVI", start, start + m.end(1), SCORE),
                      make_result(self, "NL_MEMBER_NUMBER", start + m.start(2), start + m.end(2), SCORE)]
            fields = fields[1:] if fields[0][0] == start else fields  # the name follows the reference
        name = []
        for start, value in fields:
            if not _NAME_WORD.fullmatch(value) or not value[:1].isupper():
                break
            name.append((start, value))
        if not name or len(name[0][1]) < 2:
            return found
        if pairs and len(name) > 1 and _INITIALS.fullmatch(name[-1][1]):
            # an insurer's record keeps the surname and the initials in two fields: two names
            found.insert(0, make_result(self, "PERSON", name[-1][0], name[-1][0] + len(name[-1][1]), SCORE))
            name = name[:-1]
        found.insert(0, make_result(self, "PERSON", name[0][0], name[-1][0] + len(name[-1][1]), SCORE))
        return found

    def _cells(self, line: str, offset: int, delimiter: str) -> List[RecognizerResult]:
        """A delimited record: its cells, stripped, read by shape and by their place beside the BSN."""
        cells, start = [], 0
        for part in line.split(delimiter):
            lead = len(part) - len(part.lstrip())
            cells.append((offset + start + lead, part.strip()))
            start += len(part) + 1
        values = [v for _, v in cells]
        words = [v for v in values if v[:1].isalpha() and len(v) >= 3]
        if any(v.islower() for v in words) or any(_common_word(v.strip(".,")) for v in words):
            return []  # prose or a label in a cell: not a bare record
        if not any(_POSTCODE.fullmatch(v) for v in values):
            return []
        numbers = [n for n, v in enumerate(values) if len(v) == 9 and v.isdigit() and bsn.is_valid(v)
                   and not dates.is_plausible_birth_date(v)]
        births = [n for n, v in enumerate(values) if dates.is_plausible_birth_date(v)]
        if len(births) > 1:  # a birth date and a treatment date: the gender code follows the birth date
            births = [n for n in births if n + 1 < len(values) and values[n + 1] in _GENDER]
        if len(numbers) != 1 or len(births) != 1:
            return []
        found = {births[0]: "DATE_OF_BIRTH", numbers[0]: "NL_BSN"}

        def free(n: int) -> bool:
            return 0 <= n < len(values) and n not in found and values[n] != ""

        the_bsn = numbers[0]
        for n in (the_bsn - 1, the_bsn + 1):  # the member number beside the BSN
            if free(n) and _MEMBER_DIGITS.fullmatch(values[n]) and member_number.is_valid(values[n]) \
                    and not dates.is_plausible_birth_date(values[n]):
                found[n] = "NL_MEMBER_NUMBER"
                break
        beside = [k for k, e in found.items() if e in ("NL_BSN", "NL_MEMBER_NUMBER")]
        for n in sorted({k + d for k in beside for d in (-1, 1)}):  # the UZOVI code beside those two
            if free(n) and len(values[n]) == 4 and uzovi.is_valid(values[n]):
                found[n] = "NL_UZOVI"
                break
        for n, v in enumerate(values):
            if free(n) and len(v) == 8 and v.isdigit() and agb.is_valid(v) and agb.is_known_kind(v) \
                    and not dates.is_plausible_birth_date(v):
                found[n] = "NL_AGB"
        return [make_result(self, entity, cells[n][0], cells[n][0] + len(values[n]), SCORE) for n, entity in found.items()]
