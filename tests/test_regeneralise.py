"""A new file that would break k for its dataset: ``on_dataset_break: regeneralise`` takes the whole dataset
to coarser levels and re-publishes every part with the new file in one commit; crash-safe (kill -9, rerun).

Figures are checked by pycanon (vendored, see tests/_vendor) over the union of the published parts.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

import population
from pii_pipeline import batch
from pii_pipeline.masking.policy import default_policy
from vendored_pycanon import anonymity

KEY = b"test-key-0123456789abcdef0123456789abcdef"
QI = ["leeftijdsklasse", "geslacht", "postcode"]
# Crash points: before the commit (parts staged), at it, while old parts are swapped, while new ones are renamed.
POINTS = ["regeneralise-staged", "manifest-written", "regeneralising", "renaming", "renamed"]


def _policy(on_break: str):
    p = default_policy()
    return p.model_copy(update={"reference_date": dt.date(2026, 11, 1),
                                "k_anonymity": p.k_anonymity.model_copy(update={"on_dataset_break": on_break})})


def _with_old_people(source, target, n=8):
    """The file's first ``n`` persons made 96 years old: two classes of four at the dataset's levels (90+ x gender),
    9 % of the file's persons, over the 5 % limit; at age band 80+ they join the 80-89 year olds."""
    lines = source.read_text(encoding="cp1252").splitlines()
    rows = [r.split(";") for r in lines[1:]]
    old = list(dict.fromkeys(r[1] for r in rows))[:n]
    for r in rows:
        if r[1] in old:
            r[3], r[4] = "01-01-1930", "MV"[old.index(r[1]) % 2]
    target.write_text("\n".join([lines[0]] + [";".join(r) for r in rows]) + "\n", encoding="cp1252")


def _run(landing, out, on_break, crash_at=None):
    if crash_at is None:
        return batch.run_without_prefect(landing, out, _policy(on_break), KEY)

    def child():
        os.environ[batch.CRASH_ENV] = crash_at
        batch.run_without_prefect(landing, out, _policy(on_break), KEY)
        os._exit(0)

    proc = multiprocessing.get_context("fork").Process(target=child)
    proc.start()
    proc.join(180)
    return proc.exitcode


def _levels(out):
    return [[(q["output_name"], q["level"]) for q in m["tables"][0]["k_anonymity"]["quasi_identifiers"]]
            for m in batch.published_manifests(out, "claims")]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, detector):
    """October published; November (with eight 96-year-olds) waiting in the landing folder."""
    root = tmp_path_factory.mktemp("regen")
    landing, out = root / "landing", root / "out"
    landing.mkdir()
    population.write_claims(landing / "claims_2026-10.csv", rows=2500, seed=1, population_seed=7)
    assert [r.status for r in _run(landing, out, "fail")] == ["published"]
    population.write_claims(root / "nov.csv", rows=150, seed=2, population_seed=7)
    _with_old_people(root / "nov.csv", landing / "claims_2026-11.csv")
    return landing, out


def _copy(dataset, tmp_path):
    landing, out = tmp_path / "landing", tmp_path / "out"
    shutil.copytree(dataset[0], landing)
    shutil.copytree(dataset[1], out)
    return landing, out


def _check_consistent(out, rows_expected):
    """Every part once, all at one set of levels (one schema), k and l over the union by pycanon."""
    parts = sorted((out / "claims").rglob("part-*.parquet"))
    schemas = {tuple(pq.read_schema(p).names) for p in parts}
    assert len(schemas) == 1
    levels = _levels(out)
    assert len(levels) == 2 and levels[0] == levels[1]
    assert all(m["state"] == "published" and "rewrites" not in m for m in batch.published_manifests(out, "claims"))
    assert not list((out / "claims").rglob(".*.tmp"))
    union = pd.concat([pq.read_table(p).to_pandas() for p in parts], ignore_index=True)
    assert len(union) == rows_expected
    assert set(union["leeftijdsklasse"].dropna()) <= {"0-19", "20-39", "40-59", "60-79", "80+"}
    persons = union[QI + ["bsn"]].fillna("(suppressed)").drop_duplicates()
    assert anonymity.k_anonymity(persons, QI) >= 10
    assert anonymity.l_diversity(union[QI + ["prestatiecode"]].fillna("(suppressed)"), QI, ["prestatiecode"]) >= 2
    return union


def test_a_breaking_file_regeneralises_the_dataset_and_republishes_its_parts(dataset, tmp_path):
    landing, out = _copy(dataset, tmp_path)
    before = _levels(out)[0]
    rows_oct = batch.published_manifests(out, "claims")[0]["rows"]["out"]
    failed = _run(landing, out, "fail")
    assert [r.status for r in failed] == ["skipped", "failed"] and "dataset" in failed[1].error
    assert _levels(out) == [before]                                         # nothing changed
    results = _run(landing, out, "regeneralise")
    assert [r.status for r in results] == ["skipped", "published"]
    after = _levels(out)[0]
    assert dict(after)["leeftijdsklasse"] > dict(before)["leeftijdsklasse"]   # coarser age bands, every part
    union = _check_consistent(out, rows_oct + results[1].rows_out)
    oct_, nov = sorted(batch.published_manifests(out, "claims"), key=lambda m: m["input"]["file"])
    assert oct_["regeneralised_by"] == nov["version"] and nov["regeneralised_versions"] == [oct_["version"]]
    assert nov["tables"][0]["k_anonymity"]["regeneralised"]["geb_datum"]["to"] == dict(after)["leeftijdsklasse"]
    assert oct_["rows"]["out"] == rows_oct and oct_["utility_by_period"]                # rows and sums untouched
    doc = json.loads((out / "claims" / "_data_dictionary.json").read_text())["disclosure_control"]
    age = next(q for q in doc["quasi_identifiers"] if q["column"] == "geb_datum")
    assert age["generalisation"] == "age band 20 years, 80+" and age["mapping"]["90+"] == "80+"
    assert doc["dataset"]["k"] == anonymity.k_anonymity(union[QI + ["bsn"]].fillna("-").drop_duplicates(), QI)
    assert "age band 20 years, 80+" in (out / "claims" / "_data_dictionary.md").read_text()


@pytest.mark.parametrize("point", POINTS)
def test_kill_during_regeneralisation_then_rerun_leaves_each_part_once_at_one_level(dataset, tmp_path, point):
    landing, out = _copy(dataset, tmp_path)
    rows_oct = batch.published_manifests(out, "claims")[0]["rows"]["out"]
    assert _run(landing, out, "regeneralise", crash_at=point) == 137, f"the run never reached {point}"
    results = _run(landing, out, "regeneralise")
    nov = [m for m in batch.published_manifests(out, "claims") if m["input"]["file"] == "claims_2026-11.csv"][0]
    assert [r.status for r in results][0] == "skipped"
    _check_consistent(out, rows_oct + nov["rows"]["out"])
    doc = json.loads((out / "claims" / "_data_dictionary.json").read_text())["disclosure_control"]
    assert {q["level"] for q in doc["quasi_identifiers"] if q["column"] == "geb_datum"} == {2}
