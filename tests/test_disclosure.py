"""Disclosure control: k over persons, the lattice search, l-diversity, dataset consistency, honest figures, ``risk``.

Figures are checked three ways: against a small example worked out by hand (in the comments), against
pandas group counts written here, and against pycanon (IFCA), an independent k-anonymity / l-diversity checker.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pii_pipeline import batch
from pii_pipeline.cli import app
from pii_pipeline.masking.engine import PrivacyGateFailed, manifest_path, mask_file
from pii_pipeline.masking.hierarchies import hierarchy_for
from pii_pipeline.masking.kanon import GateSpec, KAnonymityGate, QuasiIdentifier
from pii_pipeline.masking.policy import KAnonymity, LDiversity, default_policy
from pii_pipeline.masking.risk import class_measures

sys.path.insert(0, str(Path(__file__).resolve().parent))
import population  # noqa: E402

KEY = b"test-key-0123456789abcdef0123456789abcdef"
REFERENCE = dt.date(2026, 11, 1)
EMPTY = "(empty)"


def _policy(**k_options):
    p = default_policy()
    k = p.k_anonymity.model_copy(update=k_options) if k_options else p.k_anonymity
    return p.model_copy(update={"reference_date": REFERENCE, "k_anonymity": k})


def _person_classes(frame: pd.DataFrame, qi: list, person: str) -> pd.Series:
    """Distinct persons per class, by pandas (suppressed cells as one value)."""
    return frame[qi].fillna(EMPTY).assign(_p=frame[person]).groupby(qi)["_p"].nunique()


from vendored_pycanon import anonymity, metrics  # noqa: E402  (always present: vendored, see tests/_vendor)


def _persons(frame: pd.DataFrame, qi: list, person: str) -> pd.DataFrame:
    """One row per (class, person): pycanon counts rows, so this makes it count persons."""
    return frame[qi + [person]].fillna(EMPTY).drop_duplicates()


def _pycanon_k(frame: pd.DataFrame, qi: list, person: str) -> int:
    """k over persons by pycanon."""
    return anonymity.k_anonymity(_persons(frame, qi, person), qi)


def _pycanon_l(frame: pd.DataFrame, qi: list, sensitive: str) -> int:
    """Distinct l by pycanon; rows without a value of the attribute disclose none (as the gate counts)."""
    data = frame[qi + [sensitive]].fillna({c: EMPTY for c in qi})
    return anonymity.l_diversity(data[data[sensitive].notna()], qi, [sensitive])


def _pycanon_risk(frame: pd.DataFrame, qi: list, person: str) -> dict:
    """Highest prosecutor risk and discernibility by pycanon, over persons (nothing suppressed: data_raw = data_anon)."""
    unique = _persons(frame, qi, person)
    return {"highest": round(metrics.max_rir(unique, qi), 4), "discernibility": metrics.discernability_metric(unique, unique, qi)}


# ---------------------------------------------------------------- the hand-worked example

def _example():
    # person: rows, age band, PC4
    # p1: 2 rows 40-49 1012 | p2: 1 row 40-49 1012 | p3: 1 row 40-49 1013
    # p4: 3 rows 50-59 1013 | p5: 1 row 50-59 1013 | p6: 3 rows 60-69 2000
    rows = ([("p1", "40-49", "1012")] * 2 + [("p2", "40-49", "1012"), ("p3", "40-49", "1013")]
            + [("p4", "50-59", "1013")] * 3 + [("p5", "50-59", "1013")] + [("p6", "60-69", "2000")] * 3)
    return pd.DataFrame(rows, columns=["id", "age", "pc"])


def _example_gate(**options) -> KAnonymityGate:
    spec = GateSpec(k=2, quasi=[QuasiIdentifier("age", hierarchy_for("age_band")), QuasiIdentifier("pc", hierarchy_for("pc4"))],
                    person_columns=["id"], max_suppression=options.pop("max_suppression", 0.34), **options)
    gate = KAnonymityGate(spec)
    gate.add(_example())
    return gate


def test_hand_worked_example():
    # Level 0: classes (40-49,1012) {p1,p2}, (40-49,1013) {p3}, (50-59,1013) {p4,p5}, (60-69,2000) {p6}.
    # Counted in rows, p6's class has 3 rows and would pass k=2; in persons it has 1.
    # Suppressing p3 and p6 (2 of 6 persons = 33% <= 34%) leaves two classes of 2 and a suppressed class of 2.
    # Every coarser node isolates p6 too (60-69 -> 60-79, 2000 -> 200 -> 20) unless age or PC goes to '*'
    # (loss 1/2 and more); topping up p6's suppressed class takes 2 more persons: over the limit.
    # Loss at (0,0): 4 suppressed rows x 2 cells / (11 rows x 2 cells) = 0.3636.
    d = _example_gate().decide()
    assert d.levels == {"age": 0, "pc": 0} and d.passed and d.within_limit
    assert (d.persons, d.persons_suppressed, d.rows_suppressed) == (6, 2, 4)
    assert d.before == class_measures([2, 1, 2, 1])
    assert d.before["unique_share"] == round(2 / 6, 4) and d.before["prosecutor"]["average"] == round(4 / 6, 4)
    assert d.achieved == {"k": 2, "l": None}
    assert d.after["classes"] == 3 and d.after["prosecutor"] == {"highest": 0.5, "average": 0.5}
    assert d.after["unique_share"] == 0.0 and d.loss["loss_metric"] == round(8 / 22, 4)
    gate = _example_gate()
    d = gate.decide()
    out, n = gate.apply(_example(), d)
    assert n == 4 and out["age"].isna().sum() == 4 and out.loc[out["id"].isin(["p3", "p6"]), "pc"].isna().all()
    assert _pycanon_k(out, ["age", "pc"], "id") == 2
    # Risk and loss by pycanon over the published example (the suppressed rows one class of p3 and p6):
    # classes {p1,p2}, {p4,p5}, {p3,p6}: highest risk 1/2, discernibility 3 x 2^2 = 12.
    assert _pycanon_risk(out, ["age", "pc"], "id") == {"highest": d.after["prosecutor"]["highest"],
                                                       "discernibility": d.loss["discernibility"]} == {"highest": 0.5, "discernibility": 12}
    assert _pycanon_risk(_example(), ["age", "pc"], "id")["highest"] == d.before["prosecutor"]["highest"] == 1.0


def test_no_node_within_the_limit_fails_with_best_figures():
    d = _example_gate(max_suppression=0.0).decide()
    # Only nodes with age or PC at '*' avoid suppression; at k=2 the best of them is taken (no failure):
    assert d.passed and d.persons_suppressed == 0 and "*" in d.words.values()
    d = _example_gate(max_suppression=0.0, generalize=False).decide()
    assert not d.passed and not d.within_limit
    assert "k=2" in d.message and "2 of 6 persons" in d.message and "1012" not in d.message
    d = _example_gate(max_suppression=0.0, generalize=False, on_failure="suppress").decide()
    assert d.passed and not d.within_limit and d.persons_suppressed == 2


def test_l_diversity_suppresses_homogeneous_classes():
    frame = _example().assign(diag=["A", "A", "A", "B", "C", "C", "C", "D", "E", "E", "E"])
    spec = GateSpec(k=2, quasi=[QuasiIdentifier("age", hierarchy_for("age_band")), QuasiIdentifier("pc", hierarchy_for("pc4"))],
                    person_columns=["id"], sensitive=["diag"], l=2, max_suppression=0.5, generalize=False)
    gate = KAnonymityGate(spec)
    gate.add(frame)
    d = gate.decide()
    out, _ = gate.apply(frame, d)
    # (40-49,1012) holds only A: p1 and p2 are suppressed with p3 and p6; the suppressed class has A, B, E.
    assert d.persons_suppressed == 4 and d.achieved["l"] >= 2
    assert _pycanon_l(out, ["age", "pc"], "diag") >= 2


# ---------------------------------------------------------------- the search is optimal

@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 9), st.sampled_from(["M", "V"]), st.integers(1, 3)),
                min_size=5, max_size=60), st.integers(2, 4), st.sampled_from([0.0, 0.1, 0.3]))
def test_search_finds_the_least_loss_node_and_output_is_k_anonymous(people, k, limit):
    rows = [(f"p{i}", f"{a * 5 // 10 * 10}-{a * 5 // 10 * 10 + 9}", g, f"{3500 + pc * 7}")
            for i, (a, pc, g, n) in enumerate(people) for _ in range(n)]
    frame = pd.DataFrame(rows, columns=["id", "age", "gender", "pc"])
    spec = GateSpec(k=k, quasi=[QuasiIdentifier("age", hierarchy_for("age_band")), QuasiIdentifier("gender", hierarchy_for(None)),
                                QuasiIdentifier("pc", hierarchy_for("pc4"))], person_columns=["id"], max_suppression=limit)
    gate = KAnonymityGate(spec)
    codes = gate.add(frame)   # mask stages these with the rows and generalises them from the codes
    d = gate.decide()
    prep = gate._prepare()
    from_values, from_codes = gate.apply_arrow(pa.Table.from_pandas(frame[["age", "gender", "pc"]]), d), gate.apply_codes(codes, d)
    assert from_codes[1] == from_values[1] and all(from_codes[0][c].equals(from_values[0][c]) for c in from_values[0])
    every = [gate._evaluate(prep, n) for n in itertools.product(*[range(len(c.maps)) for c in prep["cols"]])]
    qualifying = [n for n in every if n.ok]
    if not qualifying:
        assert not d.passed
        return
    assert d.passed and d.loss["loss_metric"] == round(min(n.loss for n in qualifying), 4)
    out, _ = gate.apply(frame, d)
    sizes = _person_classes(out, ["age", "gender", "pc"], "id")
    assert sizes.min() >= k == d.achieved["k"] or sizes.min() == d.achieved["k"] >= k
    assert d.persons_suppressed <= limit * frame["id"].nunique()
    suppressed = out["age"].isna() & out["pc"].isna()
    assert out.loc[suppressed, "id"].nunique() == 0 or out.loc[suppressed, "id"].nunique() >= k


# ---------------------------------------------------------------- realistic files, default policy

@pytest.fixture(scope="module")
def realistic(tmp_path_factory, detector):
    folder = tmp_path_factory.mktemp("realistic")
    claims = population.write_claims(folder / "claims_2026-10.csv")
    invoices = population.write_invoices(folder / "invoices_2026-10.json")
    out = {}
    for source in (claims, invoices):
        target = folder / f"{source.stem}.parquet"
        out[source.stem] = (source, target, mask_file(source, target, _policy(), KEY, detector=detector))
    return out


def _input_level0(source: Path) -> pd.DataFrame:
    """Age band (10 years, 90+), gender and PC4 computed here from the input, independently of the engine."""
    if source.suffix == ".csv":
        raw = pd.read_csv(source, sep=";", dtype=str, encoding="cp1252")
        born = pd.to_datetime(raw["geb_datum"], format="%d-%m-%Y")
        frame = pd.DataFrame({"id": raw["bsn"], "gender": raw["geslacht"], "pc": raw["postcode"].str[:4]})
    else:
        facturen = json.loads(source.read_text(encoding="utf-8"))["facturen"]
        born = pd.to_datetime(pd.Series([f["patient"]["geboortedatum"] for f in facturen]))
        frame = pd.DataFrame({"id": [f["patient"]["bsn"] for f in facturen], "gender": [f["patient"]["geslacht"] for f in facturen],
                              "pc": [f["patient"]["adres"]["postcode"][:4] for f in facturen]})
    ref = pd.Timestamp(REFERENCE)
    age = ref.year - born.dt.year - ((born.dt.month > ref.month) | ((born.dt.month == ref.month) & (born.dt.day > ref.day)))
    frame["age"] = [f"{a // 10 * 10}-{a // 10 * 10 + 9}" if a < 90 else "90+" for a in age]
    return frame


@pytest.mark.parametrize("name,qi,person", [
    ("claims_2026-10", ["leeftijdsklasse", "geslacht", "postcode"], "bsn"),
    ("invoices_2026-10", ["leeftijdsklasse", "patient.geslacht", "patient.adres.postcode"], "patient.bsn"),
])
def test_realistic_files_meet_the_targets(realistic, name, qi, person):
    source, target, manifest = realistic[name]
    out = pq.read_table(target).to_pandas()
    k = manifest["tables"][0]["k_anonymity"]
    persons = out[person].nunique()
    assert 1000 <= persons < len(out)                                  # many persons with several rows
    assert _pycanon_k(out, qi, person) >= 10 == k["k"]
    assert _pycanon_k(out, qi, person) == k["achieved"]["k"] == _person_classes(out, qi, person).min()
    suppressed = out[qi].isna().all(axis=1)
    assert out.loc[suppressed, person].nunique() == k["persons_suppressed"] <= 0.05 * persons
    assert int(suppressed.sum()) == k["rows_suppressed"]
    assert out[qi[1]].notna().mean() >= 0.95                           # gender kept for 95% of rows
    sizes = _person_classes(out, qi, person)
    assert k["after"]["classes"] == len(sizes) and k["after"]["prosecutor"]["highest"] == round(1 / sizes.min(), 4)
    assert _pycanon_risk(out, qi, person) == {"highest": k["after"]["prosecutor"]["highest"],
                                              "discernibility": k["information_loss"]["discernibility"]}
    assert k["after"]["prosecutor"]["average"] == round(len(sizes) / sizes.sum(), 4)
    before = _person_classes(_input_level0(source), ["age", "gender", "pc"], "id")
    assert k["before"]["classes"] == len(before) and k["before"]["unique_share"] == round(before[before == 1].sum() / before.sum(), 4)
    assert manifest["privacy_gates"]["k_anonymity"]["passed"] and k["suppression_within_limit"]
    words = {q["output_name"]: q["generalisation"] for q in k["quasi_identifiers"]}
    assert words["leeftijdsklasse"].startswith("age band") and "geb_datum" not in out


@pytest.mark.parametrize("name,qi,sensitive", [
    ("claims_2026-10", ["leeftijdsklasse", "geslacht", "postcode"], "prestatiecode"),
    ("invoices_2026-10", ["leeftijdsklasse", "patient.geslacht", "patient.adres.postcode"], "regels[].prestatiecode"),
])
def test_realistic_files_are_l_diverse(realistic, name, qi, sensitive):
    _, target, manifest = realistic[name]
    out = pq.read_table(target).to_pandas().explode(sensitive) if name.startswith("invoices") else pq.read_table(target).to_pandas()
    k = manifest["tables"][0]["k_anonymity"]
    assert k["sensitive_attributes"] == [sensitive] and k["l"] == 2
    measured = _pycanon_l(out, qi, sensitive)
    assert measured >= 2 and measured == k["achieved"]["l"]


def test_failing_gate_publishes_nothing_and_names_no_value(tmp_path, detector, sample_direct_identifiers):
    from tests.conftest import SAMPLES

    target = tmp_path / "claims.parquet"
    with pytest.raises(PrivacyGateFailed) as caught:
        mask_file(SAMPLES / "claims_2026-10.csv", target, _policy(k=50, max_suppression=0.0, generalize=False), KEY, detector=detector)
    assert "no generalisation meets k=50" in str(caught.value) and not target.exists() and not manifest_path(target).exists()
    assert not [v for v in sample_direct_identifiers if v in str(caught.value)]
    m = mask_file(SAMPLES / "claims_2026-10.csv", target, _policy(k=50, max_suppression=0.0, generalize=False, on_failure="suppress"),
                  KEY, detector=detector)
    k = m["tables"][0]["k_anonymity"]
    assert not k["suppression_within_limit"] and k["passed"] and k["persons_suppressed"] == 60


# ---------------------------------------------------------------- a dataset keeps its generalisation

def test_dataset_parts_share_levels_and_k_holds_over_the_dataset(tmp_path, detector):
    landing, output = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    oct_ = population.write_claims(landing / "claims_2026-10.csv", rows=2500, seed=1, population_seed=7)
    nov = population.write_claims(landing / "claims_2026-11.csv", rows=2500, seed=2, population_seed=7)
    policy = _policy()
    first = batch.publish_file(oct_, "claims", output, policy, KEY, detector=detector)
    second = batch.publish_file(nov, "claims", output, policy, KEY, detector=detector)
    assert first.status == second.status == "published"
    m1, m2 = sorted(batch.published_manifests(output, "claims"), key=lambda m: m["input"]["file"])
    q1, q2 = (m["tables"][0]["k_anonymity"]["quasi_identifiers"] for m in (m1, m2))
    assert [(q["output_name"], q["level"]) for q in q1] == [(q["output_name"], q["level"]) for q in q2]
    union = pd.concat([pq.read_table(p).to_pandas() for p in (output / "claims").rglob("part-*.parquet")])
    qi = [q["output_name"] for q in q1]
    assert _pycanon_k(union, qi, "bsn") >= 10
    batch.write_data_dictionary(output, "claims")
    doc = json.loads((output / "claims" / "_data_dictionary.json").read_text())
    d = doc["disclosure_control"]
    sizes = _person_classes(union, qi, "bsn")
    assert d["dataset"]["k"] == sizes.min() and d["dataset"]["persons"] == sizes.sum() and d["dataset"]["classes"] == len(sizes)
    assert {c["name"] for c in doc["columns"]} >= set(qi)
    assert "## Disclosure control" in (output / "claims" / "_data_dictionary.md").read_text()
    report = batch.run_report_markdown([first, second], dt.datetime.now(), output)
    assert "## Disclosure control" in report and "claims_2026-11.csv" in report


def test_a_file_that_would_break_k_for_the_dataset_is_not_published(tmp_path, detector):
    landing, output = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    population.write_claims(landing / "claims_2026-10.csv", rows=2500, seed=1, population_seed=7)
    policy = _policy()
    assert batch.publish_file(landing / "claims_2026-10.csv", "claims", output, policy, KEY, detector=detector).status == "published"
    # Three new persons of a gender value no one else has: classes of one at any level the dataset allows.
    header = "declaratienummer;bsn;verzekerdennummer;geb_datum;geslacht;postcode;uzovi;agb_zorgverlener;prestatiecode;behandeldatum;bedrag"
    lines = [header] + [f"9{i};{b};{7000 + i};01-01-1980;O;3511 AB;3311;12000001;C11;03-11-2026;24,73"
                        for i, b in enumerate(["111222333", "123456782", "232262536"])]
    (landing / "claims_2026-11.csv").write_text("\n".join(lines) + "\n", encoding="cp1252")
    result = batch.publish_file(landing / "claims_2026-11.csv", "claims", output, policy, KEY, detector=detector,
                                quarantine_dir=tmp_path / "q")
    assert result.status == "failed" and "k-anonymity" in result.error and "dataset" in result.error
    assert len(batch.published_manifests(output, "claims")) == 1
    assert not [v for v in ("111222333", "123456782", "232262536") if v in result.error]


def test_a_same_named_file_from_another_folder_keeps_the_datasets_levels(tmp_path, detector):
    """Identity is the landing path: b/claims.csv does not replace a/claims.csv, so it must be held to
    the levels a/claims.csv was published with; only a's own next version starts afresh."""
    landing, output = tmp_path / "landing", tmp_path / "out"
    (landing / "a").mkdir(parents=True)
    population.write_claims(landing / "a" / "claims_2026-10.csv", rows=2500, seed=1, population_seed=7)
    first = batch.publish_file(landing / "a" / "claims_2026-10.csv", "claims", output, _policy(), KEY, detector=detector,
                               source="a/claims_2026-10.csv")
    assert first.status == "published"

    def earlier(source):
        return batch._earlier_versions(output / "claims", source, "claims_2026-10.csv", batch.version_id(source, "0" * 64))

    levels = batch.dataset_disclosure(output, "claims", earlier("b/claims_2026-10.csv"))
    (manifest,) = batch.published_manifests(output, "claims")
    assert levels["levels"] == {q["column"]: q["level"] for q in manifest["tables"][0]["k_anonymity"]["quasi_identifiers"]}
    assert batch.dataset_disclosure(output, "claims", earlier("a/claims_2026-10.csv")) is None


# ---------------------------------------------------------------- the risk command

def test_risk_command_reports_without_changing_the_file(realistic, tmp_path):
    source, target, manifest = realistic["claims_2026-10"]
    before = target.read_bytes()
    runner = CliRunner()
    result = runner.invoke(app, ["risk", str(target), "--json", "--html", str(tmp_path / "risk.html")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    k = manifest["tables"][0]["k_anonymity"]
    assert report["k"] == k["achieved"]["k"] and report["l"] == k["achieved"]["l"]
    assert report["prosecutor"] == k["after"]["prosecutor"] and report["persons"] == k["after"]["persons"]
    assert target.read_bytes() == before
    page = (tmp_path / "risk.html").read_text()
    assert "<svg" in page and "prosecutor" in page
    raw = runner.invoke(app, ["risk", str(source), "--quasi", "geb_datum", "--quasi", "geslacht", "--quasi", "postcode",
                              "--person", "bsn", "--json"])
    assert raw.exit_code == 1 and json.loads(raw.output)["unique_share"] > 0.9
    bsns = set(pd.read_csv(source, sep=";", dtype=str, encoding="cp1252")["bsn"])
    assert not [b for b in bsns if b in raw.output or b in page]
    table = runner.invoke(app, ["risk", str(target)])
    assert table.exit_code == 0 and "prosecutor risk" in table.output


def test_policy_rejects_bad_hierarchy():
    from pii_pipeline.masking.policy import PolicyError, parse_policy

    with pytest.raises(PolicyError, match="hierarchies"):
        parse_policy("name: x\nentities: {}\nk_anonymity: {hierarchies: {zorgsoort: ['first:2']}}")
    assert KAnonymity().person_key == ["NL_BSN", "NL_MEMBER_NUMBER"] and LDiversity().l == 2


def test_files_of_one_dataset_are_gated_one_at_a_time(tmp_path, detector):
    from concurrent.futures import ThreadPoolExecutor

    landing, output = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    files = [population.write_claims(landing / f"claims_2026-{m}.csv", rows=1500, seed=m, population_seed=7) for m in (10, 11)]
    with ThreadPoolExecutor(2) as pool:   # as the flow submits them
        results = list(pool.map(lambda f: batch.publish_file(f, "claims", output, _policy(), KEY, detector=detector), files))
    assert [r.status for r in results] == ["published", "published"]
    scopes = sorted(m["tables"][0]["k_anonymity"]["scope"] for m in batch.published_manifests(output, "claims"))
    assert scopes == ["dataset", "file"]   # the second saw the first's levels and rows


# ---------------------------------------------------------------- l: not applicable, capped; code-list indicators

def test_l_is_null_without_a_sensitive_attribute_and_capped_at_the_values_a_table_has():
    d = _example_gate(l=2).decide()                     # l on, but the example has no sensitive column
    assert d.achieved["l"] is None and "not applicable" in d.achieved["l_note"]
    assert json.loads(json.dumps(d.to_dict()))["achieved"]["l"] is None
    # A binary attribute and l = 3: no class can hold 3 values; every published class must hold both.
    frame = _example().assign(hiv=["+", "-", "+", "-", "+", "-", "+", "-", "+", "-", "+"])
    spec = GateSpec(k=2, quasi=[QuasiIdentifier("age", hierarchy_for("age_band")), QuasiIdentifier("pc", hierarchy_for("pc4"))],
                    person_columns=["id"], sensitive=["hiv"], l=3, max_suppression=0.5)
    gate = KAnonymityGate(spec)
    gate.add(frame)
    d = gate.decide()
    out, _ = gate.apply(frame, d)
    assert d.passed and d.achieved["l"] == 2 and d.achieved["l_required_in_this_table"] == 2
    assert _pycanon_l(out, ["age", "pc"], "hiv") == 2


def test_a_code_list_indicator_is_not_a_sensitive_attribute(tmp_path, detector):
    from tests.conftest import SAMPLES
    from pii_pipeline.masking.kanon import names_a_code_list

    manifest = mask_file(SAMPLES / "VECOZO_AP304_2026-10", tmp_path / "ap.parquet", _policy(on_failure="suppress"), KEY,
                         detector=detector)
    sensitive = [s for t in manifest["tables"] for s in t["k_anonymity"].get("sensitive_attributes") or []]
    columns = [c["name"] for t in manifest["tables"] for c in t["columns"]]
    assert any(names_a_code_list(c) and "prestatiecode" in c for c in columns)   # the AP304 layout has them
    assert sensitive and not [s for s in sensitive if names_a_code_list(s)]
    assert any("prestatiecode" in s for s in sensitive)                            # the code itself still is one


def test_risk_says_l_is_not_applicable_when_the_sensitive_column_is_empty(tmp_path):
    # An empty sensitive column gives no l: the table says so in words, not as a bare dash or "None".
    rows = [{"leeftijd": str(30 + i % 3), "geslacht": "M", "diagnose": ""} for i in range(30)]
    source = tmp_path / "t.csv"
    pd.DataFrame(rows).to_csv(source, sep=";", index=False)
    result = CliRunner().invoke(app, ["risk", str(source), "--quasi", "leeftijd", "--quasi", "geslacht",
                                      "--sensitive", "diagnose", "--k", "5"])
    assert result.exit_code == 0, result.output
    assert "not applicable" in result.output and "None" not in result.output


def test_grouping_the_counts_as_they_come_changes_no_decision(monkeypatch):
    # The gate groups its (codes, person) pairs now and then while chunks stream by (memory follows the
    # distinct pairs); grouped after every few rows or never, the decision and the output are the same.
    import pii_pipeline.masking.kanon as kanon

    rng = np.random.default_rng(5)
    n = 3000
    person = rng.integers(0, 700, n)
    frame = pd.DataFrame({"id": [f"p{p}" for p in person], "age": [f"{p % 9 * 10}-{p % 9 * 10 + 9}" for p in person],
                          "pc": [str(3500 + p % 40) for p in person], "diag": rng.choice(["A", "B", "C", "D"], n)})

    def decided(group_every: int):
        monkeypatch.setattr(kanon, "GROUP_EVERY", group_every)
        spec = GateSpec(k=5, quasi=[QuasiIdentifier("age", hierarchy_for("age_band")), QuasiIdentifier("pc", hierarchy_for("pc4"))],
                        person_columns=["id"], sensitive=["diag"], l=2, max_suppression=0.05)
        gate = KAnonymityGate(spec)
        for start in range(0, n, 250):
            gate.add(frame.iloc[start:start + 250])
        d = gate.decide()
        return json.dumps(d.to_dict(), sort_keys=True, default=str), gate.apply(frame, d)[0]

    often, never = decided(7), decided(10 ** 9)
    assert often[0] == never[0]
    pd.testing.assert_frame_equal(often[1], never[1])
