"""Ninth round of general rules for identifiers and dates (issue 10), developed on external_nl9.

Cases are (text, expected findings as (entity, value)) of the whole detector, for the entity types the
rule is about; every text is written for this file (none is copied from a labelled set), and each rule
has near misses that must stay unfound.
"""

import pytest

from labels import detected
from recognizers.field_walk import json_fields, sql_fields, xml_fields

IDENTIFIERS = {"NL_MEMBER_NUMBER", "NL_AGB", "NL_KVK", "NL_BIG", "NL_UZOVI", "NL_BSN", "NL_ID_DOCUMENT", "PHONE_NUMBER",
               "DATE_OF_BIRTH", "IP_ADDRESS", "NL_BTW"}


def _detected(text, entities=IDENTIFIERS):
    return detected(text, entities)


TABLES = [
    # the column names given below the rows, a record's own number before its first cell
    ("r 1: 01-044519|3358|583852762|Q77120|1966-02-14|ok\nr 2: 01-044519|3312|801129497|Q77131|1971-09-30|ok\n"
     "kolommen: agb|uzovi|bsn|verzekerdennummer|geboortedatum|status",
     # "r 1:" is no record word: the first cells keep their lead and are no AGB codes
     [("NL_UZOVI", "3358"), ("NL_BSN", "583852762"), ("NL_MEMBER_NUMBER", "Q77120"), ("DATE_OF_BIRTH", "1966-02-14"),
      ("NL_UZOVI", "3312"), ("NL_BSN", "801129497"), ("NL_MEMBER_NUMBER", "Q77131"), ("DATE_OF_BIRTH", "1971-09-30")]),
    ("rij 1: 01-044519|3358|583852762|Q77120|1966-02-14\nrij 2: 01-044519|3312|801129497|Q77131|1971-09-30\n"
     "kolommen: agb|uzovi|bsn|verzekerdennummer|geboortedatum",
     [("NL_AGB", "01-044519"), ("NL_UZOVI", "3358"), ("NL_BSN", "583852762"), ("NL_MEMBER_NUMBER", "Q77120"),
      ("DATE_OF_BIRTH", "1966-02-14"), ("NL_AGB", "01-044519"), ("NL_UZOVI", "3312"), ("NL_BSN", "801129497"),
      ("NL_MEMBER_NUMBER", "Q77131"), ("DATE_OF_BIRTH", "1971-09-30")]),
    # near miss: a last line that names no columns is no header
    ("01-044519|3358|583852762\n01-044519|3312|801129497\ntotaal|2|regels", []),
    # an export's klant_nr column
    ("order;klant_nr;artikel\n55120;K00912877;rollator\n55121;K00912901;krukken", [("NL_MEMBER_NUMBER", "K00912877"),
                                                                                ("NL_MEMBER_NUMBER", "K00912901")]),
    # an audit log's dossier column; a person's column holding a number holds their member number
    ("tijd      gebruiker   dossier    actie\n09:12     jdevries    5520981    inzien\n09:14     jdevries    5520994    wijzigen",
     [("NL_MEMBER_NUMBER", "5520981"), ("NL_MEMBER_NUMBER", "5520994")]),
    ("Regel  Verzekerde     Code\n0001   70012845       0533\n0002   70012913       8002",
     [("NL_MEMBER_NUMBER", "70012845"), ("NL_MEMBER_NUMBER", "70012913")]),
    # near miss: a birth date in the person's column is no member number
    ("Regel  Verzekerde     Code\n0001   19661204       0533\n0002   19710930       8002", []),
]

FIXED_WIDTH = [
    ("LAYOUT id(3) gebdat(8) bsn(9) uzovi(4) verznr(8) plaats\n"
     "00119660214583852762335812345678UTRECHT\n00219710930801129497331287654321ZEIST",
     [("DATE_OF_BIRTH", "19660214"), ("NL_BSN", "583852762"), ("NL_UZOVI", "3358"), ("NL_MEMBER_NUMBER", "12345678"),
      ("DATE_OF_BIRTH", "19710930"), ("NL_BSN", "801129497"), ("NL_UZOVI", "3312"), ("NL_MEMBER_NUMBER", "87654321")]),
    # near misses: a layout of fields that name no identifier; records after a blank line are another file's
    ("LAYOUT id(3) code(4) bedrag(9)\n0015833000012345", []),
    ("LAYOUT id(3) bsn(9) code(2) plaats\n00158385276201UTRECHT\n\n00280112949701ZEIST", [("NL_BSN", "583852762")]),
]

ID_DOCUMENTS = [
    ("Kopie van de paspoorten (CJVZKMLR1 en XR1001R58) ligt in de kluis.",
     [("NL_ID_DOCUMENT", "CJVZKMLR1"), ("NL_ID_DOCUMENT", "XR1001R58")]),
    ("Documentnummer verblijfsdocument: HBFKXLSL3", [("NL_ID_DOCUMENT", "HBFKXLSL3")]),
    ("Zijn Turkse paspoort: U256DW4X4, afgegeven in Ankara.", [("NL_ID_DOCUMENT", "U256DW4X4")]),
    ("Zij heeft een Pools paspoort, nummer KPHQGYCA2.", [("NL_ID_DOCUMENT", "KPHQGYCA2")]),
    ("Jansen, P.        paspoort          R1YMX5QL5   verlopen 03-2026", [("NL_ID_DOCUMENT", "R1YMX5QL5")]),
    ('{"document":{"type":"PASPOORT","nummer":"T8ZKZTIV1","geldig_tot":"2031-01-01"}}', [("NL_ID_DOCUMENT", "T8ZKZTIV1")]),
    ("2026-10-05  ID_de_vries_anna_YNLX9RLA7.pdf  312 KB", [("NL_ID_DOCUMENT", "YNLX9RLA7")]),
    # near misses: a word-like code after the bare document name, an order code in a scan's name, a batch code
    ("paspoort: BESTANDE8 kwijt", []),
    ("2026-10-05  scan_de_vries_anna_YNLX9RLA7.pdf  312 KB", []),
    ("paspoort gecontroleerd, batch R1YMX5QL5", []),
]

UZOVI = [
    ("Wij hebben contracten met Zilveren Kruis (3343), CZ (9664) en Menzis (3332).",
     [("NL_UZOVI", "3343"), ("NL_UZOVI", "9664"), ("NL_UZOVI", "3332")]),
    ("Zorgverzekeraar: 7119                     Status: afgewezen", [("NL_UZOVI", "7119")]),
    ("Verzekeraar en UZOVI: Zorg en Zekerheid, 3361", [("NL_UZOVI", "3361")]),
    # near misses: a year in brackets after a word, an amount in the insurer's field, a street number
    ("Opgericht (1998), sinds 2004 zelfstandig.", []),
    ("Zorgverzekeraar: 1250 euro vergoed", []),
    ("Menzis, Postbus 75000 (2300) Enschede", []),
]

DATES = [
    ("geb. 31-\n03-1932, wonend te Gouda", [("DATE_OF_BIRTH", "31-\n03-1932")]),
    ("Geboortedatum          [ 4 - 11 - 1950 ]", [("DATE_OF_BIRTH", "4 - 11 - 1950")]),
    ("INSERT INTO patient (bsn, naam, geboortedatum) VALUES ('583852762', 'Kok', '1966-02-14')",
     [("NL_BSN", "583852762"), ("DATE_OF_BIRTH", "1966-02-14")]),
    # near misses: a chat export's stamps in a chat that asks for the birth date; a wrapped treatment date
    ("09/11/2026, 08:06 - Praktijk: Wilt u uw geboortedatum sturen?\n09/11/2026, 08:07 - Anna: 14-02-1966",
     [("DATE_OF_BIRTH", "14-02-1966")]),
    ("behandeld op 31-\n03-2026", []),
    ("INSERT INTO afspraak (datum, code) VALUES ('1966-02-14', 'C003')", []),
]

MEMBER_NUMBERS = [
    ("Polisnr.: ZK-55O4871", [("NL_MEMBER_NUMBER", "ZK-55O4871")]),
    (":86:/EREF/NOTPROVIDED//MARF/POL5520981/CSID/NL12ZZZ401234560000", [("NL_MEMBER_NUMBER", "5520981")]),
    ("haar nummer van de verzekering 287 114 905", [("NL_MEMBER_NUMBER", "287 114 905")]),
    ("Opmerking: dossier 5520981 is van een medewerker.", [("NL_MEMBER_NUMBER", "5520981")]),
    ("Verzekerd bij: CZ (UZOVI 9664), nummer 287114905", [("NL_UZOVI", "9664"), ("NL_MEMBER_NUMBER", "287114905")]),
    ("haar klantnummer is eh vier twee nul nul acht een drie zes", [("NL_MEMBER_NUMBER", "vier twee nul nul acht een drie zes")]),
    ("Sanne 10:02\nwat is zijn relatienummer?\nJoost 10:04\n55209817, geb 3-4-1977",
     [("NL_MEMBER_NUMBER", "55209817"), ("DATE_OF_BIRTH", "3-4-1977")]),
    # near misses: a case code after dossier, a mandate's POL in lower case, a number after 'nummer' alone,
    # an answer to a question about something else, a question answered by another number first
    ("Sanne 10:02\nwat is het bedrag van de nota?\n55209817", []),
    ("wat is zijn relatienummer?\nfactuur 88120341 eerst\n55209817", []),
    ("Dit is de derde keer (dossier KL-2026-00913).", []),
    ("/MARF/pol5520981/", []),
    ("het nummer 287 114 905 klopt niet", []),
]

KVK = [
    ('<cac:PartyLegalEntity><cbc:CompanyID schemeID="0106">69599084</cbc:CompanyID></cac:PartyLegalEntity>',
     [("NL_KVK", "69599084")]),
    # near miss: another scheme (0190, the Dutch OIN) is no KvK number
    ('<cbc:CompanyID schemeID="0190">69599084</cbc:CompanyID>', []),
]

PHONE_AND_IP = [
    ("kunt u bellen op 0048 601 228 417?", [("PHONE_NUMBER", "0048 601 228 417")]),
    ("login from 2a02:a44e:31c0:1:8d2f:44b1:90e6:17a3 agent=Mozilla/5.0 build 10.0.19045",
     [("IP_ADDRESS", "2a02:a44e:31c0:1:8d2f:44b1:90e6:17a3")]),
    # near misses: a number dialled with 00 and no phone label; a version number beside 'build'
    ("ordernummer 0048 601 228 417", []),
    ("agent=Mozilla/5.0 build 10.0.19045.4291", []),
]

WRAPPED_AND_GLUED = [
    ("bsn 583852\n762 gebeld", [("NL_BSN", "583852\n762")]),
    ("BSN583852762 gebeld", [("NL_BSN", "583852762")]),
    ("tel 06-1234\n5678 gebeld", [("PHONE_NUMBER", "06-1234\n5678")]),
    # near misses: digits on two lines with no label; a glued label of another word
    ("kamer 583852\n762 bedden", []),
    ("ABSN583852762", []),
    ("artikel 06-1234\n5678 stuks", []),
]


@pytest.mark.parametrize("text, expected", TABLES + FIXED_WIDTH + ID_DOCUMENTS + UZOVI + DATES + MEMBER_NUMBERS + KVK
                         + PHONE_AND_IP + WRAPPED_AND_GLUED)
def test_round10_rules(text, expected):
    assert _detected(text) == expected


def test_one_walk_serves_both_field_passes():
    text = '<Patient bsn="583852762"><Naam>Kok</Naam><birthDate value="1966-02-14"/></Patient>'
    assert [(f.key, f.kind, text[f.start:f.end]) for f in xml_fields(text)] == [
        ("bsn", "attribute", "583852762"), ("Naam", "element", "Kok"), ("birthDate", "attribute", "1966-02-14")]
    text = '{"given": ["Anna", "Maria"], "bsn": 583852762}'
    assert [(f.key, text[f.start:f.end]) for f in json_fields(text)] == [("given", "Anna"), ("given", "Maria"),
                                                                         ("bsn", "583852762")]
    assert sql_fields("INSERT INTO t (a, b) VALUES ('x')") == ()  # a row with fewer values than columns: none
