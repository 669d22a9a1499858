"""The identifier modules (recognizers/identifiers) and the context that weighs evidence.

Per identifier: true matches, near misses and checksum failures of the
module itself; then the notations and the context rules of the issue, run
through the whole detector; then hostile inputs (linear time) and property
tests of the parsers and normalisers.
"""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.exceptions import InvalidChecksum, ValidationError

from recognizers.identifiers import (
    agb, big, bsn, btw, by_entity, dates, fold, iban, id_document, kvk, member_number, numbers, phone,
    postcode, uzovi,
)

from .conftest import spans

# ---------------------------------------------------------------- modules: valid / invalid


@pytest.mark.parametrize("module, value, valid", [
    (bsn, "123456782", True), (bsn, "1234.56.782", True), (bsn, "123 456 782", True), (bsn, "12345678", False),
    (bsn, "50260662", True),          # 8 digits, valid after zero-padding
    (bsn, "１２３４５６７８２", True),   # full-width digits
    (bsn, "123456789", False),        # elfproef fails
    (bsn, "101222331", False),        # onderwijsnummer
    (bsn, "111111110", False),        # placeholder
    (bsn, "1234567820", False),       # ten digits
    (iban, "NL91ABNA0417164300", True), (iban, "NL91-ABNA-0417-1643-00", True), (iban, "nl91.abna.0417.1643.00", True),
    (iban, "NL91ABNA0417164301", False), (iban, "NL91ABNA041716430", False), (iban, "XX91ABNA0417164300", False),
    (phone, "06-12345678", True), (phone, "+31 (0)20 123 4567", True), (phone, "0031 20 1234567", True),
    (phone, "00 31 10 123 4567", True), (phone, "+31 800 1234", True), (phone, "0900-1234567", True),
    (phone, "088-1234567", True), (phone, "(0301234567)", True),
    (phone, "06-1234567", False), (phone, "0123456789", False), (phone, "0800-12345", False), (phone, "12345678", False),
    (postcode, "1234 AB", True), (postcode, "1234ab", True), (postcode, "NL-2611ET", True),
    (postcode, "1234 SA", False), (postcode, "1234 SD", False), (postcode, "1234 SS", False), (postcode, "0123 AB", False),
    (postcode, "12345 AB", False),
    (agb, "01012345", True), (agb, "12-345678", True), (agb, "00123456", False), (agb, "0101234", False),
    (uzovi, "3311", True), (uzovi, "331", False), (uzovi, "33111", False),
    (big, "19012345601", True), (big, "1901234560", False),
    (kvk, "12345678", True), (kvk, "000012345678", True), (kvk, "1234567", False),
    (btw, "NL004495445B01", True), (btw, "NL.0094.10.806.B.01", True), (btw, "NL 001241 643 B01", True),
    (btw, "NL-812421267 B01", True), (btw, "NL4495445B01", True), (btw, "004495445B01", True),
    (btw, "NL004495446B01", False), (btw, "NL004495445B00", False), (btw, "NL004495445X01", False),
    (member_number, "ZK-12345678", True), (member_number, "123", False), (member_number, "ABCDEFGH", False),
    (id_document, "NXC4R2KL5", True), (id_document, "XR 1001R5 8", True),
    (id_document, "NXO4R2KL5", False),  # the letter O is never used
    (id_document, "ABCDEFGH1", False),  # a word and a digit
])
def test_module_is_valid(module, value, valid):
    assert module.is_valid(value) is valid


def test_validate_raises_stdnum_errors_without_the_value():
    with pytest.raises(InvalidChecksum) as info:
        bsn.validate("123456789")
    assert "123456789" not in str(info.value)
    for module, value in ((iban, "NL91ABNA0417164301"), (phone, "06-1234"), (postcode, "1234 SS"),
                          (btw, "NL004495446B01"), (agb, "x"), (dates, "31-02-1985")):
        with pytest.raises(ValidationError):
            module.validate(value)


@pytest.mark.parametrize("module, value, compact", [
    (bsn, " 1234.56.782 ", "123456782"), (bsn, "12345678", "012345678"),
    (iban, "nl91 abna 0417 1643 00", "NL91ABNA0417164300"),
    (phone, "+31 (0)20 123 4567", "+31201234567"), (phone, "020 123 4567", "+31201234567"),
    (phone, "0031 20 1234567", "+31201234567"), (phone, "+31 020 1234567", "+31201234567"),
    (phone, "06 12 34 56 78", "+31612345678"), (phone, "+32 12 34 56 78", "+3212345678"),
    (postcode, "2611 et", "2611ET"), (postcode, "NL-2611ET", "2611ET"),
    (btw, "NL.0094.10.806.B.01", "NL009410806B01"), (btw, "nl4495445b01", "NL004495445B01"),
    (id_document, "xr 1001r5 8", "XR1001R58"),
    (dates, "12 maart 1985", "1985-03-12"),
])
def test_compact(module, value, compact):
    assert module.compact(value) == compact


def test_every_identifier_module_has_the_stdnum_interface():
    for entity, module in by_entity().items():
        for name in ("compact", "validate", "is_valid", "format", "LABELS", "HEADERS", "ENTITY"):
            assert hasattr(module, name), (entity, name)
        assert module.ENTITY == entity


# ---------------------------------------------------------------- find() on whole cells


@pytest.mark.parametrize("module, text, expected", [
    (bsn, "BSN 123.456.782, nr 123456789 of 111 222 333", ["123.456.782", "111 222 333"]),
    (bsn, "1234567820 en 12345678", []),
    (iban, "rek NL91-ABNA-0417-1643-00 en DE 89 3704 0044 0532 0130 00", ["NL91-ABNA-0417-1643-00", "DE 89 3704 0044 0532 0130 00"]),
    (iban, "ZZ12 NL91ABNA0417164300", ["NL91ABNA0417164300"]),
    (iban, "NL91 ABNA 0417 1643 01", []),
    (phone, "bel 06-12345678 of (030) 123 4567", ["06-12345678", "(030) 123 4567"]),
    (phone, "op 06-12-2019 10 uur", []),          # a date and a time
    (phone, "bedrag 0,50 en 1234567", []),
    (postcode, "3511 LK Utrecht, 1000 mg, 1000 MG per dag", ["3511 LK"]),
    (btw, "btw NL 001241 643 B01", ["NL 001241 643 B01"]),
    (btw, "order 004495445B01", []),               # no NL and no btw label
    (dates, "geb. 12-03-1975, gezien 14 nov. 2024, 31-02-2020", ["12-03-1975", "14 nov. 2024"]),
])
def test_find(module, text, expected):
    assert [text[s:e] for s, e in module.find(text)] == expected


@pytest.mark.parametrize("text", ["1 " * 200_000, "+31 " * 40_000, "J." * 50_000, "NL91 " * 40_000,
                                  "06 " * 60_000, "1234 AB " * 25_000, "12-03-" * 30_000])
def test_find_is_linear(text):
    """Time per character stays flat from a quarter of the input to all of it."""
    small = text[: len(text) // 4]
    for module in (bsn, iban, phone, postcode, btw, dates):
        small_time = min(_timed(module.find, small) for _ in range(3))
        full_time = min(_timed(module.find, text) for _ in range(2))
        assert full_time < 5.0, module.__name__
        # 4x the input: about 4x the time (12x allows for a loaded machine), never 16x.
        assert full_time < 12 * small_time + 0.05, module.__name__


def _timed(find, text: str) -> float:
    """CPU time of this process (the machine may be shared: wall time says little)."""
    start = time.process_time()
    list(find(text))
    return time.process_time() - start


def test_fold_keeps_offsets():
    text = "BSN １２３４５６７８２ — tel ０６‑１２３４５６７８"
    folded = fold(text)
    assert len(folded) == len(text)
    assert [text[s:e] for s, e in bsn.find(text)] == ["１２３４５６７８２"]
    assert [text[s:e] for s, e in phone.find(text)] == ["０６‑１２３４５６７８"]


# ---------------------------------------------------------------- notations, through the detector


@pytest.mark.parametrize("text, entity, expected", [
    ("btw NL.0094.10.806.B.01", "NL_BTW", ["NL.0094.10.806.B.01"]),
    ("BTW: NL 001241 643 B01", "NL_BTW", ["NL 001241 643 B01"]),
    ("Btw-id NL-812421267 B01", "NL_BTW", ["NL-812421267 B01"]),
    ("btw-nummer NL4495445B01", "NL_BTW", ["NL4495445B01"]),
    ("btw-nummer: 004495445B01", "NL_BTW", ["004495445B01"]),
    ("artikel 004495445B01", "NL_BTW", []),
    ("IBAN NL91-ABNA-0417-1643-00", "IBAN_CODE", ["NL91-ABNA-0417-1643-00"]),
    ("IBAN NL91.ABNA.0417.1643.00", "IBAN_CODE", ["NL91.ABNA.0417.1643.00"]),
    ("rekening DE 89 3704 0044 0532 0130 00", "IBAN_CODE", ["DE 89 3704 0044 0532 0130 00"]),
    ("bel 00 31 10 123 4567", "PHONE_NUMBER", ["00 31 10 123 4567"]),
    ("gratis +31 800 1234", "PHONE_NUMBER", ["+31 800 1234"]),
    ("bel (0301234567) terug", "PHONE_NUMBER", ["0301234567"]),
    ("Zie factuur 2024-118. Servicedesk 088-1234567, 0800-1234 of 0900 1234567.", "PHONE_NUMBER",
     ["088-1234567", "0800-1234", "0900 1234567"]),
    ("Gemeente: bel 14 020", "PHONE_NUMBER", ["14 020"]),
    ("in 14 020 gevallen", "PHONE_NUMBER", []),
    ("Stationsweg 3, 1000 MG Amsterdam", "NL_POSTCODE", ["1000 MG"]),
    ("postcode 2000 IE", "NL_POSTCODE", ["2000 IE"]),
    ("Dorpsstraat 5, 4321 KV Ergens", "NL_POSTCODE", ["4321 KV"]),
    ("Dorpsstraat 5, 4321 SS Ergens", "NL_POSTCODE", []),
    ("adres NL-2611ET Delft", "NL_POSTCODE", ["NL-2611ET"]),
    ("neem 1000 mg per dag", "NL_POSTCODE", []),
    ("neem 1000 MG per dag", "NL_POSTCODE", []),
    ("BIG-registratie 19012345601", "NL_BIG", ["19012345601"]),
    ("BIG-nummer: 19012345601", "NL_BIG", ["19012345601"]),
    ("BIG-registratienummer 19012345601", "NL_BIG", ["19012345601"]),
    ("ingeschreven in het BIG-register onder nummer 19012345601", "NL_BIG", ["19012345601"]),
    ("paspoortnummer XR 1001R5 8", "NL_ID_DOCUMENT", ["XR 1001R5 8"]),
    ("BSN １２３４５６７８２", "NL_BSN", ["１２３４５６７８２"]),
    ("Telefoon België: +32 14 41 22 90", "PHONE_NUMBER", ["+32 14 41 22 90"]),
    ("kaartnummer IZ2PL96F1", "NL_ID_DOCUMENT", ["IZ2PL96F1"]),
    ("Geboortedatum: 1989.07.02", "DATE_OF_BIRTH", ["1989.07.02"]),
    ("Relatienummer: 7719 4402", "NL_MEMBER_NUMBER", ["7719 4402"]),
    ("artikel 1000 ST verbandgaas", "NL_POSTCODE", []),
])
def test_notations(detector, text, entity, expected):
    assert [v for _, v in spans(detector, text, entity)] == expected


# ---------------------------------------------------------------- context weighs evidence


@pytest.mark.parametrize("text, entity, expected", [
    ("Het BSN van de klant is 123456782.", "NL_BSN", ["123456782"]),
    ("BSN klant: 123456782", "NL_BSN", ["123456782"]),
    ("BSN rekeninghouder 123456782", "NL_BSN", ["123456782"]),
    ("BSN patiënt (zie dossier): 123456782", "NL_BSN", ["123456782"]),
    ("factuurnummer 123456782", "NL_BSN", []),
    ("BSN onbekend, factuurnummer 123456782", "NL_BSN", []),
    ("Het BSN is 123456782 en het klantnummer is 111222333", "NL_BSN", ["123456782"]),
    ("De polis is verlopen. Bel mevrouw op 020-1234567.", "PHONE_NUMBER", ["020-1234567"]),
    ("Declaratie ontvangen, referentie 2024-11; telefoon 0301234567.", "PHONE_NUMBER", ["0301234567"]),
    ("Factuur 2024-001 verstuurd. Contact via 030 123 4567.", "PHONE_NUMBER", ["030 123 4567"]),
    ("Dhr. Jansen (BSN 123456782) belde op 052-6804320 over de polis.", "PHONE_NUMBER", ["052-6804320"]),
    ("Telefoon klantenservice 088 123 45 67", "PHONE_NUMBER", ["088 123 45 67"]),
    ("factuurnummer 0301234567", "PHONE_NUMBER", []),
    ("geboren op 12-03-1975, is op 14-11-2024 behandeld", "DATE_OF_BIRTH", ["12-03-1975"]),
    ("Geboren 12-03-1975. Op 14-11-2024 gezien.", "DATE_OF_BIRTH", ["12-03-1975"]),
    ("twee geboortedata (01-01-1980 en 01-10-1980)", "DATE_OF_BIRTH", ["01-01-1980", "01-10-1980"]),
    ("Geboortedatum onbekend. Afspraak op 14-11-2024.", "DATE_OF_BIRTH", []),
])
def test_context(detector, text, entity, expected):
    assert [v for _, v in spans(detector, text, entity)] == expected


# ---------------------------------------------------------------- dates and numbers


@pytest.mark.parametrize("value, iso", [
    ("12-03-1985", "1985-03-12"), ("12/03/1985", "1985-03-12"), ("12.03.1985", "1985-03-12"),
    ("12 maart 1985", "1985-03-12"), ("12 mrt. 1985", "1985-03-12"), ("12-mrt-1985", "1985-03-12"),
    ("1985-03-12", "1985-03-12"), ("19850312", "1985-03-12"), ("12 MAA/MAR 1985", "1985-03-12"),
    ("1 januari 2000", "2000-01-01"), ("3 sept 2001", "2001-09-03"), ("7 okt. 1999", "1999-10-07"),
    ("31-02-1985", None), ("12-13-1985", None), ("12 foo 1985", None), ("1985-3", None),
])
def test_dates(value, iso):
    parsed = dates.parse(value)
    assert (parsed.isoformat() if parsed else None) == iso


@pytest.mark.parametrize("value, notation, number", [
    ("1.250", "nl", "1250"), ("1.234,56", "nl", "1234.56"), ("-7,5", "nl", "-7.5"), ("12", "nl", "12"),
    ("1,234.56", "en", "1234.56"), ("1.25", "en", "1.25"), ("1.250", "en", "1.250"),
    ("1.25.0", "nl", None), ("1,234.56", "nl", None), ("12,5", "en", None), ("x", "nl", None),
])
def test_numbers_parse(value, notation, number):
    parsed = numbers.parse(value, notation)
    assert (str(parsed) if parsed is not None else None) == number


@pytest.mark.parametrize("values, notation", [
    (["1.250", "12,50", "7"], "nl"), (["1.234,56"], "nl"), (["1,234.56", "7.5"], "en"), (["12.5", "3"], "en"),
    (["1.250", "2.500"], None),        # reads both ways: undecided
    (["1.250,00", "1,234.56"], None),  # mixed
    (["Jansen", ""], None), (["12", "7"], "nl"),
])
def test_numbers_notation_of_a_column(values, notation):
    assert numbers.notation_of(values) == notation


# ---------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**9 - 1).map(lambda n: f"{n:09d}"), st.sampled_from([
    lambda n: n, lambda n: f"{n[:3]}.{n[3:6]}.{n[6:]}", lambda n: f"{n[:4]}.{n[4:6]}.{n[6:]}",
    lambda n: f"{n[:3]} {n[3:6]} {n[6:]}"]))
def test_bsn_notation_never_changes_validity(number, notation):
    written = notation(number)
    assert bsn.is_valid(written) == bsn.is_valid(number)
    assert bsn.compact(written) == number


@settings(max_examples=200, deadline=None)
@given(st.integers(10**8, 10**9 - 1), st.sampled_from(["0{}", "+31{}", "0031 {}", "+31 (0){}", "00 31 {}"]))
def test_phone_spellings_share_one_e164(rest, prefix):
    national = str(rest)
    assert phone.compact(prefix.format(national)) == phone.compact("0" + national) == "+31" + national


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["nl", "en"]))
def test_numbers_round_trip(value, notation):
    thousands, decimal = numbers.NOTATIONS[notation]
    text = f"{value:,.2f}".replace(",", "_").replace(".", decimal).replace("_", thousands)
    assert numbers.parse(text, notation) == value


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=__import__("datetime").date(1900, 1, 1)),
       st.sampled_from(["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y%m%d"]))
def test_dates_round_trip(date, fmt):
    assert dates.parse(date.strftime(fmt)) == date


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 .-+()ABNLabnl/", max_size=60))
def test_find_never_raises_and_spans_are_valid(text):
    for module in (bsn, iban, phone, postcode, btw, dates):
        for start, end in module.find(text):
            assert 0 <= start < end <= len(text)


def test_fold_knows_every_decimal_digit_outside_ascii():
    """DIGIT_ZEROS is listed by hand (scanning every code point at import costs ~0.3 s): it must be every run of
    ten Nd digits outside ASCII that this Python's Unicode database has, and fold reads each as its digit."""
    import unicodedata

    from recognizers.identifiers._text import DIGIT_ZEROS, fold

    zeros = [c for c in range(0x80, 0x110000) if unicodedata.category(chr(c)) == "Nd" and unicodedata.digit(chr(c)) == 0]
    assert set(zeros) <= set(DIGIT_ZEROS)
    assert fold("".join(chr(z + d) for z in DIGIT_ZEROS for d in range(10))) == "0123456789" * len(DIGIT_ZEROS)
