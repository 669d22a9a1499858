"""Document number of a Dutch passport or identity card.

Nine characters: two letters, six letters or digits, one digit; the letter O
is never used (python-stdnum ``nl.identiteitskaartnummer``).  A middle of six
letters is a word, not a number.  Codes of this shape are common (order
codes, batch numbers), so a text needs a label.

>>> compact("nxc4r2kl5"), is_valid("NXC4R2KL5"), is_valid("NXO4R2KL5"), is_valid("ABCDEFGH1")
('NXC4R2KL5', True, False, False)
"""

from __future__ import annotations

from stdnum.exceptions import InvalidFormat
from stdnum.nl import identiteitskaartnummer as _stdnum_id

from ._digits import validity
from ._text import strip_separators

ENTITY = "NL_ID_DOCUMENT"  # its name in recognizers.entities
# Column names (after splitting into lowercase words) that announce it.
HEADERS = ("documentnummer", "document nummer", "paspoortnummer", "paspoort", "id nummer", "idnummer", "identiteitskaartnummer", "document nr", "docnr")
# The printed labels of the number itself (on the document, and in text) ...
NUMBER_LABELS = (r"documentnummer", r"document\s?nr", r"document\s*no\b", r"docnr", r"paspoortnummer", r"passport\s+no\b")
# ... and the words that announce a document in text.
LABELS = NUMBER_LABELS + (
    r"paspoort", r"passport", r"identiteitskaart", r"identiteitsbewijs", r"id-?kaart", r"id-?bewijs",
    r"legitimatie", r"reisdocument", r"(?:id-?)?kaartnummer", r"pasnummer", r"id\s?nr", r"id\s+document", r"identity\s+card", r"nederlandse\s+id",
)
PATTERNS = {
    "document_number": r"(?<![\w])[A-Za-z]{2}[A-Za-z0-9]{6}\d(?![\w])",
    # Grouped as python-stdnum prints it: XR 1001R5 8.
    "grouped": r"(?<![\w])[A-Za-z]{2} [A-Za-z0-9]{6} \d(?![\w])",
}


def compact(number: str) -> str:
    return strip_separators(number, " ").upper()


def validate(number: str) -> str:
    number = compact(number)
    if not number.isascii():
        raise InvalidFormat()
    number = _stdnum_id.validate(number)
    if number[2:8].isalpha():
        raise InvalidFormat()  # "ABCDEFGH1" is a word and a digit
    return number


is_valid = validity(validate)


format = compact  # the compact form is how it is written
