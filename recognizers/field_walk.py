"""One walk over the keyed values of machine formats: XML elements and attributes, JSON keys.

Two passes read values by their key: :mod:`recognizers.fields` (identifiers and birth dates) and
:mod:`recognizers.name_fields` (names, streets, places).  Both need the same thing of a text: each
key and the span of the value it holds.  This module finds them, once per text; each pass keeps
its own rule of what a key means.

* :func:`xml_fields`: an element with a short text value (``<ns:Bsn>150176570</ns:Bsn>``: key
  ``Bsn``), and each attribute of an open tag (``<Patient bsn="150176570">``: key ``bsn``).  An
  attribute named ``value`` (FHIR XML: ``<birthDate value="1952-07-11"/>``) takes its element's name.
* :func:`json_fields`: ``"key": "value"``, ``"key": 12345`` and each string of ``"key": ["a", "b"]``.
* :func:`sql_fields`: the values of an SQL ``INSERT INTO t (bsn, ...) VALUES ('...', ...)``, keyed by column.
* :func:`parent`: the name of the element whose open tag stands straight before an element
  (``<Geboortedatum><Datum>...``), for a generic key that takes its parent's name.

Keys are local names (a namespace prefix dropped).  Values are bounded (``MAX_VALUE``), each tag,
attribute and key is matched once: linear in the text.

>>> [(f.key, "<a><ns:Bsn>150176570</ns:Bsn></a>"[f.start:f.end]) for f in xml_fields("<a><ns:Bsn>150176570</ns:Bsn></a>")]
[('Bsn', '150176570')]
>>> t = '<Patient bsn="150176570"><birthDate value="1952-07-11"/></Patient>'
>>> [(f.key, t[f.start:f.end]) for f in xml_fields(t)]
[('bsn', '150176570'), ('birthDate', '1952-07-11')]
>>> t = '{"bsn": "150176570", "given": ["Anna", "Maria"], "nr": 40117729}'
>>> [(f.key, t[f.start:f.end]) for f in json_fields(t)]
[('bsn', '150176570'), ('given', 'Anna'), ('given', 'Maria'), ('nr', '40117729')]
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

MAX_VALUE = 80  # the longest value read; a pass may ask for less
MAX_ARRAY = 10  # strings read of one JSON array

_NAME = r"[A-Za-z_][\w.-]{0,40}"
# An element with a short text value: <ns:Name attr="...">value</ns:Name> (any prefix on the closing tag)
_ELEMENT = re.compile(r"<(?:[\w.-]{1,40}:)?(?P<name>" + _NAME + r")(?P<attrs>\s[^<>]{0,300})?>"
                      r"(?P<value>[^<>\n]{1,%d})</(?:[\w.-]{1,40}:)?(?P=name)>" % MAX_VALUE)
# An open (or empty) tag with attributes, and each attribute in it
_OPEN_TAG = re.compile(r"<(?:[\w.-]{1,40}:)?(?P<name>" + _NAME + r")(?P<attrs>\s[^<>]{1,300})>")
_ATTRIBUTE = re.compile(r"(?:[\w.-]{1,40}:)?(?P<key>" + _NAME + r')\s*=\s*"(?P<value>[^"<>\n]{1,%d})"' % MAX_VALUE)
# The parent's open tag straight before a child's (white space between only); not an empty tag
_PARENT = re.compile(r"<(?:[\w.-]{1,40}:)?(?P<name>" + _NAME + r")(?:\s[^<>]{0,300})?(?<!/)>\s*$")
PARENT_REACH = 300
# "key": then a string, an array or a number
_JSON_KEY = re.compile(r'"(?P<key>[A-Za-z_][\w.-]{0,40})"\s*:\s*(?=["\[\d])')
_JSON_STRING = re.compile(r'\s*"([^"\\\n]{1,%d})"\s*([,\]])?' % MAX_VALUE)
_JSON_NUMBER = re.compile(r"\d{4,16}(?![\d.])")


class Field(NamedTuple):
    key: str            # the local name of the element, attribute or JSON key
    start: int          # the value's span, white space around it left out
    end: int
    tag: int            # where the element's open tag (or the JSON key) starts
    attributes: str     # an XML element's attribute text ("" for none, for an attribute and for JSON)
    kind: str           # "element", "attribute" or "json"


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@lru_cache(maxsize=4)
def xml_fields(text: str) -> tuple[Field, ...]:
    """Every short-valued element and every attribute of ``text``, in order."""
    if "<" not in text:
        return ()
    found: list[Field] = []
    if "</" in text:
        for m in _ELEMENT.finditer(text):
            start, end = _stripped(text, m.start("value"), m.end("value"))
            if end > start:
                found.append(Field(m.group("name"), start, end, m.start(), m.group("attrs") or "", "element"))
    if "=" in text:
        for tag in _OPEN_TAG.finditer(text):
            for a in _ATTRIBUTE.finditer(text, tag.start("attrs"), tag.end("attrs")):
                key = tag.group("name") if a.group("key") == "value" else a.group("key")
                start, end = _stripped(text, a.start("value"), a.end("value"))
                if end > start:
                    found.append(Field(key, start, end, tag.start(), "", "attribute"))
    return tuple(sorted(found, key=lambda f: (f.start, f.end)))


@lru_cache(maxsize=4)
def json_fields(text: str) -> tuple[Field, ...]:
    """Every ``"key": value`` of ``text`` whose value is a string, an array of strings or a number."""
    if '":' not in text and '" :' not in text:
        return ()
    found: list[Field] = []
    for m in _JSON_KEY.finditer(text):
        pos = m.end()
        if text[pos].isdigit():
            n = _JSON_NUMBER.match(text, pos)
            if n:
                found.append(Field(m.group("key"), n.start(), n.end(), m.start(), "", "json"))
            continue
        items = MAX_ARRAY if text[pos] == "[" else 1
        pos += text[pos] == "["
        for _ in range(items):
            s = _JSON_STRING.match(text, pos)
            if not s:
                break
            found.append(Field(m.group("key"), s.start(1), s.end(1), m.start(), "", "json"))
            if s.group(2) != ",":
                break
            pos = s.end()
    return tuple(found)


# SQL: INSERT INTO t (col, ...) VALUES (value, ...)[, (value, ...)]: each value labelled by its column's name
_INSERT = re.compile(r"(?i)\binsert\s+into\s+[\w.\"`\[\]]{1,80}\s*\((?P<columns>[^()\n]{1,500})\)\s*values\s*(?=\()")
_ROW = re.compile(r"\s*,?\s*\((?P<values>(?:'(?:[^'\n]|'')*+'|[^'()\n])*+)\)")  # possessive: one way to read a quote
_SQL_VALUE = re.compile(r"\s*(?:'(?P<quoted>(?:[^'\n]|''){0,%d}+)'|(?P<bare>[^,'\s]{1,%d}))\s*(?:,|$)" % (MAX_VALUE, MAX_VALUE))
MAX_ROWS = 1000


@lru_cache(maxsize=4)
def sql_fields(text: str) -> tuple[Field, ...]:
    """Every value of ``text``'s SQL INSERT statements, keyed by its column's name.

    >>> t = "INSERT INTO clienten (bsn, geboortedatum) VALUES ('123456782', '1952-07-11'), ('111222333', NULL)"
    >>> [(f.key, t[f.start:f.end]) for f in sql_fields(t)]
    [('bsn', '123456782'), ('geboortedatum', '1952-07-11'), ('bsn', '111222333'), ('geboortedatum', 'NULL')]
    """
    if "nsert" not in text and "NSERT" not in text:
        return ()  # most texts: no INSERT
    found: list[Field] = []
    for m in _INSERT.finditer(text):
        columns = [c.strip().strip('"`[]') for c in m.group("columns").split(",")]
        pos = m.end()
        for _ in range(MAX_ROWS):
            row = _ROW.match(text, pos)
            if row is None:
                break
            values, at = [], row.start("values")
            while at < row.end("values") and len(values) <= len(columns):
                v = _SQL_VALUE.match(text, at, row.end("values"))
                if v is None:
                    break
                group = "quoted" if v.group("quoted") is not None else "bare"
                values.append((v.start(group), v.end(group)))
                at = v.end()
            if len(values) == len(columns):
                found.extend(Field(c, a, b, m.start(), "", "sql") for c, (a, b) in zip(columns, values) if b > a)
            pos = row.end()
    return tuple(found)


def parent(text: str, field: Field) -> Optional[str]:
    """The local name of the element whose open tag stands straight before ``field``'s element, or None."""
    m = _PARENT.search(text, max(0, field.tag - PARENT_REACH), field.tag)
    return m.group("name") if m else None
