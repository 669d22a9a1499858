"""Output writers (Parquet, CSV, JSON, JSONL, XLSX) that publish atomically.

Every writer writes to a hidden temporary file beside the destination and
moves it into place only when :meth:`OutputWriter.commit` is called, so a
failed or interrupted run leaves nothing at the output path (``os.replace``
is atomic on one filesystem).

Formulas are never written (CSV/formula injection): in CSV output a text
value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading apostrophe (``'=SUM(A1)``), which spreadsheet programs show as
text; in XLSX output every text value is written as a text cell, so
``=SUM(A1)`` is shown as typed and never evaluated.  Parquet and JSONL keep
values as they are (no program evaluates them).

>>> neutralise_formulas(pa.array(["=1+1", "-", "@x", "gewoon", None])).to_pylist()
["'=1+1", "'-", "'@x", 'gewoon', None]

JSON and JSONL output of a JSON input keeps the input's shape
(:func:`restore_shape`): dotted columns become nested objects again,
``regels[].agb_code`` lists become arrays of objects, and a value keeps its
JSON type where the masked value still fits it (numbers stay numbers, booleans
booleans; a pseudonym in a number field is a string).  Dropped fields are
absent; a field that was absent in the input record stays absent.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import re
import uuid
from pathlib import Path
from typing import Optional

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

OUTPUT_FORMATS = {".parquet": "parquet", ".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".txt": "txt"}
ROW_GROUP_ROWS = 128 * 1024
XLSX_MAX_ROWS = 1_048_575


class OutputError(Exception):
    """The output cannot be written as asked (message names the path, never a value)."""


def output_format(path: Path) -> str:
    fmt = OUTPUT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise OutputError(f"{path}: unsupported output format '{Path(path).suffix}'; "
                          f"supported: {', '.join(sorted(OUTPUT_FORMATS))}")
    return fmt


# Read once at import, before any thread starts: os.umask can only be read by setting it.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def temporary_path(final: Path, tag: str = "tmp") -> Path:
    return final.parent / f".{final.name}.{tag}-{uuid.uuid4().hex[:8]}"


def stage_file(output_path: Path) -> Path:
    """A new owner-only staging file beside the output, named with our pid.

    Staged rows have not passed the privacy gates yet (no value sweep, quasi-identifiers not
    generalised): never readable by others, and removed by the next ``mask`` of the same output
    when the process that wrote it is gone (``kill -9`` skips our ``finally``): the staged rows, the
    quarantine's cells and the output itself until it is committed (:class:`OutputWriter`).
    """
    path = temporary_path(output_path, f"stage{os.getpid()}")
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


_STAGE_PID = re.compile(r"\.stage(\d+)-[0-9a-f]+$")


def remove_stale_stages(output_path: Path) -> None:
    """Remove the staging files and unfinished outputs (``.<name>.stage<pid>-…``) that a killed run of
    this output, or of one of its tables (``out.<table>.parquet``), left beside it."""
    import glob

    # ``.out.parquet.stage…``, ``.out.prestatie.parquet.stage…``: never ``.outpatient…`` (another output's)
    for path in output_path.parent.glob(f".{glob.escape(output_path.stem)}.*.stage*-*"):
        pid = _STAGE_PID.search(path.name)
        if pid is None:
            continue
        try:
            os.kill(int(pid.group(1)), 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)  # its writer is dead
        except PermissionError:
            pass  # alive, another user's


def publish_bytes(final: Path, data: bytes, mode: Optional[int] = None) -> None:
    """Write a small file (manifest, report) atomically; ``mode`` e.g. 0o600 for owner-only."""
    tmp = temporary_path(final)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode if mode is not None else 0o644)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(column: pa.Array) -> pa.Array:
    """Text values a spreadsheet would evaluate get a leading apostrophe (see the module docstring)."""
    import pyarrow.compute as pc

    if not pa.types.is_string(column.type):
        return column
    risky = pc.starts_with(column, FORMULA_PREFIXES[0])
    for prefix in FORMULA_PREFIXES[1:]:
        risky = pc.or_(risky, pc.starts_with(column, prefix))
    return pc.if_else(pc.fill_null(risky, False), pc.binary_join_element_wise("'", column, ""), column)


def _neutral_table(table: pa.Table) -> pa.Table:
    columns = [neutralise_formulas(c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c) for c in table.columns]
    names = [f"'{n}" if n.startswith(FORMULA_PREFIXES) else n for n in table.column_names]
    return pa.table(columns, names=names)


def _flat_for_text(table: pa.Table) -> pa.Table:
    """CSV and Excel have no lists: list columns (JSON ``regels[]``) become JSON arrays as text."""
    columns = []
    for name, column in zip(table.column_names, table.columns):
        if pa.types.is_list(column.type):
            column = pa.array([None if v is None else json.dumps([str(x) if x is not None else None for x in v], ensure_ascii=False)
                               for v in column.to_pylist()], type=pa.string())
        columns.append(column)
    return pa.table(columns, names=table.column_names)


_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _json_value(value, kinds: Optional[set]):
    """A masked value in the JSON type the input field had, when it still fits that type."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if kinds is None:  # not a JSON input: numbers as their exact text, as before
        return str(value) if isinstance(value, decimal.Decimal) else value
    numeric = kinds <= {"integer", "number", "null", "array"} and kinds & {"integer", "number"}
    if isinstance(value, decimal.Decimal):
        value = format(value, "f")
    if isinstance(value, str) and numeric and _NUMBER.fullmatch(value):
        if "number" in kinds:
            return float(value)
        exact = decimal.Decimal(value)
        return int(exact) if exact == exact.to_integral_value() else float(value)
    if isinstance(value, str) and kinds <= {"boolean", "null", "array"} and value in ("true", "false"):
        return value == "true"
    if isinstance(value, str) and "json" in kinds and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _put(target: dict, path: list, value) -> None:
    for key in path[:-1]:
        nxt = target.get(key)
        if not isinstance(nxt, dict):
            nxt = target[key] = {}
        target = nxt
    target[path[-1]] = value


def restore_shape(record: dict, kinds: Optional[dict]) -> dict:
    """A flat masked record (``patient.bsn``, ``regels[].agb``) back into the input's nesting and types.

    >>> restore_shape({"nr": "7", "patient.bsn": "PSEUDO", "regels[].agb": ["01", None], "regels[].n": ["1", "2"]},
    ...               {"nr": {"integer"}, "patient.bsn": {"string"}, "regels[].agb": {"string", "array"},
    ...                "regels[].n": {"integer", "array"}})
    {'nr': 7, 'patient': {'bsn': 'PSEUDO'}, 'regels': [{'agb': '01', 'n': 1}, {'n': 2}]}
    """
    if kinds is None:
        return record
    out: dict = {}
    for name, value in record.items():
        seen = kinds.get(name, set())
        head, sep, rest = name.partition("[].")
        if sep and "[]" not in rest and isinstance(value, list):
            items = out.setdefault(head, None)
            if not isinstance(items, list):
                items = []
                _put(out, head.split("."), items)
            items.extend({} for _ in range(len(value) - len(items)))
            for item, v in zip(items, value):
                if v is not None or "null" in seen:
                    _put(item, rest.split("."), _json_value(v, seen))
            continue
        if isinstance(value, list):
            value = [_json_value(v, seen) for v in value]
        else:
            value = _json_value(value, seen)
        if value is None and "null" not in seen:
            continue  # absent (or empty) in the input record: not invented here
        _put(out, [name] if sep else name.split("."), value)
    return out


class OutputWriter:
    """Write tables (one per sheet for .xlsx) batch by batch, then commit or abort."""

    def __init__(self, final: Path, schema: pa.Schema, sheet: Optional[str] = None,
                 json_kinds: Optional[dict] = None) -> None:
        """``json_kinds`` (column -> JSON types of a JSON input) makes JSON/JSONL output keep the input's shape."""
        self.final = Path(final)
        self.json_kinds = json_kinds
        self.format = output_format(self.final)
        self.schema = schema
        # Rows written here have not all passed the gates until commit: a staging file.
        self.final.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = stage_file(self.final)
        self.rows = 0
        self._parquet: Optional[pq.ParquetWriter] = None
        self._csv: Optional[pa_csv.CSVWriter] = None
        self._jsonl = None
        self._workbook = None
        self._sheet = None
        if self.format == "parquet":
            self._parquet = pq.ParquetWriter(self.tmp, schema, compression="zstd")
        elif self.format == "csv":
            text_schema = _neutral_table(_flat_for_text(schema.empty_table())).schema
            self._csv = pa_csv.CSVWriter(str(self.tmp), text_schema)
        elif self.format in ("jsonl", "json"):
            self._jsonl = self.tmp.open("w", encoding="utf-8")
            if self.format == "json":
                self._jsonl.write("[")
            self._first_record = True
        elif self.format == "xlsx":
            from openpyxl import Workbook

            self._workbook = Workbook(write_only=True)
            self.new_sheet(sheet or "masked", schema)
        else:
            raise OutputError(f"{self.final}: a table cannot be written as .{self.format}")

    def new_sheet(self, title: str, schema: pa.Schema) -> None:
        """Excel output keeps the input's sheets: start the next one."""
        self._sheet = self._workbook.create_sheet(title=title[:31])
        self._sheet.append([self._text_cell(n) for n in schema.names])
        self._sheet_rows = 0

    def write(self, table: pa.Table) -> None:
        self.rows += table.num_rows
        if self._parquet is not None:
            self._parquet.write_table(table, row_group_size=ROW_GROUP_ROWS)
        elif self._csv is not None:
            self._csv.write_table(_neutral_table(_flat_for_text(table)))
        elif self._jsonl is not None:
            for record in table.to_pylist():
                text = json.dumps(restore_shape(record, self.json_kinds), ensure_ascii=False, default=str)
                if self.format == "json":
                    text = ("\n" if self._first_record else ",\n") + text
                    self._first_record = False
                else:
                    text += "\n"
                self._jsonl.write(text)
        else:
            self._sheet_rows += table.num_rows
            if self._sheet_rows > XLSX_MAX_ROWS:
                raise OutputError(f"{self.final}: more than {XLSX_MAX_ROWS:,} rows do not fit in an Excel sheet; write .parquet or .csv")
            for row in _flat_for_text(table).to_pylist():
                self._sheet.append([self._text_cell(v) if isinstance(v, str) else v for v in row.values()])

    def _text_cell(self, value: str):
        """A text cell: openpyxl would store a value starting with '=' as a formula."""
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, value=value)
        cell.data_type = "s"
        return cell

    def _close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        elif self._csv is not None:
            self._csv.close()
        elif self._jsonl is not None:
            if self.format == "json" and not self._jsonl.closed:
                self._jsonl.write("\n]\n")
            self._jsonl.close()
        elif self._workbook is not None:
            self._workbook.save(self.tmp)

    def commit(self) -> None:
        self._close()
        os.chmod(self.tmp, 0o666 & ~_UMASK)  # published: readable as any file the user makes
        os.replace(self.tmp, self.final)

    def abort(self) -> None:
        try:
            self._close()
        except Exception:
            pass
        self.tmp.unlink(missing_ok=True)
