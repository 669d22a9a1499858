"""The shortcuts that make detection fast give the answers of the slow way.

Each shortcut (a str.find before a label regex, a shared lowercase text) must never
change what is found; benchmarks/findings_digest.py compares whole corpora, these
tests pin the reasoning the shortcuts rest on.
"""

import re
import sys

from hypothesis import given, settings, strategies as st

from recognizers import ALL_RECOGNIZERS
from recognizers.base import DutchPatternRecognizer
from recognizers.context import CASE_FOLDS_BEYOND_LOWER, ContextRule

RULES = [r.context_rule for r in (cls() for cls in ALL_RECOGNIZERS) if isinstance(r, DutchPatternRecognizer)]


def _words(terms):
    for term in terms or ():
        for item in term:
            yield from ([item] if isinstance(item, str) else item)


LITERAL_CHARS = sorted({c for rule in RULES for word in _words(rule.positive_terms) for c in word})


def test_case_insensitive_matches_of_the_labels_letters_lowercase_to_them():
    """str.find on text.lower() may stand in for re.IGNORECASE only for characters whose lower() is the letter."""
    every_character = "".join(map(chr, range(sys.maxunicode + 1)))
    beyond = set()
    for c in LITERAL_CHARS:
        for m in re.finditer(re.escape(c), every_character, re.IGNORECASE):
            if m.group().lower() != c:
                beyond.add(m.group())
    assert beyond <= set(CASE_FOLDS_BEYOND_LOWER)


WORDS = ["BSN", "bsn-nummer", "Geb.", "geboren", "AGB-code", "Kvk", "k.v.k.", "ID-kaart", "idkaart", "polisnummer",
         "Patiëntnummer", "paspoort", "BIG-register", "uzovi", "*", "İd", "ıd", "ſofi", "KVK", "Verz.nr", "lidmaatschapsnummer", "verzekerdennr", "klant nummer", "cliëntnr", "Verzekerde", "nummer", "BIG-nr", "geb.datum"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet="abcdeIiİıſ .-:*\n0123456789", max_size=8)), max_size=8))
def test_label_prefilter_agrees_with_the_regex(parts):
    text = " ".join(parts)
    for rule in RULES:
        if rule.positive is not None:
            assert rule.has_positive(text) == (rule.positive.search(text) is not None), rule.positive.pattern[:60]


def test_a_rule_without_plain_labels_has_no_prefilter():
    assert ContextRule([r"[a-z]+", r"bsn"]).positive_terms is None
    assert ContextRule([r"geboren", r"geb\b"]).positive_terms == (("geb",),)  # the parser factors "geb" out
    assert ContextRule([r"polis(?:nummer|nr)", r"verz\.?\s?nr"]).positive_terms == (("polisn",), ("verz", "nr"))


def _patterns():
    """(name, compiled pattern, requirement) of every pattern a recognizer checks before running it."""
    from recognizers.identifiers import phone
    from recognizers.phone import _UAN
    from recognizers.prefilter import requirement

    out = []
    for cls in ALL_RECOGNIZERS:
        r = cls()
        if isinstance(r, DutchPatternRecognizer):
            out += [(f"{cls.__name__}.{p.name}", c, n) for p, c, n in zip(r.patterns, r._compiled, r._needs)]
    out += [(f"phone.{c.pattern[:20]}", c, requirement(c.pattern)) for c in (phone.CANDIDATE, phone.FOREIGN_CANDIDATE, _UAN)]
    return out


PATTERNS = _patterns()


def test_requirements_are_read_from_the_patterns():
    needs = {name: need for name, _, need in PATTERNS}
    assert needs["NlBsnRecognizer.bsn_9_digits"].digits == 9
    assert needs["EmailRecognizer.email"].chars == {"@", "."}
    assert needs["IpAddressRecognizer.ipv6"].chars == {":"}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789 .-/+@:()NLBnlab\n", max_size=40))
def test_a_pattern_never_matches_where_its_requirement_says_it_cannot(text):
    for name, compiled, need in PATTERNS:
        if compiled.search(text) is not None:
            assert need.may_match(text), name


def test_abbreviations_are_short_enough_for_the_bounded_search():
    """sentence_start searches only ABBREVIATION_LONGEST characters back for an abbreviation."""
    from re import _parser

    from recognizers.context import _ABBREVIATION, ABBREVIATION_LONGEST

    assert _parser.parse(_ABBREVIATION.pattern).getwidth()[1] <= ABBREVIATION_LONGEST


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abmrdtv. !?\nMJ(\"'", max_size=60))
def test_sentence_start_is_the_unbounded_search(window):
    from recognizers.context import _ABBREVIATION, _SENTENCE_END, sentence_start

    start = 0
    for m in _SENTENCE_END.finditer(window):
        if m.group() == "\n" or not _ABBREVIATION.search(window, 0, m.start()):
            start = m.end()
    assert sentence_start(window) == start
