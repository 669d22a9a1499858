"""Property tests: checksums decide, offsets stay in bounds, nothing crashes."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.nl import bsn, onderwijsnummer

from recognizers import NlBsnRecognizer, NlIbanRecognizer
from recognizers.identifiers.bsn import is_valid as is_valid_bsn

nine_digits = st.integers(min_value=10_000_000, max_value=999_999_999).map(lambda n: f"{n:09d}")


@settings(deadline=None)  # a shared, loaded machine: timing is not what this test checks
@given(nine_digits)
def test_labelled_bsn_found_iff_elfproef(number):
    text = f"BSN: {number}."
    results = NlBsnRecognizer().analyze(text, ["NL_BSN"])
    expected = bsn.is_valid(number) and not onderwijsnummer.is_valid(number) and len(set(number)) > 2
    assert bool(results) == expected
    if results:
        assert text[results[0].start:results[0].end] == number


@given(nine_digits, st.sampled_from(["{}", "{0}.{1}.{2}", "{0} {1} {2}"]))
def test_bsn_formats_agree(number, fmt):
    written = fmt.format(number[:3], number[3:6], number[6:]) if fmt != "{}" else number
    assert is_valid_bsn(written) == is_valid_bsn(number)


@given(st.integers(min_value=0, max_value=9_999_999_999), st.sampled_from(["ABNA", "INGB", "RABO", "TRIO"]), st.booleans())
def test_valid_dutch_iban_always_found(account, bank, grouped):
    acc = f"{account:010d}"
    digits = "".join(str(int(c, 36)) for c in bank + acc + "NL00")
    iban = f"NL{98 - int(digits) % 97:02d}{bank}{acc}"
    written = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if grouped else iban
    text = f"Rekening {written} t.n.v. verzekerde"
    results = NlIbanRecognizer().analyze(text, ["IBAN_CODE"])
    assert [text[r.start:r.end] for r in results] == [written]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=string.printable + "éëïüöçşğ€’", max_size=400))
def test_detect_never_crashes_and_offsets_are_in_bounds(detector, text):
    for f in detector.detect(text):
        assert 0 <= f.start < f.end <= len(text)
        assert 0.0 < f.score <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=string.ascii_letters + " .,;:!?\n", max_size=300))
def test_no_identifier_without_digits(detector, text):
    numeric = {"NL_BSN", "IBAN_CODE", "NL_UZOVI", "NL_AGB", "PHONE_NUMBER", "NL_BIG", "NL_KVK", "DATE_OF_BIRTH", "NL_POSTCODE"}
    assert not [f for f in detector.detect(text) if f.entity_type in numeric]
