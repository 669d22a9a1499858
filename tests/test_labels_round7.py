"""Sixth round of general rules for identifiers and dates (issue 10), developed on external_nl6.

Cases are (text, expected findings as (entity, value)) of the whole detector, for the entity types
the rule is about; every text is written for this file (none is copied from a labelled set), and
each rule has near misses that must stay unfound.
"""

import pandas as pd
import pytest

from labels import detected

IDENTIFIERS = {"NL_MEMBER_NUMBER", "NL_AGB", "NL_KVK", "NL_BIG", "NL_UZOVI", "NL_BSN", "NL_ID_DOCUMENT", "PHONE_NUMBER",
               "DATE_OF_BIRTH", "EMAIL_ADDRESS"}


FIELD_KEYS = [
    # a structured key is the value's own label: JSON, a log's key=value, a URL's query
    ('{"type":"declaratie","member_no":"530129847","bedrag":12}', [("NL_MEMBER_NUMBER", "530129847")]),
    ("GET /portaal/overzicht?lid=774120395&jaar=2026 HTTP/1.1", [("NL_MEMBER_NUMBER", "774120395")]),
    ("event=login member=661203948 result=ok", [("NL_MEMBER_NUMBER", "661203948")]),
    # ... and another key beside ours labels its own value: an amount is no UZOVI code
    ('{"uzovi":"3343","amount_cents":2450,"code":"C11"}', [("NL_UZOVI", "3343")]),
    ('{"agb":"12345678","amount":"87654321"}', [("NL_AGB", "12345678")]),
    # an e-mail address after a log's key stays an address
    ("login ok user=k.dekker@voorbeeldmail.nl ip=10.0.0.1", [("EMAIL_ADDRESS", "k.dekker@voorbeeldmail.nl")]),
    # a form's key that is a phrase opening with our label
    ("Klant gebeld. Lidnummer gevonden via naam en adres: 408812337. Verder niets.", [("NL_MEMBER_NUMBER", "408812337")]),
    ("- UZOVI-code van de nieuwe verzekeraar: 0104\n", [("NL_UZOVI", "0104")]),
    # near misses: a key phrase opening with another label, the label's clause ends before the key
    ("Lidnummer bekend. Het factuurnummer dat de klant noemde: 408812337", []),
    ("Lidnummer onbekend, graag terugbellen naar: 0301234567", [("PHONE_NUMBER", "0301234567")]),
]

MEMBER_NUMBERS = [
    ("Aanvraag steunzolen, vnr 662019384, akkoord", [("NL_MEMBER_NUMBER", "662019384")]),
    ("klant (vnr. 551029384) belde over de nota", [("NL_MEMBER_NUMBER", "551029384")]),
    # export column names
    ("member_no;bedrag\n338102947;12,50\n338102955;8,00",
     [("NL_MEMBER_NUMBER", "338102947"), ("NL_MEMBER_NUMBER", "338102955")]),
    # the number on the insurance card, a generic 'nummer bij u' in a letter to the insurer
    ("het staat op mijn pasje: 6612 0384", [("NL_MEMBER_NUMBER", "6612 0384")]),
    ("zorgpas nr 440 192 837 is kwijt", [("NL_MEMBER_NUMBER", "440 192 837")]),
    ("Mijn nummer bij jullie is 44 10 92 381.", [("NL_MEMBER_NUMBER", "44 10 92 381")]),
    # the pair's other number of the same width
    ("lidnummer is 40231188 of misschien 40231196, weet ik niet zeker",
     [("NL_MEMBER_NUMBER", "40231188"), ("NL_MEMBER_NUMBER", "40231196")]),
    # a member label's abbreviation joined to the digits; OCR's O and l straight after the label
    ("Omschrijving: premie december POL-330918274", [("NL_MEMBER_NUMBER", "330918274")]),
    ("Relatienummer :  4O3 l92 776\nAdres", [("NL_MEMBER_NUMBER", "4O3 l92 776")]),
    # near misses: a phone on the card, a card without a number, a chat's date and time after a question,
    # the pair rule with a BSN label between, OCR letters without a label, a count after 'en'
    ("pasje kwijt, bel 0201234567", []),
    ("[03-02-27 10:14] Bot: Wat is je klantnummer?\n[03-02-27 10:15] Sanne: 5520 1934", [("NL_MEMBER_NUMBER", "5520 1934")]),
    ("lidnummer 40231188 en BSN 123456782", [("NL_MEMBER_NUMBER", "40231188")]),
    ("batch 4O3 l92 776 verwerkt", []),
    ("lidnummer 40231188 en 12 andere", [("NL_MEMBER_NUMBER", "40231188")]),
]

SPACED_IDENTIFIERS = [
    ("nieuw kvk nummer 6 6 1 2 0 3 8 4 sturen we na", [("NL_KVK", "6 6 1 2 0 3 8 4")]),
    ("UZOVI: 7 1 1 9\nGeldig", [("NL_UZOVI", "7 1 1 9")]),
    ("AGB 0 1 0 2 3 4 5 6 (huisarts)", [("NL_AGB", "0 1 0 2 3 4 5 6")]),
    # near misses: spaced digits elsewhere in the label's sentence, or without one
    ("KvK 66120384, kamer 1 2 3 4 5 6 7 8", [("NL_KVK", "66120384")]),
    ("score 1 2 3 4 5 6 7 8 op de lijst", []),
    # column names after a title's colon
    ("Praktijken (kolommen: agb;naam)\n01023456;Tandartsen Oost\n01023464;Mondzorg West",
     [("NL_AGB", "01023456"), ("NL_AGB", "01023464")]),
]

BSN_AND_DOCUMENTS = [
    ("BSN staat in de bestandsnaam: upload_123456782_voorkant.png", [("NL_BSN", "123456782")]),
    ("haar id kaart nummer is NXC4R2KL5", [("NL_ID_DOCUMENT", "NXC4R2KL5")]),
    # near misses: a file name without a BSN label, an id without a document word
    ("bijlage upload_123456782_voorkant.png ontvangen", []),
    ("het id is NXC4R2KL5", []),
]

BIRTH_DATES = [
    # Polish labels and the Belgian degree sign
    ("Pacjent: Jan Nowak, ur. 04.05.1988 w Krakowie", [("DATE_OF_BIRTH", "04.05.1988")]),
    ("Pacjentka urodzona 12.12.1961 w Poznaniu", [("DATE_OF_BIRTH", "12.12.1961")]),
    ("Peeters Jan\n° 22/09/1975, Hasselt", [("DATE_OF_BIRTH", "22/09/1975")]),
    # a person 'is of' a date or a year
    ("hoe oud is uw vader? die is van negen mei zevenendertig", [("DATE_OF_BIRTH", "negen mei zevenendertig")]),
    ("Oma is van '29 en woont nog thuis", [("DATE_OF_BIRTH", "'29")]),
    # spoken with hyphens after the question, the US order where day first cannot be, an ID card's OCR
    ("Medewerker: wat is uw geboortedatum?\nBeller: elf-vier-tweeënzestig", [("DATE_OF_BIRTH", "elf-vier-tweeënzestig")]),
    ("Patient DOB 11/23/1984, seen today", [("DATE_OF_BIRTH", "11/23/1984")]),
    ("Geboortedatum / Date of birth   l2 OKT/OCT 1979\nGeldig tot / Date of expiry  l2 OKT/OCT 2032",
     [("DATE_OF_BIRTH", "l2 OKT/OCT 1979")]),
    # after a name: a gender sign, fields set apart by dashes, a child's birth year in brackets
    ("Cliënt: Bakker, Noor ♀ 17-08-1991", [("DATE_OF_BIRTH", "17-08-1991")]),
    ("1. Pieter Smit — 03-02-1978 — BSN 123456782", [("DATE_OF_BIRTH", "03-02-1978")]),
    ("Gezin: moeder Fatma Yildiz (02-02-1980), kinderen Elif (2011) en Kerem (2014)",
     [("DATE_OF_BIRTH", "02-02-1980"), ("DATE_OF_BIRTH", "2011"), ("DATE_OF_BIRTH", "2014")]),
    # near misses: a temperature's degree, a letter 'is of' a date, the date of a check after its agent,
    # a year in brackets after a name without a family (a citation), a dash-separated date inside a line,
    # the expiry date on the ID card
    ("koorts 39 ° 12-03-2024 gemeten", []),
    ("de brief is van 12-11-2024 en de nota is van '24", []),
    ("Gecontroleerd door: Ellen de Bruin, 03-06-2024", []),
    ("zoals beschreven door Verhoeven (2019) in het rapport", []),
    ("Consult met Anna Smit - 12-03-2024 - geen bijzonderheden", []),
    ("Geldig tot / Date of expiry   O4 MEI/MAY 2019", []),
]

PHONES = [
    ("Tel:  0 6 - 1 2 3 4 5 6 7 8\nHandtekening", [("PHONE_NUMBER", "0 6 - 1 2 3 4 5 6 7 8")]),
    ("Telefoon: 0318-\n482 117   Adres", [("PHONE_NUMBER", "0318-\n482 117")]),
    ("bel mij op 06 / 12 34 56 78 graag", [("PHONE_NUMBER", "06 / 12 34 56 78")]),
    ("Het nummer staat in het dossier: 030 - 760 22 00.", [("PHONE_NUMBER", "030 - 760 22 00")]),
    # near misses: a bare ten digits after a dossier label, spaced digits that are no number's shape
    ("dossiernummer: 0301234567", []),
    ("regel 0 1 2 3 4 5 6 7 8 9 0 van de tabel", []),
]


@pytest.mark.parametrize("text,expected", FIELD_KEYS)
def test_field_keys(text, expected):
    assert detected(text, IDENTIFIERS) == expected


@pytest.mark.parametrize("text,expected", MEMBER_NUMBERS)
def test_member_numbers(text, expected):
    assert detected(text, {"NL_MEMBER_NUMBER"}) == expected


@pytest.mark.parametrize("text,expected", SPACED_IDENTIFIERS)
def test_spaced_identifiers_and_titled_columns(text, expected):
    assert detected(text, {"NL_KVK", "NL_UZOVI", "NL_AGB"}) == expected


@pytest.mark.parametrize("text,expected", BSN_AND_DOCUMENTS)
def test_bsn_in_names_and_id_cards(text, expected):
    assert detected(text, {"NL_BSN", "NL_ID_DOCUMENT"}) == expected


@pytest.mark.parametrize("text,expected", BIRTH_DATES)
def test_birth_dates(text, expected):
    assert detected(text, {"DATE_OF_BIRTH"}) == expected


@pytest.mark.parametrize("text,expected", PHONES)
def test_phones(text, expected):
    assert detected(text, {"PHONE_NUMBER"}) == expected


@pytest.mark.parametrize("cell", ["06 / 12 34 56 78", "0 6 - 1 2 3 4 5 6 7 8", "0318-\n482 117"])
def test_the_output_sweep_finds_these_phone_notations(cell):
    from pii_pipeline.masking.sweep import find

    assert [f.entity for f in find(cell)] == ["PHONE_NUMBER"]


_LANDLINES = ["201234567", "104567890", "307602200", "433505480", "505678123", "715123456", "118234567", "582345678",
              "402123456", "262345678"]


def test_a_column_of_landlines_whose_leading_zero_a_spreadsheet_dropped_is_a_phone_column(detector):
    """'contact' of 201234567 (020-123 4567 opened and saved in Excel): issued ranges only; about 60 % of
    random nine-digit numbers lie in one (tests/test_hostile_hunt15.py keeps those safe)."""
    from pii_pipeline.discovery.classifier import classify_column

    values = pd.Series([v[:-2] + f"{i % 100:02d}" for i in range(30) for v in _LANDLINES], dtype="str")
    report = classify_column(detector, "contact", values)
    assert report.entity_type == "PHONE_NUMBER" and report.role == "direct_identifier", report.evidence
