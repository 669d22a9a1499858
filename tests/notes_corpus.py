"""A file of free-text notes as a dental or care administration writes them (fixed seed).

Half of the notes mention a person (names, BSN, phone, e-mail, address, IBAN) in varied
phrasings; the other half hold none (treatments, amounts, codes, dates, doses).  Returns the
notes, which of them hold personal data, and every personal value written.
"""

from __future__ import annotations

import random

from stdnum.nl import bsn as stdnum_bsn

FIRST = ["Jan", "Anna", "Pieter", "Sanne", "Mohammed", "Fatima", "Lieke", "Daan", "Emma", "Sjoerd", "Priya", "Mehmet",
         "Ingrid", "Kees", "Noor", "Wouter", "Yara", "Thijs", "Esra", "Bram", "Geert", "Marloes", "Ruud", "Femke"]
SUR = ["Jansen", "Visser", "Hoekstra", "Yilmaz", "Oukili", "Bakker", "Dijkstra", "Meijer", "Kowalczyk", "Nguyen",
       "Wiersma", "Smit", "Mulder", "Ramdin", "Hylkema", "Amrani", "Kramer", "Veenstra", "Doornbos", "Schouten"]
TUSSEN = ["", "", "", "de ", "van ", "van der ", "ter "]
STREETS = ["Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Julianastraat", "Beatrixlaan"]
PLACES = ["Utrecht", "Zwolle", "Groningen", "Eindhoven", "Arnhem", "Enschede", "Amersfoort"]

WITH_PII = [
    "Mevrouw {name} belde over de nota, graag terugbellen op {phone}.",
    "Dhr. {sur} wil de rekening in termijnen betalen; rekening {iban}.",
    "Verzekerde {name} (BSN {bsn}) heeft bezwaar gemaakt tegen de eigen bijdrage.",
    "Verwezen door huisarts {initials} {sur}.",
    "Nieuw adres: {street} {number}, {place}. Post voortaan daarheen.",
    "Patiënt {name} is bereikbaar via {email} of {phone}.",
    "Terugbelverzoek van {name} over de declaratie van {date}.",
    "Machtiging ontvangen van {name}, rekeningnummer {iban}.",
]
WITHOUT_PII = [
    "Controle zonder bijzonderheden.", "Kroon geplaatst op element {tooth}, eigen bijdrage € {amount} besproken.",
    "Patiënt klaagt over pijn linksonder; element {tooth} behandeld.", "Vervolgafspraak over {weeks} weken.",
    "Prestatiecode {code} gedeclareerd op {date}.", "Behandeling uitgesteld wegens griep.",
    "Röntgenfoto gemaakt, geen cariës gevonden.", "Medicatie: ibuprofen {dose} mg, 3x daags.",
    "Verwijzing naar de kaakchirurg, wachttijd ongeveer {weeks} weken.", "Gebitsreiniging uitgevoerd, tandsteen verwijderd.",
    "Factuur {invoice} is op {date} betaald.", "Nota van € {amount} opnieuw verstuurd na correctie.",
    "Implantaat op element {tooth} geplaatst, controle over {weeks} weken.", "Geen opmerkingen.",
    "Declaratie afgewezen: prestatiecode {code} niet verzekerd.", "Spoedconsult buiten kantoortijden.",
]
CODES = ["C11", "C13", "V21", "X10", "M03", "A10", "E13", "R24"]


def _bsn(rng):
    while True:
        v = f"{rng.randint(10_000_000, 999_999_999):09d}"
        if stdnum_bsn.is_valid(v) and not v.startswith("10"):
            return v


def _iban(rng):
    bank = rng.choice(["ABNA", "INGB", "RABO", "SNSB"])
    account = f"{rng.randint(0, 9_999_999_999):010d}"
    digits = "".join(str(int(c, 36)) for c in bank + account + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bank}{account}"


def make_notes(n: int = 1500, seed: int = 11):
    rng = random.Random(seed)
    notes, personal, values = [], [], set()
    for i in range(n):
        date = f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2026"
        filler = dict(tooth=rng.choice([11, 16, 21, 26, 36, 46, 47]), amount=f"{rng.randint(5, 900)},{rng.randint(0, 99):02d}",
                      weeks=rng.randint(1, 12), code=rng.choice(CODES), date=date, dose=rng.choice([200, 400, 600]),
                      invoice=f"F2026-{rng.randint(0, 99999):05d}")
        if i % 2 == 0:
            first, sur = rng.choice(FIRST), rng.choice(SUR)
            p = dict(name=f"{first} {rng.choice(TUSSEN)}{sur}", sur=sur, phone=f"06-{rng.randint(10_000_000, 99_999_999)}",
                     iban=_iban(rng), bsn=_bsn(rng), initials=rng.choice(["J.", "A.M.", "H.J.", "P."]),
                     street=rng.choice(STREETS), number=rng.randint(1, 250), place=rng.choice(PLACES),
                     email=f"{first.lower()}.{sur.lower()}@example.nl", date=date)
            template = rng.choice(WITH_PII)
            text = template.format(**p) + " " + rng.choice(WITHOUT_PII).format(**filler)
            used = [k for k in ("name", "sur", "phone", "iban", "bsn", "email") if "{" + k + "}" in template]
            values.update(str(p[k]) for k in used)
            if "{street}" in template:
                values.add(f"{p['street']} {p['number']}")
            if "{initials}" in template:
                values.add(f"{p['initials']} {sur}")
            personal.append(True)
        else:
            text = rng.choice(WITHOUT_PII).format(**filler) + " " + rng.choice(WITHOUT_PII).format(**filler)
            personal.append(False)
        notes.append(text)
    return notes, personal, values
