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
>>> _ = gate.add(pd.DataFrame({"age": ["40-49", "50-59", "40-49", "40-49"], "pc": ["1012", "1013", "1013", "1013"],
...                        "id": ["a", "b", "c", "c"]}))
>>> d = gate.decide()
>>> d.levels, d.words, d.achieved["k"], d.persons, d.persons_suppressed
({'age': 1, 'pc': 1}, {'age': 'age band 20 years, 90+', 'pc': 'PC3'}, 3, 3, 0)
"""

from __future__ import annotations

import heapq
import itertools
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .hierarchies import STAR, Hierarchy
from .risk import class_measures, size_histogram

_KEYS_MAX = 2 ** 62
GROUP_EVERY = 200_000   # rows counted between two groupings of the gate's pairs, at least


_CODE_LIST = re.compile(r"^aanduiding|codelijst|code_lijst|code_list|_indicator$|^indicator_", re.IGNORECASE)


def names_a_code_list(name: str) -> bool:
    """Whether a column holds which code list a code comes from, not a code (Vektis EI's ``Aanduiding
    prestatiecodelijst``): a name glob for sensitive attributes (``*prestatiecode*``) must not take it.

    >>> [names_a_code_list(n) for n in ("aanduiding_prestatiecodelijst_01", "prestatiecode", "regels[].prestatiecode")]
    [True, False, False]
    """
    return bool(_CODE_LIST.search(name.rsplit(".", 1)[-1]))


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
    on_dataset_break: str = "fail"                            # fail | regeneralise (the whole dataset, above its levels)

    @property
    def columns(self) -> List[str]:
        return [q.column for q in self.quasi]


class _Codes:
    """Value -> small integer, stable over chunks; 0 is 'empty'.  One dict look-up per distinct value of a chunk
    (a chunk's quasi-identifiers hold tens to thousands of distinct values: a pandas index cost milliseconds
    per call in its set-up alone)."""

    def __init__(self) -> None:
        self._known: List[object] = []
        self._position: Dict[object, int] = {}

    @property
    def values(self) -> List[Optional[str]]:
        return [None] + self._known

    def __len__(self) -> int:
        return len(self._known) + 1

    def lookup(self, uniques: list, grow: bool = True) -> np.ndarray:
        """Codes of distinct values (None or blank: 0; never counted and not ``grow``: -1)."""
        get = self._position.get
        codes = np.fromiter((get(v, -1) + 1 for v in uniques), dtype=np.int64, count=len(uniques))
        for i in np.flatnonzero(codes == 0).tolist():   # only values not met before are checked for being blank
            v = uniques[i]
            if pd.isna(v) or str(v).strip() == "":
                continue   # 0: empty
            if grow:
                self._position[v] = len(self._known)
                self._known.append(v)
                codes[i] = len(self._known)
            else:
                codes[i] = -1
        return codes

    def encode(self, values, grow: bool = True, fn=None) -> np.ndarray:
        """Codes of a column (Arrow array or pandas Series); ``fn`` maps each distinct value first."""
        indices, uniques = _dictionary(values)
        if fn is not None:
            uniques = [None if v is None else fn(v) for v in uniques]
        return np.append(self.lookup(uniques, grow), 0)[indices]


def _as_arrow(values) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        # One chunk (a staged chunk's columns): that chunk, not a copy of it.
        values = values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
    if not isinstance(values, pa.Array):
        values = pa.array(pd.Series(values).astype(object).where(pd.Series(values).notna(), None).tolist())
    return values


def _dictionary(values, as_arrow: bool = False) -> tuple[np.ndarray, object]:
    """(index per row, -1 for empty; the distinct values): Arrow's hash encoding, in C."""
    arr = _as_arrow(values)
    if pa.types.is_null(arr.type):
        return np.full(len(arr), -1, dtype=np.int64), (pa.array([], pa.string()) if as_arrow else [])
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = pc.cast(arr, pa.string())
    if not pa.types.is_dictionary(arr.type):
        arr = pc.dictionary_encode(arr)
    indices = pc.fill_null(arr.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return indices, (arr.dictionary if as_arrow else arr.dictionary.to_numpy(zero_copy_only=False).tolist())


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit reaches every output bit."""
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _fixed_width_hash(arr: pa.Array) -> Optional[np.ndarray]:
    """64-bit hashes of a string column whose values all have one length that is a multiple of 8 (pseudonyms),
    straight from Arrow's buffers (no Python strings); None (use the general path) otherwise.  Empty rows hash to 0."""
    large = pa.types.is_large_string(arr.type)   # pandas 3's string columns arrive as large_string
    if not (pa.types.is_string(arr.type) or large) or len(arr) == 0:
        return None
    _, offsets_buf, data_buf = arr.buffers()
    width_of = 8 if large else 4
    offsets = np.frombuffer(offsets_buf, dtype=np.int64 if large else np.int32, count=len(arr) + 1, offset=arr.offset * width_of)
    lengths = np.diff(offsets)
    valid = lengths > 0
    if arr.null_count:
        valid &= arr.is_valid().to_numpy(zero_copy_only=False)
    widths = _unique(lengths[valid])
    if len(widths) != 1 or widths[0] % 8 or data_buf is None:
        return None
    width, count = int(widths[0]), int(valid.sum())
    if int(offsets[-1] - offsets[0]) != width * count:
        return None   # a null with a value behind it: not contiguous
    # The values are contiguous in the data buffer: read them as 64-bit words, no copy.
    words = np.frombuffer(data_buf, dtype=np.uint64, count=count * width // 8, offset=int(offsets[0])).reshape(count, width // 8)
    with np.errstate(over="ignore"):
        h = np.full(count, 0xCBF29CE484222325, dtype=np.uint64)
        for j in range(words.shape[1]):
            h = _mix(h ^ words[:, j])
    out = np.zeros(len(arr), dtype=np.uint64)
    out[valid] = h
    return out


def _column(table, name: str):
    return table.column(name) if name in table.column_names else pa.nulls(table.num_rows, pa.string())


def _to_arrow(frame) -> pa.Table:
    if isinstance(frame, (pa.Table, pa.RecordBatch)):
        return frame if isinstance(frame, pa.Table) else pa.Table.from_batches([frame])
    columns = {}
    for c in frame.columns:
        values = frame[c].reset_index(drop=True)
        values = values.astype(object).where(values.notna(), None)
        try:
            columns[c] = pa.array(values.tolist())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[c] = pa.array([None if v is None else str(v) for v in values], type=pa.string())
    return pa.table(columns) if columns else pa.table({"_": pa.nulls(len(frame))}).drop(["_"])


def _pack(arrays: Sequence[np.ndarray], sizes: Sequence[int]) -> Optional[np.ndarray]:
    """One int64 key per row from several code arrays (mixed radix); None if it would overflow."""
    if int(np.prod([max(s, 1) for s in sizes], dtype=object)) >= _KEYS_MAX:
        return None
    key = np.zeros(len(arrays[0]) if arrays else 0, dtype=np.int64)
    for a, s in zip(arrays, sizes):
        key = key * max(s, 1) + a
    return key


def _unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` (sorted distinct values) by a sort and a compare: numpy 2's hash-based ``np.unique`` took
    2.3 s on 2.5M int64 keys, this 0.05 s.

    >>> _unique(np.array([3, 1, 3, 2, 1])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _distinct_per_group(group: np.ndarray, ids: np.ndarray, groups: int) -> np.ndarray:
    if not len(ids):
        return np.zeros(groups, dtype=np.int64)
    width = int(ids.max()) + 1
    pairs = _unique(group.astype(np.int64) * width + ids)
    return np.bincount(pairs // width, minlength=groups)


@dataclass
class _Column:
    """One quasi-identifier's level-0 codes mapped to every level: codes, labels, loss."""
    maps: List[np.ndarray]       # level -> array(level-0 code -> level code); 0 stays 0 (empty)
    labels: List[list]           # level -> level code -> label
    loss: List[np.ndarray]       # level -> array(level-0 code -> Iyengar loss in [0, 1])


def _column_levels(hierarchy: Hierarchy, values: List[Optional[str]], fixed: bool, base: int = 0) -> _Column:
    """``values`` are at level ``base`` (0, or the dataset's level); the column's lattice runs from there up."""
    maps, labels, losses = [], [], []
    top = 0 if fixed else hierarchy.height - base
    distinct = len(values) - 1
    for level in range(top + 1):
        out = [None] + [hierarchy.lift(v, base, base + level) if base else hierarchy.generalise(v, level) for v in values[1:]]
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
    regeneralised: Dict[str, dict] = field(default_factory=dict)   # column -> {"from": level, "to": level}

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
                # dataset: k, l, classes and risks are over all published parts with this file, at the dataset's
                # levels ('before' is then before this file's suppression); persons are this file's.
                "scope": "dataset" if any(q.fixed_level is not None for q in s.quasi) else "file",
                **({"regeneralised": self.regeneralised} if self.regeneralised else {}),
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
        self._anonymous = 0
        self._pairs: List[pd.DataFrame] = []
        self._pending = 0              # rows counted since the pairs were last grouped
        self._distinct_pairs = 0       # distinct (codes, person) pairs at that grouping
        self._sens: List[List[pd.DataFrame]] = [[] for _ in spec.sensitive]
        self._prepared = None
        self._regeneralising = False   # the dataset's levels failed: search above them (on_dataset_break)

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

    def _level0(self, table: pa.Table, prior: bool, grow: bool = True) -> List[np.ndarray]:
        codes = []
        for q, book in zip(self.spec.quasi, self._qcodes):
            fixed = q.fixed_level and not prior   # a later part: brought to the dataset's level first
            fn = (lambda v, q=q: q.hierarchy.generalise(v, q.fixed_level)) if fixed else None
            codes.append(book.encode(_column(table, q.column), grow, fn))
        return codes

    def _person_ids(self, table: pa.Table) -> np.ndarray:
        """A 62-bit hash of the person key (a collision merges two persons, which understates k)."""
        ids = np.zeros(table.num_rows, dtype=np.int64)
        for i, column in enumerate(self.spec.person_columns):
            if column not in table.column_names:
                continue
            salt = np.uint64((0x9E3779B97F4A7C15 * (i + 1)) & (2 ** 64 - 1))   # each key column its own ids
            arr = _as_arrow(table.column(column))
            fast = _fixed_width_hash(arr)
            if fast is not None:
                found = np.where(fast == 0, 0, ((fast ^ salt) & np.uint64(2 ** 62 - 1)).astype(np.int64) + 1)
            else:
                indices, uniques = _dictionary(arr, as_arrow=True)
                if not len(uniques):
                    continue
                blank = pc.equal(pc.utf8_trim_whitespace(uniques), "").to_numpy(zero_copy_only=False)
                hashed = pd.util.hash_array(uniques.to_numpy(zero_copy_only=False), categorize=False) ^ salt
                hashed = (hashed & np.uint64(2 ** 62 - 1)).astype(np.int64) + 1
                hashed[blank] = 0
                found = np.append(hashed, 0)[indices]
            ids = np.where(ids == 0, found, ids)  # the first key present wins
        missing = ids == 0
        # A row without a person key is a person of its own: negative ids never repeat.
        ids[missing] = -(self._anonymous + 1 + np.arange(int(missing.sum())))
        self._anonymous += int(missing.sum())
        return ids

    def _sensitive(self, table: pa.Table, data: dict) -> None:
        for j, column in enumerate(self.spec.sensitive):
            if column not in table.column_names:
                continue
            values = table.column(column).combine_chunks()
            at = np.arange(table.num_rows)
            if pa.types.is_list(values.type) or pa.types.is_large_list(values.type):
                # A list column (invoice lines): every value of the row counts.
                at = pc.list_parent_indices(values).to_numpy(zero_copy_only=False)
                values = pc.list_flatten(values)
            s = pd.DataFrame({k: v[at] for k, v in data.items()})
            s["s"] = self._scodes[j].encode(values)
            self._sens[j].append(s[s["s"] > 0])

    def add(self, frame, prior: bool = False) -> List[np.ndarray]:
        """Count one chunk of output (an Arrow table or a DataFrame); ``prior``: rows of the dataset's published parts.

        Returns the rows' level-0 codes, one array per quasi-identifier (none without quasi-identifiers): staged
        with the rows, they let :meth:`apply_codes` generalise them without encoding the values again."""
        table = _to_arrow(frame)
        self.rows += table.num_rows
        if not self.spec.quasi:
            return []
        if not table.num_rows:
            return [np.zeros(0, dtype=np.int64) for _ in self.spec.quasi]
        self._prepared = None
        codes = self._level0(table, prior)
        data = {f"q{i}": c for i, c in enumerate(codes)}
        pairs = pd.DataFrame({**data, "p": self._person_ids(table), "rows": 1, "prior": int(prior)})
        self._pairs.append(pairs)
        self._grouped = False
        self._pending += len(pairs)
        self._sensitive(table, data)
        # Group now and then: memory follows the distinct pairs, not the rows.  Ungrouped rows wait until
        # they are as many as the grouped ones (at least GROUP_EVERY), so each row is grouped a bounded
        # number of times whatever the number of distinct pairs, and at most about twice them are held.
        if self._pending >= max(GROUP_EVERY, self._distinct_pairs):
            self._pairs = [self._merged_pairs()]
            self._grouped = True   # one frame, grouped already: not grouped again unless more chunks come
            self._distinct_pairs, self._pending = len(self._pairs[0]), 0
            qcols = list(data)
            for j, book in enumerate(self._scodes):
                if self._sens[j]:
                    self._sens[j] = [self._distinct(pd.concat(self._sens[j], ignore_index=True), qcols + ["s"],
                                                    [len(b) for b in self._qcodes] + [len(book)])]
        return codes

    def _group_pairs(self, pairs: pd.DataFrame) -> pd.DataFrame:
        """Distinct (codes, person) with their rows: codes packed into one key, persons numbered, one hash pass."""
        qcols = [f"q{i}" for i in range(len(self.spec.quasi))]
        sizes = [len(b) for b in self._qcodes]
        key = _pack([pairs[c].to_numpy() for c in qcols], sizes)
        person_code, persons = pd.factorize(pairs["p"].to_numpy())
        if key is None or not len(pairs) or (int(key.max()) + 1) * max(1, len(persons)) >= _KEYS_MAX:
            return pairs.groupby(qcols + ["p"], sort=False).sum().reset_index()
        group, combined = pd.factorize(key * len(persons) + person_code)
        rows = np.bincount(group, weights=pairs["rows"].to_numpy()).astype(np.int64)
        prior = np.bincount(group, weights=pairs["prior"].to_numpy()).astype(np.int64)
        rest, out = combined // len(persons), {}
        for c, size in zip(reversed(qcols), reversed(sizes)):
            rest, out[c] = np.divmod(rest, max(size, 1))
        return pd.DataFrame({**{c: out[c] for c in qcols}, "p": persons[combined % len(persons)], "rows": rows, "prior": prior})

    @staticmethod
    def _distinct(frame: pd.DataFrame, columns: List[str], sizes: List[int]) -> pd.DataFrame:
        key = _pack([frame[c].to_numpy() for c in columns], sizes)
        if key is None:
            return frame[columns].drop_duplicates()
        rest, out = pd.unique(key), {}
        for c, size in zip(reversed(columns), reversed(sizes)):
            rest, out[c] = np.divmod(rest, max(size, 1))
        return pd.DataFrame({c: out[c] for c in columns})

    def _merged_pairs(self) -> pd.DataFrame:
        keys = [f"q{i}" for i in range(len(self.spec.quasi))] + ["p"]
        if not self._pairs:
            return pd.DataFrame({k: np.zeros(0, dtype=np.int64) for k in keys + ["rows", "prior"]})
        if len(self._pairs) == 1 and getattr(self, "_grouped", False):
            return self._pairs[0].copy()
        return self._group_pairs(pd.concat(self._pairs, ignore_index=True))

    # ------------------------------------------------------------ the grouped codes

    def _prepare(self):
        if self._prepared is not None:
            return self._prepared
        q = len(self.spec.quasi)
        qcols = [f"q{i}" for i in range(q)]
        pairs = self._merged_pairs()
        pairs["p"] = pd.factorize(pairs["p"])[0]   # compact person ids: 0 .. persons - 1
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
            "cols": [_column_levels(h.hierarchy, book.values, fixed=self._fixed(h), base=h.fixed_level or 0)
                     for h, book in zip(self.spec.quasi, self._qcodes)],
            "sens": [], "l": [],
        }
        for parts, book in zip(self._sens, self._scodes):
            s = self._distinct(pd.concat(parts, ignore_index=True), qcols + ["s"], [len(b) for b in self._qcodes] + [len(book)]) \
                if parts else pd.DataFrame({**{c: [] for c in qcols}, "s": []}, dtype=np.int64)
            s = s.merge(combos, on=qcols, how="inner")
            distinct = int(s["s"].nunique())
            if self.spec.l and distinct < 2:
                # One value in the whole table (a constant): being in the file already tells it, no
                # generalisation can change that, so it does not steer the search.
                continue
            prep["sens"].append((s["c"].to_numpy(dtype=np.int64), s["s"].to_numpy(dtype=np.int64)))
            # No class can hold more values than the table has: l is capped at that (an attribute with two
            # values keeps both in every class when l = 3, rather than going unprotected).
            prep["l"].append(min(self.spec.l or 0, distinct))
        self._prepared = prep
        return prep

    def _fixed(self, q: QuasiIdentifier) -> bool:
        """A column the search may not generalise: the policy says so, or the dataset fixed its level (unless
        the dataset is being generalised further, which a policy's own hierarchy cannot be)."""
        if not self.spec.generalize:
            return True
        if q.fixed_level is None:
            return False
        return not (self._regeneralising and q.hierarchy.liftable)

    def _may_regeneralise(self) -> bool:
        return (self.spec.on_dataset_break == "regeneralise" and self.spec.generalize and not self._regeneralising
                and any(q.fixed_level is not None and q.hierarchy.liftable
                        and q.fixed_level < q.hierarchy.height for q in self.spec.quasi))

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
        return singles + int(len(_unique(multi)))

    def _diversity_in(self, prep, cls: np.ndarray, chosen: np.ndarray) -> int:
        # No sensitive attribute (or no value of it among these rows): l-diversity has nothing to protect.
        values = [v for v in (len(_unique(ss[chosen[cls[sc]]])) for sc, ss in prep["sens"]) if v]
        return min(values) if values else np.iinfo(np.int64).max

    def _diverse_enough(self, prep, cls: np.ndarray, chosen: np.ndarray) -> bool:
        for (sc, ss), needed in zip(prep["sens"], prep["l"]):
            found = len(_unique(ss[chosen[cls[sc]]]))
            if found and found < needed:
                return False
        return True

    def _evaluate(self, prep, node: tuple) -> _Node:
        spec = self.spec
        cls, ncls, empty_class = self._classes(prep, node)
        persons = np.bincount(cls, weights=prep["single"], minlength=ncls).astype(np.int64)
        if len(prep["mc"]):
            persons += _distinct_per_group(cls[prep["mc"]], prep["mp"], ncls)
        small = persons < spec.k
        diversity = np.full(ncls, np.iinfo(np.int64).max)
        if spec.l:
            for (sc, ss), needed in zip(prep["sens"], prep["l"]):
                d = _distinct_per_group(cls[sc], ss, ncls)
                # A class with no recorded value of the attribute discloses none.
                d = np.where(d == 0, np.iinfo(np.int64).max, d)
                diversity = np.minimum(diversity, d)
                small |= d < needed
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
            if enough and (not spec.l or self._diverse_enough(prep, cls, pool)):
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
        if best is None and self._may_regeneralise():
            # A new file breaks k (or l) at the dataset's levels: search the lattice above them over all parts
            # together; the published parts are then re-published at the levels found (batch: commit_version).
            self._regeneralising, self._prepared = True, None
            prep = self._prepare()
            best, more, total = self._search(prep)
            evaluated += more
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
        # l is not applicable (null) without a sensitive attribute that has values in this table.
        achieved = {"k": after["k"], "l": node.diversity if spec.l and node.diversity < np.iinfo(np.int64).max else None}
        if spec.l and achieved["l"] is None:
            achieved["l_note"] = "not applicable: no sensitive attribute with values in this table"
        elif spec.l and min(prep["l"]) < spec.l:
            achieved["l_required_in_this_table"] = min(prep["l"])   # fewer distinct values in the whole table
        passed = not failed or (spec.on_failure == "suppress" and not node.reason.startswith(("fewer", "classes")))
        message = ""
        if failed:
            share = node.persons_suppressed / max(1, prep["base"])
            in_dataset = any(q.fixed_level is not None for q in spec.quasi)
            message = (f"no generalisation meets k={spec.k}" + (f" and l={spec.l}" if spec.l else "")
                       + f" over persons with at most {spec.max_suppression:.1%} of persons suppressed"
                       + ((" even with the whole dataset generalised further" if self._regeneralising else
                           " at the generalisation the dataset was published with") + " (counted over all its parts)" if in_dataset else "")
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
        if self._regeneralising:
            decision.regeneralised = {q.column: {"from": q.fixed_level, "to": levels[q.column]} for q in spec.quasi
                                      if q.fixed_level is not None and levels[q.column] != q.fixed_level}
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
        """Generalise a chunk (DataFrame) to the decided levels and empty the quasi-identifiers of suppressed rows."""
        arrays, n = self.apply_arrow(_to_arrow(frame[[c for c in self.columns if c in frame]]), decision)
        frame = frame.copy()
        for name, array in arrays.items():
            frame[name] = pd.Series(array.to_pylist(), index=frame.index, dtype=object)
        return frame, n

    def apply_arrow(self, table, decision: Decision, prior: bool = False) -> tuple[Dict[str, pa.Array], int]:
        """The quasi-identifier columns of an Arrow chunk, generalised and suppressed; and the rows suppressed.
        ``prior``: a chunk of the dataset's published parts (values at the dataset's levels), being re-published."""
        if not self.spec.quasi or decision.combo_suppressed is None:
            return {}, 0
        table = _to_arrow(table)
        return self.apply_codes(self._level0(table, prior=prior, grow=False), decision)

    def apply_codes(self, codes: List[np.ndarray], decision: Decision) -> tuple[Dict[str, pa.Array], int]:
        """:meth:`apply_arrow` from the rows' level-0 codes (what :meth:`add` returned for them; -1: not counted)."""
        if not self.spec.quasi or decision.combo_suppressed is None:
            return {}, 0
        prep = self._prepare()
        unknown = np.zeros(len(codes[0]), dtype=bool)
        for c in codes:
            unknown |= c < 0
        codes = [np.where(c < 0, 0, c) for c in codes]
        sizes = [len(b) for b in self._qcodes]
        row_key = _pack(codes, sizes)
        if row_key is None:
            position = pd.MultiIndex.from_arrays(prep["cq"]).get_indexer(pd.MultiIndex.from_arrays(codes))
        else:
            position = self._combo_lookup(prep, sizes)(row_key)
        missing = position < 0
        suppressed = unknown | missing | decision.combo_suppressed[np.where(missing, 0, position)]
        out = {}
        for i, (q, col) in enumerate(zip(self.spec.quasi, prep["cols"])):
            lvl = self._levels_used[i]
            level_codes = np.where(suppressed, 0, col.maps[lvl][codes[i]])
            labels = prep.setdefault("labels", {}).get((i, lvl))
            if labels is None:   # built once per decision, not once per batch
                labels = prep["labels"][(i, lvl)] = pa.array(col.labels[lvl], type=pa.string())
            out[q.column] = labels.take(pa.array(level_codes))
        return out, int(suppressed.sum())

    @staticmethod
    def _combo_lookup(prep, sizes):
        """row key -> combination index (-1: not counted), built once per decision: a dense table when the
        key space is small (one array index per row), else a sorted search."""
        if "lookup" not in prep:
            combo_key = _pack(prep["cq"], sizes)
            space = int(np.prod([max(x, 1) for x in sizes], dtype=object))
            if not len(combo_key):
                prep["lookup"] = lambda keys: np.full(len(keys), -1)
            elif space <= 1 << 22:
                dense = np.full(space, -1, dtype=np.int64)
                dense[combo_key] = np.arange(len(combo_key))
                prep["lookup"] = lambda keys: dense[keys]
            else:
                order = np.argsort(combo_key)
                ordered = combo_key[order]

                def search(keys):
                    at = np.searchsorted(ordered, keys).clip(0, len(order) - 1)
                    return np.where(ordered[at] == keys, order[at], -1)
                prep["lookup"] = search
        return prep["lookup"]

    def republish(self, table: pa.Table, decision: Decision, names: Dict[str, str]) -> pa.Table:
        """A published part of the dataset at the decision's (coarser) levels: ``names`` maps each
        quasi-identifier (``q.column``) to its name in the part; the result has the decision's names.

        Raises ValueError if a row would be suppressed: a class holding published rows never falls below
        k at coarser levels (monotonicity), so that only happens if the part was not counted."""
        columns = {q.column: names.get(q.column, q.column) for q in self.spec.quasi}
        present = {c: n for c, n in columns.items() if n in table.column_names}
        qi = table.select(list(present.values())).rename_columns(list(present))
        arrays, suppressed = self.apply_arrow(qi, decision, prior=True)
        if suppressed:
            raise ValueError(f"{suppressed} published row(s) would lose their quasi-identifiers; the part was not counted")
        for column, name in present.items():
            at = table.schema.get_field_index(name)
            table = table.set_column(at, pa.field(decision.renames.get(column, column), pa.string(),
                                                  metadata=table.schema.field(at).metadata), arrays[column])
        return table
