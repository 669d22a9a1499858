"""Bounded time: the free-text recognizers are linear in the length of the text.

Each pathological input is analysed at two sizes ten times apart; linear work
takes about ten times as long, quadratic work a hundred times.  The ratio of
CPU times (best of a few runs) is compared, not the time, so a loaded machine
does not fail the test.  The
1 MB figures are printed by ``benchmarks/bench_detect.py --pathological``.
"""

import gc
import time

import pytest

from recognizers import (
    DateOfBirthRecognizer, DutchAddressRecognizer, DutchLocationRecognizer, DutchPersonRecognizer, FieldRecognizer,
    MachineFieldRecognizer, NlBsnRecognizer, NlMemberNumberRecognizer, RecordLineRecognizer, TableColumnRecognizer,
)
from recognizers.tokens import tokenize

PATHOLOGICAL = {
    "initials": "J.",
    "numbers": "1 ",
    "country codes": "+31 ",
    "tussenvoegsels": "van ",
    "capitalised tussenvoegsels": "De ",
    "titles": "dr. ",
    "capitalised words": "Jan Piet Kees Smid ",
    "institution words": "Ziekenhuis ",
    "hyphenated": "Anna-de ",
    "table rows": "BSN\tGeb.datum | AGB; UZOVI\n123456782\t12-03-1985 | 01012345; 3311\n",
    "aligned rows": "Geb.datum  BSN  \n12-03-1985  123456782\n",
    "lowercase chat": "dit is zoravin en tante wobina met jan ",
    "questions and answers": "Wat is uw BSN en geboortedatum?\nKlant: 123456782, 12-03-1985\n",
    "record lines": "JANSEN P 19850312 123456782 1234AB 12\n",
    "member lists": "relaties: 6630118 (A. Mensah), 6630126 en ",
    "name questions": "Mag ik uw naam?\nKlant: ruud hoogendijk\n",
    "one long line": "Mevrouw Jansen-de Wit woont Kerkstraat 12, 3511 LK Utrecht en belde dr. P.J. Vos; ",
    # the fourth round's rules: chat speakers, call names in brackets, spaced dates, lowercase names after titles
    "speakers and call names": "Bas: ja\nRoos: H.J. (Henk) van den Heuvel (Gijs) Mooij, 123456782, 1955-02-18\n",
    "spaced dates and titles": "Geb .  datum  :  2 3 - 0 6 - 1 9 4 9 mevr de vries eh annemiek de vries ",
    # the fifth round's: insurers and subjects before numbers, whose-nr, form fields, towns abroad, OCR dates
    "insurers and subjects": "Onderwerp: Zilveren Kruis 402918376 / Nr: 12 34 56 7\nzijn nr 771029384 nul zes een twee ",
    "forms and abroad": "Naam    : A. de Wit\nachternaam (incl. x)*: (\"JP\") in Gdańsk geb l2-O7-l959 Gezin Okonkwo, Frans of ",
    # the sixth round's: bank lines, transcript speakers, repeated surnames, call names, places in address and birth slots
    "bank lines and repeats": "NL91ABNA0417164300  J K VAN DAM  Nachzahlung\nmarloes ja E. (Els) de Man, WIJNBERGEN "
                              "Wijnbergens Karel Wijnbergen ° 03/05/1970, Hasselt Dorp 27, Ee, Jan Bos, Epe, 1-2-1950 mw e. lie-a-kwie "
                              "M. Tjon A Fong A\n",
    # the seventh round's: people lists under a head, role fields, delimited records, glued labels, wrapped numbers
    "people lists and records": "Lijst (kamer / naam / geb.)\n12  Vos, mw. A.   partner    04-05-1931   \n"
                                "|01012345|3311|40021877|123456782|1967-03-31|V|9403AV|31|  AGB01012345_UZOVI3311 "
                                "34 jr (03-02-1992) gb 1-7-1958 ID-kaart ouder (nr. RKTPWHXJ3) 010 -\n4156 723 nul zes\nvier ",
    # the eighth round's: machine formats (XML elements, JSON keys, FHIR and CDA identifiers, URL paths, HL7 v2
    # segments, an EI file's name)
    "machine formats": '<a:Bsn>123456782</a:Bsn><Geboortedatum> <Datum>1985-03-12</Datum> <x y="<b ' "\n"
                       '{"subscriberId":"170433981", "system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "1", "a":'
                       ' /verzekerden/301877654/ /a/b/c\nPID|1||123456782^^^NLMINBIZA^NNNLD~1^^^X||A^B||19520711|\n'
                       '<id root="2.16.840.1.113883.2.4.6.3" extension="123456782"/><id root="1 <system value="x"/><value value="'
                       ' MZ301_12004537_20261127.asc ',
    # the eighth round's: names in XML elements, JSON keys and HL7 name fields
    "machine fields": '<x:Geslachtsnaam><x:Naam>Haar</x:Naam><Voorvoegsel>ter <Nm>P J MULDER</Nm> {"family": "Bos", '
                      '"given": ["Jan", "Piet", "name":"koen lam"\nPID|1||x^^^A||Dijkhuizen&van&Dijkhuizen^Aaltje^C~Bos^K||1952|'
                      '\nPV1|1|O|P||||0100^Tjoen^S^^^|| scan_de_graaf_wilma_A_1967.pdf _ .pdf dochters Selam en Hiwet, @tom ',
}
SMALL, FACTOR = 5_000, 10
MAX_RATIO = 30  # linear: ~10; quadratic: ~100


def _seconds(recognizer, text: str, repeat: int) -> float:
    """Least CPU time of ``repeat`` runs, the garbage collector off while timing: a collection that falls in
    the large text's runs only (it allocates more) read as x32 for a linear x10 once."""
    best = float("inf")
    for _ in range(repeat):
        tokenize.cache_clear()  # time the tokenizer too
        gc.collect()
        gc.disable()
        try:
            t = time.process_time()
            recognizer.analyze(text, recognizer.supported_entities)
            best = min(best, time.process_time() - t)
        finally:
            gc.enable()
    return best


@pytest.fixture(scope="module", params=[DutchPersonRecognizer, DutchAddressRecognizer, DutchLocationRecognizer, TableColumnRecognizer,
                        NlBsnRecognizer, DateOfBirthRecognizer, NlMemberNumberRecognizer, RecordLineRecognizer, FieldRecognizer,
                        MachineFieldRecognizer],
                ids=lambda c: c.__name__)
def recognizer(request):
    r = request.param()
    r.analyze(PATHOLOGICAL["one long line"] * 20, r.supported_entities)  # warm the caches
    return r


@pytest.mark.parametrize("unit", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_time_per_character_is_constant(recognizer, unit):
    small = unit * (SMALL // len(unit))
    large = unit * (SMALL * FACTOR // len(unit))
    ratio = _seconds(recognizer, large, 3) / max(_seconds(recognizer, small, 3), 1e-4)
    assert ratio < MAX_RATIO, f"{type(recognizer).__name__}: x{FACTOR} text took x{ratio:.0f} time"
