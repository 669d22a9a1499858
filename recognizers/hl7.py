"""HL7 v2 segments: which field of which segment holds which identifier.

An HL7 v2 message is one segment a line (``PID|1||173305234^^^NLMINBIZA^NNNLD||...``):
fields between ``|``, components between ``^``, repetitions between ``~``,
subcomponents between ``&`` (the separators MSH-1 and MSH-2 declare).  A field's
position says what it is, so no label stands beside the value.  The positions
used here (HL7 v2.5, with the Dutch conventions of the Nictiz/HL7 NL profiles):

* PID-2, PID-3, PID-4 (patient identifier lists): a repetition whose assigning
  authority is ``NLMINBIZA`` (the ministry that issues BSNs) or whose identifier
  type is ``NNNLD`` (national person number, the Netherlands) is the BSN; other
  repetitions (a hospital's patient number, ``PI``) are not.
* PID-7, IN1-18: date of birth (``YYYYMMDD``, perhaps with a time).
* PID-19: the social-security number: a BSN when it passes the elfproef.
* PV1-7, PV1-8, PV1-9, PV1-17, ORC-10, ORC-11, ORC-12, OBR-16, PD1-4, RXE-13 (XCN: a
  person in a care role): the first component is the practitioner's code; eight
  digits are an AGB code (assigning authority ``VEKTIS`` or none).
* IN1-3: the insurer's identifier, a UZOVI code; IN1-36: the policy (member) number;
  IN1-49: the insured's identifier, a BSN when it passes the elfproef.

Names are read by position too (:func:`person_name_parts`, for ``recognizers/name_fields.py``): the XPN
fields (person name, surname first: PID-5, PID-6, PID-9, NK1-2, IN1-16, GT1-3, MRG-7) and the XCN fields
(a person in a care role, an id first: PV1-7/8/9/17, ORC-10/11/12, OBR-16/28, PD1-4); each surname part
(subcomponents of the first, ``Dijkhuizen&van&Dijkhuizen``), given name and further names or initials is one
part.  Addresses and phone numbers are left to the text recognizers.  Every segment line is split once:
linear in the text.

>>> text = "MSH|^~\\\\&|HIS|ZKH\\rPID|1||173305234^^^NLMINBIZA^NNNLD~0081277^^^ZKHN^PI||Dijk^A||19520711|F"
>>> [(e, text[s:t]) for e, s, t in segment_fields(text)]
[('NL_BSN', '173305234'), ('DATE_OF_BIRTH', '19520711')]
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

SEGMENT = re.compile(r"(?m)(?:^|(?<=\r))(?:MSH|PID|PV1|PD1|IN1|ORC|OBR|RXE)(?P<sep>[|])")   # CR ends a segment too
_BSN_AUTHORITIES = ("NLMINBIZA", "2.16.840.1.113883.2.4.6.3")
_PERSON_NUMBER_TYPE = "NNNLD"

# (segment, field number) -> what the field holds
FIELDS = {
    ("PID", 2): "patient_ids", ("PID", 3): "patient_ids", ("PID", 4): "patient_ids",
    ("PID", 7): "DATE_OF_BIRTH", ("IN1", 18): "DATE_OF_BIRTH",
    ("PID", 19): "NL_BSN", ("IN1", 49): "NL_BSN",
    ("IN1", 3): "NL_UZOVI", ("IN1", 36): "NL_MEMBER_NUMBER",
    **{key: "practitioner" for key in (("PV1", 7), ("PV1", 8), ("PV1", 9), ("PV1", 17), ("ORC", 10), ("ORC", 11),
                                       ("ORC", 12), ("OBR", 16), ("PD1", 4), ("RXE", 13))},
}


def _separators(text: str) -> tuple[str, str, str]:
    """Component, repetition and subcomponent separators from MSH-2 (``^~\\&``), or the defaults."""
    m = re.search(r"(?m)^MSH\|(.)(.)(.)(.)", text)
    if m and len({m.group(1), m.group(2), m.group(4), "|"}) == 4:
        return m.group(1), m.group(2), m.group(4)
    return "^", "~", "&"


def _parts(value: str, start: int, sep: str) -> Iterator[tuple[int, str]]:
    for part in value.split(sep):
        yield start, part
        start += len(part) + 1


def _value(entity: str, start: int, value: str) -> Optional[tuple[str, int, int]]:
    """The field's value as the entity, when its module says it is one (None otherwise)."""
    from .identifiers import agb, bsn, dates, member_number, uzovi

    if entity == "DATE_OF_BIRTH":
        day = value[:8]
        return (entity, start, start + 8) if len(value) >= 8 and day.isdigit() and dates.is_plausible_birth_date(day) else None
    valid = {"NL_BSN": bsn.is_valid, "NL_UZOVI": uzovi.is_valid, "NL_MEMBER_NUMBER": member_number.is_valid,
             "NL_AGB": agb.is_valid}[entity]
    if entity == "NL_MEMBER_NUMBER" and dates.is_plausible_birth_date(value):
        return None
    return (entity, start, start + len(value)) if value and valid(value) else None


def _field(kind: str, start: int, field: str, comp: str, rep: str, sub: str) -> Iterator[tuple[str, int, int]]:
    for at, repetition in _parts(field, start, rep):
        components = list(_parts(repetition, at, comp))
        first_at, first = components[0]
        first = first.split(sub)[0]
        if kind == "patient_ids":
            authority = components[3][1] if len(components) > 3 else ""
            id_type = components[4][1] if len(components) > 4 else ""
            if id_type == _PERSON_NUMBER_TYPE or any(a in authority for a in _BSN_AUTHORITIES):
                found = _value("NL_BSN", first_at, first)
            else:
                found = None
        elif kind == "practitioner":
            found = _value("NL_AGB", first_at, first) if len(first) == 8 and first.isdigit() else None
        else:
            found = _value(kind, first_at, first)
        if found:
            yield found


# (segment, field number) -> the name's type: XPN (surname first) or XCN (an id first, then the surname)
NAME_FIELDS = {
    **{key: "XPN" for key in (("PID", 5), ("PID", 6), ("PID", 9), ("NK1", 2), ("IN1", 16), ("GT1", 3), ("MRG", 7))},
    **{key: "XCN" for key in (("PV1", 7), ("PV1", 8), ("PV1", 9), ("PV1", 17), ("ORC", 10), ("ORC", 11), ("ORC", 12),
                              ("OBR", 16), ("OBR", 28), ("PD1", 4))},
}
NAME_SEGMENT = re.compile(r"(?m)(?:^|(?<=\r))(?:PID|NK1|IN1|GT1|MRG|PV1|ORC|OBR|PD1)[|]")


def _fields(text: str, table: dict, segment: re.Pattern) -> Iterator[tuple[str, int, str, tuple[str, str, str]]]:
    """(kind, start, field, (component, repetition, subcomponent separators)) of each non-empty field of
    ``text``'s segment lines that ``table`` knows by (segment, field number)."""
    if "|" not in text or segment.search(text) is None:
        return
    separators = _separators(text)
    names = {name for name, _ in table}
    offset = 0
    for line in re.split(r"(\r\n|\r|\n)", text):
        name = line[:3]
        if line[3:4] == "|" and name in names:
            for number, (start, field) in enumerate(_parts(line, offset, "|")):
                kind = table.get((name, number))
                if kind and field:
                    yield kind, start, field, separators
        offset += len(line)


def segment_fields(text: str) -> Iterator[tuple[str, int, int]]:
    """(entity, start, end) of every identifier in the known fields of the HL7 v2 segments in ``text``."""
    for kind, start, field, (comp, rep, sub) in _fields(text, FIELDS, SEGMENT):
        yield from _field(kind, start, field, comp, rep, sub)


def person_name_parts(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each part of a person's name in the XPN and XCN fields of ``text``'s segments.

    >>> text = "PID|1||PAT-1^^^APO||Dijkhuizen&van&Dijkhuizen^Aaltje^C||19911203|F\\rPV1|1|O|P||||0100^Tjoen^S"
    >>> [text[a:b] for a, b in person_name_parts(text)]
    ['Dijkhuizen', 'van', 'Dijkhuizen', 'Aaltje', 'C', 'Tjoen', 'S']
    """
    for kind, start, field, (comp, rep, sub) in _fields(text, NAME_FIELDS, NAME_SEGMENT):
        first = 0 if kind == "XPN" else 1   # an XCN starts with the person's id
        for at, repetition in _parts(field, start, rep):
            for c, (a, component) in enumerate(_parts(repetition, at, comp)):
                if first <= c <= first + 2:
                    for b, part in _parts(component, a, sub):
                        if part:
                            yield b, b + len(part)
