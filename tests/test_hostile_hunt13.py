"""Findings of hostile-input hunt 13 (leaks, loss, crashes, messages) against the whole tool.

Each test is the smallest input that showed the problem.  Timing cases compare CPU time of two inputs
of the same size (linear work: about the same), never a wall-clock limit.  The one
finding first committed as a strict xfail (the several-sheets error quoting sheet titles) is fixed.
"""

import io
import time
import zipfile
from pathlib import Path

import pytest

from pii_pipeline.errors import InputError
from pii_pipeline.io.tables import read_table

ROW3 = b'<c r="B3" t="n"><v>11</v></c>'


def _workbook(path: Path, edit=lambda xml: xml, sheet_part: str = "xl/worksheets/sheet1.xml", rows: int = 20) -> Path:
    """A one-sheet workbook (nr, bedrag; rows 2..rows+1) whose sheet XML is edited as bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["nr", "bedrag"])
    for i in range(rows):
        ws.append([i, 10 + i])
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data, name = src.read(item.filename), item.filename
            if name == "xl/worksheets/sheet1.xml":
                data, name = edit(data), sheet_part
            elif name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                data = data.replace(b"worksheets/sheet1.xml", sheet_part[3:].encode())
            dst.writestr(name, data)
    return path


def _read(path: Path):
    chunks = list(read_table(path))
    good = [row for c in chunks for row in c.frame.values.tolist()]
    bad = [r for c in chunks for r in c.rejected]
    return good, bad


# ------------------------------------------------------------------ xlsx: formulas without a computed value

@pytest.mark.parametrize("cell", [
    b'<c r="B3"><f\nt="normal">B2+1</f></c>',                       # whitespace other than a space after the tag
    b'<c r="B3"><f t="array" ref="B3">B2+1</f></c>',                # an array formula (openpyxl: ArrayFormula)
    b'<c r="B3"><f t="dataTable" ref="B3" dt2D="0" dtr="0" r1="A1"/></c>',   # a what-if data table
], ids=["newline-in-tag", "array", "data-table"])
def test_every_kind_of_uncomputed_formula_quarantines_its_row(tmp_path, cell):
    """These cells were published empty: the byte scan wanted '<f>' or '<f ', the row check a str '=...'."""
    good, bad = _read(_workbook(tmp_path / "w.xlsx", lambda xml: xml.replace(ROW3, cell)))
    assert len(good) == 19 and [(r[0], r[1]) for r in bad] == [(2, 3)] and "formula" in bad[0][2]


def test_uncomputed_formula_in_a_worksheet_stored_elsewhere_in_the_zip(tmp_path):
    """The scan looked only under xl/worksheets/; a workbook's relationships may put a sheet anywhere."""
    path = _workbook(tmp_path / "w.xlsx", lambda xml: xml.replace(ROW3, b'<c r="B3"><f>B2+1</f></c>'), "xl/data/s1.xml")
    good, bad = _read(path)
    assert len(good) == 19 and len(bad) == 1


def test_cells_an_uncomputed_array_formula_spills_into_are_quarantined_too(tmp_path):
    """An array formula over B3:B5 written by a script holds its text in B3 only: B4 and B5 were published empty."""
    def edit(xml):
        xml = xml.replace(ROW3, b'<c r="B3"><f t="array" ref="B3:B5">B2:B4+1</f></c>')
        return xml.replace(b'<c r="B4" t="n"><v>12</v></c>', b"").replace(b'<c r="B5" t="n"><v>13</v></c>', b"")
    good, bad = _read(_workbook(tmp_path / "w.xlsx", edit))
    assert len(good) == 17 and [r[1] for r in bad] == [3, 4, 5]


# ------------------------------------------------------------------ xlsx: rows lost

def test_sheet_whose_header_is_not_on_the_first_row_is_read(tmp_path):
    """A sheet starting with blank rows (a title row left empty) was skipped without a word: 'mask' said
    '5 of 5 rows written' for a workbook of 12 rows, and a one-sheet workbook was called 'header only'."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["nr", "bedrag"])
    for i in range(5):
        ws.append([i, i])
    late = wb.create_sheet("b")
    late["A3"], late["B3"] = "nr", "bedrag"
    for i in range(7):
        late.append([i, i])
    wb.save(tmp_path / "w.xlsx")
    chunks = list(read_table(tmp_path / "w.xlsx"))
    assert {c.table: len(c.frame) for c in chunks} == {"w.xlsx#Sheet": 5, "w.xlsx#b": 7}
    assert next(c for c in chunks if c.table == "w.xlsx#b").frame.columns.tolist() == ["nr", "bedrag"]


def test_rows_out_of_order_or_twice_in_the_sheet_xml_are_not_dropped(tmp_path):
    """openpyxl skips a <row> whose number is not above the last one's: its values vanished."""
    moved = b'<row r="5"><c r="A5" t="n"><v>3</v></c><c r="B5" t="n"><v>13</v></c></row>'
    def edit(xml):
        return xml.replace(moved, b"").replace(b"</sheetData>", moved + b"</sheetData>")
    good, bad = _read(_workbook(tmp_path / "w.xlsx", edit))
    assert len(good) + len(bad) == 20 and ["3", "13"] in good


def test_two_cells_for_one_column_make_the_row_bad(tmp_path):
    """<c r="B3"> twice in a row: the first value was overwritten by the second."""
    good, bad = _read(_workbook(tmp_path / "w.xlsx", lambda xml: xml.replace(ROW3, ROW3 + b'<c r="B3" t="n"><v>99</v></c>')))
    assert len(good) == 19 and [(r[0], r[1]) for r in bad] == [(2, 3)] and "column 2" in bad[0][2]


# ------------------------------------------------------------------ xlsx: bounded time

def _cpu(path: Path) -> float:
    best = float("inf")
    for _ in range(2):
        t = time.process_time()
        _read(path)
        best = min(best, time.process_time() - t)
    return best


def test_a_cell_far_to_the_right_does_not_cost_a_row_of_sixteen_thousand_cells(tmp_path):
    """One cell at column XFD on each row: every row was padded to 16,384 cells (a 180 KB workbook of 2,000
    such rows took 7 s).  The cell is still seen: its row is bad."""
    def wide(column):
        extra = b"".join(b'<row r="%d"><c r="A%d" t="n"><v>1</v></c><c r="%s%d" t="n"><v>1</v></c></row>'
                         % (i, i, column, i) for i in range(22, 322))
        return lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>")
    near, far = _workbook(tmp_path / "near.xlsx", wide(b"C")), _workbook(tmp_path / "far.xlsx", wide(b"XFD"))
    good, bad = _read(far)
    assert len(good) == 20 and len(bad) == 300 and "beyond the header" in bad[0][2]
    ratio = _cpu(far) / max(_cpu(near), 1e-3)
    assert ratio < 5, f"a cell at XFD made reading x{ratio:.0f} slower"


def test_a_zip_bomb_workbook_is_refused_in_one_line(tmp_path):
    """A 300 KB workbook whose sheet inflates to 300 MB of whitespace took 200 s and 430 MB to read."""
    path = _workbook(tmp_path / "w.xlsx", lambda xml: xml.replace(b"</sheetData>", b" " * (20 << 20) + b"</sheetData>"))
    from pii_pipeline.io.tables import read_columns

    for read in (_read, read_columns):
        with pytest.raises(InputError, match="inflates .* times .*a zip bomb"):
            read(path)


def test_read_columns_finds_the_header_read_xlsx_uses(tmp_path):
    from openpyxl import Workbook

    from pii_pipeline.io.tables import read_columns

    wb = Workbook()
    wb.active["B4"], wb.active["A4"] = "bsn", "nr"
    wb.active.append([1, "111222333"])
    wb.save(tmp_path / "w.xlsx")
    assert read_columns(tmp_path / "w.xlsx") == ["nr", "bsn"] == next(read_table(tmp_path / "w.xlsx")).frame.columns.tolist()


# ------------------------------------------------------------------ JSON keys twice

def test_json_record_with_a_key_twice_is_quarantined_not_halved(tmp_path):
    """{"bsn": A, "bsn": B}: json keeps B only, so A vanished without a word (and a nested object too)."""
    records = ['{"nr": %d, "bsn": "111222333", "bedrag": 1.5}' % i for i in range(10)]
    records[3] = '{"nr": 3, "bsn": "111222333", "bsn": "123456782", "bedrag": 1.5}'
    records[6] = '{"nr": 6, "p": {"x": 1, "x": 2}, "bsn": "111222333", "bedrag": 1.5}'
    (tmp_path / "a.json").write_text("[" + ",".join(records) + "]")
    (tmp_path / "a.jsonl").write_text("\n".join(records) + "\n")
    for name in ("a.json", "a.jsonl"):
        good, bad = _read(tmp_path / name)
        assert len(good) == 8 and [r[0] for r in bad] == [4, 7] and "twice" in bad[0][2]
        assert "bsn" not in bad[0][2] and "123456782" not in bad[0][2]


def test_json_object_holding_its_records_array_twice_is_an_error(tmp_path):
    """{"records": [...], "records": [...]}: the first array of records was dropped whole."""
    (tmp_path / "a.json").write_text('{"records": [{"a": 1}], "records": [{"a": 2}]}')
    with pytest.raises(InputError, match="twice"):
        _read(tmp_path / "a.json")


# ------------------------------------------------------------------ Vektis EI

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def test_ei_file_with_a_utf8_bom_is_read_as_ei(tmp_path):
    """A BOM before the voorlooprecord (a file saved by Notepad): 'unsupported format .asc'."""
    from pii_pipeline.io.ei import is_ei_file

    plain = SAMPLE / "declaratie_mz301_2026-10.asc"
    path = tmp_path / "declaratie.asc"
    path.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    assert is_ei_file(path)
    with_bom = {c.table.split("#")[1]: len(c.frame) for c in read_table(path)}
    assert with_bom == {c.table.split("#")[1]: len(c.frame) for c in read_table(plain)}
    from pii_pipeline.io.ei import declaration_period

    assert declaration_period(path) == declaration_period(plain) == "2026-10"


# ------------------------------------------------------------------ sheet titles are data

def _sheets_named(path: Path, titles, gap: bool = False) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for n, title in enumerate(titles):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = title
        ws["A1"], ws["C1" if gap else "B1"] = "nr", "bedrag"
        for i in range(30):
            ws.append([i, i, i] if gap else [i, i])
    wb.save(path)
    return path


def test_reader_errors_name_a_sheet_by_position_when_its_title_holds_personal_data(tmp_path):
    path = _sheets_named(tmp_path / "w.xlsx", ["Klaassen 123456782"], gap=True)
    with pytest.raises(InputError) as caught:
        _read(path)
    assert "sheet 1:" in str(caught.value) and "Klaassen" not in str(caught.value) and "123456782" not in str(caught.value)


def test_the_several_sheets_error_does_not_quote_sheet_titles(tmp_path, detector):
    from pii_pipeline.masking import default_policy
    from pii_pipeline.masking.engine import mask_file

    path = _sheets_named(tmp_path / "w.xlsx", ["Klaassen 123456782", "Jan de Vries"])
    with pytest.raises(Exception) as caught:
        mask_file(path, tmp_path / "out.parquet", default_policy(), b"test-key-0123456789abcdef0123456789abcdef", detector=detector)
    assert "sheets" in str(caught.value)
    assert not any(v in str(caught.value) for v in ("Klaassen", "123456782", "Vries"))


# ------------------------------------------------------------------ evaluate

def test_evaluate_errors_show_offsets_types_and_shapes_not_the_text(tmp_path):
    """`evaluate --errors` (help: 'offsets and types only') printed each miss's text: a set labelled on
    real notes put names and BSNs on the terminal.  The text is shown with --show-text only."""
    from typer.testing import CliRunner

    from pii_pipeline.cli import app

    (tmp_path / "set.txt").write_text("Notitie: [[PERSON:Hendrik Zwaagstra-Oudeboer]] belde over [[NL_BSN:123456782]].\n")
    shown = CliRunner().invoke(app, ["evaluate", str(tmp_path / "set.txt"), "--errors", "--mode", "strict"])
    assert shown.exit_code == 0
    assert "Zwaagstra" not in shown.output and "123456782" not in shown.output
    if "fn PERSON" in shown.output:
        assert "'Xxxxx Xxxxx-Xxxxx'" in shown.output
    text = CliRunner().invoke(app, ["evaluate", str(tmp_path / "set.txt"), "--errors", "--show-text"])
    assert text.exit_code == 0 and ("Zwaagstra" in text.output or "fn PERSON" not in shown.output)


@pytest.mark.parametrize("content,reason", [
    ("BSN [[NL_BSN:123456782 van Jan.\n", "line 1.*'\\[\\['"),
    ("Eerste regel.\nDe heer [[PERSON:Jan [[NL_BSN:123456782]] de Vries]] belde.\n", "line 2.*inside"),
    ("ok\n---\nVan [[PERSOON:Jan]].\n", "line 3.*unknown entity type"),
], ids=["unclosed", "nested", "unknown-type"])
def test_malformed_annotation_is_one_line_naming_the_line(tmp_path, content, reason):
    """Unclosed or nested [[...]] markup was scored as if it were text (an unclosed mark swallowed the next
    document); an unknown type was 'unexpected ValueError'."""
    from pii_pipeline.evaluation import load_labelled

    (tmp_path / "set.txt").write_text(content)
    with pytest.raises(InputError, match=reason) as caught:
        load_labelled(tmp_path / "set.txt")
    assert "123456782" not in str(caught.value) and "Jan" not in str(caught.value)


@pytest.mark.parametrize("line,reason", [
    ('{"text": "BSN 123456782", "spans": [{"entity_type": "NL_BSN", "start": 4, "end": 40}]}', "outside the text"),
    ('{"text": "BSN 123456782", "spans": [{"entity_type": "NL_BSN", "start": 9, "end": 4}]}', "outside the text"),
    ('{"text": "BSN 123456782", "spans": [{"label": "NL_BSN", "start": 4, "end": 13}]}', "entity_type"),
    ('{"text": 5, "spans": []}', "text"),
    ('[1, 2]', "not a JSON object"),
    ('{"text": "BSN 123456782", ', "not valid JSON"),
], ids=["end-past-text", "reversed", "no-type", "text-not-string", "array", "broken"])
def test_malformed_jsonl_labelled_set_is_one_line_naming_the_line(tmp_path, line, reason):
    """A span without entity_type was 'unexpected KeyError'; spans past the text were scored silently."""
    from pii_pipeline.evaluation import load_labelled

    (tmp_path / "set.jsonl").write_text('{"text": "ok", "spans": []}\n' + line + "\n")
    with pytest.raises(InputError, match=f"line 2.*{reason}") as caught:
        load_labelled(tmp_path / "set.jsonl")
    assert "123456782" not in str(caught.value)


# ------------------------------------------------------------------ detect

@pytest.mark.parametrize("line,reason", [
    ('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ('{"text": "BSN 123456782 belde", "text": "ok"}', "key twice"),
], ids=["deep", "text-twice"])
def test_detect_jsonl_line_that_hides_or_overflows_is_an_error_for_that_line(tmp_path, line, reason):
    """A deeply nested line was 'unexpected RecursionError' (the whole run lost); a line with "text" twice was
    read as its last value only: the BSN in the first was never looked at, and detect said 0 findings."""
    from pii_pipeline.io.documents import iter_documents

    (tmp_path / "notes.jsonl").write_text(line + '\n{"text": "Geen bijzonderheden."}\n')
    errors: list = []
    docs = list(iter_documents(tmp_path / "notes.jsonl", errors=errors))
    assert [d.line for d in docs] == [2] and len(errors) == 1
    assert "line 1" in str(errors[0]) and reason in str(errors[0]) and "123456782" not in str(errors[0])


def test_detect_does_not_print_a_document_id_that_holds_personal_data(tmp_path, key_env):
    """The id field was printed as given: an export keyed by BSN or by name put them on the terminal."""
    from typer.testing import CliRunner

    from pii_pipeline.cli import app

    (tmp_path / "notes.jsonl").write_text('{"id": "Klaassen-123456782", "text": "Geen bijzonderheden."}\n'
                                          '{"id": "nota-17", "text": "Geen bijzonderheden."}\n')
    for args in ([], ["--format", "json"]):
        result = CliRunner().invoke(app, ["detect", str(tmp_path / "notes.jsonl"), *args])
        assert result.exit_code == 0 and "nota-17" in result.output
        assert "Klaassen" not in result.output and "123456782" not in result.output and "line 1" in result.output


# ------------------------------------------------------------------ rights on a damaged dataset

KEY = b"test-key-0123456789abcdef0123456789abcdef"


@pytest.fixture
def published(tmp_path):
    from pii_pipeline import batch
    from pii_pipeline.masking import default_policy

    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    (landing / "claims_2026-10.csv").write_text("declaratienummer;bsn;bedrag\n" + "".join(
        f"2026{i:06d};{'111222333' if i % 2 else '123456782'};{i},50\n" for i in range(30)))
    assert [r.status for r in batch.run_without_prefect(landing, out, default_policy(), KEY)] == ["published"]
    return out


@pytest.mark.parametrize("damage", ["part", "manifest"])
def test_locate_and_erase_on_a_damaged_dataset_say_which_file(published, damage):
    """A truncated part or manifest gave 'unexpected ArrowInvalid' / 'unexpected JSONDecodeError'."""
    from pii_pipeline.rights import RightsError, subjects
    from pii_pipeline.rights.erase import erase
    from pii_pipeline.rights.locate import locate

    target = next((published / "claims").rglob("part-*.parquet" if damage == "part" else "_manifests/*.json"))
    target.write_bytes(target.read_bytes()[:100])
    for act in (lambda: locate([published], KEY, subjects(KEY, ["111222333"], request_id="SAR-1")),
                lambda: erase([published], KEY, subjects(KEY, ["111222333"], request_id="ER-1"), "ER-1")):
        with pytest.raises(RightsError, match=f"dataset 'claims': {damage}.*(damaged|cannot be read)"):
            act()


# ------------------------------------------------------------------ configuration

def test_dataset_mapping_with_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    """`run --datasets` with a 'billion laughs' mapping: every nested list was str()-ed (10^8 elements: the run
    hung for minutes, then crashed).  Patterns must be text; the first nested list is an error."""
    from pii_pipeline.batch import DatasetMapping
    from pii_pipeline.masking.policy import PolicyError

    levels = ['a0: &a0 ["claims_*", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 6)]
    (tmp_path / "datasets.yaml").write_text("\n".join(levels) + "\nclaims: *a5\nperiods: {files: [x], period_column: *a5}\n")
    with pytest.raises(PolicyError, match="dataset 'a1' needs a list of file patterns"):
        DatasetMapping.load(tmp_path / "datasets.yaml")


@pytest.mark.parametrize("ref", ["B:B", "3:5", "B5:B3", "ZZZZ9", ""])
def test_an_odd_array_formula_range_does_not_crash_the_reader(tmp_path, ref):
    cell = b'<c r="B3"><f t="array" ref="%s">B2+1</f></c>' % ref.encode()
    good, bad = _read(_workbook(tmp_path / "w.xlsx", lambda xml: xml.replace(ROW3, cell)))
    assert len(good) + len(bad) == 20 and (2, 3) in [(r[0], r[1]) for r in bad]


# ------------------------------------------------------------------ references to unclean names

def test_a_reference_to_an_unclean_name_cannot_be_reversed_by_hashing_candidates(monkeypatch):
    """`file-<hash>.csv` / `sheet-<hash>` were an unkeyed SHA-256 of the name with a public prefix: for a file or
    sheet called after a BSN, hashing the 10^8 valid BSNs gives it back.  The reference is keyed now."""
    import hashlib

    from pii_pipeline.masking.sweep import name_hash, shown_name

    name = "123456782.csv"
    public = hashlib.sha256(("pii-pipeline name\0" + name).encode()).hexdigest()
    monkeypatch.setenv("PII_PIPELINE_KEY", "a" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz")
    first = name_hash(name, 16)
    assert first != public[:16] and shown_name(name) == f"file-{first}.csv" and name_hash(name, 16) == first
    monkeypatch.setenv("PII_PIPELINE_KEY", "b" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz")
    assert name_hash(name, 16) != first   # another key, another reference


def test_many_uncomputed_array_formulas_are_refused_not_checked_per_row(tmp_path, monkeypatch):
    from pii_pipeline.io import tables

    monkeypatch.setattr(tables, "MAX_OPEN_SPILLS", 5)
    def edit(xml):
        for r in range(3, 12):
            xml = xml.replace(b'<c r="B%d" t="n"><v>%d</v></c>' % (r, 8 + r),
                              b'<c r="B%d"><f t="array" ref="B%d:B99999">1</f></c>' % (r, r))
        return xml
    with pytest.raises(InputError, match="more than 5 array formulas"):
        _read(_workbook(tmp_path / "w.xlsx", edit))


def test_a_name_reference_is_stable_with_a_key_from_a_prefect_secret_only(monkeypatch, tmp_path):
    """With the key only in a Prefect Secret (--key-secret), references were random per process: the same
    unclean file got another `file-<hash>` in every run and Dask worker.  The key read from the Secret keys them."""
    from pii_pipeline import keys
    from pii_pipeline.masking.sweep import name_hash

    for var in ("PII_PIPELINE_KEY", "PII_PIPELINE_KEY_FILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))              # no default key file
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setattr(keys, "_secret_key", lambda name: b"c" * 20 + b"0123456789abcdefghijklmnopqrstuvwxyz")
    keys.load_key(secret="pii-key")
    first = name_hash("123456782.csv", 16)
    monkeypatch.setattr(keys, "_FROM_SECRET", None)
    keys.load_key(secret="pii-key")                         # the same Secret read again (a later run, another worker)
    assert name_hash("123456782.csv", 16) == first
    monkeypatch.setattr(keys, "_secret_key", lambda name: b"d" * 20 + b"0123456789abcdefghijklmnopqrstuvwxyz")
    keys.load_key(secret="pii-key")
    assert name_hash("123456782.csv", 16) != first          # another key, another reference
