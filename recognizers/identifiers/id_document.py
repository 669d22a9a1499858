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
# Residence documents (verblijfsdocument, W-document): their number is of another shape,
# a letter, seven letters or digits and a digit ("W83K41RC7"); only after one of these labels.
RESIDENCE_LABELS = (r"verblijfsdocument", r"verblijfsvergunning", r"verblijfspas", r"vreemdelingendocument", r"w-document")
RESIDENCE_PATTERN = r"(?<![\w])[A-Z][A-Z0-9]{7}\d(?![\w])"
# ... and the words that announce a document in text.
LABELS = NUMBER_LABELS + (
    r"paspoort", r"passport", r"pasaport", r"paszport", r"passeport", r"reisepass", r"identiteitskaart", r"identiteitsbewijs", r"id[\s-]?kaart", r"id[\s-]?bewijs",
    r"legitimatie", r"reisdocument", r"(?:id-?)?kaartnummer", r"pasnummer", r"id,?\s?nr", r"id\s+document", r"identity\s+card", r"nederlandse\s+id",
    # German: a Personalausweis ("Ausweisnummer L01X7KT47")
    r"(?:personal)?ausweis(?:nummer)?",
) + RESIDENCE_LABELS
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


def is_document_shape(number: str) -> bool:
    """python-stdnum's check alone, six letters in the middle allowed: a number only with its own
    label straight before it ("Documentnummer: TDTIQZCP8"), as ordinary words have that shape too.

    >>> is_document_shape("TDTIQZCP8"), is_valid("TDTIQZCP8"), is_document_shape("TDTIQZCO8")
    (True, False, False)
    """
    return _stdnum_id.is_valid(compact(number)) and compact(number).isascii()


def is_residence_number(number: str) -> bool:
    """The shape of a residence document's number: nine capitals and digits, a letter first, four digits or more.

    >>> is_residence_number("W83K41RC7"), is_residence_number("WOORDENAB"), is_residence_number("W1234")
    (True, False, False)
    """
    number = compact(number)
    return len(number) == 9 and number.isascii() and number.isalnum() and number[0].isalpha() \
        and sum(c.isdigit() for c in number) >= 4


def is_foreign_number(number: str) -> bool:
    """The shape of another country's document number as the Dutch write it down: nine capitals and digits, a
    letter first, two digits or more and two letters or more, no O (the Dutch never write one: they read it as 0).
    Only with the document's name straight before it ("Oekraïens paspoort: K256DW4U4", "paspoort   R1YML5QL5").

    >>> is_foreign_number("K256DW4U4"), is_foreign_number("R1YML5QL5"), is_foreign_number("BESTANDE8"), is_foreign_number("K256DW4O4")
    (True, True, False, False)
    """
    number = compact(number)
    return (len(number) == 9 and number.isascii() and number.isalnum() and number[0].isalpha() and "O" not in number
            and sum(c.isdigit() for c in number) >= 2 and sum(c.isalpha() for c in number) >= 2)


format = compact  # the compact form is how it is written
