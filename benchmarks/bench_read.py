"""Benchmark: the physical-record CSV reader against pandas' C parser, same file, same run.

The reader counts every physical line, decodes line by line and keeps malformed records apart
(io/delimited.py); pandas is the floor (it does none of that).  Prints figures; asserts nothing.
    python benchmarks/bench_read.py [--copies 1250]   # 1250 copies of the sample claims = 500,000 rows
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

import pandas as pd

from pii_pipeline.io.tables import FileCount, read_table

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=1250)
    args = parser.parse_args()
    header, _, body = (ROOT / "sample_data" / "claims_2026-10.csv").read_bytes().partition(b"\n")
    with tempfile.TemporaryDirectory() as tmp:
        quoted = Path(tmp) / "claims_quoted.csv"          # the sample has quoted free text: csv path
        quoted.write_bytes(header + b"\n" + body * args.copies)
        plain = Path(tmp) / "claims_plain.csv"            # no quote characters: split path
        unquoted = re.sub(rb'"([^"]*)"', lambda m: m.group(1).replace(b";", b","), body)
        plain.write_bytes(header + b"\n" + unquoted * args.copies)
        for path in (quoted, plain):
            count = FileCount()
            started = time.perf_counter()
            rows = sum(len(c.frame) for c in read_table(path, count=count))
            ours = time.perf_counter() - started
            started = time.perf_counter()
            floor = sum(len(c) for c in pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, chunksize=50_000,
                                                    encoding="cp1252"))
            theirs = time.perf_counter() - started
            size = path.stat().st_size / 2**20
            print(f"{path.name}: {size:,.0f} MiB, {rows:,} rows (pandas {floor:,}); reader {ours:.1f} s, "
                  f"pandas {theirs:.1f} s ({ours / theirs:.1f}x)")


if __name__ == "__main__":
    main()
