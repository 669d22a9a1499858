"""Shared machinery for the Dutch pattern recognizers.

A :class:`DutchPatternRecognizer` is a Presidio ``PatternRecognizer`` whose
subclasses declare ``PATTERNS``, ``CONTEXT`` (label words that confirm the
entity), ``NEGATIVE_CONTEXT`` (label words of other identifiers) and a
checksum in ``validate_result``.  Scoring is done here, from the raw text, so
it works the same with a blank spaCy pipeline (no lemmas) as with a full model:

* checksum fails                         -> no result
* a competing label directly labels it -> no result
* our label in the sentence            -> ``CONTEXT_SCORE``
* no label                             -> the pattern's own score, or no result
                                          when ``REQUIRES_CONTEXT``

(the weighing is :class:`recognizers.context.ContextRule`).
"""

from __future__ import annotations

from typing import ClassVar, List, Optional

import re

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from .context import ContextRule
from .identifiers import fold
from .prefilter import NOTHING, Requirement, requirement

# Bound the regex work per text: a pathological 10 MB input must not hang a run.
REGEX_TIMEOUT_SECONDS = 5.0
# The timeout's clock checks cost more than scanning a short text (1-4 µs of a 150-character
# note's 2-7 µs per pattern); below this length the patterns, linear in the text
# (tests/test_linear_time.py), are done in well under a millisecond without one.
TIMEOUT_FROM_LENGTH = 2_000


def make_result(recognizer: EntityRecognizer, entity: str, start: int, end: int, score: float) -> RecognizerResult:
    """A result marked as already scored for context, so Presidio's enhancer leaves it alone."""
    return RecognizerResult(
        entity_type=entity,
        start=start,
        end=end,
        score=min(score, 1.0),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
            RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
        },
    )


class DutchPatternRecognizer(PatternRecognizer):
    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[List[Pattern]] = []
    CONTEXT: ClassVar[List[str]] = []
    NEGATIVE_CONTEXT: ClassVar[List[str]] = []
    CONTEXT_SCORE: ClassVar[float] = 0.95
    REQUIRES_CONTEXT: ClassVar[bool] = False
    CONTEXT_BEFORE: ClassVar[int] = 45
    CONTEXT_AFTER: ClassVar[int] = 25
    REGEX_FLAGS: ClassVar[int] = regex.DOTALL | regex.MULTILINE
    # Patterns that only ever count with a label of ours: not run on a text without one.
    LABEL_ONLY_PATTERNS: ClassVar[frozenset] = frozenset()
    # Patterns that count only straight after our label (spaced digits, "KvK 9 2 0 1 4 4 7 8").
    DIRECT_ONLY_PATTERNS: ClassVar[frozenset] = frozenset()
    # ASCII punctuation a pattern's matches stand beside, which its look-arounds hide from the
    # prefilter ("_" around a BSN in a file name): not run on a text without it.
    PATTERN_NEEDS: ClassVar[dict] = {}
    # Patterns that Python's own ``re`` scans faster than the ``regex`` module (a digit or a letter
    # class behind a look-behind: measured 1.3-2.7x, benchmarks/detect_instructions.py): compiled
    # with both, ``re`` used on texts short enough to need no timeout.
    RE_PATTERNS: ClassVar[frozenset] = frozenset()
    # A necessary condition of every pattern, checked once before any runs (a regex that starts with
    # a digit, so it is scanned at C speed): None for none.
    PREFILTER: ClassVar[Optional[str]] = None

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=list(self.PATTERNS),
            # Presidio's own context enhancer needs lemmas; we score context
            # ourselves, so it is given the words only for its explanations.
            context=[w for w in self.CONTEXT if w.isalpha()],
            supported_language=supported_language,
            name=type(self).__name__,
            global_regex_flags=self.REGEX_FLAGS,
        )
        self.context_rule = ContextRule(
            self.CONTEXT, self.NEGATIVE_CONTEXT, self.CONTEXT_BEFORE, self.CONTEXT_AFTER
        )
        self.context_rule.keys_decide = self.REQUIRES_CONTEXT
        self._compiled = [regex.compile(p.regex, self.REGEX_FLAGS) for p in self.patterns]
        self._prefilter = re.compile(self.PREFILTER) if self.PREFILTER else None
        re_flags = self.REGEX_FLAGS & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE)
        self._short = [re.compile(p.regex, re_flags) if p.name in self.RE_PATTERNS else c
                       for p, c in zip(self.patterns, self._compiled)]
        # What each pattern needs of a text (digits, an "@"): a pattern that cannot match is not run.
        self._needs = [requirement(p.regex, self.REGEX_FLAGS) for p in self.patterns]
        for n, p in enumerate(self.patterns):
            if p.name in self.PATTERN_NEEDS:
                need = self._needs[n]
                self._needs[n] = Requirement(need.digits, need.chars | frozenset(self.PATTERN_NEEDS[p.name]))

    def may_have_context(self, text: str) -> bool:
        """False when no label of ours occurs anywhere in ``text`` (a cheap first check)."""
        return self.context_rule.has_positive(text)

    def validate_result(self, pattern_text: str) -> Optional[bool]:  # noqa: D102
        return None

    def score(self, text: str, start: int, end: int, pattern: Pattern) -> Optional[float]:
        """The final score of a match that passed its checksum, or None to drop it."""
        if pattern.name in self.DIRECT_ONLY_PATTERNS:
            return max(self.CONTEXT_SCORE, pattern.score) if self.context_rule.labels_directly(text, start) else None
        verdict = self.context_rule.classify(text, start, end)
        if verdict == "negative":
            return None
        if verdict == "positive":
            return max(self.CONTEXT_SCORE, pattern.score)
        return None if self.REQUIRES_CONTEXT else pattern.score

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None, regex_flags=None) -> List[RecognizerResult]:
        text = fold(text)  # full-width digits are digits; offsets unchanged
        if self.REQUIRES_CONTEXT and not self.may_have_context(text):
            return []  # no label of ours anywhere: nothing to find
        if self._prefilter is not None and self._prefilter.search(text) is None:
            return []  # no pattern can match
        results: List[RecognizerResult] = []
        labelled = None
        timeout = REGEX_TIMEOUT_SECONDS if len(text) >= TIMEOUT_FROM_LENGTH else None
        for pattern, compiled, short, need in zip(self.patterns, self._compiled, self._short, self._needs):
            if need is not NOTHING and not need.may_match(text):
                continue
            try:
                matches = list(compiled.finditer(text, timeout=timeout) if timeout or short is compiled else short.finditer(text))
            except TimeoutError:
                # Never log the text; the type and size are enough to investigate.
                continue
            if matches and pattern.name in self.LABEL_ONLY_PATTERNS:
                labelled = self.may_have_context(text) if labelled is None else labelled
                if not labelled:
                    continue
            for match in matches:
                start, end = match.span()
                value = match.group()
                if not value or self.validate_result(value) is False or self.invalidate_result(value):
                    continue
                score = self.score(text, start, end, pattern)
                if score is None or score <= 0:
                    continue
                results.append(make_result(self, self.ENTITY, start, end, score))
        return EntityRecognizer.remove_duplicates(results) if len(results) > 1 else results
