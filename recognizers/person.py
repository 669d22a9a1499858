"""PERSON: names of people in Dutch free text.

Lookup lists alone miss the rare Dutch and Frisian surnames and the names of
the many nationalities living in the Netherlands, so names are found from
several kinds of evidence, each a named pass over the tokens (in the manner of
docdeid's processors), strongest first:

0. :class:`BlockNonNames`: capitalised words that name an institution
   (``Jeroen Bosch Ziekenhuis``), a street (``Anna Paulownastraat``) or a
   multi-word place (``Krimpen aan den IJssel``) are never a person.
1. :class:`ContextNames`: a title (``mevrouw``, ``dhr.``, ``dr.``), a role
   (``patiënt``, ``huisarts``), a salutation or signature (``Beste``, ``Met
   vriendelijke groet,``) or a field label (``naam:``) followed by a
   capitalised name: any name, listed or not.
2. :class:`ShapeNames`: initials (``J.P.``) or a known first name followed by
   more name (``Sem Kok``, ``P.J. Vos``: after a first name or initials a
   surname may be an ordinary word).
3. :class:`InterfixNames`: a capitalised tussenvoegsel and a listed surname
   (``De Vries``, ``Van Dijk``).
4. :class:`LookupNames`: a single surname or first name from the lists that
   ``deduce`` ships, when it is not also an ordinary Dutch word.
5. :class:`RepeatedNames`: a surname found once is found again elsewhere in
   the same text.

These are the main kinds; :data:`PASSES` gives every pass in the order they run
(inverted ``Surname, X.`` names, counterparties, signatures, lowercase names,
:class:`RelativeNames` after a kinship word (``dochters Selam en Hiwet``),
:class:`HandleNames` for chat handles (``@tom``), transcript speakers, initials,
the joining of adjacent name words and, last, :class:`ConsistentNames`), each
with its own docstring.

A name is covered whole: tussenvoegsels and hyphenated double surnames
(``van Dam-van der Linden``) belong to it, a ``van`` that belongs to the
sentence (``de huisarts van Anna Smid``) does not.  Every pass looks at a
bounded number of tokens around each token, so the work is linear in the
length of the text.

>>> r = DutchPersonRecognizer()
>>> text = "Mevrouw Oukili belde. Oukili vraagt naar de ziekte van Parkinson."
>>> [text[x.start:x.end] for x in r.analyze(text, ["PERSON"])]
['Oukili', 'Oukili']
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from presidio_analyzer import EntityRecognizer, RecognizerResult

from .base import make_result
from .lexicon import DutchLexicon, load_lexicon
from .tokens import Token, tokenize, word_frequency

TITLES = {
    "dhr", "de heer", "heer", "mevr", "mevrouw", "mw", "mej", "mejuffrouw", "meneer", "mijnheer",
    "dr", "drs", "prof", "ir", "ing", "mr", "ds", "zr", "zuster", "br", "broeder", "fam", "familie",
    "wed", "weduwe", "juf", "juffrouw", "dokter", "mrs", "mr", "ms", "miss", "sir", "madam", "gezin",
    "dhr/mevr", "hr", "mvr", "mw/dhr", "bc", "drs", "mtr",
    "pat", "kl",  # call-centre notes: "pat. v.d. Berg", "Kl. Kromodimedjo"
}
ROLES = {
    "patiënt", "patiënte", "patient", "patiente", "pt", "pte", "cliënt", "cliënte", "client",
    "cliente", "verzekerde", "aanvrager", "aanvraagster", "huisarts", "tandarts", "orthodontist",
    "mondhygiënist", "mondhygiëniste", "kaakchirurg", "fysiotherapeut", "psycholoog", "psychiater",
    "specialist", "internist", "cardioloog", "chirurg", "neuroloog", "arts", "verpleegkundige",
    "behandelaar", "collega", "apotheker", "verloskundige", "casemanager", "praktijkondersteuner",
    "assistente", "doktersassistente", "tandartsassistente", "echtgenoot", "echtgenote", "partner",
    "moeder", "vader", "zoon", "dochter", "broer", "zus", "zuster", "kleinzoon", "kleindochter",
    "buurman", "buurvrouw", "mantelzorger", "contactpersoon", "vertegenwoordiger", "curator",
    "bewindvoerder", "mentor", "medewerker", "medewerkster", "verwijzer", "gemachtigde",
    "zorgverlener", "therapeut", "logopedist", "diëtist", "podotherapeut", "oogarts", "kinderarts",
    "gynaecoloog", "uroloog", "longarts", "dermatoloog", "anesthesioloog", "radioloog", "geriater",
    "assistent", "schoonmoeder", "schoonvader", "oom", "tante", "neef", "nicht", "opa", "oma",
    "weduwnaar", "voogd", "ouder", "vriend", "vriendin", "namens", "door", "tav", "t.a.v", "aan",
    "behandelend", "dossierhouder", "regiebehandelaar", "ondergetekende", "klant", "lid",
    "vrouw", "schoonzoon", "schoondochter", "schoonzus", "zwager", "stiefvader", "stiefmoeder",
    "pleegvader", "pleegmoeder", "kleinkind", "jeugdige", "eigenaar", "huurder", "werknemer",
    "sollicitant", "beller", "melder", "getuige", "overledene", "erfgenaam", "chauffeur", "man",
    "bewoner", "bewoonster", "debiteur", "schuldenaar",  # call-centre and letter abbreviations
    # English notes and e-mails: "Customer Jan de Haan called", "caller Ms. Osei"
    "customer", "caller", "member", "insured", "applicant", "employee", "dentist", "nurse", "doctor", "physician",
}
# Roles that end compound roles ("praktijkmanager", "zorgadministratiemedewerker").
_ROLE_SUFFIXES = ("manager", "medewerker", "medewerkster", "assistent", "assistente", "coördinator", "adviseur", "consulent")
# Words ending so name a medical discipline or department, never a person.
DEPARTMENT_SUFFIXES = ("logie", "chirurgie", "geneeskunde", "therapie", "kunde", "iatrie", "pedie",
                       "isme")  # "Specialisme", "Autisme": a field or a condition
# Roles that are prepositions too ("namens dezen", "door ons"): weak cues in lowercase text.
WEAK_ROLES = {"namens", "door", "tav", "t.a.v", "aan"}
# Words that head an organisation's name: the capitalised words after one are its name
# ("Tandartspraktijk Kwakernaak & Ouwehand", "Zorggroep Lek en IJssel"), not a person.
ORGANISATION_HEADS = {"zorggroep", "stichting", "apotheek", "praktijk", "kliniek", "centrum", "ziekenhuis",
                      "verpleeghuis", "hospice", "fysiotherapie", "tandartspraktijk", "huisartsenpraktijk", "laboratorium",
                      "werkgever",  # "collectiviteit Werkgever Philips": an employer is an organisation
                      # trades that head a firm's name: "Audicien Klein Oosterhout", "Dental Lab Noord"
                      "audicien", "opticien", "lab", "dental", "garage", "kapsalon", "hoveniersbedrijf"}
# Plural professions that head a firm's name when capitalised ("Gerechtsdeurwaarders Van Beek & Kamphuis");
# lowercase they are people ("de advocaten Smit en Bos").
FIRM_HEADS = {"gerechtsdeurwaarders", "deurwaarders", "advocaten", "notarissen", "accountants", "makelaars",
              "fysio"}  # "Fysio Oldenzaal Centrum" (lowercase "de fysio" is a person's role)
# Legal forms written with dots, as the tokenizer splits them: B.V., N.V., V.O.F., C.V.
LEGAL_FORMS = {("B", "V"), ("N", "V"), ("V", "O"), ("C", "V")}
# German capitalises its pronouns and nouns of address (letters from providers across the border):
# "Sehr geehrte Damen und Herren", "überweisen Sie", "Ihren Versicherten".
GERMAN_WORDS = {"sie", "ihr", "ihre", "ihren", "ihrem", "ihrer", "ihres", "damen", "herren", "herr", "frau", "versicherten",
                "versicherte", "rechnung", "betreff", "mit", "freundlichen", "grüßen",
                "meine", "meinen", "meinem", "meiner", "unsere", "unser", "daten", "anschrift", "wohnort",
                "geburtsort", "geburtstag", "geburtsdatum", "staatsangehörigkeit", "gültig"}
# Titles that are whole words: a full stop after one ends the sentence ("meneer. Mag ik ...").
FULL_WORD_TITLES = {
    "de heer", "heer", "mevrouw", "mejuffrouw", "meneer", "mijnheer", "zuster", "broeder", "familie", "weduwe",
    "juffrouw", "dokter", "miss", "sir", "madam", "gezin",  # "Gezin Habtemariam": a household by its surname
}
# Titles of address that cue a lowercase name even without a dot, on any line ("mevr tromp belt").
ADDRESS_TITLES = {"mevr", "mw", "dhr", "hr", "mvr", "mevrouw", "meneer", "mijnheer", "mej"}
# Greetings before "<name> hier", fillers a speaker corrects herself after, sign-offs before a name.
GREETINGS = {"hoi", "hee", "hey", "hai", "hallo", "hi", "hoii", "heey", "goedemorgen", "goedemiddag", "goedenavond"}
FILLERS = {"eh", "ehm", "uh", "uhm", "euh"}
_CUES_ON_ANY_LINE = ADDRESS_TITLES | GREETINGS | {".", ":"}
SIGN_OFFS = {"grtjs", "grtz", "groetjes", "thx", "tx", "liefs", "doei", "kusjes", "xx", "x"}
# Words that give a name: "ze heet ...", "genaamd ...", "voorstelde als ...".
NAMING_WORDS = {"heet", "heette", "heten", "genaamd", "geheten"}
INTRODUCING_VERBS = {"voorstelde", "voorstellen", "voorstelt", "noemde", "noemt", "bekend"}
# E-mail and chat headers: a name after "Van:", "Aan:", "Cc:" (only with the colon).
HEADER_LABELS = {"van", "aan", "cc", "bcc", "from", "to"}
SALUTATIONS = {"beste", "geachte", "lieve", "hallo", "hoi", "hai", "dag", "goedemorgen", "goedemiddag", "goedenavond", "hi", "hey", "dear", "hello"}
# Signatures put the name on the next line; the name may follow a title there.
SIGNATURES = {"groet", "groeten", "mvg", "m.v.g", "gr", "groetjes", "regards", "ondertekend", "getekend",
              "dank", "bedankt", "dankjewel", "dankuwel", "thanks",
              # letters in the languages of the people who write in: Polish, Turkish, German, French, ...
              "dziękuję", "dzięki", "pozdrawiam", "teşekkürler", "teşekkür", "saygılarımla", "selamlar", "danke",
              "grüße", "merci", "cordialement", "gracias", "saludos", "obrigado", "obrigada", "cheers", "shukran",
              "danki", "dankie"}  # Papiamento, Afrikaans
# "U spreekt met Vendelijn", "goedemiddag, met Demir": the phone introduction before a name.
# Words and signs that give a birth date right after a name.
BIRTH_MARKS = {"geb", "geboren", "*", "°", "born", "geb.", "geboortedatum", "ur"}
# A form's field that holds a whole name ("Naam: ...").
NAME_FIELDS = {"naam", "name", "achternaam", "voornaam", "volledige naam", "naam verzekerde", "patiënt", "patient", "cliënt", "client"}
PHONE_INTRODUCTIONS = {"spreekt", "spreek", "hier"}
FIELD_LABELS = {
    "naam", "achternaam", "voornaam", "voornamen", "roepnaam", "geboortenaam", "meisjesnaam",
    "familienaam", "name", "surname", "tenaamstelling", "rekeninghouder", "afzender", "auteur",
    "opgesteld", "ingevuld", "ontvanger", "geadresseerde", "given", "names", "forenames",
    "voorletters", "initialen", "initials", "tussenvoegsel", "tussenvoegsels",
    "vorname", "vornamen", "nachname", "geburtsname",  # German forms and ID cards
}
INSTITUTION_WORDS = {
    "ziekenhuis", "kliniek", "mc", "umc", "medisch", "centrum", "praktijk", "apotheek", "stichting",
    "gasthuis", "zorg", "groep", "instituut", "college", "school", "universiteit", "bv",
    "b.v", "nv", "vof", "fonds", "kinderziekenhuis", "hospitaal", "zorggroep", "huisartsenpraktijk",
    "tandartspraktijk", "gezondheidscentrum", "revalidatiecentrum", "verpleeghuis", "hospice",
    "ziekte", "syndroom", "disease", "syndrome", "methode", "test", "prijs", "lezing", "straat",
    "laan", "weg", "plein", "museum", "logistics", "psychologen", "advocaten", "notarissen", "partners",
    "accountants", "huisartsen", "tandartsen", "fysiotherapeuten", "makelaars", "holding", "transport",
    "bouw", "onderhoud", "solutions", "services", "management", "consultancy", "systems", "software", "laboratorium",
    "secretariaat", "afdeling", "administratie",  # units of an organisation: "Van: Secretariaat Orthopedie"
    "facturatie", "debiteuren", "crediteuren", "debiteurenbeheer", "boekhouding", "klantenservice", "helpdesk",
    "gerechtsdeurwaarders", "deurwaarders",
    "bewind", "bewindvoering",  # "t.n.v. Hoekstra Bewind": a firm of administrators
}
STREET_SUFFIXES = (
    "straat", "weg", "laan", "plein", "gracht", "kade", "singel", "dijk", "steeg", "dreef", "markt",
    "baan", "hof", "pad", "park", "plantsoen", "erf", "wal", "haven", "allee", "boulevard", "dam",
    "plaats", "kamp", "veld", "ring", "pleintje", "straatje", "steeg", "burcht", "hoeve", "oord",
    "wijk", "zoom", "wetering", "vaart", "kanaal", "polder", "dwarsstraat", "driesch", "akker", "land",
    "strjitte", "leane",  # Frisian: straat, laan
    "straße", "strasse",  # German addresses of providers across the border
)
# Words before a street, not before a name ("in de Paulownastraat", "op Brinkweg").
STREET_CUES = {"de", "het", "in", "op", "aan", "naar", "via", "richting", "hoek", "langs"}
# Street words never end a person's name; weaker suffixes (-veld, -kamp,
# -akker) end many surnames (Hoogveld, Bakker) and are left to the address side.
NAME_UNLIKE_SUFFIXES = ("straat", "laan", "plein", "gracht", "kade", "singel", "steeg", "dreef", "plantsoen", "boulevard", "straatje", "weg",
                        "strjitte", "straße", "strasse")
COMMON_FREQUENCY = 4.6  # Zipf; "kerk" 5.0, "jansen" 4.1
UNLISTED_NAME_FREQUENCY = 3.5
# Words this rare are names when two stand together (Mbuvelo 0; Handelsregister 2.6)
RARE_FREQUENCY = 1.5
# Listed first names that are (also) ordinary words or place names.
AMBIGUOUS_FIRST_NAMES = {"brand", "lieve", "koop", "islam", "my", "love", "kader", "india", "day", "israël", "ken", "max", "ton", "frank", "koning", "roos", "mark", "bas", "hart", "lente", "zon", "dag"}
# Words ending so name a field of a form or a column ("Behandeldatum", "Klantnummer"), not a person.
HEADER_SUFFIXES = ("datum", "nummer", "code", "bedrag")
# English pronouns after a sentence-initial word make it a verb ("Can I", "Will you"), not a name.
ENGLISH_PRONOUNS = {"i", "we", "you", "he", "she", "they", "it", "someone", "anyone", "somebody", "anybody", "everyone", "this", "that"}
# Months are first names too (June, April, Mei): after a preposition or beside a number a month is a date's.
MONTHS = {
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december",
    "january", "february", "march", "may", "june", "july", "august", "october",
    "januar", "februar", "märz", "juni", "juli", "oktober", "dezember",
}
MONTH_PREPOSITIONS = {"in", "since", "until", "till", "from", "by", "early", "late", "mid", "per", "sinds", "tot", "vanaf",
                      "begin", "eind", "medio", "half", "im", "seit", "bis", "ab", "of", "van"}
# German contractions of a preposition and the article: the noun after one is no name ("im Sommer").
GERMAN_CONTRACTIONS = {"im", "am", "vom", "zum", "zur", "beim", "ins"}
# An internal capital after this many lower-case letters makes a brand ("DentaFinance", "ZorgDomein"),
# not a name ("McDonald", "DeVries", "MacArthur" have a short head).
_BRAND = re.compile(r"[A-Z][a-z]{3,}[A-Z]")
IBERIAN_PARTICLES = {"da", "das", "do", "dos", "del", "della", "di", "du"}
PREPOSITION_INTERFIXES = {"in", "op", "aan", "bij", "uit", "te", "d'", "l'", "zur"}

SCORE_CONTEXT = 0.85
SCORE_FULL_NAME = 0.85
SCORE_INITIALS = 0.8
SCORE_INTERFIX = 0.75
SCORE_REPEAT = 0.7
SCORE_SINGLE = 0.6


# Words ending so name an institution ("Maartenskliniek", "Tandartsenpraktijk").
INSTITUTION_SUFFIXES = (
    "ziekenhuis", "kliniek", "praktijk", "centrum", "apotheek", "gasthuis", "zorg", "instituut", "hospice",
    "verzekeraar", "verzekering", "service", "dienst", "bedrijf", "bureau", "kantoor", "vereniging",
    "stichting", "fonds", "logistics", "holding", "beheer", "advies", "bank", "winkel", "commissie", "laboratorium",
    "praxis",  # German: Zahnarztpraxis, Arztpraxis
    "verzorging", "voering",  # "Jeugdtandverzorging Utrecht", "Bewindvoering De Bruijn"
    "school", "erij",  # "Montessorischool", "Kwekerij Van der Lugt", "Drukkerij De Jong"
)


def dutch_compound(low: str) -> bool:
    """A word made of two ordinary Dutch words ("zorgteam", "teamleider"): rare in wordfreq, yet no name.

    >>> dutch_compound("zorgteam"), dutch_compound("ebbelina")
    (True, False)
    """
    if len(low) > MAX_NAME_LENGTH:
        return True  # no name is this long; and the work per word stays bounded
    for k in range(3, len(low) - 2):
        head, tail = low[:k], low[k:]
        if word_frequency(tail) >= COMMON_FREQUENCY - 1 and (
                word_frequency(head) >= COMMON_FREQUENCY - 1 or head[-1] == "s" and word_frequency(head[:-1]) >= COMMON_FREQUENCY - 1):
            return True
    return False


_LEGAL_FORM_TEXT = re.compile(r"(?:^|\s)(?:B\.V\.?|N\.V\.?|V\.O\.F\.?|C\.V\.?|BV|VOF|GmbH|Ltd\.?)(?:\s|$)")


def organisation_name(value: str) -> bool:
    """A table cell or field value that names an organisation: a legal form, or a word of an
    institution, organisation or discipline ('Tandtechniek Oost B.V.', 'Dieetpraktijk Gezond Gewicht').

    >>> organisation_name("Hulpmiddelen Thuis V.O.F."), organisation_name("J.K. Veldhuizen Psychotherapie")
    (True, True)
    >>> organisation_name("van der Berg, J."), organisation_name("Hoogeveen-Bakker")
    (False, False)
    """
    if _LEGAL_FORM_TEXT.search(value):
        return True
    for word in value.replace(",", " ").split():
        low = word.lower().strip(".")
        if low in ORGANISATION_HEADS or low in INSTITUTION_WORDS or institution_like(low) \
                or len(low) > 7 and low.endswith(DEPARTMENT_SUFFIXES + ("techniek",)):
            return True
    return False


def institution_like(low: str) -> bool:
    """A compound ending in an institution word ("Maartenskliniek"), not a short name ending so."""
    if not low.endswith(INSTITUTION_SUFFIXES):
        return False  # most words: one C-level test instead of a loop
    return any(low.endswith(x) and len(low) >= len(x) + 4 for x in INSTITUTION_SUFFIXES)
# Bounds that keep every pass linear: a name has at most this many parts.
MAX_NAME_LENGTH = 30   # letters of one name word, for the compound test
MAX_INITIALS = 6
MAX_NAME_WORDS = 4
MAX_SKIP = 6           # titles and punctuation between a context word and the name
MAX_LOOKBACK = 4       # capitalised words before an institution or street word
_HYPHEN_TAIL = re.compile(r"^(.*[^\W\d_])-([a-z']+)$")
_HYPHEN_INTERFIX = re.compile(r"^(.*[^\W\d_])-([A-Za-z']+)$")  # 'Burgt-Op den Kamp': a capitalised one too


# A chat's time stamp and speaker at the start of a line: "[14:06] Nour: ", "12-04-25 19:30 - Baukje: ", "Klant: ".
_CHAT_TAG = re.compile(
    r"[ \t]*(?:\[[\d:./ -]{4,20}\][ \t]*|(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4},?[ \t]+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?[ \t]*(?:[-–—][ \t])?[ \t]*)?"
    r"(?:[^\W\d_][\w.'-]*(?: [\w.'-]+)?[ \t]?:)?")


# A line asking for a name: "Mag ik uw naam?", "Wat is je naam en geboortedatum?"
_NAME_QUESTION = re.compile(r"\bnaam\b[^?]{0,40}\?\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _label_words() -> "re.Pattern[str]":
    from .context import other_labels
    from .identifiers import dates

    return re.compile("(?:" + "|".join(other_labels() + list(dates.LABELS_BIRTH)) + ")", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _label_word(low: str) -> bool:
    """A word that labels an identifier ("lidnr", "bsn", "geb"): it ends a name, never is one."""
    return _label_words().fullmatch(low) is not None


def first_of_line(toks: Sequence[Token], i: int) -> bool:
    return i == 0 or toks[i].newline_before


def _list_number_before(toks: Sequence[Token], i: int) -> bool:
    """'3. VAN DEN BERG, Pim': an item's number and its dot open the line before ``i``."""
    return i >= 2 and toks[i - 1].text == "." and toks[i - 2].text.isdigit() and len(toks[i - 2].text) <= 2 \
        and first_of_line(toks, i - 2) and not toks[i].newline_before


_CELL_DELIMITERS = ("|", ";")


def cell_break(toks: Sequence[Token], j: int) -> bool:
    """A line break, a tab, or two or more spaces before token ``j``: the cell of an aligned
    form or table ends there ('Naam: L. Groen     Personeelsnr. 1187'), and so does a name."""
    return toks[j].newline_before or j > 0 and toks[j].start - toks[j - 1].end >= 2


class NameParse(NamedTuple):
    first: int          # index of the first token of the name
    last: int           # index of the last token
    initials: int       # how many initials it starts with
    words: Tuple[int, ...]  # indices of its name words (not initials or tussenvoegsels)


class NameGrammar:
    """Token predicates and the parser of one name, shared by the passes."""

    def __init__(self, lexicon: DutchLexicon) -> None:
        self.lexicon = lexicon

    # -- words -------------------------------------------------------------
    @staticmethod
    def is_initial(toks: Sequence[Token], i: int) -> bool:
        t = toks[i]
        if not t.is_word or not t.text[:1].isupper() or len(t.text) > 3:
            return False
        if len(t.text) > 1 and t.text not in ("Ch", "Chr", "Th", "Ph", "IJ", "Ij"):
            return False
        return i + 1 < len(toks) and toks[i + 1].text == "." and toks[i + 1].start == t.end

    def interfix_len(self, toks: Sequence[Token], i: int) -> int:
        """Number of tokens of the tussenvoegsel starting at token i (0: none)."""
        for seq in self.lexicon.interfixes_by_first.get(toks[i].lower, ()):
            k = len(seq)
            if i + k <= len(toks) and all(
                toks[i + m].lower.replace("’", "'") == seq[m] and (m == 0 or not toks[i + m].newline_before) for m in range(k)
            ):
                return k
        return 0

    def listed(self, word: str) -> bool:
        return self.lexicon.is_first_name(word) or self.lexicon.is_surname(word)

    def uncommon(self, word: str) -> bool:
        """An unlisted word rare enough in Dutch to be a name (Oukili 0, Yilmaz 2.4; Bevestiging 4.2)."""
        return not self.lexicon.is_common_word(word) and word_frequency(word.lower()) < UNLISTED_NAME_FREQUENCY

    def is_name_word(self, tok: Token, strict: bool) -> bool:
        """A capitalised word that can be (part of) a name.

        ``strict``: the word must be a listed name that is not an ordinary word,
        or rare in Dutch; otherwise any capitalised word that is not an
        ordinary word, or is listed (``Kok``, ``Vos`` after a first name).
        """
        if not tok.is_word or not tok.is_capitalized:
            return False
        return self._name_text(self.hyphen_head(tok.text), strict)

    @staticmethod
    def hyphen_head(text: str) -> str:
        """'Jansen-de' -> 'Jansen': the part before a hyphenated tussenvoegsel."""
        m = _HYPHEN_TAIL.match(text)
        return m.group(1) if m else text

    def _name_text(self, text: str, strict: bool) -> bool:
        if len(text.strip("'’`")) < 2:
            return False
        low = text.lower()
        if low in TITLES or low in ROLES or low in SALUTATIONS or low in FIELD_LABELS or low in GERMAN_WORDS \
                or low in INSTITUTION_WORDS and low not in _STREET_WORD_SURNAMES:  # "van der Laan": BlockNonNames
            return False
        parts = [part for part in text.split("-") if part[:1].isupper()]
        if len(parts) > 1:
            # "Hoogeveen-Bakker", "Tjoe-A-Fong": judge each capitalised part
            # ("Jansen-Van Dijk": a capitalised tussenvoegsel after the hyphen opens the second surname)
            return all(len(part) <= 2 or n and part.lower() in self.lexicon.interfixes_by_first or self._name_text(part, strict)
                       for n, part in enumerate(parts))
        listed = self.listed(text)
        if not listed and (low.endswith(NAME_UNLIKE_SUFFIXES) and low in self.lexicon.streets or institution_like(low)):
            return False
        if not listed and (low.endswith(HEADER_SUFFIXES) or _BRAND.match(text) or _label_word(low)):
            return False  # "DentaFinance"; "Gebdat", "AGB-code", "Behandeldatum": a brand, a field's label
        if low in self.lexicon.eponyms and not listed:
            return False
        if low.endswith(DEPARTMENT_SUFFIXES) and not listed:
            return False  # "Dermatologie", "Fysiotherapie": a department or a discipline
        if not listed and len(low) >= 12 and self.compound_of_terms(low):
            return False  # "Medewerker Declaratieverwerking", "Dossiernotitie": a compound of the domain's words
        if text.isupper() and len(text) <= 4 and not listed:
            return False  # BSN, AGB, UMC, ...
        if not listed and _MIXED_ACRONYM.fullmatch(text):
            return False  # "de NZa", "KvK": an organisation's abbreviation
        if not listed and len(low) > 5 and (low.endswith("s") and self._ordinary(low[:-1])
                                             or low.endswith("en") and self._ordinary(low[:-2])):
            return False  # "Aan: Declaraties", "Klachten": the plural of an ordinary word
        common = self.lexicon.is_common_word(text)
        if strict:
            return listed and not common or self.uncommon(text)
        return not common or listed

    def _ordinary(self, stem: str) -> bool:
        return self.lexicon.is_common_word(stem) or word_frequency(stem) >= COMMON_FREQUENCY - 1.5

    def compound_of_terms(self, low: str) -> bool:
        """A long word made of a listed ordinary or medical word and an ordinary word ('declaratie' +
        'verwerking', 'dossier' + 'notitie'): the words of forms, headings and job titles.

        Bounded: one split per letter of a word of at most MAX_NAME_LENGTH letters."""
        if len(low) > MAX_NAME_LENGTH:
            return True
        common = self.lexicon.common_words
        for k in range(4, len(low) - 3):
            head, tail = low[:k], low[k:]
            # a head in the list or frequent ('klant' + 'contact'); a long tail may be less frequent
            # ('zorg' + 'bemiddeling', 'diabetes' + 'aantekening': no name is so long and so made)
            if (head in common or head[-1] == "s" and head[:-1] in common or word_frequency(head) >= COMMON_FREQUENCY - 0.6) and (
                    tail in common or word_frequency(tail) >= COMMON_FREQUENCY - 1
                    or len(low) >= 14 and len(tail) >= 7 and word_frequency(tail) >= COMMON_FREQUENCY - 1.6):
                return True
        return False

    @staticmethod
    def sentence_start(toks: Sequence[Token], i: int) -> bool:
        return i == 0 or toks[i].newline_before or toks[i - 1].text in ".!?:;•*\"'(["

    def next_is_institution(self, toks: Sequence[Token], last: int) -> bool:
        if last + 1 >= len(toks) or toks[last + 1].newline_before:
            return False
        if last + 3 < len(toks) and toks[last + 2].text == "." and (toks[last + 1].text, toks[last + 3].text) in LEGAL_FORMS:
            return True  # "ZorgICT Solutions B.V.", "Smit & Zn. V.O.F."
        low = toks[last + 1].lower.strip(".")
        return low in INSTITUTION_WORDS or (toks[last + 1].is_capitalized and institution_like(low))

    # -- one name ------------------------------------------------------------
    def parse(self, toks: Sequence[Token], i: int, strict: bool) -> Optional[NameParse]:
        """Initials, name words and tussenvoegsels from token i on, on one line.

        ``strict`` applies to the first name word only when no initials come
        before it: once a name has begun, a surname may be an ordinary word.
        """
        n = len(toks)
        j, initials = i, 0
        while j < n and initials < MAX_INITIALS and self.is_initial(toks, j) and (j == i or not cell_break(toks, j)):
            j += 2
            initials += 1
        words: List[int] = []
        while j < n and len(words) < MAX_NAME_WORDS and not (j > i and cell_break(toks, j)):
            k = self.interfix_len(toks, j)
            if k and j + k < n and not cell_break(toks, j + k) and (self.is_name_word(toks[j + k], strict=False) or (
                    words or initials) and toks[j].lower in IBERIAN_PARTICLES and toks[j + k].is_capitalized and toks[j + k].is_word):
                # ("Ana da Costa": after a given name a capitalised word after 'da' is a surname, ordinary word or not)
                surname = j + k
                # "in het", "op de", "te": real tussenvoegsels, but also prepositions;
                # only before a surname known to follow a tussenvoegsel.
                if toks[j].lower in PREPOSITION_INTERFIXES and toks[surname].lower not in self.lexicon.interfix_surnames:
                    break
                if toks[j].text in ("te", "in", "op") and k == 1 and toks[surname].lower in self.lexicon.places:
                    break  # "huisarts te Dokkum": a lowercase 'te' before a place is the preposition
                if words and toks[surname].text.islower() and not self.listed(toks[surname].text) \
                        and (word_frequency(toks[surname].lower) >= COMMON_FREQUENCY - 1.5 or dutch_compound(toks[surname].lower)):
                    break  # "sevda van zorgbemiddeling": a lowercase word after 'van' that no surname list holds
                if not words and not initials and self._sentence_interfix(toks, j, surname):
                    return self.parse(toks, surname, strict)
                words.append(surname)
                words.extend(self.double_surname(toks, surname))
                if toks[j].lower in IBERIAN_PARTICLES and self._second_surname(toks, words[-1]):
                    words.append(words[-1] + 1)  # "João dos Santos Lima": a Portuguese or Spanish second surname
                break  # the tussenvoegsel's surname ends the name
            if self.is_name_word(toks[j], strict and not words and not initials) or self._given_name_eponym(toks, j, strict) \
                    or (words or initials) and self.eponym_surname(toks, j):
                words.append(j)
                more = self.double_surname(toks, j)
                if more:
                    words.extend(more)
                    break
                j += 1
                continue
            break
        if not words:
            return None
        return NameParse(i, words[-1], initials, tuple(words))

    def eponym_surname(self, toks: Sequence[Token], j: int) -> bool:
        """'Xiaoming Li', 'Anna Parkinson': after a first name or initials a surname that names a disease
        elsewhere is a surname (the disease stands alone or after 'van': 'ziekte van Parkinson')."""
        t = toks[j]
        return t.is_capitalized and not t.text.isupper() and t.lower in self.lexicon.eponyms and not cell_break(toks, j) \
            and not (j + 1 < len(toks) and toks[j + 1].text == "-" and toks[j + 1].start == t.end)

    def _second_surname(self, toks: Sequence[Token], last: int) -> bool:
        nxt = last + 1
        return nxt < len(toks) and not cell_break(toks, nxt) and toks[nxt].is_capitalized and not toks[nxt].text.isupper() \
            and self.lexicon.is_surname(toks[nxt].text) and toks[nxt].lower not in self.lexicon.places \
            and not self.lexicon.is_common_word(toks[nxt].text)

    def _given_name_eponym(self, toks: Sequence[Token], j: int, strict: bool) -> bool:
        """'dr. Li Wei': a short given name that also names a syndrome (Li-Fraumeni) is a name
        when a name follows it on the line (an eponym stands alone: 'ziekte van Parkinson')."""
        t = toks[j]
        if strict or not t.is_capitalized or t.lower not in self.lexicon.eponyms or j + 1 >= len(toks) or cell_break(toks, j + 1):
            return False
        nxt = toks[j + 1]
        return nxt.lower not in self.lexicon.eponyms and self.is_name_word(nxt, strict=False)

    def _sentence_interfix(self, toks: Sequence[Token], interfix: int, after: int) -> bool:
        """'de huisarts van Anna Smid': a lowercase 'van' before a first name and
        a surname is a preposition of the sentence, not part of the name."""
        if not toks[interfix].text[:1].islower() or not self.lexicon.is_first_name(toks[after].text):
            return False
        if interfix and toks[interfix - 1].lower in ROLES and not toks[interfix].newline_before:
            return True  # "(de mentor van Thijs)": a relation's 'van' before a first name
        nxt = after + 1
        if nxt >= len(toks) or toks[nxt].newline_before:
            return False
        if self.is_name_word(toks[nxt], strict=False):
            return True
        k = self.interfix_len(toks, nxt)
        return bool(k) and nxt + k < len(toks) and self.is_name_word(toks[nxt + k], strict=False)

    def double_surname(self, toks: Sequence[Token], word: int) -> List[int]:
        """'Jansen-de Wit', 'Dam-van der Linden': the surnames after a hyphenated tussenvoegsel."""
        found: List[int] = []
        for _ in range(MAX_NAME_WORDS):
            m = _HYPHEN_INTERFIX.match(toks[word].text)
            if not m:
                break
            nxt = self._after_hyphen_interfix(toks, word, m.group(2).lower())
            if nxt is None:
                break
            found.append(nxt)
            word = nxt
        return found

    def _after_hyphen_interfix(self, toks: Sequence[Token], word: int, tail: str) -> Optional[int]:
        for seq in self.lexicon.interfixes_by_first.get(tail, ()):
            rest, j = seq[1:], word + 1
            if j + len(rest) >= len(toks):
                continue
            if all(toks[j + m].lower == rest[m] and not toks[j + m].newline_before for m in range(len(rest))):
                surname = j + len(rest)
                if not toks[surname].newline_before and self.is_name_word(toks[surname], strict=False):
                    return surname
        return None

    def inverted_initials(self, toks: Sequence[Token], last: int) -> int:
        """'Jansen, J.P.' or 'Vries, J. de': include the initials after the comma."""
        n = len(toks)
        if last + 2 < n and toks[last + 1].text == "," and self.is_initial(toks, last + 2):
            j, count = last + 2, 0
            while j < n and count < MAX_INITIALS and self.is_initial(toks, j):
                j += 2
                count += 1
            k = self.interfix_len(toks, j) if j < n else 0
            return j - 1 + k
        return last


@dataclass
class NameDocument:
    """The state the passes share: tokens, what is taken, and the names found."""

    text: str
    toks: Sequence[Token]
    blocked: List[bool] = field(default_factory=list)   # never part of a person
    covered: List[bool] = field(default_factory=list)   # part of a name found by an earlier pass
    spans: Dict[Tuple[int, int], float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.blocked = [False] * len(self.toks)
        self.covered = [False] * len(self.toks)
        # computed once for the passes that start only at a capitalised token or a comma
        self.capitals = [i for i, t in enumerate(self.toks) if t.is_capitalized]
        self.commas = [i for i, t in enumerate(self.toks) if t.text == ","]

    def free(self, first: int, last: int) -> bool:
        return not any(self.covered[first:last + 1]) and not any(self.blocked[first:last + 1])

    def add(self, first: int, last: int, score: float) -> None:
        """Keep a name unless an earlier (stronger) pass took one of its tokens."""
        if self.free(first, last):
            self.covered[first:last + 1] = [True] * (last + 1 - first)
            self.spans[(first, last)] = score


class NamePass:
    """One pass over a :class:`NameDocument`; subclasses implement ``process``."""

    def __init__(self, grammar: NameGrammar) -> None:
        self.g = grammar
        self.lexicon = grammar.lexicon

    def process(self, doc: NameDocument) -> None:  # pragma: no cover - interface
        raise NotImplementedError


# Languages, capitalised in Dutch; some are given names too ("Frans"): a language in an enumeration of
# languages or after "het" ("in het Frans").
LANGUAGES = {
    "nederlands", "engels", "duits", "frans", "spaans", "italiaans", "portugees", "turks", "arabisch", "pools",
    "russisch", "oekraïens", "roemeens", "bulgaars", "grieks", "chinees", "kantonees", "mandarijn", "japans",
    "fries", "papiaments", "sranantongo", "berbers", "tamazight", "koerdisch", "farsi", "perzisch", "dari",
    "tigrinya", "somalisch", "hindi", "urdu", "vlaams", "limburgs", "deens", "zweeds", "noors", "fins",
}
# Shop chains named after their founder (on bank statements and receipts), and insurers' brands
# ("Eucare", "Zilveren Kruis"): never the person they sound like.
PERSON_NAMED_BRANDS = ("Albert Heijn", "Dirk van den Broek", "Jan Linders", "Henk ten Hoor", "Gall & Gall",
                       "Douwe Egberts", "Hunkemöller", "Kruidvat", "Etos",
                       # software named like people, in user agents and IT notes
                       "Mac OS", "macOS", "Mac OS X")


_BRAND_FIRST: set = set()  # first words of the brands of two words or more, filled with _brand_sequences


@lru_cache(maxsize=1)
def _brand_sequences() -> Dict[object, List[Tuple[str, ...]]]:
    """The brands' lowercase token sequences (longest first), keyed by their first token when they are
    one word ("eucare") and by their first two otherwise (("de", "friesland")): one look-up per token."""
    from .identifiers import uzovi

    names = PERSON_NAMED_BRANDS + tuple(n for n in uzovi.BRANDS if n not in ("Just", "Hema", "Eno"))
    out: Dict[object, List[Tuple[str, ...]]] = {}
    for name in names:
        seq = tuple(t.lower for t in tokenize(name))
        out.setdefault(seq[0] if len(seq) == 1 else seq[:2], []).append(seq)
    for seqs in out.values():
        seqs.sort(key=len, reverse=True)
    _BRAND_FIRST.update(k[0] for k in out if isinstance(k, tuple))
    return out


_STREET_WORD_SURNAMES = {"laan", "weg", "plein", "straat"}
# Programs that chat under a given name ("Chatbot Zora", "digibot Max").
BOT_WORDS = {"chatbot", "bot", "digibot", "chatassistent", "spraakassistent"}
# An organisation's abbreviation in mixed case ("NZa", "KvK", "ZiN"): no name word.
_MIXED_ACRONYM = re.compile(r"[A-Z][a-z]?[A-Z][a-z]?")


@lru_cache(maxsize=1)
def _block_triggers() -> frozenset:
    """Words that open BlockNonNames' brand, language and program checks."""
    return frozenset(LANGUAGES) | frozenset(k for k in _brand_sequences() if isinstance(k, str)) | frozenset(_BRAND_FIRST) | frozenset(BOT_WORDS)


class BlockNonNames(NamePass):
    """Capitalised words of an institution, a street or a multi-word place are not a person."""

    def _block_brand_or_language(self, doc: NameDocument, i: int) -> None:
        toks, t = doc.toks, doc.toks[i]
        brands = _brand_sequences()
        key = (t.lower, toks[i + 1].lower) if i + 1 < len(toks) and (t.lower, toks[i + 1].lower) in brands else t.lower
        for seq in brands.get(key, ()):
            if i + len(seq) <= len(toks) and all(toks[i + k].lower == seq[k] for k in range(2, len(seq))):
                doc.blocked[i:i + len(seq)] = [True] * len(seq)  # "Albert Heijn 1407 Sneek", "door Eucare"
                return
        if t.lower in LANGUAGES and (i > 0 and toks[i - 1].lower == "het" or self._listed_language(toks, i - 2, i - 1)
                                     or self._listed_language(toks, i + 2, i + 1)):
            doc.blocked[i] = True  # "in het Nederlands, Engels, Duits, Frans of Spaans"

    @staticmethod
    def _listed_language(toks: Sequence[Token], k: int, joint: int) -> bool:
        return 0 <= k < len(toks) and toks[joint].lower in (",", "en", "of", "/") and toks[k].lower in LANGUAGES

    def process(self, doc: NameDocument) -> None:
        toks = doc.toks
        brands, n = _brand_sequences(), len(doc.toks)
        triggers = _block_triggers()
        for i, t in enumerate(toks):
            lower = t.lower
            if lower in triggers:  # one set look-up for most tokens
                if lower in LANGUAGES or lower in brands or lower in _BRAND_FIRST and i + 1 < n \
                        and (lower, toks[i + 1].lower) in brands:
                    self._block_brand_or_language(doc, i)
                if lower in BOT_WORDS and i + 1 < n and toks[i + 1].is_capitalized and not cell_break(toks, i + 1):
                    doc.blocked[i + 1] = True  # "Chatbot Zora:": a program's name, no person's
            if (i == 0 or t.newline_before) and self._code_cell(toks, i):
                doc.blocked[i + 2 + (toks[i + 2].text in _CELL_DELIMITERS)] = True  # "R24  Kroon, anatomisch", "R24 | Kroon": a tariff's description
            if not t.is_capitalized:
                # not a discipline ("fysiotherapie Hoekstra" names the therapist)
                if t.is_word and (lower in ORGANISATION_HEADS or lower.endswith(INSTITUTION_SUFFIXES) and institution_like(lower)) \
                        and not lower.endswith("therapie"):
                    self._after_lowercase_head(doc, i)
                elif lower == "van" and 0 < i < n - 1:
                    self._block_organ(doc, i)
                continue
            low = t.lower.strip(".")
            head = low in ORGANISATION_HEADS or low in FIRM_HEADS or low.endswith("therapie")
            if low in _STREET_WORD_SURNAMES and i > 0 and toks[i - 1].lower in ("der", "de", "den", "ter", "ten") \
                    and not (i + 1 < len(toks) and toks[i + 1].text[:1].isdigit()):
                continue  # "van der Laan", "van de Weg": a surname, not a street word ("Laan van Meerdervoort 4")
            street = len(low) >= 6 and self._street_word(toks, i)
            if low in INSTITUTION_WORDS or head or low.endswith(INSTITUTION_SUFFIXES) and institution_like(low) or street:
                self._block_before(doc, i)
                if i + 2 < len(toks) and toks[i + 1].text in ("De", "Het", "'t", "Sint", "Sancta") and toks[i + 2].is_capitalized \
                        and not toks[i + 1].newline_before and not street:
                    doc.blocked[i + 1:i + 3] = [True, True]  # "Huisartsenpraktijk De Linde": its name
                    if head and i + 3 < len(toks) and toks[i + 3].text in ("&", "+"):
                        self._block_after(doc, i + 2)  # "Gerechtsdeurwaarders De Haan & Verbeek"
                elif (head or institution_like(low)) and not street:
                    self._block_after(doc, i)
            elif i + 1 < len(toks) and (t.lower, toks[i + 1].lower) in self.lexicon.place_sequences:
                self._block_place(doc, i)
            if i and len(t.text) == 2 and t.text.isupper() and toks[i - 1].text.isdigit() and len(toks[i - 1].text) == 4:
                doc.blocked[i] = True  # the letters of a postcode ("1234 AN Hilversum")
            if (i + 1 < n and toks[i + 1].start == t.end or i and toks[i - 1].end == t.start) and self._glued_to_digits(toks, i):
                doc.blocked[i] = True  # part of a code ("Win64", "A4"), not a word
            if t.lower == "het":
                self._block_after_article(doc, i)

    def _block_organ(self, doc: NameDocument, i: int) -> None:
        """'de Raad van Bestuur', 'Kamer van Koophandel': two capitalised ordinary words joined by
        'van' name a body, not a person (a surname after 'van' is a name: 'Raad van Dijk' stays)."""
        toks, lex = doc.toks, self.lexicon
        head, body = toks[i - 1], toks[i + 1]
        if head.is_capitalized and body.is_capitalized and not body.newline_before and not toks[i].newline_before \
                and word_frequency(head.lower) >= COMMON_FREQUENCY - 1 and word_frequency(body.lower) >= COMMON_FREQUENCY - 1.5 \
                and not self.g.listed(body.text) and not self.g.is_initial(toks, i + 1):  # "registratie van R.M. Ploeg"
            doc.blocked[i - 1:i + 2] = [True] * 3

    def _after_lowercase_head(self, doc: NameDocument, i: int) -> None:
        """'tandartspraktijk De Wit', 'verpleeghuis De Klinker', 'apotheek Mulder': a head word
        written in lowercase still names what follows: its article and capitalised words, and a
        capitalised tussenvoegsel with its surname ('praktijk Van den Brink')."""
        toks, j = doc.toks, i + 1
        if j < len(toks) and toks[j].text in ("De", "Het", "'t") and not cell_break(toks, j):
            j += 1
        elif j < len(toks) and toks[j].is_capitalized and not cell_break(toks, j):
            k = self.g.interfix_len(toks, j)
            if k > 1 and j + k < len(toks) and not cell_break(toks, j + k):
                doc.blocked[j:j + k] = [True] * k
                j += k
        while j < len(toks) and j - i <= MAX_NAME_WORDS + 2 and not cell_break(toks, j) and toks[j].is_word and toks[j].is_capitalized:
            doc.blocked[j] = True
            if toks[j - 1].text in ("De", "Het", "'t"):
                doc.blocked[j - 1] = True
            j += 1

    def _code_cell(self, toks: Sequence[Token], i: int) -> bool:
        """A row opening with a tariff code ('R24', 'E13'), then a cell's gap or delimiter and a capitalised word."""
        j = i + 2
        delimited = j + 1 < len(toks) and toks[j].text in _CELL_DELIMITERS and not toks[j + 1].newline_before
        j += delimited
        return j < len(toks) and toks[i].text.isupper() and len(toks[i].text) <= 2 and toks[i + 1].text.isdigit() \
            and 2 <= len(toks[i + 1].text) <= 4 and toks[i + 1].start == toks[i].end and (delimited or cell_break(toks, j)) \
            and not toks[j].newline_before and toks[j].is_capitalized and not self.g.is_initial(toks, j)

    @staticmethod
    def _glued_to_digits(toks: Sequence[Token], i: int) -> bool:
        t = toks[i]
        return t.is_word and (
            i + 1 < len(toks) and toks[i + 1].start == t.end and toks[i + 1].text[:1].isdigit()
            or i > 0 and toks[i - 1].end == t.start and toks[i - 1].text[:1].isdigit())

    def _listed_street(self, toks: Sequence[Token], i: int) -> bool:
        """The word, or the word with the one or two capitalised words before it, is a listed street."""
        name = toks[i].lower
        for j in range(i, max(-1, i - 3), -1):
            if j < i:
                if toks[j + 1].newline_before or not toks[j].is_capitalized:
                    break
                name = toks[j].lower + " " + name
            if name in self.lexicon.streets:
                return True
        return False

    def _block_after_article(self, doc: NameDocument, i: int) -> None:
        """'het Antoni van Leeuwenhoek': a person takes no article 'het'; what follows names a thing."""
        toks, j = doc.toks, i + 1
        while j < len(toks) and j - i <= MAX_NAME_WORDS + 2 and not toks[j].newline_before:
            if toks[j].is_capitalized and toks[j].is_word:
                doc.blocked[j] = True
            elif not self.g.interfix_len(toks, j):
                break
            j += 1

    def _street_word(self, toks: Sequence[Token], i: int) -> bool:
        low = toks[i].lower
        if len(low) < 6:
            return False
        if low.endswith(NAME_UNLIKE_SUFFIXES):
            # "Ottoline Brasjeweg": a word built like a street is a street when it is one
            # (listed) or has a house number; otherwise it may be a surname.
            if self.g.listed(toks[i].text):
                return False
            number = i + 1 < len(toks) and toks[i + 1].text.isdigit() and not toks[i + 1].newline_before
            return number or self._listed_street(toks, i) or i > 0 and toks[i - 1].lower in STREET_CUES
        # weaker suffixes (-hof, -park) end surnames too: a street only before a number
        return low.endswith(STREET_SUFFIXES) and i + 1 < len(toks) and toks[i + 1].text.isdigit() and low in self.lexicon.streets

    def _block_after(self, doc: NameDocument, i: int) -> None:
        """'Tandartspraktijk Kwakernaak & Ouwehand', 'Gezondheidscentrum Sterrenburg': the capitalised
        words after an organisation's head word, joined by '&' or 'en', are its name; a capitalised
        tussenvoegsel takes its surname ('Kwekerij Van der Lugt')."""
        toks, j = doc.toks, i + 1
        while j < len(toks) and j - i <= MAX_NAME_WORDS + 2 and not toks[j].newline_before:
            k = self.g.interfix_len(toks, j) if toks[j].is_capitalized else 0
            if k > 1 and j + k < len(toks) and toks[j + k].is_capitalized and not toks[j + k].newline_before:
                doc.blocked[j:j + k + 1] = [True] * (k + 1)
                j += k
            elif toks[j].is_word and toks[j].is_capitalized:
                doc.blocked[j] = True
            elif toks[j].text == "." and toks[j - 1].lower in TITLES:
                pass  # "Zahnarztpraxis Dr. Becker": a title's dot inside the organisation's name
            elif toks[j].text == "." and self.g.is_initial(toks, j - 1):
                pass  # "Tandartspraktijk M. Aksoy": the initials of the person it is named after
            elif not (toks[j].text in ("&", "+") or toks[j].lower == "en") or j + 1 >= len(toks) \
                    or not toks[j + 1].is_capitalized or toks[j + 1].newline_before:
                break
            j += 1

    def _block_before(self, doc: NameDocument, i: int) -> None:
        """Block the words before an institution or street word that belong to it:
        capitalised words ("Anna Paulownastraat"), and tussenvoegsels only inside a
        listed street ("Burgemeester de Withstraat", not "Sarmo uit de Poolsterstraat")."""
        toks = doc.toks
        doc.blocked[i] = True
        first, j, interfix = i, i - 1, False
        while j >= 0 and i - j <= MAX_LOOKBACK and not toks[j + 1].newline_before:
            if self.g.interfix_len(toks, j):
                interfix = True
            elif toks[j].text in ("&", "+") and j > 0 and toks[j - 1].is_capitalized:
                pass  # "Mulder & Visser Psychologen"
            elif not toks[j].is_capitalized:
                break
            if not interfix or doc.text[toks[j].start:toks[i].end].lower() in self.lexicon.streets:
                first = j
            j -= 1
        doc.blocked[first:i] = [True] * (i - first)

    def _block_place(self, doc: NameDocument, i: int) -> None:
        """'Krimpen aan den IJssel': a place of several words with lowercase words inside."""
        toks = doc.toks
        k = self.lexicon.place_length(toks, i)
        # "Krimpen aan den IJssel", "Anna Paulowna"; but "De Boer", "Den Haag" may be people
        if k and (any(toks[i + m].text[:1].islower() for m in range(1, k)) or not self.lexicon.is_surname(toks[i + k - 1].text)):
            doc.blocked[i:i + k] = [True] * k


class TitledInvertedNames(NamePass):
    """A list's row 'Surname, title Initials' ('12  Op de Coul, mw. A.   04-05-1931', 'ten Have, dhr. W.'):
    the surname (its tussenvoegsel in any case) opens its cell, the title of address and initials close
    it; the surname and the initials are two findings, the title between them is neither."""

    def process(self, doc: NameDocument) -> None:
        toks, g, n = doc.toks, self.g, len(doc.toks)
        for c in doc.commas:
            if not 1 <= c < n - 3 or toks[c + 1].lower not in ADDRESS_TITLES or toks[c + 1].newline_before:
                continue
            j = c + 2 + (toks[c + 2].text == ".")
            last = j - 1
            while last + 2 < n + 1 and last + 1 < n and g.is_initial(toks, last + 1) and last - j < 2 * MAX_INITIALS:
                last += 2
            if last < j or not (last + 1 >= n or cell_break(toks, last + 1)):
                continue  # initials that end the cell
            first = self._surname_start(doc, c)
            if first is not None:
                doc.add(first, c - 1, SCORE_INITIALS)
                doc.add(j, last, SCORE_INITIALS)

    def _surname_start(self, doc: NameDocument, c: int) -> Optional[int]:
        """The first token of the surname before the comma at ``c`` when it opens a cell, or None."""
        toks, g = doc.toks, self.g
        for first in range(c - 1, max(-1, c - 1 - MAX_NAME_WORDS), -1):
            if cell_break(toks, first) or first == 0:
                break
        else:
            return None
        k = g.interfix_len(toks, first)
        words = range(first + k, c)
        if not words or len(words) > 2 or any(cell_break(toks, w) for w in range(first + 1, c)):
            return None
        # the row's shape is the evidence: a surname that is a word too ('Zondag, dhr. J.'), no label or role
        if not all(toks[w].is_capitalized and toks[w].is_word and not doc.blocked[w] and toks[w].lower not in ROLES
                   and toks[w].lower not in TITLES and toks[w].lower not in FIELD_LABELS and not _label_word(toks[w].lower)
                   for w in words):
            return None
        return first


# A bank statement's line: an account number, a cell's gap, the account holder in capitals, a gap or the end.
_COUNTERPARTY = re.compile(
    r"\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}(?:\t|  +)([A-Z][A-Z'’.-]*(?: [A-Z][A-Z'’.-]*){1,5})(?=\t|  |[ \t]*$)", re.MULTILINE)
COUNTERPARTY_TITLES = {"fam", "familie", "hr", "dhr", "mw", "mevr", "mevrouw", "de heer", "mr", "dr"}


class CounterpartyNames(NamePass):
    """'NL76BUNQ0060934970  R S BAJNATH  premie': on a bank statement the capitals after an account
    number, a cell apart, are its holder's name: initials without dots, a tussenvoegsel, surnames."""

    def process(self, doc: NameDocument) -> None:
        text = doc.text
        if "  " not in text and "\t" not in text:
            return
        index = None
        for m in _COUNTERPARTY.finditer(text):
            if index is None:
                index = {t.start: k for k, t in enumerate(doc.toks)}
            words = m.group(1).split(" ")
            start = m.start(1)
            while words and words[0].lower().strip(".") in COUNTERPARTY_TITLES:
                start += len(words.pop(0)) + 1  # "FAM K DE WILDE": the title is outside
            if not words or not self._name_like(words):
                continue
            first, end = index.get(start), m.end(1)
            last = next((k for k in range(first, len(doc.toks)) if doc.toks[k].end >= end), None) if first is not None else None
            if last is not None and doc.toks[last].end == end:
                doc.add(first, last, SCORE_INITIALS)
                self._description(doc, last + 1)

    def _description(self, doc: NameDocument, j: int) -> None:
        """The next cell is the payment's description ('Nachzahlung Zahnarzt'): its unlisted words
        are no rare names (a listed name there, 'restitutie J. Jansen', is still found)."""
        toks = doc.toks
        k = j
        while k < len(toks) and k - j < MAX_NAME_WORDS * 2 and not toks[k].newline_before and (k == j or not cell_break(toks, k)):
            if toks[k].is_word and not self.g.listed(toks[k].text) and not self.g.is_initial(toks, k):
                doc.blocked[k] = True
            k += 1

    def _name_like(self, words: List[str]) -> bool:
        """Initials and name words, at least one a name word that no legal form or ordinary word is."""
        named = False
        for w in words:
            low = w.lower().strip(".")
            if len(low) == 1 or low in self.lexicon.interfixes_by_first:
                continue
            if low in ("bv", "nv", "vof", "cv", "gmbh", "ltd", "sa") or institution_like(low) or low in INSTITUTION_WORDS \
                    or low in ORGANISATION_HEADS or self.lexicon.is_common_word(low) and not self.g.listed(w.capitalize()):
                return False
            named = True
        return named


# Every word ContextNames._kind can give a kind (a cheap first test per token).
_CONTEXT_CUES = frozenset(HEADER_LABELS | TITLES | ROLES | SALUTATIONS | FIELD_LABELS | SIGNATURES | NAMING_WORDS | {"met", "als"})


class ContextNames(NamePass):
    """A title, role, salutation, signature or field label, then a name."""

    def _kind(self, toks: Sequence[Token], i: int) -> Optional[str]:
        low = toks[i].lower
        if low in HEADER_LABELS and i + 1 < len(toks) and toks[i + 1].text == ":":
            return "label"
        if low in TITLES:
            if toks[i].text.isupper() and len(low) > 2 and not (i + 1 < len(toks) and (toks[i + 1].text == "." or toks[i + 1].text.isupper())):
                return None  # "ING Zakelijk": a bank's name in capitals, not the title 'ing.'
            return "title"
        if low in ROLES:
            return "role"
        if low in SALUTATIONS:
            return "salutation"  # "Beste Anna," -- but "Goedemiddag,\n\nZie onderstaand": not past the line
        if low in FIELD_LABELS:
            return "label"
        if low in SIGNATURES:
            return "signature"
        if low == "met" and i > 0 and self._introduces(toks, i):
            return "role"
        if low in NAMING_WORDS or low == "als" and i > 0 and toks[i - 1].lower in INTRODUCING_VERBS:
            return "role"  # "ze heet Sri", "die zich voorstelde als Mark"
        return None

    def _particle_after_name(self, toks: Sequence[Token], i: int) -> bool:
        """'Tjeerd aan de Wiel': a cue word ('aan') that opens a tussenvoegsel of two words right after a
        capitalised first name is part of that name, not an addressee's 'aan'."""
        if i == 0 or toks[i].newline_before or not toks[i].text.islower() or self.g.interfix_len(toks, i) < 2:
            return False
        prev = toks[i - 1]
        return prev.is_word and prev.is_capitalized and self.lexicon.is_first_name(prev.text) and not self.lexicon.is_common_word(prev.text)

    @staticmethod
    def _introduces(toks: Sequence[Token], i: int) -> bool:
        """'met' that introduces the speaker: after 'spreekt', or after a greeting and a comma."""
        prev = toks[i - 1].lower
        if prev in PHONE_INTRODUCTIONS:
            return True
        return prev == "," and i > 1 and (toks[i - 2].lower in SALUTATIONS or toks[i - 2].lower in ("ja", "nee"))

    @staticmethod
    def _words_to_colon(toks: Sequence[Token], j: int) -> int:
        """The index of the colon after up to three lowercase words from ``j`` on its line, or 0."""
        for k in range(j, min(j + 4, len(toks))):
            if toks[k].newline_before:
                return 0
            if toks[k].text == ":":
                return k if k > j else 0
            if not (toks[k].is_word and toks[k].text[:1].islower()):
                return 0
        return 0

    @staticmethod
    def _aside_to_colon(toks: Sequence[Token], j: int) -> int:
        """The index of the colon after a bracketed aside of up to six tokens (and a '*') on its line, or 0."""
        for k in range(j + 1, min(j + 8, len(toks) - 1)):
            if toks[k].newline_before:
                return 0
            if toks[k].text == ")":
                k += toks[k + 1].text == "*"
                return k + 1 if k + 1 < len(toks) and toks[k + 1].text == ":" and not toks[k + 1].newline_before else 0
        return 0

    def _name_start(self, toks: Sequence[Token], i: int, kind: str) -> Optional[int]:
        """Skip the abbreviation dot of a title, label punctuation and further titles
        ("Geachte heer dr. Jansen", "Naam: ..."); a full stop after a role or
        salutation ends the sentence.  A signature's name starts the next line."""
        n, j, limit = len(toks), i + 1, MAX_SKIP
        while j < n and j - i <= limit and (kind == "signature" or not toks[j].newline_before):
            nxt = toks[j]
            prev = toks[j - 1].lower
            if nxt.text in ".!" and (prev in TITLES and prev not in FULL_WORD_TITLES and nxt.text == "." or kind == "signature"):
                j += 1
            elif nxt.text == ":" and prev in TITLES:
                return None  # "Mw: Eh ja": a speaker in a transcript, not a title before a name
            elif kind in ("role", "label") and j == i + 1 and nxt.text.isdigit() and len(nxt.text) <= 2 \
                    and j + 1 < n and toks[j + 1].text == ":":
                j += 1  # "Contactpersoon 2: Sugiarto (zoon)", "Kind 1: ..."
            elif kind == "label" and j == i + 1 and self._words_to_colon(toks, j):
                j = self._words_to_colon(toks, j)  # "Naam volgens paspoort: ...", "naam van de klant: ..."
            elif kind == "label" and nxt.text in _QUOTE_MARKS and (j + 1 < n and toks[j + 1].text in (":", "=") or toks[j - 1].text in (":", "=")):
                j += 1  # JSON and logs: '"surname":"Sewnath"', 'initials="K.L."'
            elif kind == "label" and nxt.text == "*" and j + 1 < n and toks[j + 1].text == ":":
                j += 1  # "voorletters*: W.": a web form's mark of a required field
            elif kind == "label" and nxt.text == "(" and self._aside_to_colon(toks, j):
                limit += self._aside_to_colon(toks, j) - j  # the aside does not count as skipped titles
                j = self._aside_to_colon(toks, j)  # "achternaam (incl. tussenvoegsel)*: van Leeuwen"
            elif nxt.text in ":,-" or nxt.lower in TITLES or nxt.lower in ("heer", "patiënt", "mevrouw") \
                    or kind == "label" and (nxt.lower in FIELD_LABELS  # "Naam / Surname"
                                            or nxt.text == "/" and j + 1 < n and toks[j + 1].lower in FIELD_LABELS):
                j += 1
            else:
                break
        if j >= n or j - i > limit:
            return None
        if cell_break(toks, j) and kind not in ("signature", "label"):
            return None  # "Zorgverlener      Gedeclareerd": the next cell of a header, not a name
        return j

    def process(self, doc: NameDocument) -> None:
        toks = doc.toks
        cues = _CONTEXT_CUES
        for i, t in enumerate(toks):
            if t.lower not in cues:
                continue  # one set look-up for most tokens: no word that can open a name's context
            kind = self._kind(toks, i)
            if kind is None or doc.blocked[i]:
                continue  # "3800 BC Amersfoort": a postcode's letters, not the title 'bc'
            if self._particle_after_name(toks, i):
                continue

            j = self._name_start(toks, i, kind)
            if j is None:
                continue
            after_title = toks[j - 1].lower in TITLES or toks[j - 1].text == "."
            # After a signature the next line may be anything ("Afdeling Declaraties"):
            # only names that are no ordinary words.
            parsed = self.g.parse(toks, j, strict=kind == "signature" and not after_title)
            if parsed is None and kind == "title" and self.g.eponym_surname(toks, j):
                parsed = NameParse(j, j, 0, (j,))  # "dhr. Alvarez": after a title an eponym's word is a surname
            if parsed is None and kind == "signature":
                # the last words of the text after a signature word are its signer ("Dank! Roos")
                parsed = self.g.parse(toks, j, strict=False)
                if parsed is not None and not self._ends_text(toks, parsed.last):
                    parsed = None
            if parsed is None:
                k = self._lone_initials(toks, j) if kind in ("role", "label", "title") else 0
                if k:
                    doc.add(j, k, SCORE_INITIALS)  # "behandelaar A.S.", "Medewerker: L. (paraaf)"
                continue
            word = toks[parsed.words[0]].text
            if kind == "role" and not parsed.initials and len(parsed.words) == 1 and not after_title:
                # "tandarts Groen" but not "huisarts Amsterdam" or "klant Belde"
                bare_place = parsed.first == parsed.words[0] and word.lower() in self.lexicon.places
                if bare_place or not (self.g.listed(word) or self.g.uncommon(word)):
                    continue

            if self.g.next_is_institution(toks, parsed.last):
                continue
            last = self.g.inverted_initials(toks, parsed.last)
            if last == parsed.last and kind != "signature" and not parsed.initials and len(parsed.words) == 1:
                last = self._inverted_given(toks, last)
            doc.add(parsed.first, last, SCORE_CONTEXT)

    def _inverted_given(self, toks: Sequence[Token], last: int) -> int:
        """'Patiënt: Okonkwo, Chukwuemeka (roepnaam Emeka)': a surname, a comma and one given name that ends
        the field (a bracket, a cell's gap or the line's end follow) are one name."""
        g, given = self.g, last + 2
        if given >= len(toks) or toks[last + 1].text != "," or toks[given].newline_before or toks[given].text.isupper():
            return last
        t = toks[given]
        if not g.is_name_word(t, strict=False) or t.lower in self.lexicon.places or not (self.lexicon.is_first_name(t.text) or g.uncommon(t.text)):
            return last
        end = given + 1 >= len(toks) or toks[given + 1].text == "(" or cell_break(toks, given + 1)
        return given if end else last


    def _lone_initials(self, toks: Sequence[Token], j: int) -> int:
        """The last token of initials alone at ``j`` that end their line or item ('R.S.', 'L. (paraaf)'), or 0."""
        last = j - 1
        while last + 2 < len(toks) + 1 and last + 1 < len(toks) and self.g.is_initial(toks, last + 1) \
                and last + 1 - j < 2 * MAX_INITIALS:
            last += 2  # the letter and its dot
        if last < j:
            return 0
        nxt = toks[last + 1] if last + 1 < len(toks) else None
        return last if nxt is None or nxt.newline_before or nxt.text in "(,;)" or nxt.text in _QUOTE_MARKS else 0

    @staticmethod
    def _ends_text(toks: Sequence[Token], last: int) -> bool:
        return all(not t.is_word and not t.text.isdigit() for t in toks[last + 1:last + 4]) and last + 4 > len(toks)


class SignedNames(NamePass):
    """A name before 'namens' at the start of a line signs for a group: 'Ebbelina namens het MT'."""

    def process(self, doc: NameDocument) -> None:
        toks, g = doc.toks, self.g
        if "amens" not in doc.text and "AMENS" not in doc.text:
            return  # most texts: no 'namens' (one C-level search)
        for i in range(1, len(toks)):
            if toks[i].lower != "namens" or toks[i].newline_before:
                continue
            j = i - 1
            while j > 0 and i - j < MAX_NAME_WORDS and not toks[j].newline_before and toks[j - 1].is_word:
                j -= 1
            if not toks[j].newline_before and j > 0:
                continue  # not at the start of a line
            parsed = g.parse(toks, j, strict=False)
            word = toks[j].text
            named = self.lexicon.is_first_name(word) and not self.lexicon.is_common_word(word) or g.uncommon(word) \
                and word_frequency(word.lower()) < RARE_FREQUENCY and not dutch_compound(word.lower())
            if parsed and parsed.last == i - 1 and named:
                doc.add(parsed.first, parsed.last, SCORE_CONTEXT)


# Every word before a lowercase name that LowercaseNames._cued or _again reads.
_LOWERCASE_CUE_WORDS = frozenset(WEAK_ROLES | ROLES | TITLES | GREETINGS | SIGNATURES | SIGN_OFFS | FILLERS
                                 | {"met", "van", ".", ":", "is", "ben", "naam", "("})


_LOWER_PARTICLES = {"van", "de", "der", "den", "ter", "ten", "het", "'t", "in", "op", "te", "da", "dos", "el", "al"}


class LowercaseNames(NamePass):
    """Chat and SMS written in lowercase: 'dit is fatima van de tandarts', 'Klant: tante wobina?'.

    Only on a line with no capitalised word (a chat's time stamp and a
    speaker's name before a colon at its start aside), and only right after a
    cue (a role, a title, 'dit is', 'ik ben', 'mijn naam is', 'naam', 'met',
    'sms van ...:', or a greeting at the end of the line: 'gr ilse'), for a
    word that is a listed name and no ordinary word, or unknown to Dutch.
    The name goes on over the next such words ('nour haddad', 'ait taleb').
    """

    def process(self, doc: NameDocument) -> None:
        toks = doc.toks
        lowercase = self._lowercase_lines(toks, doc.text)
        answers = self._answers_to_name_question(doc)
        if True in lowercase or answers:
            candidates = range(1, len(toks))
        else:  # no lowercase line (most texts): only the tokens after a cue of any line
            candidates = [i for i in range(1, len(toks)) if toks[i - 1].lower in _CUES_ON_ANY_LINE]
        cue_words = _LOWERCASE_CUE_WORDS
        for i in candidates:
            prev = toks[i - 1].lower
            if prev not in cue_words and not (len(prev) > 8 and prev.endswith(_ROLE_SUFFIXES)) and i not in answers:
                continue  # no word before it that _cued or _again reads: one set look-up for most tokens
            if not lowercase[i]:
                # on a line with capitals only after a title or a greeting (one set look-up for most tokens)
                if toks[i - 1].lower not in _CUES_ON_ANY_LINE or not toks[i].text[:1].islower():
                    continue
                if not self._after_title(toks, i) and not self._introduced_here(toks, i) and not self._name_field(toks, i):
                    continue
            cue = "strong" if i in answers or self._again(doc, i) else self._cued(toks, i)
            if not cue:
                continue
            strong = cue == "strong"
            first, i = i, self._after_lowercase_initials(toks, i) if strong else i  # "mw e. tjin-a-koeng"
            # "mevrouw de vries": a tussenvoegsel may open the name after a title
            opens = toks[i].text[:1].islower() and (toks[i - 1].lower in TITLES or first != i or self._again(doc, i))
            k = self.g.interfix_len(toks, i) if opens else 0
            if k and i + k < len(toks) and not toks[i + k].newline_before and self._surname_like(doc, i + k, strong, k):
                last = i + k
            elif self._name_like(doc, i, strong=strong):
                last = i
            else:
                continue
            any_case = not lowercase[i]  # after a title: the name's words are lowercase, the line need not be
            while last + 1 < len(toks) and last - i < MAX_NAME_WORDS - 1 and (lowercase[last + 1] or any_case) \
                    and not toks[last + 1].newline_before:
                k = self.g.interfix_len(toks, last + 1)  # "daan de groot", "kim van den broek"
                if k and last + 1 + k < len(toks) and not toks[last + 1 + k].newline_before \
                        and self._surname_like(doc, last + 1 + k, strong, k):
                    last += k + 1
                    break  # the tussenvoegsel's surname ends the name
                if not self._name_like(doc, last + 1, strong=strong):
                    break
                last += 1
            # a whole name after a strong cue is as sure as a capitalised one ("kim van den broek", not a place in it)
            doc.add(first, last, SCORE_CONTEXT if strong and last > first else SCORE_SINGLE)

    @staticmethod
    def _is_lowercase_initial(toks: Sequence[Token], i: int) -> bool:
        t = toks[i]
        return len(t.text) == 1 and t.text.isalpha() and t.text.islower() and i + 2 < len(toks) \
            and toks[i + 1].text == "." and toks[i + 1].start == t.end and not toks[i + 2].newline_before

    def _after_lowercase_initials(self, toks: Sequence[Token], i: int) -> int:
        """The token after lowercase initials ('e. tjin-a-koeng', 'm.j. de boer') that a strong cue
        opens, when a lowercase word follows them; ``i`` itself when there are none."""
        j = i
        while j - i < 2 * MAX_INITIALS and self._is_lowercase_initial(toks, j):
            j += 2
        return j if j > i and toks[j].is_word and toks[j].text[:1].islower() and len(toks[j].text) >= 2 else i

    @staticmethod
    def _name_field(toks: Sequence[Token], i: int) -> bool:
        """'Naam: mohamed amrani': a form's name field, its value typed in lowercase, on any line."""
        return i > 1 and toks[i - 1].text == ":" and toks[i - 2].lower in NAME_FIELDS and not toks[i].newline_before \
            and (i == 2 or toks[i - 2].newline_before) and toks[i].text[:1].islower()

    @staticmethod
    def _introduced_here(toks: Sequence[Token], i: int) -> bool:
        """'Hoi fatima hier, ...': a greeting, a lowercase word and 'hier', on any line."""
        return i + 1 < len(toks) and toks[i - 1].lower in GREETINGS and toks[i + 1].lower == "hier" and toks[i].text[:1].islower()

    def _surname_like(self, doc: NameDocument, i: int, strong: bool, interfix: int) -> bool:
        """After a tussenvoegsel: a listed surname that is no ordinary word ('de groot'), any listed one
        after a tussenvoegsel of two words ('van den broek'), or a name-like word."""
        t, before = doc.toks[i], doc.toks[i - 1].lower
        if before in PREPOSITION_INTERFIXES or doc.toks[i - 2].lower in PREPOSITION_INTERFIXES:
            return False  # "de bakker op de hoek": a preposition, not a tussenvoegsel
        given = i - interfix - 1  # "jolien de haan": after a listed first name a listed surname may be an ordinary word
        after_given = given >= 0 and doc.toks[given].text.islower() and self.lexicon.is_first_name(doc.toks[given].text) \
            and not self.lexicon.is_common_word(doc.toks[given].text) and word_frequency(t.lower) < COMMON_FREQUENCY
        return t.is_word and len(t.text) >= 3 and t.text[:1].islower() and not doc.covered[i] and not doc.blocked[i] \
            and (self.lexicon.is_surname(t.text.capitalize()) and (interfix >= 2 or after_given or not self.lexicon.is_common_word(t.text))
                 or self._name_like(doc, i, strong))

    @staticmethod
    def _after_title(toks: Sequence[Token], i: int) -> bool:
        """'kl. mehmet kaya belt (tel. ...)', 'mevr tromp belt', 'ik ben mevrouw pinas': an abbreviated
        title (with or without its dot) or a title of address before a lowercase word is a cue
        even on a line with capitals."""
        if not toks[i].text[:1].islower() or toks[i].newline_before:
            return False
        abbreviation = i + 1 < len(toks) and toks[i + 1].text == "." and toks[i + 1].start == toks[i].end  # "Dr. med. dent."
        if abbreviation and len(toks[i].text) == 1 and i + 2 < len(toks) and toks[i + 2].text[:1].islower() \
                and toks[i + 2].is_word and not toks[i + 2].newline_before:
            abbreviation = False  # "mw e. tjin-a-koeng": a lowercase initial, then the name
        if i > 0 and toks[i - 1].lower in ADDRESS_TITLES and not abbreviation:
            return True
        return i > 1 and toks[i - 1].text == "." and toks[i - 2].lower in TITLES and not abbreviation

    @staticmethod
    def _answers_to_name_question(doc: NameDocument) -> set:
        """First words of a line (after its time stamp and speaker) that answer a question for
        a name on the line before ('Mag ik je naam en geboortedatum?' / 'Klant: emre yildirim')."""
        text, toks = doc.text, doc.toks
        if "?" not in text or "naam" not in text.lower():
            return set()  # most texts: one C-level test each
        starts = set()
        for i, t in enumerate(toks):
            if i and (not t.newline_before or "\n" not in text[toks[i - 1].end:t.start]):
                continue  # not a line's first token (a tab also sets newline_before)
            prev_end = text.rfind("\n", 0, t.start)
            prev_line = text[text.rfind("\n", 0, max(prev_end, 0)) + 1:max(prev_end, 0)] if prev_end > 0 else ""
            if not _NAME_QUESTION.search(prev_line):
                continue
            tag = _CHAT_TAG.match(text, t.start)
            j = i
            while j < len(toks) and tag and toks[j].start < tag.end() and (j == i or not toks[j].newline_before):
                j += 1
            if j < len(toks) and (j == i or not toks[j].newline_before):
                starts.add(j)
        return starts

    def _name_like(self, doc: NameDocument, i: int, strong: bool) -> bool:
        t = doc.toks[i]
        if not t.is_word or doc.covered[i] or doc.blocked[i] or len(t.text) < 3:
            return False
        low = t.lower
        if low in TITLES or low in ROLES or low in SALUTATIONS or low in SIGNATURES or self.lexicon.is_common_word(low) \
                or _label_word(low):
            return False
        if low.endswith(NAME_UNLIKE_SUFFIXES) and i + 1 < len(doc.toks) and doc.toks[i + 1].text[:1].isdigit():
            return False  # "beller weteringstraat 14": a street and its number
        listed = self.g.listed(low) and word_frequency(low) < COMMON_FREQUENCY
        # after a strong cue (a title, 'ik ben', 'mijn naam is') a word as rare as an unlisted name
        # (kowalczyk 2.3, haddad 3.1); after a weak one ('namens', 'met') only a very rare one
        rare = UNLISTED_NAME_FREQUENCY if strong else RARE_FREQUENCY
        if not listed and len(low) >= 6 and (low.endswith("en") and self._ordinary(low[:-2]) or low.endswith("s") and self._ordinary(low[:-1])):
            return False  # "medewerker machtigingen", "declaraties": the plural of an ordinary word
        return listed or word_frequency(low) < rare and low not in self.lexicon.places and not dutch_compound(low) \
            and not (len(low) >= 12 and self.g.compound_of_terms(low))  # "met diabetesaantekening"

    def _ordinary(self, stem: str) -> bool:
        return self.lexicon.is_common_word(stem) or word_frequency(stem) >= COMMON_FREQUENCY - 1.5

    @staticmethod
    def _lowercase_lines(toks: Sequence[Token], text: str) -> List[bool]:
        """Per token: its line has no capitalised word, a time stamp and speaker tag ('[14:06] Nour:') at its start aside."""
        flags = [False] * len(toks)
        if not toks:
            return flags
        start = 0
        ends = [k for k in range(1, len(toks)) if toks[k].newline_before]
        ends.append(len(toks))
        for end in ends:
            tag = _CHAT_TAG.match(text, toks[start].start)
            body = start
            while body < end and tag and toks[body].start < tag.end():
                body += 1
            # a capital that only starts a sentence ("Hoi!! ik heb ...") is the phone's, not the writer's
            lower = True
            for k in range(body + 1, end):
                t = toks[k]
                # ("... over mijn ID", "mijn BSN": an acronym is no capitalised word)
                if t.is_capitalized and t.is_word and toks[k - 1].text not in ".!?" and not (t.text.isupper() and 2 <= len(t.text) <= 4):
                    lower = False
                    break
            if lower:
                flags[start:end] = [True] * (end - start)
            start = end
        return flags

    @staticmethod
    def _again(doc: NameDocument, i: int) -> bool:
        """A name found just before, then a filler or a bracket: the same person named again
        ('mevrouw de vries eh annemiek de vries', 'groetjes kim (kim van den broek)')."""
        toks = doc.toks
        return i > 1 and (toks[i - 1].lower in FILLERS or toks[i - 1].text == "(") and doc.covered[i - 2] \
            and toks[i - 2].text[:1].islower()

    @staticmethod
    def _cued(toks: Sequence[Token], i: int) -> Optional[str]:
        """'strong' (a title, a role, 'ik ben', 'mijn naam is'), 'weak' (a preposition-like role,
        'met', a greeting at the end, a sender) or None."""
        prev = toks[i - 1].lower
        before = toks[i - 2].lower if i > 1 else ""
        if toks[i].newline_before:
            return None
        if prev in WEAK_ROLES or prev == "met":
            return "weak"
        if prev in ROLES or prev in TITLES or prev.endswith(_ROLE_SUFFIXES) and len(prev) > 8:
            return "strong"  # ("zijn praktijkmanager ellen de graaf": a compound role)
        if prev == "van" and before in ROLES and before not in WEAK_ROLES:
            return "strong"  # "de moeder van elif sarıkaya"
        if prev == "." and before in TITLES:
            return "strong"  # "zr. annemiek", "mevr. ait taleb"
        if prev in GREETINGS and i + 1 < len(toks) and toks[i + 1].lower == "hier":
            return "strong"  # "hoi fatima hier", "hee sjoerd hier even snel"
        if prev == ":" and before in NAME_FIELDS:
            return "strong"  # "Naam: mohamed amrani"
        if prev == "is" and before in ("dit", "hier", "naam") or prev == "ben" and before == "ik" or prev == "naam":
            return "strong"  # "ik ben selam", "naam dilan karakuş"
        if prev in SIGNATURES or prev in SIGN_OFFS:
            # a greeting, then the name at the end of the line: "gr ilse", "mvg chanel", "thx mir", "groetjes kim (...)",
            # "groetjes jolien de haan (06...)": up to a name's words before the end or a bracket
            k = i + 1
            while k < len(toks) and k - i < MAX_NAME_WORDS and toks[k].lower in _LOWER_PARTICLES and not toks[k].newline_before:
                k += 1
            if k < len(toks) and toks[k].is_word and toks[k].text.islower() and not toks[k].newline_before and (
                    k > i + 1 or k + 1 >= len(toks) or toks[k + 1].text == "(" or toks[k + 1].newline_before):
                k += 1  # the surname after the tussenvoegsel, or one surname before the end
            end = k >= len(toks) or toks[k].newline_before or not toks[k].is_word and k + 1 >= len(toks) or toks[k].text == "("
            return "weak" if end else None
        if prev == "is" and before == "dat":
            return "weak"  # "ja dat is hendrik van der veen": a listed name only
        # "sms van zoravin:": the sender before a colon
        return "weak" if prev == "van" and i + 1 < len(toks) and toks[i + 1].text == ":" else None


class ShapeNames(NamePass):
    """Initials or a known first name followed by more name: 'P.J. Vos', 'Sem Kok'."""

    def process(self, doc: NameDocument) -> None:
        toks, g = doc.toks, self.g
        for i in doc.capitals:
            t = toks[i]
            if doc.covered[i] or doc.blocked[i] or not t.is_word:
                continue
            if g.is_initial(toks, i):
                if i >= 2 and toks[i - 1].text == "." and g.is_initial(toks, i - 2):
                    continue  # inside a run of initials: parsed from the run's first
                parsed = g.parse(toks, i, strict=True)
                if parsed and parsed.words:
                    surname = toks[parsed.words[-1]].lower
                    if surname not in self.lexicon.eponyms and not g.next_is_institution(toks, parsed.last):
                        doc.add(parsed.first, parsed.last, SCORE_INITIALS)
            elif self.lexicon.is_first_name(t.text) and not self.lexicon.is_common_word(t.text):
                parsed = g.parse(toks, i, strict=True)
                if parsed and len(parsed.words) >= 2 and not g.next_is_institution(toks, parsed.last):
                    doc.add(parsed.first, parsed.last, SCORE_FULL_NAME)


class InvertedNames(NamePass):
    """'Chen, L.', 'Smid, J.H.': a surname, a comma and initials, as lists and forms write them."""

    def process(self, doc: NameDocument) -> None:
        toks, g = doc.toks, self.g
        n = len(toks)
        for c in doc.commas:
            i = c - 1
            if not 0 <= i < n - 3 or not g.is_initial(toks, i + 2) or doc.covered[i] or doc.blocked[i]:
                continue
            first = i
            for k in (3, 2, 1):  # "El Khayari, S.", "de Vries, J.", "VAN DEN BERG, R."
                if i >= k and g.interfix_len(toks, i - k) == k and not toks[i].newline_before:
                    first = i - k
                    break
            if not g.is_name_word(toks[i], strict=False) or toks[i].lower in self.lexicon.places:
                continue
            last = g.inverted_initials(toks, i)
            nxt = toks[last + 1] if last + 1 < n else None
            if nxt is not None and not nxt.newline_before and nxt.is_capitalized:
                continue  # "Utrecht, A. Jansen": not one inverted name
            doc.add(first, last, SCORE_INITIALS)
        # names found by the passes before, followed by their initials
        for (first, last), score in list(doc.spans.items()):
            end = g.inverted_initials(toks, last)
            if end != last and not any(doc.covered[last + 1:end + 1]):
                del doc.spans[(first, last)]
                doc.covered[last + 1:end + 1] = [True] * (end - last)
                doc.spans[(first, end)] = score


# Two capitalised parts joined by a hyphen, each a word of its own ('Ruiz-Jiménez', 'Nakamura-Bos'): a double surname.
_DOUBLE_SURNAME = re.compile(r"[A-ZÀ-Þ][^\W\d_]{2,}-[A-ZÀ-Þ][^\W\d_]{2,}")


class RareNames(NamePass):
    """Names in no list: two capitalised words rare in Dutch side by side ('Ebreno Mbuvelo')."""

    def _unlisted(self, doc: NameDocument, i: int, below: float) -> bool:
        """A free capitalised name-like word rarer than ``below`` (Zipf)."""
        t = doc.toks[i]
        return (not doc.covered[i] and not doc.blocked[i] and t.is_word and t.is_capitalized and not t.text.isupper()
                and t.lower not in self.lexicon.places and self.g.is_name_word(t, strict=False)
                and not self.lexicon.is_common_word(t.text) and word_frequency(t.lower) < below)

    def _compound(self, tok: Token) -> bool:
        return dutch_compound(tok.lower) and not self.g.listed(tok.text)

    @staticmethod
    def _born_after(toks: Sequence[Token], last: int) -> bool:
        """The two words are followed by a birth mark: 'Wojciech Nowak, geb. 30-03-1986', '(*12-03-1970)',
        'geboren op ...': with such a neighbour two uncommon words are a name even when neither is rare."""
        j = last + 1
        if j < len(toks) and toks[j].text in (",", "(") and not toks[j].newline_before:
            j += 1
        return j < len(toks) and not toks[j].newline_before and toks[j].lower in BIRTH_MARKS

    def process(self, doc: NameDocument) -> None:
        toks = doc.toks
        # two capitalised words side by side first, then the look-ups
        capitals = doc.capitals
        pairs = [i for i, j in zip(capitals, capitals[1:]) if j == i + 1]
        for i in pairs:
            if cell_break(toks, i + 1) or not self._unlisted(doc, i, UNLISTED_NAME_FREQUENCY):
                continue
            # both uncommon, one of them (nearly) unknown to Dutch
            if self._unlisted(doc, i + 1, UNLISTED_NAME_FREQUENCY) and (
                    word_frequency(toks[i].lower) < RARE_FREQUENCY or word_frequency(toks[i + 1].lower) < RARE_FREQUENCY
                    or self._born_after(toks, i + 1) or _DOUBLE_SURNAME.fullmatch(toks[i + 1].text)) \
                    and not self._compound(toks[i]) and not self._compound(toks[i + 1]):
                # ("Mutatieverslag Ledenadministratie": a heading of two compounds)
                doc.add(i, i + 1, SCORE_INTERFIX)


class InterfixNames(NamePass):
    """A capitalised tussenvoegsel and a listed surname without a first name: 'De Vries'.

    Written so, the tussenvoegsel is capitalised; a lowercase "van" is a
    preposition ("verlof van Lotte", "ziekte van Parkinson").
    """

    def process(self, doc: NameDocument) -> None:
        toks, g, lex = doc.toks, self.g, self.lexicon
        n = len(toks)
        for i in doc.capitals:
            t = toks[i]
            if doc.covered[i] or doc.blocked[i]:
                continue
            k = g.interfix_len(toks, i)
            if not k or i + k >= n or toks[i + k].newline_before:
                continue
            nxt = toks[i + k]
            low = nxt.lower
            if not nxt.is_capitalized or low in lex.eponyms:
                continue
            if low in lex.places and g.sentence_start(toks, i):
                continue  # "Van Utrecht naar Zwolle"
            if t.lower in PREPOSITION_INTERFIXES and g.sentence_start(toks, i) and lex.is_first_name(nxt.text):
                continue  # "Bij Sharon en Romano thuis": a preposition before a first name
            # A tussenvoegsel of two words ("Van 't", "Van der") before a capitalised word is
            # a surname even when the word is not listed; not at a sentence start ("Van de Kerk ...").
            two_words = k >= 2 and (not g.sentence_start(toks, i) or i > 0 and toks[i - 1].text in "\"'")
            if (low in lex.interfix_surnames or low in lex.surnames or two_words) and g.is_name_word(nxt, strict=False):
                last = ([i + k] + g.double_surname(toks, i + k))[-1]
                if not g.next_is_institution(toks, last):
                    doc.add(i, last, SCORE_INTERFIX)


# Verbs of a call-centre remark after its subject: "Verhoeven belt terug", "Brouwer komt langs".
REMARK_VERBS = {
    "belt", "belde", "mailt", "mailde", "appt", "appte", "komt", "kwam", "vraagt", "vroeg", "meldt", "meldde",
    "wil", "wilde", "zegt", "zei", "stuurt", "stuurde", "wacht", "wachtte", "krijgt", "kreeg", "heeft", "had",
    "gaat", "ging", "neemt", "nam", "betaalt", "betaalde", "regelt", "regelde", "bevestigt", "bevestigde",
    "verhuist", "verhuisde", "reageert", "reageerde", "levert", "leverde", "was", "is",
}


class LookupNames(NamePass):
    """Single listed names that are not ordinary words."""

    def process(self, doc: NameDocument) -> None:
        toks, g, lex = doc.toks, self.g, self.lexicon
        for i in doc.capitals:
            t = toks[i]
            if doc.covered[i] or doc.blocked[i] or not t.is_word or t.text.isupper():
                continue
            if not g.listed(t.text) or not g.is_name_word(t, strict=True):
                continue
            low = t.lower
            if low in lex.places or lex.is_common_word(t.text):
                continue
            first_name = lex.is_first_name(t.text) and low not in AMBIGUOUS_FIRST_NAMES
            # wordfreq counts names too (Jan 5.2), so the frequency test is for
            # surnames only; a capitalised sentence start is weaker evidence.
            limit = 3.5 if g.sentence_start(toks, i) and not self._subject_of_remark(toks, i) else COMMON_FREQUENCY
            if not first_name and word_frequency(low) >= limit:
                continue
            if g.next_is_institution(toks, i) or self._english_verb(toks, i) or self._date_or_noun(toks, i):
                continue
            doc.add(i, i, SCORE_SINGLE)

    @staticmethod
    def _date_or_noun(toks: Sequence[Token], i: int) -> bool:
        """'in June', '3 April', 'April 2026': a month; 'im Sommer': a German noun after its article."""
        prev = toks[i - 1] if i and not toks[i].newline_before else None
        if prev is not None and prev.lower in GERMAN_CONTRACTIONS:
            return True
        if toks[i].lower not in MONTHS:
            return False
        nxt = toks[i + 1] if i + 1 < len(toks) and not toks[i + 1].newline_before else None
        return prev is not None and (prev.lower in MONTH_PREPOSITIONS or prev.text.isdigit()) or nxt is not None and nxt.text.isdigit()

    @staticmethod
    def _subject_of_remark(toks: Sequence[Token], i: int) -> bool:
        """The surname is a short remark's subject ('Verhoeven belt terug', 'Kuipers komt vrijdag') or the
        whole text (a remark cell holding only 'Schouten'): a capital that starts it is still a name."""
        if len(toks) == 1:
            return True
        return i + 1 < len(toks) and toks[i + 1].lower in REMARK_VERBS and not toks[i + 1].newline_before

    @staticmethod
    def _english_verb(toks: Sequence[Token], i: int) -> bool:
        """'Can I make ...', 'Will you ...': a sentence's first word before an English pronoun."""
        return (i == 0 or toks[i - 1].text in ".!?\n" or toks[i].newline_before) and i + 1 < len(toks) \
            and toks[i + 1].lower in ENGLISH_PRONOUNS and not toks[i + 1].newline_before


class RepeatedNames(NamePass):
    """A surname found once is a name everywhere in the text."""

    def process(self, doc: NameDocument) -> None:
        toks = doc.toks
        known: Dict[str, float] = {}
        interfix: Dict[str, Tuple[str, ...]] = {}  # the tussenvoegsel a surname was found with
        for (first, last), score in doc.spans.items():
            for j in range(max(first, last - 3), last):
                if self.g.interfix_len(toks, j) == last - j:
                    interfix[toks[last].text] = tuple(t.lower for t in toks[j:last])
                    break
            # the surname, and the first name of a full name ("Bartelien Vlonderman" ... "Bartelien")
            for idx in sorted({first, last}):
                word = toks[idx]
                if word.is_word and len(word.text) >= 3 and word.is_capitalized and not self.lexicon.is_common_word(word.text) \
                        and not self.g.interfix_len(toks, idx):
                    known[word.text] = max(known.get(word.text, 0.0), score)
        if not known:
            return
        for i, t in enumerate(toks):
            if t.text in known and not doc.covered[i] and not doc.blocked[i] and not self.g.next_is_institution(toks, i):
                seq = interfix.get(t.text, ())
                k = len(seq)
                with_interfix = k and i >= k and tuple(x.lower for x in toks[i - k:i]) == seq and doc.free(i - k, i)
                doc.add(i - k if with_interfix else i, i, SCORE_REPEAT)


class JoinNames(RareNames):
    """A name is covered whole: an uncommon or listed capitalised word right before or
    after a found name, on the same line, belongs to it ('Hennevie Molkenbrugge', 'Wang Xiuying')."""

    def _joins(self, doc: NameDocument, i: int) -> bool:
        if doc.toks[i].lower in PREPOSITION_INTERFIXES:
            return False  # "Bij Sharon en Romano": a capitalised preposition, not a name
        if self._unlisted(doc, i, UNLISTED_NAME_FREQUENCY):
            # "Zorgcoach Femke": an unlisted word made of two Dutch words is a role or a thing
            return not dutch_compound(doc.toks[i].lower)
        return (
            not doc.covered[i] and not doc.blocked[i] and self.g.listed(doc.toks[i].text)
            and self.g.is_name_word(doc.toks[i], strict=False) and doc.toks[i].lower not in self.lexicon.places)

    def process(self, doc: NameDocument) -> None:
        toks = doc.toks
        self._linked(doc)
        self._adjacent(doc)
        for (first, last), score in list(doc.spans.items()):
            new_first, new_last = first, last
            if first >= 1 and not cell_break(toks, first) and self._joins(doc, first - 1):
                new_first = first - 1
            if last + 1 < len(toks) and not cell_break(toks, last + 1) and self._joins(doc, last + 1):
                new_last = last + 1
            if (new_first, new_last) != (first, last):
                del doc.spans[(first, last)]
                doc.covered[new_first:new_last + 1] = [True] * (new_last + 1 - new_first)
                doc.spans[(new_first, new_last)] = score


    def _linked(self, doc: NameDocument) -> None:
        """'M. Tjon A Fong', 'Lie A Ling': Surinamese-Chinese surnames joined by a capital 'A' (no dot,
        no initial) are one name with the capitalised name word after it."""
        toks, n = doc.toks, len(doc.toks)
        for (first, last), score in sorted(doc.spans.items()):
            j = last + 2
            if j >= n or toks[last + 1].text != "A" or cell_break(toks, last + 1) or cell_break(toks, j) \
                    or j + 1 < n and toks[j + 1].text == "." and toks[j + 1].start == toks[j].end:
                continue
            if not (toks[j].is_word and toks[j].is_capitalized and self.g.is_name_word(toks[j], strict=False)) \
                    or doc.blocked[j] or (first, last) not in doc.spans:
                continue
            end = j
            for (a, b) in list(doc.spans):
                if a == j:
                    end = max(end, b)
                    del doc.spans[(a, b)]
            del doc.spans[(first, last)]
            doc.covered[first:end + 1] = [True] * (end + 1 - first)
            doc.spans[(first, end)] = score

    @staticmethod
    def _adjacent(doc: NameDocument) -> None:
        """'Hans-Jürgen' and 'Becker' found apart (each repeated from a full name): two names side by
        side on one line, nothing between, are one."""
        if len(doc.spans) < 2:
            return
        spans = sorted(doc.spans.items())
        for ((a, b), s1), ((c, d), s2) in zip(spans, spans[1:]):
            if c == b + 1 and d - a < MAX_NAME_WORDS and (not cell_break(doc.toks, c) or JoinNames._broken_line(doc, a, b, c, d)) \
                    and (a, b) in doc.spans and (c, d) in doc.spans:
                del doc.spans[(a, b)], doc.spans[(c, d)]
                doc.spans[(a, d)] = max(s1, s2)

    @staticmethod
    def _broken_line(doc: NameDocument, a: int, b: int, c: int, d: int) -> bool:
        """'mevrouw Anna\nBoeve, was niet thuis': a given name after a title ends a line that goes on with
        its surname and the sentence (one line break, no tab; the surname followed by a comma or a
        lowercase word, so a list of one name a line stays apart)."""
        toks, text = doc.toks, doc.text
        if a != b or c != d or text[toks[b].end:toks[c].start] != "\n" or a == 0:
            return False
        titled = toks[a - 1].lower in TITLES or toks[a - 1].text == "." and a > 1 and toks[a - 2].lower in TITLES
        nxt = toks[d + 1] if d + 1 < len(toks) else None
        return titled and nxt is not None and not nxt.newline_before and (nxt.text == "," or nxt.text[:1].islower())


# Kinship words, singular and plural, Dutch and English: the names after one are the relatives'
# ("dochters Selam en Hiwet", "Echtgenote (Ngozi)", "my wife Sneha", "tweeling (Chidi en Chioma").
RELATIVES = {
    "echtgenote", "echtgenoot", "partner", "vrouw", "man", "dochter", "dochters", "zoon", "zonen", "kind", "kinderen",
    "tweeling", "broer", "broers", "zus", "zussen", "zuster", "moeder", "vader", "ouders", "kleinkind", "kleinkinderen",
    "kleinzoon", "kleindochter", "stiefzoon", "stiefdochter", "pleegkind", "pleegkinderen", "neef", "nicht", "oom", "tante",
    "wife", "husband", "son", "sons", "daughter", "daughters", "child", "children", "twins", "brother", "sister", "mother",
    "father", "parents", "grandson", "granddaughter",
}
MAX_RELATIVES = 6


class RelativeNames(NamePass):
    """Names after a kinship word, listed or not, a list of them after a plural one: 'dochters Selam en Hiwet',
    'de kinderen Sami (2015) en Lama (2018)', 'Echtgenote (Ngozi)', 'my wife Sneha'. A name is a capitalised word
    that is no ordinary word, place or institution; a year or an age in brackets after one is skipped."""

    def process(self, doc: NameDocument) -> None:
        toks, n = doc.toks, len(doc.toks)
        found = None
        for i, t in enumerate(toks):
            if t.lower not in RELATIVES or i + 1 >= n or toks[i + 1].newline_before:
                continue
            if found is None:
                found = {first: last for first, last in doc.spans}  # a name found before still continues the list
            j = i + 1 + (toks[i + 1].text in ("(", ":"))
            for _ in range(MAX_RELATIVES):
                last = found.get(j)
                if last is None:
                    last = self._name(doc, j)
                    if last is None:
                        break
                    doc.add(j, last, SCORE_CONTEXT)
                j = self._next_item(toks, last + 1)
                if j is None:
                    break

    def _name(self, doc: NameDocument, j: int) -> Optional[int]:
        toks = doc.toks
        if j >= len(toks) or toks[j].newline_before or not doc.free(j, j) or toks[j].text.isupper():
            return None
        t = toks[j]
        if not self.g.is_name_word(t, strict=False) or t.lower in self.lexicon.places or self.lexicon.is_common_word(t.text) \
                or t.lower in RELATIVES or not (self.g.listed(t.text) or self.g.uncommon(t.text)):
            return None
        parsed = self.g.parse(toks, j, strict=False)
        return parsed.last if parsed is not None and doc.free(j, parsed.last) else j

    @staticmethod
    def _next_item(toks: Sequence[Token], k: int) -> Optional[int]:
        """The token after ', ' or ' en ' that continues the list ('(2015) en' too), or None."""
        n = len(toks)
        if k + 2 < n and toks[k].text == "(" and toks[k + 1].text.isdigit() and toks[k + 2].text == ")":
            k += 3
        if k + 1 < n and toks[k].lower in (",", "en", "and", "&", "und") and not toks[k + 1].newline_before:
            return k + 1
        return None


class HandleNames(NamePass):
    """A chat handle: '@' glued to a listed first name, not inside an e-mail address ('@tom @priya prod issue');
    the name without the '@'."""

    def process(self, doc: NameDocument) -> None:
        toks = doc.toks
        for i in range(len(toks) - 1):
            if toks[i].text != "@" or toks[i + 1].start != toks[i].end or i and toks[i - 1].end == toks[i].start:
                continue
            t = toks[i + 1]
            after = toks[i + 2] if i + 2 < len(toks) else None
            if after is not None and after.start == t.end and after.text in ".-_":
                continue  # '@jan.smit', '@zorg-team': a longer handle or a domain
            if t.is_word and self.lexicon.is_first_name(t.text.capitalize()) and not self.lexicon.is_common_word(t.text) \
                    and t.lower not in AMBIGUOUS_FIRST_NAMES:
                doc.add(i + 1, i + 1, SCORE_CONTEXT)


class BracketedNames(NamePass):
    """'mevrouw Wongsodikromo (Sarmi)': one capitalised word in brackets right after a found name,
    no ordinary word, is that person's other name (a first name, a call name)."""

    def process(self, doc: NameDocument) -> None:
        toks, n = doc.toks, len(doc.toks)
        for (first, last), score in list(doc.spans.items()):
            i = last + 2
            if i + 1 >= n or toks[last + 1].text != "(" or toks[i + 1].text != ")" or toks[i].newline_before:
                continue
            if doc.free(i, i) and self.g.is_name_word(toks[i], strict=True) and toks[i].lower not in self.lexicon.places:
                doc.add(i, i, score)


# a speaker at a line's start (after a quote mark '>' or a time stamp), one word or two ('Chatbot Zora'), a colon
_SPEAKER_LINE = re.compile(r"^[ \t]*(?:>[ \t]*)?(?:\[[^\]\n]{1,25}\][ \t]*)?([^\W\d_]{2,})(?: [A-Z][^\W\d_]+)?[ \t]?:", re.MULTILINE)


class SpeakerNames(NamePass):
    """'Anand: heb jij ...' / 'Bas: welke?': in a chat of two or more speakers, each a line start and a
    colon, a speaker that is a listed first name is a name, also one that is a word ('Bas', 'Roos')."""

    def process(self, doc: NameDocument) -> None:
        text = doc.text
        if text.count(":") < 3:
            return  # most texts: one C-level count
        counts: Dict[str, int] = {}
        for m in _SPEAKER_LINE.finditer(text):
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
        if len(counts) < 2 or sum(counts.values()) < 3:
            return
        # a lowercase speaker ('bas: ...', '> ilona: ...') only when it speaks twice or more
        names = {w for w, c in counts.items() if (w[:1].isupper() or c >= 2) and self.lexicon.is_first_name(w.capitalize())
                 and not self._label(w.lower())}
        toks = doc.toks
        for i, t in enumerate(toks[:-1]):
            if t.text in names and toks[i + 1].text == ":" and (i == 0 or t.newline_before or toks[i - 1].text in "]>") \
                    and doc.free(i, i):
                doc.add(i, i, SCORE_SINGLE)

    @staticmethod
    def _label(low: str) -> bool:
        return low in ROLES or low in FIELD_LABELS or low in TITLES or low in SALUTATIONS or low in SIGNATURES or _label_word(low)


class TranscriptSpeakers(NamePass):
    """A speech-to-text transcript without colons: 'annemiek ok volgende punt ...' / 'ruben nee ik heb
    ...': a lowercase listed first name that opens two or more lines of lowercase text is a speaker's
    name at each of them (two speakers at least, so a list of one repeated word is no transcript)."""

    def process(self, doc: NameDocument) -> None:
        toks = doc.toks
        if doc.text.count("\n") < 3:
            return
        starts: Dict[str, List[int]] = {}
        for i, t in enumerate(toks):
            if (i == 0 or t.newline_before) and t.is_word and t.text.islower() and len(t.text) >= 3 \
                    and i + 1 < len(toks) and not toks[i + 1].newline_before:
                starts.setdefault(t.text, []).append(i)
        names = {w: at for w, at in starts.items() if len(at) >= 2 and self._given_name(w)}
        if len(names) < 2:
            return
        for at in names.values():
            for i in at:
                doc.add(i, i, SCORE_SINGLE)

    def _given_name(self, word: str) -> bool:
        lex = self.lexicon
        return lex.is_first_name(word.capitalize()) and not lex.is_common_word(word) and word not in AMBIGUOUS_FIRST_NAMES \
            and word not in ROLES and word not in GREETINGS and word not in SIGNATURES and word_frequency(word) < COMMON_FREQUENCY


_INITIALS_WORD = re.compile(r"[A-Z]{2,3}|[A-Z][a-z]{1,2}[A-Z]")
# Abbreviations that close a note as initials would ("... zie bijlage. (NB)"): never a person.
CLOSING_ABBREVIATIONS = {"NB", "PS", "OK", "CC", "FYI", "NVT", "TBV", "IVM", "ZOZ", "AUB", "SVP", "EOD", "EOM", "TODO", "ASAP"}
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


class SignOffInitials(NamePass):
    """The writer's initials closing a note ('... klant ok. (ML)', '... brief eruit. - TdV', 'Alvast
    bedankt!\nJW'), or a name in Chinese characters alone on the last line of a letter ('张秀英')."""

    def process(self, doc: NameDocument) -> None:
        toks = doc.toks
        j = len(toks) - 1
        if j < 2:
            return
        if toks[j].text == ")" and toks[j - 1].text != "(":
            j -= 1
        t = toks[j]
        if doc.covered[j] or doc.blocked[j]:
            return
        if _CJK_NAME.fullmatch(t.text):
            if t.newline_before:
                doc.add(j, j, SCORE_SINGLE)
            return
        if not _INITIALS_WORD.fullmatch(t.text) or t.text in CLOSING_ABBREVIATIONS or _label_word(t.lower) \
                or self.lexicon.is_common_word(t.text) \
                or t.lower in self.lexicon.places or t.lower in _insurer_names():
            return
        before = toks[j - 1]
        bracketed = (toks[j + 1].text == ")") if j + 1 < len(toks) else False
        if bracketed != (before.text == "("):
            return
        mark = before.text in ("(", "-", "–", "/") and not t.newline_before  # "/RK" too
        if mark and not before.newline_before and toks[j - 2].text in ".!?)":
            doc.add(j, j, SCORE_SINGLE)  # "(ML)", "- TdV" after the last sentence
        elif not mark and t.newline_before and (before.text in ".!," or before.lower in SIGNATURES):
            doc.add(j, j, SCORE_SINGLE)  # "Alvast bedankt!\nJW"
        elif not mark and before.text == "," and toks[j - 2].lower in SIGNATURES and not t.newline_before \
                and not before.newline_before:
            doc.add(j, j, SCORE_SINGLE)  # "Groet, KJ": the writer's initials after the greeting on its line


# An agent's or clinician's initials signing an entry: capitals around a tussenvoegsel's letters ('HvdB',
# 'MvdL', 'JvD') or lowercase consonants around one ('jdv', 'gvd').
_AGENT_INITIALS = re.compile(r"[A-Z](?:vd|v|d|t)[A-Z]|[b-df-hj-np-tv-z](?:vd|v|d)[b-df-hj-np-tv-z]")
_AGENT_INITIALS_IN_TEXT = re.compile(r"(?<![^\W\d_])(?:" + _AGENT_INITIALS.pattern + r")(?![^\W\d_])")
# Words after which a journal or call note names who did it ('consult HvdB', 'afgehandeld door gvd').
AGENT_CUES = {"door", "notitie", "consult", "telefonisch", "paraaf", "visite", "huisbezoek", "ingevoerd", "gezien", "medewerker"}
ROLE_ABBREVIATIONS = {"mdw", "mw", "vpk"}  # 'chat 11:53 mdw:': a role, not initials


class AgentInitials(NamePass):
    """Initials with a tussenvoegsel's letters after a cue word or a note's date, closing their entry:
    '28-10 consult HvdB', 'afgehandeld door gvd', '(notitie MvdL)', 'Notitie 20-11 jdv: ...'."""

    def process(self, doc: NameDocument) -> None:
        if not _AGENT_INITIALS_IN_TEXT.search(doc.text):
            return  # most texts: no such initials (one C-level scan)
        toks, n = doc.toks, len(doc.toks)
        for i in range(1, n):
            t = toks[i]
            if not 3 <= len(t.text) <= 4 or t.newline_before or not _AGENT_INITIALS.fullmatch(t.text) \
                    or doc.covered[i] or doc.blocked[i] or self.lexicon.is_common_word(t.text):
                continue
            nxt = toks[i + 1] if i + 1 < n else None
            closes = nxt is None or nxt.newline_before or nxt.text in (")", ":")
            dated = toks[i - 1].text.isdigit() and nxt is not None and nxt.text == ":"  # "20-11 jdv:"
            if closes and (toks[i - 1].lower in AGENT_CUES or dated and t.lower not in ROLE_ABBREVIATIONS):
                doc.add(i, i, SCORE_SINGLE)


@lru_cache(maxsize=1)
def _insurer_names() -> frozenset:
    """Insurers sign letters with their initials ('CZ', 'VGZ'): never a person's."""
    from ._data import uzovi_codes

    return frozenset(w.lower() for name in uzovi_codes().values() if name for w in name.split())


_QUOTE_MARKS = {'"', "'", "‘", "’", "“", "”"}


class CallNames(NamePass):
    """'H.J.M. (Henk) van den Heuvel', 'Jozef (Sjef) Wetzels': a given name or initials, a call name in
    brackets and a surname after it are one name, the brackets inside it (as forms and letters write it)."""

    def process(self, doc: NameDocument) -> None:
        toks, n = doc.toks, len(doc.toks)
        if "(" not in doc.text:
            return  # most texts: no brackets at all
        heads = dict(doc.spans)
        for k, t in enumerate(toks):  # "E. (Els) Voskuilen": initials found by no pass, before a call name
            if t.text == "(" and k >= 2 and self.g.is_initial(toks, k - 2) and doc.free(k - 2, k - 1):
                a = k - 2
                while a >= 2 and k - a < 2 * MAX_INITIALS and self.g.is_initial(toks, a - 2) and doc.free(a - 2, a - 1) \
                        and not toks[a].newline_before:
                    a -= 2
                heads.setdefault((a, k - 1), SCORE_INITIALS)
        for (first, last), score in sorted(heads.items()):
            i = last + 2  # the call name, perhaps in quotes: 'Jan-Pieter ("JP") Lemstra'
            quoted = i < n and toks[i].text in _QUOTE_MARKS
            i += quoted
            close = i + 1 + quoted  # the closing bracket
            if close + 1 >= n or toks[last + 1].text != "(" or toks[close].text != ")" or any(
                    toks[k].newline_before for k in range(last + 1, close + 2)):
                continue
            if quoted and toks[i + 1].text not in _QUOTE_MARKS:
                continue
            nickname = quoted and toks[i].text.isupper() and toks[i].text.isalpha() and 2 <= len(toks[i].text) <= 3  # "JP"
            # a call name: a name word, a listed first name, or the given name shortened ('Cornelis (Cor)')
            called = nickname or self.g.is_name_word(toks[i], strict=False) or self.lexicon.is_first_name(toks[i].text) \
                or toks[i].is_word and toks[i].is_capitalized and len(toks[i].text) >= 2 and toks[last].text.startswith(toks[i].text)
            if not self._given(toks, first, last) or not called \
                    or toks[i].lower in self.lexicon.places or cell_break(toks, close + 1) or any(doc.blocked[i:close + 2]):
                continue
            end = self._surname_end(toks, close + 1)
            if end is None:
                continue
            for (a, b) in list(doc.spans):
                if first <= a and b <= end + 1 and (a, b) != (first, last) or a <= end < b and a > last:
                    end = max(end, b)
                    del doc.spans[(a, b)]
            doc.spans.pop((first, last), None)
            doc.covered[first:end + 1] = [True] * (end + 1 - first)
            # given name, call name and surname: a full name ("Mia (Mimi) de Boer" is no place Boer)
            doc.spans[(first, end)] = max(score, SCORE_FULL_NAME)

    def _surname_end(self, toks: Sequence[Token], j: int) -> Optional[int]:
        """The last token of the surname after the call name ('van den Heuvel', 'Voskuilen-Grijpstra'):
        after a given name and a call name, a capitalised word after a tussenvoegsel is the surname
        even when it is an ordinary word ('Cornelis (Cor) de Man')."""
        parsed = self.g.parse(toks, j, strict=False)
        if parsed is not None and not parsed.initials and parsed.first == j and not self.g.next_is_institution(toks, parsed.last):
            return parsed.last
        k = self.g.interfix_len(toks, j)
        if k and j + k < len(toks) and not cell_break(toks, j + k) and toks[j + k].is_word and toks[j + k].is_capitalized \
                and not self.g.next_is_institution(toks, j + k):
            return j + k
        return None

    def _given(self, toks: Sequence[Token], first: int, last: int) -> bool:
        """The span before the brackets holds only initials and given names ('H.J.M.', 'Gijsbertus')."""
        k = first
        while k <= last:
            if self.g.is_initial(toks, k):
                k += 2
            elif toks[k].is_word and (self.lexicon.is_first_name(toks[k].text)
                                      or "-" in toks[k].text and all(self.lexicon.is_first_name(p) for p in toks[k].text.split("-"))):
                k += 1  # "Jan-Pieter" too
            else:
                return False
        return True


class InvertedFirstNames(NamePass):
    """'Naam: Dąbrowski, Tomasz', '(Aït-Taleb, Hassan, 01-07-1972)': a found surname, a comma and a
    found first name are one name, when the surname starts its line or follows '(' or ':' and the
    first name ends the list item (a comma, a bracket, the line's end)."""

    def process(self, doc: NameDocument) -> None:
        toks, n = doc.toks, len(doc.toks)
        by_first = {first: (last, score) for (first, last), score in doc.spans.items()}
        # a first name after "Surname," where the surname was not found alone ("(Aït-Taleb, Hassan,")
        for (given, given_last), score in sorted(doc.spans.items()):
            i = given - 2
            if i < 0 or given != given_last:
                continue
            head = self._interfix_before(toks, i)  # "Van Beek, Jorrit": a capitalised tussenvoegsel opens the line
            starts = head == 0 or toks[head].newline_before or toks[head - 1].text in ("(", ":") or toks[head - 1].text in _QUOTE_MARKS
            place_ok = head < i or toks[i].lower not in self.lexicon.places
            if starts and toks[given - 1].text == "," and doc.free(i, i) and not any(doc.blocked[head:i]) \
                    and self.g.is_name_word(toks[i], strict=head == i) and place_ok \
                    and toks[i].lower not in SIGNATURES and not toks[given].newline_before:
                doc.covered[head:i + 1] = [True] * (i + 1 - head)
                doc.spans[(head, i)] = score
                by_first[head] = (i, score)
        for (first, last), score in sorted(doc.spans.items()):
            if last + 2 >= n or toks[last + 1].text != "," or toks[last + 2].newline_before:
                continue
            other, capitals = by_first.get(last + 2), False
            if other is None and toks[last].text.isupper() and toks[last + 2].text.isupper() \
                    and doc.free(last + 2, last + 2) and self.lexicon.is_first_name(toks[last + 2].text):
                other, capitals = (last + 2, score), True  # "SMIT, GERARDUS": a given name in capitals, as forms print it
            if other is None or not self._joins(toks, first, last, other[0]):
                continue
            second_last, second_score = other
            if (first, last) in doc.spans and (capitals or (last + 2, second_last) in doc.spans):
                del doc.spans[(first, last)]
                doc.spans.pop((last + 2, second_last), None)
                doc.covered[first:second_last + 1] = [True] * (second_last + 1 - first)
                # two parts in the order lists write them: surer than either alone (a place word in the surname loses)
                doc.spans[(first, second_last)] = max(score, second_score, SCORE_INITIALS)

    def _interfix_before(self, toks: Sequence[Token], i: int) -> int:
        """The first token of a capitalised tussenvoegsel right before ``i`` on its line ('Van Beek'), or ``i``."""
        for k in (3, 2, 1):
            if i >= k and toks[i - k].is_capitalized and self.g.interfix_len(toks, i - k) == k and not toks[i].newline_before \
                    and not any(toks[m].newline_before for m in range(i - k + 1, i)):
                return i - k
        return i

    def _joins(self, toks: Sequence[Token], first: int, last: int, second_last: int) -> bool:
        """'Surname, Given names' as one list item: every word after the comma a given name, the
        surname starting its line, field or quote, the given names ending the item."""
        n = len(toks)
        if not all(self.lexicon.is_first_name(toks[k].text) for k in range(last + 2, second_last + 1)):
            return False  # "Zwart, Marloes Johanna": every word after the comma a given name
        surname = toks[last].text
        if self.lexicon.is_first_name(surname) and not self.lexicon.is_surname(surname):
            return False  # "Anna, Piet": two first names in a list
        starts = first == 0 or toks[first].newline_before or toks[first - 1].text in ("(", ":") \
            or toks[first - 1].text in _QUOTE_MARKS or _list_number_before(toks, first) \
            or toks[first - 1].lower in ROLES and toks[first - 1].lower not in WEAK_ROLES  # "Patient van Zanten, Gerrit"
        # ... and ends at a comma, a bracket, its line's or cell's end ("Patiënt: Lubbers, Tim   30-12-2004")
        # or a closing quote ('name "Hendriks, Maarten",')
        # a dash, a bracketed aside or a time after them ("DE JONG, Pieter Hendrik - geb.", "Sahin, Esra (extern) 10:03")
        ends = second_last + 1 >= n or cell_break(toks, second_last + 1) or toks[second_last + 1].text in (",", ")", "(", "-", "–") \
            or toks[second_last + 1].text in _QUOTE_MARKS or toks[second_last + 1].text.isdigit() and first_of_line(toks, first)
        return starts and ends


class TrailingInitials(NamePass):
    """A surname's initial after a given name ('aan Bram K.' closing its line) and, in capitals, initials
    without dots after a surname ('NAAM KLAASSEN GJ'), closing the cell: part of the name."""

    def process(self, doc: NameDocument) -> None:
        toks, n = doc.toks, len(doc.toks)
        for (first, last), score in sorted(doc.spans.items()):
            j = last + 1
            if j >= n or cell_break(toks, j) or doc.covered[j] or doc.blocked[j] or not toks[j].text.isupper():
                continue
            word = toks[last].text
            if len(toks[j].text) == 1 and first == last and self.lexicon.is_first_name(word) and self.g.is_initial(toks, j):
                end = j + 1  # "Bram K."
            elif 2 <= len(toks[j].text) <= 3 and word.isupper() and len(word) >= 3 and toks[j].is_word \
                    and toks[j].text not in CLOSING_ABBREVIATIONS and not self.lexicon.is_common_word(toks[j].text):
                end = j  # "KLAASSEN GJ"
            else:
                continue
            if end + 1 < n and not cell_break(toks, end + 1) and toks[end + 1].text not in ".,;)":
                continue  # the initials close the name's line or cell
            del doc.spans[(first, last)]
            doc.covered[first:end + 1] = [True] * (end + 1 - first)
            doc.spans[(first, end)] = score


class ConsistentNames(NamePass):
    """Document-level consistency, after every other pass: a name found with good evidence once is
    found at its other mentions in the text, and a word that the text uses as no name is none.

    - a surname of a full name (two or more words, or after a tussenvoegsel) stands again in capitals
      ('Jansen' ... 'JANSEN'), as a possessive ('Jansens', 'Jansen's'), or after the same
      tussenvoegsel even when it is an ordinary word ('Cornelis (Cor) de Man' ... 'mevrouw M. de Man');
      initials right before such a mention belong to it;
    - a lone listed name found only by the lists (score SCORE_SINGLE) is dropped when the same word is
      part of an organisation, a street or a place elsewhere in the text ('Huisartsenpraktijk De Linde'
      ... 'Linde').
    Linear: one dictionary look-up per token."""

    def process(self, doc: NameDocument) -> None:
        toks = doc.toks
        self._drop_non_names(doc)
        known: Dict[str, Tuple[Tuple[str, ...], float]] = {}  # a mention's text -> (tussenvoegsel, score)
        for (first, last), score in doc.spans.items():
            if score < SCORE_INTERFIX or not toks[last].is_word or len(toks[last].text) < 3:
                continue
            k = next((last - j for j in range(max(first, last - 3), last) if self.g.interfix_len(toks, j) == last - j), 0)
            if last == first and not k:
                continue  # a lone word: weak evidence of a surname
            word = toks[last].text.split("-")[0]
            seq = tuple(t.lower for t in toks[last - k:last])
            if word.isupper():
                word = word.capitalize()
            common = self.lexicon.is_common_word(word) or word.lower() in ROLES
            if word.islower():
                if k:  # 'jopie van der horst' ... 'johanna van der horst': lowercase only after its tussenvoegsel
                    known.setdefault(word, (seq, score, True))
                continue
            forms = (word.upper(), word + "s", word + "'s", word + "’s")
            for form in forms + ((word,) if common else ()):
                if common and form != word:
                    continue  # 'KOK', 'Koks': ordinary words too
                if form not in known or known[form][1] < score:
                    known[form] = (seq if common else (), score, common)
        if not known:
            return
        for i, t in enumerate(toks):
            hit = known.get(t.text)
            if hit is None or doc.covered[i] or doc.blocked[i] or self.g.next_is_institution(toks, i):
                continue
            seq, _, common = hit
            k = len(seq)
            if k and not (i >= k and tuple(x.lower for x in toks[i - k:i]) == seq and doc.free(i - k, i)):
                continue  # an ordinary word only after its tussenvoegsel ('de Man', not 'de man' nor 'Man')
            if common and not k and (self.g.sentence_start(toks, i) or i >= 1 and self.g.interfix_len(toks, i - 1)):
                continue  # 'Sem Kok' ... 'Kok is ziek': a capital that may only start the sentence; 'De Kok'
            first = i - k
            if not k and i >= 1 and self.g.interfix_len(toks, i - 1) == 1 and doc.free(i - 1, i - 1) and toks[i - 1].is_capitalized:
                first = i - 1
            while first >= 2 and self.g.is_initial(toks, first - 2) and doc.free(first - 2, first - 1) \
                    and not toks[first].newline_before and i - first < 2 * MAX_INITIALS:
                first -= 2  # "M. de Man"
            if first >= 1 and first == i - k and self._given_name(doc, first - 1, t.text.islower()):
                first -= 1  # "Piet Oukili", "johanna van der horst": a listed given name before the surname
            doc.add(first, i, SCORE_REPEAT)

    def _given_name(self, doc: NameDocument, j: int, lowercase: bool) -> bool:
        t = doc.toks[j]
        return t.is_word and doc.free(j, j) and not doc.toks[j + 1].newline_before and not cell_break(doc.toks, j + 1) \
            and (t.text.islower() if lowercase else t.is_capitalized and not t.text.isupper()) \
            and self.lexicon.is_first_name(t.text.capitalize() if lowercase else t.text) and not self.lexicon.is_common_word(t.text) \
            and t.lower not in AMBIGUOUS_FIRST_NAMES

    def _drop_non_names(self, doc: NameDocument) -> None:
        toks = doc.toks
        singles = [(a, b) for (a, b), score in doc.spans.items() if a == b and score <= SCORE_SINGLE]
        if not singles:
            return
        # Only a word an organisation or place takes after its article ('De Linde', "'t Hoekje") names a thing: an
        # organisation named by a bare surname ('Apotheek Mulder', 'Kuipers Fysiotherapie') says nothing of the
        # other Mulder in the note, who was dropped (a leak; the sweep sees no bare names).
        used = {toks[i].text for i, b in enumerate(doc.blocked) if b and i and doc.blocked[i - 1] and toks[i].is_word
                and toks[i].is_capitalized and toks[i - 1].text in ("De", "Het", "'t", "Den")}
        for a, b in singles:
            if toks[a].text in used:
                del doc.spans[(a, b)]
                doc.covered[a] = False


PASSES = (BlockNonNames, TitledInvertedNames, ContextNames, CounterpartyNames, SignedNames, ShapeNames, InvertedNames, InterfixNames, LookupNames, RareNames,
          LowercaseNames, RelativeNames, HandleNames, SpeakerNames, TranscriptSpeakers, SignOffInitials, AgentInitials, RepeatedNames, JoinNames, BracketedNames, CallNames, InvertedFirstNames, TrailingInitials,
          ConsistentNames)


class DutchPersonRecognizer(EntityRecognizer):
    ENTITY = "PERSON"

    def __init__(self, lexicon: Optional[DutchLexicon] = None, supported_language: str = "nl") -> None:
        self.lexicon = lexicon or load_lexicon()
        self.grammar = NameGrammar(self.lexicon)
        self.passes = [cls(self.grammar) for cls in PASSES]
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language, name=type(self).__name__)

    def load(self) -> None:  # the lexicon is loaded in __init__
        pass

    def document(self, text: str) -> NameDocument:
        """Run every pass over ``text`` and return the shared state (for tests and debugging)."""
        doc = NameDocument(text, tokenize(text))
        for p in self.passes:
            p.process(doc)
        return doc

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        doc = self.document(text)
        toks = doc.toks
        return [
            make_result(self, self.ENTITY, toks[first].start, toks[last].end, score)
            for (first, last), score in sorted(doc.spans.items())
        ]
