"""Hostile landing files: the unlucky exports a user really has, each with the personal values it holds.

:func:`write_hostile_files` writes them into a landing folder and returns every personal value
written, so a leak test can search all outputs, Prefect's database, logs and the terminal for them.
"""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from stdnum.nl import bsn as stdnum_bsn

SURNAMES = ["Klaassen", "Veenstra", "Wijnberg", "Doornbos", "Schouten", "Brouwer", "Verhoeven", "Kuipers"]
FIRST = ["Geert", "Marloes", "Ruud", "Femke", "Joost", "Ilse", "Hendrik", "Wilma"]


def _bsn(rng: random.Random) -> str:
    while True:
        v = f"{rng.randint(10_000_000, 999_999_999):09d}"
        if stdnum_bsn.is_valid(v) and not v.startswith("10"):
            return v


def _people(rng: random.Random, n: int) -> list[dict]:
    out = []
    for _ in range(n):
        born = date(1935, 1, 1) + timedelta(days=rng.randint(0, 80 * 365))
        out.append({"bsn": _bsn(rng), "naam": f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}", "born": born,
                    "phone": f"06-{rng.randint(10_000_000, 99_999_999)}",
                    "doc": rng.choice("ABCDEFGHJKLMNPRSTUVWXZ") + rng.choice("ABCDEFGHJKLMNPRSTUVWXZ")
                    + "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXZ0123456789") for _ in range(3))
                    + f"{rng.randint(100, 999)}" + str(rng.randint(0, 9))})
    return out


def write_hostile_files(landing: Path, outside: Path, seed: int = 7) -> set[str]:
    rng = random.Random(seed)
    values: set[str] = set()
    people = _people(rng, 200)
    landing.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)

    # 1. A file name holding a BSN and a surname.
    lines = ["declaratienummer;bsn;bedrag"] + [f"{2026_500_000 + i};{p['bsn']};12,50" for i, p in enumerate(people[:40])]
    (landing / "claims_123456782_Klaassen.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    values |= {"123456782", "Klaassen"} | {p["bsn"] for p in people[:40]}

    # 2. No header row: the first person's values would become column names.
    rows = [f"{p['bsn']},{p['naam']},{p['born'].strftime('%d-%m-%Y')},C11" for p in people[:60]]
    (landing / "export_zonder_kop.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    values |= {p["bsn"] for p in people[:60]} | {p["naam"] for p in people[:60]}
    values |= {p["born"].strftime("%d-%m-%Y") for p in people[:60]}

    # 3. JSON keyed by BSN.
    keyed = {p["bsn"]: {"prestatiecode": "C11", "bedrag": "12.50"} for p in people[60:80]}
    (landing / "saldi.json").write_text(json.dumps(keyed), encoding="utf-8")
    values |= set(keyed)

    # 4. Birth dates under unusual headers and under no useful header; document numbers.
    lines = ["Geb. datum;Datum geboorte;kolom3;document_number;behandeldatum;opmerking"]
    for i, p in enumerate(people):
        other = people[(i + 7) % len(people)]
        remark = f"bel {p['phone']} terug" if i == 3 else "ok"   # a phone number in a short remark
        lines.append(f"{p['born'].strftime('%d-%m-%Y')};{other['born'].isoformat()};"
                     f"{people[(i + 3) % len(people)]['born'].strftime('%d-%m-%Y')};{p['doc']};"
                     f"{(date(2026, 10, 1) + timedelta(days=i % 30)).strftime('%d-%m-%Y')};{remark}")
        values |= {p["born"].strftime("%d-%m-%Y"), other["born"].isoformat(), p["doc"]}
    values.add(people[3]["phone"])
    (landing / "geboortes_2026-10.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    # 5. A JSON file saved as .csv.
    (landing / "verkeerd_2026-10.csv").write_text(json.dumps([{"bsn": p["bsn"], "naam": p["naam"]} for p in people[80:90]]),
                                                   encoding="utf-8")
    values |= {p["bsn"] for p in people[80:90]} | {p["naam"] for p in people[80:90]}

    # 6. An Excel number cell holding text: openpyxl's exception quotes the value.
    _excel_with_text_in_number_cell(landing / "lijst_2026-10.xlsx", f"{people[90]['naam']} {people[90]['bsn']}")
    values |= {people[90]["naam"], people[90]["bsn"]}

    # 7. Parquet with a binary column and list columns.
    table = pa.table({"id": [str(i) for i in range(100)],
                      "foto": [people[i]["bsn"].encode() for i in range(100)],
                      "telefoons": [[people[i]["phone"]] if i == 5 else ["onbekend"] for i in range(100)],
                      "patient": [{"bsn": people[i]["bsn"], "naam": people[i]["naam"]} for i in range(100)]})
    pq.write_table(table, landing / "contacten_2026-10.parquet")
    values |= {people[i]["bsn"] for i in range(100)} | {people[i]["naam"] for i in range(100)} | {people[5]["phone"]}

    # 8. A symbolic link to a file outside the landing folder, and a FIFO.
    secret = outside / "secret.csv"
    secret.write_text("bsn,naam\n" + "".join(f"{p['bsn']},{p['naam']}\n" for p in people[100:110]), encoding="utf-8")
    values |= {p["bsn"] for p in people[100:110]} | {p["naam"] for p in people[100:110]}
    os.symlink(secret, landing / "link_2026-10.csv")
    os.mkfifo(landing / "pipe_2026-10.csv")
    return values


def _excel_with_text_in_number_cell(path: Path, text: str) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["prestatiecode", "bedrag"])
    for i in range(20):
        ws.append(["C11", 12.5 + i])
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>12.5</v>", f"<v>{text}</v>".encode(), 1)
            dst.writestr(item, data)
