"""CPU seconds per column and step of the transform (issue 14): ``ChunkMasker.masked`` over a CSV's chunks in one
process, the parse timed apart; optionally a digest of every result, to show two checkouts give the same.

    python benchmarks/transform_columns.py FILE.csv [--digest]          # PII_PIPELINE_KEY must be set
    PYTHONPATH=OTHER/src:OTHER python benchmarks/transform_columns.py FILE.csv --digest   # another checkout

Prints figures; asserts nothing.  CPU time (``time.process_time``) is the steadier figure on a loaded machine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

from pii_pipeline.io.source import open_source
from pii_pipeline.io.tables import read_table
from pii_pipeline.keys import load_key
from pii_pipeline.masking import default_policy, engine
from pii_pipeline.masking.pseudonyms import Pseudonymizer


def main() -> None:
    path, digest = sys.argv[1], "--digest" in sys.argv
    key = load_key()
    run = engine._Run(open_source(path).with_layout(), Path(path).with_suffix(".unused.parquet"), default_policy(),
                      Pseudonymizer(key, "statistics"), dt.date(2026, 12, 1), key, None, 50_000, 1, None, None, None, None)
    engine._plan_stage(run)
    masker = engine.ChunkMasker(next(iter(run.plans_per_table.values())), run.pseudonymizer, run.reference)
    cpu = time.process_time()
    chunks = list(read_table(run.source.path, 50_000, bad_rows="skip"))
    parse = time.process_time() - cpu
    spent: Counter = Counter()
    apply, arrow = engine.ChunkMasker._apply, engine._arrow_column

    def timed_apply(self, plan, values, counts):
        start = time.process_time()
        try:
            return apply(self, plan, values, counts)
        finally:
            spent[f"{plan.name} {plan.rule.operator}"] += time.process_time() - start

    def timed_arrow(plan, values):
        start = time.process_time()
        try:
            return arrow(plan, values)
        finally:
            spent[f"{plan.name} cast to {plan.ctype.describe()}"] += time.process_time() - start

    engine.ChunkMasker._apply, engine._arrow_column = timed_apply, timed_arrow
    cpu = time.process_time()
    results = [masker.masked(chunk.frame) for chunk in chunks]
    print(f"parse {parse:.2f} s CPU; transform and casts {time.process_time() - cpu:.2f} s CPU")
    for name, seconds in spent.most_common():
        print(f"  {seconds:6.3f}  {name}")
    if digest:
        h = hashlib.sha256()
        for casted, bad, _, _ in results:
            for name in sorted(casted):
                array, failed = casted[name]
                h.update(name.encode() + pickle.dumps(array.to_pylist()) + failed.tobytes())
            for name in sorted(bad):
                h.update(name.encode() + bad[name].tobytes())
        print("digest of every result:", h.hexdigest())


if __name__ == "__main__":
    main()
