"""Check a labelled set: markup parses, identifiers pass their checksums, spans are clean.

Independent of the detector: uses python-stdnum and simple format rules only.
Usage: .venv/bin/python tests/check_labels.py tests/data/external_nl2.txt (exit 1 on a PROBLEM; CHECK lines are for a human look)
"""
import re
import sys
from collections import Counter

from stdnum import iban
from stdnum.nl import bsn, btw

from pii_pipeline.evaluation import load_labelled

TITLES = re.compile(r"^(dhr|mevr|mw|mevrouw|meneer|heer|dr|drs|mr|ir|prof|zr|fam|opa|oma|dokter)\b\.?\s", re.I)
FORMAT = {
    "NL_AGB": re.compile(r"^\d{8}$"),
    "NL_UZOVI": re.compile(r"^\d{4}$"),
    "NL_BIG": re.compile(r"^\d{11}$"),
    "NL_KVK": re.compile(r"^\d{8}$"),
    "NL_POSTCODE": re.compile(r"^\d{4} ?[A-Za-z]{2}$"),
    "EMAIL_ADDRESS": re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$"),
    "NL_ID_DOCUMENT": re.compile(r"^[A-Z][A-Z0-9]{7}\d$"),  # passport, ID card, verblijfsdocument
}
# Digits that text groups with spaces, dots or dashes (`01-053417`): their format is checked without them.
GROUPED_DIGITS = {"NL_AGB", "NL_UZOVI", "NL_BIG", "NL_KVK"}
# Values people break with spaces or over a line (`XR 1001R5 8`, a BSN wrapped in a scan): checked without
# the whitespace, so a set can label them as written.
SPACED = {"NL_BSN", "IBAN_CODE", "NL_BTW", "NL_ID_DOCUMENT"}
CHECKSUM = {"NL_BSN": bsn.is_valid, "IBAN_CODE": iban.is_valid, "NL_BTW": btw.is_valid}


def main(path):
    docs = load_labelled(path)
    problems, warnings, counts = [], [], Counter()
    for d in docs:
        if "[[" in d.text or "]]" in d.text:
            problems.append((d.id, "unparsed markup"))
        covered = bytearray(len(d.text))
        for entity, start, end in d.spans:
            value = d.text[start:end]
            counts[entity] += 1
            covered[start:end] = b"\x01" * (end - start)
            if value != value.strip() or value[-1] in ",.;:" and entity != "PERSON":
                problems.append((d.id, f"{entity} span has edge whitespace/punctuation"))
            plain = re.sub(r"\s", "", value) if entity in SPACED else value
            if entity in CHECKSUM and not CHECKSUM[entity](plain):
                problems.append((d.id, f"{entity} fails checksum: {value}"))
            plain = re.sub(r"[ .-]", "", plain) if entity in GROUPED_DIGITS else plain
            if entity in FORMAT and not FORMAT[entity].match(plain):
                problems.append((d.id, f"{entity} bad format: {value}"))
            if entity == "PERSON" and TITLES.match(value):
                problems.append((d.id, f"PERSON starts with a title: {value}"))
        # Unlabelled things that look like identifiers: warnings for a human look.
        outside = "".join(c if not covered[i] else "\0" for i, c in enumerate(d.text))
        for m in re.finditer(r"(?<![\d\w])\d{9}(?![\d\w])", outside):
            if bsn.is_valid(m.group()):
                warnings.append((d.id, f"unlabelled 9 digits passing elfproef: {m.group()}"))
        for m in re.finditer(r"[\w.+-]+@[\w-]+\.[\w.]+", outside):
            warnings.append((d.id, f"unlabelled e-mail: {m.group()}"))
        for m in re.finditer(r"\bNL\s?\d{2}\s?[A-Z]{4}[\d ]{10,}", outside, re.I):
            warnings.append((d.id, f"unlabelled IBAN-like: {m.group()}"))
        for m in re.finditer(r"(?<!\d)0[1-9][\d -]{7,12}\d(?!\d)", outside):
            digits = re.sub(r"\D", "", m.group())
            if re.match(r"\d\d-\d\d-\d{4}", m.group()):
                continue  # a date
            if len(digits) == 10:
                warnings.append((d.id, f"unlabelled phone-like: {m.group()}"))
    print(f"{len(docs)} documents, {sum(counts.values())} spans")
    for entity, n in sorted(counts.items()):
        print(f"  {entity:18} {n}")
    for w in warnings:
        print("CHECK", *w)
    for p in problems:
        print("PROBLEM", *p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
