"""Benchmark: `pii-pipeline locate` of 1,000 BSNs over 10 million published rows in three datasets.

Builds an output folder as the batch job publishes it (parts per period, a manifest per file
naming the pseudonym columns, the key id and domain): claims 8M rows, invoices 1.5M, ID-scan
metadata 0.5M, 1M distinct persons, pseudonyms made with the real Pseudonymizer.  Then, each in a
fresh process:

* floor: pyarrow reading only the pseudonym columns of every part (what locate must at least do);
* locate: the whole `pii-pipeline locate OUT --bsn-file F --json` command, 1,000 BSNs (990 present);
* with ``--erase``: `pii-pipeline erase` of the same persons (rewrites every part holding them).

Prints figures; asserts nothing.  Target (issue 15): locate under a minute.

    python benchmarks/bench_locate.py [--rows 10000000] [--people 1000] [--erase]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_mask import KEY, PEAK_CODE, elfproef_numbers, run  # noqa: E402

PART_ROWS = 400_000
SHARES = {"claims": (0.80, "bsn"), "invoices": (0.15, "patient.bsn"), "id_scans_metadata": (0.05, "bsn")}


def build(out: Path, rows: int, persons: int, rng: np.random.Generator) -> np.ndarray:
    from pii_pipeline.masking.pseudonyms import Pseudonymizer, key_id

    bsn = elfproef_numbers(rng, persons)
    pz = Pseudonymizer(KEY.encode(), "statistics")
    pseudonyms = pa.array([pz.pseudonym("NL_BSN", b) for b in bsn], type=pa.string())
    for dataset, (share, column) in SHARES.items():
        n = int(rows * share)
        parts = []
        for i, start in enumerate(range(0, n, PART_ROWS)):
            size = min(PART_ROWS, n - start)
            who = rng.integers(0, persons, size=size)
            table = pa.table({"declaratienummer": pa.array(np.arange(start, start + size).astype(str)),
                              column: pseudonyms.take(pa.array(who)),
                              "prestatiecode": pa.array(rng.choice(["A10", "C11", "V21", "X10"], size=size)),
                              "bedrag": pa.array(rng.integers(100, 99_999, size=size) / 100)})
            rel = f"period=20{10 + i // 12:02d}-{i % 12 + 1:02d}/part-{i:016x}.parquet"
            (out / dataset / rel).parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, out / dataset / rel, compression="zstd", row_group_size=128 * 1024)
            parts.append(rel)
        manifest = {"manifest_version": 1, "dataset": dataset, "key_id": key_id(KEY.encode()),
                    "policy": {"name": "statistics", "pseudonym_domain": "statistics"},
                    "rows": {"in": n, "out": n, "quarantined": 0}, "parts": parts,
                    "tables": [{"table": dataset, "columns": [
                        {"name": name, "detected": "NL_BSN" if name == column else None, "role": "safe",
                         "operator": "pseudonymize" if name == column else "keep",
                         "rule": "entities.NL_BSN" if name == column else "default", "output_type": str(field.type)}
                        for name, field in zip(table.column_names, table.schema)]}]}
        (out / dataset / "_manifests").mkdir(parents=True, exist_ok=True)
        (out / dataset / "_manifests" / "0000000000000000.json").write_text(json.dumps(manifest))
    return bsn


FLOOR = """
import sys, time, glob
import pyarrow.parquet as pq
t = time.perf_counter()
n = 0
for path in sorted(glob.glob(sys.argv[1] + '/*/period=*/*.parquet')):
    names = [c for c in ('bsn', 'patient.bsn') if c in pq.read_schema(path).names]
    n += pq.read_table(path, columns=names).num_rows
print(time.perf_counter() - t, PEAK(), n)
"""


def cli(*args: str) -> tuple[float, str]:
    env = {**os.environ, "PII_PIPELINE_KEY": KEY}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pii_pipeline.cli", *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return time.perf_counter() - t, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--erase", action="store_true", help="Also time erasing the same persons.")
    args = parser.parse_args()
    rng = np.random.default_rng(15)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        t = time.perf_counter()
        bsn = build(out, args.rows, 1_000_000, rng)
        print(f"{os.cpu_count()} CPUs; built {args.rows:,} rows in 3 datasets in {time.perf_counter() - t:.1f} s")
        absent = set(elfproef_numbers(np.random.default_rng(99), args.people)) - set(bsn)
        wanted = list(rng.choice(bsn, size=args.people - 10, replace=False)) + sorted(absent)[:10]
        people = Path(tmp) / "people.txt"
        people.write_text("\n".join(wanted) + "\n")
        seconds, peak, rows = run(FLOOR, str(out))
        print(f"floor (pyarrow reads the pseudonym columns of {int(rows):,} rows): {float(seconds):.2f} s, peak {float(peak):.0f} MB")
        seconds, stdout = cli("locate", str(out), "--bsn-file", str(people), "--json")
        summary = json.loads(stdout)
        found = sum(s["rows"] for s in summary["subjects"])
        print(f"locate {len(wanted):,} BSNs (whole command): {seconds:.2f} s, {found:,} rows found "
              f"({sum(1 for s in summary['subjects'] if s['rows']):,} persons present)")
        if args.erase:
            seconds, stdout = cli("erase", str(out), "--bsn-file", str(people), "--request-id", "BENCH-1", "--json")
            removed = sum(d["rows"] for d in json.loads(stdout)["datasets"].values())
            print(f"erase {len(wanted):,} persons (whole command): {seconds:.2f} s, {removed:,} rows removed")


if __name__ == "__main__":
    main()
