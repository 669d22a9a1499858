"""NL_BSN: the burgerservicenummer, the Dutch citizen service number.

The rules (elfproef, zero-padding, notations, label words) live in
:mod:`recognizers.identifiers.bsn`; this recognizer adds the context.  One
in eleven random 9-digit numbers passes the elfproef, so a bare number is
only weak evidence: its label within the sentence confirms it, and a
competing label that directly labels the number (``factuurnummer``) rejects
it (:mod:`recognizers.context`).

>>> r = NlBsnRecognizer()
>>> [(x.start, x.end, x.score) for x in r.analyze("BSN: 123.456.782", ["NL_BSN"])]
[(5, 16, 0.95)]
>>> [(x.start, x.end) for x in r.analyze("Het BSN van de klant is 123456782.", ["NL_BSN"])]
[(24, 33)]
>>> r.analyze("factuurnummer 123456782", ["NL_BSN"])
[]
>>> [(x.start, x.end) for x in r.analyze("Mijn BSN is 1 2 3 4 5 6 7 8 2.", ["NL_BSN"])]
[(12, 29)]
"""

from __future__ import annotations

import re
from typing import Optional

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer
from .context import other_labels
from .identifiers import bsn


_NUMBER = re.compile(r"\d{3}")
_DIGIT_RUN = re.compile(r"\d+")
NEARBY = 240  # characters looked back for a BSN label on the line or the line above
SCORE_NEARBY = 0.55  # above the default threshold (0.5), below a labelled BSN


class NlBsnRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_BSN"
    PATTERNS = [
        Pattern("bsn_formatted", bsn.PATTERNS["formatted"], 0.6),
        Pattern("bsn_9_digits", bsn.PATTERNS["9_digits"], 0.4),
        Pattern("bsn_8_digits", bsn.PATTERNS["8_digits"], 0.3),
        Pattern("bsn_grouped", bsn.GROUPED, 0.3),
        Pattern("bsn_in_name", bsn.IN_NAME, 0.3),
        Pattern("bsn_wrapped", bsn.WRAPPED, 0.3),
        Pattern("bsn_glued", bsn.GLUED, 0.3),
    ]
    LABEL_ONLY_PATTERNS = frozenset({"bsn_grouped", "bsn_in_name", "bsn_wrapped"})
    PATTERN_NEEDS = {"bsn_in_name": "_", "bsn_wrapped": "\n"}
    CONTEXT = list(bsn.LABELS)
    # ... and a birth-date label straight before a compact date that passes the elfproef ("geboortedatum 19800101")
    NEGATIVE_CONTEXT = other_labels(bsn.LABELS) + [r"geboortedatum", r"geb\.?\s?datum", r"gebdat", r"date of birth"]
    # "Ook mijn sofinummer klopt niet in uw systeem; het juiste nummer is ...": the elfproef
    # makes a label further back in the same sentence still strong evidence.
    CONTEXT_BEFORE = 80

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        if "\n" in pattern_text:  # a BSN wrapped over two lines (bsn_wrapped): the digits without the break
            pattern_text = "".join(pattern_text.split())
        return bsn.is_valid(pattern_text)

    def _label_before_sentence(self, text: str, start: int) -> bool:
        """Our label in the previous sentence of the same line, and no other label or number since:
        ``Gevraagd naar BSN van de zoon. Mw. geeft: 598598467.`` (the elfproef makes it strong enough)."""
        window = text[max(0, start - self.CONTEXT_BEFORE):start]
        window = window[window.rfind("\n") + 1:]
        labels = list(self.context_rule.positive.finditer(window))
        if not labels:
            return False
        after = labels[-1].end()
        return self.context_rule.negative.search(window, after) is None and _NUMBER.search(window, after) is None

    def score(self, text, start, end, pattern):
        if pattern.name == "bsn_glued":
            return self.CONTEXT_SCORE  # "BSN799642630": the label is glued to it
        if pattern.name == "bsn_wrapped":
            return self.CONTEXT_SCORE if self.context_rule.labels_directly(text, start) else None
        verdict = self.context_rule.classify(text, start, end)
        if verdict == "negative":
            return None
        if verdict == "positive" or verdict is None and pattern.name not in self.LABEL_ONLY_PATTERNS and self._label_before_sentence(text, start):
            return self.CONTEXT_SCORE
        # An 8-digit number is as likely an AGB or KvK number, and an odd grouping
        # ("28686 7722") as likely a phone number: only with a label.
        if pattern.name in ("bsn_8_digits", "bsn_grouped", "bsn_in_name"):
            return None
        if verdict is None and self._label_on_line_or_above(text, start):
            return SCORE_NEARBY  # fail closed: a valid nine-digit number where the text speaks of BSNs
        return pattern.score

    def _label_on_line_or_above(self, text: str, start: int) -> bool:
        """Our label on this line or the line above, no other label after it: a list or a correction
        of BSNs ('... NIET als BSN opgeslagen: 777127475.' / 'Correct na herstel: 514426184')."""
        window = text[max(0, start - NEARBY):start]
        first = window.rfind("\n")
        window = window[window.rfind("\n", 0, first) + 1:] if first >= 0 else window
        labels = list(self.context_rule.positive.finditer(window))
        if not labels or self.context_rule.negative.search(window, labels[-1].end()) is not None:
            return False
        after = labels[-1].end()
        line_end = window.find("\n", after)
        numbers = _DIGIT_RUN.findall(window, after)
        # the label introduces BSN-shaped numbers only ("en haar bsn? kamer 12" answers it otherwise),
        # and none on its own line is already a valid BSN (then it labelled that one)
        own_line = _DIGIT_RUN.findall(window, after, line_end if line_end >= 0 else len(window))
        return all(len(n) in (8, 9) for n in numbers) and not any(bsn.is_valid(n) for n in own_line)
