"""The k-anonymity gate over the quasi-identifiers left in the output.

Every combination of quasi-identifier values (say age band x gender x PC4) must
be shared by at least k rows.  The gate works on the counts of combinations,
gathered while the chunks stream by, so memory depends on the number of
distinct combinations, not on the number of rows:

1. If more than ``max_suppression`` of the rows sit in groups smaller than k,
   generalise one step further: the quasi-identifier whose step helps most
   first (age band 10 -> 20 years, PC4 -> PC3 -> PC2, month -> quarter -> year,
   birth year -> 5 -> 10 -> 20 years).  Gender has no wider level.
2. Rows still in groups smaller than k get all their quasi-identifiers
   suppressed (set to empty).  Rows are never dropped: sums per insurer,
   period and prestatiecode stay as in the source.

>>> widen("age_band", "40-49", 1, top_code=90), widen("pc4", "1012", 2), widen("month", "2026-11", 1)
('40-59', '10', '2026-Q4')
>>> gate = KAnonymityGate(k=2, columns=["age", "pc"], kinds=["age_band", "pc4"], max_suppression=0.0, top_codes=[90, None])
>>> gate.add(pd.DataFrame({"age": ["40-49", "50-59", "40-49"], "pc": ["1012", "1013", "1013"]}))
>>> gate.decide().levels
{'age': 1, 'pc': 1}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np
import pandas as pd

# How many widening steps each kind of generalised value has.
LEVELS = {"age_band": 2, "birth_year": 3, "pc4": 2, "pc3": 1, "month": 2, "year": 0, None: 0}


def widen(kind: Optional[str], value: Optional[str], level: int, top_code: Optional[int] = None) -> Optional[str]:
    """``value`` generalised ``level`` steps beyond what the policy produced."""
    if value is None or level == 0 or kind not in LEVELS:
        return value
    try:
        if kind == "age_band":
            if value.endswith("+"):
                return value
            low = int(value.split("-")[0])
            width = (int(value.split("-")[1]) - low + 1) if "-" in value else 1
            width = max(width, 5) * 2 ** level
            low = low // width * width
            high = low + width - 1
            if top_code is not None:
                high = min(high, top_code - 1)
            return f"{low}-{high}"
        if kind == "birth_year":
            width = (5, 10, 20)[level - 1]
            low = int(value) // width * width
            return f"{low}-{low + width - 1}"
        if kind in ("pc4", "pc3"):
            return value[: len(value) - level]
        if kind == "month":
            year, month = value.split("-")
            return f"{year}-Q{(int(month) - 1) // 3 + 1}" if level == 1 else year
    except ValueError:
        return None
    return value


@dataclass
class Decision:
    k: int
    columns: List[str]
    levels: Dict[str, int]
    rows: int
    suppressed_rows: int
    before: dict
    after: dict
    counts: Counter = field(repr=False, default_factory=Counter)

    def to_dict(self) -> dict:
        return {"k": self.k, "quasi_identifiers": self.columns,
                "generalisation_steps": self.levels, "rows": self.rows,
                "rows_suppressed": self.suppressed_rows, "before": self.before, "after": self.after,
                "passed": True}


def _group_stats(counts: Counter, total: int) -> dict:
    sizes = [n for n in counts.values() if n > 0]
    if not sizes:
        return {"groups": 0, "smallest_group": None, "unique_share": 0.0}
    uniques = sum(n for n in sizes if n == 1)
    return {"groups": len(sizes), "smallest_group": min(sizes), "unique_share": round(uniques / total, 4) if total else 0.0}


class KAnonymityGate:
    def __init__(self, k: int, columns: List[str], kinds: List[Optional[str]], max_suppression: float,
                 generalize: bool = True, top_codes: Optional[List[Optional[int]]] = None) -> None:
        self.k, self.columns, self.kinds = k, columns, kinds
        self.max_suppression, self.generalize = max_suppression, generalize
        self.top_codes = top_codes or [None] * len(columns)
        self.counts: Counter = Counter()
        self.rows = 0

    def add(self, frame: pd.DataFrame) -> None:
        """Count the combinations in one chunk of output (before the gate)."""
        self.rows += len(frame)
        if not self.columns:
            return
        combos = frame[self.columns].astype(object).where(frame[self.columns].notna(), None)
        self.counts.update(Counter(map(tuple, combos.itertuples(index=False, name=None))))

    def _generalised(self, levels: List[int]) -> Counter:
        out: Counter = Counter()
        for combo, n in self.counts.items():
            out[tuple(widen(kind, v, lvl, top) for kind, v, lvl, top in zip(self.kinds, combo, levels, self.top_codes))] += n
        return out

    def _small_rows(self, counts: Counter) -> int:
        return sum(n for n in counts.values() if n < self.k)

    def decide(self) -> Decision:
        levels = [0] * len(self.columns)
        before = _group_stats(self.counts, self.rows)
        counts = self._generalised(levels)
        allowed = self.max_suppression * self.rows
        while self.generalize and self._small_rows(counts) > allowed:
            options = []
            for i, kind in enumerate(self.kinds):
                if levels[i] < LEVELS.get(kind, 0):
                    trial = levels.copy()
                    trial[i] += 1
                    trial_counts = self._generalised(trial)
                    options.append((self._small_rows(trial_counts), sum(trial), i, trial, trial_counts))
            if not options:
                break
            _, _, _, levels, counts = min(options, key=lambda o: o[:3])
        suppressed = self._small_rows(counts)
        final: Counter = Counter()
        for combo, n in counts.items():
            final[combo if n >= self.k else (None,) * len(combo)] += n
        released = Counter({c: n for c, n in final.items() if any(v is not None for v in c) or not self.columns})
        after = _group_stats(released, self.rows)
        after["rows_with_all_quasi_identifiers_suppressed"] = suppressed
        return Decision(self.k, self.columns, dict(zip(self.columns, levels)), self.rows, suppressed, before, after, counts)

    def apply(self, frame: pd.DataFrame, decision: Decision) -> tuple[pd.DataFrame, int]:
        """Generalise a chunk to the decided levels and suppress rows in small groups."""
        if not self.columns:
            return frame, 0
        frame = frame.copy()
        for column, kind, top in zip(self.columns, self.kinds, self.top_codes):
            level = decision.levels[column]
            if level:
                codes, uniques = pd.factorize(frame[column])
                mapped = pd.array([widen(kind, v, level, top) for v in uniques] + [None], dtype="str")
                frame[column] = pd.Series(mapped.take(codes), index=frame.index, dtype="str")
        combos = frame[self.columns].astype(object).where(frame[self.columns].notna(), None)
        small = np.fromiter((decision.counts[c] < self.k for c in combos.itertuples(index=False, name=None)),
                            dtype=bool, count=len(frame))
        if small.any():
            for column in self.columns:
                frame[column] = frame[column].where(~small, None)
        return frame, int(small.sum())
