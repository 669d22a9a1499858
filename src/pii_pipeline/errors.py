"""Errors the user sees: each names the file (and line, row or column), never a value."""

from __future__ import annotations

from pathlib import Path
from typing import Optional


class InputError(Exception):
    """A file that cannot be read as asked. The message is safe to print and log."""

    def __init__(self, path: Path | str, reason: str, line: Optional[int] = None, column: Optional[str] = None) -> None:
        self.path, self.reason, self.line, self.column = str(path), reason, line, column
        super().__init__(f"{self.path}{', ' if line is not None or column is not None else ': '}{self.detail}")

    @property
    def detail(self) -> str:
        """The message without the file name: ``line 3: not valid JSON``."""
        where = [f"line {self.line}"] if self.line is not None else []
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason
