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

from typing import List

from presidio_analyzer import EntityRecognizer

from .address import DutchAddressRecognizer
from .agb import NlAgbRecognizer
from .big import NlBigRecognizer
from .bsn import NlBsnRecognizer
from .btw import NlBtwRecognizer
from .date_of_birth import DateOfBirthRecognizer
from .email import EmailRecognizer
from .entities import ENTITIES, ENTITY_NAMES, EntityType
from .iban import NlIbanRecognizer
from .id_document import NlIdDocumentRecognizer
from .ip_address import IpAddressRecognizer
from .kvk import NlKvkRecognizer
from .location import DutchLocationRecognizer
from .member_number import NlMemberNumberRecognizer
from .person import DutchPersonRecognizer
from .phone import NlPhoneRecognizer
from .postcode import NlPostcodeRecognizer
from .record import RecordLineRecognizer
from .table import TableColumnRecognizer
from .uzovi import NlUzoviRecognizer

PATTERN_RECOGNIZERS = (
    NlBsnRecognizer, NlIbanRecognizer, NlUzoviRecognizer, NlAgbRecognizer, DateOfBirthRecognizer,
    NlPostcodeRecognizer, NlPhoneRecognizer, EmailRecognizer, IpAddressRecognizer,
    NlIdDocumentRecognizer, NlBigRecognizer, NlKvkRecognizer, NlBtwRecognizer, NlMemberNumberRecognizer,
)
LOOKUP_RECOGNIZERS = (DutchPersonRecognizer, DutchAddressRecognizer, DutchLocationRecognizer)
# Pasted tables: a header cell labels its column (recognizers/table.py); legacy record lines
# of bare fields (recognizers/record.py).
STRUCTURE_RECOGNIZERS = (TableColumnRecognizer, RecordLineRecognizer)
ALL_RECOGNIZERS = PATTERN_RECOGNIZERS + LOOKUP_RECOGNIZERS + STRUCTURE_RECOGNIZERS


def dutch_recognizers(supported_language: str = "nl") -> List[EntityRecognizer]:
    """One instance of every recognizer, for one language code."""
    return [cls(supported_language=supported_language) for cls in ALL_RECOGNIZERS]


__all__ = [
    "ENTITIES", "ENTITY_NAMES", "EntityType", "dutch_recognizers",
    *[cls.__name__ for cls in ALL_RECOGNIZERS],
]
