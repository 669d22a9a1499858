"""The value sweep: identifiers found without the detector, names checked, cells withheld, outputs hygienic."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from notes_corpus import make_notes
from pii_pipeline.masking import default_policy
from pii_pipeline.masking.engine import PrivacyGateFailed, mask_file
from pii_pipeline.masking.operators import mask_text
from pii_pipeline.masking.sweep import (WITHHELD, OutputSweep, find, header_is_data, name_is_clean,
                                        neutral_column_names, shown_name)

KEY = b"93ed157c9bca545fc9612c854c00d3f962b5d998aab530a214c6d89eba1cd51d"


@pytest.mark.parametrize("text, expected", [
    ("BSN 123456782", [("NL_BSN", "123456782")]),
    ("nr 1234.56.782 en 123 456 782", [("NL_BSN", "1234.56.782"), ("NL_BSN", "123 456 782")]),
    ("iban NL91 ABNA 0417 1643 00 graag", [("IBAN_CODE", "NL91 ABNA 0417 1643 00")]),
    ("rekening NL91ABNA0417164300.", [("IBAN_CODE", "NL91ABNA0417164300")]),
    ("bel 06-12345678 of +31 20 123 4567", [("PHONE_NUMBER", "06-12345678"), ("PHONE_NUMBER", "+31 20 123 4567")]),
    ("bel 06-71234567 terug", [("PHONE_NUMBER", "06-71234567")]),   # not issued yet, still someone's number
    ("mail j.jansen@example.nl", [("EMAIL_ADDRESS", "j.jansen@example.nl")]),
    ("adres 1234 AB 12", [("ADDRESS", "1234 AB 12")]),
    ("Kerkstraat 12, 3511 AB Utrecht", [("ADDRESS", "12, 3511 AB")]),
    ("paspoort NXC4R2KL5 getoond", [("NL_ID_DOCUMENT", "NXC4R2KL5")]),
    ("Verwezen door huisarts H.J. Bos.", [("PERSON", "H.J. Bos")]),
    ("Dhr. Bakker belde", [("PERSON", "Bakker")]),
])
def test_sweep_finds_identifiers_anywhere_in_a_cell(text, expected):
    assert [(f.entity, text[f.start:f.end]) for f in find(text)] == expected


@pytest.mark.parametrize("text", [
    "factuur F2026-00012 van 12-03-2026, bedrag € 123,45",
    "BSN 123456789 (fout: elfproef)",                  # checksum fails
    "iban NL91ABNA0417164301",                         # mod-97 fails
    "op 01-02-2026 12:00 gebeld",                      # a date and a time, not a phone number
    "element 36, 2 x 400 mg",
    "N.B. Graag terugbellen",
    "declaratie 2026000123",
])
def test_sweep_near_misses(text):
    assert find(text) == []


def test_names_are_data():
    assert name_is_clean("claims_2026-10.csv") and name_is_clean("geb_datum") and name_is_clean("regels[].agb_code")
    assert not name_is_clean("claims_123456782_Klaassen.csv") and not name_is_clean("Jansen")
    assert shown_name("claims_123456782_Klaassen.csv", "ab" * 32) == "file-abababababababab.csv"
    assert neutral_column_names(["bsn", "123456782", "j.jansen@example.nl", "12-03-1980"]) == {
        "123456782": "column_2", "j.jansen@example.nl": "column_3", "12-03-1980": "column_4"}
    assert header_is_data(["123456782", "Jansen", "12-03-1980", "C11"])
    assert not header_is_data(["bsn", "naam", "geb_datum", "prestatiecode"])


def test_cells_are_withheld_and_counted_and_the_threshold_fails_a_column():
    sweep = OutputSweep()
    frame = pd.DataFrame({"opmerking": ["ok"] * 199 + ["bel 06-12345678"], "code": ["C11"] * 200})
    out = sweep.withhold(frame, np.arange(1, 201))
    assert out["opmerking"].tolist().count(WITHHELD) == 1 and out["code"].eq("C11").all()
    assert sweep.summary() == [{"column": "opmerking", "entity_type": "PHONE_NUMBER", "cells": 1}]
    assert sweep.locations == [{"row": 200, "column": "opmerking", "entity_types": ["PHONE_NUMBER"]}]
    assert sweep.over_threshold(0.01) == [] and sweep.over_threshold(0.001) == ["opmerking"]


def test_a_bsn_column_is_judged_on_its_pass_rate():
    from recognizers.identifiers import bsn

    passing = [v for v in (f"{n:09d}" for n in range(300_000_000, 300_003_000)) if bsn.is_valid(v)]
    order_numbers = OutputSweep()
    order_numbers.withhold(pd.DataFrame({"nr": [f"{n:09d}" for n in range(200_000_000, 200_000_300)]}), np.arange(300))
    assert order_numbers.summary() == []          # about 1 in 11 passes by chance: not a BSN column
    bsns = OutputSweep()
    bsns.withhold(pd.DataFrame({"nr": passing[:100]}), np.arange(100))
    assert bsns.summary() == [{"column": "nr", "entity_type": "NL_BSN", "cells": 100}]


def test_fixed_point_masks_what_a_round_leaves_and_tags_are_no_context(detector):
    # The sweep finds what the detector does not (a phone number the detector's pattern misses).
    assert "06-71234567" not in mask_text("bel 06-71234567 terug", detector)
    # Once its place is tagged, a hospital's name must not make its first word a person.
    masked = mask_text("Opname in Ziekenhuis Rijnstate Arnhem, goed hersteld.", detector)
    assert "<PERSON>" not in masked and "Rijnstate" in masked


def test_a_short_remark_column_with_a_phone_number_is_published_with_the_cell_withheld(tmp_path, detector):
    source = tmp_path / "export.csv"
    source.write_text("id,opmerking\n" + "".join(f"{i},ok\n" for i in range(199)) + "199,bel 06-12345678 terug\n")
    # Discovery masks a remark column as free text; kept by the policy, the sweep still withholds the cell.
    from pii_pipeline.masking.policy import parse_policy, shipped_policy_text

    kept = parse_policy(shipped_policy_text().replace("\ncolumns: {}", "\ncolumns: {opmerking: {operator: keep}}"))
    manifest = mask_file(source, tmp_path / "out.parquet", kept, KEY, detector=detector)
    out = pq.read_table(tmp_path / "out.parquet").to_pandas()
    assert (out["opmerking"] == WITHHELD).sum() == 1 and "06-12345678" not in out.to_csv()
    column = next(c for c in manifest["tables"][0]["columns"] if c["name"] == "opmerking")
    assert column["withheld"] == {"PHONE_NUMBER": 1}
    assert manifest["privacy_gates"]["value_sweep"]["withheld"][0]["cells"] == 1


def test_notes_are_published_with_few_withheld_cells_and_other_text_unchanged(tmp_path, detector):
    notes, personal, values = make_notes(300)
    source = tmp_path / "notes.jsonl"
    source.write_text("".join(json.dumps({"id": i, "notitie": t}) + "\n" for i, t in enumerate(notes)))
    mask_file(source, tmp_path / "out.jsonl", default_policy(), KEY, detector=detector)
    out = [json.loads(line)["notitie"] for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert sum(o == WITHHELD for o in out) <= 0.01 * len(out)
    clean = [(o, n) for o, n, p in zip(out, notes, personal) if not p]
    assert sum(o == n for o, n in clean) >= 0.99 * len(clean)
    assert not [v for v in values if any(v in o for o in out)]


def test_formulas_are_written_as_text(tmp_path, detector):
    from openpyxl import load_workbook

    source = tmp_path / "export.csv"
    source.write_text("id,formule\n" + "".join(f"{i},=HYPERLINK(\"http://x\")\n" for i in range(30)))
    mask_file(source, tmp_path / "out.xlsx", default_policy(), KEY, detector=detector)
    cells = [c for row in load_workbook(tmp_path / "out.xlsx").active.iter_rows(min_row=2) for c in row[1:]]
    assert all(c.data_type == "s" for c in cells) and cells[0].value == '=HYPERLINK("http://x")'
    mask_file(source, tmp_path / "out.csv", default_policy(), KEY, detector=detector)
    assert "\"'=HYPERLINK" in (tmp_path / "out.csv").read_text()


def test_a_fifo_given_to_mask_is_an_error_not_a_hang(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    env = {**os.environ, "PII_PIPELINE_KEY": KEY.decode()}
    result = subprocess.run([sys.executable, "-m", "pii_pipeline.cli", "mask", str(fifo), "-o", str(tmp_path / "o.parquet")],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode != 0 and "not a regular file" in result.stderr + result.stdout


def test_an_excel_cell_value_in_a_reader_exception_is_never_shown(tmp_path, detector):
    """openpyxl's exception for text in a number cell quotes the value: the row is quarantined by number
    and column instead (hunt 13: it failed the whole file), and the value is nowhere."""
    from hostile import _excel_with_text_in_number_cell

    path = tmp_path / "lijst.xlsx"
    _excel_with_text_in_number_cell(path, "Klaassen 123456782")
    manifest = mask_file(path, tmp_path / "out.parquet", default_policy(), KEY, detector=detector)
    assert manifest["rows"] == {"in": 20, "out": 19, "quarantined": 1}
    written = json.dumps(manifest) + "".join(p.read_text(errors="replace") for p in tmp_path.glob("out.parquet._*"))
    assert "column 2 holds a value its cell type cannot hold" in written
    assert "Klaassen" not in written and "123456782" not in written


def test_landing_skips_symlinks_and_fifos_with_a_reason(tmp_path):
    from pii_pipeline.batch import landing_files

    (tmp_path / "ok_2026-10.csv").write_text("a\n1\n")
    os.symlink("/etc/passwd", tmp_path / "passwd.csv")
    os.mkfifo(tmp_path / "pipe.csv")
    ignored = []
    assert [p.name for p in landing_files(tmp_path, ignored)] == ["ok_2026-10.csv"]
    assert sorted(r for _, r in ignored) == ["not a regular file (FIFO, socket or device): not opened",
                                              "symbolic link (not followed)"]


def test_a_csv_whose_first_row_is_data_gets_generated_names(tmp_path):
    from pii_pipeline.io.tables import read_table

    path = tmp_path / "export.csv"
    path.write_text("123456782;Jansen;12-03-1980;C11\n111222333;Bakker;01-01-1970;C13\n")
    frame = next(read_table(path)).frame
    assert list(frame.columns) == ["column_1", "column_2", "column_3", "column_4"] and len(frame) == 2


def test_scan_names_no_reader_exception_value(tmp_path, detector):
    from hostile import _excel_with_text_in_number_cell

    from pii_pipeline.discovery.classifier import scan_file

    path = tmp_path / "lijst.xlsx"
    _excel_with_text_in_number_cell(path, "Klaassen 123456782")
    shown = repr(scan_file(path, detector))
    assert "Klaassen" not in shown and "123456782" not in shown


def test_sweeps_of_batches_merge_to_the_sweep_of_the_whole():
    """mask sweeps output batches in worker processes and merges their sweeps in order: same counts, same locations."""
    import numpy as np
    import pandas as pd

    from pii_pipeline.masking.sweep import OutputSweep

    cells = ["bel 06-12345678", "geen", "bsn 123456782", "", "mail a.jansen@example.nl", "NL91ABNA0417164300"] * 400
    frame = pd.DataFrame({"notitie": pd.Series(cells, dtype="str"), "code": pd.Series(["C11"] * len(cells), dtype="str")})
    rows = np.arange(1, len(cells) + 1)
    whole = OutputSweep()
    expected = whole.withhold(frame.copy(), rows)
    merged, parts = OutputSweep(), []
    for start in range(0, len(cells), 700):
        part = OutputSweep()
        parts.append(part.withhold(frame.iloc[start:start + 700].reset_index(drop=True).copy(), rows[start:start + 700]))
        merged.merge(part)
    assert pd.concat(parts, ignore_index=True).equals(expected)
    assert merged.withheld == whole.withheld and merged.cells == whole.cells
    assert merged.locations == whole.locations and len(merged.locations) == 1000


@pytest.mark.parametrize("cell", [
    "Telefoon: 0229 - 27 14 86",     # a dash with a space on each side
    "bel (0318) 63 55 20 na 14u",    # the area code in brackets
    "tel 020/1234567",               # a slash after the area code
    "fax 071 - 512 34 56",
])
def test_the_sweeps_prefilter_passes_every_phone_notation_find_confirms(cell):
    """The prefilter only spares ``find`` cells that cannot hold a finding: a notation it does not pass is
    published whatever ``find`` would have said (tspeed2 found these in a kept string column)."""
    from pii_pipeline.masking.sweep import sweep_series

    assert [f.entity for f in find(cell)] == ["PHONE_NUMBER"]
    assert sweep_series(pd.Series([cell, "geen nummer"])) == {0: ("PHONE_NUMBER",)}


def test_the_sweeps_prefilter_passes_every_cell_find_reports_on_text_it_was_not_written_for():
    """Every text of the labelled sets and the notes corpus (lines and whole texts) that ``find`` reports
    on passes the prefilter: ``sweep_series`` never misses what ``find`` finds."""
    import pyarrow as pa

    from pii_pipeline.evaluation import load_labelled
    from pii_pipeline.masking.sweep import PREFILTER, _matches

    texts = [d.text for path in sorted((Path(__file__).parent / "data").glob("*.txt"))
             for d in load_labelled(path)] + make_notes(300)[0]
    cells = sorted({piece for t in texts for piece in [t, *t.splitlines()] if piece.strip()})
    passed = _matches(pa.array(cells), PREFILTER)
    missed = [i for i, cell in enumerate(cells) if not passed[i] and find(cell)]
    assert not missed, [(i, sorted({f.entity for f in find(cells[i])})) for i in missed[:10]]


_POOL = ["", "C11", "M", "V", "bel 06-12345678", "123456782", "111222333", "12345678", "1234.56.782", "1980-04-02",
         "02-04-1961", "15-07-2001", "03-11-2024", "mail a.b@example.nl", "NL91ABNA0417164300", "Dhr. Bos",
         "1234 AB 12", "123,456,782", "1234<NL_BSN>56782", "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff12", "2026000123"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_POOL) | st.none(), min_size=0, max_size=600), st.booleans())
@example(["1980-04-02", "02-04-1961", "15-07-2001", None, "03-11-2024", "C11"] * 30, False)   # birth dates
@example(["123456782", "12345678", "2026000123", "1234.56.782", "", "M"] * 30, False)        # a BSN column
def test_the_sweep_judges_each_distinct_value_once_with_the_cells_verdicts(cells, event):
    """A column repeating its values is swept per distinct value (``_distinct_cells``): the same positions,
    counts and locations as cell by cell, its column rules (bare BSNs by pass rate, birth dates by spread)
    counted over the cells."""
    from unittest import mock

    import pii_pipeline.masking.sweep as sweep_module

    values = pd.Series(cells, dtype="str")
    rows = np.arange(7, 7 + len(cells))
    distinct, by_cell = OutputSweep(event_columns={"c"} if event else ()), OutputSweep(event_columns={"c"} if event else ())
    if len(cells) >= 2 * (len(_POOL) + 1):   # then read per distinct value
        assert len(sweep_module._distinct_cells(values.fillna(""))[0]) == len({c or "" for c in cells})
    found = distinct.unsafe("c", values, rows)
    with mock.patch.object(sweep_module, "_distinct_cells", lambda v: (v, np.arange(len(v)))):
        expected = by_cell.unsafe("c", values, rows)
    assert found.tolist() == expected.tolist()
    assert distinct.withheld == by_cell.withheld and distinct.cells == by_cell.cells
    assert distinct.locations == by_cell.locations
