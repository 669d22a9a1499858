"""Documents for ``detect``: a ``.txt`` file is one document, a ``.jsonl`` file one per line.

The encoding is decided on the whole file (``io/encoding.py``: UTF-8, UTF-8 or
UTF-16 with BOM — Excel's "Unicode text" — cp1252, latin-1) unless one is
given explicitly.  Bad input gives an :class:`~pii_pipeline.errors.InputError`
naming the file and line, never a traceback and never the content: binary
files, bytes that do not decode (with their true byte offset), a JSONL line
that is not JSON or has no text field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Union

from ..errors import InputError
from .encoding import Encoding, decode_file_text, detect_file_encoding, physical_lines, sniff_head

BINARY_SNIFF = 8192
AUTO = ("auto", "utf-8-sig")  # the default: UTF-8 with or without BOM, or whatever the whole file shows


@dataclass(frozen=True)
class Document:
    id: Union[str, int]
    text: str
    line: int


class _KeyTwice(ValueError):
    """A JSON object with a key twice: ``json`` keeps the last value, so the text of the first is never seen."""


def _object(pairs: list) -> dict:
    made = dict(pairs)
    if len(made) != len(pairs):
        raise _KeyTwice()
    return made


def check_not_binary(path: Path, head: bytes) -> None:
    """Text readers refuse files with NUL bytes in their first block, unless they are UTF-16 text."""
    sniff_head(path, head)


def _encoding(path: Path, encoding: str) -> Encoding:
    with path.open("rb") as f:
        head = f.read(BINARY_SNIFF)
    found = sniff_head(path, head)   # a binary file is refused whatever encoding was asked for
    if encoding in AUTO:
        return detect_file_encoding(path)
    return found if found.name.startswith("utf-16") and encoding.startswith("utf-16") else Encoding(encoding)


def read_text(path: Path, encoding: str = "utf-8-sig") -> str:
    if not path.is_file():
        raise InputError(path, "no such file")
    return decode_file_text(path, path.read_bytes(), _encoding(path, encoding))


def iter_documents(
    path: Path,
    text_field: str = "text",
    id_field: str = "id",
    encoding: str = "utf-8-sig",
    errors: Optional[list] = None,
) -> Iterator[Document]:
    """Yield documents; bad JSONL lines are appended to ``errors`` (or raised when None)."""
    path = Path(path)
    if path.suffix.lower() != ".jsonl":
        text = read_text(path, encoding)
        if text.strip():
            yield Document(path.name, text, 1)
        return
    if not path.is_file():
        raise InputError(path, "no such file")
    codec = _encoding(path, encoding)
    with path.open("rb") as f:
        for physical in physical_lines(f, codec, 64 * 1024 * 1024):
            number = physical.number
            try:
                if physical.data is None:
                    raise InputError(path, "line longer than 64 MB", line=number)
                try:
                    line = physical.data.decode(codec.name)
                except UnicodeDecodeError as exc:
                    raise InputError(path, f"not valid {codec} at byte {physical.offset + exc.start}; pass --encoding "
                                           "(e.g. cp1252)", line=number) from None
                if not line.strip():
                    continue
                try:
                    record = json.loads(line, object_pairs_hook=_object)
                except json.JSONDecodeError:
                    raise InputError(path, "not valid JSON", line=number) from None
                except RecursionError:
                    raise InputError(path, "nested too deeply", line=number) from None
                except _KeyTwice:   # the key is not named: keys are data
                    raise InputError(path, "an object holds a key twice (its first value would never be read)",
                                     line=number) from None
                if not isinstance(record, dict):
                    raise InputError(path, "not a JSON object", line=number)
                text = record.get(text_field)
                if not isinstance(text, str):
                    raise InputError(path, f"no string field '{text_field}' (use --text-field)", line=number)
                yield Document(record.get(id_field, number), text, number)
            except InputError as exc:
                if errors is None:
                    raise
                errors.append(exc)
