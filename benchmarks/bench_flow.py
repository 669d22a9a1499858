"""Benchmark: the Prefect flow end to end against the same work done by the library without Prefect.

A landing folder of 1 million claim rows over several files (synthetic, like the sample claims,
with a free-text remark column) is anonymised twice, each time into a fresh output folder and in
a fresh process:

* library: ``pii_pipeline.batch.run_without_prefect`` (files one after another);
* flow: ``flows.anonymise.anonymise_landing`` against Prefect's temporary local server, started
  (and warmed up with an empty run) before the clock starts, as a permanent `prefect server`
  would be.  The server's cold start is printed separately.

Prints figures; asserts nothing.

    python benchmarks/bench_flow.py [--rows 1000000] [--files 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_mask import KEY, make_claims, run  # noqa: E402

LIBRARY = """
import sys, time
from pii_pipeline.batch import run_without_prefect
from pii_pipeline.detection import get_detector
from pii_pipeline.masking import default_policy
get_detector()
t = time.perf_counter()
results = run_without_prefect(sys.argv[1], sys.argv[2], default_policy(), sys.argv[3].encode())
print(time.perf_counter() - t, PEAK(), sum(r.rows_out for r in results))
"""

FLOW = """
import sys, time, tempfile
t0 = time.perf_counter()
from flows.anonymise import anonymise_landing
from pii_pipeline.detection import get_detector
get_detector()
empty = tempfile.mkdtemp()
anonymise_landing(empty, empty + "/out")          # starts and warms up the local server
cold = time.perf_counter() - t0
t = time.perf_counter()
state = anonymise_landing(sys.argv[1], sys.argv[2], return_state=True)
elapsed = time.perf_counter() - t
import pandas as pd
print(elapsed, PEAK(), len(pd.read_parquet(sys.argv[2] + "/claims")), cold)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        landing = Path(tmp) / "landing"
        landing.mkdir()
        per_file = args.rows // args.files
        for i in range(args.files):
            make_claims(landing / f"claims_2026-{i % 12 + 1:02d}_{i:03d}.csv", per_file, free_text=True, seed=100 + i)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update(PII_PIPELINE_KEY=KEY, PREFECT_HOME=str(Path(tmp) / "prefect"))
        print(f"{args.files} files, {per_file * args.files:,} rows, {sum(p.stat().st_size for p in landing.iterdir()) / 2**20:,.0f} MiB")
        lib, lib_rss, lib_rows = map(float, run(LIBRARY, str(landing), str(Path(tmp) / "out_lib"), KEY, env=env))
        flow, flow_rss, flow_rows, cold = map(float, run(FLOW, str(landing), str(Path(tmp) / "out_flow"), env=env))
        print(f"library, no Prefect: {lib:6.1f} s  {lib_rows / lib:>8,.0f} rows/s  peak {lib_rss:,.0f} MiB")
        print(f"Prefect flow:        {flow:6.1f} s  {flow_rows / flow:>8,.0f} rows/s  peak {flow_rss:,.0f} MiB")
        print(f"orchestration overhead: {100 * (flow - lib) / lib:+.1f}% "
              f"(server cold start and warm-up, not included: {cold:.1f} s)")


if __name__ == "__main__":
    main()
