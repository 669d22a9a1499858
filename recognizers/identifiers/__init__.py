"""One module per identifier: the only place its rules live.

In the style of python-stdnum: every module has ``compact`` (the canonical
form, used for pseudonyms), ``validate`` (returns the compact form or raises
a :mod:`stdnum.exceptions` error), ``is_valid``, ``format`` and ``LABELS``
(the label words that announce the identifier in a text or a column name).
Modules for identifiers that occur in free text also have ``find(text)``:
the spans of valid candidates in a whole cell, in linear time.

``bsn``, ``iban``, ``phone``, ``postcode``, ``agb``, ``uzovi``, ``big``,
``kvk``, ``btw``, ``member_number``, ``id_document``; ``dates`` is the one
Dutch date parser and ``numbers`` the one Dutch number/amount parser.

Unicode is handled once, at the boundary: :func:`fold` maps every character
to its NFKC form where that form is one character (full-width digits become
digits) and keeps the text's length, so spans found in the folded text are
spans of the original.

>>> from recognizers.identifiers import bsn, phone
>>> bsn.compact("１２３４５６７８２"), phone.compact("+31 (0)20 123 4567") == phone.compact("020 123 4567")
('123456782', True)
"""

from __future__ import annotations

from ._text import fold, nfkc

__all__ = ["fold", "nfkc"]
