"""LOCATION: Dutch place names (residences, municipalities, provinces, regions).

Place names come from the lists that ``deduce`` ships (about 7,000).  Many are
also ordinary words or names (``Best``, ``Echt``, ``Lent``, ``Putten``,
``Bergen``): those count only after a place preposition or label (``in``,
``te``, ``uit``, ``woonplaats``) or right after a postcode.  Multi-word places
(``Den Haag``, ``Bergen op Zoom``, ``Alphen aan den Rijn``,
``'s-Hertogenbosch``) are matched as a whole.

>>> r = DutchLocationRecognizer()
>>> text = "Verhuisd van Bergen op Zoom naar 3511 LK Utrecht; het gaat echt best goed."
>>> [text[x.start:x.end] for x in r.analyze(text, ["LOCATION"])]
['Bergen op Zoom', 'Utrecht']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult

from ._data import world_places
from .base import make_result
from .lexicon import DutchLexicon, load_lexicon
from .identifiers import uzovi
from .person import FIRM_HEADS, INSTITUTION_WORDS, LEGAL_FORMS, ORGANISATION_HEADS, STREET_SUFFIXES, TITLES, institution_like
from .tokens import ORDINARY_WORD, Token, tokenize, word_frequency

PLACE_CUES = {
    "in", "te", "uit", "naar", "nabij", "bij", "woonplaats", "woonachtig", "wonend", "wonende",
    "gemeente", "regio", "omgeving", "vanuit", "richting", "plaats", "vestiging", "locatie",
    "provincie", "stad", "dorp", "geboorteplaats", "van", "tot", "om", "rond", "buiten", "city",
}
# Dutch places that are also ordinary words in running text.
AMBIGUOUS_PLACES = {
    "best", "echt", "lent", "putten", "born", "wijk", "haren", "hoorn", "goes", "mill", "beek",
    "well", "doorn", "rijen", "bergen", "velden", "made", "nes", "hall", "gouda", "baarn",
    "sint", "boxtel", "kamp", "kerk", "oost", "west", "noord", "zuid", "linden", "lemmer",
    "ee", "eext", "loon", "thorn", "stad", "hulst", "rha", "oss", "epe", "ede", "rijs", "hee",
}
_POSTCODE = re.compile(r"[1-9]\d{3} ?[A-Za-z]{2}\s*[|,;]?\s*$")  # "6017 AB | Thorn": a cell apart too
# Acronyms of care sites a town's name follows ("SEH Goes", "HAP Best"); and every one ending in MC ("LUMC Leiden").
CARE_ACRONYMS = {"SEH", "HAP", "GGD", "AZ", "CHU", "ZGT", "CWZ", "ETZ", "JBZ"}
# Parts of a city written after it ("Amsterdam Zuidoost", "Den Haag Centrum"): one place.
DISTRICTS = {"Noord", "Oost", "Zuid", "West", "Zuidoost", "Zuidwest", "Noordoost", "Noordwest", "Centrum"}
# Words naming a ward or unit: an article and a name after one are the unit's ("afd. De Hoeve kamer 14").
UNIT_WORDS = {"afd", "afdeling", "unit", "paviljoen", "woning", "woongroep"}
# Where a place stands in an address: after a Dutch postcode, or after a house number, a comma
# and a four- or five-digit postcode ("Grote Markt 8, 2300 Turnhout", "Hauptstraße 1, 47533 Kleve").
_AFTER_POSTCODE = re.compile(r"(?:[1-9]\d{3} ?[A-Z]{2}|\d[a-zA-Z]?,[ \t]*[1-9]\d{3,4})[ \t]+$")  # 47533 Kleve too
_POLISH_POSTCODE = re.compile(r"(?<![\d-])\d{2}-\d{3}[ \t]+$")
# Before "in": a birth or a residence in the same clause ("geboren 18-11-1990 in Paramaribo").
_BIRTH_OR_HOME = re.compile(r"(?<![\w])(?:geboren|geb\.|woon\w*|woont|wonend\w*|verblijft|wohne|wohnt|lebe|lebt|live|lives|living|born)(?![\w])(?:[^.;\n]|\.(?=\S)){0,30}$", re.IGNORECASE)
# A birth mark and a date right before a place ("° 14/06/1981, Lommel", "ur. 23.11.1993 w Gdańsk").
_BIRTH_DATE_BEFORE = re.compile(
    r"(?:°|\*|\bgeb\.?|\bgeboren(?: op)?|\bborn(?: on)?|\bur\.|\burodzon[ya])\s*\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\s*(?:,|\bw|\bin|\bte|à)\s*$",
    re.IGNORECASE)
# A line naming a place field, its value on the next line ("Geboorteplaats / Place of birth").
_PLACE_FIELD = re.compile(r"(?:plaats|place of birth|city)\s*:?\s*$", re.IGNORECASE)
# A place field and its colon on the same line ("Plaats: Paramaribo/Amsterdam", "Woonplaats : Nador").
_PLACE_LABEL = re.compile(r"(?<![\w])(?:(?:woon|geboorte|verblijf)?plaats|verblijf)\s*:\s*$|(?<![\w])(?:city|place of birth)\s*:\s*$", re.IGNORECASE)
# Province abbreviations written after a place to tell it from a namesake ("Elst Gld", "Bergen (NH)").
PROVINCE_MARKS = {"Gld", "Gdl", "Gld.", "NB", "N-B", "N.B", "ZH", "Z-H", "NH", "N-H", "Fr", "Gr", "Dr", "Ov", "Ut", "Zl", "Lb", "Li", "L"}
SCORE_CLEAR = 0.85
# Parts of the day and other time words that the place lists also hold (hamlets called "Middag").
TIME_WORDS = {"middag", "ochtend", "avond", "nacht", "morgen", "vandaag", "gisteren", "weekend"}
# Dutch and Belgian provinces: one written in brackets after a place only tells it from a namesake
# ("Beek (Limburg)"); the place is the location, the province is not labelled apart.
PROVINCES = {
    "groningen", "friesland", "fryslân", "drenthe", "overijssel", "flevoland", "gelderland", "utrecht", "noord-holland",
    "zuid-holland", "zeeland", "noord-brabant", "limburg", "antwerpen", "oost-vlaanderen", "west-vlaanderen",
    "vlaams-brabant", "henegouwen", "luik", "luxemburg", "namen", "waals-brabant",
}
# An insurer's name ("De Friesland", "Salland", "Stad Holland") and the words that say insurance is meant.
_INSURER_NAME = re.compile(uzovi.insurer_name_pattern())
_INSURANCE_WORDS = re.compile(r"(?i)verzeker|uzovi|vektis|polis|declar|zorgkosten|lidnummer|relatienummer|insurer|insurance")
# Words after which a town abroad is a place ("in Alicante", "naar Antwerpen", "uit Damascus").
_ABROAD_CUES = {"in", "naar", "uit", "vanuit", "te", "nabij"}


@lru_cache(maxsize=1)
def countries() -> frozenset:
    """Country names in Dutch, English and German (letters from across the border), lowercase (CLDR, via
    Babel): the labelled sets and the masking policy treat a country as no personal place ("geboren in Marokko").

    >>> "marokko" in countries() and "morocco" in countries() and "deutschland" in countries() and "paramaribo" not in countries()
    True
    """
    from babel import Locale

    return frozenset(name.lower() for lang in ("nl", "en", "de") for name in Locale(lang).territories.values())
_QUOTES = ("'", '"', "‘", "’", "“", "”")
_AFTER_IMPERATIVE = {"de", "het", "een", "u", "uw", "je", "jouw", "dit", "dat", "deze", "die", "alle", "alles", "hem", "haar"}
SCORE_CUED = 0.8
SCORE_SURNAME_TOO = 0.78


def _names_institution(tok: Token) -> bool:
    low = tok.lower.strip(".")
    return tok.is_word and (low in INSTITUTION_WORDS or institution_like(low))


def _heads_organisation(tok: Token) -> bool:
    """A word that heads an organisation's name ("Kredietbank", "Zorggroep", "Fysiotherapie")."""
    low = tok.lower.strip(".")
    return tok.is_word and (low in ORGANISATION_HEADS or low in FIRM_HEADS or institution_like(low) or low.endswith("therapie"))


def _in_organisation_name(toks: List[Token], i: int) -> bool:
    """Capitalised words on the line before ``i`` back to an organisation's head word, at most three
    ('Zorggroep Almere', 'Zorgkantoor Regio Noord', 'Tandartsenpraktijk 't Hooge Veld', 'Rolstoelservice Van Ooijen')."""
    for j in range(i - 1, max(-1, i - 4), -1):
        tok = toks[j]
        if toks[j + 1].newline_before or not (tok.is_capitalized or tok.lower in ("'t", "’t")):
            return False
        if tok.is_capitalized and _heads_organisation(tok):
            return True
    return False


class DutchLocationRecognizer(EntityRecognizer):
    ENTITY = "LOCATION"

    def __init__(self, lexicon: Optional[DutchLexicon] = None, supported_language: str = "nl") -> None:
        self.lexicon = lexicon or load_lexicon()
        # Words that start a place (one set look-up per lowercase token)
        self._place_heads = frozenset(self.lexicon.places) | frozenset(first for first, _ in self.lexicon.place_sequences)
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language, name=type(self).__name__)

    def load(self) -> None:
        pass

    def _ambiguous(self, name: str) -> bool:
        """A place name that is also a word or a name needs a cue ("in Best")."""
        low = name.lower()
        if " " in low or "-" in low:
            return False
        return (
            low in AMBIGUOUS_PLACES
            or self.lexicon.is_common_word(name)
            or self.lexicon.is_first_name(name)
            # place names are frequent words too (Amsterdam 5.3), so only the
            # very frequent count: "best", "echt", "goed"
            or word_frequency(low) >= 5.5
        )

    def _cued(self, text: str, toks: List[Token], i: int) -> bool:
        if toks[i].newline_before and self._under_place_field(text, toks, i):
            return True
        if i > 0 and not toks[i].newline_before:
            prev = toks[i - 1]
            if prev.lower in PLACE_CUES or prev.text in (",", ":") and i > 1 and toks[i - 2].lower in PLACE_CUES:
                return True
            if prev.text == ":" or prev.text == ",":
                # "Woonplaats: Best", "Kerkstraat 1, Best" (a time or a phone number before a colon is no address)
                back = text[max(0, prev.start - 30):prev.start].lower()
                if "plaats" in back or prev.text == "," and re.search(r"\d[a-z]?\s*$", back):
                    return True
                if prev.text == "," and (i + 1 >= len(toks) or toks[i + 1].newline_before) and toks[i - 2].is_capitalized:
                    return True  # "Buurthuis De Klimop, Stein": a place closing its line after a comma
            if prev.text.isdigit() and len(prev.text) <= 4 and i > 1 and toks[i - 2].lower.endswith(STREET_SUFFIXES) \
                    and not prev.newline_before:
                return True  # "Hoofdstraat 2 Echt": the place after a street and its number
            if self._address_slot(toks, i):
                return True  # "Jan Zwaan, Epe, 12-4-1951"
            if prev.text.isupper() and (prev.text.endswith("MC") or prev.text in CARE_ACRONYMS):
                return True  # "LUMC Leiden", "SEH Goes": a hospital or its emergency ward, then its town
        return bool(_POSTCODE.search(text, max(0, toks[i].start - 12), toks[i].start))

    def _unlisted_after_postcode(self, text: str, toks: List[Token], i: int) -> bool:
        """A capitalised word in no list where an address or a sentence has its place: after a
        postcode ("1695 AS Blokker"), after 'te' ("geboren te Kumasi"), after 'in' when the
        clause says where someone was born or lives ("geboren 04.12.1995 in Konya"), or at the
        start of the line under a place field ("Geboorteplaats / Place of birth")."""
        t = toks[i]
        if not t.is_capitalized or len(t.text) < 2 or self.lexicon.is_common_word(t.text) or _names_institution(t):
            return False
        if t.text.isupper() or len(t.text) < 3:
            # "Geboorteplaats: MOGADISHU": capitals only as a place field's value; two letters only in an address
            return len(t.text) >= 3 and i > 0 and toks[i - 1].text == ":" and self._labelled_place(text, toks, i) \
                or len(t.text) == 2 and not t.text.isupper() and self._address_slot(toks, i)
        if i + 1 < len(toks) and toks[i + 1].text == ":" and not toks[i + 1].newline_before:
            return False  # "Woonplaats: Leeuwarden": a field's label, not its value
        if t.newline_before:
            return self._under_place_field(text, toks, i)
        prev = toks[i - 1].lower if i else ""
        if prev == "," and i > 1 and toks[i - 2].lower in countries() and not toks[i - 1].newline_before:
            return word_frequency(t.lower) < ORDINARY_WORD  # "Marokko, Nador": a country, then its place
        if prev in (":", "/") and self._labelled_place(text, toks, i):
            return True  # "Plaats: Paramaribo"
        slot = self._address_slot(toks, i) or ("birth" if self._birth_slot(text, toks, i) else None)
        if slot and (slot == "house" or t.lower in world_places()):
            # a place in no list only after a house number; elsewhere a town of the GeoNames list
            return word_frequency(t.lower) < ORDINARY_WORD and t.lower not in countries() and not self.lexicon.is_first_name(t.text)
        if prev == "te" or prev == "in" and _BIRTH_OR_HOME.search(text, max(0, toks[i - 1].start - 45), toks[i - 1].start):
            return not self.lexicon.is_first_name(t.text) and word_frequency(t.lower) < ORDINARY_WORD and t.lower not in countries()
        if self._abroad(toks, i):
            return True  # "in Alicante", "verhuisd van Kralendijk naar ...", "naar Antwerpen"
        if _POLISH_POSTCODE.search(text, max(0, t.start - 10), t.start):
            return t.lower in world_places()  # "35-060 Rzeszów": a town abroad after its postcode
        return _AFTER_POSTCODE.search(text, max(0, t.start - 20), t.start) is not None

    def _labelled_place(self, text: str, toks: List[Token], i: int) -> bool:
        t = toks[i]
        return _PLACE_LABEL.search(text, max(0, t.start - 30), toks[i - 1].end if toks[i - 1].text == ":" else t.start) is not None \
            and word_frequency(t.lower) < ORDINARY_WORD and t.lower not in countries()

    @staticmethod
    def _address_slot(toks: List[Token], i: int) -> Optional[str]:
        """Where an address or a list item has its place, between commas or closing the clause:
        after a street and house number ('Dorp 27, Ee, aan ...'), after a hospital ('St. James's
        Hospital, Dublin'), or between a name and a date in a list ('Jan Zwaan, Epe, 12-4-1951')."""
        if i < 3 or toks[i - 1].text != "," or toks[i].newline_before or toks[i - 1].newline_before:
            return None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        closes = nxt is None or nxt.newline_before or nxt.text in (",", ".", ";", ")") or nxt.lower in ("on", "op", "in")
        before = toks[i - 2]
        if before.text.isdigit() and len(before.text) <= 4 and toks[i - 3].is_capitalized and closes:
            return "house"  # the house number of "Dorp 27"
        if before.lower in ("hospital", "ziekenhuis", "kliniek", "clinic", "klinikum", "krankenhaus", "hôpital") and closes:
            return "institution"
        if nxt is not None and nxt.text == "," and i + 2 < len(toks) and toks[i + 2].text[:1].isdigit() \
                and before.is_capitalized and before.is_word and not toks[i + 2].newline_before:
            return "list"  # "Name, Place, 12-4-1951"
        return None

    @staticmethod
    def _birth_slot(text: str, toks: List[Token], i: int) -> bool:
        """After a birth mark and its date: '° 14/06/1981, Lommel', 'ur. 23.11.1993 w Gdańsk', 'geb. 3-4-1950 te ...'."""
        return i > 0 and toks[i - 1].text in (",", "w", "in", "te", "à") \
            and _BIRTH_DATE_BEFORE.search(text, max(0, toks[i].start - 40), toks[i].start) is not None

    @staticmethod
    def _in_firm_name(toks: List[Token], i: int, end: int) -> bool:
        """A place inside a firm's name: after 'Surname &' ('Tandartspraktijk Brink & Hoogland'), or before
        a legal form ('Bewindvoering Flevoland B.V.', 'Flevoland BV')."""
        if i > 1 and toks[i - 1].text == "&" and toks[i - 2].is_capitalized and not toks[i].newline_before:
            return True
        nxt = toks[end + 1:end + 4]
        if nxt and nxt[0].text in ("BV", "B.V.", "NV", "N.V.", "VOF", "U.A.", "UA") and not nxt[0].newline_before:
            return True
        return len(nxt) >= 3 and (nxt[0].text, nxt[2].text) in LEGAL_FORMS and nxt[1].text == "." and not nxt[0].newline_before

    def _names_insurer(self, text: str, start: int, end: int) -> bool:
        """The place is (part of) an insurer's name ('De Friesland', 'Salland', 'Stad Holland') where the
        text speaks of insurance: a word of it on the line or in the 200 characters before."""
        if not uzovi.may_name_insurer(text[max(0, start - 6):end + 1].lower()):
            return False  # most places: no insurer's name there
        for m in _INSURER_NAME.finditer(text, max(0, start - 6), min(len(text), end + 1)):
            if m.start() <= start and m.end() >= end:
                line_start = text.rfind("\n", 0, max(0, start - 200)) + 1
                line_end = text.find("\n", end)
                return _INSURANCE_WORDS.search(text, line_start, line_end if line_end >= 0 else len(text)) is not None
        return False

    @staticmethod
    def _titled(toks: List[Token]) -> frozenset:
        """The capitalised words right after a title of address in the text (one pass, kept per token list)."""
        found = set()
        for k, tok in enumerate(toks[:-1]):
            if tok.lower in TITLES:
                j = k + 1 + (toks[k + 1].text == "." and k + 2 < len(toks))
                if toks[j].is_capitalized and not toks[j].newline_before:
                    found.add(toks[j].text)
        return frozenset(found)

    @staticmethod
    def _quoted(toks: List[Token], i: int, end: int) -> bool:
        return i > 1 and end + 1 < len(toks) and toks[i - 1].text in _QUOTES and toks[end + 1].text == toks[i - 1].text \
            and toks[i - 2].is_word  # in prose, not a quoted CSV cell ('"1796 AZ","De Koog"')

    @staticmethod
    def _before_firm_word(toks: List[Token], end: int) -> bool:
        """The place is followed on its line by capitalised words up to a firm's head ('... DEKKER ADVOCATEN')."""
        for j in range(end + 1, min(end + 4, len(toks))):
            if toks[j].newline_before or not toks[j].is_capitalized:
                return False
            if toks[j].lower in FIRM_HEADS:
                return True
        return False

    @staticmethod
    def _imperative(toks: List[Token], i: int, end: int) -> bool:
        """A one-word place that is an ordinary word, opening a sentence before an article or pronoun:
        an imperative ('Leg de beslissing vast', 'Stel het formulier op')."""
        return end == i and end + 1 < len(toks) and toks[end + 1].lower in _AFTER_IMPERATIVE and toks[end + 1].text.islower() \
            and (i == 0 or toks[i].newline_before or toks[i - 1].text in ".!?:") and word_frequency(toks[i].lower) >= 3.5

    @staticmethod
    def _province_in_brackets(toks: List[Token], i: int, end: int) -> bool:
        return 1 < i and end + 1 < len(toks) and toks[i - 1].text == "(" and toks[end + 1].text == ")" \
            and toks[i - 2].is_capitalized and not toks[i].newline_before \
            and " ".join(t.lower for t in toks[i:end + 1]).replace(" - ", "-") in PROVINCES

    def _abroad(self, toks: List[Token], i: int) -> bool:
        """A town abroad in the GeoNames list after a place word ('in', 'naar', 'uit', 'vanuit'; 'van' only
        with 'naar' after it), never an ordinary word, a first name or a surname ('bij Anna', 'van Dijk')."""
        t, prev = toks[i], toks[i - 1]
        if prev.newline_before and i > 0 and prev.start == 0 or t.lower not in world_places():
            return False
        if prev.lower == "van":
            if not (i + 1 < len(toks) and toks[i + 1].lower == "naar") or i < 2 or toks[i - 2].is_capitalized:
                return False  # "Jan van Gent": a surname; "verhuisd van Kralendijk naar": a place
        elif prev.lower not in _ABROAD_CUES:
            return False
        return not self._ambiguous(t.text) and t.lower not in countries()

    @staticmethod
    def _under_place_field(text: str, toks: List[Token], i: int) -> bool:
        """The word alone on its line, and the line above names a place field."""
        t = toks[i]
        if i + 1 < len(toks) and not toks[i + 1].newline_before:
            return False
        line_end = text.rfind("\n", 0, t.start)
        if line_end <= 0:
            return False
        line = text[max(text.rfind("\n", max(0, line_end - 80), line_end) + 1, line_end - 80):line_end]
        return _PLACE_FIELD.search(line) is not None and not any(c.isdigit() for c in line)

    def _lowercase_place(self, text: str, toks: List[Token], i: int) -> int:
        """Tokens of a place written in lowercase (chat, forms) where a place stands, or 0:
        after a place cue ("ik woon in emmen", "plaats: oud-beijerland"), a postcode or a
        house number ("van ostadelaan 201 hilversum").  Never a word that is also ordinary."""
        t = toks[i]
        if i == 0 or t.newline_before or len(t.text) < 3:
            return 0
        prev = toks[i - 1]
        if not (prev.lower in PLACE_CUES or prev.text.isdigit() or prev.text in (":", ",") or prev.text.isalpha() and len(prev.text) == 2):
            return 0  # no cue, number or postcode letters before it: nothing more to look up
        k = 0
        for seq in self.lexicon.place_sequences.get((t.lower, toks[i + 1].lower), ()) if i + 1 < len(toks) else ():
            if i + len(seq) <= len(toks) and all(toks[i + m].text == seq[m] and not toks[i + m].newline_before
                                                 for m in range(len(seq))):
                k = len(seq)  # "berkel en rodenrijs"
                break
        if k == 2 and t.lower in ("het", "de", "'t") and (self.lexicon.is_common_word(toks[i + 1].text)
                                                         or word_frequency(toks[i + 1].lower) >= 4.0):
            return 0  # "in het veld": an article and an ordinary word, not the hamlet "Het Veld"
        if not k and t.text == t.lower and t.lower not in self.lexicon.places and prev.lower in _ABROAD_CUES \
                and len(t.text) >= 5 and self._abroad(toks, i) and not self._ambiguous(t.text):
            return 1  # "ze woont in paramaribo": a town abroad after a place word
        # "weteringstraat 14 in lisse": after a house number and 'in' even a place that is also a word
        after_address = prev.lower == "in" and i > 1 and toks[i - 2].text[:1].isdigit() and not prev.newline_before
        if not k and (t.lower not in self.lexicon.places or t.text != t.lower or self._ambiguous(t.text) and not after_address):
            return 0
        if not k and t.lower in TIME_WORDS:
            return 0  # "start 30-11 middag": a part of the day, not the hamlet of that name
        number = prev.text.isdigit() and len(prev.text) <= 4 and not prev.newline_before
        return k or 1 if number or self._cued(text, toks, i) else 0

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        toks = tokenize(text)
        results = []
        heads = self._place_heads
        abroad = world_places()
        titled = None  # the words after a title, computed at the first place that is a surname too
        # the tokens a place can start at (a comprehension, not the loop below, steps over the others)
        starts = [k for k, t in enumerate(toks)
                  if t.is_capitalized or t.lower in heads or t.lower in abroad or t.text.startswith(("'s", "'t"))]
        i = 0
        for start in starts:
            if start < i:
                continue
            i = start
            t = toks[i]
            if (t.lower in heads or t.lower in abroad) and t.is_word and not t.is_capitalized and t.text[:1].islower():
                k = self._lowercase_place(text, toks, i)
                if k:
                    results.append(make_result(self, self.ENTITY, t.start, toks[i + k - 1].end, SCORE_CUED))
                    i += k
                    continue
            if not t.is_word or not (t.is_capitalized or t.text.startswith(("'s", "'t"))):
                i += 1
                continue
            k = self.lexicon.place_length(toks, i)
            match_end = i + k - 1 if k else i if t.lower in self.lexicon.places else None
            if match_end is None:
                if self._unlisted_after_postcode(text, toks, i):
                    results.append(make_result(self, self.ENTITY, t.start, t.end, SCORE_CUED))
                i += 1
                continue
            if match_end + 1 < len(toks) and toks[match_end + 1].text in DISTRICTS and not toks[match_end + 1].newline_before \
                    and toks[match_end + 1].start == toks[match_end].end + 1:
                match_end += 1  # "Amsterdam Zuidoost"
            if match_end + 1 < len(toks) and toks[match_end + 1].text in PROVINCE_MARKS \
                    and toks[match_end + 1].start == toks[match_end].end + 1 and not toks[match_end + 1].newline_before:
                match_end += 1  # "Elst Gld": the province mark belongs to the place
            name = text[t.start:toks[match_end].end]
            if match_end == i and t.lower in countries():
                i += 1  # "Rzeszów, Polen": a country, not the hamlet of that name (no set labels a country)
                continue
            if self._province_in_brackets(toks, i, match_end):
                i = match_end + 1  # "Beek (Limburg)": the province after the place
                continue
            article = toks[i - 1].lower in ("de", "het", "'t") and toks[i - 1].text != "de" and i > 1 \
                and (_names_institution(toks[i - 2]) or _heads_organisation(toks[i - 2])) \
                or t.text in ("De", "Het", "'t") and i > 0 and _names_institution(toks[i - 1])
            # "Van 't Hof", "van De Linde": a place after a tussenvoegsel is a surname
            article = article or t.text.lower() in ("de", "het", "'t", "den") and i > 0 and toks[i - 1].lower == "van"
            # "VAN ’T HOF": a word after "van 't" is a surname
            article = article or i > 1 and toks[i - 1].lower in ("'t", "’t") and toks[i - 2].lower == "van"
            # "afd. De Hoeve": a ward's name
            article = article or t.text in ("De", "Het") and i > 0 and (
                toks[i - 1].lower in UNIT_WORDS or toks[i - 1].text == "." and i > 1 and toks[i - 2].lower in UNIT_WORDS)
            # "dagbesteding 'De Hoeve'": a name with its article in quotes names a building or a group
            article = article or t.text in ("De", "Het", "'t") and self._quoted(toks, i, match_end)
            if article and not t.newline_before:
                i = match_end + 1  # "Apotheek De Vossenberg", "Huisartsenpraktijk De Linde": its name
                continue
            if self._before_firm_word(toks, match_end) or self._imperative(toks, i, match_end):
                i = match_end + 1  # "VAN ROSSUM DEKKER ADVOCATEN"; "4. Leg de beslissing vast"
                continue
            if i > 0 and not t.newline_before and toks[i - 1].is_capitalized and _in_organisation_name(toks, i):
                i = match_end + 1  # "Kredietbank Limburg", "Thuiszorg Zonnebloem Twente": the organisation's name
                continue
            if self._in_firm_name(toks, i, match_end) or self._names_insurer(text, t.start, toks[match_end].end):
                i = match_end + 1  # "Brink & Hoogland", "Bewindvoering Flevoland B.V.", "De Friesland, UZOVI 3351"
                continue
            cued = self._cued(text, toks, i)
            # A place that is also a surname ("De Boer", "Eindhoven") scores a
            # little lower, so a person found from context wins the overlap.
            bare = re.sub(r"^(?:de|het|'t|den)\s+", "", name.lower())
            surname_too = bare in self.lexicon.surnames or bare in self.lexicon.interfix_surnames
            if surname_too and not cued and match_end == i and titled is None:
                titled = self._titled(toks)
            if surname_too and not cued and match_end == i and t.text in titled:
                i += 1  # "de heer Doesburg uit Loon op Zand ... Doesburg woont in Kaatsheuvel": the person, named again
                continue
            if self._ambiguous(name) and not cued:
                i = match_end + 1
                continue
            score = SCORE_SURNAME_TOO if surname_too else SCORE_CUED if cued else SCORE_CLEAR
            results.append(make_result(self, self.ENTITY, t.start, toks[match_end].end, score))
            i = match_end + 1
        return results
