"""The batch library under the flows: datasets, incremental publish, partitions, bad files (no Prefect)."""

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest

from pii_pipeline import batch
from pii_pipeline.masking import PolicyError, default_policy

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
KEY = b"93ed157c9bca545fc9612c854c00d3f962b5d998aab530a214c6d89eba1cd51d"


@pytest.mark.parametrize("name, dataset", [
    ("claims_2026-11.csv", "claims"), ("claims_2026-11-03.csv", "claims"), ("claims_20261103_002.csv", "claims"),
    ("declaraties-2026-10-v2.xlsx", "declaraties"), ("export_klantcontact_2026-10.csv", "export_klantcontact"),
    ("id_scans_metadata.csv", "id_scans_metadata"), ("Facturen 2026-11.json", "facturen"),
])
def test_dataset_name_drops_date_and_sequence_suffixes(name, dataset):
    assert batch.dataset_name(name) == dataset


def test_dataset_mapping(tmp_path):
    mapping = tmp_path / "datasets.yaml"
    mapping.write_text("claims: ['claims_*', 'declaraties_*']\nid_scans:\n  files: ['id_scans_*']\n  period_column: scantijd\n")
    m = batch.DatasetMapping.load(mapping)
    assert m.dataset_for("declaraties_2026-11.csv") == "claims" and m.dataset_for("id_scans_metadata.csv") == "id_scans"
    assert m.dataset_for("other_2026-11.csv") == "other" and m.period_columns == {"id_scans": "scantijd"}
    mapping.write_text("Claims Data: ['x']\n")
    with pytest.raises(PolicyError, match="dataset name"):
        batch.DatasetMapping.load(mapping)


@pytest.fixture
def landing(tmp_path):
    folder = tmp_path / "landing"
    folder.mkdir()
    for name in ("claims_2026-10.csv", "invoices_2026-10.json", "id_scans_metadata.csv"):
        shutil.copy(SAMPLES / name, folder / name)
    return folder


def test_publish_is_incremental_and_readable_as_one_table(landing, tmp_path, detector):
    out = tmp_path / "out"
    first = batch.run_without_prefect(landing, out, default_policy(), KEY)
    assert [r.status for r in first] == ["published"] * 3
    # pandas, pyarrow.dataset and DuckDB read each dataset folder as one table with a period column.
    claims = pd.read_parquet(out / "claims")
    assert len(claims) == 400 and set(claims["period"].astype(str)) == {"2026-10"}
    assert ds.dataset(out / "invoices", format="parquet", partitioning="hive").count_rows() == 40
    total = duckdb.sql(f"select count(*), sum(bedrag) from read_parquet('{out}/claims/**/*.parquet', hive_partitioning=true)").fetchall()[0]
    assert total[0] == 400
    # The id-scan dataset is not partitioned by the documents' expiry date.
    manifest = json.loads(next((out / "id_scans_metadata" / "_manifests").glob("*.json")).read_text())
    assert manifest["period_column"] == "scantijd"
    dictionary = json.loads((out / "claims" / "_data_dictionary.json").read_text())
    types = {c["name"]: c["type"] for c in dictionary["columns"]}
    assert types["bedrag"] == "decimal(18,2)" and types["bsn"] == "string" and "naam" not in types
    assert (out / "claims" / "_data_dictionary.md").exists() and (out / "run_report.md").exists()

    again = batch.run_without_prefect(landing, out, default_policy(), KEY)
    assert [r.status for r in again] == ["skipped"] * 3
    assert len(pd.read_parquet(out / "claims")) == 400 and len(list((out / "claims").rglob("part-*.parquet"))) == 1


def test_changed_file_replaces_its_earlier_version(landing, tmp_path, detector):
    out = tmp_path / "out"
    batch.run_without_prefect(landing, out, default_policy(), KEY)
    lines = (landing / "claims_2026-10.csv").read_bytes().splitlines(keepends=True)
    (landing / "claims_2026-10.csv").write_bytes(b"".join(lines[:201]))  # a corrected delivery: 200 rows
    results = batch.run_without_prefect(landing, out, default_policy(), KEY)
    assert {r.file: r.status for r in results}["claims_2026-10.csv"] == "published"
    assert len(pd.read_parquet(out / "claims")) == 200
    assert len(list((out / "claims" / "_manifests").glob("*.json"))) == 1


def test_rows_spread_over_months_land_in_their_partitions(tmp_path, detector):
    landing = tmp_path / "landing"
    landing.mkdir()
    rows = ["declaratienummer;behandeldatum;bedrag"] + [f"{i};{1 + i % 28:02d}-{1 + i % 3:02d}-2026;1,00" for i in range(90)]
    (landing / "claims_q1.csv").write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    (result,) = batch.run_without_prefect(landing, out, default_policy(), KEY)
    assert result.partitions == ["2026-01", "2026-02", "2026-03"]
    table = pd.read_parquet(out / "claims")
    assert table.groupby(table["period"].astype(str)).size().to_dict() == {"2026-01": 30, "2026-02": 30, "2026-03": 30}


def test_bad_file_goes_to_quarantine_and_the_rest_goes_on(landing, tmp_path, detector):
    (landing / "broken_2026-10.json").write_text('{"facturen": [ {"bsn": "123456782"', encoding="utf-8")
    out, quarantine = tmp_path / "out", tmp_path / "quarantine"
    results = batch.run_without_prefect(landing, out, default_policy(), KEY, quarantine_dir=quarantine)
    status = {r.file: r.status for r in results}
    assert status["broken_2026-10.json"] == "failed" and list(status.values()).count("published") == 3
    assert not (landing / "broken_2026-10.json").exists() and (quarantine / "broken_2026-10.json").exists()
    reason = json.loads((quarantine / "broken_2026-10.json.reason.json").read_text())
    assert "not valid JSON" in reason["reason"] and "123456782" not in json.dumps(reason)
    report = (out / "run_report.md").read_text()
    assert "failed 1" in report and "broken_2026-10.json" in report


def test_a_dataset_never_mixes_keys(landing, tmp_path, detector):
    out = tmp_path / "out"
    batch.run_without_prefect(landing, out, default_policy(), KEY)
    (landing / "claims_2026-11.csv").write_bytes((SAMPLES / "claims_2026-10.csv").read_bytes()[:2000])
    changed = (SAMPLES / "claims_2026-10.csv").read_bytes()
    (landing / "claims_2026-10.csv").write_bytes(changed.replace(b";12,14;", b";12,15;"))   # a changed file
    # Said before anything moves: every dataset published with the other key, with its key id.
    mismatches = batch.key_mismatches(out, KEY[::-1])
    assert set(mismatches) == {"claims", "invoices", "id_scans_metadata"}
    assert "stay in the landing folder" in batch.key_mismatch_message(mismatches, KEY[::-1])
    quarantine = tmp_path / "q"
    results = batch.run_without_prefect(landing, out, default_policy(), KEY[::-1], quarantine_dir=quarantine)
    failed = sorted(r.file for r in results if r.status == "failed")
    assert failed == ["claims_2026-10.csv", "claims_2026-11.csv"]
    assert all("was published with key" in r.error and "left in the landing folder" in r.error
               for r in results if r.status == "failed")
    # A key mismatch never moves a file: both stay where they are, nothing is quarantined.
    assert (landing / "claims_2026-10.csv").read_bytes() == changed.replace(b";12,14;", b";12,15;")
    assert (landing / "claims_2026-11.csv").exists() and not quarantine.exists()
    assert len(pd.read_parquet(out / "claims")) == 400   # the published version is untouched
    assert batch.key_mismatches(out, KEY) == {}


def test_unsupported_files_are_listed_in_the_run_report(landing, tmp_path, detector):
    (landing / "export.dat").write_bytes(b"\x00\x01")
    (landing / "brief.docx").write_bytes(b"PK\x03\x04")
    out = tmp_path / "out"
    results = batch.run_without_prefect(landing, out, default_policy(), KEY)
    assert {r.file: r.error for r in results if r.status == "unsupported"} == {
        "brief.docx": "not processed: unsupported format '.docx'", "export.dat": "not processed: unsupported format '.dat'"}
    report = (out / "run_report.md").read_text()
    assert "not processed (unsupported format) 2" in report and "## Not processed" in report
    assert "- export.dat: not processed: unsupported format '.dat'" in report
    assert (landing / "export.dat").exists()   # left where it is


def test_data_dictionary_says_when_a_dataset_has_no_period(tmp_path, detector):
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "codes.csv").write_text("code;omschrijving\nV21;consult\nV22;controle\n", encoding="utf-8")
    out = tmp_path / "out"
    batch.run_without_prefect(landing, out, default_policy(), KEY)
    text = (out / "codes" / "_data_dictionary.md").read_text()
    assert "month of" not in text and "`period=unknown`: no event-date column and no YYYY-MM in the file name" in text
    claims = tmp_path / "claims"
    claims.mkdir()
    shutil.copy(SAMPLES / "claims_2026-10.csv", claims)
    batch.run_without_prefect(claims, out, default_policy(), KEY)
    assert "(month of `behandeldatum`)" in (out / "claims" / "_data_dictionary.md").read_text()


def test_policy_overrides_scoped_by_dataset(landing, tmp_path, detector):
    from pii_pipeline.masking.policy import parse_policy

    text = (SAMPLES.parent / "src/pii_pipeline/masking/policies/statistics.yaml").read_text()
    policy = parse_policy(text + "\ncolumns: {scanner_ip: {operator: drop}}\n"
                          "datasets:\n  claims:\n    columns: {agb_zorgverlener: {operator: keep}}\n", "p.yaml")
    out = tmp_path / "out"
    results = batch.run_without_prefect(landing, out, policy, KEY)
    # claims and invoices lack scanner_ip: a warning (override not used), not a failure.
    assert {r.file: r.status for r in results} == {n: "published" for n in
                                                  ("claims_2026-10.csv", "invoices_2026-10.json", "id_scans_metadata.csv")}
    manifest = batch.published_manifests(out, "claims")[0]
    agb = next(c for c in manifest["tables"][0]["columns"] if c["name"] == "agb_zorgverlener")
    assert agb["operator"] == "keep" and agb["rule"] == "columns.agb_zorgverlener"
    assert manifest["policy"]["warnings"] == [f"{landing / 'claims_2026-10.csv'}: policy column 'scanner_ip' is not "
                                              "a column of this file (override not used)"]
    invoices = batch.published_manifests(out, "invoices")[0]   # the claims section does not apply here
    assert all(c["operator"] != "keep" for c in invoices["tables"][0]["columns"] if c["name"].endswith("agb_code"))
    strict = parse_policy(text + "\nstrict: true\ncolumns: {scanner_ip: {operator: drop}}\n", "p.yaml")
    results = batch.run_without_prefect(landing, tmp_path / "strict", strict, KEY)
    assert {r.file: r.status for r in results}["claims_2026-10.csv"] == "failed"


def test_a_run_killed_after_its_commit_is_rolled_forward(landing, tmp_path, detector):
    out = tmp_path / "out"
    batch.run_without_prefect(landing, out, default_policy(), KEY)
    part = next((out / "claims").rglob("part-*.parquet"))
    part.rename(part.parent / f".{part.name}.tmp")          # as if killed between commit and rename
    assert batch.recover_datasets(out) == 1 and part.exists()
    part.unlink()                                            # staged part lost as well: withdraw, redo
    assert batch.recover_datasets(out) == 1 and not list((out / "claims" / "_manifests").glob("*.json"))
    results = batch.run_without_prefect(landing, out, default_policy(), KEY)
    assert {r.file: r.status for r in results}["claims_2026-10.csv"] == "published"
    assert len(pd.read_parquet(out / "claims")) == 400
