"""Second round of general label rules (issue 10), each with true matches and near misses.

Cases are (text, expected findings as (entity, value)); near misses (an
invalid checksum, a label that labels another number, an ordinary word)
expect nothing of the entity under test.
"""

import pytest

from pii_pipeline.detection import get_detector
from recognizers import NlMemberNumberRecognizer, TableColumnRecognizer


def _found(recognizer, text, entities=None):
    return [(r.entity_type, text[r.start:r.end]) for r in recognizer.analyze(text, entities or recognizer.supported_entities)]


def _detected(text, entities):
    return [(f.entity_type, text[f.start:f.end]) for f in get_detector().detect(text, entities)]


TABLES = [
    # quoted CSV: a decimal comma inside quotes does not shift the columns; "_" in a header is a space
    ('"regel","bsn_verzekerde","geb_datum","agb_zorgverlener","bedrag"\n"1","123456782","19860704","12075206","1.250,00"',
     [("NL_BSN", "123456782"), ("DATE_OF_BIRTH", "19860704"), ("NL_AGB", "12075206")]),
    # an unbalanced quote: the row is read plainly (the columns still line up)
    ('naam,bsn\n"Jansen,123456782', [("PERSON", "Jansen"), ("NL_BSN", "123456782")]),
    # name columns: initials, a surname with tussenvoegsels
    ("Nr;Voorletters;Achternaam;Geboortedatum\n1;A.;Tuanakotta;3-2-1988\n2;W.F.;van de Kamp;14-8-1952",
     [("PERSON", "A."), ("PERSON", "Tuanakotta"), ("DATE_OF_BIRTH", "3-2-1988"), ("PERSON", "W.F."),
      ("PERSON", "van de Kamp"), ("DATE_OF_BIRTH", "14-8-1952")]),
    # near misses: an ordinary word, a number or lowercase text in a name column is no name
    ("Naam\tBedrag\nTotaal\t12,50\nonbekend\t3\n12345\t4", []),
    # a column that is not a name column ("Zorgverlener naam" is no exact name header)
    ("Zorgverlener naam\tBedrag\nDe Wieken\t12,50", []),
]


@pytest.mark.parametrize("text,expected", TABLES)
def test_table_columns(text, expected):
    assert _found(TableColumnRecognizer(), text) == expected


MEMBER_NUMBERS = [
    # a bare "polis", "relatie", "klant" directly before the number labels it
    ("Polis 200398716 beëindigd per 14-05-2025.", [("NL_MEMBER_NUMBER", "200398716")]),
    ("Relatie 40218877 en relatie 40231102 zijn dezelfde persoon.", [("NL_MEMBER_NUMBER", "40218877"), ("NL_MEMBER_NUMBER", "40231102")]),
    ("Klant 5230197 heeft sinds 3 maanden niet betaald.", [("NL_MEMBER_NUMBER", "5230197")]),
    ("polis: 7720 4419", [("NL_MEMBER_NUMBER", "7720 4419")]),
    # a two-letter prefix set apart by a space belongs to the number
    ("Mijn relatienummer is RN 4410 2297.", [("NL_MEMBER_NUMBER", "RN 4410 2297")]),
    # near misses: the bare word not directly before the number; a speaker tag before a date;
    # another identifier's label as the prefix
    ("Polis verlopen, bel 200398716 voor verlenging.", []),
    ("de klant belde over 200398716", []),
    ("Klant: 8-3-1999", []),
    ("Verzekerde heeft lidnummer 30887712 en BSN 308952339.", [("NL_MEMBER_NUMBER", "30887712")]),
]


@pytest.mark.parametrize("text,expected", MEMBER_NUMBERS)
def test_member_number_bare_labels(text, expected):
    assert _found(NlMemberNumberRecognizer(), text) == expected
