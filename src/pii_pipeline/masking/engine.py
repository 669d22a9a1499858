"""Mask one file by policy: discovery -> column plan -> streamed transform -> privacy gates -> atomic publish.

:func:`mask_file` is what the CLI's ``mask`` and the flows call.  It reads the
input three times at most, in chunks, so memory is bounded by the chunk size:

1. discovery samples the whole file and classifies every column; the plan
   (one rule per column, one type per kept column) is fixed before any
   value is transformed;
2. chunks are transformed (in worker processes with ``workers > 1``) and
   staged as Parquet in a hidden file beside the output, counting the
   quasi-identifier combinations on the way;
3. the k-anonymity decision is applied to the staged rows, the residual scan
   reads every output row, and only when both gates pass is the output moved
   into place, followed by its manifest.

Rows that cannot be parsed or transformed go to an owner-only quarantine file
(data row number, physical line, column and reason, never a value).  Before
anything is published the counts are reconciled against the file, not against
the parser: the records the reader counted in the file (physical CSV records,
every sheet row, every JSON record; see ``io/tables.py``) must equal rows
written + rows quarantined, or the file fails with the three numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from ..errors import InputError
from ..io.encoding import decode_file_text
from ..io.tables import DEFAULT_CHUNK_ROWS, FileCount, read_columns, read_table, table_format
from . import operators
from .kanon import KAnonymityGate
from .policy import Policy, Rule
from .pseudonyms import Pseudonymizer
from .residual import ResidualScan
from .schema import STRING, ColumnType, cast, infer_type
from .utility import UtilityCheck
from .writers import OutputError, OutputWriter, output_format, publish_bytes, temporary_path

log = logging.getLogger(__name__)
ROW = "__row"           # data row number, carried through staging for quarantine and residual locations
MANIFEST_SUFFIX = "._manifest.json"
QUARANTINE_SUFFIX = "._quarantine.csv"
RESIDUAL_SUFFIX = "._residual_scan.json"


class PrivacyGateFailed(Exception):
    """The output failed a privacy gate; nothing was published.  The message holds locations, never values."""

    def __init__(self, message: str, findings: List[dict], report: Optional[Path] = None) -> None:
        super().__init__(message)
        self.findings, self.report = findings, report


@dataclass(frozen=True)
class ColumnPlan:
    name: str
    entity: Optional[str]
    role: str
    confidence: float
    evidence: str
    rule: Rule
    source: str                 # which part of the policy chose the rule
    ctype: ColumnType = STRING
    is_list: bool = False       # JSON arrays of objects: one list of values per record

    @property
    def kept(self) -> bool:
        return self.rule.operator != "drop"

    def describe(self) -> dict:
        d = {"name": self.name, "detected": self.entity, "role": self.role, "confidence": round(self.confidence, 2),
             "operator": self.rule.operator, "rule": self.source,
             "output_type": None if not self.kept else (f"list<{self.ctype.describe()}>" if self.is_list else self.ctype.describe())}
        if self.rule.operator == "generalize":
            d["to"] = self.rule.to
            if self.rule.to == "age_band":
                d["band_width"], d["top_code"] = self.rule.band_width, self.rule.top_code
        if self.rule.operator == "mask_text":
            d["replace_with"] = self.rule.replace_with
        return d


def plan_columns(policy: Policy, report, sample: pd.DataFrame,
                 column_types: Optional[Dict[str, ColumnType]] = None) -> List[ColumnPlan]:
    """One rule per column; ``column_types`` (a dataset's data dictionary) fixes the types of kept columns."""
    plans = []
    for column in report.columns:
        names_files = column.evidence.startswith("file names")
        rule, source = policy.rule_for(column.name, column.entity_type, column.role == "free_text", names_files)
        values = sample[column.name] if column.name in sample else pd.Series([], dtype=object)
        is_list = any(isinstance(v, list) for v in values)
        ctype = STRING
        if rule.operator == "keep" and column.entity_type is None and column.role == "safe":
            flat = values.explode() if is_list else values
            ctype = (column_types or {}).get(column.name) or infer_type(flat.dropna().astype(str))
        plans.append(ColumnPlan(column.name, column.entity_type, column.role, column.confidence, column.evidence,
                                rule, source, ctype, is_list))
    return plans


# ---------------------------------------------------------------- transforming a chunk

class ChunkMasker:
    """Applies a plan to chunks.  Built once per process; the detector is built on first use."""

    def __init__(self, plans: List[ColumnPlan], pseudonymizer: Pseudonymizer, reference: dt.date, detector=None) -> None:
        self.plans, self.pseudonymizer, self.reference = plans, pseudonymizer, reference
        self._detector = detector

    @property
    def detector(self):
        if self._detector is None:
            from ..detection import get_detector

            self._detector = get_detector()
        return self._detector

    def _apply(self, plan: ColumnPlan, values: pd.Series, counts: Counter) -> tuple[pd.Series, np.ndarray]:
        rule, none = plan.rule, np.zeros(len(values), dtype=bool)
        if rule.operator == "keep":
            return values, none
        if rule.operator == "redact":
            return operators.redact(values, plan.entity), none
        if rule.operator == "pseudonymize" and plan.source == "file_names":
            return operators.pseudonymize_file_names(values, self.pseudonymizer), none
        if rule.operator == "pseudonymize":
            return self.pseudonymizer.series(plan.entity or "VALUE", values), none
        if rule.operator == "generalize":
            return operators.generalize(values, rule.to, self.reference, rule.band_width, rule.top_code)
        if rule.operator == "mask_text":
            pz = self.pseudonymizer if rule.replace_with == "pseudonym" else None
            return operators.mask_text_series(values, self.detector, pz, counts), none
        raise ValueError(f"operator {rule.operator}")  # unreachable: the policy model allows no other

    def _apply_list(self, plan: ColumnPlan, values: pd.Series, counts: Counter) -> tuple[pd.Series, np.ndarray]:
        lists = [v if isinstance(v, list) else [] for v in values]
        lengths = np.array([len(v) for v in lists], dtype=np.int64)
        flat = pd.Series([None if x is None else str(x) for v in lists for x in v], dtype="str")
        out, bad = self._apply(plan, flat, counts)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        items = [None if isinstance(x, float) else x for x in out.tolist()]
        regrouped = pd.Series([items[offsets[i]:offsets[i + 1]] for i in range(len(lists))], index=values.index, dtype=object)
        bad_rows = np.array([bool(bad[offsets[i]:offsets[i + 1]].any()) for i in range(len(lists))], dtype=bool)
        return regrouped, bad_rows

    def transform(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, Dict[str, np.ndarray], Dict[str, Counter]]:
        out, bad, counts = {}, {}, {}
        for plan in self.plans:
            if not plan.kept:
                continue
            counts[plan.name] = Counter()
            values = frame[plan.name] if plan.name in frame else pd.Series([""] * len(frame), index=frame.index, dtype="str")
            apply = self._apply_list if plan.is_list else self._apply
            out[plan.name], failed = apply(plan, values, counts[plan.name])
            if failed.any():
                bad[plan.name] = failed
        return pd.DataFrame(out, index=frame.index), bad, counts


_WORKER: Optional[ChunkMasker] = None


def _init_worker(plans, key: bytes, domain: str, reference: dt.date) -> None:
    global _WORKER
    from ..logs import configure_logging

    configure_logging(logging.WARNING)
    _WORKER = ChunkMasker(plans, Pseudonymizer(key, domain), reference)


def _transform_in_worker(frame: pd.DataFrame):
    return _WORKER.transform(frame)


# ---------------------------------------------------------------- arrow conversion

def _arrow_column(plan: ColumnPlan, values: pd.Series) -> tuple[pa.Array, np.ndarray]:
    if not plan.is_list:
        return cast(values, plan.ctype)
    lengths = np.array([len(v) if isinstance(v, list) else 0 for v in values], dtype=np.int64)
    flat = pd.Series([x for v in values if isinstance(v, list) for x in v], dtype=object)
    arr, bad = cast(flat.astype("str") if len(flat) else pd.Series([], dtype="str"), plan.ctype)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    bad_rows = np.array([bool(bad[offsets[i]:offsets[i + 1]].any()) for i in range(len(values))], dtype=bool)
    return pa.ListArray.from_arrays(pa.array(offsets), arr), bad_rows


def output_schema(plans: List[ColumnPlan]) -> pa.Schema:
    fields = []
    for plan in plans:
        if plan.kept:
            t = plan.ctype.arrow()
            fields.append(pa.field(plan.name, pa.list_(t) if plan.is_list else t))
    return pa.schema(fields)


# ---------------------------------------------------------------- the whole file

@dataclass
class _Quarantine:
    path: Path
    rows: List[tuple] = field(default_factory=list)   # (row, line, column, reason, table)

    def add(self, row: int, column: str, reason: str, line: Optional[int] = None, table: str = "") -> None:
        self.rows.append((int(row), int(line) if line is not None else "", column, reason, table))

    def distinct_rows(self) -> int:
        return len({(r[4], r[0]) for r in self.rows})  # a row may fail in more than one column

    def publish(self) -> Optional[Path]:
        if not self.rows:
            return None
        # ``table``: the sheet of a workbook (its data row numbers start at 1 on every sheet).
        lines = ["row,line,column,reason,table"] + [
            f"{r},{line},{json.dumps(c)},{json.dumps(reason)},{json.dumps(t.split('#', 1)[-1]) if '#' in t else ''}"
            for r, line, c, reason, t in sorted(self.rows, key=lambda x: (x[4], x[0]))]
        publish_bytes(self.path, ("\n".join(lines) + "\n").encode("utf-8"), mode=0o600)
        return self.path


def _reason(plan: ColumnPlan) -> str:
    if plan.rule.operator == "generalize":
        return f"could not be generalised to {plan.rule.to} (not a valid {'postcode' if plan.rule.to in ('pc4', 'pc3') else 'date'})"
    if plan.ctype.kind == "decimal":
        return f"not a decimal number with at most {plan.ctype.scale} decimals"
    if plan.ctype.kind == "date":
        return f"not a date in the column's format ({plan.ctype.date_format})"
    return "could not be transformed"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tool_versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    versions = {"pii_pipeline": __version__, "recognizers": __version__}
    for dist in ("presidio-analyzer", "presidio-anonymizer", "python-stdnum", "deduce", "spacy", "pyarrow"):
        try:
            versions[dist] = version(dist)
        except PackageNotFoundError:
            pass
    return versions


def manifest_path(output: Path) -> Path:
    return Path(output).parent / (Path(output).name + MANIFEST_SUFFIX)


def refuse_overwrite(input_path: Path, output_path: Path) -> None:
    """The output must never replace the input: not the same path, not a hard link or symlink to it."""
    if not output_path.exists():
        return
    try:
        same = input_path.exists() and (output_path.resolve() == input_path.resolve() or output_path.samefile(input_path))
    except OSError:
        same = False
    if same:
        raise OutputError(f"{output_path}: is the input file (or a link to it); choose another output path")


def _chunks_in_order(masker: ChunkMasker, chunks: Iterator, workers: int, key: bytes) -> Iterator:
    """(chunk, transformed) pairs; with workers > 1 the transforms run in processes, results kept in order."""
    if workers <= 1:
        for chunk in chunks:
            yield chunk, masker.transform(chunk.frame)
        return
    pending: list = []
    with ProcessPoolExecutor(workers, initializer=_init_worker,
                             initargs=(masker.plans, key, masker.pseudonymizer.domain, masker.reference)) as pool:
        for chunk in chunks:
            pending.append((chunk, pool.submit(_transform_in_worker, chunk.frame)))
            if len(pending) >= 2 * workers:
                c, fut = pending.pop(0)
                yield c, fut.result()
        for c, fut in pending:
            yield c, fut.result()


def mask_file(
    input_path: Path | str,
    output_path: Path | str,
    policy: Policy,
    key: bytes,
    detector=None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    workers: int = 1,
    domain: Optional[str] = None,
    progress: Optional[Callable[[int], None]] = None,
    column_types: Optional[Dict[str, ColumnType]] = None,
) -> dict:
    """Mask ``input_path`` into ``output_path`` (format by extension) and return the manifest.

    Raises :class:`InputError` for an unreadable input, :class:`~.policy.PolicyError` for a policy
    that does not fit the file, :class:`OutputError`, or :class:`PrivacyGateFailed`; in every case
    nothing is left at the output path.
    """
    from ..discovery.classifier import classify_sample, sample_tables
    from ..detection import get_detector

    input_path, output_path = Path(input_path), Path(output_path)
    out_format = output_format(output_path)
    pseudonymizer = Pseudonymizer(key, domain or policy.pseudonym_domain)
    reference = policy.reference_date or dt.date.today()
    refuse_overwrite(input_path, output_path)
    if input_path.suffix.lower() == ".txt" and out_format == "txt":
        return _mask_text_file(input_path, output_path, policy, pseudonymizer, detector or get_detector(), reference)
    if out_format == "txt":
        raise OutputError(f"{output_path}: only a .txt input can be written as masked text; choose .parquet, .csv, .json, .jsonl or .xlsx")
    table_format(input_path)

    # The policy's column overrides are checked against the header before any row is read.
    policy_warnings = policy.check_columns(input_path, read_columns(input_path))
    for warning in policy_warnings:
        log.warning("%s", warning)
    detector = detector or get_detector()
    tables = sample_tables(input_path, chunk_rows=chunk_rows, bad_rows="skip")
    if len(tables) > 1 and out_format != "xlsx":
        raise OutputError(f"{output_path}: {input_path.name} has {len(tables)} sheets ({', '.join(tables)}); "
                          "write to .xlsx to keep them, or save one sheet as its own file")
    plans_per_table = {}
    for table, (sample, rows) in tables.items():
        report = classify_sample(detector, input_path, table, sample, rows)
        plans_per_table[table] = plan_columns(policy, report, sample, column_types)

    started = dt.datetime.now(dt.timezone.utc)
    quarantine = _Quarantine(output_path.parent / (output_path.name + QUARANTINE_SUFFIX))
    staged: Dict[str, Path] = {}
    gates: Dict[str, KAnonymityGate] = {}
    text_counts: Dict[str, Counter] = {}
    rows_in = 0
    file_count = FileCount()
    utility = UtilityCheck()
    kinds: Dict[str, Dict[str, set]] = {}
    writer: Optional[OutputWriter] = None
    try:
        # Pass 2: transform and stage.
        stage_writers: Dict[str, pq.ParquetWriter] = {}
        for table, plans in plans_per_table.items():
            gates[table] = _gate_for(policy, plans)
            text_counts[table] = Counter()
        maskers = {t: ChunkMasker(p, pseudonymizer, reference, detector) for t, p in plans_per_table.items()}
        chunk_stream = read_table(input_path, chunk_rows, bad_rows="skip", count=file_count)
        for chunk, (frame, bad, counts) in _grouped_chunks(maskers, chunk_stream, workers, key):
            plans = plans_per_table[chunk.table]
            rows, lines = chunk.rows(), chunk.lines()
            rows_in += chunk.records
            for row, line, reason in chunk.rejected:
                quarantine.add(row, "", reason, line, chunk.table)
            for name, seen in chunk.kinds.items():
                kinds.setdefault(chunk.table, {}).setdefault(name, set()).update(seen)
            columns, failed = {}, np.zeros(len(frame), dtype=bool)
            for plan in plans:
                if not plan.kept:
                    continue
                if plan.name in bad:
                    for r, line in zip(rows[bad[plan.name]], lines[bad[plan.name]]):
                        quarantine.add(r, plan.name, _reason(plan), line, chunk.table)
                    failed |= bad[plan.name]
                array, cast_bad = _arrow_column(plan, frame[plan.name])
                cast_bad &= ~failed
                for r, line in zip(rows[cast_bad], lines[cast_bad]):
                    quarantine.add(r, plan.name, _reason(plan), line, chunk.table)
                failed |= cast_bad
                columns[plan.name] = array
            for name, c in counts.items():
                text_counts[chunk.table].update({(name, e): n for e, n in c.items()})
            keep = ~failed
            utility.add_input(chunk.table, columns, failed)
            batch = pa.table({**columns, ROW: pa.array(rows, type=pa.int64())}).filter(pa.array(keep))
            gates[chunk.table].add(frame.loc[keep, gates[chunk.table].columns])
            if chunk.table not in stage_writers:
                staged[chunk.table] = temporary_path(output_path, "stage")
                schema = output_schema(plans).append(pa.field(ROW, pa.int64()))
                stage_writers[chunk.table] = pq.ParquetWriter(staged[chunk.table], schema, compression="lz4")
            stage_writers[chunk.table].write_table(batch.cast(stage_writers[chunk.table].schema))
            if progress:
                progress(chunk.records)
        for w in stage_writers.values():
            w.close()

        # Pass 3: privacy gates over the staged rows, then write the output.
        decisions, residual_summary, findings, rows_out = {}, [], [], 0
        suppressed = 0
        for table, plans in plans_per_table.items():
            decision = gates[table].decide() if policy.k_anonymity.enabled else None
            decisions[table] = decision
            schema = output_schema(plans)
            if writer is None:
                writer = OutputWriter(output_path, schema, sheet=table.split("#", 1)[-1], json_kinds=kinds.get(table))
            elif writer.format == "xlsx":
                writer.new_sheet(table.split("#", 1)[-1], schema)
            produced = {p.name for p in plans if p.kept and p.rule.operator in ("pseudonymize", "redact", "generalize")}
            text_columns = {p.name for p in plans if p.kept and p.rule.operator == "mask_text"}
            scan = ResidualScan(text_columns, detector, policy.residual_scan.text_sample, skip_columns=produced)
            if table not in staged:
                continue
            for batch in pq.ParquetFile(staged[table]).iter_batches(batch_size=chunk_rows):
                rows = batch.column(ROW).to_numpy()
                out = batch.drop_columns([ROW])
                if decision is not None and gates[table].columns:
                    qi = out.select(gates[table].columns).to_pandas()
                    qi, n = gates[table].apply(qi, decision)
                    suppressed += n
                    for name in gates[table].columns:
                        i = out.schema.get_field_index(name)
                        out = out.set_column(i, name, pa.array(qi[name], type=pa.string()))
                if policy.residual_scan.enabled:
                    strings = [f.name for f in out.schema if pa.types.is_string(f.type)]
                    scan.check(out.select(strings).to_pandas(), rows)
                written = pa.Table.from_batches([out])
                utility.add_output(table, written)
                writer.write(written)
                rows_out += out.num_rows
            if policy.residual_scan.enabled:
                findings.extend({**f, "table": table} for f in scan.finish())
                residual_summary.extend({**s, "table": table} for s in scan.summary())

        if findings:
            report = output_path.parent / (output_path.name + RESIDUAL_SUFFIX)
            publish_bytes(report, json.dumps({"input": input_path.name, "output": output_path.name, "passed": False,
                                              "findings": residual_summary, "locations": findings}, indent=2).encode())
            where = "; ".join(f"{s['column']}: {s['rows']} row(s) with {s['entity_type']}" for s in residual_summary[:10])
            raise PrivacyGateFailed(f"{input_path.name}: residual scan found direct identifiers in the output ({where}); "
                                    f"nothing was published; locations in {report}", findings, report)

        quarantined = quarantine.distinct_rows()
        reconcile(input_path, file_count, rows_in, rows_out, quarantined)
        utility_figures = utility.verify(input_path.name)
        writer.commit()
        quarantine_file = quarantine.publish()
        manifest = _manifest(input_path, output_path, policy, pseudonymizer, reference, started, plans_per_table,
                             text_counts, rows_in, rows_out, quarantined, quarantine_file, decisions, suppressed,
                             residual_summary)
        manifest["input"]["records"] = file_count.to_dict()
        manifest["utility"] = utility_figures
        manifest["policy"]["warnings"] = policy_warnings
        publish_bytes(manifest_path(output_path), json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"))
        return manifest
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        for path in staged.values():
            path.unlink(missing_ok=True)


def reconcile(path: Path, count: FileCount, rows_read: int, rows_out: int, quarantined: int) -> None:
    """Records the reader counted in the file = rows written + rows quarantined, or the file fails with the numbers."""
    in_file = sum(count.records.values())
    if in_file != rows_read or in_file != rows_out + quarantined:
        raise InputError(path, f"row count mismatch: the file holds {in_file:,} records, {rows_out:,} were written "
                               f"and {quarantined:,} quarantined; nothing was published")


def _grouped_chunks(maskers: Dict[str, ChunkMasker], chunks: Iterator, workers: int, key: bytes) -> Iterator:
    """Transform chunks with the masker of their table (sheet)."""
    if len(maskers) == 1:
        yield from _chunks_in_order(next(iter(maskers.values())), chunks, workers, key)
        return
    for chunk in chunks:  # multi-sheet workbooks are small: one process
        yield chunk, maskers[chunk.table].transform(chunk.frame)


def _gate_for(policy: Policy, plans: List[ColumnPlan]) -> KAnonymityGate:
    wanted = set(policy.k_anonymity.quasi_identifiers)
    columns, kinds, tops = [], [], []
    for plan in plans:
        if plan.kept and (plan.name in wanted or (plan.entity in wanted)) and plan.ctype.kind == "string" and not plan.is_list:
            columns.append(plan.name)
            kinds.append(plan.rule.to if plan.rule.operator == "generalize" else None)
            tops.append(plan.rule.top_code if plan.rule.operator == "generalize" else None)
    k = policy.k_anonymity
    return KAnonymityGate(k.k, columns, kinds, k.max_suppression, k.generalize, tops)


def _manifest_head(input_path: Path, input_format: str, output_path: Path, policy: Policy, pseudonymizer: Pseudonymizer,
                   reference: dt.date, started: dt.datetime) -> dict:
    """What every manifest records: when, which tool, which input and output, which policy and key."""
    return {
        "manifest_version": 1,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "started": started.isoformat(timespec="seconds"),
        "tool": tool_versions(),
        "input": {"file": input_path.name, "format": input_format, "bytes": input_path.stat().st_size,
                  "sha256": file_sha256(input_path)},
        "output": {"file": output_path.name, "format": output_format(output_path), "bytes": output_path.stat().st_size,
                   "sha256": file_sha256(output_path)},
        "policy": {"name": policy.name, "sha256": policy.digest(), "pseudonym_domain": pseudonymizer.domain,
                   "reference_date": reference.isoformat()},
        "key_id": pseudonymizer.key_id,
    }


def _manifest(input_path, output_path, policy, pseudonymizer, reference, started, plans_per_table, text_counts,
              rows_in, rows_out, quarantined, quarantine_file, decisions, suppressed, residual_summary) -> dict:
    tables = []
    for table, plans in plans_per_table.items():
        columns = []
        for plan in plans:
            d = plan.describe()
            masked = {e: n for (c, e), n in text_counts.get(table, {}).items() if c == plan.name}
            if masked:
                d["entities_masked"] = masked
            columns.append(d)
        decision = decisions.get(table)
        tables.append({"table": table, "columns": columns,
                       "k_anonymity": decision.to_dict() if decision is not None else {"enabled": False}})
    return {
        **_manifest_head(input_path, table_format(input_path), output_path, policy, pseudonymizer, reference, started),
        "rows": {"in": rows_in, "out": rows_out, "quarantined": quarantined},
        "quarantine": {"file": quarantine_file.name if quarantine_file else None, "rows": quarantined},
        "tables": tables,
        "privacy_gates": {
            "residual_scan": {"enabled": policy.residual_scan.enabled, "passed": True, "findings": residual_summary},
            "k_anonymity": {"enabled": policy.k_anonymity.enabled, "k": policy.k_anonymity.k,
                            "rows_with_quasi_identifiers_suppressed": suppressed, "passed": True},
        },
    }


def _mask_text_file(input_path: Path, output_path: Path, policy: Policy, pseudonymizer: Pseudonymizer, detector,
                    reference: dt.date) -> dict:
    if not input_path.is_file():
        raise InputError(input_path, "no such file")
    raw = input_path.read_bytes()
    if not raw:
        raise InputError(input_path, "empty file")
    text = decode_file_text(input_path, raw)
    started = dt.datetime.now(dt.timezone.utc)
    counts: Counter = Counter()
    rule = policy.free_text
    masked = operators.mask_text(text, detector, pseudonymizer if rule.replace_with == "pseudonym" else None, counts)
    scan = ResidualScan({"text"}, detector, 1 if policy.residual_scan.enabled else 0)
    if policy.residual_scan.enabled:
        scan.check(pd.DataFrame({"text": pd.Series([masked], dtype="str")}), np.array([1]))
    findings = scan.finish()
    if findings:
        raise PrivacyGateFailed(f"{input_path.name}: residual scan found direct identifiers in the masked text "
                                f"({', '.join(sorted({f['entity_type'] for f in findings}))}); nothing was published", findings)
    publish_bytes(output_path, masked.encode("utf-8"))
    manifest = {
        **_manifest_head(input_path, "text", output_path, policy, pseudonymizer, reference, started),
        "rows": {"in": 1, "out": 1, "quarantined": 0},
        "entities_masked": dict(counts),
        "privacy_gates": {"residual_scan": {"enabled": policy.residual_scan.enabled, "passed": True, "findings": []},
                          "k_anonymity": {"enabled": False, "reason": "free text has no quasi-identifier columns"}},
    }
    publish_bytes(manifest_path(output_path), json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"))
    return manifest
