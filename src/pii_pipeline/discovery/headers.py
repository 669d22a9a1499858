"""Column names that say what a column holds, in Dutch and English.

A header is split into words (``geb_datum``, ``patient.bsn``, ``AGBZorgverlener``
-> ``geb datum``, ``patient bsn``, ``agb zorgverlener``) and matched against
the synonyms below; the most specific synonym wins.

>>> header_entity("patient.bsn"), header_entity("geb_datum"), header_entity("regels[].agb_code")
('NL_BSN', 'DATE_OF_BIRTH', 'NL_AGB')
>>> header_entity("declaratienummer"), header_entity("behandeldatum"), header_entity("kolom3") is None
('NOT_PII', 'OTHER_DATE', True)

Birth dates are named in many spellings; any word starting with ``geb``,
``geboort``, ``birth`` or ``dob`` names one, before the generic ``datum``:

>>> [header_entity(h) for h in ("Geb. datum", "Datum geboorte", "DateOfBirth", "geboorte_dt", "pat_dob", "BIRTH")]
['DATE_OF_BIRTH', 'DATE_OF_BIRTH', 'DATE_OF_BIRTH', 'DATE_OF_BIRTH', 'DATE_OF_BIRTH', 'DATE_OF_BIRTH']
>>> header_entity("geboorteplaats"), header_entity("birth_place"), header_entity("geboortenaam")
('LOCATION', 'LOCATION', 'PERSON')
>>> [header_entity(h) for h in ("geboortedatum_moeder", "birthdate")]
['DATE_OF_BIRTH', 'DATE_OF_BIRTH']
>>> [header_entity(h) for h in ("geldig_tot", "opname", "Datum opname", "valid_until", "gebouw")]
['OTHER_DATE', 'OTHER_DATE', 'OTHER_DATE', 'OTHER_DATE', None]
>>> [header_entity(h) for h in ("document_number", "Rijbewijsnummer", "passport no", "zip_code")]
['NL_ID_DOCUMENT', 'NL_ID_DOCUMENT', 'NL_ID_DOCUMENT', 'NL_POSTCODE']
"""

from __future__ import annotations

import re
from typing import Optional

from recognizers.identifiers import by_entity, dates

# Whole-word synonyms (after normalising) per entity.  The identifiers' column
# names live in their modules (recognizers/identifiers/*.py, HEADERS); OTHER_DATE
# and NOT_PII mark headers that rule PII *out* (a treatment date, an invoice number).
SYNONYMS: dict[str, tuple[str, ...]] = {
    **{entity: module.HEADERS for entity, module in by_entity().items()},
    "DATE_OF_BIRTH": dates.HEADERS_BIRTH,
    "PERSON": ("naam", "achternaam", "voornaam", "voornamen", "voorletters", "initialen", "tussenvoegsel", "roepnaam",
               "geboortenaam", "meisjesnaam", "familienaam", "name", "surname", "first name", "last name", "firstname",
               "lastname", "full name", "rekeninghouder", "tenaamstelling", "contactpersoon", "behandelaar", "zorgverlener naam",
               # a login is made of a name (kklaassen, kees.klaassen): dropped like one unless its values are e-mail
               "gebruikersnaam", "gebruiker", "username", "user name", "inlognaam", "loginnaam", "login"),
    "ADDRESS": ("adres", "straat", "straatnaam", "huisnummer", "huisnr", "toevoeging", "huisnummertoevoeging", "address", "street", "woonadres", "postadres"),
    "LOCATION": ("woonplaats", "birth place", "birthplace", "place of birth", "geboorteland", "plaats", "plaatsnaam", "stad", "city", "gemeente", "geboorteplaats", "residence"),
    "EMAIL_ADDRESS": ("email", "e mail", "mail", "emailadres", "mailadres", "e mailadres"),
    "IP_ADDRESS": ("ip", "ip adres", "ipadres", "ip address"),
    "GENDER": ("geslacht", "gender", "sex", "geslachtsaanduiding"),
    "HEALTH_DATA": ("diagnose", "diagnosecode", "diagnoses", "medicatie", "medicijn", "icd10", "icd", "dbc", "zorgvraag", "indicatie", "aandoening", "klachten"),
    "OTHER_DATE": ("behandeldatum", "datum", "factuurdatum", "declaratiedatum", "scandatum", "scantijd", "ontvangstdatum",
                   "verzenddatum", "vervaldatum", "begindatum", "einddatum", "opnamedatum", "ontslagdatum", "date", "periode",
                   "opname", "ontslag", "geldig tot", "geldig", "valid until", "expiry", "expires", "afgiftedatum",
                   "uitgiftedatum", "sterfdatum", "overlijdensdatum", "mutatiedatum", "aanmaakdatum", "created", "updated"),
    # Remarks and notes: free text however short (``Jansen belt terug``), masked cell by cell.
    "FREE_TEXT": ("opmerking", "opmerkingen", "toelichting", "notitie", "notities", "notes", "note", "remark", "remarks",
                  "comment", "comments", "commentaar", "memo", "bericht", "vrije tekst", "free text"),
    "NOT_PII": ("declaratienummer", "factuurnummer", "claimnummer", "ordernummer", "regelnummer", "contact id", "id",
                "prestatiecode", "bedrag", "tarief", "kanaal", "documenttype", "nationaliteit", "status", "aantal"),
}

# Column names of document and postcode columns seen in exports, beside the identifier modules' own.
SYNONYMS["NL_ID_DOCUMENT"] = SYNONYMS["NL_ID_DOCUMENT"] + (
    "document number", "document no", "doc nr", "passport number", "passport no", "paspoortnr", "id card number",
    "id kaart", "rijbewijsnummer", "rijbewijs", "rijbewijsnr", "driving licence", "driving license", "licence number",
    "license number")
SYNONYMS["NL_POSTCODE"] = SYNONYMS["NL_POSTCODE"] + ("zip code", "post code")

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_INDEX: list[tuple[str, str]] = sorted(
    ((syn, entity) for entity, syns in SYNONYMS.items() for syn in syns), key=lambda x: -len(x[0])
)


def normalise(header: str) -> str:
    """``AGBZorgverlener_2`` -> ``agb zorgverlener 2``"""
    text = _CAMEL.sub(" ", str(header).replace("[]", ""))
    return " ".join(re.split(r"[^0-9a-zà-ÿ]+", text.lower())).strip()


# A word that names a birth date, whatever else the header says (``Datum geboorte``, ``geb. dat``).
_BIRTH_WORD = re.compile(r"^(?:geb|geboort\w*|geboren|birth\w*|dob|dateofbirth)$")
_BIRTH_NOT_DATE = re.compile(r"(?:plaats|land|naam|gewicht|lengte|place|name|country|weight)$")
_BIRTH_AFTER_DATE = re.compile(r"\bdate of birth\b|\bdatum (?:van )?geboorte\b")


def header_entity(header: str) -> Optional[str]:
    """The entity a column name points to (the last path part counts most), or None."""
    parts = [p for p in re.split(r"\[\]|\.(?=\w{2})", str(header)) if p.strip(". ")]
    for part in reversed(parts or [str(header)]):
        words = f" {normalise(part)} "
        birth = any(_BIRTH_WORD.match(w) for w in words.split()) or _BIRTH_AFTER_DATE.search(words)
        if birth and not any(_BIRTH_NOT_DATE.search(w) for w in words.split()):
            return "DATE_OF_BIRTH"
        for syn, entity in _INDEX:
            if f" {syn} " in words or words.strip().replace(" ", "") == syn.replace(" ", ""):
                return entity
    return None
