"""Benchmark: what the value sweep costs, beside the masking it guards (issue 11 target: <= 20 %).

Masks the 1-million-row claims file of ``bench_mask.py`` (with its free-text column) twice in
fresh processes: with the value sweep over every output cell (the default) and with it switched
off (``residual_scan.enabled: false``).  The sweep's cost is the difference, as a share of the
time without it.  Prints figures; asserts nothing.  Run it on an idle machine for stable figures.

    python benchmarks/bench_sweep.py [--rows 1000000] [--workers 1]
    python benchmarks/bench_sweep.py --notes 1500      # the free-text target instead

``--notes N``: a file of N notes (``tests/notes_corpus.py``, half of them about a person) masked with
the default policy: cells withheld (target <= 1 %), notes without personal data left unchanged
(target >= 0.99), personal values left in the output (target 0).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_mask import KEY, make_claims, run  # noqa: E402

MASK = """
import sys, time
from pii_pipeline.detection import get_detector
from pii_pipeline.masking.policy import parse_policy, shipped_policy_text
from pii_pipeline.masking.engine import mask_file
text = shipped_policy_text()
if sys.argv[5] == "off":
    text = text.replace("residual_scan:\\n  enabled: true", "residual_scan:\\n  enabled: false")
policy = parse_policy(text)
assert policy.residual_scan.enabled == (sys.argv[5] == "on")
d = get_detector()
t = time.perf_counter()
m = mask_file(sys.argv[1], sys.argv[2], policy, sys.argv[3].encode(), detector=d, workers=int(sys.argv[4]))
held = sum(w["cells"] for w in m["privacy_gates"]["value_sweep"]["withheld"])
print(time.perf_counter() - t, PEAK(), m["rows"]["out"], held)
"""

# The sweep alone, timed in-process over the published output (every string cell, as the gate does):
# a direct figure, less sensitive to load than the difference of two whole runs.
SWEEP_ALONE = """
import sys, time, numpy as np, pyarrow.parquet as pq
from pii_pipeline.masking.engine import _withhold
from pii_pipeline.masking.sweep import OutputSweep
sweep = OutputSweep(skip={"bsn", "verzekerdennummer", "agb_zorgverlener", "geb_datum", "postcode"})
t, first = 0.0, 1
for batch in pq.ParquetFile(sys.argv[1]).iter_batches(batch_size=50_000):
    start = time.perf_counter()
    _withhold(batch, np.arange(first, first + batch.num_rows), sweep)
    t += time.perf_counter() - start
    first += batch.num_rows
print(t, PEAK())
"""


def notes(n: int) -> None:
    import json
    import time

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from notes_corpus import make_notes

    from pii_pipeline.detection import get_detector
    from pii_pipeline.masking import default_policy
    from pii_pipeline.masking.engine import mask_file

    texts, personal, values = make_notes(n)
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "notes.jsonl", Path(tmp) / "out.jsonl"
        source.write_text("".join(json.dumps({"id": i, "notitie": t}) + "\n" for i, t in enumerate(texts)))
        detector = get_detector()
        start = time.perf_counter()
        mask_file(source, target, default_policy(), KEY.encode(), detector=detector)
        elapsed = time.perf_counter() - start
        out = [json.loads(line)["notitie"] for line in target.read_text().splitlines()]
    held = sum(o == "<WITHHELD>" for o in out)
    clean = [(o, t) for o, t, p in zip(out, texts, personal) if not p]
    left = [v for v in values if any(v in o for o in out)]
    print(f"{n:,} notes ({sum(personal):,} about a person) masked in {elapsed:.1f} s: {held} withheld ({held / n:.2%}), "
          f"notes without personal data unchanged {sum(o == t for o, t in clean) / len(clean):.3f}, "
          f"personal values left {len(left)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--notes", type=int, default=0)
    args = parser.parse_args()
    if args.notes:
        return notes(args.notes)
    print(f"{os.cpu_count()} CPUs; {args.rows:,} rows; {args.workers} worker(s)")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "claims_text.csv"
        make_claims(source, args.rows, free_text=True)
        figures = {}
        for mode in ("off", "on"):
            elapsed, rss, rows, held = run(MASK, str(source), str(Path(tmp) / f"masked_{mode}.parquet"), KEY,
                                           str(args.workers), mode)
            figures[mode] = float(elapsed)
            print(f"  sweep {mode:>3}: {float(elapsed):6.1f} s  peak {float(rss):,.0f} MiB  {int(rows):,} rows out  "
                  f"{int(held):,} cells withheld")
        cost = figures["on"] - figures["off"]
        print(f"  value sweep (difference of the runs): {cost:5.1f} s = {cost / figures['off']:.0%} of the masking time "
              "without it (target <= 20%)")
        alone, _ = run(SWEEP_ALONE, str(Path(tmp) / "masked_off.parquet"))
        print(f"  value sweep alone over the output:    {float(alone):5.1f} s = {float(alone) / figures['off']:.0%} "
              "of the masking time")


if __name__ == "__main__":
    main()
