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

    PATTERNS = PATTERNS + [Pattern("residence_document", id_document.RESIDENCE_PATTERN, 0.4),
                           # the last part of a scan's file name ("ID_jansen_pieter_YNLM9RLA7.pdf"): only in an ID's file name
                           Pattern("document_in_name", r"(?<=_)[A-Z][A-Z0-9]{7}\d(?=\.[A-Za-z]{2,4}(?![\w])|_)", 0.4)]
    PATTERN_NEEDS = {"document_in_name": "_"}
    RE_PATTERNS = frozenset({"nl_document_document_number"})
    _RESIDENCE = re.compile(r"(?<![\w])(?:" + "|".join(id_document.RESIDENCE_LABELS) + ")", re.IGNORECASE)

    # A document-number label straight before the value ("Documentnummer: X93TN4HK1", "Turks paspoort nr
    # U08452731"): a foreign or residence document's number, whatever its country's shape.
    # ... and a document's own name with "nr" straight before it, perhaps with whose it is between
    # ("ID-kaart nr. JVACAVDU7", "ID-kaart ouder (nr. ...)"); not the name alone ("paspoort: BESTANDE8 kwijt")
    _DIRECT_NUMBER = re.compile(
        r"(?<![\w])(?:documentnummer|document\s?(?:nr|no)|docnr|(?:paspoort|pasaport|paszport|passeport|reisepass|id[\s-]?kaart|"
        r"identiteitskaart|identiteitsbewijs|verblijfsdocument|verblijfsvergunning|verblijfspas|reisdocument)"
        r"(?:\s*/\s*id)?(?:\s+(?:ouder|verzekerde|klant|cli[eë]nt|pati[eë]nt|aanvrager|moeder|vader|partner))?\s*\(?,?\s*(?:nummer|nr|no)\b"
        r"|passport\s+(?:no|number)|(?:personal)?ausweisnummer"
        # the document named with its number in brackets: "Uw Syrische paspoort (N01948276)"
        r"|(?:paspoort|passport|reisepass|id[\s-]?kaart|identiteitskaart|verblijfsdocument|verblijfsvergunning|vreemdelingendocument)(?:en|s)?\s*\("
        # "Documentnummer verblijfsdocument: JBFHXLSL2": the number's label, then the document's name
        r"|(?:documentnummer|document\s?nr)\s+(?:van\s+(?:het|de)\s+)?(?:paspoort|id[\s-]?kaart|identiteitskaart|verblijfsdocument|verblijfspas|reisdocument)"
        # a JSON record of a document: its type, then its number ("type":"ID_KAART","nummer":"T8ZTZTIV1")
        r'|(?:paspoort|passport|id[\s_-]?kaart|identiteitskaart|id[\s_-]?card|verblijfsdocument)"\s*,\s*"(?:nummer|number|nr|no|documentnummer)"\s*:\s*")'
        r"\.?\s*[:#]?\s*$",
        re.IGNORECASE)
    # "ID-kaart van verzekerde S. R. gecontroleerd, nummer JU4V09Y13": a generic 'nummer' straight before a
    # valid number, the document named earlier in its sentence
    _GENERIC_NR = re.compile(r"(?i)(?<![\w])(?:nummer|nr)\.?\s*:?\s*$")
    _DOCUMENT = re.compile(r"(?i)(?<![\w])(?:paspoort|passport|id[\s-]?kaart|identiteitskaart|identiteitsbewijs|rijbewijs|verblijfsdocument)")
    SENTENCE_REACH = 120
    # The document's name alone straight before a foreign-shaped number: a field ("Oekraïens paspoort: K256DW4U4")
    # or a list's column ("paspoort          R1YML5QL5", "verblijfsdoc.     W6FLZG0K0").
    _NAME_BEFORE = re.compile(r"(?i)(?<![\w-])(?:paspoort|passport|id[\s-]?kaart|identiteitskaart|verblijfsdoc(?:ument)?\.?|"
                              r"verblijfspas|verblijfsvergunning|reisdocument)(?:\s*:\s*|[ \t]+)$")
    # A scan's file name that says it is an ID ("ID_jansen_pieter_YNLM9RLA7.pdf", "paspoort_K.Bos_NXC4R2KL5.jpg")
    _ID_FILE = re.compile(r"(?i)(?<![a-z0-9])(?:id|paspoort|passport|idkaart|id-kaart|identiteitskaart|legitimatie)_[^\s/\\]{0,80}_$")
    _ID_FILE_FIRST = re.compile(r"(?i)(?<![a-z0-9])(?:id|paspoort|passport|idkaart|id-kaart|identiteitskaart|legitimatie)_")

    def may_have_context(self, text: str) -> bool:
        return super().may_have_context(text) or ("_" in text and self._ID_FILE_FIRST.search(text) is not None)

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return (id_document.is_document_shape(pattern_text) or id_document.is_residence_number(pattern_text)
                or id_document.is_foreign_number(pattern_text))

    def score(self, text, start, end, pattern):
        if pattern.name == "document_in_name":
            # an ID scan's file name ends in its number
            valid = id_document.is_document_shape(text[start:end]) or id_document.is_residence_number(text[start:end])
            return self.CONTEXT_SCORE if valid and self._ID_FILE.search(text, max(0, start - 100), start) else None
        value = text[start:end]
        if not (id_document.is_document_shape(value) or id_document.is_residence_number(value)):
            # another country's shape: only the document's name or number label straight before it
            lead = text[max(0, start - self.CONTEXT_BEFORE):start]
            return self.CONTEXT_SCORE if self._NAME_BEFORE.search(lead) or self._DIRECT_NUMBER.search(lead) else None
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
            foreign = text[start + 1:start + 2].isdigit() and (self._DIRECT_NUMBER.search(lead) or self._NAME_BEFORE.search(lead))
            if not residence and not foreign:
                return None
            return self.CONTEXT_SCORE
        score = super().score(text, start, end, pattern)
        if score is None and self._GENERIC_NR.search(text, max(0, start - 10), start):
            lead = text[max(0, start - self.SENTENCE_REACH):start]
            if self._DOCUMENT.search(lead, sentence_start(lead)):
                return self.CONTEXT_SCORE
        return score
