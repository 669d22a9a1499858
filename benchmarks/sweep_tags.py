"""CPU of the output sweep's prefilter and confirmation over masked free text full of tags (hunt 17: tags glued to
value characters, marks on digits).  Prints the least CPU time of seven runs over 100,000 cells.

    .venv/bin/python benchmarks/sweep_tags.py
"""

import random
import time

import pandas as pd

from pii_pipeline.masking.sweep import sweep_series


def main() -> None:
    rng = random.Random(1)
    words = ("de patiënt belde over de nota van kies 36 en vroeg om een afspraak <PERSON> <NL_BSN> <PHONE_NUMBER> "
             "12,50 euro").split()
    cells = [" ".join(rng.choice(words) for _ in range(rng.randint(5, 25))) + f" {i}" for i in range(100_000)]
    values = pd.Series(cells, dtype="string[pyarrow]")
    best = float("inf")
    for _ in range(7):
        start = time.process_time()
        sweep_series(values)
        best = min(best, time.process_time() - start)
    print(f"sweep_series, 100,000 masked cells with tags: {best:.3f} s CPU (least of 7 runs)")


if __name__ == "__main__":
    main()
