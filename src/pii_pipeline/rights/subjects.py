"""Who a request is about, and where a published dataset keeps its persons.

A data subject is given by a BSN or a member number.  The value lives only in
memory (``Subject.value`` is left out of ``repr``); everything the tool shows or
writes names the person by a label: the request id the user gave, or a short
*keyed* hash (an unkeyed hash of a 9-digit BSN would be reversed by trying them all).

Each published file's manifest says which output columns hold pseudonyms of
which entity type, under which pseudonym domain and key: that is how a BSN is
turned into the pseudonym to look for, per manifest.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from stdnum.nl import bsn as stdnum_bsn

from ..errors import InputError
from ..masking.pseudonyms import Pseudonymizer, key_id, normalise

ENTITIES = ("NL_BSN", "NL_MEMBER_NUMBER")   # identifiers a person can be found by
_LABEL_KEY = b"pii-pipeline/rights/subject-label\x00"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


class RightsError(Exception):
    """A request that cannot be carried out; the message names files, lines and datasets, never a value."""


@dataclass(frozen=True)
class Subject:
    label: str
    entity: str
    value: str = field(repr=False)   # normalised; never printed, logged or stored

    def pseudonym(self, pseudonymizer: Pseudonymizer) -> str:
        return pseudonymizer.pseudonym(self.entity, self.value)


def _check_identifier(entity: str, raw: str, where: str) -> str:
    value = normalise(entity, raw)
    if entity == "NL_BSN" and not (len(value) == 9 and stdnum_bsn.is_valid(value)):
        raise RightsError(f"{where}: not a valid BSN (9 digits passing the 11-test)")
    if entity == "NL_MEMBER_NUMBER" and not re.fullmatch(r"[0-9A-Z]{4,20}", value):
        raise RightsError(f"{where}: not a member number (4-20 letters or digits)")
    return value


def read_identifier_file(path: Path | str, entity: str = "NL_BSN") -> List[str]:
    """One identifier a line; blank lines and ``#`` comments skipped.  Errors name the line, not the value."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError:
        raise InputError(path, "cannot be read") from None
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None
    values = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            values.append(_check_identifier(entity, line, f"{path}, line {number}"))
    return values


def label_for(key: bytes, entity: str, value: str) -> str:
    """A short keyed hash naming a person in output: stable per key, useless without it."""
    return "s-" + hmac.new(key, _LABEL_KEY + entity.encode() + b"\x00" + value.encode(), hashlib.sha256).hexdigest()[:10]


def subjects(key: bytes, bsns: Iterable[str] = (), bsn_file: Optional[Path] = None, member_numbers: Iterable[str] = (),
             request_id: Optional[str] = None) -> List[Subject]:
    """The persons of a request, labelled by ``request_id`` (``R``, or ``R-0001``... for several) or keyed hash."""
    given: List[Tuple[str, str]] = []
    for i, raw in enumerate(bsns, 1):
        given.append(("NL_BSN", _check_identifier("NL_BSN", raw, f"--bsn #{i}")))
    if bsn_file is not None:
        given += [("NL_BSN", v) for v in read_identifier_file(bsn_file, "NL_BSN")]
    for i, raw in enumerate(member_numbers, 1):
        given.append(("NL_MEMBER_NUMBER", _check_identifier("NL_MEMBER_NUMBER", raw, f"--member-number #{i}")))
    given = list(dict.fromkeys(given))  # the same person twice is one person
    if not given:
        raise RightsError("no person given: use --bsn, --bsn-file or --member-number")
    if request_id is not None:
        if not _REQUEST_ID.fullmatch(request_id):
            raise RightsError("--request-id: letters, digits, '.', '_' and '-' only (at most 64)")
        digits = re.sub(r"\D", "", request_id)
        if any(v in request_id.upper() or (len(v) >= 8 and v in digits) for _, v in given) or _holds_bsn(digits):
            raise RightsError("--request-id must not contain the person's BSN or member number")
        if _holds_personal_data(request_id):
            raise RightsError("--request-id must not contain personal data (a name, phone number or e-mail address): "
                              "it is printed and kept in the erasure log as long as the datasets")
    out = []
    for i, (entity, value) in enumerate(given, 1):
        if request_id is None:
            label = label_for(key, entity, value)
        else:
            label = request_id if len(given) == 1 else f"{request_id}-{i:04d}"
        out.append(Subject(label, entity, value))
    return out


def _holds_personal_data(request_id: str) -> bool:
    """What the sweep finds in a name, but a number (``INC0012345``, a ticket) or a date: ``SAR-Jan-Klaassen``."""
    from ..masking.sweep import name_findings

    return bool(set(name_findings(request_id)) - {"NUMBER", "DATE"})


def _holds_bsn(digits: str) -> bool:
    return any(stdnum_bsn.is_valid(digits[i:i + 9]) for i in range(max(0, len(digits) - 8)))


# ---------------------------------------------------------------- datasets


@dataclass
class Source:
    """One published file of a dataset: its manifest, parts, and person columns (column -> entity)."""

    manifest_file: Path
    manifest: dict
    domain: str
    columns: Dict[str, str]
    text_columns: List[str] = field(default_factory=list)   # free text masked with pseudonym tokens

    @property
    def parts(self) -> List[str]:
        return list(self.manifest.get("parts", []))


def dataset_dirs(paths: Iterable[Path | str]) -> List[Path]:
    """Dataset folders from the arguments: a dataset folder itself, or an output folder holding datasets."""
    found: List[Path] = []
    for raw in paths:
        path = Path(raw)
        if (path / "_manifests").is_dir():
            found.append(path)
        elif path.is_dir():
            found += sorted(p for p in path.iterdir() if (p / "_manifests").is_dir())
        elif re.search(r"\d{4,}", path.name):  # a BSN typed where a folder belongs: never echo it
            raise RightsError("an argument is not a dataset or output folder (not shown: it holds a number)")
        else:
            raise RightsError(f"{path}: no such dataset or output folder")
    if not found:
        raise RightsError("no published dataset found in " + ", ".join(str(p) for p in paths))
    return list(dict.fromkeys(p.resolve() for p in found))


def output_root(dataset_dir: Path) -> Path:
    return Path(dataset_dir).parent


def person_columns(manifest: dict) -> Dict[str, str]:
    """Output columns holding pseudonyms of a BSN or member number (by the manifest's column plan)."""
    columns = {}
    for table in manifest.get("tables", []):
        for c in table.get("columns", []):
            if c.get("operator") == "pseudonymize" and c.get("detected") in ENTITIES and c.get("rule") != "file_names":
                columns[c["name"]] = c["detected"]
    return columns


def text_columns(manifest: dict) -> List[str]:
    """Output columns of free text masked with tokens (``<NL_BSN:3fa2b1c9d0>``, policy ``replace_with: pseudonym``)."""
    return sorted({c["name"] for table in manifest.get("tables", []) for c in table.get("columns", [])
                   if c.get("operator") == "mask_text" and c.get("replace_with") == "pseudonym"})


def sources(dataset_dir: Path, key: Optional[bytes] = None) -> List[Source]:
    """Every published table file of a dataset; with ``key``, refuses manifests made with another key."""
    mine = key_id(key) if key is not None else None
    found = []
    for path in sorted((Path(dataset_dir) / "_manifests").glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(doc, dict) or "tables" not in doc:
                continue  # an ID-scan image (or not a manifest): no rows to search
            if mine is not None and doc.get("key_id") != mine:
                raise RightsError(f"dataset '{Path(dataset_dir).name}' was published with key {doc.get('key_id')}; "
                                  f"the key given is {mine}: pseudonyms cannot be matched")
            found.append(Source(path, doc, doc.get("policy", {}).get("pseudonym_domain", "statistics"), person_columns(doc),
                                text_columns(doc)))
        except RightsError:
            raise
        except (OSError, UnicodeDecodeError, ValueError, TypeError, AttributeError, KeyError):
            # A damaged manifest: the request cannot be answered in full, so it is not answered at all.
            raise RightsError(f"dataset '{Path(dataset_dir).name}': manifest _manifests/{path.name} is damaged "
                              "(not a readable manifest); restore it before answering the request") from None
    return found


def wanted_pseudonyms(key: bytes, people: List[Subject], domain: str) -> Dict[str, Dict[str, List[int]]]:
    """entity -> pseudonym -> indexes of the subjects it belongs to, in one domain."""
    pz = Pseudonymizer(key, domain)
    wanted: Dict[str, Dict[str, List[int]]] = {}
    for i, s in enumerate(people):
        wanted.setdefault(s.entity, {}).setdefault(s.pseudonym(pz), []).append(i)
    return wanted
