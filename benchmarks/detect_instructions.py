"""Instructions per note of detection, counted by valgrind: a figure that load does not move.

    python benchmarks/detect_instructions.py [--notes 300]

Runs itself under ``valgrind --tool=callgrind`` with instrumentation off while the engine is
built and 100 notes warm it, switches it on (``callgrind_control -i on``) for ``--notes`` notes
of bench_detect.py, and prints millions of instructions per note.  Compare two checkouts with
the same PYTHONHASHSEED (set here to 0).  Takes about a minute; needs valgrind.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(notes: int) -> None:
    sys.path.insert(0, str(HERE))
    from bench_detect import make_notes
    from pii_pipeline.detection import get_detector

    detector = get_detector()
    texts = make_notes(notes)
    for text in make_notes(100, seed=2):
        detector.detect(text)
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True, check=False)
    for text in texts:
        detector.detect(text)
    subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], capture_output=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=300)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        measure(args.notes)
        return
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"callgrind.detect.{os.getpid()}"
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
         sys.executable, __file__, "--inside", "--notes", str(args.notes)],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}, check=False)
    out.unlink(missing_ok=True)
    found = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode or not found:
        sys.exit("valgrind failed: " + run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "valgrind failed")
    print(f"{int(found.group(1)) / args.notes / 1e6:.2f} M instructions per note ({args.notes} notes after 100 to warm up)")


if __name__ == "__main__":
    main()
