"""Pasted tables: a header cell labels the cells below it.

Notes and e-mails hold tables pasted from Excel, CSV extracts and aligned
plain-text overviews.  Their values stand far from their label, so the
label-only identifiers (AGB, UZOVI, member number, BSN without its label,
birth dates) are missed by the sentence context.  This pass reads every
table in a text:

* *delimited*: two or more consecutive lines that contain the same delimiter
  (tab, ``|``, ``;`` or ``,``); cells are matched to header cells by position,
  and a Markdown rule row (``---|---``) is skipped.  A comma is also a decimal
  sign and a word in prose, so with commas only rows with as many cells as the
  header count;
* *aligned*: two or more consecutive lines whose cells are separated by two or
  more spaces; a cell belongs to the header cell whose column it overlaps most.

* *fixed-width*: the records under a layout line that names each field and its width
  (``LAYOUT rec(5) naam(20) gebdat(8) bsn(9) plaats``), each cut at those widths.

The first line of a table is its header, or a line that introduces the column names
(``kolommen: agb|uzovi|bsn``) wherever it stands, below the rows too.  A header cell that holds the label
of exactly one identifier (the identifier modules' ``LABELS``: ``BSN``,
``zorgverlener_agb``, ``verzekerdennr``, ``Geb.datum``) labels its column, and
a cell of that column is reported when the *whole* cell is valid for that
identifier (elfproef, length, a plausible birth date): the module decides, the
header only says which module.  A name column (``Naam``, ``Achternaam``,
``Voorletters``) labels its cells as PERSON when a cell is name-shaped
(initials, capitalised words, tussenvoegsels) and no ordinary word alone.
Quoted CSV cells may hold the delimiter (``"1.250,00"``), and ``_`` in a
header reads as a space (``geb_datum``).

>>> r = TableColumnRecognizer()
>>> text = "Naam\\tGeb.datum\\tBSN\\nChen, L.\\t1967-03-28\\t188368322\\nVisser, H.\\t1944-09-09\\t123456789"
>>> [(x.entity_type, text[x.start:x.end]) for x in r.analyze(text, r.supported_entities)]
[('PERSON', 'Chen, L.'), ('DATE_OF_BIRTH', '1967-03-28'), ('NL_BSN', '188368322'), ('PERSON', 'Visser, H.'), ('DATE_OF_BIRTH', '1944-09-09')]

Every line is read once per delimiter and each cell is validated once:
linear in the length of the text.
"""

from __future__ import annotations

import bisect
import re
from typing import Callable, Iterator, List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult

from .base import make_result
from .identifiers import agb, big, bsn, btw, dates, fold, id_document, kvk, member_number, uzovi

SCORE = 0.9
DELIMITERS = ("\t", "|", ";", ",")
MAX_HEADER_CELL = 40  # a longer cell is prose, not a column name

# Identifiers that need a label in text; the others (IBAN, phone, e-mail, postcode) are found anyway.
_MODULES = (bsn, agb, uzovi, member_number, big, kvk, btw, id_document)
VALIDATORS: dict[str, Callable[[str], bool]] = {m.ENTITY: m.is_valid for m in _MODULES}
VALIDATORS[dates.ENTITY] = dates.is_plausible_birth_date
VALIDATORS["PERSON"] = lambda value: looks_like_name(value, _common_word)


def _common_word(word: str) -> bool:
    """An ordinary word ("Totaal"), as the person recognizer counts it, that is no listed name ("Jan")."""
    from .lexicon import load_lexicon
    from .tokens import ORDINARY_WORD, word_frequency

    lexicon = load_lexicon()
    return word_frequency(word.lower()) >= ORDINARY_WORD and not (lexicon.is_first_name(word) or lexicon.is_surname(word))


_LABELS = {m.ENTITY: m.LABELS for m in _MODULES}
_LABELS[dates.ENTITY] = dates.LABELS_BIRTH
_HEADER = {entity: re.compile(r"(?<![a-z0-9])(?:" + "|".join(words) + ")", re.IGNORECASE) for entity, words in _LABELS.items()}

# A whole header cell that is a column name of discovery's (the modules' ``HEADERS``: an export's
# key names such as ``klant_id``, ``member_no``) names its column too.
_WHOLE_HEADERS = {h: m.ENTITY for m in _MODULES for h in m.HEADERS}

_BIRTH_PLACE = re.compile(r"(?i)geboorte(?:plaats|land)|geburtsort|place\s+of\s+birth|birth\s?place|country\s+of\s+birth")
_RULE_ROW = re.compile(r"[\s|:+=\-]*")
# A line that introduces the column names ("kolommen: agb|uzovi|bsn", "Columns: ...", "velden: ..."):
# a header wherever it stands in its table, below the rows too.
# A fixed-width file's record layout: its fields' names and widths ("LAYOUT rec(5) naam(20) gebdat(8) bsn(9) plaats").
_LAYOUT = re.compile(r"(?im)^[ \t]*(?:record[ \t]?)?(?:layout|lay-out|indeling|recordindeling)[ \t]*:?"
                     r"(?P<fields>(?:[ \t]+[A-Za-z_][\w.-]{0,30}\(\d{1,3}\)){3,60}(?:[ \t]+[A-Za-z_][\w.-]{0,30})?)[ \t]*$")
_LAYOUT_FIELD = re.compile(r"([A-Za-z_][\w.-]{0,30})(?:\((\d{1,3})\))?")
_COLUMN_LIST = re.compile(r"(?i)\s*(?:kolommen|kolomnamen|velden|columns|fields|layout|indeling)\s*:")
# A record's own number before its first cell ("regel 0001: ", "rec 12: "): not part of the cell.
_ROW_LEAD = re.compile(r"(?i)\s*(?:regel|rij|record|rec|row|line)\s*\d{1,6}\s*:\s*")
# A cell of a quoted CSV row: quoted text may hold the delimiter ("1.250,00").
_QUOTED_CELL = {d: re.compile(r'(?:"[^"]*"|[^"' + re.escape(d) + r'])*') for d in DELIMITERS}
# Column names of a person's name (the whole header cell, "_" read as a space).
NAME_HEADERS = frozenset({
    "naam", "achternaam", "voornaam", "voornamen", "voorletters", "roepnaam", "geboortenaam", "familienaam",
    "naam verzekerde", "naam patiënt", "naam patient", "naam cliënt", "naam client", "patiëntnaam", "patientnaam",
    "cliëntnaam", "clientnaam", "verzekerde", "name", "surname", "first name", "last name", "given names",
    "geslachtsnaam", "partnernaam", "naam partner",
    "tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels", "tsv", "tussenv", "tussenv.", "voorv", "voorv.",  # its cells are part of the name ("van der")
})
PERSON = "PERSON"
# A name cell: initials, capitalised words and lowercase tussenvoegsels, optionally "Surname, Initials".
_NAME_CELL = re.compile(
    r"(?:(?:[A-Z]\.){1,6}|[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*|van|de|der|den|het|ter|ten|te|in|op|la|le|el|al|da|di|du|'t|’t)"
    r"(?:,? (?:(?:[A-Z]\.){1,6}|[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*|van|de|der|den|het|ter|ten|te|in|op|la|le|el|al|da|di|du|'t|’t)){0,5}"
    r"|(?:[A-Z]\.)+"
)
_INTERFIX_CELL = re.compile(r"(?i)(?:van|de|der|den|het|ter|ten|te|in|op|'t|’t)(?: (?:van|de|der|den|het|ter|ten|'t|’t)){0,2}")
_ALIGNED_GAP = re.compile(r"\S {2,}(?=\S)")
_ALIGNED_CELL = re.compile(r"\S+(?: \S+)*")
_QUOTES = "\"'"


def header_entity(cell: str) -> Optional[str]:
    """The identifier a header cell names, or None (none, or more than one).

    >>> header_entity("zorgverlener_agb"), header_entity("verzekerdennr"), header_entity("geb_datum")
    ('NL_AGB', 'NL_MEMBER_NUMBER', 'DATE_OF_BIRTH')
    >>> header_entity("bedrag") is None, header_entity("BSN/AGB") is None, header_entity("Achternaam")
    (True, True, 'PERSON')
    """
    cell = cell.strip().strip(_QUOTES).replace("_", " ")
    if not cell or len(cell) > MAX_HEADER_CELL or re.search(r"\d{3}", cell):
        return None
    if cell.lower() in NAME_HEADERS:
        return PERSON
    if _BIRTH_PLACE.search(cell):
        return None  # "Geboorteplaats/Place of birth": a place, not the birth date
    if cell.lower().rstrip(".:") in member_number.COLUMN_WORDS:
        return member_number.ENTITY  # "Relatie", "Polis": a bare word heads a column of member numbers
    if cell.lower().rstrip(".:") in _WHOLE_HEADERS:
        return _WHOLE_HEADERS[cell.lower().rstrip(".:")]  # "klant_id": an export's column name
    found = [entity for entity, pattern in _HEADER.items() if pattern.search(cell)]
    return found[0] if len(found) == 1 else None


def _lines(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def _cells(line: str, offset: int, delimiter: str) -> list[tuple[int, int]]:
    if '"' in line:
        quoted = _quoted_cells(line, offset, delimiter)
        if quoted is not None:
            return quoted
    spans, start = [], 0
    for part in line.split(delimiter):
        spans.append((offset + start, offset + start + len(part)))
        start += len(part) + 1
    return spans


def _quoted_cells(line: str, offset: int, delimiter: str) -> Optional[list[tuple[int, int]]]:
    """Cells of a row whose quoted cells may hold the delimiter; None when a quote is left open."""
    spans, pos, cell = [], 0, _QUOTED_CELL[delimiter]
    while True:
        end = cell.match(line, pos).end()
        if end < len(line) and line[end] != delimiter:
            return None  # an unbalanced quote: read the row plainly
        spans.append((offset + pos, offset + end))
        if end >= len(line):
            return spans
        pos = end + 1


def looks_like_name(value: str, lexicon_common: Callable[[str], bool]) -> bool:
    """A cell of a name column that is a name: name-shaped, no ordinary word alone ("Totaal").

    >>> common = lambda w: w.lower() in {"totaal"}
    >>> looks_like_name("van de Kamp", common), looks_like_name("W.F.", common), looks_like_name("Totaal", common)
    (True, True, False)
    """
    if _INTERFIX_CELL.fullmatch(value):
        return True  # a tussenvoegsel column's cell: "van der", "'t"
    if header_entity(value) is not None:
        return False  # "BSN", "Geb.datum": a label of the next field, under a name column of an aligned form
    if len(value) > MAX_HEADER_CELL or not _NAME_CELL.fullmatch(value) or not any(c.isupper() for c in value):
        return False
    words = [w for w in re.split(r"[ ,]+", value) if w[:1].isupper() and "." not in w]
    return not (len(words) == 1 and lexicon_common(words[0]))


_CELL_TITLE = re.compile(r"(?i)(?:familie|fam\.?|mevrouw|mevr\.?|mw\.?|dhr\.?|de heer|heer)\s+(?=\S)")


def _person_cell(text: str, start: int, end: int) -> tuple[int, int]:
    """A name cell without its title ('Familie Mertens' -> 'Mertens'); nothing when the cell names
    an organisation ('Tandtechniek Oost B.V.', 'J.K. Veldhuizen Psychotherapie')."""
    from .person import organisation_name

    m = _CELL_TITLE.match(text, start, end)
    if m:
        start = m.end()
    return (start, start) if organisation_name(text[start:end]) else (start, end)


def _is_member_number(value: str) -> bool:
    """Six to fifteen digits that are no birth date: a person's column holding a number holds their member number."""
    return value.isdigit() and 6 <= len(value) <= 15 and not dates.is_plausible_birth_date(value)


def _aligned_cells(line: str, offset: int) -> list[tuple[int, int]]:
    return [(offset + m.start(), offset + m.end()) for m in _ALIGNED_CELL.finditer(line)]


def _runs(lines: list[tuple[int, str]], member: Callable[[str], bool]) -> Iterator[list[tuple[int, str]]]:
    """Maximal runs of two or more consecutive lines for which ``member`` holds."""
    run: list[tuple[int, str]] = []
    for offset, line in lines + [(0, "")]:
        if line.strip() and member(line):
            run.append((offset, line))
            continue
        if len(run) >= 2:
            yield run
        run = []


def _value(text: str, start: int, end: int) -> tuple[int, int]:
    """The cell without surrounding white space and quotes."""
    while start < end and (text[start].isspace() or text[start] in _QUOTES):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _QUOTES):
        end -= 1
    return start, end


class TableColumnRecognizer(EntityRecognizer):
    """Identifiers in the columns of pasted tables, labelled by their header cell."""

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=list(VALIDATORS), supported_language=supported_language, name=type(self).__name__)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        text = fold(text)
        if "\n" not in text:
            return []  # a table has a header line and at least one row
        wanted = set(entities) & set(VALIDATORS)
        lines = list(_lines(text))
        results: List[RecognizerResult] = []
        for delimiter in DELIMITERS:
            if delimiter not in text:
                continue
            for run in _runs(lines, lambda line, d=delimiter: d in line):
                results.extend(self._delimited(text, run, delimiter, wanted))
        for run in _runs(lines, lambda line: "\t" not in line and _ALIGNED_GAP.search(line) is not None):
            results.extend(self._aligned(text, run, wanted))
        if "(" in text and ("ayout" in text or "AYOUT" in text or "ndeling" in text or "NDELING" in text) and _LAYOUT.search(text):
            results.extend(self._fixed_width(text, lines, wanted))
        return sorted(results, key=lambda r: (r.start, r.end, r.entity_type))

    def _columns(self, text: str, header: list[tuple[int, int]], wanted: set[str]) -> list[Optional[str]]:
        columns = [header_entity(text[s:e]) for s, e in header]
        if header and columns[0] is None:
            # a title that introduces the column names ("Bestand (export, kolommen: agb;naam;big)"):
            # the first column's name follows its last colon, the last one ends before the bracket
            first = text[header[0][0]:header[0][1]].rpartition(":")[2]
            columns[0] = header_entity(first) if first.strip() else None
            if columns[0] is not None and len(header) > 1 and columns[-1] is None:
                columns[-1] = header_entity(text[header[-1][0]:header[-1][1]].rstrip().rstrip(")"))
        return [c if c in wanted else None for c in columns]

    def _delimited(self, text: str, run, delimiter: str, wanted: set[str]) -> Iterator[RecognizerResult]:
        (offset, line), rows = run[0], run[1:]
        columns = self._columns(text, _cells(line, offset, delimiter), wanted)
        if not any(columns) and _COLUMN_LIST.match(run[-1][1]):
            # the column names given after the rows ("kolommen: agb|uzovi|bsn|..." below the records)
            (offset, line), rows = run[-1], run[:-1]
            columns = self._columns(text, _cells(line, offset, delimiter), wanted)
        if not any(columns):
            return
        for offset, line in rows:
            if _RULE_ROW.fullmatch(line):
                continue
            cells = _cells(line, offset, delimiter)
            lead = _ROW_LEAD.match(line)
            if lead and cells:
                cells[0] = (offset + lead.end(), cells[0][1])  # "regel 0001: 03-021458|8790|...": the row's number first
            if delimiter == "," and len(cells) != len(columns):
                continue  # "12,50" or a comma in prose: the columns do not line up
            for entity, cell in zip(columns, cells):
                if entity:
                    yield from self._check(text, entity, *cell)

    def _fixed_width(self, text: str, lines: list[tuple[int, str]], wanted: set[str]) -> Iterator[RecognizerResult]:
        """The records under a layout line, each cut at the layout's widths (the last field without one
        takes the rest of the line): a field named for an identifier labels its slice, as a column does."""
        starts = {offset: n for n, (offset, _) in enumerate(lines)}
        for layout in _LAYOUT.finditer(text):
            fields, at = [], 0
            for m in _LAYOUT_FIELD.finditer(layout.group("fields")):
                width = int(m.group(2)) if m.group(2) else None
                entity = header_entity(m.group(1))
                fields.append((at, None if width is None else at + width, entity if entity in wanted else None))
                at += width or 0
            if not any(entity for _, _, entity in fields):
                continue
            n = starts.get(text.rfind("\n", 0, layout.start("fields")) + 1)
            for offset, line in lines[n + 1:] if n is not None else ():
                if not line.strip() or _LAYOUT.match(line):
                    break  # the records end at a blank line or the next layout
                for start, end, entity in fields:
                    if entity and start < len(line):
                        yield from self._check(text, entity, offset + start, offset + min(end or len(line), len(line)))

    def _aligned(self, text: str, run, wanted: set[str]) -> Iterator[RecognizerResult]:
        """Forms copied from a PDF put a row of labels above each row of values: every row of
        labels (no digit, a cell naming an identifier, no label beside its own value) starts
        a new header; the other rows are values under the last header."""
        columns: list[Optional[str]] = []
        starts: list[int] = []
        for offset, line in run:
            cells = _aligned_cells(line, offset)
            if self._header_row(text, line, cells):
                columns = [c if c in wanted else None for c in (header_entity(text[s:e]) for s, e in cells)]
                starts = [s - offset for s, _ in cells]
                continue
            if not any(columns):
                continue
            for k, (start, end) in enumerate(cells):
                # As many cells as column names: the k-th cell is the k-th column's, however the columns
                # drift; else the column whose header starts at or before the cell's middle.
                n = k if len(cells) == len(columns) else bisect.bisect_right(starts, (start + end) / 2 - offset) - 1
                if n >= 0 and columns[n]:
                    yield from self._check(text, columns[n], start, end)

    @staticmethod
    def _header_row(text: str, line: str, cells: list[tuple[int, int]]) -> bool:
        """A row of column labels: no digit, a cell that names an identifier, and no
        'label  value' pair ('Verzekerde   A.C.M. van 't Hof' is a field, not a header).

        >>> r = TableColumnRecognizer()
        >>> t = "Geboortedatum   Geslacht   BSN"
        >>> r._header_row(t, t, _aligned_cells(t, 0))
        True
        >>> t = "Verzekerde      A.C.M. de Wit"
        >>> r._header_row(t, t, _aligned_cells(t, 0))
        False
        >>> t = "Naam            : A.C.M. de Wit"
        >>> r._header_row(t, t, _aligned_cells(t, 0))
        False
        """
        if any(c.isdigit() for c in line):
            return False
        if any(text.startswith(":", s) for s, _ in cells[1:]):
            return False  # "Naam                : B. de Wit": a form's field, its colon aligned with the others
        named = [header_entity(text[s:e]) for s, e in cells]
        if not any(named):
            return False
        if any(a and b for a, b in zip(named, named[1:])):
            return True  # two column names side by side ("BIG-nummer   AGB"): a form puts a value after each label
        for k in range(len(cells) - 1):
            entity, (s, e) = named[k], cells[k + 1]
            value = text[s:e].strip(_QUOTES)
            if entity == PERSON:
                value = value.split(", ")[0]  # "Naam   R. Dijkhuizen, orthodontist": a name and its role
            if entity and named[k + 1] is None and VALIDATORS[entity](value):
                return False
        return True

    def _check(self, text: str, entity: str, start: int, end: int) -> Iterator[RecognizerResult]:
        start, end = _value(text, start, end)
        if entity == PERSON and _is_member_number(text[start:end]):
            entity = member_number.ENTITY  # a number in the insured person's column ("Verzekerde  88210347") is theirs
        elif entity == PERSON:
            start, end = _person_cell(text, start, end)
        if end > start and VALIDATORS[entity](text[start:end]):
            yield make_result(self, entity, start, end, SCORE)
