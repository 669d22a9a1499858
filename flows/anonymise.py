"""The nightly job: anonymise a landing folder into partitioned Parquet datasets.

Thin orchestration over :mod:`pii_pipeline.batch`: one task lists the work, one
task per file masks and publishes it, one task writes the data dictionaries.
Tasks take paths and ids, never data; nothing they return holds a value from
the files (counts and types only), and no task result is cached or persisted.

Run it::

    pii-pipeline run sample_data -o out                   # same as anonymise_landing("sample_data", "out")
    pii-pipeline run landing -o out --dask tcp://scheduler:8786
"""

from __future__ import annotations

from pii_pipeline.prefect_env import configure_prefect_environment

configure_prefect_environment()  # before prefect is imported

import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Optional  # noqa: E402

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.states import Completed, Failed  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from pii_pipeline import batch  # noqa: E402
from pii_pipeline.logs import redact_prefect_logs  # noqa: E402
from pii_pipeline.masking import load_policy  # noqa: E402
from pii_pipeline.keys import load_key  # noqa: E402
from pii_pipeline.masking.pseudonyms import key_id  # noqa: E402

# Every task touches personal data: never cache or persist what it returns.
PRIVATE = dict(cache_policy=NO_CACHE, persist_result=False)
OWN = {"pii_pipeline": True}   # our messages: labels and counts, scrubbed as ours (see logs.py)

redact_prefect_logs()  # every record reaching Prefect's database passes the redaction filter


def _key(key_secret: Optional[str]) -> bytes:
    """The pseudonymisation key: a Prefect Secret block when named, else env / key file (pii_pipeline.keys)."""
    return load_key(secret=key_secret)


@task(name="check-key-and-policy", **PRIVATE)
def check_setup(policy_path: Optional[str], key_secret: Optional[str], output_dir: str) -> str:
    """Fail before any file is touched when the key, the policy or its objection list is missing or invalid; say at once
    when the key differs from an existing dataset's (those files will stay in the landing folder)."""
    from pii_pipeline.rights.exclusion import load_objections

    load_objections(load_policy(policy_path).exclude)  # read again per file, in memory only; never returned
    key = _key(key_secret)
    mismatches = batch.key_mismatches(output_dir, key)
    if mismatches:
        get_run_logger().warning(batch.key_mismatch_message(mismatches, key))
    return key_id(key)


@task(name="plan", **PRIVATE)
def plan(input_dir: str, output_dir: str, mapping_path: Optional[str], quarantine_dir: Optional[str] = None) -> list[dict]:
    mapping = batch.DatasetMapping.load(mapping_path)
    ignored: list = []
    tasks = batch.plan_run(Path(input_dir), Path(output_dir), mapping, ignored, quarantine_dir)
    # Labels, not file names: a file name is data until the sweep finds it clean.
    return [{"path": t.path, "label": t.label, "dataset": t.dataset, "status": t.status, "source": t.source,
             "duplicate_of": t.duplicate_of, "period_column": mapping.period_columns.get(t.dataset)} for t in tasks] + [
            {"label": label, "status": "unsupported", "reason": reason} for label, reason in ignored]


@task(name="publish-file", task_run_name="publish-{dataset}", **PRIVATE)
def publish(path: str, dataset: str, output_dir: str, policy_path: Optional[str], key_secret: Optional[str],
            quarantine_dir: str, chunk_rows: int, workers: int, period_column: Optional[str], source: str = "") -> dict:
    redact_prefect_logs()  # also in Dask worker processes, which set up Prefect's logging themselves
    result = batch.publish_file(path, dataset, output_dir, load_policy(policy_path), _key(key_secret), quarantine_dir,
                                chunk_rows, workers, period_column, source=source or None)
    get_run_logger().info("file %s -> dataset %s: %s, %d rows in, %d out, %d quarantined", result.file, dataset,
                          result.status, result.rows_in, result.rows_out, result.rows_quarantined, extra=OWN)
    return result.to_dict()


@task(name="data-dictionaries", **PRIVATE)
def dictionaries(output_dir: str, datasets: list[str]) -> list[str]:
    return [str(p) for d in datasets if (p := batch.write_data_dictionary(output_dir, d))]


# One file at a time by default: masking is CPU-bound Python, so threads would only contend for the
# GIL and multiply memory.  Parallelism comes from `workers` (processes per file) or from Dask
# (`pii-pipeline run --dask`), which runs file tasks in separate worker processes.
@flow(name="anonymise-landing", persist_result=False, log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=1))
def anonymise_landing(input_dir: str, output_dir: str, policy_path: Optional[str] = None,
                      dataset_mapping: Optional[str] = None, quarantine_dir: Optional[str] = None,
                      key_secret: Optional[str] = None, chunk_rows: int = 50_000, workers: int = 1):
    """Mask every new file of ``input_dir`` into ``output_dir/<dataset>/`` and report.

    ``quarantine_dir`` (default ``<input_dir>/_quarantine``) receives files that cannot be processed,
    each with a ``.reason.json``.  ``key_secret`` names a Prefect Secret block holding the key;
    without it the key comes from ``PII_PIPELINE_KEY``, ``PII_PIPELINE_KEY_FILE`` or the default key file.
    """
    logger = get_run_logger()
    try:
        # One run at a time per output folder, for the whole run (planning, publishing, reports).
        with batch.run_lock(output_dir):
            return _anonymise(logger, input_dir, output_dir, policy_path, dataset_mapping, quarantine_dir, key_secret,
                              chunk_rows, workers)
    except batch.OutputLocked as exc:
        logger.error(str(exc))
        return Failed(message=str(exc))


def _anonymise(logger, input_dir: str, output_dir: str, policy_path: Optional[str], dataset_mapping: Optional[str],
               quarantine_dir: Optional[str], key_secret: Optional[str], chunk_rows: int, workers: int):
    started = dt.datetime.now()
    quarantine_dir = quarantine_dir or str(Path(input_dir) / batch.QUARANTINE_DIR)
    used_key = check_setup(policy_path, key_secret, output_dir)
    logger.info("pseudonymisation key id %s", used_key, extra=OWN)
    work = plan(input_dir, output_dir, dataset_mapping, quarantine_dir)
    skipped = [batch.skipped_result(w["label"], w["dataset"], w["duplicate_of"]) for w in work if w["status"] == "skipped"]
    futures = [publish.submit(w["path"], w["dataset"], output_dir, policy_path, key_secret, quarantine_dir,
                              chunk_rows, workers, w["period_column"], w["source"]) for w in work if w["status"] == "pending"]
    unsupported = batch.ignored_results([(w["label"], w["reason"]) for w in work if w["status"] == "unsupported"])
    results = skipped + [batch.FileResult(**f.result()) for f in futures] + unsupported
    published = sorted({r.dataset for r in results if r.status == "published"})
    dictionaries(output_dir, published)
    report = batch.write_run_report(results, started, Path(output_dir))
    _artifacts(results, report)
    failed = [r for r in results if r.status == "failed"]
    summary = (f"{len(results)} file(s): {sum(r.status == 'published' for r in results)} published, "
               f"{sum(r.status == 'skipped' for r in results)} already published, {len(failed)} failed"
               + (f", {len(unsupported)} not processed" if unsupported else "") + f"; report {report}")
    logger.info(summary, extra=OWN)
    if failed:
        return Failed(message=f"{summary}. Failed: " + "; ".join(f"{r.file}: {r.error}" for r in failed))
    return Completed(message=summary)


def _artifacts(results: list, report: Path) -> None:
    """Counts and types only: artifacts are stored in Prefect's database."""
    rows = [{"file": r.file, "dataset": r.dataset, "status": r.status, "rows_in": r.rows_in, "rows_out": r.rows_out,
             "rows_quarantined": r.rows_quarantined, "rows_excluded": r.rows_excluded,
             "pii_columns": ", ".join(f"{k} {v}" for k, v in sorted(r.pii_columns.items())),
             "actions": ", ".join(f"{k} {v}" for k, v in sorted(r.actions.items()))} for r in results]
    create_table_artifact(key="anonymisation-files", table=rows, description="Files of this run (counts only)")
    create_markdown_artifact(key="anonymisation-report", markdown=report.read_text(encoding="utf-8"),
                             description="Run report")
