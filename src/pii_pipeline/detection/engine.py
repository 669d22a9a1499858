"""The detector: Presidio's AnalyzerEngine with the Dutch recognizers, built once per process.

:func:`get_detector` builds the engine on first use (about a second: the
lookup lists and the blank tokenizer) and returns the same one afterwards, so
callers never pay construction per call.  :meth:`Detector.detect` returns
:class:`Finding` objects: entity type, character offsets and score, never the
matched text.

Overlapping findings of different types are resolved here (Presidio keeps
them all) by a fixed rule, so the same text gives the same findings in every
process whatever its hash seed: the higher score wins, then the longer span,
then the entity type earlier in :data:`ENTITY_PRIORITY`, then the earlier start.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Iterable, List, Optional, Sequence

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

from recognizers import dutch_recognizers
from recognizers.entities import TEXT_ENTITY_NAMES
from recognizers.identifiers import by_entity

from ..config import DetectionConfig
from ..logs import quiet_noisy_libraries
from ..offline import ensure_offline
from .nlp import DutchNlpEngine

# Texts longer than this are analysed in overlapping windows, so a 10 MB
# document runs in bounded memory and time per window.
WINDOW = 100_000
OVERLAP = 500


@dataclass(frozen=True)
class Finding:
    entity_type: str
    start: int
    end: int
    score: float

    def to_dict(self) -> dict:
        d = asdict(self)
        d["score"] = round(self.score, 2)
        return d


# Ties of score and length go to the type whose mistake costs more: identifiers
# with a checksum first, direct identifiers before quasi-identifiers, so a name
# that is also a place ("Dhr. Rotterdam") is masked as the person it names.
ENTITY_PRIORITY = (
    "NL_BSN", "IBAN_CODE", "NL_BTW", "NL_BIG", "NL_AGB", "NL_ID_DOCUMENT", "EMAIL_ADDRESS", "IP_ADDRESS",
    "PHONE_NUMBER", "NL_MEMBER_NUMBER", "NL_KVK", "DATE_OF_BIRTH", "NL_UZOVI", "ADDRESS", "PERSON",
    "NL_POSTCODE", "LOCATION",
)
_RANK = {name: n for n, name in enumerate(ENTITY_PRIORITY)}


def _tie_break(f: Finding) -> tuple:
    return (-f.score, -(f.end - f.start), _RANK.get(f.entity_type, len(_RANK)), f.entity_type, f.start, f.end)


def resolve_overlaps(findings: Iterable[Finding]) -> List[Finding]:
    """Keep the best of overlapping findings by a fixed rule (see :func:`_tie_break`).

    >>> resolve_overlaps([Finding("PERSON", 0, 3, 0.6), Finding("ADDRESS", 0, 12, 0.9), Finding("NL_POSTCODE", 14, 21, 0.7)])
    [Finding(entity_type='ADDRESS', start=0, end=12, score=0.9), Finding(entity_type='NL_POSTCODE', start=14, end=21, score=0.7)]
    >>> resolve_overlaps([Finding("LOCATION", 5, 14, 0.85), Finding("PERSON", 5, 14, 0.85)])
    [Finding(entity_type='PERSON', start=5, end=14, score=0.85)]
    """
    ranked = sorted(findings, key=_tie_break)
    # One byte per character marks what is taken: linear in the findings' lengths.
    taken = bytearray(max((f.end for f in ranked), default=0))
    kept: List[Finding] = []
    for f in ranked:
        if f.end > f.start and taken.find(1, f.start, f.end) == -1:
            taken[f.start:f.end] = b"\x01" * (f.end - f.start)
            kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end))


def _windows(text: str) -> Iterable[tuple[int, str]]:
    if len(text) <= WINDOW:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + WINDOW)
        if end < len(text):
            # end the window at whitespace so no token is cut in two
            cut = text.rfind(" ", start + WINDOW // 2, end)
            cut2 = text.rfind("\n", start + WINDOW // 2, end)
            end = max(cut, cut2) if max(cut, cut2) > 0 else end
        yield start, text[start:end]
        if end >= len(text):
            break
        start = max(end - OVERLAP, start + 1)


_DATE_AFTER_NAME = re.compile(
    # "Nasrallah, H. (m), 21-9-1992": a gender mark may stand between
    r"^(?:(?:\s*\((?:m|v|f|man|vrouw|♂|♀)\)|\s*,\s*(?:m|v|f|man|vrouw|♂|♀)(?=\s*,))?\s*(?:,|\(|,\s*\()\s*"  # "Bart Smit, m, 05-03-1979"
    # ... and so may a kinship word in the brackets: "Mw. Tuhumury (moeder, 1928-03-09)"
    r"(?:(?:moeder|vader|zoon|dochter|partner|echtgeno(?:ot|te)|kind|oma|opa),\s*)?(?P<date>{date})\)?"
    # a list of people, one a line: "Lina: 02-03-2012, BSN ..." (the name starts its line)
    r"|:\s*(?P<listed>{date})(?=\s*(?:,|;|\n|$))"
    # ... or its fields set apart by dashes: "1. Rahul Iyer — 12-01-1985 — BSN ..."
    r"|\s+[—–-]\s+(?P<dashed>{date})(?=\s+[—–-]\s|[ \t]*(?:\n|$))"
    # a gender sign between: "Lubbers, Tim  ♂  30-12-2004"
    r"|\s*[♂♀]\s*(?P<symbol>{date})(?![\w/-])"
    # a birth year in brackets, in a family ("kinderen Aryan (2008) en Kiara (2012)"; see _YEAR_CONTEXT),
    # or with the child's role in the brackets ("Putu (kind, 2019)")
    r"|\s*\((?P<role>(?:kind|zoon|dochter|baby),\s*)?(?P<year>(?:19|20)\d{2})\)"
    # a date with a two-digit year, alone in brackets: "dhr van der pol (02-02-52)"
    r"|\s*\((?P<short>\d{1,2}(?P<sep_short>[-/.])\d{1,2}(?P=sep_short)\d{2})\)"
    # after a name ending in its initials, as a record writes it: "Karsodimedjo, W. 02-10-1970"
    r"| (?P<record>{date})(?![\w/-])"
    # or alone after the name at the end of its line, set apart by a tab or two spaces (a label, a table row)
    r"|(?:\t|  +)\s*(?P<last>{date})[ \t]*(?:\n|$)"
    # or in the next cell of a row that the name starts ("Lambertus Peeters    02-05-1975   Basis", "Bakker, J. | 06/06/1966 |")
    r"|(?:\t|  +|[ \t]*\|[ \t]*)(?P<cell>{date})(?=[ \t]*(?:\t|  |\|))"
    # or after the person's BSN in a record: "Gijsbertus Mooij, 365460898, 1955-02-18"
    r"|,[ \t]*(?P<bsn>\d{9}),[ \t]*(?P<after_bsn>{date})(?![\w/-]))".replace("{date}", r"\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|(?:19|20)\d{2}-\d{2}-\d{2}|\d{1,2} [a-z]{3,9}\.? \d{4}"
                                                   r"|(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"),
    re.IGNORECASE,
)


_INVERTED = re.compile(r",\s*(?:[A-Z][a-z]?\.){1,6}$")
_DATE_GROUPS = ("date", "listed", "dashed", "symbol", "year", "short", "last", "record", "cell", "after_bsn")
_PLACE_DATE = re.compile(r",[ \t]*(?P<place>\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|(?:19|20)\d{2}-\d{2}-\d{2})(?![\w/-])")
_COMMA = re.compile(r",[ \t]*")
# A list item's mark before a name that starts its line: "1. ", "- ", "• ".
_BULLET = re.compile(r"[ \t]*(?:(?:\d{1,3}[.)]|[-*•–—])[ \t]+)?")
# Who did something, before the name: the date after the name is the act's ("Gecontroleerd door: ...").
_AGENT = re.compile(r"(?i)(?<![\w])(?:door|paraaf|ondertekend|getekend|afgehandeld|verwerkt|medewerker|behandelaar)\b\W*$")
# A family: the children's birth years in brackets ("en kinderen Aryan (2008) en Kiara (2012)").
_YEAR_CONTEXT = re.compile(r"(?i)(?<![\w])(?:kind(?:eren)?|zoon|zonen|dochters?|baby|tweeling|gezin|broer(?:tje)?|zus(?:je)?)\b")
# A header line naming a date column that is no birth date ("Naam   Behandeldatum   Bedrag").
# ... also a column of a contract's dates headed without "datum" ("ingang", "einde", "geldig tot")
_OTHER_DATE_HEADER = re.compile(r"(?i)(?<!geboorte)(?<!geb\.)(?<!geb)(?:datum|date\b|\bingang|\baanvang\b|\beinde\b|\bgeldig\b|\bvanaf\b)")
_BIRTH_HEADER = re.compile(r"(?i)geb|birth|dob")
HEADER_REACH = 12  # rows looked back to find a table's header (bounded work per name)


def _header_names_another_date(text: str, start: int) -> bool:
    """The row starting at ``start`` sits under a header (the first line above without a date)
    that names a date column other than a birth date."""
    line_start = text.rfind("\n", 0, start) + 1
    for _ in range(HEADER_REACH):
        if line_start == 0:
            return False
        prev = text.rfind("\n", 0, line_start - 1) + 1
        line = text[prev:line_start - 1]
        if not _ROW_DATE.search(line):
            return bool(_OTHER_DATE_HEADER.search(line)) and not _BIRTH_HEADER.search(line)
        line_start = prev
    return False


_ROW_DATE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|(?:19|20)\d{2}-\d{2}-\d{2}")


class _NoContextEnhancer(ContextAwareEnhancer):
    def __init__(self) -> None:
        super().__init__(context_similarity_factor=0, min_score_with_context_similarity=0, context_prefix_count=0, context_suffix_count=0)

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        return raw_results


class Detector:
    def __init__(self, config: Optional[DetectionConfig] = None) -> None:
        ensure_offline()
        quiet_noisy_libraries()
        self.config = config or DetectionConfig()
        self.nlp_engine = DutchNlpEngine(self.config.spacy_model)
        self.registry = RecognizerRegistry(supported_languages=["nl"])
        for recognizer in dutch_recognizers("nl"):
            self.registry.add_recognizer(recognizer)
        self._analyzer: Optional[AnalyzerEngine] = None
        if self.nlp_engine.has_ner:
            from presidio_analyzer.predefined_recognizers import SpacyRecognizer

            self.registry.add_recognizer(SpacyRecognizer(supported_language="nl", supported_entities=["PERSON", "LOCATION"]))
            self._analyzer = self._engine()  # a model is loaded (a missing one reported) when the detector is built
        quiet_noisy_libraries()  # Presidio re-adds its handler while building the engine
        self.entities = list(self.config.entities or TEXT_ENTITY_NAMES)
        self._recognizers: dict[tuple[str, ...], list] = {}

    @property
    def analyzer(self) -> AnalyzerEngine:
        """Presidio's engine over the same registry.  Built on first use: with the blank tokenizer the
        recognizers are called directly (:meth:`_analyze`), so neither the engine nor spaCy's blank
        pipeline (0.5-1 s of every process that detects) is needed to detect."""
        if self._analyzer is None:
            self._analyzer = self._engine()
        return self._analyzer

    def _engine(self) -> AnalyzerEngine:
        self.nlp_engine.load()
        engine = AnalyzerEngine(
            registry=self.registry,
            nlp_engine=self.nlp_engine,
            supported_languages=["nl"],
            # Our recognizers score their own context from the raw text; Presidio's
            # lemma enhancer is only useful for a real model's NER results.
            context_aware_enhancer=None if self.nlp_engine.has_ner else _NoContextEnhancer(),
        )
        quiet_noisy_libraries()  # Presidio re-adds its handler while building the engine
        return engine

    def _analyze(self, text: str, wanted: List[str]) -> List[RecognizerResult]:
        """Presidio's results for ``text``.

        With the blank tokenizer the recognizers are called directly: the
        engine would tokenize with spaCy, build keyword lists and run its
        context enhancer, none of which our recognizers read (they tokenize
        and weigh context themselves); that was a third of the time per note.
        """
        if self.nlp_engine.has_ner:
            return self.analyzer.analyze(text, language="nl", entities=wanted)
        key = tuple(wanted)
        recognizers = self._recognizers.get(key)
        if recognizers is None:
            recognizers = self._recognizers[key] = self.registry.get_recognizers(language="nl", entities=wanted)
        keep = set(wanted)
        results: List[RecognizerResult] = []
        for recognizer in recognizers:
            found = recognizer.analyze(text, wanted, None)
            if found:  # most recognizers find nothing in a note
                results.extend([r for r in found if r.entity_type in keep])
        return results

    def detect(self, text: str, entities: Optional[Sequence[str]] = None, threshold: Optional[float] = None) -> List[Finding]:
        """Findings in ``text`` at or above the score threshold, overlaps resolved."""
        if not text or not text.strip():
            return []
        threshold = self.config.score_threshold if threshold is None else threshold
        wanted = list(entities or self.entities)
        raw: List[Finding] = []
        for offset, window in _windows(text):
            results = self._analyze(window, wanted)
            raw.extend(Finding(r.entity_type, r.start + offset, r.end + offset, r.score) for r in results)
        findings = resolve_overlaps(f for f in set(raw) if f.score >= threshold)
        if "NL_UZOVI" in wanted and "NL_MEMBER_NUMBER" in wanted and "/" in text and threshold <= SCORE_PAIR:
            findings = _insurer_and_member_pairs(text, findings)
        if any(f.entity_type == "ADDRESS" for f in findings):
            findings = _without_institution_addresses(text, findings)
        if "DATE_OF_BIRTH" in wanted:
            findings = self._birth_dates_after_names(text, findings, threshold)
            findings = _dates_of_a_birth_year(text, findings)
        return _repeated_identifiers(text, findings)

    @staticmethod
    def _birth_date_on_line_before(findings: List[Finding], starts: List[int], extra: List[Finding], line_start: int, start: int) -> bool:
        """A birth date found between ``line_start`` and ``start`` (the findings are sorted by start)."""
        for e in findings[bisect.bisect_left(starts, line_start):bisect.bisect_left(starts, start)]:
            if e.entity_type == "DATE_OF_BIRTH":
                return True
        return any(e.entity_type == "DATE_OF_BIRTH" and line_start <= e.start < start for e in extra[-3:])

    @staticmethod
    def _birth_dates_after_names(text: str, findings: List[Finding], threshold: float) -> List[Finding]:
        """'J. de Vries (12-03-1985)': a date right after a name is that person's birth date."""
        from recognizers.date_of_birth import is_plausible_birth_date
        from recognizers.identifiers import bsn, dates

        extra = []
        starts = [f.start for f in findings]  # sorted, and the spans do not overlap

        def free(start: int, end: int) -> bool:
            n = bisect.bisect_left(starts, end)  # the findings starting before the span ends
            return n == 0 or findings[n - 1].end <= start

        for f in findings:
            if f.entity_type != "PERSON":
                continue
            anchor = f.end
            m = _DATE_AFTER_NAME.match(text[anchor:anchor + 40])
            line_start = text.rfind("\n", 0, f.start) + 1
            starts_line = _BULLET.fullmatch(text, line_start, f.start) is not None
            if m is None and starts_line:
                # "1. Jan Zwaan, Epe, 12-4-1951": a list of people, the place between name and date
                n = bisect.bisect_left(starts, f.end)
                if n < len(findings) and findings[n].entity_type == "LOCATION" and _COMMA.fullmatch(text, f.end, findings[n].start):
                    anchor = findings[n].end
                    m = _PLACE_DATE.match(text[anchor:anchor + 40])
            group = m and ("place" if anchor != f.end else next(g for g in _DATE_GROUPS if m.group(g)))
            if not m or not (dates.is_plausible_birth_year(m.group(group)) if group == "year" else is_plausible_birth_date(m.group(group))):
                continue
            if _AGENT.search(text, max(line_start, f.start - 40), f.start):
                continue  # "Gecontroleerd door: Marieke Hofstede, 01-12-2026": the date of the check
            if group in ("listed", "cell", "dashed", "place") and not starts_line:
                continue  # "Anna: 12-03-2024" inside a line is a speaker and a date, not a list
            if group == "year" and not (m.group("role") or _YEAR_CONTEXT.search(text, max(line_start, f.start - 60), f.start)
                                        or self._birth_date_on_line_before(findings, starts, extra, line_start, f.start)):
                continue  # "Verhoeven (2019)" may be a citation: only in a family or beside a birth date
            if group in ("cell", "last") and _header_names_another_date(text, f.start):
                continue  # "Naam      Behandeldatum": the column is another date
            if group == "record" and not _INVERTED.search(text, f.start, f.end):
                continue  # only "Surname, X." ends in its initials so
            start, end = anchor + m.start(group), anchor + m.end(group)
            if 0.6 < threshold or not free(start, end):
                continue
            if group == "after_bsn":
                # name, BSN, birth date: a record; the elfproef-valid number is the person's BSN
                number = (anchor + m.start("bsn"), anchor + m.end("bsn"))
                if not bsn.is_valid(m.group("bsn")) or not free(*number):
                    continue
                extra.append(Finding("NL_BSN", *number, 0.6))
            extra.append(Finding("DATE_OF_BIRTH", start, end, 0.6))
        return sorted(findings + extra, key=lambda f: (f.start, f.end))


_INSTITUTION_LINE_TYPES = {"ADDRESS", "NL_POSTCODE", "LOCATION"}


def _without_institution_addresses(text: str, findings: List[Finding]) -> List[Finding]:
    """An organisation's own address (a letterhead, 'Servicekantoor Noord: Stationsplein 12, 9726 AE
    Groningen') is no personal data: its street, postcode and place on that line are dropped
    (``recognizers.address.institution_address`` decides; phone numbers and identifiers stay)."""
    from recognizers.address import institution_address

    drop: List[tuple[int, int]] = []
    for f in findings:
        if f.entity_type == "ADDRESS" and institution_address(text, f.start):
            line_end = text.find("\n", f.end)
            drop.append((f.start, len(text) if line_end < 0 else line_end))
    if not drop:
        return findings
    return [f for f in findings if not (f.entity_type in _INSTITUTION_LINE_TYPES and any(a <= f.start < b for a, b in drop))]


# "Verzekerde: dhr. Bosma, 8 mrt 1934, 3351/104882917": an insurer's UZOVI code, a slash and
# the member number, as insurers write a member's reference; only with an insured person on the line.
_PAIR = re.compile(r"(?<![\w/.,-])(\d{4})/(\d{6,16})(?![\w/-]|[.,]\d)")
_INSURED = re.compile(r"(?i)verzeker|uzovi|polis|lidn|relatien")
SCORE_PAIR = 0.85
PAIR_REACH = 120


def _insurer_and_member_pairs(text: str, findings: List[Finding]) -> List[Finding]:
    from recognizers.identifiers import uzovi

    extra = []
    for m in _PAIR.finditer(text):
        line_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - PAIR_REACH)
        if uzovi.is_known(m.group(1)) and _INSURED.search(text, line_start, m.start()):
            extra += [Finding("NL_UZOVI", m.start(1), m.end(1), SCORE_PAIR), Finding("NL_MEMBER_NUMBER", m.start(2), m.end(2), SCORE_PAIR)]
    return resolve_overlaps(findings + extra) if extra else findings


BIRTH_YEAR_REACH = 200


def _dates_of_a_birth_year(text: str, findings: List[Finding]) -> List[Finding]:
    """'Geboortedatum: 1993 (in papieren staat 01-01-1993)': a birth year found alone makes a
    date of that year later on its line the birth date too."""
    from recognizers.identifiers import dates

    extra = []
    for f in findings:
        year = dates.year_only(text[f.start:f.end]) if f.entity_type == "DATE_OF_BIRTH" else None
        if year is None:
            continue
        # at most BIRTH_YEAR_REACH characters on: bounded work per finding, whatever the line's length
        line_end = text.find("\n", f.end, f.end + BIRTH_YEAR_REACH)
        line_end = min(len(text), f.end + BIRTH_YEAR_REACH) if line_end < 0 else line_end
        for start, end in dates.find(text[f.end:line_end]):
            date = dates.parse(text[f.end + start:f.end + end])
            if date.year == year:
                extra.append(Finding("DATE_OF_BIRTH", f.end + start, f.end + end, f.score))
    return resolve_overlaps(findings + extra) if extra else findings


_NON_DIGITS = re.compile(r"\D+")
_DIGIT = re.compile(r"\d")


def _repeated_identifiers(text: str, findings: List[Finding]) -> List[Finding]:
    """An identifier found once is found wherever the same value stands again in the text.

    ``het juiste nummer is 22279180 (met een nul ervoor: 022279180)``: the label
    is far from the second one, but it is the same BSN; a birth date given again
    in another notation (``07 JUN 1981 / 07.06.1981``) is the same birth date.  Values are compared in
    their identifier module's compact form; only spans that no finding covers
    are added.  Linear: one ``find`` over the text per identifier found.
    """
    modules = _FINDERS()
    seen: dict[str, dict[str, float]] = {}
    for f in findings:
        if f.entity_type in modules:
            value = modules[f.entity_type].compact(text[f.start:f.end])
            seen.setdefault(f.entity_type, {})[value] = max(f.score, seen.get(f.entity_type, {}).get(value, 0))
    if not seen:
        return findings
    # A value can only stand twice when its digits do: one cheap count before the finders run.
    digits = _NON_DIGITS.sub("", text)
    # (a date said in words, "drie februari achtentachtig", holds no digits: once in digits is a repeat)
    in_words = {f.entity_type for f in findings if f.entity_type == "DATE_OF_BIRTH" and not _DIGIT.search(text, f.start, f.end)}
    seen = {entity: values for entity, values in seen.items()
            if any(digits.count(_key_digits(entity, value)) > (entity not in in_words) for value in values)}
    if not seen:
        return findings
    taken = bytearray(len(text))
    for f in findings:
        taken[f.start:f.end] = b"\x01" * (f.end - f.start)
    extra = []
    for entity, values in seen.items():
        for start, end in modules[entity].find(text):
            score = values.get(modules[entity].compact(text[start:end]))
            if score is not None and taken.find(1, start, end) == -1:
                taken[start:end] = b"\x01" * (end - start)
                extra.append(Finding(entity, start, end, score))
    return sorted(findings + extra, key=lambda f: (f.start, f.end)) if extra else findings


def _key_digits(entity: str, value: str) -> str:
    """Digits that any notation of ``value`` (its compact form) holds: a date's year, an identifier's digits."""
    if entity == "DATE_OF_BIRTH":
        return value[:4]  # "1981-06-07": "07 JUN 1981" and "07.06.1981" both hold 1981
    return _NON_DIGITS.sub("", value).lstrip("0") or "0"


@lru_cache(maxsize=1)
def _FINDERS() -> dict:
    """Entity type -> identifier module with ``find`` (BSN, IBAN, phone, postcode, btw, birth date)."""
    from recognizers.identifiers import dates

    finders = {entity: m for entity, m in by_entity().items() if hasattr(m, "find")}
    # A birth date found once is that person's birth date in another notation too ("07 JUN 1981 / 07.06.1981").
    finders[dates.ENTITY] = dates
    return finders


@lru_cache(maxsize=4)
def get_detector(config: Optional[DetectionConfig] = None) -> Detector:
    """The process-wide detector for a configuration (built on first use)."""
    return Detector(config or DetectionConfig.from_env())
