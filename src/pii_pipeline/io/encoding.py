"""Text encodings and physical lines of a file, decided on the whole file and read line by line.

:func:`detect_file_encoding` decides once per file:

* a byte-order mark wins: UTF-8 (``utf-8-sig``), UTF-16 LE/BE (what Excel's
  "Unicode text" export writes);
* NUL bytes on every other position of the first block (no BOM): UTF-16 LE/BE;
  other NUL bytes: a binary file (:class:`~pii_pipeline.errors.InputError`);
* otherwise every block of the file is checked, not a sample of its head: a file
  whose non-ASCII bytes are (mostly) valid UTF-8 sequences is UTF-8 (the few
  bytes that are not are corrupt records, quarantined by line); a file with
  non-ASCII bytes that are not UTF-8 is cp1252 (latin-1 when it holds one of the
  five bytes cp1252 leaves undefined).  A cp1252 file whose first megabytes are
  ASCII is therefore cp1252, not "invalid UTF-8 at byte 11".

:func:`physical_lines` yields every physical line with its byte offset, in
bounded memory: a line longer than ``max_bytes`` is reported cut (and the rest
of it skipped), so a 50 MB line without a newline never sits in memory whole.
Lines are split on the encoded newline (``\\n\\x00`` at an even offset for
UTF-16 LE), so every line decodes on its own and a bad byte costs one record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Iterator, Optional

from ..errors import InputError

BLOCK = 1 << 20
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# UTF-32 before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one (read as UTF-16, every
# value would carry NUL characters past the sweep).
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass(frozen=True)
class Encoding:
    """How a file's bytes become text: codec, BOM length, and the encoded newline."""

    name: str          # codec for one line (BOM already skipped): utf-8, cp1252, latin-1, utf-16-le, utf-16-be
    bom: int = 0       # bytes to skip at the start
    label: str = ""    # as reported: utf-8-sig, utf-16-le (BOM), ...

    @property
    def unit(self) -> int:
        return 4 if self.name.startswith("utf-32") else 2 if self.name.startswith("utf-16") else 1

    def newline(self, cr_only: bool = False) -> bytes:
        nl = "\r" if cr_only else "\n"
        return nl.encode(self.name)

    def __str__(self) -> str:
        return self.label or self.name


def _utf16_without_bom(head: bytes) -> Optional[str]:
    """UTF-16 text without a BOM: NUL bytes on (nearly) all odd or all even positions of ASCII-heavy text."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, chars, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) > 0.4 * len(zeros) and chars.count(0) < 0.05 * len(chars):
            # ... and the other half reads as text (tabs, newlines, printable), not as binary values.
            texty = sum(1 for b in chars if b in (9, 10, 13) or b >= 32)
            return codec if texty >= 0.95 * len(chars) else None
    return None


def sniff_head(path: Path, head: bytes) -> Encoding:
    """The encoding the first block alone shows: a BOM, UTF-16 without BOM, or ``None`` (decide on the whole file).

    Raises :class:`InputError` for a binary file (NUL bytes that are not UTF-16).

    >>> sniff_head(Path("x.txt"), "naam\\n".encode("utf-16")).name
    'utf-16-le'
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            codec = "utf-8" if name == "utf-8-sig" else name
            return Encoding(codec, len(bom), name)
    if b"\x00" in head:
        codec = _utf16_without_bom(head)
        if codec is None:
            raise InputError(path, "looks like a binary file (NUL bytes), not text")
        return Encoding(codec, 0, codec + " (no BOM)")
    return Encoding("", 0)


def _blocks_at_line_ends(f: BinaryIO) -> Iterator[bytes]:
    """The file in blocks of about 1 MB that end at a newline, so no character is cut in two."""
    while True:
        block = f.read(BLOCK)
        if not block:
            return
        if not block.endswith(b"\n"):
            block += f.readline(BLOCK)  # bounded: a line without newline is cut at 1 MB more
        yield block


def detect_file_encoding(path: Path | str) -> Encoding:
    """Decide the encoding of a text file on all its bytes (cached per path, size and modification time).

    >>> import tempfile, os
    >>> p = Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_bytes(b"naam;plaats\\n" * 30000 + "Jos\\u00e9;Zwolle\\n".encode("cp1252"))
    >>> str(detect_file_encoding(p))
    'cp1252'
    """
    path = Path(path)
    stat = path.stat()
    return _detect(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _detect(path_text: str, size: int, mtime: int) -> Encoding:
    path = Path(path_text)
    with path.open("rb") as f:
        head = f.read(64 * 1024)
        found = sniff_head(path, head)
        if found.name:
            return found
        f.seek(0)
        valid = invalid = 0
        undefined = False
        for block in _blocks_at_line_ends(f):
            if block.isascii():
                continue
            undefined = undefined or _CP1252_UNDEFINED.search(block) is not None
            high = len(block) - len(block.translate(None, _HIGH_BYTES))
            # Bytes in valid UTF-8 sequences survive a decode that ignores the rest (all in C).
            in_sequences = len(block.decode("utf-8", "ignore").encode("utf-8")) - (len(block) - high)
            valid += in_sequences
            invalid += high - in_sequences
            if (invalid > 100_000 and valid * 20 < invalid) or (valid > 100_000 and invalid * 20 < valid):
                break  # the evidence is overwhelming either way; the rest of a huge file would not change it
    if invalid == 0 or valid >= 2 * invalid:
        return Encoding("utf-8")  # the bytes that are not UTF-8 are corrupt records
    return Encoding("latin-1" if undefined else "cp1252")


def detect_encoding(path: Path, head: bytes) -> str:
    """The codec name for a block of bytes alone (kept for callers that hold only the head of a file).

    >>> detect_encoding(Path("x.csv"), "naam;plaats\\nJosé;Zwolle".encode("cp1252"))
    'cp1252'
    """
    found = sniff_head(path, head)
    if found.name:
        return found.label if found.label in ("utf-8-sig",) else found.name
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:
            return "utf-8"  # the sample cut a multi-byte character in two
    return "latin-1" if _CP1252_UNDEFINED.search(head) else "cp1252"


def decode_file_text(path: Path, data: bytes, encoding: Optional[Encoding] = None) -> str:
    """A whole small file as text, for the one-document readers (``.txt``, ``.json``).

    A byte that does not decode is an :class:`InputError` naming its line and true byte offset.
    """
    encoding = encoding or detect_file_encoding(path)
    body = data[encoding.bom:]
    try:
        return body.decode(encoding.name)
    except UnicodeDecodeError as exc:
        line = body.count(encoding.newline(), 0, exc.start) + 1
        raise InputError(path, f"not valid {encoding} at byte {exc.start + encoding.bom}", line=line) from None


@dataclass
class Line:
    number: int            # 1-based physical line number
    offset: int            # byte offset of the line's first byte in the file
    data: Optional[bytes]  # the line with its newline; None when longer than the limit (cut)


def physical_lines(f: BinaryIO, encoding: Encoding, max_bytes: int, cr_only: bool = False) -> Iterator[Line]:
    """Every physical line of the file after the BOM; a line longer than ``max_bytes`` comes as ``data=None``."""
    nl, unit = encoding.newline(cr_only), encoding.unit
    f.seek(encoding.bom)
    offset, number = encoding.bom, 0
    buf, search, skipping = b"", 0, False
    while True:
        pos = 0
        while True:
            i = buf.find(nl, search)
            while i >= 0 and i % unit:
                i = buf.find(nl, i + 1)  # UTF-16/32: a newline starts on a character boundary
            if i < 0:
                break
            end = i + len(nl)
            if skipping:
                skipping = False  # the rest of a cut line ends here; it was counted already
            else:
                number += 1
                yield Line(number, offset + pos, buf[pos:end])
            pos = search = end
        buf = buf[pos:]
        offset += pos
        search = max(0, len(buf) - len(nl) + 1)
        search -= search % unit
        if len(buf) > max_bytes:
            if not skipping:
                number += 1
                yield Line(number, offset, None)
                skipping = True
            offset += len(buf) - len(buf) % unit
            buf, search = buf[len(buf) - len(buf) % unit:], 0
        block = f.read(BLOCK)
        if not block:
            if buf and not skipping:
                yield Line(number + 1, offset, buf)
            return
        buf += block


def is_cr_only(head: bytes) -> bool:
    """Old Mac files end lines with a bare carriage return."""
    return b"\n" not in head and b"\r" in head
