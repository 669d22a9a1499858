"""A small, fast tokenizer for the lookup recognizers (independent of spaCy).

Words keep internal hyphens and apostrophes (``Anne-Marie``, ``'s-Hertogenbosch``),
every other non-space character is a token of its own, and each token knows
whether a line break or a tab (a cell boundary in pasted tables) separates it
from the previous one.

>>> [t.text for t in tokenize("Dhr. J.P. van 't Hof-Jansen\\nBelde")]
['Dhr', '.', 'J', '.', 'P', '.', 'van', "'t", 'Hof-Jansen', 'Belde']
>>> tokenize("a\\nb")[1].newline_before
True
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(
    r"['’`]s-[^\W\d_]+(?:-[^\W\d_]+)*"      # 's-Hertogenbosch
    r"|['’`][tT](?![\w])"                    # 't (van 't Hof)
    r"|[^\W\d_]+(?:['’\-][^\W\d_]+)*"        # words, Anne-Marie, d'Ancona
    r"|\d+"
    r"|[^\w\s]"
)


class Token:
    """A token and the facts the recognizers ask of it, computed once."""

    __slots__ = ("text", "start", "end", "newline_before", "lower", "is_word", "is_capitalized")

    def __init__(self, text: str, start: int, end: int, newline_before: bool) -> None:
        self.text, self.start, self.end, self.newline_before = text, start, end, newline_before
        self.lower, self.is_word, self.is_capitalized = _facts(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and (self.text, self.start, self.end, self.newline_before) == (
            other.text, other.start, other.end, other.newline_before)

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end))

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end}, {self.newline_before})"


@lru_cache(maxsize=16)
def tokenize(text: str) -> tuple[Token, ...]:
    """Tokens of ``text`` (cached: the person and location recognizers share them)."""
    return tuple(_tokenize(text))


def _facts(text: str) -> tuple[str, bool, bool]:
    """A token's lowercase form, whether it is a word, whether it is capitalised."""
    lower = text.lower()
    if "\u0307" in lower:
        lower = lower.replace("\u0307", "")  # Turkish "ALİ", "İzmir": "ali", "izmir", as lists spell them
    first = text[:1]
    is_word = first.isalpha() or first in "'’`"
    if lower[:3] in ("'s-", "’s-", "`s-"):
        text = text[3:]  # 's-Hertogenbosch
    return lower, is_word, text.lstrip("'’`")[:1].isupper()


# Facts per distinct token text: a text's words are mostly ones seen before.
_FACTS: dict[str, tuple[str, bool, bool]] = {}
_FACTS_MAX = 200_000  # bounded memory: emptied when full
_SPLIT = re.compile(f"({_TOKEN.pattern})")
_new_token = object.__new__


def _tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    # [gap, token, gap, token, ..., gap]: no match objects, offsets summed from the lengths
    parts = _SPLIT.split(text)
    facts = _FACTS
    if len(facts) > _FACTS_MAX:
        facts.clear()
    pos = 0
    for n in range(1, len(parts), 2):
        gap, word = parts[n - 1], parts[n]
        start = pos + len(gap)
        pos = start + len(word)
        tok = _new_token(Token)
        tok.text, tok.start, tok.end = word, start, pos
        tok.newline_before = "\n" in gap or "\t" in gap
        known = facts.get(word)
        if known is None:
            known = facts[word] = _facts(word)
        tok.lower, tok.is_word, tok.is_capitalized = known
        tokens.append(tok)
    return tokens


# The Zipf frequency at which a word is as common as an ordinary Dutch word (``kerk``), whatever lists hold it
ORDINARY_WORD = 4.6


@lru_cache(maxsize=200_000)
def word_frequency(word: str) -> float:
    """Zipf frequency of a lowercase word in Dutch (0 for unknown words).

    >>> word_frequency("kerk") > 4.6 > word_frequency("jansen")
    True
    """
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl")
