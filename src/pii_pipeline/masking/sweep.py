"""The value sweep: direct identifiers that carry their own proof, found without the detector.

The sweep reads every cell of every string column of the output, every
column name and nested key, and every name the tool writes (datasets, parts,
files in reports).  It knows nothing of the detector's models or context
words, so it sees what the detector missed:

* BSNs: 8 or 9 digits (plain, dotted, spaced) passing the elfproef, anywhere
  in a cell that holds more than the number; a column of bare numbers is
  judged on its pass rate (a column of order numbers passes 1 in 11 by
  chance, see :class:`OutputSweep`);
* IBANs passing mod-97 in any grouping (``NL91 ABNA 0417 1643 00``);
* Dutch phone numbers anywhere in a cell (``06-12345678``, ``+31 20 123 4567``);
* e-mail addresses;
* a postcode with a house number (``1234 AB 12``, ``12, 1234AB``);
* names announced by their shape: initials or a title before a capitalised
  word (``H.J. Bos``, ``Dhr. Bos``, ``huisarts Meijer``);
* a cell that is a listed surname and nothing else, capitalised or in capitals (``KLAASSEN`` among the
  codes of a status column, ``VAN DER HEIJDEN``), unless the word is also a common word or a place;
* passport and ID-card numbers (stdnum's shape and check, letters and digits mixed);
* full dates in a column whose dates look like birth dates (decades apart, in the past).

Work is vectorised: Arrow string kernels (RE2 through pandas) pick the few
cells that could hold an identifier, and only those distinct values are
confirmed by the identifier modules of ``recognizers.identifiers`` (one
definition per identifier: their ``find``/``is_valid``).  Findings are entity types and
positions, never values.

>>> [(f.entity, f.start, f.end) for f in find("bel 06-12345678 of mail a.b@example.nl")]
[('PHONE_NUMBER', 4, 15), ('EMAIL_ADDRESS', 24, 38)]
>>> [f.entity for f in find("BSN 1234.56.782, rekening NL91 ABNA 0417 1643 00")]
['NL_BSN', 'IBAN_CODE']
>>> find("factuur 2026000123 van 12-03-2026, bedrag 123,45")
[]
>>> name_is_clean("claims_2026-10.csv"), name_is_clean("claims_123456782_Klaassen.csv")
(True, False)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterator, List, Optional

import numpy as np
import pandas as pd
from recognizers.identifiers import bsn, iban, id_document, phone, postcode
from recognizers.identifiers._text import DIGIT_MARKS, DIGIT_ZEROS, HIDDEN_IN_VALUE, INVISIBLE

# ---------------------------------------------------------------- candidate patterns (Python, linear)

# The local part is bounded (RFC 5321: at most 64 characters): unbounded, every position of a long
# run of address characters without "@" would rescan the run to its end (quadratic in its length).
# Letters of any script (``\w``): an internationalised domain (``bücher.nl``, ``例え.jp``) and local part (``zoë@``)
# are addresses mail is delivered to.
_EMAIL = re.compile(r"[\w.%+\-]{1,64}@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}")
_PC = r"[1-9]\d{3} ?[A-Z]{2}"
_PC_LOWER = re.compile(postcode.PATTERNS["lower_compact"])   # spaced lowercase is too often a year and a word
_HOUSE_AFTER = re.compile(r"[ ,]{1,3}(?:nr\.? ?)?\d{1,5}(?![\d,.]\d)")
_HOUSE_BEFORE = re.compile(r"(?<![\d.,])\d{1,5}[a-zA-Z]?[ ,]{1,3}$")
_PHONE_SHAPED = re.compile("|".join(f"(?:{p})" for p in phone.PATTERNS.values()))
_DATE_PREFIX = re.compile(r"^\(?\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
# One list of each kind of name word: the regexes below and the word checks further down are built from them.
_PARTICLE_LIST = ("van", "de", "der", "den", "ter", "ten", "te", "'t", "op", "la", "le", "da", "dos", "von")
_PARTICLE_WORDS = frozenset(_PARTICLE_LIST)
# A name's particles in running text (each is followed by a space, so their order does not matter); `el`, `het`
# and `in 't` only here: the word checks below do not count them as particles.
_PARTICLES = r"(?:(?i:" + "|".join(_PARTICLE_LIST + ("el", "het", "in 't")) + r")\s)*"
_TITLE_WORDS = ("dhr", "mevr", "mw", "mr", "dr", "drs", "ir", "prof")
_TITLE_PHRASES = ("de heer", "mevrouw", "meneer")
_CARERS = ("huisarts", "tandarts", "dokter", "zuster")
_TITLES = frozenset(_TITLE_WORDS + ("heer", "mevrouw", "meneer", "hr"))


def _either_case(word: str) -> str:
    return f"[{word[0].upper()}{word[0]}]{word[1:]}"


_CAP = r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?"
# Initials before a surname (H.J. Bos, A.M. van der Berg), a title before one (Dhr. Bos, mevrouw De Vries).
_INITIALS_NAME = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,4}" + _PARTICLES + r"(" + _CAP + r")")
_TITLE_NAME = re.compile(r"(?<![\w])(?:" + "|".join(map(_either_case, _TITLE_WORDS + _TITLE_PHRASES + _CARERS))
                         + r")\.?\s+(" + _PARTICLES + r"(" + _CAP + r"))")
_DOCUMENT = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[A-Z0-9]{6}\d(?![A-Za-z0-9])")
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})|^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")

# Prefilters for Arrow (RE2: no look-arounds).  A cell that matches none cannot hold a finding.
# Eight digits with up to three separators between any two (a phone number's `0229 - 27 14 86`,
# `(0318) 63 55 20`, `020/1234567`; a BSN's `123.456.782`, `123,456,782`).
PREFILTER = (r"\d(?:[ .,\-/()]{0,3}\d){7}|@|[1-9]\d{3}(?: ?[A-Z]{2}|[a-z]{2})|[A-Z]{2}[A-Z0-9]{6}\d"
             r"|[A-Z]\.\s?[A-Za-z]|(?i:" + "|".join(_TITLE_WORDS + ("heer",) + _TITLE_PHRASES[1:] + _CARERS)
             + r")\.?\s")

DIRECT = ("NL_BSN", "IBAN_CODE", "PHONE_NUMBER", "EMAIL_ADDRESS", "ADDRESS", "NL_ID_DOCUMENT", "PERSON")
WITHHELD = "<WITHHELD>"
BSN_COLUMN_RATE = 0.3     # share of bare 8/9-digit values passing the elfproef that makes a column a BSN column


@dataclass(frozen=True)
class Finding:
    entity: str
    start: int
    end: int


def elfproef(digits: str) -> bool:
    """The BSN check, from the one BSN module (8 digits are zero-padded)."""
    return bsn.is_valid(digits)


def _document_ok(value: str) -> bool:
    # In a cell (no label), also an all-digit middle is an order code rather than a document number.
    return not value[2:8].isdigit() and id_document.is_valid(value)


def _postcodes_with_house_number(text: str) -> Iterator[tuple[int, int]]:
    """A postcode (the postcode module's rule) with a house number right before or after it."""
    lower = (m.span() for m in _PC_LOWER.finditer(text) if not postcode.is_unit(text, *m.span()))  # 1234ab 12 (not 1000mg)
    for start, end in [*postcode.find(text), *lower]:
        after = _HOUSE_AFTER.match(text, end)
        before = _HOUSE_BEFORE.search(text[max(0, start - 12):start])
        if after:
            yield start, after.end()
        elif before:
            yield start - (len(text[max(0, start - 12):start]) - before.start()), end


def _phones(text: str) -> Iterator[tuple[int, int]]:
    """Valid numbers (the phone module), and numbers with the shape and length of a Dutch one.

    A number nobody has been given yet (06-7...) is still what a person wrote as their number,
    so the sweep also counts the shape: the phone module's pattern, not a date, ten digits.
    """
    yield from phone.find(text)
    for m in _PHONE_SHAPED.finditer(text):
        national = re.sub(r"\D", "", m.group())
        if national.startswith("0031"):
            national = "0" + national[4:]
        elif national.startswith("31") and "+" in text[max(0, m.start() - 1):m.end()]:
            national = "0" + national[2:]
        if not _DATE_PREFIX.match(m.group()) and len(national) == 10 and national.startswith("0"):
            yield m.span()


def _names(text: str) -> Iterator[tuple[int, int]]:
    """Names with initials or a title before them: the shape says it is a person, whatever the word."""
    from recognizers.lexicon import load_lexicon

    lexicon = None  # loaded at the first candidate (a second or more): most cells have none
    for pattern in (_INITIALS_NAME, _TITLE_NAME):
        for m in pattern.finditer(text):
            word = m.groups()[-1]
            lexicon = lexicon or load_lexicon()
            if lexicon.is_surname(word) or not (lexicon.is_common_word(word.lower()) or lexicon.is_common_word(word)
                                                or word.lower() in lexicon.places):
                # A title is not part of the name (``mevrouw <PERSON>``): the same name gives the same pseudonym.
                yield (m.start(1) if pattern is _TITLE_NAME else m.start()), m.end()


# Characters that print as nothing (``INVISIBLE``) and marks a digit carries (``DIGIT_MARKS``: read without them
# after a digit, a BSN of keycaps was published) are the identifiers' own (``_text.HIDDEN_IN_VALUE``).
_INVISIBLE = HIDDEN_IN_VALUE
_MAY_HIDE = re.compile(f"[{INVISIBLE}{DIGIT_MARKS}]")   # one class: scanned at C speed, before the alternation


def invisible_spans(text: str) -> List[tuple]:
    """Spans of the characters that print as nothing and of the marks a digit carries."""
    return [m.span() for m in _INVISIBLE.finditer(text)] if _MAY_HIDE.search(text) else []


# A type tag or token glued to a value's characters on both sides (``1234<NL_BSN>56782``, ``jan<PERSON>@x.nl``): a tag
# the input held, cutting a value in two.  ``find`` also reads such a text without its tags (RE2 and Python alike).
TAG = r"<[A-Z][A-Z_]{1,30}(?::[0-9a-f]{4,32})?>"
GLUED_TAG = r"[0-9A-Za-z@.]" + TAG + r"[0-9A-Za-z@.]"
_TAG, _GLUED_TAG = re.compile(TAG), re.compile(GLUED_TAG)


def _hidden(text: str) -> List[tuple]:
    """Spans ``find`` also reads the text without: characters that print as nothing, tags cutting a value."""
    spans = invisible_spans(text)
    if "<" in text and _GLUED_TAG.search(text):
        spans = sorted(spans + [m.span() for m in _TAG.finditer(text)])
    return spans


def without(text: str, spans: List[tuple]) -> tuple:
    """(``text`` without the sorted, disjoint ``spans``, ``back``): ``back(start, end)`` is a span of the shorter
    text mapped onto ``text``, over every removed span strictly inside it."""
    import bisect

    pieces, junctions, removed, last = [], [], [0], 0   # junction k: where span k was, in the shorter text
    for start, end in spans:
        pieces.append(text[last:start])
        junctions.append(start - removed[-1])
        removed.append(removed[-1] + end - start)
        last = end

    def back(start: int, end: int) -> tuple:
        return start + removed[bisect.bisect_right(junctions, start)], end + removed[bisect.bisect_left(junctions, end)]

    return "".join(pieces) + text[last:], back


def find(text: str) -> List[Finding]:
    """Every identifier the sweep recognises in one string, left to right, without overlaps.

    Each candidate is confirmed by its identifier module (``recognizers.identifiers``):
    one definition per identifier.  E-mail addresses have no checksum; their pattern lives here.
    A text holding characters that print as nothing is also read without them.
    """
    if not text:
        return []
    hidden = _hidden(text)
    if not hidden:
        return _find(text)
    view, back = without(text, hidden)
    return merge_overlaps(_find(text) + [Finding(f.entity, *back(f.start, f.end)) for f in _find(view)])


def _find(text: str) -> List[Finding]:
    if not text:
        return []
    found: List[Finding] = [Finding("EMAIL_ADDRESS", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    for entity, spans in (("IBAN_CODE", iban.find(text)), ("PHONE_NUMBER", _phones(text)),
                          ("NL_BSN", bsn.find(text)), ("ADDRESS", _postcodes_with_house_number(text)),
                          ("PERSON", _names(text))):
        found.extend(Finding(entity, a, b) for a, b in spans)
    for m in _DOCUMENT.finditer(text):
        if _document_ok(m.group()):
            found.append(Finding("NL_ID_DOCUMENT", m.start(), m.end()))
    return merge_overlaps(found)


def merge_overlaps(found: list) -> List[Finding]:
    """Overlapping findings become one span (the type of the longer one): no part of either is left unmasked."""
    spans = sorted(((f.start, f.end, getattr(f, "entity_type", None) or f.entity) for f in found),
                   key=lambda x: (x[0], -(x[1] - x[0])))
    out: List[Finding] = []
    for start, end, entity in spans:
        if out and start < out[-1].end:
            last = out[-1]
            keep = last.entity if (last.end - last.start) >= (end - start) else entity
            out[-1] = Finding(keep, last.start, max(last.end, end))
        else:
            out.append(Finding(entity, start, end))
    return out


def _is_bare_number(text: str) -> bool:
    return re.fullmatch(r"\s*(?:\d[ .]?){7,8}\d\s*", text) is not None


# ---------------------------------------------------------------- names

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
# In a name, a full postcode alone or a street with a house number is an address, not a label
# (cell values need postcode + house number: a postcode alone is common in a postcode column).
_NAME_POSTCODE = re.compile(r"(?<![\dA-Za-z])[1-9]\d{3} ?[A-Z]{2}(?![A-Za-z\d])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_NAME_STREET_NUMBER = re.compile(r"([A-Za-zÀ-ÿ'’\-]+)[ _]+\d{1,5}[a-zA-Z]?(?!\d)")


@lru_cache(maxsize=4096)
def name_findings(name: str) -> tuple:
    """Why a name (column, key, file, dataset) is not clean: entity types, or () when it is clean.

    A name is a label; it is personal when it holds an identifier, a date of
    birth-like value, a long number, or a person's name from the lexicon, or
    an address fragment or control characters (which a label never holds).
    """
    kinds = set(_value_findings(name))
    if _NAME_POSTCODE.search(str(name)) or _street_with_number(str(name)):
        kinds.add("ADDRESS")
    if _CONTROL.search(str(name)):
        kinds.add("CONTROL")  # a newline or terminal escape in a name would forge lines of a log or report
    return tuple(sorted(kinds))


@lru_cache(maxsize=4096)
def _value_findings(name: str) -> tuple:
    """The values a name holds: what makes a first row a record rather than a header (``header_is_data``).
    A label beside a postcode (``postcode 1234AB``) is still a label there: its column is named by it."""
    kinds = {f.entity for f in find(str(name))}
    squeezed = re.sub(r"[_\s]+", " ", str(name))
    kinds.update(f.entity for f in find(squeezed))
    if re.search(r"\d{5,}", re.sub(r"(?<=\d)[ .\-_](?=\d)", "", str(name))) and not re.search(r"20\d{2}[-_]?\d{2}", str(name)):
        kinds.add("NUMBER")
    if _DATE.search(str(name)):
        kinds.add("DATE")
    if _has_person_name(str(name)):
        kinds.add("PERSON")
    return tuple(sorted(kinds))


def _street_with_number(name: str) -> bool:
    """``Kerkstraat 12``, ``kerkstraat_12a``: a word with a Dutch street suffix followed by a house number."""
    matches = list(_NAME_STREET_NUMBER.finditer(name))
    if not matches:
        return False  # most names: no need to import the person recognizer (and Presidio with it)
    from recognizers.person import STREET_SUFFIXES

    for m in matches:
        word = m.group(1).lower()
        if any(word.endswith(x) and len(word) >= len(x) + 3 for x in STREET_SUFFIXES):
            return True
    return False


def _has_person_name(name: str) -> bool:
    from recognizers.lexicon import load_lexicon

    from ..discovery.headers import SYNONYMS

    from recognizers.tokens import ORDINARY_WORD, word_frequency

    lexicon = load_lexicon()
    labels = {w for syns in SYNONYMS.values() for s in syns for w in s.split()}
    before = ""
    for word in _WORD.findall(name.replace("_", " ")):
        lower, particle, before = word.lower(), before, word.lower()
        if len(word) < 3 or lower in labels or lexicon.is_common_word(lower) or lexicon.is_common_word(word):
            continue
        if lower in lexicon.surnames or lexicon.is_first_name(word.capitalize()):
            return True
        # A surname listed only with its particle (Van der Heijden): after one, unless as frequent as a word
        if particle in _PARTICLE_WORDS and lower in lexicon.interfix_surnames and word_frequency(lower) < ORDINARY_WORD:
            return True
    return False


def name_is_clean(name: str) -> bool:
    return not name_findings(name)


_NAME_SECRETS: Dict[tuple, bytes] = {}


def _name_secret() -> bytes:
    """What name references are keyed with: derived from the pseudonymisation key when one is set (the same
    in every process and run with that key; a key read from a Prefect Secret counts), else random for this
    process.  An unkeyed hash of a file called
    ``123456782.csv`` is reversed by hashing the 10^8 valid BSNs (minutes)."""
    import hmac
    import os
    import secrets

    from ..keys import key_from_secret, load_key

    from_secret = key_from_secret()
    where = tuple(os.environ.get(v, "") for v in ("PII_PIPELINE_KEY", "PII_PIPELINE_KEY_FILE", "HOME", "XDG_CONFIG_HOME")) \
        + (hashlib.sha256(from_secret).hexdigest() if from_secret else "",)
    if where not in _NAME_SECRETS:
        try:
            key = load_key()   # env, key file or the default key file (no Prefect call for a name)
        except Exception:
            # the key read from --key-secret in this process (the flow reads it before any name), else random
            key = from_secret or secrets.token_bytes(32)
        _NAME_SECRETS[where] = hmac.new(key, b"pii-pipeline/name-reference\x00", hashlib.sha256).digest()
    return _NAME_SECRETS[where]


def name_hash(name: str, length: int = 10) -> str:
    """A short stable reference to a name that is not clean: keyed (:func:`_name_secret`), so it cannot be
    reversed by hashing candidate names."""
    import hmac

    return hmac.new(_name_secret(), str(name).encode("utf-8"), hashlib.sha256).hexdigest()[:length]


def shown_name(name: str, sha256: str = "", prefix: str = "file") -> str:
    """The name when the sweep says it is clean, else ``file-<hash>.ext``.

    ``sha256`` (the file's content hash) is preferred to a hash of the name: a hash of
    ``claims_<BSN>_<surname>.csv`` could be searched, a content hash cannot.

    >>> shown_name("claims_2026-10.csv"), shown_name("claims_123456782_Klaassen.CSV", "ab" * 32)
    ('claims_2026-10.csv', 'file-abababababababab.csv')
    """
    if name_is_clean(name):
        return name
    ext = re.search(r"\.([A-Za-z0-9]{1,5})$", str(name))
    return f"{prefix}-{sha256[:16] if sha256 else name_hash(name, 16)}" + (f".{ext.group(1).lower()}" if ext else "")


def neutral_column_names(names: List[str]) -> Dict[str, str]:
    """Column names (or dotted JSON paths) that hold personal data -> ``column_7`` (position, 1-based).

    >>> neutral_column_names(["bsn", "123456782", "Jansen", "regels[].agb_code"])
    {'123456782': 'column_2', 'Jansen': 'column_3'}
    """
    out = {}
    for i, name in enumerate(names, 1):
        parts = [p for p in re.split(r"\.|\[\]", str(name)) if p]
        if any(name_findings(p) for p in parts or [str(name)]):
            out[name] = f"column_{i}"
    return out


def header_is_data(names: List[str]) -> bool:
    """A first row that is a record, not a header: most cells are values (numbers, dates, identifiers, names).

    >>> header_is_data(["123456782", "Jansen", "12-03-1980", "1234 AB"]), header_is_data(["bsn", "naam", "geb_datum"])
    (True, False)
    """
    if not names:
        return False
    valuey = 0
    for n in names:
        n = str(n).strip()
        if not n:
            continue
        if (_value_findings(n) or re.fullmatch(r"[\d .,\-/:+€]+", n) or re.fullmatch(_PC, n.upper())
                or re.fullmatch(r"\S+@\S+", n)):
            valuey += 1
    return valuey >= max(1, len(names) / 2)


# ---------------------------------------------------------------- columns (vectorised)

def _arrow(values: pd.Series):
    """The column as an Arrow string array (Arrow's RE2 kernels; pandas falls back to Python for some patterns)."""
    import pyarrow as pa

    array = values.array
    if hasattr(array, "_pa_array"):
        return array._pa_array.combine_chunks() if hasattr(array._pa_array, "combine_chunks") else array._pa_array
    return pa.array(values.astype(object).where(values.notna(), None).to_numpy(dtype=object), type=pa.string(),
                    from_pandas=True)


_RE2_MARKS = "".join(c if c == "-" else f"\\x{{{ord(c):X}}}" for c in DIGIT_MARKS)   # DIGIT_MARKS in RE2
# The characters ``fold`` turns into ASCII (NFKC of one character, dashes, spaces), by block: a cell holding none
# is read as it is (accented letters are NFKC-normal: ``Zoë`` costs no normalisation).
FOLDABLE = (r"[\x00\x{34F}\x{61C}\x{66C}\x{180E}\x{FEFF}\x{A0}-\x{BF}\x{17F}\x{2B0}-\x{2E3}\x{37E}\x{58A}\x{5BE}\x{1400}\x{1680}\x{1806}\x{1D2C}-\x{1DBF}"
            r"\x{1FEF}\x{2000}-\x{2BFF}\x{2C7C}\x{2C7D}\x{2E00}-\x{2E7F}\x{3000}-\x{30FF}\x{A7F2}-\x{A7F4}\x{FB29}"
            r"\x{FE10}-\x{FE6F}\x{FF00}-\x{FFEF}\x{107A5}\x{10EAD}\x{1D400}-\x{1D7FF}\x{1F100}-\x{1F1FF}"
            r"\x{1FBF0}-\x{1FBF9}"
            + "".join(f"\\x{{{z:X}}}-\\x{{{z + 9:X}}}" for z in DIGIT_ZEROS) + _RE2_MARKS + "]")
# Each digit of the other scripts (Arabic-Indic, Persian, ...), as ``fold`` reads it: NFKC leaves them alone.
_DIGIT_OF = ["[" + "".join(f"\\x{{{z + d:X}}}" for z in DIGIT_ZEROS) + "]" for d in range(10)]


def _folded(array):
    """The cells as ``find``'s identifier modules read them, for the RE2 prefilters (ASCII digits and spaces only):
    NFKC-normalised (full-width and circled digits, no-break spaces), dashes and spaces of other widths made
    ``-`` and `` ``.  For the few cells a first pass picked (it matches :data:`FOLDABLE` too)."""
    import pyarrow.compute as pc

    if _matches(array, GLUED_TAG).any():
        array = pc.replace_substring_regex(array, TAG, "")   # find reads a text cut by tags without them too
    if not _matches(array, FOLDABLE).any():
        return array
    wide = pc.replace_substring_regex(pc.utf8_normalize(array, "NFKC"), f"[{INVISIBLE}]", "")   # find reads without
    for digit, pattern in enumerate(_DIGIT_OF):
        wide = pc.replace_substring_regex(wide, pattern, str(digit))
    wide = pc.replace_substring_regex(wide, f"(\\d)[{_RE2_MARKS}]+", r"\1")
    wide = pc.replace_substring(wide, "\u066c", ",")   # the Arabic thousands separator, as fold reads it
    return pc.replace_substring_regex(pc.replace_substring_regex(wide, r"\p{Pd}", "-"), r"\p{Zs}", " ")


def _matches(array, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    return pc.fill_null(pc.match_substring_regex(array, pattern), False).to_numpy(zero_copy_only=False)


_PHONE_DIGITS = r"^(?:0031|0)[1-9]\d{8}$"   # the phone cell below, of ASCII digits only


def _ascii_numbers_aside(array, matches, numbers=lambda cells: _matches(cells, _PHONE_DIGITS)) -> np.ndarray:
    """Positions of the cells picked by ``matches`` (a function of an Arrow array), where a cell of ASCII digits
    only is picked by ``numbers`` instead: such a cell holds no tag and nothing to fold, so what the
    caller's patterns and rules make of it is known from its digits alone (:func:`sweep_series`: a phone number,
    ``0`` or ``0031`` and nine digits; :func:`_bare_bsn`: 8 or 9 digits).  A column of claim numbers then costs
    one kernel that stops at a cell's first non-digit and one anchored match, not the long alternations."""
    import pyarrow.compute as pc

    digits = pc.fill_null(pc.ascii_is_decimal(array), False).to_numpy(zero_copy_only=False)
    if not digits.any():
        return np.flatnonzero(matches(array))
    picked = np.zeros(len(array), dtype=bool)
    rest, digit_cells = np.flatnonzero(~digits), np.flatnonzero(digits)
    if len(rest):
        picked[rest] = matches(array.take(rest))
    picked[digit_cells] = numbers(array.take(digit_cells))
    return np.flatnonzero(picked)


def sweep_series(values: pd.Series) -> Dict[int, tuple]:
    """Positions (0-based) of cells holding an identifier -> entity types; bare numbers are left to the column rule."""
    array = _arrow(values)
    # One pass picks the cells that match the prefilter or hold a character find folds (full-width digits, a
    # no-break space); only those are folded and matched again, as find reads them.
    positions = _ascii_numbers_aside(array, lambda picked: _matches(picked, PREFILTER + "|" + FOLDABLE + "|" + GLUED_TAG))
    if not len(positions):
        return {}
    folded = _folded(array.take(positions))
    candidate = _matches(folded, PREFILTER)
    if candidate.any():
        # A cell that is only a number holds an identifier only as a whole: a phone number (checked
        # here, vectorised) or a BSN (the column rule, :func:`bare_bsn_cells`).  Claim numbers skip Python.
        bare = _matches(folded, r"^\s*[\d.,\- ]*\d\s*$") & ~_matches(array.take(positions), GLUED_TAG)   # 1234<PERSON>56782
        phone_cell = _matches(folded, r"^\s*(?:\+31|0031|0)[ \-]?[1-9](?:[ \-]?\d){8}\s*$")
        candidate = candidate & (~bare | phone_cell)
    positions = positions[candidate]
    if not len(positions):
        return {}
    codes, uniques = pd.factorize(pd.Series(array.take(positions).to_pylist(), dtype=object))
    verdict = [tuple(sorted({f.entity for f in find(v)})) if not _is_bare_number(v) else () for v in uniques]
    out = {}
    for pos, code in zip(positions.tolist(), codes.tolist()):
        if code >= 0 and verdict[code]:
            out[pos] = verdict[code]
    return out


def bare_bsn_cells(values: pd.Series) -> tuple[np.ndarray, int]:
    """(positions of bare 8/9-digit cells passing the elfproef, number of bare 8/9-digit cells)."""
    passing, bare = _bare_bsn(values)
    return passing, len(bare)


def _eight_or_nine(cells) -> np.ndarray:
    import pyarrow.compute as pc

    length = pc.binary_length(cells).to_numpy(zero_copy_only=False)
    return (length == 8) | (length == 9)


# A number in E notation whose value is a whole number of 8 or 9 digits: a BSN stored as a floating-point number
# and written by Java's Double.toString or a spreadsheet (7.9964263E8, 1.23456782E+08, 6,248373E8).
E_NUMBER = r"^\s*\+?\d[.,]\d{0,8}[Ee]\+?0?[78]\s*$"


def e_number_digits(text: str) -> Optional[str]:
    """The digits of a whole number of 8 or 9 digits in E notation (:data:`E_NUMBER`), else None.

    >>> e_number_digits("7.9964263E8"), e_number_digits("1,23456782E+08"), e_number_digits("1.2345678912E8")
    ('799642630', '123456782', None)
    """
    m = re.fullmatch(r"\s*\+?(\d)[.,](\d*)[Ee]\+?0?([78])\s*", text)
    if not m or len(m.group(2)) > int(m.group(3)):
        return None
    return (m.group(1) + m.group(2)).ljust(int(m.group(3)) + 1, "0")


def _bare_bsn(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(positions of bare 8/9-digit cells passing the elfproef, positions of all bare 8/9-digit cells); a whole
    number in E notation (:data:`E_NUMBER`) is read as its digits."""
    import pyarrow.compute as pc

    pattern = r"^\s*(?:\d[ .,]?){7,8}\d\s*$"   # "123,456,782": a number cell with thousands separators
    none = np.zeros(0, dtype=np.int64)
    array = _arrow(values)
    # full-width digits are folded first
    positions = _ascii_numbers_aside(array, lambda cells: _matches(cells, pattern + "|" + E_NUMBER + "|" + FOLDABLE),
                                     _eight_or_nine)
    if not len(positions):
        return none, none
    picked = _folded(array.take(positions))
    bare = _matches(picked, pattern)
    digits = pc.replace_substring_regex(picked, r"[^\d]", "").to_pylist()
    for i in np.flatnonzero(~bare & _matches(picked, E_NUMBER)).tolist():
        digits[i] = e_number_digits(picked[i].as_py())
        bare[i] = digits[i] is not None
    positions, digits = positions[bare], [d for d, b in zip(digits, bare) if b]
    if not len(positions):
        return none, none
    passing = bsn.elfproef(digits)
    return positions[passing], positions


def birth_date_cells(values: pd.Series, today: Optional[dt.date] = None) -> np.ndarray:
    """Positions of full dates when the column's dates look like birth dates (spread over decades, mostly past)."""
    return np.flatnonzero(_birth_dates(values, np.arange(len(values)), today))


def _birth_dates(distinct: pd.Series, at: np.ndarray, today: Optional[dt.date] = None) -> np.ndarray:
    """Which of the ``distinct`` values are birth dates, for the column whose cells are ``distinct[at]``: the column
    is judged on its cells (the first 1,000 filled ones, the years of all), each value by itself."""
    none = np.zeros(len(distinct), dtype=bool)
    text = distinct.astype("str").str.strip()
    filled = (text != "").to_numpy(dtype=bool)
    head = at[np.flatnonzero(filled[at])[:1000]]
    if len(head) < 10:
        return none
    looked = np.unique(head)   # only the values of the first 1,000 filled cells are matched
    shaped = np.zeros(len(distinct), dtype=bool)
    shaped[looked] = text.iloc[looked].str.match(r"\d{4}-\d{2}-\d{2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}").fillna(False).to_numpy(dtype=bool)
    if shaped[head].mean() < 0.8:
        return none  # not a date column: no regex extraction over every row
    iso = text.str.extract(r"^(\d{4})-(\d{2})-(\d{2})")
    dmy = text.str.extract(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
    year = pd.to_numeric(iso[0], errors="coerce").fillna(pd.to_numeric(dmy[2], errors="coerce")).to_numpy(dtype=float)
    is_date = ~np.isnan(year)
    dates = int(is_date[at].sum())
    if dates < 10 or dates < 0.8 * max(int(filled[at].sum()), 1):
        return none
    years = year[at][is_date[at]]
    this_year = (today or dt.date.today()).year
    spread = np.percentile(years, 95) - np.percentile(years, 5)
    past = (years <= this_year - 2).mean()
    if spread >= 15 and past >= 0.5 and years.min() <= this_year - 18:
        return is_date
    return none


def _distinct_cells(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(the distinct values, each cell's position among them) when a column repeats its values (a code, a
    gender, a date: the sweep then reads each value once), else (the cells, their own positions)."""
    import pyarrow.compute as pc

    array = _arrow(values)
    # The first 1,000 cells tell a column of distinct values (claim numbers): not encoded for nothing.
    if pc.count_distinct(array.slice(0, 1000)).as_py() > 500:
        return values, np.arange(len(values))
    encoded = pc.dictionary_encode(array)
    if 2 * len(encoded.dictionary) > len(values):
        return values, np.arange(len(values))
    return encoded.dictionary.to_pandas(), encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)


# Two lowercase letters in a row: a word (a surname, a remark), not a code such as C11XY12.  Letters of
# scripts without case count too, so a name in Arabic script is a word.  RE2 syntax: matched by
# pyarrow.compute in C++ (Python's re took 0.7 s per 1M rows of codes).
WORD = r"[\p{Ll}\p{Lt}\p{Lm}\p{Lo}]{2}"


def has_word(values: pd.Series) -> np.ndarray:
    """Whether each value (strings; an empty cell counts as no word) holds a :data:`WORD`."""
    array = _arrow(values)
    out = np.zeros(len(array), dtype=bool)   # a cell of ASCII digits holds no word: RE2 reads only the rest
    out[_ascii_numbers_aside(array, lambda cells: _matches(cells, WORD), lambda cells: np.zeros(len(cells), bool))] = True
    return out


_INITIALS = re.compile(r"(?:[A-Z]\.){1,4}|[A-Z]")   # J.P. or a lone capital (KLAASSEN J)


def _name_word(word: str) -> bool:
    """``Klaassen``, ``KLAASSEN``, ``O'Neill``: capitalised or in capitals (a lowercase word is left as a word)."""
    letters = word.replace("'", "")
    return len(letters) >= 2 and letters.isalpha() and (letters.isupper() or (letters[0].isupper() and letters[1:].islower()))


def whole_surnames(values: pd.Series) -> np.ndarray:
    """Whether each value is a person's name and nothing else: a listed surname (particles and a hyphenated
    second surname allowed) that is not also a common word or a place, or a listed surname with what makes it one
    (a title, initials, a first name, a particle: ``DHR. BOS``, ``KLAASSEN, J.``, ``JAN DE WIT``).  A name among
    the codes of a column kept as safe, which the detector reads as one more code (``KLAASSEN``).

    >>> whole_surnames(pd.Series(["KLAASSEN", "OPEN", "VAN DER HEIJDEN", "Jansen-KLAASSEN", "klaassen", "Man", "", "AMSTERDAM"])).tolist()
    [True, False, True, True, False, False, False, False]
    >>> whole_surnames(pd.Series(["OOST", "ZWART", "KAS", "POST", "Visser", "C11", "Visser 3"])).tolist()
    [False, False, False, False, True, False, False]
    >>> whole_surnames(pd.Series(["DHR. KLAASSEN", "KLAASSEN, J.", "J.P. BOS", "JAN DE WIT", "VERWEIJ-DE BOER", "DE VRIES"])).tolist()
    [True, True, True, True, True, True]
    >>> whole_surnames(pd.Series(["GROOT ZWART", "NOORD OOST", "DEN HAAG", "DE BILT", "KAS BANK", "OPEN J."])).tolist()
    [False, False, False, False, False, False]
    """
    import pyarrow.compute as pc

    from recognizers.lexicon import load_lexicon
    from recognizers.tokens import ORDINARY_WORD, word_frequency

    # Letters only once spaces, hyphens and apostrophes are out: literal kernels, no regex (a column of claim
    # numbers or dates costs one pass in C).  Only those few distinct values are read in Python.
    import pyarrow as pa

    array = _arrow(values)
    alpha = pc.fill_null(pc.utf8_is_alpha(array), False).to_numpy(zero_copy_only=False)
    # Kernels that stop at the first character that is no letter, a space, a quote or one that prints as nothing:
    # a column of numbers costs ~10 ms per 1M.
    def where(kernel, cells) -> np.ndarray:
        return pc.fill_null(kernel(cells), False).to_numpy(zero_copy_only=False)

    first = pc.utf8_slice_codeunits(array, 0, 1)
    starts = where(pc.utf8_is_alpha, first) | where(pc.utf8_is_space, first) | where(lambda c: pc.equal(c, '"'), first)
    other = ~where(pc.string_is_ascii, array)   # a non-ASCII cell (full-width letters, a BOM, a no-break space)
    marked = np.flatnonzero(~alpha & starts | other)
    if len(marked):   # "VAN DER HEIJDEN", "Jansen-KLAASSEN", "O'Neill" (a postcode "1234 AB" is no letters only)
        # Read as find reads a value (NFKC, without what prints as nothing), padded, quoted or KLAASSEN/JANSEN:
        # each distinct value once (a code column of a million cells holds a few).
        encoded = pc.dictionary_encode(array.take(marked))
        view = pc.replace_substring_regex(_folded(encoded.dictionary), r"[/_\s]+", " ")
        view = pc.replace_substring_regex(view, r'^[\s"*]+|[\s"*]+$', "")
        letters = pc.replace_substring_regex(view, r"[ \-'.,]", "")
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        passed = where(pc.utf8_is_alpha, letters)[indices]
        alpha[marked] = passed
        if passed.any():
            mask = np.zeros(len(array), dtype=bool)
            mask[marked[passed]] = True
            array = pc.replace_with_mask(array, pa.array(mask), view.take(pa.array(indices[passed])).cast(array.type))
    candidates = np.flatnonzero(alpha)
    out = np.zeros(len(values), dtype=bool)
    encoded = pc.dictionary_encode(array.take(candidates))
    distinct = encoded.dictionary.to_pylist()
    if not any(len(v) >= 4 for v in distinct):   # a gender column (V, M) does not load the name lists
        return out
    lexicon = load_lexicon()

    def surname(word: str) -> bool:
        # Codes are words too (OOST, KAS, GROOT): a word of 3 letters or one as frequent as an ordinary Dutch
        # word (Zipf >= ORDINARY_WORD, the detector's table rule) is left as a code; the surnames this lets through (BOS,
        # BERG) cost less than a region or payment column withheld whole.
        low = word.lower()
        return (len(word) >= 4 and _name_word(word) and lexicon.is_surname(word) and not lexicon.is_common_word(low)
                and low not in lexicon.places and word_frequency(low) < ORDINARY_WORD)

    def listed(word: str) -> bool:   # a listed surname even if also a word or a place (BOS, DE BOER), not BIJ
        return _name_word(word) and lexicon.is_surname(word) and word_frequency(word.lower()) < 6

    def first_name(word: str) -> bool:   # BEN, MAN are words: not proof enough
        return (len(word) >= 3 and _name_word(word) and lexicon.is_first_name(word.capitalize())
                and not lexicon.is_common_word(word.lower()))

    def whole(value: str) -> bool:
        words = value.replace(",", " ").split()
        kinds = []
        for word in words:
            if not _INITIALS.fullmatch(word) and word.rstrip(".").lower() not in _TITLES:
                word = word.rstrip(".")   # KLAASSEN.
            parts = [p for p in word.split("-") if p]
            names = [p for p in parts if p.lower() not in _PARTICLE_WORDS]
            if word.lower() in _PARTICLE_WORDS:
                kinds.append("particle")
            elif word.rstrip(".").lower() in _TITLES:
                kinds.append("title")
            elif _INITIALS.fullmatch(word):
                kinds.append("initials")
            elif names and all(surname(p) for p in names):
                kinds.append("surname")
            elif names and all(listed(p) for p in names):
                kinds.append("listed")
            elif first_name(word):
                kinds.append("first")
            else:
                return False
        if " ".join(words).lower() in lexicon.places:   # DEN HAAG, DE BILT
            return False
        if "surname" in kinds:
            return True
        if "listed" not in kinds:
            return False
        # a listed surname that is also a word or a place is a name beside a title, initials or a first name
        return bool({"title", "initials", "first"} & set(kinds)) or any(
            a == "particle" and b == "listed" for a, b in zip(kinds, kinds[1:]))

    # Each distinct value read once (a code column is a million cells of a few values).
    verdicts = np.array([whole(v) for v in distinct], dtype=bool)
    out[candidates] = verdicts[encoded.indices.to_numpy(zero_copy_only=False)]
    return out


LONE_NUMBER_SHARE = 0.05   # bare 8/9-digit cells at most this share of a column's filled cells: no number column


def _lone_numbers(distinct: pd.Series, cells: np.ndarray, bare_cells: int) -> bool:
    """Whether a column's bare 8/9-digit cells are a few among other text (a BSN typed in a column of codes): then
    each one passing the elfproef is a BSN, not an order number passing it by chance (chance withholds about 1 in
    11 of them, less than half a percent of the column).  ``cells`` counts each distinct value's cells."""
    if bare_cells > LONE_NUMBER_SHARE * int(cells.sum()):
        return False
    filled = (distinct.astype("str").str.strip() != "").to_numpy(dtype=bool)
    return bare_cells <= LONE_NUMBER_SHARE * int(cells[filled].sum())


class OutputSweep:
    """The last gate: every string cell of the output is swept; a cell with an identifier is withheld.

    ``skip`` are columns whose values the policy produced (pseudonyms, bands, tags).  ``event_columns``
    are columns whose header names an event, so their dates are not birth dates.  ``wordless`` are columns
    kept as safe from a sample with no :data:`WORD` in it: a cell with one is withheld (``UNSAMPLED_TEXT``),
    since what the sample did not show was never judged.
    """

    def __init__(self, skip=(), event_columns=(), wordless=()) -> None:
        self.skip, self.events, self.wordless = set(skip), set(event_columns), set(wordless)
        self.withheld: Counter = Counter()        # (column, entity) -> cells
        self.withheld_per_column: Counter = Counter()   # column -> cells (a cell with two findings counts once)
        self.cells: Counter = Counter()           # column -> cells swept
        self.locations: List[dict] = []

    def withhold(self, frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
        """The frame with every unsafe cell replaced by :data:`WITHHELD`; counts and locations recorded."""
        for column in frame.columns:
            positions = self.unsafe(column, frame[column], rows)
            if len(positions):
                new = frame[column].copy()
                new.iloc[positions] = WITHHELD
                frame[column] = new
        return frame

    def unsafe(self, column: str, values: pd.Series, rows: np.ndarray) -> np.ndarray:
        """Positions (sorted) of the cells of one column to withhold; counts and locations recorded.  Only these
        positions need to travel back from a worker: the cells themselves are replaced where the batch is."""
        none = np.zeros(0, dtype=np.int64)
        if column in self.skip or (values.dtype != "str" and values.dtype != object):
            return none
        self.cells[column] += int(values.notna().sum())
        # Every verdict is a value's own (given the column's rules): each distinct value is judged once.
        distinct, at = _distinct_cells(values.fillna(""))
        found = self._verdicts(column, distinct, at)
        if not found:
            return none
        flagged = np.zeros(len(distinct), dtype=bool)
        flagged[list(found)] = True
        positions = np.flatnonzero(flagged[at])
        self.withheld_per_column[column] += len(positions)
        for p, d in zip(positions.tolist(), at[positions].tolist()):
            for entity in found[d]:
                self.withheld[(column, entity)] += 1
            if len(self.locations) < 1000:
                self.locations.append({"row": int(rows[p]), "column": column, "entity_types": list(found[d])})
        return positions

    def _verdicts(self, column: str, distinct: pd.Series, at: np.ndarray) -> Dict[int, tuple]:
        """Position among ``distinct`` -> entity types, for the column whose cells are ``distinct[at]`` (its
        rules count cells: a column of bare numbers by its share passing the elfproef, dates by their spread)."""
        unsafe: Dict[int, tuple] = sweep_series(distinct)
        passing, bare = _bare_bsn(distinct)
        cells = np.bincount(at, minlength=len(distinct))
        passing_cells, bare_cells = int(cells[passing].sum()), int(cells[bare].sum())
        if passing_cells and (passing_cells >= 3 and passing_cells >= BSN_COLUMN_RATE * bare_cells
                              or _lone_numbers(distinct, cells, bare_cells)):
            for p in passing.tolist():
                unsafe[p] = tuple(sorted(set(unsafe.get(p, ())) | {"NL_BSN"}))
        if column not in self.events:
            for p in np.flatnonzero(_birth_dates(distinct, at)).tolist():
                unsafe[p] = tuple(sorted(set(unsafe.get(p, ())) | {"DATE_OF_BIRTH"}))
        for p in np.flatnonzero(whole_surnames(distinct)).tolist():
            unsafe[p] = tuple(sorted(set(unsafe.get(p, ())) | {"PERSON"}))
        if column in self.wordless:
            for p in np.flatnonzero(has_word(distinct)).tolist():
                unsafe[p] = tuple(sorted(set(unsafe.get(p, ())) | {"UNSAMPLED_TEXT"}))
        return unsafe

    def merge(self, part: "OutputSweep") -> None:
        """Add the counts of a sweep over a later batch (a worker's): as if this sweep had swept it."""
        self.withheld.update(part.withheld)
        self.withheld_per_column.update(part.withheld_per_column)
        self.cells.update(part.cells)
        self.locations.extend(part.locations[:max(0, 1000 - len(self.locations))])

    def withheld_cells(self, column: str) -> int:
        return self.withheld_per_column[column]

    def summary(self) -> List[dict]:
        return [{"column": c, "entity_type": e, "cells": n} for (c, e), n in sorted(self.withheld.items())]

    def over_threshold(self, share: float) -> List[str]:
        """Columns in which more than ``share`` of the cells were withheld: the policy does not fit the file."""
        columns = {c for c, _ in self.withheld}
        return sorted(c for c in columns if self.withheld_cells(c) > share * max(self.cells[c], 1))
