"""Vektis EI declaration files: fixed-width records read by a layout per standard and version.

An EI file (``externe integratie``: MZ301 mondzorg, PM304 paramedische zorg, AP304 farmacie and
their return messages) holds one record per line, every line as long as its standard says; the
first two characters name the record type (``01`` voorloop, ``02`` verzekerde, ``03`` debiteur,
``04`` prestatie, ``98`` commentaar, ``99`` sluit).  Positions 3-5 of the voorlooprecord hold the
code of the EI message and 6-9 its version: that picks the layout, whatever the file is called.

Layouts are data, one CSV per standard and version in ``ei_layouts/`` (element code, name, start,
length, type N/AN/D, the debit/credit element that signs an amount), each naming its public
source.  A newer version is one more file.

Reading gives one table per record type (``file.asc#prestatie``), one row per record, numbered by
its line in the file, with typed values as text: dates ``JJJJMMDD`` as ISO dates, amounts in cents
as signed decimals (``-12.50`` when the debit/credit element says ``C``), counts as integers,
codes unchanged (leading zeros kept), text without its padding.  Every record below a
verzekerdenrecord carries ``verzekerde_id``, the identificatie detailrecord of that verzekerde.

Checked while reading, each failure an :class:`InputError` naming the line: the line length of
every record, the record order (voorloop first, sluit last, prestaties under a verzekerde), and the
sluitrecord's counts per record type and total declared amount against the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import numpy as np
import pandas as pd

from ..errors import InputError

LAYOUT_PACKAGE = "pii_pipeline.io"
LAYOUT_DIR = "ei_layouts"
VERZEKERDE_ID = "verzekerde_id"
_VOORLOOP = re.compile(rb"^01(\d{3})(\d{2})(\d{2})[A-Za-z ]")
_SKIPPED = ("COD001", "TEC007")   # kenmerk record (the table says it) and reserve (blank by definition)


@dataclass(frozen=True)
class Element:
    record: str
    code: str
    name: str
    start: int          # 1-based
    length: int
    type: str           # N | AN | D
    sign: str = ""      # name of the debit/credit element that signs this amount

    @property
    def column(self) -> str:
        return column_name(self.name)

    @property
    def kind(self) -> str:
        """amount (cents), count, date, code (N, kept as written) or text (AN)."""
        if self.type == "D":
            return "date"
        if self.type == "N" and (self.sign or self.code.startswith("BED")):
            return "amount"
        if self.type == "N" and (self.code.startswith("ANT") or self.name.lower().startswith(("aantal", "totaal aantal"))):
            return "count"
        return "code" if self.type == "N" else "text"


@dataclass
class RecordLayout:
    code: str
    name: str
    elements: List[Element] = field(default_factory=list)

    def element(self, name: str) -> Element:
        for e in self.elements:
            if e.name == name:
                return e
        raise KeyError(name)

    @property
    def fields(self) -> List[tuple]:
        """(element, column, kind, start, end, sign start, sign end) per output element, computed once."""
        if not hasattr(self, "_fields"):
            out = []
            for e in self.elements:
                if e.code in _SKIPPED:
                    continue
                s = self.element(e.sign) if e.sign else None
                out.append((e, e.column, e.kind, e.start - 1, e.start - 1 + e.length,
                            s.start - 1 if s else 0, s.start - 1 + s.length if s else 0))
            self._fields = out
        return self._fields


@dataclass
class Layout:
    standard: str
    version: str
    message_code: str
    description: str
    line_length: int
    records: Dict[str, RecordLayout]
    counts: Dict[str, str]                  # record type (or "detail") -> sluitrecord element counting it
    totals: List[Tuple[str, str, str]]      # (sluitrecord element, record type, element summed)
    source: str
    file: str

    @property
    def label(self) -> str:
        return f"{self.standard} {self.version}"

    def columns(self, record: str) -> List[str]:
        cols = [e.column for e in self.records[record].elements if e.code not in _SKIPPED]
        return cols + ([VERZEKERDE_ID] if record not in ("01", "02", "99") else [])


def column_name(name: str) -> str:
    """The standard's element name as a column: ``Burgerservicenummer (BSN) verzekerde`` ->
    ``burgerservicenummer_bsn_verzekerde``.

    >>> column_name("Indicatie debet/credit (01)"), column_name("UZOVI-nummer")
    ('indicatie_debet_credit_01', 'uzovi_nummer')
    """
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def _parse_layout(text: str, file: str) -> Layout:
    meta: Dict[str, List[str]] = {}
    body = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            meta.setdefault(key.strip(), []).append(value.strip())
        elif line.strip():
            body.append(line)
    one = lambda key: meta[key][0]
    names = dict(pair.split("=", 1) for pair in one("records").split())
    records = {code: RecordLayout(code, name) for code, name in names.items()}
    for row in csv.DictReader(io.StringIO("\n".join(body))):
        element = Element(row["record"], row["code"], row["name"], int(row["start"]), int(row["length"]), row["type"], row["sign"] or "")
        if element.record not in records:
            raise ValueError(f"{file}: record {element.record} is not in the records line")
        records[element.record].elements.append(element)
    counts = {key.split()[1]: value[0] for key, value in meta.items() if key.startswith("count ")}
    totals = []
    for spec in meta.get("total", []):
        sluit, _, summed = spec.partition("=")
        record, _, element = summed.strip().partition(" ")
        totals.append((sluit.strip(), record, element.strip()))
    layout = Layout(one("standard"), one("version"), one("message_code"), one("description"), int(one("line_length")),
                    records, counts, totals, one("source"), file)
    check_layout(layout)
    return layout


def check_layout(layout: Layout) -> None:
    """Starts plus lengths tile every record exactly; every reference names an element that exists."""
    for record in layout.records.values():
        position = 1
        for e in record.elements:
            if e.start != position:
                raise ValueError(f"{layout.file}: record {record.code} element '{e.name}' starts at {e.start}, expected {position}")
            if e.type not in ("N", "AN", "D") or (e.type == "D" and e.length != 8):
                raise ValueError(f"{layout.file}: record {record.code} element '{e.name}' has type {e.type}/{e.length}")
            if e.sign:
                record.element(e.sign)
            position += e.length
        if position - 1 != layout.line_length:
            raise ValueError(f"{layout.file}: record {record.code} covers {position - 1} positions, the line has {layout.line_length}")
    sluit = layout.records["99"]
    for name in layout.counts.values():
        sluit.element(name)
    for name, record, summed in layout.totals:
        sluit.element(name)
        layout.records[record].element(summed)


@lru_cache(maxsize=1)
def layouts() -> Dict[Tuple[str, str], Layout]:
    """Every shipped layout, by (message code, version ``1.3``)."""
    found = {}
    for entry in sorted(resources.files(LAYOUT_PACKAGE).joinpath(LAYOUT_DIR).iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".csv") and entry.name != "pii_elements.csv":
            layout = _parse_layout(entry.read_text(encoding="utf-8"), entry.name)
            found[(layout.message_code, layout.version)] = layout
    return found


@lru_cache(maxsize=1)
def element_entities() -> Dict[str, str]:
    """Column name -> what the standard says the element holds (see ``ei_layouts/pii_elements.csv``)."""
    text = resources.files(LAYOUT_PACKAGE).joinpath(LAYOUT_DIR, "pii_elements.csv").read_text(encoding="utf-8")
    by_key = {row["element"]: row["entity"] for row in csv.DictReader(l for l in text.splitlines() if not l.startswith("#"))}
    out: Dict[str, str] = {}
    for layout in layouts().values():
        for record in layout.records.values():
            for e in record.elements:
                entity = by_key.get(e.code) or by_key.get(e.name) or ""
                if out.get(e.column) in (None, ""):
                    out[e.column] = entity
    out[VERZEKERDE_ID] = "NOT_PII"
    return out


def element_entity(column: str) -> Optional[str]:
    """What an EI column holds by the standard: an entity, ``""`` for an element the standard
    gives no personal meaning (its values alone decide), or None for a column that is no EI element.

    >>> element_entity("burgerservicenummer_bsn_verzekerde"), element_entity("declaratiebedrag_incl_btw"), element_entity("bsn")
    ('NL_BSN', '', None)
    """
    return element_entities().get(column)


def sniff(path: Path) -> Optional[Tuple[str, str, str]]:
    """(message code, version, sub-version) when the file starts with an EI voorlooprecord, else None."""
    try:
        with Path(path).open("rb") as f:
            head = f.read(19)
    except OSError:
        return None
    m = _VOORLOOP.match(head.removeprefix(codecs.BOM_UTF8))   # a file saved by Notepad starts with a BOM
    return (m.group(1).decode(), m.group(2).decode(), m.group(3).decode()) if m else None


def is_ei_file(path: Path) -> bool:
    return Path(path).is_file() and sniff(path) is not None


def layout_for(path: Path) -> Layout:
    found = sniff(path)
    if found is None:
        raise InputError(path, "not a Vektis EI file (no voorlooprecord on line 1)", line=1)
    code, major, minor = found
    version = f"{int(major)}.{int(minor)}"
    layout = layouts().get((code, version))
    if layout is None:
        known = ", ".join(f"{l.label} (code {l.message_code})" for l in layouts().values())
        raise InputError(path, f"EI message code {code} version {version} has no layout; known: {known}", line=1)
    return layout


# ---------------------------------------------------------------- reading

@lru_cache(maxsize=1 << 16)  # dates repeat: a declaration spans a month, birth dates a few decades
def _date(raw: str) -> str:
    if not raw.strip() or raw == "00000000":
        return ""
    try:
        return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8])).isoformat()
    except ValueError:
        return raw  # left as written: masking quarantines what is not a date, never guesses one


def _cents(path: Path, number: int, e: Element, raw: str) -> int:
    if not raw.strip():
        return 0
    if not raw.isdigit():
        raise InputError(path, f"{e.name} ({e.code or 'element'}) at position {e.start} is not a number of cents", line=number)
    return int(raw)


def _euros(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def parse_record(path: Path, number: int, line: str, record: RecordLayout) -> Tuple[dict, Dict[str, int]]:
    """The typed values of one record, and its signed amounts in cents by element name."""
    values, amounts = {}, {}
    for e, column, kind, a, b, sa, sb in record.fields:
        raw = line[a:b]
        if kind == "amount":
            cents = _cents(path, number, e, raw) * (-1 if sb and line[sa:sb] == "C" else 1)
            amounts[e.name] = cents
            values[column] = _euros(cents) if raw.strip() else ""
        elif kind == "date":
            values[column] = _date(raw)
        elif kind == "count":
            values[column] = str(int(raw)) if raw.isdigit() else raw.strip()
        elif kind == "code":
            values[column] = raw if raw.strip() else ""
        else:
            values[column] = raw.rstrip()
    return values, amounts


def _encoding(path: Path) -> str:
    from .tables import detect_encoding

    with path.open("rb") as f:
        head = f.read(256 * 1024)
    return detect_encoding(path, head)


def _lines(path: Path, encoding: Optional[str] = None) -> Iterator[Tuple[int, str]]:
    """(line number, text) without line ends; one pass, any of CRLF/LF, latin-1 or UTF-8."""
    encoding = encoding or _encoding(path)
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(path, f"not valid {encoding}", line=number) from None
            yield number, text.rstrip("\r\n").removeprefix("\ufeff") if number == 1 else text.rstrip("\r\n")


def _plain(encoding: str) -> str:
    return "utf-8" if encoding.lower().replace("_", "-") in ("utf-8-sig", "utf8") else encoding


def _byte_length(line: str, encoding: str) -> int:
    try:
        return len(line.encode(_plain(encoding)))
    except UnicodeEncodeError:
        return -1


def _decoded(path: Path, number: int, values: dict, record: "RecordLayout", encoding: str) -> dict:
    """Values read from byte positions (each byte a latin-1 character) back to text; an element that ends in
    the middle of a character cannot be read alone: an error naming the element, never its bytes."""
    names = {e.column: e.name for e in record.elements}
    out = {}
    for column, value in values.items():
        try:
            out[column] = value.encode("latin-1").decode(_plain(encoding))
        except UnicodeDecodeError:
            raise InputError(path, f"element '{names.get(column, column)}' splits a character in two (positions are "
                                   "bytes: the record is as long as its standard says, but a character spans two elements)",
                             line=number) from None
    return out


@dataclass
class _Checks:
    """What the sluitrecord must agree with, gathered while reading."""

    counts: Dict[str, int] = field(default_factory=dict)
    sums: Dict[Tuple[str, str], int] = field(default_factory=dict)
    sluit: Optional[Tuple[int, dict, Dict[str, int]]] = None


def _check_order(path: Path, number: int, code: str, previous: Optional[str], in_verzekerde: bool, layout: Layout) -> None:
    if previous is None and code != "01":
        raise InputError(path, f"the first record must be a voorlooprecord (01), not {code}", line=number)
    if previous is not None and code == "01":
        raise InputError(path, "a second voorlooprecord (01)", line=number)
    if previous == "99":
        raise InputError(path, "a record after the sluitrecord (99)", line=number)
    if code in ("03", "04") and not in_verzekerde:
        name = layout.records[code].name
        raise InputError(path, f"a {name}record ({code}) before any verzekerdenrecord (02)", line=number)


def read_ei(path: Path | str, chunk_rows: int = 50_000, bad_rows: str = "error") -> Iterator:
    """Chunks per record type (``TableChunk``), in file order of the record types; see the module."""
    from .tables import TableChunk

    path = Path(path)
    layout = layout_for(path)
    buffers: Dict[str, Tuple[list, list]] = {code: ([], []) for code in layout.records}
    checks = _Checks()
    previous: Optional[str] = None
    verzekerde = ""
    last = 0

    def flush(code: str) -> Iterator:
        rows, numbers = buffers[code]
        if rows:
            frame = pd.DataFrame(rows, columns=layout.columns(code), dtype=str)
            yield TableChunk(frame, path, f"{path.name}#{layout.records[code].name}", numbers[0], [], np.array(numbers, dtype=np.int64))
            buffers[code] = ([], [])

    encoding = _encoding(path)
    for number, line in _lines(path, encoding):
        if not line.strip() or line == "\x1a":   # a blank last line or a DOS end-of-file mark
            continue
        last = number
        code = line[:2]
        record = layout.records.get(code)
        if record is None:
            what = f"record type '{code}'" if code.isdigit() else "a record type that is not two digits"  # never file text
            raise InputError(path, f"{what} is not in the {layout.label} layout (known: {', '.join(sorted(layout.records))})", line=number)
        by_bytes = len(line) != layout.line_length and _byte_length(line, encoding) == layout.line_length
        if len(line) != layout.line_length and not by_bytes:
            raise InputError(path, f"{record.name}record ({code}) has {len(line)} characters; {layout.label} records have "
                                   f"{layout.line_length}", line=number)
        _check_order(path, number, code, previous, bool(verzekerde), layout)
        if by_bytes:  # positions counted in bytes (a UTF-8 writer padding to 310 bytes): one character a byte
            values, amounts = parse_record(path, number, line.encode(_plain(encoding)).decode("latin-1"), record)
            values = _decoded(path, number, values, record, encoding)
        else:
            values, amounts = parse_record(path, number, line, record)
        checks.counts[code] = checks.counts.get(code, 0) + 1
        for name, cents in amounts.items():
            checks.sums[(code, name)] = checks.sums.get((code, name), 0) + cents
        if code == "02":
            verzekerde = values["identificatie_detailrecord"]
        if code == "99":
            checks.sluit = (number, values, amounts)
        else:
            if code not in ("01", "02"):
                values[VERZEKERDE_ID] = verzekerde
            buffers[code][0].append(values)
            buffers[code][1].append(number)
            if len(buffers[code][0]) >= chunk_rows:
                yield from flush(code)
        previous = code
    if checks.sluit is None:
        raise InputError(path, "the file ends without a sluitrecord (99)", line=last + 1)
    _check_sluit(path, layout, checks)
    for code in layout.records:
        if code != "99":
            yield from flush(code)
    number, values, _ = checks.sluit
    frame = pd.DataFrame([values], columns=layout.columns("99"), dtype=str)
    yield TableChunk(frame, path, f"{path.name}#{layout.records['99'].name}", number, [], np.array([number], dtype=np.int64))


def _check_sluit(path: Path, layout: Layout, checks: _Checks) -> None:
    number, _, declared_amounts = checks.sluit
    sluit = layout.records["99"]
    for what, name in layout.counts.items():
        e = sluit.element(name)
        declared = checks.sluit[1][e.column]
        if declared == "":
            continue  # an optional count left blank
        actual = sum(n for c, n in checks.counts.items() if c not in ("01", "99")) if what == "detail" else checks.counts.get(what, 0)
        if not declared.isdigit() or int(declared) != actual:
            kind = "detail records" if what == "detail" else f"records of type {what}"
            says = declared if declared.isdigit() else "no number"  # never file text
            raise InputError(path, f"sluitrecord: {name} says {says}, the file has {actual} {kind}", line=number)
    for name, record, summed in layout.totals:
        declared = declared_amounts.get(name, 0)
        actual = checks.sums.get((record, summed), 0)
        if declared != actual:
            raise InputError(path, f"sluitrecord: {name} says {_euros(declared)}, the {summed.lower()} of the "
                                   f"{layout.records[record].name}records add up to {_euros(actual)}", line=number)


def ei_columns(path: Path) -> List[str]:
    """Every column the file's layout can produce (for checking a policy's column overrides)."""
    layout = layout_for(path)
    names: List[str] = []
    for code in layout.records:
        names.extend(c for c in layout.columns(code) if c not in names)
    return names


def declaration_period(path: Path) -> Optional[str]:
    """``YYYY-MM`` of the voorlooprecord's begindatum declaratieperiode, or None."""
    layout = layout_for(path)
    with Path(path).open("rb") as f:
        first = f.readline().removeprefix(codecs.BOM_UTF8).decode("latin-1")
    try:
        e = layout.records["01"].element("Begindatum declaratieperiode")
    except KeyError:
        return None
    value = _date(first[e.start - 1:e.start - 1 + e.length])
    return value[:7] if re.match(r"^\d{4}-\d{2}-\d{2}$", value) else None


# ---------------------------------------------------------------- writing (sample data, tests)

def render_record(layout: Layout, code: str, values: Dict[str, object]) -> str:
    """One fixed-width record from element values by name: N zero-padded, AN space-padded, D from a
    ``datetime.date``; elements not given are zeros (N, D) or spaces (AN).  Used by the sample-data
    generator and the tests, which build EI files from the same layouts the reader uses."""
    parts = []
    for e in layout.records[code].elements:
        value = values.get(e.name)
        if e.code == "COD001":
            value = code
        if isinstance(value, dt.date):
            text = value.strftime("%Y%m%d")
        elif value is None:
            text = "0" * e.length if e.type in ("N", "D") else " " * e.length
        elif e.type in ("N", "D"):
            text = str(value).rjust(e.length, "0")
        else:
            text = str(value).ljust(e.length)
        if len(text) != e.length:
            raise ValueError(f"{layout.label} record {code}: '{e.name}' takes {e.length} characters")
        parts.append(text)
    return "".join(parts)
