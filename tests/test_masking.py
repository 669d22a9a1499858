"""Masking: policy validation, pseudonyms, operators, formats, quarantine, privacy gates, manifest."""

import csv
import json
import stat
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn
from typer.testing import CliRunner

from pii_pipeline.cli import app
from pii_pipeline.masking import MissingKey, PolicyError, Pseudonymizer, default_policy, load_key, load_policy
from pii_pipeline.masking.engine import PrivacyGateFailed, manifest_path, mask_file
from pii_pipeline.masking.kanon import KAnonymityGate
from pii_pipeline.masking.policy import parse_policy, shipped_policy_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
KEY = b"93ed157c9bca545fc9612c854c00d3f962b5d998aab530a214c6d89eba1cd51d"


def output_text(path: Path) -> str:
    """Everything an output holds, as text (Parquet decompressed)."""
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pandas().to_csv()
    if path.suffix == ".xlsx":
        return pd.read_excel(path, sheet_name=None, dtype=str).__repr__() + "".join(
            df.to_csv() for df in pd.read_excel(path, sheet_name=None, dtype=str).values())
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ policy

def test_default_policy_matches_the_documented_defaults():
    p = default_policy()
    assert {e for e, r in p.entities.items() if r.operator == "pseudonymize"} >= {"NL_BSN", "NL_MEMBER_NUMBER", "NL_AGB"}
    for direct in ("PERSON", "ADDRESS", "IBAN_CODE", "PHONE_NUMBER", "EMAIL_ADDRESS", "NL_ID_DOCUMENT"):
        assert p.entities[direct].operator == "drop"
    assert p.entities["DATE_OF_BIRTH"].to == "age_band" and p.entities["NL_POSTCODE"].to == "pc4"
    assert p.entities["NL_UZOVI"].operator == "keep" and p.free_text.operator == "mask_text"
    assert p.default.operator == "keep" and p.k_anonymity.k == 10


@pytest.mark.parametrize("yaml_text, message", [
    ("name: x\nentities: {NL_BSN: {operator: shred}}", "entities.NL_BSN.operator"),
    ("name: x\nentities: {NL_BSNN: {operator: drop}}", "unknown entity type(s) ['NL_BSNN']"),
    ("name: x\nentities: {DATE_OF_BIRTH: {operator: generalize}}", "generalize needs 'to'"),
    ("name: x\nentities: {NL_POSTCODE: {operator: generalize, to: age_band}}", "cannot generalize to age_band"),
    ("name: x\nentities: {}\nk_anonymity: {k: 1}", "k_anonymity.k"),
    ("name: x\nentities: {}\nsurprise: 1", "surprise"),
    ("name: x\nentities: {}\npseudonym_domain: 'Mijn Domein'", "pseudonym_domain"),
    ("name: [unclosed", "not valid YAML"),
])
def test_invalid_policies_fail_with_the_field_named(yaml_text, message):
    with pytest.raises(PolicyError) as exc:
        parse_policy(yaml_text, "p.yaml")
    assert message in str(exc.value) and "p.yaml" in str(exc.value)


def test_unknown_policy_column_fails_before_any_row_is_read(tmp_path):
    # The rows after the header cannot be parsed at all: the policy error must come first.
    source = tmp_path / "claims.csv"
    source.write_bytes(b"bsn;bedrag\n" + b"1;2;3;4;5\n" * 10 + b'"unclosed\n')
    policy = parse_policy("name: x\nentities: {}\nstrict: true\ncolumns: {bsm: {operator: drop}}")
    with pytest.raises(PolicyError, match="policy column 'bsm' is not a column"):
        mask_file(source, tmp_path / "out.parquet", policy, KEY)


def test_policy_init_writes_the_default_which_loads_back(tmp_path):
    target = tmp_path / "policy.yaml"
    result = CliRunner().invoke(app, ["policy", "init", str(target)])
    assert result.exit_code == 0, result.output
    assert load_policy(target) == default_policy()
    assert "# " in target.read_text()  # the reasons are documented in the file
    assert CliRunner().invoke(app, ["policy", "init", str(target)]).exit_code == 2  # no silent overwrite
    assert CliRunner().invoke(app, ["policy", "check", str(target)]).exit_code == 0


# ------------------------------------------------------------------ pseudonyms and key

def test_key_is_required_and_never_defaulted(tmp_path):
    with pytest.raises(MissingKey, match="PII_PIPELINE_KEY"):
        load_key({"XDG_CONFIG_HOME": str(tmp_path)})
    with pytest.raises(MissingKey, match="too short"):
        load_key({"PII_PIPELINE_KEY": "short"})
    assert load_key({"PII_PIPELINE_KEY": KEY.decode()}) == KEY


def test_mask_refuses_to_run_without_a_key(tmp_path, monkeypatch):
    monkeypatch.delenv("PII_PIPELINE_KEY", raising=False)
    out = tmp_path / "claims.parquet"
    result = CliRunner().invoke(app, ["mask", str(SAMPLES / "claims_2026-10.csv"), "-o", str(out)])
    assert result.exit_code == 2 and "PII_PIPELINE_KEY" in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


valid_bsns = st.integers(10_000_000, 999_999_999).map(lambda n: f"{n:09d}").filter(stdnum_bsn.is_valid)


@settings(max_examples=60, deadline=None)
@given(valid_bsns)
def test_bsn_notations_share_one_pseudonym(number):
    p = Pseudonymizer(KEY, "statistics")
    dotted = f"{number[:3]}.{number[3:5]}.{number[5:7]}.{number[7:]}"
    assert p.pseudonym("NL_BSN", number) == p.pseudonym("NL_BSN", dotted) == p.pseudonym("NL_BSN", f" {number[:4]} {number[4:]} ")
    if number.startswith("0"):
        assert p.pseudonym("NL_BSN", number) == p.pseudonym("NL_BSN", number[1:])  # Excel ate the zero


def test_other_key_or_domain_gives_unrelated_pseudonyms():
    base = Pseudonymizer(KEY, "statistics")
    values = [f"{n:09d}" for n in range(100_000_000, 100_000_200)]
    mine = {base.pseudonym("NL_BSN", v) for v in values}
    other_domain = {Pseudonymizer(KEY, "research").pseudonym("NL_BSN", v) for v in values}
    other_key = {Pseudonymizer(KEY[::-1], "statistics").pseudonym("NL_BSN", v) for v in values}
    assert len(mine) == 200 and not (mine & other_domain) and not (mine & other_key)
    assert base.key_id != Pseudonymizer(KEY[::-1], "statistics").key_id


# ------------------------------------------------------------------ end to end on the sample files

@pytest.fixture(scope="module")
def masked(tmp_path_factory, detector):
    """Every sample file masked once with the default policy, into the formats the issue names."""
    out = tmp_path_factory.mktemp("masked")
    targets = {"claims_2026-10.csv": "claims.parquet", "invoices_2026-10.json": "invoices.jsonl",
               "export_klantcontact_2026-10.csv": "export.csv", "id_scans_metadata.csv": "id_scans.xlsx",
               "notes.jsonl": "notes.parquet"}
    manifests = {}
    for source, target in targets.items():
        manifests[target] = mask_file(SAMPLES / source, out / target, default_policy(), KEY, detector=detector)
    return out, manifests


def test_no_direct_identifier_reaches_any_output(masked, sample_direct_identifiers, find_leaks):
    out, _ = masked
    files = [p for p in out.iterdir() if p.is_file()]
    assert {p.suffix for p in files} >= {".parquet", ".jsonl", ".csv", ".xlsx", ".json"}
    for path in files:
        found = find_leaks(sample_direct_identifiers, output_text(path))
        assert not found, f"{path.name}: {len(found)} direct-identifier values from the input"


def test_sums_per_insurer_period_and_code_are_unchanged(masked):
    out, manifests = masked
    source = pd.read_csv(SAMPLES / "claims_2026-10.csv", sep=";", encoding="cp1252", dtype=str)
    source["bedrag"] = source["bedrag"].str.replace(",", ".").map(Decimal)
    source["month"] = pd.to_datetime(source["behandeldatum"], format="%d-%m-%Y").dt.strftime("%Y-%m")
    result = pq.read_table(out / "claims.parquet").to_pandas()
    result["month"] = pd.to_datetime(result["behandeldatum"]).dt.strftime("%Y-%m")
    keys = ["uzovi", "month", "prestatiecode"]
    before = source.groupby(keys)["bedrag"].sum().to_dict()
    after = result.groupby(keys)["bedrag"].sum().to_dict()
    assert before == after and len(result) == len(source)
    assert (result["declaratienummer"].tolist() == source["declaratienummer"].tolist())


def test_parquet_schema_is_explicit_and_typed(masked):
    out, _ = masked
    schema = pq.read_schema(out / "claims.parquet")
    assert str(schema.field("bedrag").type) == "decimal128(18, 2)"
    assert str(schema.field("behandeldatum").type) == "date32[day]"
    for name in ("declaratienummer", "bsn", "uzovi", "prestatiecode", "leeftijdsklasse", "postcode"):
        assert str(schema.field(name).type) == "string", name
    meta = pq.ParquetFile(out / "claims.parquet").metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"


def test_same_person_same_pseudonym_across_files_and_runs(masked, tmp_path, detector):
    out, _ = masked
    claims = pq.read_table(out / "claims.parquet").to_pandas()
    ids = pd.read_excel(out / "id_scans.xlsx", dtype=str)
    raw_claims = pd.read_csv(SAMPLES / "claims_2026-10.csv", sep=";", encoding="cp1252", dtype=str)
    raw_ids = pd.read_csv(SAMPLES / "id_scans_metadata.csv", dtype=str)
    claims_map = dict(zip(raw_claims["bsn"], claims["bsn"]))
    shared = [(b, p) for b, p in zip(raw_ids["bsn"], ids["bsn"]) if b in claims_map]
    assert shared, "the sample files share persons"
    assert all(claims_map[b] == p for b, p in shared)
    # A second run with the same key and domain gives the same pseudonyms; another domain does not.
    again = mask_file(SAMPLES / "claims_2026-10.csv", tmp_path / "again.parquet", default_policy(), KEY, detector=detector)
    assert pq.read_table(tmp_path / "again.parquet")["bsn"].to_pylist() == claims["bsn"].tolist()
    mask_file(SAMPLES / "claims_2026-10.csv", tmp_path / "other.parquet", default_policy(), KEY, detector=detector, domain="research")
    assert not set(pq.read_table(tmp_path / "other.parquet")["bsn"].to_pylist()) & set(claims["bsn"])
    assert again["key_id"] == masked[1]["claims.parquet"]["key_id"]


def test_quasi_identifiers_generalised_and_k_anonymous(masked):
    out, manifests = masked
    claims = pq.read_table(out / "claims.parquet").to_pandas()
    k = manifests["claims.parquet"]["tables"][0]["k_anonymity"]
    names = {q["column"]: q["output_name"] for q in k["quasi_identifiers"]}
    assert names["geb_datum"] == "leeftijdsklasse" and "geb_datum" not in claims   # the column says what it holds
    qi = list(names.values())
    assert claims["leeftijdsklasse"].dropna().str.fullmatch(r"\d+-\d+|\d+\+|\*").all()
    # Classes are counted in distinct persons (the sample has 60 persons over 400 claims).
    persons = claims[qi].fillna("").assign(p=claims["bsn"]).groupby(qi)["p"].nunique()
    assert persons.min() >= 10 and k["achieved"]["k"] == persons.min() and k["persons"] == 60
    assert k["before"]["k"] < 10 and k["rows_suppressed"] == int(claims[qi].isna().all(axis=1).sum())


def test_manifest_records_what_was_done(masked):
    out, manifests = masked
    m = json.loads(manifest_path(out / "claims.parquet").read_text())
    assert m == manifests["claims.parquet"]
    assert m["rows"] == {"in": 400, "out": 400, "quarantined": 0}
    assert len(m["input"]["sha256"]) == 64 and m["input"]["bytes"] == (SAMPLES / "claims_2026-10.csv").stat().st_size
    assert m["policy"]["name"] == "statistics" and len(m["policy"]["sha256"]) == 64
    assert m["key_id"].startswith("k1-") and KEY.decode() not in json.dumps(m)
    ops = {c["name"]: c["operator"] for c in m["tables"][0]["columns"]}
    assert ops["bsn"] == "pseudonymize" and ops["opmerking"] == "mask_text" and ops["bedrag"] == "keep"
    assert {"pii_pipeline", "presidio-analyzer", "recognizers"} <= set(m["tool"])
    assert m["privacy_gates"]["value_sweep"]["passed"] and m["privacy_gates"]["k_anonymity"]["passed"]


def test_free_text_keeps_its_meaning_and_loses_its_names(masked):
    out, _ = masked
    export = pd.read_csv(out / "export.csv", dtype=str)
    assert "naam" not in export and "telefoon" not in export and "email" not in export
    notes = export["notitie"].dropna().tolist()
    assert any("<PERSON>" in n for n in notes) and any("behandeld" in n for n in notes)


def test_text_document_masked_in_place(tmp_path, detector, find_leaks):
    source = tmp_path / "brief.txt"
    source.write_text("Geachte heer Jansen,\nUw BSN 123456782 en IBAN NL91 ABNA 0417 1643 00 zijn bekend.\n", encoding="utf-8")
    mask_file(source, tmp_path / "brief_masked.txt", default_policy(), KEY, detector=detector)
    text = (tmp_path / "brief_masked.txt").read_text()
    assert "<NL_BSN>" in text and "<IBAN_CODE>" in text and "zijn bekend" in text
    assert not find_leaks({"Jansen", "123456782", "NL91ABNA0417164300"}, text)


def test_mask_text_with_pseudonym_tokens_links_names(tmp_path, detector):
    source = tmp_path / "notes.jsonl"
    source.write_text("\n".join(json.dumps({"id": i, "tekst": t}) for i, t in enumerate([
        "Mevrouw Jansen belde over haar nota en wil worden teruggebeld.",
        "Terugbelverzoek van mevrouw Jansen over de nota van vorige maand."])), encoding="utf-8")
    policy = parse_policy(shipped_policy_text().replace("free_text: {operator: mask_text, replace_with: tag}",
                                                        "free_text: {operator: mask_text, replace_with: pseudonym}"))
    mask_file(source, tmp_path / "out.jsonl", policy, KEY, detector=detector)
    texts = [json.loads(l)["tekst"] for l in (tmp_path / "out.jsonl").read_text().splitlines()]
    tokens = [t.split("mevrouw ")[1].split(">")[0] for t in (x.replace("Mevrouw", "mevrouw") for x in texts)]
    assert tokens[0] == tokens[1] and tokens[0].startswith("<PERSON:")


# ------------------------------------------------------------------ bad input, quarantine, gates

def write_claims(path: Path, rows: list[list[str]]) -> None:
    header = "declaratienummer;bsn;geb_datum;postcode;uzovi;bedrag"
    path.write_text("\n".join([header] + [";".join(r) for r in rows]) + "\n", encoding="utf-8")


def good_rows(n: int) -> list[list[str]]:
    numbers = [f"{x:09d}" for x in range(100_000_000, 100_200_000) if stdnum_bsn.is_valid(f"{x:09d}")][:n]
    return [[f"2026{i:06d}", b, f"{1 + i % 28:02d}-0{1 + i % 9}-19{50 + i % 40}", f"{1000 + i % 7} AB", "3311", f"{i},{i % 100:02d}"]
            for i, b in enumerate(numbers)]


def test_bad_rows_go_to_an_owner_only_quarantine_without_values(tmp_path, detector):
    rows = good_rows(60)
    rows[10][2] = "31-02-1980"          # no such date: cannot be generalised
    rows[20][3] = "ABCD 12"             # not a postcode
    rows[30][5] = "12,5x"               # not an amount
    rows.insert(40, rows[40] + ["extra"])  # too many fields
    source = tmp_path / "claims.csv"
    write_claims(source, rows)
    manifest = mask_file(source, tmp_path / "out.parquet", default_policy(), KEY, detector=detector)
    assert manifest["rows"] == {"in": 61, "out": 57, "quarantined": 4}
    q = tmp_path / manifest["quarantine"]["file"]
    assert stat.S_IMODE(q.stat().st_mode) == 0o600
    quarantined = list(csv.DictReader(q.open()))
    assert [int(r["row"]) for r in quarantined] == [11, 21, 31, 41]
    assert [r["column"] for r in quarantined] == ["geb_datum", "postcode", "bedrag", ""]
    text = q.read_text()
    for value in ("31-02-1980", "ABCD 12", "12,5x", "extra", rows[40][1]):
        assert value not in text
    assert pq.read_table(tmp_path / "out.parquet").num_rows == 57


def test_value_sweep_stops_publication_and_says_where_not_what(tmp_path, detector):
    source = tmp_path / "claims.csv"
    write_claims(source, good_rows(40))
    leaky = parse_policy(shipped_policy_text().replace("NL_BSN: {operator: pseudonymize}", "NL_BSN: {operator: keep}"))
    out = tmp_path / "out.parquet"
    with pytest.raises(PrivacyGateFailed) as exc:
        mask_file(source, out, leaky, KEY, detector=detector)
    assert "bsn" in str(exc.value) and "NL_BSN" in str(exc.value)
    assert not out.exists() and not manifest_path(out).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left
    report = json.loads(exc.value.report.read_text())
    assert report["locations"][0] == {"row": 1, "column": "bsn", "entity_types": ["NL_BSN"], "table": "claims.csv"}
    assert good_rows(1)[0][1] not in exc.value.report.read_text() + str(exc.value)


def test_value_sweep_catches_an_email_in_a_kept_column(tmp_path, detector):
    source = tmp_path / "export.csv"
    source.write_text("id,kenmerk\n" + "".join(f"{i},ref-{i}\n" for i in range(30)) + "30,jan@example.nl\n", encoding="utf-8")
    # Discovery sees the address and masks the column cell by cell; kept by the policy, the sweep still catches it.
    kept = parse_policy(shipped_policy_text().replace("\ncolumns: {}", "\ncolumns: {kenmerk: {operator: keep}}"))
    with pytest.raises(PrivacyGateFailed, match="kenmerk: 1 row"):
        mask_file(source, tmp_path / "out.csv", kept, KEY, detector=detector)


def test_cli_mask_end_to_end(tmp_path, key_env):
    out = tmp_path / "claims.parquet"
    result = CliRunner().invoke(app, ["mask", str(SAMPLES / "claims_2026-10.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "400 of 400 rows" in result.stdout and "k-anonymity" in result.stdout
    assert out.exists() and manifest_path(out).exists()
    bad = CliRunner().invoke(app, ["mask", str(SAMPLES / "claims_2026-10.csv"), "-o", str(tmp_path / "x.docx")])
    assert bad.exit_code == 2 and "unsupported output format" in bad.stderr


@pytest.mark.parametrize("fresh", [False, True], ids=["forked", "spawned"])
def test_workers_give_the_same_output(tmp_path, detector, monkeypatch, fresh):
    # Sweep workers are forked for a small file and started afresh for a large one (engine.worker_pool):
    # the same output, withheld cells and manifest either way.
    import pii_pipeline.masking.engine as engine

    monkeypatch.setattr(engine, "SPAWN_FROM_BYTES", 0 if fresh else 1 << 62)
    one = mask_file(SAMPLES / "export_klantcontact_2026-10.csv", tmp_path / "one.parquet", default_policy(), KEY,
                    detector=detector, chunk_rows=30)
    two = mask_file(SAMPLES / "export_klantcontact_2026-10.csv", tmp_path / "two.parquet", default_policy(), KEY,
                    detector=detector, chunk_rows=30, workers=2)
    assert pq.read_table(tmp_path / "one.parquet").equals(pq.read_table(tmp_path / "two.parquet"))
    assert one["output"]["sha256"] == two["output"]["sha256"]
    assert one["privacy_gates"] == two["privacy_gates"]
    # A sweep that finds identifiers: the same locations, merged from the workers in batch order.
    source = tmp_path / "claims.csv"
    write_claims(source, good_rows(40))
    leaky = parse_policy(shipped_policy_text().replace("NL_BSN: {operator: pseudonymize}", "NL_BSN: {operator: keep}"))
    failures = []
    for workers in (1, 2):
        with pytest.raises(PrivacyGateFailed) as exc:
            mask_file(source, tmp_path / f"leaky{workers}.parquet", leaky, KEY, detector=detector, chunk_rows=10,
                      workers=workers)
        failures.append(exc.value.findings)
    assert failures[0] == failures[1] and len(failures[0]) == 38   # as one worker finds them


def test_k_anonymity_gate_generalises_before_suppressing():
    from pii_pipeline.masking.hierarchies import hierarchy_for
    from pii_pipeline.masking.kanon import GateSpec, QuasiIdentifier

    spec = GateSpec(k=3, quasi=[QuasiIdentifier("age", hierarchy_for("age_band")), QuasiIdentifier("pc", hierarchy_for("pc4"))],
                    max_suppression=0.0)
    gate = KAnonymityGate(spec)
    frame = pd.DataFrame({"age": ["40-49", "50-59", "40-49", "50-59", "40-49", "50-59"],
                          "pc": ["1011", "1012", "1013", "1014", "1015", "1016"]})
    gate.add(frame)
    decision = gate.decide()
    assert decision.levels == {"age": 0, "pc": 1} and decision.suppressed_rows == 0
    assert decision.renames == {"age": "leeftijdsklasse", "pc": "pc3"}
    out, suppressed = gate.apply(frame, decision)
    assert out["pc"].tolist() == ["101"] * 6 and suppressed == 0