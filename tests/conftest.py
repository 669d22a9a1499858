import pytest

from pii_pipeline.detection import get_detector


@pytest.fixture(scope="session")
def detector():
    return get_detector()


def spans(detector, text, entity=None):
    """(entity_type, matched text) for every finding, optionally of one type."""
    return [(f.entity_type, text[f.start:f.end]) for f in detector.detect(text) if entity in (None, f.entity_type)]
