"""Errors the user sees: each names the file (and line, row or column), never a value."""

from __future__ import annotations

from pathlib import Path
from typing import Optional


class InputError(Exception):
    """A file that cannot be read as asked. The message is safe to print and log."""

    def __init__(self, path: Path | str, reason: str, line: Optional[int] = None, column: Optional[str] = None) -> None:
        self.path, self.reason, self.line, self.column = str(path), reason, line, column
        where = self.path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {reason}")
