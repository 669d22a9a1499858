"""Benchmark: masking 300 dpi ID-card scans (OCR + recognizers + face detection), one core.

Generates synthetic cards like the tests' (tests/test_idscan.py::make_card) and times mask_scan.
Prints figures; asserts nothing.

    python benchmarks/bench_idscan.py [--images 10]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract on one core
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    spec = importlib.util.spec_from_file_location("cards", ROOT / "tests" / "test_idscan.py")
    cards = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cards)
    from pii_pipeline.detection import get_detector
    from pii_pipeline.idscan.images import mask_scan

    detector = get_detector()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        from PIL import Image

        for i in range(args.images):
            # An A4 page scanned at 300 dpi (2480 x 3508 px) with the card at its real size (85.6 mm = 1011 px).
            page = Image.new("RGB", (2480, 3508), (250, 250, 250))
            page.paste(cards.make_card(**cards.CARDS[i % len(cards.CARDS)], dpi=300 * 1011 / 1617), (300, 400))
            path = Path(tmp) / f"scan_{i}.jpg"
            page.save(path, quality=90, dpi=(300, 300))
            paths.append(path)
        start = time.perf_counter()
        for path in paths:
            mask_scan(path, path.with_name(path.stem + "_masked.jpg"), detector)
        elapsed = time.perf_counter() - start
    peak = int([l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]) / 1024
    print(f"{args.images} A4 scans at 300 dpi (2480 x 3508 px), each with one ID card")
    print(f"{elapsed / args.images:.2f} s per image, {args.images / elapsed:.2f} images/s on one core, peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
