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
