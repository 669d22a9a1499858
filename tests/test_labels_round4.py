"""Third round of general rules (issue 10), developed on external_nl3, each with true matches and near misses.

Cases are (text, expected findings as (entity, value)) of the whole detector, for
the entity types the rule is about; every text is written for this file.
"""

import pytest

from labels import detected


FORMS = [
    # a form copied from a PDF: each row of labels is the header of the row of values below it
    ("Achternaam        Voornaam        Voorletters\nKrabbendam        Teun            T.\n"
     "Geboortedatum     Geslacht        BSN\n14-02-1977        man             123456782\n"
     "Zorgverzekeraar   UZOVI           Polisnummer\nCZ                9664            55012 7733",
     [("PERSON", "Krabbendam"), ("PERSON", "Teun"), ("PERSON", "T."), ("DATE_OF_BIRTH", "14-02-1977"),
      ("NL_BSN", "123456782"), ("NL_UZOVI", "9664"), ("NL_MEMBER_NUMBER", "55012 7733")]),
    # near miss: 'Verzekerde   A.B. de Wit' is a field with its value, no header: the labels below are no names
    ("Verzekerde      A.B. de Wit\nRelatienr.      5512 904\nBehandeldatum   Zorgverlener        Gedeclareerd  Vergoed\n"
     "06-01-2025      Apotheek Noord      12,80         0,00",
     [("PERSON", "A.B. de Wit"), ("NL_MEMBER_NUMBER", "5512 904")]),
    # a name ends at a cell gap of two or more spaces
    ("Naam: P. Ruijgrok        Personeelsnr. 4471", [("PERSON", "P. Ruijgrok")]),
]


@pytest.mark.parametrize("text,expected", FORMS)
def test_aligned_forms(text, expected):
    assert detected(text, ("PERSON", "DATE_OF_BIRTH", "NL_BSN", "NL_UZOVI", "NL_MEMBER_NUMBER")) == expected


MEMBER_NUMBERS = [
    ("kl. (rel.nr 55120934) belt over de nota", [("NL_MEMBER_NUMBER", "55120934")]),
    ("Relnr: 4410 227", [("NL_MEMBER_NUMBER", "4410 227")]),
    ("Verzekerde nr.: 6604 1193 02", [("NL_MEMBER_NUMBER", "6604 1193 02")]),
    ("ik ben verzekerd onder nummer ZK-440192 bij jullie", [("NL_MEMBER_NUMBER", "ZK-440192")]),
    # a bare label straight before the number wins over another label further back
    ("actie: wijzig_iban | relatie 7781204 | door medewerker", [("NL_MEMBER_NUMBER", "7781204")]),
    # a bare 'polis' earlier on the line makes a generic 'nummer' ours
    ("sinds 2021 heeft hij een eigen polis, nummer 774019223. Het bedrag klopt niet.", [("NL_MEMBER_NUMBER", "774019223")]),
    ("Uw klantnummer bij de opdrachtgever: 5510293", [("NL_MEMBER_NUMBER", "5510293")]),
    # near misses: a date after the label is a date; another number's label
    ("polisnr 44187 003, geboren 03-04-1991 in Zwolle", [("NL_MEMBER_NUMBER", "44187 003")]),
    ("factuurnummer 55120934 is betaald", []),
    ("de polis is verlopen, bel 020-5551234", []),
]


@pytest.mark.parametrize("text,expected", MEMBER_NUMBERS)
def test_member_number_labels(text, expected):
    assert detected(text, ("NL_MEMBER_NUMBER",)) == expected


BIRTH_DATES = [
    ("pt. A. Smeets (*03-09-1948) komt voor controle", [("DATE_OF_BIRTH", "03-09-1948")]),
    ("kl. belt, gebdat 4-7-'62, vraagt naar vergoeding", [("DATE_OF_BIRTH", "4-7-'62")]),
    ("polisnr 44187 003, geboren 03-04-1991 in Zwolle", [("DATE_OF_BIRTH", "03-04-1991")]),
    # the previous turn asks for a name and a birth date: the answer holds both
    ("[10:01] Medewerker: Mag ik uw naam en geboortedatum?\n[10:02] Klant: ruud hoogendijk 17081979",
     [("PERSON", "ruud hoogendijk"), ("DATE_OF_BIRTH", "17081979")]),
    # near misses: a star after the date, a question for a name answered without one, no label
    ("datum 12-03-1985 * zie bijlage", []),
    ("Wat is uw naam?\nja dat weet ik niet precies", []),
    ("behandeld op 17081979 volgens het systeem", []),
]


@pytest.mark.parametrize("text,expected", BIRTH_DATES)
def test_birth_dates(text, expected):
    assert detected(text, {"DATE_OF_BIRTH"} | {entity for entity, _ in expected}) == expected


PLACES = [
    ("Debiteur: K. Mensah, geboren 02-02-1990 te Mbarara", [("LOCATION", "Mbarara")]),
    ("Mijn moeder is geboren 11.05.1950 in Tetouan, zegt ze.", [("LOCATION", "Tetouan")]),
    ("Geboorteplaats / Place of birth\nBest\nDocumentnummer", [("LOCATION", "Best")]),
    ("6662 GH Elst Gld\ntel. 0481-371109", [("LOCATION", "Elst Gld")]),
    ("Postbus 412, 6800 BC Arnhem", [("LOCATION", "Arnhem")]),
    ("Kölner Straße 8, 47533 Kleve", [("ADDRESS", "Kölner Straße 8"), ("LOCATION", "Kleve")]),
    # near misses: a country, a field label, a surname after 'van 't'
    ("Cliënt is geboren 7 januari 1988 in Oekraïne en woont sinds 2022 hier.", []),
    ("Postcode: 1234 AB   Woonplaats: Zwolle", [("LOCATION", "Zwolle")]),
    ("Naam / Surname\nVAN ’T HOF\nVoornamen / Given names\nJOHANNA", []),
    ("Het bestand staat in Excel op de schijf.", []),
]


@pytest.mark.parametrize("text,expected", PLACES)
def test_places(text, expected):
    assert detected(text, ("LOCATION", "ADDRESS")) == expected


NAMES = [
    ("Via de app: ze heet Marijke Oosterbaan-Kwee en is mijn zus", [("PERSON", "Marijke Oosterbaan-Kwee")]),
    ("ik sprak een medewerker die zich voorstelde als Ruben.", [("PERSON", "Ruben")]),
    ("Kl. Wiersma-Tjon belt over de nota.", [("PERSON", "Wiersma-Tjon")]),
    ('"pat. v.d. Molen vlgs afspraak 2e consult"', [("PERSON", "v.d. Molen")]),
    ("Betreft: Patiënt van Dijk, Hendrik\n", [("PERSON", "van Dijk, Hendrik")]),
    ("Naam / Surname\nTER HORST\nVoornamen / Given names\nJOHANNA", [("PERSON", "TER HORST"), ("PERSON", "JOHANNA")]),
    ("Naam: VAN ’T HOF", [("PERSON", "VAN ’T HOF")]),
    # a role word glued into a compound is no part of the name
    ("10:14 Zorgadviseur Annelies: Goedemorgen, waarmee kan ik helpen?", [("PERSON", "Annelies")]),
    # near misses: organisations named after a person, a postcode's letters, header cells
    ("Vorige tandarts: tandartspraktijk De Ruyter, Breda", []),
    ("mobiele tandarts in verpleeghuis De Vijverhof", []),
    ("Werkgever: Zorgdata Solutions B.V.      KvK 37808726", []),
    ("Laboratorium Mulder & Zn. V.O.F.\nIndustrieweg 4", []),
    ("Aan de Klachtencommissie Zorgverzekeringen", []),
    ("Postbus 412, 6800 BC Arnhem", []),
    ("Behandeldatum  Zorgverlener                  Gedeclareerd  Vergoed  Eigen risico", []),
    ('"Datum";"Naam / Omschrijving";"Bedrag"\n"01-02-2025";"Jansen";"12,50"', [("PERSON", "Jansen")]),
    # a discipline before a name names the therapist: still a person
    ("Declaratie (fysiotherapie Hoekstra) afgewezen", [("PERSON", "Hoekstra")]),
]


@pytest.mark.parametrize("text,expected", NAMES)
def test_names(text, expected):
    assert detected(text, ("PERSON",)) == expected


IDENTIFIERS = [
    ("Documentnummer: Y71KP20M4\nType: verblijfsvergunning", [("NL_ID_DOCUMENT", "Y71KP20M4")]),
    ("legitimeerde zich met Turks paspoort nr U12345678 (geldig)", [("NL_ID_DOCUMENT", "U12345678")]),
    ("our Chamber of Commerce number 12345678.", [("NL_KVK", "12345678")]),
    # a bullet ends a field: the KvK label after the phone number is the next field's
    ("Hoofdstraat 1 • 2871 AB Schoonhoven • 0182-381234 • KvK 52109918",
     [("PHONE_NUMBER", "0182-381234"), ("NL_KVK", "52109918")]),
    # near misses: an order code of the same shape
    ("ordernummer U12345678 verzonden", []),
    ("paspoort verlopen, order W83K41RC7", []),
]


@pytest.mark.parametrize("text,expected", IDENTIFIERS)
def test_identifiers(text, expected):
    assert detected(text, ("NL_ID_DOCUMENT", "NL_KVK", "PHONE_NUMBER")) == expected


RECORDS = [
    ("Oud systeem:\nJANSEN P 19850312 123456782 1234AB 12",
     [("PERSON", "JANSEN P"), ("DATE_OF_BIRTH", "19850312"), ("NL_BSN", "123456782")]),
    ("DE BRUIN-OTTEN A M 03-11-1961 111222333 9712 CP 4-a",
     [("PERSON", "DE BRUIN-OTTEN A M"), ("DATE_OF_BIRTH", "03-11-1961"), ("NL_BSN", "111222333")]),
    # near misses: prose, two dates, a number failing the elfproef
    ("Factuur 20250101 123456782 1234AB betaald", []),
    ("JANSEN P 19850312 19900101 123456782 1234AB 12", []),
    ("JANSEN P 19850312 123456789 1234AB 12", []),
]


@pytest.mark.parametrize("text,expected", RECORDS)
def test_record_lines(text, expected):
    assert detected(text, ("PERSON", "DATE_OF_BIRTH", "NL_BSN")) == expected


MORE = [
    # a plural member label before a list: each listed number (with its holder in brackets)
    ("Signaal: één IBAN bij 3 relaties die geen familie lijken: 7730118 (B. Boateng), 7730126 en 7731904.",
     [("NL_MEMBER_NUMBER", "7730118"), ("NL_MEMBER_NUMBER", "7730126"), ("NL_MEMBER_NUMBER", "7731904")]),
    ("De klanten: 2 van de 3 belden over factuur 20250044.", []),
    # the person's own contract number, asked in the previous turn of a chat whose caller is a phone number
    ("[09:20] Tandzorg: Mag ik uw naam en contractnummer?\n[09:22] +31 6 12 34 56 78: Ineke Bos TF-2023-004411",
     [("NL_MEMBER_NUMBER", "TF-2023-004411")]),
    ("leverancier: ScanCo B.V., contractnr. 2025-0042", []),
    # birth dates: Chinese notation after a name, a kinship word in the brackets
    ("Cliënt: dhr. Zhang Wei, 1948年11月2日 (1948-11-02 volgens paspoort)",
     [("DATE_OF_BIRTH", "1948年11月2日"), ("DATE_OF_BIRTH", "1948-11-02")]),
    ("Mw. Latumahina (moeder, 1931-07-14) woont in de wijk", [("DATE_OF_BIRTH", "1931-07-14")]),
    ("Mw. Latumahina (behandeld 2024-07-14) woont in de wijk", []),
    # places: a country, a comma, a place in no list
    ("Land van behandeling: Turkije, Kayseri", [("LOCATION", "Kayseri")]),
]


@pytest.mark.parametrize("text,expected", MORE)
def test_more_labels(text, expected):
    assert detected(text, ("NL_MEMBER_NUMBER", "DATE_OF_BIRTH", "LOCATION")) == expected


MORE_NAMES = [
    ("revalidatiearts dr. Li Wen\nOffertenummer", [("PERSON", "Li Wen")]),
    ("de ziekte van Li-Fraumeni is erfelijk", []),
    ("kl. mehmet kaya belt (tel. 0612345678) over de nota (B)", [("PERSON", "mehmet kaya")]),
    ("Naam volgens paspoort: OZTURK ELIF, geboren in 1990", [("PERSON", "OZTURK ELIF")]),
    ("Von: Zahnarztpraxis Dr. Becker\nSehr geehrte Damen und Herren,\nbitte überweisen Sie für Ihren Versicherten",
     []),
    ("Dr. med. dent. Klaus Becker", [("PERSON", "Klaus Becker")]),
]


@pytest.mark.parametrize("text,expected", MORE_NAMES)
def test_more_names(text, expected):
    assert detected(text, ("PERSON",)) == expected


BSNS = [
    # fail closed: a valid nine-digit number on the line below a BSN label
    ("Deze BSN's zijn afgekeurd: 111222334.\nNa correctie: 111222333 en 123456782.",
     [("NL_BSN", "111222333"), ("NL_BSN", "123456782")]),
    # near misses: no label on this line or the one above; a competing label after ours; a failing checksum
    ("Controle BSN-invoer\nregel twee\nNa correctie: 111222333.", []),
    ("BSN gecontroleerd, factuurnummer 111222333", []),
    ("BSN niet bekend.\nNa correctie: 111222334.", []),
]


@pytest.mark.parametrize("text,expected", BSNS)
def test_bsn_near_its_label(text, expected):
    assert detected(text, ("NL_BSN",)) == expected


EMAILS = [
    # a log line's key is no part of the address
    ("2026-10-03T08:12:44Z INFO auth login ok user=m.schouten@ziggo.nl ip=10.1.2.3",
     [("EMAIL_ADDRESS", "m.schouten@ziggo.nl")]),
    ("action=SEND to=info@tandartspraktijk-noord.nl template=herinnering", [("EMAIL_ADDRESS", "info@tandartspraktijk-noord.nl")]),
    # near misses: '=' inside an address that is no key, and a plain address
    ("bounce: SRS0=Ab1=TT=example.com=piet@mailrelay.nl", [("EMAIL_ADDRESS", "example.com=piet@mailrelay.nl")]),
    ("Mail naar k.bos@kpnmail.nl graag.", [("EMAIL_ADDRESS", "k.bos@kpnmail.nl")]),
]


@pytest.mark.parametrize("text,expected", EMAILS)
def test_email_after_a_log_key(text, expected):
    assert detected(text, ("EMAIL_ADDRESS",)) == expected


PHONE_FIELDS = [
    # a letterhead: a clause mark on the next line must not carry that line's label back to the number
    ("Zorggroep Oost | Marktplein 4 | 7511 AB Enschede | 053 - 480 11 00\nKvK 41029384 | btw volgt",
     [("PHONE_NUMBER", "053 - 480 11 00")]),
    # near miss: a competing label that directly labels the number still wins
    ("Enschede | factuurnummer 0534801100\nKvK 41029384 | btw volgt", []),
]


@pytest.mark.parametrize("text,expected", PHONE_FIELDS)
def test_phone_window_ends_at_the_first_clause_or_line_end(text, expected):
    assert detected(text, ("PHONE_NUMBER",)) == expected
