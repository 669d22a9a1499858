"""Structured columns are classified by their header and the identifier modules, without the detector.

The cheap pass (``discovery/classifier.py``, ``_cheap_acceptance``) may only decide what the detector
would decide: these tests hold it to the detector on every column of the sample data, check the
assumption it rests on (which recognizers report a bare value without a label), and check that
masking a file of structured columns never imports Presidio or spaCy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pii_pipeline.discovery import classifier
from pii_pipeline.discovery.classifier import BARE_FINDERS, classify_sample, sample_tables

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
TABLES = [p for p in sorted(SAMPLE.iterdir()) if p.is_file() and p.suffix in (".csv", ".json", ".asc", ".dat")]

# One valid, bare value per identifier module (each checked valid below).
VALID = {
    "NL_BSN": "123456782", "NL_AGB": "12000012", "NL_UZOVI": "3311", "NL_BIG": "19012345601",
    "NL_KVK": "12345672", "NL_MEMBER_NUMBER": "200398716", "NL_ID_DOCUMENT": "SPECI2014",
    "PHONE_NUMBER": "0612345678", "NL_POSTCODE": "1234 AB", "IBAN_CODE": "NL91ABNA0417164300",
}


@pytest.mark.parametrize("entity", sorted(VALID))
def test_only_the_bare_finders_report_a_bare_value(detector, entity):
    from recognizers.identifiers import by_entity

    value = VALID[entity]
    assert by_entity()[entity].is_valid(value)
    found = {f.entity_type for f in detector.detect(value) if f.end - f.start >= 0.8 * len(value)}
    if entity in BARE_FINDERS:
        assert entity in found
    else:  # needs its label: the cheap pass may call a column of these "safe" without the detector
        assert not found, f"{entity}'s recognizer reports a bare value: add it to BARE_FINDERS"


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_cheap_pass_agrees_with_the_detector(detector, path, monkeypatch):
    tables = sample_tables(path)
    cheap = {t: classify_sample(detector, path, t, s, n) for t, (s, n) in tables.items()}
    monkeypatch.setattr(classifier, "_cheap_acceptance", lambda header, values: None)
    full = {t: classify_sample(detector, path, t, s, n) for t, (s, n) in tables.items()}
    for table in tables:
        got = [(c.name, c.entity_type, c.role) for c in cheap[table].columns]
        want = [(c.name, c.entity_type, c.role) for c in full[table].columns]
        assert got == want


def test_cheap_pass_decides_only_clear_cases():
    decide = classifier._cheap_acceptance
    assert decide("NL_POSTCODE", ["1234 AB", "9999 ZZ", "3511 EK"]) is not None
    assert decide("NL_POSTCODE", ["onbekend", "1234 AB"]) is None          # header not confirmed: detector
    assert decide(None, ["C11", "12,50", "2026000123"]) is not None         # codes, amounts, numbers
    assert decide(None, ["Jansen", "de Vries"]) is None                      # words: names, places
    assert decide(None, ["0612345678", "0201234567"]) is None                # phone numbers found bare
    assert decide(None, ["10.0.0.1", "192.168.1.20"]) is None                # IP addresses
    assert decide(None, ["a@b.nl"]) is None
    assert decide(None, ["+49 30 12345678", "+32 2 123 45 67"]) is None    # foreign phone numbers
    assert decide("PERSON", ["1", "2"]) is None                             # no identifier module


def test_structured_mask_imports_no_presidio(tmp_path):
    import pandas as pd

    source = tmp_path / "claims.csv"  # the sample claims without their free-text column
    pd.read_csv(SAMPLE / "claims_2026-10.csv", sep=";", dtype=str, keep_default_na=False, encoding="cp1252").drop(
        columns=["opmerking"]).to_csv(source, sep=";", index=False)
    code = ("import sys; from pii_pipeline.masking.engine import mask_file; from pii_pipeline.masking.policy import "
            "default_policy; mask_file(sys.argv[1], sys.argv[2], default_policy(), b'k' * 32, workers=1); "
            "print(sorted(m for m in ('presidio_analyzer', 'spacy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(source), str(tmp_path / "out.parquet")],
                         capture_output=True, text=True, env=dict(os.environ), check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_cheap_pass_only_for_the_default_detector(monkeypatch):
    from types import SimpleNamespace

    from pii_pipeline.config import DetectionConfig
    from pii_pipeline.masking.engine import LazyDetector

    allowed = classifier._cheap_pass_allowed
    assert allowed(LazyDetector()) and allowed(SimpleNamespace(config=DetectionConfig(score_threshold=0.7)))
    assert not allowed(SimpleNamespace(config=DetectionConfig(score_threshold=0.3)))  # finds more bare values
    assert not allowed(SimpleNamespace(config=DetectionConfig(spacy_model="nl_core_news_sm")))
    monkeypatch.setenv("PII_PIPELINE_SCORE_THRESHOLD", "0.2")
    assert not allowed(LazyDetector())


@pytest.mark.parametrize("header", ["agb_zorgverlener", "agb_code"])
def test_eight_digit_identifiers_are_not_dates(header):
    """AGB codes (12100456) read as DDMMYYYY dates (12-10-0456): the header's identifier wins, and no year
    before 1870 makes a date column."""
    import pandas as pd

    from pii_pipeline.discovery.classifier import classify_column

    class NoDetector:
        config = None

        def detect(self, text):
            return []

    values = pd.Series([f"12{i:06d}" for i in range(100_000, 100_300)], dtype="str")
    assert classify_column(NoDetector(), header, values).entity_type == "NL_AGB"
    assert classifier._date_evidence(["12100456", "12100457"]) is None
