"""One input, opened once: a :class:`Source` says what the file is before any stage reads a row.

Opening checks that the path is a regular file (a FIFO or device is never
opened), streams the file once to take its size and SHA-256 (the manifest's
identity of the input; no stage hashes it again), and reads the format (by
content for Vektis EI, else by extension), the encoding and the layout
(delimiter, column names) from the head.  The stages (``masking/engine.py``:
plan -> transform -> gate -> publish) take the Source instead of finding these
out again.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from ..errors import InputError

if TYPE_CHECKING:
    from .ranges import LineIndex

HASH_BLOCK = 1 << 20


@dataclass(frozen=True)
class Source:
    path: Path
    size: int
    sha256: str
    format: str                      # csv, xlsx, json, jsonl, parquet, ei; "text" for .txt; "" when unsupported
    encoding: Optional[str] = None   # delimited text: as io/encoding.py decided on the whole file
    delimiter: Optional[str] = None
    columns: tuple = ()              # header names (every sheet of a workbook); () until asked for a table
    index: Optional["LineIndex"] = None   # delimited text: newlines and quotes per block (io/ranges.py)
    stamp: tuple = ()                # (size, mtime in ns, inode) before it was hashed: :meth:`check_unchanged`

    @property
    def shown(self) -> str:
        """The file name as manifests and messages may show it (``file-<hash>`` when it holds personal data)."""
        from ..masking.sweep import shown_name

        return shown_name(self.path.name, self.sha256)

    def check_unchanged(self) -> None:
        """:class:`~..errors.FileChanged` when the file is not the one hashed (still being copied, rewritten):
        what was read may not be what the manifest's hash names."""
        from ..errors import FileChanged

        try:
            now = _stamp(self.path)
        except OSError:
            now = ()
        if self.stamp and (now != self.stamp or now[0] != self.size):
            raise FileChanged(self.path)

    def with_layout(self) -> "Source":
        """The Source with its encoding, delimiter and column names, read from the head (a table's header
        once; an unsupported format or unreadable header is an :class:`InputError`)."""
        from dataclasses import replace

        from .tables import csv_layout, read_columns, table_format

        fmt = self.format or table_format(self.path)  # raises with the supported extensions
        if fmt == "csv":
            encoding, delimiter, columns = csv_layout(self.path)
            return replace(self, encoding=encoding, delimiter=delimiter, columns=tuple(columns))
        return replace(self, format=fmt, columns=tuple(read_columns(self.path)))


def check_regular_file(path: Path) -> None:
    """A FIFO, socket or device is never opened (reading one can hang); a missing file is a clear error."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({type(exc).__name__})") from None
    if stat.S_ISDIR(mode):
        raise InputError(path, "is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise InputError(path, "not a regular file (FIFO, socket or device); nothing was read")


def _digest(path: Path, index: bool = False) -> tuple[int, str, Optional["LineIndex"]]:
    """Size and SHA-256 in one pass; for delimited text also the :class:`~.ranges.LineIndex` (newlines, quotes
    and bare CRs counted per block while the bytes are in hand: ``bytes.count`` runs at memory speed)."""
    from .ranges import IndexBuilder

    digest, size = hashlib.sha256(), 0
    builder = IndexBuilder() if index else None
    with path.open("rb") as f:
        for block in iter(lambda: f.read(HASH_BLOCK), b""):
            digest.update(block)
            size += len(block)
            if builder is not None:
                builder.add(block)
    return size, digest.hexdigest(), builder.build() if builder is not None else None


def open_source(path: Path | str) -> Source:
    """The :class:`Source` of ``path``: regular file, size, SHA-256 and format (its layout: :meth:`with_layout`)."""
    from .tables import FORMATS

    path = Path(path)
    check_regular_file(path)
    suffix = path.suffix.lower()
    stamp = _stamp(path)
    size, sha, index = _digest(path, index=FORMATS.get(suffix) == "csv")
    if size and _is_ei(path):  # Vektis EI files are recognised by content, whatever their extension
        return Source(path, size, sha, "ei", stamp=stamp)
    return Source(path, size, sha, "text" if suffix == ".txt" and suffix not in FORMATS else FORMATS.get(suffix, ""),
                  index=index, stamp=stamp)


def _stamp(path: Path) -> tuple:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ino


def _is_ei(path: Path) -> bool:
    from .ei import is_ei_file

    return is_ei_file(path)
