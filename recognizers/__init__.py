"""Dutch Presidio recognizers for healthcare data.

Importable on its own: it depends on Presidio, python-stdnum, tldextract, Babel (country names),
wordfreq and the list files of ``deduce``, not on the rest of pii-pipeline.

    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from recognizers import dutch_recognizers

    registry = RecognizerRegistry(supported_languages=["nl"])
    for recognizer in dutch_recognizers():
        registry.add_recognizer(recognizer)
"""

from __future__ import annotations

from importlib import import_module
from typing import List

from .entities import ENTITIES, ENTITY_NAMES, EntityType

# Recognizer classes are imported on first use (PEP 562): importing Presidio pulls in spaCy (~2-4 s),
# and ``recognizers.identifiers`` / ``recognizers.entities`` (the identifier rules, used by masking and
# classification of structured columns) must not pay for it.
_CLASSES = {
    "DutchAddressRecognizer": "address", "NlAgbRecognizer": "agb", "NlBigRecognizer": "big",
    "NlBsnRecognizer": "bsn", "NlBtwRecognizer": "btw", "DateOfBirthRecognizer": "date_of_birth",
    "EmailRecognizer": "email", "FieldRecognizer": "fields", "NlIbanRecognizer": "iban", "NlIdDocumentRecognizer": "id_document",
    "MachineFieldRecognizer": "name_fields",
    "IpAddressRecognizer": "ip_address", "NlKvkRecognizer": "kvk", "DutchLocationRecognizer": "location",
    "NlMemberNumberRecognizer": "member_number", "DutchPersonRecognizer": "person", "NlPhoneRecognizer": "phone",
    "NlPostcodeRecognizer": "postcode", "RecordLineRecognizer": "record", "TableColumnRecognizer": "table",
    "NlUzoviRecognizer": "uzovi",
}
_GROUPS = {
    "PATTERN_RECOGNIZERS": (
        "NlBsnRecognizer", "NlIbanRecognizer", "NlUzoviRecognizer", "NlAgbRecognizer", "DateOfBirthRecognizer",
        "NlPostcodeRecognizer", "NlPhoneRecognizer", "EmailRecognizer", "IpAddressRecognizer",
        "NlIdDocumentRecognizer", "NlBigRecognizer", "NlKvkRecognizer", "NlBtwRecognizer", "NlMemberNumberRecognizer",
    ),
    "LOOKUP_RECOGNIZERS": ("DutchPersonRecognizer", "DutchAddressRecognizer", "DutchLocationRecognizer"),
    # Pasted tables: a header cell labels its column (recognizers/table.py); legacy record lines
    # of bare fields (recognizers/record.py); keys, elements and positions of machine formats (recognizers/fields.py);
    # names in the fields of machine formats (recognizers/name_fields.py).
    "STRUCTURE_RECOGNIZERS": ("TableColumnRecognizer", "RecordLineRecognizer", "FieldRecognizer", "MachineFieldRecognizer"),
}
_GROUPS["ALL_RECOGNIZERS"] = _GROUPS["PATTERN_RECOGNIZERS"] + _GROUPS["LOOKUP_RECOGNIZERS"] + _GROUPS["STRUCTURE_RECOGNIZERS"]


def __getattr__(name: str):
    if name in _CLASSES:
        value = getattr(import_module(f".{_CLASSES[name]}", __name__), name)
    elif name in _GROUPS:
        value = tuple(__getattr__(n) for n in _GROUPS[name])
    elif name == "EntityRecognizer":
        from presidio_analyzer import EntityRecognizer as value
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def dutch_recognizers(supported_language: str = "nl") -> List["EntityRecognizer"]:
    """One instance of every recognizer, for one language code."""
    return [cls(supported_language=supported_language) for cls in __getattr__("ALL_RECOGNIZERS")]


__all__ = [
    "ENTITIES", "ENTITY_NAMES", "EntityType", "dutch_recognizers",
    *_GROUPS["ALL_RECOGNIZERS"],
]
