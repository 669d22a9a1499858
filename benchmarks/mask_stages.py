"""CPU and wall seconds per stage of one ``mask`` (issue 14): timers around the engine's stage functions.

    python benchmarks/mask_stages.py FILE.csv OUT.parquet [WORKERS]      # PII_PIPELINE_KEY must be set
    python benchmarks/mask_stages.py --rows 1000000 FILE.csv OUT.parquet 2   # FILE made first, as bench_mask's
    PYTHONPATH=OTHER/src:OTHER python benchmarks/mask_stages.py ...      # the same against another checkout

Prints, per stage, wall seconds, CPU seconds of this process and CPU seconds of the worker processes
that ended within it (``RUSAGE_CHILDREN``); CPU is the steadier figure on a loaded machine.  Asserts nothing.
"""

from __future__ import annotations

import os
import resource
import sys
import time

_T0, _C0 = time.perf_counter(), time.process_time()

import pii_pipeline.discovery.classifier as classifier  # noqa: E402
import pii_pipeline.masking.engine as engine  # noqa: E402
from pii_pipeline.keys import load_key  # noqa: E402
from pii_pipeline.masking import default_policy  # noqa: E402


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(module, name: str) -> None:
    inner = getattr(module, name, None)
    if inner is None:
        return

    def wrapper(*args, **kwargs):
        wall, cpu, children = time.perf_counter(), time.process_time(), _children()
        try:
            return inner(*args, **kwargs)
        finally:
            print(f"  {name}: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU here, "
                  f"{_children() - children:.2f} s CPU in workers", flush=True)

    setattr(module, name, wrapper)


def main() -> None:
    imported, imported_wall = time.process_time() - _C0, time.perf_counter() - _T0
    args = sys.argv[1:]
    if args[:1] == ["--rows"]:
        from pathlib import Path

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_mask import make_claims

        if not Path(args[2]).exists():
            make_claims(Path(args[2]), int(args[1]), free_text=False)
        args = args[2:]
    source, output = args[0], args[1]
    workers = int(args[2]) if len(args) > 2 else 1
    print(f"imports: {imported_wall:.2f} s wall, {imported:.2f} s CPU")
    for name in ("_plan_stage", "_transform_stage", "_gate_stage", "_publish_stage"):
        _timed(engine, name)
    for name in ("sample_windows", "sample_tables", "classify_sample"):
        _timed(classifier, name)
    wall, cpu = time.perf_counter(), time.process_time()
    engine.mask_file(source, output, default_policy(), load_key(), workers=workers)
    print(f"mask_file: {time.perf_counter() - wall:.2f} s wall; this process {time.process_time() - cpu + imported:.2f} s CPU with the imports, "
          f"workers {_children():.2f} s CPU (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
