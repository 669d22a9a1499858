"""Vektis EI declaration files: layouts, reading, validation, masking and the batch datasets."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pii_pipeline.errors import InputError
from pii_pipeline.io import ei
from pii_pipeline.io.tables import read_columns, read_table, table_format

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
EI_SAMPLES = {"MZ301 1.3": SAMPLES / "declaratie_mz301_2026-10.asc", "PM304 3.2": SAMPLES / "declaratie_pm304_2026-10.dat",
              "AP304 8.0": SAMPLES / "VECOZO_AP304_2026-10"}


def tables_of(path) -> dict:
    frames: dict = {}
    for chunk in read_table(path, chunk_rows=37):  # small chunks: several per record type
        frames.setdefault(chunk.table.split("#")[1], []).append((chunk.frame, list(chunk.rows())))
    return {t: (pd.concat([f for f, _ in parts], ignore_index=True), [r for _, rows in parts for r in rows])
            for t, parts in frames.items()}


def lines_of(path: Path) -> list[str]:
    return path.read_bytes().decode("latin-1").splitlines()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_bytes("".join(l + "\r\n" for l in lines).encode("latin-1"))
    return path


def element_span(layout, record, name):
    e = layout.records[record].element(name)
    return e.start - 1, e.start - 1 + e.length


# ---------------------------------------------------------------- layouts

@pytest.mark.parametrize("layout", list(ei.layouts().values()), ids=lambda l: l.label)
def test_layout_positions_tile_the_documented_record_length(layout):
    assert layout.source.startswith("github.com/")  # every layout says where its facts come from
    for record in layout.records.values():
        position = 1
        for element in record.elements:
            assert element.start == position, (record.code, element.name)
            assert element.type in ("N", "AN", "D")
            position += element.length
        assert position - 1 == layout.line_length, record.code
    assert {"01", "02", "04", "98", "99"} <= set(layout.records)


def test_the_public_standards_and_versions_are_shipped():
    labels = {l.label: (l.message_code, l.line_length) for l in ei.layouts().values()}
    assert labels["MZ301 1.3"] == ("176", 310) and labels["PM304 3.2"] == ("107", 310)
    assert labels["AP304 7.2"] == ("106", 310) and labels["AP304 8.0"] == ("193", 360)
    assert labels["PM305 3.2"] == ("108", 370)  # the PM304 return message


def test_a_broken_layout_file_is_refused():
    text = (ei.resources.files("pii_pipeline.io") / "ei_layouts" / "MZ301_1.3.csv").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="starts at 24, expected 23"):
        ei._parse_layout(text.replace("02,NUM313,Burgerservicenummer (BSN) verzekerde,15,9", "02,NUM313,Burgerservicenummer (BSN) verzekerde,15,8"), "x.csv")


# ---------------------------------------------------------------- reading

@pytest.mark.parametrize("label", list(EI_SAMPLES))
def test_every_record_is_read_and_the_sluitrecord_balances(label):
    path = EI_SAMPLES[label]
    tables = tables_of(path)
    lines = lines_of(path)
    assert sum(len(rows) for _, rows in tables.values()) == len(lines)
    assert sorted(r for _, rows in tables.values() for r in rows) == list(range(1, len(lines) + 1))  # rows are line numbers
    for table, (frame, rows) in tables.items():
        code = {"voorloop": "01", "verzekerde": "02", "debiteur": "03", "prestatie": "04", "commentaar": "98", "sluit": "99"}[table]
        assert all(lines[r - 1].startswith(code) for r in rows)
    sluit = tables["sluit"][0].iloc[0]
    prestatie = tables["prestatie"][0]
    assert int(sluit["aantal_prestatierecords"]) == len(prestatie)
    signed = sum(Decimal(v) for v in prestatie["declaratiebedrag_incl_btw"])
    assert signed == Decimal(sluit["totaal_declaratiebedrag"]) * (-1 if sluit["indicatie_debet_credit"] == "C" else 1)


def test_fields_are_typed_codes_keep_their_zeros():
    tables = tables_of(EI_SAMPLES["MZ301 1.3"])
    verzekerde, prestatie = tables["verzekerde"][0], tables["prestatie"][0]
    assert all(len(b) == 9 and b.isdigit() for b in verzekerde["burgerservicenummer_bsn_verzekerde"])
    assert any(b.startswith("0") for b in verzekerde["burgerservicenummer_bsn_verzekerde"])  # not turned into numbers
    assert all(dt.date.fromisoformat(d) for d in verzekerde["datum_geboorte_verzekerde"])
    assert all(len(u) == 4 for u in prestatie["uzovi_nummer"])
    assert set(prestatie["aantal_uitgevoerde_prestaties"]) == {"1"}
    credits = prestatie[prestatie["indicatie_debet_credit_02"] == "C"]
    assert len(credits) and all(v.startswith("-") for v in credits["declaratiebedrag_incl_btw"])
    assert all(not v.startswith("-") for v in prestatie.loc[prestatie["indicatie_debet_credit_02"] == "D", "declaratiebedrag_incl_btw"])
    # every record under a verzekerde links to it
    assert set(prestatie["verzekerde_id"]) <= set(verzekerde["identificatie_detailrecord"])
    assert "postcode_huisadres_verzekerde" in read_columns(EI_SAMPLES["MZ301 1.3"])


@pytest.mark.parametrize("name", ["decl.asc", "decl.dat", "decl.txt", "DECLARATIE"])
def test_recognised_by_content_whatever_the_extension(tmp_path, name):
    target = tmp_path / name
    shutil.copy(EI_SAMPLES["PM304 3.2"], target)
    assert table_format(target) == "ei"
    assert ei.layout_for(target).label == "PM304 3.2"
    assert ei.declaration_period(target) == "2026-10"


def test_lf_line_ends_and_a_dos_end_of_file_mark(tmp_path):
    lines = lines_of(EI_SAMPLES["MZ301 1.3"])
    target = tmp_path / "x.asc"
    target.write_bytes(("\n".join(lines) + "\n\x1a").encode("latin-1"))
    assert sum(len(rows) for _, rows in tables_of(target).values()) == len(lines)


# ---------------------------------------------------------------- validation failures

def _mutated(tmp_path, label, change) -> Path:
    lines = lines_of(EI_SAMPLES[label])
    change(lines, ei.layout_for(EI_SAMPLES[label]))
    return write_lines(tmp_path / "bad.asc", lines)


def _first(lines, code):
    return next(i for i, l in enumerate(lines) if l.startswith(code))


def _set(lines, i, span, text):
    a, b = span
    lines[i] = lines[i][:a] + text.rjust(b - a, "0") + lines[i][b:]


def _fail(path) -> InputError:
    with pytest.raises(InputError) as info:
        for _ in read_table(path):
            pass
    return info.value


def test_a_short_line_is_an_error_naming_it(tmp_path):
    def change(lines, layout):
        i = _first(lines, "04")
        lines[i] = lines[i][:250]
        change.line = i + 1
    err = _fail(_mutated(tmp_path, "MZ301 1.3", change))
    assert err.line == change.line and "has 250 characters" in err.reason and "310" in err.reason


def test_a_wrong_record_count_is_an_error_naming_the_sluitrecord(tmp_path):
    def change(lines, layout):
        _set(lines, len(lines) - 1, element_span(layout, "99", "Aantal prestatierecords"), "1")
    err = _fail(_mutated(tmp_path, "PM304 3.2", change))
    assert err.line == len(lines_of(EI_SAMPLES["PM304 3.2"]))
    assert "Aantal prestatierecords says 1, the file has" in err.reason and "type 04" in err.reason


def test_a_wrong_total_is_an_error_naming_the_sluitrecord(tmp_path):
    def change(lines, layout):
        i = _first(lines, "04")
        a, b = element_span(layout, "04", "Declaratiebedrag (incl. btw)")
        _set(lines, i, (a, b), str(int(lines[i][a:b]) + 1))
    path = _mutated(tmp_path, "AP304 8.0", change)
    err = _fail(path)
    assert err.line == len(lines_of(path)) and "Totaal declaratiebedrag says" in err.reason and "add up to" in err.reason


def test_an_unknown_version_is_a_clear_error(tmp_path):
    def change(lines, layout):
        lines[0] = lines[0][:5] + "0907" + lines[0][9:]
    err = _fail(_mutated(tmp_path, "MZ301 1.3", change))
    assert err.line == 1 and "EI message code 176 version 9.7 has no layout" in err.reason and "MZ301 1.3" in err.reason


def test_an_unknown_standard_is_a_clear_error(tmp_path):
    def change(lines, layout):
        lines[0] = "01999" + lines[0][5:]
    assert "EI message code 999" in _fail(_mutated(tmp_path, "MZ301 1.3", change)).reason


@pytest.mark.parametrize("case, expected", [
    ("prestatie_first", "before any verzekerdenrecord"),
    ("no_sluit", "ends without a sluitrecord"),
    ("after_sluit", "after the sluitrecord"),
    ("unknown_record", "record type '05' is not in the MZ301 1.3 layout"),
    ("not_a_number", "is not a number of cents"),
])
def test_record_order_and_contents(tmp_path, case, expected):
    def change(lines, layout):
        if case == "prestatie_first":
            i = _first(lines, "04")
            lines.insert(1, lines.pop(i))
        elif case == "no_sluit":
            lines.pop()
        elif case == "after_sluit":
            lines.append(lines[1])
        elif case == "unknown_record":
            lines[3] = "05" + lines[3][2:]
        else:
            i = _first(lines, "04")
            a, b = element_span(layout, "04", "Declaratiebedrag (incl. btw)")
            lines[i] = lines[i][:a] + "12,50 EU" + lines[i][b:]
    err = _fail(_mutated(tmp_path, "MZ301 1.3", change))
    assert expected in err.reason and err.line is not None
    assert "Jansen" not in str(err) and not any(ch.isdigit() and len(tok) == 9 for tok in str(err).split() for ch in tok[:1])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 99_999_999), st.booleans()), min_size=1, max_size=12), st.integers(-2, 2))
def test_the_total_check_is_exact_to_the_cent(tmp_path_factory, amounts, error):
    layout = next(l for l in ei.layouts().values() if l.label == "PM304 3.2")
    lines = [ei.render_record(layout, "01", {"Code externe-integratiebericht": "107", "Versienummer berichtstandaard": "3",
                                             "Subversienummer berichtstandaard": "2", "Soort bericht": "T"}),
             ei.render_record(layout, "02", {"Identificatie detailrecord": 1})]
    for n, (cents, credit) in enumerate(amounts, start=2):
        lines.append(ei.render_record(layout, "04", {"Identificatie detailrecord": n, "Declaratiebedrag (incl. btw)": cents,
                                                     "Indicatie debet/credit (02)": "C" if credit else "D"}))
    total = sum(-c if credit else c for c, credit in amounts) + error
    lines.append(ei.render_record(layout, "99", {"Aantal verzekerdenrecords": 1, "Aantal prestatierecords": len(amounts),
                                                 "Aantal commentaarrecords": 0, "Totaal aantal detailrecords": len(amounts) + 1,
                                                 "Totaal declaratiebedrag": abs(total), "Indicatie debet/credit": "C" if total < 0 else "D"}))
    path = write_lines(tmp_path_factory.mktemp("p") / "p.dat", lines)
    if error == 0:
        prestatie = tables_of(path)["prestatie"][0]
        assert sum(Decimal(v) for v in prestatie["declaratiebedrag_incl_btw"]) * 100 == total
    else:
        assert "Totaal declaratiebedrag" in _fail(path).reason


# ---------------------------------------------------------------- masking

def ei_personal_values(path: Path) -> set:
    """BSN, names, birth dates, postcode + house number, IBAN, e-mail, phone of an EI file (as written in it)."""
    tables = tables_of(path)
    values = set()
    v = tables["verzekerde"][0]
    values |= set(v["burgerservicenummer_bsn_verzekerde"]) | set(v["naam_verzekerde_01"])
    values |= set(v["datum_geboorte_verzekerde"]) | {d.replace("-", "") for d in v["datum_geboorte_verzekerde"]}
    values |= set(v["postcode_huisadres_verzekerde"]) | {f"{p} {int(h)}" for p, h in zip(v["postcode_huisadres_verzekerde"], v["huisnummer_huisadres_verzekerde"])}
    values |= set(v["verzekerdennummer_inschrijvingsnummer_relatienummer"])
    if "debiteur" in tables:
        d = tables["debiteur"][0]
        values |= set(d["naam_debiteur_01"]) | set(d["e_mailadres_debiteur"]) | set(d["telefoonnummer_debiteur"]) | set(d["postcode_huisadres_debiteur"])
        values |= set(d.get("iban", pd.Series(dtype=str))) | set(d.get("bankrekeningnummer", pd.Series(dtype=str)))
    return {x for x in values if x}


@pytest.mark.parametrize("label", ["MZ301 1.3", "AP304 8.0"])
def test_mask_writes_a_table_per_record_type_without_personal_data(tmp_path, key_env, detector, label):
    from pii_pipeline.masking.engine import mask_file
    from pii_pipeline.masking.policy import load_policy

    source = EI_SAMPLES[label]
    out = tmp_path / "decl.parquet"
    manifest = mask_file(source, out, load_policy(None), key_env, detector=detector)
    files = {t.split("#")[1]: tmp_path / f["file"] for t, f in manifest["output"]["tables"].items()}
    assert set(files) >= {"voorloop", "verzekerde", "prestatie", "commentaar", "sluit"}
    masked = {t: pq.read_table(p).to_pandas() for t, p in files.items()}
    lines = len(lines_of(source))
    assert manifest["rows"] == {"in": lines, "out": lines, "quarantined": 0}

    # no BSN, name, birth date, postcode (+ house number), IBAN, e-mail or phone of the file anywhere in the output
    text = "\n".join(frame.astype(str).to_csv(index=False) for frame in masked.values())
    text += "".join(p.read_bytes().decode("latin-1") for p in files.values())
    values = ei_personal_values(source)
    assert len(values) > 100
    assert [v for v in values if v in text] == []

    # declared amounts sum to the same total; every prestatie links to its verzekerde
    before = tables_of(source)
    for column in ("declaratiebedrag_incl_btw", "berekend_bedrag_incl_btw"):
        assert masked["prestatie"][column].sum() == sum(Decimal(v) for v in before["prestatie"][0][column])
    assert masked["sluit"]["totaal_declaratiebedrag"].iloc[0] == Decimal(before["sluit"][0]["totaal_declaratiebedrag"].iloc[0])
    ids = set(masked["verzekerde"]["identificatie_detailrecord"])
    assert masked["prestatie"]["verzekerde_id"].isin(ids).all()
    # the BSN is pseudonymised alike in both tables: prestatie and verzekerde agree per link
    linked = masked["prestatie"].merge(masked["verzekerde"], left_on="verzekerde_id", right_on="identificatie_detailrecord")
    assert len(linked) == len(masked["prestatie"])
    assert (linked["burgerservicenummer_bsn_verzekerde_x"] == linked["burgerservicenummer_bsn_verzekerde_y"]).all()
    # the default policy: names and addresses dropped, birth date to an age band, postcode to PC4
    verzekerde = masked["verzekerde"]
    assert not {"naam_verzekerde_01", "voorletters_verzekerde", "huisnummer_huisadres_verzekerde"} & set(verzekerde)
    plan = {c["name"]: c for t in manifest["tables"] for c in t["columns"]}
    # generalised columns are renamed to what they hold (leeftijdsklasse, pc4/pc3): the manifest says to what
    out_name = {n: c.get("output_name", n) for n, c in plan.items()}
    bands = verzekerde[out_name["datum_geboorte_verzekerde"]].dropna()
    # age bands, or "*" where the lattice search had to generalise the whole column (k over persons)
    assert len(bands) and all("-" in v or "+" in v or v == "*" for v in bands)
    assert all(len(v) <= 4 for v in verzekerde[out_name["postcode_huisadres_verzekerde"]].dropna())
    assert plan["burgerservicenummer_bsn_verzekerde"]["operator"] == "pseudonymize"


def test_scan_reports_ei_elements_by_their_standard_names(detector):
    from pii_pipeline.discovery.classifier import scan_file

    reports = {r.table.split("#")[1]: r for r in scan_file(EI_SAMPLES["PM304 3.2"], detector)}
    verzekerde = {c.name: c for c in reports["verzekerde"].columns}
    assert reports["verzekerde"].format == "ei"
    assert verzekerde["burgerservicenummer_bsn_verzekerde"].entity_type == "NL_BSN"
    assert verzekerde["datum_geboorte_verzekerde"].entity_type == "DATE_OF_BIRTH"
    assert verzekerde["naam_verzekerde_01"].entity_type == "PERSON"
    assert verzekerde["postcode_huisadres_verzekerde"].entity_type == "NL_POSTCODE"
    assert verzekerde["naam_verzekerde_02"].entity_type == "PERSON"  # empty in the sample: the standard decides
    prestatie = {c.name: c for c in reports["prestatie"].columns}
    assert prestatie["declaratiebedrag_incl_btw"].entity_type is None  # not a VAT number because its name says btw
    assert prestatie["zorgverlenerscode_behandelaar_uitvoerder"].entity_type == "NL_AGB"
    assert reports["commentaar"].columns[2].role == "free_text"


# ---------------------------------------------------------------- the batch job

def test_ei_files_become_datasets_named_by_standard_partitioned_by_declaration_period(tmp_path, key_env, detector):
    from pii_pipeline import batch
    from pii_pipeline.masking.policy import load_policy

    landing = tmp_path / "landing"
    landing.mkdir()
    shutil.copy(EI_SAMPLES["PM304 3.2"], landing / "pm304_zonder_extensie")
    out = tmp_path / "datasets"
    tasks = batch.plan_run(landing, out)
    assert [(t.dataset, t.status) for t in tasks] == [("ei_pm304_*", "pending")]
    result = batch.publish_file(tasks[0].path, tasks[0].dataset, out, load_policy(None), key_env, detector=detector)
    assert result.status == "published", result.error
    for record in ("voorloop", "verzekerde", "prestatie", "commentaar", "sluit"):
        assert list((out / f"ei_pm304_{record}").glob("period=2026-10/part-*.parquet")), record
        assert (out / f"ei_pm304_{record}" / "_data_dictionary.json").exists()
    prestatie = pd.read_parquet(out / "ei_pm304_prestatie")
    assert prestatie["declaratiebedrag_incl_btw"].sum() == pd.read_parquet(out / "ei_pm304_sluit")["totaal_declaratiebedrag"].sum()
    assert result.rows_in == result.rows_out == len(lines_of(EI_SAMPLES["PM304 3.2"]))
    assert [t.status for t in batch.plan_run(landing, out)] == ["skipped"]  # the voorloop dataset marks it done


def test_a_malformed_ei_file_is_quarantined_with_the_line_named(tmp_path, key_env, detector):
    from pii_pipeline import batch
    from pii_pipeline.masking.policy import load_policy

    landing = tmp_path / "landing"
    landing.mkdir()
    lines = lines_of(EI_SAMPLES["MZ301 1.3"])
    lines[5] = lines[5][:200]
    write_lines(landing / "kapot.asc", lines)
    result = batch.publish_file(landing / "kapot.asc", "ei_mz301_*", tmp_path / "out", load_policy(None), key_env,
                                quarantine_dir=tmp_path / "q", detector=detector)
    assert result.status == "failed" and result.error.startswith("line 6: ")
    assert (tmp_path / "q" / "kapot.asc").exists() and not list((tmp_path / "out").glob("ei_*/period=*"))


def test_a_run_cut_short_is_finished_by_the_next_each_table_once(tmp_path, key_env, detector):
    from pii_pipeline import batch
    from pii_pipeline.masking.policy import load_policy

    landing, out = tmp_path / "landing", tmp_path / "datasets"
    landing.mkdir()
    shutil.copy(EI_SAMPLES["PM304 3.2"], landing / "pm304.dat")
    task = batch.plan_run(landing, out)[0]
    batch.publish_file(task.path, task.dataset, out, load_policy(None), key_env, detector=detector)
    # as if the run died after committing the other tables, before the sluit and voorloop datasets
    shutil.rmtree(out / "ei_pm304_voorloop")
    shutil.rmtree(out / "ei_pm304_sluit")
    task = batch.plan_run(landing, out)[0]
    assert task.status == "pending"
    result = batch.publish_file(task.path, task.dataset, out, load_policy(None), key_env, detector=detector)
    assert result.status == "published", result.error
    for record in ("voorloop", "verzekerde", "prestatie", "commentaar", "sluit"):
        assert len(list((out / f"ei_pm304_{record}" / "_manifests").glob("*.json"))) == 1
        assert len(list((out / f"ei_pm304_{record}").glob("period=*/part-*.parquet"))) == 1
    assert len(pd.read_parquet(out / "ei_pm304_verzekerde")) == 40


def _corrected_delivery(source: Path, target: Path, text: str = "Gecorrigeerde levering") -> None:
    """The same declaration with the first commentaar line's free text changed (totals still balance)."""
    layout = ei.layout_for(source)
    start, end = element_span(layout, "98", "Vrije tekst")
    lines = lines_of(source)
    n = next(i for i, line in enumerate(lines) if line.startswith("98"))
    lines[n] = lines[n][:start] + text.ljust(end - start) + lines[n][end:]
    write_lines(target, lines)


@pytest.mark.parametrize("point", ["staged", "manifest-written", "retired", "renamed", "committed"])
def test_a_corrected_ei_file_killed_mid_replacement_is_published_once(tmp_path, key_env, point):
    """A changed delivery at the same landing path retires its earlier version in the same commit, per
    record type: killed anywhere, the next run leaves exactly one version of every table."""
    from test_integrity_crash import run

    from pii_pipeline import batch

    landing, out = tmp_path / "landing", tmp_path / "datasets"
    (landing / "a").mkdir(parents=True)
    (landing / "b").mkdir()
    shutil.copy(EI_SAMPLES["PM304 3.2"], landing / "a" / "pm304.dat")
    _corrected_delivery(EI_SAMPLES["PM304 3.2"], landing / "b" / "pm304.dat", "Andere praktijk")  # same name, another path
    assert [r.status for r in run(landing, out)] == ["published", "published"]
    _corrected_delivery(EI_SAMPLES["PM304 3.2"], landing / "a" / "pm304.dat")
    assert run(landing, out, crash_at=point) == 137
    results = run(landing, out)
    assert all(r.status in ("published", "skipped") for r in results), [r.error for r in results]
    for record in ("voorloop", "verzekerde", "prestatie", "commentaar", "sluit"):
        manifests = list((out / f"ei_pm304_{record}" / "_manifests").glob("*.json"))
        assert len(manifests) == 2, (record, point)          # one per landing path
        assert len(list((out / f"ei_pm304_{record}").rglob("part-*.parquet"))) == 2
    assert len(pd.read_parquet(out / "ei_pm304_verzekerde")) == 80
    assert [t.status for t in batch.plan_run(landing, out)] == ["skipped", "skipped"]
