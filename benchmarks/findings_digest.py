"""Dump every finding of the detector on a fixed corpus, to prove a speed change changes nothing.

    python benchmarks/findings_digest.py OUT.jsonl          # write the findings
    python benchmarks/findings_digest.py OUT.jsonl --check  # compare with a dump made before

The corpus: every labelled set in tests/data/*.txt, the notes of bench_detect.py and of
tests/notes_corpus.py, the public test vectors (alone and in a sentence), and the hostile
inputs of bench_detect.py --pathological at 3 KB.  Each line is one text: its name, the
engine's findings (entity, start, end, score) and, per recognizer, its raw results, so a
difference is traced to the recognizer that made it.  Prints a digest of the whole dump.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]


def corpus():
    from bench_detect import PATHOLOGICAL, make_notes
    from notes_corpus import make_notes as corpus_notes
    from pii_pipeline.evaluation import load_labelled

    for path in sorted((ROOT / "tests" / "data").glob("*.txt")):
        for doc in load_labelled(path):
            yield doc.id, doc.text
    for n, note in enumerate(make_notes(3000)):
        yield f"bench:{n}", note
    for n, note in enumerate(corpus_notes()[0]):
        yield f"notes_corpus:{n}", note
    vectors = json.loads((ROOT / "tests" / "data" / "identifier_vectors.json").read_text(encoding="utf-8"))
    for entity, kinds in vectors.items():
        if entity == "sources":
            continue
        for kind, values in kinds.items():
            for n, value in enumerate(values):
                yield f"vector:{entity}:{kind}:{n}", value
                yield f"vector-in-text:{entity}:{kind}:{n}", f"Gegevens van de klant: {value}, graag controleren."
    for name, unit in PATHOLOGICAL.items():
        yield f"hostile:{name}", unit * (3000 // len(unit))


def dump(out):
    from pii_pipeline.detection import get_detector

    detector = get_detector()
    recognizers = detector.analyzer.registry.get_recognizers(language="nl", entities=detector.entities)
    digest = hashlib.sha256()
    for name, text in corpus():
        findings = [[f.entity_type, f.start, f.end, round(f.score, 6)] for f in detector.detect(text)]
        raw = {type(r).__name__: sorted([x.entity_type, x.start, x.end, round(x.score, 6)] for x in r.analyze(text, detector.entities, None))
               for r in recognizers}
        line = json.dumps({"text": name, "findings": findings, "raw": raw}, ensure_ascii=False, sort_keys=True)
        digest.update(line.encode())
        out.write(line + "\n")
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--check", action="store_true", help="compare with the dump at PATH instead of writing it")
    args = parser.parse_args()
    if not args.check:
        with args.path.open("w", encoding="utf-8") as out:
            print(dump(out))
        return
    import io

    buf = io.StringIO()
    print(dump(buf))
    new = buf.getvalue().splitlines()
    old = args.path.read_text(encoding="utf-8").splitlines()
    diffs = [(a, b) for a, b in zip(old, new) if a != b]
    if len(old) != len(new):
        print(f"DIFFERENT: {len(old)} texts before, {len(new)} now")
    for a, b in diffs[:10]:
        a, b = json.loads(a), json.loads(b)
        print("DIFFERENT:", a["text"])
        if a["findings"] != b["findings"]:
            print("  findings before:", a["findings"], "\n  findings now:   ", b["findings"])
        for rec in sorted(set(a["raw"]) | set(b["raw"])):
            if a["raw"].get(rec) != b["raw"].get(rec):
                print(f"  {rec} before:", a["raw"].get(rec), "\n  now:   ", b["raw"].get(rec))
    print(f"{len(diffs)} of {len(old)} texts differ" if diffs or len(old) != len(new) else f"identical ({len(old)} texts)")
    sys.exit(1 if diffs or len(old) != len(new) else 0)


if __name__ == "__main__":
    main()
