"""Benchmark: reading a Vektis EI file (MZ301 1.3) with every check, against a floor measured in the same run.

Prints figures; asserts nothing.  One process, one core.
    python benchmarks/bench_ei.py [--patients 50000]
The floor is reading the same lines and cutting every element out of them (no typing, no checks).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

from pii_pipeline.io.ei import layouts, read_ei, render_record


def build(path: Path, patients: int) -> int:
    layout = next(l for l in layouts().values() if l.label == "MZ301 1.3")
    lines = [render_record(layout, "01", {"Code externe-integratiebericht": "176", "Versienummer berichtstandaard": "1",
                                          "Subversienummer berichtstandaard": "3", "Soort bericht": "P",
                                          "Begindatum declaratieperiode": dt.date(2026, 10, 1)})]
    n, total = 0, 0
    for p in range(patients):
        n += 1
        lines.append(render_record(layout, "02", {"Identificatie detailrecord": n, "Burgerservicenummer (BSN) verzekerde": "123456782",
                                                  "Naam verzekerde (01)": "Verhoeven", "Datum geboorte verzekerde": dt.date(1970, 5, 1),
                                                  "Postcode (huisadres) verzekerde": "3511AB", "Huisnummer (huisadres) verzekerde": 12}))
        for _ in range(3):
            n += 1
            cents = 1000 + n % 5000
            total += cents
            lines.append(render_record(layout, "04", {"Identificatie detailrecord": n, "Datum prestatie": dt.date(2026, 10, 5),
                                                      "Prestatiecode": "C11", "Declaratiebedrag (incl. btw)": cents,
                                                      "Indicatie debet/credit (02)": "D"}))
    lines.append(render_record(layout, "99", {"Aantal verzekerdenrecords": patients, "Aantal prestatierecords": 3 * patients,
                                              "Aantal commentaarrecords": 0, "Totaal aantal detailrecords": n,
                                              "Totaal declaratiebedrag": total, "Indicatie debet/credit": "D"}))
    path.write_bytes("".join(l + "\r\n" for l in lines).encode("latin-1"))
    return len(lines)


def floor(path: Path) -> float:
    layout = next(l for l in layouts().values() if l.label == "MZ301 1.3")
    spans = {c: [(e.start - 1, e.start - 1 + e.length) for e in r.elements] for c, r in layout.records.items()}
    t = time.perf_counter()
    with path.open("rb") as f:
        for raw in f:
            line = raw.decode("latin-1").rstrip("\r\n")
            [line[a:b] for a, b in spans[line[:2]]]
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.asc"
        lines = build(path, args.patients)
        base = floor(path)
        t = time.perf_counter()
        rows = sum(len(chunk.frame) for chunk in read_ei(path))
        took = time.perf_counter() - t
        mib = path.stat().st_size / 2 ** 20
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{lines:,} lines ({mib:.0f} MiB), {rows:,} rows read with every check in {took:.2f} s: {rows / took:,.0f} records/s")
    print(f"floor (lines cut into elements, no typing or checks): {base:.2f} s; reader / floor = {took / base:.1f}x")
    print(f"peak RSS {rss:.0f} MiB (whole process, including building the file)")


if __name__ == "__main__":
    main()
