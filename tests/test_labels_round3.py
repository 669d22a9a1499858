"""Second round of general label rules (issue 10), each with true matches and near misses.

Cases are (text, expected findings as (entity, value)); near misses (an
invalid checksum, a label that labels another number, an ordinary word)
expect nothing of the entity under test.
"""

import pytest

from pii_pipeline.config import DEFAULT_SCORE_THRESHOLD
from pii_pipeline.detection import get_detector
from recognizers import (DateOfBirthRecognizer, DutchPersonRecognizer, NlBsnRecognizer, NlMemberNumberRecognizer,
                         TableColumnRecognizer)


def _found(recognizer, text, entities=None):
    """What the recognizer reports at the detector's default threshold (0.5: a bare valid BSN scores 0.4)."""
    return [(r.entity_type, text[r.start:r.end]) for r in recognizer.analyze(text, entities or recognizer.supported_entities)
            if r.score >= DEFAULT_SCORE_THRESHOLD]


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


LABELLED = [
    # a chat's time stamps before the speaker, a hint after the question
    (DateOfBirthRecognizer(), "[10:02] Assistent: Wat is uw geboortedatum? (dd-mm-jjjj)\n[10:03] Bezoeker: 09-07-1954",
     [("DATE_OF_BIRTH", "09-07-1954")]),
    (NlBsnRecognizer(), "[10:02] Assistent: de cijfers van uw BSN?\n[10:03] Bezoeker: hier is heel het nummer 644260695",
     [("NL_BSN", "644260695")]),
    # a question inside the previous line, words without a number after it
    (NlBsnRecognizer(), "12-04-25 19:31 - Wiebren: en haar bsn? ze vragen er altijd naar\n12-04-25 19:35 - Baukje: 178201947",
     [("NL_BSN", "178201947")]),
    # a question answered in the same line, only quotes between
    (DateOfBirthRecognizer(), "Gevraagd: wanneer geboren? \"21 juli '63\". Spoedplek morgen.", [("DATE_OF_BIRTH", "21 juli '63")]),
    # the label in the previous sentence of the line, nothing else since (BSN: the elfproef is strong)
    (NlBsnRecognizer(), "Gevraagd naar BSN van de zoon. Mw. geeft: 598598467.", [("NL_BSN", "598598467")]),
    # nine digits grouped as people type them, after the label
    (NlBsnRecognizer(), "Mijn BSN is 28686 7722 (zoals gevraagd).", [("NL_BSN", "28686 7722")]),
    (NlBsnRecognizer(), "Mag ik uw BSN?\nBeller: Ja: 2 3 2 3 3 2 1 1 3.", [("NL_BSN", "2 3 2 3 3 2 1 1 3")]),
    # a year alone, or spaced digits, straight after the birth label
    (DateOfBirthRecognizer(), "mevrouw Wongsodikromo, geboren in '41 (volgens de zoon)", [("DATE_OF_BIRTH", "'41")]),
    (DateOfBirthRecognizer(), "3. Geboortedatum: 1993 (precieze datum onbekend)", [("DATE_OF_BIRTH", "1993")]),
    (DateOfBirthRecognizer(), "k.304 dhr. Bakhuis (geb. '45): ontslag morgen", [("DATE_OF_BIRTH", "'45")]),
    (DateOfBirthRecognizer(), "mijn naam is nour haddad geb 14 3 2001", [("DATE_OF_BIRTH", "14 3 2001")]),
    # a date said aloud
    (DateOfBirthRecognizer(), "Geboortedatum? – zes oktober negentienvijfenzestig. – Postcode?", [("DATE_OF_BIRTH", "zes oktober negentienvijfenzestig")]),
    (DateOfBirthRecognizer(), 'stap 1 geboortedatum: "elf elf negenenzeventig"', [("DATE_OF_BIRTH", "elf elf negenenzeventig")]),
    # near misses: the previous sentence labels another number; the question line has a number after it;
    # the BSN grouping without a label; the year not straight after the label; a future year;
    # the elfproef fails
    (NlBsnRecognizer(), "Gevraagd naar BSN. Factuur 598598467 betaald.", []),
    (NlBsnRecognizer(), "Gevraagd naar BSN 123456782. Mw. geeft: 598598467.", [("NL_BSN", "123456782")]),
    (NlBsnRecognizer(), "en haar bsn? kamer 12\nBaukje: 178201947", []),
    (NlBsnRecognizer(), "Bel 28686 7722 na vijven.", []),
    (DateOfBirthRecognizer(), "geboren in Utrecht, verhuisd in '70", []),
    (DateOfBirthRecognizer(), "Geboortedatum: 2090", []),
    (DateOfBirthRecognizer(), "geb 31 2 2001", []),
    (NlBsnRecognizer(), "Mijn BSN is 28686 7723.", []),
]


@pytest.mark.parametrize("recognizer,text,expected", LABELLED)
def test_labels_away_from_the_value(recognizer, text, expected):
    assert _found(recognizer, text) == expected


DETECTOR = [
    # a gender mark between the name and the date; a list of people one a line
    ("Betreft: Nasrallah, H. (m), 21-9-1992", [("PERSON", "Nasrallah, H."), ("DATE_OF_BIRTH", "21-9-1992")]),
    ("Kinderen:\nLina: 02-03-2012, BSN 113682517", [("PERSON", "Lina"), ("DATE_OF_BIRTH", "02-03-2012"), ("NL_BSN", "113682517")]),
    # a birth date again in another notation, or in digits after words
    ("Geboortedatum volgens paspoort: 07 JUN 1981 / 07.06.1981", [("DATE_OF_BIRTH", "07 JUN 1981"), ("DATE_OF_BIRTH", "07.06.1981")]),
    ("AGENT: uw geboortedatum?\nKLANT: Drie februari achtentachtig.\nAGENT: Dus 03-02-1988, klopt.",
     [("DATE_OF_BIRTH", "Drie februari achtentachtig"), ("DATE_OF_BIRTH", "03-02-1988")]),
    # near misses: a speaker and a date inside a line; another date than the birth date
    ("Gisteren zei Anna: 12-03-2020, dat was de afspraak.", [("PERSON", "Anna")]),
    ("geboren op 12-03-1975, is op 14-11-2024 behandeld", [("DATE_OF_BIRTH", "12-03-1975")]),
]


@pytest.mark.parametrize("text,expected", DETECTOR)
def test_detector_birth_dates(text, expected):
    assert _detected(text, ["PERSON", "DATE_OF_BIRTH", "NL_BSN"]) == expected


NAMES = [
    # lowercase chat: a time stamp and speaker before the line; strong cues take rarer words, and the
    # name goes on over the next such words; a label word ends it
    ("[14:06] Nour: ik moet mn afspraak verzetten mijn naam is nour haddad geb 14 3 2001", ["Nour", "nour haddad"]),
    ("waarom moet ik wachten. naam dilan karakuş lidnr 55102987. schandalig", ["dilan karakuş"]),
    ('"hallo dokter ik ben fatma de moeder van elif sarıkaya zij heeft koorts"', ["fatma", "elif sarıkaya"]),
    ('sms 08:12 "beste mevr kowalczyk herinnering: morgen bloedprikken"', ["kowalczyk"]),
    ("hoi zr. annemiek ik ben thuis. de chauffeur mustafa was aardig. grtjs mevr. ait taleb", ["annemiek", "mustafa", "ait taleb"]),
    ("goedemorgen ik ben ziek kan niet komen vandaag. gr ilse", ["ilse"]),
    # near misses: ordinary words after a cue; a weak cue takes only very rare words; a greeting not at the end
    ("hoi ik ben ziek en ik ben bang", []),
    ("met vriendelijke groet,\nnamens dezen,", []),
    ("gr ilse en tot morgen", []),
    # an organisation's name after its head word is no person
    ("Aan: Tandartspraktijk Kwakernaak & Ouwehand", []),
    ("overgenomen door Gezondheidscentrum Sterrenburg. Ik heb", []),
    ("Aan de klachtencommissie van Zorggroep Lek en IJssel", []),
    ("Fysiotherapie De Brug\nLaan van Meerdervoort 412", []),
    ("Azarkan Bouw & Onderhoud | KvK 38024842", []),
    # ... but a lowercase discipline before a name is not a head ("de fysiotherapie Hoekstra" stays a name)
    ("Declaratie (fysiotherapie Hoekstra) afgewezen", ["Hoekstra"]),
    # "Surname, First name" as a form or a list writes it
    ("Naam: Dąbrowski, Tomasz\nGeboortedatum: 05-05-1979", ["Dąbrowski, Tomasz"]),
    ("relatie 40231102 (Aït-Taleb, Hassan, 01-07-1972) zijn dezelfde", ["Aït-Taleb, Hassan"]),
    ("Zij neemt het over van Lieuwko Grevendonk. Dank, Lieuwko, voor 31 jaar!", ["Lieuwko Grevendonk", "Lieuwko"]),
    ("Thanks, Agnieszka", ["Agnieszka"]),
    # initials alone after a role or a label, at the end of their item
    ("Intake nieuwe patiënt, behandelaar A.S.\n\nPatiënt: Kacper Wójcik", ["A.S.", "Kacper Wójcik"]),
    ("Medewerker: L. (paraaf)", ["L."]),
    # a call name in brackets after a name
    ("Cliënte: mevrouw Wongsodikromo (Sarmi), geboren in '41", ["Wongsodikromo", "Sarmi"]),
    ("mevrouw Jansen (Utrecht) belde", ["Jansen"]),
    # a capitalised preposition before a first name; a department; a salutation does not reach the next line
    ("Verslag\nBij Sharon en Romano Winklaar thuis geweest.", ["Sharon", "Romano Winklaar"]),
    ("Ontvanger: Dermatologie, Rijnstate Arnhem", []),
    ("Goedemiddag,\n\nZie onderstaand.", []),
    ("Voornamen / Given names: HILLEGONDA MARIA", ["HILLEGONDA MARIA"]),  # "Given" is no name
    ("medicatie voor haar man Zbigniew (14.04.1955)", ["Zbigniew"]),
]


@pytest.mark.parametrize("text,expected", NAMES)
def test_names(text, expected):
    assert [v for e, v in _found(DutchPersonRecognizer(), text)] == expected


PLACES = [
    # lowercase addresses and places in chat: with a postcode, a place or a label next to them
    ("hierbij mn nieuwe adres meidoornstraat 14 5421 ks gemert groetjes",
     [("ADDRESS", "meidoornstraat 14"), ("NL_POSTCODE", "5421 ks"), ("LOCATION", "gemert")]),
    ("kan ik nieuwe krijgen. ik woon van ostadelaan 201 hilversum", [("ADDRESS", "van ostadelaan 201"), ("LOCATION", "hilversum")]),
    ("ik woon nu bij mn vriend in berkel en rodenrijs", [("LOCATION", "berkel en rodenrijs")]),
    ("adres: ds kuypersstraat 9   pc: 3262 VB   plaats: oud-beijerland",
     [("ADDRESS", "ds kuypersstraat 9"), ("NL_POSTCODE", "3262 VB"), ("LOCATION", "oud-beijerland")]),
    # titles before a street, a street word before a street's name, a room or number after the number
    ("Adres: Prof. Dr. Dorgelolaan 40, 5613 AM Eindhoven", [("ADDRESS", "Prof. Dr. Dorgelolaan 40"), ("NL_POSTCODE", "5613 AM"), ("LOCATION", "Eindhoven")]),
    ("Adres: Ds. van Gilselaan 14, 7312 KE Apeldoorn.", [("ADDRESS", "Ds. van Gilselaan 14"), ("NL_POSTCODE", "7312 KE"), ("LOCATION", "Apeldoorn")]),
    ("G.J. Bleijenberg\tHoofdweg Oostzijde 1012\t2153 LS",
     [("PERSON", "G.J. Bleijenberg"), ("ADDRESS", "Hoofdweg Oostzijde 1012"), ("NL_POSTCODE", "2153 LS")]),
    ("Adres: Vleutenseweg 283 kamer 4, Utrecht", [("ADDRESS", "Vleutenseweg 283 kamer 4"), ("LOCATION", "Utrecht")]),
    ("nieuw: Plein 1945 nr. 7, 1511 ET Oostzaan", [("ADDRESS", "Plein 1945 nr. 7"), ("NL_POSTCODE", "1511 ET"), ("LOCATION", "Oostzaan")]),
    # a street named after a person, in Frisian; a street in no list known by its field label and postcode
    ("Wij wonen op Sjoerd Wiersmastrjitte 5, 9051 CK Stiens.", [("ADDRESS", "Sjoerd Wiersmastrjitte 5"), ("NL_POSTCODE", "9051 CK"), ("LOCATION", "Stiens")]),
    ("Adres: Couwenhoek 117, 2903 EM Capelle aan den IJssel.", [("ADDRESS", "Couwenhoek 117"), ("NL_POSTCODE", "2903 EM"), ("LOCATION", "Capelle aan den IJssel")]),
    # near misses: nominalisations with a number; a PO box after a label; lowercase streets without evidence;
    # a lowercase place without a cue, or an ordinary word
    ("Zorgvraagtypering 4. Terugvordering 6 x 37,50. Levering 25 rollators.", []),
    ("Correspondentieadres: Postbus 1234, 3800 BA Amersfoort.", [("NL_POSTCODE", "3800 BA"), ("LOCATION", "Amersfoort")]),
    ("de kerkstraat 4 keer gelopen", []),
    ("hilversum is mooi en ik ben in best vorm", []),
]


@pytest.mark.parametrize("text,expected", PLACES)
def test_addresses_and_places(text, expected):
    assert _detected(text, ["ADDRESS", "LOCATION", "NL_POSTCODE", "PERSON"]) == expected


@pytest.mark.parametrize("text,expected", [
    ("Terugbellen op 06/28 39 10 74.", [("PHONE_NUMBER", "06/28 39 10 74")]),
    ("tel 020/123 4567", [("PHONE_NUMBER", "020/123 4567")]),
    ("gezien op 01/02/1985 en 06/28/2024", []),  # dates, not a prefix and a slash
])
def test_phone_prefix_slash(text, expected):
    assert _detected(text, ["PHONE_NUMBER"]) == expected


@pytest.mark.parametrize("text,expected", [
    # a place after an organisation's head word is part of its name
    ("Dhr. Amrani van Kredietbank Limburg belde", [("PERSON", "Amrani")]),
    ("Zij verhuisde naar Limburg.", [("LOCATION", "Limburg")]),
    # a birth year alone, then a date of that year on its line
    ("3. Geboortedatum: 1993 (in papieren staat 01-01-1993)", [("DATE_OF_BIRTH", "1993"), ("DATE_OF_BIRTH", "01-01-1993")]),
    ("geboren in '41 (volgens de zoon), volgens de verwijzing op 5 mei 1941", [("DATE_OF_BIRTH", "'41"), ("DATE_OF_BIRTH", "5 mei 1941")]),
    # near misses: a date of another year; a date of that year on the next line
    ("Geboortedatum: 1993, behandeld op 01-01-2024", [("DATE_OF_BIRTH", "1993")]),
    ("Geboortedatum: 1993\nbehandeld op 01-01-1993", [("DATE_OF_BIRTH", "1993")]),
])
def test_organisation_places_and_birth_years(text, expected):
    assert _detected(text, ["PERSON", "LOCATION", "DATE_OF_BIRTH"]) == expected


@pytest.mark.parametrize("text,expected", [
    ("mijn verzekering nummer staat er op. nummer is 40239187 kan ik", [("NL_MEMBER_NUMBER", "40239187")]),
    # near misses: a generic "nummer" without our label on the line; another number between
    ("ik ben mijn pasje kwijt. nummer is 40239187", []),
    ("mijn verzekeringsnummer weet ik niet, kamer 120. nummer is 40239187", []),
])
def test_member_number_generic_label(text, expected):
    assert _found(NlMemberNumberRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    # an abbreviated tussenvoegsel belongs to the name
    ("k.301 mw. v.d. Kamp: onrustig", [("PERSON", "v.d. Kamp")]),
    ("Dhr. v/d Berg belde", [("PERSON", "v/d Berg")]),
    ("zie v.d. eerste week", []),
    # a residence document's number after its label
    ("Mijn verblijfsdocument is nummer W83K41RC7.", [("NL_ID_DOCUMENT", "W83K41RC7")]),
    # that shape straight after a passport number label is a foreign passport's number (round 4: fail closed)
    ("paspoortnummer W83K41RC7", [("NL_ID_DOCUMENT", "W83K41RC7")]),
    # near misses: a word of that shape; another sentence
    ("verblijfsdocument: WOORDENAB", []),
    ("Verblijfsdocument verlopen. Order W83K41RC7 verzonden.", []),
    # a lowercase street after "ik woon in <place>"
    ("ik woon in emmen houtweg 22. mijn nummer", [("LOCATION", "emmen"), ("ADDRESS", "houtweg 22")]),
    # a date after a name ending in its initials, as a record writes it; not after a name without them
    ("Patiënt Karsodimedjo, W. 02-10-1970 heeft 14 sessies gehad", [("PERSON", "Karsodimedjo, W."), ("DATE_OF_BIRTH", "02-10-1970")]),
    ("Patiënt Karsodimedjo 02-10-2024 gezien", [("PERSON", "Karsodimedjo")]),
])
def test_more_shapes(text, expected):
    assert _detected(text, ["PERSON", "NL_ID_DOCUMENT", "ADDRESS", "LOCATION", "DATE_OF_BIRTH"]) == expected


@pytest.mark.parametrize("text", ["Maria Anna", "Anna", ", Anna", "Jansen,", "(", "mw.", "ik ben", "naam", "gr", "v.d.", "Adres: 1"])
def test_short_texts_do_not_break_the_passes(text):
    _detected(text, None)  # no exception on texts shorter than any rule's window


@pytest.mark.parametrize("text,expected", [
    ("Verzekerde: dhr. Bosma, 8 mrt 1934, 3351/104882917.", [("NL_UZOVI", "3351"), ("NL_MEMBER_NUMBER", "104882917")]),
    # near misses: no insured person on the line; a code no insurer has; a fraction or a date
    ("Bestelling 3351/104882917 verzonden.", []),
    ("Verzekerde: dhr. Bosma, ref 1234/104882917.", []),
    ("Verzekerde 12/03/1985", []),
])
def test_uzovi_and_member_number_pair(text, expected):
    assert _detected(text, ["NL_UZOVI", "NL_MEMBER_NUMBER"]) == expected
