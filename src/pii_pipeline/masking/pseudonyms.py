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

import numpy as np
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
    "NL_BSN": (" .-/,", False), "NL_AGB": (" .-/", False), "NL_BIG": (" .-/", False),
    "NL_KVK": (" .-/", False), "NL_UZOVI": (" .-/", False),
    "IBAN_CODE": (" .-", True), "NL_ID_DOCUMENT": (" ", True), "NL_MEMBER_NUMBER": (" .-", True),
}
CACHE_SIZE = 1_000_000  # pseudonyms remembered across chunks (a person recurs in many claims)
MAX_PIECES = 32        # pieces of the remembered values (one per chunk with new values) before they are joined


def normalise_series(entity: str, values: pd.Series) -> pd.Series:
    """:func:`normalise` for a whole column; the same results, vectorised for the number-like types."""
    from .operators import map_unique

    from . import kernels

    values = values.astype("str")
    if entity not in _FAST:
        return map_unique(values, lambda v: normalise(entity, v))[0]
    separators, upper = _FAST[entity]
    arr = kernels.strings(values)
    normal, decided = kernels.normal_forms(arr, separators, upper, zero_pad=entity == "NL_BSN")
    out = pd.Series(pd.arrays.ArrowStringArray(normal), index=values.index, dtype="str")
    other = ~decided & kernels.valid(arr)   # not ASCII, or a NUL (nfkc drops NULs): one by one
    if other.any():
        out[other] = map_unique(values[other], lambda v: normalise(entity, v))[0]
    return out


def positions_in(known, values):
    """For each of ``values`` (an Arrow array of distinct values) its position in ``known`` (distinct too), or -1.

    The known values (an array, or a chunked array of pieces) are probed against ``values`` (hashing the
    chunk's few distinct values), not the other way round: hashing all known values again for every chunk
    cost as much as the HMAC.

    >>> import pyarrow as pa
    >>> positions_in(pa.array(["a", "b", "c"]), pa.array(["c", "x", "a"])).tolist()
    [2, -1, 0]
    """
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
        self._cache: dict = {}  # entity -> _Known (the normal forms hashed this run and their pseudonyms)

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
        """:meth:`_hash` of each normal form (None for a blank one), as strings: :meth:`_digests` read back.

        >>> p = Pseudonymizer(b"k" * 32, "d")
        >>> p._hash_all("PERSON", ["jan", " ", "josé"]) == [p._hash("PERSON", "jan"), None, p._hash("PERSON", "josé")]
        True
        """
        import pyarrow as pa

        hexes, ok = self._digests(entity, pa.array(normals, pa.string()))
        return [h.tobytes().decode() if o else None for h, o in zip(hexes, ok)]

    def pseudonym(self, entity: str, value: str, length: int = 32) -> str:
        return self._hash(entity, normalise(entity, value), length)

    def _digests(self, entity: str, normals) -> tuple:
        """:meth:`_hash` of each normal form (an Arrow string array) as (n, 32) hex bytes, and a mask of the values
        that got one (not blank).  The loop inlined: the inner state primed with the message's prefix (the entity)
        once, one C-level copy/update/digest per value on its UTF-8 bytes (no str built), the binary digest kept
        (no hex string, no slice per value); the hex of the 16 bytes kept is written column-wise.

        >>> import pyarrow as pa
        >>> p = Pseudonymizer(b"k" * 32, "d")
        >>> hexes, ok = p._digests("PERSON", pa.array(["jan", " ", "josé"]))
        >>> [bytes(h).decode() if o else None for h, o in zip(hexes, ok)] == [p._hash("PERSON", "jan"), None, p._hash("PERSON", "josé")]
        True
        """
        import pyarrow as pa

        from . import kernels

        ok = ~kernels.blank(normals)
        inner = self._inner.copy()
        inner.update(entity.encode("ascii") + b"\x00")
        copy_inner, copy_outer = inner.copy, self._outer.copy
        out = []
        append = out.append
        for v in normals.filter(pa.array(ok)).cast(pa.binary()).to_pylist():
            h = copy_inner()
            h.update(v)
            o = copy_outer()
            o.update(h.digest())
            append(o.digest())
        raw = np.zeros((len(normals), 16), dtype=np.uint8)
        raw[ok] = np.frombuffer(b"".join(out), dtype=np.uint8).reshape(len(out), 32)[:, :16]
        hexes = np.empty((len(normals), 32), dtype=np.uint8)
        hexes[:, 0::2], hexes[:, 1::2] = _HEX[raw >> 4], _HEX[raw & 15]
        return hexes, ok

    def series(self, entity: str, values: pd.Series) -> pd.Series:
        """Pseudonyms of a column; empty cells stay empty.  Column-wise, once per distinct value: the column is
        dictionary-encoded, its distinct values normalised (:func:`normalise_distinct`), the normal forms looked up
        among the values already hashed this run (:class:`_Known`), only values never seen are hashed (the HMAC
        loop), and the pseudonyms are taken back to the rows."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from . import kernels

        encoded = pc.dictionary_encode(kernels.strings(values))
        normal = normalise_distinct(entity, encoded.dictionary)
        if normal is encoded.dictionary:   # every distinct value already in its normal form (the common case)
            uniques, indices = normal, encoded.indices
        else:                              # two spellings of one number: one normal form, one pseudonym
            again = pc.dictionary_encode(normal)
            uniques, indices = again.dictionary, again.indices.take(encoded.indices)
        known = self._cache.get(entity)
        if known is None or known.size > CACHE_SIZE:
            known = self._cache[entity] = _Known()
        codes, ok = _codes(uniques)
        where = known.find(uniques, codes, ok)
        new = where < 0
        if new.any():
            fresh = uniques.filter(pa.array(new))
            # The tightest loop: one C-level copy/update/digest per value (DuckDB's vectorised sha256 and
            # hmac.digest measured no faster here); a blank normal form gets no pseudonym.
            where[new] = known.add(fresh, codes[new], ok[new], *self._digests(entity, fresh))
        out = known.tokens_at(where, indices)
        return pd.Series(pd.arrays.ArrowStringArray(out), index=values.index).astype("str")


_HEX = np.frombuffer(b"0123456789abcdef", dtype="uint8")
_CODE_CHARS = 12   # normal forms of up to 12 characters of [0-9A-Z] are looked up by an integer code
_CODE_DIGIT = np.full(256, 255, dtype="uint8")
_CODE_DIGIT[48:58] = range(1, 11)   # '0'..'9' -> 1..10, 'A'..'Z' -> 11..36 (255: not codable)
_CODE_DIGIT[65:91] = range(11, 37)


def _codes(strings) -> tuple:
    """(int64 code, codable) of each value of an Arrow string array: a value of 1 to 12 characters of [0-9A-Z]
    (a BSN, AGB or member number in its normal form) is read as a number in bijective base 37 (digits 1-36), one
    code per value and one value per code (36 * (37**11 + ... + 1) < 2**63).  Computed per value length, on the
    bytes (a column of one identifier type has one or two lengths).

    >>> import pyarrow as pa
    >>> c, ok = _codes(pa.array(["0", "00", "A", "123456782", "Z1234567", "a1", "1234567890123", ""]))
    >>> len(set(c[ok].tolist())), ok.tolist()
    (5, [True, True, True, True, True, False, False, False])
    """
    n = len(strings)
    codes, ok = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    if not n:
        return codes, ok
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)[strings.offset:strings.offset + n + 1]
    data = np.frombuffer(strings.buffers()[2] or b"", dtype=np.uint8)
    lengths = np.diff(offsets)
    for length in np.unique(lengths).tolist():
        if not 1 <= length <= _CODE_CHARS:
            continue
        rows = np.flatnonzero(lengths == length) if length != lengths[0] or (lengths != length).any() else None
        starts = offsets[:-1] if rows is None else offsets[:-1][rows]
        contiguous = rows is None and starts[-1] - starts[0] == (n - 1) * length
        chars = (data[starts[0]:starts[0] + n * length].reshape(n, length) if contiguous
                 else data[starts[:, None] + np.arange(length)])
        digits = _CODE_DIGIT[chars]
        good = (digits != 255).all(axis=1)
        code = np.zeros(len(digits), dtype=np.int64)
        for i in range(length):
            code = code * 37 + digits[:, i]
        where = np.arange(n) if rows is None else rows
        codes[where[good]], ok[where[good]] = code[good], True
    return codes, ok


class _Known:
    """The pseudonyms hashed in this process for one entity type, by normal form.  A normal form that has an
    integer code (:func:`_codes`: the number-like types) is found by binary search in a sorted array of codes,
    so a chunk's look-up costs its own distinct values, not all values hashed before; any other normal form is
    probed among the others' pieces (:func:`positions_in`).  The pseudonyms are rows of one growing array of
    hex bytes, taken to the chunk's rows without building a string per cell."""

    def __init__(self) -> None:

        self.codes, self.code_rows = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        self.strings: list = []       # pieces of normal forms without a code (Arrow), one per chunk
        self.string_rows: list = []   # the token row of each
        self.hexes = np.zeros((1024, 32), dtype=np.uint8)
        self.valid = np.zeros(1024, dtype=bool)
        self.size = 0

    def find(self, uniques, codes, ok):
        """The token row of each of ``uniques`` (distinct normal forms; ``codes, ok``: their :func:`_codes`), or -1."""
        import pyarrow as pa

        where = np.full(len(uniques), -1, dtype=np.int64)
        if len(self.codes) and ok.any():
            asked = np.flatnonzero(ok)
            asked = asked[np.argsort(codes[asked])]   # sorted probes: a binary search in cache, ~5x faster
            at = np.searchsorted(self.codes, codes[asked])
            hit = self.codes[np.minimum(at, len(self.codes) - 1)] == codes[asked]
            where[asked[hit]] = self.code_rows[at[hit]]
        if self.strings and not ok.all():
            other = np.flatnonzero(~ok)
            found = positions_in(pa.chunked_array(self.strings, pa.string()), uniques.take(pa.array(other)))
            rows = np.concatenate(self.string_rows)
            where[other[found >= 0]] = rows[found[found >= 0]]
        return where

    def add(self, fresh, codes, ok, hexes, valid):
        """Remember ``fresh`` (normal forms not known yet; ``codes, ok``: their :func:`_codes`) with their
        pseudonyms; their token rows."""
        import pyarrow as pa

        rows = self.size + np.arange(len(fresh))
        if self.size + len(fresh) > len(self.valid):
            grown = max(2 * len(self.valid), self.size + len(fresh))
            self.hexes = np.concatenate([self.hexes[:self.size], np.zeros((grown - self.size, 32), np.uint8)])
            self.valid = np.concatenate([self.valid[:self.size], np.zeros(grown - self.size, bool)])
        self.hexes[rows], self.valid[rows] = hexes, valid
        self.size += len(fresh)
        if ok.any():
            order = np.argsort(codes[ok])
            new_codes, new_rows = codes[ok][order], rows[ok][order]
            at = np.searchsorted(self.codes, new_codes)
            self.codes, self.code_rows = np.insert(self.codes, at, new_codes), np.insert(self.code_rows, at, new_rows)
        if not ok.all():
            self.strings.append(fresh.filter(pa.array(~ok)))
            self.string_rows.append(rows[~ok])
            if len(self.strings) > MAX_PIECES:
                self.strings, self.string_rows = [pa.concat_arrays(self.strings)], [np.concatenate(self.string_rows)]
        return rows

    def tokens_at(self, where, indices):
        """The pseudonyms of a chunk's rows (``indices`` into its distinct values, whose token rows are ``where``),
        as an Arrow string array; null where the cell was empty or its normal form blank."""
        from . import kernels

        filled = indices.is_valid().to_numpy(zero_copy_only=False)
        rows = where[indices.fill_null(0).to_numpy(zero_copy_only=False)] if len(where) else \
            np.zeros(len(indices), dtype=np.int64)
        ok = filled & self.valid[rows]
        return kernels.from_rows(kernels.take_rows(self.hexes, rows[ok]), ok)


def normalise_distinct(entity: str, values):
    """:func:`normalise_series` of an Arrow array of distinct values (no nulls), as an Arrow string array; ``values``
    itself when every value is already its normal form.  A value of ASCII letters and digits only is its own normal
    form for the number-like types (nothing for ``compact`` to strip; no lower case where it upper-cases; not the
    eight digits of a BSN it zero-pads), checked column-wise (Arrow's RE2); only the other values go through
    :func:`normalise_series`.

    >>> import pyarrow as pa
    >>> normalise_distinct("NL_BSN", pa.array(["123456782", "12345678", "123.456.782", "１２３４５６７８２"])).to_pylist()
    ['123456782', '012345678', '123456782', '123456782']
    >>> values = pa.array(["Z12345678", "A1B2C3"])
    >>> normalise_distinct("NL_MEMBER_NUMBER", values) is values
    True
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from . import kernels

    if not len(values):
        return values
    if entity in _FAST:
        same = kernels.already_normal(values, upper=_FAST[entity][1], zero_pad=entity == "NL_BSN")
        if same.all():
            return values
        other = pa.array(~same)
        rest = normalise_series(entity, pd.Series(pd.arrays.ArrowStringArray(values.filter(other))))
        return pc.replace_with_mask(values, other, kernels.strings(rest))
    return kernels.strings(normalise_series(entity, pd.Series(pd.arrays.ArrowStringArray(values))))
