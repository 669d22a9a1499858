"""Access and portability: every dataset, part and row that holds a person.

:func:`locate` turns each person's BSN or member number into the pseudonym of
each published file (its key and domain, from the manifest) and reads only the
person columns of each part (``pyarrow``, column projection), so 10M rows are
searched in seconds.  :func:`export` writes the person's rows per dataset as CSV
and JSON for a subject-access or portability request.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ..masking.operators import TOKEN_LENGTH, text_token
from .subjects import RightsError, Source, Subject, dataset_dirs, sources, wanted_pseudonyms

PERIOD = "period"


@dataclass
class PartHits:
    dataset: str
    part: str                      # relative to the dataset folder
    manifest: str                  # the manifest's file stem (sha16)
    rows_total: int
    rows: Dict[int, set] = field(default_factory=dict)           # subject index -> row numbers in the part
    pseudonyms: Dict[str, set] = field(default_factory=dict)     # column -> pseudonyms found in it
    text_tokens: Dict[str, set] = field(default_factory=dict)    # free-text column -> tokens found in it

    @property
    def period(self) -> str:
        head = self.part.split("/", 1)[0]
        return head.split("=", 1)[1] if head.startswith(PERIOD + "=") else "unknown"

    def matched(self) -> np.ndarray:
        return np.array(sorted(set().union(*self.rows.values())), dtype=np.int64)


@dataclass
class Location:
    subjects: List[Subject]
    hits: List[PartHits]
    datasets: List[Path]
    searched: Dict[str, dict]       # dataset -> {"rows": n, "columns": [...]}; which were searched and how

    def counts(self) -> Dict[str, Dict[str, Dict[str, int]]]:
        """subject label -> dataset -> period -> rows."""
        out: Dict[str, Dict[str, Dict[str, int]]] = {s.label: {} for s in self.subjects}
        for h in self.hits:
            for i, rows in h.rows.items():
                per = out[self.subjects[i].label].setdefault(h.dataset, {})
                per[h.period] = per.get(h.period, 0) + len(rows)
        return out

    def summary(self, request_id: Optional[str] = None) -> dict:
        """Machine-readable: labels, datasets, parts, row numbers; never an identifier."""
        people = []
        counts = self.counts()
        for i, s in enumerate(self.subjects):
            parts = [{"dataset": h.dataset, "part": h.part, "period": h.period, "rows": sorted(h.rows[i])}
                     for h in self.hits if i in h.rows]
            people.append({"subject": s.label, "identifier": s.entity, "rows": sum(len(p["rows"]) for p in parts),
                           "datasets": counts[s.label], "parts": parts})
        return {"request_id": request_id, "subjects": people, "datasets_searched": self.searched}


def _column_values(table: pa.Table, name: str):
    """(values, row of each value): list columns (JSON arrays) flattened."""
    column = table.column(name).combine_chunks()
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        return pc.list_flatten(column), pc.list_parent_indices(column)
    return column, None


def _search_part(path: Path, source: Source, wanted: Dict[str, Dict[str, List[int]]], hits: PartHits) -> None:
    """One read of a part (its schema, then only the columns that can hold the persons)."""
    names = set(pq.read_schema(path).names)
    person = [c for c in source.columns if c in names and source.columns[c] in wanted]
    text = [c for c in source.text_columns if c in names and c not in person]
    if person or text:
        table = pq.read_table(path, columns=person + text)
        _search_pseudonyms(table, person, source.columns, wanted, hits)
        _search_text(table, text, wanted, hits)


def _search_pseudonyms(table: pa.Table, present: List[str], columns: Dict[str, str],
                       wanted: Dict[str, Dict[str, List[int]]], hits: PartHits) -> None:
    for name in present:
        lookup = wanted[columns[name]]
        values, parents = _column_values(table, name)
        if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
            continue
        mask = pc.is_in(values, value_set=pa.array(list(lookup), type=values.type))
        where = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
        if not len(where):
            continue
        found = values.take(pa.array(where)).to_pylist()
        rows = where if parents is None else parents.take(pa.array(where)).to_numpy()
        for row, value in zip(rows.tolist(), found):
            hits.pseudonyms.setdefault(name, set()).add(value)
            for subject in lookup[value]:
                hits.rows.setdefault(subject, set()).add(row)


_TOKEN = re.compile(r"<[A-Z][A-Z_]*:[0-9a-f]{%d}>" % TOKEN_LENGTH)


def _search_text(table: pa.Table, present: List[str], wanted: Dict[str, Dict[str, List[int]]], hits: PartHits) -> None:
    """Rows whose free text holds a person's token (``<NL_BSN:3fa2b1c9d0>``): a cheap columnar filter for
    any token of a wanted type, then the tokens of those cells only are looked up."""
    tokens = {text_token(entity, p): subjects for entity, by in wanted.items() for p, subjects in by.items()}
    if not tokens:
        return
    any_token = "<(?:%s):[0-9a-f]{%d}>" % ("|".join(sorted(wanted)), TOKEN_LENGTH)
    for name in present:
        values, parents = _column_values(table, name)
        if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
            continue
        where = np.flatnonzero(pc.fill_null(pc.match_substring_regex(values, any_token), False).to_numpy(zero_copy_only=False))
        if not len(where):
            continue
        rows = where if parents is None else parents.take(pa.array(where)).to_numpy()
        for row, text in zip(rows.tolist(), values.take(pa.array(where)).to_pylist()):
            for m in _TOKEN.finditer(text):
                for subject in tokens.get(m.group(), []):
                    hits.text_tokens.setdefault(name, set()).add(m.group())
                    hits.rows.setdefault(subject, set()).add(row)


def locate(dataset_paths: Iterable[Path | str], key: bytes, people: List[Subject]) -> Location:
    """Every part row holding one of ``people``, in every given dataset."""
    datasets = dataset_dirs(dataset_paths)
    hits: List[PartHits] = []
    searched: Dict[str, dict] = {}
    for dataset_dir in datasets:
        info = searched.setdefault(dataset_dir.name, {"rows": 0, "columns": [], "files": 0})
        for source in sources(dataset_dir, key):
            wanted = wanted_pseudonyms(key, people, source.domain)
            info["files"] += 1
            info["columns"] = sorted(set(info["columns"]) | set(source.columns))
            for rel in source.parts:
                path = dataset_dir / rel
                if not path.exists():
                    continue
                try:
                    part = PartHits(dataset_dir.name, rel, source.manifest_file.stem, pq.ParquetFile(path).metadata.num_rows)
                    _search_part(path, source, wanted, part)
                except (OSError, pa.ArrowException):
                    raise RightsError(f"dataset '{dataset_dir.name}': part {rel} cannot be read (damaged or not Parquet); "
                                      "restore it before answering the request") from None
                info["rows"] += part.rows_total
                if part.rows:
                    hits.append(part)
    return Location(people, hits, datasets, searched)


def _flat(table: pa.Table) -> pa.Table:
    """CSV has no lists or decimals problems: list columns become JSON text."""
    from ..masking.writers import _flat_for_text

    return _flat_for_text(table)


def export(location: Location, folder: Path | str) -> List[Path]:
    """``FOLDER/<subject>/<dataset>.csv`` and ``.json``: the person's anonymised rows, owner-only files."""
    folder = Path(folder)
    written = []
    by_subject: Dict[int, Dict[str, List[pa.Table]]] = defaultdict(lambda: defaultdict(list))
    roots = {d.name: d for d in location.datasets}
    for h in location.hits:
        table = pq.ParquetFile(roots[h.dataset] / h.part).read()
        for i, rows in h.rows.items():
            picked = table.take(pa.array(sorted(rows), type=pa.int64()))
            picked = picked.append_column(PERIOD, pa.array([h.period] * picked.num_rows, type=pa.string()))
            by_subject[i][h.dataset].append(picked)
    for i, s in enumerate(location.subjects):
        target = folder / s.label
        target.mkdir(parents=True, exist_ok=True)
        os.chmod(target, 0o700)
        for dataset, tables in sorted(by_subject.get(i, {}).items()):
            table = pa.concat_tables(tables, promote_options="default")
            csv_path, json_path = target / f"{dataset}.csv", target / f"{dataset}.json"
            _write_private(csv_path, lambda f: pa_csv.write_csv(_flat(table), f))
            records = json.dumps(table.to_pylist(), default=str, ensure_ascii=False, indent=1)
            _write_private(json_path, lambda f: f.write(records.encode("utf-8")))
            written += [csv_path, json_path]
    return written


def _write_private(path: Path, write) -> None:
    tmp = path.parent / f".{path.name}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        write(f)
    os.replace(tmp, path)
