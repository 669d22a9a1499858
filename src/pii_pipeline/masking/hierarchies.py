"""Generalisation hierarchies: for each quasi-identifier, the levels it can be coarsened to.

Level 0 is what the masking policy produced (a 10-year age band, a PC4, a
month); each higher level is coarser, the last is ``*`` (nothing left).  A
hierarchy maps a level-0 value to its value at any level, and says in words
what a level holds (for the manifest and data dictionary) and what a column at
that level should be called (``leeftijdsklasse``, ``pc3``).

>>> h = hierarchy_for("age_band", band_width=10, top_code=90)
>>> [h.generalise("40-49", j) for j in range(h.height + 1)]
['40-49', '40-59', '40-59', '*']
>>> h.generalise("90+", 2), h.generalise("80-89", 2), h.describe(2)
('80+', '80+', 'age band 20 years, 80+')
>>> p = hierarchy_for("pc4")
>>> [p.generalise("1012", j) for j in range(p.height + 1)], p.output_name(1)
(['1012', '101', '10', '*'], 'pc3')
>>> m = hierarchy_for("month")
>>> [m.generalise("2026-11", j) for j in range(m.height + 1)]
['2026-11', '2026-Q4', '2026', '*']
>>> c = hierarchy_for("custom", levels=["truncate:1", {"M": "M/V", "V": "M/V"}, "*"])
>>> [c.generalise("M", j) for j in range(c.height + 1)]
['M', 'M', 'M/V', '*']

A value published at one level can be brought to a coarser one (a dataset generalised
further when a new file would break k), except in a policy's own hierarchy, whose
levels are defined on level-0 values only:

>>> h.lift("40-59", 1, 2), p.lift("101", 1, 2), p.lift("*", 3, 3), m.lift("2026-Q4", 1, 2)
('40-59', '10', '*', '2026')
>>> hierarchy_for("birth_year").lift("1980-1984", 1, 2), c.liftable
('1980-1989', False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Union

from .operators import age_band

STAR = "*"
LevelSpec = Union[str, Dict[str, str]]

# What a column holds at each kind of level, in Dutch as the analysts' column names are.
_NAMES = {"age_band": "leeftijdsklasse", "birth_year": "geboortejaar", "birth_years": "geboortejaarklasse",
          "pc4": "pc4", "pc3": "pc3", "pc2": "pc2", "date": "datum", "month": "maand", "quarter": "kwartaal",
          "year": "jaar"}


@dataclass(frozen=True)
class Level:
    words: str                                   # "age band 20 years, 80+"
    name: Optional[str]                          # output column name, None: keep the column's name
    fn: Callable[[str], Optional[str]] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Hierarchy:
    kind: str
    levels: tuple                                # Level per level, level 0 first
    params: dict = field(default_factory=dict)   # what defines it (stored in the data dictionary)

    @property
    def height(self) -> int:
        return len(self.levels) - 1

    def generalise(self, value: Optional[str], level: int) -> Optional[str]:
        """``value`` (a level-0 value) at ``level``; None stays None, a value that does not fit becomes None."""
        if value is None:
            return None
        if level == 0:
            return value
        try:
            return self.levels[level].fn(value)
        except (ValueError, IndexError):
            return None

    @property
    def liftable(self) -> bool:
        """Whether a value at one level can be taken to a coarser level (built-in hierarchies are nested)."""
        return self.kind != "custom"

    def lift(self, value: Optional[str], from_level: int, to_level: int) -> Optional[str]:
        """``value`` (at ``from_level``) at the coarser ``to_level``; None or a value that does not fit: None."""
        if value is None or to_level <= from_level or value == STAR:
            return value
        if not self.liftable:
            raise ValueError(f"a {self.kind} hierarchy cannot be applied to generalised values")
        try:
            return self.levels[to_level].fn(value)
        except (ValueError, IndexError):
            return None

    def describe(self, level: int) -> str:
        return self.levels[level].words

    def output_name(self, level: int) -> Optional[str]:
        return self.levels[level].name

    def signature(self) -> dict:
        return {"kind": self.kind, **self.params}


def _star(_value: str) -> str:
    return STAR


def _age_levels(band_width: int, top_code: Optional[int]) -> List[tuple]:
    widths = [w for w in (10, 20) if w > band_width and w % band_width == 0] or [band_width * 2, band_width * 4]
    steps = [(band_width, top_code)] + [(w, top_code) for w in widths]
    if top_code is None or top_code > 80:
        steps.append((steps[-1][0], 80))   # the oldest are few: top-code lower before giving up age
    return steps


def _age_fn(band_width: int, top_code: Optional[int], width: int, top: Optional[int]) -> Callable[[str], str]:
    def fn(value: str) -> str:
        if value.endswith("+"):
            low = int(value[:-1])
        else:
            low = int(value.split("-")[0])
        return age_band(low, width, top)  # the band a band's lower bound falls in, at the coarser level
    return fn


def _age_words(width: int, top: Optional[int]) -> str:
    return f"age band {width} years" + (f", {top}+" if top is not None else "")


def _range_fn(width: int) -> Callable[[str], str]:
    def fn(value: str) -> str:
        low = int(value.split("-")[0]) // width * width   # a birth year, or a range of them
        return f"{low}-{low + width - 1}"
    return fn


def _quarter(value: str) -> str:
    year, month = value.split("-")[:2]
    if not (1 <= int(month) <= 12):
        raise ValueError(value)
    return f"{int(year):04d}-Q{(int(month) - 1) // 3 + 1}"


def _year(value: str) -> str:
    year = value[:4]
    if not year.isdigit():
        raise ValueError(value)
    return year


def _month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]):
        raise ValueError(value)
    return value[:7]


def _prefix(n: int) -> Callable[[str], str]:
    def fn(value: str) -> str:
        if len(value) < n:
            raise ValueError(value)
        return value[:n]
    return fn


def _custom_level(spec: LevelSpec) -> Level:
    if spec == STAR:
        return Level("*", None, _star)
    if isinstance(spec, str) and re.fullmatch(r"truncate:\d+", spec):
        n = int(spec.split(":")[1])
        return Level(f"first {n} character(s)", None, lambda v, n=n: v[:n])
    if isinstance(spec, dict):
        mapping = {str(k): str(v) for k, v in spec.items()}
        # A value the hierarchy does not list is not published at this level (fails closed).
        return Level("policy hierarchy", None, lambda v, m=mapping: m.get(v, STAR))
    raise ValueError(f"hierarchy level {spec!r}: expected '*', 'truncate:N' or a mapping of values")


def hierarchy_for(kind: Optional[str], band_width: int = 10, top_code: Optional[int] = 90,
                  levels: Optional[Sequence[LevelSpec]] = None) -> Hierarchy:
    """The hierarchy of a quasi-identifier by what the policy made of it (``Rule.to``), or ``custom`` levels."""
    keep = Level("kept", None, lambda v: v)
    if kind == "age_band":
        steps = _age_levels(band_width, top_code)
        lv = [Level(_age_words(w, t), _NAMES["age_band"], _age_fn(band_width, top_code, w, t)) for w, t in steps]
        return Hierarchy(kind, tuple(lv) + (Level("*", _NAMES["age_band"], _star),),
                         {"band_width": band_width, "top_code": top_code})
    if kind == "birth_year":
        lv = [Level("birth year", _NAMES["birth_year"], lambda v: v)]
        lv += [Level(f"birth years in {w}-year ranges", _NAMES["birth_years"], _range_fn(w)) for w in (5, 10, 20)]
        return Hierarchy(kind, tuple(lv) + (Level("*", _NAMES["birth_years"], _star),))
    if kind in ("pc4", "pc3"):
        digits = int(kind[-1])
        lv = [Level(f"PC{d}", _NAMES[f"pc{d}"], _prefix(d)) for d in range(digits, 1, -1)]
        return Hierarchy(kind, tuple(lv) + (Level("*", None, _star),))
    if kind in ("date", "month", "year"):
        chain = {"date": ["date", "month", "quarter", "year"], "month": ["month", "quarter", "year"], "year": ["year"]}[kind]
        fns = {"date": lambda v: v, "month": _month if kind == "date" else (lambda v: v), "quarter": _quarter, "year": _year}
        lv = [Level(step, _NAMES[step], fns[step]) for step in chain]
        return Hierarchy(kind, tuple(lv) + (Level("*", _NAMES[chain[-1]], _star),))
    if kind == "custom":
        lv = [keep] + [_custom_level(s) for s in (levels or [])]
        return Hierarchy(kind, tuple(lv), {"levels": list(levels or [])})
    # Like ARX, every quasi-identifier can go to "*" as a last resort (a small file's gender column):
    # the search takes it only where nothing less coarse meets k within the suppression limit.
    return Hierarchy("none", (keep, Level("*", None, _star)))
