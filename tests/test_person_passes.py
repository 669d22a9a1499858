"""The person recognizer pass by pass, and whole names in fresh realistic text.

Each pass is run on its own over a :class:`NameDocument` (with the passes it
depends on before it), so a change to one pass shows up in its own tests.
"""

import pytest

from recognizers.lexicon import load_lexicon
from recognizers.person import (
    BlockNonNames, ContextNames, DutchPersonRecognizer, InterfixNames, InvertedNames, JoinNames, LookupNames,
    NameDocument, NameGrammar, RareNames, RepeatedNames, ShapeNames,
)
from recognizers.tokens import tokenize

GRAMMAR = NameGrammar(load_lexicon())


def run(text, *passes):
    doc = NameDocument(text, tokenize(text))
    for cls in passes:
        cls(GRAMMAR).process(doc)
    return doc


def names(doc):
    return [doc.text[doc.toks[a].start:doc.toks[b].end] for a, b in sorted(doc.spans)]


def blocked(doc):
    return [t.text for t, b in zip(doc.toks, doc.blocked) if b]


# -- the grammar of one name ----------------------------------------------------
@pytest.mark.parametrize("text, start, expected", [
    ("van Dam-van der Linden belde", 0, "van Dam-van der Linden"),
    ("Jansen-de Wit belde", 0, "Jansen-de Wit"),
    ("P.J. Vos belde", 0, "P.J. Vos"),
    ("Sem Kok belde", 0, "Sem Kok"),
    ("van Anna Smid", 0, "Anna Smid"),          # the 'van' of the sentence is left out
    ("van Dijk belde", 0, "van Dijk"),          # a real tussenvoegsel stays
    ("J. van 't Hof", 0, "J. van 't Hof"),
])
def test_parse_one_name(text, start, expected):
    toks = tokenize(text)
    parsed = GRAMMAR.parse(toks, start, strict=True)
    assert text[toks[parsed.first].start:toks[parsed.last].end] == expected


def test_parse_is_bounded():
    toks = tokenize("J." * 1000 + " Vos")
    assert GRAMMAR.parse(toks, 0, strict=True) is None  # more initials than any name has


# -- one test per pass -----------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("in het Jeroen Bosch Ziekenhuis", ["Jeroen", "Bosch", "Ziekenhuis"]),
    ("Zij woont in de Anna Paulownastraat", ["Anna", "Paulownastraat"]),
    ("Meneer Sarmo uit de Poolsterstraat", ["Poolsterstraat"]),   # a name before 'uit de' stays free
    ("Burgemeester de Withstraat", ["Burgemeester", "de", "Withstraat"]),
    ("naar Krimpen aan den IJssel", ["Krimpen", "aan", "den", "IJssel"]),
    ("1234 AN Hilversum", ["AN"]),
])
def test_block_non_names(text, expected):
    assert blocked(run(text, BlockNonNames)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Geachte heer dr. Jansen,", ["Jansen"]),
    ("tandarts Groen heeft gebeld", ["Groen"]),                  # an ordinary word after a role
    ("huisarts Amsterdam", []),                                   # a place is no name after a role
    ("Van: Wojciech Zieliński <w@z.nl>", ["Wojciech Zieliński"]),  # e-mail header
    ("Met vriendelijke groet,\n\nNoor Hoekstra\nTeamleider", ["Noor Hoekstra"]),
    ("de huisarts van Anna Smid", ["Anna Smid"]),
])
def test_context_names(text, expected):
    assert names(run(text, BlockNonNames, ContextNames)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Verwijzing door P.J. Vos.", ["P.J. Vos"]),
    ("Gisteren kwam Sem Kok langs.", ["Sem Kok"]),
    ("Vitamine D. Advies volgt.", []),                            # an initial, then an ordinary word
    ("Sophia Kinderziekenhuis", []),
])
def test_shape_names(text, expected):
    assert names(run(text, BlockNonNames, ShapeNames)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Chen, L.\nKowalczyk, A.", ["Chen, L.", "Kowalczyk, A."]),
    ("El Khayari, S.", ["El Khayari, S."]),
    ("Utrecht, A. Jansen", []),
])
def test_inverted_names(text, expected):
    assert names(run(text, BlockNonNames, InvertedNames)) == expected


def test_interfix_names():
    assert names(run("Later belde De Vries terug.", BlockNonNames, InterfixNames)) == ["De Vries"]
    assert names(run("Van Utrecht naar Zwolle.", BlockNonNames, InterfixNames)) == []


def test_lookup_names():
    assert names(run("Gesprek met Wiersma gehad.", BlockNonNames, LookupNames)) == ["Wiersma"]
    assert names(run("Gesprek met de bakker.", BlockNonNames, LookupNames)) == []


def test_rare_names():
    assert names(run("Contact met Ebreno Mbuvelo gehad.", BlockNonNames, RareNames)) == ["Ebreno Mbuvelo"]
    assert names(run("Uittreksel Handelsregister", BlockNonNames, RareNames)) == []


def test_repeated_names():
    doc = run("Mevrouw Oukili belde. Later belde Oukili opnieuw.", BlockNonNames, ContextNames, RepeatedNames)
    assert names(doc) == ["Oukili", "Oukili"]


def test_join_names():
    doc = run("mevrouw Molkenbrugge en Hennevie Molkenbrugge", BlockNonNames, ContextNames, RepeatedNames, JoinNames)
    assert names(doc) == ["Molkenbrugge", "Hennevie Molkenbrugge"]


# -- whole names in fresh text (letters, e-mails, transcripts, forms) ---------------
@pytest.mark.parametrize("text, expected", [
    ("Goedemiddag meneer Hendriks-van Leeuwen, u spreekt met Ilse van de klantenservice.", ["Hendriks-van Leeuwen", "Ilse"]),
    ("Agent: u spreekt met Joost. Beller: ja hallo, met Femke Dekker, ik bel voor mijn moeder.", ["Joost", "Femke Dekker"]),
    ("Hierbij machtig ik, W.F. Koster, mijn dochter Lieke Koster om namens mij te bellen.", ["W.F. Koster", "Lieke Koster"]),
    ("De fysiotherapeut van Sara Brouwer stuurde de verwijzing door.", ["Sara Brouwer"]),
    ("Gisteren sprak ik met de partner van Tim Bos over de rekening.", ["Tim Bos"]),
    ("Ondergetekende, mevr. C.M. de Jong-Bakker, verklaart dat zij akkoord gaat.", ["C.M. de Jong-Bakker"]),
    ("Mijn zoon Bram de Graaf woont nu in Alphen aan den Rijn.", ["Bram de Graaf"]),
    ("Formulier ingevuld door: Kees van der Linden (vader)", ["Kees van der Linden"]),
    ("Mevrouw Yildiz-Öztürk belde terug over de afwijzing.", ["Yildiz-Öztürk"]),
    ("Op 3 mei had Luuk Vos een afspraak bij de mondhygiëniste.", ["Luuk Vos"]),
    ("Contact opgenomen met Jeroen Koning en met zijn broer Thijs Koning.", ["Jeroen Koning", "Thijs Koning"]),
    ("Het Antonius Ziekenhuis heeft gebeld over Henk Smid.", ["Henk Smid"]),
    ("Kun je Fenna de Wit terugbellen? Ze is er tot vijf uur.", ["Fenna de Wit"]),
    ("Geachte mevrouw Boer-de Haan,", ["Boer-de Haan"]),
    ("Naam\tAdres\nG. van der Meer\tJulianalaan 3", ["G. van der Meer"]),   # a tab ends a cell
    ("Behandeld door dr. Groot op de poli.", ["Groot"]),
    ("Ik sprak de huisarts van Anna Smid.", ["Anna Smid"]),
])
def test_whole_names_in_fresh_text(text, expected):
    r = DutchPersonRecognizer()
    assert [text[x.start:x.end] for x in r.analyze(text, ["PERSON"])] == expected


@pytest.mark.parametrize("text, expected", [
    ("Zij woont op de Sophiahof 3 in Delft.", [("ADDRESS", "Sophiahof 3"), ("LOCATION", "Delft")]),
    ("Nieuw adres: Anna Paulownastraat 12, 2518 BE Den Haag.",
     [("ADDRESS", "Anna Paulownastraat 12"), ("NL_POSTCODE", "2518 BE"), ("LOCATION", "Den Haag")]),
    ("Verhuisd naar Krimpen aan den IJssel.", [("LOCATION", "Krimpen aan den IJssel")]),
    ("Zij werkt in Capelle aan den IJssel en woont in Alphen aan den Rijn.",
     [("LOCATION", "Capelle aan den IJssel"), ("LOCATION", "Alphen aan den Rijn")]),
    ("U kunt langskomen op Prins Bernhardlaan 101, Nieuwerkerk aan den IJssel.",
     [("ADDRESS", "Prins Bernhardlaan 101"), ("LOCATION", "Nieuwerkerk aan den IJssel")]),
    ("Aanvrager: R. Ramdin, Sophiahof 3, Delft", [("PERSON", "R. Ramdin"), ("ADDRESS", "Sophiahof 3"), ("LOCATION", "Delft")]),
])
def test_streets_and_places_named_after_people(detector, text, expected):
    assert [(f.entity_type, text[f.start:f.end]) for f in detector.detect(text)] == expected
