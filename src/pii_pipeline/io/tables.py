"""Readers for tabular inputs: CSV/TSV, Excel, JSON, JSON Lines and Parquet.

Every reader yields :class:`TableChunk` objects (a pandas DataFrame of strings
plus where it came from), so discovery, masking and the flows read files in
one way and in bounded memory:

* identifiers stay strings: a BSN or AGB code with a leading zero is never
  turned into a number (every column is read as ``str``, empty cells as ``""``);
* CSV/TSV: delimiter sniffed among ``;`` ``,`` tab ``|``; encoding detected
  (UTF-8, UTF-8 with BOM, cp1252, latin-1); quoted fields may hold newlines;
* Excel: every sheet is a table of its own;
* JSON: an array of records, or an object holding one; nested objects become
  dotted columns (``patient.bsn``) and arrays of objects ``regels[].agb_code``
  (a list of values per record);
* large files are read in chunks of ``chunk_rows`` rows.

Bad files raise :class:`~pii_pipeline.errors.InputError` naming the file (and
sheet or line), never a value.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

import numpy as np
import pandas as pd

from ..errors import InputError
from .documents import check_not_binary

DEFAULT_CHUNK_ROWS = 50_000
SNIFF_BYTES = 256 * 1024
DELIMITERS = ";,\t|"
FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


@dataclass
class TableChunk:
    frame: pd.DataFrame
    path: Path
    table: str          # the file name, or "file.xlsx#Sheet1"
    first_row: int      # 1-based data row number of the chunk's first row
    # With ``bad_rows="skip"``: data rows that could not be parsed, as (row, reason), and the
    # data row number of each row of ``frame`` (skipped rows leave gaps).
    rejected: list = field(default_factory=list)
    row_numbers: Optional[np.ndarray] = None

    def rows(self) -> np.ndarray:
        """The 1-based data row number of every row in ``frame``."""
        if self.row_numbers is not None:
            return self.row_numbers
        return np.arange(self.first_row, self.first_row + len(self.frame))


def table_format(path: Path) -> str:
    from .ei import is_ei_file

    if is_ei_file(path):  # Vektis EI files are recognised by content, whatever their extension
        return "ei"
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(path, f"unsupported format '{Path(path).suffix}'; supported: {', '.join(sorted(FORMATS))}")
    return fmt


def detect_encoding(path: Path, head: bytes) -> str:
    """UTF-8 (with or without BOM) when the sample decodes as such, else cp1252 / latin-1.

    >>> detect_encoding(Path("x.csv"), "naam;plaats\\nJosé;Zwolle".encode("cp1252"))
    'cp1252'
    """
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    check_not_binary(path, head)
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:
            return "utf-8"  # the sample cut a multi-byte character in two
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def sniff_delimiter(path: Path, sample: str) -> str:
    """The delimiter among ``; , tab |`` that splits the header and the first lines alike.

    >>> sniff_delimiter(Path("x.csv"), "bsn;naam;bedrag\\n123;Jan;12,50\\n")
    ';'
    """
    lines = [l for l in sample.splitlines()[:50] if l.strip()]
    if not lines:
        raise InputError(path, "empty file")
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _dedupe_columns(names: list[str]) -> list[str]:
    """Duplicate or empty header names get a suffix (``naam``, ``naam_2``), never silently merged."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = str(name).strip() or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


def csv_layout(path: Path) -> tuple[str, str, list[str]]:
    """Encoding, delimiter and column names of a delimited file, from its first bytes."""
    return _csv_layout(path)[:3]


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


def _csv_layout(path: Path) -> tuple[str, str, list[str], bool]:
    """... and whether the first row is a header.  A first row the value sweep reads as a record
    (numbers, dates, identifiers, names) is data: the columns get generated names ``column_<n>``."""
    from ..masking.sweep import header_is_data

    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    _check_content_is_text_table(path, head)
    encoding = detect_encoding(path, head)
    sample = head.decode(encoding, errors="replace")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(path, sample)
    header_line = next(csv.reader(io.StringIO(sample), delimiter=delimiter), None)
    if not header_line:
        raise InputError(path, "empty file")
    if header_is_data(header_line):
        return encoding, delimiter, [f"column_{i}" for i in range(1, len(header_line) + 1)], False
    return encoding, delimiter, _dedupe_columns(header_line), True


def read_csv(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS, bad_rows: str = "error") -> Iterator[TableChunk]:
    encoding, delimiter, columns, has_header = _csv_layout(path)
    next_row = 1  # data row number of the next record
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            reader = pd.read_csv(
                path, sep=delimiter, encoding=encoding, dtype=str, keep_default_na=False, na_filter=False,
                header=0 if has_header else None, names=columns, chunksize=chunk_rows, engine="c",
                on_bad_lines="warn" if bad_rows == "skip" else "error", encoding_errors="strict",
            )
            for frame in reader:
                # pandas names skipped records by line, counting the header as line 1 (no values).
                rejected = []
                for w in caught:
                    m = re.search(r"line (\d+): expected (\d+) fields, saw (\d+)", str(w.message))
                    if m:
                        rejected.append((int(m.group(1)) - has_header, f"has {m.group(3)} fields, the header {m.group(2)}"))
                caught.clear()
                if not rejected:
                    yield TableChunk(frame, path, path.name, next_row)
                    next_row += len(frame)
                    continue
                # Number the rows that were kept around the ones that were skipped.
                skipped = {r for r, _ in rejected}
                span = np.arange(next_row, next_row + len(frame) + len(skipped), dtype=np.int64)
                numbers = span[~np.isin(span, list(skipped))][:len(frame)]
                next_row = int(max(span[-1], max(skipped))) + 1
                yield TableChunk(frame, path, path.name, int(numbers[0]) if len(numbers) else next_row, rejected, numbers)
    except pd.errors.ParserError as exc:
        raise InputError(path, f"cannot be parsed as delimited text ({_parser_reason(exc)})") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid {encoding} at byte {exc.start}") from None


def _parser_reason(exc: Exception) -> str:
    # pandas' messages name line numbers and field counts, not values; keep only those.
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    return f"line {m.group(2)} has {m.group(3)} fields, the header {m.group(1)}" if m else "malformed rows"


def flatten(record: Any, prefix: str = "") -> dict[str, Any]:
    """Nested objects to dotted keys; arrays of objects to ``key[].field`` lists.

    >>> flatten({"patient": {"bsn": "123"}, "regels": [{"agb": "01"}, {"agb": "02"}], "tags": ["a"]})
    {'patient.bsn': '123', 'regels[].agb': ['01', '02'], 'tags': ['a']}
    """
    out: dict[str, Any] = {}
    if isinstance(record, dict):
        for key, value in record.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                out.update(flatten(value, name))
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                for item in value:
                    for k, v in flatten(item, f"{name}[]").items():
                        out.setdefault(k, []).extend(v if isinstance(v, list) else [v])
            else:
                out[name] = value
    else:
        out[prefix or "value"] = record
    return out


def _records_frame(records: list[dict]) -> pd.DataFrame:
    rows = [flatten(r) for r in records]
    frame = pd.DataFrame(rows, dtype=object)
    return frame.map(lambda v: v if isinstance(v, list) else ("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)))


def read_json(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[TableChunk]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, "not valid JSON", line=exc.lineno) from None
    if isinstance(data, dict):
        arrays = [(k, v) for k, v in data.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(arrays) == 1:
            data = arrays[0][1]
        elif not arrays:
            data = [data]
        else:
            raise InputError(path, f"holds {len(arrays)} arrays of records ({', '.join(k for k, _ in arrays)}); expected one")
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise InputError(path, "expected an array of objects, or an object holding one")
    for start in range(0, len(data), chunk_rows):
        yield TableChunk(_records_frame(data[start:start + chunk_rows]), path, path.name, start + 1)


def read_jsonl(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[TableChunk]:
    batch: list[dict] = []
    first = 1
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise InputError(path, "not a valid JSON line", line=number) from None
            if not isinstance(record, dict):
                raise InputError(path, "not a JSON object", line=number)
            batch.append(record)
            if len(batch) >= chunk_rows:
                yield TableChunk(_records_frame(batch), path, path.name, first)
                first += len(batch)
                batch = []
    if batch:
        yield TableChunk(_records_frame(batch), path, path.name, first)


def read_xlsx(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[TableChunk]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken file; its messages may quote content
        raise InputError(path, "not a readable .xlsx workbook") from None
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None or all(h is None for h in header):
                continue
            header = list(header)
            while header and header[-1] is None:
                header.pop()  # formatted but unused columns at the right
            if any(h is None for h in header):
                raise InputError(path, f"sheet '{sheet.title}': header row has empty cells between names (merged header cells?)", line=1)
            columns = _dedupe_columns([str(h) for h in header])
            batch, first = [], 1
            for row in rows:
                batch.append(["" if v is None else _cell_text(v) for v in row[:len(columns)]] + [""] * (len(columns) - len(row)))
                if len(batch) >= chunk_rows:
                    yield TableChunk(pd.DataFrame(batch, columns=columns, dtype=str), path, f"{path.name}#{sheet.title}", first)
                    first += len(batch)
                    batch = []
            yield TableChunk(pd.DataFrame(batch, columns=columns, dtype=str), path, f"{path.name}#{sheet.title}", first)
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    import datetime as dt

    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_parquet(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[TableChunk]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception:
        raise InputError(path, "not a readable Parquet file") from None
    first = 1
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        import pyarrow as pa

        frame = _parquet_frame(pa.Table.from_batches([batch]))
        yield TableChunk(frame, path, path.name, first)
        first += len(frame)


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
    for name, column in zip(table.column_names, table.columns):
        column = column.combine_chunks()
        if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
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


_READERS = {"csv": read_csv, "xlsx": read_xlsx, "json": read_json, "jsonl": read_jsonl, "parquet": read_parquet}


def read_columns(path: Path | str) -> list[str]:
    """The column names of a file (every sheet of a workbook), reading as little as possible."""
    path = Path(path)
    fmt = table_format(path)
    if fmt == "xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception:
            raise InputError(path, "not a readable .xlsx workbook") from None
        try:
            names: list[str] = []
            for sheet in workbook.worksheets:
                header = next(sheet.iter_rows(values_only=True, max_row=1), None) or ()
                names.extend(n for n in _dedupe_columns([h for h in header if h is not None]) if n not in names)
            return names
        finally:
            workbook.close()
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except Exception:
            raise InputError(path, "not a readable Parquet file") from None
    if fmt == "csv":
        return csv_layout(path)[2]
    if fmt == "ei":
        from .ei import ei_columns

        return ei_columns(path)
    first = next(read_table(path, chunk_rows=100, bad_rows="skip"), None)
    return [str(c) for c in first.frame.columns] if first is not None else []


def read_table(path: Path | str, chunk_rows: int = DEFAULT_CHUNK_ROWS, bad_rows: str = "error") -> Iterator[TableChunk]:
    """Chunks of any supported tabular file; the one entry point for every reader.

    ``bad_rows="skip"``: CSV records with too many fields are left out of the
    frames and listed in :attr:`TableChunk.rejected` (for quarantine) instead of
    failing the file.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    if path.stat().st_size == 0:
        raise InputError(path, "empty file")
    fmt = table_format(path)
    if fmt == "csv":
        yield from read_csv(path, chunk_rows, bad_rows)
    elif fmt == "ei":
        from .ei import read_ei

        yield from read_ei(path, chunk_rows, bad_rows)
    else:
        yield from _READERS[fmt](path, chunk_rows)
