"""CPU and wall seconds per stage of one ``mask`` (issue 14): timers around the engine's stage functions.

    python benchmarks/mask_stages.py FILE.csv OUT.parquet [WORKERS]      # PII_PIPELINE_KEY must be set
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
    source, output = sys.argv[1], sys.argv[2]
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    print(f"imports: {time.perf_counter() - _T0:.2f} s wall, {time.process_time() - _C0:.2f} s CPU")
    for name in ("_plan_stage", "_transform_stage", "_gate_stage", "_publish_stage"):
        _timed(engine, name)
    for name in ("sample_windows", "sample_tables", "classify_sample"):
        _timed(classifier, name)
    wall = time.perf_counter()
    engine.mask_file(source, output, default_policy(), load_key(), workers=workers)
    print(f"mask_file: {time.perf_counter() - wall:.2f} s wall; this process {time.process_time() - _C0:.2f} s CPU, "
          f"workers {_children():.2f} s CPU (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
