"""NL_BIG: the BIG-register number of a care professional.

The rules (eleven digits, every way the label is written: ``BIG``,
``BIG-nummer``, ``BIG-registratie``, ``BIG-registratienummer``,
``ingeschreven in het BIG-register onder nummer``) live in
:mod:`recognizers.identifiers.big`.  No check digit, so only with a label.

>>> r = NlBigRecognizer()
>>> [(x.start, x.end) for x in r.analyze("BIG-nummer 19012345601", ["NL_BIG"])]
[(11, 22)]
>>> [(x.start, x.end) for x in r.analyze("ingeschreven in het BIG-register onder nummer 19012345601", ["NL_BIG"])]
[(46, 57)]
>>> r.analyze("kenmerk 19012345601", ["NL_BIG"])
[]
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer
from .context import other_labels
from .identifiers import big


class NlBigRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_BIG"
    PATTERNS = [Pattern("big_11_digits", big.PATTERNS["11_digits"], 0.6), Pattern("big_typeset", big.PATTERNS["typeset"], 0.6)]
    CONTEXT = list(big.LABELS)
    NEGATIVE_CONTEXT = [w for w in other_labels(big.LABELS) if w != r"registratie"]
    REQUIRES_CONTEXT = True
    CONTEXT_BEFORE = 70  # "het BIG-register vermeldt voor mw. E. Vos het nummer ..."

    def validate_result(self, pattern_text: str):
        return big.is_valid(pattern_text)
