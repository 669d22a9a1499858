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
import stat
import socket
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Collection, Dict, Iterator, List, Optional

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from .errors import InputError, RunAgain
from .idscan.metadata import SCAN_FORMATS
from .io.ei import declaration_period, is_ei_file, layout_for
from .io.tables import FORMATS
from .masking.engine import PrivacyGateFailed, file_sha256, mask_file
from .masking.policy import Policy, PolicyError
from .masking.schema import ColumnType
from .masking.sweep import name_hash, name_is_clean, shown_name
from .masking.writers import OutputError, publish_bytes
from .rights.subjects import RightsError

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


def dataset_name(file_name: str, sha256: str = "") -> str:
    """The dataset a file feeds when no mapping says otherwise: its name without date or sequence suffixes.

    A file name is data: when the value sweep finds personal data in it (a BSN, a name, a long
    number), the dataset is named by the file's content hash instead.

    >>> dataset_name("claims_2026-11.csv"), dataset_name("export_klantcontact_2026-10_002.csv"), dataset_name("Facturen 202611.json")
    ('claims', 'export_klantcontact', 'facturen')
    >>> dataset_name("claims_123456782_Klaassen.csv", "ab" * 32)
    'dataset_ababababab'
    """
    stem = file_name.split(".", 1)[0]
    name = _SUFFIX.sub("", stem) or stem
    name = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "dataset"
    if not (name_is_clean(file_name) and name_is_clean(name)):
        return f"dataset_{(sha256 or name_hash(file_name))[:10]}"
    return name


def file_label(file_name: str, sha256: str) -> str:
    """How reports, logs and Prefect refer to a file: its name when the sweep finds it clean, else ``file-<sha16>.ext``."""
    return shown_name(file_name, sha256)


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
                if period is not None and not isinstance(period, str):
                    raise PolicyError(f"{path}: dataset '{name}': period_column must be a column name")
                if period is not None:
                    periods[name] = period
            else:
                files = spec
            if isinstance(files, str):
                files = [files]
            # Patterns are text: a nested list (a YAML alias bomb expands to 10^8 of them) is refused, not str()-ed.
            if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
                raise PolicyError(f"{path}: dataset '{name}' needs a list of file patterns (text)")
            patterns[name] = list(files)
        return cls(patterns, periods)

    def dataset_for(self, file_name: str, sha256: str = "") -> str:
        for name, globs in self.patterns.items():
            if any(fnmatch.fnmatch(file_name.lower(), g.lower()) for g in globs):
                return name
        if Path(file_name).suffix.lower() in SCAN_FORMATS:
            return SCAN_DATASET  # scan file names often hold a name: never a folder name
        return dataset_name(file_name, sha256)


@dataclass
class FileTask:
    path: str
    dataset: str
    sha256: str
    status: str = "pending"          # pending | skipped (already published, or the same bytes as another file)
    source: str = ""                 # path relative to the landing folder: the file's identity
    duplicate_of: str = ""           # label of the landing file with the same content, published instead

    @property
    def label(self) -> str:
        return file_label(Path(self.path).name, self.sha256)


@dataclass
class FileResult:
    file: str
    dataset: str
    status: str                      # published | skipped | failed | unsupported (not processed: format, link, special file)
    rows_in: int = 0
    rows_out: int = 0
    rows_quarantined: int = 0
    rows_excluded: int = 0           # objection list and erased persons (rights.exclusion)
    pii_columns: Dict[str, int] = field(default_factory=dict)     # entity type -> columns
    actions: Dict[str, int] = field(default_factory=dict)         # operator -> columns
    entities_masked: Dict[str, int] = field(default_factory=dict)  # in free text
    partitions: List[str] = field(default_factory=list)
    disclosure: dict = field(default_factory=dict)              # the k-anonymity gate's summary
    error: Optional[str] = None
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def landing_files(input_dir: Path, ignored: Optional[List[tuple]] = None, exclude: tuple = ()) -> List[Path]:
    """Every regular file under the landing folder, skipping hidden and ``_`` folders (our quarantine)
    and the folders in ``exclude`` (an output folder inside the landing folder: its parts are not new data).

    Symbolic links are never followed (a link to ``/etc/passwd`` is not landing data) and FIFOs,
    sockets and devices are never opened (reading one could hang); these and files of an
    unsupported type are appended to ``ignored`` as ``(label, reason)``.
    """
    input_dir = Path(input_dir)
    ignored = ignored if ignored is not None else []
    if input_dir.is_symlink():
        raise InputError(input_dir, "is a symbolic link; give the landing folder itself")
    if input_dir.is_file():
        return [input_dir]
    if not input_dir.is_dir():
        raise InputError(input_dir, "no such folder")
    files = []
    skip = {os.path.realpath(e) for e in exclude}
    for root, dirs, names in os.walk(input_dir, followlinks=False):
        rel = Path(root).relative_to(input_dir)
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")) and os.path.realpath(Path(root) / d) not in skip)
        for d in list(dirs):
            if (Path(root) / d).is_symlink():
                dirs.remove(d)
                ignored.append((file_label(str(rel / d), name_hash(str(rel / d), 16)), "symbolic link to a folder (not followed)"))
        for name in sorted(names):
            path = Path(root) / name
            label = file_label(name, name_hash(str(rel / name), 16))
            if name.startswith((".", "_")):
                continue
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                ignored.append((label, "symbolic link (not followed)"))
            elif not stat.S_ISREG(mode):
                ignored.append((label, "not a regular file (FIFO, socket or device): not opened"))
            elif path.suffix.lower() in FORMATS or path.suffix.lower() in SCAN_FORMATS or is_ei_file(path):
                files.append(path)
            else:
                ignored.append((label, unsupported_reason(path)))
    return sorted(files)


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
        if path.is_file() and not any(p.startswith((".", "_")) for p in parts) and path.suffix.lower() not in known \
                and not is_ei_file(path):
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


def commit_version(dataset_dir: Path, version: str, manifest: dict, retires: List[str],
                   rewrites: Optional[List[dict]] = None) -> None:
    """Publish one version of a file into a dataset folder, crash-safely; the one commit of the batch job.

    ``manifest["parts"]`` lists the version's files (relative to ``dataset_dir``); each is either
    in place already or staged as its hidden twin (``.part-x.parquet.tmp``).  ``retires`` lists the
    versions this one replaces (an earlier delivery of the same file; for erasure, the version being
    rewritten).  ``rewrites`` lists published versions re-published with this one (the dataset
    generalised further, :func:`_stage_regeneralised`): each ``{"version", "manifest"}``, its new
    parts staged as hidden twins.  The steps:

    1. the manifest is written with ``"state": "committing"``, ``"retires"`` and ``"rewrites"`` — this
       is the commit: from here on the version is published, whatever happens;
    2. each retired version is removed (parts, quarantine, then its manifest);
    3. each rewritten version's hidden parts are renamed over its parts, then its new manifest written;
       then this version's hidden parts are renamed into place (atomic per part);
    4. the manifest is rewritten with ``"state": "published"`` (``retires`` kept as ``"replaced"``).

    Retired rows go before the new ones appear, so a reader never sees a file twice (for a moment it may
    see neither).  A run killed anywhere in 2-4 is finished by :func:`recover_datasets`, which repeats
    2-4 for every manifest still ``committing``; killed before 1, nothing is published and the next run
    redoes the file.
    """
    manifests = dataset_dir / "_manifests"
    manifests.mkdir(parents=True, exist_ok=True)
    doc = {**manifest, "version": version, "state": "committing", "retires": sorted(set(retires) - {version})}
    if rewrites:
        doc["rewrites"] = rewrites
    publish_bytes(manifests / f"{version}.json", json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8"))
    crash_point("manifest-written")
    _finish_commit(dataset_dir, version, doc)


def _finish_commit(dataset_dir: Path, version: str, doc: dict) -> None:
    for old in doc.get("retires", []):
        _retire(dataset_dir, old)
    crash_point("retired")
    for rewrite in doc.get("rewrites", []):
        _finish_rewrite(dataset_dir, rewrite)
    for n, part in enumerate(doc.get("parts", [])):
        target = dataset_dir / part
        if _hidden_part(target).exists():
            os.replace(_hidden_part(target), target)
        if n == 0:
            crash_point("renaming")
    crash_point("renamed")
    done = {k: v for k, v in doc.items() if k not in ("retires", "rewrites")}
    done.update(state="published", replaced=doc.get("retires", []))
    if doc.get("rewrites"):
        done["regeneralised_versions"] = [r["version"] for r in doc["rewrites"]]
    publish_bytes(dataset_dir / "_manifests" / f"{version}.json", json.dumps(done, indent=2, ensure_ascii=False).encode("utf-8"))


def _finish_rewrite(dataset_dir: Path, rewrite: dict) -> None:
    """Put one re-published version in place: its staged parts over its parts, then its manifest.  Idempotent:
    a part whose hidden twin is gone was renamed already; the manifest is written whole."""
    doc = rewrite["manifest"]
    for n, part in enumerate(doc.get("parts", [])):
        hidden = _hidden_part(dataset_dir / part)
        if hidden.exists():
            os.replace(hidden, dataset_dir / part)
        if n == 0:
            crash_point("regeneralising")
    publish_bytes(dataset_dir / "_manifests" / f"{rewrite['version']}.json",
                  json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8"))


def _stage_regeneralised(dataset_dir: Path, manifest: dict, disclosure: dict, retires: List[str], by: str) -> List[dict]:
    """The dataset's published parts at the new file's coarser levels, staged as hidden twins (nothing visible
    changes until :func:`commit_version`), with each version's updated manifest.  Before the commit a crash
    leaves only hidden files, which the next run removes (:func:`prepare_output`)."""
    k_new = manifest["tables"][0]["k_anonymity"]
    new = {q["column"]: q for q in k_new["quasi_identifiers"]}
    rewrites, staged = [], []
    try:
        for m in _disclosure_manifests(dataset_dir.parent, dataset_dir.name):
            version = m.get("version")
            if version in retires or version == by:
                continue
            if not version:
                raise ValueError("a published file has no version in its manifest")
            k_old = m["tables"][0]["k_anonymity"]
            names = {q["column"]: q["output_name"] for q in k_old["quasi_identifiers"]}
            for part in m.get("parts", []):
                hidden = _hidden_part(dataset_dir / part)
                staged.append(hidden)
                writer = None
                try:   # streamed: a part can be larger than memory
                    for batch in pq.ParquetFile(dataset_dir / part).iter_batches(batch_size=128 * 1024):
                        table = disclosure["republish"](pa.Table.from_batches([batch]), names)
                        writer = writer or pq.ParquetWriter(hidden, table.schema, compression="zstd")
                        writer.write_table(table, row_group_size=128 * 1024)
                finally:
                    if writer is not None:
                        writer.close()
            rewrites.append({"version": version, "manifest": _regeneralised_manifest(m, new, by)})
    except ValueError as exc:
        for hidden in staged:
            hidden.unlink(missing_ok=True)
        raise PrivacyGateFailed(f"k-anonymity: the dataset cannot be generalised further ({exc}); nothing was published",
                                []) from None
    return rewrites


def _regeneralised_manifest(m: dict, new: Dict[str, dict], by: Optional[str]) -> dict:
    """A published version's manifest after its parts went to the dataset's new levels."""
    doc = json.loads(json.dumps(m))
    k = doc["tables"][0]["k_anonymity"]
    renamed = {}
    for q in k["quasi_identifiers"]:
        target = new.get(q["column"])
        if target is None or target["level"] == q["level"]:
            continue
        renamed[q["output_name"]] = target
        old_map = q.get("mapping")
        new_map = target.get("mapping") or {}
        k.setdefault("regeneralised", []).append({"column": q["column"], "from": q["level"], "to": target["level"]})
        q.update({key: target[key] for key in ("output_name", "level", "generalisation", "hierarchy")})
        if old_map is not None or new_map:
            q["mapping"] = {v: new_map.get(lbl, lbl) for v, lbl in old_map.items()} if old_map is not None else new_map
    for c in doc["tables"][0]["columns"]:
        target = renamed.get(c.get("output_name", c["name"]))
        if target is not None:
            c.update(output_name=target["output_name"], generalisation=target["generalisation"])
    doc["regeneralised_by"] = by
    return doc


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
            if doc.get("rewrites"):
                write_data_dictionary(output, dataset_dir.name)   # the dataset's levels changed
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


def plan_run(input_dir: Path, output: Path, mapping: Optional[DatasetMapping] = None,
             ignored: Optional[List[tuple]] = None, quarantine_dir: Optional[Path | str] = None) -> List[FileTask]:
    """The files of a run and whether each is published already (call it holding :func:`run_lock`).

    A file with the same bytes as another landing file of this run, or as a file of its dataset published
    from another path (a hard link, a copy put in two folders), is skipped: its rows would be counted twice.
    """
    from .rights.rewrite import finish_pending

    mapping = mapping or DatasetMapping()
    prepare_output(Path(output))  # recovery of killed commits, leftovers removed
    finish_pending(Path(output))  # an erasure or retention job a kill interrupted
    tasks: List[FileTask] = []
    first_with: Dict[str, FileTask] = {}
    published: Dict[Path, Dict[str, set]] = {}   # manifest folder -> sha256 -> source ids, read once per folder
    # Our own folders inside the landing folder are not deliveries: a quarantined file (and its
    # reason file) would come back as a new file every run, published parts a second time.
    exclude = (output,) + ((quarantine_dir,) if quarantine_dir else ())
    for path in landing_files(input_dir, ignored, exclude=exclude):
        group = ei_group(path)
        sha = file_sha256(path)
        source = relative_source(input_dir, path)
        dataset = f"{group}_*" if group else mapping.dataset_for(path.name, sha)
        # An EI file feeds one dataset per record type; its voorloop dataset is published last.
        manifests = _manifest_dir(output, f"{group}_voorloop" if group else dataset)
        done = (manifests / f"{version_id(source, sha)}.json").exists()
        task = FileTask(str(path), dataset, sha, "skipped" if done else "pending", source)
        twin = first_with.setdefault(sha, task)
        if not done and twin is not task:
            task.status, task.duplicate_of = "skipped", twin.label
        elif not done and published_sources(manifests, published).get(sha, set()) - {None, source_id(source)}:
            task.status, task.duplicate_of = "skipped", "a file published earlier"
        tasks.append(task)
    return tasks


def published_sources(manifests: Path, cache: Dict[Path, Dict[str, set]]) -> Dict[str, set]:
    """The content hashes published in a manifest folder, each with the landing paths (source ids) it came from."""
    if manifests not in cache:
        cache[manifests] = {}
        for manifest_file in manifests.glob("*.json") if manifests.is_dir() else []:
            doc = _read_manifest(manifest_file) or {}
            cache[manifests].setdefault(doc.get("input", {}).get("sha256"), set()).add(doc.get("source_id"))
    return cache[manifests]


def dataset_column_types(output: Path, dataset: str) -> Dict[str, ColumnType]:
    """The types a dataset already has, so every file of it gets the same schema."""
    path = Path(output) / dataset / "_data_dictionary.json"
    if not path.is_file():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {c["name"]: ColumnType.parse(c["type"]) for c in doc.get("columns", []) if c.get("type") and c["name"] != PERIOD
            and not c["type"].startswith("list<")}


def _disclosure_lock(output: Path, dataset: str):
    """An exclusive lock on the dataset while a file is gated and published: two files of one dataset
    gated at once would each choose levels and count k without the other's rows.  Held by an open file
    (``flock``: one machine; the lock is released when the file is closed or the process ends)."""
    import fcntl

    folder = Path(output) / dataset
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / ".disclosure.lock", "a+b")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def _disclosure_manifests(output: Path, dataset: str, exclude_versions: Collection[str] = ()) -> List[dict]:
    """Published table manifests whose k-anonymity record has the per-column levels (oldest first)."""
    found = []
    folder = _manifest_dir(Path(output), dataset)
    for manifest_file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        m = _read_manifest(manifest_file) or {}
        k = (m.get("tables") or [{}])[0].get("k_anonymity", {})
        qis = k.get("quasi_identifiers") or []
        if qis and isinstance(qis[0], dict) and manifest_file.stem not in exclude_versions:
            found.append(m)
    return sorted(found, key=lambda m: m.get("created", ""))


def dataset_disclosure(output: Path | str, dataset: str, exclude_versions: Collection[str] = ()) -> Optional[dict]:
    """The generalisation a dataset was published with, and a reader of its published quasi-identifiers.

    A new file of the dataset is generalised to the same levels (so parts can be unioned), and its
    k is checked over all parts together.  ``exclude_versions``: the earlier versions of the file
    being (re)published (same landing path), which its commit retires.
    """
    manifests = _disclosure_manifests(Path(output), dataset, exclude_versions)
    if not manifests:
        return None
    k = manifests[0]["tables"][0]["k_anonymity"]
    qis = k["quasi_identifiers"]
    wanted = {q["output_name"]: q["column"] for q in qis}
    for name in (k.get("person_key") or []) + (k.get("sensitive_attributes") or []):
        wanted.setdefault(name, name)

    def frames():
        for m in manifests:
            for part in m.get("parts", []):
                path = Path(output) / dataset / part
                if not path.is_file():
                    continue
                names = [n for n in pq.read_schema(path).names if n in wanted]
                table = pq.read_table(path, columns=names)
                yield table.rename_columns([wanted[n] for n in table.column_names])

    return {"levels": {q["column"]: q["level"] for q in qis}, "hierarchies": {q["column"]: q["hierarchy"] for q in qis},
            "frames": frames}


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
        k = table.get("k_anonymity", {})
        if isinstance(k.get("achieved"), dict):
            result.disclosure = {"k": k["k"], "l": k.get("l"), "achieved": k["achieved"], "persons": k["persons"],
                                 "persons_suppressed": k["persons_suppressed"], "rows_suppressed": k["rows_suppressed"],
                                 "levels": {q["output_name"]: q["generalisation"] for q in k["quasi_identifiers"]},
                                 "prosecutor_highest": k["after"]["prosecutor"]["highest"],
                                 "unique_share": [k["before"]["unique_share"], k["after"]["unique_share"]]}


def publish_file(path: Path | str, dataset: str, output: Path | str, policy: Policy, key: bytes,
                 quarantine_dir: Optional[Path | str] = None, chunk_rows: int = 50_000, workers: int = 1,
                 period_column: Optional[str] = None, detector=None, source: Optional[str] = None) -> FileResult:
    """Mask one landing file into its dataset.  Failures are contained: the file goes to quarantine.

    ``source`` is the file's path relative to the landing folder (its identity; default its name).
    """
    started = dt.datetime.now()
    path, output = Path(path), Path(output)
    result = FileResult(file_label(path.name, name_hash(path.name, 16)), dataset, "failed")
    staging: Optional[Path] = None
    disclosure_lock = None
    try:
        sha = file_sha256(path)
        result.file = file_label(path.name, sha)
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
        if ei_group(path):
            staging = _staging_dir(output, ei_group(path), version)
            _publish_ei(path, output, policy, key, staging, chunk_rows, workers, detector, result, source)
            return result
        _check_key(output, dataset, key)
        policy = policy.for_dataset(dataset)  # datasets: {<dataset>: {columns: ...}} in the policy
        if policy.k_anonymity.enabled:
            disclosure_lock = _disclosure_lock(output, dataset)   # k is counted over the dataset: one file at a time
        _remove_leftovers(output, dataset, version)
        staging = _staging_dir(output, dataset, version)
        staging.mkdir(parents=True, exist_ok=True)
        if multiprocessing.current_process().daemon:
            workers = 1  # Dask worker processes may not start processes of their own
        staged = staging / "masked.parquet"
        from .rights.exclusion import for_run

        retires = _earlier_versions(dataset_dir, source, shown_name(path.name), version)
        disclosure = dataset_disclosure(output, dataset, retires)
        manifest = mask_file(path, staged, policy, key, detector=detector, chunk_rows=chunk_rows, workers=workers,
                             column_types=dataset_column_types(output, dataset), disclosure=disclosure,
                             exclusion=for_run(policy, output))
        if manifest["input"]["sha256"] != sha:   # the version is named by the bytes hashed above
            from .errors import FileChanged

            raise FileChanged(path)
        crash_point("staged")
        schema = pq.read_schema(staged)
        column = _period_column(schema, period_column)
        by_period: Dict[str, Dict[str, list]] = {}
        periods = _split_by_period(staged, dataset_dir, version, column, _period_from_name(path.name), by_period)
        manifest["utility_by_period"] = _check_periods(result.file, manifest.get("utility", {}), by_period)
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
        rewrites = _stage_regeneralised(dataset_dir, manifest, disclosure, retires, version) \
            if disclosure and "republish" in disclosure else []
        crash_point("regeneralise-staged")
        commit_version(dataset_dir, version, manifest, retires, rewrites)
        crash_point("committed")
        rows = manifest["rows"]
        result.status, result.rows_in, result.rows_out, result.rows_quarantined = "published", rows["in"], rows["out"], rows["quarantined"]
        result.rows_excluded = rows.get("excluded", 0)
        result.partitions = periods
        _summarise(manifest, result)
    except KeyMismatch as exc:
        # The file is fine; the run's key is wrong.  It stays in the landing folder for a run with the right key.
        result.error = f"{exc} The file was left in the landing folder."
    except RunAgain as exc:
        # The file is not at fault (a worker died, it was still being copied): it stays in the landing folder,
        # and the next run publishes it (once).
        result.error = f"{_safe_reason(exc, path, result.file)} The file was left in the landing folder."
    except Exception as exc:  # the file boundary: every error becomes a value-free reason, the run goes on
        result.error = _safe_reason(exc, path, result.file)
        _quarantine_file(path, quarantine_dir, result.error, result.file)
    finally:
        if disclosure_lock is not None:
            disclosure_lock.close()   # releases the lock
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
            for folder in (staging.parent, staging.parent.parent):
                try:
                    folder.rmdir()  # only when empty: other files may be staging in parallel
                except OSError:
                    pass
        result.seconds = round((dt.datetime.now() - started).total_seconds(), 2)
    return result


def ei_group(path: Path) -> Optional[str]:
    """``ei_mz301`` for a Vektis EI file of MZ301 (any version), else None; its datasets are
    ``ei_mz301_voorloop``, ``ei_mz301_verzekerde``, ``ei_mz301_prestatie``, ..."""
    if not is_ei_file(path):
        return None
    try:
        return f"ei_{layout_for(path).standard.lower()}"
    except InputError:
        return "ei_unknown"  # publish_file then reports the unknown standard or version


def _ei_quarantine_by_record(path: Path, quarantine: Path) -> Dict[str, List[str]]:
    """The quarantine file's lines, per record type of the input line they name (one pass over the input)."""
    if not quarantine.exists():
        return {}
    rows = quarantine.read_text(encoding="utf-8").splitlines()
    wanted: Dict[int, List[str]] = {}
    for row in rows[1:]:
        wanted.setdefault(int(row.split(",", 1)[0]), []).append(row)
    out: Dict[str, List[str]] = {}
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            if number in wanted:
                out.setdefault(line[:2].decode("latin-1"), []).extend(wanted[number])
    return {code: [rows[0]] + lines for code, lines in out.items()}


def _publish_ei(path: Path, output: Path, policy: Policy, key: bytes, staging: Path, chunk_rows: int, workers: int,
                detector, result: FileResult, source: str) -> None:
    """A Vektis EI file: masked once (one table per record type), each table published as the dataset
    ``ei_<standard>_<record>``, partitioned by the file's declaration period.  Each dataset commits like
    any file (:func:`commit_version`, retiring the earlier version of the same landing path); the
    voorloop dataset goes last and marks the file as done."""
    group = ei_group(path)
    layout = layout_for(path)  # an unknown standard or version fails here, naming line 1
    version = version_id(source, file_sha256(path))
    period = declaration_period(path) or _period_from_name(path.name)
    names = {r.name: code for code, r in layout.records.items()}
    datasets = {code: f"{group}_{r.name}" for code, r in layout.records.items()}
    for dataset in datasets.values():
        _check_key(output, dataset, key)
        _remove_leftovers(output, dataset, version)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True, exist_ok=True)
    types: Dict[str, ColumnType] = {}
    for dataset in datasets.values():
        types.update(dataset_column_types(output, dataset))
    staged = staging / "masked.parquet"
    if multiprocessing.current_process().daemon:
        workers = 1
    manifest = mask_file(path, staged, policy, key, detector=detector, chunk_rows=chunk_rows, workers=workers, column_types=types)
    crash_point("staged")
    quarantined = _ei_quarantine_by_record(path, staging / (staged.name + "._quarantine.csv"))
    tables = sorted(manifest["tables"], key=lambda t: t["table"].endswith("#voorloop"))
    for table in tables:
        code = names[table["table"].split("#", 1)[-1]]
        dataset, dataset_dir = datasets[code], output / datasets[code]
        if (_manifest_dir(output, dataset) / f"{version}.json").exists():
            continue  # published by an earlier, interrupted run of this file
        staged_table = staging / manifest["output"]["tables"][table["table"]]["file"]
        periods = _split_by_period(staged_table, dataset_dir, version, None, period)
        out_rows = pq.ParquetFile(staged_table).metadata.num_rows
        q_lines = quarantined.get(code, [])
        if q_lines:
            (dataset_dir / QUARANTINE_DIR).mkdir(parents=True, exist_ok=True)
            publish_bytes(dataset_dir / QUARANTINE_DIR / f"{version}.csv", ("\n".join(q_lines) + "\n").encode("utf-8"), mode=0o600)
        q_rows = len({line.split(",", 1)[0] for line in q_lines[1:]})
        parts = [f"{PERIOD}={p}/part-{version}.parquet" for p in periods]
        doc = {**manifest, "tables": [table], "dataset": dataset, "source_id": source_id(source),
               "ei": {"standard": layout.standard, "version": layout.version, "record": code, "layout": layout.file},
               "period_column": None, "period_from": "begindatum declaratieperiode",
               "partitions": periods, "parts": parts, "output": {"dataset": dataset, "format": "parquet", "parts": parts},
               "rows": {"in": out_rows + q_rows, "out": out_rows, "quarantined": q_rows},
               "quarantine": {"file": f"{QUARANTINE_DIR}/{version}.csv" if q_lines else None, "rows": q_rows}}
        crash_point("parts-staged")
        commit_version(dataset_dir, version, doc, _earlier_versions(dataset_dir, source, path.name, version))
        crash_point("committed")
        write_data_dictionary(output, dataset)
    rows = manifest["rows"]
    result.status, result.rows_in, result.rows_out, result.rows_quarantined = "published", rows["in"], rows["out"], rows["quarantined"]
    result.partitions = [period]
    _summarise(manifest, result)


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


_OURS = (InputError, PolicyError, OutputError, PrivacyGateFailed, KeyMismatch, RightsError, RunAgain)


def _safe_reason(exc: Exception, path: Optional[Path] = None, label: str = "") -> str:
    """A reason safe to store: ours name files, rows, columns and types (never values); anything
    else (a library's message may quote a cell) is reduced to its type and where it happened."""
    if isinstance(exc, _OURS):
        text = exc.detail if isinstance(exc, InputError) else str(exc)
    else:
        text = f"{type(exc).__name__} while processing the file (message withheld: it may quote a value)"
    if path is not None:
        text = text.replace(str(path), label).replace(path.name, label)
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


def _quarantine_file(path: Path, quarantine_dir: Optional[Path | str], reason: str, label: str = "") -> None:
    if quarantine_dir is None or not path.exists():
        return
    folder = Path(quarantine_dir)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    target = folder / path.name
    os.replace(path, target) if _same_device(path, folder) else shutil.move(str(path), target)
    publish_bytes(folder / f"{path.name}.reason.json", json.dumps(
        {"file": label or shown_name(path.name), "reason": reason, "quarantined_at": dt.datetime.now().isoformat(timespec="seconds")},
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
                name = c.get("output_name", c["name"])
                entry = columns.setdefault(name, {"name": name, "type": c["output_type"], "operator": c["operator"],
                                                  "detected": c["detected"], "files": 0})
                entry["files"] += 1
                if c.get("to"):
                    entry["generalised_to"] = c["to"]
                if c.get("generalisation"):
                    entry.update({"source_column": c["name"], "generalised_to": c["generalisation"]})
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
    disclosure = _dictionary_disclosure(Path(output), dataset)
    if disclosure:
        doc["disclosure_control"] = disclosure
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
    if disclosure:
        lines += _disclosure_markdown(disclosure)
    publish_bytes(target.with_suffix(".md"), ("\n".join(lines) + "\n").encode("utf-8"))
    return target


def _dictionary_disclosure(output: Path, dataset: str) -> Optional[dict]:
    """The dataset's generalisation (kept for every later part) and its risk measured over all parts."""
    from .masking.risk_report import assess_frames

    manifests = _disclosure_manifests(output, dataset)
    if not manifests:
        return None
    k = manifests[0]["tables"][0]["k_anonymity"]
    qis = [{key: q[key] for key in ("column", "output_name", "level", "generalisation", "hierarchy", "mapping") if key in q}
           for q in k["quasi_identifiers"]]
    names = [q["output_name"] for q in qis]
    person, sensitive = k.get("person_key") or [], k.get("sensitive_attributes") or []
    parts = [Path(output) / dataset / p for m in manifests for p in m.get("parts", [])]
    measured = assess_frames((pq.read_table(p, columns=[n for n in pq.read_schema(p).names if n in names + person + sensitive]).to_pandas()
                              for p in parts if p.is_file()), names, person, sensitive, k["k"], k.get("l"))
    per_file = [{"file": m["input"].get("file"), "persons": m["tables"][0]["k_anonymity"]["persons"],
                 "persons_suppressed": m["tables"][0]["k_anonymity"]["persons_suppressed"],
                 "rows_suppressed": m["tables"][0]["k_anonymity"]["rows_suppressed"]} for m in manifests]
    return {"k": k["k"], "l": k.get("l"), "person_key": person, "sensitive_attributes": sensitive,
            "quasi_identifiers": qis, "dataset": measured, "files": per_file}


def _disclosure_markdown(d: dict) -> List[str]:
    m = d["dataset"]
    lines = ["", "## Disclosure control", "",
             f"Every later part is generalised the same way. Measured over all parts, in distinct persons "
             f"(person key: {', '.join(f'`{p}`' for p in d['person_key']) or 'none: every row a person'}):", "",
             "| column | holds | from |", "|---|---|---|"]
    lines += [f"| `{q['output_name']}` | {q['generalisation']} | `{q['column']}` |" for q in d["quasi_identifiers"]]
    lines += ["", f"- k required {d['k']}, achieved {m['k']}" + (f"; l required {d['l']}, achieved " + (f"{m['l']}" if m.get("l") is not None else
                                                                 "not applicable (the sensitive columns hold no values)")
                                                                 if d.get("l") else ""),
              f"- persons {m['persons']:,} in {m['classes']:,} classes; unique persons {m['unique_share']:.1%}",
              f"- prosecutor risk highest {m['prosecutor']['highest']:.4f}, average {m['prosecutor']['average']:.4f}; "
              f"journalist highest {m['journalist']['highest']:.4f}; marketer {m['marketer']:.4f}",
              "- suppressed per file (quasi-identifiers emptied): " + "; ".join(
                  f"{f['file']}: {f['persons_suppressed']:,} persons, {f['rows_suppressed']:,} rows" for f in d["files"])]
    for q in d["quasi_identifiers"]:
        if q.get("mapping"):
            lines += ["", f"`{q['output_name']}` from `{q['column']}`: " + ", ".join(f"{a} → {b}" for a, b in q["mapping"].items())]
    return lines


def _dated_by(manifest: dict) -> str:
    """How a file's rows got their period, in words for the data dictionary."""
    if manifest.get("period_column"):
        return f"month of `{manifest['period_column']}`"
    if manifest.get("partitions") == [UNKNOWN_PERIOD]:
        return f"`{PERIOD}={UNKNOWN_PERIOD}`: no event-date column and no YYYY-MM in the file name"
    return "month in the file name"


def run_report_markdown(results: List[FileResult], started: dt.datetime, output: Path) -> str:
    counts = Counter(r.status for r in results)
    formats = sum(r.status == "unsupported" and (r.error or "").startswith("not processed:") for r in results)
    special = counts["unsupported"] - formats   # links, FIFOs, sockets, devices: never opened
    lines = [f"# Anonymisation run {started.isoformat(timespec='seconds')}", "",
             f"Files: {len(results)} — published {counts['published']}, skipped (already published, or the same content as another file) {counts['skipped']}, "
             f"failed {counts['failed']}, not processed (unsupported format) {formats}"
             + (f", not opened (link or special file) {special}" if special else "") + ".",
             f"Rows: in {sum(r.rows_in for r in results):,}, out {sum(r.rows_out for r in results):,}, "
             f"quarantined {sum(r.rows_quarantined for r in results):,}, "
             f"excluded (objection or erased) {sum(r.rows_excluded for r in results):,}.", "",
             "| file | dataset | status | rows in | rows out | quarantined | excluded | personal data found (columns) | actions (columns) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in (r for r in results if r.status != "unsupported"):
        found = ", ".join(f"{k} {v}" for k, v in sorted(r.pii_columns.items()))
        actions = ", ".join(f"{k} {v}" for k, v in sorted(r.actions.items()))
        lines.append(f"| {r.file} | {r.dataset} | {r.status} | {r.rows_in:,} | {r.rows_out:,} | {r.rows_quarantined:,} | {r.rows_excluded:,} | {found} | {actions} |")
    controlled = [r for r in results if r.disclosure]
    if controlled:
        lines += ["", "## Disclosure control", "",
                  "| file | quasi-identifiers (what they hold) | k achieved | l achieved | persons suppressed | rows suppressed | highest prosecutor risk | unique persons before → after |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in controlled:
            d = r.disclosure
            levels = "; ".join(f"{c}: {w}" for c, w in d["levels"].items())
            share = d["persons_suppressed"] / d["persons"] if d["persons"] else 0.0
            lines.append(f"| {r.file} | {levels} | {d['achieved']['k']} (≥ {d['k']}) | {d['achieved'].get('l') or '-'} | "
                         f"{d['persons_suppressed']:,} of {d['persons']:,} ({share:.1%}) | {d['rows_suppressed']:,} | "
                         f"{d['prosecutor_highest']:.4f} | {d['unique_share'][0]:.1%} → {d['unique_share'][1]:.1%} |")
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


def ignored_results(ignored: List[tuple]) -> List[FileResult]:
    return [FileResult(label, "", "unsupported", error=reason) for label, reason in ignored]


def skipped_result(label: str, dataset: str, duplicate_of: str = "") -> FileResult:
    note = f"same content as {duplicate_of}; its rows are published once" if duplicate_of else None
    return FileResult(label, dataset, "skipped", error=note)


def run_without_prefect(input_dir: Path | str, output: Path | str, policy: Policy, key: bytes,
                        mapping: Optional[DatasetMapping] = None, quarantine_dir: Optional[Path | str] = None,
                        chunk_rows: int = 50_000, workers: int = 1) -> List[FileResult]:
    """The same work as the flow, in one process (for the benchmark and for debugging)."""
    started = dt.datetime.now()
    mapping = mapping or DatasetMapping()
    results = []
    with run_lock(output):
        ignored: List[tuple] = []
        tasks = plan_run(Path(input_dir), Path(output), mapping, ignored, quarantine_dir)
        results.extend(ignored_results(ignored))
        for task in tasks:
            if task.status == "skipped":
                results.append(skipped_result(task.label, task.dataset, task.duplicate_of))
                continue
            results.append(publish_file(task.path, task.dataset, output, policy, key, quarantine_dir, chunk_rows, workers,
                                        mapping.period_columns.get(task.dataset), source=task.source))
        for dataset in sorted({r.dataset for r in results if r.status == "published"}):
            write_data_dictionary(output, dataset)
        write_run_report(results, started, output)
    return results
