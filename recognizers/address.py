"""ADDRESS: a street and house number (``Kerkstraat 12a``, ``Laan van Meerdervoort 1-B``).

The street is a name from the Dutch street lists that ``deduce`` ships (about
160,000 names, BAG included) or a word with a Dutch street suffix (``-straat``,
``-weg``, ``-laan``, ``-gracht``, ...), followed by a house number with an
optional addition (``12a``, ``12 A``, ``12-2``, ``12 bis``, ``12-II``).  A
street name that is also an ordinary word (``Markt``, ``Kamer``) needs more
evidence: a postcode or a place right after it, or an address label before it.

>>> r = DutchAddressRecognizer()
>>> text = "Woont Laan van Meerdervoort 12a, 2517 AB Den Haag; kamer 12 op de afdeling."
>>> [text[x.start:x.end] for x in r.analyze(text, ["ADDRESS"])]
['Laan van Meerdervoort 12a']
"""

from __future__ import annotations

import re
from typing import List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult

from .base import make_result
from .lexicon import DutchLexicon, load_lexicon
from .person import STREET_SUFFIXES
from .tokens import word_frequency

_HOUSE_NUMBER = re.compile(
    r"(?<![\w.,])[1-9]\d{0,4}"
    r"(?:[a-z](?![\w])|[ ]?[A-Z](?![\w])|[ ][a-z](?![\w/'’])|-[A-Za-z0-9]{1,4}(?![\w])|/\d{1,3}(?![\w])"
    r"|[ ](?:bis|hs|huis|I{1,3}|bg|zw|rd|bv)(?![\w]))?"
    r"(?![\w.,/-]\d|\d|[ ]?(?:%|mg|ml|kg|km|cm|mm|jaar|jr|uur|u\b|min|keer|x\b|maal|dagen|weken|maanden|euro|eur|€))",
    re.UNICODE,
)
_WORD = re.compile(r"[\w'’.\-]+")
_LOOKBACK = 120  # characters: a street of five words fits
_LABELS = re.compile(r"(?i)(adres|woonachtig|woont|wonende|gevestigd|bezoekadres|postadres|straat|verhuisd|p/a|gelegen)\W*$")
_AFTER_IS_PLACE_OR_POSTCODE = re.compile(r"^[ ,]*(?:[1-9]\d{3} ?[A-Za-z]{2}\b|[A-Z'][\w'’\-]+)")
_MAX_STREET_WORDS = 5
# A street word, a linking word and capitalised words: "Laan van Nieuw Oost-Indië", "Plein der Verenigde Naties".
_STREET_OF = re.compile(
    r"(?:Laan|Plein|Kade|Weg|Singel|Dijk|Pad|Park|Dreef|Hof|Straat|Gracht|Markt)\s+(?:van|der|de|den|het|op|aan|ter|te)"
    r"(?:\s+(?:de|der|den|het|'t))?(?:\s+[A-Z][\w'’\-]*){1,3}")
_ABBREVIATION = re.compile(r"[A-Z][a-z]{1,4}\.")  # not an initial: "Ds.", "Burg.", "St."
# In the street lists, but the number after them is a PO box or a room, not a house.
NOT_STREETS = {"postbus", "antwoordnummer", "kamer", "bed", "week", "artikel", "pagina", "bus", "lijn", "route", "fase", "stap"}
SCORE_LISTED = 0.9
SCORE_SUFFIX = 0.85
SCORE_WEAK = 0.7


def _words_before(text: str, pos: int) -> List[tuple[int, str]]:
    """Up to ``_MAX_STREET_WORDS`` words separated by spaces that end just before ``pos``, nearest first."""
    end = pos
    while end > 0 and pos - end < _LOOKBACK and text[end - 1] == " ":
        end -= 1
    if end == pos or end == 0 or not (text[end - 1].isalpha() or text[end - 1] == "."):
        return []  # a street name ends in a letter ("Kerkstraat 1") or a dot ("Burg. Jansenstr. 1")
    lo = max(text.rfind("\n", max(0, pos - _LOOKBACK), end) + 1, pos - _LOOKBACK, 0)
    found = [(m.start(), m.group()) for m in _WORD.finditer(text, lo, end)]
    words: List[tuple[int, str]] = []
    cursor = pos
    for start, word in reversed(found):
        stop = start + len(word)
        if len(words) == _MAX_STREET_WORDS or stop == cursor or text[stop:cursor].strip(" "):
            break  # only spaces may separate the words of a street and its number
        words.append((start, word))
        cursor = start
    return words


class DutchAddressRecognizer(EntityRecognizer):
    ENTITY = "ADDRESS"

    def __init__(self, lexicon: Optional[DutchLexicon] = None, supported_language: str = "nl") -> None:
        self.lexicon = lexicon or load_lexicon()
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language, name=type(self).__name__)

    def load(self) -> None:
        pass

    def _street_before(self, text: str, pos: int) -> Optional[tuple[int, str]]:
        """The longest street name ending just before ``pos`` (start, kind).

        Looks back at most ``_LOOKBACK`` characters on the line, so each house
        number costs the same however long the line.
        """
        words = _words_before(text, pos)
        best = None
        for k in range(1, len(words) + 1):
            start = words[k - 1][0]
            name = text[start:pos].strip()
            first = name.split()[0]
            if not (first[:1].isupper() or first[:1].isdigit() or first.lower() in ("'s", "'t")):
                continue
            low = name.lower()
            if low in NOT_STREETS:
                continue
            if low in self.lexicon.streets:
                best = (start, "listed")
            elif k == 1 and first[:1].isupper() and any(low.endswith(x) and len(low) >= len(x) + 3 for x in STREET_SUFFIXES):
                best = best or (start, "suffix")
            elif k >= 3 and _STREET_OF.match(name):
                best = (start, "suffix")  # "Laan van Nieuw Oost-Indië": a street word, "van", a name
        if best:
            # "Ds. Kuypersingel", "Burg. Jansenstraat": a title abbreviation before the street belongs to it
            n = next(n for n, (start, _) in enumerate(words) if start == best[0])
            if n + 1 < len(words) and _ABBREVIATION.fullmatch(words[n + 1][1]):
                best = (words[n + 1][0], best[1])
        return best

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        results = []
        for m in _HOUSE_NUMBER.finditer(text):
            found = self._street_before(text, m.start())
            if not found:
                continue
            start, kind = found
            street = text[start:m.start()].strip()
            score = SCORE_LISTED if kind == "listed" else SCORE_SUFFIX
            single_word = " " not in street
            if single_word:
                ordinary = self.lexicon.is_common_word(street) or word_frequency(street.lower()) >= 3.5
                if ordinary and not street.lower().endswith(STREET_SUFFIXES):
                    labelled = _LABELS.search(text, max(0, start - 30), start)
                    followed = _AFTER_IS_PLACE_OR_POSTCODE.match(text[m.end():m.end() + 30])
                    if not (labelled or followed):
                        continue
                    score = SCORE_WEAK
            results.append(make_result(self, self.ENTITY, start, m.end(), score))
        return results
