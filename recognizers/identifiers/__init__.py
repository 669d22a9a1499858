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

from importlib import import_module
from types import ModuleType

from ._text import fold, nfkc

MODULE_NAMES = ("bsn", "iban", "phone", "postcode", "agb", "uzovi", "big", "kvk", "btw", "member_number", "id_document")


def by_entity() -> dict[str, ModuleType]:
    """Entity type -> identifier module (``"NL_BSN"`` -> :mod:`recognizers.identifiers.bsn`).

    >>> by_entity()["PHONE_NUMBER"].compact("06-12345678")
    '+31612345678'
    """
    modules = [import_module(f"{__name__}.{name}") for name in MODULE_NAMES]
    return {m.ENTITY: m for m in modules}


__all__ = ["MODULE_NAMES", "by_entity", "fold", "nfkc"]
