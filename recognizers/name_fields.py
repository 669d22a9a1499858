"""Names, streets and places in machine formats: XML elements, JSON keys and HL7v2 name fields.

Exports and messages (iWlz/iJw XML, FHIR JSON, HL7v2, SEPA, chat logs as JSON lines) hold a
person's name in fields, not in sentences: no title or verb stands beside it, so the free-text
name passes see nothing (``<Naam>Haar</Naam>``, ``PID|...|Dijkhuizen&van&Dijkhuizen^Aaltje^C``).
The field says what the value is:

* an XML element or a JSON key whose name is a name part (``Geslachtsnaam``, ``Voorvoegsel``,
  ``Voorletters``, ``family``, ``given``) labels its value as PERSON when the value is name-shaped;
  a bare ``naam``/``name``/``Nm`` (ISO 20022) names people and things alike, so its value must
  hold a listed first name or surname and no organisation's word, unless the element sits inside a
  name part (``<Geslachtsnaam><Naam>``);
* a street field (``Straatnaam``, ``street``) is ADDRESS, a place field (``Woonplaats``, ``city``)
  LOCATION, when the value is made of capitalised words;
* the Dutch FHIR profile's name-part extensions (``humanname-own-prefix``, ...) label their
  ``valueString``;
* HL7v2: the components of the XPN (person name) and XCN (staff member) fields of PID, NK1, IN1,
  GT1, PV1, ORC and OBR, each surname part, given name and initial its own span;
* file names (``scan_de_graaf_wilma_19670318.pdf``): a run of ``_``-separated parts that are listed
  names (a tussenvoegsel and an initial among them) is one PERSON, underscores included.

>>> r = MachineFieldRecognizer()
>>> text = "<Geslachtsnaam><Naam>Haar</Naam><Voorvoegsel>ter</Voorvoegsel></Geslachtsnaam>"
>>> [(x.entity_type, text[x.start:x.end]) for x in r.analyze(text, r.supported_entities)]
[('PERSON', 'Haar'), ('PERSON', 'ter')]
>>> text = "PID|1||PAT-1^^^APO||Nakamura-Bos^Yuki||19911203|F"
>>> [text[x.start:x.end] for x in r.analyze(text, r.supported_entities)]
['Nakamura-Bos', 'Yuki']

>>> text = "scan_de_graaf_wilma_19670318_machtiging.pdf, HUISMAN_A_201338874.tif, nota_scan_definitief.pdf"
>>> [text[x.start:x.end] for x in r.analyze(text, r.supported_entities)]
['de_graaf_wilma', 'HUISMAN', 'A']

A product's or an organisation's name under a bare ``name`` key is no person:

>>> r.analyze('{"name": "Metformine 500mg"}, {"name": "Zorggroep Noord B.V."}', r.supported_entities)
[]

Each tag, key and HL7 line is matched once and its value checked once: linear in the text.
"""

from __future__ import annotations

import re
from typing import Iterator, List, Tuple

from presidio_analyzer import EntityRecognizer, RecognizerResult

from .base import make_result
from .field_walk import json_fields, parent, xml_fields
from .hl7 import person_name_parts

SCORE = 0.9
MAX_VALUE = 80

# Element and key names, lowercased with "_" and "-" removed (camelCase read as one word).
NAME_PART_KEYS = frozenset({
    "geslachtsnaam", "achternaam", "voornaam", "voornamen", "voorletters", "voorvoegsel", "tussenvoegsel",
    "voorvoegsels", "tussenvoegsels", "roepnaam", "geboortenaam", "familienaam", "partnernaam", "naampartner",
    "family", "familyname", "given", "givenname", "givennames", "firstname", "lastname", "surname",
    "middlename", "initials", "fullname", "patientname", "clientname",
})
BARE_NAME_KEYS = frozenset({"naam", "name", "nm"})
STREET_KEYS = frozenset({"straatnaam", "straat", "street", "streetname"})
PLACE_KEYS = frozenset({"plaatsnaam", "woonplaats", "plaats", "city", "town", "twnnm"})

_FHIR_NAME_PART = re.compile(
    r'humanname-(?:own|partner)-(?:prefix|name)"\s*,\s*"valueString"\s*:\s*"([^"\\\n]{1,%d})"' % MAX_VALUE)

# A name part: letters with hyphens, apostrophes, dots and spaces between ("Nakamura-Bos", "P J", "op 't").
_WORD = r"['’]?[^\W\d_]+(?:['’][^\W\d_]+)*"
_PART = re.compile(_WORD + r"(?:(?:\. ?|[ -])" + _WORD + r")*\.?")
_CAPITALISED_WORDS = re.compile(r"[A-Z][^\W\d_]*(?:[ '’-](?:[A-Za-z][^\W\d_]*))*")

_FILE_EXTENSION = re.compile(r"\.(?:pdf|jpe?g|png|gif|tiff?|heic|docx?|odt|rtf|xlsx?|csv|txt|msg|eml|zip)(?![\w])", re.IGNORECASE)
_FILE_STEM = re.compile(r"[\w.()-]{1,120}$")
_FILE_PART = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
FILE_INTERFIXES = frozenset({"van", "de", "der", "den", "ter", "ten", "het", "vd", "vander", "vanden"})


def _key(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


class MachineFieldRecognizer(EntityRecognizer):
    """PERSON, ADDRESS and LOCATION labelled by the field of a machine format that holds them."""

    ENTITIES = ["PERSON", "ADDRESS", "LOCATION"]

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=list(self.ENTITIES), supported_language=supported_language, name=type(self).__name__)
        self._lexicon = None

    def load(self) -> None:
        pass

    @property
    def lexicon(self):
        if self._lexicon is None:
            from .lexicon import load_lexicon

            self._lexicon = load_lexicon()
        return self._lexicon

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        found: List[Tuple[str, int, int]] = []
        if "</" in text:
            found += self._xml(text)
        if '":' in text or '" :' in text:
            found += self._json(text)
        if "|" in text:   # hl7.py checks for a segment, with the separators MSH declares
            found += self._hl7(text)
        if "_" in text and "." in text:
            found += self._file_names(text)
        keep = set(entities)
        return [make_result(self, e, a, b, SCORE) for e, a, b in sorted(set(found), key=lambda f: (f[1], f[2])) if e in keep]

    # --- XML and JSON -------------------------------------------------------------------------------
    def _xml(self, text: str) -> Iterator[Tuple[str, int, int]]:
        for field in xml_fields(text):
            if field.kind != "element" or field.end - field.start > MAX_VALUE:
                continue  # (attributes: names stand in elements)
            key = _key(field.key)
            inside_name = False
            if key in BARE_NAME_KEYS:
                above = parent(text, field)
                inside_name = above is not None and _key(above) in NAME_PART_KEYS | BARE_NAME_KEYS
            yield from self._field(key, text, field.start, field.end, inside_name)

    def _json(self, text: str) -> Iterator[Tuple[str, int, int]]:
        for field in json_fields(text):
            key = _key(field.key)
            if field.kind == "json" and text[field.start - 1:field.start] == '"' and (
                    key in NAME_PART_KEYS or key in BARE_NAME_KEYS or key in STREET_KEYS or key in PLACE_KEYS):
                yield from self._field(key, text, field.start, field.end, False)
        for m in _FHIR_NAME_PART.finditer(text):
            yield from self._person(text, m.start(1), m.end(1))

    def _field(self, key: str, text: str, start: int, end: int, inside_name: bool) -> Iterator[Tuple[str, int, int]]:
        value = text[start:end].strip()
        start += len(text[start:end]) - len(text[start:end].lstrip())
        end = start + len(value)
        if not value:
            return
        if key in NAME_PART_KEYS or inside_name:
            yield from self._person(text, start, end)
        elif key in BARE_NAME_KEYS:
            if self._listed_person(value):
                yield from self._person(text, start, end)
        elif key in STREET_KEYS or key in PLACE_KEYS:
            if _CAPITALISED_WORDS.fullmatch(value) and len(value) > 2:
                yield ("ADDRESS" if key in STREET_KEYS else "LOCATION", start, end)

    def _listed_person(self, value: str) -> bool:
        """A bare 'name' that names a person: no organisation's word, a listed first name or surname in it."""
        from .person import organisation_name

        words = [w for w in re.split(r"[\s,]+", value) if w]
        if not words or len(words) > 5 or organisation_name(value) or not _PART.fullmatch(value):
            return False
        lex = self.lexicon
        return any(lex.is_first_name(w) or lex.is_surname(w) for w in words if len(w) > 1) \
            and not all(lex.is_common_word(w) for w in words)

    @staticmethod
    def _person(text: str, start: int, end: int) -> Iterator[Tuple[str, int, int]]:
        if _PART.fullmatch(text, start, end):
            yield ("PERSON", start, end)

    # --- file names ----------------------------------------------------------------------------------
    def _file_names(self, text: str) -> Iterator[Tuple[str, int, int]]:
        for ext in _FILE_EXTENSION.finditer(text):
            stem = _FILE_STEM.search(text, max(0, ext.start() - 120), ext.start())
            if stem is None or "_" not in stem.group():
                continue
            parts, pos = [], stem.start()
            for part in stem.group().split("_"):
                parts.append((pos, pos + len(part)))
                pos += len(part) + 1
            yield from self._name_runs(text, parts)

    def _name_runs(self, text: str, parts: List[Tuple[int, int]]) -> Iterator[Tuple[str, int, int]]:
        """Runs of name parts (tussenvoegsels and listed names) as one span; an initial after one its own
        span, as a record's voorletters field is."""
        run: List[Tuple[int, int]] = []
        named = False
        for a, b in parts + [(len(text), len(text))]:
            after_interfix = bool(run) and text[run[-1][0]:run[-1][1]].lower() in FILE_INTERFIXES
            kind = self._file_part(text[a:b], after_interfix)
            if kind in ("name", "interfix"):
                run.append((a, b))
                named = named or kind == "name"
                continue
            if named:
                while run and self._file_part(text[run[-1][0]:run[-1][1]]) == "interfix":
                    run.pop()
                yield ("PERSON", run[0][0], run[-1][1])
                if kind == "initial":
                    yield ("PERSON", a, b)
            run, named = [], False

    def _file_part(self, part: str, after_interfix: bool = False) -> str:
        """'interfix', 'initial', 'name' (a listed name that is no ordinary word; after a tussenvoegsel any listed
        surname: 'van_der_meer') or ''."""
        if part.lower() in FILE_INTERFIXES:
            return "interfix"
        if len(part) == 1 and part.isalpha():
            return "initial"
        if not _PART.fullmatch(part) or not _FILE_PART.fullmatch(part):
            return ""
        lex = self.lexicon
        from .tokens import word_frequency

        for word in part.split("-"):
            low = word.lower()
            if after_interfix and lex.is_surname(low):
                continue
            if len(low) < 2 or lex.is_common_word(low):
                return ""
            # wordfreq counts first names too (Anna 5.0): the frequency test is for surnames only
            if not lex.is_first_name(word.capitalize()) and not (lex.is_surname(low) and word_frequency(low) < 4.6):
                return ""
        return "name"

    # --- HL7v2 --------------------------------------------------------------------------------------
    def _hl7(self, text: str) -> Iterator[Tuple[str, int, int]]:
        """The name parts of HL7v2's person-name fields (``recognizers/hl7.py`` knows which), when name-shaped."""
        for a, b in person_name_parts(text):
            if _PART.fullmatch(text, a, b):
                yield ("PERSON", a, b)
