"""Documents for ``detect``: a ``.txt`` file is one document, a ``.jsonl`` file one per line.

Bad input gives an :class:`~pii_pipeline.errors.InputError` naming the file and
line, never a traceback and never the content: binary files, invalid UTF-8,
a JSONL line that is not JSON or has no text field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Union

from ..errors import InputError

BINARY_SNIFF = 8192


@dataclass(frozen=True)
class Document:
    id: Union[str, int]
    text: str
    line: int


def check_not_binary(path: Path, head: bytes) -> None:
    """Text readers refuse files with NUL bytes in their first block."""
    if b"\x00" in head:
        raise InputError(path, "looks like a binary file (NUL bytes), not text")


def _decode(path: Path, data: bytes, encoding: str, line_offset: int = 0) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1 + line_offset
        raise InputError(path, f"not valid {encoding} at byte {exc.start}; pass --encoding (e.g. cp1252)", line=line) from None


def read_text(path: Path, encoding: str = "utf-8-sig") -> str:
    if not path.is_file():
        raise InputError(path, "no such file")
    data = path.read_bytes()
    check_not_binary(path, data[:BINARY_SNIFF])
    return _decode(path, data, encoding)


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
    with path.open("rb") as f:
        check_not_binary(path, f.read(BINARY_SNIFF))
        f.seek(0)
        for number, raw in enumerate(f, start=1):
            try:
                line = _decode(path, raw, encoding if number == 1 else encoding.replace("-sig", ""), number - 1)
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    raise InputError(path, "not valid JSON", line=number) from None
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
