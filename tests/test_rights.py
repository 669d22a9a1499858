"""Data-subject rights over published datasets: locate (access, portability), erase (crash-safe),
objection and lasting erasure in the flow's mask path, and leaks of the BSNs given.

The datasets are the sample claims (CSV), invoices (nested JSON) and ID-scan metadata, published
once per module by the batch library; the truth comes from the raw sample files.
"""

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pii_pipeline import batch
from pii_pipeline.masking import default_policy
from pii_pipeline.masking.policy import parse_policy, shipped_policy_text
from pii_pipeline.rights import RightsError, subjects
from pii_pipeline.rights.erase import erase
from pii_pipeline.rights.locate import export, locate
from pii_pipeline.rights.rewrite import finish_pending, read_log

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
KEY_TEXT = "93ed157c9bca545fc9612c854c00d3f962b5d998aab530a214c6d89eba1cd51d"   # strong: the CLI refuses weak keys
KEY = KEY_TEXT.encode()
DATASETS = ("claims", "invoices", "id_scans_metadata")
ABSENT_BSN = "111222333"   # valid (11-test) and in no sample file


def _raw():
    """BSN -> {dataset: set of row keys} from the raw sample files."""
    truth = {}
    with (SAMPLES / "claims_2026-10.csv").open(encoding="cp1252") as f:
        for row in csv.DictReader(f, delimiter=";"):
            truth.setdefault(row["bsn"], {}).setdefault("claims", set()).add(row["declaratienummer"])
    for inv in json.loads((SAMPLES / "invoices_2026-10.json").read_text(encoding="utf-8"))["facturen"]:
        truth.setdefault(inv["patient"]["bsn"], {}).setdefault("invoices", set()).add(inv["factuurnummer"])
    with (SAMPLES / "id_scans_metadata.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            truth.setdefault(row["bsn"], {}).setdefault("id_scans_metadata", set()).add(row["scantijd"].replace("T", " ")[:16])
    return truth


ROW_KEY = {"claims": "declaratienummer", "invoices": "factuurnummer", "id_scans_metadata": "scantijd"}


def _keys(frame: pd.DataFrame, dataset: str) -> set:
    col = frame[ROW_KEY[dataset]]
    return set(col.astype(str).str.slice(0, 16) if dataset == "id_scans_metadata" else col.astype(str))


@pytest.fixture(scope="module")
def published(tmp_path_factory, detector):
    base = tmp_path_factory.mktemp("rights")
    landing = base / "landing"
    landing.mkdir()
    for name in ("claims_2026-10.csv", "invoices_2026-10.json", "id_scans_metadata.csv"):
        shutil.copy(SAMPLES / name, landing / name)
    out = base / "out"
    results = batch.run_without_prefect(landing, out, default_policy(), KEY)
    assert [r.status for r in results] == ["published"] * 3
    return landing, out


@pytest.fixture
def out(published, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(published[1], copy)
    return copy


@pytest.fixture(scope="module")
def chosen():
    """Persons in all three datasets, in one only, several times in claims, and one in none."""
    truth = _raw()
    everywhere = [b for b, d in truth.items() if len(d) == 3][:3]
    one_only = [b for b, d in truth.items() if len(d) == 1][:2]
    many = sorted(truth, key=lambda b: -len(truth[b].get("claims", ())))[:2]
    people = list(dict.fromkeys(everywhere + one_only + many)) + [ABSENT_BSN]
    assert len(everywhere) == 3 and len(one_only) == 2
    return people, truth


def _dataset(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / name)


def test_locate_finds_every_row_of_every_person_and_nothing_else(out, chosen):
    people, truth = chosen
    location = locate([out], KEY, subjects(KEY, people, request_id="SAR-1"))
    tables = {d: {h.part: pq.ParquetFile(out / d / h.part).read().to_pandas() for h in location.hits if h.dataset == d}
              for d in DATASETS}
    for i, bsn in enumerate(people):
        for dataset in DATASETS:
            found = set()
            for h in location.hits:
                if h.dataset == dataset and i in h.rows:
                    found |= _keys(tables[dataset][h.part].iloc[sorted(h.rows[i])], dataset)
            assert found == truth.get(bsn, {}).get(dataset, set()), (i, dataset)
    counts = location.counts()
    assert counts[f"SAR-1-{len(people):04d}"] == {} and set(counts) == {f"SAR-1-{i:04d}" for i in range(1, len(people) + 1)}
    assert sum(n for c in counts.values() for per in c.values() for n in per.values()) == \
        sum(len(truth.get(b, {}).get(d, ())) for b in people for d in DATASETS)


def test_member_number_and_key_checks(out, chosen):
    with (SAMPLES / "claims_2026-10.csv").open(encoding="cp1252") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    member = rows[0]["verzekerdennummer"]
    expected = {r["declaratienummer"] for r in rows if r["verzekerdennummer"] == member}
    location = locate([out / "claims"], KEY, subjects(KEY, member_numbers=[member]))
    (hit,) = location.hits
    part = pq.ParquetFile(out / "claims" / hit.part).read().to_pandas()
    assert set(part.iloc[sorted(hit.rows[0])]["declaratienummer"]) == expected
    with pytest.raises(RightsError, match="published with key"):
        locate([out], b"another-key-0123456789abcdef0123456789", subjects(KEY, [ABSENT_BSN]))
    with pytest.raises(RightsError, match="line 2: not a valid BSN"):
        bad = out / "bsns.txt"
        bad.write_text(f"{ABSENT_BSN}\n123456789\n")
        subjects(KEY, bsn_file=bad)
    with pytest.raises(RightsError, match="must not contain"):
        subjects(KEY, [ABSENT_BSN], request_id=f"R-{ABSENT_BSN}")


def test_export_writes_the_persons_rows_as_csv_and_json(out, chosen, tmp_path):
    people, truth = chosen
    location = locate([out], KEY, subjects(KEY, people[:1], request_id="SAR-2"))
    files = export(location, tmp_path / "export")
    assert sorted(p.name for p in files) == sorted(f"{d}.{e}" for d in DATASETS for e in ("csv", "json"))
    claims = json.loads((tmp_path / "export" / "SAR-2" / "claims.json").read_text())
    assert {r["declaratienummer"] for r in claims} == truth[people[0]]["claims"]
    assert len(pd.read_csv(tmp_path / "export" / "SAR-2" / "invoices.csv")) == len(truth[people[0]]["invoices"])
    assert oct(os.stat(files[0]).st_mode)[-3:] == "600"


def _other_rows(out: Path, dataset: str, erased: set) -> pd.DataFrame:
    frame = _dataset(out, dataset)
    keep = ~frame[ROW_KEY[dataset]].astype(str).str.slice(0, 16 if dataset == "id_scans_metadata" else None).isin(erased)
    return frame.loc[keep].astype(str).sort_values(ROW_KEY[dataset]).reset_index(drop=True)


def _erased_keys(truth, people, dataset):
    return set().union(*(truth.get(b, {}).get(dataset, set()) for b in people))


def test_erase_removes_exactly_those_rows_and_logs_pseudonyms(out, chosen):
    people, truth = chosen
    before = {d: _other_rows(out, d, _erased_keys(truth, people, d)) for d in DATASETS}
    claims = _dataset(out, "claims")
    totals = {d: len(_dataset(out, d)) for d in DATASETS}
    job = erase([out], KEY, subjects(KEY, people, request_id="ER-1"), "ER-1")
    for d in DATASETS:
        after = _dataset(out, d)
        assert len(after) == totals[d] - len(_erased_keys(truth, people, d)) and not (_keys(after, d) & _erased_keys(truth, people, d))
        pd.testing.assert_frame_equal(_other_rows(out, d, set()), before[d])
        manifest = json.loads(next((out / d / "_manifests").glob("*.json")).read_text())
        assert manifest["rows"]["out"] == len(after) and manifest["rows"]["erased"] == len(_erased_keys(truth, people, d))
        assert json.loads((out / d / "_data_dictionary.json").read_text())["rows"] == len(after)
    # Sums of the other persons unchanged.
    kept = claims[~claims["declaratienummer"].isin(_erased_keys(truth, people, "claims"))]
    assert _dataset(out, "claims")["bedrag"].sum() == kept["bedrag"].sum()
    (entry,) = read_log(out / "_rights" / "erasure_log.jsonl")
    assert entry["request_id"] == "ER-1" and entry["datasets"]["claims"]["rows"] == len(_erased_keys(truth, people, "claims"))
    assert len(entry["pseudonyms"]) == len(people) and not list((out / "_rights" / "pending").iterdir())
    assert job["log"] == entry
    again = erase([out], KEY, subjects(KEY, people), "ER-2")   # nothing left to erase
    assert again["log"]["datasets"] == {}


def test_dry_run_changes_nothing(out, chosen):
    people, _ = chosen
    digest = lambda: {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()}
    before = digest()
    job = erase([out], KEY, subjects(KEY, people), "DRY", dry_run=True)
    assert sum(d["rows"] for d in job["log"]["datasets"].values()) > 0
    assert digest() == before


def _cli(env_extra, *args):
    env = {**os.environ, "PII_PIPELINE_KEY": KEY_TEXT, **env_extra}
    env.pop("PII_PIPELINE_CRASH_AT", None) if "PII_PIPELINE_CRASH_AT" not in env_extra else None
    return subprocess.run([sys.executable, "-m", "pii_pipeline.cli", *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=300, cwd=ROOT)


@pytest.mark.parametrize("point", ["erasure:after-journal", "erasure:after-part", "erasure:after-manifests", "erasure:after-log"])
def test_erase_killed_at_any_point_is_finished_by_the_rerun(out, chosen, tmp_path, point):
    people, truth = chosen
    reference = tmp_path / "reference"
    shutil.copytree(out, reference)
    erase([reference], KEY, subjects(KEY, people, request_id="K-1"), "K-1")
    bsn_file = tmp_path / "people.txt"
    bsn_file.write_text("\n".join(people) + "\n")
    killed = _cli({"PII_PIPELINE_CRASH_AT": point}, "erase", out, "--bsn-file", bsn_file, "--request-id", "K-1")
    assert killed.returncode == 137, killed.stderr[-2000:]
    assert list((out / "_rights" / "pending").glob("*.json"))        # the journal says what is left to do
    erase([out], KEY, subjects(KEY, people, request_id="K-1"), "K-1")   # the rerun: finishes the job first
    for d in DATASETS:
        pd.testing.assert_frame_equal(_dataset(out, d).astype(str).sort_values(ROW_KEY[d]).reset_index(drop=True),
                                      _dataset(reference, d).astype(str).sort_values(ROW_KEY[d]).reset_index(drop=True))
        assert not list((out / d).rglob(".*tmp"))
    logged = [e for e in read_log(out / "_rights" / "erasure_log.jsonl") if sum(x["rows"] for x in e["datasets"].values())]
    (ref,) = read_log(reference / "_rights" / "erasure_log.jsonl")
    assert len(logged) == 1 and logged[0]["datasets"] == ref["datasets"]


def test_the_bsns_given_appear_in_no_output(out, chosen, tmp_path, find_leaks):
    people, _ = chosen
    bsn_file = tmp_path / "people.txt"
    bsn_file.write_text("\n".join(people) + "\n")
    runs = [_cli({}, "-v", "locate", out, "--bsn-file", bsn_file, "--export", tmp_path / "export"),
            _cli({}, "-v", "erase", out, "--bsn-file", bsn_file, "--request-id", "LEAK-1")]
    assert all(r.returncode == 0 for r in runs), [r.stderr[-500:] for r in runs]
    assert "s-" in runs[0].stdout and "LEAK-1" in runs[1].stdout
    summary = json.dumps(locate([out], KEY, subjects(KEY, people)).summary())   # what --json prints
    assert '"subjects"' in summary and not find_leaks(set(people), summary)
    mistyped = _cli({}, "locate", out, "--bsn", people[0], people[1])   # a second BSN where a folder belongs
    assert mistyped.returncode == 2
    for r in runs + [mistyped]:
        assert not find_leaks(set(people), r.stdout + r.stderr)
    for path in [*out.rglob("*"), *(tmp_path / "export").rglob("*")]:
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            assert not find_leaks(set(people), text), path


def _policy_with(tmp_path, extra: str):
    text = shipped_policy_text("statistics") + "\n" + extra
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return parse_policy(text), path


def test_objection_list_keeps_persons_out_and_counts_them(published, chosen, tmp_path, find_leaks):
    landing, _ = published
    people, truth = chosen
    (tmp_path / "objections.txt").write_text("# objections\n" + "\n".join(people[:3]) + "\n")
    policy, _ = _policy_with(tmp_path, f"exclude: {{bsn_file: {tmp_path / 'objections.txt'}}}\n")
    out = tmp_path / "out"
    results = batch.run_without_prefect(landing, out, policy, KEY)
    for r in results:
        expected = len(_erased_keys(truth, people[:3], r.dataset))
        assert r.status == "published" and r.rows_excluded == expected and r.rows_in == r.rows_out + r.rows_quarantined + expected
        frame = _dataset(out, r.dataset)
        assert not (_keys(frame, r.dataset) & _erased_keys(truth, people[:3], r.dataset))
        manifest = json.loads(next((out / r.dataset / "_manifests").glob("*.json")).read_text())
        assert manifest["excluded"] == {"objection": expected}
    report = (out / "run_report.md").read_text()
    assert f"excluded (objection or erased) {sum(r.rows_excluded for r in results)}" in report
    for path in out.rglob("*"):
        if path.is_file():
            assert not find_leaks(set(people[:3]), path.read_bytes().decode("utf-8", errors="replace")), path


def test_erased_persons_stay_erased_and_rectification_republishes(published, chosen, tmp_path):
    landing, _ = published
    people, truth = chosen
    out = tmp_path / "out"
    shutil.copytree(published[1], out)
    erase([out], KEY, subjects(KEY, people[:2]), "ER-9")
    erase([out], KEY, subjects(KEY, people[2:3]), "RECT-1", rectification=True)
    # A later delivery of the same old claims (another file, one amount changed) and the corrected file.
    later = tmp_path / "later"
    later.mkdir()
    text = (SAMPLES / "claims_2026-10.csv").read_text(encoding="cp1252")
    (later / "claims_2026-10_002.csv").write_text(text.replace(";12,14;", ";12,15;", 1), encoding="cp1252")
    (result,) = batch.run_without_prefect(later, out, default_policy(), KEY)
    erased = _erased_keys(truth, people[:2], "claims")
    assert result.status == "published" and result.rows_excluded == len(erased)
    frame = _dataset(out, "claims")
    assert not (set(frame["declaratienummer"]) & erased)
    # The rectified person is back (from the corrected delivery), once.
    rectified = _erased_keys(truth, people[2:3], "claims")
    assert (frame["declaratienummer"].isin(rectified)).sum() == len(rectified)


def test_finish_pending_is_a_no_op_without_jobs(out):
    assert finish_pending(out) == 0


def test_erase_waits_for_no_run_it_refuses_while_one_holds_the_output(out, chosen):
    """A run publishing while an erasure plans could add the person's rows after they were located."""
    people, _ = chosen
    before = {d: len(_dataset(out, d)) for d in DATASETS}
    with batch.run_lock(out):
        with pytest.raises(RightsError, match="another run is using this output folder"):
            erase([out], KEY, subjects(KEY, people), "ER-LOCKED")
        assert erase([out], KEY, subjects(KEY, people), "DRY", dry_run=True)["log"]["datasets"]  # reading is fine
    assert {d: len(_dataset(out, d)) for d in DATASETS} == before
    assert not (out / "_rights" / "erasure_log.jsonl").exists()
    erase([out], KEY, subjects(KEY, people), "ER-AFTER")  # the lock is gone with its holder
    assert all(len(_dataset(out, d)) <= before[d] for d in DATASETS)


def test_free_text_tokens_of_a_person_are_located_and_erased(tmp_path):
    # With replace_with: pseudonym, a BSN in a note becomes <NL_BSN:token>: access must report that row,
    # and erasure must remove it, also when the person is in no BSN column of that row.
    text = shipped_policy_text("statistics").replace("free_text: {operator: mask_text, replace_with: tag}",
                                                     "free_text: {operator: mask_text, replace_with: pseudonym}")
    assert "replace_with: pseudonym" in text
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    mentioned, other = "111222333", "123456782"
    rows = [("1", f"Partner met BSN {mentioned} belde over de nota, graag terugbellen."),
            ("2", f"Verzekerde met burgerservicenummer {other} vraagt om een kopie van de polis."),
            ("3", "Geen bijzonderheden bij deze behandeling, de nota is volledig vergoed."),
            ("4", f"Nogmaals gebeld door de partner (BSN {mentioned}) over dezelfde nota.")]
    with (landing / "notities_2026-10.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["notitienummer", "notitie"])
        writer.writerows(rows)
    results = batch.run_without_prefect(landing, out, parse_policy(text), KEY)
    assert [r.status for r in results] == ["published"]
    location = locate([out], KEY, subjects(KEY, [mentioned], request_id="SAR-2"))
    (hit,) = location.hits
    frame = pq.ParquetFile(out / hit.dataset / hit.part).read().to_pandas()
    assert sorted(frame.iloc[sorted(hit.rows[0])]["notitienummer"].astype(str)) == ["1", "4"]
    job = erase([out], KEY, subjects(KEY, [mentioned], request_id="ER-2"), "ER-2")
    assert job["log"]["datasets"][hit.dataset]["rows"] == 2
    left = pd.read_parquet(out / hit.dataset)
    assert sorted(left["notitienummer"].astype(str)) == ["2", "3"]
    assert not locate([out], KEY, subjects(KEY, [mentioned], request_id="SAR-3")).hits
