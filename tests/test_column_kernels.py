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

