"""Fourth round of general rules (issue 10), developed on external_nl4, each with true matches and near misses.

Cases are (text, expected findings as (entity, value)) of the whole detector, for
the entity types the rule is about; every text is written for this file (none is
copied from a labelled set).
"""

import pytest

from labels import detected


NAMES = [
    # a call name in brackets is inside the name
    ("Doorverwijzing mw. E.M.J. (Els) ter Horst-Blom, geb. 02-04-1961", [("PERSON", "E.M.J. (Els) ter Horst-Blom")]),
    ("Onze vader Hendricus (Henk) Lammers is overleden.", [("PERSON", "Hendricus (Henk) Lammers")]),
    # two names found apart side by side are one; several given names after 'Surname,'
    ("Mit freundlichen Grüßen\nKarl-Heinz Wolter\n\nVon: Karl-Heinz Wolter <kh@example.de>",
     [("PERSON", "Karl-Heinz Wolter"), ("PERSON", "Karl-Heinz Wolter")]),
    ("Bestuurder: Brandsma, Aaltje Grietje\nFunctie: directeur", [("PERSON", "Brandsma, Aaltje Grietje")]),
    # a role or label numbered before its colon
    ("Contactpersoon 1: Wilhelmina Tjoe (dochter)", [("PERSON", "Wilhelmina Tjoe")]),
    # near misses: a place or an acronym in the brackets, words after them
    ("Pieter (Utrecht) Verder geen nieuws", [("PERSON", "Pieter")]),
    ("Bespreking met dr. Mulder (KNO) Daarna naar huis", [("PERSON", "Mulder")]),
]

NOT_NAMES = [
    # bodies, brands, banks in capitals, English modals and roles, label words in a header row
    ("Het besluit van de Raad van Toezicht volgt in maart.", []),
    ("Zie het uittreksel van de Kamer van Koophandel.", []),
    ("Incasso via ABN Zakelijk - maandoverzicht", []),
    ("Betreft: offerte van MediFlex, ZorgPunt en DentaCare", []),
    ("I lost my card. Can we fix this? Will you call me?", []),
    ("Customer reported that caller Fenna Dijkstra was rude", [("PERSON", "Fenna Dijkstra")]),
    ("Naam\tGebdatum\tVerzekerdennr\nOost, P.\t01-02-1950\t12345678", [("PERSON", "Oost, P.")]),
    ("Naam              Behandeldatum   Bedrag\nKees Brouwer      12-03-2024      45,00", [("PERSON", "Kees Brouwer")]),
    ("Aanmaningsoverzicht Debiteurenbeheer\nperiode oktober", []),
    ("Van: Secretariaat Gynaecologie <secr@example.nl>", []),
    ("collectiviteit 2201 via werkgever Hollandia Staal", []),
    ("Geachte medewerker declaraties,\nIk heb een vraag.", []),
    # a form row 'Naam   X, role' is a field: the labels under it are no names
    ("Naam              J. Hekman, tandarts\nAGB-code          12039957\nPraktijk          Tandartsen Noord",
     [("PERSON", "J. Hekman")]),
]

LOWERCASE_NAMES = [
    ("[14:02] Medewerker: Mag ik uw naam?\n[14:03] Klant: joris van der molen", [("PERSON", "joris van der molen")]),
    ("Klant: u spreekt met meneer de jong eh pieter de jong", [("PERSON", "de jong"), ("PERSON", "pieter de jong")]),
    ("mw bakhuizen belt terug over de nota van Zorggroep Oost", [("PERSON", "bakhuizen")]),
    ("ik ben mevrouw zoetelief en ik wacht al weken. mijn zoon Ruben helpt", [("PERSON", "zoetelief"), ("PERSON", "Ruben")]),
    ("hoi thijmen hier, kun je me terugbellen", [("PERSON", "thijmen")]),
    ("graag even checken wat er mis ging. thx wessel", [("PERSON", "wessel")]),
    ("Hoi!! nieuw adres doorgegeven. groetjes femke (femke van den heuvel)",
     [("PERSON", "femke"), ("PERSON", "femke van den heuvel")]),
    # near misses: a preposition after a name, an ordinary word after the title, a plural, 'hier' without a greeting
    ("Klant: dit is rami van kamer 3", [("PERSON", "rami")]),
    ("mevrouw belt terug, meneer heeft de brief al", []),
    ("Geachte medewerker machtigingen, graag uw reactie", []),
    ("de planning staat hier in de map", []),
]

SPEAKERS_AND_SIGN_OFFS = [
    ("Roos: heb jij de nota al?\nDirk: nee nog niet\nRoos: ok dan doe ik het",
     [("PERSON", "Roos"), ("PERSON", "Dirk"), ("PERSON", "Roos")]),
    ("terugbelverzoek verwerkt, polis gecontroleerd. (KvdB)", [("PERSON", "KvdB")]),
    ("afgehandeld en gearchiveerd. - RM", [("PERSON", "RM")]),
    ("Ik hoor graag van u.\n\nBedankt!\nPK", [("PERSON", "PK")]),
    ("谢谢。\n王小明", [("PERSON", "王小明")]),
    # near misses: an insurer's initials, an acronym in the sentence, form lines that are no chat
    ("Met vriendelijke groet,\nVGZ", []),
    ("Stuur het formulier naar het CAK.", []),
    ("De nota volgt per post. (NB)", []),
    ("Alles verwerkt.\nOK", []),
    ("Naam: Bas\nAdres: Kerkstraat 1\nDatum: 12-03-2024", [("PERSON", "Bas")]),
    ("Let op: de bas is stuk\nOpmerking: geen\nStatus: open", []),
]


@pytest.mark.parametrize("text,expected", NAMES + NOT_NAMES + LOWERCASE_NAMES + SPEAKERS_AND_SIGN_OFFS)
def test_names(text, expected):
    assert detected(text, ("PERSON",)) == expected


MEMBER_NUMBERS = [
    # a bare column header
    ("Relatie\tNaam\tReden\n40118276\tOost, P.\tverhuisd\n40118284\tKok, A.\tovergestapt",
     [("NL_MEMBER_NUMBER", "40118276"), ("NL_MEMBER_NUMBER", "40118284")]),
    ("Actie      Polis        Opmerking\nWIJZIG     7712 0934    nieuw adres", [("NL_MEMBER_NUMBER", "7712 0934")]),
    # the insurer's field with a generic 'nr' or a slash
    ("Verzekeraar: CZ (9664), nr. 4410 2297 3", [("NL_MEMBER_NUMBER", "4410 2297 3")]),
    ("Zorgverzekeraar/nr: VGZ / 66120031", [("NL_MEMBER_NUMBER", "66120031")]),
    # bare labels straight before the number, also with 'is' or a bracket between
    ("pat. Kok (rel 5512 0871) belt", [("NL_MEMBER_NUMBER", "5512 0871")]),
    ("meeverzekerd op de polis (ZK-441 2093) van zijn moeder", [("NL_MEMBER_NUMBER", "ZK-441 2093")]),
    ("haar polis is 550 204 17, graag aanpassen", [("NL_MEMBER_NUMBER", "550 204 17")]),
    ("Financieringscontract: TF-2022-00731", [("NL_MEMBER_NUMBER", "TF-2022-00731")]),
    ("bitte meine Versichertennummer 77120493 verwenden", [("NL_MEMBER_NUMBER", "77120493")]),
    ("The member 66120487 asked; her customer number is ABC 12 34 567.",
     [("NL_MEMBER_NUMBER", "66120487"), ("NL_MEMBER_NUMBER", "ABC 12 34 567")]),
    # the other one of a pair, the label said once
    ("oude polis 55012298 stopt per 1-1, nieuwe 55013391 gaat in", [("NL_MEMBER_NUMBER", "55012298"), ("NL_MEMBER_NUMBER", "55013391")]),
    ("oude polis 55012298 stopt, nieuwe 0612345678 bellen", [("NL_MEMBER_NUMBER", "55012298")]),
    ("polis 55012298, nieuwe factuur 55013391", [("NL_MEMBER_NUMBER", "55012298")]),
    # near misses: another number in the insurer's field, a relation that is a word, a BSN after a member label
    ("Verzekeraar: CZ, factuurnr 123456782", []),
    ("Relatie ............ echtgenote\nTelefoon ........... 06-12345678", []),
    ("polisnummer en BSN 123456782", []),
    ("Relatie\tBedrag\nzoon\t45,00", []),
]


@pytest.mark.parametrize("text,expected", MEMBER_NUMBERS)
def test_member_numbers(text, expected):
    assert detected(text, ("NL_MEMBER_NUMBER",)) == expected


UZOVI_AND_AGB = [
    ("In het bestand stond de UZOVI-code van de oude verzekeraar (7095 in plaats van 3343).",
     [("NL_UZOVI", "7095"), ("NL_UZOVI", "3343")]),
    # an answer listing several codes of the asked kind
    ("Welke AGB-codes gebruikt u?\nPraktijk: zorgverlener 01023871, praktijk 01056234",
     [("NL_AGB", "01023871"), ("NL_AGB", "01056234")]),
    # near misses: a number that is no known code, the label in another sentence, a directly labelled other number
    ("De UZOVI-code in het voorloopbestand klopte niet (1234 regels afgekeurd).", []),
    ("De UZOVI-code is fout. In 3311 gevallen ging het mis.", []),
    ("Welke AGB-code gebruikt u?\nPraktijk: 01023871, factuur 20240101", [("NL_AGB", "01023871")]),
]


@pytest.mark.parametrize("text,expected", UZOVI_AND_AGB)
def test_uzovi_and_agb(text, expected):
    assert detected(text, ("NL_UZOVI", "NL_AGB")) == expected


BIRTH_DATES = [
    # spaced and letter-spaced after a (spaced) label or leader dots
    ("Geb .  datum  :  1 4 - 0 2 - 1 9 5 5\nAdres", [("DATE_OF_BIRTH", "1 4 - 0 2 - 1 9 5 5")]),
    ("Geboortedatum ........ 07 - 11 - 1962\nBSN", [("DATE_OF_BIRTH", "07 - 11 - 1962")]),
    # spoken, the label further back in the sentence; a question without its question mark
    ("Zijn geboortedatum, even kijken hoor, dat is twaalf mei zestig.", [("DATE_OF_BIRTH", "twaalf mei zestig")]),
    ("MEDEWERKER: en de geboortedatum van uw man\nKLANT: negen augustus negentien achtenveertig",
     [("DATE_OF_BIRTH", "negen augustus negentien achtenveertig")]),
    # the next table cell after a name that starts its row; a gender mark between commas
    ("Gezinsleden:\nJoost Wijnands      14-02-1971    hoofdverzekerde\nIlse Wijnands       30-06-1974    partner",
     [("DATE_OF_BIRTH", "14-02-1971"), ("DATE_OF_BIRTH", "30-06-1974")]),
    ("Smeets, P. | 03/10/1958 | 6221 AB | Maastricht", [("DATE_OF_BIRTH", "03/10/1958")]),
    ("Cliënt: Sanne Verbeek, v, 18-12-1993", [("DATE_OF_BIRTH", "18-12-1993")]),
    # a question for several birth dates, answered by a speaker whose tag holds a date word ('bezoek')
    ("Mag ik de geboortedata van de kinderen?\nBezoeker: Mees 02-02-2017 en Puck 11-08-2019",
     [("DATE_OF_BIRTH", "02-02-2017"), ("DATE_OF_BIRTH", "11-08-2019")]),
    # near misses: a table whose header names another date, spaced digits without a label, a treatment date
    ("Naam              Behandeldatum\nJoost Wijnands    14-02-2024", []),
    ("Opname 12 - 03 - 2024 op afdeling B", []),
    ("Joost Wijnands, behandeld 14-02-2024", []),
]


@pytest.mark.parametrize("text,expected", BIRTH_DATES)
def test_birth_dates(text, expected):
    assert detected(text, ("DATE_OF_BIRTH",)) == expected


RECORDS_AND_TURNS = [
    # name, BSN, birth date as a record in prose
    ("regel 8: Aaltje Pool, 123456782, 1961-04-30 stond erin.",
     [("PERSON", "Aaltje Pool"), ("NL_BSN", "123456782"), ("DATE_OF_BIRTH", "1961-04-30")]),
    # a turn that is only the value, the label in the previous turn without a question mark
    ("[08:01] Sanne: stuur je zijn bsn even\n[08:03] Mam: 111222333", [("PERSON", "Sanne"), ("NL_BSN", "111222333")]),
    # a label alone on the line above its value (vertical layout)
    ("Geboortedatum\n21-09-1984\nBehandeldatum\n02-10-2024", [("DATE_OF_BIRTH", "21-09-1984")]),
    # near misses: the number fails the elfproef, the value is not alone on its turn
    ("regel 9: Aaltje Pool, 123456789, 1961-04-30 stond erin.", [("PERSON", "Aaltje Pool")]),
    ("stuur je zijn bsn even\nMam: 111222333 is het factuurnummer", []),
]


@pytest.mark.parametrize("text,expected", RECORDS_AND_TURNS)
def test_records_and_turns(text, expected):
    assert detected(text, ("PERSON", "NL_BSN", "DATE_OF_BIRTH")) == expected


PLACES_AND_ADDRESSES = [
    ("Zij woont in Den Haag Centrum sinds mei.", [("LOCATION", "Den Haag Centrum")]),
    ("Plaats: Willemstad/Rotterdam, datum 01-12-2025", [("LOCATION", "Willemstad"), ("LOCATION", "Rotterdam")]),
    ("Ich wohne in Mönchengladbach und arbeite in Venlo", [("LOCATION", "Mönchengladbach"), ("LOCATION", "Venlo")]),
    ("Wijkcentrum De Vonk, Beek\nAanmelding", [("LOCATION", "Beek")]),
    ("Jansen, K. | 6191 JC | Beek | actief", [("LOCATION", "Beek")]),
    ("nieuw adres: Dorpsstraat 4 Best", [("ADDRESS", "Dorpsstraat 4"), ("LOCATION", "Best")]),
    ("adres Kaya Grandi 21, Willemstad", [("ADDRESS", "Kaya Grandi 21"), ("LOCATION", "Willemstad")]),
    # near misses: a ward's name, a word after a comma, a district word after no place
    ("opgenomen op afd. De Linde kamer 4", []),
    ("Dat ging echt, Best\nGroet", []),
    ("Gezondheidscentrum Oost, Hengelo", [("LOCATION", "Hengelo")]),
]


@pytest.mark.parametrize("text,expected", PLACES_AND_ADDRESSES)
def test_places_and_addresses(text, expected):
    assert detected(text, ("LOCATION", "ADDRESS")) == expected


POSTCODES = [
    ("nieuw adres: molenstraat 8 8011 wk zwolle", [("NL_POSTCODE", "8011 wk")]),
    ("MEDEWERKER: mag ik uw postcode en huisnummer\nKLANT: 7511 kl nummer vier", [("NL_POSTCODE", "7511 kl")]),
    # near misses: a week and a unit after a number, the question for another field
    ("straat 12 in 2019 wk 3 gezien", []),
    ("MEDEWERKER: mag ik uw factuurnummer\nKLANT: 7511 kl", []),
]


@pytest.mark.parametrize("text,expected", POSTCODES)
def test_postcodes(text, expected):
    assert detected(text, ("NL_POSTCODE",)) == expected
