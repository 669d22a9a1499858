"""Mechanical checks on an annotated evaluation set ([[TYPE:text]] inline, documents split by ---).

Usage: python scripts/check_labelled_set.py tests/data/external_nl.txt [...]

Checks: markers well-formed, entity types known, BSNs pass the elfproef, IBANs mod-97, btw-ids
valid, postcodes well-formed, PERSON spans without titles; and lists unlabelled text that looks like
a valid BSN / IBAN / e-mail / postcode / phone / IP, so that each such negative is a deliberate one.
Does not use the detector.
"""
import re
import sys

from stdnum import iban
from stdnum.nl import bsn, btw

TYPES = {"NL_BSN", "IBAN_CODE", "NL_UZOVI", "NL_AGB", "DATE_OF_BIRTH", "NL_POSTCODE", "PHONE_NUMBER",
         "EMAIL_ADDRESS", "IP_ADDRESS", "NL_ID_DOCUMENT", "NL_BIG", "NL_KVK", "NL_BTW",
         "NL_MEMBER_NUMBER", "PERSON", "ADDRESS", "LOCATION"}
MARK = re.compile(r"\[\[([A-Z_]+):(.+?)\]\]", re.DOTALL)
TITLES = re.compile(r"^(dr|drs|mr|ir|ing|prof|dhr|mevr|mw|mevrouw|meneer|de heer|fam|familie|juf|meester|dokter|zuster|tante|oom)\b\.?\s", re.I)
POSTCODE = re.compile(r"^[1-9]\d{3} ?([A-Za-z]{2})$")


def check(path):
    text = open(path, encoding="utf-8").read()
    blocks = [b.strip("\n") for b in re.split(r"^---\s*$", text, flags=re.M)]
    docs = [b for b in blocks if b.strip() and not b.lstrip().startswith("#")]
    problems, warnings, counts = [], [], {}
    for n, doc in enumerate(docs, 1):
        where = f"{path} doc {n}"
        plain = MARK.sub(lambda m: "\x00" * len(m.group(2)), doc)
        if "[[" in plain or "]]" in plain:
            problems.append(f"{where}: stray [[ or ]]")
        for m in MARK.finditer(doc):
            typ, val = m.group(1), m.group(2)
            counts[typ] = counts.get(typ, 0) + 1
            if typ not in TYPES:
                problems.append(f"{where}: unknown type {typ}")
            if val != val.strip() or "\n" in val or "[[" in val:
                problems.append(f"{where}: bad span {val!r}")
            digits = re.sub(r"\D", "", val)
            if typ == "NL_BSN" and not (len(digits) in (8, 9) and bsn.is_valid(digits.zfill(9))):
                problems.append(f"{where}: BSN fails elfproef {val}")
            if typ == "IBAN_CODE" and not iban.is_valid(re.sub(r"[\s-]", "", val)):
                problems.append(f"{where}: IBAN invalid {val}")
            if typ == "NL_BTW" and not btw.is_valid(val):
                problems.append(f"{where}: btw invalid {val}")
            if typ == "NL_POSTCODE":
                pm = POSTCODE.match(val)
                if not pm or pm.group(1).upper() in ("SA", "SD", "SS"):
                    problems.append(f"{where}: postcode malformed {val}")
            if typ == "NL_BIG" and len(digits) != 11:
                problems.append(f"{where}: BIG not 11 digits {val}")
            if typ == "NL_AGB" and (len(digits) != 8 or digits.startswith("00")):
                problems.append(f"{where}: AGB malformed {val}")
            if typ == "NL_UZOVI" and len(digits) != 4:
                problems.append(f"{where}: UZOVI not 4 digits {val}")
            if typ == "NL_KVK" and len(digits) != 8:
                problems.append(f"{where}: KvK not 8 digits {val}")
            if typ == "NL_ID_DOCUMENT" and not re.fullmatch(r"[A-NP-Z]{2}[A-NP-Z0-9]{6}[0-9]", val):
                problems.append(f"{where}: ID document malformed {val}")
            if typ == "PERSON" and TITLES.match(val):
                problems.append(f"{where}: PERSON span starts with a title {val!r}")
            if typ == "EMAIL_ADDRESS" and not re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", val):
                problems.append(f"{where}: e-mail malformed {val}")
        # unlabelled look-alikes (plain has labelled spans blanked out)
        for m in re.finditer(r"(?<![\w.,-])(\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3}|\d{9})(?![\w-]|[.,]\d)", plain):
            d = re.sub(r"\D", "", m.group(1))
            if bsn.is_valid(d):
                ctx = plain[max(0, m.start() - 40):m.start()].replace("\n", " ")
                warnings.append(f"{where}: unlabelled elfproef-valid number {m.group(1)} after '...{ctx}'")
        for m in re.finditer(r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?\b", plain):
            if iban.is_valid(re.sub(r"[\s-]", "", m.group(0))):
                warnings.append(f"{where}: unlabelled valid IBAN {m.group(0)}")
        for pat, what in [(r"[\w.+-]+@[\w-]+\.[\w.-]+", "e-mail"), (r"\b[1-9]\d{3} ?[A-Z]{2}\b", "postcode-like"),
                          (r"(?<![\d-])(?:\+31|0031|0)[\s-]?(?:\(0\)[\s-]?)?\d(?:[\s-]?\d){8}(?!\d)", "phone-like"),
                          (r"\b\d{1,3}(?:\.\d{1,3}){3}\b", "IPv4-like")]:
            for m in re.finditer(pat, plain):
                warnings.append(f"{where}: unlabelled {what} {m.group(0)!r}")
    return len(docs), counts, problems, warnings


if __name__ == "__main__":
    bad = False
    for p in sys.argv[1:]:
        n, counts, problems, warnings = check(p)
        print(f"{p}: {n} documents, {sum(counts.values())} spans")
        for k in sorted(counts):
            print(f"  {k:18} {counts[k]}")
        for w in warnings:
            print("  note:", w)
        for pr in problems:
            print("  PROBLEM:", pr)
        bad |= bool(problems)
    sys.exit(1 if bad else 0)
