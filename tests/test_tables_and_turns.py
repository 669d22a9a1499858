"""Labels that stand away from their value: table headers, the previous turn, a repeated value.

Each case is (text, expected findings as (entity, value)); near misses (an
invalid checksum, a label that labels another number, prose that only looks
like a table) expect nothing of the entity under test.
"""

import pytest

from pii_pipeline.detection import get_detector
from recognizers import DateOfBirthRecognizer, NlBsnRecognizer, NlMemberNumberRecognizer, TableColumnRecognizer
from recognizers.identifiers import dates, postcode

TABLE_ENTITIES = TableColumnRecognizer().supported_entities


def _found(recognizer, text, entities=None):
    return [(r.entity_type, text[r.start:r.end]) for r in recognizer.analyze(text, entities or recognizer.supported_entities)]


TABLES = [
    # tab-separated, pasted from Excel; the BSN of the second row fails the elfproef
    ("Naam\tGeb.datum\tBSN\nChen, L.\t1967-03-28\t188368322\nVisser, H.\t1944-09-09\t123456789\nTotaal\t2",
     [("DATE_OF_BIRTH", "1967-03-28"), ("NL_BSN", "188368322"), ("DATE_OF_BIRTH", "1944-09-09")]),
    # semicolon CSV extract: AGB, UZOVI and member number by their column names
    ("prestatiedatum;zorgverlener_agb;uzovi;verzekerdennr;bedrag\n2024-05-02;12004518;3311;401839922;12,14",
     [("NL_AGB", "12004518"), ("NL_UZOVI", "3311"), ("NL_MEMBER_NUMBER", "401839922")]),
    # grouped AGB codes in a tab table; a treatment date is no birth date
    ("zorgverlener\tAGB\tUZOVI\tdatum\nDe Wieken\t01 00 77 41\t3332\t12-03-2024\nDe Vlijt\t12-310588\t7095\t13-03-2024",
     [("NL_AGB", "01 00 77 41"), ("NL_UZOVI", "3332"), ("NL_AGB", "12-310588"), ("NL_UZOVI", "7095")]),
    # Markdown pipe table with a rule row; a cell with more than the value is not claimed
    ("| Naam | BSN | Lidnummer |\n|---|---|---|\n| Jan | 123456782 | ZK-1234567 |\n| Piet | 123456782 (oud) | 12 |",
     [("NL_BSN", "123456782"), ("NL_MEMBER_NUMBER", "ZK-1234567")]),
    # aligned plain text: columns by position
    ("Naam          Geboortedatum   AGB\nA. Jansen     12-03-1985      01012345\nB. de Vries   01-01-2090      00123456",
     [("DATE_OF_BIRTH", "12-03-1985"), ("NL_AGB", "01012345")]),
    # comma CSV: only rows with as many cells as the header (a decimal comma shifts the columns)
    ("naam,bsn,geboortedatum\nJansen,123456782,12-03-1985\nDe Vries,12,50,123456782", [("NL_BSN", "123456782"), ("DATE_OF_BIRTH", "12-03-1985")]),
    ("Graag uw BSN, naam en adres.\nDe klant belde, BSN 123456782, terug", []),
    # near misses: a header naming two identifiers; an amount column; one line is no table
    ("BSN/AGB\tbedrag\n123456782\t01012345", []),
    ("factuurnummer\tbedrag\n123456782\t12,50", []),
    ("BSN\t123456782", []),
    # prose with semicolons is no table: the header cell is no label
    ("Het gaat goed; de BSN-check volgt later; zie onder\nAanvraag 123456782; status open; 01012345", []),
]


@pytest.mark.parametrize("text,expected", TABLES)
def test_header_labels_its_column(text, expected):
    assert _found(TableColumnRecognizer(), text) == expected


PREVIOUS_TURN = [
    (DateOfBirthRecognizer(), "Assistent: Wat is je geboortedatum, ter controle?\nKlant: 8-3-1999", [("DATE_OF_BIRTH", "8-3-1999")]),
    (DateOfBirthRecognizer(), "Medewerker: Mag ik uw geboortedatum?\nKlant: Vijftien... 15-07-1958.", [("DATE_OF_BIRTH", "15-07-1958")]),
    # a date said in words first, then in digits: both are the answer
    (DateOfBirthRecognizer(), "GGD: Mag ik uw geboortedatum?\nMw: Ja, dat is zeventien april 1969... 17-04-1969.",
     [("DATE_OF_BIRTH", "zeventien april 1969"), ("DATE_OF_BIRTH", "17-04-1969")]),
    (NlMemberNumberRecognizer(), "Medewerker: Wat is uw polisnummer?\nBeller: Dat is 51 88 02 71.", [("NL_MEMBER_NUMBER", "51 88 02 71")]),
    (NlBsnRecognizer(), "Wat is uw BSN?\nKlant: 123456782", [("NL_BSN", "123456782")]),
    # near misses: the question asks about another date too; the value is not the first on its line;
    # the previous line is no question; the label labels a number of its own
    (DateOfBirthRecognizer(), "Wat is uw geboortedatum en behandeldatum?\nKlant: 12-03-1985", []),
    (DateOfBirthRecognizer(), "Wat is uw geboortedatum?\nKlant: kamer 12, op 12-03-2024", []),
    (DateOfBirthRecognizer(), "Uw geboortedatum staat goed.\nAfspraak 12-03-2024", []),
    (NlBsnRecognizer(), "BSN 123456782 klopt?\nfactuur: 111222333", [("NL_BSN", "123456782")]),
    (NlMemberNumberRecognizer(), "Wat is uw polisnummer?\nBeller: mijn factuurnummer is 12345678", []),
]


@pytest.mark.parametrize("recognizer,text,expected", PREVIOUS_TURN)
def test_question_on_previous_line_labels_first_value(recognizer, text, expected):
    assert _found(recognizer, text) == expected


DETECTOR = [
    # the same BSN again, far from its label, zero-padded
    ("Mijn sofinummer klopt niet in uw systeem; het juiste nummer is 22279180 (met een nul ervoor: 022279180).",
     [("NL_BSN", "22279180"), ("NL_BSN", "022279180")]),
    # a birth date alone after a name at the end of its line (a label, a table row)
    ("Dhr. G. Mulder  14-08-1940\nAmoxicilline 500 mg", [("PERSON", "G. Mulder"), ("DATE_OF_BIRTH", "14-08-1940")]),
    # near miss: a date after a name with more on the line is no birth date
    ("Dhr. G. Mulder  14-08-2024 gezien op de poli", [("PERSON", "G. Mulder")]),
    # the answer to a question about one number is another kind of number: the phone number wins
    ("Wat is uw polisnummer?\nBeller: dat weet ik niet, bel 0612345678", [("PHONE_NUMBER", "0612345678")]),
    # a dose with the unit pair IE is no postcode
    ("Dosering vitamine D 800 IE dd, daarna 2000 IE.", []),
]


@pytest.mark.parametrize("text,expected", DETECTOR)
def test_detector(text, expected):
    entities = ["NL_BSN", "PERSON", "DATE_OF_BIRTH", "NL_POSTCODE", "PHONE_NUMBER", "NL_MEMBER_NUMBER"]
    assert [(f.entity_type, text[f.start:f.end]) for f in get_detector().detect(text, entities)] == expected


@pytest.mark.parametrize("value,day", [("zeventien april 1969", 17), ("éénendertig mei 1980", 31), ("tweeentwintig jan 1990", 22),
                                       ("drieëntwintig juni 1970", 23)])
def test_spelled_out_day(value, day):
    assert dates.parse(value).day == day


@pytest.mark.parametrize("text,span,unit", [
    ("vitamine D 800 IE dd, daarna 2000 IE.", (29, 36), True),
    ("Kerkweg 1, 2000 IE Leiden", (11, 18), False),
    ("postcode 2000 IE", (9, 16), False),
])
def test_dose_before_the_unit(text, span, unit):
    assert postcode.is_unit(text, *span) is unit
