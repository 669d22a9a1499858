"""Reference tables shipped with the recognizers (read once, on first use)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).with_name("data")


def _read(name: str) -> list[dict[str, str]]:
    with (_DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=None)
def uzovi_codes() -> dict[str, str]:
    """Known UZOVI codes -> insurer name ('' where the name is not known).

    >>> uzovi_codes()["3311"]
    'Zilveren Kruis'
    """
    return {row["uzovi"]: row["insurer"] for row in _read("uzovi.csv")}


@lru_cache(maxsize=None)
def agb_zorgverlenersoorten() -> dict[str, str]:
    """Known two-digit zorgverlenersoort prefixes of AGB codes.

    >>> agb_zorgverlenersoorten()["12"]
    'Tandartsen'
    """
    return {row["code"]: row["zorgverlenersoort"] for row in _read("agb_zorgverlenersoort.csv")}


@lru_cache(maxsize=None)
def world_places() -> frozenset:
    """Towns abroad, lowercase (GeoNames via scripts/build_world_places.py): a place only after a place word.

    >>> "antwerpen" in world_places() and "kraków" in world_places() and "tafel" not in world_places()
    True
    """
    with (_DATA / "world_places.txt").open(encoding="utf-8") as f:
        # "İzmir" lowercases to "i̇zmir" (a combining dot): kept without it, as tokens fold it
        return frozenset(line.strip().lower().replace("\u0307", "") for line in f if line.strip() and not line.startswith("#"))
