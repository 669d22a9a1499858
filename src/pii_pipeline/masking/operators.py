"""The operators, each applied to one column of a chunk (a pandas Series of strings).

Every operator returns the new column and a boolean array marking the rows it
could not transform (a birth date that is not a date, a postcode that is not a
postcode); the caller quarantines those rows.  Work is done once per distinct
value, which is what makes a million-row column fast: birth dates, postcodes
and even BSNs repeat.

>>> import pandas as pd
>>> generalize(pd.Series(["1984-03-12", "02-01-1930", "x"]), "age_band", dt.date(2026, 1, 1), 10, 90)[0].tolist()
['40-49', '90+', nan]
>>> generalize(pd.Series(["1012 AB", "9999zz"]), "pc3", None, 10, None)[0].tolist()
['101', '999']
>>> redact(pd.Series(["123456782", ""]), "NL_BSN").tolist()
['<NL_BSN>', nan]
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Callable, Optional, Sequence

import numpy as np
import pandas as pd

from recognizers.entities import TEXT_ENTITY_NAMES
from recognizers.identifiers import postcode
from recognizers.identifiers.dates import from_excel_serial, parse as parse_dutch_date



def _empty(values: pd.Series) -> np.ndarray:
    """Missing or blank cells (``str.strip() == ""``), on the column's bytes (:func:`.kernels.blank`)."""
    from . import kernels

    return kernels.blank(kernels.strings(values))


def map_unique(values: pd.Series, fn: Callable[[str], Optional[str]]) -> tuple[pd.Series, np.ndarray]:
    """Apply ``fn`` once per distinct non-empty value; ``fn`` returns None for a value it cannot transform."""
    codes, uniques = pd.factorize(values)
    uniques = uniques.tolist()
    mapped = [fn(v) if isinstance(v, str) and v.strip() else None for v in uniques]
    failed = np.array([m is None and isinstance(v, str) and bool(v.strip()) for v, m in zip(uniques, mapped)] + [False])
    lookup = pd.array(mapped + [None], dtype="str")
    return pd.Series(lookup.take(codes), index=values.index, dtype="str"), failed[codes]


MEMO_SIZE = 200_000   # distinct values whose result a column remembers across chunks (then it starts again)


def on_distinct(values: pd.Series, fn: Callable[[pd.Series], tuple], memo: Optional[dict] = None) -> Optional[tuple]:
    """``fn`` (a column -> (result, rows it could not transform)) applied once per distinct value and taken
    back to the rows: Arrow's hash encoding, in C.  ``fn`` must be row-wise (a value's result does not
    depend on the other rows or their order: the distinct values keep the order of first appearance) and
    must leave a missing value missing and not failed.  The result is an Arrow array, or a string Series
    when ``fn`` gives one; None when ``values`` is not a string column (the caller applies ``fn`` itself).
    A column of treatment dates holds a few hundred dates in 50,000 rows, an amount column a few thousand.
    ``memo`` (a dict kept by the caller, for an ``fn`` giving strings): results remembered across chunks, so
    a birth date is parsed once per process, not once per chunk.

    >>> out, bad = on_distinct(pd.Series(["a", "b", "a", None], dtype="str"), lambda s: (s.str.upper(), (s == "b").to_numpy()))
    >>> out.tolist(), bad.tolist()
    (['A', 'B', 'A', nan], [False, True, False, False])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(values.dtype, pd.StringDtype) or values.dtype.storage != "pyarrow":
        return None
    arr = pa.array(values.array)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    encoded = pc.dictionary_encode(arr)
    if len(encoded.dictionary) > 0.5 * len(arr):
        return None   # mostly distinct: encoding and taking back would cost more than it saves
    distinct = pd.Series(pd.arrays.ArrowStringArray(encoded.dictionary), dtype=values.dtype)
    if memo is not None:
        out, bad = _remembered(distinct, fn, memo)
    else:
        out, bad = fn(distinct)
    at = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    bad = np.append(np.asarray(bad, dtype=bool), False)[at]
    if isinstance(out, pd.Series):
        taken = pa.array(out.array).take(encoded.indices)
        return pd.Series(pd.arrays.ArrowStringArray(taken), index=values.index, dtype=values.dtype), bad
    return out.take(encoded.indices), bad


_KNOWN = "__arrow__"   # the memo dict's one entry: (values, results, failed), Arrow arrays in first-seen order


def _remembered(distinct: pd.Series, fn: Callable[[pd.Series], tuple], memo: dict) -> tuple[pd.Series, np.ndarray]:
    """``fn`` of distinct values, each computed once while ``memo`` holds it (at most :data:`MEMO_SIZE`).
    Column-wise: the values remembered are probed against the chunk's (``pyarrow.compute.index_in``), the
    results taken from them; only values never seen go to ``fn``."""
    import pyarrow as pa

    from .pseudonyms import positions_in

    values = pa.array(distinct.array)
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    # The remembered values' type: probing string values with large_string ones cast them on every call (2x the time).
    values = values if values.type == pa.string() else values.cast(pa.string())
    known, results, failed = memo.get(_KNOWN) or (pa.array([], pa.string()), pa.array([], pa.string()),
                                                  np.zeros(0, dtype=bool))
    where = positions_in(known, values)
    new = where < 0
    if new.any():
        if len(known) + int(new.sum()) > MEMO_SIZE:   # start again: every value of this chunk is new
            known, results, failed = pa.array([], pa.string()), pa.array([], pa.string()), np.zeros(0, dtype=bool)
            new[:] = True
        out, bad = fn(distinct[new].reset_index(drop=True))
        where[new] = len(known) + np.arange(int(new.sum()))
        known = pa.concat_arrays([known, values.filter(pa.array(new))])
        results = pa.concat_arrays([results, pa.array(pd.Series(out, dtype="str").array).cast(pa.string())])
        failed = np.concatenate([failed, np.asarray(bad, dtype=bool)])
        memo[_KNOWN] = (known, results, failed)
    return pd.Series(pd.arrays.ArrowStringArray(results.take(pa.array(where))), dtype=distinct.dtype), failed[where]


def _parse_date(value: str) -> Optional[dt.date]:
    value = value.strip()
    # Timestamps (2026-10-06T10:54:00, 2026-10-06 10:54): the date part.
    if len(value) > 10 and value[10] in "T ":
        value = value[:10]
    return parse_dutch_date(value) or from_excel_serial(value)


def age_at(born: dt.date, reference: dt.date) -> int:
    return reference.year - born.year - ((reference.month, reference.day) < (born.month, born.day))


def age_band(age: int, width: int, top_code: Optional[int]) -> str:
    """``age_band(47, 10, 90)`` -> ``'40-49'``; at or above the top code one open band.

    >>> age_band(47, 10, 90), age_band(93, 10, 90), age_band(4, 5, None)
    ('40-49', '90+', '0-4')
    """
    if top_code is not None and age >= top_code:
        return f"{top_code}+"
    low = age // width * width
    high = low + width - 1
    if top_code is not None:
        high = min(high, top_code - 1)
    return f"{low}-{high}"


def _dates(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse a column of dates once per distinct value (birth dates repeat: a person has many claims)."""
    codes, uniques = pd.factorize(values.astype("str"))
    parsed, bad = _distinct_dates(pd.Series(uniques, dtype="str"))
    if not len(uniques):   # every cell missing (a Parquet column of nulls): nothing to take from
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]"), np.zeros(len(values), dtype=bool)
    taken = parsed.to_numpy()[codes]
    taken[codes < 0] = np.datetime64("NaT")
    return pd.Series(taken, index=values.index, dtype="datetime64[s]"), np.where(codes < 0, False, bad[codes])


_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def fixed_dates(texts: list, fmt: str) -> tuple[np.ndarray, np.ndarray]:
    """Dates written ``%Y-%m-%d`` or ``%d-%m-%Y`` (ten characters) read column-wise from their digits, as
    ``pandas.to_datetime(..., format=fmt, errors="coerce")`` reads them (no month 13, no 29 February outside a
    leap year, the years 0000-9999 in ISO dates and 0001-9999 otherwise), at a tenth of its cost: (datetime64[s], decided).  A value with a
    character other than an ASCII digit where a digit belongs is not decided (the caller asks pandas).

    >>> d, ok = fixed_dates(["2020-02-29", "2021-02-29", "2020-13-01", "0000-01-01", "2020-0x-01"], "%Y-%m-%d")
    >>> [str(x) for x in d[:4]], ok.tolist()
    (['2020-02-29T00:00:00', 'NaT', 'NaT', '0000-01-01T00:00:00'], [True, True, True, True, False])
    >>> str(fixed_dates(["31-12-1999"], "%d-%m-%Y")[0][0])
    '1999-12-31T00:00:00'
    """
    chars = np.array(texts, dtype="U10").view(np.uint32).reshape(len(texts), 10).astype(np.int64) - 48
    year_at, month_at, day_at = ((0, 5, 8) if fmt == "%Y-%m-%d" else (6, 3, 0))
    digit_at = [year_at, year_at + 1, year_at + 2, year_at + 3, month_at, month_at + 1, day_at, day_at + 1]
    digits = chars[:, digit_at]
    decided = ((digits >= 0) & (digits <= 9)).all(axis=1)
    digits = np.where(decided[:, None], digits, 0)
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month, day = digits[:, 4] * 10 + digits[:, 5], digits[:, 6] * 10 + digits[:, 7]
    good = decided & real_dates(year, month, day, fmt)
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    out = (months.astype("datetime64[D]") + (day - 1)).astype("datetime64[s]")
    out[~good] = np.datetime64("NaT")
    return out, decided


def real_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray, fmt: str) -> np.ndarray:
    """Which (year, month, day) are dates as pandas reads ``fmt``: no month 13, no 29 February outside a leap
    year, the year 0000 in ISO dates only (Python's strptime has no year 0)."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    good = (month >= 1) & (month <= 12) & (day >= 1)
    good &= day <= _DAYS[np.clip(month, 0, 12)] + (leap & (month == 2))
    if fmt != "%Y-%m-%d":
        good &= year > 0
    return good


def _distinct_dates(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse a column of dates: vectorised for the common notations, :func:`parse_dutch_date` for the rest."""
    text = values.astype("str").str.strip().str.slice(0, 10)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
    for fmt, pattern in (("%Y-%m-%d", r"\d{4}-\d{2}-\d{2}"), ("%d-%m-%Y", r"\d{2}-\d{2}-\d{4}")):
        hit = text.str.fullmatch(pattern).fillna(False)
        if hit.any():
            dates, decided = fixed_dates(text[hit].tolist(), fmt)
            if not decided.all():   # digits of another script: pandas decides, as before
                dates[~decided] = pd.to_datetime(text[hit][~decided], format=fmt, errors="coerce").to_numpy("datetime64[s]")
            parsed[hit] = dates
    rest = parsed.isna() & ~_empty(values)
    if rest.any():
        # Other notations (12 mrt. 1985, 12/03/1985, 19850312) and impossible dates: one by one.
        def iso(value: str) -> Optional[str]:
            d = _parse_date(value)
            return d.isoformat() if d else None

        parsed[rest] = pd.to_datetime(map_unique(values[rest], iso)[0], format="%Y-%m-%d", errors="coerce")
    return parsed, (parsed.isna() & ~_empty(values)).to_numpy()


def _labels(numbers: np.ndarray, valid: np.ndarray, make) -> pd.Series:
    """Strings from integer codes, made once per distinct code and taken to the rows in Arrow."""
    import pyarrow as pa

    codes, distinct = pd.factorize(numbers[valid])
    at = np.zeros(len(numbers), dtype=np.int64)
    at[valid] = codes
    labels = pa.array([make(int(c)) for c in distinct], pa.string())
    out = labels.take(pa.array(at, mask=~valid)) if len(distinct) else pa.nulls(len(numbers), pa.string())
    return pd.Series(pd.arrays.ArrowStringArray(out), dtype="str")


def _postcode_areas(values: pd.Series, width: int, empty: np.ndarray, memo: Optional[dict] = None) -> tuple[pd.Series, np.ndarray]:
    """Postcode areas: on the bytes for the plain notations (``1234 AB``, ``1234ab``, ``1234``: the area is the
    first digits, :func:`.kernels.postcode_areas`), the postcode module's rules (:func:`postcode_area`) for every
    other value, remembered in ``memo`` (kept by the caller across chunks; at most :data:`MEMO_SIZE` values)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from . import kernels

    arr = kernels.strings(values)
    areas, plain = kernels.postcode_areas(arr, width)
    rest = ~plain & ~empty
    bad = np.zeros(len(arr), dtype=bool)
    if rest.any():
        memo, others = {} if memo is None else memo, arr.filter(pa.array(rest)).to_pylist()
        if len(memo) + len(others) > MEMO_SIZE:   # start again (bounded)
            memo.clear()
        found = []
        for v in others:
            if v not in memo:
                memo[v] = postcode_area(v, width)
            found.append(memo[v])
        bad[rest] = [f is None for f in found]
        areas = pc.replace_with_mask(areas, pa.array(rest), pa.array(found, pa.string()))
    return pd.Series(pd.arrays.ArrowStringArray(areas), index=values.index, dtype="str"), bad


def postcode_area(value: str, width: int) -> Optional[str]:
    """The area of a full postcode (recognizers.identifiers.postcode) or of its four digits alone; None if neither.

    >>> postcode_area("NL-1234 ab", 4), postcode_area("1234", 3), postcode_area("1234 SA", 4)
    ('1234', '123', None)
    """
    code = postcode.compact(value)
    ok = postcode.is_valid(code) or (len(code) == 4 and code.isdigit() and code[0] != "0")
    return code[:width] if ok else None


def generalize(values: pd.Series, to: str, reference: Optional[dt.date], band_width: int,
               top_code: Optional[int], memo: Optional[dict] = None) -> tuple[pd.Series, np.ndarray]:
    """``values`` generalised (age band, birth year, month, year, pc4/pc3) and the rows that are no date or
    postcode: once per distinct value (:func:`on_distinct`; with ``memo``, once per process)."""
    if to in ("pc4", "pc3"):   # read on the bytes: no distinct values needed
        return _generalize(values, to, reference, band_width, top_code, memo)
    import pyarrow as pa

    from . import kernels

    arr = kernels.strings(values)
    year, month, day, fmt, plain = kernels.plain_dates(arr)
    if fmt is not None:
        plain &= real_dates(year, month, day, fmt)   # a plain value that is no date: the Dutch date parser decides
    if fmt is None or not plain.any():
        return _generalize_distinct(values, to, reference, band_width, top_code, memo)
    # Dates written plainly (24-03-1961) are read on their bytes; every other value as before.
    n = int(plain.sum())
    out, bad = _date_labels(year[plain], month[plain], day[plain], np.ones(n, dtype=bool), np.zeros(n, dtype=bool),
                            to, reference, band_width, top_code)
    labels, failed = kernels.strings(out), np.zeros(len(arr), dtype=bool)
    failed[plain] = bad
    if not plain.all():
        others = pd.Series(pd.arrays.ArrowStringArray(arr.filter(pa.array(~plain))), dtype="str")
        rest, failed[~plain] = _generalize_distinct(others, to, reference, band_width, top_code, memo)
        labels = kernels.merge(labels, plain, kernels.strings(rest))
    return pd.Series(pd.arrays.ArrowStringArray(labels), index=values.index, dtype="str"), failed


def _generalize_distinct(values: pd.Series, to: str, reference, band_width: int, top_code, memo) -> tuple:
    done = on_distinct(values, lambda distinct: _generalize(distinct, to, reference, band_width, top_code), memo)
    return done if done is not None else _generalize(values, to, reference, band_width, top_code)


def _generalize(values: pd.Series, to: str, reference: Optional[dt.date], band_width: int,
                top_code: Optional[int], memo: Optional[dict] = None) -> tuple[pd.Series, np.ndarray]:
    empty = _empty(values)
    if to in ("pc4", "pc3"):   # memo: postcodes in other notations (dates: see generalize)
        return _postcode_areas(values, 4 if to == "pc4" else 3, empty, memo)
    dates, bad = _dates(values)
    valid = dates.notna().to_numpy()
    year = dates.dt.year.fillna(0).astype(int).to_numpy()
    month = dates.dt.month.fillna(0).astype(int).to_numpy()
    day = dates.dt.day.fillna(0).astype(int).to_numpy()
    out, bad = _date_labels(year, month, day, valid, bad, to, reference, band_width, top_code)
    return out.set_axis(values.index), bad


def _date_labels(year: np.ndarray, month: np.ndarray, day: np.ndarray, valid: np.ndarray, bad: np.ndarray, to: str,
                 reference: Optional[dt.date], band_width: int, top_code: Optional[int]) -> tuple[pd.Series, np.ndarray]:
    """The labels of dates (``valid``: a date was read) generalised ``to`` month, year, birth year or age band,
    and the rows that failed (``bad``, and birth dates no one alive has)."""
    reference = reference or dt.date.today()
    if to == "month":
        out = _labels(year * 100 + month, valid, lambda c: f"{c // 100:04d}-{c % 100:02d}")
    elif to == "year":
        out = _labels(year, valid, lambda c: f"{c:04d}")
    else:
        age = reference.year - year - ((reference.month * 100 + reference.day) < (month * 100 + day))
        # A birth date after the reference date, or more than 125 years before it, is not a birth date.
        plausible = valid & (age >= 0) & (age <= 125)
        bad = bad | (valid & ~plausible)
        if to == "birth_year":
            out = _labels(year, plausible, lambda c: f"{c:04d}")
        else:
            out = _labels(age, plausible, lambda a: age_band(a, band_width, top_code))
    return out, bad


def pseudonymize_file_names(values: pd.Series, pseudonymizer) -> pd.Series:
    """``scan_jansen_001.jpg`` -> ``<pseudonym of the whole name>.jpg``: the name and numbers go, the type stays.

    >>> from pii_pipeline.masking.pseudonyms import Pseudonymizer
    >>> out = pseudonymize_file_names(pd.Series(["scan_jansen_001.JPG"]), Pseudonymizer(b"k" * 32, "d"))[0]
    >>> out.endswith(".jpg"), "jansen" in out, len(out)
    (True, False, 20)
    """
    def rename(v: str) -> str:
        stem, dot, ext = v.strip().rpartition(".")
        extension = f".{ext.lower()}" if dot and ext.isalnum() and len(ext) <= 5 else ""
        return pseudonymizer.pseudonym("FILE_NAME", v.strip(), 16) + extension

    return map_unique(values, rename)[0]


def redact(values: pd.Series, entity: Optional[str]) -> pd.Series:
    tag = f"<{entity or 'REDACTED'}>"
    return pd.Series(np.where(_empty(values), None, tag), index=values.index, dtype="str")


MAX_ROUNDS = 4
TOKEN_LENGTH = 10   # hex characters of a pseudonym token in free text: <PERSON:3fa2b1c9d0>


def text_token(entity: str, pseudonym: str) -> str:
    """The token free text holds for a value whose pseudonym is ``pseudonym`` (its first characters):
    written by :func:`mask_text`, searched by ``rights.locate``."""
    return f"<{entity}:{pseudonym[:TOKEN_LENGTH]}>"

# A tag that holds no value, wherever it stands: a known entity's type tag (<PERSON>) or a pseudonym
# token of this module's length with a hex letter (<LOCATION:3fa2b1c9d0>), as in text masked before.
# A tag-shaped wrapper around a value (<B:19012345601>, <NL_BSN:1234567820>) is no such tag: the
# detector must read it.
_VALUE_FREE_TAG = re.compile(r"<(?:%s)(?::(?=[0-9]{0,%d}[a-f])[0-9a-f]{%d})?>"
                             % ("|".join(TEXT_ENTITY_NAMES), TOKEN_LENGTH - 1, TOKEN_LENGTH))


def _neutral(text: str, written: Sequence[tuple[int, int]] = ()) -> str:
    """The text with the tags this call of :func:`mask_text` wrote (``written``: their spans) and tags
    that hold no value replaced by neutral filler of the same length, so a tag is never context for a
    new finding.

    ``Ziekenhuis <LOCATION>`` must not make the word before it a person's name: the
    detector sees ``Ziekenhuis ··········`` (positions unchanged).

    >>> _neutral("zie <B:19012345601>, <PERSON> en X", [(33, 34)])
    'zie <B:19012345601>, ········ en ·'
    """
    chars = list(_VALUE_FREE_TAG.sub(lambda m: "\u00b7" * len(m.group()), text))
    for start, end in written:
        chars[start:end] = "\u00b7" * (end - start)
    return "".join(chars)


def _findings(text: str, detector, sweep: bool, written: Sequence[tuple[int, int]] = ()) -> list:
    """Detector findings and sweep findings (identifiers with proof), without overlaps or tag overlaps."""
    from .sweep import merge_overlaps

    neutral = _neutral(text, written)
    found = _read(neutral, detector, sweep)
    found = [f for f in found if "\u00b7" not in neutral[f.start:f.end]]
    return merge_overlaps(found + _across_input_tags(text, neutral, detector, sweep, written))


def _read(text: str, detector, sweep: bool) -> list:
    from .sweep import find as sweep_find

    found = [_whole_name(text, f) for f in detector.detect(text)] if detector is not None else []
    return found + (sweep_find(text) if sweep else [])


def _input_tags(text: str, written: Sequence[tuple[int, int]]) -> list:
    """Spans of the value-free tags the text held before this call of :func:`mask_text` (it wrote the others),
    and of its characters that print as nothing (``sweep.INVISIBLE``: a soft hyphen inside a number)."""
    from .sweep import invisible_spans

    ours = {start for start, _ in written}
    tags = [m.span() for m in _VALUE_FREE_TAG.finditer(text) if m.start() not in ours]
    hidden = invisible_spans(text)
    return sorted(tags + hidden) if hidden else tags


def _across_input_tags(text: str, neutral: str, detector, sweep: bool, written: Sequence[tuple[int, int]]) -> list:
    """Findings that run through a value-free tag of the input (``1234<NL_BSN>56782``, ``jan<PERSON>@example.nl``)
    or a character that prints as nothing: the filler hiding the tag cuts the value in halves no recognizer
    accepts, so the text is read once more with those taken out, and a finding across one is masked with it."""
    from .sweep import Finding, without

    tags = _input_tags(text, written)
    if not tags:
        return []
    view, back = without(neutral, tags)
    out = []
    for f in _read(view, detector, sweep):
        start, end = back(f.start, f.end)
        if end - start != f.end - f.start and "\u00b7" not in view[f.start:f.end]:   # something stood inside it
            out.append(Finding(getattr(f, "entity_type", None) or f.entity, start, end))
    return out


_NAME_AFTER = re.compile(r"(?:\s(?i:van|de|der|den|ter|ten|te|el|het|'t))*\s([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)")
# after a line break, a word before a colon, a dot or a number is the next line's label ("Naam: P. de Boer\nNr: ...")
_LABEL_AFTER = re.compile(r"[^\S\n]*(?:[:.]|\d)")
_INITIALS_BEFORE = re.compile(r"(?:[A-Z]\.[^\S\n]?){1,4}[^\S\n]?$")


def _whole_name(text: str, f):
    """A PERSON finding grown over the rest of the same name: initials before it, and particles with a
    capitalised surname after it (``Noor`` -> ``Noor Bos``), so no part of a name is left behind."""
    if getattr(f, "entity_type", None) != "PERSON":
        return f
    from recognizers.lexicon import load_lexicon

    start, end = f.start, f.end
    m = _NAME_AFTER.match(text, end)
    if m and (load_lexicon().is_surname(m.group(1)) or not load_lexicon().is_common_word(m.group(1).lower())) \
            and not ("\n" in m.group() and _LABEL_AFTER.match(text, m.end())):
        end = m.end()
    before = _INITIALS_BEFORE.search(text[max(0, start - 12):start])
    if before:
        start -= len(text[max(0, start - 12):start]) - before.start()
    return f if (start, end) == (f.start, f.end) else type(f)(f.entity_type, start, end, f.score)


def _entity(f) -> str:
    return f.entity


def mask_text(text: str, detector, pseudonymizer=None, counts: Optional[Counter] = None, sweep: bool = True,
              rounds: Optional[dict] = None) -> str:
    """Replace every entity the detector (and the value sweep) finds by its tag, to a fixed point.

    After a round of masking the result is read again, with the tags written
    so far hidden from the detector, and what is found is masked too, until a
    round finds nothing new (at most ``MAX_ROUNDS``).  ``pseudonymizer`` makes
    ``<PERSON:3fa2b1c9d0>`` tokens: the same name gives the same token
    everywhere, so analysts can still see that two notes are about one person.

    ``rounds`` (a dict the caller keeps for one detector) remembers the findings of the later rounds by
    the text the detector read: a tag is hidden by filler of its own length and a token's length is
    fixed per type, so notes of one template that differ only in the name or number masked read the
    same in round two (``Verzekerde ··················· belde``), which is then detected once.
    """
    written: list = []  # spans of the tags this call wrote, in the current text
    for n in range(MAX_ROUNDS):
        if n and rounds is not None:
            findings = _remembered_findings(text, detector, sweep, rounds, written)
        else:
            findings = _findings(text, detector, sweep, written)
        if not findings:
            return text
        parts, last, length, tags = [], 0, 0, []
        earlier = iter(written)
        shift, pending = 0, next(earlier, None)
        for f in findings:
            entity = _entity(f)
            # Tags of earlier rounds before this finding move by what the findings before them changed.
            while pending is not None and pending[0] < f.start:
                tags.append((pending[0] + shift, pending[1] + shift))
                pending = next(earlier, None)
            parts.append(text[last:f.start])
            length += f.start - last
            if pseudonymizer is not None:
                tag = text_token(entity, pseudonymizer.pseudonym(entity, text[f.start:f.end], TOKEN_LENGTH))
            else:
                tag = f"<{entity}>"
            parts.append(tag)
            tags.append((length, length + len(tag)))
            length += len(tag)
            shift += len(tag) - (f.end - f.start)
            last = f.end
            if counts is not None:
                counts[entity] += 1
        while pending is not None:
            tags.append((pending[0] + shift, pending[1] + shift))
            pending = next(earlier, None)
        parts.append(text[last:])
        text, written = "".join(parts), tags
    return text  # still not settled: the output sweep withholds the cell if an identifier is left


MEMO_TEXTS = 100_000  # masked texts remembered across chunks (a remark recurs over the file), ~ tens of MB
# ... of at most this many characters: a longer text (a letter, an e-mail) rarely recurs, and 100,000 of them
# would hold gigabytes in every memo of every process.  Bound: MEMO_TEXTS x MEMO_TEXT_CHARS per memo.
MEMO_TEXT_CHARS = 1_000


def _remembered_findings(text: str, detector, sweep: bool, rounds: dict, written=()) -> list:
    """:func:`_findings`, remembered by what the detector reads (it depends on nothing else)."""
    if len(text) > MEMO_TEXT_CHARS:
        return _findings(text, detector, sweep, written)
    neutral = _neutral(text, written)
    key = (neutral, sweep, tuple(_input_tags(text, written)))   # the input's tags are read across (written ones not)
    found = rounds.get(key)
    if found is None:
        if len(rounds) >= MEMO_TEXTS:
            rounds.clear()
        found = rounds[key] = _findings(text, detector, sweep, written)
    return found


def mask_text_series(values: pd.Series, detector, pseudonymizer=None, counts: Optional[Counter] = None,
                     memo: Optional[dict] = None, known: Optional[dict] = None, rounds: Optional[dict] = None) -> pd.Series:
    """:func:`mask_text` once per distinct text (templates and repeated remarks are common).  ``memo`` (a dict
    kept by the caller across the chunks of one column) remembers masked texts: :func:`mask_text` depends on
    the text alone, so a text seen in an earlier chunk is not detected again.  ``known``: texts masked elsewhere
    (by another worker, :mod:`.textmemo`), read only, looked up first; ``rounds``: see :func:`mask_text`."""
    per_value: Counter = Counter()
    codes, uniques = pd.factorize(values)
    masked, found = [], []
    memo = {} if memo is None else memo
    for v in uniques:
        if not (isinstance(v, str) and v.strip()):
            masked.append(None)
            found.append(Counter())
            continue
        ahead = known.get(v) if known else None
        if ahead is not None:
            text, local = ahead
        else:
            done = memo.get(v)
            if done is None:
                local = Counter()
                done = (mask_text(v, detector, pseudonymizer, local, rounds=rounds), local)
                if len(v) <= MEMO_TEXT_CHARS:
                    if len(memo) >= MEMO_TEXTS:
                        memo.clear()
                    memo[v] = done
            text, local = done
        masked.append(text)
        found.append(local)
    if counts is not None:
        frequency = np.bincount(codes[codes >= 0], minlength=len(uniques))
        for local, n in zip(found, frequency):
            for entity, c in local.items():
                per_value[entity] += c * int(n)
        counts.update(per_value)
    lookup = pd.array(masked + [None], dtype="str")
    return pd.Series(lookup.take(codes), index=values.index, dtype="str")
