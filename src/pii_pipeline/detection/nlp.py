"""The spaCy side of the analyzer: a blank Dutch tokenizer unless the user names a model.

No Dutch spaCy model can be assumed to be installed, and none is ever
downloaded: Presidio's ``SpacyNlpEngine`` would call ``spacy.cli.download``
for a missing model, so loading is done here.
"""

from __future__ import annotations

from typing import Optional

import re

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

BLANK = "blank"
LONGEST_RUN = 200
_LONG_RUN = re.compile(r"(\S{%d})\S(?=\S)" % (LONGEST_RUN - 1))


def break_long_runs(text: str) -> str:
    """The text with a space every 200 characters of a run without whitespace; same length, same offsets.

    spaCy's tokenizer is quadratic in the length of a run without whitespace (``'http://a' * 5000``:
    7.6 s for 40 KB, a minute per window); no word is that long, and the recognizers read the raw text.

    >>> len(break_long_runs("x" * 1000)) == 1000 and max(map(len, break_long_runs("x" * 1000).split())) <= 200
    True
    """
    return _LONG_RUN.sub(r"\1 ", text) if len(text) > LONGEST_RUN else text


class ModelNotInstalled(RuntimeError):
    pass


class DutchNlpEngine(SpacyNlpEngine):
    """Presidio NLP engine over ``spacy.blank("nl")`` or an installed Dutch model."""

    def __init__(self, model: Optional[str] = None) -> None:
        self.model_name = model or BLANK
        super().__init__(
            models=[{"lang_code": "nl", "model_name": self.model_name}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping={"PER": "PERSON", "PERSON": "PERSON", "LOC": "LOCATION", "GPE": "LOCATION"},
                labels_to_ignore=["ORG", "MISC", "DATE", "CARDINAL", "NORP", "MONEY", "ORDINAL", "QUANTITY", "TIME", "PERCENT", "EVENT", "FAC", "LAW", "LANGUAGE", "PRODUCT", "WORK_OF_ART"],
            ),
        )

    @property
    def has_ner(self) -> bool:
        return self.model_name != BLANK

    def load(self) -> None:
        if self.model_name == BLANK:
            nlp = spacy.blank("nl")
        else:
            try:
                nlp = spacy.load(self.model_name)
            except OSError as exc:
                raise ModelNotInstalled(
                    f"spaCy model '{self.model_name}' is not installed; install it, or unset "
                    "PII_PIPELINE_SPACY_MODEL to use the blank Dutch tokenizer"
                ) from exc
        # Long single texts are split by the detector; spaCy's own limit is not needed.
        nlp.max_length = 10**8
        self.nlp = {"nl": nlp}

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return super().process_text(break_long_runs(text), language)

    def _doc_to_nlp_artifact(self, doc, language: str) -> NlpArtifacts:
        artifacts = super()._doc_to_nlp_artifact(doc, language)
        # A blank pipeline has no lemmatizer: lowercase words keep Presidio's
        # context enhancer usable for recognizers that rely on it.
        artifacts.lemmas = [lemma or token.lower_ for lemma, token in zip(artifacts.lemmas, doc)]
        return artifacts
