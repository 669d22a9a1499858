"""NL_AGB: the AGB code of a care provider (Vektis AGB register).

The rules (eight digits, no ``00`` prefix, the zorgverlenersoort table, the
label words) live in :mod:`recognizers.identifiers.agb`.  There is no check
digit, so an AGB code is only recognised with a label; a prefix from the
shipped table scores higher.

>>> r = NlAgbRecognizer()
>>> [(x.start, x.end, x.score) for x in r.analyze("AGB-code tandarts: 12345678", ["NL_AGB"])]
[(19, 27, 0.95)]
>>> r.analyze("ordernummer 12345678", ["NL_AGB"])
[]
"""

from __future__ import annotations

import re
from typing import Optional

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer, make_result
from .context import clause_start, other_labels
from .identifiers import agb


class NlAgbRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_AGB"
    PATTERNS = [
        Pattern("agb_8_digits", agb.PATTERNS["8_digits"], 0.85),
        Pattern("agb_grouped", agb.PATTERNS["grouped"], 0.8),
        Pattern("agb_typeset", agb.PATTERNS["typeset"], 0.8),
        Pattern("agb_spaced", agb.PATTERNS["spaced"], 0.8),
        Pattern("agb_glued", agb.PATTERNS["glued"], 0.8),
    ]
    DIRECT_ONLY_PATTERNS = frozenset({"agb_spaced"})
    CONTEXT = list(agb.LABELS)
    NEGATIVE_CONTEXT = [w for w in other_labels(agb.LABELS) if w not in (r"praktijknummer", r"zorgverlenersnummer")]
    REQUIRES_CONTEXT = True

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return agb.is_valid(pattern_text)

    # The AGB code as Vektis prints it, the zorgverlenersoort set apart ("01-078822"), with a care
    # provider's role in the clause before it ("huisarts Ramdin (01-078822) declareert ..."): no label needed.
    # (the first digit before the look-behind: the engine skips to a digit at C speed)
    _DASHED = re.compile(r"\d(?<![\w.,/+-]\d)\d-\d{6}(?![\w/-]|[.,]\d)")
    _ROLE = re.compile(r"(?i)(?<![\w-])(?:huisarts|tandarts|fysiotherapeut|apothe(?:ek|ker)|verloskundige|orthodontist|"
                       r"mondhygi[eë]nist|psycholoog|psychiater|di[eë]tist|podotherapeut|logopedist|oefentherapeut|"
                       r"zorgverlener|zorgaanbieder|behandelaar|praktijk)(?![\w-])")
    ROLE_REACH = 50

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if "-" not in text or self._DASHED.search(text) is None:
            return results  # most texts: two C-level tests
        taken = {(r.start, r.end) for r in results}
        for m in self._DASHED.finditer(text):
            lead = text[max(0, m.start() - self.ROLE_REACH):m.start()]
            if m.span() in taken or not (agb.is_valid(m.group()) and agb.is_known_kind(m.group())):
                continue
            if self._ROLE.search(lead, clause_start(lead)) and self.context_rule.classify(text, *m.span()) != "negative":
                results.append(make_result(self, self.ENTITY, m.start(), m.end(), self.CONTEXT_SCORE))
        return results

    def score(self, text, start, end, pattern):
        if pattern.name == "agb_glued":
            # the label's letters are glued to the digits, perhaps by a dash ("agb-01059832"): the pattern is the label
            return self.CONTEXT_SCORE if agb.is_known_kind(text[start:end]) else self.CONTEXT_SCORE - 0.1
        score = super().score(text, start, end, pattern)
        if score is None:
            return None
        return score if agb.is_known_kind(text[start:end]) else score - 0.1
