"""Counts against the file: malformed records, per-line decoding, stale Excel dimensions, bounded time."""

import json
import re
import time
import zipfile

import pytest

from pii_pipeline.errors import InputError
from pii_pipeline.io.tables import FileCount, read_table


def read(path, **kw):
    count = FileCount()
    chunks = list(read_table(path, count=count, **kw))
    good = [(int(r), int(l), list(row)) for c in chunks for r, l, row in zip(c.rows(), c.lines(), c.frame.itertuples(index=False))]
    bad = [b for c in chunks for b in c.rejected]
    return good, bad, count


def test_ragged_rows_are_rejected_by_line_and_the_rest_read(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_bytes(b"a;b\n1;2\n1;2;3;4\n\n5\n6;7\n")
    good, bad, count = read(path)
    assert [(r, l) for r, l, _ in good] == [(1, 2), (4, 6)]
    assert [(r, l) for r, l, _ in bad] == [(2, 3), (3, 5)]
    assert "has 4 fields, the header 2" in bad[0][2] and "has 1 fields" in bad[1][2]   # too few: never padded
    assert count.records == {"ragged.csv": 4} and count.blank == 1 and count.lines == 6


def test_unmatched_quote_costs_its_own_line_only(tmp_path):
    lines = ["nr;naam;bedrag"] + [f"{i};Jansen {i};{i},50" for i in range(1, 600)]
    lines[500] = '500;"Jansen 500;500,50'            # opens a quote that never closes
    lines[518] = '518;de "Vries";518,50'              # a later quote in an unquoted field
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    good, bad, count = read(path)
    assert [(r, l) for r, l, _ in bad] == [(500, 501)]
    assert len(good) == 598 and good[499][:2] == (501, 502) and good[499][2][0] == "501"
    assert count.records["quote.csv"] == 599


def test_real_multiline_fields_still_read(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('id;notitie;x\n1;"regel een\nregel twee";a\n2;b;c\n', encoding="utf-8")
    good, bad, count = read(path)
    assert not bad and [(r, l) for r, l, _ in good] == [(1, 2), (2, 4)] and good[0][2][1] == "regel een\nregel twee"


def test_a_bad_byte_costs_its_record_and_names_the_true_offset(tmp_path):
    rows = ["bsn;naam"] + [f"{i:09d};Zoë {i}" for i in range(5000)]
    data = bytearray("\n".join(rows).encode("utf-8") + b"\n")
    line_start = data.index(b"\n000003999;") + 1
    data[line_start + 12] = 0xFF
    path = tmp_path / "one_bad_byte.csv"
    path.write_bytes(bytes(data))
    good, bad, _ = read(path)
    assert len(good) == 4999 and len(bad) == 1
    row, line, reason = bad[0]
    assert (row, line) == (4000, 4001) and f"byte {line_start + 12}" in reason and "utf-8" in reason


def test_cp1252_after_ascii_megabytes_is_cp1252(tmp_path):
    path = tmp_path / "late.csv"
    path.write_bytes(b"naam;plaats\n" + b"Jansen;Zwolle\n" * 40_000 + "José;Düsseldorf\n".encode("cp1252"))
    good, bad, count = read(path)
    assert not bad and good[-1][2] == ["José", "Düsseldorf"] and count.encoding == "cp1252"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(tmp_path, encoding):
    path = tmp_path / "unicode_text.txt"   # Excel's "Unicode text" export: UTF-16 with BOM, tabs
    path.write_bytes("naam\tplaats\r\nZoë\t's-Hertogenbosch\r\nJan\tŁódź\r\n".encode(encoding))
    good, bad, _ = read(path)
    assert not bad and [g[2] for g in good] == [["Zoë", "'s-Hertogenbosch"], ["Jan", "Łódź"]]


def test_excel_with_a_stale_dimension_tag_is_read_to_the_end(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["nr", "bedrag"])
    for i in range(1000):
        wb.active.append([i, 1.5])
    wb.active.append([1, 2, "beyond the header"])
    path = tmp_path / "stale.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    files[sheet] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B11"', files[sheet])
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    good, bad, count = read(path)
    assert len(good) == 1000 and [(r, l) for r, l, _ in bad] == [(1001, 1002)] and count.records["stale.xlsx#Sheet"] == 1001



def test_xlsx_formula_without_computed_value_is_quarantined_not_published_empty(tmp_path):
    # openpyxl writes formulas without cached values, as any script does; only Excel computes them.
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["nr", "bedrag", "totaal"])
    wb.active.append([1, 2.5, 2.5])
    wb.active.append([2, 3.0, "=B3*2"])
    wb.active.append([3, "=1+1", None])
    wb.active.append([4, 1.0, "=nietsdan"])
    path = tmp_path / "formules.xlsx"
    wb.save(path)
    good, bad, count = read(path)
    assert len(good) == 1 and [(r, l) for r, l, _ in bad] == [(2, 3), (3, 4), (4, 5)]
    assert all("formula" in reason and "=" not in reason for _, _, reason in bad)
    assert count.records["formules.xlsx#Sheet"] == 4

def test_jsonl_bad_lines_are_rejected_alone(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"a": 1}\nJansen 123456782\n\n[1]\n{"a": 2}\n')
    good, bad, count = read(path)
    assert [(r, l) for r, l, _ in good] == [(1, 1), (4, 5)] and [(r, l) for r, l, _ in bad] == [(2, 2), (3, 4)]
    assert all("Jansen" not in reason and "123456782" not in reason for _, _, reason in bad)
    with pytest.raises(InputError, match="line 2"):
        list(read_table(path, bad_rows="error"))


def test_too_many_columns_is_one_error(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(";".join(f"c{i}" for i in range(10_000)) + "\n" + ";".join("1" * 10_000) + "\n")
    started = time.perf_counter()
    with pytest.raises(InputError, match="10,000 columns"):
        list(read_table(path))
    assert time.perf_counter() - started < 10


def test_huge_quoted_field_and_huge_line_are_quarantined_in_bounded_time(tmp_path):
    path = tmp_path / "huge.csv"
    big = "x" * 10_000_000
    path.write_text(f'id;notitie\n1;"{big}"\n2;kort\n3;{"y" * 50_000_000}\n4;ook kort\n', encoding="utf-8")
    started = time.perf_counter()
    good, bad, count = read(path)
    assert time.perf_counter() - started < 30
    assert [r for r, _, _ in good] == [2, 4] and [(r, l) for r, l, _ in bad] == [(1, 2), (3, 4)]
    assert count.records["huge.csv"] == 4
