"""Seventh round of general rules for identifiers and dates (issue 10), developed on external_nl7.

Cases are (text, expected findings as (entity, value)) of the whole detector, for the entity types
the rule is about; every text is written for this file (none is copied from a labelled set), and
each rule has near misses that must stay unfound.
"""

import pytest

from labels import detected

IDENTIFIERS = {"NL_MEMBER_NUMBER", "NL_AGB", "NL_KVK", "NL_BIG", "NL_UZOVI", "NL_BSN", "NL_ID_DOCUMENT", "PHONE_NUMBER",
               "DATE_OF_BIRTH", "EMAIL_ADDRESS", "IP_ADDRESS"}


TABLE_HEADERS = [
    # a header cell that is one of discovery's column names (an export's key) labels its column
    ("lid_id;achternaam;bedrag\n620118347;Kramer;12,50\n620118355;Smit;8,00",
     [("NL_MEMBER_NUMBER", "620118347"), ("NL_MEMBER_NUMBER", "620118355")]),
    ("relatie_id\tplaats\n55102938\tEde\n55102946\tEpe", [("NL_MEMBER_NUMBER", "55102938"), ("NL_MEMBER_NUMBER", "55102946")]),
    # near misses: a column named after another number, a cell that is no member number
    ("factuur_id;bedrag\n620118347;12,50\n620118355;8,00", []),
    ("klant_id;opmerking\nonbekend;geen\nn.v.t.;geen", []),
]

RECORD_CELLS = [
    # a delimited record without a header: the BSN, the member number and the UZOVI code beside it, the
    # AGB code by its zorgverlenersoort, of two dates the one a gender code follows
    ("|12043311|3311|40029871|111222333|1971-08-14|M|2513AB|7|13001|20260912|000004250|",
     [("NL_AGB", "12043311"), ("NL_UZOVI", "3311"), ("NL_MEMBER_NUMBER", "40029871"), ("NL_BSN", "111222333"),
      ("DATE_OF_BIRTH", "1971-08-14")]),
    ("03011234;0104;551029388;123456782;02-02-1990;V;9711AB;12",
     [("NL_AGB", "03011234"), ("NL_UZOVI", "0104"), ("NL_MEMBER_NUMBER", "551029388"), ("NL_BSN", "123456782"),
      ("DATE_OF_BIRTH", "02-02-1990")]),
    # near misses: no BSN (the elfproef fails), a line of prose, two dates and no gender code
    ("|12043311|3311|40029871|111222334|1971-08-14|M|2513AB|7|", []),
    ("|factuur|3311|40029871|123456782|1971-08-14|M|2513AB|7|", []),
    ("|3311|40029871|111222333|1971-08-14|2026-09-12|2513AB|", []),
]

BIRTH_DATES = [
    # a list of people: the role on the policy or in the family as the field before the date
    ("Op de polis:\nJ. KRAMER        verzekeringnemer   03-04-1969\nL. KRAMER        kind               14-02-2012",
     [("DATE_OF_BIRTH", "03-04-1969"), ("DATE_OF_BIRTH", "14-02-2012")]),
    # ... or a head whose last column is the birth date
    ("Deelnemers cursus (nr / naam / geb.datum)\n1  Vos, mw. E.     12-12-1950\n2  Hoekstra, dhr. K.     01-03-1948",
     [("DATE_OF_BIRTH", "12-12-1950"), ("DATE_OF_BIRTH", "01-03-1948")]),
    # an age before the date, a note's 'gb', a weekday before it, Frisian, 'Geb.dat.' before spaced digits
    ("Pt. is 61 jaar (18-07-1965), verwezen door de huisarts.", [("DATE_OF_BIRTH", "18-07-1965")]),
    ("leeftijd 47 (1979), rookt niet", [("DATE_OF_BIRTH", "1979")]),
    ("klant: H. Smits gb 14-3-1950, belt terug", [("DATE_OF_BIRTH", "14-3-1950")]),
    ("Cliënt geb. zaterdag 9 juni 1956, woont zelfstandig", [("DATE_OF_BIRTH", "zaterdag 9 juni 1956")]),
    ("Us mem is berne op 2 desimber 1938 yn Snits.", [("DATE_OF_BIRTH", "2 desimber 1938")]),
    ("Geb.dat.: 17 05 1977", [("DATE_OF_BIRTH", "17 05 1977")]),
    # near misses: a list of treatment dates under its head, a role row with a treatment date's head,
    # an age in brackets without a date, the 'gb' of a file size, a weekday of an appointment
    ("Afspraken (naam / datum)\nVos, mw. E.     12-12-2025\nHoekstra, dhr. K.     01-03-2026", []),
    ("Uw bestand is 2 gb 14-3-2026 verstuurd.", []),
    ("Pt. 61 jaar (controle 18-07-2026)", []),
    ("Afspraak op dinsdag 9 juni 2026 om 10:00.", []),
]

ID_DOCUMENTS = [
    # the document's own name straight before its number, perhaps with whose it is and 'nr'
    ("Legitimatie gezien: identiteitskaart nr. RKTPWHXJ3", [("NL_ID_DOCUMENT", "RKTPWHXJ3")]),
    ("Bijlage: paspoort aanvrager (nr. XPLWQRVT7)", [("NL_ID_DOCUMENT", "XPLWQRVT7")]),
    ("Document: Nederlands paspoort nr MBZTRKQL4", [("NL_ID_DOCUMENT", "MBZTRKQL4")]),
    ("Paspoort/ID: SPR2K81T4", [("NL_ID_DOCUMENT", "SPR2K81T4")]),
    # a generic 'nummer' with the document named earlier in the sentence
    ("Rijbewijs niet bij zich, ID-kaart van de moeder wel gezien en gecontroleerd, nummer IR4T82KP5.",
     [("NL_ID_DOCUMENT", "IR4T82KP5")]),
    # near misses: eight letters and a digit without the document's name straight before, a generic
    # 'nummer' without a document in the sentence
    ("Paspoort verlopen. Code van de actie: KORTINGX5", []),
    ("Nederlands paspoort BESTANDE8 kwijt", []),
    ("Het nummer IR4T82KP5 staat op de doos.", []),
]

GLUED_AND_MEMBERS = [
    # an AGB or UZOVI code glued to its label in a Vektis file's name
    ("upload /vektis/AGB03011234_UZOVI0104_MZ301_202611.asc ok", [("NL_AGB", "03011234"), ("NL_UZOVI", "0104")]),
    # near misses: a word ending in the label, more digits than the code has
    ("upload /in/MAGB03011234_XUZOVI0104.asc", []),
    ("bestand AGB030112345.txt", []),
    # member numbers: plurals before a list, insured under a number, Polish, a mandate's sequence, REL and a space
    ("Samengevoegd: relaties 55102938 en 55102946.", [("NL_MEMBER_NUMBER", "55102938"), ("NL_MEMBER_NUMBER", "55102946")]),
    ("Ik ben verzekerd onder 662019384 sinds januari.", [("NL_MEMBER_NUMBER", "662019384")]),
    ("wij zitten bij jullie, ik zit onder 551029376 en mijn man ook", [("NL_MEMBER_NUMBER", "551029376")]),
    ("Mój numer klienta: 440192837", [("NL_MEMBER_NUMBER", "440192837")]),
    ("Mandaatkenmerk POL-330918274-02", [("NL_MEMBER_NUMBER", "330918274")]),
    ("12-10  ZORGVERZEKERING PREMIE OKT REL 440192837  Af  131,20", [("NL_MEMBER_NUMBER", "440192837")]),
    # near misses: a price below which something falls, an amount after 'zit onder'
    ("Dit bedrag zit onder 250 euro.", []),
    ("De declaratie zit onder behandeling sinds 12-10-2026.", []),
]

EMAIL_AND_IP = [
    # reserved and private top-level names are still a person's address
    ("Reply-To: j.bakker@zorggroep.local", [("EMAIL_ADDRESS", "j.bakker@zorggroep.local")]),
    ("testaccount m.visser@portaal.test aangemaakt", [("EMAIL_ADDRESS", "m.visser@portaal.test")]),
    # near misses: an unknown top-level name; a version in a compound label
    ("stuur naar info@praktijk.zorgnl123", []),
    ("Softwareversie kassasysteem: 4.12.0.7, build 2211", []),
    ("Firmware 10.3.1.22 geïnstalleerd", []),
    # ... while an IP address after its label stays one
    ("Ingelogd vanaf IP 81.204.12.9 om 10:02", [("IP_ADDRESS", "81.204.12.9")]),
]


PHONES = [
    # a line broken after a dash with a space before it; a spoken number wrapped over two lines
    ("Graag terugbellen op 030 -\n2345 678 na vijven.", [("PHONE_NUMBER", "030 -\n2345 678")]),
    ("mijn nummer is nul zes een twee drie\nvier vijf zes zeven acht dank u", [("PHONE_NUMBER", "nul zes een twee drie\nvier vijf zes zeven acht")]),
    # near misses: a date broken over a line, a count of words over two lines
    ("behandeld op 12 -\n03-2026", []),
    ("nul zes een\n\ntwee drie vier", []),
]


@pytest.mark.parametrize("text,expected", PHONES)
def test_phones(text, expected):
    assert detected(text, {"PHONE_NUMBER"}) == expected


@pytest.mark.parametrize("text,expected", TABLE_HEADERS)
def test_table_headers_that_are_column_names(text, expected):
    assert detected(text, {"NL_MEMBER_NUMBER"}) == expected


@pytest.mark.parametrize("text,expected", RECORD_CELLS)
def test_delimited_record_cells(text, expected):
    assert detected(text, IDENTIFIERS) == expected


@pytest.mark.parametrize("text,expected", BIRTH_DATES)
def test_birth_dates(text, expected):
    assert detected(text, {"DATE_OF_BIRTH"}) == expected


@pytest.mark.parametrize("text,expected", ID_DOCUMENTS)
def test_id_documents(text, expected):
    assert detected(text, {"NL_ID_DOCUMENT"}) == expected


@pytest.mark.parametrize("text,expected", GLUED_AND_MEMBERS)
def test_glued_labels_and_member_numbers(text, expected):
    assert detected(text, {"NL_MEMBER_NUMBER", "NL_AGB", "NL_UZOVI"}) == expected


@pytest.mark.parametrize("text,expected", EMAIL_AND_IP)
def test_email_and_ip(text, expected):
    assert detected(text, {"EMAIL_ADDRESS", "IP_ADDRESS"}) == expected
