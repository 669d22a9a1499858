"""Column-wise kernels of the transform (issue 14) against what they replace: the date reader against pandas'
``to_datetime`` with the same format, and the pseudonym cache's integer codes (one code per normal form)."""

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from pii_pipeline.masking.operators import fixed_dates
from pii_pipeline.masking.pseudonyms import Pseudonymizer, _codes

_DIGIT = st.sampled_from("0123456789")
_ODD = st.sampled_from("0123456789٣１x")   # another script's digit, a full-width one, a letter


def _date(year_first: bool, digit):
    four = st.tuples(digit, digit, digit, digit).map("".join)
    two = st.one_of(st.tuples(digit, digit).map("".join), st.sampled_from(["01", "02", "12", "13", "00", "29", "30", "31"]))
    parts = st.tuples(four, two, two) if year_first else st.tuples(two, two, four)
    return parts.map("-".join)


@settings(max_examples=200, deadline=None)
@given(year_first=st.booleans(), data=st.data())
def test_fixed_dates_read_as_pandas_reads_them(year_first, data):
    fmt = "%Y-%m-%d" if year_first else "%d-%m-%Y"
    texts = data.draw(st.lists(_date(year_first, st.one_of(_DIGIT, _DIGIT, _ODD)), min_size=1, max_size=30))
    got, decided = fixed_dates(texts, fmt)
    want = pd.to_datetime(pd.Series(texts, dtype="str"), format=fmt, errors="coerce").to_numpy("datetime64[s]")
    assert decided.tolist() == [all(c in "0123456789-" for c in t) for t in texts]
    assert [str(g) for g in got[decided]] == [str(w) for w in want[decided]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789AZaz é", max_size=14), max_size=40, unique=True))
def test_codes_name_one_value_each(values):
    codes, ok = _codes(pa.array(values, pa.string()))
    assert ok.tolist() == [1 <= len(v) <= 12 and all(c in "0123456789AZ" for c in v) for v in values]
    assert len(set(codes[ok].tolist())) == int(ok.sum())   # distinct values, distinct codes


def test_cached_pseudonyms_over_many_chunks_are_each_values():
    """Numbers found by code and other values found by string, across chunks and a cache reset."""
    import pii_pipeline.masking.pseudonyms as pseudonyms

    p, rng = Pseudonymizer(bytes(range(32)), "t"), np.random.default_rng(1)
    pool = [f"{n:09d}" for n in rng.integers(0, 10**9, 300)] + ["1234 5678", "ab-12", "Z12", "", None]
    saved, pseudonyms.CACHE_SIZE = pseudonyms.CACHE_SIZE, 250
    try:
        for _ in range(6):
            chunk = [pool[i] for i in rng.integers(0, len(pool), 200)]
            got = [None if pd.isna(g) else g for g in p.series("NL_MEMBER_NUMBER", pd.Series(chunk, dtype="str"))]
            assert got == [p.pseudonym("NL_MEMBER_NUMBER", v) if v and v.strip() else None for v in chunk]
    finally:
        pseudonyms.CACHE_SIZE = saved



# ---------------------------------------------------------------- byte kernels (masking/kernels.py)
# Each kernel against the per-value function it stands for, on arbitrary text: ASCII and not, full-width and
# other scripts' digits, NUL, every kind of whitespace, empty and missing cells, and very long values.

import re  # noqa: E402
from decimal import Decimal  # noqa: E402

from pii_pipeline.masking import kernels  # noqa: E402
from pii_pipeline.masking.operators import _generalize, postcode_area  # noqa: E402
from pii_pipeline.masking.pseudonyms import _FAST, normalise, normalise_distinct, normalise_series  # noqa: E402
from pii_pipeline.masking.schema import ColumnType, _cast, cast  # noqa: E402

_SPACES = " \t\n\r\x0b\x0c\x1c\x1f\xa0\u2007\u3000\x85"
_ALPHABET = "0123456789 .,-/+€azAZsSdDé\x00\u00ad１٣" + _SPACES
_TEXT = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=14),
    st.text(max_size=12),                                                   # any code point
    st.builds(lambda d, n: d * n, st.sampled_from(["1", "1 ", "a", "é", "\u3000"]), st.integers(300, 5000)),  # long
    st.sampled_from(["1234 AB", "1234ab", "1234", "1234 sa", "0123 AB", "NL-1234 AB", " 1234 AB", "１２３４ AB",
                     "189,37", "-7,5", "1.250,00", "12345678,00", "0612345678", "123456782", "12345678", "-0,00",
                     "1234567", "12345678", "Z1234567", "z12.345", "", " ", None]),
)
_CELLS = st.lists(st.one_of(st.none(), _TEXT), max_size=30)


def _arrow(cells):
    return pa.array(cells, pa.string())


@settings(max_examples=300, deadline=None)
@given(_CELLS)
def test_blank_is_strip_empty(cells):
    assert kernels.blank(_arrow(cells)).tolist() == [v is None or v.strip() == "" for v in cells]
    series = pd.Series(cells, dtype="str")   # the pandas form the operators used (Arrow's trim)
    assert kernels.blank(kernels.strings(series)).tolist() == (series.isna() | (series.str.strip() == "")).tolist()


@settings(max_examples=200, deadline=None)
@given(_CELLS)
def test_string_cast_blanks_empty_cells(cells):
    arr, bad = cast(pd.Series(cells, dtype="str"), ColumnType())
    assert arr.to_pylist() == [None if v is None or not v.strip() else v for v in cells] and not bad.any()
    if cells:
        pieces = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([_arrow(cells), _arrow(cells[:3])])), dtype="str")
        arr, _ = cast(pieces, ColumnType())   # one array, whatever pieces it came in (it is pickled to the main process)
        assert isinstance(arr, pa.Array)
        assert arr.to_pylist() == [None if v is None or not v.strip() else v for v in cells + cells[:3]]


@settings(max_examples=300, deadline=None)
@given(_CELLS, st.sampled_from([3, 4]))
def test_postcode_areas_as_the_postcode_rule(cells, width):
    areas, plain = kernels.postcode_areas(_arrow(cells), width)
    rule = re.compile(r"[1-9][0-9]{3}(?: ?[A-Za-z]{2})?")
    want_plain = [v is not None and bool(rule.fullmatch(v)) and not re.fullmatch(r"[1-9][0-9]{3} ?[Ss][AaDdSs]", v)
                  for v in cells]
    assert plain.tolist() == want_plain
    assert areas.to_pylist() == [v[:width] if p else None for v, p in zip(cells, want_plain)]
    want = [None if v is None or not v.strip() else postcode_area(v, width) for v in cells]
    memo: dict = {}
    for _ in range(2):   # the second time from the memo of the unusual notations
        out, bad = _generalize(pd.Series(cells, dtype="str"), f"pc{width}", None, 10, None, memo)
        assert [None if isinstance(o, float) else o for o in out.tolist()] == want
        assert bad.tolist() == [v is not None and bool(v.strip()) and w is None for v, w in zip(cells, want)]


def _one_amount(value, column_type):
    arr, bad = _cast(pd.Series([value], dtype="str"), column_type)
    return arr.to_pylist()[0], bool(bad[0])


@settings(max_examples=300, deadline=None)
@given(_CELLS, st.sampled_from(["nl", "en"]), st.sampled_from([2, 3, 6]))
def test_amounts_read_as_the_number_parser_reads_them(cells, notation, scale):
    column_type = ColumnType("decimal", scale, notation=notation)
    unscaled, plain = kernels.plain_amounts(_arrow(cells), notation, scale)
    for v, u, p in zip(cells, unscaled.tolist(), plain.tolist()):
        if p:
            assert _one_amount(v, column_type) == (Decimal(u).scaleb(-scale), False)
    arr, bad = cast(pd.Series(cells, dtype="str"), column_type)
    want = [_one_amount(v, column_type) for v in cells]
    assert arr.to_pylist() == [w[0] for w in want] and bad.tolist() == [w[1] for w in want]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-9_999_999, 9_999_999), max_size=20), st.sampled_from(["nl", "en"]), st.integers(0, 3))
def test_every_plain_amount_is_read(numbers, notation, places):
    sep = "," if notation == "nl" else "."
    texts = [f"{n}{sep}{'7' * places}" if places else str(n) for n in numbers]
    unscaled, plain = kernels.plain_amounts(_arrow(texts), notation, 3)
    assert plain.all()
    assert unscaled.tolist() == [int(Decimal(t.replace(",", ".")).scaleb(3)) for t in texts]


@settings(max_examples=300, deadline=None)
@given(_CELLS, st.sampled_from(sorted(_FAST)))
def test_normal_forms_are_normalise(cells, entity):
    separators, upper = _FAST[entity]
    normal, decided = kernels.normal_forms(_arrow(cells), separators, upper, zero_pad=entity == "NL_BSN")
    for v, n, d in zip(cells, normal.to_pylist(), decided.tolist()):
        assert d == (v is not None and v.isascii() and "\x00" not in v)
        if d:
            assert n == normalise(entity, v)
    same = kernels.already_normal(_arrow(cells), upper, zero_pad=entity == "NL_BSN")
    assert all(normalise(entity, v) == v for v, s in zip(cells, same.tolist()) if s)
    got = normalise_series(entity, pd.Series(cells, dtype="str")).tolist()
    assert [None if isinstance(g, float) else g for g in got] == \
        [None if v is None else normalise(entity, v) if v.isascii() and "\x00" not in v or v.strip() else None
         for v in cells]
    distinct = list(dict.fromkeys(v for v in cells if v is not None))
    assert normalise_distinct(entity, _arrow(distinct)).to_pylist() == \
        [normalise(entity, v) if v.isascii() and "\x00" not in v or v.strip() else None for v in distinct]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(_TEXT.filter(lambda v: v is not None)), max_size=20), st.sampled_from(["NL_BSN", "PERSON"]))
def test_digests_are_the_hmac_of_each_value(normals, entity):
    p = Pseudonymizer(bytes(range(32)), "t")
    hexes, ok = p._digests(entity, _arrow(normals))
    assert ok.tolist() == [bool(v.strip()) for v in normals]
    assert [bytes(h).decode() for h, o in zip(hexes, ok) if o] == [p._hash(entity, v) for v in normals if v.strip()]


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 200), st.lists(st.integers(0, 199), max_size=60))
def test_take_rows_is_indexing(n, rows):
    matrix = np.random.default_rng(n).integers(0, 256, (n, 32), dtype=np.uint8)
    rows = np.array([r % n for r in rows], dtype=np.int64)
    assert np.array_equal(kernels.take_rows(matrix, rows), matrix[rows])


_DATE_CELL = st.one_of(
    _date(False, st.one_of(_DIGIT, _DIGIT, _ODD)), _date(True, st.one_of(_DIGIT, _DIGIT, _ODD)),
    st.sampled_from(["29-02-2020", "29-02-2021", "31-04-1990", "00-01-1990", "0000-01-01", "01-01-0000", "12 mrt. 1985",
                     "19850312", " 24-03-1961", "24-03-1961 ", "24-03-1961T10:00", "1961-03-24 10:00", "24/03/1961",
                     "01-01-1900", "02-12-2026", "03-12-2026", ""]),
    _TEXT)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), _DATE_CELL), max_size=40), st.sampled_from(["age_band", "birth_year", "month", "year"]))
def test_plain_dates_generalise_as_each_value(cells, to):
    import datetime as dt

    from pii_pipeline.masking.operators import generalize

    values = pd.Series(cells, dtype="str")
    want, want_bad = _generalize(values, to, dt.date(2026, 12, 2), 10, 90)
    for memo in (None, {}):
        got, bad = generalize(values, to, dt.date(2026, 12, 2), 10, 90, memo)
        assert [None if isinstance(g, float) else g for g in got] == [None if isinstance(w, float) else w for w in want]
        assert bad.tolist() == want_bad.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_date(False, _DIGIT), _date(True, _DIGIT)), min_size=1, max_size=30))
def test_plain_dates_are_the_digits_fixed_dates_reads(texts):
    from pii_pipeline.masking.operators import real_dates

    year, month, day, fmt, plain = kernels.plain_dates(_arrow(texts))
    assert fmt is not None
    want, decided = fixed_dates([t for t, p in zip(texts, plain) if p], fmt)
    real = real_dates(year[plain], month[plain], day[plain], fmt)
    assert decided.all() and (real == ~np.isnat(want)).all()
    assert [str(w)[:10] for w in want[real]] == \
        [f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in zip(year[plain][real], month[plain][real], day[plain][real])]
