"""``pii-pipeline risk``: the disclosure measures of an existing file or dataset, without changing it.

The same counting as the gate (:class:`.kanon.KAnonymityGate`, classes in
distinct persons), at the file's own level: nothing generalised, nothing
suppressed.  The quasi-identifiers, person key and sensitive attributes come
from the options, else from the dataset's data dictionary or the file's
manifest, else from the column names.  Reports give counts and sizes, never a
value.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Iterable, Iterator, List, Optional

import pandas as pd
import pyarrow.parquet as pq

from ..errors import InputError
from .hierarchies import hierarchy_for
from .kanon import GateSpec, KAnonymityGate, QuasiIdentifier
from .sweep import name_is_clean, neutral_column_names, shown_name

_QUASI = re.compile(r"leeftijd|(^|[._])age|geb|birth|geslacht|gender|(^|[._])pc\d?$|postcode|zip", re.IGNORECASE)
_PERSON = re.compile(r"bsn|verzekerdennummer|member|patient_?id|klantnummer|relatienummer", re.IGNORECASE)
_SENSITIVE = re.compile(r"diagnos|prestatiecode|zorgproduct", re.IGNORECASE)


def assess_frames(frames: Iterable[pd.DataFrame], quasi: List[str], person: List[str], sensitive: List[str],
                  k: int = 10, l: Optional[int] = 2, sampling_fraction: float = 1.0) -> dict:
    spec = GateSpec(k, [QuasiIdentifier(c, hierarchy_for(None)) for c in quasi], list(person), list(sensitive),
                    l if sensitive else None, generalize=False, sampling_fraction=sampling_fraction)
    gate = KAnonymityGate(spec)
    for frame in frames:
        frame = frame.copy()
        for c in quasi + list(person):
            if c in frame:
                frame[c] = frame[c].astype(object).where(frame[c].notna(), None).map(lambda v: v if v is None else str(v))
        gate.add(frame)
    result = gate.measure()
    return {"quasi_identifiers": quasi, "person_key": list(person), "sensitive_attributes": list(sensitive),
            "k_required": k, "l_required": l if sensitive else None, **result,
            "k_met": result["k"] is not None and result["k"] >= k,
            "l_met": None if not sensitive or result.get("l") is None else result["l"] >= (l or 0)}


def _parts(path: Path) -> List[Path]:
    return sorted(p for p in path.rglob("*.parquet")
                  if not any(part.startswith(("_", ".")) for part in p.relative_to(path).parts))


def _defaults(path: Path) -> dict:
    """What the pipeline recorded about the file or dataset: its quasi-identifiers, person key, sensitive columns."""
    dictionary = path / "_data_dictionary.json" if path.is_dir() else None
    if dictionary is not None and dictionary.is_file():
        d = json.loads(dictionary.read_text(encoding="utf-8")).get("disclosure_control")
        if d:
            return {"quasi": [q["output_name"] for q in d["quasi_identifiers"]], "person": d["person_key"],
                    "sensitive": d["sensitive_attributes"], "k": d["k"], "l": d.get("l")}
    manifest = path.parent / (path.name + "._manifest.json")
    if manifest.is_file():
        tables = json.loads(manifest.read_text(encoding="utf-8")).get("tables") or [{}]
        k = tables[0].get("k_anonymity", {})
        if k.get("quasi_identifiers") and isinstance(k["quasi_identifiers"][0], dict):
            return {"quasi": [q["output_name"] for q in k["quasi_identifiers"]], "person": k.get("person_key") or [],
                    "sensitive": k.get("sensitive_attributes") or [], "k": k["k"], "l": k.get("l")}
    return {}


def _columns(path: Path) -> List[str]:
    from ..io.tables import read_columns

    if path.is_dir():
        parts = _parts(path)
        if not parts:
            raise InputError(path, "no Parquet parts in this folder")
        return list(pq.read_schema(parts[0]).names)
    if path.suffix.lower() == ".parquet":
        return list(pq.read_schema(path).names)
    return read_columns(path)


def _frames(path: Path, columns: List[str]) -> Iterator[pd.DataFrame]:
    from ..io.tables import read_table

    files = _parts(path) if path.is_dir() else [path]
    for f in files:
        if f.suffix.lower() == ".parquet":
            present = [c for c in columns if c in pq.read_schema(f).names]
            for batch in pq.ParquetFile(f).iter_batches(columns=present, batch_size=200_000):
                yield batch.to_pandas()
        else:
            for chunk in read_table(f, bad_rows="skip"):
                yield chunk.frame[[c for c in columns if c in chunk.frame]]


def _names(names: List[str]) -> str:
    """Column names for a message: one that holds personal data (a surname, a BSN) as ``column_<n>``."""
    neutral = neutral_column_names(names)
    return ", ".join(neutral.get(n, n) for n in names)


def assess_path(path: Path, quasi: Optional[List[str]] = None, sensitive: Optional[List[str]] = None,
                person: Optional[List[str]] = None, k: Optional[int] = None, l: Optional[int] = None,
                sampling_fraction: float = 1.0) -> dict:
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file or folder")
    columns = _columns(path)
    recorded = _defaults(path)
    quasi = quasi or recorded.get("quasi") or [c for c in columns if _QUASI.search(c)]
    person = person if person is not None else (recorded.get("person") or [c for c in columns if _PERSON.search(c)][:2])
    sensitive = sensitive if sensitive is not None else (recorded.get("sensitive") or [c for c in columns if _SENSITIVE.search(c)])
    if not quasi:
        raise InputError(path, "no quasi-identifier columns found; name them with --quasi")
    missing = [c for c in quasi + person + sensitive if c not in columns]
    if missing:
        given = ", ".join(c if name_is_clean(c) else "<a name holding personal data>" for c in missing)
        raise InputError(path, f"no column(s) {given} (columns: {_names(columns)})")
    k = k or recorded.get("k") or 10
    l = l if l is not None else (recorded.get("l") or 2)
    # a column given as a quasi-identifier and as the person key is read once (twice, it crashed the gate)
    wanted = list(dict.fromkeys(quasi + person + sensitive))
    report = assess_frames(_frames(path, wanted), quasi, person, sensitive, k, l, sampling_fraction)
    report["path"] = shown_name(path.name)   # claims_<BSN>_<surname>.csv is file-<hash>.csv, as in mask
    neutral = neutral_column_names(columns)   # a column named Klaassen is column_<n> in the report, as in mask
    for key in ("quasi_identifiers", "person_key", "sensitive_attributes"):
        report[key] = [neutral.get(c, c) for c in report[key]]
    report["source_of_columns"] = "options" if quasi and not recorded else ("pipeline record" if recorded else "column names")
    return report


def report_html(report: dict) -> str:
    """A standalone HTML page: the measures and a bar chart (inline SVG) of the class sizes."""
    sizes = report.get("class_sizes", [])
    peak = max([b["classes"] for b in sizes] + [1])
    bar_w, height = 56, 180
    bars = []
    for i, b in enumerate(sizes):
        h = int(height * b["classes"] / peak)
        x = 40 + i * (bar_w + 8)
        small = b["sizes"].split("-")[0].rstrip("+")
        colour = "#c0392b" if small.isdigit() and int(small) < report["k_required"] else "#2e86c1"
        bars.append(f'<rect x="{x}" y="{20 + height - h}" width="{bar_w}" height="{h}" fill="{colour}"/>'
                    f'<text x="{x + bar_w / 2}" y="{16 + height - h}" text-anchor="middle" font-size="11">{b["classes"]}</text>'
                    f'<text x="{x + bar_w / 2}" y="{40 + height}" text-anchor="middle" font-size="11">{html.escape(b["sizes"])}</text>')
    width = 60 + len(sizes) * (bar_w + 8)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 60}" role="img" '
           f'aria-label="classes per size">{"".join(bars)}<text x="{width / 2}" y="{height + 56}" text-anchor="middle" '
           f'font-size="12">class size (persons); red: below k</text></svg>')
    rows = "".join(f"<tr><th>{html.escape(name)}</th><td>{html.escape(str(value))}</td></tr>" for name, value in _summary_rows(report))
    return ("<!doctype html><html><head><meta charset='utf-8'><title>Disclosure risk</title>"
            "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}th,td{border:1px solid #ccc;"
            "padding:4px 8px;text-align:left}</style></head><body>"
            f"<h1>Disclosure risk: {html.escape(report['path'])}</h1><table>{rows}</table>"
            f"<h2>Equivalence classes by size</h2>{svg}</body></html>\n")


def _l_text(r: dict) -> str:
    if not r["sensitive_attributes"]:
        return "-"
    if r.get("l") is None:
        return "not applicable: the sensitive column(s) hold no values"
    return f"{r['l']} (required {r['l_required']}: {'met' if r['l_met'] else 'NOT met'})"


def _summary_rows(r: dict) -> List[tuple]:
    return [
        ("quasi-identifiers", ", ".join(r["quasi_identifiers"])),
        ("person key", ", ".join(r["person_key"]) or "none (every row a person)"),
        ("sensitive attributes", ", ".join(r["sensitive_attributes"]) or "none"),
        ("rows / persons / classes", f"{r['rows']:,} / {r['persons']:,} / {r['classes']:,}"),
        ("k (smallest class, persons)", f"{r['k']} (required {r['k_required']}: {'met' if r['k_met'] else 'NOT met'})"),
        ("classes / persons / rows below k", f"{r['classes_below_k']:,} / {r['persons_below_k']:,} / {r['rows_below_k']:,}"),
        ("l (distinct sensitive values)", _l_text(r)),
        ("unique persons", f"{r['unique_share']:.1%}"),
        ("prosecutor risk highest / average", f"{r['prosecutor']['highest']:.4f} / {r['prosecutor']['average']:.4f}"),
        ("journalist risk highest / average", f"{r['journalist']['highest']:.4f} / {r['journalist']['average']:.4f}"),
        ("marketer risk", f"{r['marketer']:.4f}"),
    ]
