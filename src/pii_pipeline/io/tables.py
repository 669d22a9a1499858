"""Readers for tabular inputs: CSV/TSV, Excel, JSON, JSON Lines and Parquet.

Every reader yields :class:`TableChunk` objects (a pandas DataFrame of strings
plus where it came from), so discovery, masking and the flows read files in
one way and in bounded memory:

* identifiers stay strings: a BSN or AGB code with a leading zero is never
  turned into a number (every column is read as ``str``, empty cells as ``""``);
* rows are counted from the file, not from a parser's say-so: CSV physical
  records with their line numbers (``io/delimited.py`` has the rules for
  malformed records), every row of an Excel sheet (the sheet's ``<dimension>``
  tag is not trusted: many writers leave it stale), every element of a JSON
  array, every non-blank line of JSON Lines.  A record that cannot be read is
  not dropped and does not fail the file: it comes in :attr:`TableChunk.rejected`
  with its data row number, physical line and a reason (never a value), and
  :class:`FileCount` says how many records the file holds;
* CSV/TSV: delimiter sniffed among ``;`` ``,`` tab ``|``; encoding decided on
  the whole file (``io/encoding.py``: UTF-8, UTF-8/UTF-16 with BOM, cp1252,
  latin-1), every line decoded on its own; quoted fields may hold newlines;
* Excel: every sheet is a table of its own;
* JSON: an array of records, or an object holding one; nested objects become
  dotted columns (``patient.bsn``) and arrays of objects ``regels[].agb_code``
  (a list of values per record, one per array element); the JSON type of every
  column is kept in :attr:`TableChunk.kinds` so JSON output can restore shapes;
* large files are read in chunks of ``chunk_rows`` rows.

Bad files raise :class:`~pii_pipeline.errors.InputError` naming the file (and
sheet or line), never a value.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import numpy as np
import pandas as pd

from ..errors import InputError
from .delimited import MAX_CELL_CHARS, MAX_COLUMNS, Batch, DelimitedFile, dedupe_columns, sniff_delimiter  # noqa: F401 (re-exported)
from .encoding import decode_file_text, detect_encoding, detect_file_encoding, physical_lines  # noqa: F401

DEFAULT_CHUNK_ROWS = 50_000
FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
_dedupe_columns = dedupe_columns


@dataclass
class TableChunk:
    frame: pd.DataFrame
    path: Path
    table: str          # the file name, or "file.xlsx#Sheet1"
    first_row: int      # 1-based data row number of the chunk's first row
    # Records that could not be read, as (data row, physical line or None, reason), and the data row
    # number and physical line of every row of ``frame`` (rejected rows leave gaps).
    rejected: list = field(default_factory=list)
    row_numbers: Optional[np.ndarray] = None
    line_numbers: Optional[np.ndarray] = None
    kinds: Dict[str, set] = field(default_factory=dict)   # JSON inputs: column -> JSON types seen

    def rows(self) -> np.ndarray:
        """The 1-based data row number of every row in ``frame``."""
        if self.row_numbers is not None:
            return self.row_numbers
        return np.arange(self.first_row, self.first_row + len(self.frame))

    def lines(self) -> np.ndarray:
        """The physical line (CSV, JSONL) or sheet row (Excel) of every row in ``frame``; the data row otherwise."""
        return self.line_numbers if self.line_numbers is not None else self.rows()

    @property
    def records(self) -> int:
        """Records of the file this chunk covers: rows read plus rows rejected."""
        return len(self.frame) + len(self.rejected)


@dataclass
class FileCount:
    """What the file holds, counted by the reader from the file itself (filled in as the chunks are read)."""

    records: Dict[str, int] = field(default_factory=dict)   # table -> records (good and malformed)
    rejected: Dict[str, int] = field(default_factory=dict)
    blank: int = 0                                          # blank lines / empty sheet rows (no records)
    lines: Optional[int] = None                             # physical lines (delimited text, JSON Lines)
    encoding: Optional[str] = None

    def add(self, table: str, records: int, rejected: int) -> None:
        self.records[table] = self.records.get(table, 0) + records
        self.rejected[table] = self.rejected.get(table, 0) + rejected

    def to_dict(self) -> dict:
        return {"records": sum(self.records.values()), "malformed": sum(self.rejected.values()), "blank": self.blank,
                "lines": self.lines, "encoding": self.encoding}


class _Chunker:
    """Collects good and rejected records of one table into chunks of ``chunk_rows``."""

    def __init__(self, path: Path, table: str, columns: Optional[List[str]], chunk_rows: int, count: Optional[FileCount],
                 arrow: bool = False) -> None:
        self.path, self.table, self.columns, self.chunk_rows, self.count = path, table, columns, chunk_rows, count
        self.arrow = arrow   # delimited text: frames of Arrow-backed strings, the same from the fast and the careful path
        self._reset()

    def _reset(self) -> None:
        self.values: list = []
        self.pieces: list = []   # delimited text: pyarrow Tables of strings, in file order (``values`` follow them)
        self.pending = 0         # rows in ``pieces``
        self.rows: list = []
        self.lines: list = []
        self.rejected: list = []
        self.kinds: Dict[str, set] = {}

    def size(self) -> int:
        return self.pending + len(self.values)

    def good(self, row: int, line: Optional[int], values) -> Optional[TableChunk]:
        self.values.append(values)
        self.rows.append(row)
        self.lines.append(row if line is None else line)
        return self.flush() if self.size() >= self.chunk_rows else None

    def extend_table(self, table, rows: range, lines: range) -> Iterator[TableChunk]:
        """Many good records as a pyarrow Table of strings (a plain block), cut at ``chunk_rows``."""
        start = 0
        while start < table.num_rows:
            self._pieces_from_values()
            take = self.chunk_rows - self.size()
            piece = table.slice(start, take)
            self.pieces.append(piece)
            self.pending += piece.num_rows
            self.rows.extend(rows[start:start + take])
            self.lines.extend(lines[start:start + take])
            start += take
            if self.size() >= self.chunk_rows:
                yield self.flush()

    def _pieces_from_values(self) -> None:
        if self.values:
            self.pieces.append(_strings_table(self.values, len(self.columns)))
            self.pending += len(self.values)
            self.values = []

    def _frame(self) -> pd.DataFrame:
        """Delimited text as a frame of pandas' Arrow-backed strings, whichever path read the records."""
        import pyarrow as pa

        self._pieces_from_values()
        names = [f"f{i}" for i in range(len(self.columns))]
        if not self.pieces:
            return pd.DataFrame({c: pd.Series([], dtype="str") for c in self.columns})
        table = pa.concat_tables([t.rename_columns(names) for t in self.pieces])
        frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
        frame.columns = self.columns
        return frame

    def extend(self, values: list, rows: range, lines: range) -> Iterator[TableChunk]:
        """Many good records at once, cut at ``chunk_rows``."""
        start = 0
        while start < len(values):
            take = self.chunk_rows - self.size()
            self.values.extend(values[start:start + take])
            self.rows.extend(rows[start:start + take])
            self.lines.extend(lines[start:start + take])
            start += take
            if self.size() >= self.chunk_rows:
                yield self.flush()

    def bad(self, row: int, line: Optional[int], reason: str) -> Optional[TableChunk]:
        self.rejected.append((row, line, reason))
        return self.flush() if len(self.rejected) >= self.chunk_rows else None

    def flush(self, final: bool = False) -> Optional[TableChunk]:
        if not self.size() and not self.rejected and not final:
            return None
        if self.columns is None:
            frame = _records_frame(self.values, self.kinds)
        elif self.arrow:
            frame = self._frame()
        else:
            frame = pd.DataFrame(self.values, columns=self.columns, dtype=object) if self.values else \
                pd.DataFrame({c: pd.Series([], dtype=object) for c in self.columns})
        if self.columns is not None:
            frame = _without_line_boms(frame)
        rows = np.array(self.rows, dtype=np.int64)
        first = int(rows[0]) if len(rows) else (self.rejected[0][0] if self.rejected else 1)
        chunk = TableChunk(frame, self.path, self.table, first, self.rejected, rows, np.array(self.lines, dtype=np.int64),
                           self.kinds)
        if self.count is not None:
            self.count.add(self.table, chunk.records, len(self.rejected))
        self._reset()
        return chunk


def _without_line_boms(frame: pd.DataFrame) -> pd.DataFrame:
    """A byte-order mark opening a record (files joined with ``cat``) is no part of its first cell:
    ``\ufeffC11`` and ``C11`` would be two prestatiecodes in every group-by."""
    if not len(frame) or not len(frame.columns):
        return frame
    column = frame.iloc[:, 0]
    marked = column.str.startswith("\ufeff", na=False).to_numpy(dtype=bool)
    if marked.any():
        frame = frame.copy()
        frame.iloc[marked, 0] = column[marked].str.slice(1)
    return frame


def _strings_table(values: list, width: int):
    """Records as lists of strings -> a pyarrow Table of strings (columns ``f0..``)."""
    import pyarrow as pa

    columns = list(zip(*values)) if values else [() for _ in range(width)]
    return pa.table({f"f{i}": pa.array(list(c), type=pa.string()) for i, c in enumerate(columns)})


def table_format(path: Path) -> str:
    from .ei import is_ei_file

    if is_ei_file(path):  # Vektis EI files are recognised by content, whatever their extension
        return "ei"
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(path, f"unsupported format '{Path(path).suffix}'; supported: {', '.join(sorted(FORMATS))}")
    return fmt


def csv_layout(path: Path) -> tuple[str, str, list[str]]:
    """Encoding, delimiter and column names of a delimited file."""
    f = DelimitedFile(path)
    return str(f.encoding), f.delimiter, f.columns


def read_csv(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS, count: Optional[FileCount] = None,
             window=None, reader: Optional[DelimitedFile] = None) -> Iterator[TableChunk]:
    """``window`` (an ``io.ranges.ByteRange`` of whole records): only its records, data rows numbered from 1;
    ``reader``: the file's :class:`DelimitedFile`, when the caller has it (its layout is read once)."""
    source = reader or DelimitedFile(path)
    chunker = _Chunker(path, path.name, source.columns, chunk_rows, count, arrow=True)
    emitted = False
    for record in source.records(window):
        if isinstance(record, Batch):
            pieces = chunker.extend(record.fields, record.rows, record.lines) if record.table is None else \
                chunker.extend_table(record.table, record.rows, record.lines)
            for chunk in pieces:
                emitted = True
                yield chunk
            continue
        if record.fields is None:
            chunk = chunker.bad(record.row, record.line, record.reason)
        else:
            chunk = chunker.good(record.row, record.line, record.fields)
        if chunk is not None:
            emitted = True
            yield chunk
    chunk = chunker.flush(final=not emitted)
    if count is not None:
        count.lines, count.blank, count.encoding = source.count.lines, source.count.blank, source.count.encoding
    if chunk is not None:
        yield chunk


def _check_content_is_text_table(path: Path, head: bytes) -> None:
    """A file whose content is another format than its extension says is an error, never one silent column."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head.startswith(b"PK\x03\x04"):
        raise InputError(path, "is a ZIP file (an Excel workbook?), not delimited text; save it as .xlsx", line=1)
    if head.startswith(b"PAR1"):
        raise InputError(path, "is a Parquet file, not delimited text; name it .parquet", line=1)
    if start in (b"{", b"["):
        import json

        first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
        try:
            json.loads(first)
            looks_json = True
        except ValueError:
            looks_json = first.rstrip().endswith((b"{", b"[", b",")) or b'":' in first
        if looks_json:
            raise InputError(path, "holds JSON, not delimited text; name it .json or .jsonl", line=1)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()  # an array element without the field (not the same as an explicit null)


class FieldCollision(ValueError):
    """Two fields of one record flatten to the same column (``{"a.b": 1, "a": {"b": 2}}``): one would be lost."""


def _put(out: dict, key: str, value: Any) -> None:
    if key in out:
        raise FieldCollision()
    out[key] = value


def flatten(record: Any, prefix: str = "") -> dict[str, Any]:
    """Nested objects to dotted keys; arrays of objects to ``key[].field`` lists, one item per array element.

    >>> flatten({"patient": {"bsn": "123"}, "regels": [{"agb": "01"}, {"agb": "02", "n": 1}], "tags": ["a"]})
    {'patient.bsn': '123', 'regels[].agb': ['01', '02'], 'regels[].n': [ABSENT, 1], 'tags': ['a']}

    Raises :class:`FieldCollision` when two fields would become one column (a key holding ``.``).
    """
    out: dict[str, Any] = {}
    if isinstance(record, dict):
        for key, value in record.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict) and value:
                for k, v in flatten(value, name).items():
                    _put(out, k, v)
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                items = [flatten(item, f"{name}[]") for item in value]
                for k in dict.fromkeys(k for item in items for k in item):
                    values: list = []
                    for item in items:
                        v = item.get(k, ABSENT)
                        values.extend(v if isinstance(v, list) else [v])  # deeper arrays are flattened
                    _put(out, k, values)
            else:
                _put(out, name, value)
    else:
        out[prefix or "value"] = record
    return out


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(_clean_keys(value), ensure_ascii=False)  # an empty object, or an array of mixed values
    return str(value)


def _clean_keys(value: Any) -> Any:
    """A JSON value written as text with every key the sweep finds personal data in (``{"Mulder-Jansen": 2}``)
    written as ``key_<n>`` (its position), as a column name is: no sweep of cells looks for names in keys."""
    from ..masking.sweep import name_is_clean

    if isinstance(value, dict):
        out: dict = {}
        for i, (key, item) in enumerate(value.items(), 1):
            name = key if name_is_clean(key) else f"key_{i}"
            while name != key and (name in value or name in out):   # {"Mulder": 1, "key_1": 2}: no value lost
                name += "_"
            out[name] = _clean_keys(item)
        return out
    if isinstance(value, list):
        return [_clean_keys(v) for v in value]
    return value


def _records_frame(records: list, kinds: Dict[str, set]) -> pd.DataFrame:
    rows = []
    for flat in records:
        row = {}
        for k, v in flat.items():
            seen = kinds.setdefault(k, set())
            if isinstance(v, list) and not any(isinstance(x, (dict, list)) for x in v):
                # Arrays of objects (``regels[].agb``) and arrays of plain values: one list per record.
                seen.update(_json_kind(x) for x in v if x is not ABSENT)
                seen.add("array")
                row[k] = [None if x is None or x is ABSENT else _cell(x) for x in v]
            else:
                seen.add(_json_kind(v) if not isinstance(v, (dict, list)) else "json")
                row[k] = _cell(v)
        rows.append(row)
    frame = pd.DataFrame(rows, dtype=object)
    return frame.map(lambda v: "" if not isinstance(v, list) and (v is None or (isinstance(v, float) and pd.isna(v))) else v)


class _BadNumber(ValueError):
    """A JSON number no column can hold: NaN/Infinity (not JSON), one that overflows a float, or too many digits."""


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _BadNumber("a number too large for a float")
    return value


def _no_constant(name: str) -> float:
    raise _BadNumber(f"{name} is not a JSON number")


class _DoubledKeys(dict):
    """A JSON object in which a key stood twice: ``json`` keeps the last value, so the first would be lost."""


_doubled_seen = [0]   # objects with a key twice parsed so far: records are walked for them only after one


def _object(pairs: list) -> dict:
    made = dict(pairs)
    if len(made) == len(pairs):
        return made
    _doubled_seen[0] += 1
    return _DoubledKeys(made)


def _has_doubled_keys(value: Any) -> bool:
    if isinstance(value, dict):
        return isinstance(value, _DoubledKeys) or any(_has_doubled_keys(v) for v in value.values())
    return isinstance(value, list) and any(_has_doubled_keys(v) for v in value)


def _json_loads(text: str) -> Any:
    """``json.loads``, but NaN, Infinity and overflowing numbers are errors, not values that become strings;
    an object with a key twice is a :class:`_DoubledKeys`."""
    try:
        return json.loads(text, parse_float=_finite, parse_constant=_no_constant, object_pairs_hook=_object)
    except (json.JSONDecodeError, _BadNumber):
        raise
    except ValueError:  # int() refuses numbers of more than 4,300 digits (sys.set_int_max_str_digits)
        raise _BadNumber("a number with too many digits") from None


def _load_json(path: Path) -> Any:
    text = decode_file_text(path, path.read_bytes())
    try:
        return _json_loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, "not valid JSON", line=exc.lineno) from None
    except _BadNumber as exc:
        raise InputError(path, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise InputError(path, "JSON nested too deeply") from None


def read_json(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS, count: Optional[FileCount] = None) -> Iterator[TableChunk]:
    before = _doubled_seen[0]
    data = _load_json(path)
    doubled = _doubled_seen[0] != before
    if isinstance(data, _DoubledKeys):
        raise InputError(path, "the top-level object holds a key twice (the first value would be lost)")
    if isinstance(data, dict):
        arrays = [(k, v) for k, v in data.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(arrays) == 1:
            data = arrays[0][1]
        elif not arrays:
            data = [data]
        else:
            raise InputError(path, f"holds {len(arrays)} arrays of records; expected one")
    if not isinstance(data, list):
        raise InputError(path, "expected an array of objects, or an object holding one")
    chunker = _Chunker(path, path.name, None, chunk_rows, count)
    for index, record in enumerate(data, start=1):
        chunk = _json_record(chunker, index, None, record, f"record {index}", doubled)
        if chunk is not None:
            yield chunk
    chunk = chunker.flush(final=True)
    if chunk is not None and (chunk.records or not data):
        yield chunk


def _json_record(chunker: _Chunker, row: int, line: Optional[int], record: Any, where: str,
                 doubled: bool = True) -> Optional[TableChunk]:
    if not isinstance(record, dict):
        return chunker.bad(row, line, f"{where} is not a JSON object")
    if doubled and _has_doubled_keys(record):   # the key is not named: keys are data
        return chunker.bad(row, line, f"{where} holds a key twice (the first value would be lost)")
    try:
        flat = flatten(record)
    except RecursionError:
        return chunker.bad(row, line, f"{where} is nested too deeply")
    except FieldCollision:  # the key is not named: keys are data
        return chunker.bad(row, line, f"{where} has two fields that become the same column (a key holding '.')")
    longest = max((len(v) for v in flat.values() if isinstance(v, str)), default=0)
    if longest > MAX_CELL_CHARS:
        return chunker.bad(row, line, f"{where} has a value longer than {MAX_CELL_CHARS:,} characters")
    return chunker.good(row, line, flat)


def read_jsonl(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS, count: Optional[FileCount] = None) -> Iterator[TableChunk]:
    """One record per non-blank line; a line that is not a JSON object (or does not decode) is rejected alone."""
    encoding = detect_file_encoding(path)
    chunker = _Chunker(path, path.name, None, chunk_rows, count)
    row = blank = lines = 0
    with path.open("rb") as f:
        for line in physical_lines(f, encoding, MAX_CELL_CHARS * 4):
            lines = line.number
            if line.data is None:
                row += 1
                chunk = chunker.bad(row, line.number, f"line longer than {MAX_CELL_CHARS * 4:,} bytes")
            else:
                try:
                    # A byte-order mark opening a line (files joined with cat) is no part of its JSON.
                    text = line.data.decode(encoding.name).lstrip("\ufeff")
                except UnicodeDecodeError as exc:
                    text, bad_byte = None, line.offset + exc.start
                if text is not None and not text.strip():
                    blank += 1
                    continue
                row += 1
                if text is None:
                    chunk = chunker.bad(row, line.number, f"not valid {encoding} at byte {bad_byte}")
                else:
                    try:
                        before = _doubled_seen[0]
                        record = _json_loads(text)
                        chunk = _json_record(chunker, row, line.number, record, "line", _doubled_seen[0] != before)
                    except json.JSONDecodeError:
                        chunk = chunker.bad(row, line.number, "not a valid JSON line")
                    except _BadNumber as exc:
                        chunk = chunker.bad(row, line.number, f"not a valid JSON line: {exc}")
                    except RecursionError:
                        chunk = chunker.bad(row, line.number, "line is nested too deeply")
            if chunk is not None:
                yield chunk
    if count is not None:
        count.lines, count.blank, count.encoding = lines, blank, str(encoding)
    chunk = chunker.flush(final=True)
    if chunk is not None:
        yield chunk


# A workbook part inflating more than this many times (and past 100 KB) is refused as a zip bomb: Apache
# POI's ZipSecureFile defaults.  A 300 KB workbook of whitespace (300 MB inflated) took 200 s and 430 MB.
MAX_INFLATE_RATIO = float(os.environ.get("PII_PIPELINE_MAX_INFLATE_RATIO", 100))
_GRACE_PART_BYTES = 100 * 1024


def _open_workbook(path: Path):
    """The workbook, read-only with computed values; a zip bomb or a broken file is one line, never a quote."""
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            for number, info in enumerate(archive.infolist(), 1):
                if info.file_size > _GRACE_PART_BYTES and info.file_size > MAX_INFLATE_RATIO * max(info.compress_size, 1):
                    raise InputError(path, f"part {number} of the workbook inflates {info.file_size / max(info.compress_size, 1):,.0f} "
                                           f"times (to {info.file_size:,} bytes): a zip bomb? (limit: PII_PIPELINE_MAX_INFLATE_RATIO="
                                           f"{MAX_INFLATE_RATIO:g})")
        return load_workbook(path, read_only=True, data_only=True)
    except InputError:
        raise
    except Exception:  # openpyxl raises many types for a broken file; its messages may quote content
        raise InputError(path, "not a readable .xlsx workbook") from None


def read_xlsx(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS, count: Optional[FileCount] = None) -> Iterator[TableChunk]:
    workbook = _open_workbook(path)
    try:
        for number, sheet in enumerate(workbook.worksheets, 1):
            yield from _read_sheet(path, sheet, number, chunk_rows, count)
    finally:
        workbook.close()


def _sheet_named(sheet, number: int) -> str:
    """How messages name a sheet: its title when the sweep finds it clean, else its position (titles are data)."""
    from ..masking.sweep import name_is_clean

    return f"sheet '{sheet.title}'" if name_is_clean(sheet.title) else f"sheet {number}"


def _read_sheet(path: Path, sheet, position: int, chunk_rows: int, count: Optional[FileCount]) -> Iterator[TableChunk]:
    """One sheet as a table: the first non-blank row is the header (blank rows above it are counted blank)."""
    chunker, width, last, row, spills = None, 0, 0, 0, []
    for number, cells, doubled in _sheet_rows(sheet):
        if count is not None:
            count.blank += max(0, number - last - 1)   # rows the XML leaves out are blank rows too
        last = max(last, number)
        # The range of an uncomputed array formula: its other cells are empty because nothing computed them.
        spills = [s for s in spills if s.max_row >= number] + [v.spill for v in cells.values()
                                                               if isinstance(v, _Uncomputed) and v.spill]
        if len(spills) > MAX_OPEN_SPILLS:   # each row is checked against every open range: keep that bounded
            raise InputError(path, f"{_sheet_named(sheet, position)}: more than {MAX_OPEN_SPILLS:,} array formulas without "
                                   "computed values; open and save the workbook in Excel", line=number)
        uncomputed = {c for c, v in cells.items() if isinstance(v, _Uncomputed)}
        for s in (s for s in spills if s.min_row <= number):
            uncomputed.update(c for c in range(s.min_col, min(s.max_col, width) + 1) if cells.get(c) in (None, ""))
        if not doubled and not uncomputed and all(v is None or v == "" for v in cells.values()):
            if count is not None:
                count.blank += 1
            continue
        if chunker is None:
            columns = _xlsx_header(path, _sheet_named(sheet, position), number, cells, doubled, uncomputed)
            width, chunker = len(columns), _Chunker(path, f"{path.name}#{sheet.title}", columns, chunk_rows, count)
            continue
        row += 1
        unreadable = [c for c, v in cells.items() if v is _UNREADABLE]
        if doubled:
            chunk = chunker.bad(row, number, f"holds two cells for column {doubled}")
        elif unreadable:
            chunk = chunker.bad(row, number, f"column {min(unreadable)} holds a value its cell type cannot hold")
        elif uncomputed:
            chunk = chunker.bad(row, number, f"column {min(uncomputed)} holds a formula whose value was never "
                                             "computed (open and save the workbook in Excel)")
        elif any(c > width and v is not None and v != "" for c, v in cells.items()):
            chunk = chunker.bad(row, number, f"has a value beyond the header's {width} columns")
        else:
            values = [""] * width
            for c, v in cells.items():
                if c <= width and v is not None:
                    values[c - 1] = _cell_text(v)
            long = next((c for c, v in enumerate(values, 1) if len(v) > MAX_CELL_CHARS), None)
            # Excel stops at 32,767 characters; a longer cell was written by a script: the limit of every reader
            chunk = chunker.good(row, number, values) if long is None else chunker.bad(
                row, number, f"column {long} holds a value longer than {MAX_CELL_CHARS:,} characters")
        if chunk is not None:
            yield chunk
    if chunker is not None:
        chunk = chunker.flush(final=True)
        if chunk is not None:
            yield chunk


def _xlsx_header(path: Path, where: str, number: int, cells: Dict[int, Any], doubled: Optional[int], uncomputed: set) -> List[str]:
    if doubled:
        raise InputError(path, f"{where}: header row holds two cells for column {doubled}", line=number)
    if any(v is _UNREADABLE for v in cells.values()):
        raise InputError(path, f"{where}: a header cell holds a value its cell type cannot hold", line=number)
    if uncomputed:
        raise InputError(path, f"{where}: a header cell holds a formula whose value was never computed", line=number)
    names = [cells.get(c) for c in range(1, max(c for c, v in cells.items() if v is not None and v != "") + 1)]
    if any(h is None or h == "" for h in names):
        raise InputError(path, f"{where}: header row has empty cells between names (merged header cells?)", line=number)
    return dedupe_columns([str(h) for h in names])


MAX_OPEN_SPILLS = 1_000
_UNREADABLE = object()   # a cell whose value does not fit its type (text in a number cell)


@dataclass(frozen=True)
class _Uncomputed:
    """A formula cell without a computed value (a workbook written by a script, never saved by Excel); an array
    formula or data table without one leaves every cell of its range (``spill``) uncomputed."""

    spill: Optional["_Range"] = None


@dataclass(frozen=True)
class _Range:
    min_col: int
    min_row: int
    max_col: int
    max_row: int


def _sheet_rows(sheet) -> Iterator[tuple]:
    """``(sheet row number, {column: value}, column written twice or None)`` for each ``<row>`` of the sheet's
    XML, in file order.  openpyxl's ``iter_rows`` pads every row out to its last cell (one cell at column
    XFD cost 16,384 per row) and skips a row whose number is not above the last one's, so the sheet is
    parsed here, with openpyxl's own cell parser, in one pass: a computed value as the value, and a formula
    cell without one as :class:`_Uncomputed` (the ``<f>`` element found by the XML parser, whatever its
    namespace prefix or spacing)."""
    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            try:
                cell = super().parse_cell(element)   # data_only: the cached value
            except Exception:   # text in a number cell, a bad date...: openpyxl's message quotes the value
                row, column = self.row_counter, self.col_counter + 1
                if element.get("r"):
                    try:
                        row, column = coordinate_to_tuple(element.get("r"))
                    except (ValueError, TypeError):
                        pass
                self.col_counter = column
                return {"row": row, "column": column, "value": _UNREADABLE}
            if isinstance(cell["value"], float) and not math.isfinite(cell["value"]):
                cell["value"] = _UNREADABLE   # <v>1e400</v>: no output column holds an infinity (it read as 'inf')
                return cell
            formula = element.find(FORMULA_TAG) if cell["value"] is None else None
            if formula is not None:
                spill = None
                if formula.get("t") in ("array", "dataTable") and formula.get("ref"):
                    try:   # a whole column or row (B:B, 3:3) leaves bounds open: the sheet's own limits
                        c1, r1, c2, r2 = range_boundaries(formula.get("ref"))
                        spill = _Range(min(c1 or 1, c2 or 16384), min(r1 or 1, r2 or 1048576),
                                       max(c1 or 1, c2 or 16384), max(r1 or 1, r2 or 1048576))
                    except (ValueError, TypeError):
                        spill = None
                cell["value"] = _Uncomputed(spill)
            return cell

    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = Parser(source, sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                        date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for number, cells in parser.parse():
            values: Dict[int, Any] = {}
            doubled = None
            for cell in cells:
                if cell["column"] in values and doubled is None:
                    doubled = cell["column"]
                values[cell["column"]] = cell["value"]
            yield number, values, doubled


def _cell_text(value: Any) -> str:
    import datetime as dt

    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # A moment with a time zone: in UTC, written as the naive timestamp the output types hold (not as
        # text with an offset, which no timestamp column reads).
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="seconds" if not value.microsecond else "auto")
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_parquet(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS, count: Optional[FileCount] = None) -> Iterator[TableChunk]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception:
        raise InputError(path, "not a readable Parquet file") from None
    first = 1
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        import pyarrow as pa

        table = pa.Table.from_batches([batch])
        bad = _not_a_number_rows(table)
        frame = _parquet_frame(table)
        keep = np.ones(len(frame), dtype=bool)
        keep[list(bad)] = False
        rows = np.flatnonzero(keep) + first
        rejected = [(first + i, None, reason) for i, reason in sorted(bad.items())]
        chunk = TableChunk(frame[keep].reset_index(drop=True), path, path.name, first, rejected, rows)
        if count is not None:
            count.add(chunk.table, chunk.records, len(rejected))
        yield chunk
        first += len(frame)
    if count is not None and sum(count.records.values()) != parquet.metadata.num_rows:
        raise InputError(path, f"read {sum(count.records.values()):,} rows of the {parquet.metadata.num_rows:,} the file holds")


def _not_a_number_rows(table) -> Dict[int, str]:
    """Rows (0-based) holding NaN or an infinity in a float column or list: no output column holds one (a
    decimal has none), and as text (``nan``, or an empty cell) it would be published as something it is not,
    so the row is quarantined and counted, as a JSON Lines record with ``NaN`` is.  Columns by position."""
    import pyarrow as pa
    import pyarrow.compute as pc

    while any(pa.types.is_struct(f.type) for f in table.schema):
        table = table.flatten()
    bad: Dict[int, str] = {}
    for position, column in enumerate(table.columns, 1):
        column = column.combine_chunks()
        if pa.types.is_fixed_size_list(column.type):
            column = column.cast(pa.list_(column.type.value_field))
        value_type = column.type.value_type if pa.types.is_list(column.type) or pa.types.is_large_list(column.type) else column.type
        if not pa.types.is_floating(value_type):
            continue
        values = pc.list_flatten(column) if value_type is not column.type else column
        odd = pc.fill_null(pc.or_(pc.is_nan(values), pc.is_inf(values)), False).to_numpy(zero_copy_only=False)
        if not odd.any():
            continue
        rows = np.flatnonzero(odd) if value_type is column.type else pc.list_parent_indices(column).to_numpy()[odd]
        for row in np.unique(rows).tolist():
            bad.setdefault(row, f"column {position} holds NaN or an infinity, which no output column can hold")
    return bad


def _parquet_frame(table) -> pd.DataFrame:
    """Text per cell like the other readers, with Parquet's nesting kept as the JSON reader keeps it:
    structs become dotted columns (``patient.bsn``), lists become Python lists of text (masked element
    by element), lists of structs one list column per field (``regels[].agb_code``); binary values stay
    ``bytes`` so the plan can drop them (never their Python repr)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    while any(pa.types.is_struct(f.type) for f in table.schema):
        table = table.flatten()
    columns: dict = {}
    # Two columns of one name (Parquet allows it; so does a struct field beside a dotted column) are
    # kept apart as the CSV reader keeps them, never one overwriting the other.
    for name, column in zip(dedupe_columns(table.column_names), table.columns):
        column = column.combine_chunks()
        if pa.types.is_fixed_size_list(column.type):   # a list like any other (its repr was published as text)
            column = column.cast(pa.list_(column.type.value_field))
        if pa.types.is_map(column.type):  # a list of key/value pairs, like a list of structs (never its repr)
            for part, values in (("key", column.keys), ("value", column.items)):
                inner = pa.ListArray.from_arrays(column.offsets, values, mask=column.is_null())
                columns[f"{name}[].{part}"] = _list_cells(inner)
        elif pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
            value_type = column.type.value_type
            if pa.types.is_struct(value_type):
                flat = pc.list_flatten(column)
                for i, field in enumerate(value_type):
                    inner = pa.ListArray.from_arrays(column.offsets, flat.field(i), mask=column.is_null())
                    columns[f"{name}[].{field.name}"] = _list_cells(inner)
            else:
                columns[name] = _list_cells(column)
        elif pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type) or pa.types.is_fixed_size_binary(column.type):
            columns[name] = pd.Series(column.to_pylist(), dtype=object)
        else:
            columns[name] = pd.Series(column.to_pylist(), dtype=object).map(
                lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else _cell_text(v))
    return pd.DataFrame(columns)


def _list_cells(column) -> pd.Series:
    return pd.Series([None if v is None else [None if x is None else _cell_text(x) for x in v] for v in column.to_pylist()],
                     dtype=object)


def read_ei_tables(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS, count: Optional[FileCount] = None) -> Iterator[TableChunk]:
    """A Vektis EI file: one table per record type (:mod:`.ei` validates the whole file)."""
    from .ei import read_ei

    for chunk in read_ei(path, chunk_rows, "error"):
        if count is not None:
            count.add(chunk.table, chunk.records, len(chunk.rejected))
        yield chunk


_READERS = {"csv": read_csv, "xlsx": read_xlsx, "json": read_json, "jsonl": read_jsonl, "parquet": read_parquet,
            "ei": read_ei_tables}


def read_columns(path: Path | str) -> list[str]:
    """The column names of a file (every sheet of a workbook), reading as little as possible."""
    path = Path(path)
    fmt = table_format(path)
    if fmt == "xlsx":
        workbook = _open_workbook(path)
        try:
            names: list[str] = []
            for position, sheet in enumerate(workbook.worksheets, 1):
                for number, cells, doubled in _sheet_rows(sheet):   # the header: the first non-blank row, as read_xlsx
                    if doubled or any(v is not None and v != "" for v in cells.values()):
                        header = _xlsx_header(path, _sheet_named(sheet, position), number, cells, doubled, set())
                        names.extend(n for n in header if n not in names)
                        break
            return names
        finally:
            workbook.close()
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            return dedupe_columns(pq.read_schema(path).names)
        except Exception:
            raise InputError(path, "not a readable Parquet file") from None
    if fmt == "csv":
        return DelimitedFile(path).columns
    if fmt == "ei":
        from .ei import ei_columns

        return ei_columns(path)
    first = next(read_table(path, chunk_rows=100), None)
    return [str(c) for c in first.frame.columns] if first is not None else []


def read_table(path: Path | str, chunk_rows: int = DEFAULT_CHUNK_ROWS, bad_rows: str = "skip",
               count: Optional[FileCount] = None) -> Iterator[TableChunk]:
    """Chunks of any supported tabular file; the one entry point for every reader (``scan`` and ``mask`` alike).

    Records that cannot be read are listed in :attr:`TableChunk.rejected` (data row, physical line,
    reason), not left out silently and not failing the file; ``bad_rows="error"`` raises an
    :class:`InputError` naming the first of them instead.  ``count`` (a :class:`FileCount`) is filled
    with what the file holds, to reconcile against what was written.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    if path.stat().st_size == 0:
        raise InputError(path, "empty file")
    fmt = table_format(path)
    for chunk in _READERS[fmt](path, chunk_rows, count):
        if len(chunk.frame.columns) > MAX_COLUMNS:  # JSON fields, sheet columns (CSV headers are checked on reading)
            raise InputError(path, f"{chunk.table} has {len(chunk.frame.columns):,} columns or fields; at most "
                                   f"{MAX_COLUMNS:,} are supported (PII_PIPELINE_MAX_COLUMNS)")
        if bad_rows == "error" and chunk.rejected:
            row, line, reason = chunk.rejected[0]
            raise InputError(path, f"row {row}: {reason}", line=line)
        yield chunk
