"""Precision, recall and F1 per entity type on a labelled Dutch evaluation set.

Two file formats:

* ``.jsonl``: ``{"id": ..., "text": ..., "spans": [{"entity_type", "start", "end"}]}`` per line;
* annotated text (any other extension): documents separated by a line ``---``,
  entities written inline as ``[[NL_BSN:123456782]]``.

>>> text, spans = parse_annotated("BSN [[NL_BSN:123456782]] van [[PERSON:Jan]].")
>>> text, spans
('BSN 123456782 van Jan.', [('NL_BSN', 4, 13), ('PERSON', 18, 21)])

A finding is correct in ``strict`` mode when type and span are exactly those
labelled, in ``overlap`` mode when the type is right and the spans overlap.
``any-PII recall`` counts labelled spans overlapped by any finding of any type.

``coverage`` is the share of the characters of each labelled span that
findings of the same type cover, averaged over the labelled spans (per entity
type, and over all of them for ``micro``): a name found without its surname
counts as half found.  It is the same in both modes.

>>> text, gold = parse_annotated("Mevrouw [[PERSON:Jansen-de Wit]] belde.")
>>> r = score_documents([LabelledDoc("d", text, gold)], [[("PERSON", 8, 14)]])
>>> r.per_entity["PERSON"].coverage, r.per_entity["PERSON"].tp
(0.4615..., 0)
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

from recognizers.entities import ENTITY_NAMES

Span = Tuple[str, int, int]
_MARK = re.compile(r"\[\[([A-Z_]+):(.+?)\]\]", re.DOTALL)


@dataclass
class LabelledDoc:
    id: str
    text: str
    spans: List[Span]


class MarkupError(ValueError):
    """Annotated text whose ``[[TYPE:value]]`` marks do not parse; ``offset`` is where, in the annotated text."""

    def __init__(self, reason: str, offset: int) -> None:
        super().__init__(reason)
        self.offset = offset


def parse_annotated(annotated: str) -> Tuple[str, List[Span]]:
    out, spans, pos = [], [], 0
    length = 0
    for m in _MARK.finditer(annotated):
        before = annotated[pos:m.start()]
        _no_stray_marks(before, pos)
        out.append(before)
        length += len(before)
        entity, value = m.group(1), m.group(2)
        if "[[" in value:
            raise MarkupError("a '[[' mark inside another (marks cannot nest)", m.start())
        if entity not in ENTITY_NAMES:
            raise MarkupError(f"unknown entity type {entity!r} in a mark", m.start())
        spans.append((entity, length, length + len(value)))
        out.append(value)
        length += len(value)
        pos = m.end()
    _no_stray_marks(annotated[pos:], pos)
    out.append(annotated[pos:])
    return "".join(out), spans


def _no_stray_marks(text: str, offset: int) -> None:
    """Text between marks holds no half mark: an unclosed ``[[`` would be scored as text."""
    for token, reason in (("[[", "'[[' without its ']]' (or without 'TYPE:')"), ("]]", "']]' without its '[['")):
        at = text.find(token)
        if at >= 0:
            raise MarkupError(reason, offset + at)


def load_labelled(path: Path) -> List[LabelledDoc]:
    """The documents of a labelled set; bad markup or spans are an :class:`InputError` naming the line, never a value."""
    from .errors import InputError

    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None
    if path.suffix == ".jsonl":
        return [_jsonl_doc(path, n, line) for n, line in enumerate(content.splitlines(), 1) if line.strip()]
    docs: List[LabelledDoc] = []
    starts = [0] + [m.end() for m in re.finditer(r"^---\s*$", content, flags=re.MULTILINE)]
    blocks = re.split(r"^---\s*$", content, flags=re.MULTILINE)
    for n, (block, start) in enumerate(zip(blocks, starts), 1):
        lead = len(block) - len(block.lstrip("\n"))
        block = block.strip("\n")
        if block.strip() and not _is_comment(block):
            try:
                text, spans = parse_annotated(block)
            except MarkupError as exc:
                line = content.count("\n", 0, start + lead + exc.offset) + 1
                raise InputError(path, str(exc), line=line) from None
            docs.append(LabelledDoc(f"{path.stem}:{n}", text, spans))
    return docs


def _is_comment(block: str) -> bool:
    """A block is a comment only when every line of it is: a document may open with a Markdown heading."""
    return all(line.lstrip().startswith("#") for line in block.splitlines() if line.strip())


def _jsonl_doc(path: Path, n: int, line: str) -> LabelledDoc:
    from .errors import InputError

    try:
        rec = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        raise InputError(path, "not valid JSON", line=n) from None
    if not isinstance(rec, dict):
        raise InputError(path, "not a JSON object", line=n)
    text, spans = rec.get("text"), rec.get("spans")
    if not isinstance(text, str) or not isinstance(spans, list):
        raise InputError(path, "needs a string 'text' and a list 'spans'", line=n)
    out: List[Span] = []
    for i, s in enumerate(spans, 1):
        if not isinstance(s, dict) or s.get("entity_type") not in ENTITY_NAMES:
            raise InputError(path, f"span {i}: needs an 'entity_type' of a known type", line=n)
        start, end = s.get("start"), s.get("end")
        if not (type(start) is int and type(end) is int and 0 <= start < end <= len(text)):
            raise InputError(path, f"span {i}: start and end are outside the text or reversed", line=n)
        out.append((s["entity_type"], start, end))
    return LabelledDoc(str(rec.get("id", n)), text, out)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    covered: float = 0.0  # sum over labelled spans of the share of their characters found
    labelled: int = 0

    @property
    def coverage(self) -> float:
        return self.covered / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4), "coverage": round(self.coverage, 4)}


@dataclass
class EvaluationReport:
    mode: str
    per_entity: Dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    micro: Counts = field(default_factory=Counts)
    any_pii_found: int = 0
    any_pii_total: int = 0
    errors: List[dict] = field(default_factory=list)  # (doc id, kind, type, start, end): offsets only

    @property
    def any_pii_recall(self) -> float:
        return self.any_pii_found / self.any_pii_total if self.any_pii_total else 1.0

    def as_dict(self) -> dict:
        return {
            "mode": self.mode,
            "entities": {k: v.as_dict() for k, v in sorted(self.per_entity.items())},
            "micro": self.micro.as_dict(),
            "any_pii_recall": round(self.any_pii_recall, 4),
        }


def _overlaps(a: Span, b: Span) -> bool:
    return a[1] < b[2] and b[1] < a[2]


def _add_coverage(report: "EvaluationReport", doc: LabelledDoc, gold: List[Span], predicted: List[Span]) -> None:
    """Add each labelled span's covered share (one byte per character and type: linear)."""
    marks: Dict[str, bytearray] = {}
    size = max([len(doc.text)] + [p[2] for p in predicted] + [g[2] for g in gold])
    for entity, start, end in predicted:
        mark = marks.setdefault(entity, bytearray(size))
        mark[start:end] = b"\x01" * max(0, end - start)
    for entity, start, end in gold:
        length = end - start
        share = marks[entity].count(b"\x01", start, end) / length if entity in marks and length > 0 else 0.0
        for counts in (report.per_entity[entity], report.micro):
            counts.covered += share
            counts.labelled += 1


def score_documents(docs: Iterable[LabelledDoc], predictions: Iterable[List[Span]], mode: str = "strict") -> EvaluationReport:
    report = EvaluationReport(mode)
    for doc, predicted in zip(docs, predictions):
        gold = list(doc.spans)
        matched_gold = set()
        for p in predicted:
            hit = None
            for i, g in enumerate(gold):
                if i in matched_gold or g[0] != p[0]:
                    continue
                if (mode == "strict" and g == p) or (mode == "overlap" and _overlaps(g, p)):
                    hit = i
                    break
            if hit is None:
                report.per_entity[p[0]].fp += 1
                report.micro.fp += 1
                report.errors.append({"doc": doc.id, "kind": "fp", "entity_type": p[0], "start": p[1], "end": p[2]})
            else:
                matched_gold.add(hit)
                report.per_entity[p[0]].tp += 1
                report.micro.tp += 1
        _add_coverage(report, doc, gold, predicted)
        for i, g in enumerate(gold):
            if i not in matched_gold:
                report.per_entity[g[0]].fn += 1
                report.micro.fn += 1
                report.errors.append({"doc": doc.id, "kind": "fn", "entity_type": g[0], "start": g[1], "end": g[2]})
            report.any_pii_total += 1
            if any(_overlaps(g, p) for p in predicted):
                report.any_pii_found += 1
    return report


def evaluate(detector, docs: List[LabelledDoc], modes=("strict", "overlap")) -> Dict[str, EvaluationReport]:
    predictions = [[(f.entity_type, f.start, f.end) for f in detector.detect(d.text)] for d in docs]
    return {mode: score_documents(docs, predictions, mode) for mode in modes}
