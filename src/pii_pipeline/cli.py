"""The ``pii-pipeline`` command line.

Every command runs inside one error boundary (:class:`_ErrorBoundary`): a user error (a file that
is missing or unreadable, a bad policy, a missing or weak key, an output that cannot be written)
is printed as one line naming the file, with exit code 2; anything unexpected as one line naming
the error's type, with exit code 70.  No traceback reaches the terminal (it could hold a value).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from .errors import InputError
from .logs import configure_logging

USER_ERROR, INTERNAL_ERROR = 2, 70
log = logging.getLogger(__name__)


def _one_line(text: str) -> str:
    return "; ".join(part.strip() for part in str(text).splitlines() if part.strip())


def _user_error_message(exc: BaseException) -> Optional[str]:
    """The one-line message of an error the user can fix, or None for an unexpected one."""
    # Only modules already imported can have raised their errors (importing the others is slow).
    ours = [InputError] + [getattr(sys.modules[m], name) for m, name in (
        ("pii_pipeline.keys", "MissingKey"), ("pii_pipeline.masking.policy", "PolicyError"),
        ("pii_pipeline.masking.writers", "OutputError")) if m in sys.modules]
    if isinstance(exc, tuple(ours)):
        return _one_line(str(exc))
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror or type(exc).__name__}"
    return None


class _ErrorBoundary(TyperGroup):
    """Turns every exception of every (sub)command into one line on stderr and an exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if type(exc).__module__.startswith(("typer", "click")):
                raise  # typer.Exit, usage errors: typer prints those itself
            message = _user_error_message(exc)
            if message is not None:
                _print_error(message)
                raise typer.Exit(USER_ERROR) from None
            log.info("unexpected error", exc_info=True)  # with --verbose only, through the privacy filter
            _print_error(f"unexpected {type(exc).__name__}; nothing was published (rerun with --verbose for the log)")
            raise typer.Exit(INTERNAL_ERROR) from None
        except KeyboardInterrupt:
            _print_error("interrupted; nothing was published")
            raise typer.Exit(130) from None


# Plain (click-style) help: flags show no "<bool>" placeholder and paragraphs are not broken.
_APP_SETTINGS = dict(cls=_ErrorBoundary, rich_markup_mode=None, no_args_is_help=True)
app = typer.Typer(add_completion=False, help="Find and mask personal data in Dutch healthcare files.", **_APP_SETTINGS)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

# Colours per entity kind in the human output.
_STYLE = {"direct_identifier": "bold red", "quasi_identifier": "bold yellow", "sensitive": "bold magenta"}
# Roles in the terminal tables (the JSON report has the full names).
_ROLE_SHORT = {"direct_identifier": "direct id", "quasi_identifier": "quasi id", "free_text": "free text"}

_KEY_SECRET_HELP = ("Name of a Prefect Secret block holding the key; without it: PII_PIPELINE_KEY, "
                    "PII_PIPELINE_KEY_FILE, then the key file of `pii-pipeline key init`.")


def _print_error(message: str) -> None:
    err.print(f"[red]error:[/red] {_one_line(message)}", highlight=False, markup=True, soft_wrap=True)


def _fail(message: str, code: int = USER_ERROR) -> None:
    _print_error(message)
    raise typer.Exit(code)


def _table(title: str, *columns: str) -> Table:
    """A terminal table that stays readable at 80 columns: no truncation, long cells fold."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for name in columns:
        table.add_column(name, overflow="fold")
    return table


def _output_folder_exists(path: Optional[Path], what: str) -> None:
    if path is not None and not path.parent.exists():
        _fail(f"{path}: the folder {path.parent} does not exist (create it first, or choose another {what})")


def _input_exists(path: Path, what: str = "file") -> None:
    if not path.exists():
        _fail(f"{path}: no such {what}")


def _detector(entities: Optional[List[str]], threshold: Optional[float]):
    from pydantic import ValidationError

    from .config import DetectionConfig
    from .detection import get_detector

    from .detection.nlp import ModelNotInstalled

    try:
        config = DetectionConfig.from_env(entities=tuple(entities) if entities else None, score_threshold=threshold)
    except ValidationError as exc:
        _fail("; ".join(e["msg"] for e in exc.errors()))
    except ValueError:
        _fail("PII_PIPELINE_SCORE_THRESHOLD: not a number")
    try:
        return get_detector(config)
    except ModelNotInstalled as exc:
        _fail(str(exc))


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress (never values).")) -> None:
    import logging

    configure_logging(logging.INFO if verbose else logging.WARNING)


@app.command(short_help="Find personal data in free text (.txt, .jsonl).")
def detect(
    file: Path = typer.Argument(..., help="A .txt file (one document) or .jsonl file (one document per line)."),
    output_format: str = typer.Option("human", "--format", "-f", help="human or json (one JSON object per document)."),
    text_field: str = typer.Option("text", help="JSONL field holding the text."),
    id_field: str = typer.Option("id", help="JSONL field holding the document id."),
    show_values: bool = typer.Option(False, "--show-values", help="Include the matched text in the output."),
    entities: Optional[List[str]] = typer.Option(None, "--entity", "-e", help="Only these entity types (repeatable)."),
    threshold: Optional[float] = typer.Option(None, help="Minimum score (default 0.5)."),
    encoding: str = typer.Option("utf-8-sig", help="Text encoding of the file."),
) -> None:
    """Find personal data in free text and print where it is (offsets, types, scores).

    Tables (CSV, Excel, JSON, Parquet) are refused: `pii-pipeline scan FILE` classifies their
    columns, including the personal data inside their text cells.  An empty input is an error.
    """
    from recognizers.entities import ENTITIES

    from .io.documents import iter_documents
    from .io.tables import FORMATS

    if output_format not in ("human", "json"):
        _fail("--format must be 'human' or 'json'")
    _input_exists(file)
    if file.suffix.lower() in FORMATS and file.suffix.lower() not in (".jsonl", ".txt"):
        _fail(f"{file}: a table ({file.suffix.lower()}); detect reads free text (.txt, or .jsonl with a text field). "
              f"For a table use: pii-pipeline scan {file}")
    detector = _detector(entities, threshold)
    errors: list = []
    count = 0
    try:
        for doc in iter_documents(file, text_field, id_field, encoding, errors):
            count += 1
            findings = detector.detect(doc.text)
            if output_format == "json":
                items = []
                for f in findings:
                    item = f.to_dict()
                    if show_values:
                        item["text"] = doc.text[f.start:f.end]
                    items.append(item)
                sys.stdout.write(json.dumps({"id": doc.id, "findings": items}, ensure_ascii=False) + "\n")
                continue
            marked = Text()
            pos = 0
            for f in findings:
                marked.append(doc.text[pos:f.start])
                style = _STYLE.get(ENTITIES[f.entity_type].kind, "bold") if f.entity_type in ENTITIES else "bold"
                label = f"[{f.entity_type}: {doc.text[f.start:f.end]}]" if show_values else f"[{f.entity_type}]"
                marked.append(label, style=style)
                pos = f.end
            marked.append(doc.text[pos:])
            out.rule(f"{doc.id}: {len(findings)} finding(s)")
            out.print(marked, highlight=False)
    except InputError as exc:
        _fail(str(exc))
    for exc in errors:
        _print_error(str(exc))
    if count == 0 and not errors:
        _fail(f"{file}: no documents (empty input)", code=1)
    if errors:
        raise typer.Exit(1)


@app.command(short_help="Say which columns of files hold personal data.")
def scan(
    path: Path = typer.Argument(..., help="A file or a folder (scanned recursively)."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write the JSON report here."),
    html_report: Optional[Path] = typer.Option(None, "--html", help="Write an HTML report here."),
    sample_rows: int = typer.Option(1000, "--sample", help="Rows sampled per table, spread over the whole file."),
) -> None:
    """Say which columns and fields of a file or folder hold personal data, and why.

    Files of a format scan does not read are listed at the end (and in the JSON report's
    "skipped") with the reason.
    """
    from rich.progress import BarColumn, Progress, TextColumn

    from .batch import unsupported_reason
    from .discovery import scan_file
    from .discovery.report import write_html, write_json
    from .io.tables import FORMATS

    _input_exists(path, "file or folder")
    _output_folder_exists(report, "--report path")
    _output_folder_exists(html_report, "--html path")
    from .idscan.metadata import SCAN_FORMATS

    known = set(FORMATS) | SCAN_FORMATS
    found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) if path.is_dir() else [path]
    files = [p for p in found if p.suffix.lower() in known]
    skipped = [{"path": str(p), "reason": unsupported_reason(p)} for p in found if p.suffix.lower() not in known]
    if not path.is_dir() and skipped:
        _fail(f"{path}: {skipped[0]['reason'].removeprefix('not processed: ')}")
    scans = [f for f in files if f.suffix.lower() in SCAN_FORMATS]
    files = [f for f in files if f not in scans]
    detector = _detector(None, None)
    reports, failures = [], []
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,} rows"), console=err, transient=True) as progress:
        for file in files:
            task = progress.add_task(file.name, total=None)
            try:
                reports.extend(scan_file(file, detector, sample_rows, progress=lambda n, t=task: progress.advance(t, n)))
            except InputError as exc:
                failures.append({"path": str(file), "error": exc.detail})
            progress.remove_task(task)
    for r in reports:
        table = _table(f"{r.table} ({r.format}, {r.rows:,} rows)", "column", "entity", "role", "conf.", "evidence")
        # Entity names are never cut: their column is as wide as the longest one.
        table.columns[1].min_width = max([len(c.entity_type or "") for c in r.columns] + [6])
        table.columns[2].min_width = 9
        for c in r.columns:
            extra = f" [{', '.join(f'{k} {v}' for k, v in c.text_entities.items())}]" if c.text_entities else ""
            style = {"direct_identifier": "red", "quasi_identifier": "yellow", "sensitive": "magenta", "free_text": "cyan"}.get(c.role)
            table.add_row(c.name, c.entity_type or "", _ROLE_SHORT.get(c.role, c.role), f"{c.confidence:.2f}",
                          c.evidence + extra, style=style)
        out.print(table)
        if r.malformed_rows:
            first = r.malformed[0]
            where = f"line {first['line']}, row {first['row']}" if first["line"] is not None else f"row {first['row']}"
            err.print(f"[yellow]{r.table}: {r.malformed_rows:,} record(s) could not be read and would be quarantined by "
                      f"mask (first: {where}: {first['reason']})[/yellow]", highlight=False)
    scan_meta = _scan_metadata(scans, failures)
    if report:
        write_json(report, reports, failures, scan_meta, skipped)
    if html_report:
        write_html(html_report, reports, failures, skipped)
    for f in skipped:
        err.print(f"[yellow]skipped:[/yellow] {f['path']}: {f['reason']}", highlight=False)
    if failures and not path.is_dir():
        _fail(f"{failures[0]['path']}: {failures[0]['error']}", code=1)
    for f in failures:
        err.print(f"[red]failed:[/red] {f['path']}: {f['error']}", highlight=False)
    if failures:
        err.print(f"{len(failures)} of {len(files)} file(s) could not be scanned")
        raise typer.Exit(1)


def _scan_metadata(scans: List[Path], failures: list) -> list:
    """Embedded metadata of images and PDFs: which fields are present (names, never values)."""
    from .idscan.metadata import pdf_metadata, image_metadata, personal_fields

    found = []
    for file in scans:
        try:
            if file.suffix.lower() == ".pdf":
                fields = pdf_metadata(file)
            else:
                from PIL import Image

                with Image.open(file) as image:
                    fields = image_metadata(image)
        except Exception:
            failures.append({"path": str(file), "error": "not a readable image or PDF"})
            continue
        found.append({"path": str(file), "metadata": fields, "personal": personal_fields(fields)})
        listed = "; ".join(f"{k}: {', '.join(v)}" for k, v in fields.items()) or "no embedded metadata"
        risky = f"  [red]may identify a person: {', '.join(personal_fields(fields))}[/red]" if personal_fields(fields) else ""
        out.print(f"{file.name} (scan): {listed}{risky}", highlight=False)
    return found


@app.command(short_help="Precision, recall and F1 on a labelled set.")
def evaluate(
    dataset: Path = typer.Argument(..., help="Labelled set: .jsonl with spans, or annotated text ([[TYPE:value]])."),
    mode: str = typer.Option("strict", help="strict (exact spans) or overlap."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    show_errors: bool = typer.Option(False, "--errors", help="List misses and false alarms (offsets and types only)."),
) -> None:
    """Print precision, recall and F1 per entity type on a labelled Dutch set."""
    from .evaluation import evaluate as run_evaluation
    from .evaluation import load_labelled

    if not dataset.is_file():
        _fail(f"{dataset}: no such file")
    if mode not in ("strict", "overlap"):
        _fail("--mode must be 'strict' or 'overlap'")
    docs = load_labelled(dataset)
    if not docs:
        _fail(f"{dataset}: no labelled documents (empty input)")
    reports = run_evaluation(_detector(None, None), docs, modes=("strict", "overlap"))
    if mode not in reports:
        _fail("--mode must be 'strict' or 'overlap'")
    report = reports[mode]
    if as_json:
        sys.stdout.write(json.dumps({m: r.as_dict() for m, r in reports.items()}, indent=2) + "\n")
        return
    table = _table(f"{dataset.name}: {len(docs)} documents, {mode} matching", "entity", "tp", "fp", "fn", "precision", "recall", "F1")
    for column in table.columns[1:]:
        column.justify = "right"
    for name, c in sorted(report.per_entity.items()):
        table.add_row(name, str(c.tp), str(c.fp), str(c.fn), f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}")
    m = report.micro
    table.add_row("micro", str(m.tp), str(m.fp), str(m.fn), f"{m.precision:.3f}", f"{m.recall:.3f}", f"{m.f1:.3f}", style="bold")
    out.print(table)
    out.print(f"any-PII recall: {report.any_pii_recall:.3f}")
    if show_errors:
        texts = {d.id: d.text for d in docs}
        for e in report.errors:
            # The evaluation set is synthetic and ours: showing its text is safe here.
            snippet = texts[e["doc"]][e["start"]:e["end"]]
            out.print(f"{e['kind']} {e['entity_type']:<16} {e['doc']} [{e['start']}:{e['end']}] {snippet!r}", highlight=False)


def _key(secret: Optional[str] = None) -> bytes:
    """The key (PII_PIPELINE_KEY, PII_PIPELINE_KEY_FILE, the default key file, or --key-secret): keys.py."""
    from .keys import load_key_with_source

    loaded = load_key_with_source(secret)
    log.info("pseudonymisation key from %s", loaded.source)
    return loaded.key


def _policy(path: Optional[Path]):
    from .masking import load_policy

    return load_policy(path)


@app.command(short_help="Mask one file by policy, with a manifest.")
def mask(
    file: Path = typer.Argument(..., help="Input: CSV/TSV, .xlsx, JSON, JSONL, Parquet, or a .txt document."),
    output: Path = typer.Option(..., "--output", "-o", help="Output; the format follows the extension: .parquet, .csv, .json, .jsonl, .xlsx, or .txt for a text input."),
    policy_file: Optional[Path] = typer.Option(None, "--policy", "-p", help="Policy YAML, or a shipped one by name: statistics (default), id_scans."),
    domain: Optional[str] = typer.Option(None, "--domain", help="Pseudonym domain (overrides the policy's pseudonym_domain)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes for transforming chunks (free text is CPU-heavy)."),
    chunk_rows: int = typer.Option(50_000, "--chunk-rows", min=100, help="Rows per chunk (bounds memory)."),
    dataset: Optional[str] = typer.Option(None, "--dataset", help="Apply the policy's section for this dataset (datasets: {NAME: ...})."),
    key_secret: Optional[str] = typer.Option(None, "--key-secret", help=_KEY_SECRET_HELP),
) -> None:
    """Mask one file by policy, check it with the privacy gates, and publish it with a manifest.

    Needs the pseudonymisation key: see `pii-pipeline key init`.  Nothing appears at the output
    path unless every gate passes (exit code 3 when a privacy gate fails).
    """
    from rich.progress import BarColumn, Progress, TextColumn

    from .masking.engine import PrivacyGateFailed, manifest_path, mask_file

    from .idscan.metadata import SCAN_FORMATS

    _input_exists(file)
    _output_folder_exists(output, "output")
    if file.suffix.lower() in SCAN_FORMATS:
        _mask_scan(file, output)
        return
    policy = _policy(policy_file).for_dataset(dataset)
    key = _key(key_secret)
    if domain is not None and not __import__("re").fullmatch(r"[a-z0-9][a-z0-9_.\-]{0,63}", domain):
        _fail("--domain: lower-case letters, digits, '.', '_' and '-' only")
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,} rows"), console=err, transient=True) as progress:
            task = progress.add_task(f"masking {file.name}", total=None)
            manifest = mask_file(file, output, policy, key, chunk_rows=chunk_rows, workers=workers,
                                 domain=domain, progress=lambda n: progress.advance(task, n))
    except PrivacyGateFailed as exc:
        _fail(str(exc), code=3)
    for warning in manifest["policy"].get("warnings", []):
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    rows = manifest["rows"]
    out.print(f"{output}: {rows['out']:,} of {rows['in']:,} rows written, {rows['quarantined']:,} quarantined"
              + (f" ({manifest['quarantine']['file']})" if manifest.get("quarantine", {}).get("file") else ""), highlight=False)
    for t in manifest.get("tables", []):
        table = _table(t["table"], "column", "detected", "operator", "output type")
        table.columns[1].min_width = max([len(c["detected"] or "") for c in t["columns"]] + [8])
        for c in t["columns"]:
            op = c["operator"] + (f" -> {c['to']}" if c.get("to") else "")
            if c.get("entities_masked"):
                op += " [" + ", ".join(f"{k} {v}" for k, v in c["entities_masked"].items()) + "]"
            table.add_row(c["name"], c["detected"] or "", op, c["output_type"] or "-")
        out.print(table)
        k = t["k_anonymity"]
        if k.get("k"):
            out.print(f"k-anonymity (k={k['k']}) over {', '.join(k['quasi_identifiers']) or 'no quasi-identifiers'}: "
                      f"smallest group {k['before']['smallest_group']} -> {k['after']['smallest_group']}, "
                      f"unique records {k['before']['unique_share']:.1%} -> {k['after']['unique_share']:.1%}, "
                      f"{k['rows_suppressed']:,} rows suppressed, extra generalisation {k['generalisation_steps']}", highlight=False)
    out.print(f"manifest: {manifest_path(output)}  key id: {manifest['key_id']}", highlight=False)


def _absolute(path: Optional[Path]) -> Optional[str]:
    # Paths go to the flow absolute; a name that is no file (a shipped policy: id_scans) as it is.
    return (str(path.resolve()) if path.exists() else str(path)) if path is not None else None


@app.command(short_help="Run the anonymisation flow on a landing folder.")
def run(
    input_dir: Path = typer.Argument(..., help="Landing folder (or one file)."),
    output: Path = typer.Option(..., "--output", "-o", help="Output folder: one Parquet dataset per sub-folder."),
    policy_file: Optional[Path] = typer.Option(None, "--policy", "-p", help="Policy YAML (default: the shipped statistics policy)."),
    datasets: Optional[Path] = typer.Option(None, "--datasets", help="YAML mapping of dataset name -> file patterns."),
    quarantine: Optional[Path] = typer.Option(None, "--quarantine", help="Where bad files go (default: INPUT/_quarantine)."),
    key_secret: Optional[str] = typer.Option(None, "--key-secret", help=_KEY_SECRET_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes per file for the CPU-heavy free-text masking."),
    chunk_rows: int = typer.Option(50_000, "--chunk-rows", min=100, help="Rows per chunk (bounds memory)."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Run the file tasks on a Dask cluster: its scheduler address, or 'local:N' for a local cluster of N workers."),
) -> None:
    """Run the anonymisation flow (Prefect) on a landing folder: mask every new file into partitioned Parquet datasets.

    The output folder is created (its parent must exist).  Files of datasets published with
    another key are not processed and stay in the landing folder; the run says so first.
    """
    from .prefect_env import configure_prefect_environment

    _check_flow_arguments(input_dir, output, policy_file, datasets)
    if dask and dask.startswith("local:") and not dask[6:].isdigit():
        _fail(f"--dask {dask}: expected local:N with N the number of workers, or a scheduler address")
    configure_prefect_environment()
    key = _key(key_secret)  # fail fast, before the flow starts
    _warn_key_mismatch(output, key)
    from flows.anonymise import anonymise_landing

    flow_fn = anonymise_landing
    if dask:
        from prefect_dask import DaskTaskRunner

        if dask.startswith("local:"):
            runner = DaskTaskRunner(cluster_kwargs={"n_workers": int(dask[6:]), "threads_per_worker": 1, "processes": True})
        else:
            runner = DaskTaskRunner(address=dask)
        flow_fn = anonymise_landing.with_options(task_runner=runner)
    state = flow_fn(str(input_dir.resolve()), str(output.resolve()), _absolute(policy_file), _absolute(datasets),
                    _absolute(quarantine), key_secret, chunk_rows, workers, return_state=True)
    out.print(f"datasets: {output.resolve()}/<dataset>/   report: {output.resolve() / 'run_report.md'}", highlight=False)
    out.print(state.message or state.name, highlight=False)
    if not state.is_completed():
        raise typer.Exit(1)


def _check_flow_arguments(input_dir: Path, output: Path, policy_file: Optional[Path], datasets: Optional[Path]) -> None:
    """What run and serve check before Prefect starts: every error here is one line naming the file."""
    from .batch import DatasetMapping

    _input_exists(input_dir, "landing folder")
    _output_folder_exists(output, "output folder")
    _policy(policy_file)
    if datasets is not None:
        _input_exists(datasets, "dataset mapping file")
        DatasetMapping.load(datasets)


def _warn_key_mismatch(output: Path, key: bytes) -> None:
    from .batch import key_mismatch_message, key_mismatches

    mismatches = key_mismatches(output, key) if output.is_dir() else {}
    if mismatches:
        err.print(f"[yellow]warning:[/yellow] {key_mismatch_message(mismatches, key)}", highlight=False)


@app.command(short_help="Serve the flow on a schedule (Prefect server).")
def serve(
    input_dir: Path = typer.Argument(..., help="Landing folder (checked at every run)."),
    output: Path = typer.Option(..., "--output", "-o", help="Output folder: one Parquet dataset per sub-folder."),
    cron: str = typer.Option("0 2 * * *", "--cron", help="When to run (cron syntax, server time zone)."),
    name: str = typer.Option("nightly", "--name", help="Deployment name in Prefect."),
    policy_file: Optional[Path] = typer.Option(None, "--policy", "-p", help="Policy YAML (default: the shipped statistics policy)."),
    datasets: Optional[Path] = typer.Option(None, "--datasets", help="YAML mapping of dataset name -> file patterns."),
    quarantine: Optional[Path] = typer.Option(None, "--quarantine", help="Where bad files go (default: INPUT/_quarantine)."),
    key_secret: Optional[str] = typer.Option(None, "--key-secret", help=_KEY_SECRET_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes per file for the CPU-heavy free-text masking."),
) -> None:
    """Serve the flow on a schedule against a Prefect server (PREFECT_API_URL); runs never overlap.

    The key must be readable by this process (the runs happen in it).
    """
    import os

    from .prefect_env import configure_prefect_environment

    _check_flow_arguments(input_dir, output, policy_file, datasets)
    if not os.environ.get("PREFECT_API_URL"):
        _fail("PREFECT_API_URL is not set: start `prefect server start` and export PREFECT_API_URL=http://127.0.0.1:4200/api")
    configure_prefect_environment()
    _key(key_secret)
    from flows.serve import serve as serve_flow

    serve_flow(str(input_dir.resolve()), str(output.resolve()), cron, name, _absolute(policy_file), _absolute(datasets),
               _absolute(quarantine), key_secret, workers)


def _mask_scan(file: Path, output: Path) -> None:
    """An ID scan: OCR + recognizers + face detection; solid boxes; a new file without metadata."""
    from .idscan.images import mask_scan

    report = mask_scan(file, output, _detector(None, None))
    kinds: dict = {}
    for c in report.covered:
        kinds[c["entity_type"]] = kinds.get(c["entity_type"], 0) + 1
    out.print(f"{output}: {report.pages} page(s); covered " + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "nothing"), highlight=False)
    if not report.portrait_found:
        err.print("[yellow]warning:[/yellow] no portrait found; check the output by eye")
    removed = ", ".join(f"{k} ({len(v)})" for k, v in report.metadata_removed.items())
    out.print(f"metadata removed: {removed or 'none present'}; report: {output}._report.json", highlight=False)


policy_app = typer.Typer(help="Write out or check a masking policy.", **_APP_SETTINGS)
app.add_typer(policy_app, name="policy")


@policy_app.command("init", short_help="Write a shipped policy to a file for editing.")
def policy_init(
    path: Path = typer.Argument(Path("policy.yaml"), help="Where to write the policy."),
    name: str = typer.Option("statistics", "--name", help="Which shipped policy: statistics or id_scans."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a shipped policy (with its comments) to a file for editing."""
    from .masking.policy import shipped_policy_text

    if path.exists() and not force:
        _fail(f"{path} exists; use --force to overwrite")
    _output_folder_exists(path, "path")
    path.write_text(shipped_policy_text(name), encoding="utf-8")
    out.print(f"wrote {path}; edit it, then: pii-pipeline mask FILE -o OUT --policy {path}", highlight=False)


@policy_app.command("check", short_help="Validate a policy file and print its rules.")
def policy_check(path: Path = typer.Argument(..., help="Policy YAML to validate.")) -> None:
    """Validate a policy file and print its rules."""
    _input_exists(path, "policy file")
    policy = _policy(path)
    table = _table(f"policy '{policy.name}' (domain {policy.pseudonym_domain})", "applies to", "operator")
    for entity, rule in policy.entities.items():
        table.add_row(entity, rule.operator + (f" -> {rule.to}" if rule.to else ""))
    for column, rule in policy.columns.items():
        table.add_row(f"column {column}", rule.operator + (f" -> {rule.to}" if rule.to else ""))
    for dataset, scoped in policy.datasets.items():
        for column, rule in scoped.columns.items():
            table.add_row(f"dataset {dataset}: column {column}", rule.operator + (f" -> {rule.to}" if rule.to else ""))
        for entity, rule in scoped.entities.items():
            table.add_row(f"dataset {dataset}: {entity}", rule.operator + (f" -> {rule.to}" if rule.to else ""))
    table.add_row("free text", policy.free_text.operator)
    table.add_row("other columns", policy.default.operator)
    out.print(table)
    k = policy.k_anonymity
    out.print(f"k-anonymity: {'k=' + str(k.k) + ' over ' + ', '.join(k.quasi_identifiers) if k.enabled else 'off'}; "
              f"residual scan: {'on' if policy.residual_scan.enabled else 'off'}; "
              f"column overrides a file lacks: {'fail (strict)' if policy.strict else 'warning'}", highlight=False)


key_app = typer.Typer(help="Make or check the pseudonymisation key.", **_APP_SETTINGS)
app.add_typer(key_app, name="key")


@key_app.command("init", short_help="Write a new random key to an owner-only file.")
def key_init(
    path: Optional[Path] = typer.Argument(None, help="Where to write the key (default: $XDG_CONFIG_HOME/pii-pipeline/key, else ~/.config/pii-pipeline/key)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing key file (pseudonyms made with the old key no longer link)."),
    keep_existing: bool = typer.Option(False, "--keep-existing", help="If the key file exists, check it and keep it (exit 0) instead of refusing."),
) -> None:
    """Write a new random key (256 bits) to an owner-only file and say how to use it; the key is never printed."""
    import os

    from .keys import KEY_ENV, KEY_FILE_ENV, default_key_path, init_key, key_id, read_key_file

    target = path.expanduser() if path is not None else default_key_path()
    if keep_existing and not force and target.exists():
        out.print(f"keeping the existing key file {target} (key id {key_id(read_key_file(target))})", highlight=False)
    else:
        init_key(target, force=force)
        out.print(f"wrote a new key to {target} (owner-only, key id {key_id(read_key_file(target))}); keep a copy "
                  "somewhere safe: pseudonyms only link under the same key", highlight=False)
    if target != default_key_path():
        out.print(f"use it with: export {KEY_FILE_ENV}={target.resolve()}", highlight=False)
    elif os.environ.get(KEY_ENV) or os.environ.get(KEY_FILE_ENV):
        err.print(f"[yellow]warning:[/yellow] {KEY_ENV if os.environ.get(KEY_ENV) else KEY_FILE_ENV} is set and is used "
                  "instead of this file; unset it to use the file", highlight=False)
    else:
        out.print("every pii-pipeline command now finds it (no environment variable needed)", highlight=False)


@key_app.command("check", short_help="Where the key comes from, and its key id.")
def key_check(
    key_secret: Optional[str] = typer.Option(None, "--key-secret", help=_KEY_SECRET_HELP),
) -> None:
    """Say where the key would be read from and its key id (as in the manifests); never the key."""
    from .keys import estimate_bits, key_id, load_key_with_source

    loaded = load_key_with_source(key_secret)
    out.print(f"key from {loaded.source}: key id {key_id(loaded.key)}, "
              f"about {min(estimate_bits(loaded.key.decode('utf-8', 'replace')), 256):.0f} bits of estimated entropy", highlight=False)


if __name__ == "__main__":  # pragma: no cover
    app()
