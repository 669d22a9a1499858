"""NL_MEMBER_NUMBER: an insurer's member, policy or client number, by its label.

The rules and label words (``verzekerdennummer``, ``lidnummer``,
``polisnummer``, ``relatienummer``, ``klantnummer``, ``patiëntnummer``) live
in :mod:`recognizers.identifiers.member_number`.  No common format, so only
a label makes one recognisable; it identifies a person as well as a BSN does.

>>> r = NlMemberNumberRecognizer()
>>> [(x.start, x.end) for x in r.analyze("verzekerdennummer: 123456789", ["NL_MEMBER_NUMBER"])]
[(19, 28)]
>>> r.analyze("het nummer 123456789", ["NL_MEMBER_NUMBER"])
[]

A bare ``polis``, ``klant`` or ``relatie`` labels the number it stands
directly before (only a colon or ``nr``/``nummer`` between):

>>> [(x.start, x.end) for x in r.analyze("Polis 200398716 beëindigd", ["NL_MEMBER_NUMBER"])]
[(6, 15)]
>>> r.analyze("Polis verlopen, bel 200398716", ["NL_MEMBER_NUMBER"])
[]
"""

from __future__ import annotations

import re
from typing import Optional

from presidio_analyzer import Pattern

from presidio_analyzer import EntityRecognizer

from .base import DutchPatternRecognizer, make_result
from .context import lowercase
from .identifiers import agb, big, bsn, dates, fold, iban, kvk, member_number, phone, uzovi


_PREFIXES = tuple(p + sep for p in ("POL", "Pol", "REL", "Rel", "LID", "Lid") for sep in "-. ") + tuple(f"{p}{d}" for p in ("POL", "REL") for d in "0123456789")
_SUBJECT_OR_NR = ("onderwerp", "subject", "betreft", "re:", "re :", "fw", "aw:", "nr", "nummer", "no:", "no.")


class NlMemberNumberRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_MEMBER_NUMBER"
    PATTERNS = [Pattern("member_number", member_number.PATTERNS["member_number"], 0.5)]
    RE_PATTERNS = frozenset({"member_number"})
    CONTEXT = list(member_number.LABELS) + list(member_number.CARD_WORDS)
    # an order or ticket number on the member's line labels itself ("Verzekerde-nr: … Order: 55023817")
    NEGATIVE_CONTEXT = [r"factuur", r"declaratie", r"tel", r"order", r"bestel", r"artikel", r"ticket", r"referentie",
                        r"kenmerk", r"transactie", r"zending", r"nota\b", r"claim", r"machtiging"] + [w for m in (bsn, iban, agb, big, kvk, uzovi) for w in m.LABELS]
    REQUIRES_CONTEXT = True
    CONTEXT_BEFORE = 45  # "Uw klantnummer bij opdrachtgever: 2210045"
    CONTEXT_AFTER = 0

    _DIRECT = re.compile(
        r"(?<![\w-])(?:(?:" + "|".join(member_number.DIRECT_LABELS) + r")\.?\s*[:=]?|(?:"
        + "|".join(member_number.DIRECT_LABELS_NO_COLON) + r"))(?:\s+is)?\s*\(?\s*$", re.IGNORECASE)
    # "Verzekeraar: Menzis (3332), nr 187304552", "Verzekeraar/nr: CZ / 118846290": a number after a
    # generic 'nr' (or a slash) in the field of the insurer, no other number label between
    _INSURER_FIELD = re.compile(r"(?<![\w-])(?:zorg)?verzeker(?:aar|ing)(?:/nr)?\b[^\n:]{0,3}:?[^\n:]{0,40}"
                                r"(?:[,(]\s*(?:nr|nummer|no)\.?:?|\s/)\s*$", re.IGNORECASE)
    # "Zilveren Kruis 926628356", "verzekerd bij Menzis onder 561572730", "bij FBTO, 868349327",
    # "Menzis (3332) nr 187304552": an insurer's name directly before the number labels it
    _INSURER_BEFORE = re.compile(uzovi.insurer_name_pattern() + r"(?:\s*\((?:(?i:uzovi)[\s:-]*)?\d{4}\))?\s*(?:,|:|\bonder\b)?\s*"
                                 r"(?:(?:nr|nummer|no)\b\.?\s*:?\s*)?$")
    # "zijn nr 332575785", "vrouw heeft nr 737062494", "Nr broer 854110795": a generic 'nr' that says whose
    _WHOSE_NR = re.compile(
        r"(?<![\w-])(?:(?:(?:zijn|haar|mijn|uw|je|jouw|hun)(?:\s+eigen)?|(?:vrouw|man|broer|zus|moeder|vader|zoon|dochter|"
        r"partner|echtgeno(?:ot|te)|kind)(?:\s+(?:heeft|is|:))?)\s+(?:nr|nummer)\b\.?(?:\s+bij\s+(?:u|jullie))?"  # "Mijn nummer bij u is ..."
        r"|(?:nr|nummer)\b\.?\s+(?:van\s+)?(?:(?:zijn|haar|mijn|de|het)\s+)?(?:vrouw|man|broer|zus|moeder|vader|zoon|dochter|"
        r"partner|echtgeno(?:ot|te)|kind))\s*:?\s*(?:is\s*)?$", re.IGNORECASE)
    _PERSON_WORDS = re.compile(r"(?i)(?:zijn|haar|mijn|uw|je|vrouw|man|broer|zus|moeder|vader|zoon|dochter|partner|kind)\s+(?:\w+\s+)?(?:nr|nummer)"
                               r"|(?:nr|nummer)\.?\s+(?:\w+\s+)?(?:vrouw|man|broer|zus|moeder|vader|zoon|dochter|partner|kind)")
    _SEVEN_DIGITS = re.compile(r"\d(?:[ .-]?\d){6}")
    # "staat op zijn pasje: 4471 9902", "zorgpas 912 ...": the insurance card's number is the member's
    # ... and "oude pas 77 14 22 903", "nummer op mn pasje is 4033...": a card with its article or owner
    _CARD_BEFORE = re.compile(r"(?i)(?<![\w-])(?:(?:zorg|verzekerings)pas(?:je)?|pasje|(?:de|het|mijn|mn|m'n|uw|je|haar|zijn|oude|nieuwe)\s+pas)"
                              r"(?![\w-])\.?(?:\s*(?:nr|nummer)\b\.?)?\s*(?:is\s*)?:?\s*$"
                              r"|(?<![\w-])(?:nummer|nr)\.?\s+op\s+(?:de|het|mijn|mn|m'n|uw|je|haar|zijn)\s+(?:zorg)?pas(?:je)?\s*(?:is\s*)?:?\s*$")
    # "[14-11-26 19:03]": a chat's date and time, not a number
    _DATE_TIME = re.compile(r"\d{1,2}([-/.])\d{1,2}\1\d{2,4} \d{1,2}[:.]\d\d")
    # An e-mail's subject: an insurer's correspondence puts the member's number there beside the name
    # ("Onderwerp: Wijziging IBAN - T. Roos - 969912530", "Subject: Re: aanvraag PGB — Aziz 536941093").
    _SUBJECT = re.compile(r"(?im)^[ \t>]*(?:onderwerp|subject|betreft|re|fwd?|aw)\s*:[^\n]*$")
    # A field 'Nr:' on an insurer's card or letter ("ZILVEREN KRUIS  UZOVI 3311 / Naam: ... / Nr: 741 920 683").
    _NR_FIELD = re.compile(r"(?im)^[ \t]*(?:nr|nummer|no)(?:\.?\s*:|\.)\s*$")   # "Nr:", "Nr.:", "Nr."
    _LABEL_TAIL = re.compile(r"\w*\.?\s*(?:nummer|nr|no)?\.?\s*[:#]?\s*")
    _CARD = re.compile(r"(?i)verzekeringspas|zorgpas|uzovi|" + uzovi.insurer_name_pattern())

    # cheap first check: a bare label with a number straight after it ("Polis 2003...", "klant 52...")
    _NUMBER_AFTER = re.compile(r"\.?\s*[:=]?\s*(?:is\s+)?\(?(?:[A-Za-z]{1,3}[- ]?)?\d")  # a log's "member=7803..."

    # "nummer is", "het nummer:": a generic label, ours only when our own label came before on the line
    # ... and "oude polis 40029871 beëindigd, nieuwe 40211508": the other one of a pair, the label said once
    # ... and "verzekerdennr is 270 118 443 en niet 270 118 434", "nummers 6630118 of 6630126": one more of the same width
    _GENERIC = re.compile(r"(?<![\w-])(?:nummer\s*(?:is|:)?|nieuwe?|oude?|(?<=\d )(?:en|of)(?:\s+niet)?)\s*$", re.IGNORECASE)
    _NUMBER = re.compile(r"\d{3}")
    _FINANCING_CONTRACT = re.compile(r"(?i)(?<![\w-])" + member_number.FINANCING_CONTRACT)
    _CLIENT = re.compile(r"(?i)(?<![\w-])cli[eë]nt\s*$")
    _GROUPED = re.compile(r"\d(?:\d|(?<=\d) (?=\d))*")
    _DATE = re.compile(r"\d{1,2}([-/.])\d{1,2}\1\d{2,4}")
    # a bare "dossier" straight before digits alone (a case code such as "dossier KL-2025-00871" is no person's)
    _DOSSIER = re.compile(r"(?i)(?<![\w-])dossier[ \t]+$")  # "Klant 8-3-1999": a date, not a member number

    _PLURAL_LABEL_WORDS = re.compile(r"relaties|polissen|klanten|verzekerden|leden\b|nummers", re.IGNORECASE)
    _PLURAL_WORDS = ("relaties", "polissen", "klanten", "verzekerden", "leden", "nummers")  # its first check, at C speed
    _BARE = re.compile(r"(?<![\w-])(?:" + "|".join(member_number.DIRECT_LABELS) + r")(?![\w-])", re.IGNORECASE)

    _DIRECT_WORDS = member_number.DIRECT_LABELS + member_number.DIRECT_LABELS_NO_COLON

    def may_have_context(self, text: str) -> bool:
        if super().may_have_context(text):
            return True
        # a bare word with a number straight after it; str.find runs at C speed where a regex
        # alternation would be tried at every position
        low = text.lower()
        for word in self._DIRECT_WORDS:
            i = low.find(word)
            while i >= 0:
                if self._NUMBER_AFTER.match(text, i + len(word)):
                    return True
                i = low.find(word, i + 1)
        i = low.find("dossier ")
        while i >= 0:
            if self._NUMBER_AFTER.match(text, i + 8):
                return True  # "dossier 4410308"
            i = low.find("dossier ", i + 1)
        if "contract" in low and any(word in low for word in member_number.FINANCING_WORDS):
            return True  # a financing company's contract number
        # "Verzekeraar: Menzis (3332), nr 187304552": the insurer's field and a generic number label
        if ("verzekera" in low or "verzekering" in low) and ("nr" in low or "nummer" in low or "/" in low):
            return True
        # "een eigen polis, nummer 883301927": a bare word and a generic 'nummer' later on its line
        if "nummer" in low and any(word in low for word in member_number.DIRECT_LABELS):
            return True
        # "Zilveren Kruis 926628356", "zijn nr 332575785": an insurer's name or a whose-nr before seven digits;
        # "Onderwerp: ... T. Roos - 969912530", "Nr: 741 920 683": seven digits on a subject's or a Nr field's line
        for m in self._SEVEN_DIGITS.finditer(text):
            start = m.start()
            before = low[max(0, start - 45):start]
            line = low[low.rfind("\n", 0, start) + 1:start].lstrip(" \t>")
            if uzovi.may_name_insurer(before) or line.startswith(_SUBJECT_OR_NR) \
                    or "pas" in before and self._CARD_BEFORE.search(before) is not None \
                    or ("nr" in before or "nummer" in before) and self._PERSON_WORDS.search(before) is not None:
                return True
        # "bij 3 relaties die ...: 6630118, 6630126": a plural label before a list
        if ":" not in text:
            return False
        folded = lowercase(text)  # None when IGNORECASE folds a letter lower() does not ("ſ")
        return (folded is None or any(w in folded for w in self._PLURAL_WORDS)) and self._PLURAL_LABEL_WORDS.search(text) is not None

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return member_number.is_valid(pattern_text)

    # "Kenmerk machtiging: POL-802341776": a member label's abbreviation joined to the digits
    # (or a space between, in a bank statement's capitals: "PREMIE NOV REL 581996659")
    # ... or glued to it in a bank statement's reference ("/MARF/POL7741029/", "//POL7741029"): capitals only
    _PREFIX = re.compile(r"(?<![\w-])(?:POL|Pol|REL|Rel|LID|Lid)(?:[-.]|(?-i: )(?=\d))(?=\d)|(?<![A-Za-z0-9])(?-i:POL|REL)(?=\d)")
    _PREFIXED = re.compile(member_number.PREFIXED)
    # "Verzekerdennr. : 9O2 l17 448": OCR's letters for digits, straight after our label
    _OCR_MIX = re.compile(r"\d[OlI]|[OlI]\d")
    _OCR = re.compile(member_number.OCR)
    _EXTRA = re.compile(r"(?:POL|Pol|REL|Rel|LID|Lid)[-. ]\d|(?:POL|REL)\d|\d[OlI]|[OlI]\d")  # either of the two, cheaply

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = self._analyze(text, entities, nlp_artifacts, regex_flags)
        return self._listed_after(text, results) if results else results

    # "9012-445-01 (u), 9012-445-02 (Gurpreet) en 9012-445-03": numbers of the same shape listed after one
    _LIST_GAP = re.compile(r"\s*(?:\([^()\n]{1,40}\)\s*)?(?:,|;|\ben\b|\bof\b)\s*")
    _SHAPE_PART = re.compile(r"\d+|[^\d]")

    def _listed_after(self, text: str, results: list) -> list:
        extra = []
        for r in results:
            if self._LIST_GAP.match(text, r.end) is None:
                continue  # most numbers: no list after them
            value = text[r.start:r.end]
            shape = re.compile("".join(r"\d{%d}" % len(p) if p[0].isdigit() else re.escape(p) for p in self._SHAPE_PART.findall(value))
                               + r"(?![\w-]|[.,]\d)")
            end = r.end
            for _ in range(20):  # a list on one line; bounded
                gap = self._LIST_GAP.match(text, end)
                nxt = gap and shape.match(text, gap.end())
                if not nxt or dates.parse(nxt.group()) is not None:
                    break  # "polis 40117729, 20261203": a date of the same width is a date
                extra.append(make_result(self, self.ENTITY, nxt.start(), nxt.end(), r.score))
                end = nxt.end()
        if not extra:
            return results
        return EntityRecognizer.remove_duplicates(results + extra)

    # "mijn klantnummer is vier twee nul nul acht een drie zes": said digit by digit, straight after our label
    _SPOKEN = re.compile(r"(?<![\w])" + phone.DIGIT_WORD + r"(?:[ ,]{1,2}" + phone.DIGIT_WORD + r"){5,15}(?![\w])", re.IGNORECASE)
    # ... a transcript's filler between ("haar cliëntnummer is eh acht zeven ...")
    _SPOKEN_TAIL = re.compile(r"\w*\.?\s*(?:nummer|nr|no)?\.?\s*[:#]?\s*(?:is\s+)?(?:(?:eh+|uh+|ehm)[,.]?\s+)?", re.IGNORECASE)

    # six digit words or more hold one of these (a number of only "een" is no member number): str.find at C speed
    _SPOKEN_WORDS = ("nul", "twee", "drie", "vier", "vijf", "zes", "acht", "negen")

    def _may_be_spoken(self, text: str) -> bool:
        low = text.lower()
        return sum(word in low for word in self._SPOKEN_WORDS) >= 2

    def _spoken(self, text: str) -> list:
        found = []
        for label in self.context_rule.positive.finditer(text):
            tail = self._SPOKEN_TAIL.match(text, label.end())
            value = self._SPOKEN.match(text, tail.end())
            if value:
                found.append(make_result(self, self.ENTITY, value.start(), value.end(), self.CONTEXT_SCORE))
        return found

    def _analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if self._may_be_spoken(text) and self.context_rule.has_positive(text):
            results = results + self._spoken(text)
        if self._EXTRA.search(text) is None:
            return results  # most texts: one search
        prefixed = any(p in text for p in _PREFIXES)
        ocr = self._OCR_MIX.search(text) is not None and self.context_rule.has_positive(text)
        text = fold(text)
        extra = []
        if prefixed:
            for m in self._PREFIX.finditer(text):
                value = self._PREFIXED.match(text, m.end())
                if value and member_number.is_valid(value.group()):
                    extra.append(make_result(self, self.ENTITY, value.start(), value.end(), self.CONTEXT_SCORE))
        if ocr:
            for label in self.context_rule.positive.finditer(text):
                tail = self._LABEL_TAIL.match(text, label.end())
                value = tail and self._OCR.match(text, tail.end())
                if value and self._ocr_number(value.group()):
                    extra.append(make_result(self, self.ENTITY, value.start(), value.end(), self.CONTEXT_SCORE))
        if not extra:
            return results
        return EntityRecognizer.remove_duplicates([r for r in results if not any(r.start < e.end and e.start < r.end for e in extra)] + extra)

    @staticmethod
    def _ocr_number(value: str) -> bool:
        """Seven to twelve digits once OCR's letters are read back, at most three of them letters."""
        value = value.rpartition("-")[2]  # the prefix's letters are no OCR'd digits ("FR-22O4571")
        digits = member_number.ocr_digits(value).replace(" ", "")
        return digits.isdigit() and 7 <= len(digits) <= 12 and sum(c.isdigit() for c in value) >= len(digits) - 3

    def score(self, text, start, end, pattern):
        if self._DATE.fullmatch(text, start, end) or self._DATE_TIME.match(text, start):
            return None  # "polisnr 44187 003, geboren 18-11-1990": written as a date, it is a date
        if self._DIRECT.search(text, max(0, start - 25), start) and not (
                self._CLIENT.search(text, max(0, start - 12), start) and bsn.is_valid(text[start:end])):
            # "Polis 200398716", "| relatie 5510372 |": the bare word directly before it labels it,
            # whatever label stands further back in the clause ("Dossier cliënt 622343464": a client's
            # number that passes the elfproef is left to the BSN's recognizer)
            return self.CONTEXT_SCORE
        if text[start:end].isdigit() and "ossier" in text[max(0, start - 9):start] and self._DOSSIER.search(text, max(0, start - 9), start):
            return self.CONTEXT_SCORE  # "dossier 4410308 betreft een medewerker": a patient's record, by its number alone
        if self._INSURER_FIELD.search(text, max(0, start - 70), start):
            return self.CONTEXT_SCORE  # "Verzekering: Zilveren Kruis (3311), nr. 229 880 401"
        if self._insurer_or_whose(text, start, end):
            return self.CONTEXT_SCORE
        if self._in_subject_or_card_field(text, start, end):
            return self.CONTEXT_SCORE
        if self._answers_question(text, start):
            return self.CONTEXT_SCORE  # "heb je haar relatienummer?" ... "33019284, geb 2-8-1990"
        if self._listed_after_plural_label(text, start):
            return self.CONTEXT_SCORE  # "staat bij 3 relaties ...: 6630118 (A. Mensah), 6630126 en 6631904"
        if "ontract" in text[max(0, start - 20):start] and self._FINANCING_CONTRACT.search(text, max(0, start - 20), start) \
                and self._about_financing(text):
            return self.CONTEXT_SCORE  # "(contractnummer TF-2024-018843)" in a financing company's letter
        verdict = self.context_rule.classify(text, start, end)
        if verdict == "positive" and not self._key_has_its_value(text, start):
            return self.CONTEXT_SCORE
        if verdict is None and self._GENERIC.search(text, max(0, start - 20), start) and self._label_earlier(text, start, end):
            return self.CONTEXT_SCORE  # "mijn verzekeringsnummer staat er op. nummer is 40239187"
        return None

    # a key and its value: "relatienummer=40117729", "\"polisnummer\": \"40117729\""
    _KEY_VALUE = re.compile(r'\w*(?:=|"\s*:)\s*"?\d')

    def _key_has_its_value(self, text: str, start: int) -> bool:
        """Our label is a log's or a query's key whose own value stands before this number
        ('?relatienummer=40117729&jaar=2026 HTTP/1.1" 200 5123': the status and the size are not ours)."""
        last = None
        for last in self.context_rule.positive.finditer(text, max(0, start - self.CONTEXT_BEFORE), start):
            pass
        value = last and self._KEY_VALUE.match(text, last.end(), start)
        return bool(value) and value.end() - 1 < start  # the key's value begins before this number

    @staticmethod
    def _about_financing(text: str) -> bool:
        low = text.lower()
        return any(word in low for word in member_number.FINANCING_WORDS)

    def _insurer_or_whose(self, text: str, start: int, end: int) -> bool:
        """An insurer's name, or a generic 'nr' saying whose, directly before a number of seven or more
        digits that is not a phone number ('CZ 076 555 0000' is the insurer's phone)."""
        digits = [c for c in text[start:end] if c.isdigit()]
        if len(digits) < 7:
            return False
        window = max(0, start - 40)
        labelled = (uzovi.may_name_insurer(text[window:start].lower()) and self._INSURER_BEFORE.search(text, window, start) is not None
                    or "n" in text[window:start].lower() and self._WHOSE_NR.search(text, window, start) is not None
                    or "pas" in text[window:start].lower() and self._CARD_BEFORE.search(text, window, start) is not None)
        return labelled and not (digits[0] == "0" and phone.is_valid(text[start:end]))

    def _in_subject_or_card_field(self, text: str, start: int, end: int) -> bool:
        """Seven to ten digits, no phone number, in an e-mail's subject line with no other label on it, or
        after a line's bare 'Nr:' field on a text that names an insurer or a card in its lines before."""
        digits = [c for c in text[start:end] if c.isdigit()]
        line_start = text.rfind("\n", 0, start) + 1
        if not 7 <= len(digits) <= 10 or not text[line_start:start].lstrip(" \t>").lower().startswith(_SUBJECT_OR_NR):
            return False  # most numbers: not on a subject's or a Nr field's line
        if digits[0] == "0" and phone.is_valid(text[start:end]):
            return False
        if self._NR_FIELD.match(text, line_start, start):
            return self._CARD.search(text, max(0, line_start - 300), line_start) is not None
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if self._SUBJECT.match(text, line_start, line_end) is None:
            return False
        # another label directly before it names it ("Onderwerp: factuur 2026118734"); one elsewhere
        # on the line does not ("Wijziging IBAN - T. Roos - 969912530")
        return not any(self._LABEL_TAIL.fullmatch(text, m.end(), start)
                       for m in self.context_rule.negative.finditer(text, max(line_start, start - 40), start))

    # a chat's question for our number, on one of the lines above the answer
    _QUESTION = re.compile(r"[^\n]*\?[ \t]*\n")
    _LONG_NUMBER = re.compile(r"\d{5}")
    QUESTION_REACH = 200  # characters looked back, at most three lines

    def _answers_question(self, text: str, start: int) -> bool:
        """The number opens its line, and a line above (at most three up, no other long number between) asks
        for our label: a chat's or a transcript's answer ('heb je haar relatienummer?' / '33019284, geb ...')."""
        line_start = text.rfind("\n", 0, start) + 1
        if line_start == 0 or text[line_start:start].strip() or "?" not in text[max(0, line_start - self.QUESTION_REACH):line_start]:
            return False  # most numbers: not an answer on a line of its own
        window = text[max(0, line_start - self.QUESTION_REACH):line_start]
        lines = window.split("\n")[-4:-1]  # the three lines above ("" after the last newline dropped)
        for line in reversed(lines):
            if line.rstrip().endswith("?"):
                return self.context_rule.positive.search(line) is not None
            if self._LONG_NUMBER.search(line):
                return False  # another number answered in between
        return False

    def _listed_after_plural_label(self, text: str, start: int) -> bool:
        """The number stands in an enumeration after a colon that a plural member label introduces
        in the same sentence ('3 relaties die ...: 6630118 (A. Mensah), 6630126 (K. Owusu) en 6631904')."""
        window = text[max(0, start - 160):start]
        if ":" not in window or self._PLURAL_LABEL_WORDS.search(window) is None:
            return False  # most numbers: two C-level tests, no walk back over a list
        rest = self._ENUMERATION_TAIL.search(window)
        head = window[:rest.start()] if rest else window
        return self._PLURAL_LABEL.search(head) is not None

    # a plural label, then up to 60 characters of its sentence, then a colon
    _PLURAL_LABEL = re.compile(r"(?<![\w-])(?:relaties|polissen|klanten|verzekerden|leden|lidnummers|relatienummers|"
                               r"polisnummers|klantnummers|verzekerdennummers)(?![\w-])[^.:\n]{0,60}:\s*$", re.IGNORECASE)
    # the numbers already listed before this one, each perhaps with its holder in brackets
    _ENUMERATION_TAIL = re.compile(r"(?:[A-Z]{0,3}-?\d(?:[\d.-]| (?=\d)){3,16}\d ?(?:\([^()\n]{1,40}\) ?)?(?:,|;| en| of) ?)+$")

    def _label_earlier(self, text: str, start: int, end: int) -> bool:
        """Our label earlier on the line (within 80 characters), no other number or label since."""
        window = text[max(0, start - 80):start]
        window = window[window.rfind("\n") + 1:]
        # our label, or a bare one ("sinds 2022 heeft zij een eigen polis, nummer 883301927")
        labels = list(self.context_rule.positive.finditer(window)) + list(self._BARE.finditer(window))
        if not labels:
            return False
        after = max(m.end() for m in labels)
        if self.context_rule.negative.search(window, after) is not None:
            return False
        # a number of the same length since then is the pair's other one ("oude polis 40029871 ..., nieuwe")
        width = sum(c.isdigit() for c in text[start:end])
        return all(sum(c.isdigit() for c in m.group()) == width for m in self._GROUPED.finditer(window, after) if len(m.group()) >= 3)
