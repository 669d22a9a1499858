"""Discovery: what personal data each column or JSON field of a file holds, and why we think so."""

from .classifier import ColumnReport, FileReport, scan_file

__all__ = ["ColumnReport", "FileReport", "scan_file"]
