"""Readers: delimiter and encoding sniffing, identifiers kept as strings, nested JSON, bad files."""

import csv
import io
import json

import pandas as pd
import pytest

from pii_pipeline.errors import InputError
from pii_pipeline.io.tables import read_table


def frame(path, **kw):
    chunks = list(read_table(path, **kw))
    return pd.concat([c.frame for c in chunks], ignore_index=True), chunks


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_csv_sniffing_keeps_leading_zeros(tmp_path, delimiter, encoding):
    rows = [["bsn", "naam", "bedrag", "agb"], ["012345672", "José Müller", "12,50", "01012345"], ["111222333", "Zoë", "3,00", "12000001"]]
    path = tmp_path / "claims.csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)  # quotes "12,50" where needed
    path.write_bytes(buffer.getvalue().encode(encoding))
    df, _ = frame(path)
    assert list(df.columns) == rows[0]
    assert df["bsn"].tolist() == ["012345672", "111222333"]
    assert df["agb"].tolist() == ["01012345", "12000001"]
    assert df["naam"].tolist() == ["José Müller", "Zoë"]
    assert df["bedrag"].tolist() == ["12,50", "3,00"]


def test_csv_quoted_newlines_and_chunks(tmp_path):
    path = tmp_path / "export.csv"
    lines = ['id;notitie'] + [f'{i};"regel een\nregel twee {i}"' for i in range(25)]
    path.write_text("\n".join(lines), encoding="utf-8")
    df, chunks = frame(path, chunk_rows=10)
    assert len(df) == 25 and [c.first_row for c in chunks] == [1, 11, 21]
    assert df["notitie"][0] == "regel een\nregel twee 0"


def test_duplicate_and_empty_column_names(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("naam;naam;\nA;B;C\n", encoding="utf-8")
    df, _ = frame(path)
    assert list(df.columns) == ["naam", "naam_2", "column_3"]


def test_nested_json(tmp_path):
    path = tmp_path / "invoices.json"
    path.write_text(json.dumps({"facturen": [{"nr": "F1", "patient": {"bsn": "012345672"}, "regels": [{"agb_code": "01000001"}, {"agb_code": "01000002"}]}]}))
    df, _ = frame(path)
    assert df["patient.bsn"][0] == "012345672"
    assert df["regels[].agb_code"][0] == ["01000001", "01000002"]


def test_jsonl_and_parquet_and_xlsx(tmp_path):
    records = [{"bsn": "012345672", "bedrag": 1.5}, {"bsn": "111222333", "bedrag": None}]
    jl = tmp_path / "x.jsonl"
    jl.write_text("\n".join(json.dumps(r) for r in records))
    assert frame(jl)[0]["bsn"].tolist() == ["012345672", "111222333"]

    pq = tmp_path / "x.parquet"
    pd.DataFrame(records).to_parquet(pq)
    df, _ = frame(pq)
    assert df["bsn"].tolist() == ["012345672", "111222333"] and df["bedrag"].tolist() == ["1.5", ""]

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Declaraties"
    wb.active.append(["bsn", "naam"])
    wb.active.append(["012345672", "Jansen"])
    second = wb.create_sheet("Adressen")
    second.append(["postcode"])
    second.append(["3511 LK"])
    xl = tmp_path / "x.xlsx"
    wb.save(xl)
    chunks = list(read_table(xl))
    assert [c.table for c in chunks] == ["x.xlsx#Declaraties", "x.xlsx#Adressen"]
    assert chunks[0].frame["bsn"][0] == "012345672"


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", b"", "empty file"),
    ("binary.csv", b"\x00\x01\x02\x03", "binary"),
    ("bad.json", b'{"a": [1, 2', "not valid JSON"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a readable .xlsx"),
    ("broken.parquet", b"PAR1garbage", "not a readable Parquet"),
    ("data.docx", b"x", "unsupported format"),
])
def test_bad_files_name_the_file_not_the_value(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        list(read_table(path))
    assert message in str(info.value) and name in str(info.value)
    assert "123456782" not in str(info.value) and "Jansen" not in str(info.value)


def test_merged_header_cells_are_reported(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws.append(["Patiënt", None, None, "Bedrag"])
    ws.append(["a", "b", "c", "d"])
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    with pytest.raises(InputError, match="sheet 'Blad1'.*merged"):
        list(read_table(path))
