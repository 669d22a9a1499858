"""Generate the synthetic sample files in sample_data/ (fixed seed: the output is reproducible).

Only synthetic people: names are drawn from short lists below, BSNs and IBANs
are random numbers that pass their checksums, addresses are combinations of
common street and place names.  Run:  python scripts/generate_sample_data.py

Besides the samples it writes ``tests/data/sample_truth.json``: every personal
value it put into a file (names, also inside free text, streets with house
numbers, BSNs, IBANs, phone numbers, e-mail addresses, member, AGB and
document numbers, birth dates, full postcodes, scan file names, IP addresses),
so the leak tests search the outputs for each of them.
"""

from __future__ import annotations

import csv
import json
import random
import string
from datetime import date, timedelta
from pathlib import Path

from stdnum.nl import bsn as bsn_mod
from stdnum.nl import onderwijsnummer

SEED = 20261123
OUT = Path(__file__).resolve().parent.parent / "sample_data"
TRUTH_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "sample_truth.json"
TRUTH: set = set()   # every personal value written (recording draws no random numbers)


def truth(*values) -> None:
    TRUTH.update(str(v) for v in values if v)


def written(p: dict, *fields: str) -> None:
    """Record the values of person ``p`` that a file receives."""
    for f in fields:
        if f == "naam":
            truth(full_name(p))
        elif f == "adres":
            truth(f"{p['straat']} {p['huisnummer']}")
        elif f == "geboortedatum":
            truth(p["geboortedatum"].isoformat(), p["geboortedatum"].strftime("%d-%m-%Y"))
        else:
            truth(p[f])

FIRST = ["Jan", "Anna", "Pieter", "Sanne", "Mohammed", "Fatima", "Lieke", "Daan", "Emma", "Sjoerd",
         "Priya", "Mehmet", "Ingrid", "Kees", "Noor", "Wouter", "Yara", "Thijs", "Esra", "Bram"]
INITIALS = ["J.", "A.M.", "P.", "S.", "M.", "F.", "L.C.", "D.", "E.", "H.J."]
TUSSEN = ["", "", "", "de", "van", "van der", "van den", "ter", "el"]
SUR = ["Jansen", "Visser", "Hoekstra", "Yilmaz", "Oukili", "Bakker", "Dijkstra", "Meijer", "Bos",
       "Kowalczyk", "Nguyen", "Wiersma", "Smit", "Mulder", "Ramdin", "Hylkema", "Amrani", "Kramer"]
STREETS = ["Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Prinsengracht",
           "Laan van Meerdervoort", "Hoofdweg", "Julianastraat", "Beatrixlaan"]
PLACES = [("3511", "Utrecht"), ("1013", "Amsterdam"), ("2517", "Den Haag"), ("8011", "Zwolle"),
          ("9712", "Groningen"), ("5611", "Eindhoven"), ("6811", "Arnhem"), ("7511", "Enschede")]
UZOVI = ["3311", "3332", "7095", "7119", "3343", "0101"]
PRESTATIES = [("C11", "24,73"), ("C13", "16,49"), ("V21", "12,14"), ("X10", "19,05"), ("M03", "10,17"), ("A10", "17,39")]
REMARKS = [
    "Patiënt klaagt over pijn linksonder; element 36 behandeld.",
    "Mevrouw {name} belde over de nota, graag terugbellen op {phone}.",
    "Controle zonder bijzonderheden.",
    "Verwezen door huisarts {name2}.",
    "Geen opmerkingen.",
    "Dhr. {surname} wil de rekening in termijnen betalen.",
    "Kroon geplaatst, eigen bijdrage besproken.",
    "Verzekerde is verhuisd naar {street} {number} in {place}.",
]


def bsn(rng: random.Random) -> str:
    while True:
        value = f"{rng.randint(10_000_000, 999_999_999):09d}"
        if bsn_mod.is_valid(value) and not onderwijsnummer.is_valid(value):
            return value


def iban(rng: random.Random) -> str:
    bank = rng.choice(["ABNA", "INGB", "RABO", "SNSB", "ASNB", "TRIO", "KNAB"])
    account = f"{rng.randint(0, 9_999_999_999):010d}"
    digits = "".join(str(int(c, 36)) for c in bank + account + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bank}{account}"


def phone(rng: random.Random) -> str:
    return rng.choice([f"06-{rng.randint(10000000, 99999999)}", f"0{rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}"])


def person(rng: random.Random) -> dict:
    tussen = rng.choice(TUSSEN)
    prefix, number = rng.choice(PLACES)
    born = date(1935, 1, 1) + timedelta(days=rng.randint(0, 80 * 365))
    return {
        "bsn": bsn(rng), "voorletters": rng.choice(INITIALS), "voornaam": rng.choice(FIRST),
        "tussenvoegsel": tussen, "achternaam": rng.choice(SUR), "geboortedatum": born,
        "geslacht": rng.choice(["M", "V"]), "straat": rng.choice(STREETS), "huisnummer": str(rng.randint(1, 250)),
        "postcode": f"{prefix} {rng.choice('ABCEGHJKLMNPRTVWXZ')}{rng.choice('ABCEGHJKLMNPRTVWXZ')}",
        "woonplaats": number, "iban": iban(rng), "telefoon": phone(rng),
        "email": f"{rng.choice(FIRST).lower()}.{rng.choice(SUR).lower()}@example.nl",
        "verzekerdennummer": f"{rng.randint(10_000_000, 99_999_999)}",
    }


def full_name(p: dict) -> str:
    return " ".join(x for x in (p["voornaam"], p["tussenvoegsel"], p["achternaam"]) if x)


def remark(rng: random.Random, p: dict) -> str:
    other = person(rng)
    values = dict(
        name=full_name(p), phone=p["telefoon"], name2=f"{other['voorletters']} {other['achternaam']}",
        surname=p["achternaam"], street=other["straat"], number=other["huisnummer"], place=other["woonplaats"],
    )
    template = rng.choice(REMARKS)
    used = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    truth(*(values[f] for f in used & {"name", "phone", "name2", "surname"}))
    if "street" in used:
        truth(f"{values['street']} {values['number']}")
    return template.format(**values)


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(exist_ok=True)
    people = [person(rng) for _ in range(60)]

    # Claims export as a Dutch Excel user saves it: ';', decimal comma, cp1252.
    with (OUT / "claims_2026-10.csv").open("w", encoding="cp1252", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["declaratienummer", "bsn", "verzekerdennummer", "geb_datum", "geslacht", "postcode",
                    "uzovi", "agb_zorgverlener", "prestatiecode", "behandeldatum", "bedrag", "opmerking"])
        for n in range(400):
            p = rng.choice(people)
            code, amount = rng.choice(PRESTATIES)
            written(p, "bsn", "verzekerdennummer", "geboortedatum", "postcode")
            treated = date(2026, 10, 1) + timedelta(days=rng.randint(0, 30))
            uzovi, agb = rng.choice(UZOVI), f"12{rng.randint(0, 999999):06d}"
            truth(agb)
            w.writerow([f"{2026_000_000 + n}", p["bsn"], p["verzekerdennummer"], p["geboortedatum"].strftime("%d-%m-%Y"),
                        p["geslacht"], p["postcode"], uzovi, agb, code,
                        treated.strftime("%d-%m-%Y"), amount, remark(rng, p) if rng.random() < 0.3 else ""])

    # Invoices as nested JSON with invoice lines.
    invoices = []
    for n in range(40):
        p = rng.choice(people)
        lines = [{"prestatiecode": c, "bedrag": a.replace(",", "."), "agb_code": f"12{rng.randint(0, 999999):06d}"}
                 for c, a in rng.sample(PRESTATIES, rng.randint(1, 3))]
        invoices.append({
            "factuurnummer": f"F2026-{n:05d}",
            "factuurdatum": f"2026-10-{rng.randint(1, 28):02d}",
            "patient": {"naam": full_name(p), "bsn": p["bsn"], "geboortedatum": p["geboortedatum"].isoformat(),
                        "adres": {"straat": p["straat"], "huisnummer": p["huisnummer"], "postcode": p["postcode"], "woonplaats": p["woonplaats"]}},
            "iban": p["iban"], "email": p["email"], "regels": lines,
        })
        written(p, "naam", "bsn", "geboortedatum", "adres", "postcode", "iban", "email")
        truth(*(line["agb_code"] for line in lines))
    (OUT / "invoices_2026-10.json").write_text(json.dumps({"facturen": invoices}, indent=2, ensure_ascii=False), encoding="utf-8")

    # Customer-service export with free-text remarks.
    with (OUT / "export_klantcontact_2026-10.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=",")
        w.writerow(["contact_id", "datum", "kanaal", "naam", "telefoon", "email", "notitie"])
        for n in range(120):
            p = rng.choice(people)
            w.writerow([n + 1, f"2026-10-{rng.randint(1, 30):02d}", rng.choice(["telefoon", "mail", "chat"]),
                        full_name(p), p["telefoon"], p["email"], remark(rng, p)])
            written(p, "naam", "telefoon", "email")

    # Metadata of ID-document scans from a document-management system.
    with (OUT / "id_scans_metadata.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["bestandsnaam", "documenttype", "documentnummer", "bsn", "achternaam", "voornamen",
                    "geboortedatum", "nationaliteit", "vervaldatum", "scantijd", "scanner_ip"])
        letters = "ABCDEFGHIJKLMNPQRSTUVWXYZ"
        for n in range(30):
            p = rng.choice(people)
            doc = rng.choice(letters) + rng.choice(letters) + "".join(rng.choice(letters + "0123456789") for _ in range(6)) + str(rng.randint(0, 9))
            w.writerow([f"scan_{p['achternaam'].lower()}_{n:03d}.jpg", rng.choice(["paspoort", "identiteitskaart"]), doc,
                        p["bsn"], p["achternaam"], p["voornaam"], p["geboortedatum"].isoformat(), "Nederlandse",
                        f"20{rng.randint(27, 35)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                        f"2026-10-{rng.randint(1, 30):02d}T{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00",
                        f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}"])
            truth(f"scan_{p['achternaam'].lower()}_{n:03d}.jpg", doc, f"{p['voornaam']} {p['achternaam']}")
            written(p, "bsn", "geboortedatum")

    # Free-text notes for `pii-pipeline detect` (one document per line).
    with (OUT / "notes.jsonl").open("w", encoding="utf-8") as f:
        for n in range(25):
            p = rng.choice(people)
            text = (f"Telefoonnotitie: {rng.choice(['mevrouw', 'dhr.', 'verzekerde'])} {full_name(p)} "
                    f"(BSN {p['bsn']}) belde op {p['telefoon']}. {remark(rng, p)}")
            written(p, "naam", "bsn", "telefoon")
            f.write(json.dumps({"id": f"note-{n + 1}", "text": text}, ensure_ascii=False) + "\n")

    write_ei_samples(OUT)
    TRUTH_FILE.write_text(json.dumps(sorted(TRUTH), indent=0, ensure_ascii=False) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- Vektis EI declaration files

# Surnames of the EI files' people only, so a leak test can tell where a name came from.
EI_SUR = ["Verhoeven", "Schouten", "Brouwer", "Kuipers", "Veenstra", "Hendriks", "Koster", "Timmermans",
          "Groeneveld", "Postma", "Huisman", "Wijnberg", "Lambrechts", "Oosterhuis"]
EI_COMMENTS = ["Behandeling in twee zittingen uitgevoerd.", "Controle over zes maanden.", "Machtiging aangevraagd bij verzekeraar.",
               "Correctie van een eerder gedeclareerde prestatie.", "Vervolgbehandeling volgens behandelplan."]
MZ_CODES = [("C11", 2473), ("C13", 1649), ("V21", 1214), ("X10", 1905), ("M03", 1017), ("A10", 1739)]
PM_CODES = [("1000", 3650), ("1200", 4200), ("1870", 3100), ("1864", 6200)]


def ei_person(rng: random.Random, place: tuple) -> dict:
    """A patient of a practice in ``place``: most live in its own and neighbouring postcode areas."""
    p = person(rng)
    p["achternaam"] = rng.choice(EI_SUR)
    prefix = f"{int(place[0]) + rng.choice([0, 0, 1, 2, 3]):04d}"
    p["postcode"] = prefix + p["postcode"][-2:]
    p["woonplaats"] = place[1]
    p["voorletters"] = p["voorletters"].replace(".", "")
    return p


def _ei_people(p: dict) -> dict:
    return {"Burgerservicenummer (BSN) verzekerde": p["bsn"], "Datum geboorte verzekerde": p["geboortedatum"],
            "Code geslacht verzekerde": "1" if p["geslacht"] == "M" else "2", "Naamcode/naamgebruik (01)": "1",
            "Naam verzekerde (01)": p["achternaam"], "Voorvoegsel verzekerde (01)": p["tussenvoegsel"],
            "Voorletters verzekerde": p["voorletters"], "Postcode (huisadres) verzekerde": p["postcode"],
            "Huisnummer (huisadres) verzekerde": p["huisnummer"], "Code land verzekerde": "NL",
            "Verzekerdennummer (inschrijvingsnummer, relatienummer)": p["verzekerdennummer"]}


def _ei_debiteur(p: dict, number: str) -> dict:
    return {"Debiteurnummer": number, "Datum geboorte debiteur": p["geboortedatum"],
            "Code geslacht debiteur": "1" if p["geslacht"] == "M" else "2", "Naamcode/naamgebruik (01)": "1",
            "Naam debiteur (01)": p["achternaam"], "Voorvoegsel debiteur (01)": p["tussenvoegsel"],
            "Voorletters debiteur": p["voorletters"], "Straatnaam debiteur": p["straat"],
            "Huisnummer (huisadres) debiteur": p["huisnummer"], "Postcode (huisadres) debiteur": p["postcode"],
            "Woonplaatsnaam debiteur": p["woonplaats"], "Code land debiteur": "NL",
            "Telefoonnummer debiteur": p["telefoon"].replace("-", ""), "E-mailadres debiteur": p["email"],
            "Bankrekeningnummer": p["iban"][8:], "IBAN": p["iban"], "Soort relatie debiteur": "02"}


def ei_file(layout, rng: random.Random, patients: int, prestatie, start: date, provider: str) -> list:
    """The lines of one EI declaration: voorloop, per patient a verzekerde (sometimes a debiteur and a
    comment) and its prestaties, and a sluitrecord whose counts and total balance."""
    from pii_pipeline.io.ei import render_record

    uzovi = rng.choice(UZOVI)
    place = rng.choice(PLACES)
    has = set(layout.records)
    lines = [render_record(layout, "01", {
        "Code externe-integratiebericht": layout.message_code, "Versienummer berichtstandaard": layout.version.split(".")[0],
        "Subversienummer berichtstandaard": layout.version.split(".")[1], "Soort bericht": "P",
        "Code informatiesysteem softwareleverancier": "004711", "Versieaanduiding informatiesysteem softwareleverancier": "5.2.1",
        "UZOVI-nummer": uzovi, "Zorgverlenerscode": provider, "Praktijkcode": provider[:2] + "05" + provider[4:],
        "Identificatiecode betaling aan": "03", "Begindatum declaratieperiode": start,
        "Einddatum declaratieperiode": date(start.year, start.month, 28), "Factuurnummer declarant": f"F{start:%Y%m}{rng.randint(100, 999)}",
        "Dagtekening factuur": date(start.year, start.month + 1, 3), "Valutacode": "EUR"})]
    counts = {c: 0 for c in has}
    total, detail = 0, 0
    for n in range(patients):
        p = ei_person(rng, place)
        detail += 1
        vz_id = detail
        values = {**_ei_people(p), "Identificatie detailrecord": vz_id, "UZOVI-nummer": uzovi,
                  "Patient(identificatie)nummer": f"P{rng.randint(10000, 99999)}", "Indicatie client overleden": "2"}
        debiteur = "03" in has and rng.random() < 0.3
        if debiteur:
            values["Debiteurnummer"] = f"D{rng.randint(100000, 999999)}"
        lines.append(render_record(layout, "02", values))
        counts["02"] += 1
        if debiteur:
            detail += 1
            lines.append(render_record(layout, "03", {**_ei_debiteur(ei_person(rng, place), values["Debiteurnummer"]),
                                                      "Identificatie detailrecord": detail}))
            counts["03"] += 1
        for _ in range(rng.randint(1, 4)):
            detail += 1
            cents, fields = prestatie(rng, start, p)
            credit = rng.random() < 0.05
            total += -cents if credit else cents
            lines.append(render_record(layout, "04", {
                **fields, "Identificatie detailrecord": detail, "Burgerservicenummer (BSN) verzekerde": p["bsn"],
                "UZOVI-nummer": uzovi, "Verzekerdennummer (inschrijvingsnummer, relatienummer)": p["verzekerdennummer"],
                "Doorsturen toegestaan": "1", "Berekend bedrag (incl. btw)": cents, "Indicatie debet/credit (01)": "D",
                "Declaratiebedrag (incl. btw)": cents, "Indicatie debet/credit (02)": "C" if credit else "D",
                "Referentienummer dit prestatierecord": f"{layout.standard}-{start:%Y%m}-{detail:06d}"}))
            counts["04"] += 1
            if rng.random() < 0.1:
                detail += 1
                lines.append(render_record(layout, "98", {"Identificatie detailrecord": detail - 1, "Regelnummer vrije tekst": 1,
                                                          "Vrije tekst": rng.choice(EI_COMMENTS)}))
                detail -= 1  # a commentaarrecord carries the number of the record it belongs to
                counts["98"] += 1
    detail_records = sum(v for c, v in counts.items() if c not in ("01", "99"))
    lines.append(render_record(layout, "99", {
        "Aantal verzekerdenrecords": counts["02"], "Aantal debiteurrecords": counts.get("03", 0),
        "Aantal prestatierecords": counts["04"], "Aantal commentaarrecords": counts["98"],
        "Totaal aantal detailrecords": detail_records, "Totaal declaratiebedrag": abs(total),
        "Indicatie debet/credit": "C" if total < 0 else "D"}))
    return lines


def _mz301_prestatie(rng: random.Random, start: date, p: dict) -> tuple:
    code, cents = rng.choice(MZ_CODES)
    return cents, {"Datum prestatie": start + timedelta(days=rng.randint(0, 27)), "Indicatie soort prestatierecord": "01",
                   "Indicatie bijzondere tandheelkunde": "N", "Aanduiding prestatiecodelijst": "010", "Prestatiecode": code,
                   "Gebitselementcode": rng.choice(["00", "16", "26", "36", "46"]),
                   "Zorgverlenerscode behandelaar/uitvoerder": f"12{rng.randint(0, 999999):06d}",
                   "Tarief prestatie (incl. btw)": cents, "Aantal uitgevoerde prestaties": 1}


def _pm304_prestatie(rng: random.Random, start: date, p: dict) -> tuple:
    code, cents = rng.choice(PM_CODES)
    return cents, {"Datum prestatie": start + timedelta(days=rng.randint(0, 27)), "Aanduiding prestatiecodelijst": "012",
                   "Prestatiecode": code, "Aantal uitgevoerde prestaties": 1, "Indicatie ongeval (ongevalsgevolg)": "N",
                   "Aanduiding diagnosecodelijst (03)": "012", "Paramedische diagnosecode (01)": rng.choice(["5110", "3420", "7240"]),
                   "Zorgverlenerscode behandelaar/uitvoerder": f"04{rng.randint(0, 999999):06d}",
                   "Verwijsdatum": start - timedelta(days=rng.randint(10, 90)),
                   "Zorgverlenerscode voorschrijver/verwijzer": f"01{rng.randint(0, 999999):06d}",
                   "Tarief prestatie (incl. btw)": cents}


def _ap304_prestatie(rng: random.Random, start: date, p: dict) -> tuple:
    cents = rng.randint(250, 9500)
    return cents, {"Datum geboorte verzekerde": p["geboortedatum"], "Indicatie informatierecord": "N",
                   "Datum prestatie": start + timedelta(days=rng.randint(0, 27)), "Aanduiding prestatiecodelijst (01)": "001",
                   "Prestatiecode (01)": f"{rng.randint(10_000_000, 19_999_999)}", "Afleveringseenheid": "ST",
                   "Aantal uitgevoerde prestaties": rng.choice([10, 30, 60, 90]),
                   "Zorgverlenerscode behandelaar/uitvoerder": f"06{rng.randint(0, 999999):06d}",
                   "Zorgverlenerscode voorschrijver/verwijzer": f"01{rng.randint(0, 999999):06d}",
                   "Receptnummer": rng.randint(1, 10 ** 9), "Prestatiekoppelnummer": f"K{rng.randint(10 ** 6, 10 ** 7)}",
                   "Indicatie soort receptuur": "1", "WMG-systematiek prijs middelen": "1",
                   "Indicatie GVS-bijdrage opgenomen in declaratiebedrag": "0", "Tarief prestatie (incl. btw)": cents}


def write_ei_samples(out: Path) -> None:
    """MZ301 1.3 (.asc, CRLF), PM304 3.2 (.dat) and AP304 8.0 (no extension) declarations for October 2026."""
    from pii_pipeline.io.ei import layouts

    rng = random.Random(SEED + 301)  # its own stream: the other sample files stay as they were
    by_label = {layout.label: layout for layout in layouts().values()}
    specs = [("MZ301 1.3", _mz301_prestatie, 120, "declaratie_mz301_2026-10.asc", "\r\n"),
             ("PM304 3.2", _pm304_prestatie, 40, "declaratie_pm304_2026-10.dat", "\n"),
             ("AP304 8.0", _ap304_prestatie, 40, "VECOZO_AP304_2026-10", "\r\n")]
    for label, prestatie, patients, name, newline in specs:
        lines = ei_file(by_label[label], rng, patients, prestatie, date(2026, 10, 1), f"{rng.randint(10, 99)}{rng.randint(0, 999999):06d}")
        (out / name).write_bytes("".join(line + newline for line in lines).encode("latin-1"))


if __name__ == "__main__":
    main()
