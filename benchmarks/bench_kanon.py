"""Benchmark: the disclosure-control gate on 1 million output rows with 3 quasi-identifiers.

The rows are what the gate sees after masking: a 10-year age band, gender and
PC4 (about 4,000 codes, unequal sizes), a pseudonymised person key (250,000
persons, 32 hex characters) and a prestatiecode (the sensitive attribute, for
l-diversity).  The gate counts the chunks (``add``), searches the lattice
(``decide``) and generalises and suppresses the chunks (``apply``); the sum of
the three is what the gate adds to a masking run.  The chunks are Arrow
tables, as the engine hands them to the gate.  The floor: one Arrow group-by
of the quasi-identifiers and the person key over the same chunks, the least
any counting in persons costs.  Prints figures; asserts nothing.

    python benchmarks/bench_kanon.py [--rows 1000000] [--chunk-rows 50000]

Target (issue 13): the gate adds <= 2 s on 1M rows with 3 quasi-identifiers.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import pyarrow as pa

from pii_pipeline.masking.hierarchies import hierarchy_for
from pii_pipeline.masking.kanon import GateSpec, KAnonymityGate, QuasiIdentifier


def make_chunks(rows: int, chunk_rows: int, seed: int = 7) -> list:
    rng = np.random.default_rng(seed)
    persons = 250_000
    key = np.array([f"{x:032x}" for x in rng.integers(0, 2 ** 62, size=persons)])
    age = rng.triangular(0, 50, 100, size=persons).astype(int)
    band = np.array([f"{a // 10 * 10}-{a // 10 * 10 + 9}" if a < 90 else "90+" for a in age])
    gender = rng.choice(["M", "V"], size=persons)
    pc4_codes = rng.integers(1000, 9999, size=4000)
    pc4 = pc4_codes[np.minimum(rng.zipf(1.3, size=persons) - 1, 3999)].astype(str)
    who = rng.integers(0, persons, size=rows)
    codes = np.array(["C11", "C13", "V21", "X10", "M03", "A10", "E40", "T12"])
    frame = pd.DataFrame({"leeftijd": band[who], "geslacht": gender[who], "postcode": pc4[who], "bsn": key[who],
                          "prestatiecode": codes[rng.integers(0, len(codes), size=rows)]})
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return [table.slice(i, chunk_rows) for i in range(0, rows, chunk_rows)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk-rows", type=int, default=50_000)
    args = parser.parse_args()
    chunks = make_chunks(args.rows, args.chunk_rows)

    clocks = (time.perf_counter, time.process_time)   # wall, and CPU of this process (less hit by other load)
    start = [c() for c in clocks]
    for c in chunks:
        c.group_by(["leeftijd", "geslacht", "postcode", "bsn"]).aggregate([])
    floor = [c() - s for c, s in zip(clocks, start)]

    spec = GateSpec(k=10, quasi=[QuasiIdentifier("leeftijd", hierarchy_for("age_band", 10, 90)),
                                 QuasiIdentifier("geslacht", hierarchy_for(None)),
                                 QuasiIdentifier("postcode", hierarchy_for("pc4"))],
                    person_columns=["bsn"], sensitive=["prestatiecode"], l=2, max_suppression=0.05)
    gate = KAnonymityGate(spec)
    marks = [[c() for c in clocks]]
    for c in chunks:
        gate.add(c)
    marks.append([c() for c in clocks])
    decision = gate.decide()
    marks.append([c() for c in clocks])
    suppressed = 0
    for c in chunks:
        suppressed += gate.apply_arrow(c.select(spec.columns), decision)[1]
    marks.append([c() for c in clocks])
    step = [[b[i] - a[i] for i in range(2)] for a, b in zip(marks, marks[1:])]
    total = [marks[-1][i] - marks[0][i] for i in range(2)]

    print(f"rows {args.rows:,} in chunks of {args.chunk_rows:,}; persons {decision.persons:,}  (wall s / CPU s)")
    print(f"floor (one Arrow group-by of QIs + person per chunk): {floor[0]:.2f} / {floor[1]:.2f}")
    print(f"gate: add {step[0][0]:.2f} / {step[0][1]:.2f}, decide {step[1][0]:.2f} / {step[1][1]:.2f} "
          f"({decision.search['evaluated']} of {decision.search['nodes']} nodes), apply {step[2][0]:.2f} / {step[2][1]:.2f}; "
          f"total {total[0]:.2f} / {total[1]:.2f}")
    print(f"chosen: {decision.words}; k achieved {decision.achieved['k']}, l {decision.achieved['l']}; "
          f"persons suppressed {decision.persons_suppressed:,} ({decision.persons_suppressed / decision.persons:.2%}), "
          f"rows {suppressed:,}")


if __name__ == "__main__":
    main()
