"""Pseudonyms of a column (``Pseudonymizer.series``) are those of each value, whatever the spelling, and the
same as the row-wise normalisation gave before the column-wise fast path (issue 14: pseudonyms unchanged)."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from pii_pipeline.masking.pseudonyms import Pseudonymizer, normalise, normalise_distinct, normalise_series, positions_in

KEY = bytes(range(32))
ENTITIES = ["NL_BSN", "NL_MEMBER_NUMBER", "NL_AGB", "IBAN_CODE", "NL_ID_DOCUMENT", "PERSON", "EMAIL_ADDRESS",
            "PHONE_NUMBER", "VALUE"]
_VALUE = st.one_of(st.none(), st.text(alphabet="0123456789 .,-/zZaAß\t\x1c\u00ad１é", max_size=11),
                   st.sampled_from(["123456782", "12345678", "123.456.782", "123,456,782", "Z1234567", "z1234567", " ", ""]))


def _series_before(p: Pseudonymizer, cache: dict, entity: str, values: pd.Series) -> list:
    """The column-wise path as it was: every row normalised (normalise_series), then distinct normal forms hashed."""
    normal = pa.array(normalise_series(entity, values), type=pa.string())
    normal = normal.combine_chunks() if isinstance(normal, pa.ChunkedArray) else normal
    encoded = pc.dictionary_encode(normal)
    known, tokens = cache.get(entity) or (pa.array([], pa.string()), pa.array([], pa.string()))
    where = positions_in(known, encoded.dictionary)
    new = where < 0
    if new.any():
        fresh = encoded.dictionary.filter(pa.array(new))
        where[new] = len(known) + np.arange(len(fresh))
        known = pa.concat_arrays([known, fresh])
        tokens = pa.concat_arrays([tokens, pa.array(p._hash_all(entity, fresh.to_pylist()), pa.string())])
    cache[entity] = (known, tokens)
    return tokens.take(pa.array(where)).take(encoded.indices).to_pylist()


@settings(max_examples=150, deadline=None)
@given(entity=st.sampled_from(ENTITIES), chunks=st.lists(st.lists(_VALUE, max_size=12), min_size=1, max_size=3))
def test_column_pseudonyms_are_unchanged(entity, chunks):
    p, before = Pseudonymizer(KEY, "t"), {}
    for chunk in chunks:   # several chunks: the values hashed in one are looked up in the next
        values = pd.Series(chunk, dtype="str")
        got = [None if isinstance(v, float) else v for v in p.series(entity, values).tolist()]
        assert got == _series_before(p, before, entity, values)


def test_spellings_of_one_number_in_one_chunk_share_a_pseudonym():
    p = Pseudonymizer(KEY, "t")
    out = p.series("NL_BSN", pd.Series(["123456782", "123.456.782", "123 456 782", None, "", "12345678", "123,456,782"], dtype="str"))
    assert out[0] == out[1] == out[2] == p.pseudonym("NL_BSN", "123456782")
    assert out[3:5].isna().all() and out[5] == p.pseudonym("NL_BSN", "012345678") and out[6] == out[0]


@settings(max_examples=150, deadline=None)
@given(entity=st.sampled_from(ENTITIES), values=st.lists(st.text(alphabet="0123456789 .,-aAzZß１é\t\u00ad", max_size=10), max_size=12, unique=True))
def test_distinct_values_normalise_as_each_value(entity, values):
    got = normalise_distinct(entity, pa.array(values, pa.string())).to_pylist()
    want = normalise_series(entity, pd.Series(values, dtype="str")).tolist()
    assert got == [None if isinstance(w, float) else w for w in want]
    assert all(g == normalise(entity, v) for g, v in zip(got, values) if g is not None and v.strip())
