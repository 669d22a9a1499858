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
    small: object = field(repr=False, default=())   # the (widened) combinations shared by fewer than k rows

    def to_dict(self) -> dict:
        return {"k": self.k, "quasi_identifiers": self.columns,
                "generalisation_steps": self.levels, "rows": self.rows,
                "rows_suppressed": self.suppressed_rows, "before": self.before, "after": self.after,
                "passed": True}


def _group_stats(group_sizes: List[int], total: int) -> dict:
    sizes = [n for n in group_sizes if n > 0]
    if not sizes:
        return {"groups": 0, "smallest_group": None, "unique_share": 0.0}
    uniques = sum(n for n in sizes if n == 1)
    return {"groups": len(sizes), "smallest_group": min(sizes), "unique_share": round(uniques / total, 4) if total else 0.0}


NA = "\x00"  # stands for an empty quasi-identifier inside the counts (pandas groups it like any value)


class KAnonymityGate:
    def __init__(self, k: int, columns: List[str], kinds: List[Optional[str]], max_suppression: float,
                 generalize: bool = True, top_codes: Optional[List[Optional[int]]] = None) -> None:
        self.k, self.columns, self.kinds = k, columns, kinds
        self.max_suppression, self.generalize = max_suppression, generalize
        self.top_codes = top_codes or [None] * len(columns)
        self.rows = 0
        self._parts: List[pd.Series] = []
        self._counts: Optional[pd.DataFrame] = None

    def add(self, frame: pd.DataFrame) -> None:
        """Count the combinations in one chunk of output (before the gate)."""
        self.rows += len(frame)
        if not self.columns or not len(frame):
            return
        self._parts.append(frame[self.columns].astype("str").fillna(NA).value_counts())
        if len(self._parts) >= 20:
            self._parts = [self._merge()]

    def _merge(self) -> pd.Series:
        merged = pd.concat(self._parts)
        return merged.groupby(level=list(range(len(self.columns)))).sum()

    def _combos(self) -> pd.DataFrame:
        if self._counts is None:
            if self._parts:
                series = self._merge()
                self._counts = series.rename("n").reset_index()
                self._counts.columns = self.columns + ["n"]
            else:
                self._counts = pd.DataFrame({**{c: pd.Series([], dtype="str") for c in self.columns}, "n": []})
        return self._counts

    def _widened(self, column: str, values: pd.Series, level: int) -> pd.Series:
        i = self.columns.index(column)
        if not level:
            return values
        mapping = {v: (NA if v == NA else widen(self.kinds[i], v, level, self.top_codes[i])) for v in values.unique().tolist()}
        return values.map(mapping).fillna(NA).astype("str")

    def _group_sizes(self, levels: List[int]) -> tuple[pd.DataFrame, pd.Series]:
        combos = self._combos()
        widened = pd.DataFrame({c: self._widened(c, combos[c], lvl) for c, lvl in zip(self.columns, levels)})
        sizes = combos["n"].groupby([widened[c] for c in self.columns]).transform("sum")
        return widened, sizes

    def _small_rows(self, sizes: pd.Series) -> int:
        return int(self._combos()["n"][sizes < self.k].sum())

    def decide(self) -> Decision:
        levels = [0] * len(self.columns)
        if not self.columns:
            stats = {"groups": 0, "smallest_group": None, "unique_share": 0.0}
            return Decision(self.k, [], {}, self.rows, 0, stats, {**stats, "rows_with_all_quasi_identifiers_suppressed": 0})
        combos = self._combos()
        before = _group_stats(combos["n"].tolist(), self.rows)
        widened, sizes = self._group_sizes(levels)
        allowed = self.max_suppression * self.rows
        while self.generalize and self._small_rows(sizes) > allowed:
            options = []
            for i, kind in enumerate(self.kinds):
                if levels[i] < LEVELS.get(kind, 0):
                    trial = levels.copy()
                    trial[i] += 1
                    w, z = self._group_sizes(trial)
                    options.append((self._small_rows(z), sum(trial), i, trial, w, z))
            if not options:
                break
            _, _, _, levels, widened, sizes = min(options, key=lambda o: o[:3])
        small = sizes < self.k
        suppressed = int(combos["n"][small].sum())
        groups = combos["n"].groupby([widened[c] for c in self.columns]).sum()
        sizes_by_group = groups[groups >= self.k]
        after = _group_stats(sizes_by_group.tolist(), self.rows)
        after["rows_with_all_quasi_identifiers_suppressed"] = suppressed
        return Decision(self.k, self.columns, dict(zip(self.columns, levels)), self.rows, suppressed, before, after,
                        small=groups[groups < self.k].index)

    def apply(self, frame: pd.DataFrame, decision: Decision) -> tuple[pd.DataFrame, int]:
        """Generalise a chunk to the decided levels and suppress rows in small groups."""
        if not self.columns:
            return frame, 0
        frame = frame.copy()
        keys = pd.DataFrame({c: self._widened(c, frame[c].astype("str").fillna(NA), decision.levels[c]) for c in self.columns})
        index = pd.MultiIndex.from_frame(keys) if len(self.columns) > 1 else pd.Index(keys[self.columns[0]])
        small = index.isin(decision.small) if len(decision.small) else np.zeros(len(frame), dtype=bool)
        for c in self.columns:
            frame[c] = keys[c].where(~small & (keys[c] != NA), None).astype("str")
        return frame, int(small.sum())
