"""Findings of hostile-input hunt 14 (leaks, loss, crashes, messages): the cheap classifier, the readers' leftovers.

Each test is the smallest input that showed the problem.  Findings whose fix belongs in a file other helpers
are editing are strict xfails naming the place of the fix.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from pathlib import Path

import pandas as pd
import pytest
from stdnum.nl import bsn as stdnum_bsn

from pii_pipeline.discovery.classifier import classify_column
from pii_pipeline.discovery.headers import header_entity
from pii_pipeline.errors import InputError
from pii_pipeline.io.tables import read_table

SURNAMES = ["Klaassen", "Veenstra", "Wijnberg", "Doornbos", "Verhoeven", "Jansen", "Bakker", "Smit"]


def _codes_with(extra: list, n: int = 300, codes=("C11", "C13", "M01", "X21"), every: int = 25) -> pd.Series:
    rng = random.Random(5)
    return pd.Series([extra[(i // every) % len(extra)] if i % every == 0 else rng.choice(codes) for i in range(n)], dtype="str")


# ------------------------------------------------------------------ classifier: a column wrongly called safe

def test_a_few_surnames_among_codes_make_the_column_masked_cell_by_cell(detector):
    """A prestatie column with a surname in 4% of rows was 'safe' (no recognizer accepts most values): kept whole."""
    report = classify_column(detector, "prestatie", _codes_with(SURNAMES))
    assert report.role == "free_text", report.evidence


def test_short_remarks_holding_a_name_are_free_text_whatever_their_header(detector):
    """'Jansen belt terug' (3 words) is no free text by length, and PERSON covers a third of it: 'safe', published."""
    remarks = _codes_with([f"{s} belt terug" for s in SURNAMES], codes=("ok", "n.v.t.", "akkoord", "retour"), every=10)
    assert classify_column(detector, "kolom7", remarks).role == "free_text"
    assert classify_column(detector, "opmerking", pd.Series(["ok", "akkoord"] * 50)).role == "free_text"  # by its header


@pytest.mark.parametrize("header", ["opmerking", "Opmerkingen", "toelichting", "notes", "remark", "comment", "memo"])
def test_remark_headers_name_free_text(header):
    assert header_entity(header) == "FREE_TEXT"


def test_bare_surnames_under_a_neutral_header_are_a_person_column(detector):
    """The detector reports few bare surnames that are also words (Bakker, Visser: 22% of the column): the
    column was 'safe' and published whole; masked cell by cell, three quarters of the names stayed."""
    rng = random.Random(2)
    names = ["Klaassen", "Bakker", "Visser", "Smit", "de Groot", "Mulder", "van der Meer", "Bos", "Dekker", "Peters"]
    report = classify_column(detector, "code", pd.Series([rng.choice(names) for _ in range(300)], dtype="str"))
    assert (report.entity_type, report.role) == ("PERSON", "direct_identifier"), report.evidence


@pytest.mark.parametrize("values", [
    ["Consult", "Controle", "Vulling", "Extractie", "Kroon", "Brug", "Implantaat", "Fluoride"],
    ["Zilveren Kruis", "Menzis", "CZ", "VGZ", "DSW", "Zorg en Zekerheid", "ONVZ", "De Friesland"],
    ["Rood", "Groen", "Blauw", "Geel", "Zwart", "Wit", "Oranje", "Paars"],
], ids=["treatments", "insurers", "colours"])
def test_words_that_are_also_surnames_do_not_make_a_person_column(detector, values):
    rng = random.Random(3)
    report = classify_column(detector, "soort", pd.Series([rng.choice(values) for _ in range(300)], dtype="str"))
    assert report.entity_type is None, report.evidence


def test_codes_alone_stay_safe(detector):
    assert classify_column(detector, "prestatie", _codes_with(["C12"])).role == "safe"


def test_childrens_birth_dates_under_a_generic_header_are_birth_dates(detector):
    """Birth dates of 0-17 year olds under 'datum' span under 15 years and none is 18: 'clustered like event dates'."""
    rng = random.Random(1)
    born = [(dt.date(2009, 1, 1) + dt.timedelta(days=rng.randint(0, 14 * 365))).isoformat() for _ in range(300)]
    report = classify_column(detector, "datum", pd.Series(born, dtype="str"))
    assert report.entity_type == "DATE_OF_BIRTH", report.evidence
    events = [(dt.date.today() - dt.timedelta(days=rng.randint(0, 600))).isoformat() for _ in range(300)]
    assert classify_column(detector, "datum", pd.Series(events, dtype="str")).role == "safe"


def test_headerless_file_with_decimal_commas_is_split_on_semicolons(tmp_path):
    """Split on ',', a record 'Klaassen;07-05-1961;C11;799' became one column the classifier had to read as a whole."""
    source = tmp_path / "export.csv"
    source.write_text("".join(f"{s};0{i % 9 + 1}-05-1961;C11;799,03\n" for i, s in enumerate(SURNAMES * 5)), encoding="utf-8")
    frame = next(read_table(source)).frame
    assert frame.shape[1] == 4


# ------------------------------------------------------------------ Parquet input: values no output column holds

def _parquet(path: Path, **columns) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns), path)
    return path


def test_parquet_nan_and_infinity_quarantine_their_row_not_publish_null_or_text(tmp_path):
    """NaN became an empty cell (published as null: a value lost silently), inf the text 'inf'."""
    import pyarrow as pa

    values = [1.5, float("nan"), float("inf"), -float("inf"), None, 2.5]
    source = _parquet(tmp_path / "x.parquet", nr=pa.array([str(i) for i in range(6)]), waarde=pa.array(values, pa.float64()),
                      lijst=pa.array([[1.0], [2.0], [3.0], [4.0], [5.0], [float("nan")]], pa.list_(pa.float32())))
    chunks = list(read_table(source))
    good = pd.concat([c.frame for c in chunks])
    bad = [r for c in chunks for r in c.rejected]
    assert good["nr"].tolist() == ["0", "4"] and good["waarde"].tolist() == ["1.5", ""]
    assert [r[0] for r in bad] == [2, 3, 4, 6] and all("column 2" in r[2] or "column 3" in r[2] for r in bad)
    assert [int(x) for c in chunks for x in c.rows()] == [1, 5]


def test_parquet_fixed_size_list_is_read_as_a_list_not_as_its_repr(tmp_path):
    """A fixed-size list column was published as the text "['0612345678', 'Jansen']" (a list column is masked
    element by element, like its scalar twin)."""
    import pyarrow as pa

    source = _parquet(tmp_path / "f.parquet", tel=pa.array([["0612345678", "Jansen"], ["x", None]], pa.list_(pa.string(), 2)),
                      w=pa.array([[1.0, float("nan")], [2.0, 3.0]], pa.list_(pa.float64(), 2)))
    (chunk,) = list(read_table(source))
    assert chunk.frame["tel"].tolist() == [["x", None]] and [r[0] for r in chunk.rejected] == [1]


def test_parquet_timestamps_with_a_time_zone_are_published_as_timestamps_in_utc(tmp_path):
    import pyarrow as pa

    moments = [dt.datetime(2026, 10, 1, 10, i, tzinfo=dt.timezone.utc) for i in range(30)]
    source = _parquet(tmp_path / "t.parquet", tijd=pa.array(moments, pa.timestamp("us", tz="Europe/Amsterdam")))
    frame = next(read_table(source)).frame
    assert frame["tijd"][0] == "2026-10-01T10:00:00"
    from pii_pipeline.masking.schema import infer_type

    assert infer_type(frame["tijd"]).kind == "timestamp"


# ------------------------------------------------------------------ Vektis EI: positions are bytes

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def _with_name(tmp_path: Path, name: str, pad_by_bytes: bool) -> tuple[Path, str]:
    """The sample MZ301 file, UTF-8, with its first verzekerde's name replaced by ``name``."""
    from pii_pipeline.io import ei

    lines = (SAMPLE / "declaratie_mz301_2026-10.asc").read_text(encoding="latin-1").splitlines()
    layout = ei.layout_for(SAMPLE / "declaratie_mz301_2026-10.asc")
    e = layout.records["02"].element("Naam verzekerde (01)")
    a, b = e.start - 1, e.start - 1 + e.length
    i = next(n for n, line in enumerate(lines) if line.startswith("02"))
    width = e.length - (len(name.encode("utf-8")) - len(name) if pad_by_bytes else 0)
    lines[i] = lines[i][:a] + name.ljust(width) + lines[i][b:]
    path = tmp_path / "mz301.asc"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path, e.column


@pytest.mark.parametrize("pad_by_bytes", [True, False], ids=["padded-by-bytes", "padded-by-characters"])
def test_ei_record_with_a_multibyte_name_is_read_whatever_the_writer_counted(tmp_path, pad_by_bytes):
    """A UTF-8 file padded to 310 bytes (positions are bytes) failed: 'has 309 characters'."""
    path, column = _with_name(tmp_path, "Müller-Öztürk", pad_by_bytes)
    verzekerde = next(c for c in read_table(path) if c.table.endswith("#verzekerde")).frame
    plain = next(c for c in read_table(SAMPLE / "declaratie_mz301_2026-10.asc") if c.table.endswith("#verzekerde")).frame
    assert verzekerde[column][0] == "Müller-Öztürk"
    other = [c for c in plain.columns if c != column]
    assert verzekerde[other].equals(plain[other])   # no element after the name shifted


def test_ei_element_that_cuts_a_character_in_two_is_a_one_line_error(tmp_path):
    """A 2-byte character across the end of an element: the line is 310 bytes, but no element can be read alone."""
    path, _ = _with_name(tmp_path, "x" * 25, pad_by_bytes=True)
    data = path.read_bytes()
    at = data.index(b"x" * 25)
    path.write_bytes(data[:at + 24] + "é".encode("utf-8") + data[at + 26:])   # é's second byte is the next element's first
    with pytest.raises(InputError) as err:
        list(read_table(path))
    assert err.value.line is not None and "splits a character" in str(err.value) and "xxxxxxxxxx" not in str(err.value)


# ------------------------------------------------------------------ lasting erasure and pseudonym tokens in free text

KEY = b"93ed157c9bca545fc9612c854c00d3f962b5d998aab530a214c6d89eba1cd51d"


def test_exclusion_finds_an_erased_persons_token_in_masked_free_text():
    """rows_to_exclude compared pseudonym columns only: a note naming an erased BSN (as its token) was published again."""
    from types import SimpleNamespace

    from pii_pipeline.masking.operators import text_token
    from pii_pipeline.masking.policy import Rule
    from pii_pipeline.masking.pseudonyms import Pseudonymizer
    from pii_pipeline.rights.exclusion import rows_to_exclude

    pz = Pseudonymizer(KEY, "d")
    erased = pz.pseudonym("NL_BSN", "111222333")
    note = SimpleNamespace(name="notitie", entity=None, is_list=False, kept=True, source="free_text",
                           rule=Rule(operator="mask_text", replace_with="pseudonym"))
    frame = pd.DataFrame({"notitie": [f"partner {text_token('NL_BSN', erased)} belde", "geen", None,
                                      f"{text_token('NL_BSN', pz.pseudonym('NL_BSN', '123456782'))}"]})
    counts: dict = {}
    got = rows_to_exclude([note], frame, {"NL_BSN": {erased: "erased"}}, counts)
    assert got.tolist() == [True, False, False, False] and counts == {"erased": 1}
    tagged = SimpleNamespace(**{**vars(note), "rule": Rule(operator="mask_text")})   # <NL_BSN> tags link no one
    assert not rows_to_exclude([tagged], frame, {"NL_BSN": {erased: "erased"}}, {}).any()


def test_a_later_delivery_naming_an_erased_person_only_in_free_text_is_not_published(tmp_path, detector):
    import csv

    from pii_pipeline import batch
    from pii_pipeline.masking.policy import parse_policy, shipped_policy_text
    from pii_pipeline.rights import subjects
    from pii_pipeline.rights.erase import erase

    policy = parse_policy(shipped_policy_text().replace("free_text: {operator: mask_text, replace_with: tag}",
                                                        "free_text: {operator: mask_text, replace_with: pseudonym}"))
    landing, out, mentioned = tmp_path / "landing", tmp_path / "out", "111222333"
    landing.mkdir()
    rows = [("1", f"Partner met BSN {mentioned} belde over de nota, graag terugbellen."),
            ("2", "Geen bijzonderheden bij deze behandeling, de nota is volledig vergoed.")]

    def deliver(name: str) -> None:
        with (landing / name).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, delimiter=";").writerows([("notitienummer", "notitie"), *rows])

    deliver("notities_2026-10.csv")
    assert [r.status for r in batch.run_without_prefect(landing, out, policy, KEY)] == ["published"]
    erase([out], KEY, subjects(KEY, [mentioned], request_id="ER-7"), "ER-7")
    rows.append(("3", "Nota opnieuw verstuurd, geen verdere actie nodig."))
    deliver("notities_2026-10_002.csv")   # the same notes delivered again, with one more
    results = batch.run_without_prefect(landing, out, policy, KEY)
    assert sum(r.rows_excluded for r in results) == 1
    assert sorted(pd.read_parquet(out / "notities")["notitienummer"].astype(str)) == ["2", "2", "3"]   # note 1 in neither


# ------------------------------------------------------------------ CSV leftovers (io/delimited.py: other helpers)

def test_a_byte_order_mark_in_the_middle_of_a_csv_is_not_kept_in_the_cell(tmp_path):
    """'C11' and '\\ufeffC11' are two prestatiecodes in every group-by of the published data."""
    source = tmp_path / "joined.csv"
    source.write_bytes(b"code;bedrag\nC11;12,50\n\xef\xbb\xbfC11;13,50\nC12;1,00\n")
    frame = pd.concat([c.frame for c in read_table(source)])
    assert not frame["code"].str.contains("\ufeff").any()


def test_a_closed_quoted_field_of_ten_thousand_short_lines_is_one_record(tmp_path):
    """One record of 10,001 lines (250 KB) became 10,001 quarantined records; the rows after it were numbered 10,003."""
    note = "\n".join(f"regel {i} van de notitie" for i in range(10_001))
    source = tmp_path / "long.csv"
    source.write_text(f'id;bedrag;notitie\n1;12,50;kort\n2;13,50;"{note}"\n3;1,00;kort\n', encoding="utf-8")
    chunks = list(read_table(source))
    assert [r for c in chunks for r in c.rejected] == []
    assert [int(x) for c in chunks for x in c.rows()] == [1, 2, 3]


# ------------------------------------------------------------------ xlsx cells

def _one_cell_workbook(path: Path, cell: bytes) -> Path:
    import io
    import zipfile

    from openpyxl import Workbook

    buffer = io.BytesIO()
    wb = Workbook()
    wb.active.append(["waarde", "n"])
    wb.active.append(["PLACEHOLDER", 1])
    wb.active.append(["x", 2])
    wb.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="A2" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>', cell)
            dst.writestr(item, data)
    return path


@pytest.mark.parametrize("cell, value", [
    (b'<c r="A2" t="inlineStr"><is><r><t>Jan</t></r><r><rPr><b/></rPr><t>ssen</t></r></is></c>', "Janssen"),  # rich inline
    (b'<c r="A2" t="d"><v>1980-05-17T00:00:00</v></c>', "1980-05-17"),                                         # ISO date cell
    (b'<c r="A2" t="str"><v>Jansen</v></c>', "Jansen"),                                                          # formula text
], ids=["rich-inline-string", "iso-date-cell", "formula-string"])
def test_xlsx_cell_kinds_are_read_as_their_text(tmp_path, cell, value):
    (chunk,) = list(read_table(_one_cell_workbook(tmp_path / "c.xlsx", cell)))
    assert chunk.frame["waarde"].tolist() == [value, "x"] and not chunk.rejected


def test_xlsx_number_cell_overflowing_to_infinity_quarantines_its_row(tmp_path):
    """<v>1e400</v> read as the float inf and was published as the text 'inf' (a NaN cell was already quarantined)."""
    (chunk,) = list(read_table(_one_cell_workbook(tmp_path / "c.xlsx", b'<c r="A2" t="n"><v>1e400</v></c>')))
    assert chunk.frame["waarde"].tolist() == ["x"] and [r[0] for r in chunk.rejected] == [1]


def test_xlsx_1904_dates_and_hidden_sheets_are_read(tmp_path):
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active.append(["geb_datum"])
    wb.active.append([dt.date(1980, 5, 17)])
    hidden = wb.create_sheet("verborgen")
    hidden.sheet_state = "hidden"   # hidden is not absent: its rows are masked like any other
    hidden.append(["bsn"])
    hidden.append(["123456782"])
    wb.save(tmp_path / "mac.xlsx")
    tables = {c.table.split("#")[1]: c.frame.iloc[:, 0].tolist() for c in read_table(tmp_path / "mac.xlsx")}
    assert tables == {"Sheet": ["1980-05-17"], "verborgen": ["123456782"]}


# ------------------------------------------------------------------ staging: a full disk

def test_a_full_disk_while_staging_says_so_and_blames_the_output_not_the_input(tmp_path, monkeypatch, detector):
    import errno

    import pyarrow as pa

    from pii_pipeline.masking.engine import OutputError, mask_file
    from pii_pipeline.masking.policy import default_policy

    def full(*args, **kwargs):   # as pyarrow raises it: the errno only in the text
        raise OSError(f"Error writing bytes to file. Detail: [errno {errno.ENOSPC}] No space left on device")

    monkeypatch.setattr(pa.ipc, "new_file", full)
    source = tmp_path / "claims.csv"
    source.write_text("nr;code\n" + "".join(f"{i};C11\n" for i in range(50)), encoding="utf-8")
    (tmp_path / "out").mkdir()
    with pytest.raises(OutputError, match="space"):
        mask_file(source, tmp_path / "out" / "claims.parquet", default_policy(), KEY, detector=detector)
    assert not list((tmp_path / "out").iterdir())   # the partial stage files are gone


# ------------------------------------------------------------------ the lazy detector's settings

@pytest.mark.parametrize("env, value, says", [
    ("PII_PIPELINE_SCORE_THRESHOLD", "abc", "PII_PIPELINE_SCORE_THRESHOLD: not a number"),
    ("PII_PIPELINE_SCORE_THRESHOLD", "2", "PII_PIPELINE_SCORE_THRESHOLD: Input should be less than or equal to 1"),
    ("PII_PIPELINE_SPACY_MODEL", "nl_not_installed_model", "PII_PIPELINE_SPACY_MODEL: spaCy model 'nl_not_installed_model' is not installed"),
])
def test_mask_with_a_bad_detector_setting_names_the_setting_not_the_file(tmp_path, monkeypatch, key_env, env, value, says):
    """The detector is built lazily inside the work on the file: 'claims.csv: could not be processed: ValueError in config.py'."""
    from typer.testing import CliRunner

    from pii_pipeline.cli import app

    source = tmp_path / "claims.csv"
    source.write_text("nr;opmerking\n" + "".join(f"{i};graag terugbellen over de nota van vorige week\n" for i in range(30)))
    monkeypatch.setenv(env, value)
    result = CliRunner().invoke(app, ["mask", str(source), "-o", str(tmp_path / "out.parquet")])
    assert result.exit_code == 2 and says in result.stderr and "claims.csv" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------ the sweep behind the classifier

def test_a_bsn_in_a_column_of_amounts_is_not_published_as_an_amount(tmp_path, detector):
    """One shifted value: '123456782' among '562,99' was published as the amount 123456782.00."""
    import pyarrow.parquet as pq

    from pii_pipeline.masking.engine import mask_file
    from pii_pipeline.masking.policy import default_policy

    rng = random.Random(1)
    rows = [f"{i};{rng.randint(1, 999)},{rng.randint(10, 99)}" for i in range(200)]
    rows[50] = "50;123456782"
    source = tmp_path / "amounts.csv"
    source.write_text("nr;bedrag\n" + "\n".join(rows) + "\n", encoding="utf-8")
    mask_file(source, tmp_path / "out.parquet", default_policy(), KEY, detector=detector)
    amounts = pq.read_table(tmp_path / "out.parquet").column("bedrag").to_pylist()
    assert not any(a is not None and int(a) == 123456782 for a in amounts) and len(amounts) == 199
    quarantine = (tmp_path / "out.parquet._quarantine.csv").read_text()
    assert "elfproef" in quarantine and "123456782" not in quarantine   # the row is counted, by number


def test_xlsx_cell_past_the_cell_limit_quarantines_its_row_as_csv_and_json_do(tmp_path, monkeypatch):
    """A 1.5 M character cell was read (and published) from a workbook; the same cell in a CSV is quarantined."""
    from pii_pipeline.io import tables

    monkeypatch.setattr(tables, "MAX_CELL_CHARS", 1_000)
    path = _one_cell_workbook(tmp_path / "c.xlsx", b'<c r="A2" t="inlineStr"><is><t>' + b"ab " * 400 + b"</t></is></c>")
    (chunk,) = list(read_table(path))
    assert chunk.frame["waarde"].tolist() == ["x"]
    assert chunk.rejected == [(1, 2, "column 1 holds a value longer than 1,000 characters")]


def test_a_surname_opening_a_short_remark_is_masked(detector):
    """The classifier masks a remark column cell by cell; the person recognizer reports a listed surname
    that opens a short remark before a verb, or that is the whole cell (recognizers/person.py, LookupNames)."""
    from pii_pipeline.masking.operators import mask_text

    for remark, surname in [("Verhoeven belt terug", "Verhoeven"), ("Brouwer belt terug", "Brouwer"),
                            ("Kuipers belt terug", "Kuipers"), ("Schouten", "Schouten")]:
        assert surname not in mask_text(remark, detector), remark


def test_a_login_column_is_personal_whether_it_holds_names_or_e_mail(detector):
    """'gebruikersnaam' of kklaassen, kees.klaassen: no recognizer, no header: 'safe', published."""
    logins = pd.Series([f"{s[0].lower()}{s.lower()}{i}" for i, s in enumerate(SURNAMES * 20)], dtype="str")
    assert classify_column(detector, "gebruikersnaam", logins).role == "direct_identifier"
    mails = pd.Series([f"{s.lower()}{i}@zorgmail.nl" for i, s in enumerate(SURNAMES * 20)], dtype="str")
    assert classify_column(detector, "login", mails).entity_type == "EMAIL_ADDRESS"
