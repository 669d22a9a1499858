"""NL_ID_DOCUMENT: the document number of a Dutch passport or identity card.

The rules (nine characters, no letter O, python-stdnum
``nl.identiteitskaartnummer``) and the label words live in
:mod:`recognizers.identifiers.id_document`.  Codes of that shape are common
(order codes, batch numbers), so a label is required.

>>> r = NlIdDocumentRecognizer()
>>> [(x.start, x.end) for x in r.analyze("paspoortnummer NXC4R2KL5", ["NL_ID_DOCUMENT"])]
[(15, 24)]
>>> r.analyze("paspoortnummer NXO4R2KL5", ["NL_ID_DOCUMENT"])
[]
>>> [(x.start, x.end) for x in r.analyze("Mijn verblijfsdocument is nummer W83K41RC7.", ["NL_ID_DOCUMENT"])]
[(33, 42)]
>>> r.analyze("paspoort verlopen, order W83K41RC7", ["NL_ID_DOCUMENT"])
[]

A number label straight before it also takes a foreign passport's number, which has
another shape (fail closed: a passport number identifies its holder):

>>> [(x.start, x.end) for x in r.analyze("Turks paspoort nr U08452731", ["NL_ID_DOCUMENT"])]
[(18, 27)]
"""

from __future__ import annotations

import re
from typing import Optional

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer
from .context import sentence_start
from .identifiers import id_document


class NlIdDocumentRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_ID_DOCUMENT"
    PATTERNS = [Pattern("nl_document_" + name, regex, 0.4) for name, regex in id_document.PATTERNS.items()]
    CONTEXT = list(id_document.LABELS)
    NEGATIVE_CONTEXT = [r"factuur", r"order", r"artikel", r"batch", r"lot\b", r"kenmerk", r"referentie", r"iban"]
    REQUIRES_CONTEXT = True
    CONTEXT_SCORE = 0.9
    CONTEXT_BEFORE = 40

    PATTERNS = PATTERNS + [Pattern("residence_document", id_document.RESIDENCE_PATTERN, 0.4)]
    RE_PATTERNS = frozenset({"nl_document_document_number"})
    _RESIDENCE = re.compile(r"(?<![\w])(?:" + "|".join(id_document.RESIDENCE_LABELS) + ")", re.IGNORECASE)

    # A document-number label straight before the value ("Documentnummer: X93TN4HK1", "Turks paspoort nr
    # U08452731"): a foreign or residence document's number, whatever its country's shape.
    # ... and a document's own name with "nr" straight before it, perhaps with whose it is between
    # ("ID-kaart nr. JVACAVDU7", "ID-kaart ouder (nr. ...)"); not the name alone ("paspoort: BESTANDE8 kwijt")
    _DIRECT_NUMBER = re.compile(
        r"(?<![\w])(?:documentnummer|document\s?(?:nr|no)|docnr|(?:paspoort|pasaport|paszport|passeport|reisepass|id[\s-]?kaart|"
        r"identiteitskaart|identiteitsbewijs|verblijfsdocument|verblijfsvergunning|verblijfspas|reisdocument)"
        r"(?:\s*/\s*id)?(?:\s+(?:ouder|verzekerde|klant|cli[eë]nt|pati[eë]nt|aanvrager|moeder|vader|partner))?\s*\(?\s*(?:nummer|nr|no)\b"
        r"|passport\s+(?:no|number)|(?:personal)?ausweisnummer"
        # the document named with its number in brackets: "Uw Syrische paspoort (N01948276)"
        r"|(?:paspoort|passport|reisepass|id[\s-]?kaart|identiteitskaart|verblijfsdocument|verblijfsvergunning|vreemdelingendocument)\s*\()"
        r"\.?\s*[:#]?\s*$",
        re.IGNORECASE)
    # "ID-kaart van verzekerde S. R. gecontroleerd, nummer JU4V09Y13": a generic 'nummer' straight before a
    # valid number, the document named earlier in its sentence
    _GENERIC_NR = re.compile(r"(?i)(?<![\w])(?:nummer|nr)\.?\s*:?\s*$")
    _DOCUMENT = re.compile(r"(?i)(?<![\w])(?:paspoort|passport|id[\s-]?kaart|identiteitskaart|identiteitsbewijs|rijbewijs|verblijfsdocument)")
    SENTENCE_REACH = 120

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return id_document.is_document_shape(pattern_text) or id_document.is_residence_number(pattern_text)

    def score(self, text, start, end, pattern):
        if not id_document.is_valid(text[start:end]) and id_document.is_document_shape(text[start:end]):
            # six letters in the middle ("TDTIQZCP8"): only straight after the number's own label
            if self._DIRECT_NUMBER.search(text, max(0, start - self.CONTEXT_BEFORE), start):
                return self.CONTEXT_SCORE
            if not id_document.is_residence_number(text[start:end]):
                return None
        if pattern.name == "residence_document" or not id_document.is_valid(text[start:end]):
            # "Mijn verblijfsdocument is nummer W83K41RC7": the residence label in the same sentence
            lead = text[max(0, start - self.CONTEXT_BEFORE):start]
            if not id_document.is_residence_number(text[start:end]):
                return None
            residence = self._RESIDENCE.search(lead[sentence_start(lead):])
            # a Dutch document's shape (two letters first) that fails its check is a broken Dutch number,
            # not a foreign one: only a letter and a digit first ("U08452731") take the direct label
            foreign = text[start + 1:start + 2].isdigit() and self._DIRECT_NUMBER.search(lead)
            if not residence and not foreign:
                return None
            return self.CONTEXT_SCORE
        score = super().score(text, start, end, pattern)
        if score is None and self._GENERIC_NR.search(text, max(0, start - 10), start):
            lead = text[max(0, start - self.SENTENCE_REACH):start]
            if self._DOCUMENT.search(lead, sentence_start(lead)):
                return self.CONTEXT_SCORE
        return score
