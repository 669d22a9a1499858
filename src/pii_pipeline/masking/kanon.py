"""The disclosure-control gate: k-anonymity over persons and distinct l-diversity, by optimal generalisation.

What it guarantees for the published output: every combination of
quasi-identifier values (an *equivalence class*, say age band x gender x PC4)
is shared by at least ``k`` distinct **persons**, and holds at least ``l``
distinct values of every sensitive attribute (diagnosis, prestatiecode).  A
person is the pseudonymised person key (BSN, else member number; rows without
one count as a person each), so ten claims of one person are one person.

How (in the manner of ARX):

1. While chunks stream by, the gate counts the distinct (level-0 codes,
   person) pairs and (level-0 codes, sensitive value) pairs, never more:
   memory depends on the number of distinct pairs, not on the rows.
2. The *lattice* has one node per combination of generalisation levels (see
   :mod:`.hierarchies`: age band 10 -> 20 years -> 80+ -> *, PC4 -> PC3 ->
   PC2 -> *, month -> quarter -> year -> *).  A node is evaluated on the
   grouped codes only (a few array operations), never on the rows.
3. Nodes are visited best-first by a lower bound of their information loss
   (the loss of the generalisation alone, which only grows up the lattice);
   the search stops when the bound exceeds the best loss found.  Because
   k-anonymity and distinct l-diversity are monotone, a node whose classes
   already leave too many persons in small classes rules out every more
   specific node without evaluating it.
4. At a node, classes with fewer than k persons (or fewer than l sensitive
   values) are suppressed: their rows keep every other column but lose all
   quasi-identifiers.  The suppressed rows form one class of their own in the
   output, so it too must hold k persons and l values: if it does not, the
   smallest further classes are added to it.  A node qualifies when at most
   ``max_suppression`` of the persons are suppressed; of those the one with
   the least loss (Iyengar's loss metric, suppressed cells counting 1) wins.
5. If no node qualifies the gate fails with the best figures it found
   (``on_failure: fail``, the default) or publishes the node that suppresses
   least (``on_failure: suppress``), saying so.

>>> from pii_pipeline.masking.hierarchies import hierarchy_for
>>> spec = GateSpec(k=2, quasi=[QuasiIdentifier("age", hierarchy_for("age_band")), QuasiIdentifier("pc", hierarchy_for("pc4"))],
...                 person_columns=["id"], max_suppression=0.0)
>>> gate = KAnonymityGate(spec)
>>> gate.add(pd.DataFrame({"age": ["40-49", "50-59", "40-49", "40-49"], "pc": ["1012", "1013", "1013", "1013"],
...                        "id": ["a", "b", "c", "c"]}))
>>> d = gate.decide()
>>> d.levels, d.words, d.achieved["k"], d.persons, d.persons_suppressed
({'age': 1, 'pc': 1}, {'age': 'age band 20 years, 90+', 'pc': 'PC3'}, 3, 3, 0)
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from .hierarchies import STAR, Hierarchy
from .risk import class_measures, size_histogram

_KEYS_MAX = 2 ** 62


@dataclass
class QuasiIdentifier:
    column: str
    hierarchy: Hierarchy
    fixed_level: Optional[int] = None    # the dataset's level: values are brought to it before counting


@dataclass
class GateSpec:
    k: int
    quasi: List[QuasiIdentifier]
    person_columns: List[str] = field(default_factory=list)   # first non-empty per row is the person
    sensitive: List[str] = field(default_factory=list)
    l: Optional[int] = None                                   # distinct l-diversity; None: off
    max_suppression: float = 0.05                             # share of persons
    generalize: bool = True
    on_failure: str = "fail"                                  # fail | suppress
    sampling_fraction: float = 1.0
    output_columns: List[str] = field(default_factory=list)   # every output column (to rename without clashes)

    @property
    def columns(self) -> List[str]:
        return [q.column for q in self.quasi]


class _Codes:
    """Value -> small integer, stable over chunks; 0 is 'empty'."""

    def __init__(self) -> None:
        self.index: Dict[str, int] = {}
        self.values: List[Optional[str]] = [None]

    def encode(self, values: pd.Series, grow: bool = True) -> np.ndarray:
        codes, uniques = pd.factorize(values)
        lookup = np.zeros(len(uniques) + 1, dtype=np.int64)
        for i, v in enumerate(uniques.tolist()):
            if not isinstance(v, str) or not v.strip():
                continue
            code = self.index.get(v)
            if code is None:
                if not grow:
                    code = -1           # a value never counted: the caller suppresses the row
                else:
                    code = self.index[v] = len(self.values)
                    self.values.append(v)
            lookup[i] = code
        return lookup[codes]


def _pack(arrays: Sequence[np.ndarray], sizes: Sequence[int]) -> Optional[np.ndarray]:
    """One int64 key per row from several code arrays (mixed radix); None if it would overflow."""
    if int(np.prod([max(s, 1) for s in sizes], dtype=object)) >= _KEYS_MAX:
        return None
    key = np.zeros(len(arrays[0]) if arrays else 0, dtype=np.int64)
    for a, s in zip(arrays, sizes):
        key = key * max(s, 1) + a
    return key


def _distinct_per_group(group: np.ndarray, ids: np.ndarray, groups: int) -> np.ndarray:
    if not len(ids):
        return np.zeros(groups, dtype=np.int64)
    width = int(ids.max()) + 1
    pairs = np.unique(group.astype(np.int64) * width + ids)
    return np.bincount(pairs // width, minlength=groups)


@dataclass
class _Column:
    """One quasi-identifier's level-0 codes mapped to every level: codes, labels, loss."""
    maps: List[np.ndarray]       # level -> array(level-0 code -> level code); 0 stays 0 (empty)
    labels: List[list]           # level -> level code -> label
    loss: List[np.ndarray]       # level -> array(level-0 code -> Iyengar loss in [0, 1])


def _column_levels(hierarchy: Hierarchy, values: List[Optional[str]], fixed: bool) -> _Column:
    maps, labels, losses = [], [], []
    top = 0 if fixed else hierarchy.height
    distinct = len(values) - 1
    for level in range(top + 1):
        out = [None] + [hierarchy.generalise(v, level) for v in values[1:]]
        index: Dict[str, int] = {}
        codes = np.array([0 if o is None else index.setdefault(o, len(index) + 1) for o in out], dtype=np.int64)
        maps.append(codes)
        labels.append([None] + list(index))
        members = np.bincount(codes[1:], minlength=len(index) + 1) if distinct else np.zeros(1, dtype=np.int64)
        loss = (members[codes] - 1) / (distinct - 1) if distinct > 1 else np.zeros(len(codes))
        loss = np.where(codes == 0, 0.0, loss)
        if level and any(o == STAR for o in out[1:]):
            loss = np.where(np.array([o == STAR for o in out]), 1.0, loss)
        losses.append(loss.astype(float))
    return _Column(maps, labels, losses)


@dataclass
class Decision:
    """What the gate decided and achieved; ``to_dict`` is the manifest's record."""
    spec: GateSpec = field(repr=False)
    levels: Dict[str, int]
    words: Dict[str, str]
    renames: Dict[str, str]
    passed: bool
    within_limit: bool
    rows: int
    persons: int
    rows_suppressed: int
    persons_suppressed: int
    achieved: dict
    before: dict
    after: dict
    loss: dict
    search: dict
    histogram: list = field(default_factory=list)
    columns: List[dict] = field(default_factory=list)
    message: str = ""
    combo_suppressed: Optional[np.ndarray] = field(default=None, repr=False)

    @property
    def suppressed_rows(self) -> int:
        return self.rows_suppressed

    def to_dict(self) -> dict:
        s = self.spec
        return {"k": s.k, "l": s.l, "sensitive_attributes": s.sensitive, "person_key": s.person_columns or None,
                "max_suppression": s.max_suppression, "on_failure": s.on_failure,
                "quasi_identifiers": self.columns, "rows": self.rows, "persons": self.persons,
                "rows_suppressed": self.rows_suppressed, "persons_suppressed": self.persons_suppressed,
                "persons_suppressed_share": round(self.persons_suppressed / self.persons, 4) if self.persons else 0.0,
                "achieved": self.achieved, "before": self.before, "after": self.after, "information_loss": self.loss,
                "search": self.search, "class_sizes": self.histogram, "suppression_within_limit": self.within_limit,
                "passed": self.passed, **({"message": self.message} if self.message else {})}


@dataclass
class _Node:
    levels: tuple
    ok: bool
    persons_suppressed: int
    rows_suppressed: int
    loss: float
    combo_suppressed: np.ndarray = field(repr=False)
    sizes: np.ndarray = field(repr=False)              # persons per published class (the suppressed class last)
    diversity: int = 0
    reason: str = ""
    base_over: bool = False     # over the limit before the suppressed class was topped up (monotone)


class KAnonymityGate:
    def __init__(self, spec: GateSpec) -> None:
        self.spec = spec
        self.rows = 0
        self._qcodes = [_Codes() for _ in spec.quasi]
        self._scodes = [_Codes() for _ in spec.sensitive]
        self._persons = _Codes()
        self._anonymous = 0
        self._pairs: List[pd.DataFrame] = []
        self._sens: List[List[pd.DataFrame]] = [[] for _ in spec.sensitive]
        self._prepared = None

    @property
    def columns(self) -> List[str]:
        return self.spec.columns

    @property
    def needed(self) -> List[str]:
        seen: List[str] = []
        for c in self.spec.columns + self.spec.person_columns + self.spec.sensitive:
            if c not in seen:
                seen.append(c)
        return seen

    # ------------------------------------------------------------ counting

    def _level0(self, frame: pd.DataFrame, prior: bool, grow: bool = True) -> List[np.ndarray]:
        codes = []
        for q, book in zip(self.spec.quasi, self._qcodes):
            values = frame[q.column] if q.column in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)
            values = values.astype(object).where(values.notna(), None)
            if q.fixed_level and not prior:
                uniques = {v: q.hierarchy.generalise(v, q.fixed_level) for v in pd.unique(values) if isinstance(v, str)}
                values = values.map(uniques)
            codes.append(book.encode(values, grow))
        return codes

    def _person_ids(self, frame: pd.DataFrame) -> np.ndarray:
        key = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        for i, column in enumerate(self.spec.person_columns):
            if column not in frame:
                continue
            values = frame[column].astype(object)
            present = values.notna() & (values.astype(str).str.strip() != "")
            key = key.where(key.notna() | ~present, f"{i}:" + values.astype(str))
        ids = self._persons.encode(key)
        missing = ids == 0
        # A row without a person key is a person of its own: negative ids never repeat.
        ids[missing] = -(self._anonymous + 1 + np.arange(int(missing.sum())))
        self._anonymous += int(missing.sum())
        return ids

    def add(self, frame: pd.DataFrame, prior: bool = False) -> None:
        """Count one chunk of output (before the gate); ``prior``: rows of the dataset's published parts."""
        self.rows += len(frame)
        if not self.spec.quasi or not len(frame):
            return
        self._prepared = None
        codes = self._level0(frame, prior)
        data = {f"q{i}": c for i, c in enumerate(codes)}
        pairs = pd.DataFrame({**data, "p": self._person_ids(frame), "rows": 1, "prior": int(prior)})
        self._pairs.append(pairs.groupby(list(data) + ["p"], sort=False).sum().reset_index())
        for j, column in enumerate(self.spec.sensitive):
            if column not in frame:
                continue
            values = frame[column].reset_index(drop=True)
            if values.map(lambda v: isinstance(v, (list, np.ndarray))).any():
                values = values.explode()   # a list column (invoice lines): each value of the row counts
            at = values.index.to_numpy()
            values = values.astype(object).where(values.notna(), None).reset_index(drop=True)
            s = pd.DataFrame({k: v[at] for k, v in data.items()})
            s["s"] = self._scodes[j].encode(values)
            self._sens[j].append(s[s["s"] > 0].drop_duplicates())
        if len(self._pairs) >= 20:
            self._pairs = [self._merged_pairs()]

    def _merged_pairs(self) -> pd.DataFrame:
        keys = [f"q{i}" for i in range(len(self.spec.quasi))] + ["p"]
        if not self._pairs:
            return pd.DataFrame({k: np.zeros(0, dtype=np.int64) for k in keys + ["rows", "prior"]})
        return pd.concat(self._pairs).groupby(keys, sort=False).sum().reset_index()

    # ------------------------------------------------------------ the grouped codes

    def _prepare(self):
        if self._prepared is not None:
            return self._prepared
        q = len(self.spec.quasi)
        qcols = [f"q{i}" for i in range(q)]
        pairs = self._merged_pairs()
        combos = pairs[qcols].drop_duplicates().reset_index(drop=True)
        combos["c"] = np.arange(len(combos))
        pairs = pairs.merge(combos, on=qcols, how="left")
        per_person = pairs.groupby("p")["c"].transform("size").to_numpy()
        single = per_person == 1
        n = len(combos)
        prep = {
            "n": n, "cq": [combos[c].to_numpy() for c in qcols],
            "single": np.bincount(pairs["c"][single], minlength=n),
            "rows": np.bincount(pairs["c"], weights=pairs["rows"], minlength=n).astype(np.int64),
            "prior": np.bincount(pairs["c"], weights=pairs["prior"], minlength=n) > 0,
            "mc": pairs["c"].to_numpy()[~single], "mp": pairs["p"].to_numpy()[~single],
            "persons": int(pairs["p"].nunique()),
            # The suppression limit is a share of this file's persons (the dataset's parts are published already).
            "base": int(pairs["p"][pairs["rows"] > pairs["prior"]].nunique()),
            "cols": [_column_levels(h.hierarchy, book.values, fixed=not self.spec.generalize or h.fixed_level is not None)
                     for h, book in zip(self.spec.quasi, self._qcodes)],
            "sens": [],
        }
        for parts in self._sens:
            s = pd.concat(parts).drop_duplicates() if parts else pd.DataFrame({**{c: [] for c in qcols}, "s": []}, dtype=np.int64)
            s = s.merge(combos, on=qcols, how="inner")
            prep["sens"].append((s["c"].to_numpy(dtype=np.int64), s["s"].to_numpy(dtype=np.int64)))
        self._prepared = prep
        return prep

    # ------------------------------------------------------------ one node

    def _classes(self, prep, node: tuple) -> tuple[np.ndarray, int, np.ndarray]:
        arrays = [col.maps[lvl][cq] for col, lvl, cq in zip(prep["cols"], node, prep["cq"])]
        sizes = [len(col.labels[lvl]) for col, lvl in zip(prep["cols"], node)]
        key = _pack(arrays, sizes)
        if key is None:  # very many distinct values: group the rows of codes instead
            key = pd.MultiIndex.from_arrays(arrays).factorize()[0]
        uniq, cls = np.unique(key, return_inverse=True)
        empty = np.zeros(prep["n"], dtype=bool) if not arrays else np.all(np.vstack(arrays) == 0, axis=0)
        empty_class = np.zeros(len(uniq), dtype=bool)
        empty_class[cls[empty]] = True
        return cls, len(uniq), empty_class

    def _persons_in(self, prep, cls: np.ndarray, chosen: np.ndarray) -> int:
        singles = int(prep["single"][chosen[cls]].sum())
        multi = prep["mp"][chosen[cls[prep["mc"]]]] if len(prep["mc"]) else prep["mp"]
        return singles + int(len(np.unique(multi)))

    def _diversity_in(self, prep, cls: np.ndarray, chosen: np.ndarray) -> int:
        values = [len(np.unique(ss[chosen[cls[sc]]])) for sc, ss in prep["sens"]]
        return min(values) if values else 0

    def _evaluate(self, prep, node: tuple) -> _Node:
        spec = self.spec
        cls, ncls, empty_class = self._classes(prep, node)
        persons = np.bincount(cls, weights=prep["single"], minlength=ncls).astype(np.int64)
        if len(prep["mc"]):
            persons += _distinct_per_group(cls[prep["mc"]], prep["mp"], ncls)
        small = persons < spec.k
        diversity = np.full(ncls, np.iinfo(np.int64).max)
        if spec.l:
            for sc, ss in prep["sens"]:
                d = _distinct_per_group(cls[sc], ss, ncls)
                # A class with no recorded value of the attribute discloses none.
                diversity = np.minimum(diversity, np.where(d == 0, np.iinfo(np.int64).max, d))
            small |= diversity < spec.l
        small &= ~empty_class
        limit = spec.max_suppression * prep["base"]
        suppressed = base = self._persons_in(prep, cls, small)
        protected = np.bincount(cls, weights=prep["prior"], minlength=ncls) > 0
        reason = ""
        if (small & protected).any():
            reason = "classes holding published rows of the dataset would fall below k (or l)"
        pool = small | empty_class
        if pool.any() and not reason:
            pool, reason = self._top_up(prep, cls, pool, persons, protected | pool)
            small = pool & ~empty_class
            suppressed = self._persons_in(prep, cls, small)
        ok = not reason and suppressed <= limit
        if not reason and not ok:
            reason = "too many persons suppressed"
        combo_supp = small[cls]
        rows = prep["rows"]
        gen_loss = sum(col.loss[lvl][cq] for col, lvl, cq in zip(prep["cols"], node, prep["cq"]))
        gen_loss = np.where(combo_supp, len(node), gen_loss)
        loss = float((rows * gen_loss).sum() / max(1, rows.sum() * len(node)))
        kept = persons[~pool]
        sizes = np.append(kept, self._persons_in(prep, cls, pool)) if pool.any() else kept
        d_min = 0
        if spec.l:
            d_kept = diversity[~pool]
            d_min = int(min(d_kept.min() if len(d_kept) else np.iinfo(np.int64).max,
                            self._diversity_in(prep, cls, pool) if pool.any() else np.iinfo(np.int64).max))
        return _Node(node, ok, suppressed, int(rows[combo_supp].sum()), loss, combo_supp, sizes, d_min, reason,
                     base_over=base > limit)

    def _top_up(self, prep, cls, pool, persons, fixed) -> tuple[np.ndarray, str]:
        """The suppressed rows are one class in the output: make it hold k persons and l values too."""
        spec = self.spec
        order = [c for c in np.argsort(persons, kind="stable") if not fixed[c]]
        pool = pool.copy()
        for nxt in [None] + order:
            if nxt is not None:
                pool[nxt] = True
            enough = self._persons_in(prep, cls, pool) >= spec.k
            if enough and (not spec.l or self._diversity_in(prep, cls, pool) >= spec.l):
                return pool, ""
        return pool, "fewer than k persons (or l values) in the whole file"

    # ------------------------------------------------------------ the search

    def _bound(self, prep, node: tuple) -> float:
        rows = prep["rows"]
        total = sum(float((rows * col.loss[lvl][cq]).sum()) for col, lvl, cq in zip(prep["cols"], node, prep["cq"]))
        return total / max(1, rows.sum() * len(node))

    def _search(self, prep) -> tuple[Optional[_Node], List[_Node], int]:
        heights = [len(col.maps) - 1 for col in prep["cols"]]
        nodes = list(itertools.product(*[range(h + 1) for h in heights]))
        queue = [(self._bound(prep, n), sum(n), n) for n in nodes]
        heapq.heapify(queue)
        best: Optional[_Node] = None
        evaluated: List[_Node] = []
        failing: List[tuple] = []
        while queue:
            bound, _, node = heapq.heappop(queue)
            if best is not None and bound >= best.loss:
                break
            # Monotonicity: below a node that leaves too many persons in small classes, every node does too.
            if any(all(a <= b for a, b in zip(node, f)) for f in failing):
                continue
            result = self._evaluate(prep, node)
            evaluated.append(result)
            if result.ok and (best is None or result.loss < best.loss):
                best = result
            elif result.base_over:
                failing.append(node)
        return best, evaluated, len(nodes)

    def decide(self) -> Decision:
        spec = self.spec
        if not spec.quasi or not self.rows:
            return self._decision(None, None, [], 0)
        prep = self._prepare()
        best, evaluated, total = self._search(prep)
        if best is None:
            # No node within the limit: the one suppressing fewest persons is reported (and used for 'suppress').
            full = [self._evaluate(prep, n) for n in itertools.product(*[range(len(c.maps)) for c in prep["cols"]])]
            publishable = [n for n in full if not n.reason or n.reason == "too many persons suppressed"]
            fallback = min(publishable or full, key=lambda n: (n.persons_suppressed, n.loss))
            return self._decision(prep, fallback, evaluated, total, failed=True)
        return self._decision(prep, best, evaluated, total)

    def _decision(self, prep, node: Optional[_Node], evaluated, total, failed: bool = False) -> Decision:
        spec = self.spec
        if node is None:
            m = class_measures([])
            return Decision(spec, {}, {}, {}, True, True, self.rows, 0, 0, 0, {"k": None, "l": None}, m, m,
                            {}, {"nodes": 0, "evaluated": 0})
        levels = {q.column: (q.fixed_level or 0) + lvl for q, lvl in zip(spec.quasi, node.levels)}
        words = {q.column: q.hierarchy.describe(levels[q.column]) for q in spec.quasi}
        before = self._evaluate_plain(prep)
        after = class_measures(node.sizes, spec.sampling_fraction)
        achieved = {"k": after["k"], "l": node.diversity if spec.l else None}
        passed = not failed or (spec.on_failure == "suppress" and not node.reason.startswith(("fewer", "classes")))
        message = ""
        if failed:
            share = node.persons_suppressed / max(1, prep["base"])
            in_dataset = any(q.fixed_level is not None for q in spec.quasi)
            message = (f"no generalisation meets k={spec.k}" + (f" and l={spec.l}" if spec.l else "")
                       + f" over persons with at most {spec.max_suppression:.1%} of persons suppressed"
                       + (" at the generalisation the dataset was published with (counted over all its parts)" if in_dataset else "")
                       + "; best found: "
                       + ", ".join(f"{c}: {w}" for c, w in words.items())
                       + f", suppressing {node.persons_suppressed:,} of {prep['base']:,} persons ({share:.1%})"
                       + (f" ({node.reason})" if node.reason and node.reason != "too many persons suppressed" else ""))
        heights = {q.column: (q.fixed_level or 0) + len(c.maps) - 1 for q, c in zip(spec.quasi, prep["cols"])}
        loss = {"loss_metric": round(node.loss, 4),
                "generalisation_intensity": round(float(np.mean([levels[c] / max(1, q.hierarchy.height)
                                                                 for c, q in zip(levels, spec.quasi)])), 4),
                "discernibility": int((node.sizes.astype(np.int64) ** 2).sum())}
        decision = Decision(spec, levels, words, self._renames(levels), passed, not failed, self.rows, prep["base"],
                            node.rows_suppressed, node.persons_suppressed, achieved, before, after, loss,
                            {"nodes": total, "evaluated": len(evaluated), "heights": heights},
                            size_histogram(node.sizes, spec.k), [], message, node.combo_suppressed)
        decision.columns = self._column_reports(prep, node, decision)
        self._levels_used = node.levels
        return decision

    def _evaluate_plain(self, prep) -> dict:
        """The measures of the input as it is: level 0, nothing suppressed."""
        node = tuple(0 for _ in prep["cols"])
        cls, ncls, _ = self._classes(prep, node)
        persons = np.bincount(cls, weights=prep["single"], minlength=ncls).astype(np.int64)
        if len(prep["mc"]):
            persons += _distinct_per_group(cls[prep["mc"]], prep["mp"], ncls)
        return class_measures(persons, self.spec.sampling_fraction)

    def _renames(self, levels: Dict[str, int]) -> Dict[str, str]:
        taken = set(self.spec.output_columns) - set(levels)
        renames = {}
        for q in self.spec.quasi:
            name = q.hierarchy.output_name(levels[q.column])
            if not name or name == q.column:
                continue
            if name in taken:
                name = f"{name}_{q.column}"
            if name in taken:
                continue
            taken.add(name)
            renames[q.column] = name
        return renames

    def _column_reports(self, prep, node: _Node, decision: Decision) -> List[dict]:
        reports = []
        supp = node.combo_suppressed
        for i, (q, col) in enumerate(zip(self.spec.quasi, prep["cols"])):
            lvl = node.levels[i]
            empty = (col.maps[lvl][prep["cq"][i]] == 0) & ~supp
            entry = {"column": q.column, "output_name": decision.renames.get(q.column, q.column),
                     "level": decision.levels[q.column], "generalisation": decision.words[q.column],
                     "hierarchy": q.hierarchy.signature(), "rows_suppressed": node.rows_suppressed,
                     "persons_suppressed": node.persons_suppressed, "rows_empty": int(prep["rows"][empty | supp].sum())}
            if q.hierarchy.kind in ("age_band", "birth_year", "custom") and lvl:
                values = self._qcodes[i].values
                entry["mapping"] = {v: col.labels[lvl][col.maps[lvl][c]] for c, v in enumerate(values) if c}
            reports.append(entry)
        return reports

    def measure(self) -> dict:
        """The measures of what was counted, as it is (nothing generalised or suppressed): for ``risk``."""
        spec = self.spec
        if not spec.quasi or not self.rows:
            return {"rows": self.rows, **class_measures([]), "l": None, "classes_below_k": 0, "persons_below_k": 0,
                    "class_sizes": []}
        prep = self._prepare()
        node = tuple(0 for _ in prep["cols"])
        cls, ncls, _ = self._classes(prep, node)
        persons = np.bincount(cls, weights=prep["single"], minlength=ncls).astype(np.int64)
        if len(prep["mc"]):
            persons += _distinct_per_group(cls[prep["mc"]], prep["mp"], ncls)
        below = persons < spec.k
        result = {"rows": self.rows, **class_measures(persons, spec.sampling_fraction),
                  "classes_below_k": int(below.sum()), "persons_below_k": self._persons_in(prep, cls, below),
                  "rows_below_k": int(prep["rows"][below[cls]].sum()), "class_sizes": size_histogram(persons, spec.k)}
        result["l"] = None
        if spec.l and prep["sens"]:
            diversity = np.full(ncls, np.iinfo(np.int64).max)
            for sc, ss in prep["sens"]:
                d = _distinct_per_group(cls[sc], ss, ncls)
                # A class with no recorded value of the attribute discloses none.
                diversity = np.minimum(diversity, np.where(d == 0, np.iinfo(np.int64).max, d))
            result["l"] = int(diversity.min()) if (diversity < np.iinfo(np.int64).max).any() else None
            result["classes_below_l"] = int((diversity < spec.l).sum())
        return result

    # ------------------------------------------------------------ applying the decision

    def apply(self, frame: pd.DataFrame, decision: Decision) -> tuple[pd.DataFrame, int]:
        """Generalise a chunk to the decided levels and empty the quasi-identifiers of suppressed rows."""
        if not self.spec.quasi or decision.combo_suppressed is None:
            return frame, 0
        prep = self._prepare()
        frame = frame.copy()
        codes = self._level0(frame, prior=False, grow=False)
        unknown = np.zeros(len(frame), dtype=bool)
        for c in codes:
            unknown |= c < 0
        codes = [np.where(c < 0, 0, c) for c in codes]
        sizes = [len(b.values) for b in self._qcodes]
        row_key, combo_key = _pack(codes, sizes), _pack(prep["cq"], sizes)
        if row_key is None:
            index = pd.MultiIndex.from_arrays(prep["cq"])
            position = index.get_indexer(pd.MultiIndex.from_arrays(codes))
        else:
            order = np.argsort(combo_key)
            at = np.searchsorted(combo_key[order], row_key).clip(0, max(0, len(order) - 1))
            position = np.where(combo_key[order][at] == row_key, order[at], -1) if len(order) else np.full(len(row_key), -1)
        missing = position < 0
        suppressed = unknown | missing | decision.combo_suppressed[np.where(missing, 0, position)]
        for i, (q, col) in enumerate(zip(self.spec.quasi, prep["cols"])):
            lvl = self._levels_used[i]
            labels = np.array(col.labels[lvl], dtype=object)
            values = labels[col.maps[lvl][codes[i]]]
            values[suppressed] = None
            frame[q.column] = pd.Series(values, index=frame.index, dtype="str")
        return frame, int(suppressed.sum())
