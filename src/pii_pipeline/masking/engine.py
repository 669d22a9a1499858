"""Mask one file by policy: discovery -> column plan -> streamed transform -> privacy gates -> atomic publish.

:func:`mask_file` is what the CLI's ``mask`` and the flows call.  It reads the
input in chunks, so memory is bounded by the chunk size:

1. discovery samples the whole file and classifies every column (by header
   and identifier modules first; the detector is built only for what they
   cannot decide); the plan (one rule per column, one type per kept column)
   is fixed before any value is transformed.  A large CSV is sampled from
   evenly spaced byte windows (``io/ranges.py``), so it is parsed once, below;
2. chunks are parsed (a CSV without quote characters range by range, in the
   worker that transforms them), transformed and cast (in worker processes with ``workers > 1``)
   and staged as Arrow IPC in a hidden file beside the output, counting the
   quasi-identifier combinations on the way;
3. the k-anonymity decision is applied to the staged rows, the value sweep
   (:mod:`.sweep`, independent of the detector) reads every string cell of the
   output and withholds each cell in which it still finds a direct
   identifier; the output is moved into place, followed by its manifest, only
   when k-anonymity holds and no column has more than the policy's share of
   withheld cells (then the policy does not fit the file).

Names are data: a column name or JSON key holding personal data is written as
``column_<n>``; the input's file name reaches the manifest and messages only
when the sweep finds it clean, else as ``file-<hash>``.

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
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import __version__
from ..errors import InputError, RunAgain, WorkerDied
from ..io.encoding import decode_file_text
from ..io.source import Source, check_regular_file, open_source  # noqa: F401 (check_regular_file re-exported)
from ..io.tables import DEFAULT_CHUNK_ROWS, FileCount, read_csv as read_table_range, read_table
from . import operators
from .hierarchies import hierarchy_for
from .kanon import GateSpec, KAnonymityGate, QuasiIdentifier, names_a_code_list
from .policy import Policy, Rule
from .pseudonyms import Pseudonymizer
from .sweep import WITHHELD, OutputSweep, find as sweep_find, neutral_column_names, shown_name
from .schema import STRING, ColumnType, cast, infer_type
from .utility import UtilityCheck
from .writers import (OutputError, OutputWriter, output_format, publish_bytes, remove_stale_stages, stage_file,
                      temporary_path)

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
    output_name: str = ""       # the name written; ``column_<n>`` when the input's name holds personal data
    event: bool = False         # the header names an event (treatment, admission, expiry): its dates are not birth dates
    wordless: bool = False      # kept as safe from a sample with no word in it: the sweep withholds a cell with one

    @property
    def out(self) -> str:
        return self.output_name or self.name

    @property
    def kept(self) -> bool:
        return self.rule.operator != "drop"

    def describe(self) -> dict:
        d = {"name": self.out, "detected": self.entity, "role": self.role, "confidence": round(self.confidence, 2),
             "operator": self.rule.operator, "rule": self.source,
             "output_type": None if not self.kept else (f"list<{self.ctype.describe()}>" if self.is_list else self.ctype.describe())}
        if self.rule.operator == "generalize":
            d["to"] = self.rule.to
            if self.rule.to == "age_band":
                d["band_width"], d["top_code"] = self.rule.band_width, self.rule.top_code
        if self.rule.operator == "mask_text":
            d["replace_with"] = self.rule.replace_with
        if self.out != self.name:
            d["renamed"] = "the input's column name holds personal data or is one the tool stages rows with"
        return d


def plan_columns(policy: Policy, report, sample: pd.DataFrame,
                 column_types: Optional[Dict[str, ColumnType]] = None) -> List[ColumnPlan]:
    """One rule per column; ``column_types`` (a dataset's data dictionary) fixes the types of kept columns."""
    from ..discovery.classifier import _generic_date_header
    from ..discovery.headers import header_entity

    plans = []
    neutral = neutral_column_names([c.name for c in report.columns])
    for i, column in enumerate(report.columns, 1):
        if column.name == ROW or str(column.name).startswith(CODE):
            neutral.setdefault(column.name, f"column_{i}")   # a name the staging uses itself: the file was refused
        names_files = column.evidence.startswith("file names")
        rule, source = policy.rule_for(column.name, column.entity_type, column.role == "free_text", names_files)
        values = sample[column.name] if column.name in sample else pd.Series([], dtype=object)
        if any(isinstance(v, (bytes, bytearray)) for v in values) and not source.startswith("columns."):
            # Binary values (images, blobs) cannot be checked by the sweep: left out unless the policy names them.
            rule, source = Rule(operator="drop"), "binary column (dropped unless a column override keeps it)"
        is_list = any(isinstance(v, list) for v in values)
        ctype = STRING
        if rule.operator == "keep" and column.entity_type is None and column.role == "safe":
            flat = values.explode() if is_list else values
            ctype = (column_types or {}).get(column.name) or infer_type(flat.dropna().astype(str))
        event = header_entity(column.name) == "OTHER_DATE" and not _generic_date_header(column.name)
        # A column judged safe from codes alone may hold names where the sample did not look (windows of a
        # large file): the sweep withholds each of its cells that holds a word (sweep.WORD).
        wordless = (rule.operator == "keep" and column.role == "safe" and column.entity_type is None
                    and ctype == STRING and not is_list and not _has_word(values))
        evidence = column.evidence if column.name not in neutral else "(name withheld) " + column.evidence.replace(column.name, neutral[column.name])
        plans.append(ColumnPlan(column.name, column.entity_type, column.role, column.confidence, evidence,
                                rule, source, ctype, is_list, neutral.get(column.name, column.name), event, wordless))
    return plans


def _has_word(values: pd.Series) -> bool:
    from .sweep import has_word

    return bool(has_word(values.dropna().astype(str)).any())


# ---------------------------------------------------------------- transforming a chunk

class ChunkMasker:
    """Applies a plan to chunks.  Built once per process; the detector is built on first use."""

    def __init__(self, plans: List[ColumnPlan], pseudonymizer: Pseudonymizer, reference: dt.date, detector=None) -> None:
        self.plans, self.pseudonymizer, self.reference = plans, pseudonymizer, reference
        self._detector = detector
        self._text_memo: Dict[str, dict] = {}   # free-text column -> {text: (masked, entity counts)}
        self._rounds: dict = {}                 # findings of mask_text's later rounds (operators.mask_text)
        self._memo: Dict[str, dict] = {}        # generalised column -> its memo (operators.generalize)

    @property
    def detector(self):
        if self._detector is None:
            from ..detection import get_detector

            self._detector = get_detector()
        return self._detector

    def _apply(self, plan: ColumnPlan, values: pd.Series, counts: Counter) -> tuple[pd.Series, np.ndarray]:
        rule, none = plan.rule, np.zeros(len(values), dtype=bool)
        if rule.operator == "keep":
            if values.dtype == object and values.map(lambda v: isinstance(v, (bytes, bytearray))).any():
                # kept binary (Parquet blobs): hex text, swept like any text; a string column holds none
                values = values.map(lambda v: v.hex() if isinstance(v, (bytes, bytearray)) else v)
            return values, none
        if rule.operator == "redact":
            return operators.redact(values, plan.entity), none
        if rule.operator == "pseudonymize" and plan.source == "file_names":
            return operators.pseudonymize_file_names(values, self.pseudonymizer), none
        if rule.operator == "pseudonymize":
            return self.pseudonymizer.series(plan.entity or "VALUE", values), none
        if rule.operator == "generalize":
            # Dates and unusual postcodes are read once per process (a person recurs in every chunk).
            memo = self._memo.setdefault(plan.name, {})
            return operators.generalize(values, rule.to, self.reference, rule.band_width, rule.top_code, memo)
        if rule.operator == "mask_text":
            return self.mask_text_column(plan, values, counts), none
        raise ValueError(f"operator {rule.operator}")  # unreachable: the policy model allows no other

    def mask_text_column(self, plan: ColumnPlan, values: pd.Series, counts: Counter, known: Optional[dict] = None) -> pd.Series:
        """A free-text column masked, each distinct text once per process (its memo); ``known``: texts masked
        elsewhere (another worker, :class:`.textmemo.SharedTexts`), looked up first."""
        pz = self.pseudonymizer if plan.rule.replace_with == "pseudonym" else None
        memo = self._text_memo.setdefault(plan.name, {})
        return operators.mask_text_series(values, self.detector, pz, counts, memo, known, self._rounds)

    def mask_one_text(self, plan: ColumnPlan, text: str) -> tuple:
        """(masked text, entity counts) of one text of a free-text column, as the column's memo holds it."""
        local: Counter = Counter()
        pz = self.pseudonymizer if plan.rule.replace_with == "pseudonym" else None
        return operators.mask_text(text, self.detector, pz, local, rounds=self._rounds), local

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

    def transform(self, frame: pd.DataFrame, apart=()) -> tuple[pd.DataFrame, Dict[str, np.ndarray], Dict[str, Counter]]:
        """``apart``: columns left out (free text the main process puts back, :class:`.textmemo.SharedTexts`)."""
        out, bad, counts = self._columns(frame, apart)
        return pd.DataFrame(out, index=frame.index), bad, counts

    def _columns(self, frame: pd.DataFrame, apart=()) -> tuple[Dict[str, pd.Series], Dict[str, np.ndarray], Dict[str, Counter]]:
        out, bad, counts = {}, {}, {}
        for plan in self.plans:
            if not plan.kept or plan.name in apart:
                continue
            counts[plan.name] = Counter()
            values = frame[plan.name] if plan.name in frame else pd.Series([""] * len(frame), index=frame.index, dtype="str")
            apply = self._apply_list if plan.is_list else self._apply
            out[plan.name], failed = apply(plan, values, counts[plan.name])
            if failed.any():
                bad[plan.name] = failed
        return out, bad, counts

    def masked(self, frame: pd.DataFrame, apart=()) -> tuple[Dict[str, tuple], Dict[str, np.ndarray], Dict[str, Counter], int]:
        """:meth:`transform`, then each kept column cast to its output type (in the worker process, where the
        transform ran): per column name (Arrow array, rows that did not cast), the failed rows, text counts, rows."""
        out, bad, counts = self._columns(frame, apart)   # no frame of the results: each column is cast alone
        casted = {plan.name: _arrow_column(plan, out[plan.name]) for plan in self.plans if plan.kept and plan.name not in apart}
        return casted, bad, counts, len(frame)


class LazyDetector:
    """The process's detector, built on its first use: a file whose columns the identifier modules classify
    and that has no free text never imports Presidio or spaCy nor builds the detector (seconds)."""

    def __init__(self) -> None:
        self._built = None

    @property
    def config(self):
        """The configuration it will be built with (read without building it)."""
        from ..config import DetectionConfig

        return self._built.config if self._built is not None else DetectionConfig.from_env()

    def __getattr__(self, name: str):
        if self._built is None:
            from ..detection import get_detector

            self._built = get_detector()
        return getattr(self._built, name)


_WORKER: Optional[ChunkMasker] = None


def _init_worker(plans, key: bytes, domain: str, reference: dt.date) -> None:
    global _WORKER
    from ..logs import configure_logging

    configure_logging(logging.WARNING)
    _WORKER = ChunkMasker(plans, Pseudonymizer(key, domain), reference)


def _transform_in_worker(frame: pd.DataFrame, texts: Dict[str, list]):
    """The chunk's columns but its free text, and the free texts the main process sent (:mod:`.textmemo`)."""
    from .textmemo import mask_texts, text_plans

    apart = {p.name for p in text_plans(_WORKER.plans)}
    return _WORKER.masked(frame, apart), mask_texts(_WORKER, texts)


# ---------------------------------------------------------------- arrow conversion

def _arrow_column(plan: ColumnPlan, values: pd.Series) -> tuple[pa.Array, np.ndarray]:
    if not plan.is_list:
        return cast(values, plan.ctype)
    lengths = np.array([len(v) if isinstance(v, list) else 0 for v in values], dtype=np.int64)
    flat = pd.Series([x for v in values if isinstance(v, list) for x in v], dtype=object)
    arr, bad = cast(flat.astype("str") if len(flat) else pd.Series([], dtype="str"), plan.ctype)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    bad_rows = np.array([bool(bad[offsets[i]:offsets[i + 1]].any()) for i in range(len(values))], dtype=bool)
    return pa.ListArray.from_arrays(pa.array(offsets), arr), bad_rows


def output_schema(plans: List[ColumnPlan]) -> pa.Schema:
    fields = []
    for plan in plans:
        if plan.kept:
            t = plan.ctype.arrow()
            fields.append(pa.field(plan.out, pa.list_(t) if plan.is_list else t))
    return pa.schema(fields)


# ---------------------------------------------------------------- the whole file

@dataclass
class _StagedCells:
    """One table's quarantined cells so far: its owner-only staging file, the last row written, and whether
    every chunk started after the previous one ended."""
    path: Path
    file: object
    last_row: int = -1
    in_order: bool = True


class _Quarantine:
    """The quarantined cells (data row, physical line, column, reason, table), written as they come to one
    owner-only staging file per table, so memory holds one chunk's entries whatever the file's size.

    The published file lists them by table, then row (a row's cells in the order they failed).  Chunks
    arrive in row order, so each chunk's entries, sorted, are appended; should a chunk ever start before
    the previous one ended, that table's entries are sorted in memory at publish instead (the same file).
    """

    HEADER = "row,line,column,reason,table"

    def __init__(self, path: Path, stage: Callable[[], Path]) -> None:
        self.path, self._stage = path, stage
        self._pending: List[tuple] = []              # this chunk's entries: (row, line, column, reason, table)
        self._tables: Dict[str, _StagedCells] = {}
        self._rows = 0                                # distinct (table, row) written so far

    def add(self, row: int, column: str, reason: str, line: Optional[int] = None, table: str = "") -> None:
        self._pending.append((int(row), int(line) if line is not None else "", column, reason, table))

    def flush(self) -> None:
        """Write the entries added since the last flush (call it after each chunk)."""
        entries, self._pending = sorted(self._pending, key=lambda x: (x[4], x[0])), []
        for r, line, c, reason, t in entries:
            if t not in self._tables:
                path = self._stage()
                self._tables[t] = _StagedCells(path, path.open("a", encoding="utf-8"))
            state = self._tables[t]
            if r != state.last_row:
                self._rows += 1   # a row may fail in more than one column: counted once (entries sorted)
                state.in_order = state.in_order and r > state.last_row
                state.last_row = r
            # ``table``: the sheet of a workbook (its data row numbers start at 1 on every sheet).
            state.file.write(f"{r},{line},{json.dumps(c)},{json.dumps(reason)},"
                           f"{json.dumps(t.split('#', 1)[-1]) if '#' in t else ''}\n")

    def distinct_rows(self) -> int:
        self.flush()
        if all(state.in_order for state in self._tables.values()):
            return self._rows
        return sum(len({line.split(",", 1)[0] for line in self._lines(t)}) for t in self._tables)

    def _lines(self, table: str) -> Iterator[str]:
        state = self._tables[table]
        state.file.flush()
        with state.path.open(encoding="utf-8") as f:
            if state.in_order:
                yield from f
            else:  # out of order (never seen): sorted by row, stable
                yield from sorted(f, key=lambda line: int(line.split(",", 1)[0]))

    def publish(self) -> Optional[Path]:
        self.flush()
        if not self._tables:
            self.path.unlink(missing_ok=True)  # an earlier run's list of this output: not this run's
            return None
        tmp = temporary_path(self.path)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self.HEADER + "\n")
                for table in sorted(self._tables):
                    out.writelines(self._lines(table))
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return self.path

    def paths(self) -> List[Path]:
        return [state.path for state in self._tables.values()]

    def close(self) -> None:
        for state in self._tables.values():
            state.file.close()


def _reason(plan: ColumnPlan) -> str:
    if plan.rule.operator == "generalize":
        return f"could not be generalised to {plan.rule.to} (not a valid {'postcode' if plan.rule.to in ('pc4', 'pc3') else 'date'})"
    if plan.ctype.kind == "decimal":
        return (f"not a decimal number with at most {plan.ctype.scale} decimals (a bare 8-9 digit number that "
                "passes the elfproef is taken for a BSN, not an amount)")
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
            yield chunk, masker.masked(chunk.frame)
        return
    from .textmemo import SharedTexts

    texts = SharedTexts(masker)  # each distinct free text masked by one worker, once (while remembered)
    with _transform_pool(masker, key, workers) as pool:
        for chunk, result in _ordered_results(chunks, lambda c: pool.submit(_transform_in_worker, *texts.split(c.frame)),
                                              workers):
            yield chunk, texts.join(chunk.frame, result)


def _transform_pool(masker: ChunkMasker, key: bytes, workers: int) -> ProcessPoolExecutor:
    """``workers`` processes, each with a :class:`ChunkMasker` of ``masker``'s plans and key (:func:`_init_worker`)."""
    return worker_pool(workers, _init_worker, (masker.plans, key, masker.pseudonymizer.domain, masker.reference))


def _ordered_results(items: Iterator, submit: Callable, workers: int) -> Iterator[tuple]:
    """(item, result) pairs in the order of ``items``, each result from the future ``submit(item)`` returns
    (a process pool's); at most ``2 * workers`` submitted ahead, so memory holds a few items whatever the file's size."""
    pending: list = []
    for item in items:
        pending.append((item, submit(item)))
        while len(pending) >= 2 * workers or (pending and pending[0][1].done()):
            done, future = pending.pop(0)
            yield done, future.result()
    for done, future in pending:
        yield done, future.result()


def mask_file(*args, **kwargs) -> dict:
    """Mask ``input_path`` into ``output_path`` (format by extension) and return the manifest.

    Raises :class:`InputError` for an unreadable input, :class:`~.policy.PolicyError` for a policy
    that does not fit the file, :class:`OutputError`, or :class:`PrivacyGateFailed`; in every case
    nothing is left at the output path.  Any other exception (a reader library's, whose message may
    quote a cell value) becomes a value-free :class:`InputError` naming its type only.
    """
    from .policy import PolicyError

    input_path, output = _paths(args, kwargs)
    try:
        return _mask_file(*args, **kwargs)
    except (InputError, PolicyError, OutputError, PrivacyGateFailed, RunAgain):
        raise
    except BrokenProcessPool:   # a worker was killed (kill -9, the OOM killer): not the input's fault
        raise WorkerDied(input_path) from None
    except OSError as exc:
        full = _disk_full(exc)
        if full:
            raise OutputError(f"{output.parent}: no space left for the output and its staging files ({full}); "
                              "free space there or choose another output folder") from None
        code = _output_failed(exc, output, input_path)
        if code:
            raise OutputError(f"{output.parent}: the output or its staging files could not be written ({code}); "
                              "check the folder's permissions and disk, or choose another output folder") from None
        raise _withheld(exc, input_path) from None
    except Exception as exc:
        raise _withheld(exc, input_path) from None


def _paths(args, kwargs) -> tuple:
    """(input path, output path) of a :func:`mask_file` call, for its error messages."""
    return (Path(kwargs.get("input_path", args[0] if args else "input")),
            Path(kwargs.get("output_path", args[1] if len(args) > 1 else "output")))


def _disk_full(exc: OSError) -> str:
    """ENOSPC, EFBIG or EDQUOT when ``exc`` says the disk or quota is full, else ''.  pyarrow's I/O errors
    carry the errno only in their text (``[errno 28] No space left on device``)."""
    import errno

    code = exc.errno
    if code is None:
        found = re.search(r"\[errno (\d+)\]", str(exc))
        code = int(found.group(1)) if found else None
    return errno.errorcode[code] if code in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) else ""


def _output_failed(exc: OSError, output: Path, input_path: Path) -> str:
    """The errno's name (EACCES, EIO, EROFS, ...) when ``exc`` is about a file in the output's folder other
    than the input (the output, its staging files): the output is to blame, not the input."""
    import errno

    if not exc.filename:
        return ""
    failed = Path(os.fsdecode(exc.filename)).resolve()
    if failed == input_path.resolve() or failed.parent != output.resolve().parent:
        return ""
    return errno.errorcode.get(exc.errno, type(exc).__name__)


def _withheld(exc: Exception, path: Path) -> InputError:
    """A value-free InputError for an exception whose message may quote a cell: its type and where."""
    import traceback

    frame = traceback.extract_tb(exc.__traceback__)[-1]  # where, for a bug report: code, not data
    where = f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"
    return InputError(path, f"could not be processed: {type(exc).__name__} in {where} (its message is "
                            "withheld: it may quote a value)")


# Large CSVs are parsed in byte ranges where they are transformed (io/ranges.py); off: one reader in this process.
RANGED = os.environ.get("PII_PIPELINE_RANGED_READER", "1") != "0"
WORKERS_FROM_BYTES = 64 << 20   # files at least this large are transformed by one process per core (``workers=None``)


def default_workers(size: int) -> int:
    """One process per core for a file over :data:`WORKERS_FROM_BYTES`, else one (starting processes costs more)."""
    return max(1, os.cpu_count() or 1) if size >= WORKERS_FROM_BYTES else 1


@dataclass
class _Run:
    """One mask run: the input's :class:`~..io.source.Source`, the settings, and what each stage adds."""

    source: Source
    output_path: Path
    policy: Policy
    pseudonymizer: Pseudonymizer
    reference: dt.date
    key: bytes
    detector: object
    chunk_rows: int
    workers: int
    progress: Optional[Callable[[int], None]]
    column_types: Optional[Dict[str, ColumnType]]
    disclosure: Optional[dict]
    exclusion: object
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    # plan
    plans_per_table: Dict[str, List[ColumnPlan]] = field(default_factory=dict)
    labels: Dict[str, str] = field(default_factory=dict)
    split: bool = False
    policy_warnings: list = field(default_factory=list)
    # transform
    quarantine: Optional[_Quarantine] = None
    staged: Dict[str, Path] = field(default_factory=dict)
    gates: Dict[str, KAnonymityGate] = field(default_factory=dict)
    text_counts: Dict[str, Counter] = field(default_factory=dict)
    kinds: Dict[str, Dict[str, set]] = field(default_factory=dict)
    excluded_pseudonyms: dict = field(default_factory=dict)
    excluded: Dict[str, int] = field(default_factory=dict)   # reason -> rows left out (objection, erased)
    file_count: FileCount = field(default_factory=FileCount)
    utility: UtilityCheck = field(default_factory=UtilityCheck)
    rows_in: int = 0
    # gate
    decisions: dict = field(default_factory=dict)
    residual_summary: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    rows_out: int = 0
    suppressed: int = 0
    writer: Optional[OutputWriter] = None
    writers: Dict[str, OutputWriter] = field(default_factory=dict)   # split outputs: one writer per table

    @property
    def shown(self) -> str:
        return self.source.shown


def _mask_file(
    input_path: Path | str,
    output_path: Path | str,
    policy: Policy,
    key: bytes,
    detector=None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    workers: Optional[int] = None,
    domain: Optional[str] = None,
    progress: Optional[Callable[[int], None]] = None,
    column_types: Optional[Dict[str, ColumnType]] = None,
    disclosure: Optional[dict] = None,
    exclusion=None,
) -> dict:
    """Mask ``input_path`` into ``output_path`` (format by extension) and return the manifest: the input is
    opened once (a :class:`Source`), then read -> classify/plan -> transform -> gate -> publish.

    ``workers``: processes for the transform (None: one per core for a file over 64 MB, else one; the
    output is the same byte for byte).  ``disclosure`` (from the dataset, see ``batch.dataset_disclosure``):
    the dataset's generalisation levels and its published quasi-identifiers, so k is kept over the whole
    dataset.  ``exclusion`` (:class:`~pii_pipeline.rights.exclusion.Exclusion`, default: the policy's
    ``exclude`` list) names persons whose rows are left out and counted.
    """
    from ..rights.exclusion import for_run

    output_path = Path(output_path)
    source = open_source(input_path)
    if output_path.parent.is_dir():
        remove_stale_stages(output_path)
    out_format = output_format(output_path)
    pseudonymizer = Pseudonymizer(key, domain or policy.pseudonym_domain)
    reference = policy.reference_date or dt.date.today()
    refuse_overwrite(source.path, output_path)
    if source.path.suffix.lower() == ".txt" and out_format == "txt":
        return _mask_text_file(source, output_path, policy, pseudonymizer, detector or LazyDetector(), reference)
    if out_format == "txt":
        raise OutputError(f"{output_path}: only a .txt input can be written as masked text; choose .parquet, .csv, .json, .jsonl or .xlsx")
    source = source.with_layout()
    run = _Run(source, output_path, policy, pseudonymizer, reference, key, detector, chunk_rows,
               default_workers(source.size) if workers is None else workers, progress, column_types, disclosure,
               for_run(policy) if exclusion is None else exclusion)
    frozen = _freeze_gc()
    try:
        _plan_stage(run)
        release_memory()   # the sample's frames: forked transform workers would count their pages too
        _transform_stage(run)
        run.source.check_unchanged()   # every row read is of the bytes hashed (the manifest's and version's id)
        _gate_stage(run)
        return _publish_stage(run)
    except BaseException:
        for w in run.writers.values() or ([run.writer] if run.writer is not None else []):
            w.abort()
        raise
    finally:
        if frozen:
            import gc

            gc.unfreeze()
        if run.quarantine is not None:
            run.quarantine.close()
        for path in [*run.staged.values(), *(run.quarantine.paths() if run.quarantine is not None else [])]:
            path.unlink(missing_ok=True)


def _freeze_gc() -> bool:
    """Move what the process holds before the run (the imported modules, the caller's objects: ~80,000 objects,
    alive through the run) out of the garbage collector's sight until the run ends: every collection of the
    run (``release_memory``'s, the automatic ones, the forked workers') traversed them again, 40-120 ms each,
    and a forked worker's collections wrote to their pages (copy-on-write: pages of the main process made the
    worker's own).  True when it froze (not when a caller already froze: theirs to undo)."""
    import gc

    if gc.get_freeze_count():
        return False
    gc.freeze()
    return True


def _plan_stage(run: _Run) -> None:
    """Read a sample of every table, classify its columns and fix one rule (and type) per column."""
    from ..discovery.classifier import WINDOWED_FROM, classify_sample, sample_tables, sample_windows

    source, out_format = run.source, output_format(run.output_path)
    # The policy's column overrides are checked against the header before any row is read.
    run.policy_warnings = run.policy.check_columns(source.path, list(source.columns))
    for warning in run.policy_warnings:
        log.warning("%s", warning)
    run.detector = run.detector or LazyDetector()
    tables = None
    if source.format == "csv" and source.index is not None and source.index.lines(source.size) >= WINDOWED_FROM:
        # A large CSV is sampled from evenly spaced windows: the transform parses it, once (io/ranges.py).
        tables = sample_windows(source.path, source.index, source.size)
    if tables is None:
        tables = sample_tables(source.path, chunk_rows=run.chunk_rows, bad_rows="skip")
    # A Vektis EI file is one table per record type: one output file each (table_output).
    run.split = len(tables) > 1 and out_format != "xlsx" and source.format == "ei"
    if len(tables) > 1 and out_format != "xlsx" and not run.split:
        raise OutputError(f"{run.output_path}: {run.shown} has {len(tables)} sheets "
                          f"({', '.join(_table_label(t, source.path.name, run.shown) for t in tables)}); "
                          "write to .xlsx to keep them, or save one sheet as its own file")
    for table, (sample, rows) in tables.items():
        report = classify_sample(run.detector, source.path, table, sample, rows)
        run.plans_per_table[table] = plan_columns(run.policy, report, sample, run.column_types)
    run.labels = {t: _table_label(t, source.path.name, run.shown) for t in run.plans_per_table}


def _transform_stage(run: _Run) -> None:
    """Read the file in chunks, transform them (in ``workers`` processes) and stage the rows as Parquet."""
    run.started = dt.datetime.now(dt.timezone.utc)
    run.quarantine = _Quarantine(run.output_path.parent / (run.output_path.name + QUARANTINE_SUFFIX),
                                 lambda: stage_file(run.output_path))
    run.excluded_pseudonyms = run.exclusion.pseudonyms_for(run.pseudonymizer) if run.exclusion else {}
    stage_writers: Dict[str, tuple] = {}
    for table, plans in run.plans_per_table.items():
        run.gates[table] = _gate_for(run.policy, plans, run.disclosure if len(run.plans_per_table) == 1 else None)
        run.text_counts[table] = Counter()
    maskers = {t: ChunkMasker(p, run.pseudonymizer, run.reference, run.detector) for t, p in run.plans_per_table.items()}
    for chunk, transformed in _transformed_chunks(run, maskers):
        _stage_chunk(run, chunk, transformed, stage_writers)
    for w, _ in stage_writers.values():
        w.close()


def _transformed_chunks(run: _Run, maskers: Dict[str, ChunkMasker]) -> Iterator[tuple]:
    """(chunk, transformed) pairs in file order, the file parsed once.  A CSV that can be cut into byte ranges
    of whole records (io/ranges.py) is parsed range by range where it is transformed (in the workers: only the
    results cross the process boundary), unless its free text is shared out among several workers by the main
    process (textmemo.SharedTexts: it needs the frames here); any other is parsed here."""
    from .textmemo import text_plans

    masker = next(iter(maskers.values()))
    if run.source.format == "csv" and len(maskers) == 1 and (run.workers <= 1 or not text_plans(masker.plans)):
        byte_ranges = _byte_ranges(run)
        if byte_ranges is not None:
            yield from _ranged_chunks(run, masker, *byte_ranges)
            return
    chunk_stream = read_table(run.source.path, run.chunk_rows, bad_rows="skip", count=run.file_count)
    yield from _grouped_chunks(maskers, chunk_stream, run.workers, run.key)


def _byte_ranges(run: _Run):
    """(reader, ranges) when every newline of the CSV's data ends a record, else None."""
    from ..io import ranges
    from ..io.delimited import DelimitedFile

    source = run.source
    if source.index is None or not RANGED:
        return None
    reader = DelimitedFile(source.path)
    start, line = ranges.data_start(source.path, reader.header_skip, reader.encoding.bom)
    with source.path.open("rb") as f:
        header_quotes = f.read(start).count(b'"')
    if not ranges.splittable(source.index, reader.encoding.unit, reader.cr_only, header_quotes):
        return None
    return reader, ranges.split(source.path, source.index, start, line, source.size)


@dataclass
class _Parsed:
    """Where a chunk parsed in a worker came from (its frame stays there): what :func:`_stage_chunk` reads."""
    table: str
    rejected: list
    row_numbers: np.ndarray
    line_numbers: np.ndarray
    kinds: dict
    records: int

    @classmethod
    def of(cls, chunk) -> "_Parsed":
        return cls(chunk.table, chunk.rejected, chunk.rows(), chunk.lines(), chunk.kinds, chunk.records)

    def rows(self) -> np.ndarray:
        return self.row_numbers

    def lines(self) -> np.ndarray:
        return self.line_numbers

    def shifted(self, by: int) -> "_Parsed":
        """Data row numbers counted from the file's first record (a range counts from its own)."""
        return _Parsed(self.table, [(r + by, line, why) for r, line, why in self.rejected], self.row_numbers + by,
                       self.line_numbers, self.kinds, self.records)


def _mask_range(path: Path, window, chunk_rows: int, reader, masker: Optional[ChunkMasker] = None) -> tuple:
    """Parse one byte range with the file's ``reader`` (its layout, encoding and header read once, in the main
    process) and transform its chunks (in a worker: the process's masker)."""
    count, out = FileCount(), []
    for chunk in read_table_range(path, chunk_rows, count, window, reader=reader):
        out.append((_Parsed.of(chunk), (masker or _WORKER).masked(chunk.frame)))
    return out, count


def _ranged_chunks(run: _Run, masker: ChunkMasker, reader, byte_ranges: list) -> Iterator[tuple]:
    """The ranges parsed and transformed in order (in ``workers`` processes), their row numbers shifted and
    their counts summed into the file's; every physical line of the file must be accounted for."""
    path, shift, count = run.source.path, 0, run.file_count
    count.lines, count.blank, count.encoding = reader.header_skip, reader.blank_before_header, str(reader.encoding)
    if run.workers <= 1:
        results = ((r, _mask_range(path, r, run.chunk_rows, reader, masker)) for r in byte_ranges)
        pool = None
    else:
        pool = _transform_pool(masker, run.key, run.workers)
        results = _ordered_results(iter(byte_ranges), lambda r: pool.submit(_mask_range, path, r, run.chunk_rows, reader),
                                   run.workers)
    try:
        for _, (parts, part_count) in results:
            for parsed, transformed in parts:
                yield parsed.shifted(shift), transformed
            for table, n in part_count.records.items():
                count.add(table, n, part_count.rejected.get(table, 0))
                shift += n
            count.lines += part_count.lines or 0
            count.blank += part_count.blank
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    if count.lines != run.source.index.lines(run.source.size):
        raise InputError(path, f"line count mismatch: {run.source.index.lines(run.source.size):,} physical lines, "
                               f"{count.lines:,} read")


def _links_people(plan) -> bool:
    """A column whose output names people by pseudonym: pseudonymised, or free text masked with pseudonym
    tokens (``<NL_BSN:3fa2b1c9d0>``); objection and erasure read both."""
    return plan.rule.operator == "pseudonymize" or (plan.rule.operator == "mask_text"
                                                    and plan.rule.replace_with == "pseudonym")


def _stage_chunk(run: _Run, chunk, transformed, stage_writers: Dict[str, tuple]) -> None:
    """One transformed chunk: quarantine what failed, cast to the output types, count for the gates, stage."""
    from ..rights.exclusion import rows_to_exclude

    casted, bad, counts, n = transformed
    table, plans, label = chunk.table, run.plans_per_table[chunk.table], run.labels.get(chunk.table, chunk.table)
    rows, lines = chunk.rows(), chunk.lines()
    run.rows_in += chunk.records
    for row, line, reason in chunk.rejected:
        run.quarantine.add(row, "", reason, line, label)
    for name, seen in chunk.kinds.items():
        run.kinds.setdefault(table, {}).setdefault(name, set()).update(seen)
    columns, failed = {}, np.zeros(n, dtype=bool)
    for plan in plans:
        if not plan.kept:
            continue
        if plan.name in bad:
            for r, line in zip(rows[bad[plan.name]], lines[bad[plan.name]]):
                run.quarantine.add(r, plan.out, _reason(plan), line, label)
            failed |= bad[plan.name]
        array, cast_bad = casted[plan.name]
        cast_bad = cast_bad & ~failed
        for r, line in zip(rows[cast_bad], lines[cast_bad]):
            run.quarantine.add(r, plan.out, _reason(plan), line, label)
        failed |= cast_bad
        columns[plan.out] = array
    for name, c in counts.items():
        run.text_counts[table].update({(name, e): n for e, n in c.items()})
    if run.excluded_pseudonyms:
        pseudonyms = pd.DataFrame({p.name: casted[p.name][0].to_pylist() if p.is_list else casted[p.name][0].to_pandas()
                                   for p in plans if p.kept and _links_people(p)}, index=pd.RangeIndex(n))
        failed |= rows_to_exclude(plans, pseudonyms, run.excluded_pseudonyms, run.excluded, skip=failed)
    run.utility.add_input(run.labels[table], columns, failed)
    batch = pa.table({**columns, ROW: pa.array(rows, type=pa.int64())})
    batch = batch.filter(pa.array(~failed)) if failed.any() else batch
    codes = run.gates[table].add(batch.select([c for c in run.gates[table].needed if c in batch.column_names]))
    batch = _with_codes(batch, codes)
    if table not in stage_writers:
        run.staged[table] = stage_file(run.output_path)
        schema = output_schema(plans).append(pa.field(ROW, pa.int64()))
        for i in range(len(codes)):
            schema = schema.append(pa.field(f"{CODE}{i}", pa.int32()))
        # Arrow IPC, lz4: the staged rows are read back once, whole batches; no Parquet encoding needed.
        stage_writers[table] = (pa.ipc.new_file(str(run.staged[table]), schema,
                                                options=pa.ipc.IpcWriteOptions(compression="lz4")), schema)
    writer, schema = stage_writers[table]
    writer.write_table(batch.cast(schema), max_chunksize=STAGE_BATCH_ROWS)
    run.quarantine.flush()
    if run.progress:
        run.progress(chunk.records)


# Staged rows are written in batches of at most this many rows: the gate reads them back a batch at a time, and
# one 50,000-row batch per chunk held ~40 MiB more at its peak than the reader's ~10,000-row blocks did.
STAGE_BATCH_ROWS = 10_000
CODE = "__qi"   # the k-anonymity gate's level-0 code of a quasi-identifier, staged with the row (kanon.apply_codes)


def _with_codes(batch: pa.Table, codes: List[np.ndarray]) -> pa.Table:
    """The staged rows with the gate's codes: the gate then generalises them without encoding the values again."""
    for i, c in enumerate(codes):
        batch = batch.append_column(f"{CODE}{i}", pa.array(c, type=pa.int32()))   # overflow raises, never wraps
    return batch


def release_memory() -> None:
    """Hand back to the system what this process has freed: Arrow's pool (mimalloc keeps freed pages for
    reuse) and glibc's heap (freed chunks between live ones stay resident until trimmed).  After the
    transform this took the main process from 600 to 350 MiB on 2M rows; it is called between stages and
    every few batches of the gate, and costs milliseconds."""
    import ctypes
    import gc

    gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        pass


def _mmap_threshold(size: int) -> None:
    """glibc: buffers of ``size`` bytes and more get pages of their own, handed back when freed (by default
    the threshold follows the largest buffer freed, up to 32 MiB, so most of the gate's pickled batches,
    to and from the sweep workers in two threads, are carved from heaps they leave fragmented)."""
    import ctypes

    try:
        ctypes.CDLL(None).mallopt(-3, size)   # M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # not glibc
        pass


def _gate_stage(run: _Run) -> None:
    """k-anonymity over the staged rows, then the value sweep while the output is written (not yet published)."""
    release_memory()   # what the transform left: the gate's workers and batches start from a small heap
    if run.workers > 1:
        _mmap_threshold(64 << 10)
        try:
            _gate_tables(run)
        finally:
            _mmap_threshold(32 << 20)   # glibc's ceiling for its own threshold: later work as before
    else:
        _gate_tables(run)


def _gate_tables(run: _Run) -> None:
    """Each table: the k-anonymity decision (or the failure), then its rows through it and the sweep."""
    for table, plans in run.plans_per_table.items():
        decision = run.gates[table].decide() if run.policy.k_anonymity.enabled else None
        run.decisions[table] = decision
        if decision is not None and not decision.passed:
            raise PrivacyGateFailed(f"{run.source.path.name}: k-anonymity: {decision.message}; nothing was published",
                                    [decision.to_dict()])
        if decision is not None and decision.regeneralised and run.disclosure is not None:
            # The dataset goes to coarser levels: the caller re-publishes its parts with this file (kanon.republish).
            run.disclosure["republish"] = lambda part, names, g=run.gates[table], d=decision: g.republish(part, d, names)
        _write_table(run, table, plans, decision)


def _write_table(run: _Run, table: str, plans: List[ColumnPlan], decision) -> None:
    """One table's staged rows through the k-anonymity decision and the value sweep into its writer."""
    policy, label = run.policy, run.labels[table]
    renames = decision.renames if decision is not None else {}
    schema = pa.schema([f.with_name(renames.get(f.name, f.name)) for f in output_schema(plans)])
    if run.split:
        writer = run.writer = run.writers[table] = OutputWriter(table_output(run.output_path, table), schema)
    elif run.writer is None:
        writer = run.writer = OutputWriter(run.output_path, schema, sheet=label.split("#", 1)[-1],
                                           json_kinds=run.kinds.get(table))
    else:
        writer = run.writer
        if writer.format == "xlsx":
            writer.new_sheet(label.split("#", 1)[-1], schema)
    produced = {p.out for p in plans if p.kept and p.rule.operator in ("pseudonymize", "redact", "generalize")}
    sweep = OutputSweep(skip=produced, event_columns={p.out for p in plans if p.event},
                        wordless={p.out for p in plans if p.kept and p.wordless})
    if table not in run.staged:
        return
    gate = run.gates[table]

    def generalised() -> Iterator[tuple]:
        staged_codes = [f"{CODE}{i}" for i in range(len(gate.spec.quasi))]
        for batch in _staged_batches(run.staged[table], run.chunk_rows):
            rows, out = batch.column(ROW).to_numpy(), batch.drop_columns([ROW, *staged_codes])
            if decision is not None and gate.columns:
                qi, n = gate.apply_codes([batch.column(c).to_numpy().astype(np.int64) for c in staged_codes], decision)
                run.suppressed += n
                for name, array in qi.items():
                    out = out.set_column(out.schema.get_field_index(name), name, array)
            yield rows, out

    batches = _swept(generalised(), sweep, run.workers, run.source.size) if policy.residual_scan.enabled else generalised()
    with _InOrder() as background:   # Parquet encoding releases the GIL: it overlaps the next batch's work
        for i, (rows, out) in enumerate(batches):
            if i % RELEASE_EVERY == RELEASE_EVERY - 1:
                release_memory()
            if renames:  # generalised columns say what they hold: leeftijdsklasse, pc3
                out = out.rename_columns([renames.get(n, n) for n in out.column_names])
            written = pa.Table.from_batches([out])
            run.utility.add_output(label, written)
            background.submit(writer.write, written)
            run.rows_out += out.num_rows
    if policy.residual_scan.enabled:
        run.residual_summary.extend({**s, "table": label} for s in sweep.summary())
        over = sweep.over_threshold(policy.residual_scan.max_withheld)
        run.findings.extend({**f, "table": label} for f in sweep.locations if f["column"] in over)


RELEASE_EVERY = 20   # batches of the gate between two release_memory() calls


class _InOrder:
    """Calls run one after another in one thread of this process, at most two waiting; leaving the block waits
    for them all and raises the first error (on an error inside the block it only waits: the caller aborts)."""

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool, self._pending = ThreadPoolExecutor(1), []

    def submit(self, fn: Callable, *args) -> None:
        self._pending.append(self._pool.submit(fn, *args))
        while len(self._pending) > 2:
            self._pending.pop(0).result()

    def __enter__(self) -> "_InOrder":
        return self

    def __exit__(self, kind, *_) -> None:
        self._pool.shutdown(wait=True)
        if kind is None:
            for future in self._pending:
                future.result()


def _swept(batches: Iterator[tuple], sweep: OutputSweep, workers: int, size: int = 0) -> Iterator[tuple]:
    """(rows, batch) pairs through the value sweep; with ``workers > 1`` in processes, in order, each batch
    with a sweep of its own merged into ``sweep`` in batch order (the same counts and first locations)."""
    if workers <= 1:
        for rows, out in batches:
            yield rows, _withhold(out, rows, sweep)
        return
    with worker_pool(workers, fresh=size >= SPAWN_FROM_BYTES) as pool:
        # Only the swept columns go to a worker and only the unsafe cells' positions come back (not the batch).
        submit = lambda batch: pool.submit(_sweep_in_worker, _to_sweep(batch[1], sweep), batch[0], sweep.skip,  # noqa: E731
                                           sweep.events, sweep.wordless)
        for (rows, out), (found, part) in _ordered_results(batches, submit, workers):
            sweep.merge(part)
            yield rows, _withheld_cells(out, found)


SPAWN_FROM_BYTES = 256 << 20   # inputs at least this large get sweep workers started afresh (worker_pool)


def worker_pool(workers: int, initializer: Optional[Callable] = None, initargs: tuple = (),
                fresh: bool = False) -> ProcessPoolExecutor:
    """``workers`` processes; ``fresh``: started afresh (multiprocessing's ``spawn``), else forked from this one.

    By the gate of a large file this process holds hundreds of MiB of heap; a forked worker maps all of it,
    counts every page it touches in its own resident memory and copies any either side writes: two forked
    sweep workers on 5M rows were 537 MiB each (109 their own).  A fresh one imports this module (about
    130 MiB, 1.5 s of CPU, several seconds under load) and holds only its batches (230 MiB).  Forked below
    :data:`SPAWN_FROM_BYTES`, where the start-up would cost more than the memory; the output is the same
    either way.  A script calling :func:`mask_file` on such a file with ``workers > 1`` needs the usual
    ``if __name__ == "__main__":`` guard (a fresh worker imports the main module, as on macOS and Windows).
    """
    import multiprocessing

    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn" if fresh else "fork"),
                               initializer=initializer or _quiet_worker, initargs=initargs)


def _quiet_worker() -> None:
    from ..logs import configure_logging

    configure_logging(logging.WARNING)


def _sweep_in_worker(columns: pa.Table, rows: np.ndarray, skip: set, events: set, wordless: set):
    """The unsafe cells' positions of the swept columns of one batch, and the batch's own sweep (its counts)."""
    part = OutputSweep(skip=skip, event_columns=events, wordless=wordless)
    return _unsafe_cells(columns, rows, part), part


def _staged_batches(path: Path, size: int) -> Iterator[pa.RecordBatch]:
    """The staged rows in file order, in batches of exactly ``size`` rows (the last one shorter), so the
    output's row groups do not depend on how the reader or the chunks happened to cut the rows."""
    with pa.OSFile(str(path)) as source:  # not mapped: mapped pages of a big staged file count as resident memory
        reader = pa.ipc.open_file(source)
        pending, held = [], 0
        for i in range(reader.num_record_batches):
            batch = reader.get_batch(i)
            pending.append(batch)
            held += batch.num_rows
            while held >= size:
                rows = pa.Table.from_batches(pending)   # one copy of the batch's rows, the rest stays sliced
                yield rows.slice(0, size).combine_chunks().to_batches()[0]
                pending, held = rows.slice(size).to_batches(), held - size
        if held:
            yield pa.Table.from_batches(pending).combine_chunks().to_batches()[0]


def _publish_stage(run: _Run) -> dict:
    """Fail on the sweep's findings, reconcile the counts with the file, check utility, then move the output,
    quarantine and manifest into place."""
    policy, output_path, shown = run.policy, run.output_path, run.shown
    if run.findings:
        report = output_path.parent / (output_path.name + RESIDUAL_SUFFIX)
        failing = [s for s in run.residual_summary if any(f["column"] == s["column"] for f in run.findings)]
        publish_bytes(report, json.dumps({"input": shown, "output": output_path.name, "passed": False,
                                          "max_withheld": policy.residual_scan.max_withheld,
                                          "withheld": failing, "locations": run.findings}, indent=2).encode())
        where = "; ".join(f"{s['column']}: {s['cells']} row(s) with {s['entity_type']}" for s in failing[:10])
        raise PrivacyGateFailed(f"{shown}: the value sweep still finds direct identifiers in more than "
                                f"{policy.residual_scan.max_withheld:.0%} of a column's cells ({where}); the policy does "
                                f"not fit the file; nothing was published; locations in {report}", run.findings, report)
    quarantined = run.quarantine.distinct_rows()
    # Records the reader counted in the file = written + quarantined + excluded (objection, erased).
    reconcile(run.source.path, run.file_count, run.rows_in, run.rows_out, quarantined + sum(run.excluded.values()))
    utility_figures = run.utility.verify(shown)
    for w in run.writers.values() or [run.writer]:
        w.commit()
    quarantine_file = run.quarantine.publish()
    manifest = _manifest(run.source, output_path, policy, run.pseudonymizer, run.reference, run.started,
                         run.plans_per_table, run.text_counts, run.rows_in, run.rows_out, quarantined, quarantine_file,
                         run.decisions, run.suppressed, run.residual_summary, run.labels,
                         {run.labels[t]: w.final for t, w in run.writers.items()})
    manifest["input"]["records"] = run.file_count.to_dict()
    manifest["utility"] = utility_figures
    if run.exclusion:
        manifest["rows"]["excluded"] = sum(run.excluded.values())
        manifest["excluded"] = run.excluded
    manifest["policy"]["warnings"] = run.policy_warnings
    publish_bytes(manifest_path(output_path), json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"))
    return manifest


def _table_label(table: str, file_name: str, shown: str) -> str:
    """A table is named by its file (and sheet): both are data until the sweep says they are clean."""
    base, sep, sheet = table.partition("#")
    base = shown if base == file_name else shown_name(base)
    return base + (sep + shown_name(sheet, prefix="sheet") if sep else "")


def _withhold(out: pa.Table, rows: np.ndarray, sweep: OutputSweep) -> pa.Table:
    """Sweep every string (and list-of-string) column of a batch; unsafe cells become the withheld marker."""
    return _withheld_cells(out, _unsafe_cells(_to_sweep(out, sweep), rows, sweep))


def _to_sweep(out: pa.Table, sweep: OutputSweep) -> pa.Table:
    """The columns of a batch the sweep reads: strings and lists of strings the policy did not produce (only
    these cross to a sweep worker)."""
    names = [f.name for f in out.schema if f.name not in sweep.skip and _swept_type(f.type)]
    # Strings first, then lists: the order in which the sweep records its first locations.
    return out.select([n for n in names if not pa.types.is_list(out.schema.field(n).type)]
                      + [n for n in names if pa.types.is_list(out.schema.field(n).type)])


def _swept_type(t: pa.DataType) -> bool:
    if pa.types.is_list(t):
        return pa.types.is_string(t.value_type)
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _unsafe_cells(columns: pa.Table, rows: np.ndarray, sweep: OutputSweep) -> Dict[str, np.ndarray]:
    """Column -> positions to withhold (a list column: positions among its flattened values), counted in ``sweep``."""
    import pyarrow.compute as pc

    found = {}
    for f in columns.schema:
        column = columns.column(f.name)
        column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        if pa.types.is_list(f.type):
            parents = pc.list_parent_indices(column).to_numpy()
            positions = sweep.unsafe(f.name, pc.list_flatten(column).to_pandas(), rows[parents])
        else:
            positions = sweep.unsafe(f.name, column.to_pandas(), rows)
        if len(positions):
            found[f.name] = positions
    return found


def _withheld_cells(out: pa.Table, found: Dict[str, np.ndarray]) -> pa.Table:
    """The batch with the cells at ``found``'s positions replaced by :data:`WITHHELD`."""
    import pyarrow.compute as pc

    for name, positions in found.items():
        column = out.column(name)
        column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        values = pc.list_flatten(column) if pa.types.is_list(column.type) else column
        mask = np.zeros(len(values), dtype=bool)
        mask[positions] = True
        values = pc.replace_with_mask(values.cast(pa.string()), pa.array(mask),
                                      pa.array([WITHHELD] * len(positions), type=pa.string()))
        if pa.types.is_list(column.type):
            values = pa.ListArray.from_arrays(column.offsets, values, mask=column.is_null())
        out = out.set_column(out.schema.get_field_index(name), name, values)
    return out


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
        yield chunk, maskers[chunk.table].masked(chunk.frame)


def _hierarchy(policy: Policy, plan: ColumnPlan):
    custom = policy.k_anonymity.hierarchies
    levels = custom.get(plan.name, custom.get(plan.entity or ""))
    if levels is not None:
        return hierarchy_for("custom", levels=levels)
    if plan.rule.operator == "generalize":
        return hierarchy_for(plan.rule.to, plan.rule.band_width, plan.rule.top_code)
    return hierarchy_for(None)


def _matches(plan: ColumnPlan, wanted: List[str]) -> bool:
    import fnmatch

    glob = not names_a_code_list(plan.name)   # a code-list indicator is not the code a glob asks for
    return any(plan.entity == w or plan.name == w or (glob and fnmatch.fnmatchcase(plan.name.lower(), w.lower())) for w in wanted)


def _gate_for(policy: Policy, plans: List[ColumnPlan], disclosure: Optional[dict] = None) -> KAnonymityGate:
    """The gate's quasi-identifiers, person key and sensitive columns from the plan (and the dataset's levels)."""
    from .policy import PolicyError

    k, ld = policy.k_anonymity, policy.l_diversity
    wanted = set(k.quasi_identifiers)
    fixed = (disclosure or {}).get("levels", {})
    quasi = []
    for plan in plans:
        if plan.kept and (plan.name in wanted or (plan.entity in wanted)) and plan.ctype.kind == "string" and not plan.is_list:
            # The gate sees output names (a personal header is already column_<n> there).
            hierarchy = _hierarchy(policy, plan)
            if plan.out in fixed:
                stored = disclosure.get("hierarchies", {}).get(plan.out)
                if stored is not None and stored != hierarchy.signature():
                    raise PolicyError(f"column '{plan.out}': the dataset was generalised with another hierarchy "
                                      f"({stored}); this policy gives {hierarchy.signature()}")
            quasi.append(QuasiIdentifier(plan.out, hierarchy, fixed.get(plan.out)))
    names = {q.column for q in quasi}
    person = [p.out for w in k.person_key for p in plans
              if p.kept and not p.is_list and (p.entity == w or p.name == w) and p.out not in names]
    sensitive = [p.out for p in plans if ld.enabled and p.kept and p.out not in names and _matches(p, ld.sensitive)]
    spec = GateSpec(k.k, quasi, list(dict.fromkeys(person)), sensitive, ld.l if ld.enabled else None,
                    k.max_suppression, k.generalize, k.on_failure, k.sampling_fraction,
                    [p.out for p in plans if p.kept], on_dataset_break=k.on_dataset_break)
    gate = KAnonymityGate(spec)
    if disclosure and quasi:
        for frame in disclosure["frames"]():
            gate.add(frame, prior=True)
    return gate


def _manifest_head(source: Source, input_format: str, output_path: Path, policy: Policy, pseudonymizer: Pseudonymizer,
                   reference: dt.date, started: dt.datetime) -> dict:
    """What every manifest records: when, which tool, which input and output, which policy and key."""
    return {
        "manifest_version": 1,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "started": started.isoformat(timespec="seconds"),
        "tool": tool_versions(),
        "input": {"file": source.shown, "format": input_format, "bytes": source.size, "sha256": source.sha256},
        "output": {"file": output_path.name, "format": output_format(output_path), "bytes": output_path.stat().st_size,
                   "sha256": file_sha256(output_path)},
        "policy": {"name": policy.name, "sha256": policy.digest(), "pseudonym_domain": pseudonymizer.domain,
                   "reference_date": reference.isoformat()},
        "key_id": pseudonymizer.key_id,
    }


def table_output(output_path: Path, table: str) -> Path:
    """Where one table of a split output goes: ``out/decl.parquet`` + ``decl.asc#prestatie`` -> ``out/decl.prestatie.parquet``."""
    output_path = Path(output_path)
    return output_path.with_name(f"{output_path.stem}.{table.split('#', 1)[-1]}{output_path.suffix}")


def _manifest(source: Source, output_path, policy, pseudonymizer, reference, started, plans_per_table, text_counts,
              rows_in, rows_out, quarantined, quarantine_file, decisions, suppressed, residual_summary, labels,
              split_outputs: Optional[Dict[str, Path]] = None) -> dict:
    tables = []
    for table, plans in plans_per_table.items():
        columns = []
        for plan in plans:
            d = plan.describe()
            masked = {e: n for (c, e), n in text_counts.get(table, {}).items() if c == plan.name}
            if masked:
                d["entities_masked"] = masked
            held = {s["entity_type"]: s["cells"] for s in residual_summary
                    if s["column"] == plan.out and s["table"] == labels[table]}
            if held:
                d["withheld"] = held
            decision = decisions.get(table)
            if decision is not None and plan.out in decision.levels:
                d["output_name"] = decision.renames.get(plan.out, plan.out)
                d["generalisation"] = decision.words[plan.out]
            columns.append(d)
        decision = decisions.get(table)
        tables.append({"table": labels[table], "columns": columns,
                       "k_anonymity": decision.to_dict() if decision is not None else {"enabled": False}})
    if split_outputs:  # one file per table: the head names the first, "output" lists them all
        head = _manifest_head(source, source.format, next(iter(split_outputs.values())), policy,
                              pseudonymizer, reference, started)
        head["output"] = {"format": head["output"]["format"], "tables": {
            t: {"file": p.name, "bytes": p.stat().st_size, "sha256": file_sha256(p)} for t, p in split_outputs.items()}}
    else:
        head = _manifest_head(source, source.format, output_path, policy, pseudonymizer, reference, started)
    return {
        **head,
        "rows": {"in": rows_in, "out": rows_out, "quarantined": quarantined},
        "quarantine": {"file": quarantine_file.name if quarantine_file else None, "rows": quarantined},
        "tables": tables,
        "privacy_gates": {
            "value_sweep": {"enabled": policy.residual_scan.enabled, "passed": True, "marker": WITHHELD,
                            "max_withheld": policy.residual_scan.max_withheld, "withheld": residual_summary},
            "k_anonymity": {"enabled": policy.k_anonymity.enabled, "k": policy.k_anonymity.k,
                            "l": policy.l_diversity.l if policy.l_diversity.enabled else None,
                            "rows_with_quasi_identifiers_suppressed": suppressed,
                            "persons_suppressed": sum(d.persons_suppressed for d in decisions.values() if d is not None),
                            "passed": all(d.passed for d in decisions.values() if d is not None)},
        },
    }


def _mask_text_file(source: Source, output_path: Path, policy: Policy, pseudonymizer: Pseudonymizer, detector,
                    reference: dt.date) -> dict:
    input_path = source.path
    raw = input_path.read_bytes()
    if not raw:
        raise InputError(input_path, "empty file")
    text = decode_file_text(input_path, raw)
    started = dt.datetime.now(dt.timezone.utc)
    counts: Counter = Counter()
    rule = policy.free_text
    masked = operators.mask_text(text, detector, pseudonymizer if rule.replace_with == "pseudonym" else None, counts)
    left = sorted({f.entity for f in sweep_find(masked)}) if policy.residual_scan.enabled else []
    if left:  # a text file is one cell: withholding it is not publishing it
        raise PrivacyGateFailed(f"{source.shown}: the value sweep still finds direct identifiers in the "
                                f"masked text ({', '.join(left)}); nothing was published", [{"entity_types": left}])
    publish_bytes(output_path, masked.encode("utf-8"))
    manifest = {
        **_manifest_head(source, "text", output_path, policy, pseudonymizer, reference, started),
        "rows": {"in": 1, "out": 1, "quarantined": 0},
        "entities_masked": dict(counts),
        "privacy_gates": {"value_sweep": {"enabled": policy.residual_scan.enabled, "passed": True, "withheld": []},
                          "k_anonymity": {"enabled": False, "reason": "free text has no quasi-identifier columns"}},
    }
    publish_bytes(manifest_path(output_path), json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"))
    return manifest
