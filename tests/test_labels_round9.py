"""Eighth round of general rules for identifiers and dates (issue 10), developed on external_nl8.

Cases are (text, expected findings as (entity, value)) of the whole detector, for the entity types
the rule is about; every text is written for this file (none is copied from a labelled set), and
each rule has near misses that must stay unfound.
"""

import pytest

from labels import detected
from recognizers.fields import FieldRecognizer, key_entity
from recognizers.hl7 import segment_fields

IDENTIFIERS = {"NL_MEMBER_NUMBER", "NL_AGB", "NL_KVK", "NL_BIG", "NL_UZOVI", "NL_BSN", "NL_ID_DOCUMENT", "PHONE_NUMBER",
               "DATE_OF_BIRTH", "EMAIL_ADDRESS", "IP_ADDRESS", "NL_BTW"}


def _detected(text, entities=IDENTIFIERS):
    return detected(text, entities)


XML = [
    # an element's name labels its value, the namespace prefix dropped
    ("<ns2:Bsn>123456782</ns2:Bsn><ns2:Geslacht>1</ns2:Geslacht>", [("NL_BSN", "123456782")]),
    ("<Burgerservicenummer>111222333</Burgerservicenummer>", [("NL_BSN", "111222333")]),
    ("<Client><Geboortedatum>19610312</Geboortedatum></Client>", [("DATE_OF_BIRTH", "19610312")]),
    # a generic child takes its parent's name
    ("<WMO:Geboortedatum>\n   <WMO:Datum>1961-03-12</WMO:Datum>\n</WMO:Geboortedatum>", [("DATE_OF_BIRTH", "1961-03-12")]),
    ("<AgbCode>03012345</AgbCode><Uzovi>3343</Uzovi>", [("NL_AGB", "03012345"), ("NL_UZOVI", "3343")]),
    # iStandaarden headers: eight digits are the provider's AGB code, four a zorgkantoor's UZOVI code in iWlz
    ('<WLZ305:Bericht xmlns:WLZ305="http://www.istandaarden.nl/iwlz/2_4/wlz305/schema"><WLZ305:Afzender>5506'
     '</WLZ305:Afzender><WLZ305:Ontvanger>36360101</WLZ305:Ontvanger>', [("NL_UZOVI", "5506"), ("NL_AGB", "36360101")]),
    # near misses: a municipality's code in iJw, an invalid BSN under its element, a generic element with no
    # labelled parent, a treatment date
    ('<JW315:Bericht xmlns:JW315="http://www.istandaarden.nl/ijw/3_2/jw315/schema"><JW315:Afzender>0344</JW315:Afzender>', []),
    ("<Bsn>123456789</Bsn>", []),
    ("<Toewijzing>\n  <Datum>1961-03-12</Datum>\n</Toewijzing>", []),
    ("<Ingangsdatum>19610312</Ingangsdatum><Volume>88120341</Volume>", []),
]

JSON = [
    ('{"bsn": "123456782", "geboortedatum": "1961-03-12"}', [("NL_BSN", "123456782"), ("DATE_OF_BIRTH", "1961-03-12")]),
    # FHIR Coverage: the subscriber's id is the member number; a key naming the insured that holds a number
    ('{"resourceType":"Coverage","subscriberId":"301455827","status":"active"}', [("NL_MEMBER_NUMBER", "301455827")]),
    ('{"actie":"VIEW","verzekerde":"402218876"}', [("NL_MEMBER_NUMBER", "402218876")]),
    # FHIR identifiers by their naming system's URI or OID
    ('{"system": "urn:oid:2.16.840.1.113883.2.4.6.3", "value": "111222333"}', [("NL_BSN", "111222333")]),
    ('{"system": "http://fhir.nl/fhir/NamingSystem/agb-z", "value": "01004567"}', [("NL_AGB", "01004567")]),
    ('{"value": "19012345601", "system": "http://fhir.nl/fhir/NamingSystem/big"}', [("NL_BIG", "19012345601")]),
    # near misses: a sub-OID (an organisation's own numbers), a count, a short client id, an invoice number
    ('{"system": "urn:oid:2.16.840.1.113883.2.4.6.1.3399", "value": "PT-0091827"}', []),
    ('{"verzekerde":"ja","aantal":88120341}', []),
    ('{"client_id":88712,"factuurnummer":"188901760"}', []),
]

XML_IDENTIFIERS = [
    # FHIR XML and HL7 v3 / CDA identifiers by their naming system's OID, either attribute first
    ('<identifier><system value="http://fhir.nl/fhir/NamingSystem/bsn"/><value value="111222333"/></identifier>',
     [("NL_BSN", "111222333")]),
    ('<id root="2.16.840.1.113883.2.4.6.3" extension="123456782"/><id extension="01004567" root="2.16.840.1.113883.2.4.6.1"/>',
     [("NL_BSN", "123456782"), ("NL_AGB", "01004567")]),
    # near misses: an organisation's own sub-OID, an invalid BSN
    ('<id root="2.16.840.1.113883.2.4.6.3.99" extension="123456782"/>', []),
    ('<id root="2.16.840.1.113883.2.4.6.3" extension="123456789"/>', []),
]

PATHS = [
    ("GET /v1/verzekerden/402218876/polis HTTP/1.1", [("NL_MEMBER_NUMBER", "402218876")]),
    ("PUT https://api.example.nl/zorgverleners/03012345/contract", [("NL_AGB", "03012345")]),
    # near misses: another collection, an id that is no AGB code
    ("GET /v1/declaraties/402218876 HTTP/1.1", []),
    ("GET /zorgverleners/00012345/contract", []),
]

HL7 = [
    ("MSH|^~\\&|HIS|ZKH|LAB|HA|20260101||ADT^A04|1|P|2.5\r"
     "PID|1||111222333^^^NLMINBIZA^NNNLD~7781^^^ZKH^PI||Smit^Anna||19610312|F\r"
     "PV1|1|O|POLI||||01004567^Bakker^J\r"
     "IN1|1|ZK|3311|Zilveren Kruis" + "|" * 32 + "771200934",  # IN1-36, the policy number
     [("NL_BSN", "111222333"), ("DATE_OF_BIRTH", "19610312"), ("NL_AGB", "01004567"), ("NL_UZOVI", "3311"),
      ("NL_MEMBER_NUMBER", "771200934")]),
    # near misses: a hospital's patient number in PID-3, a date that is no birth date in PID-7's place of another
    # segment, a BSN that fails the elfproef
    ("PID|1||7781229^^^ZKH^PI||Smit^Anna||20990101|F", []),
    ("PID|1||111222334^^^NLMINBIZA^NNNLD||Smit^Anna", []),
    ("EVN|A04|19610312|19610312|||||||19610312", []),
]

TABLES = [
    # an aligned header whose name column is followed by another column name ("Naam   Specialisme"):
    # two column names side by side make it a header row, and a row with as many cells as the header
    # is read cell by cell, however its columns drift
    ("Naam              Functie        BIG-nummer     AGB\n"
     "P. Smit       tandarts       19012345601   12004567\n",
     [("NL_BIG", "19012345601"), ("NL_AGB", "12004567")]),
    # near miss: a form's label and value
    ("Naam            Verhoef\nFunctie         tandarts\n", []),
]


@pytest.mark.parametrize("text, expected", XML + XML_IDENTIFIERS + JSON + PATHS + HL7)
def test_fields_of_machine_formats(text, expected):
    r = FieldRecognizer()
    assert [(x.entity_type, text[x.start:x.end]) for x in r.analyze(text, r.supported_entities)] == expected


@pytest.mark.parametrize("text, expected", XML + XML_IDENTIFIERS + JSON + PATHS + HL7 + TABLES)
def test_fields_through_the_detector(text, expected):
    found = _detected(text)
    assert [f for f in expected if f not in found] == []
    if not expected:
        assert [f for f in found if f[0] in {"NL_BSN", "NL_AGB", "NL_UZOVI", "NL_MEMBER_NUMBER", "DATE_OF_BIRTH"}] == []


def test_keys_are_read_as_column_names():
    assert [key_entity(k) for k in ("ns:Geboortedatum", "agbCode", "Burgerservicenummer", "BerichtCode", "Volume")] == [
        "DATE_OF_BIRTH", "NL_AGB", "NL_BSN", None, None]


def test_hl7_separators_from_msh():
    text = "MSH#^~\\&#X\rPID#1##111222333^^^NLMINBIZA"  # another field separator: not read as HL7 v2 here
    assert list(segment_fields(text)) == []


RECORDS = [
    # an insurer's reference (UZOVI/member number) instead of the BSN, a birth date a gender code follows
    ("Export:\n3343/402218876 VERHOEF AB 19610312 V 2513AB 7\n3311/551029388 OP DE KAMP J 19720101 M 9711AB 12",
     [("NL_UZOVI", "3343"), ("NL_MEMBER_NUMBER", "402218876"), ("DATE_OF_BIRTH", "19610312"),
      ("NL_UZOVI", "3311"), ("NL_MEMBER_NUMBER", "551029388"), ("DATE_OF_BIRTH", "19720101")]),
    # near misses: no gender code after the date, an unknown insurer code, prose
    ("3343/402218876 VERHOEF AB 19610312 2513AB 7", []),
    ("9999/402218876 VERHOEF AB 19610312 V 2513AB 7", []),
    ("3343/402218876 betaald op 19610312 V 2513AB 7", []),
]

MEMBER_NUMBERS = [
    # the insurance card's number: a card with its article or owner, the card named in the sentence
    ("Uw zorgpas houdt hetzelfde nummer (55120419).", [("NL_MEMBER_NUMBER", "55120419")]),
    ("het nummer op mijn pasje is 40771203 toch?", [("NL_MEMBER_NUMBER", "40771203")]),
    ("De oude pas 88 14 02 117 is geblokkeerd.", [("NL_MEMBER_NUMBER", "88 14 02 117")]),
    ("Heb jij pa's nieuwe zorgpas?\nja. nummer is 41 330 2291", [("NL_MEMBER_NUMBER", "41 330 2291")]),
    # numbers of the same shape listed after one, each with its holder
    ("Nummers op de pas: 7781-220-01 (u), 7781-220-02 (Ravi) en 7781-220-03 (Mira).",
     [("NL_MEMBER_NUMBER", "7781-220-01"), ("NL_MEMBER_NUMBER", "7781-220-02"), ("NL_MEMBER_NUMBER", "7781-220-03")]),
    # a claim's client directly before the number; a member number said digit by digit after its label
    ("Niet belasten: cliënt 402218876 is overleden.", [("NL_MEMBER_NUMBER", "402218876")]),
    ("en mijn klantnummer is zes zes nul twee een acht drie alvast bedankt", [("NL_MEMBER_NUMBER", "zes zes nul twee een acht drie")]),
    # near misses: "pas" as an adverb, a bare "pasje", a client's age
    ("Hij is pas 12345678 seconden oud.", []),
    ("ik ben mijn pasje kwijt. nummer is 40239187", []),
    ("de cliënt is 81 jaar", []),
]


@pytest.mark.parametrize("text, expected", RECORDS + MEMBER_NUMBERS)
def test_records_and_member_numbers(text, expected):
    found = [f for f in _detected(text) if f[0] in {"NL_UZOVI", "NL_MEMBER_NUMBER", "DATE_OF_BIRTH", "NL_BSN"}]
    assert found == expected


def test_a_card_shows_the_bsn_too():
    assert _detected("Het BSN staat op de zorgpas: 123456782") == [("NL_BSN", "123456782")]


BIRTH_DATES = [
    # German labels; an English ordinal; an English weekday belongs to the date as a Dutch one does
    ("Name: Jürgen Weiß\nGeburtsdatum: 03.11.1971\nAnschrift: Kleve", [("DATE_OF_BIRTH", "03.11.1971")]),
    ("Vornamen ANNA\nGeburtstag 21.06.1984", [("DATE_OF_BIRTH", "21.06.1984")]),
    ("My DOB is 3rd of April 1988, my wife's 22nd May 1990.", [("DATE_OF_BIRTH", "3rd of April 1988")]),
    ("She was born on Wednesday 4 June 1952 in Leeds.", [("DATE_OF_BIRTH", "Wednesday 4 June 1952")]),
    # an age that fits the date straight after it
    ("Melding: Tom Visser, 14-02-1999 (27 jr), bewusteloos", [("DATE_OF_BIRTH", "14-02-1999")]),
    ("Mw. Kok, 3-4-1950, 76 jaar, woont alleen", [("DATE_OF_BIRTH", "3-4-1950")]),
    # a gender sign between name and date, a two-digit year in brackets after a name, a child's role with its year
    ("Patiënt: Noor de Wit, ♀, 30-06-2001", [("DATE_OF_BIRTH", "30-06-2001")]),
    ("belde dhr Henk de Groot (12-05-49) over zijn bril", [("DATE_OF_BIRTH", "12-05-49")]),
    ("Gezin: Wayan Putra (kind, 2017)", [("DATE_OF_BIRTH", "2017")]),
    # near misses: an age that does not fit, a treatment date with an age, "years ago", a street number
    ("Melding van 14-02-2019 (27 jr), bewusteloos", []),
    ("behandeld op 14-02-1999 (27 jr)", []),
    ("op 3 mei 2001 (25 jaar geleden) verhuisd", []),
    ("Geburtsort Emmerich, ausgestellt am 03.05.2020", []),
]


@pytest.mark.parametrize("text, expected", BIRTH_DATES)
def test_birth_dates(text, expected):
    assert _detected(text, {"DATE_OF_BIRTH"}) == expected


ID_DOCUMENTS_AND_BSN = [
    # a question with the label, answered in the next sentence after a short lead
    ("Mag het paspoortnummer ook? Dat is NP7K2R4D1.", [("NL_ID_DOCUMENT", "NP7K2R4D1")]),
    ("Wat is uw BSN? Het is 123456782", [("NL_BSN", "123456782")]),
    # a foreign document named with its number in brackets, a German Personalausweis, a Polish ID with 'ID, nr.'
    ("Zijn Turkse paspoort (U17403321) is verlopen.", [("NL_ID_DOCUMENT", "U17403321")]),
    ("Personalausweis\nAusweisnummer T22000129\nName MÜLLER", [("NL_ID_DOCUMENT", "T22000129")]),
    ("Pools ID, nr. ABA300000 gecontroleerd", [("NL_ID_DOCUMENT", "ABA300000")]),
    # a misspelt BSN label, an aside in brackets between it and the number
    ("mijn burgerservicnummer (op het formulier staat het fout) is 111222333", [("NL_BSN", "111222333")]),
    # near misses: a question answered by another kind of number, a word in brackets after the document's name,
    # a misspelt label before a number failing the elfproef
    ("Heeft u een factuurnummer? Dat is 123456782", []),
    ("paspoort: BESTANDE8 kwijt", []),
    ("mijn burgerservicnummer is 111222334", []),
]


@pytest.mark.parametrize("text, expected", ID_DOCUMENTS_AND_BSN)
def test_id_documents_and_bsn(text, expected):
    assert _detected(text, {"NL_ID_DOCUMENT", "NL_BSN"}) == expected


SMALL_RULES = [
    # e-mail in a query string and in a SQL string: the address without the URL or the quote
    ("POST /api/contact?email=anna.smit@ziggo.nl&x=1 HTTP/1.1", [("EMAIL_ADDRESS", "anna.smit@ziggo.nl")]),
    ("UPDATE klant SET email = 'p.kok@kpnmail.nl' WHERE id = 4", [("EMAIL_ADDRESS", "p.kok@kpnmail.nl")]),
    ("mail o'brien@example.nl graag", [("EMAIL_ADDRESS", "o'brien@example.nl")]),
    # a country code in brackets
    ("bel (0031) 6 1234 5678 na vijven", [("PHONE_NUMBER", "(0031) 6 1234 5678")]),
    # a btw-id without NL, its label further back in the sentence
    ("Btw-nummer zonder landcode werkt niet in het portaal: 004495445B01.", [("NL_BTW", "004495445B01")]),
    # AGB: glued by a dash in a FHIR reference, an EI file's name, Vektis' printed form after a provider's role
    ('"reference": "Practitioner/agb-01004567"', [("NL_AGB", "01004567")]),
    ('put "/in/PM304_04012345_20260101.asc"', [("NL_AGB", "04012345")]),
    ("huisarts Pinas (01-004567) declareert een consult", [("NL_AGB", "01-004567")]),
    # a query key with its own value; the status and size after it are not member numbers
    ('GET /polis?relatienummer=40231102&jaar=2026 HTTP/1.1" 200 5123 "-"', [("NL_MEMBER_NUMBER", "40231102")]),
    # near misses: a machtiging after a member number, an unknown standard code, a dashed number with no role,
    # a bare btw-id without a label, a passport's date of issue under a form of labels
    ("verzekerdennummer 139027715, machtiging M-2026-88012", [("NL_MEMBER_NUMBER", "139027715")]),
    ('put "/in/XY304_04012345_20260101.asc"', []),
    ("kamer 01-004567 is vrij", []),
    ("artikel 004495445B01 besteld", []),
    ("Geboorteplaats/Place of birth  ROTTERDAM\nGeslacht/Sex  M    Lengte 1,81 m\nDatum van afgifte  14 MRT/MAR 2022", []),
]


@pytest.mark.parametrize("text, expected", SMALL_RULES)
def test_small_rules(text, expected):
    assert _detected(text) == expected


FINANCING = [
    # a financing company's contract is with a person: its number identifies the customer
    ("Aanvraag tandartsfinanciering\nAanvrager: R. Pinas\nContractnummer: TF-2025-004417", [("NL_MEMBER_NUMBER", "TF-2025-004417")]),
    ("uw behandeling bij Tandfinanciering Noord (contractnummer TF-2023-118204) is overgedragen",
     [("NL_MEMBER_NUMBER", "TF-2023-118204")]),
    ("ontvangen per post van verz. 402 218 876, nota klopt niet", [("NL_MEMBER_NUMBER", "402 218 876")]),
    # near misses: a contract number where no financing is spoken of, "verz." before a date
    ("Het contractnummer 2026-0012 van de zorginkoop is verlengd.", []),
    ("verz. 12-03-2026 verstuurd", []),
]


@pytest.mark.parametrize("text, expected", FINANCING)
def test_financing_contracts(text, expected):
    assert _detected(text, {"NL_MEMBER_NUMBER"}) == expected


OCR_PHONES = [
    # OCR's O, l and I between the digits of a phone's shape, read back to a valid Dutch number
    ("Telefoon O2O-5l2 34 56 graag", [("PHONE_NUMBER", "O2O-5l2 34 56")]),
    ("bel terug!! 06 1O 28 77 31", [("PHONE_NUMBER", "06 1O 28 77 31")]),
    # near misses: a code of letters and digits that reads back to no number, a word
    ("Order O12345678l kwijt", []),
    ("Oslo en Ol 23 45", []),
]


@pytest.mark.parametrize("text, expected", OCR_PHONES)
def test_ocr_phone_numbers(text, expected):
    assert _detected(text, {"PHONE_NUMBER"}) == expected
