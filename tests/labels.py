"""What the label-round tests compare: the detector's spans as (entity type, text) pairs, in text order."""
from pii_pipeline.detection import get_detector


def detected(text: str, entities=None) -> list:
    """Every span the whole detector finds in `text`, kept when its type is in `entities` (None keeps all)."""
    found = [(f.entity_type, text[f.start:f.end]) for f in get_detector().detect(text)]
    return [f for f in found if entities is None or f[0] in entities]
