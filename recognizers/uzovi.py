"""NL_UZOVI: the UZOVI code of a Dutch health insurer (Vektis).

The rules (four digits, the table of known codes, the label words) live in
:mod:`recognizers.identifiers.uzovi`.  Only recognisable by a label
(``UZOVI``, ``UZOVI-code``), or by ``verzekeraar`` / an insurer's name next
to a known code.

>>> r = NlUzoviRecognizer()
>>> [(x.start, x.end) for x in r.analyze("UZOVI 3311 (Zilveren Kruis)", ["NL_UZOVI"])]
[(6, 10)]
>>> r.analyze("in 2019 opgenomen", ["NL_UZOVI"])
[]
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern

from ._data import uzovi_codes
from presidio_analyzer import EntityRecognizer

from .base import DutchPatternRecognizer, make_result
from .context import ContextRule, lowercase
from .identifiers import fold, uzovi


class NlUzoviRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_UZOVI"
    PATTERNS = [Pattern("uzovi_4_digits", uzovi.PATTERNS["4_digits"], 0.5), Pattern("uzovi_glued", uzovi.PATTERNS["glued"], 0.5)]
    DIRECT_ONLY_PATTERNS = frozenset({"uzovi_glued"})
    # "UZOVI: 3 3 5 8": spaced digits straight after the label, looked for only where the label stands
    _SPACED = re.compile(uzovi.PATTERNS["spaced"])
    CONTEXT = list(uzovi.LABELS)
    NEGATIVE_CONTEXT = [r"postcode", r"bedrag", r"€", r"eur\b", r"jaar", r"sinds", r"vanaf", r"in\b", r"agb", r"bsn", r"tel"]
    REQUIRES_CONTEXT = True
    CONTEXT_BEFORE = 30

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_language)
        names = [re.escape(n.lower()).replace(r"\ ", r"\s+") for n in uzovi_codes().values() if n]
        self.insurer_rule = ContextRule(list(uzovi.INSURER_WORDS) + names, self.NEGATIVE_CONTEXT, 40, 30)

    def may_have_context(self, text: str) -> bool:
        return True  # insurer names are many: searching them all is dearer than the 4-digit pattern

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        low = lowercase(text)
        if low is None or "uzovi" not in low:
            return results
        text = fold(text)
        spaced = [make_result(self, self.ENTITY, m.start(), m.end(), self.CONTEXT_SCORE) for m in self._SPACED.finditer(text)
                  if uzovi.is_valid(m.group()) and self.context_rule.labels_directly(text, m.start())]
        return EntityRecognizer.remove_duplicates(results + spaced) if spaced else results

    def validate_result(self, pattern_text: str):
        return uzovi.is_valid(pattern_text)

    # "de UZOVI-code in het bestand klopte niet (3358 in plaats van 3311)": our label earlier in the
    # sentence, further than the window, before a known code
    _LABEL = re.compile(r"(?<![a-z0-9])uzovi", re.IGNORECASE)
    _SENTENCE_END = re.compile(r"[.!?]\s|\n")
    SENTENCE_REACH = 100

    # "Zilveren Kruis (3555), VGZ (9771)": four digits in brackets straight after an insurer's name are its code
    _NAME_BRACKET = re.compile(uzovi.insurer_name_pattern() + r"\s*\(\s*$")
    # "Zorgverzekeraar: 9397": the insurer's field holding four digits alone holds its code
    _INSURER_FIELD = re.compile(r"(?i)(?<![\w-])(?:zorg|ziektekosten)?verzekeraar\s*:\s*$")
    # "Verzekeraar en UZOVI: Salland Zorgverzekeringen, 7496": our label in the field's name, the insurer's name first
    _LABEL_FIELD = re.compile(r"(?i)(?<![\w-])uzovi[^\n:]{0,20}:[^\n\d:€]{1,40}[,/]\s*$")
    _FIELD_END = re.compile(r"[ \t]*(?:\n|$|[ \t]{2,}|[,;)])")

    def _named_or_fielded(self, text: str, start: int, end: int) -> bool:
        """An insurer's name before the code in brackets, or the code alone in the insurer's or our labelled field."""
        before = text[max(0, start - 60):start]
        if before.endswith("(") and text.startswith(")", end):
            return uzovi.may_name_insurer(before.lower()) and self._NAME_BRACKET.search(before) is not None
        if ":" not in before or self._FIELD_END.match(text, end) is None:
            return False  # most numbers: no field before them
        low = before.lower()
        return ("verzekeraar" in low and self._INSURER_FIELD.search(before) is not None
                or "uzovi" in low and self._LABEL_FIELD.search(before) is not None)

    def score(self, text, start, end, pattern):
        # every label of ours holds "uzovi" or "verzekeraar": without either in the text (most
        # texts) the label rules have nothing to weigh (one cached lowercase, two C-level finds)
        low = lowercase(text)
        if low is None or "uzovi" in low or "verzekeraar" in low:
            score = super().score(text, start, end, pattern)
            if score is not None:
                return score
        if self._named_or_fielded(text, start, end):
            return self.CONTEXT_SCORE
        if not uzovi.is_known(text[start:end]):
            return None
        if self.insurer_rule.classify(text, start, end) == "positive":
            return 0.85
        window = text[max(0, start - self.SENTENCE_REACH):start]
        ends = list(self._SENTENCE_END.finditer(window))
        window = window[ends[-1].end():] if ends else window
        return 0.85 if self._LABEL.search(window) and "€" not in window else None
