"""Column kernels of the transform (issue 14): per-column work done on an Arrow string array's bytes (its
offsets and data buffers, with numpy and ``pyarrow.compute``) instead of one Python string per cell.

Each kernel gives what the per-value function it stands for gives, value for value
(``tests/test_column_kernels.py`` holds each to it on arbitrary text).  A value a kernel cannot decide on
its bytes (not ASCII, a notation it does not read) is marked undecided and left to that function, so the
output never depends on the kernel.

>>> import pyarrow as pa
>>> blank(pa.array(["", " ", "\\u3000", "a", None, " b"])).tolist()
[True, True, True, False, True, False]
>>> postcode_areas(pa.array(["1234 AB", "1234ab", "1234", "1234 SA", "0123 AB", "NL-1234AB"]), 3)[0].to_pylist()
['123', '123', '123', None, None, None]
>>> unscaled, plain = plain_amounts(pa.array(["189,37", "-7,5", "12", "1.250,00", "12345678,00"]), "nl", 2)
>>> unscaled[plain].tolist(), plain.tolist()
([18937, -750, 1200], [True, True, True, False, False])
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# ASCII whitespace: Python's str.strip and Arrow's utf8_trim_whitespace (pandas' str.strip) agree on it.
_SPACE = np.zeros(256, dtype=bool)
_SPACE[[i for i in range(128) if chr(i).isspace()]] = True
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[48:58] = True
_LETTER = np.zeros(256, dtype=bool)
_LETTER[65:91] = _LETTER[97:123] = True
_UPPER_ALNUM = _DIGIT.copy()
_UPPER_ALNUM[65:91] = True
_ALNUM = _UPPER_ALNUM | _LETTER


def strings(values) -> pa.Array:
    """The column as one Arrow string array (no copy for an Arrow-backed string column), as pandas'
    ``astype("str")`` reads it."""
    if isinstance(values, pd.Series):
        if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
            values = values.astype("str")
        values = pa.array(values.array)
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return arr if arr.type == pa.string() else arr.cast(pa.string())


def buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, data) of a string array, zero-copy: value ``i`` is ``data[offsets[i]:offsets[i + 1]]``."""
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset:arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    return offsets, np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(1, dtype=np.uint8)


def valid(arr: pa.Array) -> np.ndarray:
    """Which values are not null."""
    if not arr.null_count:
        return np.ones(len(arr), dtype=bool)
    return arr.is_valid().to_numpy(zero_copy_only=False)


def blank(arr: pa.Array) -> np.ndarray:
    """Null or nothing but whitespace (``str.strip() == ""``, which pandas runs as Arrow's
    ``utf8_trim_whitespace``).  Decided on each value's first byte: only a value starting with whitespace or
    a byte of a non-ASCII character is trimmed to see."""
    offsets, data = buffers(arr)
    lengths = np.diff(offsets)
    present = valid(arr)
    out = (lengths == 0) | ~present
    rows = np.flatnonzero(~out)
    first = data[offsets[:-1][rows]]
    rows = rows[_SPACE[first] | (first >= 0x80)]
    if len(rows):
        trimmed = pc.utf8_trim_whitespace(arr.take(pa.array(rows)))
        out[rows] = pc.binary_length(trimmed).to_numpy(zero_copy_only=False) == 0
    return out


def string_column(values) -> pa.Array:
    """The column as the output's string type: blank cells null (``schema.cast`` of a string column).  One array:
    a chunked array of slices would cross from a worker as a pickle of the whole buffer once per slice (five
    times the bytes for a 50,000-row chunk); the staged rows are cut into small batches where they are written."""
    arr = strings(values)
    empty = blank(arr)
    if not empty.any() or arr.null_count == int(empty.sum()):
        return arr
    return pc.if_else(pa.array(~empty), arr, pa.scalar(None, pa.string()))


def from_rows(chars: np.ndarray, present: np.ndarray) -> pa.Array:
    """A string array of ``len(present)`` values: the rows of ``chars`` (an (m, width) byte matrix) in order where
    ``present``, null elsewhere."""
    n, width = len(present), chars.shape[1]
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.where(present, width, 0), out=offsets[1:])
    nulls = n - int(present.sum())
    bitmap = pa.py_buffer(np.packbits(present, bitorder="little")) if nulls else None
    return pa.Array.from_buffers(pa.string(), n, [bitmap, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(chars))],
                                 null_count=nulls)


def take_rows(matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``matrix[rows]`` for a 2-D byte matrix, by ``np.take`` on whole rows (30x faster than fancy indexing)."""
    return np.take(matrix, rows, axis=0)


def _fixed(offsets: np.ndarray, data: np.ndarray, rows: np.ndarray, width: int) -> np.ndarray:
    """The first ``width`` bytes of each of ``rows`` (values at least that long), as an (len(rows), width) matrix:
    a view of the data when the rows' values are ``width`` bytes each, one after the other (a column of one
    identifier or date type), else gathered."""
    starts = offsets[:-1][rows]
    if len(rows) and starts[-1] - starts[0] == (len(rows) - 1) * width and (np.diff(starts) == width).all():
        return data[starts[0]:starts[0] + len(rows) * width].reshape(len(rows), width)
    return data[starts[:, None] + np.arange(width)]


def postcode_areas(arr: pa.Array, width: int) -> tuple[pa.Array, np.ndarray]:
    """(area, plain) of each postcode in a plain notation: ``1234 AB``, ``1234AB``, ``1234ab``, ``1234`` (no
    leading zero, not the pairs SA, SD and SS that are never issued): its first ``width`` digits, read on the bytes
    as ``[1-9][0-9]{3}(?: ?[A-Za-z]{2})?`` reads them.  Null and not plain for every other value (the caller asks
    the postcode module)."""
    offsets, data = buffers(arr)
    lengths = np.diff(offsets)
    plain = np.zeros(len(arr), dtype=bool)
    for length in (4, 6, 7):
        rows = np.flatnonzero((lengths == length) & valid(arr))
        if not len(rows):
            continue
        b = _fixed(offsets, data, rows, length)
        ok = (b[:, 0] >= 49) & (b[:, 0] <= 57) & _DIGIT[b[:, 1]] & _DIGIT[b[:, 2]] & _DIGIT[b[:, 3]]
        if length > 4:
            if length == 7:
                ok &= b[:, 4] == 32
            pair = b[:, -2:] | 32   # lower case
            ok &= _LETTER[b[:, -2]] & _LETTER[b[:, -1]]
            ok &= ~((pair[:, 0] == ord("s")) & np.isin(pair[:, 1], np.frombuffer(b"ads", dtype=np.uint8)))
        plain[rows[ok]] = True
    rows = np.flatnonzero(plain)
    return from_rows(_fixed(offsets, data, rows, width), plain), plain


def plain_amounts(arr: pa.Array, notation: str, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """(unscaled value, plain) of amounts written plainly: an optional minus, one to seven ASCII digits, and in
    ``notation`` ("nl": a comma, "en": a dot) one to ``scale`` decimals (``189,37``, ``-7,5``, ``12``); the value
    times ``10 ** scale``, as ``schema.cast`` reads them into ``decimal(18, scale)``.  Seven digits at most: no
    plain amount is then a BSN or a phone number written as one (``schema._bare_bsn``).  Every other value is
    not plain (the caller casts it as before)."""
    separator = {"nl": ord(","), "en": ord(".")}[notation]
    offsets, data = buffers(arr)
    lengths = np.diff(offsets)
    n, present = len(arr), valid(arr)
    unscaled, plain = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    for length in np.unique(lengths[present & (lengths >= 1) & (lengths <= 9 + scale)]).tolist():
        rows = np.flatnonzero((lengths == length) & present)
        b = _fixed(offsets, data, rows, length)
        digit, point = _DIGIT[b], b == separator
        negative = (b[:, 0] == ord("-")).astype(np.int64)
        has_point = point.any(axis=1)
        at = np.where(has_point, point.argmax(axis=1), length)   # the separator's position, or the end
        whole, fraction = at - negative, np.where(has_point, length - at - 1, 0)
        ok = ((~digit).sum(axis=1) == negative + has_point) & (whole >= 1) & (whole <= 7)
        ok &= ~has_point | ((fraction >= 1) & (fraction <= scale))
        # Each digit's power of ten in the unscaled value: scale + places before the separator, or after it.
        position = np.arange(length)[None, :]
        power = np.where(position < at[:, None], at[:, None] - 1 - position + scale, scale - (position - at[:, None]))
        value = (np.where(digit, b - 48, 0).astype(np.int64) * _POW10[np.clip(power, 0, 18)]).sum(axis=1)
        unscaled[rows[ok]] = np.where(negative[ok] == 1, -value[ok], value[ok])
        plain[rows[ok]] = True
    return unscaled, plain


_POW10 = 10 ** np.arange(19, dtype=np.int64)


def decimals(unscaled: np.ndarray, present: np.ndarray, scale: int) -> pa.Array:
    """A ``decimal128(18, scale)`` array of unscaled values (little-endian 128-bit two's complement), null where not
    ``present``."""
    words = np.empty((len(unscaled), 2), dtype=np.int64)
    words[:, 0], words[:, 1] = unscaled, np.where(unscaled < 0, -1, 0)
    nulls = len(present) - int(present.sum())
    bitmap = pa.py_buffer(np.packbits(present, bitorder="little")) if nulls else None
    return pa.Array.from_buffers(pa.decimal128(18, scale), len(present), [bitmap, pa.py_buffer(words)], null_count=nulls)


def normal_forms(arr: pa.Array, separators: str, upper: bool, zero_pad: bool) -> tuple[pa.Array, np.ndarray]:
    """(normal form, decided) of number-like values (``pseudonyms.normalise`` of a BSN, AGB, IBAN, member number ...)
    for values of ASCII without NUL, on the bytes: whitespace stripped at both ends, the ``separators`` removed,
    upper-cased (``upper``), eight digits zero-padded to nine (``zero_pad``: a BSN).  Undecided (null) for any other
    value: the caller normalises it one by one."""
    offsets, data = buffers(arr)
    n = len(arr)
    lengths = np.diff(offsets).astype(np.int64)
    start = int(offsets[0])
    body = data[start:int(offsets[-1])]
    owner = np.repeat(np.arange(n), lengths)
    odd = np.bincount(owner[(body >= 0x80) | (body == 0)], minlength=n) > 0
    decided = valid(arr) & ~odd
    trimmed = pc.utf8_trim_whitespace(arr)   # the same whitespace as str.strip for ASCII
    t_offsets, t_data = buffers(trimmed)
    t_lengths = np.diff(t_offsets).astype(np.int64)
    t_body = t_data[int(t_offsets[0]):int(t_offsets[-1])]
    t_owner = np.repeat(np.arange(n), t_lengths)
    drop = np.zeros(256, dtype=bool)
    drop[list(separators.encode("ascii"))] = True
    keep = ~drop[t_body]
    new_lengths = np.bincount(t_owner[keep], minlength=n).astype(np.int64)
    kept = t_body[keep]
    if upper:
        kept = np.where((kept >= 97) & (kept <= 122), kept - 32, kept).astype(np.uint8)
    if zero_pad:
        digits = np.bincount(t_owner[keep & _DIGIT[t_body]], minlength=n)
        pad = (new_lengths == 8) & (digits == 8)
        if pad.any():   # a zero before each padded value's bytes
            at = np.concatenate([[0], np.cumsum(new_lengths)])[:-1][pad]
            kept = np.insert(kept, at, ord("0"))
            new_lengths = new_lengths + pad
    new_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(new_lengths, out=new_offsets[1:])
    nulls = n - int(decided.sum())
    bitmap = pa.py_buffer(np.packbits(decided, bitorder="little")) if nulls else None
    out = pa.Array.from_buffers(pa.large_string(), n, [bitmap, pa.py_buffer(new_offsets), pa.py_buffer(kept)],
                                null_count=nulls)
    return out.cast(pa.string()), decided


def already_normal(arr: pa.Array, upper: bool, zero_pad: bool) -> np.ndarray:
    """Values that are their own normal form for the number-like types, read on the bytes: ASCII letters and digits
    only (upper-case letters when ``upper``), and not the eight digits a BSN pads (``zero_pad``).  One table look-up
    over the data; only the few values holding another byte are found by their offsets."""
    offsets, data = buffers(arr)
    lengths = np.diff(offsets)
    body = data[int(offsets[0]):int(offsets[-1])]
    allowed = _UPPER_ALNUM if upper else _ALNUM
    same = valid(arr).copy()
    other = np.flatnonzero(~allowed[body])
    if len(other):   # the value holding each such byte: the last offset at or before it
        same[np.searchsorted(offsets[1:] - offsets[0], other, side="right")] = False
    if zero_pad:
        eight = np.flatnonzero(lengths == 8)
        if len(eight):
            same[eight[_DIGIT[_fixed(offsets, data, eight, 8)].all(axis=1)]] = False
    return same


def plain_dates(arr: pa.Array) -> tuple:
    """(year, month, day, format, plain) of dates written plainly in the column's main format, ``dd-mm-jjjj``
    (``%d-%m-%Y``) or ``jjjj-mm-dd`` (``%Y-%m-%d``): ten bytes, ASCII digits and dashes (``operators.real_dates``
    decides which are dates).  The format is the one most values have (None when no value has either); every
    other value is not plain."""
    offsets, data = buffers(arr)
    n = len(arr)
    rows = np.flatnonzero((np.diff(offsets) == 10) & valid(arr))
    b = _fixed(offsets, data, rows, 10)
    best = None
    for fmt, digits, dashes in (("%d-%m-%Y", (6, 7, 8, 9, 3, 4, 0, 1), (2, 5)), ("%Y-%m-%d", (0, 1, 2, 3, 5, 6, 8, 9), (4, 7))):
        ok = (b[:, dashes[0]] == 45) & (b[:, dashes[1]] == 45)
        for i in digits:
            ok &= _DIGIT[b[:, i]]
        if best is None or ok.sum() > best[2].sum():
            best = (fmt, digits, ok)
    plain = np.zeros(n, dtype=bool)
    year, month, day = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    if best is None or not best[2].any():
        return year, month, day, None, plain
    fmt, at, ok = best
    d = [b[:, i].astype(np.int64) - 48 for i in at]   # year, month, day digits
    plain[rows] = ok
    year[rows] = np.where(ok, d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3], 0)
    month[rows], day[rows] = np.where(ok, d[4] * 10 + d[5], 0), np.where(ok, d[6] * 10 + d[7], 0)
    return year, month, day, fmt, plain


def merge(first: pa.Array, where: np.ndarray, second: pa.Array) -> pa.Array:
    """One array of ``len(where)`` values: ``first``'s in order where ``where``, ``second``'s in order elsewhere."""
    at = np.empty(len(where), dtype=np.int64)
    at[where] = np.arange(int(where.sum()))
    at[~where] = len(first) + np.arange(int((~where).sum()))
    return pa.concat_arrays([first.cast(pa.string()), second.cast(pa.string())]).take(pa.array(at))
