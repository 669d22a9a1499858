"""Discovery: every PII column found with the right type, no false PII columns, no values in reports."""

import csv
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.nl import bsn
from typer.testing import CliRunner

from pii_pipeline.cli import app
from pii_pipeline.discovery import scan_file
from pii_pipeline.discovery.classifier import _Reservoir

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"

EXPECTED = {
    "claims_2026-10.csv": {
        "bsn": "NL_BSN", "verzekerdennummer": "NL_MEMBER_NUMBER", "geb_datum": "DATE_OF_BIRTH", "geslacht": "GENDER",
        "postcode": "NL_POSTCODE", "uzovi": "NL_UZOVI", "agb_zorgverlener": "NL_AGB", "opmerking": "free_text",
    },
    "invoices_2026-10.json": {
        "patient.naam": "PERSON", "patient.bsn": "NL_BSN", "patient.geboortedatum": "DATE_OF_BIRTH",
        "patient.adres.straat": "ADDRESS", "patient.adres.huisnummer": "ADDRESS", "patient.adres.postcode": "NL_POSTCODE",
        "patient.adres.woonplaats": "LOCATION", "iban": "IBAN_CODE", "email": "EMAIL_ADDRESS", "regels[].agb_code": "NL_AGB",
    },
    "export_klantcontact_2026-10.csv": {"naam": "PERSON", "telefoon": "PHONE_NUMBER", "email": "EMAIL_ADDRESS", "notitie": "free_text"},
    "id_scans_metadata.csv": {
        "documentnummer": "NL_ID_DOCUMENT", "bsn": "NL_BSN", "achternaam": "PERSON", "voornamen": "PERSON",
        "geboortedatum": "DATE_OF_BIRTH", "scanner_ip": "IP_ADDRESS", "bestandsnaam": "PERSON",
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_files_every_pii_column_and_no_other(detector, name):
    (report,) = scan_file(SAMPLES / name, detector)
    got = {c.name: ("free_text" if c.role == "free_text" else c.entity_type) for c in report.columns}
    expected = EXPECTED[name]
    for column, entity in expected.items():
        assert got[column] == entity, (column, got[column])
    false_pii = {c: e for c, e in got.items() if c not in expected and e is not None}
    assert not false_pii


def _write(path, header, rows, delimiter=";"):
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)


def test_checksum_rate_against_chance(tmp_path, detector):
    rng = random.Random(3)
    valid = []
    while len(valid) < 300:
        n = f"{rng.randint(10**8, 10**9 - 1)}"
        if bsn.is_valid(n):
            valid.append(n)
    claims = [f"{rng.randint(10**8, 10**9 - 1)}" for _ in range(300)]  # ~9% pass by chance
    path = tmp_path / "export.csv"
    _write(path, ["kolom1", "kolom2", "factuurnummer"], zip(valid, claims, valid))
    (report,) = scan_file(path, detector)
    by_name = {c.name: c for c in report.columns}
    assert by_name["kolom1"].entity_type == "NL_BSN"            # no header, all pass: far above chance
    assert "elfproef" in by_name["kolom1"].evidence
    assert by_name["kolom2"].entity_type is None                # random numbers: chance rate
    assert by_name["factuurnummer"].entity_type is None         # passes, but the header says invoice number


def test_birth_dates_versus_event_dates_without_headers(tmp_path, detector):
    rng = random.Random(4)
    rows = [[f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(1935, 2015)}",
             f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2026"] for _ in range(200)]
    path = tmp_path / "dates.csv"
    _write(path, ["d1", "d2"], rows)
    (report,) = scan_file(path, detector)
    assert [c.entity_type for c in report.columns] == ["DATE_OF_BIRTH", None]


def test_reservoir_samples_the_whole_file():
    import pandas as pd

    reservoir = _Reservoir(100, seed=1)
    for start in range(0, 10_000, 1000):
        reservoir.add(pd.DataFrame({"row": range(start, start + 1000)}))
    rows = reservoir.frame()["row"]
    assert len(rows) == 100 and rows.max() > 9000 and rows.min() < 1000



@settings(max_examples=40, deadline=None)
@given(st.integers(1, 400), st.integers(1, 60), st.integers(0, 3))   # sample_windows never samples no rows
def test_the_reservoir_of_one_frame_keeps_the_rows_the_streamed_one_keeps(n, size, seed):
    """``_Reservoir.of`` (a CSV's windows, sampled in one go by position) draws as ``add`` does: the same rows,
    the same frame (string columns with blanks and missing cells, as the CSV reader gives them)."""
    import pandas as pd

    frame = pd.DataFrame({"a": pd.Series([None if i % 7 == 3 else f"v{i % 11}" for i in range(n)], dtype="str"),
                          "b": pd.Series(["" if i % 5 == 0 else str(i) for i in range(n)], dtype="str"),
                          "c": pd.Series([None if i % 50 else "x" for i in range(n)], dtype="str")})
    reservoir = _Reservoir(size, seed=seed)
    reservoir.add(frame)
    assert _Reservoir.of(frame, size, seed).equals(reservoir.frame())

def test_scan_folder_reports_and_failures(tmp_path):
    folder = tmp_path / "landing"
    folder.mkdir()
    for name in ("claims_2026-10.csv", "invoices_2026-10.json"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    (folder / "broken.json").write_text('{"a": [1, 2', encoding="utf-8")
    (folder / "empty.csv").write_text("", encoding="utf-8")
    report, page = tmp_path / "r.json", tmp_path / "r.html"
    result = CliRunner().invoke(app, ["scan", str(folder), "--report", str(report), "--html", str(page)])
    assert result.exit_code == 1
    assert "broken.json" in result.stderr and "empty.csv" in result.stderr and "2 of 4" in result.stderr
    doc = json.loads(report.read_text())
    assert doc["report_version"] == 1
    assert sorted(Path(f["path"]).name for f in doc["files"]) == ["claims_2026-10.csv", "invoices_2026-10.json"]
    assert sorted(Path(f["path"]).name for f in doc["failures"]) == ["broken.json", "empty.csv"]
    column = doc["files"][0]["columns"][1]
    assert set(column) == {"name", "entity_type", "confidence", "role", "evidence", "text_entities", "example"}
    # No raw value from the inputs anywhere in the reports or the terminal output.
    values = set()
    with (SAMPLES / "claims_2026-10.csv").open(encoding="cp1252") as f:
        for row in csv.DictReader(f, delimiter=";"):
            values.update({row["bsn"], row["verzekerdennummer"], row["geb_datum"], row["agb_zorgverlener"]})
    invoices = json.loads((SAMPLES / "invoices_2026-10.json").read_text(encoding="utf-8"))["facturen"]
    for inv in invoices:
        values.update({inv["iban"], inv["email"], inv["patient"]["bsn"], inv["patient"]["naam"]})
    texts = report.read_text() + page.read_text() + result.stdout + result.stderr
    leaked = [v for v in values if v and v in texts]
    assert not leaked, f"{len(leaked)} raw values in the reports"


def test_header_only_file_is_a_clear_error(tmp_path, detector):
    from pii_pipeline.errors import InputError

    path = tmp_path / "header_only.csv"
    path.write_text("bsn;naam\n", encoding="utf-8")
    with pytest.raises(InputError, match="header_only.csv: no data rows"):
        scan_file(path, detector)


def test_date_evidence_gives_decades_not_the_oldest_birth_year(tmp_path, detector):
    # The oldest birth year of a column points at one person: the evidence says decades only.
    path = tmp_path / "leden.csv"
    _write(path, ["geboortedatum"], [[f"0{i % 9 + 1}-0{i % 9 + 1}-{1931 + i % 60}"] for i in range(200)])
    (report,) = scan_file(path, detector)
    (column,) = report.columns
    assert column.entity_type == "DATE_OF_BIRTH" and "from the 1930s to the 1990s" in column.evidence
    assert "1931" not in column.evidence and "1990" not in column.evidence.replace("1990s", "")
