"""The sweep's shortcut for cells of ASCII digits (``sweep._ascii_numbers_aside``) gives what the full patterns give.

A cell of ASCII digits only is judged from its digits (a phone number, or 8/9 digits for the BSN column rule)
without the long RE2 alternations; these properties check that the findings are the same as without it, on
columns mixing such cells with every other kind of text the sweep reads.
"""

from unittest import mock

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pii_pipeline.masking import sweep

_DIGITS = st.text(alphabet="0123456789", min_size=0, max_size=14)
_PHONES = st.builds(lambda p, rest: p + rest, st.sampled_from(["0", "00", "0031", "031", "06", "+31", "1"]),
                    st.text(alphabet="0123456789", min_size=7, max_size=10))
_BSNS = st.sampled_from(["123456782", "12345678", "111222333", "023456781", "1234.56.782", "١٢٣٤٥٦٧٨٢", "１２３４５６７８２"])
_OTHER = st.text(alphabet="0123456789 .,-+()<>ABNLPERSONabc@éٓ\u00a0\u200b", min_size=0, max_size=20)
_CELL = st.one_of(_DIGITS, _PHONES, _BSNS, _OTHER, st.sampled_from(["", " ", "06-12345678", "1234<PERSON>56782"]))


def _without_shortcut(array, matches, numbers=None):
    return np.flatnonzero(matches(array))


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELL, min_size=1, max_size=40))
def test_the_sweep_finds_the_same_with_and_without_the_digit_shortcut(cells):
    values = pd.Series(cells, dtype="str")
    fast = (sweep.sweep_series(values), [p.tolist() for p in sweep._bare_bsn(values)], sweep.has_word(values).tolist())
    with mock.patch.object(sweep, "_ascii_numbers_aside", _without_shortcut):
        slow = (sweep.sweep_series(values), [p.tolist() for p in sweep._bare_bsn(values)],
                sweep._matches(sweep._arrow(values), sweep.WORD).tolist())
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_CELL, st.text(max_size=12)), min_size=1, max_size=30))
def test_whole_surnames_reads_any_text(cells):
    """Any text (the letter-only kernels, then Python on the few candidates): a verdict per cell, no error."""
    out = sweep.whole_surnames(pd.Series(cells, dtype="str"))
    assert out.shape == (len(cells),) and out.dtype == bool
