"""Fields of machine formats: a value labelled by its key, element, system or position.

Exports, messages and logs name each value by a key instead of a sentence:
``<Bsn>150176570</Bsn>``, ``"subscriberId":"170433981"``, ``/verzekerden/301877654/``,
``{"system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "152358110"}``, an HL7 v2
segment's field (recognizers/hl7.py).  This pass reads those keys (the walk over XML and JSON is :mod:`recognizers.field_walk`'s, shared with
the names' pass in :mod:`recognizers.name_fields`):

* *XML elements* holding a short value: the element's name (its namespace prefix dropped,
  camelCase split) is read as a column name by :func:`recognizers.table.header_entity`,
  the one place that maps a column name to an identifier.  A generic element
  (``<Datum>``, ``<Waarde>``, ``<Value>``, ``<Nummer>``) that is the first child of its parent
  takes the parent's name (``<Geboortedatum><Datum>1938-02-14</Datum>``).  The iStandaarden
  (iWlz, iJw, iWmo) name sender and receiver in the header: eight digits there are an AGB code;
  four digits are a zorgkantoor's UZOVI code in iWlz, a municipality's code (no person's) in iJw and iWmo.
* *JSON keys* (``"subscriberId"``, ``"verzekerde"``): as XML elements; a key naming the insured
  person (``"verzekerde":"301877654"``) that holds a number holds the member number.
* *FHIR identifiers*: ``system`` the naming system of the BSN, AGB, UZOVI or BIG register
  (its URI or its OID), ``value`` or ``code`` the number; in FHIR XML ``<system value=…/><value value=…/>``,
  in HL7 v3 and CDA ``<id root="OID" extension="…"/>``.
* *URL paths* of REST APIs: a collection of insured people or providers before an id
  (``/verzekerden/301877654/``, ``/zorgverleners/01078822/``).
* *SQL*: the values of an ``INSERT INTO t (bsn, geboortedatum) VALUES (...)``, by their column's name.
* *File names of Vektis EI declarations*: the standard's code, then the sender's AGB code
  (``MZ301_12004537_20261127.asc``).

The value must be valid for the entity (its identifier module decides: elfproef, length, a
plausible birth date); the key only says which module.  Linear: each pattern is scanned once,
every value is bounded in length.

>>> r = FieldRecognizer()
>>> text = '<JW301:Ontvanger>94062177</JW301:Ontvanger><JW301:Bsn>150176570</JW301:Bsn>'
>>> [(x.entity_type, text[x.start:x.end]) for x in r.analyze(text, r.supported_entities)]
[('NL_AGB', '94062177'), ('NL_BSN', '150176570')]
"""

from __future__ import annotations

import re
from typing import Iterator, List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult

from .base import make_result
from .field_walk import json_fields, parent, sql_fields, xml_fields
from .hl7 import segment_fields
from .identifiers import fold

SCORE = 0.9
ENTITIES = ("NL_BSN", "NL_AGB", "NL_UZOVI", "NL_BIG", "NL_MEMBER_NUMBER", "DATE_OF_BIRTH", "NL_ID_DOCUMENT", "NL_KVK")
MAX_VALUE = 40

GENERIC_KEYS = frozenset({"datum", "date", "waarde", "value", "nummer", "number", "code", "id", "identificatie", "tekst"})
# iStandaarden headers: the sender and receiver of a message
_HEADER_PARTIES = frozenset({"afzender", "ontvanger", "zorgkantoor"})
_IWLZ = re.compile(r"(?i)iwlz|<WLZ\d")
# UBL and PEPPOL name a party's identifier by an ISO 6523 scheme: 0106 is the Dutch trade register (KvK)
_SCHEME_KVK = re.compile(r'\bschemeID\s*=\s*"0106"')
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# FHIR identifiers: the naming systems of Dutch registers (Nictiz), by URI and by OID.
NAMING_SYSTEMS = {
    "http://fhir.nl/fhir/NamingSystem/bsn": "NL_BSN", "urn:oid:2.16.840.1.113883.2.4.6.3": "NL_BSN",
    "http://fhir.nl/fhir/NamingSystem/agb-z": "NL_AGB", "urn:oid:2.16.840.1.113883.2.4.6.1": "NL_AGB",
    "http://fhir.nl/fhir/NamingSystem/uzovi": "NL_UZOVI", "urn:oid:2.16.840.1.113883.2.4.6.4": "NL_UZOVI",
    "http://fhir.nl/fhir/NamingSystem/big": "NL_BIG", "urn:oid:2.16.528.1.1007.5.1": "NL_BIG",
}
_FHIR = re.compile(r'"system"\s*:\s*"(?P<system>[^"\s]{1,80})"\s*,\s*"(?:value|code)"\s*:\s*"(?P<value>[^"\\\n]{1,%d})"'
                   r'|"(?:value|code)"\s*:\s*"(?P<value2>[^"\\\n]{1,%d})"\s*,\s*"system"\s*:\s*"(?P<system2>[^"\s]{1,80})"'
                   % (MAX_VALUE, MAX_VALUE))
# The same in XML: FHIR's <system value="..."/><value value="..."/>, and HL7 v3 / CDA's <id root="OID" extension="..."/>.
_FHIR_XML = re.compile(r'<(?:\w+:)?system\s+value="(?P<system>[^"\s]{1,80})"\s*/>\s*<(?:\w+:)?value\s+value="(?P<value>[^"<>\n]{1,%d})"'
                       % MAX_VALUE)
_CDA_ID = re.compile(r'<(?:\w+:)?id\s(?=[^<>]{0,200}?\broot="(?P<root>[\d.]{3,60})")(?=[^<>]{0,200}?\bextension="(?P<value>[^"<>\n]{1,%d})")'
                     % MAX_VALUE)
# REST collections whose members are people or care providers, and the id that follows.
PATH_COLLECTIONS = {
    "verzekerden": "NL_MEMBER_NUMBER", "leden": "NL_MEMBER_NUMBER", "members": "NL_MEMBER_NUMBER",
    "relaties": "NL_MEMBER_NUMBER", "klanten": "NL_MEMBER_NUMBER", "customers": "NL_MEMBER_NUMBER",
    "zorgverleners": "NL_AGB", "zorgaanbieders": "NL_AGB", "praktijken": "NL_AGB", "providers": "NL_AGB",
}
_PATH = re.compile(r"/(?P<key>[A-Za-z][\w-]{2,30})/(?P<value>\d{4,16})(?=[/?#\s\"'&;,)]|$)")
# A Vektis EI declaration's file name: the standard's code, then the sender's AGB code ("MZ301_12004537_20261127.asc").
_EI_FILE = re.compile(r"(?<![A-Za-z0-9])(?:MZ|PM|AP|ZH|GZ|HA|JZ|LV|WL|OZ|GH|HH|KZ|VV|ZV)\d{3}_(?P<value>\d{8})(?=[_.])")


def key_entity(key: str) -> Optional[str]:
    """The identifier a key or element name names (its namespace prefix dropped, camelCase split).

    >>> key_entity("WLZ321:Geboortedatum"), key_entity("subscriberId"), key_entity("Bsn"), key_entity("BerichtCode")
    ('DATE_OF_BIRTH', 'NL_MEMBER_NUMBER', 'NL_BSN', None)
    """
    from .table import header_entity

    return header_entity(_CAMEL.sub(" ", key.rpartition(":")[2]))


def _valid(entity: str, value: str) -> bool:
    from .identifiers import dates
    from .table import VALIDATORS

    if entity == "NL_MEMBER_NUMBER" and (not any(c.isdigit() for c in value) or dates.is_plausible_birth_date(value)):
        return False
    return entity in VALIDATORS and VALIDATORS[entity](value)


def _entity_of_person_key(entity: Optional[str], value: str) -> Optional[str]:
    """A key naming the insured person ("verzekerde") that holds a number: the member number."""
    if entity == "PERSON" and value.isdigit() and 6 <= len(value) <= 15:
        return "NL_MEMBER_NUMBER"
    return entity


class FieldRecognizer(EntityRecognizer):
    """Identifiers labelled by the key, element, naming system or position they stand in."""

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=list(ENTITIES), supported_language=supported_language, name=type(self).__name__)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        xml, json, slash, bar, underscore = "<" in text, '":' in text or '" :' in text, "/" in text, "|" in text, "_" in text
        sql = "(" in text and ("nsert" in text or "NSERT" in text)
        if not (xml or json or slash or bar or underscore or sql):
            return []  # most texts: no machine format
        text = fold(text)
        wanted = set(entities) & set(ENTITIES)
        found: list[tuple[str, int, int]] = []
        if xml:
            found.extend(self._elements(text))
        if xml and ("value=" in text or "root=" in text) or "root=" in text:
            found.extend(self._identifiers_in_xml(text))
        if json:
            found.extend(self._json(text))
        if slash:
            found.extend(self._paths(text))
        if bar:
            found.extend(segment_fields(text))
        if underscore:
            found.extend(self._ei_file_names(text))
        if sql:
            found.extend(self._sql(text))
        seen: set = set()
        results = []
        for entity, start, end in found:
            if entity in wanted and (start, end) not in seen:
                seen.add((start, end))
                results.append(make_result(self, entity, start, end, SCORE))
        return sorted(results, key=lambda r: (r.start, r.end))

    @staticmethod
    def _identifiers_in_xml(text: str) -> Iterator[tuple[str, int, int]]:
        for m in _FHIR_XML.finditer(text):
            entity = NAMING_SYSTEMS.get(m.group("system").rstrip("/"))
            if entity and _valid(entity, m.group("value")):
                yield entity, m.start("value"), m.end("value")
        for m in _CDA_ID.finditer(text):
            entity = NAMING_SYSTEMS.get("urn:oid:" + m.group("root"))
            if entity and _valid(entity, m.group("value")):
                yield entity, m.start("value"), m.end("value")

    @staticmethod
    def _elements(text: str) -> Iterator[tuple[str, int, int]]:
        iwlz = None
        for field in xml_fields(text):
            value = text[field.start:field.end]
            if len(value) > MAX_VALUE:
                continue
            name = field.key
            if field.kind == "element" and name.lower() in _HEADER_PARTIES:
                iwlz = bool(_IWLZ.search(text)) if iwlz is None else iwlz
                entity = "NL_AGB" if len(value) == 8 else "NL_UZOVI" if len(value) == 4 and iwlz else None
            elif field.kind == "element" and _SCHEME_KVK.search(field.attributes):
                entity = "NL_KVK"  # <cbc:CompanyID schemeID="0106">: ISO 6523's code of the Dutch trade register
            else:
                if field.kind == "element" and name.lower() in GENERIC_KEYS:
                    name = parent(text, field) or name
                entity = _entity_of_person_key(key_entity(name), value)
            if entity and _valid(entity, value):
                yield entity, field.start, field.end

    @staticmethod
    def _json(text: str) -> Iterator[tuple[str, int, int]]:
        for field in json_fields(text):
            value = text[field.start:field.end]
            if len(value) > MAX_VALUE:
                continue
            entity = _entity_of_person_key(key_entity(field.key), value)
            if entity and _valid(entity, value):
                yield entity, field.start, field.end
        for m in _FHIR.finditer(text):
            system, group = (m.group("system"), "value") if m.group("system") else (m.group("system2"), "value2")
            entity = NAMING_SYSTEMS.get(system.rstrip("/"))
            if entity and _valid(entity, m.group(group)):
                yield entity, m.start(group), m.end(group)

    @staticmethod
    def _sql(text: str) -> Iterator[tuple[str, int, int]]:
        for field in sql_fields(text):
            value = text[field.start:field.end]
            entity = _entity_of_person_key(key_entity(field.key), value)
            if entity and entity in ENTITIES and _valid(entity, value):
                yield entity, field.start, field.end

    @staticmethod
    def _ei_file_names(text: str) -> Iterator[tuple[str, int, int]]:
        from .identifiers import agb

        for m in _EI_FILE.finditer(text):
            if agb.is_valid(m.group("value")) and agb.is_known_kind(m.group("value")):
                yield "NL_AGB", m.start("value"), m.end("value")

    @staticmethod
    def _paths(text: str) -> Iterator[tuple[str, int, int]]:
        for m in _PATH.finditer(text):
            entity = PATH_COLLECTIONS.get(m.group("key").lower())
            if entity and _valid(entity, m.group("value")):
                yield entity, m.start("value"), m.end("value")
