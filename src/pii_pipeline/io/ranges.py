"""Byte ranges of a delimited file that hold whole records, found without parsing it.

``mask`` parses a large CSV once, in its worker processes, each worker a range of the file: the main
process only cuts the file.  A cut must fall where the reader (``io/delimited.py``) ends a record, or
the two sides would read different records than one reader reading the whole file.  The reader ends a
record at the end of a physical line unless a quoted field is open there; so in a file whose data
holds **no quote character** (and no bare CR, in an encoding of one byte per ASCII character: UTF-8,
cp1252, latin-1) every newline ends a record, malformed records and bad bytes included (each is one
line, rule by rule).  Only such files are cut (:func:`split`); any other is read by one reader in the
main process, as before.  Each range is read with its absolute byte offset and line number, so the
quarantine's line numbers and byte offsets are the file's; data row numbers are counted per range and
shifted by the records of the ranges before it (``engine._ranged_chunks``).

The counts come from :class:`LineIndex`: newlines and quote characters per 1 MB block, counted while
``io/source.py`` hashes the file (one read, ``bytes.count``).  Discovery uses the same index to read
evenly spaced windows of a large file instead of parsing all of it (:func:`windows`); a window starts
after a newline preceded by an even number of quote characters (outside a quoted field when the file's
quotes are well formed; a stray quote only shifts the sample, never the output).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

RANGE_BYTES = 8 << 20     # bytes per range: ~90,000 claim rows, about two chunks
SEARCH = 1 << 20          # bytes searched past a cut for a newline where the quotes are balanced


@dataclass(frozen=True)
class ByteRange:
    start: int   # byte offset of the range's first line
    end: int     # byte offset just past its last line
    line: int    # physical lines before ``start``


@dataclass(frozen=True)
class LineIndex:
    block: int
    newlines: tuple       # newlines before each block
    quotes: tuple         # quote characters before each block
    total_newlines: int
    total_quotes: int
    bare_cr: bool         # a CR not followed by LF somewhere
    ends_with_newline: bool

    def lines(self, size: int) -> int:
        """Physical lines of the file (the last one may lack its newline)."""
        return self.total_newlines + (0 if self.ends_with_newline or not size else 1)


INDEX_BLOCK = 64 << 10   # the index's granularity: finding a boundary counts at most this many bytes


class IndexBuilder:
    """Fed the file's blocks in order (``io/source.py`` hashes them), builds its :class:`LineIndex`."""

    def __init__(self) -> None:
        self.block, self.newlines, self.quotes = INDEX_BLOCK, [], []
        self.n = self.q = 0
        self.bare_cr, self.last = False, b""

    def add(self, data: bytes) -> None:
        """A block of the file (a multiple of :data:`INDEX_BLOCK` bytes, but for the last)."""
        for at in range(0, len(data), INDEX_BLOCK):
            self._add(data[at:at + INDEX_BLOCK])

    def _add(self, data: bytes) -> None:
        self.newlines.append(self.n)
        self.quotes.append(self.q)
        self.n += data.count(b"\n")
        self.q += data.count(b'"')
        if not self.bare_cr and b"\r" in data:
            crs = data.count(b"\r") - data.count(b"\r\n") - (data.endswith(b"\r"))
            starts = self.last.endswith(b"\r") and not data.startswith(b"\n")
            self.bare_cr = crs > 0 or starts
        elif self.last.endswith(b"\r") and not data.startswith(b"\n"):
            self.bare_cr = True
        self.last = data[-1:]

    def build(self) -> LineIndex:
        if self.last == b"\r":
            self.bare_cr = True
        return LineIndex(self.block, tuple(self.newlines), tuple(self.quotes), self.n, self.q, self.bare_cr,
                         self.last == b"\n")


def data_start(path: Path, skip: int, bom: int) -> tuple[int, int]:
    """(byte offset, line) just after the first ``skip`` physical lines (blank lines before the header, the
    header): where the first range starts."""
    offset = bom
    with Path(path).open("rb") as f:
        f.seek(bom)
        for _ in range(skip):
            line = f.readline()
            if not line:
                break
            offset += len(line)
    return offset, skip


def _quotes_before(f, index: LineIndex, offset: int) -> tuple[int, int]:
    """(newlines, quote characters) before byte ``offset``."""
    i = min(offset // index.block, len(index.newlines) - 1)
    start = i * index.block
    f.seek(start)
    head = f.read(offset - start)
    return index.newlines[i] + head.count(b"\n"), index.quotes[i] + head.count(b'"')


def boundary(f, index: LineIndex, offset: int, size: int) -> Optional[tuple[int, int]]:
    """(offset, lines before it) of the first line start at or after ``offset`` with an even number of quote
    characters before it; None when there is none within :data:`SEARCH` bytes."""
    if offset >= size:
        return None
    lines, quotes = _quotes_before(f, index, offset)
    f.seek(offset)
    data = f.read(SEARCH)
    at = 0
    if offset and _previous_byte(f, offset) != b"\n":
        at = data.find(b"\n") + 1
        if at == 0:
            return None
        lines, quotes = lines + 1, quotes + data[:at].count(b'"')
    while quotes % 2:
        nxt = data.find(b"\n", at) + 1
        if nxt == 0:
            return None
        lines, quotes, at = lines + 1, quotes + data[at:nxt].count(b'"'), nxt
    return (offset + at, lines) if offset + at < size else None


def _previous_byte(f, offset: int) -> bytes:
    f.seek(offset - 1)
    return f.read(1)


def splittable(index: Optional[LineIndex], unit: int, cr_only: bool, header_quotes: int) -> bool:
    """Whether every newline of the data ends a record (see the module's docstring)."""
    return (index is not None and unit == 1 and not cr_only and not index.bare_cr
            and index.total_quotes == header_quotes)


def split(path: Path, index: LineIndex, start: int, line: int, size: int, every: Optional[int] = None) -> List[ByteRange]:
    """The data from ``start`` cut into ranges of about ``every`` bytes at newlines (a splittable file only;
    default :data:`RANGE_BYTES`, read at the call: tests set it smaller)."""
    every = every or RANGE_BYTES
    cuts = [(start, line)]
    with Path(path).open("rb") as f:
        at = start + every
        while at < size:
            found = boundary(f, index, at, size)
            if found is None:
                break
            cuts.append(found)
            at = found[0] + every
    ends = [c[0] for c in cuts[1:]] + [size]
    return [ByteRange(s, e, n) for (s, n), e in zip(cuts, ends) if e > s]


def windows(path: Path, index: LineIndex, start: int, size: int, count: int, width: int) -> List[ByteRange]:
    """``count`` windows of about ``width`` bytes, evenly spaced over the data, each from a line start (quotes
    balanced) to the end of a line; fewer when they would overlap."""
    out: List[ByteRange] = []
    span = size - start
    with Path(path).open("rb") as f:
        for k in range(count):
            at = start + span * k // count
            if out and at < out[-1].end:
                continue
            found = (start, 0) if k == 0 else boundary(f, index, at, size)
            if found is None:
                continue
            begin, lines = found
            if k == 0:
                lines = _quotes_before(f, index, start)[0]
            f.seek(min(size, begin + width))
            tail = f.readline(SEARCH)
            end = min(size, begin + width + len(tail))
            if end > begin:
                out.append(ByteRange(begin, end, lines))
    return out
