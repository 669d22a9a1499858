"""Retention: rows past their term leave the published datasets; old quarantined inputs are deleted.

The policy says per dataset how long rows are kept::

    retention:
      claims:   {column: behandeldatum, keep: 7y}                       # each row from its own date
      debtors:  {column: factuurdatum, keep: 7y, from: last_per_person}  # from the person's last record
      contacts: {keep: 3m}                                              # by partition period (its last day)
    quarantine_retention: 30d                                           # quarantined input files

A row dated D is past its term on day T when D < T - keep (d, m, y: calendar
days, months, years).  Rows without a date are kept, and counted.  Parts that
straddle the boundary are rewritten, wholly expired parts deleted, through the
same journal as erasure (:mod:`.rewrite`), and each run appends to
``OUTPUT/_rights/retention_log.jsonl`` (dataset, period, rows removed, rule).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import numpy as np
import pyarrow.parquet as pq

from .rewrite import _append_log, commit, finish_pending, new_job, output_held, predicate, row_dates
from .subjects import RightsError, dataset_dirs, output_root, sources


def cutoff(as_of: dt.date, term: str) -> dt.date:
    """The first day still kept.

    >>> cutoff(dt.date(2026, 12, 1), "7y"), cutoff(dt.date(2024, 2, 29), "1y"), cutoff(dt.date(2026, 3, 31), "1m")
    (datetime.date(2019, 12, 1), datetime.date(2023, 2, 28), datetime.date(2026, 2, 28))
    >>> cutoff(dt.date(2026, 12, 1), "30d")
    datetime.date(2026, 11, 1)
    """
    n, unit = int(term[:-1]), term[-1]
    if unit == "d":
        return as_of - dt.timedelta(days=n)
    months = n * (12 if unit == "y" else 1)
    index = as_of.year * 12 + as_of.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(as_of.day, last))


def _person_column(dataset_dir: Path, rule) -> Optional[str]:
    if rule.from_ != "last_per_person":
        return None
    if rule.person_column:
        return rule.person_column
    for source in sources(dataset_dir):
        for column, entity in source.columns.items():
            if entity == "NL_BSN":
                return column
    raise RightsError(f"dataset '{dataset_dir.name}': 'from: last_per_person' needs a BSN column or person_column")


def plan_dataset(dataset_dir: Path, rule, as_of: dt.date) -> Optional[dict]:
    """The parts of one dataset that lose rows under ``rule``, with the counts per period."""
    person = _person_column(dataset_dir, rule)
    spec = {"kind": "before", "column": rule.column, "cutoff": cutoff(as_of, rule.keep).isoformat(),
            "from": rule.from_, "person_column": person}
    parts = [(s, rel) for s in sources(dataset_dir) for rel in s.parts if (dataset_dir / rel).exists()]
    pick = predicate(dataset_dir, spec, [rel for _, rel in parts])
    needed = [c for c in (rule.column, person) if c]
    entries, periods, undated = [], {}, 0
    for source, rel in parts:
        path = dataset_dir / rel
        table = pq.ParquetFile(path).read(columns=needed)
        period = rel.split("/", 1)[0].split("=", 1)[-1]
        remove = pick(table, period)
        if rule.column:
            undated += int(np.asarray(row_dates(table, rule.column, period, dataset_dir.name).is_null()).sum())
        n = int(remove.sum())
        if n:
            entries.append({"part": rel, "manifest": source.manifest_file.stem, "rows_before": table.num_rows, "remove": n})
            periods[period] = periods.get(period, 0) + n
    rule_text = {"column": rule.column or "(partition period)", "keep": rule.keep, "from": rule.from_,
                 "cutoff": spec["cutoff"]}
    return {"predicate": spec, "parts": entries, "summary": {"rule": rule_text, "rows": sum(periods.values()),
                                                             "periods": dict(sorted(periods.items())),
                                                             "undated_rows_kept": undated}}


def retention(dataset_paths: Iterable[Path | str], policy, as_of: Optional[dt.date] = None, dry_run: bool = False,
              quarantine_dir: Optional[Path | str] = None) -> dict:
    """Apply the policy's retention rules to the datasets (and the quarantine folder); returns what went."""
    as_of = as_of or dt.date.today()
    dirs = dataset_dirs(dataset_paths)
    roots = {output_root(d) for d in dirs}
    if len(roots) != 1:
        raise RightsError("apply retention to one output folder at a time")
    root = next(iter(roots))
    if dry_run:
        return _retention(dirs, root, policy, as_of, dry_run, quarantine_dir)
    with output_held(root):  # planned and applied with no run publishing in between
        finish_pending(root)
        return _retention(dirs, root, policy, as_of, dry_run, quarantine_dir)


def _retention(dirs: List[Path], root: Path, policy, as_of: dt.date, dry_run: bool,
               quarantine_dir: Optional[Path | str]) -> dict:
    datasets, summary = {}, {}
    for d in dirs:
        rule = policy.retention.get(d.name)
        if rule is None:
            summary[d.name] = {"rule": None, "rows": 0}
            continue
        planned = plan_dataset(d, rule, as_of)
        summary[d.name] = planned.pop("summary")
        if planned["parts"]:
            datasets[d.name] = planned
    entry = {"kind": "retention", "date": dt.date.today().isoformat(), "as_of": as_of.isoformat(),
             "datasets": {name: {**summary[name], "parts": {p["part"]: p["remove"] for p in spec["parts"]}}
                          for name, spec in datasets.items()}}
    job = new_job("retention", datasets, entry)
    if not dry_run and datasets:
        commit(root, job)
    report = {"job": job["job"] if datasets and not dry_run else None, "dry_run": dry_run, "as_of": as_of.isoformat(),
              "datasets": summary, "rules_without_dataset": sorted(set(policy.retention) - {d.name for d in dirs})}
    if quarantine_dir is not None:
        report["quarantine"] = clean_quarantine(root, Path(quarantine_dir), policy.quarantine_retention, as_of, dry_run)
    return report


def _quarantined_at(reason: Path) -> Optional[dt.datetime]:
    try:
        return dt.datetime.fromisoformat(json.loads(reason.read_text(encoding="utf-8"))["quarantined_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clean_quarantine(output: Path, folder: Path, term: str, as_of: dt.date, dry_run: bool = False) -> dict:
    """Delete quarantined input files (and their reasons) older than ``term``; counts only, never names."""
    keep_from = cutoff(as_of, term)
    files = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    reasons = {p for p in files if p.name.endswith(".reason.json")}
    gone = kept = 0
    for reason in sorted(reasons):
        when = _quarantined_at(reason)
        when = when.date() if when else dt.date.fromtimestamp(reason.stat().st_mtime)
        data = reason.with_name(reason.name[:-len(".reason.json")])
        if when >= keep_from:
            kept += 1
            continue
        gone += 1
        if not dry_run:
            data.unlink(missing_ok=True)
            reason.unlink()
    for orphan in [p for p in files if p not in reasons and p.with_name(p.name + ".reason.json") not in reasons]:
        if dt.date.fromtimestamp(orphan.stat().st_mtime) < keep_from:
            gone += 1
            if not dry_run:
                orphan.unlink()
        else:
            kept += 1
    result = {"term": term, "deleted": gone, "kept": kept}
    if gone and not dry_run:
        _append_log(output, {"job": f"q-{dt.datetime.now().strftime('%Y%m%dT%H%M%S%f')}", "kind": "retention",
                             "log": {"kind": "quarantine", "date": dt.date.today().isoformat(), "as_of": as_of.isoformat(),
                                     "files_deleted": gone, "term": term}})
    return result
