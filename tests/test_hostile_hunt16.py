"""Findings of hostile-input hunt 16 (leaks, loss, crashes, messages): last stop's new code.

Each test is the smallest input that showed the problem.  Findings whose fix belongs in a file other helpers
are editing are strict xfails naming the place of the fix.
"""

from __future__ import annotations

import random

import pandas as pd
import pytest

from .conftest import spans

KEY = b"93ed157c9bca545fc9612c854c00d3f962b5d998aab530a214c6d89eba1cd51d"


# ------------------------------------------------------------------ the output sweep's prefilter vs find

@pytest.mark.parametrize("cell", [
    "BSN １２３４５６７８２ gebeld",                  # full-width digits (a form filled on a Japanese IME, a PDF)
    "zie 123\u00a0456\u00a0782 dossier",              # no-break spaces (pasted from Word or a web page)
    "zie 123\u2009456\u2009782 d",                    # thin spaces
    "zie 123\u2013456\u2013782 d",                    # en dashes (Word's autocorrect)
    "①②③④⑤⑥⑦⑧② x",                                  # circled digits
    "tel 06\u202f12\u202f34\u202f56\u202f78",         # narrow no-break spaces
    "tel ０６-１２３４５６７８ x",
    "tel 020\u2013123\u20134567 x",
    "iban NL91\u00a0ABNA\u00a00417\u00a01643\u00a000 x",
    "postcode 1234\u00a0AB 12",
    "１２３４ AB 12 x",
    "Dhr.\u00a0Bosma x",
    "H.\u00a0J.\u00a0Bosma x",
    "mevr.\u2003Bosma x",
])
def test_an_identifier_find_confirms_in_unicode_digits_or_spaces_passes_the_prefilter(cell):
    """The prefilter (RE2 in Arrow: ASCII digits and spaces) dropped cells that ``find`` (which folds full-width
    digits, no-break and thin spaces, dashes) confirms: published from a kept string column."""
    from pii_pipeline.masking.sweep import find, sweep_series

    assert find(cell), cell
    assert sweep_series(pd.Series(["C11", cell], dtype="str")), cell


def test_every_character_find_folds_to_ascii_makes_a_cell_be_folded_for_the_prefilter():
    """The prefilter folds only the cells holding a FOLDABLE character (NFKC over a whole column cost 12x)."""
    import pyarrow as pa

    from recognizers.identifiers._text import _fold_dash

    from pii_pipeline.masking.sweep import FOLDABLE, _matches

    chars = [chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000
             and _fold_dash(chr(c)) != chr(c) and _fold_dash(chr(c)).isascii()]
    assert len(chars) > 1000 and _matches(pa.array(chars), FOLDABLE).all()


def test_a_column_of_full_width_bsns_is_a_bsn_column_for_the_sweep():
    from recognizers.identifiers import bsn

    from pii_pipeline.masking.sweep import bare_bsn_cells

    rng, values = random.Random(4), []
    while len(values) < 50:
        v = f"{rng.randint(100_000_000, 999_999_999)}"
        if bsn.is_valid(v):
            values.append("".join(chr(0xFF10 + int(d)) for d in v))
    passing, bare = bare_bsn_cells(pd.Series(values, dtype="str"))
    assert bare == 50 and len(passing) == 50


# ------------------------------------------------------------------ byte-window discovery (CSVs of >= 50,000 lines)

def _mask(tmp_path, source, detector, **kwargs):
    import pyarrow.parquet as pq

    from pii_pipeline.masking.engine import mask_file
    from pii_pipeline.masking.policy import default_policy

    out = tmp_path / (source.name + ".parquet")
    manifest = mask_file(source, out, default_policy(), KEY, detector=detector, **kwargs)
    return pq.read_table(out), manifest


@pytest.mark.parametrize("codec, bom, newline", [("utf-16-le", b"\xff\xfe", "\r\n"), ("utf-16-le", b"", "\n"),
                                                 ("utf-16-be", b"\xfe\xff", "\n")],
                         ids=["utf16-bom-crlf", "utf16le-no-bom", "utf16be"])
def test_a_large_csv_in_utf16_is_masked_not_refused(tmp_path, monkeypatch, detector, codec, bom, newline):
    """The windowed sample cuts the file by byte at 0x0A (one byte per character): a UTF-16 CSV of 50,000 lines
    or more (Excel's "Unicode text") was refused whole: 'could not be processed: ValueError in io/delimited.py'."""
    from pii_pipeline.discovery import classifier

    monkeypatch.setattr(classifier, "WINDOWED_FROM", 100)   # the file's size does not matter, its line count does
    rows = ["nr;code;bedrag"] + [f"{i};C{i % 90 + 10};{i % 500},50" for i in range(400)]
    source = tmp_path / "unicode.csv"
    source.write_bytes(bom + (newline.join(rows) + newline).encode(codec))
    table, manifest = _mask(tmp_path, source, detector)
    assert manifest["rows"] == {"in": 400, "out": 400, "quarantined": 0}


def test_a_large_csv_with_cr_line_ends_then_lf_line_ends_is_masked_not_refused(tmp_path, monkeypatch, detector):
    """An old Mac export (CR line ends, the reader's head all CR) that a tool appended LF rows to: the LFs made it
    'large', the windows cut it at LFs: refused whole, as the UTF-16 file."""
    from pii_pipeline.discovery import classifier

    monkeypatch.setattr(classifier, "WINDOWED_FROM", 100)
    rows = "\r".join(["nr;code;bedrag"] + [f"{i};C{i % 90 + 10};{i % 500},50" for i in range(20_000)]) + "\r"
    source = tmp_path / "mac.csv"
    source.write_bytes((rows + "".join(f"{i};C11;1,00\n" for i in range(20_000, 20_200))).encode())
    table, manifest = _mask(tmp_path, source, detector)
    assert manifest["rows"]["in"] == table.num_rows + manifest["rows"]["quarantined"] >= 20_000


GAP_NAMES = ["Klaassen", "Veenstra", "Wijnberg", "Doornbos", "Schouten", "Verhoeve", "Brouwers", "Dijkstra"]


def _file_with_a_column_filled_where_no_window_looks(tmp_path, header: str = "kolom4"):
    """3,000 lines of 250 bytes: 100 windows of 20 lines, 10 lines apart; ``header``'s column holds surnames only
    on lines no window reads (blank on the others)."""
    from pii_pipeline.io import ranges
    from pii_pipeline.io.source import open_source

    filler = "regel " * 36
    lines = [f"{i:06d};C{i % 90 + 10};{i % 500:03d},50;{{}};{filler}" for i in range(3000)]
    head = f"nr;code;bedrag;{header};omschrijving\n"
    source = tmp_path / "gaps.csv"
    source.write_text(head + "".join(line.format("        ") + "\n" for line in lines), encoding="utf-8")
    opened = open_source(source)
    start = len(head)
    width = max(4096, int((opened.size - start) / 3000 * 2 * 1000 / 100))
    seen = set()
    for w in ranges.windows(source, opened.index, start, opened.size, 100, width):
        first = w.line - 1   # data lines before the window
        seen.update(range(first, first + (w.end - w.start) // len(lines[0].format("        ") + "\n")))
    unseen = [i for i in range(3000) if i not in seen]
    assert len(unseen) > 300, len(unseen)   # the file is what the test says
    names = {i: GAP_NAMES[k % len(GAP_NAMES)] for k, i in enumerate(unseen)}
    source.write_text(head + "".join(line.format(names.get(i, "        ")) + "\n" for i, line in enumerate(lines)),
                      encoding="utf-8")
    return source


@pytest.mark.parametrize("header", ["kolom4", "naam"])
def test_a_column_filled_only_where_no_window_looks_is_not_published(tmp_path, monkeypatch, detector, header):
    """'no values in the sample' made the column safe, kept as it is: a bare surname is nothing the value sweep
    can see, so every name on the lines between the windows was published (a column used for a period only,
    rows appended from another system)."""
    from pii_pipeline.discovery import classifier

    monkeypatch.setattr(classifier, "WINDOWED_FROM", 1000)
    source = _file_with_a_column_filled_where_no_window_looks(tmp_path, header)
    table, manifest = _mask(tmp_path, source, detector)
    assert manifest["rows"]["in"] == table.num_rows + manifest["rows"]["quarantined"] == 3000
    published = set(table.column(header).to_pylist()) if header in table.column_names else set()
    assert not published & set(GAP_NAMES), sorted(map(str, published))[:5]


# ------------------------------------------------------------------ byte ranges parsed by the workers

def test_the_range_size_tests_set_is_the_one_the_file_is_cut_by(tmp_path, monkeypatch):
    """split's default was RANGE_BYTES read once at import: the tests that set it to 8 KB ('masking a hostile file
    in 8 KB ranges gives the same output') masked every file in one range."""
    from pii_pipeline.io import ranges
    from pii_pipeline.io.source import open_source

    source = tmp_path / "plain.csv"
    source.write_text("nr;code\n" + "".join(f"{i};C11\n" for i in range(20_000)), encoding="utf-8")
    opened = open_source(source)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 8192)
    assert len(ranges.split(source, opened.index, 8, 1, opened.size)) > 10


@pytest.mark.parametrize("workers", [1, 2])
def test_ranges_of_a_bom_sep_line_crlf_file_with_a_repeated_header_keep_the_files_line_numbers(tmp_path, monkeypatch,
                                                                                              detector, workers):
    """Excel's BOM and 'sep=;' line, a blank line, CRLF, two exports joined (the second's header repeated in the
    middle), a record with a field too many: cut into 8 KB ranges, each parsed by a worker.  The quarantine names
    the file's lines; rows in = out + quarantined; the repeated header is no data row."""
    import csv

    from pii_pipeline.discovery import classifier
    from pii_pipeline.io import ranges
    from pii_pipeline.masking import engine

    monkeypatch.setattr(engine, "RANGED", True)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 8192)
    monkeypatch.setattr(classifier, "WINDOWED_FROM", 1000)
    body = [f"{i};C{i % 90 + 10};{i % 500},50" for i in range(3000)]
    body[1500] = "nr;code;bedrag"              # the second export's header (line 1504 of the file)
    body[2200] += ";extra"                     # line 2204, data row 2200
    text = "sep=;\r\n\r\nnr;code;bedrag\r\n" + "".join(line + "\r\n" for line in body)
    source = tmp_path / "joined.csv"
    source.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    table, manifest = _mask(tmp_path, source, detector, workers=workers, chunk_rows=700)
    assert table.column_names == ["nr", "code", "bedrag"]
    assert "nr" not in table.column("nr").to_pylist()
    assert manifest["rows"] == {"in": 2999, "out": 2998, "quarantined": 1}
    with open(tmp_path / (source.name + ".parquet._quarantine.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["row"], r["line"]) for r in rows] == [("2200", "2204")], rows
    assert sum(int(str(v).split(".")[0]) for v in table.column("bedrag").to_pylist()) == \
        sum(i % 500 for i in range(3000) if i not in (1500, 2200))


def _dies_on_the_second_range(path, window, chunk_rows, reader, masker=None):
    import os

    from pii_pipeline.masking import engine

    if window.line > 1000:
        os._exit(9)   # as kill -9 of a worker: no exception, no clean-up
    return engine._real_mask_range(path, window, chunk_rows, reader, masker)


def test_a_worker_killed_mid_run_fails_the_run_in_one_line_and_publishes_nothing(tmp_path, monkeypatch, detector):
    from pii_pipeline.discovery import classifier
    from pii_pipeline.errors import WorkerDied
    from pii_pipeline.io import ranges
    from pii_pipeline.masking import engine
    from pii_pipeline.masking.engine import mask_file
    from pii_pipeline.masking.policy import default_policy

    monkeypatch.setattr(ranges, "RANGE_BYTES", 8192)
    monkeypatch.setattr(classifier, "WINDOWED_FROM", 1000)
    monkeypatch.setattr(engine, "_real_mask_range", engine._mask_range, raising=False)
    monkeypatch.setattr(engine, "_mask_range", _dies_on_the_second_range)
    source = tmp_path / "in.csv"
    source.write_text("nr;code;bedrag\n" + "".join(f"{i};C{i % 90 + 10};{i % 500},50\n" for i in range(3000)),
                      encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(WorkerDied) as caught:   # was "could not be processed: BrokenProcessPool in futures/_base.py"
        mask_file(source, out / "in.parquet", default_policy(), KEY, detector=detector, workers=2, chunk_rows=700)
    message = str(caught.value)
    assert "\n" not in message and "worker process died" in message and "nothing was published" in message
    assert not list(out.iterdir())
    monkeypatch.setattr(engine, "_mask_range", engine._real_mask_range)   # the rerun: each row exactly once
    manifest = mask_file(source, out / "in.parquet", default_policy(), KEY, detector=detector, workers=2, chunk_rows=700)
    assert manifest["rows"] == {"in": 3000, "out": 3000, "quarantined": 0}


def test_a_batch_run_whose_worker_died_leaves_the_file_in_landing_and_the_rerun_publishes_it_once(tmp_path, monkeypatch):
    """The batch quarantined the input as 'BrokenProcessPool while processing the file': the OOM killer's victim
    left the landing folder, and no later run published it."""
    from pii_pipeline.batch import run_without_prefect
    from pii_pipeline.discovery import classifier
    from pii_pipeline.io import ranges
    from pii_pipeline.masking import engine
    from pii_pipeline.masking.policy import default_policy

    monkeypatch.setattr(ranges, "RANGE_BYTES", 8192)
    monkeypatch.setattr(classifier, "WINDOWED_FROM", 1000)
    monkeypatch.setattr(engine, "_real_mask_range", engine._mask_range, raising=False)
    monkeypatch.setattr(engine, "_mask_range", _dies_on_the_second_range)
    landing, output = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    (landing / "claims_2026-10.csv").write_text(
        "nr;code;bedrag\n" + "".join(f"{i};C{i % 90 + 10};{i % 500},50\n" for i in range(3000)), encoding="utf-8")
    first = run_without_prefect(landing, output, default_policy(), KEY, workers=2)
    assert [r.status for r in first] == ["failed"] and "worker process died" in first[0].error, first[0].error
    assert (landing / "claims_2026-10.csv").exists()
    monkeypatch.setattr(engine, "_mask_range", engine._real_mask_range)
    second = run_without_prefect(landing, output, default_policy(), KEY, workers=2)
    assert [(r.status, r.rows_in, r.rows_out) for r in second] == [("published", 3000, 3000)]
    third = run_without_prefect(landing, output, default_policy(), KEY, workers=2)
    assert [r.status for r in third] == ["skipped"]


# ------------------------------------------------------------------ free text: tags the input wrote itself

@pytest.mark.parametrize("text, value", [
    ("BSN 1234<PERSON>56782 in dossier", "56782"),          # a BSN cut in two by a type tag
    ("1234<NL_BSN>56782", "56782"),
    ("bel 06-1234<PHONE_NUMBER>5678 terug", "5678"),
    ("tel. 06<LOCATION>12345678", "12345678"),
    ("mail jan.jansen<PERSON>@example.nl", "jansen"),       # an e-mail address cut by a tag
    ("IBAN NL91ABNA<PERSON>0417164300", "0417164300"),
    ("zie 1234<PERSON:3fa2b1c9d0>56782", "56782"),          # cut by a pseudonym token
])
def test_a_value_cut_in_two_by_a_value_free_tag_of_the_input_is_masked(detector, text, value):
    """The input's value-free tags are hidden from the detector by filler, which cut the value around them in two
    halves no recognizer accepts: the number was published with a tag in the middle (remove the tag: the BSN)."""
    from pii_pipeline.masking.operators import mask_text
    from pii_pipeline.masking.pseudonyms import Pseudonymizer

    assert value not in mask_text(text, detector)
    assert value not in mask_text(text, detector, Pseudonymizer(bytes(range(32)), "test"))


def test_tags_beside_values_are_not_swallowed_into_them(detector):
    from pii_pipeline.masking.operators import mask_text

    assert mask_text("<PERSON:3fa2b1c9d0>Jansen belde", detector) == "<PERSON:3fa2b1c9d0><PERSON> belde"
    assert mask_text("Mevr. <PERSON> belde op <PHONE_NUMBER> over BSN <NL_BSN>", detector) == \
        "Mevr. <PERSON> belde op <PHONE_NUMBER> over BSN <NL_BSN>"


# ------------------------------------------------------------------ staging files of other outputs

def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_stages_are_those_of_this_output_whatever_its_name(tmp_path):
    """'.out*' also matched the stages of 'outpatient.parquet' (another table, maybe another run's, in a PID
    namespace of its own), and a name with glob characters ('claims[2026].parquet') never matched its own."""
    from pii_pipeline.masking.writers import remove_stale_stages

    pid = _dead_pid()
    other = tmp_path / f".outpatient.parquet.stage{pid}-0123abcd"
    own = tmp_path / f".out.parquet.stage{pid}-0123abcd"
    table = tmp_path / f".out.prestatie.parquet.stage{pid}-0123abcd"
    odd = tmp_path / f".claims[2026].parquet.stage{pid}-0123abcd"
    for p in (other, own, table, odd):
        p.write_bytes(b"")
    remove_stale_stages(tmp_path / "out.parquet")
    remove_stale_stages(tmp_path / "claims[2026].parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name]


# ------------------------------------------------------------------ detection rules of last round

def test_a_member_number_after_nr_with_a_dot_on_an_insurers_card_is_masked(detector):
    """Was published: the card's field asked for a colon ('Nr:', 'Nr.:'); 'Nr.' alone is the same field."""
    from pii_pipeline.masking.operators import mask_text

    assert "741920683" not in mask_text("ZILVEREN KRUIS  UZOVI 3311\nNaam: P. de Boer\nNr. 741920683", detector)
    assert "741920683" not in mask_text("CZ zorgpas\nNo.  741 920 683", detector)


def test_a_number_after_nr_with_a_dot_on_an_invoice_is_not_a_member_number(detector):
    """The near miss: no insurer's card above it, so 'Nr.' is any number's field."""
    assert not spans(detector, "Factuur\nNr. 741920683 van 2024", "NL_MEMBER_NUMBER")


# ------------------------------------------------------------------ a file that changes while it is read

def _grows_while_read(monkeypatch):
    """The transform reads a file another process is still writing (a copy into the landing folder)."""
    from pii_pipeline.masking import engine

    real = engine._transform_stage

    def transform(run):
        with run.source.path.open("a", encoding="utf-8") as f:
            f.write("".join(f"{i};C11;1,00\n" for i in range(3000, 3100)))
        real(run)

    monkeypatch.setattr(engine, "_transform_stage", transform)
    return real


def test_a_file_that_grows_while_it_is_read_publishes_nothing(tmp_path, monkeypatch, detector):
    """It was published with the hash (and the version id) of the bytes read at the start but the rows read
    later: the next run, seeing the complete file under another hash, published its rows a second time."""
    from pii_pipeline.errors import FileChanged

    _grows_while_read(monkeypatch)
    source = tmp_path / "in.csv"
    source.write_text("nr;code;bedrag\n" + "".join(f"{i};C{i % 90 + 10};{i % 500},50\n" for i in range(3000)),
                      encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    from pii_pipeline.masking.engine import mask_file
    from pii_pipeline.masking.policy import default_policy

    with pytest.raises(FileChanged) as caught:
        mask_file(source, out / "in.parquet", default_policy(), KEY, detector=detector)
    assert "changed while it was read" in str(caught.value) and "\n" not in str(caught.value)
    assert not list(out.iterdir())


def test_a_batch_run_leaves_a_file_that_grew_while_read_in_landing_and_publishes_it_once(tmp_path, monkeypatch):
    from pii_pipeline.batch import run_without_prefect
    from pii_pipeline.masking import engine
    from pii_pipeline.masking.policy import default_policy

    real = _grows_while_read(monkeypatch)
    landing, output = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    (landing / "claims_2026-10.csv").write_text(
        "nr;code;bedrag\n" + "".join(f"{i};C{i % 90 + 10};{i % 500},50\n" for i in range(3000)), encoding="utf-8")
    first = run_without_prefect(landing, output, default_policy(), KEY)
    assert [r.status for r in first] == ["failed"] and "left in the landing folder" in first[0].error, first[0].error
    monkeypatch.setattr(engine, "_transform_stage", real)
    second = run_without_prefect(landing, output, default_policy(), KEY)
    assert [(r.status, r.rows_in, r.rows_out) for r in second] == [("published", 3100, 3100)]


# ------------------------------------------------------------------ messages

def test_a_header_line_holding_a_bare_carriage_return_is_a_one_line_error_naming_the_line(tmp_path):
    """A CR-only export with LF rows appended (its head not all CR): the header 'line' holds CRs and csv's
    error was withheld as 'could not be processed: Error in io/delimited.py:296'."""
    from pii_pipeline.errors import InputError
    from pii_pipeline.io.delimited import DelimitedFile

    source = tmp_path / "mixed.csv"
    source.write_bytes(b"nr;code\r1;C11\r2;C12\r" + b"3;C13\n4;C14\n")
    with pytest.raises(InputError) as caught:
        DelimitedFile(source)
    assert caught.value.line == 1 and "carriage return" in str(caught.value), str(caught.value)


# ------------------------------------------------------------------ free text remembered: bounded by size, not count alone

def _letters(n: int, size: int = 5000) -> list:
    rng = random.Random(5)
    return [f"brief {i}: " + " ".join(rng.choice(["zorg", "factuur", "verwijzing", "controle"]) for _ in range(size // 8))
            for i in range(n)]


def test_long_texts_are_not_remembered_by_the_text_memo(detector):
    """The memos held up to 100,000 texts whatever their length: 100,000 distinct letters of 10 KB (e-mails, a
    letter column) are ~2 GB per memo and process (each worker's, the main process's, the later rounds')."""
    from pii_pipeline.masking import operators

    letters = _letters(20)
    memo, rounds = {}, {}
    masked = operators.mask_text_series(pd.Series(letters + letters[:5], dtype="str"), detector, memo=memo, rounds=rounds)
    assert masked.tolist() == [operators.mask_text(t, detector) for t in letters + letters[:5]]
    assert all(len(t) <= operators.MEMO_TEXT_CHARS for t in memo)
    assert all(len(key[0]) <= operators.MEMO_TEXT_CHARS for key in rounds)


def test_shared_texts_do_not_remember_long_texts_and_never_mask_one_twice():
    from collections import Counter
    from types import SimpleNamespace

    from pii_pipeline.masking import operators
    from pii_pipeline.masking.textmemo import SharedTexts

    calls = []
    plan = SimpleNamespace(name="t", kept=True, is_list=False, rule=SimpleNamespace(operator="mask_text"))
    masker = SimpleNamespace(plans=[plan], mask_one_text=lambda p, t: calls.append(t) or (t.upper(), Counter()))
    texts = SharedTexts(masker)
    long_ = _letters(2)
    for frame_texts in (["kort", long_[0]], [long_[0], long_[1], "kort"]):
        frame = pd.DataFrame({"t": pd.Series(frame_texts, dtype="string[pyarrow]")})
        rest, new = texts.split(frame)
        result = (({}, {}, {}, len(frame)), {"t": [(t.upper(), Counter()) for t in new["t"]]})   # the worker's part
        casted, _, _, _ = texts.join(frame, result)
        assert casted["t"][0].to_pylist() == [t.upper() for t in frame_texts]
    assert calls == []                                         # nothing masked again in the main process
    assert all(len(t) <= operators.MEMO_TEXT_CHARS for t in texts.masked["t"]) and "kort" in texts.masked["t"]


# ------------------------------------------------------------------ characters that print as nothing

@pytest.mark.parametrize("hidden", ["\u00ad", "\u200b", "\u2060", "\ufeff", "\x00"],
                         ids=["soft-hyphen", "zero-width-space", "word-joiner", "zwnbsp", "nul"])
@pytest.mark.parametrize("text, value", [("bel 06{h}12345678 terug", "12345678"), ("BSN 123{h}456{h}782 in dossier", "782"),
                                         ("IBAN NL91{h}ABNA0417164300", "0417164300"),
                                         ("mail jan.jansen@exa{h}mple.nl", "jansen")])
def test_a_value_split_by_a_character_that_prints_as_nothing_is_found_and_masked(detector, hidden, text, value):
    """A soft hyphen (Word's justified text), a zero-width space (a web page), a NUL (a broken export) inside a
    number: on screen and in most tools it is the number, but neither find nor the detector read it as one:
    published from free text and from kept columns alike."""
    from pii_pipeline.masking.operators import mask_text
    from pii_pipeline.masking.sweep import find, sweep_series

    cell = text.format(h=hidden)
    assert find(cell) and sweep_series(pd.Series(["C11", cell], dtype="str")), repr(cell)
    assert value not in mask_text(cell, detector), repr(cell)


def test_a_column_no_window_saw_keeps_a_large_file_parsed_in_the_workers(tmp_path, monkeypatch, detector):
    """Masked as free text, the unseen column must not take the file off the byte ranges (free text shared out
    by the main process needs the main process to parse): a large file with an always-empty column is common."""
    from pii_pipeline.discovery import classifier
    from pii_pipeline.io import ranges
    from pii_pipeline.masking import engine

    monkeypatch.setattr(classifier, "WINDOWED_FROM", 1000)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 65536)
    source = _file_with_a_column_filled_where_no_window_looks(tmp_path)
    source.write_text(source.read_text(encoding="utf-8").replace("regel ", "regel_"), encoding="utf-8")  # no free text
    monkeypatch.setattr(engine, "_grouped_chunks", lambda *a, **k: pytest.fail("parsed in the main process"))
    table, manifest = _mask(tmp_path, source, detector, workers=2)
    assert manifest["rows"]["in"] == table.num_rows == 3000
    assert not set(table.column("kolom4").to_pylist()) & set(GAP_NAMES)


@pytest.mark.parametrize("text, value", [("bsn ١٢٣٤٥٦٧٨٢ in dossier", "٧٨٢"), ("bel ٠٦١٢٣٤٥٦٧٨ terug", "٥٦٧٨"),
                                         ("bsn ۱۲۳۴۵۶۷۸۲", "۷۸۲")], ids=["arabic-indic-bsn", "arabic-indic-phone", "persian-bsn"])
def test_an_identifier_in_arabic_indic_digits_is_masked(detector, text, value):
    """Was published: fold() left digits of other scripts alone (NFKC does) and validate() asks for ASCII digits."""
    from pii_pipeline.masking.operators import mask_text
    from pii_pipeline.masking.sweep import find, sweep_series

    assert value not in mask_text(text, detector)
    assert find(text)                                                       # the output sweep sees it too
    assert sweep_series(pd.Series(["C11", text], dtype="str"))
