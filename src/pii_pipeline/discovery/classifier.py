"""The column classifier: evidence from the header, the values and their distribution.

For every column (or dotted JSON path) of a file, rows are sampled across the
whole file (reservoir sampling over the chunks, so memory stays bounded and
the end of the file counts as much as the start).  Then, per column:

* the header is matched against Dutch and English synonyms (``headers.py``);
* the sampled values are run through the recognizers twice: with the header
  as label context (``"bsn: 123456782"``) and without;
* 9-digit columns get their elfproef pass rate compared with chance (1 in 11),
  so a column of claim numbers does not become a BSN column;
* dates are told apart by header, and failing that by their spread: birth
  dates span decades, treatment and invoice dates a few years;
* long, wordy values make a free-text column, reported with the entities
  found inside it.

Each column gets an entity type (or none), a confidence, a role and the
evidence in words.  Reports never hold raw values; examples are masked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import numpy as np
import pandas as pd

from recognizers.entities import ENTITIES
from recognizers.identifiers import bsn
from recognizers.identifiers import dates as dutch_dates

from ..io.tables import DEFAULT_CHUNK_ROWS, read_table, table_format
from .headers import header_entity, normalise

SAMPLE_ROWS = 1000
VALUE_SAMPLE = 200        # values run through the recognizers per column
FREE_TEXT_SAMPLE = 200
ACCEPT = 0.8              # share of values a recognizer must accept on its own
ACCEPT_WITH_HEADER = 0.5  # ... when the header agrees
CHANCE_ELFPROEF = 1 / 11


@dataclass
class ColumnReport:
    name: str
    entity_type: Optional[str]
    confidence: float
    role: str
    evidence: str
    text_entities: Dict[str, int] = field(default_factory=dict)
    example: Optional[str] = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["confidence"] = round(self.confidence, 2)
        return d


@dataclass
class FileReport:
    path: str
    format: str
    table: str
    rows: int
    columns: List[ColumnReport]
    # Records that could not be read (the same ones ``mask`` quarantines): count, and the first few
    # as {"row": data row, "line": physical line, "reason": ...}.
    malformed_rows: int = 0
    malformed: List[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"path": self.path, "format": self.format, "table": self.table, "rows": self.rows,
                "malformed_rows": self.malformed_rows, "malformed": self.malformed,
                "columns": [c.to_dict() for c in self.columns]}


_WORD_OR_NUMBER = re.compile(r"[^\W\d_]+|\d+")
_KEPT_PUNCTUATION = set(" .,-/@:+()'_#&")
_EXAMPLE_CHARS = 40


def _shape(token: str) -> str:
    if token.isdigit():
        return "9" * len(token)          # a number's length is its format (9 digits: a BSN's shape)
    if len(token) <= 2:
        return "".join("X" if c.isupper() else "x" for c in token)   # initials, postcode letters
    if token.isupper():
        return "XXXXX"                   # a word: the same shape whatever its length
    return "Xxxxx" if token[0].isupper() else "xxxxx"


def mask_example(value: str) -> Optional[str]:
    """Show the shape of a value, never a character of it: ``123.456.782`` -> ``999.999.999``.

    Digits become ``9`` (a number's length is its format); letters ``X``/``x``, and a word of 3 or
    more letters becomes ``Xxxxx``, ``xxxxx`` or ``XXXXX`` whatever its length, so neither a name's
    letters nor its length show; spaces and common punctuation stay, any other character is ``*``.
    At most 40 characters.

    >>> mask_example("123.456.782"), mask_example("1234 AB"), mask_example("Jansen"), mask_example("M")
    ('999.999.999', '9999 XX', 'Xxxxx', 'X')
    >>> mask_example("J. de Vries-Oukili"), mask_example("j.devries@example.nl")
    ('X. xx Xxxxx-Xxxxx', 'x.xxxxx@xxxxx.xx')
    """
    if not value:
        return None
    parts, pos = [], 0
    for m in _WORD_OR_NUMBER.finditer(value):
        parts.append("".join(c if c in _KEPT_PUNCTUATION else "*" for c in value[pos:m.start()]))
        parts.append(_shape(m.group()))
        pos = m.end()
    parts.append("".join(c if c in _KEPT_PUNCTUATION else "*" for c in value[pos:]))
    shaped = "".join(parts)
    return shaped if len(shaped) <= _EXAMPLE_CHARS else shaped[:_EXAMPLE_CHARS - 1] + "…"


def role_of(entity: Optional[str]) -> str:
    if entity is None:
        return "safe"
    return ENTITIES[entity].kind


class _Reservoir:
    """A uniform sample of rows over a stream of chunks (Algorithm R, vectorised draws)."""

    def __init__(self, size: int, seed: int = 0) -> None:
        self.size, self.seen = size, 0
        self.rng = np.random.default_rng(seed)
        self.rows: list = []
        self.columns: list = []

    def add(self, frame: pd.DataFrame) -> None:
        for col in frame.columns:
            if col not in self.columns:
                self.columns.append(col)
        room = self.size - len(self.rows)
        if room > 0:
            self.rows.extend(frame.iloc[:room].to_dict("records"))
            self.seen += min(room, len(frame))
            frame = frame.iloc[room:]
        if len(frame):
            # Row k of this chunk replaces a random slot with probability size/(seen+k+1);
            # only the rows that win are materialised.
            draws = self.rng.integers(0, self.seen + 1 + np.arange(len(frame)))
            winners = np.flatnonzero(draws < self.size)
            for k, record in zip(winners, frame.iloc[winners].to_dict("records")):
                self.rows[draws[k]] = record
            self.seen += len(frame)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)

    @staticmethod
    def of(frame: pd.DataFrame, size: int, seed: int = 0) -> pd.DataFrame:
        """The rows a new reservoir keeps of ``frame`` added in one go (the same draws), taken by position: no
        row made a dict and back (a CSV's windows, all strings: the same frame, ``tests/test_discovery.py``)."""
        slots = np.arange(min(size, len(frame)))
        if len(frame) > size:
            draws = np.random.default_rng(seed).integers(0, size + 1 + np.arange(len(frame) - size))
            for k in np.flatnonzero(draws < size).tolist():   # in order: a later winner takes the slot
                slots[draws[k]] = size + k
        sample = frame.iloc[slots].reset_index(drop=True)
        for name in [c for c in sample.columns if len(sample) and sample[c].isna().all()]:
            sample[name] = np.nan   # as rows made dicts and back give it: a column of nothing is float
        return sample


def _values(series: pd.Series) -> List[str]:
    return list(_each_value(series))


def _each_value(series: pd.Series) -> Iterator[str]:
    for v in series:
        if isinstance(v, list):
            yield from (str(x) for x in v if x not in (None, ""))
        elif isinstance(v, str) and v.strip():
            yield v.strip()
        elif v is not None and not (isinstance(v, float) and np.isnan(v)) and v != "":
            yield str(v)


def _is_free_text(values: List[str]) -> bool:
    if not values:
        return False
    lengths = [len(v) for v in values]
    words = [len(v.split()) for v in values]
    return float(np.mean(lengths)) >= 25 and float(np.mean(words)) >= 4


def _weighted_sample(values: List[str]) -> tuple[List[str], Dict[str, int], int]:
    """The VALUE_SAMPLE most frequent distinct values, how often each occurs, and the sum of those counts:
    what the acceptance shares are weighted by."""
    counts = Counter(values)
    sample = [v for v, _ in counts.most_common(VALUE_SAMPLE)]
    weights = {v: counts[v] for v in sample}
    return sample, weights, sum(weights.values())


def _acceptance(detector, header: str, values: List[str]) -> tuple[Counter, Counter]:
    """How many (unique-weighted) values each entity covers, without and with the header as label.

    ``alone`` also counts, under :data:`MENTIONS`, the values in which the detector finds a direct
    identifier anywhere, covering the value or not (``Jansen belt terug``, a surname among codes)."""
    sample, weights, total = _weighted_sample(values)
    alone, labelled = Counter(), Counter()
    label = normalise(header) + ": "
    for value in sample:
        mentions = False
        for target, text, offset in ((alone, value, 0), (labelled, label + value, len(label))):
            for f in detector.detect(text):
                covered = (min(f.end, offset + len(value)) - max(f.start, offset)) / max(len(value), 1)
                mentions = mentions or (covered > 0 and f.entity_type in ENTITIES and role_of(f.entity_type) == "direct_identifier")
                if covered >= 0.8:
                    target[f.entity_type] += weights[value]
                    break
        if mentions:
            alone[MENTIONS] += weights[value]
    for target in (alone, labelled):
        for k in target:
            target[k] = target[k] / total if total else 0
    return alone, labelled


# The key of :func:`_acceptance`'s share of values holding a direct identifier somewhere (not an entity).
MENTIONS = "_mentions"


RARE_SAMPLE = 100   # distinct values left out of the weighted sample that are read for a name among codes


def _rare_mentions(detector, values: List[str]) -> float:
    """Share of ``values`` that are rare (left out of :func:`_weighted_sample`: 200 codes that recur push a
    surname typed once out of it), hold letters in pairs and in which the detector finds a direct identifier;
    at most RARE_SAMPLE of them are read, spread over the sample."""
    sample = set(_weighted_sample(values)[0])
    rare = [v for v in dict.fromkeys(values) if v not in sample and _TWO_LETTERS.search(v)]
    read = rare[::max(1, len(rare) // RARE_SAMPLE)][:RARE_SAMPLE]
    hits = sum(any(f.entity_type in ENTITIES and role_of(f.entity_type) == "direct_identifier" for f in detector.detect(v))
               for v in read)
    return hits * (len(rare) / len(read)) / len(values) if hits else 0.0


# Identifier types whose recognizer reports a bare value, without a label before it (the others, BSN,
# AGB, UZOVI, BIG, KVK, member and document numbers, need their label: tests/test_cheap_classification.py
# checks both against the detector).  Letters in pairs, '@', ':' and '+' are left to the detector
# (names, places, addresses, e-mail, IPv6, pasted tables, foreign phone numbers).
BARE_FINDERS = ("PHONE_NUMBER", "NL_POSTCODE", "IBAN_CODE", "NL_BTW")
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
CHEAP_SAFE_BELOW = 0.5    # "no recognizer accepts most values" without the detector only well below ACCEPT


def _covers(spans, value: str) -> bool:
    return any((end - start) >= 0.8 * max(len(value), 1) for start, end in spans)


def _module_share(entity: str, sample: List[str], weights: Dict[str, int], total: int) -> float:
    """Unique-weighted share of values an identifier module finds covering at least 80% of the value
    (its ``find`` where it has one, else ``is_valid`` of the whole value): an upper bound of what its
    recognizer accepts."""
    from recognizers.identifiers import by_entity

    if entity == "IP_ADDRESS":
        import ipaddress

        def hit(v: str) -> bool:
            for m in _IPV4.finditer(v):
                try:
                    ipaddress.ip_address(m.group())
                except ValueError:
                    continue
                if m.end() - m.start() >= 0.8 * len(v):
                    return True
            return False
    elif entity == "DATE_OF_BIRTH":
        def hit(v: str) -> bool:
            return _covers(dutch_dates.find(v), v)
    else:
        module = by_entity()[entity]
        finder = getattr(module, "find", None)

        def hit(v: str) -> bool:
            return _covers(finder(v), v) if finder is not None else module.is_valid(v)
    return sum(weights[v] for v in sample if hit(v)) / total if total else 0.0


def _identifier_confirmed(header: Optional[str], values: List[str]) -> bool:
    from recognizers.identifiers import by_entity

    if header not in by_entity():
        return False
    return _module_share(header, *_weighted_sample(values)) >= ACCEPT


def _cheap_acceptance(header: Optional[str], values: List[str]) -> Optional[tuple[Counter, Counter]]:
    """:func:`_acceptance` from the identifier modules alone, or None when they cannot decide (then the
    detector runs).  Two cases decide: the header names an identifier and its module accepts at least
    ACCEPT of the values (the header's type, as the detector with the header as label would say); or the
    header names nothing personal, no value has a word (two letters in a row), an '@' or a ':', and no
    module that finds bare values covers even CHEAP_SAFE_BELOW of them (the detector needs ACCEPT).
    Letters in pairs, '@', ':' and '+' are left to the detector (names, places, addresses, e-mail,
    IPv6, pasted tables, foreign phone numbers)."""
    from recognizers.identifiers import by_entity

    sample, weights, total = _weighted_sample(values)
    if header in by_entity():
        share = _module_share(header, sample, weights, total)
        return (Counter(), Counter({header: share})) if share >= ACCEPT else None
    if header not in (None, "NOT_PII", "OTHER_DATE"):
        return None
    if any(_TWO_LETTERS.search(v) or "@" in v or ":" in v or "+" in v for v in sample):  # '+': foreign phones
        return None
    alone = Counter({e: _module_share(e, sample, weights, total) for e in (*BARE_FINDERS, "IP_ADDRESS", "DATE_OF_BIRTH")})
    if max(alone.values()) >= CHEAP_SAFE_BELOW:
        return None
    return +alone, Counter()


def _cheap_pass_allowed(detector) -> bool:
    """The cheap pass stands in for the detector at its default threshold without a NER model (or a stricter
    one: it then finds less, never more); a lower threshold or a spaCy model may find more in bare values."""
    from ..config import DEFAULT_SCORE_THRESHOLD

    config = getattr(detector, "config", None)
    return config is None or (config.spacy_model is None and config.score_threshold >= DEFAULT_SCORE_THRESHOLD)


CHILDREN_SPREAD = 5   # years of spread that make dates under no telling header birth dates (a youth-care file)
EARLIEST_YEAR = 1870   # no living person, claim or treatment is older: "12100456" is an AGB code, not 12-10-0456


OLD_EVENTS = 25   # years: event dates (claims, treatments, changes) mostly older than this are not events


def _date_evidence(values: List[str]) -> Optional[tuple[float, int, int, float, float]]:
    """(share of dates, oldest year, latest year, share in the last two years, share older than OLD_EVENTS years)."""
    latest = dt.date.today().year + 10
    dates = [d for d in (dutch_dates.parse(v[:10]) if len(v) >= 8 else None for v in values)
             if d and EARLIEST_YEAR <= d.year <= latest]
    if not values or len(dates) < 0.8 * len(values):
        return None
    years = [d.year for d in dates]
    recent = sum(d >= dt.date.today() - dt.timedelta(days=730) for d in dates) / len(dates)
    old = sum(d.year < dt.date.today().year - OLD_EVENTS for d in dates) / len(dates)
    return len(dates) / len(values), min(years), max(years), recent, old


_GENERIC_DATE = {"datum", "date", "dat", "dt", "dag", "day"}


def _generic_date_header(name: str) -> bool:
    """``datum``, ``date``: a header that says it is a date but not of which event (fails closed to the spread rule)."""
    return normalise(name.rsplit(".", 1)[-1]).replace(" ", "") in _GENERIC_DATE


def _document_number_share(values: List[str]) -> float:
    """Share of values shaped like a Dutch passport or ID-card number (no label needed for a whole column)."""
    from recognizers.identifiers import id_document

    compact = [v.replace(" ", "").upper() for v in values[:VALUE_SAMPLE]]
    shaped = [v for v in compact if len(v) == 9 and not v.isdigit() and not v.isalpha()]
    if len(shaped) < 0.8 * len(compact):
        return 0.0
    # Order and article codes share a prefix (AB123456-7); document numbers do not.
    if len(shaped) >= 20 and len({v[:2] for v in shaped}) < 0.25 * len(shaped):
        return 0.0
    return sum(id_document.is_valid(v) for v in shaped) / len(compact)


_FILE_NAME = re.compile(r"^[^\s/\\]+\.(?:jpe?g|png|tiff?|pdf|gif|bmp|heic|docx?|xlsx?|csv|txt)$", re.IGNORECASE)


def _file_names_with_personal_data(values: List[str]) -> Optional[tuple[float, set]]:
    """Scan exports name files after people: ``scan_jansen_001.jpg``, ``123456782_paspoort.pdf``."""
    from recognizers.lexicon import load_lexicon

    if not values or sum(bool(_FILE_NAME.match(v)) for v in values) < 0.8 * len(values):
        return None
    lexicon = load_lexicon()
    hits, kinds = 0, set()
    for value in values:
        parts = re.split(r"[_\-.\s]+", value.rsplit(".", 1)[0])
        found = False
        for part in parts:
            if part.isdigit() and len(part) in (8, 9) and bsn.is_valid(part):
                kinds.add("a BSN")
                found = True
            elif part.isalpha() and len(part) > 2 and not lexicon.is_common_word(part) and (
                part.lower() in lexicon.surnames or lexicon.is_first_name(part.capitalize())
            ):
                kinds.add("a name")
                found = True
        hits += found
    share = hits / len(values)
    return (share, {"name" if k == "a name" else k for k in kinds}) if share >= 0.3 else None


MOBILE_SPREAD = 10_000_000   # issued mobile numbers spread over 06-1 to 06-5; a counted-up claim number does not


def _dropped_zero_phone_share(values: List[str]) -> float:
    """Unique-weighted share of values shaped as a Dutch phone number once what a spreadsheet dropped is put
    back (``612345678`` for 06-12345678, ``31612345678`` for +31 6 12345678, ``201234567`` for 020-123 4567),
    0 when they are a narrow range (claim numbers counted up from 612000000).  A mobile number needs its
    shape; a landline its issued range (``phonenumbers``): about 60 % of random nine-digit numbers lie in
    one, a column of landlines all of them."""
    from recognizers.identifiers import phone

    sample, weights, total = _weighted_sample(values)
    national = {v: v[2:] if len(v) == 11 and v.startswith("31") else v for v in sample if v.isdigit()}
    hits = {v: n for v, n in national.items() if len(n) == 9 and n[0] != "0"
            and (phone.is_plausible("0" + n) if n[0] == "6" else phone.is_valid("0" + n))}
    if not hits or int(max(hits.values())) - int(min(hits.values())) < MOBILE_SPREAD:
        return 0.0
    return sum(weights[v] for v in hits) / total


_NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?|\S")
_PARTICLES = {"van", "de", "der", "den", "ter", "ten", "te", "het", "in", "'t", "op", "la", "le", "da", "dos", "von", "vd",
              "v.", "d.", "v"}   # "v.d. Berg" is read as the words "v." and "d."
NAME_COLUMN = 0.5   # share of values that are names by the lexicon that makes a column a PERSON column


def _is_name(value: str, lexicon) -> bool:
    """``Jansen``, ``de Groot``, ``J. van der Meer``, ``Anna Visser``: at most five capitalised words, initials
    and particles, one of them a surname or first name of the lexicon that is no common word (``Groen``) and,
    unless a particle comes before it, no place."""
    words = _NAME_WORD.findall(value)
    if not 1 <= len(words) <= 5:
        return False
    named, after_particle = False, False
    for word in words:
        if word.lower() in _PARTICLES:
            after_particle = True
            continue
        if re.fullmatch(r"[A-Z]\.?", word):
            continue
        bare = word.rstrip(".")
        if not (bare[:1].isupper() and bare.replace("-", "").replace("'", "").replace("’", "").isalpha()):
            return False
        if (lexicon.is_surname(bare) or lexicon.is_first_name(bare)) and not lexicon.is_common_word(bare) \
                and (after_particle or bare.lower() not in lexicon.places):
            named = True
        after_particle = False
    return named


def _name_share(values: List[str]) -> float:
    """Unique-weighted share of values that are a person's name by the lexicon alone: the detector does not
    report a bare surname that is also a word (``Bakker``, ``Visser``), so a column of them read as 'safe'."""
    from recognizers.lexicon import load_lexicon

    sample, weights, total = _weighted_sample(values)
    if not total or not any(_TWO_LETTERS.search(v) for v in sample):
        return 0.0
    lexicon = load_lexicon()
    return sum(weights[v] for v in sample if _is_name(v, lexicon)) / total


LOGINS_AT_LEAST = 10   # distinct logins in the sample before a column is taken for one
_LOGIN = re.compile(r"[a-z][a-z.\-_]{2,28}\d{0,4}")


def _is_login(value: str, lexicon) -> bool:
    """``kklaassen``, ``jm.klaassen``, ``klaassenk``, ``kees_klaassen2``, ``JANSENJ``: a login made of a surname of
    the lexicon (no common word, at least four letters) with initials or a first name before or after it."""
    word = value.lower()
    if not _LOGIN.fullmatch(word) or word in lexicon.places:   # a lowercase place column (amsterdam, aalst)
        return False
    parts = [p for p in re.split(r"[._\-]", word.rstrip("0123456789")) if p]
    stems = parts if len(parts) > 1 else [parts[0], parts[0][1:], parts[0][2:], parts[0][:-1]] if parts else []
    return any(len(p) >= 4 and lexicon.is_surname(p) and not lexicon.is_common_word(p) for p in stems)


def _login_share(values: List[str]) -> float:
    """Unique-weighted share of values that are logins made of a name (no header says so: ``userid``, ``medewerker``)."""
    from recognizers.lexicon import load_lexicon

    sample, weights, total = _weighted_sample(values)
    if not total or not any(_TWO_LETTERS.search(v) for v in sample):
        return 0.0
    lexicon = load_lexicon()
    logins = [v for v in sample if _is_login(v, lexicon)]
    # Logins are one per person: a few distinct words (a status column: open, verwerkt, gesloten) are codes.
    return sum(weights[v] for v in logins) / total if len(logins) >= LOGINS_AT_LEAST else 0.0


def classify_column(detector, name: str, series: pd.Series, standard: Optional[str] = None) -> ColumnReport:
    """``standard``: what a file standard says the column holds (Vektis EI elements), instead of its
    header's words; ``""`` when the standard gives it no personal meaning (its values alone decide)."""
    values = _values(series)
    header = header_entity(name) if standard is None else (standard or None)
    n = len(values)
    if n == 0 and header == "FREE_TEXT":
        return ColumnReport(name, None, 0.9, "free_text", "a free-text element of its standard; no values in the sample")
    if n == 0 and standard and header in ENTITIES:  # the standard says so: fail closed on rows the sample missed
        return ColumnReport(name, header, 0.9, role_of(header), f"the standard's element for {header}; no values in the sample")
    if n == 0:
        return ColumnReport(name, None, 0.5, "safe", "no values in the sample")
    unique = len(set(values)) / n
    example = mask_example(values[0])

    if header == "HEALTH_DATA" or header == "GENDER":
        return ColumnReport(name, header, 0.9, role_of(header), f"header '{name}'; {n:,} sampled values, {len(set(values))} distinct")

    if header == "FREE_TEXT" or _is_free_text(values):  # FREE_TEXT: a standard's free-text element, however short
        found: Counter = Counter()
        with_pii = 0
        for text in values[:FREE_TEXT_SAMPLE]:
            findings = detector.detect(text)
            with_pii += bool(findings)
            found.update(f.entity_type for f in findings)
        share = with_pii / min(n, FREE_TEXT_SAMPLE)
        evidence = f"free text: average {np.mean([len(v) for v in values]):.0f} characters; {share:.0%} of {min(n, FREE_TEXT_SAMPLE):,} sampled texts hold personal data"
        return ColumnReport(name, None, 0.9, "free_text", evidence, dict(found.most_common()))

    named = _file_names_with_personal_data(values)
    if named is not None:
        share, kinds = named
        return ColumnReport(name, "PERSON" if "name" in kinds else "NL_BSN", 0.85, "direct_identifier",
                            f"file names; {share:.0%} of {n:,} sampled names contain {' or '.join(sorted(k if k != 'name' else 'a name' for k in kinds))}")

    notes = [f"header '{name}'" + (f" suggests {header}" if header and header not in ("NOT_PII", "OTHER_DATE") else "")]
    # A header naming an identifier whose module accepts the values wins over their reading as dates
    # (8-digit codes read as DDMMYYYY).
    dates = None if _identifier_confirmed(header, values) else _date_evidence(values)
    if dates:
        share, lo, hi, recent, old = dates
        # Decades, not years: the oldest birth year in a column points at one person.
        notes.append(f"{share:.0%} of {n:,} sampled values are dates from the {lo // 10 * 10}s to the {hi // 10 * 10}s")
        if header == "DATE_OF_BIRTH":
            return ColumnReport(name, "DATE_OF_BIRTH", 0.95, "quasi_identifier", "; ".join(notes), example=None)
        if header is not None and not _generic_date_header(name):
            if hi - lo >= 15 and old >= 0.5:   # a mislabelled or shifted column: the values win, fail closed
                return ColumnReport(name, "DATE_OF_BIRTH", 0.6, "quasi_identifier", "; ".join(notes) + f"; the header names "
                                    f"an event, but {old:.0%} are older than {OLD_EVENTS} years, spread over decades like birth dates")
            return ColumnReport(name, None, 0.85, "safe", "; ".join(notes) + "; not a birth date by its header")
        if hi - lo >= 15 and lo <= dt.date.today().year - 18 and recent < 0.5:
            return ColumnReport(name, "DATE_OF_BIRTH", 0.7, "quasi_identifier", "; ".join(notes) + "; spread over decades like birth dates")
        if hi - lo >= CHILDREN_SPREAD and recent < 0.5:
            # Children's birth dates span less than two decades and none is 18 years old; event dates under a
            # header that names no event rarely span years and mostly lie in the past: fail closed.
            return ColumnReport(name, "DATE_OF_BIRTH", 0.6, "quasi_identifier", "; ".join(notes) + "; spread over years, mostly not recent, like birth dates")
        return ColumnReport(name, None, 0.7, "safe", "; ".join(notes) + "; clustered like event dates")

    documents = _document_number_share(values)
    if documents >= ACCEPT and header != "NOT_PII":
        notes.append(f"{documents:.0%} of sampled values have the shape of a passport or ID-card number")
        return ColumnReport(name, "NL_ID_DOCUMENT", 0.85, "direct_identifier", "; ".join(notes), example=example)

    # Elfproef rate against chance for 8-9 digit columns.
    digits = [bsn.compact(v) for v in values]  # 8-digit BSNs zero-padded
    nine = [d for d in digits if d.isdigit() and len(d) == 9]
    bsn_rate = float(bsn.elfproef(nine).mean()) if nine else 0.0
    if len(nine) >= 0.9 * n:
        notes.append(f"{bsn_rate:.0%} of {len(nine):,} sampled 8-9 digit values pass the elfproef (chance: 9%)")

    cheap = _cheap_acceptance(header, values) if _cheap_pass_allowed(detector) else None
    alone, labelled = cheap or _acceptance(detector, name, values)
    mentions = alone.pop(MENTIONS, 0.0)
    best_alone = alone.most_common(1)[0] if alone else (None, 0.0)
    header_share = labelled.get(header, 0.0) if header else 0.0

    if header == "NL_BSN" and nine:
        if bsn_rate >= 0.9:
            return ColumnReport(name, "NL_BSN", 0.99, "direct_identifier", "; ".join(notes), example=example)
        notes.append("too few pass the elfproef for a BSN column")
        return ColumnReport(name, "NL_BSN", 0.6, "direct_identifier", "; ".join(notes), example=example)
    if header and header not in ("NOT_PII", "OTHER_DATE") and header_share >= ACCEPT_WITH_HEADER:
        notes.append(f"{header_share:.0%} of sampled values are recognised as {header} with the header as label")
        return ColumnReport(name, header, 0.95, role_of(header), "; ".join(notes), example=example)
    if bsn_rate >= 0.9 and len(nine) >= 0.9 * n and header != "NOT_PII":
        return ColumnReport(name, "NL_BSN", 0.9, "direct_identifier", "; ".join(notes), example=example)
    mobiles = _dropped_zero_phone_share(values) if header in (None, "PHONE_NUMBER") else 0.0
    if mobiles >= ACCEPT:
        notes.append(f"{mobiles:.0%} of sampled values are Dutch phone numbers without their leading 0 or + (a spreadsheet drops them)")
        return ColumnReport(name, "PHONE_NUMBER", 0.8, "direct_identifier", "; ".join(notes), example=example)
    entity, share = best_alone
    if entity and share >= ACCEPT and not (header == "NOT_PII" and entity in ("NL_BSN", "NL_MEMBER_NUMBER")):
        notes.append(f"{share:.0%} of sampled values are recognised as {entity} on their own")
        return ColumnReport(name, entity, round(0.6 + 0.35 * share, 2), role_of(entity), "; ".join(notes), example=example)
    names = _name_share(values) if not header or header in ("NOT_PII", "OTHER_DATE") else 0.0
    if names >= NAME_COLUMN:
        notes.append(f"{names:.0%} of sampled values are names by the name lists (surnames and first names)")
        return ColumnReport(name, "PERSON", 0.7, "direct_identifier", "; ".join(notes), example=example)
    logins = _login_share(values) if not header or header in ("NOT_PII", "OTHER_DATE") else 0.0
    if logins >= NAME_COLUMN:
        notes.append(f"{logins:.0%} of sampled values are logins made of a surname of the name lists with initials or a first name")
        return ColumnReport(name, "PERSON", 0.7, "direct_identifier", "; ".join(notes), example=example)
    if header and header not in ("NOT_PII", "OTHER_DATE"):
        # The header says so but the values do not confirm (names, places, free-form numbers).
        notes.append(f"values not confirmed by a recognizer ({header_share:.0%}); {unique:.0%} distinct")
        return ColumnReport(name, header, 0.7, role_of(header), "; ".join(notes), example=example)
    notes.append(f"no recognizer accepts most values ({entity or 'none'}: {share:.0%}); {unique:.0%} distinct")
    mentions = mentions or _rare_mentions(detector, values)
    if mentions > 0:
        # A few names or numbers among codes or short remarks: the column cannot be kept whole, and its
        # cells are masked one by one (the sweep cannot see a bare surname).
        notes.append(f"{mentions:.0%} of sampled values hold a direct identifier among other text: masked cell by cell")
        return ColumnReport(name, None, 0.7, "free_text", "; ".join(notes))
    return ColumnReport(name, None, 0.8, "safe", "; ".join(notes))


def sample_tables(
    path: Path,
    sample_rows: int = SAMPLE_ROWS,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: Optional[Callable[[int], None]] = None,
    bad_rows: str = "skip",
    malformed: Optional[Dict[str, list]] = None,
    count=None,
) -> Dict[str, tuple[pd.DataFrame, int]]:
    """Per table of the file: a uniform sample of its rows and its row count (one pass, bounded memory).

    ``malformed`` (a dict) receives per table the records the reader could not read (row, line, reason).
    ``count`` (an ``io.tables.FileCount``) is filled by the reader.
    """
    path = Path(path)
    reservoirs: Dict[str, _Reservoir] = {}
    rows: Dict[str, int] = {}
    bad, first_bad = 0, None
    for chunk in read_table(path, chunk_rows, bad_rows, count=count):
        bad += len(chunk.rejected)
        first_bad = first_bad or (chunk.rejected[0] if chunk.rejected else None)
        if malformed is not None and chunk.rejected:
            malformed.setdefault(chunk.table, []).extend(chunk.rejected)
        reservoirs.setdefault(chunk.table, _Reservoir(sample_rows)).add(chunk.frame)
        rows[chunk.table] = rows.get(chunk.table, 0) + len(chunk.frame)
        if progress:
            progress(len(chunk.frame))
    if not any(rows.values()):
        from ..errors import InputError

        if bad:  # not "header only": every record is there, and none could be read
            _, line, reason = first_bad
            where = f", line {line}" if line is not None else ""   # a JSON array's records have no line
            raise InputError(path, f"no readable data rows: all {bad:,} records are malformed "
                                   f"(the first{where}: {reason})")
        raise InputError(path, "no data rows (header only)")
    return {table: (reservoir.frame(), rows[table]) for table, reservoir in reservoirs.items()}


WINDOWS = 100          # evenly spaced windows a large CSV is sampled from (io/ranges.py)
WINDOWED_FROM = 50_000  # physical lines from which a CSV is sampled by windows rather than parsed whole


def sample_windows(path: Path, index, size: int, sample_rows: int = SAMPLE_ROWS) -> Optional[Dict[str, tuple]]:
    """A large CSV's sample from :data:`WINDOWS` evenly spaced byte windows (each about ``2 * sample_rows /
    WINDOWS`` lines), the same reservoir over their rows: discovery without parsing the whole file, which
    ``mask`` then parses once, in its workers.  Each part of the file is sampled in proportion to its size,
    so a column filled only late in the file is seen as it is in a sample of all rows.  The row count is
    estimated from the index (the report's ``rows``).  None when the windows hold no readable row (then the
    caller reads the whole file, which says what is wrong with it), or when the file's line ends are not the
    index's (UTF-16, CR line ends)."""
    from ..io import ranges
    from ..io.delimited import DelimitedFile
    from ..io.tables import read_csv

    reader = DelimitedFile(path)
    if reader.encoding.unit != 1 or reader.cr_only:
        return None   # the index counts 0x0A bytes: no line ends of UTF-16 text or of a file read by its CRs
    start, _ = ranges.data_start(path, reader.header_skip, reader.encoding.bom)
    lines = max(1, index.lines(size) - reader.header_skip)
    width = max(4096, int((size - start) / lines * 2 * sample_rows / WINDOWS))
    frames = [chunk.frame for window in ranges.windows(path, index, start, size, WINDOWS, width)
              for chunk in read_csv(path, DEFAULT_CHUNK_ROWS, window=window, reader=reader)]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if not len(rows):
        return None
    sample = _Reservoir.of(rows, sample_rows)
    # A column the windows saw no value of may be filled between them (a period, appended rows): unknown.
    # (Stops at a column's first value: a filled column costs one cell, not a list of all its values.)
    sample.attrs["unseen"] = [c for c in rows.columns if not any(str(v).strip() for v in _each_value(rows[c]))]
    return {path.name: (sample, lines)}


UNSEEN = "no values in the windows sampled"   # the evidence of :func:`_unseen` (textmemo.text_plans reads it)


def _unseen(name: str) -> ColumnReport:
    """A column of a windowed sample with no value in any window: it fails closed.  Its header's identifier
    when it names one, else free text (masked cell by cell: a column empty everywhere costs nothing)."""
    header = header_entity(name)
    if header in ENTITIES:
        return ColumnReport(name, header, 0.6, role_of(header), f"header '{name}'; {UNSEEN} (a large file is "
                            "sampled from windows): its header's type, failing closed")
    return ColumnReport(name, None, 0.5, "free_text", f"{UNSEEN} (a large file is sampled from windows): masked "
                        "cell by cell as free text, failing closed")


def classify_sample(detector, path: Path, table: str, sample: pd.DataFrame, rows: int) -> FileReport:
    fmt = table_format(path)
    if fmt == "ei":  # the standard says what each element holds
        from ..io.ei import element_entity

        columns = [classify_column(detector, str(col), sample[col], element_entity(str(col)) or "") for col in sample.columns]
    else:
        unseen = set(sample.attrs.get("unseen", ()))
        columns = [_unseen(str(col)) if col in unseen else classify_column(detector, str(col), sample[col])
                   for col in sample.columns]
    return FileReport(str(path), fmt, table, rows, columns)


def scan_file(
    path: Path,
    detector=None,
    sample_rows: int = SAMPLE_ROWS,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: Optional[Callable[[int], None]] = None,
) -> List[FileReport]:
    """One report per table in the file (an Excel workbook has one per sheet)."""
    from ..detection import get_detector

    from ..errors import InputError

    detector = detector or get_detector()
    malformed: Dict[str, list] = {}
    try:
        tables = sample_tables(path, sample_rows, chunk_rows, progress, malformed=malformed)
    except InputError:
        raise
    except Exception as exc:  # a reader library's message may quote a cell value: its type only
        raise InputError(path, f"could not be read: {type(exc).__name__} (its message is withheld: "
                               "it may quote a value)") from None
    reports = [classify_sample(detector, Path(path), table, sample, rows) for table, (sample, rows) in tables.items()]
    for report in reports:
        bad = malformed.get(report.table, [])
        report.malformed_rows = len(bad)
        report.malformed = [{"row": r, "line": line, "reason": reason} for r, line, reason in bad[:20]]
    return [_reported(report) for report in reports]


def _reported(report: FileReport) -> FileReport:
    """Names are data: a report shows file, sheet and column names only when the value sweep finds them clean."""
    from ..errors import shown_path
    from ..masking.sweep import neutral_column_names, shown_name

    neutral = neutral_column_names([c.name for c in report.columns])
    for column in report.columns:
        if column.name in neutral:
            column.evidence = column.evidence.replace(column.name, neutral[column.name])
            column.name = neutral[column.name]
    base, sep, sheet = report.table.partition("#")
    report.table = shown_name(base) + (sep + shown_name(sheet, prefix="sheet") if sep else "")
    report.path = shown_path(report.path)
    return report
