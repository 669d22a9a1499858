"""The ``pii-pipeline`` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .errors import InputError
from .logs import configure_logging

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Find and mask personal data in Dutch healthcare files.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

# Colours per entity kind in the human output.
_STYLE = {"direct_identifier": "bold red", "quasi_identifier": "bold yellow", "sensitive": "bold magenta"}


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def _detector(entities: Optional[List[str]], threshold: Optional[float]):
    from pydantic import ValidationError

    from .config import DetectionConfig
    from .detection import get_detector

    from .detection.nlp import ModelNotInstalled

    try:
        config = DetectionConfig.from_env(entities=tuple(entities) if entities else None, score_threshold=threshold)
    except ValidationError as exc:
        _fail("; ".join(e["msg"] for e in exc.errors()))
    try:
        return get_detector(config)
    except ModelNotInstalled as exc:
        _fail(str(exc))


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress (never values).")) -> None:
    import logging

    configure_logging(logging.INFO if verbose else logging.WARNING)


@app.command()
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
    """Find personal data in free text and print where it is (offsets, types, scores)."""
    from recognizers.entities import ENTITIES

    from .io.documents import iter_documents

    if output_format not in ("human", "json"):
        _fail("--format must be 'human' or 'json'")
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
        err.print(f"[red]error:[/red] {exc}", highlight=False)
    if count == 0 and not errors:
        err.print(f"{file}: no documents (empty input)")
    if errors:
        raise typer.Exit(1)


@app.command()
def scan(
    path: Path = typer.Argument(..., help="A file or a folder (scanned recursively)."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write the JSON report here."),
    html_report: Optional[Path] = typer.Option(None, "--html", help="Write an HTML report here."),
    sample_rows: int = typer.Option(1000, "--sample", help="Rows sampled per table, spread over the whole file."),
) -> None:
    """Say which columns and fields of a file or folder hold personal data, and why."""
    from rich.progress import BarColumn, Progress, TextColumn

    from .discovery import scan_file
    from .discovery.report import write_html, write_json
    from .io.tables import FORMATS

    if not path.exists():
        _fail(f"{path}: no such file or folder")
    from .idscan.metadata import SCAN_FORMATS

    known = set(FORMATS) | SCAN_FORMATS
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in known and not p.name.startswith(".")) if path.is_dir() else [path]
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
        table = Table(title=f"{r.table} ({r.format}, {r.rows:,} rows)", title_justify="left")
        for col in ("column", "entity", "role", "conf.", "evidence"):
            table.add_column(col)
        for c in r.columns:
            extra = f" [{', '.join(f'{k} {v}' for k, v in c.text_entities.items())}]" if c.text_entities else ""
            style = {"direct_identifier": "red", "quasi_identifier": "yellow", "sensitive": "magenta", "free_text": "cyan"}.get(c.role)
            table.add_row(c.name, c.entity_type or "", c.role, f"{c.confidence:.2f}", c.evidence + extra, style=style)
        out.print(table)
        if r.malformed_rows:
            first = r.malformed[0]
            where = f"line {first['line']}, row {first['row']}" if first["line"] is not None else f"row {first['row']}"
            err.print(f"[yellow]{r.table}: {r.malformed_rows:,} record(s) could not be read and would be quarantined by "
                      f"mask (first: {where}: {first['reason']})[/yellow]", highlight=False)
    scan_meta = _scan_metadata(scans, failures)
    if report:
        write_json(report, reports, failures, scan_meta)
    if html_report:
        write_html(html_report, reports, failures)
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


@app.command()
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
    docs = load_labelled(dataset)
    reports = run_evaluation(_detector(None, None), docs, modes=("strict", "overlap"))
    if mode not in reports:
        _fail("--mode must be 'strict' or 'overlap'")
    report = reports[mode]
    if as_json:
        sys.stdout.write(json.dumps({m: r.as_dict() for m, r in reports.items()}, indent=2) + "\n")
        return
    table = Table(title=f"{dataset.name}: {len(docs)} documents, {mode} matching")
    for col in ("entity", "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(col, justify="right" if col != "entity" else "left")
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


def _key() -> bytes:
    from .masking import MissingKey, load_key

    try:
        return load_key()
    except MissingKey as exc:
        _fail(str(exc))


def _policy(path: Optional[Path]):
    from .masking import PolicyError, load_policy

    try:
        return load_policy(path)
    except PolicyError as exc:
        _fail(str(exc))


@app.command()
def mask(
    file: Path = typer.Argument(..., help="Input: CSV/TSV, .xlsx, JSON, JSONL, Parquet, or a .txt document."),
    output: Path = typer.Option(..., "--output", "-o", help="Output; the format follows the extension: .parquet, .csv, .json, .jsonl, .xlsx, or .txt for a text input."),
    policy_file: Optional[Path] = typer.Option(None, "--policy", "-p", help="Policy YAML, or a shipped one by name: statistics (default), id_scans."),
    domain: Optional[str] = typer.Option(None, "--domain", help="Pseudonym domain (overrides the policy's pseudonym_domain)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes for transforming chunks (free text is CPU-heavy)."),
    chunk_rows: int = typer.Option(50_000, "--chunk-rows", min=100, help="Rows per chunk (bounds memory)."),
) -> None:
    """Mask one file by policy, check it with the privacy gates, and publish it with a manifest.

    Needs the pseudonymisation key in PII_PIPELINE_KEY.  Nothing appears at the output path unless
    every gate passes.
    """
    from rich.progress import BarColumn, Progress, TextColumn

    from .masking import PolicyError
    from .masking.engine import PrivacyGateFailed, manifest_path, mask_file
    from .masking.writers import OutputError

    from .idscan.metadata import SCAN_FORMATS

    if file.suffix.lower() in SCAN_FORMATS:
        _mask_scan(file, output)
        return
    policy = _policy(policy_file)
    key = _key()
    if domain is not None and not __import__("re").fullmatch(r"[a-z0-9][a-z0-9_.\-]{0,63}", domain):
        _fail("--domain: lower-case letters, digits, '.', '_' and '-' only")
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,} rows"), console=err, transient=True) as progress:
            task = progress.add_task(f"masking {file.name}", total=None)
            manifest = mask_file(file, output, policy, key, chunk_rows=chunk_rows, workers=workers,
                                 domain=domain, progress=lambda n: progress.advance(task, n))
    except (InputError, PolicyError, OutputError) as exc:
        _fail(str(exc))
    except PrivacyGateFailed as exc:
        _fail(str(exc), code=3)
    rows = manifest["rows"]
    out.print(f"{output}: {rows['out']:,} of {rows['in']:,} rows written, {rows['quarantined']:,} quarantined"
              + (f" ({manifest['quarantine']['file']})" if manifest.get("quarantine", {}).get("file") else ""), highlight=False)
    for t in manifest.get("tables", []):
        table = Table(title=t["table"], title_justify="left")
        for col in ("column", "detected", "operator", "output type"):
            table.add_column(col)
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


@app.command()
def run(
    input_dir: Path = typer.Argument(..., help="Landing folder (or one file)."),
    output: Path = typer.Option(..., "--output", "-o", help="Output folder: one Parquet dataset per sub-folder."),
    policy_file: Optional[Path] = typer.Option(None, "--policy", "-p", help="Policy YAML (default: the shipped statistics policy)."),
    datasets: Optional[Path] = typer.Option(None, "--datasets", help="YAML mapping of dataset name -> file patterns."),
    quarantine: Optional[Path] = typer.Option(None, "--quarantine", help="Where bad files go (default: INPUT/_quarantine)."),
    key_secret: Optional[str] = typer.Option(None, "--key-secret", help="Name of a Prefect Secret block holding the key (default: PII_PIPELINE_KEY)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes per file for the CPU-heavy free-text masking."),
    chunk_rows: int = typer.Option(50_000, "--chunk-rows", min=100, help="Rows per chunk (bounds memory)."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Run the file tasks on a Dask cluster: its scheduler address, or 'local:N' for a local cluster of N workers."),
) -> None:
    """Run the anonymisation flow (Prefect) on a landing folder: mask every new file into partitioned Parquet datasets."""
    from .prefect_env import configure_prefect_environment

    configure_prefect_environment()
    _policy(policy_file)  # fail fast, before Prefect starts
    if not key_secret:
        _key()
    if not input_dir.exists():
        _fail(f"{input_dir}: no such folder")
    from flows.anonymise import anonymise_landing

    flow_fn = anonymise_landing
    if dask:
        from prefect_dask import DaskTaskRunner

        if dask.startswith("local:"):
            runner = DaskTaskRunner(cluster_kwargs={"n_workers": int(dask.split(":", 1)[1]), "threads_per_worker": 1, "processes": True})
        else:
            runner = DaskTaskRunner(address=dask)
        flow_fn = anonymise_landing.with_options(task_runner=runner)
    state = flow_fn(str(input_dir.resolve()), str(output.resolve()), _absolute(policy_file), _absolute(datasets),
                    _absolute(quarantine), key_secret, chunk_rows, workers, return_state=True)
    out.print(f"datasets: {output.resolve()}/<dataset>/   report: {output.resolve() / 'run_report.md'}", highlight=False)
    out.print(state.message or state.name, highlight=False)
    if not state.is_completed():
        raise typer.Exit(1)


@app.command()
def serve(
    input_dir: Path = typer.Argument(..., help="Landing folder."),
    output: Path = typer.Option(..., "--output", "-o", help="Output folder."),
    cron: str = typer.Option("0 2 * * *", "--cron", help="When to run (cron syntax, server time zone)."),
    name: str = typer.Option("nightly", "--name", help="Deployment name."),
    policy_file: Optional[Path] = typer.Option(None, "--policy", "-p"),
    datasets: Optional[Path] = typer.Option(None, "--datasets"),
    quarantine: Optional[Path] = typer.Option(None, "--quarantine"),
    key_secret: Optional[str] = typer.Option(None, "--key-secret"),
    workers: int = typer.Option(1, "--workers", "-w", min=1),
) -> None:
    """Serve the flow on a schedule against a Prefect server (PREFECT_API_URL); runs never overlap."""
    from .prefect_env import configure_prefect_environment

    configure_prefect_environment()
    _policy(policy_file)
    import os

    if not os.environ.get("PREFECT_API_URL"):
        _fail("PREFECT_API_URL is not set: start `prefect server start` and export PREFECT_API_URL=http://127.0.0.1:4200/api")
    from flows.serve import serve as serve_flow

    serve_flow(str(input_dir.resolve()), str(output.resolve()), cron, name, _absolute(policy_file), _absolute(datasets),
               _absolute(quarantine), key_secret, workers)


def _mask_scan(file: Path, output: Path) -> None:
    """An ID scan: OCR + recognizers + face detection; solid boxes; a new file without metadata."""
    from .idscan.images import mask_scan

    try:
        report = mask_scan(file, output, _detector(None, None))
    except InputError as exc:
        _fail(str(exc))
    kinds: dict = {}
    for c in report.covered:
        kinds[c["entity_type"]] = kinds.get(c["entity_type"], 0) + 1
    out.print(f"{output}: {report.pages} page(s); covered " + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "nothing"), highlight=False)
    if not report.portrait_found:
        err.print("[yellow]warning:[/yellow] no portrait found; check the output by eye")
    removed = ", ".join(f"{k} ({len(v)})" for k, v in report.metadata_removed.items())
    out.print(f"metadata removed: {removed or 'none present'}; report: {output}._report.json", highlight=False)


policy_app = typer.Typer(no_args_is_help=True, help="Write out or check a masking policy.")
app.add_typer(policy_app, name="policy")


@policy_app.command("init")
def policy_init(
    path: Path = typer.Argument(Path("policy.yaml"), help="Where to write the policy."),
    name: str = typer.Option("statistics", "--name", help="Which shipped policy: statistics or id_scans."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a shipped policy (with its comments) to a file for editing."""
    from .masking import PolicyError
    from .masking.policy import shipped_policy_text

    if path.exists() and not force:
        _fail(f"{path} exists; use --force to overwrite")
    try:
        path.write_text(shipped_policy_text(name), encoding="utf-8")
    except PolicyError as exc:
        _fail(str(exc))
    out.print(f"wrote {path}; edit it, then: pii-pipeline mask FILE -o OUT --policy {path}", highlight=False)


@policy_app.command("check")
def policy_check(path: Path = typer.Argument(..., help="Policy YAML to validate.")) -> None:
    """Validate a policy file and print its rules."""
    policy = _policy(path)
    table = Table(title=f"policy '{policy.name}' (domain {policy.pseudonym_domain})", title_justify="left")
    table.add_column("applies to")
    table.add_column("operator")
    for entity, rule in policy.entities.items():
        table.add_row(entity, rule.operator + (f" -> {rule.to}" if rule.to else ""))
    for column, rule in policy.columns.items():
        table.add_row(f"column {column}", rule.operator + (f" -> {rule.to}" if rule.to else ""))
    table.add_row("free text", policy.free_text.operator)
    table.add_row("other columns", policy.default.operator)
    out.print(table)
    k = policy.k_anonymity
    out.print(f"k-anonymity: {'k=' + str(k.k) + ' over ' + ', '.join(k.quasi_identifiers) if k.enabled else 'off'}; "
              f"residual scan: {'on' if policy.residual_scan.enabled else 'off'}", highlight=False)


if __name__ == "__main__":  # pragma: no cover
    app()
