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
from typing import List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult

from .base import make_result
from .lexicon import DutchLexicon, load_lexicon
from .person import INSTITUTION_WORDS, institution_like
from .tokens import Token, tokenize, word_frequency

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
_POSTCODE = re.compile(r"[1-9]\d{3} ?[A-Za-z]{2}\s*$")
# Where a place stands in an address: after a Dutch postcode, or after a house number, a comma
# and a four-digit postcode ("Grote Markt 8, 2300 Turnhout").
_AFTER_POSTCODE = re.compile(r"(?:[1-9]\d{3} ?[A-Z]{2}|\d[a-zA-Z]?,[ \t]*[1-9]\d{3})[ \t]+$")
SCORE_CLEAR = 0.85
SCORE_CUED = 0.8
SCORE_SURNAME_TOO = 0.78


def _names_institution(tok: Token) -> bool:
    low = tok.lower.strip(".")
    return tok.is_word and (low in INSTITUTION_WORDS or institution_like(low))


class DutchLocationRecognizer(EntityRecognizer):
    ENTITY = "LOCATION"

    def __init__(self, lexicon: Optional[DutchLexicon] = None, supported_language: str = "nl") -> None:
        self.lexicon = lexicon or load_lexicon()
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
        if i > 0 and not toks[i].newline_before:
            prev = toks[i - 1]
            if prev.lower in PLACE_CUES or prev.text in (",", ":") and i > 1 and toks[i - 2].lower in PLACE_CUES:
                return True
            if prev.text == ":" or prev.text == ",":
                # "Woonplaats: Best", "Kerkstraat 1, Best" (a time or a phone number before a colon is no address)
                back = text[max(0, prev.start - 30):prev.start].lower()
                if "plaats" in back or prev.text == "," and re.search(r"\d[a-z]?\s*$", back):
                    return True
        return bool(_POSTCODE.search(text, max(0, toks[i].start - 9), toks[i].start))

    def _unlisted_after_postcode(self, text: str, toks: List[Token], i: int) -> bool:
        """A capitalised word in no list where an address has its place ("1695 AS Blokker")."""
        t = toks[i]
        if t.newline_before or not t.is_capitalized or len(t.text) < 3 or t.text.isupper():
            return False
        if self.lexicon.is_common_word(t.text) or _names_institution(t):
            return False
        return _AFTER_POSTCODE.search(text, max(0, t.start - 20), t.start) is not None

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        toks = tokenize(text)
        results = []
        i = 0
        while i < len(toks):
            t = toks[i]
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
            name = text[t.start:toks[match_end].end]
            article = toks[i - 1].text in ("De", "Het", "'t") and i > 1 and _names_institution(toks[i - 2]) \
                or t.text in ("De", "Het", "'t") and i > 0 and _names_institution(toks[i - 1])
            # "Van 't Hof", "van De Linde": a place after a tussenvoegsel is a surname
            article = article or t.text.lower() in ("de", "het", "'t", "den") and i > 0 and toks[i - 1].lower == "van"
            if article and not t.newline_before:
                i = match_end + 1  # "Apotheek De Vossenberg", "Huisartsenpraktijk De Linde": its name
                continue
            cued = self._cued(text, toks, i)
            # A place that is also a surname ("De Boer", "Eindhoven") scores a
            # little lower, so a person found from context wins the overlap.
            bare = re.sub(r"^(?:de|het|'t|den)\s+", "", name.lower())
            surname_too = bare in self.lexicon.surnames or bare in self.lexicon.interfix_surnames
            if self._ambiguous(name) and not cued:
                i = match_end + 1
                continue
            score = SCORE_SURNAME_TOO if surname_too else SCORE_CUED if cued else SCORE_CLEAR
            results.append(make_result(self, self.ENTITY, t.start, toks[match_end].end, score))
            i = match_end + 1
        return results
