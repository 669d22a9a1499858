"""Cheap necessary conditions read from a pattern, checked before the pattern runs.

A pattern that needs at least eight digits cannot match a text holding fewer; one that
needs an ``@`` cannot match a text without one.  Both facts are read from the pattern
itself with Python's own regex parser, so they cannot drift from the pattern when its
rules change.  The reading is conservative: a construct it does not know counts as
needing nothing, and a pattern using syntax of the ``regex`` module that ``re`` reads
differently gets no condition at all.

>>> need = requirement(r"(?<![\\w.])\\d{3}[. ]?\\d{2}(?:\\d|x)@[a-z]+")
>>> need.digits, sorted(need.chars)
(5, ['@'])
>>> need.may_match("mail a@b, 12345"), need.may_match("no at sign 123456"), need.may_match("x@y 12")
(True, False, False)
>>> requirement(r"[[:alpha:]]+\\d").digits  # POSIX class: the regex module's syntax, no condition
0
"""

from __future__ import annotations

import re
import string
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional
from re import _constants as C  # noqa: N812  (the parser's opcodes)
from re import _parser

import regex

# Syntax that the regex module reads in a way re does not (or not at all).
_REGEX_ONLY = ("[[", "[:", "\\p", "\\P", "\\X", "\\m", "\\M", "\\L<", "\\K", "\\G", "(?|", "(?V", "(?r", "(?f", "(?e",
               "(?b", "(?(DEFINE", "(?&", "(?P>", "(?R", "(?0", "{e", "{i", "{d", "{s", "\\N{")
_ESCAPE = re.compile(r"\\[^pPXmMLKGN]")
_PUNCTUATION = frozenset(string.punctuation)
_NON_DIGITS = regex.compile(r"\D+")  # the regex module's \d, as the patterns read it


@dataclass(frozen=True)
class Requirement:
    digits: int = 0                    # at least this many characters matching \d
    chars: frozenset = frozenset()     # ASCII punctuation every match contains

    def may_match(self, text: str) -> bool:
        """False only when no match is possible in ``text``."""
        if self.digits and digit_count(text) < self.digits:
            return False
        for c in self.chars:
            if c not in text:
                return False
        return True


NOTHING = Requirement()


@lru_cache(maxsize=8)
def digit_count(text: str) -> int:
    """How many characters of ``text`` match ``\\d`` (cached: every recognizer asks of the same text)."""
    return len(_NON_DIGITS.sub("", text))


@lru_cache(maxsize=512)
def requirement(source: str, flags: int = 0) -> Requirement:
    """What every match of ``source`` needs (:data:`NOTHING` when that cannot be read safely)."""
    plain = _ESCAPE.sub("e", source)  # "\\(?0" is a bracket and "?0", not "(?0"; "[\\w:]" no "[:"
    if any(token in plain for token in _REGEX_ONLY):
        return NOTHING
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "possible nested set" and the like: read differently
            re.compile(source, flags & (re.VERBOSE | re.IGNORECASE | re.DOTALL | re.MULTILINE))
            parsed = _parser.parse(source, flags & (re.VERBOSE | re.IGNORECASE | re.DOTALL | re.MULTILINE))
    except (re.error, Warning, ValueError, TypeError, OverflowError, RecursionError):
        return NOTHING
    digits, chars = _sequence(list(parsed))
    return Requirement(digits, chars) if digits or chars else NOTHING


def _sequence(items) -> tuple[int, frozenset]:
    digits, chars = 0, frozenset()
    for op, av in items:
        d, c = _item(op, av)
        digits, chars = digits + d, chars | c
    return digits, chars


def _is_digit_set(items) -> bool:
    for op, av in items:
        if op is C.CATEGORY and av is C.CATEGORY_DIGIT:
            continue
        if op is C.LITERAL and chr(av) in string.digits:
            continue
        if op is C.RANGE and ord("0") <= av[0] <= av[1] <= ord("9"):
            continue
        return False
    return bool(items)


def _item(op, av) -> tuple[int, frozenset]:
    if op is C.LITERAL:
        c = chr(av)
        if c in string.digits:
            return 1, frozenset()
        return 0, frozenset(c) if c in _PUNCTUATION else frozenset()
    if op is C.IN:
        if _is_digit_set(av):
            return 1, frozenset()
        if len(av) == 1 and av[0][0] is C.LITERAL and chr(av[0][1]) in _PUNCTUATION:
            return 0, frozenset(chr(av[0][1]))
        return 0, frozenset()
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av
        d, c = _sequence(sub)
        return (low * d, c) if low >= 1 else (0, frozenset())
    if op is C.SUBPATTERN:
        return _sequence(av[-1])
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _sequence(av)
    if op is C.BRANCH:
        results = [_sequence(alt) for alt in av[1]]
        return min(d for d, _ in results), frozenset.intersection(*(c for _, c in results))
    return 0, frozenset()  # assertions, back references, any character, categories: nothing certain


# -- literal words a case-insensitive label regex needs --------------------------------------------

Terms = tuple  # alternatives; each a tuple of items that must all be in the text; an item is a
#               string, or a tuple of strings of which one must be


def literal_terms(source: str, flags: int = 0) -> Optional[Terms]:
    """The plain words every match of ``source`` holds, as alternatives of required items, or
    None when some alternative needs no word that can be read (then no shortcut applies).
    (Python's parser factors a common start out of alternatives: ``nummer|nr`` is ``n`` and ``ummer|r``.)

    Letters are lowercased: the check runs on the lowercase text (see ``CASE_FOLDS_BEYOND_LOWER``
    in :mod:`recognizers.context` for the letters where that is not the same as IGNORECASE).

    >>> literal_terms(r"(?<![a-z0-9])(?:verz\\.?\\s?nr|lid(?:maat)?(?:nummer|nr)|geb\\b)")
    (('verz', 'nr'), ('lid', 'n', ('ummer', 'r')), ('geb',))
    >>> literal_terms(r"(?:bsn|[a-z]+straat)") is None  # "straat" is needed, but the check is kept simple
    False
    >>> literal_terms(r"(?:bsn|\\d+)") is None
    True
    """
    plain = _ESCAPE.sub("e", source)
    if any(token in plain for token in _REGEX_ONLY):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = list(_parser.parse(source, flags & (re.VERBOSE | re.IGNORECASE | re.DOTALL | re.MULTILINE)))
    except (re.error, Warning, ValueError, TypeError, OverflowError, RecursionError):
        return None
    terms = _alternatives(parsed)
    return terms if terms and all(terms) else None


def _alternatives(items) -> Terms:
    """A sequence that is one group of alternatives (the label regex's shape), or itself one term."""
    items = [it for it in items if it[0] not in (C.ASSERT, C.ASSERT_NOT, C.AT)]
    if len(items) == 1 and items[0][0] is C.SUBPATTERN:
        return _alternatives(list(items[0][1][-1]))
    if len(items) == 1 and items[0][0] is C.BRANCH:
        return tuple(_term(list(alt)) for alt in items[0][1][1])
    return (_term(items),)


def _term(items) -> tuple:
    """Items every match of the sequence holds: runs of literal characters, and groups of plain words."""
    out, run = [], []

    def flush():
        if run:
            out.append("".join(run).lower())
            run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if op is C.IN and len(av) == 1 and av[0][0] is C.LITERAL:
            run.append(chr(av[0][1]))
            continue
        flush()
        if op is C.SUBPATTERN:
            words = _words(list(av[-1]))
            if words:
                out.append(words)
        elif op is C.BRANCH:
            words = _words([(op, av)])
            if words:
                out.append(words)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            words = _words(list(av[2]))
            if words:
                out.append(words)
    flush()
    return tuple(w for w in out if w)


def _words(items) -> Optional[tuple]:
    """A group that is one plain word or alternatives of plain words: ('nummer', 'nr'); else None."""
    if len(items) == 1 and items[0][0] is C.SUBPATTERN:
        return _words(list(items[0][1][-1]))
    alternatives = [list(alt) for alt in items[0][1][1]] if len(items) == 1 and items[0][0] is C.BRANCH else [items]
    words = []
    for alt in alternatives:
        if not alt or any(op is not C.LITERAL for op, _ in alt):
            return None
        words.append("".join(chr(av) for _, av in alt).lower())
    return words[0] if len(words) == 1 else tuple(words)


def quick_terms(terms: Terms) -> tuple:
    """Per alternative, its (at most) two longest plain words: a weaker necessary condition that is
    cheap to check in Python (a loop over every item costs more than the regex it would save).
    An alternative that holds only where another does adds nothing and is dropped.

    >>> quick_terms((("lid", "n", ("ummer", "r")), ("verz", "nr"), ("verzekering", "n"), ("bsn",), ("bsnr",)))
    (('bsn',), ('lid', 'n'), ('verz', 'nr'), ('verzekering', 'n'))
    """
    out = []
    for term in terms:
        words = sorted((w for w in term if w.__class__ is str), key=len, reverse=True)[:2]
        if not words or len(words[0]) < 2 and words[0].isalpha():
            return ()  # an alternative with only groups of words, or one letter ("b"): no cheap check
        out.append(tuple(words))
    # weakest first; a term is dropped when a kept one holds wherever it does (each of the kept
    # one's words inside one of its words)
    kept: list = []
    for term in sorted(dict.fromkeys(out), key=lambda t: (len(t), sum(map(len, t)))):
        if not any(all(any(k in w for w in term) for k in known) for known in kept):
            kept.append(term)
    return tuple(kept)


def terms_hold(terms: Terms, low: str) -> bool:
    """True when some alternative has all its items in the lowercase text ``low``."""
    for term in terms:
        for item in term:
            if item.__class__ is str:
                if item not in low:
                    break
            else:
                for word in item:
                    if word in low:
                        break
                else:
                    break
        else:
            return True
    return False
