"""The ``pii-pipeline`` command line.

Every command runs inside one error boundary (:class:`_ErrorBoundary`): a user error (a file that
is missing or unreadable, a bad policy, a missing or weak key, an output that cannot be written)
is printed as one line naming the file, with exit code 2; anything unexpected as one line naming
the error's type, with exit code 70.  No traceback reaches the terminal (it could hold a value).
"""

from __future__ import annotations

import atexit
import gc
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

from .errors import InputError, RunAgain
from .logs import configure_logging
from .errors import shown_path
from .masking.sweep import shown_name

USER_ERROR, INTERNAL_ERROR = 2, 70
log = logging.getLogger(__name__)
# When the command is done the process ends: Python's finalisation collected every object the run left
# (0.4-0.5 s after masking 1M rows, measured under load; 0.05 s with them frozen).  atexit handlers still run,
# and sys.stdout/stderr are still flushed; only reference cycles left at exit are not collected (the system frees them).
atexit.register(gc.freeze)


def _one_line(text: str) -> str:
    return "; ".join(part.strip() for part in str(text).splitlines() if part.strip())


def _user_error_message(exc: BaseException) -> Optional[str]:
    """The one-line message of an error the user can fix, or None for an unexpected one."""
    # Only modules already imported can have raised their errors (importing the others is slow).
    ours = [InputError, RunAgain] + [getattr(sys.modules[m], name) for m, name in (
        ("pii_pipeline.keys", "MissingKey"), ("pii_pipeline.masking.policy", "PolicyError"),
        ("pii_pipeline.masking.writers", "OutputError"),
        ("pii_pipeline.rights.subjects", "RightsError")) if m in sys.modules]
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


def _detection_config(entities: Optional[List[str]] = None, threshold: Optional[float] = None):
    """The detector's settings from the environment, checked before any file is read: ``mask`` and ``run``
    build the detector lazily, inside the work on a file, where a bad setting read as a bad input file."""
    import importlib.util

    from pydantic import ValidationError

    from .config import DetectionConfig

    try:
        config = DetectionConfig.from_env(entities=tuple(entities) if entities else None, score_threshold=threshold)
    except ValidationError as exc:
        where = {"score_threshold": "--threshold" if threshold is not None else "PII_PIPELINE_SCORE_THRESHOLD"}
        _fail("; ".join(f"{where[e['loc'][0]]}: {e['msg']}" if e["loc"] and e["loc"][0] in where else e["msg"]
                        for e in exc.errors()))
    except ValueError:
        _fail("PII_PIPELINE_SCORE_THRESHOLD: not a number")
    model = config.spacy_model
    if model and not Path(model).exists() and importlib.util.find_spec(model.replace("-", "_")) is None:
        _fail(f"PII_PIPELINE_SPACY_MODEL: spaCy model '{model}' is not installed; install it, or unset "
              "PII_PIPELINE_SPACY_MODEL to use the blank Dutch tokenizer")
    return config


def _detector(entities: Optional[List[str]], threshold: Optional[float]):
    from .detection import get_detector

    from .detection.nlp import ModelNotInstalled

    config = _detection_config(entities, threshold)
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
    from .masking.sweep import name_is_clean

    detector = _detector(entities, threshold)
    errors: list = []
    count = 0
    try:
        for doc in iter_documents(file, text_field, id_field, encoding, errors):
            count += 1
            findings = detector.detect(doc.text)
            # An id is data until the sweep says it is clean (an export keyed by BSN): else its line.
            shown_id = doc.id if isinstance(doc.id, (int, str)) and name_is_clean(str(doc.id)) else f"line {doc.line}"
            if output_format == "json":
                items = []
                for f in findings:
                    item = f.to_dict()
                    if show_values:
                        item["text"] = doc.text[f.start:f.end]
                    items.append(item)
                sys.stdout.write(json.dumps({"id": shown_id, "line": doc.line, "findings": items}, ensure_ascii=False) + "\n")
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
            out.rule(f"{shown_id}: {len(findings)} finding(s)")
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
    from .io.ei import is_ei_file

    readable = {p for p in found if p.suffix.lower() in known or is_ei_file(p)}  # EI files: known by content
    files = [p for p in found if p in readable]
    skipped = [{"path": str(p), "reason": unsupported_reason(p)} for p in found if p not in readable]
    if not path.is_dir() and skipped:
        _fail(f"{path}: {skipped[0]['reason'].removeprefix('not processed: ')}")
    scans = [f for f in files if f.suffix.lower() in SCAN_FORMATS]
    files = [f for f in files if f not in scans]
    detector = _detector(None, None)
    reports, failures = [], []
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,} rows"), console=err, transient=True) as progress:
        for file in files:
            task = progress.add_task(shown_name(file.name), total=None)
            try:
                reports.extend(scan_file(file, detector, sample_rows, progress=lambda n, t=task: progress.advance(t, n)))
            except InputError as exc:
                failures.append({"path": shown_path(file), "error": exc.detail})
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
            failures.append({"path": shown_path(file), "error": "not a readable image or PDF"})
            continue
        found.append({"path": shown_path(file), "metadata": fields, "personal": personal_fields(fields)})
        listed = "; ".join(f"{k}: {', '.join(v)}" for k, v in fields.items()) or "no embedded metadata"
        risky = f"  [red]may identify a person: {', '.join(personal_fields(fields))}[/red]" if personal_fields(fields) else ""
        out.print(f"{shown_name(file.name)} (scan): {listed}{risky}", highlight=False)
    return found


@app.command(short_help="Precision, recall and F1 on a labelled set.")
def evaluate(
    dataset: Path = typer.Argument(..., help="Labelled set: .jsonl with spans, or annotated text ([[TYPE:value]])."),
    mode: str = typer.Option("strict", help="strict (exact spans) or overlap."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    show_errors: bool = typer.Option(False, "--errors", help="List misses and false alarms (offsets, types and the shape of the text)."),
    show_text: bool = typer.Option(False, "--show-text", help="With --errors: show the text itself (only for a synthetic set)."),
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
    table = _table(f"{dataset.name}: {len(docs)} documents, {mode} matching", "entity", "tp", "fp", "fn", "precision", "recall", "F1", "coverage")
    for column in table.columns[1:]:
        column.justify = "right"
    for name, c in sorted(report.per_entity.items()):
        table.add_row(name, str(c.tp), str(c.fp), str(c.fn), f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", f"{c.coverage:.3f}")
    m = report.micro
    table.add_row("micro", str(m.tp), str(m.fp), str(m.fn), f"{m.precision:.3f}", f"{m.recall:.3f}", f"{m.f1:.3f}", f"{m.coverage:.3f}", style="bold")
    out.print(table)
    out.print(f"any-PII recall: {report.any_pii_recall:.3f}")
    if show_errors:
        from .discovery.classifier import mask_example

        texts = {d.id: d.text for d in docs}
        for e in report.errors:
            # A labelled set may be made of real notes: its text is shown by shape unless asked for.
            snippet = texts[e["doc"]][e["start"]:e["end"]]
            shown = snippet if show_text else mask_example(snippet)
            out.print(f"{e['kind']} {e['entity_type']:<16} {e['doc']} [{e['start']}:{e['end']}] {shown!r}", highlight=False)


def _key(secret: Optional[str] = None) -> bytes:
    """The key (PII_PIPELINE_KEY, PII_PIPELINE_KEY_FILE, the default key file, or --key-secret): keys.py."""
    from .keys import load_key_with_source

    loaded = load_key_with_source(secret)
    log.info("pseudonymisation key from %s", loaded.source)
    return loaded.key


def _policy(path: Optional[Path]):
    from .masking import load_policy

    policy = load_policy(path)
    if policy.exclude is not None and not policy.exclude.secret:
        from .rights.exclusion import load_objections

        load_objections(policy.exclude)  # a bad objection list fails here, naming the line (never the value)
    return policy


@app.command(short_help="Mask one file by policy, with a manifest.")
def mask(
    file: Path = typer.Argument(..., help="Input: CSV/TSV, .xlsx, JSON, JSONL, Parquet, or a .txt document."),
    output: Path = typer.Option(..., "--output", "-o", help="Output; the format follows the extension: .parquet, .csv, .json, .jsonl, .xlsx, or .txt for a text input."),
    policy_file: Optional[Path] = typer.Option(None, "--policy", "-p", help="Policy YAML, or a shipped one by name: statistics (default), id_scans."),
    domain: Optional[str] = typer.Option(None, "--domain", help="Pseudonym domain (overrides the policy's pseudonym_domain)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help="Processes for transforming chunks (default: one per core for a file over 64 MB, else one; the output is the same byte for byte)."),
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
    _detection_config()
    if domain is not None and not __import__("re").fullmatch(r"[a-z0-9][a-z0-9_.\-]{0,63}", domain):
        _fail("--domain: lower-case letters, digits, '.', '_' and '-' only")
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,} rows"), console=err, transient=True) as progress:
            task = progress.add_task(f"masking {shown_name(file.name)}", total=None)
            manifest = mask_file(file, output, policy, key, chunk_rows=chunk_rows, workers=workers,
                                 domain=domain, progress=lambda n: progress.advance(task, n))
    except PrivacyGateFailed as exc:
        _fail(str(exc), code=3)
    for warning in manifest["policy"].get("warnings", []):
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    rows = manifest["rows"]
    out.print(f"{output}: {rows['out']:,} of {rows['in']:,} rows written, {rows['quarantined']:,} quarantined"
              + (f", {rows['excluded']:,} excluded (objection)" if rows.get("excluded") else "")
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
            out.print(_disclosure_line(k), highlight=False)
    out.print(f"manifest: {manifest_path(output)}  key id: {manifest['key_id']}", highlight=False)


def _disclosure_line(k: dict) -> str:
    """One line on what the disclosure-control gate chose and achieved (levels in words, never values)."""
    levels = ", ".join(f"{q['column']} -> {q['output_name']}: {q['generalisation']}" for q in k["quasi_identifiers"])
    achieved = k["achieved"]
    text = (f"k-anonymity over persons (k={k['k']}" + (f", l={k['l']}" if k.get("l") else "") + f"): {levels or 'no quasi-identifiers'}; "
            f"achieved k={achieved['k']}" + ((f", l={achieved['l']}" if achieved.get("l") is not None
                                              else f", l {achieved.get('l_note', 'not applicable')}") if k.get("l") else "")
            + f"; {k['persons_suppressed']:,} of {k['persons']:,} persons ({k['persons_suppressed_share']:.1%}) and "
            f"{k['rows_suppressed']:,} rows suppressed; unique persons {k['before']['unique_share']:.1%} -> "
            f"{k['after']['unique_share']:.1%}; highest prosecutor risk {k['after']['prosecutor']['highest']:.3f}")
    return text if k.get("suppression_within_limit", True) else text + " [suppression limit exceeded: on_failure=suppress]"


@app.command(short_help="Measure the re-identification risk of a file or dataset.")
def risk(
    path: Path = typer.Argument(..., help="A file (any format mask reads, or Parquet) or a dataset folder."),
    quasi: Optional[List[str]] = typer.Option(None, "--quasi", "-q", help="Quasi-identifier column (repeatable)."),
    sensitive: Optional[List[str]] = typer.Option(None, "--sensitive", "-s", help="Sensitive column for l-diversity (repeatable)."),
    person: Optional[List[str]] = typer.Option(None, "--person", help="Person-key column(s), first non-empty per row (repeatable)."),
    k: Optional[int] = typer.Option(None, "--k", min=2, help="k to check against (default: as recorded, else 10)."),
    l: Optional[int] = typer.Option(None, "--l", min=2, help="l to check against (default: as recorded, else 2)."),
    sampling_fraction: float = typer.Option(1.0, "--sampling-fraction", min=0.0001, max=1.0,
                                            help="Share of the population in the data (journalist/marketer risk)."),
    as_json: bool = typer.Option(False, "--json", help="Print the measures as JSON."),
    html_report: Optional[Path] = typer.Option(None, "--html", help="Write an HTML report with a chart of class sizes."),
) -> None:
    """Measure the re-identification risk of an existing file or dataset, without changing it.

    Classes are counted in distinct persons (the person key); k, distinct l, prosecutor / journalist /
    marketer risk and the share of unique persons. Exit code 1 when k (or l) is not met.
    """
    from .masking.risk_report import _summary_rows, assess_path, report_html
    from .masking.writers import publish_bytes

    try:
        report = assess_path(path, quasi or None, sensitive, person, k, l, sampling_fraction)
    except InputError as exc:
        _fail(str(exc))
    if html_report is not None:
        publish_bytes(html_report, report_html(report).encode("utf-8"))
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        table = Table(title=f"disclosure risk: {report['path']}", title_justify="left")
        table.add_column("measure")
        table.add_column("value")
        for name, value in _summary_rows(report):
            table.add_row(name, value)
        out.print(table)
        sizes = Table(title="classes by size (persons)", title_justify="left")
        for col in ("size", "classes", "persons"):
            sizes.add_column(col)
        for b in report["class_sizes"]:
            sizes.add_row(b["sizes"], f"{b['classes']:,}", f"{b['persons']:,}")
        out.print(sizes)
    if not report["k_met"] or report.get("l_met") is False:
        raise typer.Exit(1)


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
    _detection_config()
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


# ---------------------------------------------------------------- data-subject rights


def _rights_key(key_secret: Optional[str]) -> bytes:
    """The key the datasets were published with (keys.py: env, key file, or a Prefect Secret)."""
    return _key(key_secret)


def _people(key: bytes, bsn: Optional[List[str]], bsn_file: Optional[Path], member_number: Optional[List[str]],
            request_id: Optional[str]):
    from .rights import RightsError, subjects

    try:
        return subjects(key, bsn or [], bsn_file, member_number or [], request_id)
    except (RightsError, InputError) as exc:
        _fail(str(exc))


_BSN = typer.Option(None, "--bsn", help="A BSN (repeatable). Never printed or stored.")
_BSN_FILE = typer.Option(None, "--bsn-file", help="File with one BSN a line.")
_MEMBER = typer.Option(None, "--member-number", help="A member number (verzekerdennummer; repeatable).")
_REQUEST = typer.Option(None, "--request-id", help="The request's id: names the person(s) in all output (R, or R-0001... for several).")
_KEY_SECRET = typer.Option(None, "--key-secret", help=_KEY_SECRET_HELP)


def _print_counts(location) -> None:
    counts = location.counts()
    table = Table(title=f"{len(location.subjects)} person(s) in {len(location.datasets)} dataset(s)", title_justify="left")
    for col in ("person", "dataset", "period", "rows"):
        table.add_column(col, justify="right" if col == "rows" else "left")
    for s in location.subjects:
        found = counts[s.label]
        if not found:
            table.add_row(s.label, "-", "-", "0")
        for dataset, periods in sorted(found.items()):
            for period, n in sorted(periods.items()):
                table.add_row(s.label, dataset, period, f"{n:,}")
    out.print(table)


@app.command(short_help="Find every row of a person (access, portability).")
def locate(
    datasets: List[Path] = typer.Argument(..., help="Dataset folders (OUT/claims) or an output folder (all its datasets)."),
    bsn: Optional[List[str]] = _BSN, bsn_file: Optional[Path] = _BSN_FILE, member_number: Optional[List[str]] = _MEMBER,
    request_id: Optional[str] = _REQUEST, key_secret: Optional[str] = _KEY_SECRET,
    export_dir: Optional[Path] = typer.Option(None, "--export", help="Write each person's rows per dataset as CSV and JSON here."),
    as_json: bool = typer.Option(False, "--json", help="Print a machine-readable summary (datasets, parts, row numbers)."),
) -> None:
    """Access and portability: list every dataset, part and row holding a person (by BSN or member number)."""
    from .rights import RightsError
    from .rights.locate import export, locate as run_locate
    from .rights.rewrite import finish_pending
    from .rights.subjects import dataset_dirs, output_root

    key = _rights_key(key_secret)
    people = _people(key, bsn, bsn_file, member_number, request_id)
    try:
        for root in {output_root(d) for d in dataset_dirs(datasets)}:
            finish_pending(root)
        location = run_locate(datasets, key, people)
        written = export(location, export_dir) if export_dir else []
    except (RightsError, InputError) as exc:
        _fail(str(exc))
    if as_json:
        sys.stdout.write(json.dumps(location.summary(request_id), indent=2) + "\n")
    else:
        _print_counts(location)
        if export_dir:
            out.print(f"exported {len(written)} file(s) to {export_dir}/<person>/<dataset>.csv|.json", highlight=False)


@app.command(short_help="Remove every row of persons, crash-safe (erasure).")
def erase(
    datasets: List[Path] = typer.Argument(..., help="Dataset folders or an output folder."),
    request_id: str = typer.Option(..., "--request-id", help="The erasure request's id (recorded in the erasure log)."),
    bsn: Optional[List[str]] = _BSN, bsn_file: Optional[Path] = _BSN_FILE, member_number: Optional[List[str]] = _MEMBER,
    key_secret: Optional[str] = _KEY_SECRET,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would go; change nothing."),
    rectification: bool = typer.Option(False, "--rectification", help="Erase for a correction: the corrected file may publish the person again."),
    as_json: bool = typer.Option(False, "--json", help="Print the erasure-log entry as JSON."),
) -> None:
    """Erasure: rewrite every part holding the persons without their rows (crash-safe) and log it."""
    from .rights import RightsError
    from .rights.erase import erase as run_erase

    key = _rights_key(key_secret)
    people = _people(key, bsn, bsn_file, member_number, request_id)
    try:
        job = run_erase(datasets, key, people, request_id, dry_run=dry_run, rectification=rectification)
    except (RightsError, InputError) as exc:
        _fail(str(exc))
    entry = job["log"]
    if as_json:
        shown = {k: v for k, v in entry.items() if k != "pseudonyms"}
        sys.stdout.write(json.dumps({**shown, "dry_run": dry_run}, indent=2) + "\n")
        return
    verb = "would remove" if dry_run else "removed"
    total = sum(d["rows"] for d in entry["datasets"].values())
    out.print(f"request {request_id}: {verb} {total:,} row(s) of {entry['subjects']} person(s)", highlight=False)
    for name, d in entry["datasets"].items():
        out.print(f"  {name}: {d['rows']:,} row(s) from {len(d['parts'])} part(s)", highlight=False)
    if not dry_run:
        from .rights.subjects import dataset_dirs, output_root

        root = output_root(dataset_dirs(datasets)[0])
        out.print(f"logged in {root / '_rights' / 'erasure_log.jsonl'} (job {job['job']})", highlight=False)


@app.command(name="retention", short_help="Remove rows past their retention term.")
def retention_cmd(
    datasets: List[Path] = typer.Argument(..., help="Dataset folders or an output folder."),
    policy_file: Path = typer.Option(..., "--policy", "-p", help="Policy YAML with a 'retention' section per dataset."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would go; change nothing."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Apply the terms as on this date (YYYY-MM-DD; default today)."),
    quarantine: Optional[Path] = typer.Option(None, "--quarantine", help="Also delete quarantined input files past quarantine_retention."),
    as_json: bool = typer.Option(False, "--json", help="Print what went as JSON."),
    cron: Optional[str] = typer.Option(None, "--cron", help="Instead of running now: serve the 'retention' Prefect flow on this schedule (needs PREFECT_API_URL)."),
) -> None:
    """Retention: remove rows and parts past their term (rewriting parts that straddle it) and log it."""
    import datetime as dt
    import os

    from .rights import RightsError
    from .rights.retention import retention as run_retention

    policy = _policy(policy_file)
    if cron:
        if len(datasets) != 1 or not os.environ.get("PREFECT_API_URL"):
            _fail("--cron serves one output folder against a Prefect server: set PREFECT_API_URL (see `pii-pipeline serve`)")
        from .prefect_env import configure_prefect_environment

        configure_prefect_environment()
        from flows.retention import serve as serve_retention

        serve_retention(str(datasets[0].resolve()), _absolute(policy_file), cron,
                        quarantine_dir=_absolute(quarantine))
        return
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        _fail("--as-of: a date as YYYY-MM-DD")
    try:
        report = run_retention(datasets, policy, day, dry_run, quarantine)
    except (RightsError, InputError) as exc:
        _fail(str(exc))
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    verb = "would remove" if dry_run else "removed"
    for name, d in report["datasets"].items():
        if d["rule"] is None:
            out.print(f"{name}: no retention rule", highlight=False)
            continue
        r = d["rule"]
        out.print(f"{name}: {verb} {d['rows']:,} row(s) dated before {r['cutoff']} ({r['column']}, keep {r['keep']}, from {r['from']})"
                  + (f"; {d['undated_rows_kept']:,} undated row(s) kept" if d.get("undated_rows_kept") else ""), highlight=False)
        for period, n in d["periods"].items():
            out.print(f"  period {period}: {n:,}", highlight=False)
    if report["rules_without_dataset"]:
        err.print("[yellow]warning:[/yellow] retention rules for datasets not given: " + ", ".join(report["rules_without_dataset"]),
                  highlight=False)
    if "quarantine" in report:
        q = report["quarantine"]
        out.print(f"quarantine: {verb} {q['deleted']} file(s) older than {q['term']}, {q['kept']} kept", highlight=False)


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
    k, ld = policy.k_anonymity, policy.l_diversity
    out.print(f"k-anonymity: {'k=' + str(k.k) + ' persons (' + ', '.join(k.person_key) + ') over ' + ', '.join(k.quasi_identifiers) + f', at most {k.max_suppression:.0%} suppressed, on failure {k.on_failure}' if k.enabled else 'off'}; "
              f"l-diversity: {'l=' + str(ld.l) + ' over ' + ', '.join(ld.sensitive) if ld.enabled else 'off'}; "
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
