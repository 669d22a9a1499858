"""Findings of hostile-input hunt 18 (leaks through columns kept as safe).

Each test is the smallest input that showed the problem.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from pii_pipeline.masking.engine import PrivacyGateFailed

from .test_hostile_hunt16 import _mask

CODES = ["OPEN", "GESLOTEN", "IN BEHANDELING", "VERVALLEN"]


def _status_file(tmp_path, names: dict):
    rows = [f"K{i:05d};{CODES[i % 4]};{i},50" for i in range(300)]
    for i, name in names.items():
        rows[i] = f"K{i:05d};{name};{i},50"
    source = tmp_path / "dossiers.csv"
    source.write_text("dossier;status;bedrag\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return source


def test_a_surname_among_the_codes_of_a_status_column_is_withheld(tmp_path, detector):
    """A status column of capital codes where a clerk typed the handler's surname in two rows: the detector reads
    KLAASSEN as one more code, the sweep saw no shape of a name (no initials, no title): published."""
    table, manifest = _mask(tmp_path, _status_file(tmp_path, {7: "KLAASSEN", 8: "Van der Heijden"}), detector)
    status = table.column("status").to_pylist()
    assert "KLAASSEN" not in status and "Van der Heijden" not in status
    # KLAASSEN withheld by the sweep; the detector masks the other in the text it reads (a tussenvoegsel)
    assert status[7] == "<WITHHELD>" and status[8] in ("<WITHHELD>", "<PERSON>")
    assert status.count("<WITHHELD>") + status.count("<PERSON>") == 2 and manifest["rows"]["in"] == table.num_rows == 300
    assert sum(table.column("bedrag").to_pylist()) == sum(Decimal(f"{i}.50") for i in range(300))


def test_a_status_column_full_of_a_surname_fails_the_run_whole(tmp_path, detector):
    source = _status_file(tmp_path, {i: "KLAASSEN" for i in range(0, 300, 10)})
    with pytest.raises(PrivacyGateFailed) as failed:
        _mask(tmp_path, source, detector)
    assert "status" in str(failed.value) and "KLAASSEN" not in str(failed.value)
    assert not (tmp_path / (source.name + ".parquet")).exists()


@pytest.mark.parametrize("codes", [["NOORD", "OOST", "ZUID", "WEST"], ["BANK", "KAS", "POST", "PIN"],
                                   ["GROOT", "KLEIN", "ZWART", "WIT"], ["Man", "Vrouw", "Onbekend", "Anders"],
                                   ["BOS", "BERG", "HERFST", "KOK"]])
def test_code_words_that_are_also_surnames_are_not_withheld_by_the_sweep(codes):
    """Region, payment and size codes are words that the surname list also holds (Oost, Groot, Wit): a word of
    three letters or as frequent as an ordinary Dutch word is a code (BOS and BERG are let through: the price)."""
    from pii_pipeline.masking.sweep import OutputSweep

    sweep = OutputSweep()
    assert not len(sweep.unsafe("regio", pd.Series(codes * 50, dtype="str"), np.arange(200))), codes


@pytest.mark.parametrize("codes", [["NOORD", "OOST", "ZUID", "WEST"], ["Man", "Vrouw", "Onbekend", "Anders"]])
def test_a_region_column_is_published_whole(tmp_path, detector, codes):
    rows = [f"K{i:05d};{codes[i % 4]};{i},50" for i in range(300)]
    source = tmp_path / "regio.csv"
    source.write_text("dossier;regio;bedrag\n" + "\n".join(rows) + "\n", encoding="utf-8")
    table, _ = _mask(tmp_path, source, detector)
    assert sorted(set(table.column("regio").to_pylist())) == sorted(codes)
