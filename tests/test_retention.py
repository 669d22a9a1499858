"""Retention over published datasets: rows past their term go (per row, per person, per period),
straddling parts are rewritten, a dry run changes nothing, a killed run is finished, old quarantined
inputs are deleted; and the retention flow runs in Prefect with the objection list kept out of its tables.
"""

import datetime as dt
from decimal import Decimal
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pii_pipeline import batch
from pii_pipeline.masking import default_policy
from pii_pipeline.masking.policy import parse_policy, shipped_policy_text
from pii_pipeline.rights.retention import clean_quarantine, cutoff, retention
from pii_pipeline.rights.rewrite import read_log

ROOT = Path(__file__).resolve().parent.parent
KEY_TEXT = "93ed157c9bca545fc9612c854c00d3f962b5d998aab530a214c6d89eba1cd51d"   # strong: the CLI refuses weak keys
KEY = KEY_TEXT.encode()
AS_OF = dt.date(2026, 12, 15)   # cutoff for 7y: 2019-12-15, inside a month: its part straddles


def _bsns(n, rng):
    found = []
    while len(found) < n:
        digits = [rng.randrange(10) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1))) % 11
        if check < 10 and digits[0] != 0:
            found.append("".join(map(str, digits)) + str(check))
    return found


@pytest.fixture(scope="module")
def source(tmp_path_factory, detector):
    """600 debt rows of 40 persons over 2015-2026, published by month of factuurdatum."""
    rng = random.Random(7)
    people = _bsns(40, rng)
    start = dt.date(2015, 1, 1)
    rows = []
    for i in range(600):
        # Half of the persons have only old records; the others also recent ones.
        person = rng.randrange(40)
        span = (dt.date(2019, 6, 1) if person < 20 else dt.date(2026, 11, 30)) - start
        day = start + dt.timedelta(days=rng.randrange(span.days))
        rows.append({"regel": f"R{i:04d}", "bsn": people[person], "factuurdatum": day.isoformat(),
                     "bedrag": f"{rng.randrange(100, 99999) / 100:.2f}"})
    # Two rows in the month the 7-year cutoff falls in, one each side of it.
    rows += [{"regel": "R9000", "bsn": people[30], "factuurdatum": "2019-12-01", "bedrag": "10.00"},
             {"regel": "R9001", "bsn": people[30], "factuurdatum": "2019-12-20", "bedrag": "20.00"}]
    frame = pd.DataFrame(rows)
    base = tmp_path_factory.mktemp("retention")
    landing = base / "landing"
    landing.mkdir()
    frame.to_csv(landing / "debts.csv", index=False)
    out = base / "out"
    (result,) = batch.run_without_prefect(landing, out, default_policy(), KEY)
    assert result.status == "published" and result.rows_out == 602
    frame["factuurdatum"] = pd.to_datetime(frame["factuurdatum"]).dt.date
    return frame, out


@pytest.fixture
def out(source, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(source[1], copy)
    return copy


def _policy(rule: str):
    return parse_policy(shipped_policy_text("statistics") + f"\nretention:\n  debts: {rule}\n")


def _left(out):
    frame = pd.read_parquet(out / "debts")
    return set(frame["regel"]), frame


def test_rows_past_their_term_go_and_straddling_parts_are_rewritten(out, source):
    frame, _ = source
    limit = cutoff(AS_OF, "7y")
    assert limit == dt.date(2019, 12, 15)
    report = retention([out], _policy("{column: factuurdatum, keep: 7y}"), AS_OF)
    expected = frame[frame["factuurdatum"] >= limit]
    kept, published = _left(out)
    assert kept == set(expected["regel"])
    assert published["bedrag"].sum() == sum(Decimal(v) for v in expected["bedrag"])   # sums of what is kept: exact
    assert report["datasets"]["debts"]["rows"] == len(frame) - len(expected)
    assert not list((out / "debts").glob("period=2019-11")) or not list((out / "debts" / "period=2019-11").glob("*.parquet"))
    straddling = pd.read_parquet(out / "debts" / "period=2019-12")
    assert "R9001" in set(straddling["regel"]) and (straddling["factuurdatum"] >= limit).all()
    manifest = json.loads(next((out / "debts" / "_manifests").glob("*.json")).read_text())
    assert manifest["rows"]["out"] == len(expected) and manifest["rows"]["expired"] == len(frame) - len(expected)
    assert all((out / "debts" / p).exists() for p in manifest["parts"]) and "period=2015-01" not in str(manifest["parts"])
    (entry,) = read_log(out / "_rights" / "retention_log.jsonl")
    assert entry["datasets"]["debts"]["rule"]["keep"] == "7y"
    assert sum(entry["datasets"]["debts"]["periods"].values()) == len(frame) - len(expected)
    again = retention([out], _policy("{column: factuurdatum, keep: 7y}"), AS_OF)   # nothing more to do
    assert again["datasets"]["debts"]["rows"] == 0 and len(read_log(out / "_rights" / "retention_log.jsonl")) == 1


def test_term_from_the_persons_last_record(out, source):
    frame, _ = source
    limit = cutoff(AS_OF, "7y")
    retention([out], _policy("{column: factuurdatum, keep: 7y, from: last_per_person}"), AS_OF)
    last = frame.groupby("bsn")["factuurdatum"].transform("max")
    expected = frame[last >= limit]
    assert _left(out)[0] == set(expected["regel"])
    assert (expected["factuurdatum"] < limit).any()   # old rows of persons with a recent record stay


def test_term_by_partition_period(out, source):
    frame, _ = source
    retention([out], _policy("{keep: 3y}"), AS_OF)   # cutoff 2023-12-15: months ending before it go
    month_end = frame["factuurdatum"].map(lambda d: (pd.Timestamp(d) + pd.offsets.MonthEnd(0)).date())
    assert _left(out)[0] == set(frame[month_end >= dt.date(2023, 12, 15)]["regel"])


def test_dry_run_changes_nothing(out):
    digest = lambda: {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()}
    before = digest()
    report = retention([out], _policy("{column: factuurdatum, keep: 7y}"), AS_OF, dry_run=True)
    assert report["datasets"]["debts"]["rows"] > 0 and digest() == before


def test_killed_retention_is_finished_by_the_rerun(out, source, tmp_path):
    frame, _ = source
    policy = tmp_path / "policy.yaml"
    policy.write_text(shipped_policy_text("statistics") + "\nretention:\n  debts: {column: factuurdatum, keep: 7y}\n")
    env = {**os.environ, "PII_PIPELINE_KEY": KEY_TEXT, "PII_PIPELINE_CRASH_AT": "retention:after-part"}
    cmd = [sys.executable, "-m", "pii_pipeline.cli", "retention", str(out), "--policy", str(policy), "--as-of", AS_OF.isoformat()]
    killed = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert killed.returncode == 137, killed.stderr[-2000:]
    env.pop("PII_PIPELINE_CRASH_AT")
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert _left(out)[0] == set(frame[frame["factuurdatum"] >= cutoff(AS_OF, "7y")]["regel"])
    logged = [e for e in read_log(out / "_rights" / "retention_log.jsonl") if e.get("datasets")]
    assert len(logged) == 1 and logged[0]["datasets"]["debts"]["rows"] == int((frame["factuurdatum"] < cutoff(AS_OF, "7y")).sum())


def test_old_quarantined_inputs_are_deleted(tmp_path):
    folder = tmp_path / "quarantine"
    folder.mkdir()
    for name, days in (("old.csv", 45), ("new.csv", 3)):
        (folder / name).write_text("x")
        when = dt.datetime.combine(AS_OF, dt.time()) - dt.timedelta(days=days)
        (folder / f"{name}.reason.json").write_text(json.dumps({"file": name, "reason": "r", "quarantined_at": when.isoformat()}))
    assert clean_quarantine(tmp_path, folder, "30d", AS_OF, dry_run=True) == {"term": "30d", "deleted": 1, "kept": 1}
    assert len(list(folder.iterdir())) == 4
    clean_quarantine(tmp_path, folder, "30d", AS_OF)
    assert sorted(p.name for p in folder.iterdir()) == ["new.csv", "new.csv.reason.json"]


def test_flows_keep_objections_out_of_prefect_and_apply_retention(source, tmp_path, find_leaks):
    """One process: the anonymisation flow with an objection list, then the retention flow (Prefect's
    temporary server); nothing Prefect stored holds an objected BSN."""
    frame, _ = source
    landing = tmp_path / "landing"
    landing.mkdir()
    frame.assign(factuurdatum=frame["factuurdatum"].astype(str)).to_csv(landing / "debts.csv", index=False)
    objected = sorted(set(frame["bsn"]))[:3]
    (tmp_path / "objections.txt").write_text("\n".join(objected) + "\n")
    policy = tmp_path / "policy.yaml"
    policy.write_text(shipped_policy_text("statistics") + "\nexclude: {bsn_file: objections.txt}\n"
                      "retention:\n  debts: {column: factuurdatum, keep: 7y}\n")
    home = tmp_path / "prefect_home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PII_PIPELINE_KEY=KEY_TEXT, PREFECT_HOME=str(home))
    out = tmp_path / "out"
    script = ("from flows.anonymise import anonymise_landing; from flows.retention import retention_flow; "
              f"anonymise_landing({str(landing)!r}, {str(out)!r}, {str(policy)!r}); "
              f"print(retention_flow({str(out)!r}, {str(policy)!r}, {str(landing / '_quarantine')!r}, False, "
              f"{AS_OF.isoformat()!r})['datasets']['debts']['rows'])")
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    kept = frame[~frame["bsn"].isin(objected)]
    assert run.stdout.strip().splitlines()[-1] == str(int((kept["factuurdatum"] < cutoff(AS_OF, "7y")).sum()))
    assert set(pd.read_parquet(out / "debts")["regel"]) == set(kept[kept["factuurdatum"] >= cutoff(AS_OF, "7y")]["regel"])
    assert "excluded (objection or erased) " + str(len(frame) - len(kept)) in (out / "run_report.md").read_text()
    stored = [p for p in home.rglob("*") if p.is_file()] + [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name.startswith("prefect.db") for p in stored)
    for path in stored:
        assert not find_leaks(set(objected), path.read_bytes().decode("utf-8", errors="replace")), path
    assert not find_leaks(set(objected), run.stdout + run.stderr)


def test_retention_refuses_while_a_run_holds_the_output(out):
    from pii_pipeline.rights.subjects import RightsError

    policy = _policy("{column: factuurdatum, keep: 7y}")
    with batch.run_lock(out):
        with pytest.raises(RightsError, match="another run is using this output folder"):
            retention([out], policy, AS_OF)
    assert len(_left(out)[0]) == 602
    assert retention([out], policy, AS_OF)["datasets"]["debts"]["rows"] > 0
