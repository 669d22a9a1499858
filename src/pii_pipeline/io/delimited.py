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
4. A record that would grow past ``max_record_chars`` or ``max_record_lines``
   while a quote is open is treated the same way (first line quarantined,
   reading restarts at the second): an unterminated quote never reads the rest
   of the file into one field.
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
MAX_RECORD_LINES = 10_000
DELIMITERS = ";,\t|"
SNIFF_CHARS = 64 * 1024

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

    fields: List[List[str]]
    rows: range
    lines: range


class _Abandon(Exception):
    """Raised by the feed inside csv.reader: the record being read is given up (see rules 4 and 5)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Feed:
    """Decoded physical lines for csv.reader, remembering which lines the current record used."""

    def __init__(self, path: Path, lines: Iterator[Line], encoding: Encoding, max_chars: int, max_lines: int) -> None:
        self.path, self.lines, self.encoding = path, lines, encoding
        self.max_chars, self.max_lines = max_chars, max_lines
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
        if text is None or (len(self.used) > 1 and (self.chars > self.max_chars or len(self.used) > self.max_lines)):
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
        return f"a quoted field opened on this line is not closed within {self.max_lines:,} lines or {self.max_chars:,} characters"

    def start_record(self) -> None:
        self.used, self.chars = [], 0


def sniff_delimiter(path: Path, sample: str) -> str:
    """The delimiter among ``; , tab |`` that splits the header and the first lines alike.

    >>> sniff_delimiter(Path("x.csv"), "bsn;naam;bedrag\\n123;Jan;12,50\\n")
    ';'
    """
    lines = [l for l in sample[:SNIFF_CHARS].splitlines()[:50] if l.strip()]
    if not lines:
        raise InputError(path, "empty file")
    if len(lines) > 1:
        try:
            return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=DELIMITERS).delimiter
        except csv.Error:
            pass
    counts = {d: lines[0].count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


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
            feed = _Feed(self.path, self._open_lines(f), self.encoding, self.max_cell, MAX_RECORD_LINES)
            while True:
                feed.start_record()
                try:
                    text = next(feed)
                except StopIteration:
                    raise InputError(self.path, "empty file") from None
                except _Abandon as exc:
                    raise InputError(self.path, f"header: {exc.reason}", line=feed.used[0][0].number) from None
                if text.strip():
                    break
            self._header_first = feed.used[0][0].number
            feed.pushed.append(feed.used[0])
            feed.start_record()
            try:
                header = next(csv.reader(feed, delimiter=self.delimiter))
            except _Abandon as exc:
                raise InputError(self.path, f"header: {exc.reason}", line=self._header_first) from None
            self._header_lines = len(feed.used)
        if len(header) > self.max_columns:
            raise InputError(self.path, f"header has {len(header):,} columns; at most {self.max_columns:,} are supported "
                                        "(PII_PIPELINE_MAX_COLUMNS)", line=self._header_first)
        from ..masking.sweep import header_is_data

        # A first row the value sweep reads as a record (numbers, dates, identifiers, names) is data:
        # the columns get generated names and the row is read as the first record.
        self.has_header = not header_is_data(header)
        if not self.has_header:
            self._header_lines = 0
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
        fields = next(csv.reader([used[0][1]], delimiter=self.delimiter), [])
        fits = len(fields) == width and max(len(f) for f in fields) <= self.max_cell
        return fields if fits else None

    def _units(self, f) -> Iterator:
        """Physical lines, or :class:`FastBlock` runs of about 1 MB of whole lines that need no csv parsing."""
        limit = self.max_cell * 4
        if self.encoding.unit != 1 or self.cr_only:
            yield from physical_lines(f, self.encoding, limit, self.cr_only)
            return
        f.seek(self.encoding.bom)
        number, offset = 0, self.encoding.bom
        while True:
            block = f.read(BLOCK // 2)  # under the cell limit, so a block's cells need no length check
            if not block:
                return
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
                    return
                yield Line(number, offset, None)  # longer than the limit: skip to its end, never held whole
                skipped = len(pieces[-1]) + 1
                while not rest.endswith(b"\n"):
                    rest = f.readline(BLOCK)
                    if not rest:
                        break
                    skipped += len(rest)
                offset += skipped

    def records(self) -> Iterator:
        """Every record after the header in file order: :class:`Record` (one, good or malformed) or
        :class:`Batch` (many good ones from a fast block); checks the line count at the end."""
        count = self.count = LineCount(encoding=str(self.encoding), header_lines=self._header_lines,
                                       blank=self._header_first - 1)
        width, row = len(self.columns), 0
        with self.path.open("rb") as f:
            units = self._units(f)
            feed = _Feed(self.path, units, self.encoding, self.max_cell, MAX_RECORD_LINES)
            for _ in range(self._header_first - 1 + self._header_lines):
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
                if len(fields) != width or end - done > MAX_RECORD_LINES or end == last:
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


_BLANK = object()
