"""A small, fast tokenizer for the lookup recognizers (independent of spaCy).

Words keep internal hyphens and apostrophes (``Anne-Marie``, ``'s-Hertogenbosch``),
every other non-space character is a token of its own, and each token knows
whether a line break separates it from the previous one.

>>> [t.text for t in tokenize("Dhr. J.P. van 't Hof-Jansen\\nBelde")]
['Dhr', '.', 'J', '.', 'P', '.', 'van', "'t", 'Hof-Jansen', 'Belde']
>>> tokenize("a\\nb")[1].newline_before
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(
    r"['’`]s-[^\W\d_]+(?:-[^\W\d_]+)*"      # 's-Hertogenbosch
    r"|['’`][tT](?![\w])"                    # 't (van 't Hof)
    r"|[^\W\d_]+(?:['’\-][^\W\d_]+)*"        # words, Anne-Marie, d'Ancona
    r"|\d+"
    r"|[^\w\s]"
)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    newline_before: bool

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha() or self.text[:1] in "'’`"

    @property
    def is_capitalized(self) -> bool:
        text = self.text
        if text[:3].lower() in ("'s-", "’s-", "`s-"):
            text = text[3:]  # 's-Hertogenbosch
        return text.lstrip("'’`")[:1].isupper()

    @property
    def lower(self) -> str:
        return self.text.lower()


@lru_cache(maxsize=16)
def tokenize(text: str) -> tuple[Token, ...]:
    """Tokens of ``text`` (cached: the person and location recognizers share them)."""
    return tuple(_tokenize(text))


def _tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    prev_end = 0
    for m in _TOKEN.finditer(text):
        tokens.append(Token(m.group(), m.start(), m.end(), "\n" in text[prev_end:m.start()]))
        prev_end = m.end()
    return tokens


@lru_cache(maxsize=200_000)
def word_frequency(word: str) -> float:
    """Zipf frequency of a lowercase word in Dutch (0 for unknown words).

    >>> word_frequency("kerk") > 4.6 > word_frequency("jansen")
    True
    """
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl")
