"""Member number: an insurer's member, policy or client number, known by its label.

Insurers and care providers number their members and clients
(``verzekerdennummer``, ``lidnummer``, ``polisnummer``, ``relatienummer``,
``klantnummer``, ``patiëntnummer``).  No common format: six to sixteen
characters, at least one digit, optionally a short letter prefix
(``ZK-12345678``); only a label makes one recognisable, and it identifies a
person as well as a BSN does.

>>> compact("zk-1234.5678"), is_valid("ZK-12345678"), is_valid("123"), is_valid("ABCDEFGH")
('ZK12345678', True, False, False)
>>> compact("RN 4410 2297")
'RN44102297'
"""

from __future__ import annotations

from stdnum.exceptions import InvalidFormat, InvalidLength

from ._digits import validity
from ._text import ocr_digits, strip_separators  # noqa: F401  (ocr_digits: the recognizer's)

ENTITY = "NL_MEMBER_NUMBER"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("verzekerdennummer", "verzekerdenummer", "lidnummer", "relatienummer", "polisnummer", "klantnummer", "patientnummer", "patiëntnummer", "clientnummer", "cliëntnummer", "member id", "member number",
           # an export's key names: "member_no", "klant_id" ("verzekerde_id" is not one: a Vektis EI file's
           # verzekerde_id links a record to its verzekerdenrecord, io/ei.py)
           "member no", "member nr", "lid id", "klant id", "relatie id", "polis id",
           # a cross-border insurer's export (German, English): a column of them was kept as 'safe' numbers
           "mitgliedsnummer", "versichertennummer", "versicherungsnummer", "policy number", "insurance number", "insured id",
           # FHIR Coverage.subscriberId: the number the insurer knows its member by
           "subscriber id")
LABELS = (
    # "Verzekerde-nr:", "kl.nr 8734...", "vnr 2109..."; a log's key "member_id":"4134...", "member_no"
    r"verzekerden?[\s-]?(?:nummer|nr)", r"verz\.?\s?nr", r"vnr\b\.?", r"kl\.\s?nr", r"rel\.?\s?(?:nummer|nr)", r"verzekerd\s+onder\s+(?:nummer|nr)", r"lid(?:maat)?(?:nummer|nr)", r"polis(?:nummer|nr)",
    r"relatie(?:nummer|nr)", r"klant(?:nummer|nr)", r"pati[eë]nt(?:nummer|nr)", r"cli[eë]nt(?:nummer|nr)",
    r"verzekerings?\s?(?:nummer|nr)",
    # "haar nummer van de verzekering 193 041 776", "mijn nummer bij de zorgverzekeraar"
    r"(?:nummer|nr)\.?\s+(?:van|bij)\s+(?:de|het|mijn|haar|zijn|onze)\s+(?:zorg)?verzeker(?:ing|aar)", r"member[\s_-]?(?:id|number|nr|no\b)", r"policy\s+number", r"polis\s+number", r"inschrijf(?:nummer|nr)", r"dossier(?:nummer|nr)",
    # a contract number said to be the person's own (a financing or care contract): "Wat is uw contractnummer?"
    r"(?:uw|je|jouw|mijn)\s+(?:[a-z]+\s+(?:en|of)\s+)?contract(?:nummer|nr)",  # "uw naam en contractnummer"
    r"financierings?contract(?:nummer|nr)?",  # a dental financing contract is the person's own
    # (and any contract number in a financing company's text: FINANCING_CONTRACT below)
    # German and English letters: "Versichertennummer 88014429", "my client number is ..."
    r"versicherten\s?(?:nummer|nr)", r"client\s+(?:number|no)", r"customer\s+(?:number|no)", r"membership\s+(?:number|no)",
    # Polish: "Mój numer klienta: 127038367"
    r"numer\s+klienta",
)
# A table column headed by one of these bare words alone holds member numbers ("Relatie", "Polis"):
# a cell counts only when it is a valid member number (digits), so "Relatie | echtgenote" is not one.
# A financing overview's "contractnummer" column is the person's own contract (with "naam" beside it).
COLUMN_WORDS = ("relatie", "relatienr", "polis", "klant", "lid", "member", "verzekerde nr", "relatie nr", "polis nr", "contractnummer", "contractnr",
                # an export's "klant_nr", "lid_nr"; an audit log's "dossier" column (a patient's record number)
                "klant nr", "klantnr", "lid nr", "lidnr", "dossier", "dossiernr", "dossier nr")
# Bare words that label a member number only when they stand directly before it
# ("Polis 200398716", "Klant 5230197", "relatie 40231102"); elsewhere in a sentence
# they are ordinary words ("Polis verlopen", "de klant belde").
# Their plurals before a list ("Getroffen accounts: relaties 756269067 en 572435306").
DIRECT_LABELS = (r"polis", r"relatie", r"rel", r"lid", r"member", r"relaties", r"polissen")
# ... and words that also tag a speaker or a field ("Klant: 8-3-1999"): only without a colon;
# and being insured under a number ("verzekerd onder 661373215", "ik zit onder 854937089 bij jullie").
# (Plain words: the recognizer's first check finds them with str.find.)
DIRECT_LABELS_NO_COLON = (r"klant", r"verzekerde", r"verzekerd onder", r"zit onder", r"sta onder", r"staat onder",
                          # "cliënt 661880247 niet belasten": a claim's client, as "verzekerde 2044..."; "van verz. 375 622 810"
                          r"cliënt", r"client", r"verz.")
# A contract number where the text is about financing (a dental-care financing company's letters and forms):
# its contracts are with persons, and the number identifies the customer ("Aanvraag tandartsfinanciering ...
# Contractnummer: TF-2026-031177"). Elsewhere "contract" is another document's number.
FINANCING_CONTRACT = r"contract(?:nummer|nr)\b\.?\s*:?\s*$"
FINANCING_WORDS = ("financiering", "krediet")

# The insurance card's words: its number is the member's ("Uw zorgpas behoudt hetzelfde nummer (…)").
# Labels of the member number recognizer's sentence context only, not of other identifiers' (``LABELS``):
# a card also shows the BSN ("BSN staat op de zorgpas: 123456782").
CARD_WORDS = (r"zorgpas(?:je)?", r"verzekeringspas(?:je)?")  # (a bare "pasje" may be any card: "mijn pasje kwijt")
# Digits, optionally grouped with dots, dashes or single spaces ("7719 4402", "6003 1188 4").
# A prefix of three letters and a space ("TZF 44 91 208") is never another identifier's label ("BSN 1234...").
# Nor is it an insurer's name before its member's number ("VGZ 530619238", "CZ 123456789").
# "POL-802341776" (a SEPA mandate's reference), "REL.4410 2297": a member label's abbreviation
# joined to the digits labels them; the span is the digits (the recognizer finds the abbreviation).
# A mandate's sequence number may follow ("POL-455007180-01").
# A bank statement's next field may follow ("POL7741029/CSID/...").
PREFIXED = r"\d(?:\d|(?<=\d) (?=\d)){5,11}(?:(?![\w/-]|[.,]\d)|(?=-\d{1,3}(?![\w/-]|[.,]\d))|(?=/[A-Z]))"
# OCR's O and l for 0 and 1 ("9O2 l17 448"): only straight after the label (the recognizer asks).
# ... with an insurer's short prefix and a dash ("Polisnr.: FR-22O4571")
OCR = r"(?:[A-Z]{1,3}-)?(?=[\dOlI ]{0,20}\d[\dOlI ]{0,20}[OlI]|[\dOlI ]{0,20}[OlI][\dOlI ]{0,20}\d)(?:[\dOlI]{5,12}|[\dOlI]{1,4}(?: [\dOlI]{1,4}){0,4})(?![\w/-]|[.,]\d)"
# (ocr_digits, from _text, reads them back: "9O2 l17 448" is 902 117 448)


PATTERNS = {"member_number": r"(?<![\w.,/+-])(?:[A-Z]{1,3}-?|(?!CZ )[A-Z]{1,2} |(?!BSN|AGB|BIG|KVK|BTW|TEL|FAX|IBAN|VGZ|DSW|IZA|IZZ|UMC|ASR)[A-Z]{3} (?=\d\d))?\d(?:[\d.\-]|(?<=\d) (?=\d)){4,18}\d(?![\w/-]|[.,]\d)"}


def compact(number: str) -> str:
    return strip_separators(number, " .-").upper()


def validate(number: str) -> str:
    number = compact(number)
    if not number.isascii() or not number.isalnum() or not any(c.isdigit() for c in number):
        raise InvalidFormat()
    if not 6 <= len(number) <= 16:
        raise InvalidLength()
    return number


is_valid = validity(validate)


format = compact  # the compact form is how it is written
