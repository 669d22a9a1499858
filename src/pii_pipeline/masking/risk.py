"""Re-identification risk from the sizes of the equivalence classes (in distinct persons).

The measures follow ARX's definitions.  With class sizes ``s_i`` (persons; a
person in two classes counts in both) and ``N = sum(s_i)``:

* prosecutor risk (the attacker knows the person is in the data): a person's
  risk is ``1 / s_i``; highest ``1 / min(s_i)``, average ``classes / N``;
* journalist risk (the attacker starts from the population): the class in the
  population is estimated as ``s_i / f`` for the share ``f`` of the population
  the data covers (``sampling_fraction``; 1.0, the default, makes it equal to
  the prosecutor risk, an upper bound);
* marketer risk (share of persons re-identified when everyone is tried):
  ``sum(s_i / F_i) / N`` = ``f * classes / N``.

>>> m = class_measures([1, 2, 3, 4])
>>> m["k"], m["classes"], m["prosecutor"]["highest"], m["prosecutor"]["average"], m["unique_share"]
(1, 4, 1.0, 0.4, 0.1)
>>> class_measures([10, 20], sampling_fraction=0.5)["journalist"]
{'highest': 0.05, 'average': 0.0333}
"""

from __future__ import annotations

from typing import Iterable, Optional

import numpy as np


def class_measures(sizes: Iterable[int], sampling_fraction: float = 1.0, digits: int = 4) -> dict:
    s = np.asarray([x for x in sizes if x > 0], dtype=np.int64)
    if not len(s):
        return {"classes": 0, "persons": 0, "k": None, "unique_share": 0.0,
                "prosecutor": {"highest": 0.0, "average": 0.0}, "journalist": {"highest": 0.0, "average": 0.0},
                "marketer": 0.0}
    n, f = int(s.sum()), float(sampling_fraction)
    smallest = int(s.min())
    return {
        "classes": int(len(s)), "persons": n, "k": smallest,
        "unique_share": round(float(s[s == 1].sum()) / n, digits),
        "prosecutor": {"highest": round(1.0 / smallest, digits), "average": round(len(s) / n, digits)},
        "journalist": {"highest": round(min(1.0, f / smallest), digits), "average": round(min(1.0, f * len(s) / n), digits)},
        "marketer": round(min(1.0, f * len(s) / n), digits),
    }


def size_histogram(sizes: Iterable[int], k: Optional[int] = None) -> list:
    """Classes per size bucket (1, 2, ..., k-1, k..2k-1, ...): what the HTML chart draws."""
    s = np.asarray([x for x in sizes if x > 0], dtype=np.int64)
    edges = [1, 2, 3, 5, 10, 20, 50, 100, 1000]
    if k and k not in edges:
        edges = sorted(set(edges) | {k})
    buckets = []
    for low, high in zip(edges, edges[1:] + [None]):
        hit = (s >= low) & (s < high) if high is not None else (s >= low)
        label = str(low) if high == low + 1 else (f"{low}-{high - 1}" if high is not None else f"{low}+")
        buckets.append({"sizes": label, "classes": int(hit.sum()), "persons": int(s[hit].sum())})
    return buckets
