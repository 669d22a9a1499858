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
    r"(?:(?:bis|hs)(?![\w])|[a-z](?![\w])|[ ]?[A-Z](?![\w])|[ ][a-z](?![\w/'’])|-[A-Za-z0-9]{1,4}(?![\w])|/\d{1,3}(?![\w])"
    r"|[ ](?:bis|hs|huis|I{1,3}|bg|zw|rd|bv)(?![\w]))?"
    # a room or a number after the number, as part of the address: "283 kamer 4", "Plein 1945 nr. 7"
    r"(?:[ ](?:kamer|nr\.?|nummer)[ ]?[1-9]\d{0,3}[a-zA-Z]?(?![\w]))?"
    r"(?![\w.,/-]\d|\d|[ ]?(?:%|mg|ml|kg|km|cm|mm|jaar|jr|uur|u\b|min|keer|x\b|maal|dagen|weken|maanden|euro|eur|€))",
    re.UNICODE,
)
_WORD = re.compile(r"[\w'’.\-]+")
_LOOKBACK = 120  # characters: a street of five words fits
_LABELS = re.compile(r"(?i)(adres|woonachtig|woont|woon|wonen|wonende|woonadres|gevestigd|bezoekadres|postadres|straat|verhuisd|p/a|gelegen)"
                     r"(?:\s+(?:op|in|aan|nu|te))?\W*$")
# An address label straight before the street, with the colon: "Adres: Couwenhoek 117, 2903 EM".
_FIELD_LABEL = re.compile(r"(?i)(?:adres|woonadres|bezoekadres|postadres)\s*:\s*$")
# Lowercase words that may start a street written in lowercase ("van ostadelaan 201", "ds kuypersstraat 9").
_LOWER_STREET_PREFIXES = {"van", "de", "der", "den", "'t", "ds", "dr", "st", "sint", "burg", "prof", "mr", "jhr", "pr", "kon"}
# Nominalisations end in -ering ("Terugvordering 6", "Levering 25"): not a ring road ("Buitenring").
_NOT_STREET_ENDINGS = ("ering",)
_AFTER_IS_PLACE_OR_POSTCODE = re.compile(r"^[ ,]*(?:[1-9]\d{3} ?[A-Za-z]{2}\b|[A-Z'][\w'’\-]+)")
_MAX_STREET_WORDS = 5
_FIELD_LABEL_ANY = re.compile(r"(?i)adres\s*:")
_LABEL_AND_PLACE = re.compile(r"(?i)(?:woon|woont|wonen|wonende|woonachtig)\s+(?:nu\s+)?(?:in|te)\s+([^\W\d_][\w'’\-]*)\s+$")
_LOWER_AFTER = re.compile(r"^[ ,]*[1-9]\d{3} ?[A-Za-z]{2}\b")
_NEXT_WORD = re.compile(r"^[ ,]*(?:(?:in|te) )?([^\W\d_][\w'’\-]*)")  # "kerkpad 3 in lisse" too
# A street word, a linking word and capitalised words: "Laan van Nieuw Oost-Indië", "Plein der Verenigde Naties".
_STREET_OF = re.compile(
    r"(?:Laan|Plein|Kade|Weg|Singel|Dijk|Pad|Park|Dreef|Hof|Straat|Gracht|Markt)\s+(?:van|der|de|den|het|op|aan|ter|te)"
    r"(?:\s+(?:de|der|den|het|'t))?(?:\s+[A-Z][\w'’\-]*){1,3}")
_ABBREVIATION = re.compile(r"[A-Z][a-z]{1,4}\.")  # not an initial: "Ds.", "Burg.", "St."
_ORDINAL = re.compile(r"[1-9]e|Eerste|Tweede|Derde|Vierde")  # "1e Jan van der Heijdenstraat", "Tweede Hugo de Grootstraat"
# Titles written out before a street named after their holder: "Burgemeester Smitsingel 3", "Pastoor Vogelsstraat".
STREET_TITLES = {"Burgemeester", "Dokter", "Professor", "Pastoor", "Pater", "Generaal", "Kapitein", "Kolonel",
                 "Majoor", "Luitenant", "Admiraal", "Koningin", "Koning", "Prins", "Prinses", "Graaf", "Gravin",
                 "Hertog", "Hertogin", "Kardinaal", "Bisschop", "Meester", "Jonkheer", "Minister", "Dominee", "Zuster"}
# In the street lists, but the number after them is a PO box or a room, not a house.
NOT_STREETS = {"postbus", "antwoordnummer", "kamer", "bed", "week", "artikel", "pagina", "bus", "lijn", "route", "fase", "stap"}
# Street words written apart from the street's name in German and English addresses.
# Street words written before the street's name (Caribbean and Southern European addresses).
STREET_PREFIX_WORDS = {"Kaya", "Calle", "Rua", "Via", "Avenida", "Rue", "ul.", "ulica"}  # Polish "ul. Słowackiego 14/3"
SEPARATE_STREET_WORDS = {"straße", "strasse", "str.", "weg", "allee", "platz", "street", "road", "lane", "avenue"}
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


def _suffixed(low: str) -> bool:
    """A word built as a street: a street suffix after at least three letters, no nominalisation."""
    if not low.endswith(STREET_SUFFIXES) or low.endswith(_NOT_STREET_ENDINGS):
        return False  # most words: one C-level test
    return any(low.endswith(x) and len(low) >= len(x) + 3 for x in STREET_SUFFIXES)


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
        lowercase_street = bool(words) and words[0][1].islower() and _suffixed(words[0][1])
        for k in range(1, len(words) + 1):
            start = words[k - 1][0]
            name = text[start:pos].strip()
            first = name.split()[0]
            low = name.lower()
            if low in NOT_STREETS:
                continue
            if not (first[:1].isupper() or first[:1].isdigit() or first.lower() in ("'s", "'t") or first in STREET_PREFIX_WORDS):
                if lowercase_street and self._lowercase_street(words, k):
                    best = (start, "lower")  # chat style: "meidoornstraat 14", "van ostadelaan 201"
                continue
            if low in self.lexicon.streets:
                best = (start, "listed")
            elif k == 1 and first[:1].isupper() and _suffixed(low):
                best = best or (start, "suffix")
            elif k == 2 and best and _suffixed(words[1][1].lower()) and words[0][1][:1].isupper():
                best = (start, best[1])  # "Hoofdweg Oostzijde": a street word before a street's name
            elif k == 2 and best and self.lexicon.is_first_name(words[1][1]) and _suffixed(words[0][1].lower()) \
                    and _LABELS.search(text, max(0, start - 30), start):
                best = (start, best[1])  # "wonen op Sjoerd Wiersmastrjitte 5": a street named after a person
            elif k == 2 and words[0][1].lower() in SEPARATE_STREET_WORDS and words[1][1][:1].isupper():
                best = (start, "suffix")  # "Hagsche Straße 12", "Baker Street 4": the street word apart
            elif k in (2, 3) and first in STREET_PREFIX_WORDS and all(w[:1].isupper() for _, w in words[:k - 1]):
                best = (start, "suffix")  # Papiamento "Kaya Flamboyan 7", Spanish "Calle Mayor 3": the street word first
            elif k >= 3 and _STREET_OF.match(name):
                best = (start, "suffix")  # "Laan van Nieuw Oost-Indië": a street word, "van", a name
        if best:
            best = (self._with_titles(words, best[0]), best[1])
        return best

    @staticmethod
    def _lowercase_street(words: List[tuple[int, str]], k: int) -> bool:
        """'meidoornstraat', 'van ostadelaan', 'ds kuypersstraat': a street word, perhaps after a lowercase prefix."""
        last = words[0][1]
        if not last.islower() or not _suffixed(last):
            return False
        return all(word.rstrip(".") in _LOWER_STREET_PREFIXES for _, word in words[1:k])

    @staticmethod
    def _with_titles(words: List[tuple[int, str]], start: int) -> int:
        """'Ds. Kuypersingel', 'Prof. Dr. Dorgelolaan', 'Ds. van Gilselaan': title abbreviations before the
        street, with a tussenvoegsel between, belong to it."""
        n = next(n for n, (s, _) in enumerate(words) if s == start)
        first = start
        while n + 1 < len(words):
            word = words[n + 1][1]
            if _ABBREVIATION.fullmatch(word) or word in STREET_TITLES or _ORDINAL.fullmatch(word):
                first, n = words[n + 1][0], n + 1  # "Burg. Smitsingel", "Burgemeester Smitsingel", "1e Jan Steenstraat"
            elif word in ("van", "de", "der", "den") and n + 2 < len(words) and _ABBREVIATION.fullmatch(words[n + 2][1]):
                first, n = words[n + 2][0], n + 2
            else:
                break
        return first

    @staticmethod
    def _labelled_street(text: str, m: "re.Match[str]") -> Optional[tuple[int, str]]:
        """A street in no list and of no street shape, known by its field label and the postcode after:
        ``Adres: Couwenhoek 117, 2903 EM Capelle``."""
        words = _words_before(text, m.start())
        if not words or not words[0][1][:1].isupper() or words[0][1].lower() in NOT_STREETS \
                or not _LOWER_AFTER.match(text[m.end():m.end() + 40]):
            return None  # "Correspondentieadres: Postbus 1234, 3800 BA": a PO box is no address
        for k in range(1, min(len(words), 3) + 1):
            start = words[k - 1][0]
            if _FIELD_LABEL.search(text, max(0, start - 20), start):
                return start, "labelled"
        return None

    def _label_and_place_before(self, text: str, start: int) -> bool:
        m = _LABEL_AND_PLACE.search(text, max(0, start - 50), start)
        return m is not None and m.group(1).lower() in self.lexicon.places

    def _place_after(self, after: str) -> bool:
        m = _NEXT_WORD.match(after)
        return m is not None and m.group(1).lower() in self.lexicon.places

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        results = []
        field_label = _FIELD_LABEL_ANY.search(text) is not None  # one scan, not one per number
        for m in _HOUSE_NUMBER.finditer(text):
            found = self._street_before(text, m.start()) or (self._labelled_street(text, m) if field_label else None)
            if not found:
                continue
            start, kind = found
            street = text[start:m.start()].strip()
            score = SCORE_LISTED if kind == "listed" else SCORE_SUFFIX
            if kind == "labelled":
                results.append(make_result(self, self.ENTITY, start, m.end(), SCORE_WEAK))
                continue
            if kind == "lower":
                # lowercase text: only with an address label before (perhaps with the place: "ik woon in emmen
                # houtweg 22") or a postcode or place after
                after = text[m.end():m.end() + 40]
                if not (_LABELS.search(text, max(0, start - 30), start) or _LOWER_AFTER.match(after)
                        or self._place_after(after) or self._label_and_place_before(text, start)):
                    continue
                score = SCORE_WEAK
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


_ORGANISATION_FIELD = re.compile(r"^[ \t]*([^\W\d_][^:\n\d]{2,60}?)[ \t]*:[ \t]*$")


def _organisation_words(line: str) -> bool:
    from .person import ORGANISATION_HEADS, _LEGAL_FORM_TEXT, institution_like

    words = line.split()
    if not words or len(words) > 6 or any(c.isdigit() for c in line) or ":" in line:
        return False
    return bool(_LEGAL_FORM_TEXT.search(line)) or any(
        w.lower().strip(".,") in ORGANISATION_HEADS or institution_like(w.lower().strip(".,")) for w in words)


def institution_address(text: str, start: int) -> bool:
    """The address starting at ``start`` is an organisation's own: its line opens with the
    organisation's name as a field's label ('Servicekantoor Noord: Stationsplein 12, ...').  Such an
    address is no personal data.  (A letterhead's address under the organisation's name is kept:
    the earlier labelled sets label it, and failing closed costs less.)

    >>> institution_address("Servicekantoor Noord: Stationsplein 12, 9726 AE Groningen", 22)
    True
    >>> institution_address("Adres: Stationsplein 12, 9726 AE Groningen", 7)
    False
    >>> institution_address("Huisartsenpraktijk De Linde\\nLindelaan 4, 9471 KH Zuidlaren", 28)
    False
    """
    line_start = text.rfind("\n", 0, start) + 1
    m = _ORGANISATION_FIELD.match(text[line_start:start])
    return bool(m) and _organisation_words(m.group(1))

