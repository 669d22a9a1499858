"""Nothing lost, nothing doubled through mask_file: reconciliation with the file, shapes kept, output never over input."""

import csv
import json
import os
from decimal import Decimal

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from pii_pipeline.errors import InputError
from pii_pipeline.masking import default_policy
from pii_pipeline.masking.engine import mask_file
from pii_pipeline.masking.writers import OutputError

KEY = b"test-key-0123456789abcdef0123456789abcdef"
BSNS = [f"{x:09d}" for x in range(100_000_000, 100_010_000) if stdnum_bsn.is_valid(f"{x:09d}")]


def claims_line(i: int) -> str:
    return f"2026{i:06d};{BSNS[i % len(BSNS)]};{1 + i % 28:02d}-03-19{50 + i % 40};{i},{i % 100:02d};Café"


def quarantine_rows(tmp_path, manifest):
    q = manifest["quarantine"]["file"]
    return list(csv.DictReader((tmp_path / q).open())) if q else []


def test_mask_quarantines_malformed_records_by_line_and_reconciles(tmp_path, detector):
    lines = ["declaratienummer;bsn;geb_datum;bedrag;soort"] + [claims_line(i) for i in range(1, 200)]
    lines[50] = lines[50] + ";extra"                   # too many fields
    lines[60] = "2026000060;" + BSNS[3]                # too few: never padded
    lines[100] = lines[100].replace(";", ';"', 1)      # unterminated quote
    data = bytearray(("\n".join(lines) + "\n").encode("utf-8"))
    bad_at = data.index(claims_line(150).encode()) + 3
    data[bad_at] = 0xFF                                # one invalid byte
    source = tmp_path / "claims.csv"
    source.write_bytes(bytes(data))
    manifest = mask_file(source, tmp_path / "out.parquet", default_policy(), KEY, detector=detector)
    assert manifest["rows"] == {"in": 199, "out": 195, "quarantined": 4}
    assert manifest["input"]["records"]["records"] == 199 and manifest["input"]["records"]["lines"] == 200
    q = quarantine_rows(tmp_path, manifest)
    assert [(int(r["row"]), int(r["line"])) for r in q] == [(50, 51), (60, 61), (100, 101), (150, 151)]
    assert f"byte {bad_at}" in q[3]["reason"]
    assert BSNS[3] not in (tmp_path / manifest["quarantine"]["file"]).read_text()
    # Utility: the amounts written are the amounts read, less those of the quarantined rows.
    bedrag = manifest["utility"]["claims.csv"]["bedrag"]
    written = pq.read_table(tmp_path / "out.parquet")["bedrag"].to_pylist()
    assert bedrag["passed"] and bedrag["count_out"] == len(written) == 195 and Decimal(bedrag["sum_out"]) == sum(written)
    assert Decimal(bedrag["sum_in"]) == Decimal(bedrag["sum_out"]) + Decimal(bedrag["sum_quarantined"])


def test_utility_check_fails_the_file_when_figures_differ(tmp_path, detector, monkeypatch):
    from pii_pipeline.masking import utility

    source = tmp_path / "claims.csv"
    source.write_text("\n".join(["declaratienummer;bsn;geb_datum;bedrag;soort"] + [claims_line(i) for i in range(1, 50)]) + "\n")
    real = utility.UtilityCheck.add_output
    monkeypatch.setattr(utility.UtilityCheck, "add_output", lambda self, table, written: real(self, table, written.slice(1)))
    with pytest.raises(OutputError, match="utility check failed for column 'bedrag'"):
        mask_file(source, tmp_path / "out.parquet", default_policy(), KEY, detector=detector)
    assert not (tmp_path / "out.parquet").exists()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["good", "long", "short", "quote", "byte", "blank", "multiline"]), min_size=1, max_size=40),
       st.sampled_from(["csv", "jsonl"]))
def test_reconciliation_holds_for_random_malformed_records(tmp_path_factory, detector, kinds, fmt):
    """Property: rows published + rows quarantined = records in the file, and no row twice."""
    tmp = tmp_path_factory.mktemp("prop")
    good = sum(k in ("good", "multiline") for k in kinds)
    if fmt == "csv":
        out = ["nr;bsn;notitie".encode()]
        for i, k in enumerate(kinds, start=1):
            line = f"{i};{BSNS[i]};café {i}".encode()   # UTF-8 text, so the stray byte is corrupt, not cp1252
            out.append({"good": line, "long": line + b";x", "short": f"{i}".encode(), "quote": f'{i};"{BSNS[i]};x'.encode(),
                        "byte": line + b"\xff", "blank": b"", "multiline": f'{i};{BSNS[i]};"café\nregels"'.encode()}[k])
        records = sum(k != "blank" for k in kinds)
    else:
        out = []
        for i, k in enumerate(kinds, start=1):
            record = json.dumps({"nr": i, "bsn": BSNS[i], "notitie": {"tekst": f"café {i}"}}, ensure_ascii=False).encode()
            out.append({"good": record, "long": record[:-1], "short": b"[1, 2]", "quote": b'{"nr": "', "byte": record + b"\xff",
                        "blank": b"", "multiline": record}[k])
        records = sum(k != "blank" for k in kinds)
    source = tmp / f"random.{fmt}"
    source.write_bytes(b"\n".join(out) + b"\n")
    if good == 0:
        with pytest.raises(InputError):
            mask_file(source, tmp / "out.parquet", default_policy(), KEY, detector=detector)
        return
    manifest = mask_file(source, tmp / "out.parquet", default_policy(), KEY, detector=detector)
    rows = manifest["rows"]
    assert rows["in"] == records == manifest["input"]["records"]["records"]
    assert rows["out"] + rows["quarantined"] == records and rows["out"] == good
    published = pq.read_table(tmp / "out.parquet").num_rows
    quarantined = {int(r["row"]) for r in quarantine_rows(tmp, manifest)}
    assert published == good and len(quarantined) == records - good


def test_json_output_keeps_nesting_and_types(tmp_path, detector):
    records = [{"nr": i, "bedrag": 12.5 + i, "betaald": i % 2 == 0, "patient": {"bsn": BSNS[i], "naam": "Jansen"},
                "regels": [{"code": "C11", "aantal": 1}, {"code": "C12", "aantal": 2}], "opmerking": None}
               for i in range(30)]
    source = tmp_path / "facturen.json"
    source.write_text(json.dumps({"facturen": records}), encoding="utf-8")
    for suffix in (".json", ".jsonl"):
        out = tmp_path / f"out{suffix}"
        mask_file(source, out, default_policy(), KEY, detector=detector)
        text = out.read_text(encoding="utf-8")
        got = json.loads(text) if suffix == ".json" else [json.loads(l) for l in text.splitlines()]
        first = got[0]
        assert isinstance(first["nr"], int) and isinstance(first["bedrag"], float) and first["bedrag"] == 12.5
        assert first["betaald"] is True and first["opmerking"] is None
        assert isinstance(first["patient"], dict) and first["patient"]["bsn"] != BSNS[0] and "naam" not in first["patient"] \
            or first["patient"].get("naam") != "Jansen"
        assert first["regels"] == [{"code": "C11", "aantal": 1}, {"code": "C12", "aantal": 2}]
        assert BSNS[0] not in text


def test_mask_never_writes_over_its_input(tmp_path, detector):
    letter = tmp_path / "brief.txt"
    letter.write_text("Geachte heer Jansen, uw BSN 123456782.", encoding="utf-8")
    with pytest.raises(OutputError, match="is the input"):
        mask_file(letter, letter, default_policy(), KEY, detector=detector)
    link = tmp_path / "link.txt"
    os.link(letter, link)
    with pytest.raises(OutputError, match="is the input"):
        mask_file(letter, link, default_policy(), KEY, detector=detector)
    source = tmp_path / "claims.csv"
    source.write_text("nr;bsn\n1;123456782\n", encoding="utf-8")
    with pytest.raises(OutputError):
        mask_file(source, source, default_policy(), KEY, detector=detector)
    assert letter.read_text(encoding="utf-8").startswith("Geachte") and source.read_text().startswith("nr;bsn")


def test_a_multi_page_scan_to_a_one_page_format_is_an_error_naming_the_pages(tmp_path):
    from PIL import Image

    from pii_pipeline.idscan.images import mask_scan

    source = tmp_path / "scan.tif"
    pages = [Image.new("RGB", (200, 120), c) for c in ("white", "gray", "black")]
    pages[0].save(source, save_all=True, append_images=pages[1:])
    with pytest.raises(InputError, match="has 3 pages and .png holds one"):
        mask_scan(source, tmp_path / "masked.png")
    assert not (tmp_path / "masked.png").exists()
