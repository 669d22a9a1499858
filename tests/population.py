"""A realistic synthetic insured population and its claims and invoices, for the disclosure-control tests.

Persons have several claims (a skewed number: many one or two, some a dozen),
live mostly in the insurer's region (three PC2 areas, PC4s of unequal size)
and partly anywhere in the country, and have ages as an insured population
has them (few children and very old people, most between 20 and 80).  The
identifiers come from ``scripts/generate_sample_data.py`` (valid BSNs,
IBANs, names).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import random
from datetime import date, timedelta
from pathlib import Path

_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "generate_sample_data.py"
_spec = importlib.util.spec_from_file_location("generate_sample_data", _SCRIPT)
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

REGION = ["35", "36", "37"]          # Utrecht and surroundings: where most members live
REFERENCE = date(2026, 11, 1)


def _pc4_pool(rng: random.Random) -> tuple[list, list]:
    local = [f"{pc2}{rng.randint(0, 99):02d}" for pc2 in REGION for _ in range(25)]
    national = [f"{rng.randint(10, 99)}{rng.randint(0, 99):02d}" for _ in range(300)]
    pool = sorted(set(local)) + sorted(set(national) - set(local))
    # Unequal PC4 sizes: a few large areas, many small ones (roughly Zipf within the region).
    weights = [8.0 / (1 + i % 25) ** 0.7 if pc[:2] in REGION else 0.06 for i, pc in enumerate(pool)]
    return pool, weights


def _birth_date(rng: random.Random) -> date:
    age = min(104, max(0, int(rng.triangular(0, 95, 52))))
    return REFERENCE - timedelta(days=age * 365 + rng.randint(0, 364))


def population(persons: int, seed: int) -> list:
    rng = random.Random(seed)
    pool, weights = _pc4_pool(rng)
    people = []
    for _ in range(persons):
        p = gen.person(rng)
        p["postcode"] = f"{rng.choices(pool, weights)[0]} {rng.choice('ABCEGHJKLMNPRTVWXZ')}{rng.choice('ABCEGHJKLMNPRTVWXZ')}"
        p["geboortedatum"] = _birth_date(rng)
        people.append(p)
    return people


def _claims_per_person(rng: random.Random) -> int:
    return min(25, 1 + int(rng.expovariate(0.8)))


def write_claims(path: Path, rows: int = 5000, persons: int = 3200, seed: int = 13, population_seed: int = 13) -> Path:
    """Claims in the sample's layout (';', cp1252, dd-mm-yyyy), ``rows`` rows from a population of ``persons``.

    The same ``population_seed`` gives the same persons (a later month of the same insurer)."""
    rng = random.Random(seed)
    people = population(persons, population_seed)
    with path.open("w", encoding="cp1252", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["declaratienummer", "bsn", "verzekerdennummer", "geb_datum", "geslacht", "postcode",
                    "uzovi", "agb_zorgverlener", "prestatiecode", "behandeldatum", "bedrag"])
        n = 0
        order = people[:]
        rng.shuffle(order)   # each person's claims together, as a declaration run has them
        for p in order * (1 + rows // len(order)):
            if n >= rows:
                break
            if rng.random() < 0.35:
                continue     # not everyone claims every month
            for _ in range(min(_claims_per_person(rng), rows - n)):
                code, amount = rng.choice(gen.PRESTATIES)
                treated = REFERENCE - timedelta(days=rng.randint(1, 60))
                w.writerow([f"{2026_000_000 + n}", p["bsn"], p["verzekerdennummer"], p["geboortedatum"].strftime("%d-%m-%Y"),
                            p["geslacht"], p["postcode"], rng.choice(gen.UZOVI), f"12{rng.randint(0, 999999):06d}", code,
                            treated.strftime("%d-%m-%Y"), amount])
                n += 1
    return path


def write_invoices(path: Path, invoices: int = 2000, persons: int = 1500, seed: int = 29) -> Path:
    """Nested JSON invoices in the sample's layout (patient with address, invoice lines)."""
    rng = random.Random(seed)
    people = population(persons, seed)
    out = []
    for n in range(invoices):
        p = rng.choice(people)
        lines = [{"prestatiecode": c, "bedrag": a.replace(",", "."), "agb_code": f"12{rng.randint(0, 999999):06d}"}
                 for c, a in rng.sample(gen.PRESTATIES, rng.randint(1, 3))]
        out.append({"factuurnummer": f"F2026-{n:05d}", "factuurdatum": f"2026-10-{rng.randint(1, 28):02d}",
                    "patient": {"naam": gen.full_name(p), "bsn": p["bsn"], "geboortedatum": p["geboortedatum"].isoformat(),
                                "geslacht": p["geslacht"],
                                "adres": {"straat": p["straat"], "huisnummer": p["huisnummer"], "postcode": p["postcode"],
                                          "woonplaats": p["woonplaats"]}},
                    "iban": p["iban"], "email": p["email"], "regels": lines})
    path.write_text(json.dumps({"facturen": out}, ensure_ascii=False), encoding="utf-8")
    return path
