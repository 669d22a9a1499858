"""Keyed pseudonyms: HMAC-SHA256 over the normalised value, per domain.

The secret key is read by :mod:`pii_pipeline.keys` (``PII_PIPELINE_KEY``, a key
file, or a Prefect Secret); there is no default and the tool refuses to run
without one or with a weak one.  Each
recipient gets its own *domain*: the key actually used is derived from the key
and the domain name, so pseudonyms published for one domain do not link to
another's.  The entity type is part of the message, so a member number that
happens to equal a BSN does not get the BSN's pseudonym.

Values are normalised first, so the way a value was written does not matter:

>>> p = Pseudonymizer(b"k" * 32, "statistics")
>>> p.pseudonym("NL_BSN", "123.456.782") == p.pseudonym("NL_BSN", "123456782")
True
>>> p.pseudonym("PERSON", "Jan  de Vries") == p.pseudonym("PERSON", "jan de vries")
True
>>> p.pseudonym("NL_BSN", "123456782") == Pseudonymizer(b"k" * 32, "research").pseudonym("NL_BSN", "123456782")
False
>>> len(p.pseudonym("NL_BSN", "123456782"))
32
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

import pandas as pd

from ..keys import KEY_ENV, MIN_KEY_LENGTH, MissingKey, check_key, key_id, load_key  # noqa: F401  (re-exported)

_DERIVATION = b"pii-pipeline/pseudonym/v1\x00"


def normalise(entity: str, value: str) -> str:
    """The canonical form of a value, so different spellings get the same pseudonym.

    >>> normalise("NL_BSN", "12345678"), normalise("IBAN_CODE", "nl91 abna 0417 1643 00")
    ('012345678', 'NL91ABNA0417164300')
    >>> normalise("PHONE_NUMBER", "+31 6-12345678"), normalise("PERSON", " José  van  Dijk ")
    ('0612345678', 'josé van dijk')
    """
    value = unicodedata.normalize("NFKC", value).strip()
    if entity in ("NL_BSN", "NL_AGB", "NL_BIG", "NL_KVK", "NL_UZOVI"):
        digits = re.sub(r"\D", "", value)
        return digits.zfill(9) if entity == "NL_BSN" and len(digits) == 8 else digits
    if entity in ("IBAN_CODE", "NL_ID_DOCUMENT", "NL_POSTCODE", "NL_BTW", "NL_MEMBER_NUMBER"):
        return re.sub(r"[\s.\-]", "", value).upper()
    if entity == "PHONE_NUMBER":
        digits = re.sub(r"\D", "", value)
        for prefix in ("0031", "31"):
            if value.lstrip().startswith(("+", "00")) and digits.startswith(prefix):
                return "0" + digits[len(prefix):]
        return digits
    if entity == "EMAIL_ADDRESS":
        return value.lower()
    return " ".join(value.casefold().split())


# Entities whose normal form is computed column-wise (pandas string ops) before hashing.
_DIGITS = ("NL_BSN", "NL_AGB", "NL_BIG", "NL_KVK", "NL_UZOVI")
_CODES = ("IBAN_CODE", "NL_ID_DOCUMENT", "NL_POSTCODE", "NL_BTW", "NL_MEMBER_NUMBER")
CACHE_SIZE = 1_000_000  # pseudonyms remembered across chunks (a person recurs in many claims)


def normalise_series(entity: str, values: pd.Series) -> pd.Series:
    """:func:`normalise` for a whole column; the same results, vectorised for the number-like types."""
    values = values.astype("str")
    if entity in _DIGITS:
        digits = values.str.replace(r"\D", "", regex=True)
        if entity == "NL_BSN":
            digits = digits.where(digits.str.len() != 8, "0" + digits)
        return digits
    if entity in _CODES:
        return values.str.replace(r"[\s.\-]", "", regex=True).str.upper()
    from .operators import map_unique

    return map_unique(values, lambda v: normalise(entity, v))[0]


class Pseudonymizer:
    def __init__(self, key: bytes, domain: str) -> None:
        if len(key) < MIN_KEY_LENGTH:  # the strength of user keys is checked where they are read (keys.py)
            raise MissingKey(f"the pseudonymisation key is too short ({len(key)} bytes; at least {MIN_KEY_LENGTH} needed)")
        self.domain = domain
        self.key_id = key_id(key)
        derived = hmac.new(key, _DERIVATION + domain.encode("utf-8"), hashlib.sha256).digest()
        # HMAC written out (RFC 2104) with the padded-key states hashed once: twice as fast
        # per value as copying an hmac object, and the same result (see _hash's doctest).
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in derived.ljust(64, b"\x00")))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in derived.ljust(64, b"\x00")))
        self._cache: dict = {}  # entity -> {normal form: pseudonym}

    def _hash(self, entity: str, normal: str, length: int = 32) -> str:
        r"""HMAC-SHA256(domain key, entity NUL value), hex.

        >>> p = Pseudonymizer(b"k" * 32, "d")
        >>> derived = hmac.new(b"k" * 32, _DERIVATION + b"d", hashlib.sha256).digest()
        >>> p._hash("NL_BSN", "123456782") == hmac.new(derived, b"NL_BSN\x00123456782", hashlib.sha256).hexdigest()[:32]
        True
        """
        inner = self._inner.copy()
        inner.update(entity.encode("ascii") + b"\x00" + normal.encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:length]

    def pseudonym(self, entity: str, value: str, length: int = 32) -> str:
        return self._hash(entity, normalise(entity, value), length)

    def series(self, entity: str, values: pd.Series) -> pd.Series:
        """Pseudonyms of a column; empty cells stay empty.  Each distinct value is hashed once per run."""
        from .operators import map_unique

        cache = self._cache.setdefault(entity, {})
        if len(cache) > CACHE_SIZE:
            cache.clear()

        def token(normal: str) -> str:
            found = cache.get(normal)
            if found is None:
                found = cache[normal] = self._hash(entity, normal)
            return found

        return map_unique(normalise_series(entity, values), token)[0]
