"""The same text gives the same findings in every process, whatever its hash seed.

Set and dict order of strings changes with PYTHONHASHSEED; ties between
findings (a name that is also a place, after a title) must be broken by the
fixed rule in ``resolve_overlaps``, never by that order.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from pii_pipeline.detection.engine import Finding, resolve_overlaps

DATA = Path(__file__).resolve().parent / "data"
TIES = [
    "Mevrouw Amsterdam belde.", "Dhr. Rotterdam belde", "Naam: Zwolle", "Patiënt Groningen", "Beste Almere,",
    "Mevrouw Oukili en dr. Maastricht", "De heer Eindhoven woont in Eindhoven.", "Van Utrecht naar De Bilt.",
]
SCRIPT = """
import json, sys
from pii_pipeline.detection import get_detector
from pii_pipeline.evaluation import load_labelled
texts = [d.text for name in sys.argv[1:-1] for d in load_labelled(name)] + json.loads(sys.argv[-1])
d = get_detector()
print(json.dumps([[f.to_dict() for f in d.detect(t)] for t in texts]))
"""


def _findings(seed: str) -> list:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    files = [str(DATA / n) for n in ("eval_nl.txt", "holdout_nl.txt", "external_nl.txt")]
    out = subprocess.run([sys.executable, "-c", SCRIPT, *files, json.dumps(TIES)], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_same_findings_with_different_hash_seeds():
    first, second = _findings("1"), _findings("2")
    assert first == second
    assert sum(map(len, first)) > 500  # the corpus was really analysed


def test_ties_broken_by_fixed_rule():
    person, place = Finding("PERSON", 8, 17, 0.85), Finding("LOCATION", 8, 17, 0.85)
    assert resolve_overlaps([person, place]) == resolve_overlaps([place, person]) == [person]
    # higher score, then longer span, win before the type priority
    assert resolve_overlaps([person, Finding("LOCATION", 8, 17, 0.9)]) == [Finding("LOCATION", 8, 17, 0.9)]
    assert resolve_overlaps([person, Finding("LOCATION", 8, 20, 0.85)]) == [Finding("LOCATION", 8, 20, 0.85)]
    # the same type and score, same length: the earlier start
    assert resolve_overlaps([Finding("PERSON", 9, 18, 0.85), person]) == [person]
