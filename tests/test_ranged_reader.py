"""A large CSV is cut into byte ranges of whole records (io/ranges.py), each parsed where it is transformed,
and sampled for discovery from evenly spaced windows.  The records, row numbers, line numbers, quarantine
and output are those of one reader reading the whole file; discovery classifies as from a sample of all rows."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd
import pytest

from pii_pipeline.discovery import classifier
from pii_pipeline.discovery.classifier import classify_sample, sample_tables, sample_windows
from pii_pipeline.io import ranges
from pii_pipeline.io.delimited import DelimitedFile
from pii_pipeline.io.source import open_source
from pii_pipeline.io.tables import FileCount, read_csv
from pii_pipeline.masking import default_policy
from pii_pipeline.masking import engine
from pii_pipeline.masking.engine import mask_file

KEY = b"test-key-0123456789abcdef0123456789abcdef"
SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def _claims_without_quotes(tmp_path: Path, copies: int = 6, crlf: bool = False) -> Path:
    """The sample claims in UTF-8 (without the remark column: it holds quotes), repeated, with hostile records."""
    lines = (SAMPLES / "claims_2026-10.csv").read_text(encoding="cp1252").encode("utf-8").splitlines()
    body = [b";".join(line.split(b";")[:11]) for line in lines[1:]] * copies
    body[100] += b";extra"                        # too many fields
    body[700] = body[700].split(b";", 1)[0]       # too few
    body[900] = b""                               # blank line
    for i in range(0, len(body), 50):             # enough UTF-8 to say the file is UTF-8
        body[i] = body[i].replace(b";", "; é".encode(), 1) if i != 900 else body[i]
    body[1300] = body[1300][:5] + b"\xff" + body[1300][6:]   # not UTF-8
    source = tmp_path / "claims.csv"
    source.write_bytes((b"\r\n" if crlf else b"\n").join([b";".join(lines[0].split(b";")[:11])] + body) + b"\n")
    return source


def _whole_and_ranged(path: Path, every: int):
    source = open_source(path)
    reader = DelimitedFile(path)
    start, line = ranges.data_start(path, reader.header_skip, reader.encoding.bom)
    assert ranges.splittable(source.index, reader.encoding.unit, reader.cr_only, 0)
    cuts = ranges.split(path, source.index, start, line, source.size, every)
    whole = list(read_csv(path, 97))
    parts, shift, lines = [], 0, reader.header_skip
    for window in cuts:
        count = FileCount()
        for chunk in read_csv(path, 97, count, window=window):
            parts.append((chunk.frame, chunk.rows() + shift, chunk.lines(),
                          [(r + shift, n, why) for r, n, why in chunk.rejected]))
        shift += sum(count.records.values())
        lines += count.lines
    assert lines == source.index.lines(source.size)      # every physical line read once
    return whole, parts, len(cuts)


@pytest.mark.parametrize("crlf", [False, True])
def test_ranges_give_the_records_rows_and_lines_of_one_reader(tmp_path, crlf):
    whole, parts, cuts = _whole_and_ranged(_claims_without_quotes(tmp_path, crlf=crlf), every=4096)
    assert cuts > 20
    frame = lambda frames: pd.concat(frames, ignore_index=True)  # noqa: E731
    assert frame([c.frame for c in whole]).equals(frame([p[0] for p in parts]))
    assert [r for c in whole for r in c.rows()] == [r for p in parts for r in p[1]]
    assert [n for c in whole for n in c.lines()] == [n for p in parts for n in p[2]]
    rejected = [r for c in whole for r in c.rejected]
    assert len(rejected) == 3 and rejected == [r for p in parts for r in p[3]]   # bad byte: same offset


def test_a_quote_or_a_bare_cr_in_the_data_is_never_cut(tmp_path):
    for extra in ('1;"a";2', "1;a\rb;2"):
        path = tmp_path / "q.csv"
        path.write_bytes(b"nr;code;n\n" + b"1;a;2\n" * 100 + extra.encode() + b"\n")
        reader = DelimitedFile(path)
        assert not ranges.splittable(open_source(path).index, reader.encoding.unit, reader.cr_only, 0)


def _masked(source: Path, out: Path, workers: int, monkeypatch, ranged: bool = True):
    monkeypatch.setattr(engine, "RANGED", ranged)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 8192)
    monkeypatch.setattr(classifier, "WINDOWED_FROM", 1000)
    out.mkdir()
    manifest = mask_file(source, out / "masked.parquet", default_policy(), KEY, workers=workers, chunk_rows=300)
    for key in ("created", "started"):
        manifest.pop(key)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.endswith("_manifest.json")}, \
        json.dumps(manifest, sort_keys=True)


def test_ranged_masking_is_byte_identical_to_one_reader_and_across_workers(tmp_path, monkeypatch, detector):
    source = _claims_without_quotes(tmp_path, copies=8)
    serial = _masked(source, tmp_path / "serial", 1, monkeypatch, ranged=False)
    one = _masked(source, tmp_path / "one", 1, monkeypatch)
    two = _masked(source, tmp_path / "two", 2, monkeypatch)
    assert one == serial and two == serial
    quarantine = serial[0]["masked.parquet._quarantine.csv"].decode().splitlines()
    assert [line.split(",")[:2] for line in quarantine[1:]] == [["101", "102"], ["701", "702"], ["1300", "1302"]]
    assert "at byte 111" in quarantine[3]   # the byte offset in the file, not in a range
    manifest = json.loads(serial[1])
    assert manifest["rows"]["in"] == manifest["rows"]["out"] + manifest["rows"]["quarantined"] == 8 * 400 - 1


def _late_column_file(tmp_path: Path, rows: int = 60_000) -> Path:
    """A BSN column and a column of names under headers that say nothing, both empty in the first 90%."""
    from recognizers.identifiers import bsn

    rng = random.Random(3)
    numbers = [n for n in (f"{rng.randrange(10**8, 10**9)}" for _ in range(5000)) if bsn.is_valid(n)]
    names = ["Jan de Vries", "Fatima el Amrani", "Pieter Jansen", "Sanne Bakker", "Mohamed Yilmaz", "Emma Visser"]
    lines = ["regel;kenmerk;veld;code"]
    for i in range(rows):
        late = i >= rows * 9 // 10
        lines.append(f"{i};{rng.choice(numbers) if late else ''};{rng.choice(names) if late else ''};C{i % 7}")
    path = tmp_path / "late.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_windows_see_a_column_whose_values_stand_only_in_the_last_tenth(tmp_path, detector):
    path = _late_column_file(tmp_path)
    source = open_source(path)
    windowed = sample_windows(path, source.index, source.size)
    full = sample_tables(path)
    kinds = {}
    for how, tables in (("windows", windowed), ("all rows", full)):
        (sample, rows), = tables.values()
        assert (sample["veld"] != "").sum() >= 50, how      # about a tenth of the 1,000 sampled rows
        report = classify_sample(detector, path, path.name, sample, rows)
        kinds[how] = {c.name: (c.entity_type, c.role) for c in report.columns}
    assert kinds["windows"] == kinds["all rows"]
    assert kinds["windows"]["kenmerk"][0] == "NL_BSN" and kinds["windows"]["veld"][0] == "PERSON"


def test_windows_classify_the_sample_claims_as_a_sample_of_all_rows(tmp_path, detector):
    lines = (SAMPLES / "claims_2026-10.csv").read_bytes().split(b"\n")
    path = tmp_path / "claims.csv"
    path.write_bytes(b"\n".join([lines[0]] + [l for l in lines[1:] if l] * 40) + b"\n")
    source = open_source(path)
    (windowed, _), = sample_windows(path, source.index, source.size).values()
    (full, rows), = sample_tables(path).values()
    got = [(c.name, c.entity_type, c.role) for c in classify_sample(detector, path, path.name, windowed, rows).columns]
    want = [(c.name, c.entity_type, c.role) for c in classify_sample(detector, path, path.name, full, rows).columns]
    assert got == want


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FIELD = st.text(alphabet="ab é1,", max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(st.lists(_FIELD, min_size=3, max_size=3), st.lists(_FIELD, min_size=0, max_size=5),
                               st.just(["\udcff"]), st.just([""])), min_size=1, max_size=60),
       every=st.integers(1, 200), crlf=st.booleans(), last_newline=st.booleans(), fast=st.booleans())
def test_any_cut_of_any_plain_text_reads_as_one_reader(rows, every, crlf, last_newline, fast, tmp_path_factory,
                                                       monkeypatch):
    # Field counts off, blank lines, bad bytes, CRLF or LF, with or without a last newline, the fast path
    # or the record-by-record rules: the ranges give the records, rows, lines and rejections of one reader.
    import pii_pipeline.io.delimited as delimited

    monkeypatch.setattr(delimited, "FAST_READER", fast)
    monkeypatch.setattr(delimited, "FAST_BLOCK", 64)
    monkeypatch.setattr(delimited, "CAREFUL_BLOCK", 64)
    end = "\r\n" if crlf else "\n"
    text = "naam;plaats;bedrag" + end + end.join(";".join(r) for r in rows) + (end if last_newline else "")
    path = tmp_path_factory.mktemp("r") / "x.csv"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    source, reader = open_source(path), DelimitedFile(path)
    if not ranges.splittable(source.index, reader.encoding.unit, reader.cr_only, 0):
        return   # (a CR-only file: one reader)
    whole, parts, _ = _whole_and_ranged(path, every)
    assert [r for c in whole for r in c.rows()] == [r for p in parts for r in p[1]]
    assert [n for c in whole for n in c.lines()] == [n for p in parts for n in p[2]]
    assert [r for c in whole for r in c.rejected] == [r for p in parts for r in p[3]]
    frames = [c.frame for c in whole if len(c.frame)], [p[0] for p in parts if len(p[0])]
    if frames[0]:
        assert pd.concat(frames[0], ignore_index=True).equals(pd.concat(frames[1], ignore_index=True))
