"""Fifth round of general rules (issue 10), developed on external_nl5, each with true matches and near misses.

Cases are (text, expected findings as (entity, value)) of the whole detector, for the entity types
the rule is about; every text is written for this file (none is copied from a labelled set).
"""

import pytest

from labels import detected


TYPESET_IDENTIFIERS = [
    # label-only identifiers typeset in groups of digits (identifiers/_text.GROUPED_DIGITS)
    ("Mondzorg Noord, AGB-code 12 34 56 78", [("NL_AGB", "12 34 56 78")]),
    ("AGB-code praktijk      0612 4470\nBehandelaar", [("NL_AGB", "0612 4470")]),
    ("AGB: 01.23.45.67\nNaam: Praktijk Oost", [("NL_AGB", "01.23.45.67")]),  # not an IP address
    ("Stichting Tandzorg · KvK 5566 7788 · Groningen", [("NL_KVK", "5566 7788")]),
    ("BIG-registratie 1234 5678 901 (tandarts)", [("NL_BIG", "1234 5678 901")]),
    # near misses: no label, a date after the label, a phone number on the line
    ("Bedrag 12 34 56 78 euro overgemaakt", []),
    ("AGB-code 01234567, behandeld op 12.03.2024", [("NL_AGB", "01234567")]),
    ("KvK 12345678, tel 020 123 45 67", [("NL_KVK", "12345678")]),
]

MEMBER_NUMBERS = [
    # an insurer's name directly before the number
    ("Ik ben verzekerd bij VGZ onder 402918376.", [("NL_MEMBER_NUMBER", "402918376")]),
    ("Zorgverzekeraar: Zilveren Kruis 551204893", [("NL_MEMBER_NUMBER", "551204893")]),
    ("mijn moeder zit bij Menzis, 667302918, en ik bij CZ 118273645",
     [("NL_MEMBER_NUMBER", "667302918"), ("NL_MEMBER_NUMBER", "118273645")]),
    # a generic 'nr' that says whose number it is
    ("haar nr 771029384, haar broer heeft nr 771029392",
     [("NL_MEMBER_NUMBER", "771029384"), ("NL_MEMBER_NUMBER", "771029392")]),
    ("Nr dochter 556677889 graag aanpassen", [("NL_MEMBER_NUMBER", "556677889")]),
    # label words: kl.nr, Verzekerde-nr, a log's member_id key; an order number on the line is its own
    ("mevr belde terug, kl.nr 44821907", [("NL_MEMBER_NUMBER", "44821907")]),
    ("Verzekerde-nr: 20394857   Order: 66120934", [("NL_MEMBER_NUMBER", "20394857")]),
    ('{"event":"login","member_id":"30495867","ok":true}', [("NL_MEMBER_NUMBER", "30495867")]),
    # a financing overview's contractnummer column; its start dates are no birth dates
    ("contractnummer   naam            ingang\n41225080         K. Smeets       01-02-1990\n"
     "41225099         A. Peters       15-06-1985",
     [("NL_MEMBER_NUMBER", "41225080"), ("NL_MEMBER_NUMBER", "41225099")]),
    # an e-mail's subject, a card's bare Nr field, nine digits each spaced
    ("Onderwerp: adreswijziging - K. Bos - 448192037\n\nBeste", [("NL_MEMBER_NUMBER", "448192037")]),
    ("ZORGPAS\nMenzis        UZOVI 3332\nNr:   602 114 559", [("NL_MEMBER_NUMBER", "602 114 559")]),
    ("Relatienummer: 4 4 0 2 9 1 8 7 3", [("NL_MEMBER_NUMBER", "4 4 0 2 9 1 8 7 3")]),
    # near misses: counts, years, the insurer's phone, a phone after a whose-nr, labelled subjects, a bare Nr
    ("Menzis heeft 2300000 verzekerden en VGZ 2026 nieuwe leden", []),
    ("Bel CZ op 0765557000 of Zilveren Kruis 0715551000", []),
    ("zijn nr is 0612345678, bel maar", []),
    ("Onderwerp: factuur 2026338819", []),
    ("Onderwerp: bestelling 55023817 verzonden", []),
    ("Nr: 12345678", []),
]

ID_DOCUMENTS = [
    # six letters inside, straight after the number's own label; a Turkish or Polish passport's label
    ("Documentnummer / Document no.   NWBRKLMN4\nGeldig tot", [("NL_ID_DOCUMENT", "NWBRKLMN4")]),
    ("Pasaport no: U98765432\nAdres NL:", [("NL_ID_DOCUMENT", "U98765432")]),
    ("Paszport nr EA1234567", [("NL_ID_DOCUMENT", "EA1234567")]),
    # near misses: a word of that shape after a looser label, an order code
    ("paspoort: BESTANDE8 kwijt", []),
    ("paspoort verlopen, zie order NWBRKLMN4", []),
]

BIRTH_DATES = [
    # every digit spaced, OCR's O and l, straight after the label
    ("Geboortedatum            2 3 0 5 1 9 6 8\nBSN", [("DATE_OF_BIRTH", "2 3 0 5 1 9 6 8")]),
    ("Date of birth   0 4  1 1  1 9 5 5", [("DATE_OF_BIRTH", "0 4  1 1  1 9 5 5")]),
    ("geb.datum: 1l-O4-1962   adres: onbekend", [("DATE_OF_BIRTH", "1l-O4-1962")]),
    ("Klant: P JANSEN  Geb O9-l2-1971", [("DATE_OF_BIRTH", "O9-l2-1971")]),
    # a (dd-mm-jjjj) hint is no 'd.d.'; 'ter controle' is no competing check date
    ("Bot: Wat is je geboortedatum (dd-mm-jjjj)?\nGebruiker: 04-05-1977", [("DATE_OF_BIRTH", "04-05-1977")]),
    ("Agent: En uw geboortedatum ter controle?\nBeller: twaalf juni negentien achtenveertig.",
     [("DATE_OF_BIRTH", "twaalf juni negentien achtenveertig")]),
    # a birth label directly before a compact date that passes the elfproef beats the BSN earlier on the line
    ("regel 4: BSN 123456782 ongeldig voor geboortedatum 19671103", [("DATE_OF_BIRTH", "19671103")]),
    ("She was born on 03-05-1980 in Leeds.", [("DATE_OF_BIRTH", "03-05-1980")]),
    # near misses: OCR'd treatment dates, a place called Born, a letter's 'dd'
    ("Behandeldatum: O5-1O-2023", []),
    ("Overleg wijkteam, Born, 12-03-2026", []),
    ("Brief dd 12-03-2020 ontvangen", []),
    ("Betaling 1 2 0 3 2 0 2 4 ontvangen", []),
]

PLACES = [
    # towns abroad from the GeoNames list after a place word, also lowercase
    ("Zij woont sinds kort in Gdańsk.", [("LOCATION", "Gdańsk")]),
    ("klant is verhuisd van Oranjestad naar Delft", [("LOCATION", "Oranjestad"), ("LOCATION", "Delft")]),
    ("opgenomen in een kliniek in Antwerpen, nota volgt", [("LOCATION", "Antwerpen")]),
    ("ze woont nu in lissabon bij haar zus", [("LOCATION", "lissabon")]),
    ("Lidnummer: 331841055     Verblijf: Porto, studie", [("LOCATION", "Porto")]),
    # near misses: software, a surname after 'van', words after 'in'
    ("Het staat in Teams en in Excel.", []),
    ("Gesprek met mw. Anna van Gent naar huis", []),
    ("we gaan naar huis, alles in orde", []),
    # organisations named after a place
    ("Handelsnaam: Fysiotherapie De Kempen\nAdres: Markt 1", []),
    ("APOTHEEK DE MEERN\nTel 030-6661234", []),
    ("debiteurenbeheer Tandartspraktijk Brink & Hoogland", []),
    ("Rekening op naam van: Bewindvoering Flevoland B.V.", []),
    ("Jeugdtandverzorging Utrecht", []),
    # an insurer's name where the text speaks of insurance; the region where it does not
    ("de Vektis-export voor De Friesland liep goed", []),
    ("Verzekering: Salland, polisnummer 44556677", [("NL_MEMBER_NUMBER", "44556677")]),
    ("We fietsen door Salland en wonen in Friesland.", [("LOCATION", "Salland"), ("LOCATION", "Friesland")]),
]

NAMES = [
    # a form's 'label : value' rows: the labels are no names
    ("Naam           : A. de Wit\nLand           : Nederland\nIBAN           : NL91ABNA0417164300\n"
     "Handtekening   : (getekend)", [("PERSON", "A. de Wit")]),
    # a call name in quotes in brackets, a hyphenated given name; the whole name beats a place in its surname
    ('Cliënt: Anne-Marie ("AM") Kuijpers\nGeboren', [("PERSON", 'Anne-Marie ("AM") Kuijpers')]),
    ("Gisteren belde Mia (Mimi) de Boer over haar polis", [("PERSON", "Mia (Mimi) de Boer")]),
    # a web form's required-field marks and a bracketed aside
    ("voorletters*: K.\nachternaam (incl. tussenvoegsel)*: van der Laan",
     [("PERSON", "K."), ("PERSON", "van der Laan")]),
    # a street word after a tussenvoegsel is a surname; before a number it is the street
    ("Gisteren belde Piet van der Laan", [("PERSON", "Piet van der Laan")]),
    ("Hij woont aan de Laan van Meerdervoort 4", []),
    # languages, shops named after their founder, insurers' brands
    ("De folder is er in het Nederlands, Engels, Frans of Turks.", []),
    ("Frans belde gisteren terug", [("PERSON", "Frans")]),
    ("12-11  Albert Heijn 2210 Leiden        -23,10", []),
    ("aangeleverd door Zilveren Kruis en Eucare", []),
    # a household by its surname; sign-offs in other languages and initials after 'Groet,'
    ("2. Gezin Okonkwo (Dorpsstraat 3): tolk nodig", [("PERSON", "Okonkwo")]),
    ("Please send a new card.\nDziękuję, Marta", [("PERSON", "Marta")]),
    ("Kan dat per maart?\nGroet, PvD", [("PERSON", "PvD")]),
    ("Kan dat?\nGroet, CZ", []),
    # a listed surname opening a short remark, or alone in a cell
    ("Verhoeven belt terug", [("PERSON", "Verhoeven")]),
    ("Kuipers komt vrijdag langs", [("PERSON", "Kuipers")]),
    ("Schouten", [("PERSON", "Schouten")]),
    ("Apotheek belt terug", []),
    ("Huisarts belt terug", []),
]

ADDRESSES_AND_PHONES = [
    ("Gezondheidscentrum Oost\nBurgemeester Roelenweg 12\n8021 EV Zwolle", [("ADDRESS", "Burgemeester Roelenweg 12")]),
    ("oud adres Kerkstraat 40bis, Gouda", [("ADDRESS", "Kerkstraat 40bis")]),
    ("Pastoor Vogelsstraat 14a, Sittard", [("ADDRESS", "Pastoor Vogelsstraat 14a")]),
    ("de burgemeester opende 3 scholen", []),
    # five pairs with dots are a phone number, not a date; a number said digit by digit
    ("- Noor, 06.21.34.88.10, vraag over reizen", [("PHONE_NUMBER", "06.21.34.88.10")]),
    ("bel 06.12.34.56.78 na vijven", [("PHONE_NUMBER", "06.12.34.56.78")]),
    ("mijn nummer is nul zes een twee drie vier vijf zes zeven acht en", [("PHONE_NUMBER", "nul zes een twee drie vier vijf zes zeven acht")]),
    ("op 06-12-2019 10:00 gebeld", []),
    ("de marge is nul komma nul procent", []),
]


def _check(text, expected):
    entities = {e for e, _ in expected} or {"PERSON", "LOCATION", "NL_MEMBER_NUMBER", "NL_AGB", "NL_KVK", "NL_BIG",
                                            "IP_ADDRESS", "DATE_OF_BIRTH", "NL_ID_DOCUMENT", "ADDRESS", "PHONE_NUMBER", "NL_BSN"}
    assert detected(text, entities) == expected


@pytest.mark.parametrize("text,expected", TYPESET_IDENTIFIERS)
def test_typeset_identifiers(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text,expected", MEMBER_NUMBERS)
def test_member_numbers(text, expected):
    assert detected(text, {"NL_MEMBER_NUMBER"}) == expected


@pytest.mark.parametrize("text,expected", ID_DOCUMENTS)
def test_id_documents(text, expected):
    assert detected(text, {"NL_ID_DOCUMENT"}) == expected


@pytest.mark.parametrize("text,expected", BIRTH_DATES)
def test_birth_dates(text, expected):
    assert detected(text, {"DATE_OF_BIRTH"}) == expected


@pytest.mark.parametrize("text,expected", PLACES)
def test_places(text, expected):
    assert detected(text, {"LOCATION"} | {e for e, _ in expected}) == expected


@pytest.mark.parametrize("text,expected", NAMES)
def test_names(text, expected):
    assert detected(text, {"PERSON"}) == expected


@pytest.mark.parametrize("text,expected", ADDRESSES_AND_PHONES)
def test_addresses_and_phones(text, expected):
    _check(text, expected)
