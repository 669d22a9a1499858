"""Detection settings, validated with pydantic; from arguments or the environment.

``PII_PIPELINE_SPACY_MODEL``: name or path of an installed spaCy Dutch model
(e.g. ``nl_core_news_lg``) whose NER adds PERSON and LOCATION findings.  Unset
(the default): a blank Dutch tokenizer and the lookup recognizers only.
``PII_PIPELINE_SCORE_THRESHOLD``: findings below this score are not reported.
"""

from __future__ import annotations

import os
from typing import Optional

from pydantic import BaseModel, Field, field_validator

from recognizers.entities import TEXT_ENTITY_NAMES as ENTITY_NAMES

DEFAULT_SCORE_THRESHOLD = 0.5


class DetectionConfig(BaseModel):
    model_config = {"frozen": True}

    spacy_model: Optional[str] = None
    score_threshold: float = Field(DEFAULT_SCORE_THRESHOLD, ge=0.0, le=1.0)
    entities: Optional[tuple[str, ...]] = None

    @field_validator("entities")
    @classmethod
    def _known_entities(cls, value):
        if value is not None:
            unknown = sorted(set(value) - set(ENTITY_NAMES))
            if unknown:
                raise ValueError(f"unknown entity type(s) {unknown}; known: {list(ENTITY_NAMES)}")
        return value

    @classmethod
    def from_env(cls, **overrides) -> "DetectionConfig":
        values = {}
        if os.environ.get("PII_PIPELINE_SPACY_MODEL"):
            values["spacy_model"] = os.environ["PII_PIPELINE_SPACY_MODEL"]
        if os.environ.get("PII_PIPELINE_SCORE_THRESHOLD"):
            values["score_threshold"] = float(os.environ["PII_PIPELINE_SCORE_THRESHOLD"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
