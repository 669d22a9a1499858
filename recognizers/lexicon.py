"""Dutch lookup lists: names, streets, places and words that are not names.

The lists come from the ``deduce`` package (UMC Utrecht), read straight from
its installed list files.  We never build ``deduce.Deduce()`` (about two
minutes and 1 GB on first use): plain Python sets load in well under a second.

>>> lex = load_lexicon()
>>> "Jan" in lex.first_names, "jansen" in lex.surnames, "utrecht" in lex.places
(True, True, True)
>>> lex.is_common_word("Koorts"), lex.is_common_word("Oukili")
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path


def _deduce_lists() -> Path:
    return Path(str(resources.files("deduce").joinpath("data", "lookup", "src")))


def _read(path: Path) -> list[str]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def _items(root: Path, name: str) -> set[str]:
    folder = root / name
    return set(_read(folder / "items.txt")) - set(_read(folder / "exceptions.txt"))


# Capitalised words that start Dutch sentences and headings in care notes and
# that the name lists also hold.  Months and weekdays are never names here.
EXTRA_NON_NAMES = {
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
    "zaterdag", "zondag", "patiënt", "patiënte", "patient", "cliënt", "client", "verzekerde",
    "huisarts", "tandarts", "arts", "graag", "vandaag", "morgen", "gisteren", "verder", "tevens",
    "hierbij", "gezien", "advies", "conclusie", "beleid", "anamnese", "klachten", "status", "plan",
    "afspraak", "controle", "uitslag", "betreft", "datum", "naam", "adres", "geachte", "beste",
    "hallo", "groet", "groeten", "bericht", "factuur", "declaratie", "nota", "opmerking",
    "opmerkingen", "toelichting", "reden", "verzoek", "klacht", "zorg", "kosten", "bedrag",
    "telefoon", "mobiel", "email", "mail", "bsn", "iban", "agb", "uzovi", "big", "kvk", "nederland",
    "nederlandse", "europa", "god", "heer", "mevrouw", "meneer", "dokter", "zuster", "pijn",
    "mondzorg", "tandheelkunde", "fysiotherapie", "ziekenhuis", "kliniek", "praktijk", "apotheek",
    "dienst", "afdeling", "spoed", "ok", "ic", "seh", "poli", "polikliniek", "intake", "recept",
    "medicatie", "diagnose", "behandeling", "onderzoek", "terugbelverzoek", "telefoonnotitie",
    "vervolg", "samenvatting", "overdracht", "brief", "verwijzing", "ontslag", "opname", "mvg",
    "vriendelijke", "hartelijke", "groeten", "met", "namens", "tav", "cc", "bijlage", "ja", "nee",
    "wel", "niet", "geen", "goed", "slecht", "matig", "stabiel", "nieuw", "nieuwe", "oud", "oude",
    "eerste", "tweede", "derde", "laatste", "volgende", "vorige", "alle", "alleen", "ook", "nog",
    "toch", "echter", "daarnaast", "daarom", "omdat", "want", "maar", "dus", "wij", "hij", "zij",
    "ik", "u", "we", "ze", "mijn", "uw", "zijn", "haar", "hun", "ons", "onze", "deze", "dit",
    "die", "dat", "het", "een", "de", "en", "of", "als", "dan", "toen", "na", "voor", "door",
    "bij", "in", "op", "aan", "uit", "naar", "over", "onder", "tussen", "zonder", "tijdens",
    "wegens", "vanwege", "sinds", "vanaf", "tot", "per", "via", "binnen", "buiten", "ivm", "i.v.m",
    "mbt", "m.b.t", "zn", "z.n", "dd", "d.d", "svp", "evt", "o.a", "oa", "bv", "b.v", "nb", "ps",
}


@dataclass(frozen=True)
class DutchLexicon:
    first_names: frozenset[str]
    surnames: frozenset[str]             # lowercase
    interfix_surnames: frozenset[str]    # lowercase, the part after "van", "de", ...
    interfixes: tuple[tuple[str, ...], ...]  # lowercase token sequences, longest first
    interfixes_by_first: dict[str, tuple[tuple[str, ...], ...]]  # the same, by first word
    streets: frozenset[str]              # lowercase
    places: frozenset[str]               # lowercase
    common_words: frozenset[str]         # lowercase: not a name on their own
    eponyms: frozenset[str]              # lowercase surnames used in disease names
    institutions: frozenset[str]         # lowercase hospital names
    # places of several tokens ("krimpen aan den ijssel"), by their first two tokens, longest first
    place_sequences: dict[tuple[str, str], tuple[tuple[str, ...], ...]]

    def is_common_word(self, word: str) -> bool:
        return word.lower() in self.common_words

    def is_first_name(self, word: str) -> bool:
        if word in self.first_names or word.capitalize() in self.first_names:
            return True
        return "İ" in word and word.replace("İ", "I").capitalize() in self.first_names  # Turkish capitals: "ALİ"

    def place_length(self, toks, i: int) -> int:
        """Tokens of the longest listed place of several words starting at token i, on one line (0: none).

        ``toks`` are :class:`recognizers.tokens.Token`; one dict look-up per call.
        """
        if i + 1 >= len(toks):
            return 0
        for seq in self.place_sequences.get((toks[i].lower, toks[i + 1].lower), ()):
            k = len(seq)
            if i + k <= len(toks) and toks[i + k - 1].is_capitalized and all(
                toks[i + m].lower == seq[m] and not toks[i + m].newline_before for m in range(1, k)
            ):
                return k
        return 0

    def is_surname(self, word: str) -> bool:
        return word.lower() in self.surnames or word.lower() in self.interfix_surnames


def _by_first_two(names: set[str]) -> dict[tuple[str, str], tuple[tuple[str, ...], ...]]:
    """Token sequences of the names of several tokens, keyed by their first two (one dict look-up per token)."""
    from .tokens import _tokenize

    seqs = {tuple(t.lower for t in _tokenize(name)) for name in names}
    by_two: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for seq in sorted((s for s in seqs if len(s) > 1), key=lambda seq: (-len(seq), seq)):
        by_two.setdefault(seq[:2], []).append(seq)
    return {k: tuple(v) for k, v in by_two.items()}


@lru_cache(maxsize=1)
def load_lexicon() -> DutchLexicon:
    root = _deduce_lists()
    names, locations, whitelist = root / "names", root / "locations", root / "whitelist"
    interfixes = {tuple(i.lower().split()) for i in _items(names, "lst_interfix")}
    interfixes |= {("van", "der"), ("van", "den"), ("van", "de"), ("in", "het"), ("op", "de")}
    # the civil register's tussenvoegsels of a preposition and an article that deduce's list lacks
    interfixes |= {("aan", "den"), ("aan", "het"), ("aan", "'t"), ("uit", "den"), ("uit", "het"), ("uit", "'t"),
                   ("in", "de"), ("bij", "de"), ("op", "ten")}
    # abbreviated, as notes write them: "mw. v.d. Kamp", "v/d Berg"
    interfixes |= {("v", ".", "d", "."), ("v", "/", "d"), ("v", ".", "der"), ("v", ".", "den"),
                   ("v", ".")}  # "A.v.Rijn", "J. v. Dam"
    places: set[str] = set()
    for sub in ("lst_residence", "lst_municipality", "lst_province", "lst_region"):
        places |= {p.lower() for p in _items(locations / "lst_placename", sub)}
    # "'t Zandt" is listed as "het zandt": both spellings are the place.
    places |= {"'t " + p[4:] for p in places if p.startswith("het ")}
    streets = {s.lower() for s in _items(locations, "lst_street")}
    streets |= {s.lower() for s in _read(locations / "lst_street" / "streets_bag.txt")}
    epo_root = whitelist / "lst_eponymous_disease"
    eponyms: set[str] = set()
    for line in _read(epo_root / "items.txt") + _read(epo_root / "lst_eponymous_single" / "items.txt"):
        for part in line.replace("-", " ").split():
            if part[:1].isupper():
                eponyms.add(part.lower())
    common = {w.lower() for w in _items(whitelist, "lst_common_word")}
    common |= {w.lower() for w in _read(whitelist / "lst_stop_word" / "items.txt")}
    common |= {w.lower() for w in _read(whitelist / "lst_medical_term" / "items.txt")}
    common |= EXTRA_NON_NAMES
    institutions = {i.lower() for i in _items(root / "institutions", "lst_hospital")}
    # sorted fully (not by length alone), so nothing depends on set order
    ordered = tuple(sorted(interfixes, key=lambda seq: (-len(seq), seq)))
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for seq in ordered:
        by_first.setdefault(seq[0], []).append(seq)
    return DutchLexicon(
        place_sequences=_by_first_two(places),
        first_names=frozenset(_items(names, "lst_first_name")),
        surnames=frozenset(s.lower() for s in _items(names, "lst_surname")),
        interfix_surnames=frozenset(s.lower() for s in _items(names, "lst_interfix_surname")),
        interfixes=ordered,
        interfixes_by_first={k: tuple(v) for k, v in by_first.items()},
        streets=frozenset(streets),
        places=frozenset(places),
        common_words=frozenset(common),
        eponyms=frozenset(eponyms),
        institutions=frozenset(institutions),
    )
