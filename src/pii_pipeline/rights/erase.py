"""Erasure (and rectification): every part holding the persons is rewritten without their rows.

The erasure log (``OUTPUT/_rights/erasure_log.jsonl``, owner-only) records per
request: request id, date, datasets, rows removed per part, and the pseudonyms
removed (per entity, domain and key id; never a BSN).  Those pseudonyms stay
erased: :mod:`.exclusion` keeps later deliveries of them out of every dataset.
A rectification is logged the same way but does not block: the corrected source
file is published again afterwards.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Dict, Iterable, List, Optional

from ..masking.pseudonyms import Pseudonymizer, key_id
from .locate import Location, locate
from .rewrite import commit, finish_pending, output_held
from .subjects import Subject, dataset_dirs, output_root, sources


def plan_erasure(location: Location, key: bytes, request_id: Optional[str], kind: str = "erasure") -> dict:
    """The job: per dataset, the parts that lose rows and the pseudonyms that pick them."""
    from .rewrite import new_job

    datasets: Dict[str, dict] = {}
    for h in location.hits:
        spec = datasets.setdefault(h.dataset, {"predicate": {"kind": "pseudonyms", "columns": {}}, "parts": []})
        for column, found in h.pseudonyms.items():
            spec["predicate"]["columns"][column] = sorted(set(spec["predicate"]["columns"].get(column, [])) | found)
        for column, found in h.text_tokens.items():
            text = spec["predicate"].setdefault("text_columns", {})
            text[column] = sorted(set(text.get(column, [])) | found)
        spec["parts"].append({"part": h.part, "manifest": h.manifest, "rows_before": h.rows_total,
                              "remove": int(len(h.matched()))})
    entry = {"kind": kind, "request_id": request_id, "date": dt.date.today().isoformat(),
             "subjects": len(location.subjects),
             "datasets": {name: {"rows": sum(p["remove"] for p in spec["parts"]),
                                 "parts": {p["part"]: p["remove"] for p in spec["parts"]}}
                          for name, spec in sorted(datasets.items())},
             "pseudonyms": erased_pseudonyms(location, key)}
    return new_job(kind, datasets, entry)


def erased_pseudonyms(location: Location, key: bytes) -> List[dict]:
    """Each person's pseudonym in every domain the output folder uses, so later deliveries stay out."""
    domains = set()
    for root in {output_root(d) for d in location.datasets}:
        for dataset_dir in dataset_dirs([root]):
            domains |= {s.domain for s in sources(dataset_dir)}
    kid = key_id(key)
    out = []
    for domain in sorted(domains):
        pz = Pseudonymizer(key, domain)
        out += [{"entity": s.entity, "domain": domain, "key_id": kid, "pseudonym": s.pseudonym(pz)} for s in location.subjects]
    return out


def erase(dataset_paths: Iterable[Path | str], key: bytes, people: List[Subject], request_id: Optional[str],
          dry_run: bool = False, rectification: bool = False) -> dict:
    """Remove every row of ``people`` from the datasets; returns the job (its log entry says what went)."""
    paths = list(dataset_paths)
    roots = {output_root(d) for d in dataset_dirs(paths)}
    kind = "rectification" if rectification else "erasure"
    if dry_run:
        return plan_erasure(locate(paths, key, people), key, request_id, kind)
    if len(roots) != 1:
        from .subjects import RightsError

        raise RightsError("erase one output folder at a time (the datasets given are in several)")
    root = next(iter(roots))
    with output_held(root):  # planned and applied with no run publishing in between
        finish_pending(root)
        job = plan_erasure(locate(paths, key, people), key, request_id, kind)
        return commit(root, job)
