"""Scan reports: a stable JSON document and an HTML page for a privacy officer. No raw values.

JSON (``report_version`` 1)::

    {"report_version": 1, "tool": "pii-pipeline 0.1.0",
     "files": [{"path", "format", "table", "rows",
                "columns": [{"name", "entity_type", "confidence", "role", "evidence", "text_entities", "example"}]}],
     "failures": [{"path", "error"}], "skipped": [{"path", "reason"}]}

``skipped`` lists the files of a scanned folder that were not read (a format scan does not
support, e.g. ``.dat``, ``.docx``) with the reason.

``table`` is the file name, or ``file.xlsx#Sheet`` per Excel sheet; ``example``
is the shape of a value (``999.999.999``, ``Xxxxx``), never its characters, or null.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import List, Optional

from .. import __version__
from .classifier import FileReport

REPORT_VERSION = 1


def report_dict(reports: List[FileReport], failures: List[dict], scans: Optional[List[dict]] = None,
                skipped: Optional[List[dict]] = None) -> dict:
    return {"report_version": REPORT_VERSION, "tool": f"pii-pipeline {__version__}",
            "files": [r.to_dict() for r in reports], "scans": scans or [], "failures": failures, "skipped": skipped or []}


def write_json(path: Path, reports: List[FileReport], failures: List[dict], scans: Optional[List[dict]] = None,
               skipped: Optional[List[dict]] = None) -> None:
    """``scans``: embedded metadata of images and PDFs (field names per kind, never values)."""
    Path(path).write_text(json.dumps(report_dict(reports, failures, scans, skipped), indent=2, ensure_ascii=False), encoding="utf-8")


_ROLE_COLOUR = {"direct_identifier": "#c0392b", "quasi_identifier": "#d68910", "sensitive": "#8e44ad", "free_text": "#2471a3", "safe": "#7f8c8d"}


def write_html(path: Path, reports: List[FileReport], failures: List[dict], skipped: Optional[List[dict]] = None) -> None:
    e = html.escape
    roles = list(_ROLE_COLOUR)
    widest = max([sum(c.role != "safe" for c in r.columns) for r in reports] + [1])
    chart = []
    for r in reports:
        counts = {role: sum(c.role == role for c in r.columns) for role in roles if role != "safe"}
        bars = "".join(
            f'<span class="bar" style="width:{counts[role] / widest * 60:.1f}%;background:{_ROLE_COLOUR[role]}" title="{role}: {counts[role]}"></span>'
            for role in counts if counts[role]
        )
        chart.append(f"<tr><td>{e(r.table)}</td><td class='chart'>{bars}</td><td>{sum(counts.values())}</td></tr>")
    sections = []
    for r in reports:
        rows = "".join(
            f"<tr><td>{e(c.name)}</td><td>{e(c.entity_type or '')}</td>"
            f"<td><span class='role' style='background:{_ROLE_COLOUR.get(c.role, '#999')}'>{e(c.role)}</span></td>"
            f"<td>{c.confidence:.2f}</td><td>{e(c.evidence)}</td>"
            f"<td>{e(', '.join(f'{k}: {v}' for k, v in c.text_entities.items()))}</td><td>{e(c.example or '')}</td></tr>"
            for c in r.columns
        )
        sections.append(
            f"<h2>{e(r.table)}</h2><p>{e(r.format)}, {r.rows:,} rows, {sum(c.role != 'safe' for c in r.columns)} of {len(r.columns)} columns with personal data</p>"
            f"<table><tr><th>column</th><th>entity</th><th>role</th><th>confidence</th><th>evidence</th><th>in free text</th><th>example (shape)</th></tr>{rows}</table>"
        )
    failed = "".join(f"<li>{e(f['path'])}: {e(f['error'])}</li>" for f in failures)
    not_read = "".join(f"<li>{e(f['path'])}: {e(f['reason'])}</li>" for f in skipped or [])
    legend = " ".join(f"<span class='role' style='background:{_ROLE_COLOUR[r]}'>{r}</span>" for r in roles)
    Path(path).write_text(f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>pii-pipeline scan</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2em;color:#222}} table{{border-collapse:collapse;margin-bottom:1.5em}}
td,th{{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}} th{{background:#f4f4f4}}
.role{{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px}} .chart{{width:420px}} .bar{{display:inline-block;height:14px}}
</style></head><body>
<h1>Personal data per file</h1><p>pii-pipeline {e(__version__)}. No values are shown; examples show the shape only (999.999.999, Xxxxx).</p>
<p>{legend}</p>
<table><tr><th>file</th><th>columns with personal data</th><th>count</th></tr>{''.join(chart)}</table>
{''.join(sections)}
{'<h2>Files that could not be scanned</h2><ul>' + failed + '</ul>' if failures else ''}
{'<h2>Files not scanned (unsupported format)</h2><ul>' + not_read + '</ul>' if skipped else ''}
</body></html>
""", encoding="utf-8")
