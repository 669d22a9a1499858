"""pyCANON, the independent k-anonymity / l-diversity checker of the disclosure tests (vendored: see _vendor/README.md)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "_vendor"))
from pycanon import anonymity, metrics  # noqa: E402

__all__ = ["anonymity", "metrics"]
