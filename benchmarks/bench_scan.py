"""Benchmark: discovery scan of a large claims CSV (target: 1 GB in < 60 s, peak memory < 1 GB, one core).

Generates the file (synthetic rows like sample_data/claims_2026-10.csv) in a temporary folder,
then times `scan_file` on it.  Prints figures; asserts nothing.
    python benchmarks/bench_scan.py [--mb 1024]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_csv(path: Path, megabytes: int) -> int:
    source = (ROOT / "sample_data" / "claims_2026-10.csv").read_text(encoding="cp1252").splitlines()
    header, rows = source[0], source[1:]
    block = ("\n".join(rows) + "\n").encode("cp1252")
    target = megabytes * 1024 * 1024
    written, count = 0, 0
    with path.open("wb") as f:
        f.write((header + "\n").encode("cp1252"))
        while written < target:
            f.write(block)
            written += len(block)
            count += len(rows)
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=1024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims_big.csv"
        rows = make_csv(path, args.mb)
        size = path.stat().st_size
        print(f"file: {size / 2**20:,.0f} MiB, {rows:,} rows")
        # A fresh process, so the peak RSS is the scan's own.
        code = ("import time,resource,sys; from pii_pipeline.discovery import scan_file; from pii_pipeline.detection import get_detector; "
                "d=get_detector(); t=time.perf_counter(); r=scan_file(sys.argv[1], d); e=time.perf_counter()-t; "
                "print(e, r[0].rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, "
                "sum(c.role!='safe' for c in r[0].columns))")
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        out = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env, check=True)
        elapsed, nrows, rss, pii = out.stdout.split()
        print(f"scan: {float(elapsed):.1f} s ({size / 2**20 / float(elapsed):,.0f} MiB/s), {int(nrows):,} rows, {pii} PII columns")
        print(f"peak RSS of the scanning process: {float(rss):,.0f} MiB (one core, pinned with taskset)")


if __name__ == "__main__":
    main()
