"""Batch anonymisation of a landing folder into partitioned Parquet datasets (the flows' library).

The Prefect flows in ``flows/`` only orchestrate; every step is here, callable
without Prefect (the benchmark compares both):

* :func:`plan_run` lists the landing folder, assigns every file to a dataset
  (a mapping of file patterns, or the file name without date/sequence
  suffixes: ``claims_2026-11.csv`` -> ``claims``) and marks file versions
  that are already published.  A landing file's identity is its path
  relative to the landing folder (``2026/10/claims.csv`` and
  ``2027/claims.csv`` are two files); a *version* of it is that path plus
  its content hash (:func:`version_id`);
* :func:`publish_file` masks one file (``masking.mask_file``) into a hidden
  staging folder and splits it by period into hidden part files; then
  :func:`commit_version` publishes it (see there: manifest first, naming the
  parts it adds and the earlier versions of the same file it retires).  A
  file version is published when its manifest exists; one without is redone
  by the next run (same part names), and :func:`recover_datasets` finishes a
  commit that a killed run left half done, so after any crash and a rerun
  each file's latest version is published exactly once;
* one run at a time per output folder (:func:`run_lock`), and the next run
  removes what a killed run left in staging (:func:`prepare_output`);
* a bad file is moved to the quarantine folder with a reason file, and the
  run goes on;
* :func:`write_data_dictionary` and :func:`write_run_report` describe the
  datasets and the run, with counts and types only.

Output layout::

    OUTPUT/<dataset>/period=2026-10/part-<version>.parquet   analysts read OUTPUT/<dataset>/
    OUTPUT/<dataset>/_manifests/<version>.json               one per published file version
    OUTPUT/<dataset>/_quarantine/<version>.csv               rows not processed (row, line, column, reason)
    OUTPUT/.pii_pipeline.lock                                 the running run's pid and host
    OUTPUT/<dataset>/_data_dictionary.json / .md
    OUTPUT/run_report.md

Readers skip names starting with ``_`` or ``.``, so pandas, DuckDB and
``pyarrow.dataset`` read ``OUTPUT/<dataset>/`` as one table with a ``period``
column.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import fnmatch
import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import socket
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from .errors import InputError
from .idscan.metadata import SCAN_FORMATS
from .io.tables import FORMATS
from .masking.engine import PrivacyGateFailed, file_sha256, mask_file
from .masking.policy import Policy, PolicyError
from .masking.schema import ColumnType
from .masking.writers import OutputError, publish_bytes

log = logging.getLogger(__name__)
QUARANTINE_DIR = "_quarantine"
SCAN_DATASET = "id_scan_images"
PERIOD = "period"
UNKNOWN_PERIOD = "unknown"
_SUFFIX = re.compile(r"(?:[_\-. ]+(?:\d{4}[-_]?\d{2}(?:[-_]?\d{2})?|\d{1,4}|q[1-4]|v\d+|part\d*|deel\d*))+$", re.IGNORECASE)
_PERIOD_IN_NAME = re.compile(r"(20\d{2})[-_]?(0[1-9]|1[0-2])")
# Columns that date the record (declaration, treatment, invoice, contact, scan) come first;
# validity dates (an ID card's expiry) never partition a dataset.
_EVENT_DATE = re.compile(r"declaratie|behandel|factuur|prestatie|contact|scan|datum|date|periode", re.IGNORECASE)
_NOT_EVENT = re.compile(r"verval|geldig|expir|einde|geboorte|birth", re.IGNORECASE)


LOCK_FILE = ".pii_pipeline.lock"
CRASH_ENV = "PII_PIPELINE_CRASH_AT"


class KeyMismatch(Exception):
    """A dataset published with one key must not receive pseudonyms made with another."""


class OutputLocked(Exception):
    """Another run holds the output folder.  The message is one line: who holds it, since when."""


def crash_point(name: str) -> None:
    """Fail point for the crash tests: ``PII_PIPELINE_CRASH_AT=name`` ends the process here, as kill -9 would."""
    if os.environ.get(CRASH_ENV) == name:
        os._exit(137)


def source_id(relative: str) -> str:
    """The identity of a landing file: a hash of its path relative to the landing folder (the path is not stored).

    >>> source_id("2026/claims.csv") != source_id("2027/claims.csv")
    True
    """
    return hashlib.sha256(b"pii-pipeline landing path\0" + relative.encode("utf-8")).hexdigest()[:16]


def version_id(relative: str, sha256: str) -> str:
    """One version of one landing file (its path and its content): names its manifest, parts and quarantine."""
    return hashlib.sha256(f"{source_id(relative)}:{sha256}".encode()).hexdigest()[:16]


def dataset_name(file_name: str) -> str:
    """The dataset a file feeds when no mapping says otherwise: its name without date or sequence suffixes.

    >>> dataset_name("claims_2026-11.csv"), dataset_name("export_klantcontact_2026-10_002.csv"), dataset_name("Facturen 202611.json")
    ('claims', 'export_klantcontact', 'facturen')
    """
    stem = file_name.split(".", 1)[0]
    name = _SUFFIX.sub("", stem) or stem
    return re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "dataset"


@dataclass(frozen=True)
class DatasetMapping:
    """Which file patterns feed which dataset (first match wins); unmatched files by :func:`dataset_name`."""

    patterns: Dict[str, List[str]] = field(default_factory=dict)
    period_columns: Dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Optional[Path | str]) -> "DatasetMapping":
        """YAML: ``claims: ["claims_*.csv", "declaraties_*"]`` or ``claims: {files: [...], period_column: behandeldatum}``."""
        if path is None:
            return cls()
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            raise PolicyError(f"{path}: not a readable YAML dataset mapping") from None
        if not isinstance(data, dict):
            raise PolicyError(f"{path}: expected 'dataset: [file patterns]' entries")
        patterns, periods = {}, {}
        for name, spec in data.items():
            if not re.fullmatch(r"[a-z0-9_]+", str(name)):
                raise PolicyError(f"{path}: dataset name '{name}' must be lower-case letters, digits and '_'")
            if isinstance(spec, dict):
                files, period = spec.get("files"), spec.get("period_column")
                if period is not None:
                    periods[name] = str(period)
            else:
                files = spec
            if isinstance(files, str):
                files = [files]
            if not isinstance(files, list) or not files:
                raise PolicyError(f"{path}: dataset '{name}' needs a list of file patterns")
            patterns[name] = [str(f) for f in files]
        return cls(patterns, periods)

    def dataset_for(self, file_name: str) -> str:
        for name, globs in self.patterns.items():
            if any(fnmatch.fnmatch(file_name.lower(), g.lower()) for g in globs):
                return name
        if Path(file_name).suffix.lower() in SCAN_FORMATS:
            return SCAN_DATASET  # scan file names often hold a name: never a folder name
        return dataset_name(file_name)


@dataclass
class FileTask:
    path: str
    dataset: str
    sha256: str
    status: str = "pending"          # pending | skipped (already published)
    source: str = ""                 # path relative to the landing folder: the file's identity


@dataclass
class FileResult:
    file: str
    dataset: str
    status: str                      # published | skipped | failed | unsupported (left where it is)
    rows_in: int = 0
    rows_out: int = 0
    rows_quarantined: int = 0
    pii_columns: Dict[str, int] = field(default_factory=dict)     # entity type -> columns
    actions: Dict[str, int] = field(default_factory=dict)         # operator -> columns
    entities_masked: Dict[str, int] = field(default_factory=dict)  # in free text
    partitions: List[str] = field(default_factory=list)
    error: Optional[str] = None
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def landing_files(input_dir: Path) -> List[Path]:
    """Every readable file under the landing folder, skipping hidden and ``_`` folders (our quarantine)."""
    input_dir = Path(input_dir)
    if input_dir.is_file():
        return [input_dir]
    if not input_dir.is_dir():
        raise InputError(input_dir, "no such folder")
    files = []
    for path in sorted(input_dir.rglob("*")):
        parts = path.relative_to(input_dir).parts
        if path.is_file() and not any(p.startswith((".", "_")) for p in parts) and (
                path.suffix.lower() in FORMATS or path.suffix.lower() in SCAN_FORMATS):
            files.append(path)
    return files


def relative_source(input_dir: Path, path: Path) -> str:
    """The landing-relative path of a file (its name alone when the landing 'folder' is the file)."""
    input_dir, path = Path(input_dir), Path(path)
    if input_dir.is_dir():
        try:
            return path.resolve().relative_to(input_dir.resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def unsupported_files(input_dir: Path) -> List[tuple]:
    """The files :func:`landing_files` leaves out for their format, with the reason (for the run report)."""
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        return []
    known = set(FORMATS) | set(SCAN_FORMATS)
    found = []
    for path in sorted(input_dir.rglob("*")):
        parts = path.relative_to(input_dir).parts
        if path.is_file() and not any(p.startswith((".", "_")) for p in parts) and path.suffix.lower() not in known:
            found.append((path, unsupported_reason(path)))
    return found


def unsupported_results(input_dir: Path) -> List["FileResult"]:
    return [FileResult(path.name, "", "unsupported", error=reason) for path, reason in unsupported_files(input_dir)]


def unsupported_reason(path: Path) -> str:
    suffix = path.suffix.lower()
    return f"not processed: unsupported format '{suffix}'" if suffix else "not processed: no file extension (format unknown)"


def _manifest_dir(output: Path, dataset: str) -> Path:
    return Path(output) / dataset / "_manifests"


def published_manifests(output: Path, dataset: str) -> List[dict]:
    folder = _manifest_dir(output, dataset)
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []


def _hidden_part(part: Path) -> Path:
    return part.parent / f".{part.name}.tmp"


def _read_manifest(path: Path) -> Optional[dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _retire(dataset_dir: Path, version: str) -> None:
    """Remove one published version: its parts and quarantine first, its manifest last (so a crash leaves a
    manifest that says what is still to remove).  Idempotent."""
    manifest_file = dataset_dir / "_manifests" / f"{version}.json"
    doc = _read_manifest(manifest_file)
    if doc is None:
        return
    for n, part in enumerate(doc.get("parts", [])):
        (dataset_dir / part).unlink(missing_ok=True)
        _hidden_part(dataset_dir / part).unlink(missing_ok=True)
        if n == 0:
            crash_point("retiring")
    if doc.get("quarantine", {}).get("file"):
        (dataset_dir / doc["quarantine"]["file"]).unlink(missing_ok=True)
    manifest_file.unlink(missing_ok=True)


def commit_version(dataset_dir: Path, version: str, manifest: dict, retires: List[str]) -> None:
    """Publish one version of a file into a dataset folder, crash-safely; the one commit of the batch job.

    ``manifest["parts"]`` lists the version's files (relative to ``dataset_dir``); each is either
    in place already or staged as its hidden twin (``.part-x.parquet.tmp``).  ``retires`` lists the
    versions this one replaces (an earlier delivery of the same file; for erasure, the version being
    rewritten).  The steps:

    1. the manifest is written with ``"state": "committing"`` and ``"retires"`` — this is the commit:
       from here on the version is published, whatever happens;
    2. each retired version is removed (parts, quarantine, then its manifest);
    3. each hidden part is renamed into place (atomic per part);
    4. the manifest is rewritten with ``"state": "published"`` (``retires`` kept as ``"replaced"``).

    Retired rows go before the new ones appear, so a reader never sees a file twice (for a moment it may
    see neither).  A run killed anywhere in 2-4 is finished by :func:`recover_datasets`, which repeats
    2-4 for every manifest still ``committing``; killed before 1, nothing is published and the next run
    redoes the file.
    """
    manifests = dataset_dir / "_manifests"
    manifests.mkdir(parents=True, exist_ok=True)
    doc = {**manifest, "version": version, "state": "committing", "retires": sorted(set(retires) - {version})}
    publish_bytes(manifests / f"{version}.json", json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8"))
    crash_point("manifest-written")
    _finish_commit(dataset_dir, version, doc)


def _finish_commit(dataset_dir: Path, version: str, doc: dict) -> None:
    for old in doc.get("retires", []):
        _retire(dataset_dir, old)
    crash_point("retired")
    for n, part in enumerate(doc.get("parts", [])):
        target = dataset_dir / part
        if _hidden_part(target).exists():
            os.replace(_hidden_part(target), target)
        if n == 0:
            crash_point("renaming")
    crash_point("renamed")
    done = {k: v for k, v in doc.items() if k != "retires"}
    done.update(state="published", replaced=doc.get("retires", []))
    publish_bytes(dataset_dir / "_manifests" / f"{version}.json", json.dumps(done, indent=2, ensure_ascii=False).encode("utf-8"))


def recover_datasets(output: Path) -> int:
    """Finish what a killed run committed (call it holding :func:`run_lock`).

    A manifest still ``committing`` gets its retirements and renames done (:func:`commit_version`
    steps 2-4).  A manifest whose parts are neither in place nor staged is withdrawn, so its file is
    processed again.  Returns the number of manifests finished or withdrawn.
    """
    repaired = 0
    for manifest_file in sorted(Path(output).glob("*/_manifests/*.json")):
        dataset_dir = manifest_file.parent.parent
        doc = _read_manifest(manifest_file)
        if doc is None:
            continue
        parts = [dataset_dir / p for p in doc.get("parts", [])]
        missing = [p for p in parts if not p.exists()]
        committing = doc.get("state") == "committing"
        if not missing and not committing:
            continue
        repaired += 1
        if all(_hidden_part(p).exists() for p in missing):
            _finish_commit(dataset_dir, manifest_file.stem, doc)
            log.info("dataset %s: finished publishing a file after an interrupted run", dataset_dir.name)
        else:
            for p in parts:
                p.unlink(missing_ok=True)
            if doc.get("quarantine", {}).get("file"):
                (dataset_dir / doc["quarantine"]["file"]).unlink(missing_ok=True)
            manifest_file.unlink()
            log.info("dataset %s: withdrew an incomplete file; it will be processed again", dataset_dir.name)
    return repaired


def prepare_output(output: Path) -> None:
    """Before a run plans (holding :func:`run_lock`): finish interrupted commits, then remove what killed
    runs left behind: the staging folder, staged parts and quarantine files no manifest names, temp files."""
    output = Path(output)
    if not output.is_dir():
        return
    recover_datasets(output)
    shutil.rmtree(output / ".staging", ignore_errors=True)
    for dataset_dir in (d for d in output.iterdir() if d.is_dir() and not d.name.startswith((".", "_"))):
        named = set()
        for manifest_file in (dataset_dir / "_manifests").glob("*.json"):
            doc = _read_manifest(manifest_file) or {}
            named.update(doc.get("parts", []))
            if doc.get("quarantine", {}).get("file"):
                named.add(doc["quarantine"]["file"])
        for leftover in dataset_dir.rglob(".*"):
            if leftover.is_file() and (leftover.name.endswith(".tmp") or ".tmp-" in leftover.name):
                leftover.unlink(missing_ok=True)  # staged parts (recovery renamed those it needed) and temp files
        for folder in (QUARANTINE_DIR, "scans"):  # written before their commit by a run that was then killed
            for leftover in (dataset_dir / folder).glob("*"):
                if leftover.is_file() and f"{folder}/{leftover.name}" not in named:
                    leftover.unlink(missing_ok=True)


@contextmanager
def run_lock(output: Path | str, wait: float = 0.0) -> Iterator[None]:
    """Hold the output folder for one run: ``OUTPUT/.pii_pipeline.lock`` with the owner's pid and host.

    The lock is an OS file lock (``flock``), released by the kernel when its process ends however it
    ends, so the lock file a killed run leaves is stale by construction and the next run simply takes
    it; no pid guessing, no race.  Another live run makes this wait up to ``wait`` seconds, then raise
    :class:`OutputLocked` with a one-line message naming the holder.
    """
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    path = output / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_manifest(path) or {}
                    raise OutputLocked(f"{output}: another run is using this output folder (pid {holder.get('pid', '?')} "
                                       f"on {holder.get('host', '?')} since {holder.get('started', '?')}); "
                                       "wait for it to finish, or use another output folder") from None
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                  "started": dt.datetime.now().isoformat(timespec="seconds")}).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def plan_run(input_dir: Path, output: Path, mapping: Optional[DatasetMapping] = None) -> List[FileTask]:
    """The files of a run and whether each version is published already (call it holding :func:`run_lock`)."""
    mapping = mapping or DatasetMapping()
    prepare_output(Path(output))
    tasks = []
    for path in landing_files(input_dir):
        dataset = mapping.dataset_for(path.name)
        sha = file_sha256(path)
        source = relative_source(input_dir, path)
        done = (_manifest_dir(output, dataset) / f"{version_id(source, sha)}.json").exists()
        tasks.append(FileTask(str(path), dataset, sha, "skipped" if done else "pending", source))
    return tasks


def dataset_column_types(output: Path, dataset: str) -> Dict[str, ColumnType]:
    """The types a dataset already has, so every file of it gets the same schema."""
    path = Path(output) / dataset / "_data_dictionary.json"
    if not path.is_file():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {c["name"]: ColumnType.parse(c["type"]) for c in doc.get("columns", []) if c.get("type") and c["name"] != PERIOD
            and not c["type"].startswith("list<")}


def _period_column(schema: pa.Schema, preferred: Optional[str]) -> Optional[str]:
    if preferred and preferred in schema.names:
        return preferred
    dated = [f.name for f in schema if pa.types.is_date(f.type) or pa.types.is_timestamp(f.type)]
    dated = [n for n in dated if not _NOT_EVENT.search(n)]
    events = [n for n in dated if _EVENT_DATE.search(n)]
    return (events or dated or [None])[0]


def _period_from_name(file_name: str) -> str:
    m = _PERIOD_IN_NAME.search(file_name)
    return f"{m.group(1)}-{m.group(2)}" if m else UNKNOWN_PERIOD


def _staging_dir(output: Path, dataset: str, version: str) -> Path:
    # Outside the dataset folder, so no reader's glob (DuckDB's **/*.parquet) ever sees staged rows.
    return Path(output) / ".staging" / dataset / version


def _remove_leftovers(output: Path, dataset: str, version: str) -> None:
    """What a crashed run of this file version left: its staging folder and hidden part files."""
    shutil.rmtree(_staging_dir(output, dataset, version), ignore_errors=True)
    for tmp in (Path(output) / dataset).glob(f"{PERIOD}=*/.part-{version}*"):
        tmp.unlink(missing_ok=True)


def _split_by_period(staged: Path, dataset_dir: Path, version: str, period_column: Optional[str], fallback: str,
                     figures: Optional[Dict[str, Dict[str, list]]] = None) -> List[str]:
    """Write the staged rows into hidden part files per period; return the periods.

    ``figures`` receives per period the sum and count of every numeric column (the utility check per period).
    """
    from .masking.utility import is_numeric

    writers: Dict[str, pq.ParquetWriter] = {}
    source = pq.ParquetFile(staged)
    try:
        for batch in source.iter_batches(batch_size=128 * 1024):
            table = pa.Table.from_batches([batch])
            if period_column is not None:
                labels = pc.strftime(pc.cast(table[period_column], pa.timestamp("s")), format="%Y-%m")
                labels = pc.fill_null(labels, UNKNOWN_PERIOD)
            else:
                labels = pa.array([fallback] * table.num_rows, type=pa.string())
            for period in pc.unique(labels).to_pylist():
                part = table.filter(pc.equal(labels, period))
                if period not in writers:
                    folder = dataset_dir / f"{PERIOD}={period}"
                    folder.mkdir(parents=True, exist_ok=True)
                    writers[period] = pq.ParquetWriter(_hidden_part(folder / f"part-{version}.parquet"), source.schema_arrow,
                                                       compression="zstd")
                writers[period].write_table(part, row_group_size=128 * 1024)
                if figures is not None:
                    for name in (f.name for f in part.schema if is_numeric(f.type)):
                        entry = figures.setdefault(period, {}).setdefault(name, [0, 0])
                        total = pc.sum(part[name]).as_py()
                        entry[0] += total if total is not None else 0
                        entry[1] += pc.count(part[name]).as_py()
    finally:
        for w in writers.values():
            w.close()
    return sorted(writers)


def _summarise(manifest: dict, result: FileResult) -> None:
    for table in manifest.get("tables", []):
        for column in table["columns"]:
            if column["detected"]:
                result.pii_columns[column["detected"]] = result.pii_columns.get(column["detected"], 0) + 1
            elif column["role"] == "free_text":
                result.pii_columns["free_text"] = result.pii_columns.get("free_text", 0) + 1
            if column["detected"] or column["role"] == "free_text" or column["operator"] != "keep":
                result.actions[column["operator"]] = result.actions.get(column["operator"], 0) + 1
            for entity, n in column.get("entities_masked", {}).items():
                result.entities_masked[entity] = result.entities_masked.get(entity, 0) + n


def publish_file(path: Path | str, dataset: str, output: Path | str, policy: Policy, key: bytes,
                 quarantine_dir: Optional[Path | str] = None, chunk_rows: int = 50_000, workers: int = 1,
                 period_column: Optional[str] = None, detector=None, source: Optional[str] = None) -> FileResult:
    """Mask one landing file into its dataset.  Failures are contained: the file goes to quarantine.

    ``source`` is the file's path relative to the landing folder (its identity; default its name).
    """
    started = dt.datetime.now()
    path, output = Path(path), Path(output)
    result = FileResult(path.name, dataset, "failed")
    staging: Optional[Path] = None
    try:
        sha = file_sha256(path)
        source = source or path.name
        version = version_id(source, sha)
        dataset_dir = output / dataset
        manifests = _manifest_dir(output, dataset)
        if (manifests / f"{version}.json").exists():
            result.status = "skipped"
            return result
        if path.suffix.lower() in SCAN_FORMATS:
            result.file = f"scan {version}{path.suffix.lower()}"  # scan file names often hold a person's name
            _publish_scan(path, dataset_dir, version, source, detector, result)
            return result
        _check_key(output, dataset, key)
        policy = policy.for_dataset(dataset)  # datasets: {<dataset>: {columns: ...}} in the policy
        _remove_leftovers(output, dataset, version)
        staging = _staging_dir(output, dataset, version)
        staging.mkdir(parents=True, exist_ok=True)
        if multiprocessing.current_process().daemon:
            workers = 1  # Dask worker processes may not start processes of their own
        staged = staging / "masked.parquet"
        manifest = mask_file(path, staged, policy, key, detector=detector, chunk_rows=chunk_rows, workers=workers,
                             column_types=dataset_column_types(output, dataset))
        crash_point("staged")
        schema = pq.read_schema(staged)
        column = _period_column(schema, period_column)
        by_period: Dict[str, Dict[str, list]] = {}
        periods = _split_by_period(staged, dataset_dir, version, column, _period_from_name(path.name), by_period)
        manifest["utility_by_period"] = _check_periods(path.name, manifest.get("utility", {}), by_period)
        quarantine = staging / (staged.name + "._quarantine.csv")
        if quarantine.exists():
            (dataset_dir / QUARANTINE_DIR).mkdir(parents=True, exist_ok=True)
            os.replace(quarantine, dataset_dir / QUARANTINE_DIR / f"{version}.csv")
        crash_point("parts-staged")
        manifest.update({"dataset": dataset, "source_id": source_id(source), "period_column": column, "partitions": periods,
                         "parts": [f"{PERIOD}={p}/part-{version}.parquet" for p in periods],
                         "quarantine": {**manifest["quarantine"],
                                        "file": f"{QUARANTINE_DIR}/{version}.csv" if manifest["quarantine"]["file"] else None}})
        manifest["output"] = {"dataset": dataset, "format": "parquet", "parts": manifest["parts"]}
        commit_version(dataset_dir, version, manifest, _earlier_versions(dataset_dir, source, path.name, version))
        crash_point("committed")
        rows = manifest["rows"]
        result.status, result.rows_in, result.rows_out, result.rows_quarantined = "published", rows["in"], rows["out"], rows["quarantined"]
        result.partitions = periods
        _summarise(manifest, result)
    except KeyMismatch as exc:
        # The file is fine; the run's key is wrong.  It stays in the landing folder for a run with the right key.
        result.error = f"{exc} The file was left in the landing folder."
    except (InputError, PolicyError, OutputError, PrivacyGateFailed) as exc:
        result.error = _safe_reason(exc)
        _quarantine_file(path, quarantine_dir, result.error)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
            for folder in (staging.parent, staging.parent.parent):
                try:
                    folder.rmdir()  # only when empty: other files may be staging in parallel
                except OSError:
                    pass
        result.seconds = round((dt.datetime.now() - started).total_seconds(), 2)
    return result


def _check_periods(file_name: str, utility: dict, by_period: Dict[str, Dict[str, list]]) -> dict:
    """The utility figures per period; their totals must be the file's figures out, or the file fails."""
    totals: Dict[str, list] = {}
    for columns in by_period.values():
        for name, (s, c) in columns.items():
            totals.setdefault(name, [0, 0])
            totals[name][0] += s
            totals[name][1] += c
    for table in utility.values():
        for name, figures in table.items():
            s, c = totals.get(name, [0, 0])
            if str(s) != str(figures["sum_out"]) and s != figures["sum_out"] or c != figures["count_out"]:
                raise OutputError(f"{file_name}: utility check per period failed for column '{name}'; nothing was published")
    return {p: {n: {"sum": str(s) if not isinstance(s, (int, float)) else s, "count": c} for n, (s, c) in cols.items()}
            for p, cols in sorted(by_period.items())}


def _earlier_versions(dataset_dir: Path, source: str, file_name: str, version: str) -> List[str]:
    """Published versions of the same landing file (same path), which a new version replaces.

    Manifests written before identities were paths (no ``source_id``) match by file name.
    """
    mine, found = source_id(source), []
    for manifest_file in (dataset_dir / "_manifests").glob("*.json"):
        doc = _read_manifest(manifest_file) or {}
        if manifest_file.stem == version:
            continue
        same = doc.get("source_id") == mine if "source_id" in doc else doc.get("input", {}).get("file") == file_name
        if same:
            found.append(manifest_file.stem)
    return found


def _publish_scan(path: Path, dataset_dir: Path, version: str, source: str, detector, result: FileResult) -> None:
    """An ID scan: masked copy named by version (the original name may hold a name), report, manifest."""
    from .idscan.images import mask_scan
    from .masking.engine import tool_versions

    target = dataset_dir / "scans" / f"{version}{path.suffix.lower()}"
    target.parent.mkdir(parents=True, exist_ok=True)
    report = mask_scan(path, target, detector)
    kinds = Counter(c["entity_type"] for c in report.covered)
    manifest = {"manifest_version": 1, "dataset": dataset_dir.name, "tool": tool_versions(), "source_id": source_id(source),
                "input": {"sha256": file_sha256(path), "bytes": path.stat().st_size, "format": path.suffix.lower().lstrip(".")},
                "output": {"file": f"scans/{target.name}", "report": f"scans/{target.name}._report.json"},
                "parts": [f"scans/{target.name}", f"scans/{target.name}._report.json"],
                "pages": report.pages, "covered": dict(kinds), "portrait_found": report.portrait_found,
                "metadata_removed": {k: len(v) for k, v in report.metadata_removed.items()},
                "rows": {"in": 1, "out": 1, "quarantined": 0}}
    commit_version(dataset_dir, version, manifest, _earlier_versions(dataset_dir, source, path.name, version))
    result.status, result.rows_in, result.rows_out = "published", 1, 1
    result.entities_masked = dict(kinds)
    result.actions = {"cover": sum(kinds.values())}


def _safe_reason(exc: Exception) -> str:
    # Our exceptions name files, rows, columns and types, never values (see errors.py, engine.py).
    text = exc.detail if isinstance(exc, InputError) else str(exc)
    return text.replace(str(Path.home()), "~")


def dataset_key_id(output: Path, dataset: str) -> Optional[str]:
    """The key id a dataset's pseudonyms were made with (None: no keyed file published yet)."""
    for manifest in published_manifests(output, dataset):
        if manifest.get("key_id"):
            return manifest["key_id"]
    return None


def key_mismatches(output: Path | str, key: bytes) -> Dict[str, str]:
    """Datasets under ``output`` published with another key: dataset name -> its key id.

    Checked at the start of a run, before any file moves, so the user hears of it first."""
    from .masking.pseudonyms import key_id

    mine, found = key_id(key), {}
    for folder in sorted(Path(output).glob("*/_manifests")):
        theirs = dataset_key_id(Path(output), folder.parent.name)
        if theirs is not None and theirs != mine:
            found[folder.parent.name] = theirs
    return found


def key_mismatch_message(mismatches: Dict[str, str], key: bytes) -> str:
    from .masking.pseudonyms import key_id

    listed = ", ".join(f"'{d}' ({k})" for d, k in sorted(mismatches.items()))
    return (f"this run's key ({key_id(key)}) differs from the key of dataset(s) {listed}: their files are not "
            "processed and stay in the landing folder; use the datasets' key (PII_PIPELINE_KEY, a key file) "
            "or a new output folder")


def _check_key(output: Path, dataset: str, key: bytes) -> None:
    from .masking.pseudonyms import key_id

    mine, theirs = key_id(key), dataset_key_id(output, dataset)
    if theirs is not None and theirs != mine:
        raise KeyMismatch(f"dataset '{dataset}' was published with key {theirs}; this run's key is {mine}. "
                          "Pseudonyms would not link: use the dataset's key, or a new output folder.")


def _quarantine_file(path: Path, quarantine_dir: Optional[Path | str], reason: str) -> None:
    if quarantine_dir is None or not path.exists():
        return
    folder = Path(quarantine_dir)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    target = folder / path.name
    os.replace(path, target) if _same_device(path, folder) else shutil.move(str(path), target)
    publish_bytes(folder / f"{path.name}.reason.json", json.dumps(
        {"file": path.name, "reason": reason, "quarantined_at": dt.datetime.now().isoformat(timespec="seconds")},
        indent=2).encode("utf-8"), mode=0o600)


def _same_device(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


def write_data_dictionary(output: Path | str, dataset: str) -> Optional[Path]:
    """Columns, types and what was done to each, over every published file of the dataset."""
    manifests = [m for m in published_manifests(Path(output), dataset) if "tables" in m]
    if not manifests:
        return None
    columns: Dict[str, dict] = {}
    for manifest in manifests:
        for table in manifest.get("tables", []):
            for c in table["columns"]:
                if c["operator"] == "drop":
                    continue
                entry = columns.setdefault(c["name"], {"name": c["name"], "type": c["output_type"], "operator": c["operator"],
                                                       "detected": c["detected"], "files": 0})
                entry["files"] += 1
                if c.get("to"):
                    entry["generalised_to"] = c["to"]
    dropped = sorted({c["name"] for m in manifests for t in m.get("tables", []) for c in t["columns"] if c["operator"] == "drop"})
    periods = sorted({p for m in manifests for p in m.get("partitions", [])})
    dated_by = sorted({_dated_by(m) for m in manifests})
    doc = {"dataset": dataset, "files": len(manifests), "rows": sum(m["rows"]["out"] for m in manifests),
           "partitioned_by": PERIOD, "periods": periods,
           "period_columns": sorted({m.get("period_column") or "(from the file name)" for m in manifests
                                     if m.get("period_column") or m.get("partitions") != [UNKNOWN_PERIOD]}),
           "key_id": manifests[0].get("key_id"), "policy": sorted({m["policy"]["name"] for m in manifests}),
           "columns": list(columns.values()) + [{"name": PERIOD, "type": "string", "operator": "partition",
                                                 "detected": None, "files": len(manifests)}],
           "dropped_columns": dropped}
    target = Path(output) / dataset / "_data_dictionary.json"
    publish_bytes(target, json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8"))
    lines = [f"# Dataset `{dataset}`", "", f"{doc['files']} file(s), {doc['rows']:,} rows, partitioned by `{PERIOD}` "
             f"({'; '.join(dated_by)}). Pseudonym key id `{doc['key_id']}`.", "",
             "| column | type | what was done | detected as |", "|---|---|---|---|"]
    for c in doc["columns"]:
        done = c["operator"] + (f" to {c['generalised_to']}" if c.get("generalised_to") else "")
        lines.append(f"| `{c['name']}` | {c['type']} | {done} | {c['detected'] or ''} |")
    if dropped:
        lines += ["", "Dropped (not in the dataset): " + ", ".join(f"`{d}`" for d in dropped)]
    publish_bytes(target.with_suffix(".md"), ("\n".join(lines) + "\n").encode("utf-8"))
    return target


def _dated_by(manifest: dict) -> str:
    """How a file's rows got their period, in words for the data dictionary."""
    if manifest.get("period_column"):
        return f"month of `{manifest['period_column']}`"
    if manifest.get("partitions") == [UNKNOWN_PERIOD]:
        return f"`{PERIOD}={UNKNOWN_PERIOD}`: no event-date column and no YYYY-MM in the file name"
    return "month in the file name"


def run_report_markdown(results: List[FileResult], started: dt.datetime, output: Path) -> str:
    counts = Counter(r.status for r in results)
    lines = [f"# Anonymisation run {started.isoformat(timespec='seconds')}", "",
             f"Files: {len(results)} — published {counts['published']}, skipped (already published) {counts['skipped']}, "
             f"failed {counts['failed']}, not processed (unsupported format) {counts['unsupported']}.",
             f"Rows: in {sum(r.rows_in for r in results):,}, out {sum(r.rows_out for r in results):,}, "
             f"quarantined {sum(r.rows_quarantined for r in results):,}.", "",
             "| file | dataset | status | rows in | rows out | quarantined | personal data found (columns) | actions (columns) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in (r for r in results if r.status != "unsupported"):
        found = ", ".join(f"{k} {v}" for k, v in sorted(r.pii_columns.items()))
        actions = ", ".join(f"{k} {v}" for k, v in sorted(r.actions.items()))
        lines.append(f"| {r.file} | {r.dataset} | {r.status} | {r.rows_in:,} | {r.rows_out:,} | {r.rows_quarantined:,} | {found} | {actions} |")
    masked = Counter()
    for r in results:
        masked.update(r.entities_masked)
    if masked:
        lines += ["", "Entities masked in free text: " + ", ".join(f"{k} {v:,}" for k, v in sorted(masked.items()))]
    failures = [r for r in results if r.status == "failed"]
    if failures:
        lines += ["", "## Failed files", ""] + [f"- {r.file}: {r.error}" for r in failures]
    unsupported = [r for r in results if r.status == "unsupported"]
    if unsupported:
        lines += ["", "## Not processed", ""] + [f"- {r.file}: {r.error}" for r in unsupported]
    datasets = sorted({r.dataset for r in results if r.status not in ("failed", "unsupported")})
    if datasets:
        lines += ["", "## Datasets", ""] + [f"- `{output / d}` (data dictionary: `{d}/_data_dictionary.md`)" for d in datasets]
    return "\n".join(lines) + "\n"


def write_run_report(results: List[FileResult], started: dt.datetime, output: Path | str) -> Path:
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    target = output / "run_report.md"
    publish_bytes(target, run_report_markdown(results, started, output).encode("utf-8"))
    return target


def run_without_prefect(input_dir: Path | str, output: Path | str, policy: Policy, key: bytes,
                        mapping: Optional[DatasetMapping] = None, quarantine_dir: Optional[Path | str] = None,
                        chunk_rows: int = 50_000, workers: int = 1) -> List[FileResult]:
    """The same work as the flow, in one process (for the benchmark and for debugging)."""
    started = dt.datetime.now()
    mapping = mapping or DatasetMapping()
    results = []
    with run_lock(output):
        for task in plan_run(Path(input_dir), Path(output), mapping):
            if task.status == "skipped":
                results.append(FileResult(Path(task.path).name, task.dataset, "skipped"))
                continue
            results.append(publish_file(task.path, task.dataset, output, policy, key, quarantine_dir, chunk_rows, workers,
                                        mapping.period_columns.get(task.dataset), source=task.source))
        results += unsupported_results(Path(input_dir))
        for dataset in sorted({r.dataset for r in results if r.status == "published"}):
            write_data_dictionary(output, dataset)
        write_run_report(results, started, output)
    return results
