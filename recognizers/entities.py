"""The one registry of entity types this project detects.

Every recognizer, the discovery classifier, the masking policy and the reports
refer to entities by the names defined here; nothing else defines an entity.

>>> ENTITIES["NL_BSN"].kind
'direct_identifier'
>>> "PERSON" in ENTITY_NAMES
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["direct_identifier", "quasi_identifier", "sensitive"]


@dataclass(frozen=True)
class EntityType:
    name: str
    description: str
    kind: Kind
    in_text: bool = True  # False: found by discovery from columns only, never in free text


_ALL = [
    EntityType("NL_BSN", "Burgerservicenummer (9 digits, elfproef)", "direct_identifier"),
    EntityType("IBAN_CODE", "International bank account number (mod-97)", "direct_identifier"),
    EntityType("NL_UZOVI", "UZOVI code of a health insurer (4 digits)", "quasi_identifier"),
    EntityType("NL_AGB", "AGB code of a care provider (8 digits, Vektis)", "direct_identifier"),
    EntityType("DATE_OF_BIRTH", "Date of birth", "quasi_identifier"),
    EntityType("NL_POSTCODE", "Dutch postcode (1234 AB)", "quasi_identifier"),
    EntityType("PHONE_NUMBER", "Telephone number", "direct_identifier"),
    EntityType("EMAIL_ADDRESS", "E-mail address", "direct_identifier"),
    EntityType("IP_ADDRESS", "IPv4 or IPv6 address", "direct_identifier"),
    EntityType("NL_ID_DOCUMENT", "Passport or identity card number", "direct_identifier"),
    EntityType("NL_BIG", "BIG-register number of a care professional (11 digits)", "direct_identifier"),
    EntityType("NL_KVK", "KvK (Chamber of Commerce) number (8 digits)", "quasi_identifier"),
    EntityType("NL_BTW", "Dutch VAT number (NL + 9 digits + B + 2 digits)", "quasi_identifier"),
    EntityType("NL_MEMBER_NUMBER", "Insurer member / policy / client number", "direct_identifier"),
    EntityType("PERSON", "Name of a person", "direct_identifier"),
    EntityType("ADDRESS", "Street and house number", "direct_identifier"),
    EntityType("LOCATION", "Place name (residence, municipality, province)", "quasi_identifier"),
    # Found by discovery from column names and values, not in free text:
    EntityType("GENDER", "Gender (geslacht) column", "quasi_identifier", in_text=False),
    EntityType("HEALTH_DATA", "Diagnosis, medication or treatment description (special category)", "sensitive", in_text=False),
]
# Entity types the text recognizers look for (the rest are column-level only).
TEXT_ENTITY_NAMES: tuple[str, ...] = tuple(e.name for e in _ALL if e.in_text)

ENTITIES: dict[str, EntityType] = {e.name: e for e in _ALL}
ENTITY_NAMES: tuple[str, ...] = tuple(ENTITIES)
