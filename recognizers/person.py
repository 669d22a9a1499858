"""PERSON: names of people in Dutch free text.

Lookup lists alone miss the rare Dutch and Frisian surnames and the names of
the many nationalities living in the Netherlands, so names are found from
three kinds of evidence, strongest first:

1. Context: a title (``mevrouw``, ``dhr.``, ``dr.``), a role (``patiënt``,
   ``verzekerde``, ``huisarts``), a salutation or signature (``Beste``,
   ``Met vriendelijke groet,``) or a field label (``naam:``) followed by a
   capitalised name: any name, listed or not.
2. Shape: initials (``J.P.``) or a known first name followed by capitalised
   words, tussenvoegsels (``van der``, ``de``) before a surname.
3. Lookup: a single surname or first name from the lists that ``deduce``
   ships, when it is not also an ordinary Dutch word.

A surname found once is found again elsewhere in the same text.  Eponymous
diseases (``ziekte van Parkinson``), words that are common in Dutch (``de
bakker op de hoek``), institutions (``Jeroen Bosch Ziekenhuis``) and streets
are not persons.

>>> r = DutchPersonRecognizer()
>>> text = "Mevrouw Oukili belde. Oukili vraagt naar de ziekte van Parkinson."
>>> [text[x.start:x.end] for x in r.analyze(text, ["PERSON"])]
['Oukili', 'Oukili']
"""

from __future__ import annotations

from typing import List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult

from .base import make_result
from .lexicon import DutchLexicon, load_lexicon
from .tokens import Token, tokenize, word_frequency

TITLES = {
    "dhr", "de heer", "heer", "mevr", "mevrouw", "mw", "mej", "mejuffrouw", "meneer", "mijnheer",
    "dr", "drs", "prof", "ir", "ing", "mr", "ds", "zr", "zuster", "br", "broeder", "fam", "familie",
    "wed", "weduwe", "juf", "juffrouw", "dokter", "mrs", "mr", "ms", "miss", "sir", "madam",
    "dhr/mevr", "hr", "mvr", "mw/dhr", "bc", "drs", "mtr",
}
ROLES = {
    "patiënt", "patiënte", "patient", "patiente", "pt", "pte", "cliënt", "cliënte", "client",
    "cliente", "verzekerde", "aanvrager", "aanvraagster", "huisarts", "tandarts", "orthodontist",
    "mondhygiënist", "mondhygiëniste", "kaakchirurg", "fysiotherapeut", "psycholoog", "psychiater",
    "specialist", "internist", "cardioloog", "chirurg", "neuroloog", "arts", "verpleegkundige",
    "behandelaar", "collega", "apotheker", "verloskundige", "casemanager", "praktijkondersteuner",
    "assistente", "doktersassistente", "tandartsassistente", "echtgenoot", "echtgenote", "partner",
    "moeder", "vader", "zoon", "dochter", "broer", "zus", "zuster", "kleinzoon", "kleindochter",
    "buurman", "buurvrouw", "mantelzorger", "contactpersoon", "vertegenwoordiger", "curator",
    "bewindvoerder", "mentor", "medewerker", "medewerkster", "verwijzer", "gemachtigde",
    "zorgverlener", "therapeut", "logopedist", "diëtist", "podotherapeut", "oogarts", "kinderarts",
    "gynaecoloog", "uroloog", "longarts", "dermatoloog", "anesthesioloog", "radioloog", "geriater",
    "assistent", "schoonmoeder", "schoonvader", "oom", "tante", "neef", "nicht", "opa", "oma",
    "weduwnaar", "voogd", "ouder", "vriend", "vriendin", "namens", "door", "tav", "t.a.v", "aan",
    "behandelend", "dossierhouder", "regiebehandelaar", "ondergetekende", "klant", "lid",
}
SALUTATIONS = {"beste", "geachte", "lieve", "hallo", "hoi", "hai", "dag", "goedemorgen", "goedemiddag", "goedenavond", "hi", "hey", "dear", "hello"}
# Signatures put the name on the next line; the name may follow a title there.
SIGNATURES = {"groet", "groeten", "mvg", "m.v.g", "gr", "groetjes", "regards", "ondertekend", "getekend"}
FIELD_LABELS = {
    "naam", "achternaam", "voornaam", "voornamen", "roepnaam", "geboortenaam", "meisjesnaam",
    "familienaam", "name", "surname", "tenaamstelling", "rekeninghouder", "afzender", "auteur",
    "opgesteld", "ingevuld", "ontvanger", "geadresseerde",
}
INSTITUTION_WORDS = {
    "ziekenhuis", "kliniek", "mc", "umc", "medisch", "centrum", "praktijk", "apotheek", "stichting",
    "gasthuis", "zorg", "groep", "instituut", "college", "school", "universiteit", "bv",
    "b.v", "nv", "vof", "fonds", "kinderziekenhuis", "hospitaal", "zorggroep", "huisartsenpraktijk",
    "tandartspraktijk", "gezondheidscentrum", "revalidatiecentrum", "verpleeghuis", "hospice",
    "ziekte", "syndroom", "disease", "syndrome", "methode", "test", "prijs", "lezing", "straat",
    "laan", "weg", "plein", "museum",
}
STREET_SUFFIXES = (
    "straat", "weg", "laan", "plein", "gracht", "kade", "singel", "dijk", "steeg", "dreef", "markt",
    "baan", "hof", "pad", "park", "plantsoen", "erf", "wal", "haven", "allee", "boulevard", "dam",
    "plaats", "kamp", "veld", "ring", "pleintje", "straatje", "steeg", "burcht", "hoeve", "oord",
    "wijk", "zoom", "wetering", "vaart", "kanaal", "polder", "dwarsstraat", "driesch", "akker",
)
# Street words never end a person's name; weaker suffixes (-veld, -kamp,
# -akker) end many surnames (Hoogveld, Bakker) and are left to the address side.
NAME_UNLIKE_SUFFIXES = ("straat", "laan", "plein", "gracht", "kade", "singel", "steeg", "dreef", "plantsoen", "boulevard", "straatje", "weg")
COMMON_FREQUENCY = 4.6  # Zipf; "kerk" 5.0, "jansen" 4.1
UNLISTED_NAME_FREQUENCY = 3.5
# Listed first names that are (also) ordinary words or place names.
AMBIGUOUS_FIRST_NAMES = {"brand", "lieve", "koop", "islam", "my", "love", "kader", "india", "day", "israël", "ken", "max", "ton", "frank", "koning", "roos", "mark", "bas", "hart", "lente", "zon", "dag"}
PREPOSITION_INTERFIXES = {"in", "op", "aan", "bij", "uit", "te", "d'", "l'", "zur"}

SCORE_CONTEXT = 0.85
SCORE_FULL_NAME = 0.85
SCORE_INITIALS = 0.8
SCORE_INTERFIX = 0.75
SCORE_REPEAT = 0.7
SCORE_SINGLE = 0.6


class DutchPersonRecognizer(EntityRecognizer):
    ENTITY = "PERSON"

    def __init__(self, lexicon: Optional[DutchLexicon] = None, supported_language: str = "nl") -> None:
        self.lexicon = lexicon or load_lexicon()
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language, name=type(self).__name__)

    def load(self) -> None:  # the lexicon is loaded in __init__
        pass

    # -- token predicates ------------------------------------------------
    def _is_initial(self, toks: List[Token], i: int) -> bool:
        t = toks[i]
        if not t.is_word or not t.text[:1].isupper() or len(t.text) > 3:
            return False
        if len(t.text) > 1 and t.text not in ("Ch", "Chr", "Th", "Ph", "IJ", "Ij"):
            return False
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        return nxt is not None and nxt.text == "." and nxt.start == t.end

    def _interfix_len(self, toks: List[Token], i: int) -> int:
        for seq in self.lexicon.interfixes_by_first.get(toks[i].lower, ()):
            k = len(seq)
            if i + k > len(toks):
                continue
            if all(toks[i + n].lower == seq[n] and (n == 0 or not toks[i + n].newline_before) for n in range(k)):
                return k
        return 0

    def _is_name_word(self, tok: Token, strict: bool) -> bool:
        """A capitalised word that can be (part of) a name."""
        text = tok.text
        if not tok.is_word or not tok.is_capitalized or len(text.strip("'’`")) < 2:
            return False
        low = text.lower()
        if low in TITLES or low in ROLES or low in SALUTATIONS or low in INSTITUTION_WORDS or low in FIELD_LABELS:
            return False
        parts = [part for part in text.split("-") if part[:1].isupper()]
        if len(parts) > 1:
            # "Hoogeveen-Bakker", "Tjoe-A-Fong": judge each capitalised part
            return all(self._is_name_word(Token(part, 0, 0, False), strict) or len(part) <= 2 for part in parts)
        if low.endswith(NAME_UNLIKE_SUFFIXES) and not self._listed(text):
            return False
        if low in self.lexicon.eponyms and not self._listed(text):
            return False
        if text.isupper() and len(text) <= 4 and not self._listed(text):
            return False  # BSN, AGB, UMC, ...
        if strict:
            return self._listed(text) and not self.lexicon.is_common_word(text) or self._uncommon(text)
        return not self.lexicon.is_common_word(text) or self._listed(text)

    def _listed(self, word: str) -> bool:
        return self.lexicon.is_first_name(word) or self.lexicon.is_surname(word)

    def _uncommon(self, word: str) -> bool:
        """An unlisted word rare enough in Dutch to be a name (Oukili 0, Yilmaz 2.4; Bevestiging 4.2)."""
        return not self.lexicon.is_common_word(word) and word_frequency(word.lower()) < UNLISTED_NAME_FREQUENCY

    def _sentence_start(self, toks: List[Token], i: int) -> bool:
        return i == 0 or toks[i].newline_before or toks[i - 1].text in ".!?:;•*\"'(["

    # -- parsing -----------------------------------------------------------
    def _parse(self, toks: List[Token], i: int, strict: bool, max_words: int = 4):
        """Parse initials, names and tussenvoegsels from token i on one line.

        Returns (first_token, last_token, n_initials, name_word_indices) or None.
        """
        n = len(toks)
        j, initials = i, 0
        while j < n and self._is_initial(toks, j) and (j == i or not toks[j].newline_before):
            j += 2
            initials += 1
        words: List[int] = []
        last = None
        while j < n and len(words) < max_words:
            if j > i and toks[j].newline_before:
                break
            k = self._interfix_len(toks, j)
            if k and j + k < n and not toks[j + k].newline_before and self._is_name_word(toks[j + k], strict=False):
                surname = toks[j + k]
                # "in het", "op de", "te": real tussenvoegsels, but also prepositions;
                # only before a surname known to follow a tussenvoegsel.
                if toks[j].lower in PREPOSITION_INTERFIXES and surname.lower not in self.lexicon.interfix_surnames:
                    break
                words.append(j + k)
                last = j + k
                j += k + 1
                break  # the tussenvoegsel's surname ends the name
            if self._is_name_word(toks[j], strict):
                words.append(j)
                last = j
                j += 1
                continue
            break
        if last is None:
            return None
        return i, last, initials, words

    def _extend_inverted(self, toks: List[Token], last: int) -> int:
        """'Jansen, J.P.' or 'Vries, J. de': include the initials after the comma."""
        n = len(toks)
        if last + 2 < n and toks[last + 1].text == "," and self._is_initial(toks, last + 2):
            j = last + 2
            while j < n and self._is_initial(toks, j):
                j += 2
            k = self._interfix_len(toks, j) if j < n else 0
            return j - 1 + k
        return last

    def _next_is_institution(self, toks: List[Token], last: int) -> bool:
        if last + 1 >= len(toks) or toks[last + 1].newline_before:
            return False
        return toks[last + 1].lower.strip(".") in INSTITUTION_WORDS

    # -- analysis ----------------------------------------------------------
    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        toks = tokenize(text)
        spans: dict[tuple[int, int], float] = {}
        covered = [False] * len(toks)

        def add(first: int, last: int, score: float) -> None:
            if any(covered[first:last + 1]):
                # keep the better of overlapping candidates: earlier passes are stronger
                return
            for x in range(first, last + 1):
                covered[x] = True
            spans[(first, last)] = score

        n = len(toks)
        # Capitalised words before an institution word name the institution
        # ("Jeroen Bosch Ziekenhuis"), not a person.
        for i, t in enumerate(toks):
            if t.is_capitalized and t.lower.strip(".") in INSTITUTION_WORDS:
                j = i - 1
                while j >= 0 and not toks[j + 1].newline_before and (toks[j].is_capitalized or self._interfix_len(toks, j)):
                    covered[j] = True
                    j -= 1
        # 1. Context triggers.
        for i, t in enumerate(toks):
            low = t.lower
            kind = None
            if low in TITLES:
                kind = "title"
            elif low in ROLES:
                kind = "role"
            elif low in SALUTATIONS or low in FIELD_LABELS:
                kind = "label"
            elif low in SIGNATURES:
                kind = "signature"
            if kind is None:
                continue
            j = i + 1
            # Skip the abbreviation dot of a title, label punctuation and further
            # titles ("Geachte heer dr. Jansen", "Naam: ..."); a full stop after a
            # role or salutation ends the sentence.
            while j < n and (kind == "signature" or not toks[j].newline_before):
                nxt = toks[j]
                if nxt.text == "." and (toks[j - 1].lower in TITLES or kind == "signature"):
                    j += 1
                elif nxt.text in ":,-" or nxt.lower in TITLES or nxt.lower in ("heer", "patiënt", "mevrouw"):
                    j += 1
                else:
                    break
            if j >= n:
                continue
            if toks[j].newline_before and kind not in ("signature", "label"):
                continue
            if kind == "signature":
                # the name starts the next line; a title may precede it
                while j < n and (toks[j].lower in TITLES or toks[j].text == ".") :
                    j += 1
                if j >= n:
                    continue
            strict = kind in ("role", "signature") and not (j > 0 and toks[j - 1].lower in TITLES | {"."})
            parsed = self._parse(toks, j, strict=strict)
            if parsed is None:
                continue
            first, last, initials, words = parsed
            if kind == "role" and not initials and len(words) == 1 and not self._listed(toks[words[0]].text) and not self._uncommon(toks[words[0]].text):
                continue
            if self._next_is_institution(toks, last):
                continue
            last = self._extend_inverted(toks, last)
            add(first, last, SCORE_CONTEXT)

        # 2. Shapes: initials or a known first name followed by more name.
        for i, t in enumerate(toks):
            if covered[i] or not t.is_word or not t.is_capitalized:
                continue
            if self._is_initial(toks, i):
                parsed = self._parse(toks, i, strict=True)
                if parsed and parsed[3]:
                    first, last, initials, words = parsed
                    surname = toks[words[-1]].text
                    if surname.lower() not in self.lexicon.eponyms and not self._next_is_institution(toks, last):
                        add(first, last, SCORE_INITIALS)
                continue
            if self.lexicon.is_first_name(t.text) and not self.lexicon.is_common_word(t.text):
                parsed = self._parse(toks, i, strict=True)
                if parsed and len(parsed[3]) >= 2 and not self._next_is_institution(toks, parsed[1]):
                    first, last, _, words = parsed
                    add(first, last, SCORE_FULL_NAME)

        # 3. Tussenvoegsel + listed surname without a first name: "De Vries",
        # "Van Dijk".  Written so, the tussenvoegsel is capitalised; a lowercase
        # "van" is a preposition ("verlof van Lotte", "ziekte van Parkinson").
        for i, t in enumerate(toks):
            if covered[i] or not t.is_capitalized:
                continue
            k = self._interfix_len(toks, i)
            if not k or i + k >= n or covered[i + k] or toks[i + k].newline_before:
                continue
            nxt = toks[i + k]
            low = nxt.lower
            if not nxt.is_capitalized or low in self.lexicon.eponyms:
                continue
            if low in self.lexicon.places and self._sentence_start(toks, i):
                continue  # "Van Utrecht naar Zwolle"
            if (low in self.lexicon.interfix_surnames or low in self.lexicon.surnames) and self._is_name_word(nxt, strict=False):
                if not self._next_is_institution(toks, i + k):
                    add(i, i + k, SCORE_INTERFIX)

        # 4. Single listed names that are not ordinary words.
        for i, t in enumerate(toks):
            if covered[i] or not t.is_word or not t.is_capitalized or t.text.isupper():
                continue
            if not self._listed(t.text) or not self._is_name_word(t, strict=True):
                continue
            low = t.lower
            if low in self.lexicon.places or self.lexicon.is_common_word(t.text):
                continue
            first_name = self.lexicon.is_first_name(t.text) and low not in AMBIGUOUS_FIRST_NAMES
            # wordfreq counts names too (Jan 5.2), so the frequency test is for
            # surnames only; a capitalised sentence start is weaker evidence.
            limit = 3.5 if self._sentence_start(toks, i) else COMMON_FREQUENCY
            if not first_name and word_frequency(low) >= limit:
                continue
            if self._next_is_institution(toks, i):
                continue
            add(i, i, SCORE_SINGLE)

        # 5. A surname found once is a name everywhere in the text.
        known = {}
        for (first, last), score in spans.items():
            word = toks[last]
            if word.is_word and len(word.text) >= 3 and not self.lexicon.is_common_word(word.text):
                known[word.text] = max(known.get(word.text, 0), score)
        if known:
            for i, t in enumerate(toks):
                if not covered[i] and t.text in known and not self._next_is_institution(toks, i):
                    add(i, i, SCORE_REPEAT)

        return [
            make_result(self, self.ENTITY, toks[first].start, toks[last].end, score)
            for (first, last), score in sorted(spans.items())
        ]
