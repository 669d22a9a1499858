"""Errors the user sees: each names the file (and line, row or column), never a value."""

from __future__ import annotations

from pathlib import Path
from typing import Optional


def shown_path(path: Path | str) -> str:
    """A path as messages show it: the file name only when the value sweep finds it clean (else a hash)."""
    from .masking.sweep import shown_name

    path = Path(path)
    shown = shown_name(path.name)
    return str(path) if shown == path.name else str(path.parent / shown)


class InputError(Exception):
    """A file that cannot be read as asked. The message is safe to print and log."""

    def __init__(self, path: Path | str, reason: str, line: Optional[int] = None, column: Optional[str] = None) -> None:
        self.path, self.reason, self.line, self.column = str(path), reason, line, column
        super().__init__(f"{shown_path(path)}{', ' if line is not None or column is not None else ': '}{self.detail}")

    @property
    def detail(self) -> str:
        """The message without the file name: ``line 3: not valid JSON``."""
        where = [f"line {self.line}"] if self.line is not None else []
        if self.column is not None:
            from .masking.sweep import name_is_clean

            where.append(f"column '{self.column}'" if name_is_clean(self.column) else "a column whose name holds personal data")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class RunAgain(Exception):
    """The run failed, but not for the input: nothing was published, the input stays where it is (a batch run
    leaves it in the landing folder) and the next run publishes it.  The message is safe to print."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        super().__init__(f"{shown_path(path)}: {reason}; nothing was published; run again")


class WorkerDied(RunAgain):
    """A worker process of the run died (killed, out of memory)."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "a worker process died during the run (killed, or out of memory: give fewer "
                               "--workers if memory is short)")


class FileChanged(RunAgain):
    """The input changed between its hash and the end of its reading (still being copied, rewritten)."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "the file changed while it was read (still being written or copied?)")
