"""Context around a match: label words weighed as evidence, not "the nearest word wins".

Dutch documents label identifiers: ``BSN: 123456782``, ``AGB-code 01012345``,
``factuurnummer 123456782``.  A :class:`ContextRule` reports whether the
evidence around a match says it is ours (``"positive"``), another identifier
(``"negative"``: an invoice number that happens to pass the elfproef), or
nothing (``None``).  The rules, in order:

1. Our own label earlier in the same sentence, within the window, is strong
   evidence (``Het BSN van de klant is 123456782.``, ``BSN klant: 123456782``,
   ``BSN rekeninghouder 123456782``).  Words that say *whose* number it is
   (``klant``, ``patiënt``, ``rekeninghouder``) are not competing labels.
2. A competing label wins only when it *directly* labels the number: only its
   word ending, ``nummer``/``nr``, a colon or ``is`` stand between
   (``factuurnummer 123456782``, ``Polis: 123456782``).
3. Without a label of ours, a competing label in the same clause is negative,
   unless another number follows it first (``BSN 123456782 belde op 020-…``:
   that label is the other number's); words in another clause or sentence
   (``Polis verlopen. Bel 020 ...``) are not evidence at all.
4. Failing all that, the first label just after the match in the same clause
   (``123456782 (BSN)``).
5. A question or field name at the end of the previous line labels the first
   number of the next line (a transcript's turns, a form):
   ``Wat is uw geboortedatum?`` / ``Klant: 8-3-1999``.  Only the first number
   on that line, only when the previous line ends in ``?`` or ``:``, and not
   when a competing label follows ours in its clause
   (``geboortedatum en behandeldatum?``).  A speaker's name before the value
   (``Klant:``), a chat's time stamp (``[10:03]``) and a hint after the
   question (``(dd-mm-jjjj)``) are not evidence; a question inside that line
   counts when only words without a number or label follow it
   (``en haar bsn? ze vragen er altijd naar``).
6. A question in the same line answered straight after, only quotes between
   (``wanneer geboren? "21 juli '63"``), labels the answer.

A ``barrier`` (for birth dates: another date) ends the context: a label does
not carry past it (``geboren op 12-03-1975, is op 14-11-2024 behandeld``).

>>> rule = ContextRule(positive=[r"bsn"], negative=[r"factuur", r"klant"])
>>> text = "BSN 123456782, factuurnummer 111222333"
>>> rule.classify(text, 4, 13), rule.classify(text, 29, 38)
('positive', 'negative')
>>> rule.classify("Het BSN van de klant is 123456782.", 24, 33)
'positive'
>>> rule.classify("nummer 123456782", 7, 16) is None
True
>>> rule.classify("Factuur verstuurd. Het nummer is 123456782", 33, 42) is None
True
>>> rule.classify("Wat is uw BSN?\\nKlant: dat is 123456782", 29, 38)
'positive'
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Literal, Optional

from .prefilter import literal_terms, quick_terms

Verdict = Optional[Literal["positive", "negative"]]

# Words that say whose number it is, or link a label to its value: not a competing label.
OWNER_WORDS = (
    r"klant", r"cli[eë]nt", r"pati[eë]nt", r"verzekerde", r"rekeninghouder", r"deelnemer", r"aanvrager",
    r"betrokkene", r"werknemer", r"medewerker", r"partner", r"moeder", r"vader", r"kind", r"zoon", r"dochter",
    r"echtgeno(?:ot|te)", r"huisarts", r"zorgverlener", r"behandelaar", r"tandarts", r"specialist",
)
# What may follow a label word inside the word: a number word ("factuurnummer", "AGB-code").
# A compound that is something else ("klantenservice", "declaratiesysteem") is no label.
_NUMBER_SUFFIX = r"(?:(?:e?n|s)?-?(?:nummers?|nr|no|code|codes|id|kenmerk|referentie|gegevens))?\.?"
# Between a label and its number: that suffix, "nummer"/"nr", a colon, "is".
_TAIL = (_NUMBER_SUFFIX + r"(?![\w])(?:\s*(?:nummer|nr|no|number|code|id)\b\.?)?\s*(?:[:#=]|\bis\b|\bluidt\b)?"
         r"\s*(?:\(?\s*)?$")
_WORD_REST = re.compile(_NUMBER_SUFFIX + r"(?![\w])", re.IGNORECASE)
# Dates or numbers joined by "en", "of", a comma or a slash are one enumeration.
_ENUMERATION = re.compile(r"\s*(?:,|;|/|\ben\b|\bof\b|\ben/of\b)?\s*", re.IGNORECASE)
# A sentence ends at . ! ? followed by white space and a capital or an opening bracket
# (not after an abbreviation or an initial), or at a line break.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z(\"'])|\n")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]|mw|mevr|dhr|hr|dr|drs|ir|mr|prof|ing|nr|tel|geb|ca|bijv|evt|excl|incl|st|jl|zgn|resp|o\.a|t\.a\.v|i\.o|m\.b\.t)$",
    re.IGNORECASE,
)
ABBREVIATION_LONGEST = 8  # "t.a.v", "m.b.t": 5 characters; tests/test_speed_machinery.py checks the bound
_HAS_NUMBER = re.compile(r"\d{3}")
# ... and a bullet or a pipe between fields ("Schoonhoven • 0182-383344 • KvK 52109918").
_CLAUSE_END = re.compile(r"[;,](?=\s)|\s[–—•·|-]\s")
# The previous line asks for a value, or names a field: it ends in "?" or ":",
# perhaps with a hint in brackets ("Wat is uw geboortedatum? (dd-mm-jjjj)").
_ASKS = re.compile(r"[?:]\s*(?:\([^()\n]{0,30}\)\s*)?$")
# A speaker or field name at the start of a line ("Klant:", "Mw:", "Beller:", "Medewerker 2:").
_SPEAKER = re.compile(r"\s*[A-Z][\w.'-]*(?: [\w.'-]+)?\s?:\s*")
# A chat's time stamp before the speaker ("[10:03] ", "12-04-25 19:35 - ", "14:06 "): no value.
_TIMESTAMP = re.compile(
    r"\s*(?:\[[\d:./ -]{4,20}\]|(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4},?\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)\s*(?:[-–—]\s)?\s*")
# A chat export's speaker that is a phone number ("+31 6 38 20 19 55: ").
_NUMBER_SPEAKER = re.compile(r"\+?\d[\d ()-]{7,18}\d:\s*")
# Between a question and its answer in the same line: only quotes and white space, or a short
# answer's lead ("Of mag het paspoortnummer ook? Dat is BJ9F41LW2").
_QUOTES_ONLY = re.compile(r"[\s\"'“”‘’„]*(?:(?i:dat|het|die|deze)\s+(?i:is|was|wordt)\s*:?\s*)?")
_DIGIT = re.compile(r"\d")
_NON_DIGIT = re.compile(r"\D+")
_DIGIT_RUN = re.compile(r"\d(?:[\d.-]|(?<=\d) (?=\d))*")
_AND_ONE_WORD = re.compile(r"[^\W\d_]*\s+(?:en|of)\s+[^\W\d_]+", re.IGNORECASE)
PREVIOUS_LINE = 160  # characters looked at, back from a match and back from a line's end
# A value's key: the characters a key ends in, a JSON, log or URL key before its value
# ("amount_cents":1895, "member_no":"2611...", member=7803..., ?lid=6002...) and a form's key
# that is a phrase of words up to its colon, from the line's (or sentence's) start.
_KEY_ENDS = frozenset(':=')
FIELD_KEY = 70
_STRUCTURED_KEY = re.compile(r"(?:\"(?P<key>[A-Za-z][\w.-]{0,30})\"\s*:\s*\"?|(?<![\w.-])(?P<key2>[A-Za-z][\w.-]{0,30})=\"?)$")
_GENERIC_KEY = re.compile(r"(?i)value|val|id|nr|no|nummer|number|code|waarde|text|tekst|q|v")
# The keys that rule a label-only value out: they name a thing that is no person's identifier (an amount, a count,
# a time, the business's own documents).  Any other key (a word of another language, an abbreviation, another
# identifier's or a person's name: "Mitgliedsnummer", "geburtsdatum", "bsn", "Jansen") decides nothing and the
# sentence decides, as without a key: ruled out by it, the value was published (fail closed).
_THING_KEY = re.compile(
    r"(?i)\b(?:amount|bedrag|cents?\b|eur\b|euro|price|prijs|tarie?f|total|totaal|sum\b|som\b|count|aantal|qty|quantit"
    r"|stuks|size|bytes|length|duration|duur\b|ms\b|sec\b|seconds|port\b|pid\b|status|version|versie\b|year|jaar|month|maand"
    r"|ts\b|time|tijd|created|updated|factuur|invoice|declaratie|claim(?!ant)|order|bestel|ticket|artikel|product|prestatie"
    r"|verrichting|batch|lot\b|kenmerk|referen|transac|session|sessie|request|trace|span\b)")
_PHRASE_KEY = re.compile(r"(?:^|(?<=\n)|(?<=[.!?] ))(?P<key>[^\n:.!?]{3,68}?)\s*:\s*$")


def _ends_in_key(text: str, start: int) -> bool:
    """A colon or '=' straight before ``start``, perhaps with a quote and spaces between (cheap first check)."""
    j = start
    while j > 0 and start - j < 3 and text[j - 1] in " \t\"'":
        j -= 1
    return j > 0 and text[j - 1] in _KEY_ENDS


def _alternation(words: Iterable[str]) -> Optional[str]:
    words = list(words)
    if not words:
        return None
    # A label must start a word ("bsn" in "bsn-nummer", not in "absnt").
    return r"(?<![a-z0-9])(?:" + "|".join(words) + ")"


# Characters that re.IGNORECASE matches to a letter their str.lower() is not (the dotted and
# dotless i, the long s): a text holding one is searched with the regex, not with str.find.
# tests/test_recognizers.py checks this over every code point for the letters the labels use.
CASE_FOLDS_BEYOND_LOWER = "\u0130\u0131\u017f"
_FOLDS_BEYOND_LOWER = re.compile("[" + CASE_FOLDS_BEYOND_LOWER + "]")


def _terms_of(words: list) -> Optional[tuple]:
    """The literal terms of each label word's own regex, joined; None when one word has none."""
    terms: list = []
    for word in words:
        found = literal_terms(_alternation([word]), re.IGNORECASE)
        if found is None:
            return None
        terms.extend(found)
    return tuple(terms) or None


def _compile(source: Optional[str], suffix: str = "") -> Optional[re.Pattern[str]]:
    return re.compile(source + suffix, re.IGNORECASE) if source else None


def sentence_start(window: str) -> int:
    """Offset in ``window`` where its last sentence begins.

    >>> w = "Polis verlopen. Bel mw. Jansen op "
    >>> w[sentence_start(w):]
    ' Bel mw. Jansen op '
    """
    start = 0
    for m in _SENTENCE_END.finditer(window):
        # an abbreviation is at most ABBREVIATION_LONGEST characters: only those before the stop are searched
        if m.group() == "\n" or not _ABBREVIATION.search(window, max(0, m.start() - ABBREVIATION_LONGEST), m.start()):
            start = m.end()
    return start


def clause_start(window: str) -> int:
    """Offset in ``window`` where its last clause begins (a sentence, or after ``,`` ``;`` `` - ``)."""
    start = sentence_start(window)
    for m in _CLAUSE_END.finditer(window, start):
        start = m.end()
    return start


@lru_cache(maxsize=8)
def lowercase(text: str) -> Optional[str]:
    """``text.lower()``, or None when it holds a letter IGNORECASE folds beyond lower()
    (cached: every recognizer asks it of the same text)."""
    if not text.isascii() and _FOLDS_BEYOND_LOWER.search(text) is not None:
        return None
    return text.lower()


class ContextRule:
    """Positive and negative label words, weighed in the sentence around a match."""

    def __init__(
        self,
        positive: Iterable[str],
        negative: Iterable[str] = (),
        before: int = 45,
        after: int = 25,
        barrier: Optional[str] = None,
        prefixes: bool = False,
    ) -> None:
        positive = list(positive)
        # The plain words a label of ours holds, read from its regex: when none of its alternatives'
        # words is in a text, no label is (str.find on the lowercase text runs at C speed; the
        # regex is tried at every position).  Read word by word: Python's parser factors a common
        # start out of the whole alternation ("big…|beroepen…" is "b" and the rest), which leaves
        # no word to look for.
        terms = _terms_of(positive)
        self.positive_terms = quick_terms(terms) or None if terms else None
        positive, negative = _alternation(positive), _alternation(negative)
        self.positive = _compile(positive)
        self.negative = _compile(negative)
        # One scan finds every label of either kind.
        groups = [f"(?P<{kind}>{source})" for kind, source in (("pos", positive), ("neg", negative)) if source]
        self.labels = re.compile("|".join(groups), re.IGNORECASE) if groups else None
        self.tail = re.compile(_TAIL, re.IGNORECASE)
        self.owner = re.compile(r"(?:" + "|".join(OWNER_WORDS) + r")$", re.IGNORECASE)
        self.barrier = re.compile(barrier, re.IGNORECASE) if barrier else None
        self.before = before
        self.after = after
        # prefixes=True: a negative word counts inside longer words ("behandel" in "behandeling").
        self.prefixes = prefixes
        # keys_decide=True (identifiers found only by a label): another key in a log or JSON
        # ("amount_cents":1895) labels its value as not ours; an e-mail after "user=" stays one.
        self.keys_decide = False

    def has_positive(self, text: str) -> bool:
        """True when a label of ours occurs anywhere in ``text``."""
        if self.positive is None:
            return False
        if self.positive_terms is not None:
            low = lowercase(text)
            if low is not None:
                for term in self.positive_terms:
                    if term[0] in low and (len(term) == 1 or term[1] in low):
                        break
                else:
                    return False
        return self.positive.search(text) is not None

    def _lead(self, text: str, start: int) -> str:
        lead = text[max(0, start - self.before):start]
        if self.barrier is not None:
            matches = list(self.barrier.finditer(lead))
            cut = len(lead)
            # Walk back over an enumeration ("01-01-1980 en 01-10-1980"); stop at the first real barrier.
            while matches and _ENUMERATION.fullmatch(lead, matches[-1].end(), cut):
                cut = matches.pop().start()
            if matches:
                lead = lead[matches[-1].end():]
        return lead

    def _is_owner(self, window: str, m: re.Match[str]) -> bool:
        word_end = m.end()
        while word_end < len(window) and (window[word_end].isalnum() or window[word_end] == "-"):
            word_end += 1
        return self.owner.search(window, m.start(), word_end) is not None

    def _competes(self, window: str, m: re.Match[str], before_match: bool = True) -> bool:
        """A negative label that is a label word, not an owner word (``klant`` in ``BSN klant: ...``),
        and, before the match, does not label a number of its own (``BSN 123456782 belde op 020-...``)."""
        if not self.prefixes:
            if not _WORD_REST.match(window, m.end()):
                return False  # "klantenservice", "declaratiesysteem": not a label
            if before_match and _HAS_NUMBER.search(window, m.end()):
                return False  # it labels the number that follows it, not ours
        return not self._is_owner(window, m)

    def classify(self, text: str, start: int, end: int) -> Verdict:
        if self.labels is None:
            return None
        if _ends_in_key(text, start):
            keyed = self._field_key(text, start)
            if keyed is not None:
                return keyed
        verdict = self._classify(text, start, end)
        if verdict == "positive":
            return verdict
        line_start = text.rfind("\n", max(0, start - PREVIOUS_LINE), start) + 1
        if line_start == 0:
            return verdict  # the first line, or a long one: no previous line in reach
        lead = text[line_start:start]
        stamp = _TIMESTAMP.match(lead)
        if stamp:
            lead = lead[stamp.end():]
        caller = _NUMBER_SPEAKER.match(lead)
        if caller:
            lead = lead[caller.end():]  # "[09:22] +31 6 38 20 19 55: ...": a chat export names an unknown caller by number
        if verdict == "negative" and not _SPEAKER.fullmatch(lead):
            return verdict
        if self.barrier is not None:
            lead = self.barrier.sub("", lead)  # values of our own kind before it: the same answer
        if _DIGIT.search(lead) is not None:
            # numbers of the match's own length before it: the answer lists several ("03098813, praktijk 03041207")
            width = len(_NON_DIGIT.sub("", text[start:end]))
            lead = _DIGIT_RUN.sub(lambda m: "" if len(_NON_DIGIT.sub("", m.group())) == width else m.group(), lead)
        if _DIGIT.search(lead) is None:
            speaker = _SPEAKER.match(lead)
            # the turn is the value and nothing else ("Mama: 691126604"): the previous turn need not ask
            alone = (speaker is not None and speaker.end() == len(lead) or not lead.strip()) and self._line_rest_empty(text, end)
            if self._asked_on_previous_line(text, line_start - 1, alone):
                return "positive"
        return verdict

    def labels_directly(self, text: str, start: int) -> bool:
        """Our label stands straight before ``start``: only its tail (``nummer``, a colon) between."""
        if self.positive is None:
            return False
        lead = text[max(0, start - self.before):start]
        last = None
        for last in self.positive.finditer(lead):
            pass
        return last is not None and self.tail.fullmatch(lead, last.end()) is not None

    def _field_key(self, text: str, start: int) -> Verdict:
        """The key a value stands after decides (rule 0).  A structured key (``"amount_cents":1895``,
        ``member=7803...``) is the value's own label: ours, or a competing word, or no verdict for a
        generic key (``"value":``).  A form's key that is a phrase opening with our label
        (``Polisnummer opgezocht op naam en geboortedatum: 270048319``) is ours, unless another
        label stands in it."""
        lead = text[max(0, start - FIELD_KEY):start]
        structured = _STRUCTURED_KEY.search(lead)
        if structured:
            key = (structured.group("key") or structured.group("key2")).replace("_", " ")
            if self.positive is not None and self.positive.search(key):
                return "positive"
            if not self.keys_decide or _GENERIC_KEY.fullmatch(key) or self.owner.search(key) or _DIGIT.search(key):
                return None
            return "negative" if _THING_KEY.search(key) else None
        phrase = _PHRASE_KEY.search(lead)
        if phrase is None:
            return None
        key = phrase.group("key")
        key = key[clause_start(key):].lstrip(" \t-*•>")
        first = self.positive.match(key) if self.positive is not None else None
        if first is None or _DIGIT.search(key):
            return None
        rest = key[first.end():]
        if any(m.lastgroup == "neg" and not self._is_owner(rest, m) for m in self.labels.finditer(rest)):
            return None
        return "positive"

    @staticmethod
    def _line_rest_empty(text: str, end: int) -> bool:
        """Only white space or a full stop between ``end`` and the end of its line (bounded look)."""
        rest = text[end:end + PREVIOUS_LINE]
        cut = rest.find("\n")
        return not rest[:cut if cut >= 0 else len(rest)].strip(" \t\r.!")

    def _asked_on_previous_line(self, text: str, newline: int, alone: bool = False) -> bool:
        """True when the line ending at ``newline`` ends in a question or a field name with our label,
        or in our label itself (a transcript without punctuation: 'en uw geboortedatum'; a form's label
        above its value); with ``alone`` (the answer is its whole line), our label anywhere in its last
        sentence ('En zijn bsn heb ik ook nodig' / 'Mama: 691126604')."""
        end = newline
        while end > 0 and newline - end < PREVIOUS_LINE and text[end - 1] in " \t\r\n":
            end -= 1  # blank lines between the turns
        line = text[text.rfind("\n", max(0, end - PREVIOUS_LINE), end) + 1:end]
        asks = _ASKS.search(line)
        if asks:
            line = line[:asks.start() + 1]  # without the hint ("(dd-mm-jjjj)" holds no label)
        else:
            # a question inside the line, then words without a number or a label ("en haar bsn? ze vragen er altijd naar")
            question = line.rfind("?")
            if question < 0:
                return self._ends_in_label(line, alone)
            if _DIGIT.search(line, question) or self.labels.search(line, question):
                return False
            line = line[:question + 1]
        line = line[sentence_start(line):]
        labels = list(self.labels.finditer(line))
        ours = [m for m in labels if m.lastgroup == "pos"]
        if not ours:
            return False
        last = ours[-1]
        if _HAS_NUMBER.search(line, last.end()):
            return False  # the label has its own number on that line
        # A competing label after ours in the same clause: the question is about both.
        return not any(
            m.lastgroup == "neg" and m.start() >= last.end() and not _CLAUSE_END.search(line, last.end(), m.start())
            and not self._is_owner(line, m)
            for m in labels
        )

    def _ends_in_label(self, line: str, alone: bool) -> bool:
        """The line's last sentence holds our label and no number after it; unless the answer is alone
        on its line, the label ends the line."""
        line = line[sentence_start(line):]
        labels = list(self.labels.finditer(line))
        if not labels or labels[-1].lastgroup != "pos" or _HAS_NUMBER.search(line, labels[-1].end()):
            return False
        rest = line.rstrip()
        # "mag ik uw postcode en huisnummer": our label and one more field asked for together
        return alone or self.tail.fullmatch(rest, labels[-1].end()) is not None or _AND_ONE_WORD.fullmatch(rest, labels[-1].end()) is not None

    def _classify(self, text: str, start: int, end: int) -> Verdict:
        lead = self._lead(text, start)
        labels = list(self.labels.finditer(lead))
        newline = lead.rfind("\n")
        if newline >= 0 and labels:
            # a speaker's tag at the start of the line ("Bezoeker: Noah 3-9-2019") labels no value
            stamp = _TIMESTAMP.match(lead, newline + 1)
            at = stamp.end() if stamp else newline + 1
            speaker = _SPEAKER.match(lead, at)
            if speaker:
                labels = [m for m in labels if not (m.lastgroup == "neg" and at <= m.start() < speaker.end())]
        if not labels:
            return self._after(text, end)
        last = labels[-1]
        direct = last.lastgroup if self.tail.fullmatch(lead, last.end()) else None
        sentence = sentence_start(lead)
        if sentence and _QUOTES_ONLY.fullmatch(lead, sentence) and lead[:sentence].rstrip()[-1:] == "?":
            sentence = sentence_start(lead[:sentence].rstrip()[:-1])  # 'wanneer geboren? "21 juli '63"': the question's answer
        if any(m.lastgroup == "pos" and m.start() >= sentence for m in labels):
            # Our label wins unless a competing label directly labels the number.
            if direct == "neg" and not self._is_owner(lead, last):
                return "negative"
            return "positive"
        if direct == "pos":
            return "positive"  # "BSN:" on the line above its value
        if direct == "neg":
            return "negative"
        clause = clause_start(lead)
        if any(m.lastgroup == "neg" and m.start() >= clause and self._competes(lead, m) for m in labels):
            return "negative"
        return self._after(text, end)

    def _after(self, text: str, end: int) -> Verdict:
        window = text[end:end + self.after]
        # The window ends at the first clause or sentence end, whichever comes first: a clause mark on
        # the next line ("030 760 22 00\nKvK 70229185 | btw") must not stretch it over that line.
        cuts = [m.start() for m in (_CLAUSE_END.search(window), _SENTENCE_END.search(window)) if m]
        if cuts:
            window = window[:min(cuts)]
        for m in self.labels.finditer(window):
            if m.lastgroup == "pos":
                return "positive"
            if self._competes(window, m, before_match=False):
                return "negative"
        return None


# Labels of numbers that are not personal identifiers of the patient:
# a number directly after one of these is that number, whatever its checksum.
NON_PERSONAL_LABELS = (
    r"factuur", r"declaratie", r"nota\b", r"claim", r"order", r"bestel", r"referentie",
    r"ref\b", r"ref\.", r"kenmerk", r"dossier", r"relatie", r"registratie", r"transactie",
    r"zending", r"ticket", r"batch", r"bon\b", r"contract", r"artikel", r"prestatie",
    r"machtiging", r"aanvraag", r"verwijzing", r"debiteur", r"crediteur", r"betalings?kenmerk",
    r"huisnummer", r"bedrag", r"totaal", r"€", r"eur\b", r"euro", r"praktijknummer", r"zorgverlenersnummer",
    r"polis", r"klant",
)


def other_labels(*own: Iterable[str]) -> list[str]:
    """The competing labels for one identifier: everything that labels another number.

    Built from the identifier modules' ``LABELS``, so a new identifier's label
    competes with the others without being listed twice.
    """
    from .identifiers import agb, big, bsn, btw, iban, kvk, member_number, phone, postcode, uzovi

    mine = {w for words in own for w in words}
    labels = list(NON_PERSONAL_LABELS)
    for module in (bsn, iban, agb, big, kvk, uzovi, btw, member_number, phone, postcode):
        labels.extend(w for w in module.LABELS if w not in mine)

    return [w for w in dict.fromkeys(labels) if w not in mine]

