"""Delimited text (CSV/TSV) as physical records, each with its line numbers; bad records kept apart.

The file is read as physical lines (:func:`~.encoding.physical_lines`), each
decoded on its own, and assembled into records by Python's ``csv`` module with
the header's field count as the contract.  The rules, in order:

1. A blank line is no record (counted as blank).
2. A record is one physical line, unless a quoted field is still open at the
   end of the line: then it continues on the next lines until the quote closes.
3. A record whose field count differs from the header's is malformed.  When it
   spans one line, that line is quarantined.  When it spans several lines, the
   open quote is taken to be unterminated: the quoted field is bounded at the
   physical line, i.e. only the record's **first** line is quarantined and
   reading starts again at its second line.  So an unmatched quote at row 500
   costs row 500, never rows 501-517, and the row numbers after it are right.
   Records are parsed strictly (a closing quote must be followed by the
   delimiter or the line end), so a stray quote that swallowed lines nearly
   always shows as an error; only a one-line record is re-read leniently
   (``"abc"def``) when its field count then fits.  (A stray quote whose
   swallowed lines give a strictly valid record with exactly the header's
   field count cannot be told from a real multi-line field and is read as one.)
4. A record that would grow past ``max_cell_chars`` characters (its newlines
   included) while a quote is open is treated the same way (first line
   quarantined, reading restarts at the second): an unterminated quote never
   reads the rest of the file into one field.  Its lines do not bound it: a
   closed note of 10,001 short lines is one record.
5. A line that does not decode is quarantined with its line number and the
   byte offset of the bad byte in the file; a multi-line record it interrupts
   is bounded at its first line as in rule 3.
6. A cell longer than ``max_cell_chars`` (default 1,000,000) quarantines its
   record with the reason; a physical line longer than four times that is cut
   and quarantined without being held in memory.

Every physical line is accounted for (header + blank + lines of good and bad
records = lines in the file); the reader checks this before it ends.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List, Optional

from ..errors import InputError
from .encoding import BLOCK, Encoding, Line, detect_file_encoding, is_cr_only, physical_lines

MAX_CELL_CHARS = int(os.environ.get("PII_PIPELINE_MAX_CELL_CHARS", 1_000_000))
# Discovery classifies every column (recognizers over a sample of its values): about 0.7 s a column measured
# under load on 2 shared cores.  Wider files are refused with one line; raise it for a wide file on purpose.
MAX_COLUMNS = int(os.environ.get("PII_PIPELINE_MAX_COLUMNS", 256))
FAST_BLOCK = 8 << 20   # bytes a plain block may hold: pyarrow parses it with its threads
CAREFUL_BLOCK = 512 << 10   # bytes around a record that needs care (under the cell limit: no length checks)
# The fast path (pyarrow's parser for blocks proven plain) can be switched off to compare it with the
# record-by-record path (tests) or to rule it out; both give the same records, rows and lines.
FAST_READER = os.environ.get("PII_PIPELINE_FAST_READER", "1") != "0"
DELIMITERS = ";,\t|"
SNIFF_CHARS = 64 * 1024
# Excel's delimiter line ("sep=;", quoted or padded with the delimiter by some tools).
_SEP_LINE = re.compile(r'"?sep=([;,\t|])"?\1*', re.IGNORECASE)

csv.field_size_limit(2 ** 31 - 1)  # our own limits apply (max_cell_chars); csv's 128 KB would fail whole files


@dataclass
class Record:
    row: int                     # 1-based data row number (the header is not a row; blank lines are not rows)
    line: int                    # physical line the record starts on
    fields: Optional[List[str]]  # None for a malformed record
    reason: str = ""
    lines: int = 1               # physical lines the record spans


@dataclass
class LineCount:
    """Physical lines of a file and what became of them."""

    lines: int = 0
    header_lines: int = 0
    blank: int = 0
    in_records: int = 0
    records: int = 0
    malformed: int = 0
    encoding: str = ""

    def check(self, path: Path) -> None:
        if self.header_lines + self.blank + self.in_records != self.lines:
            raise InputError(path, f"line count mismatch: {self.lines} physical lines, {self.header_lines} header, "
                                   f"{self.blank} blank, {self.in_records} in records")


@dataclass
class FastBlock:
    """Whole lines without a quote character that decoded in one go: split on the delimiter directly."""

    first_line: int
    offset: int
    text: str
    lines: int
    quoted: bool = False   # holds a quote character: parsed by csv in one go, checked record by record
    data: Optional[bytes] = None   # plain block proven by _plain_block: the lines as UTF-8, for pyarrow's parser
    size: int = 0                  # bytes of the file it covers
    quoted_lines: Optional[tuple] = None   # (plain line indexes, quoted line indexes, their csv fields)

    def split(self) -> list:
        """As (Line, text) pairs, for the record-by-record path."""
        out, offset, number = [], self.offset, self.first_line
        for piece in self.text.split("\n")[:self.lines]:
            out.append((Line(number, offset, b""), piece + "\n"))
            number += 1
        return out


@dataclass
class Batch:
    """Good records of a fast block: their fields, data row numbers and physical lines."""

    fields: Optional[List[List[str]]]
    rows: range
    lines: range
    table: Optional[object] = None   # a pyarrow Table of strings (plain blocks) instead of ``fields``


class _Abandon(Exception):
    """Raised by the feed inside csv.reader: the record being read is given up (see rules 4 and 5)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Feed:
    """Decoded physical lines for csv.reader, remembering which lines the current record used."""

    def __init__(self, path: Path, lines: Iterator[Line], encoding: Encoding, max_chars: int) -> None:
        self.path, self.lines, self.encoding = path, lines, encoding
        self.max_chars = max_chars
        self.pushed: deque = deque()   # (Line, text) to read again after an abandoned record
        self.used: list = []           # (Line, text) of the record being read
        self.chars = 0
        self.total = 0                 # physical lines taken from the file

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.pushed:
            line, text = self.pushed.popleft()
        else:
            line = next(self.lines)
            if isinstance(line, FastBlock):  # a multi-line record reaches into a block: take it line by line
                self.total += line.lines
                self.pushed.extend(line.split())
                return self.__next__()
            self.total += 1
            text = self.decode(line)
        self.used.append((line, text))
        self.chars += len(text) if text is not None else self.max_chars + 1
        # A record is bounded by its characters (newlines included: a field of empty lines counts), the cell
        # limit, not by its lines: a closed note of 10,001 short lines is one record.
        if text is None or (len(self.used) > 1 and self.chars > self.max_chars):
            raise _Abandon(self._why(line, text))
        return text

    def decode(self, line: Line) -> Optional[str]:
        if line.data is None:
            return None
        try:
            return line.data.decode(self.encoding.name)
        except UnicodeDecodeError as exc:
            line.bad_byte = line.offset + exc.start  # type: ignore[attr-defined]
            return None

    def _why(self, line: Line, text: Optional[str]) -> str:
        if text is None and line.data is None:
            return f"line {line.number} is longer than {self.max_chars * 4:,} bytes"
        if text is None:
            return f"not valid {self.encoding} at byte {line.bad_byte} (line {line.number})"  # type: ignore[attr-defined]
        return f"a quoted field opened on this line is not closed within {self.max_chars:,} characters"

    def start_record(self) -> None:
        self.used, self.chars = [], 0


def parse_plain(data: bytes, delimiter: str, width: int):
    """Lines proven plain (no quotes, the header's field count on every line) as a pyarrow Table of strings,
    parsed by pyarrow's multi-threaded reader: fields split on the delimiter, nothing converted or nulled."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"f{i}" for i in range(width)]
    return pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 20),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False, escape_char=False,
                                         newlines_in_values=False, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                                             quoted_strings_can_be_null=False, check_utf8=False))


def sniff_delimiter(path: Path, sample: str) -> str:
    """The delimiter among ``; , tab |`` that splits the header and the first lines alike.

    The header decides the width, so a delimiter it does not hold is never chosen: a one-column
    file gets one its lines do not hold (its commas are text, not separators).

    >>> sniff_delimiter(Path("x.csv"), "bsn;naam;bedrag\\n123;Jan;12,50\\n")
    ';'
    >>> sniff_delimiter(Path("x.csv"), "opmerking\\ntekst met komma, hier\\n")
    ';'
    """
    lines = [l for l in sample[:SNIFF_CHARS].splitlines()[:50] if l.strip()]
    if not lines:
        raise InputError(path, "empty file")
    counts = {d: lines[0].count(d) for d in DELIMITERS}
    if not any(counts.values()):
        return next((d for d in DELIMITERS if not any(d in l for l in lines)), ",")
    if len(lines) > 1:
        # The delimiter that splits every sampled line into the header's width, the widest of those:
        # csv.Sniffer took ',' (a decimal comma, one per line) over ';' (three per line).
        widths = {d: {len(r) for r in csv.reader(lines[:20], delimiter=d)} for d in DELIMITERS if counts[d]}
        steady = [d for d, w in widths.items() if len(w) == 1]
        if steady:
            return max(steady, key=lambda d: (next(iter(widths[d])), -DELIMITERS.index(d)))
        try:
            found = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=DELIMITERS).delimiter
            if counts.get(found):
                return found
        except csv.Error:
            pass
    return max(counts, key=counts.get)


def dedupe_columns(names: list) -> list[str]:
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


class DelimitedFile:
    """One delimited file: its encoding, delimiter, header and records (read once per :meth:`records` call)."""

    def __init__(self, path: Path, max_cell_chars: int = MAX_CELL_CHARS, max_columns: int = MAX_COLUMNS) -> None:
        self.path, self.max_cell, self.max_columns = Path(path), max_cell_chars, max_columns
        self.encoding = detect_file_encoding(self.path)
        with self.path.open("rb") as f:
            head = f.read(256 * 1024)
        from .tables import _check_content_is_text_table

        _check_content_is_text_table(self.path, head)
        self.cr_only = is_cr_only(head)
        sample = head[self.encoding.bom:].decode(self.encoding.name, errors="replace")
        self.delimiter = "\t" if self.path.suffix.lower() == ".tsv" else sniff_delimiter(self.path, sample)
        self.count = LineCount(encoding=str(self.encoding))
        self.columns: List[str] = self._header()

    def _open_lines(self, f) -> Iterator[Line]:
        return physical_lines(f, self.encoding, self.max_cell * 4, self.cr_only)

    def _header(self) -> List[str]:
        with self.path.open("rb") as f:
            feed = _Feed(self.path, self._open_lines(f), self.encoding, self.max_cell)
            sep_line = None
            while True:
                feed.start_record()
                try:
                    text = next(feed)
                except StopIteration:
                    raise InputError(self.path, "empty file") from None
                except _Abandon as exc:
                    raise InputError(self.path, f"header: {exc.reason}", line=feed.used[0][0].number) from None
                if not text.strip():
                    continue
                sep = _SEP_LINE.fullmatch(text.rstrip("\r\n")) if sep_line is None else None
                if sep is None:
                    break
                # Excel's first line "sep=;" names the delimiter; it is no header (counted as a header line).
                sep_line, self.delimiter = feed.used[0][0].number, sep.group(1)
            start = feed.used[0][0].number
            self._header_first = start if sep_line is None else sep_line
            feed.pushed.append(feed.used[0])
            feed.start_record()
            try:
                header = next(csv.reader(feed, delimiter=self.delimiter))
            except _Abandon as exc:
                raise InputError(self.path, f"header: {exc.reason}", line=start) from None
            except csv.Error:   # csv's message may quote the line
                raise InputError(self.path, "header: cannot be parsed as delimited text (a carriage return inside the "
                                            "line, CR and LF line ends mixed, or a NUL byte?)", line=start) from None
            self._header_lines = start - self._header_first + len(feed.used)
        if len(header) > self.max_columns:
            raise InputError(self.path, f"header has {len(header):,} columns; at most {self.max_columns:,} are supported "
                                        "(PII_PIPELINE_MAX_COLUMNS)", line=self._header_first)
        from ..masking.sweep import header_is_data

        # A first row the value sweep reads as a record (numbers, dates, identifiers, names) is data:
        # the columns get generated names and the row is read as the first record.
        self.has_header = not header_is_data(header)
        self._header_fields = header if self.has_header else None
        if not self.has_header:
            self._header_lines = start - self._header_first
            return [f"column_{i}" for i in range(1, len(header) + 1)]
        return dedupe_columns(header)

    def _reader(self, feed: _Feed):
        # strict: a closing quote must be followed by the delimiter or the line end, so a stray quote
        # that swallowed lines is found as an error instead of as a record (rule 3).
        return csv.reader(feed, delimiter=self.delimiter, strict=True)

    def _lenient(self, used: list, width: int) -> Optional[List[str]]:
        """A one-line record strict parsing refused (``"abc"def``) is read leniently if its field count fits."""
        if len(used) != 1 or used[0][1] is None:
            return None
        try:
            fields = next(csv.reader([used[0][1]], delimiter=self.delimiter), [])
        except csv.Error:  # not even leniently (a CR inside an unquoted field): quarantined by its line
            return None
        fits = len(fields) == width and max(len(f) for f in fields) <= self.max_cell
        return fields if fits else None

    def _units(self, f, skip: int = 0, window=None) -> Iterator:
        """Physical lines, or :class:`FastBlock` runs of whole lines: ~8 MB blocks the fast path can prove plain
        (:meth:`_plain_block`), else ~0.5 MB blocks for the csv path (quoted) or the record-by-record rules.
        ``window`` (an ``io.ranges.ByteRange``): only its lines, numbered as in the file."""
        if self.encoding.unit != 1 or self.cr_only:
            if window is not None:
                raise ValueError("a byte range of a file in a multi-byte encoding or with CR line ends")
            yield from physical_lines(f, self.encoding, self.max_cell * 4, self.cr_only)
            return
        number, offset = (0, self.encoding.bom) if window is None else (window.line, window.start)
        f.seek(offset)
        for _ in range(skip):  # blank lines before the header, and the header: line by line (read already)
            line = f.readline(self.max_cell * 4)
            number += 1
            yield Line(number, offset, line)
            offset += len(line)
        while True:
            plain = self._plain_block(f, number, offset, FAST_BLOCK) if FAST_READER else None
            if plain is _END:
                return
            if plain is not None:
                yield plain
                number, offset = number + plain.lines, offset + plain.size
                continue
            # Something in the next FAST_BLOCK needs care: taken in small blocks, each fast when it can be,
            # so a malformed record costs one small block of record-by-record reading.
            end = offset + FAST_BLOCK
            while offset < end:
                small = self._plain_block(f, number, offset, CAREFUL_BLOCK) if FAST_READER else None
                if small is _END:
                    return
                if small is not None:
                    yield small
                    number, offset = number + small.lines, offset + small.size
                    continue
                number, offset, done = yield from self._careful_units(f, number, offset, offset + 1)
                if done:
                    return

    def _plain_block(self, f, number: int, offset: int, size: int):
        """The next ~8 MB of whole lines as one :class:`FastBlock` for the fast path, when it provably needs none
        of the tolerant rules: it decodes, has no bare CR and no line longer than the cell limit, every line
        without a quote character has exactly the header's field count (counted on the bytes with numpy), and
        every line with one is, read alone and strictly by csv, one record of the header's field count (so no
        record spans lines).  Otherwise None, with the file position left where it was."""
        import numpy as np

        block = f.read(size)
        if not block:
            return _END
        if not block.endswith(b"\n"):
            block += f.readline(self.max_cell + 1)
        width = len(self.columns)
        # (``in`` first: a file without CR, the common case, is not counted twice per block)
        if width < 2 or not block.endswith(b"\n") or (b"\r" in block and block.count(b"\r") != block.count(b"\r\n")):
            f.seek(offset)
            return None
        data = np.frombuffer(block, dtype=np.uint8)
        ends = np.flatnonzero(data == 10)
        fields = np.diff(np.searchsorted(np.flatnonzero(data == ord(self.delimiter)), ends), prepend=0) + 1
        quoted = np.unique(np.searchsorted(ends, np.flatnonzero(data == 34)))  # lines holding a quote character
        plain = np.ones(len(ends), dtype=bool)
        plain[quoted] = False
        good = bool((fields[plain] == width).all()) and int(np.diff(ends, prepend=-1).max()) <= self.max_cell
        try:
            text = block.decode(self.encoding.name) if good else None
        except UnicodeDecodeError:
            text = None
        lines = text.split("\n") if text is not None and len(quoted) else None
        parsed = self._one_line_records(lines, quoted, width) if lines is not None else []
        if text is None or parsed is None:
            f.seek(offset)
            return None
        if not len(quoted):
            data = block if self.encoding.name == "utf-8" else text.encode("utf-8")
            return FastBlock(number + 1, offset, text, len(ends), data=data, size=len(block))
        keep = np.flatnonzero(plain).tolist()
        data = ("\n".join([lines[i] for i in keep]) + "\n").encode("utf-8") if keep else b""
        return FastBlock(number + 1, offset, text, len(ends), data=data, size=len(block),
                         quoted_lines=(np.flatnonzero(plain), quoted, parsed))

    def _one_line_records(self, lines: list, quoted, width: int) -> Optional[list]:
        """Fields of the lines with a quote character, each read alone strictly; None when one is not exactly
        one record of ``width`` fields (then the block goes to the record-by-record rules)."""
        out = []
        for i in quoted.tolist():
            try:
                rows = list(csv.reader([lines[i] + "\n"], delimiter=self.delimiter, strict=True))
            except csv.Error:
                return None
            if len(rows) != 1 or len(rows[0]) != width:
                return None
            out.append(rows[0])
        return out

    def _careful_units(self, f, number: int, offset: int, end: int):
        """Units of about 0.5 MB up to byte ``end``: plain or quoted blocks, else physical lines (rules 5, 6).
        Returns (line number, offset, end of file reached)."""
        limit = self.max_cell * 4
        while offset < end:
            block = f.read(CAREFUL_BLOCK)  # under the cell limit, so a block's cells need no length check
            if not block:
                return number, offset, True
            if not block.endswith(b"\n"):
                block += f.readline(limit)
            whole = block.endswith(b"\n")
            if whole and len(block) <= self.max_cell:
                try:
                    text = block.decode(self.encoding.name)
                except UnicodeDecodeError:
                    text = None
                if text is not None:
                    n = block.count(b"\n")
                    yield FastBlock(number + 1, offset, text, n, quoted='"' in text)
                    number, offset = number + n, offset + len(block)
                    continue
            pieces = block.split(b"\n")
            for piece in pieces[:-1]:
                number += 1
                yield Line(number, offset, piece + b"\n")
                offset += len(piece) + 1
            if pieces[-1]:
                rest = f.read(1)
                number += 1
                if not rest:  # the last line, without a newline
                    yield Line(number, offset, pieces[-1])
                    return number, offset, True
                yield Line(number, offset, None)  # longer than the limit: skip to its end, never held whole
                skipped = len(pieces[-1]) + 1
                while not rest.endswith(b"\n"):
                    rest = f.readline(BLOCK)
                    if not rest:
                        break
                    skipped += len(rest)
                offset += skipped
        return number, offset, False

    @property
    def blank_before_header(self) -> int:
        return self._header_first - 1

    @property
    def header_skip(self) -> int:
        """Physical lines before the first record (blank lines before the header, and the header)."""
        return self._header_first - 1 + self._header_lines

    def records(self, window=None) -> Iterator:
        """Every record after the header in file order: :class:`Record` (one, good or malformed) or
        :class:`Batch` (many good ones from a fast block); checks the line count at the end.  ``window``
        (an ``io.ranges.ByteRange`` of whole records, after the header): only its records, with the file's
        line numbers and byte offsets and data rows counted from 1 (the caller shifts them).

        A record equal to the header (files joined with ``cat``, each with its header; a byte-order mark
        before it or not) is a header line, no data row: counted with the header's lines."""
        if self._header_fields is None:
            yield from self._records(window)
            return
        dropped = 0
        for record in self._records(window):
            record, n = _without_header_rows(record, self._header_fields, dropped)
            if n:   # the reader's own row numbers count them (its records are renumbered here)
                dropped += n
                self.count.header_lines += n
                self.count.in_records -= n * (sum(h.count("\n") for h in self._header_fields) + 1)
            if record is not None:
                yield record
        self.count.records -= dropped

    def _records(self, window=None) -> Iterator:
        skip = self.header_skip if window is None else 0
        count = self.count = LineCount(encoding=str(self.encoding), header_lines=self._header_lines if window is None else 0,
                                       blank=self._header_first - 1 if window is None else 0)
        width, row = len(self.columns), 0
        with self.path.open("rb") as raw:
            f = raw if window is None else _Window(raw, window.start, window.end)
            units = self._units(f, skip, window)
            feed = _Feed(self.path, units, self.encoding, self.max_cell)
            for _ in range(skip):
                next(feed)  # blank lines before the header, and the header
            reader = [self._reader(feed)]
            while True:
                if feed.pushed:
                    unit = None
                else:
                    unit = next(units, None)
                    if unit is None:
                        break
                if isinstance(unit, FastBlock):
                    feed.total += unit.lines
                    if unit.quoted:
                        rest = yield from self._quoted(unit, row, count)
                        feed.pushed.extend(rest)   # from the first record csv alone cannot vouch for
                    else:
                        yield from self._fast(unit, row, count)
                    row = count.records
                    continue
                if unit is not None:
                    feed.total += 1
                    text = feed.decode(unit)
                    if text is not None and '"' not in text and len(text) <= self.max_cell:
                        result = self._split_line(unit.number, text, width)
                    else:
                        feed.pushed.append((unit, text))
                        continue
                else:
                    result = self._parsed(feed, reader, width)
                    if result is None:
                        break
                if result is _BLANK:
                    count.blank += 1
                    continue
                first, spans, fields, reason = result
                row += 1
                count.records += 1
                count.in_records += spans
                count.malformed += fields is None
                yield Record(row, first, fields, reason, spans)
            count.lines = feed.total
        count.check(self.path)

    def _split_line(self, number: int, text: str, width: int):
        text = text.rstrip("\r\n")
        if not text.strip():
            return _BLANK
        fields = text.split(self.delimiter)
        if len(fields) != width:
            return number, 1, None, f"has {len(fields)} fields, the header {width}"
        if len(text) > self.max_cell and max(map(len, fields)) > self.max_cell:
            longest = max(range(width), key=lambda i: len(fields[i]))
            return number, 1, None, f"cell in column {longest + 1} is longer than {self.max_cell:,} characters"
        return number, 1, fields, ""

    def _quoted(self, block: FastBlock, row: int, count: LineCount):
        """A block with quotes, through csv in one go while every record is plainly good (the header's field
        count, strictly parsed, within the limits); from the first record that is not, its lines are returned
        (as (Line, text) pairs) for the record-by-record rules."""
        lines = block.text.split("\n")
        lines.pop()
        texts = [l + "\n" for l in lines]
        reader = csv.reader(texts, delimiter=self.delimiter, strict=True)
        width, good, first_lines = len(self.columns), [], []
        done = blanks = 0   # lines accounted for; blank lines among them
        base, last = block.first_line, len(texts)
        try:
            for fields in reader:
                end = reader.line_num
                if end - done == 1 and len(fields) == width:   # the common case: one line, one good record
                    good.append(fields)
                    first_lines.append(base + done)
                    done = end
                    continue
                if fields == [] and end - done == 1:
                    blanks += 1
                    done = end
                    continue
                if len(fields) != width or end == last or sum(map(len, texts[done:end])) > self.max_cell:
                    break   # (a multi-line record ending on the block's last line may go on in the next block)
                good.append(fields)
                first_lines.append(base + done)
                done = end
        except csv.Error:
            pass
        count.blank += blanks
        if good:
            count.records += len(good)
            count.in_records += done - blanks
            yield Batch(good, range(row + 1, row + 1 + len(good)), first_lines)
        rest = []
        for i in range(done, len(texts)):
            rest.append((Line(block.first_line + i, block.offset, b""), texts[i]))
        return rest

    def _fast(self, block: FastBlock, row: int, count: LineCount) -> Iterator:
        """The records of a fast block: one :class:`Batch` when every line is a good record, else line by line."""
        if block.data is not None:  # proven plain: every line one good record
            count.records += block.lines
            count.in_records += block.lines
            yield Batch(None, range(row + 1, row + 1 + block.lines), range(block.first_line, block.first_line + block.lines),
                        self._block_table(block))
            return
        lines = block.text.split("\n")
        lines.pop()  # after the last newline
        delimiter, width = self.delimiter, len(self.columns)
        if "\r" in block.text:
            lines = [l.rstrip("\r") for l in lines]
        fields = [l.split(delimiter) for l in lines]
        short = len(block.text) <= self.max_cell or max(map(len, lines)) <= self.max_cell
        if short and set(map(len, fields)) == {width} and (width > 1 or all(l.strip() for l in lines)):
            count.records += len(fields)
            count.in_records += len(fields)
            yield Batch(fields, range(row + 1, row + 1 + len(fields)), range(block.first_line, block.first_line + len(fields)))
            return
        for i, text in enumerate(lines):
            result = self._split_line(block.first_line + i, text, width)
            if result is _BLANK:
                count.blank += 1
                continue
            first, spans, values, reason = result
            row += 1
            count.records += 1
            count.in_records += 1
            count.malformed += values is None
            yield Record(row, first, values, reason, 1)

    def _block_table(self, block: FastBlock):
        """The fast block's records as one Table in line order: plain lines by pyarrow, quoted ones from csv."""
        import numpy as np
        import pyarrow as pa

        width = len(self.columns)
        if block.quoted_lines is None:
            return parse_plain(block.data, self.delimiter, width)
        plain, quoted, fields = block.quoted_lines
        names = [f"f{i}" for i in range(width)]
        parts = [parse_plain(block.data, self.delimiter, width)] if len(plain) else []
        parts.append(pa.table({n: pa.array(list(c), type=pa.string()) for n, c in zip(names, zip(*fields))}))
        order = np.argsort(np.concatenate([plain, quoted]), kind="stable")
        return pa.concat_tables(parts).take(pa.array(order))

    def _parsed(self, feed: _Feed, reader: list, width: int):
        """One record through csv (rules 2-6): (first line, lines, fields or None, reason), ``_BLANK``, or None at the end."""
        feed.start_record()
        try:
            fields = next(reader[0])
        except StopIteration:
            return None
        except (_Abandon, csv.Error) as exc:
            # Rules 4 and 5 (and text csv cannot parse): the first line is quarantined, the rest read again.
            used = feed.used
            reader[0] = self._reader(feed)
            lenient = self._lenient(used, width) if isinstance(exc, csv.Error) else None
            feed.pushed.extendleft(reversed(used[1:]))
            if lenient is not None:
                return used[0][0].number, 1, lenient, ""
            reason = exc.reason if isinstance(exc, _Abandon) else "cannot be parsed as delimited text"
            return used[0][0].number, 1, None, reason
        used = feed.used
        if len(used) == 1 and not used[0][1].strip():
            return _BLANK
        if len(fields) != width and len(used) > 1:
            # Rule 3: bound the open quote at the first line; read the others again.
            feed.pushed.extendleft(reversed(used[1:]))
            return used[0][0].number, 1, None, "a quoted field opened on this line is not closed (the line was read alone)"
        if len(fields) != width:
            return used[0][0].number, 1, None, f"has {len(fields)} fields, the header {width}"
        longest = max(range(width), key=lambda i: len(fields[i]))
        if len(fields[longest]) > self.max_cell:
            return used[0][0].number, len(used), None, f"cell in column {longest + 1} is longer than {self.max_cell:,} characters"
        return used[0][0].number, len(used), fields, ""


def _is_header(fields, header: list) -> bool:
    return fields is not None and len(fields) == len(header) and fields[0].lstrip("\ufeff") == header[0] \
        and list(fields[1:]) == header[1:]


def _without_header_rows(record, header: list, dropped: int):
    """(the record or batch without the rows equal to ``header``, renumbered past the ``dropped`` ones before
    it; None when nothing is left) and how many rows it dropped."""
    if isinstance(record, Record):
        if _is_header(record.fields, header):
            return None, 1
        if dropped:
            record.row -= dropped
        return record, 0
    if record.table is not None:
        import pyarrow.compute as pc

        first = record.table.column(0)
        hits = pc.is_in(first, value_set=_pa_strings([header[0], "\ufeff" + header[0]]))
        if not pc.any(hits).as_py():
            keep = None
        else:
            rest = [pc.equal(record.table.column(i), h) for i, h in enumerate(header[1:], 1)]
            for r in rest:
                hits = pc.and_(hits, r)
            keep = pc.invert(hits).to_numpy(zero_copy_only=False)
            if keep.all():
                keep = None
        if keep is None:
            n, batch = 0, record
        else:
            import numpy as np

            n = int((~keep).sum())
            lines = np.asarray(record.lines)[keep]
            batch = Batch(None, range(record.rows.start, record.rows.start + len(lines)), lines,
                          record.table.filter(keep))
    else:
        keep = [not _is_header(f, header) for f in record.fields]
        n = keep.count(False)
        if not n:
            batch = record
        else:
            fields = [f for f, k in zip(record.fields, keep) if k]
            lines = [line for line, k in zip(record.lines, keep) if k]
            batch = Batch(fields, range(record.rows.start, record.rows.start + len(fields)), lines)
    if dropped:
        batch.rows = range(batch.rows.start - dropped, batch.rows.stop - dropped)
    return (batch if len(batch.rows) else None), n


def _pa_strings(values: list):
    import pyarrow as pa

    return pa.array(values, type=pa.string())


class _Window:
    """A file seen only between two byte offsets (reads stop at ``end``; offsets stay the file's)."""

    def __init__(self, f, start: int, end: int) -> None:
        self.f, self.end = f, end
        f.seek(start)

    def seek(self, offset: int) -> None:
        self.f.seek(offset)

    def tell(self) -> int:
        return self.f.tell()

    def read(self, size: int = -1) -> bytes:
        left = max(0, self.end - self.f.tell())
        return self.f.read(left if size is None or size < 0 else min(size, left))

    def readline(self, size: int = -1) -> bytes:
        left = max(0, self.end - self.f.tell())
        return self.f.readline(left if size is None or size < 0 else min(size, left))


_BLANK = object()
_END = object()
