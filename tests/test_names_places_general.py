"""Names, places and addresses: the general rules added for text of other kinds.

(text, expected findings) per rule, with near misses; detection runs through
the whole detector so the overlap rule is included.
"""

import pytest

from pii_pipeline.detection import get_detector
from recognizers.person import dutch_compound

ENTITIES = ["PERSON", "LOCATION", "ADDRESS", "NL_POSTCODE"]


def found(text):
    return [(f.entity_type, text[f.start:f.end]) for f in get_detector().detect(text, ENTITIES)]


@pytest.mark.parametrize("text, expected", [
    # a full-word title's full stop ends the sentence; a speaker's colon is no title
    ("Dat ga ik bekijken meneer. Mag ik uw naam?", []),
    ("Mw: Eh ja, dat klopt.", []),
    ("Dhr. Jansen belde", [("PERSON", "Jansen")]),
    # a word glued to digits is part of a code; after 'het' a name is an institution
    ("Browser: Mozilla/5.0 (Windows NT 10.0; Win64; x64)", []),
    ("Het Antoni van Leeuwenhoek en het Wilhelmina Kinderziekenhuis werken samen.", []),
    # institutions: 'Sint', '&', company words
    ("Apotheek Sint Jozef is open", []),
    ("de praktijk (Mulder & Visser Psychologen) en cliënt Ruud Visser", [("PERSON", "Ruud Visser")]),
    ("Werkgever: Bol Logistics, Nieuwegein", [("LOCATION", "Nieuwegein")]),
    # a surname built like a street, without a number; a street after 'de' or with a number stays a street
    ("Mijn naam is Ottoline Brasjeweg.", [("PERSON", "Ottoline Brasjeweg")]),
    ("Zij woont aan de Brasjeweg", []),
    ("Zij woont op Brasjeweg 12", [("ADDRESS", "Brasjeweg 12")]),
    # lone first names: a phone introduction, a signature at the end, 'X namens'
    ("Medewerker: U spreekt met Vendelijn, goedemiddag.", [("PERSON", "Vendelijn")]),
    ("Klant: Ja goedemiddag, met Drüssenhoek.", [("PERSON", "Drüssenhoek")]),
    ("Kun je dat regelen? Dank! Roos", [("PERSON", "Roos")]),
    ("Dank! Tot ziens", []),
    ("Vanaf maandag geldt het rooster.\n\nEbbelina namens het MT", [("PERSON", "Ebbelina")]),
    ("Vanaf maandag geldt het rooster.\n\nZorgteam namens de directie", []),
    # lowercase names, only in an all-lowercase text and only after a cue
    ("hoi dit is fatima van de tandarts, bel even", [("PERSON", "fatima")]),
    ("sms van zoravin: neem ik de sleutel mee voor tante wobina?", [("PERSON", "zoravin"), ("PERSON", "wobina")]),
    ("sms van apotheek: uw medicijnen liggen klaar", []),
    # a capital that only starts a sentence is the phone's (round 5): still chat style
    ("Hoi dit is fatima", [("PERSON", "fatima")]),
    ("Hoi dit is fatima van Zorggroep Oost", []),  # a capitalised word inside the sentence: not chat style
    ("Chat met de assistent\nKlant: hoi, dit is fatima\nAssistent: Welkom!", [("PERSON", "fatima")]),
    ("Chat met de assistent\nKlant: Hoi, dit is fatima", [("PERSON", "fatima")]),
    ("Chat met de assistent\nKlant: Hoi, dit is fatima van Apotheek Noord", []),
    # tussenvoegsels: a repeated surname keeps its tussenvoegsel
    ("er staat Hof-d'Hondt maar het moet zijn van 't Hof-d'Hondt.\nGroet,\nM.E. van 't Hof-d'Hondt",
     [("PERSON", "Hof-d'Hondt"), ("PERSON", "van 't Hof-d'Hondt"), ("PERSON", "M.E. van 't Hof-d'Hondt")]),
])
def test_names(text, expected):
    assert [x for x in found(text) if x[0] == "PERSON"] == [x for x in expected if x[0] == "PERSON"]


@pytest.mark.parametrize("text, expected", [
    # a place in no list where an address has its place
    ("Westerblokker 188, 1695 AS Blokker", [("ADDRESS", "Westerblokker 188"), ("NL_POSTCODE", "1695 AS"), ("LOCATION", "Blokker")]),
    ("Grote Markt 8, 2300 Turnhout (België)", [("ADDRESS", "Grote Markt 8"), ("LOCATION", "Turnhout")]),
    ("In 2300 Vergaderingen", []),   # a number that is no postcode
    # 't-spelling of a listed place; an institution's 'De X'; 'Van 't X' is a surname
    ("AGB-code 12107799 – 't Zandt", [("LOCATION", "'t Zandt")]),
    ("Huisartsenpraktijk De Linde", []),
    ("Hee mam, ik ben er om 8u", []),
    # streets: a title abbreviation belongs to it, 'Laan van ...', a date is no house number
    ("Ik woon op Ds. Kuypersingel 17 in Arnhem", [("ADDRESS", "Ds. Kuypersingel 17"), ("LOCATION", "Arnhem")]),
    ("Adres: Laan van Nieuw Oost-Indië 270, Den Haag", [("ADDRESS", "Laan van Nieuw Oost-Indië 270"), ("LOCATION", "Den Haag")]),
    ("Dhr. G. Mulder  14-08-1940", []),  # no address "Mulder 14-08"
])
def test_places_and_addresses(text, expected):
    assert [x for x in found(text) if x[0] != "PERSON"] == expected


@pytest.mark.parametrize("word, compound", [("zorgteam", True), ("teamleider", True), ("ebbelina", False), ("mbuvelo", False),
                                            ("a" * 10_000, True)])
def test_dutch_compound(word, compound):
    assert dutch_compound(word) is compound
