"""NL_BTW: the Dutch VAT identification number.

The rules (``NL`` + 9 digits + ``B`` + 2 digits in every grouping, leading
zeros left out, the mod-97 / RSIN check) live in
:mod:`recognizers.identifiers.btw`.  With ``NL`` the checksum is the proof;
without it, only right after a btw label.

>>> r = NlBtwRecognizer()
>>> [(x.start, x.end) for x in r.analyze("btw NL004495445B01", ["NL_BTW"])]
[(4, 18)]
>>> [(x.start, x.end) for x in r.analyze("BTW-nummer: NL.0094.10.806.B.01; btw 004495445B01", ["NL_BTW"])]
[(12, 31), (37, 49)]
"""

from __future__ import annotations

import re
from typing import List

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult

from .base import DutchPatternRecognizer, make_result
from .identifiers import btw, fold


class NlBtwRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_BTW"
    PATTERNS = [Pattern("btw_" + name, regex, 0.85) for name, regex in btw.PATTERNS.items()]
    CONTEXT = list(btw.LABELS)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None) -> List[RecognizerResult]:
        text = fold(text)
        results = []
        for start, end in btw.find(text):
            verdict = self.context_rule.classify(text, start, end)
            score = self.CONTEXT_SCORE if verdict == "positive" else 0.85
            results.append(make_result(self, self.ENTITY, start, end, score))
        if self.may_have_context(text) and _BARE.search(text):
            # without "NL", the label further back in its sentence ("Btw-nummer zonder NL ervoor gaat niet: 186864688B01")
            taken = {(r.start, r.end) for r in results}
            for m in _BARE.finditer(text):
                if m.span() not in taken and btw.is_valid(m.group()) and self.context_rule.classify(text, *m.span()) == "positive":
                    results.append(make_result(self, self.ENTITY, m.start(), m.end(), self.CONTEXT_SCORE))
        return EntityRecognizer.remove_duplicates(results)


_BARE = re.compile(btw.PATTERNS["bare"], re.IGNORECASE)
