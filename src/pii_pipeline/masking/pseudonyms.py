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
import pandas as pd

from recognizers.identifiers import by_entity, nfkc

from ..keys import KEY_ENV, MIN_KEY_LENGTH, MissingKey, check_key, key_id, load_key  # noqa: F401  (re-exported)

_DERIVATION = b"pii-pipeline/pseudonym/v1\x00"


def normalise(entity: str, value: str) -> str:
    """The canonical form of a value, so different spellings get the same pseudonym.

    Identifiers are normalised by their module's ``compact`` (recognizers/identifiers):
    the one definition of what makes two spellings the same number.

    >>> normalise("NL_BSN", "12345678"), normalise("IBAN_CODE", "nl91 abna 0417 1643 00")
    ('012345678', 'NL91ABNA0417164300')
    >>> normalise("PHONE_NUMBER", "+31 (0)20 123 4567") == normalise("PHONE_NUMBER", "020 123 4567")
    True
    >>> normalise("PHONE_NUMBER", "+31 6-12345678"), normalise("PERSON", " José  van  Dijk ")
    ('+31612345678', 'josé van dijk')
    """
    value = nfkc(value)
    module = IDENTIFIERS.get(entity)
    if module is not None:
        return module.compact(value)
    if entity == "EMAIL_ADDRESS":
        return value.lower()
    return " ".join(value.casefold().split())


IDENTIFIERS = by_entity()
# Column-wise fast paths: (characters the module's compact removes, upper-cases).  They give
# the module's result for ASCII values; any other value goes through the module itself.
_FAST = {
    "NL_BSN": (r"[ .\-/]", False), "NL_AGB": (r"[ .\-/]", False), "NL_BIG": (r"[ .\-/]", False),
    "NL_KVK": (r"[ .\-/]", False), "NL_UZOVI": (r"[ .\-/]", False),
    "IBAN_CODE": (r"[ .\-]", True), "NL_ID_DOCUMENT": (r"[ ]", True), "NL_MEMBER_NUMBER": (r"[ .\-]", True),
}
CACHE_SIZE = 1_000_000  # pseudonyms remembered across chunks (a person recurs in many claims)


def normalise_series(entity: str, values: pd.Series) -> pd.Series:
    """:func:`normalise` for a whole column; the same results, vectorised for the number-like types."""
    from .operators import map_unique

    values = values.astype("str")
    if entity not in _FAST:
        return map_unique(values, lambda v: normalise(entity, v))[0]
    separators, upper = _FAST[entity]
    out = values.str.strip().str.replace(separators, "", regex=True)
    if upper:
        out = out.str.upper()
    if entity == "NL_BSN":
        short = out.str.fullmatch(r"\d{8}").fillna(False)
        if short.any():   # most BSNs have their nine digits: no need to build "0" + every value
            out = out.where(~short, "0" + out)
    other = ~values.str.isascii().fillna(True)
    if other.any():
        out[other] = map_unique(values[other], lambda v: normalise(entity, v))[0]
    return out


def positions_in(known, values):
    """For each of ``values`` (an Arrow array of distinct values) its position in ``known`` (distinct too), or -1.

    The known values are probed against ``values`` (hashing the chunk's few distinct values), not the
    other way round: hashing all known values again for every chunk cost as much as the HMAC.

    >>> import pyarrow as pa
    >>> positions_in(pa.array(["a", "b", "c"]), pa.array(["c", "x", "a"])).tolist()
    [2, -1, 0]
    """
    import numpy as np
    import pyarrow.compute as pc

    where = np.full(len(values), -1, dtype=np.int64)
    if len(known):
        at = pc.index_in(known, value_set=values)
        hit = at.is_valid().to_numpy(zero_copy_only=False)
        where[at.drop_null().to_numpy()] = np.flatnonzero(hit)
    return where


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

    def _hash_all(self, entity: str, normals: list) -> list:
        """:meth:`_hash` of each normal form (None for a blank one), the loop inlined: the message prefix
        encoded once, one C-level copy/update/digest per value.

        >>> p = Pseudonymizer(b"k" * 32, "d")
        >>> p._hash_all("PERSON", ["jan", " ", "josé"]) == [p._hash("PERSON", "jan"), None, p._hash("PERSON", "josé")]
        True
        """
        prefix, inner, outer = entity.encode("ascii") + b"\x00", self._inner, self._outer
        out = []
        append = out.append
        for v in normals:
            if not v.strip():
                append(None)
                continue
            h = inner.copy()
            h.update(prefix + v.encode("utf-8"))
            o = outer.copy()
            o.update(h.digest())
            append(o.hexdigest()[:32])
        return out

    def pseudonym(self, entity: str, value: str, length: int = 32) -> str:
        return self._hash(entity, normalise(entity, value), length)

    def series(self, entity: str, values: pd.Series) -> pd.Series:
        """Pseudonyms of a column; empty cells stay empty.  Column-wise: the normal forms are dictionary-encoded,
        the dictionary is looked up among the values already hashed this run (``pyarrow.compute.index_in``), only
        values never seen are hashed (the HMAC loop), and the pseudonyms are taken back to the rows."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        normal = pa.array(normalise_series(entity, values), type=pa.string())
        if isinstance(normal, pa.ChunkedArray):
            normal = normal.combine_chunks()
        encoded = pc.dictionary_encode(normal)
        uniques = encoded.dictionary
        known, tokens = self._cache.get(entity) or (pa.array([], pa.string()), pa.array([], pa.string()))
        if len(known) > CACHE_SIZE:
            known, tokens = pa.array([], pa.string()), pa.array([], pa.string())
        where = positions_in(known, uniques)
        new = where < 0
        if new.any():
            fresh = uniques.filter(pa.array(new))
            # The tightest loop: one C-level copy/update/digest per value (DuckDB's vectorised sha256 measured
            # no faster here); a blank normal form gets no pseudonym.
            hashed = pa.array(self._hash_all(entity, fresh.to_pylist()), pa.string())
            where[new] = len(known) + np.arange(len(fresh))
            known = pa.concat_arrays([known, fresh])
            tokens = pa.concat_arrays([tokens, hashed])
        self._cache[entity] = (known, tokens)
        out = tokens.take(pa.array(where)).take(encoded.indices)
        return pd.Series(pd.arrays.ArrowStringArray(out), index=values.index).astype("str")
