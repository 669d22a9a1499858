"""The one registry of entity types this project detects.

Every recognizer, the discovery classifier, the ID-scan masker, the masking
policy and the reports refer to entities by the names defined here; nothing
else defines an entity.  ``found_in`` says where an entity is found: free
text (and columns), columns only, images only, or nowhere (the names of
pseudonym namespaces and of the verdicts of discovery).

>>> ENTITIES["NL_BSN"].kind, ENTITIES["MRZ"].found_in, ENTITIES["NOT_PII"].kind
('direct_identifier', 'image', 'not_personal')
>>> "PERSON" in ENTITY_NAMES, "PORTRAIT" in TEXT_ENTITY_NAMES
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["direct_identifier", "quasi_identifier", "sensitive", "not_personal"]
FoundIn = Literal["text", "column", "image", "none"]


@dataclass(frozen=True)
class EntityType:
    name: str
    description: str
    kind: Kind
    found_in: FoundIn = "text"  # text: found in free text and in columns

    @property
    def in_text(self) -> bool:
        return self.found_in == "text"


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
    EntityType("GENDER", "Gender (geslacht) column", "quasi_identifier", "column"),
    EntityType("HEALTH_DATA", "Diagnosis, medication or treatment description (special category)", "sensitive", "column"),
    EntityType("FILE_NAME", "A file name that carries a name or number (scan_jansen_001.jpg)", "direct_identifier", "column"),
    # Verdicts of discovery from a column's header: it rules personal data out.
    EntityType("UNSAMPLED_TEXT", "A word in a kept column whose sample held none (a name between the windows sampled)",
               "direct_identifier", "column"),
    EntityType("NOT_PII", "An identifier that is not personal (invoice, claim, order number)", "not_personal", "column"),
    EntityType("OTHER_DATE", "A date that is not a birth date (treatment, invoice, scan date)", "not_personal", "column"),
    # Found on ID-document images only:
    EntityType("MRZ", "Machine-readable zone of a passport or identity card", "direct_identifier", "image"),
    EntityType("PORTRAIT", "The holder's photograph on an identity document", "direct_identifier", "image"),
    # The pseudonym namespace of a column pseudonymised without an entity type.
    EntityType("VALUE", "A value of a column pseudonymised by name, without an entity type", "direct_identifier", "none"),
]
# Entity types the text recognizers look for (the rest are column-level only).
TEXT_ENTITY_NAMES: tuple[str, ...] = tuple(e.name for e in _ALL if e.in_text)

ENTITIES: dict[str, EntityType] = {e.name: e for e in _ALL}
ENTITY_NAMES: tuple[str, ...] = tuple(ENTITIES)
