"""Removing rows from published parts, crash-safe: the journal is the commit record.

Erasure and retention both come down to "these parts lose these rows".  A job is
planned first (which parts, how many rows each holds and loses, and a predicate
that picks the rows), written to ``OUTPUT/_rights/pending/<job>.json`` (the
commit record, written before anything changes, as a manifest is before parts
are renamed in), then applied:

1. each part is rewritten without its rows into a hidden file and renamed over
   the old one (atomic per part; a reader sees the part before or after, never
   half), or, when every row goes, left for step 3;
2. the manifests are updated (rows out, rows removed, parts), each marked with
   the job id so a rerun does not count twice;
3. emptied parts are deleted (after their manifest stopped listing them);
4. the data dictionaries are rewritten, the log entry appended (once: entries
   carry the job id), and the journal removed.

Every step can be repeated: a part whose row count already is "before minus
removed" was done, one still at "before" is done now, and any other count means
the data changed since planning, which stops the job with a message.  So a rerun
after ``kill -9`` at any point (:func:`finish_pending`, called by every command
that reads or writes the datasets) finishes the job with no row lost or doubled.
``PII_PIPELINE_CRASH_AT=<point>`` makes the process exit at a named point, for tests.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..masking.writers import publish_bytes
from .subjects import RightsError

log = logging.getLogger(__name__)
RIGHTS_DIR = "_rights"
PENDING = "pending"
CRASH_ENV = "PII_PIPELINE_CRASH_AT"
LOGS = {"erasure": "erasure_log.jsonl", "rectification": "erasure_log.jsonl", "retention": "retention_log.jsonl"}
COUNTERS = {"erasure": "erased", "rectification": "erased", "retention": "expired"}


def crash_point(name: str) -> None:
    """Exit at once, like ``kill -9``, when the environment names this point (tests of crash safety)."""
    if os.environ.get(CRASH_ENV) == name:
        os._exit(137)


def rights_dir(output: Path) -> Path:
    folder = Path(output) / RIGHTS_DIR
    (folder / PENDING).mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


@contextmanager
def output_held(output: Path | str) -> Iterator[None]:
    """Hold the output folder while published parts are rewritten, as a run does (:func:`batch.run_lock`):
    a run and an erasure or retention job never interleave, so no part is published between planning
    a job and applying it.  A folder held by a live run is a one-line :class:`RightsError`."""
    from ..batch import OutputLocked, run_lock

    try:
        with run_lock(output):
            yield
    except OutputLocked as exc:
        raise RightsError(str(exc)) from None


def new_job(kind: str, datasets: Dict[str, dict], entry: dict) -> dict:
    """``datasets``: name -> {"predicate": {...}, "parts": [{"part", "manifest", "rows_before", "remove"}]}."""
    now = dt.datetime.now(dt.timezone.utc)
    job_id = f"{kind[0]}-{now.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    return {"job": job_id, "kind": kind, "created": now.isoformat(timespec="seconds"), "datasets": datasets,
            "log": {"job": job_id, **entry}}


def commit(output: Path, job: dict) -> dict:
    """Write the journal (the commit), then apply it."""
    journal = rights_dir(output) / PENDING / f"{job['job']}.json"
    publish_bytes(journal, json.dumps(job, indent=1).encode("utf-8"), mode=0o600)
    crash_point(f"{job['kind']}:after-journal")
    apply(Path(output), job, journal)
    return job


def finish_pending(output: Path | str) -> int:
    """Finish every job a killed process left; returns how many."""
    folder = Path(output) / RIGHTS_DIR / PENDING
    done = 0
    for journal in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        job = json.loads(journal.read_text(encoding="utf-8"))
        apply(Path(output), job, journal)
        log.info("finished an interrupted %s job", job["kind"])
        done += 1
    return done


def pending_entries(output: Path | str) -> List[dict]:
    folder = Path(output) / RIGHTS_DIR / PENDING
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []


# ---------------------------------------------------------------- predicates: which rows go


def _period_end(period: str) -> Optional[dt.date]:
    try:
        year, month = int(period[:4]), int(period[5:7])
    except ValueError:
        return None
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def row_dates(table: pa.Table, column: Optional[str], period: str, dataset: str) -> pa.Array:
    """The date of each row: its date column, or the last day of its part's period."""
    if column is None:
        end = _period_end(period)
        return pa.array([end] * table.num_rows, type=pa.date32())
    if column not in table.column_names:
        raise RightsError(f"dataset '{dataset}': retention column '{column}' is not a column of the dataset")
    values = table.column(column).combine_chunks()
    if pa.types.is_timestamp(values.type):
        return pc.cast(values, pa.date32())
    if pa.types.is_date(values.type):
        return pc.cast(values, pa.date32())
    raise RightsError(f"dataset '{dataset}': retention column '{column}' is {values.type}, not a date")


def _rows_where(table: pa.Table, column: str, test: Callable[[pa.Array], pa.Array]) -> np.ndarray:
    """Rows whose cell passes ``test`` (an array -> booleans), or any element of a list cell (JSON arrays)."""
    array = table.column(column).combine_chunks()
    if pa.types.is_list(array.type):
        flat, parents = pc.list_flatten(array), pc.list_parent_indices(array)
        hit = np.zeros(table.num_rows, dtype=bool)
        hit[np.asarray(parents)[np.asarray(pc.fill_null(test(flat), False))]] = True
        return hit
    return np.asarray(pc.fill_null(test(array), False))


def _in_set(table: pa.Table, column: str, values: pa.Array) -> np.ndarray:
    return _rows_where(table, column, lambda a: pc.is_in(a, value_set=values.cast(a.type)))


def _mentions(table: pa.Table, column: str, pattern: str) -> np.ndarray:
    """Rows whose free text (or any element of a list of texts) matches ``pattern``."""
    return _rows_where(table, column, lambda a: pc.match_substring_regex(a, pattern))


Predicate = Callable[[pa.Table, str], np.ndarray]


def predicate(dataset_dir: Path, spec: dict, parts: List[str]) -> Predicate:
    """The rows to remove from a part (table, period) -> bool mask, from the job's predicate spec."""
    if spec["kind"] == "pseudonyms":
        sets = {c: pa.array(v, type=pa.string()) for c, v in spec["columns"].items()}
        # Tokens are <ENTITY:hex>: no character of them is special in a regular expression.
        texts = {c: "|".join(tokens) for c, tokens in spec.get("text_columns", {}).items()}

        def erase(table: pa.Table, period: str) -> np.ndarray:
            mask = np.zeros(table.num_rows, dtype=bool)
            for column, values in sets.items():
                if column in table.column_names:
                    mask |= _in_set(table, column, values)
            for column, pattern in texts.items():
                if column in table.column_names:
                    mask |= _mentions(table, column, pattern)
            return mask
        return erase
    if spec["kind"] == "before":
        cutoff = dt.date.fromisoformat(spec["cutoff"])
        column, person = spec.get("column"), spec.get("person_column")
        expired = _expired_people(dataset_dir, parts, column, person, cutoff) if spec.get("from") == "last_per_person" else None

        def before(table: pa.Table, period: str) -> np.ndarray:
            dates = row_dates(table, column, period, dataset_dir.name)
            old = np.asarray(pc.fill_null(pc.less(dates, pa.scalar(cutoff, pa.date32())), False))
            if expired is None:
                return old
            who = table.column(person).combine_chunks()
            gone = np.asarray(pc.fill_null(pc.is_in(who, value_set=expired), False))
            return np.where(np.asarray(pc.is_valid(who)), gone, old)  # rows without a person: by their own date
        return before
    raise RightsError(f"unknown job predicate {spec['kind']}")


def _expired_people(dataset_dir: Path, parts: List[str], column: Optional[str], person: str, cutoff: dt.date) -> pa.Array:
    """Persons whose last record (over every part of the dataset) is older than the cutoff."""
    frames = []
    for rel in parts:
        path = dataset_dir / rel
        if not path.exists():
            continue
        wanted = [person] + ([column] if column else [])
        table = pq.ParquetFile(path).read(columns=wanted)
        frames.append(pa.table({"p": table.column(person), "d": row_dates(table, column, _period_of(rel), dataset_dir.name)}))
    if not frames:
        return pa.array([], type=pa.string())
    last = pa.concat_tables(frames).group_by("p").aggregate([("d", "max")])
    last = last.filter(pc.is_valid(last["p"]))
    return last.filter(pc.less(last["d_max"], pa.scalar(cutoff, pa.date32())))["p"].combine_chunks()


def _period_of(rel: str) -> str:
    head = rel.split("/", 1)[0]
    return head.split("=", 1)[1] if "=" in head else "unknown"


# ---------------------------------------------------------------- applying a job


def _rewrite_part(dataset_dir: Path, entry: dict, pick: Predicate) -> None:
    path = dataset_dir / entry["part"]
    before, after = entry["rows_before"], entry["rows_before"] - entry["remove"]
    if not path.exists():
        if after == 0:
            return  # emptied and deleted by an earlier attempt
        raise RightsError(f"dataset '{dataset_dir.name}': part {entry['part']} is missing; the job cannot finish")
    rows = pq.ParquetFile(path).metadata.num_rows
    if rows == after or (rows == before and after == 0):
        return  # rewritten already, or emptied (deleted in step 3)
    if rows != before:
        raise RightsError(f"dataset '{dataset_dir.name}': part {entry['part']} holds {rows} rows, expected {before} "
                          f"or {after}: it changed since the job was planned")
    tmp = path.parent / f".{path.name}.rewrite.tmp"
    source, removed = pq.ParquetFile(path), 0
    try:
        # Streamed batch by batch (a part can be larger than memory); the schema and its metadata kept.
        with pq.ParquetWriter(tmp, source.schema_arrow, compression="zstd") as writer:
            for batch in source.iter_batches(batch_size=128 * 1024):
                table = pa.Table.from_batches([batch], schema=source.schema_arrow)
                remove = pick(table, _period_of(entry["part"]))
                removed += int(remove.sum())
                writer.write_table(table.filter(pa.array(~remove)), row_group_size=128 * 1024)
        if removed != entry["remove"]:
            raise RightsError(f"dataset '{dataset_dir.name}': part {entry['part']}: {removed} rows match now, "
                              f"{entry['remove']} when planned; nothing changed in this part")
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _update_manifests(dataset_dir: Path, job: dict, entries: List[dict]) -> None:
    counter = COUNTERS[job["kind"]]
    per_manifest: Dict[str, List[dict]] = {}
    for e in entries:
        per_manifest.setdefault(e["manifest"], []).append(e)
    for stem, items in per_manifest.items():
        path = dataset_dir / "_manifests" / f"{stem}.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        if job["job"] in doc.get("rights_jobs", []):
            continue
        removed = sum(e["remove"] for e in items)
        emptied = {e["part"] for e in items if e["remove"] == e["rows_before"]}
        doc["rows"]["out"] -= removed
        doc["rows"][counter] = doc["rows"].get(counter, 0) + removed
        doc["parts"] = [p for p in doc.get("parts", []) if p not in emptied]
        doc["partitions"] = sorted({_period_of(p) for p in doc["parts"]})
        if isinstance(doc.get("output"), dict) and "parts" in doc["output"]:
            doc["output"]["parts"] = doc["parts"]
        doc.setdefault("rights_jobs", []).append(job["job"])
        publish_bytes(path, json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8"))


def _append_log(output: Path, job: dict) -> Path:
    path = rights_dir(output) / LOGS[job["kind"]]
    if path.exists() and any(e.get("job") == job["job"] for e in read_log(path)):
        return path
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(json.dumps(job["log"], ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    return path


def read_log(path: Path) -> List[dict]:
    """Entries of a log; a line cut short by a crash is skipped (its job is still pending and rewrites it)."""
    entries = []
    for line in Path(path).read_text(encoding="utf-8").splitlines() if Path(path).exists() else []:
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries


def apply(output: Path, job: dict, journal: Path) -> None:
    from ..batch import write_data_dictionary

    kind = job["kind"]
    for name, spec in job["datasets"].items():
        dataset_dir = output / name
        for leftover in dataset_dir.glob("*/.part-*.rewrite.tmp"):
            leftover.unlink()
        all_parts = [p for m in sorted((dataset_dir / "_manifests").glob("*.json"))
                     for p in json.loads(m.read_text(encoding="utf-8")).get("parts", [])]
        pick = predicate(dataset_dir, spec["predicate"], all_parts)
        for entry in spec["parts"]:
            _rewrite_part(dataset_dir, entry, pick)
            crash_point(f"{kind}:after-part")
    crash_point(f"{kind}:after-parts")
    for name, spec in job["datasets"].items():
        _update_manifests(output / name, job, spec["parts"])
    crash_point(f"{kind}:after-manifests")
    for name, spec in job["datasets"].items():
        for entry in spec["parts"]:
            if entry["remove"] == entry["rows_before"]:
                part = output / name / entry["part"]
                part.unlink(missing_ok=True)
                if part.parent.is_dir() and not any(part.parent.iterdir()):
                    part.parent.rmdir()  # an emptied period folder
        write_data_dictionary(output, name)
    _append_log(output, job)
    crash_point(f"{kind}:after-log")
    journal.unlink(missing_ok=True)
