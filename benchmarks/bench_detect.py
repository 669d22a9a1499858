"""Benchmark: detection throughput on ~150-character Dutch notes, and process start-up.

Prints figures; asserts nothing.  One process, one core.
    python benchmarks/bench_detect.py [--notes 5000] [--pathological]

``--pathological`` also prints the CPU time per character of the person,
address and location recognizers on hostile inputs of 1 KB, 100 KB and 1 MB
(linear work gives a constant figure).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time

TEMPLATES = [
    "Mevrouw {sur} belde over de nota van {date}. Zij is bereikbaar op {phone}. BSN {bsn}, graag terugbellen na 14:00 uur over de betalingsregeling.",
    "Patiënt {first} {sur} ({dob}) kwam voor controle; geen bijzonderheden. Volgende afspraak over zes maanden bij tandarts {sur2}.",
    "Declaratie {claim} van {date} afgewezen: prestatie C11 niet gedekt door de aanvullende polis. Verzekerde geïnformeerd per mail {mail}.",
    "Verzekerde verhuisd naar {street} {nr}, {pc} {place}. Nieuw rekeningnummer {iban} doorgegeven via het portaal, bevestiging per post verstuurd.",
    "Klacht over wachttijd bij de fysiotherapeut in {place}. Cliënt wacht al 6 weken; doorgezet naar zorgbemiddeling, die binnen vijf werkdagen contact opneemt.",
    "Geen opmerkingen bij deze behandeling. Kosten € 24,73 volledig vergoed uit de basisverzekering, eigen risico verrekend met de vorige nota van maart.",
]
FIRST = ["Jan", "Anna", "Pieter", "Fatima", "Mehmet", "Sanne", "Priya", "Sjoerd"]
SUR = ["Jansen", "Oukili", "Hylkema", "Kowalczyk", "de Vries", "Nguyen", "Bakker", "Yilmaz"]
STREETS = ["Kerkstraat", "Stationsweg", "Laan van Meerdervoort", "Molenweg"]
PLACES = ["Utrecht", "Zwolle", "Den Haag", "Leeuwarden", "Tilburg"]


def make_notes(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    notes = []
    for i in range(n):
        notes.append(rng.choice(TEMPLATES).format(
            first=rng.choice(FIRST), sur=rng.choice(SUR), sur2=rng.choice(SUR),
            date=f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2024",
            dob=f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(1940, 2010)}",
            phone=f"06-{rng.randint(10000000, 99999999)}", bsn="123456782", claim=f"{rng.randint(10**8, 10**9 - 1)}",
            mail=f"{rng.choice(FIRST).lower()}{i}@example.nl", street=rng.choice(STREETS), nr=rng.randint(1, 200),
            pc=f"{rng.randint(1000, 9999)} AB", place=rng.choice(PLACES), iban="NL91ABNA0417164300",
        ))
    return notes


def startup_seconds() -> float:
    code = ("import time; t=time.perf_counter(); from pii_pipeline.detection import get_detector; "
            "get_detector().detect('BSN 123456782'); print(time.perf_counter()-t)")
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    total = time.perf_counter() - t
    return float(out.stdout.strip()), total


PATHOLOGICAL = {
    "'J.' * n": "J.", "'1 ' * n": "1 ", "'+31 ' * n": "+31 ", "'van ' * n": "van ", "'De ' * n": "De ",
    "capitalised words": "Jan Piet Kees Smid ",
    "one long line": "Mevrouw Jansen-de Wit woont Kerkstraat 12, 3511 LK Utrecht en belde dr. P.J. Vos; ",
}


def pathological() -> None:
    from recognizers import DutchAddressRecognizer, DutchLocationRecognizer, DutchPersonRecognizer
    from recognizers.tokens import tokenize

    recognizers = [DutchPersonRecognizer(), DutchAddressRecognizer(), DutchLocationRecognizer()]
    print("CPU microseconds per character (tokenizing included) at 1 KB / 100 KB / 1 MB:")
    for name, unit in PATHOLOGICAL.items():
        cells = []
        for r in recognizers:
            figures = []
            for size in (1_000, 100_000, 1_000_000):
                text = unit * (size // len(unit))
                tokenize.cache_clear()
                t = time.process_time()
                r.analyze(text, r.supported_entities)
                figures.append((time.process_time() - t) / len(text) * 1e6)
            cells.append(f"{type(r).__name__.replace('Dutch', '').replace('Recognizer', '')} " + "/".join(f"{x:.2f}" for x in figures))
        print(f"  {name:<20} " + "   ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=5000)
    parser.add_argument("--pathological", action="store_true", help="also time hostile inputs up to 1 MB")
    args = parser.parse_args()

    build, process = startup_seconds()
    print(f"start-up: engine built and first note analysed in {build:.2f} s ({process:.2f} s including interpreter start)")

    from pii_pipeline.detection import get_detector

    detector = get_detector()
    notes = make_notes(args.notes)
    avg_len = sum(map(len, notes)) / len(notes)
    detector.detect(notes[0])
    t, cpu = time.perf_counter(), time.process_time()
    findings = sum(len(detector.detect(note)) for note in notes)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"notes: {len(notes)}, average {avg_len:.0f} characters, {findings} findings")
    print(f"throughput: {len(notes) / elapsed:,.0f} notes/s on one core ({elapsed / len(notes) * 1000:.2f} ms per note)")
    # CPU time is what one core spends; on a loaded machine it is the steadier figure.
    print(f"CPU time: {cpu / len(notes) * 1e6:,.0f} µs per note ({len(notes) / cpu:,.0f} notes per CPU-second)")
    print(f"peak RSS: {rss:,.0f} MiB")
    if args.pathological:
        pathological()


if __name__ == "__main__":
    main()
