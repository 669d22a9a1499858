"""Eighth round (issue 10), names, places and addresses, developed on external_nl8: names in the fields of
machine formats, name particles, kinship lists and the words that look like names but are not. Each case is
(text, expected findings as (entity, value)) of the whole detector for the entity types named; every text is
written for this file (none is copied from a labelled set), near misses included.
"""

import pytest

from labels import detected


# Names in machine formats: an XML element or JSON key naming a name part, a bare 'naam'/'name' only with a
# listed name in it, FHIR's name-part extensions, HL7v2 XPN/XCN components (recognizers/name_fields.py).
MACHINE_FIELDS = [
    ("<Client><Naam><Geslachtsnaam><Naam>Kuipers</Naam><Voorvoegsel>de</Voorvoegsel></Geslachtsnaam>"
     "<Voorletters>AM</Voorletters></Naam></Client>",
     [("PERSON", "Kuipers"), ("PERSON", "de"), ("PERSON", "AM")]),
    ('{"resourceType": "Patient", "name": [{"family": "Oosterhuis", "given": ["Fenna", "Grietje"]}]}',
     [("PERSON", "Oosterhuis"), ("PERSON", "Fenna"), ("PERSON", "Grietje")]),
    ('{"family": "Berg", "_family": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/'
     'humanname-own-prefix", "valueString": "van den"}]}}',
     [("PERSON", "Berg"), ("PERSON", "van den")]),
    ('{"ts": "09:12", "from": "visitor", "name": "sanne vos", "msg": "hallo"}', [("PERSON", "sanne vos")]),
    ("<Dbtr><Nm>K L DE BRUIJN</Nm></Dbtr>", [("PERSON", "K L DE BRUIJN")]),
    ("PID|1||P-9^^^LAB||Smeets&van der&Smeets^Joke^M||19700101|F\nNK1|1|Pinas^Ramon|SPO",
     [("PERSON", "Smeets"), ("PERSON", "van der"), ("PERSON", "Smeets"), ("PERSON", "Joke"), ("PERSON", "M"),
      ("PERSON", "Pinas"), ("PERSON", "Ramon")]),
    ("PV1|1|I|CHIR^3^^ZKH||||01234567^Wolters^E^^^dr", [("PERSON", "Wolters"), ("PERSON", "E")]),
    # segments ended by CR (HL7's own separator) and the separators MSH declares: one HL7 module reads both
    ("MSH|$~\\&|HIS|ZKH\rPID|1||P-9$$$LAB||Baldewsingh&van&Baldewsingh$Ritesh||19700101|M\rPV1|1|O",
     [("PERSON", "Baldewsingh"), ("PERSON", "van"), ("PERSON", "Baldewsingh"), ("PERSON", "Ritesh")]),
    ("<Adres><Straatnaam>Molenstraat</Straatnaam><Huisnummer>3</Huisnummer></Adres>", [("ADDRESS", "Molenstraat")]),
    # near misses: things under a bare name key, an organisation, HL7 fields that hold no name, a code element
    ('{"name": "Zorggroep Oost B.V."}, {"name": "Patient"}, {"name": "huisarts"}', []),
    ("<Zorgaanbieder><Naam>Thuiszorg De Linde B.V.</Naam></Zorgaanbieder>", []),
    ("PV1|1|O|POLI^INT^^ZKH|||||||||||||||V0012", []),
    ("<Zorgprofiel>VV06</Zorgprofiel><Soort>Naam</Soort>", []),
]


@pytest.mark.parametrize("text,expected", MACHINE_FIELDS)
def test_names_in_machine_fields(text, expected):
    assert detected(text, {"PERSON", "ADDRESS"}) == expected


# A table's abbreviated tussenvoegsel column ('tussenv') labels its cells.
@pytest.mark.parametrize("text,expected", [
    ("lidnr\tachternaam\ttussenv\tvoorletters\n4411\tHeuvel\tvan den\tJ.\n4412\tBos\t\tK.",
     [("PERSON", "Heuvel"), ("PERSON", "van den"), ("PERSON", "J."), ("PERSON", "Bos"), ("PERSON", "K.")]),
])
def test_abbreviated_interfix_column(text, expected):
    assert detected(text, {"PERSON"}) == expected


# Tussenvoegsels of a preposition and an article ('aan de', 'uit den', "op 't"), capitalised after initials or
# after a hyphen ('Smit-Van Leeuwen', 'Graaf-Op den Velde'); a relation's 'van' before a lone first name is the
# sentence's (recognizers/person.NameGrammar, ContextNames).
PARTICLES = [
    ("Cc: Pieter aan de Stegge, Marloes op 't Veld", [("PERSON", "Pieter aan de Stegge"), ("PERSON", "Marloes op 't Veld")]),
    ("Brief voor H. Uit den Boogaart over de nota.", [("PERSON", "H. Uit den Boogaart")]),
    ("Mevrouw Smit-Van Leeuwen belde", [("PERSON", "Smit-Van Leeuwen")]),
    ("Aan: mr. A.B. de Graaf-Op den Velde", [("PERSON", "A.B. de Graaf-Op den Velde")]),
    ("de dochter van Sanne belde gisteren", [("PERSON", "Sanne")]),
    ("Overleg met de mentor van Daan (school).", [("PERSON", "Daan")]),
    # near misses: an addressee's 'aan' before an organisation; a place after a hyphen is no surname
    ("Stuur het formulier aan de Zorgverzekeraar.", []),
    ("Vestiging Noord-Van Buren is gesloten.", []),
]


@pytest.mark.parametrize("text,expected", PARTICLES)
def test_name_particles(text, expected):
    assert detected(text, {"PERSON"}) == expected


# Words that look like names but are not: months after a preposition or beside a number, German nouns and
# possessives, an organisation's unit as a mail's sender, a field ending in -isme, a tariff code's description
# after a delimiter, a firm named by a plural profession or after the initials of its owner, a label under a name
# column of an aligned form. True names beside them stay.
NOT_NAMES = [
    ("We moved to Utrecht in June and the card came in April.", []),
    ("Behandeling op 3 Mei afgerond, controle Juli 2027.", []),
    ("Seit dem Winter wohne ich hier; meine Tochter kam im Sommer.", []),
    ("Meine Unterlagen:\nName: Gerd Pohlmann", [("PERSON", "Gerd Pohlmann")]),
    ("Van: Facturatie Zorgsoft <facturatie@zorgsoft-example.nl>", []),
    ("Naam                Specialisme       AGB\ndr. K.L. Vermeulen  Orthopedie        01234567",
     [("PERSON", "K.L. Vermeulen")]),
    ("R17 | Kroon, volledig keramisch | € 412,10\nR18 | Brug | € 200", []),
    ("De zaak is overgedragen aan Gerechtsdeurwaarders De Haan & Verbeek.", []),
    ("12001\tTandartspraktijk R. Doğan\tNL07SNSB2032811960", []),
    ("Naam  Smits  Voornamen JOHANNA\nGeldig tot  01.02.2030\nBSN  123456782", [("PERSON", "Smits"), ("PERSON", "JOHANNA")]),
    # near misses the other way: a month name that is a person's, a person in a firm's letter
    ("Mevrouw June Pinas belde over haar nota.", [("PERSON", "June Pinas")]),
    ("Namens Gerechtsdeurwaarders De Haan, mr. P. Verbeek", [("PERSON", "P. Verbeek")]),
]


@pytest.mark.parametrize("text,expected", NOT_NAMES)
def test_words_that_look_like_names(text, expected):
    assert detected(text, {"PERSON"}) == expected


# Places that are not personal places: a country in German, a place inside a firm's or a practice's name, a
# quoted building's name with its article, an imperative opening an instruction; places that stay.
NOT_PLACES = [
    ("Ich wohne in Deutschland und arbeite in Kleve.", [("LOCATION", "Kleve")]),
    ("VAN DOORN BAKKER ADVOCATEN\nKeizersgracht 10", []),
    ("Fysio Ede Centrum, AGB 04063290", []),
    ("cliënten van woongroep 'De Hoeve' en 'Het Anker'", []),
    ("3. Controleer de nota.\n4. Leg de beslissing vast in het dossier.", []),
    ("Zij woont sinds mei in Leeuwarden.", [("LOCATION", "Leeuwarden")]),
]


@pytest.mark.parametrize("text,expected", NOT_PLACES)
def test_places_that_are_no_personal_places(text, expected):
    assert detected(text, {"LOCATION"}) == expected


# Relatives after a kinship word, listed names or not, a list after a plural one (RelativeNames); a surname that
# names a disease after a first name or a title; a Portuguese or Spanish second surname; 'Surname, Given' ending
# a field.
RELATIVES_AND_SHAPES = [
    ("Gezinsleden: zonen Dawit en Yonas, echtgenote Mehret.", [("PERSON", "Dawit"), ("PERSON", "Yonas"), ("PERSON", "Mehret")]),
    ("De tweeling (Obinna en Adaeze) is in 2024 geboren.", [("PERSON", "Obinna"), ("PERSON", "Adaeze")]),
    ("Machtiging voor de kinderen Tariq (2016) en Yara (2019).", [("PERSON", "Tariq"), ("PERSON", "Yara")]),
    ("My husband Arjun is also insured with you.", [("PERSON", "Arjun")]),
    ("Met vriendelijke groet, Mei Ling Li", [("PERSON", "Mei Ling Li")]),
    ("Gesprek met mevr. Parkinson over haar vader.", [("PERSON", "Parkinson")]),
    ("Aanvrager Ana Beatriz da Costa Pereira, geboren in Porto.", [("PERSON", "Ana Beatriz da Costa Pereira")]),
    ("Cliënt: Mensah, Kwabena (roepnaam Kobi)", [("PERSON", "Mensah, Kwabena"), ("PERSON", "Kobi")]),
    # near misses: a kinship word before an ordinary word, a place or a lowercase word; an eponym alone
    ("Haar zoon Woont in Utrecht en haar dochter gaat naar Zwolle.", []),
    ("De kinderen en ouders kwamen samen.", []),
    ("Behandeling voor de ziekte van Parkinson gestart.", []),
    ("Patiënt: Visser, Utrecht", [("PERSON", "Visser")]),
]


@pytest.mark.parametrize("text,expected", RELATIVES_AND_SHAPES)
def test_relatives_and_name_shapes(text, expected):
    assert detected(text, {"PERSON"}) == expected


# Lowercase chat and speech: a whole name after a sign-off before a bracket, 'dat is' before a listed name; chat
# handles glued to '@' (HandleNames).
LOWERCASE_AND_HANDLES = [
    ("kan iemand me terugbellen? groetjes fenna van der wal (06 1234 5678)", [("PERSON", "fenna van der wal")]),
    ("en de naam van uw moeder? ja dat is gerda de jong geboren in vijftig", [("PERSON", "gerda de jong")]),
    ("@sanne @daan can you check ticket 4411 before noon", [("PERSON", "sanne"), ("PERSON", "daan")]),
    # near misses: a room after a name, an ordinary phrase after 'dat is', a handle that is no name, an e-mail
    ("hoi ik ben rami van kamer 12 en mijn pas is kwijt", [("PERSON", "rami")]),
    ("ja dat is goed en dat is het", []),
    ("@here @channel release at five, mail naar info@anna.nl", []),
]


@pytest.mark.parametrize("text,expected", LOWERCASE_AND_HANDLES)
def test_lowercase_names_and_handles(text, expected):
    assert detected(text, {"PERSON"}) == expected


# A dose in capitals after a medicine's name or before a frequency is no postcode; an address's pair stays.
@pytest.mark.parametrize("text,expected", [
    ("Recept: Metformine 1000 MG, 2dd 1 bij het eten.", []),
    ("Ibuprofen 400 MG zo nodig", []),
    ("Dorpsstraat 4, 1000 MG Amsterdam", [("NL_POSTCODE", "1000 MG")]),
])
def test_doses_in_capitals(text, expected):
    assert detected(text, {"NL_POSTCODE"}) == expected


# A surname that is a place too, named after a title once, is the person at its other mentions; two unlisted
# capitalised words, the second a double surname, are a name.
@pytest.mark.parametrize("text,expected", [
    ("Mevrouw Oss uit Lent belde; Oss woont sinds mei in Nijmegen.",
     [("PERSON", "Oss"), ("LOCATION", "Lent"), ("PERSON", "Oss"), ("LOCATION", "Nijmegen")]),
    ("Verzoek van Íñigo Etxeberria-Goñi over zijn nota.", [("PERSON", "Íñigo Etxeberria-Goñi")]),
    # near misses: the place without a title anywhere; two provinces
    ("Zij woont in Doesburg en werkt in Zutphen.", [("LOCATION", "Doesburg"), ("LOCATION", "Zutphen")]),
    ("Vestigingen in Noord-Holland Zuid-Holland en Utrecht.", [("LOCATION", "Noord-Holland"), ("LOCATION", "Zuid-Holland"), ("LOCATION", "Utrecht")]),
])
def test_surname_places_and_double_surnames(text, expected):
    assert detected(text, {"PERSON", "LOCATION"}) == expected


# Names in file names: '_'-separated listed names with their tussenvoegsels as one span, an initial after them
# its own (recognizers/name_fields.py).
FILE_NAMES = [
    ("Bijlagen: scan_van_der_meer_annelies_20261103.pdf en kopie_ID_voorzijde.jpg",
     [("PERSON", "van_der_meer_annelies")]),
    ("upload\\2026\\nota_kaya_huisarts.jpg", [("PERSON", "kaya")]),
    ("BAKKER_J_19550102_machtiging.tif", [("PERSON", "BAKKER"), ("PERSON", "J")]),
    # near misses: file names of ordinary words, a tussenvoegsel without a name, a month
    ("Zie handleiding_declaraties_2026.pdf en verslag_van_de_vergadering.docx", []),
    ("overzicht_mei_juni_definitief.xlsx", []),
]


@pytest.mark.parametrize("text,expected", FILE_NAMES)
def test_names_in_file_names(text, expected):
    assert detected(text, {"PERSON"}) == expected
