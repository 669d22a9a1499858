"""The Parquet schema of a masked table: identifiers as strings, amounts as decimals, dates as dates.

Types are inferred from discovery's sample of the whole file, only for columns
that are kept as they are; everything the policy produced (pseudonyms, age
bands, PC4, masked text) is a string.  Digit-only columns stay strings: a
declaration number or prestatiecode is an identifier, not a quantity, and a
leading zero must survive.

>>> import pandas as pd
>>> infer_type(pd.Series(["12,14", "7,5", ""]))
ColumnType(kind='decimal', scale=2, date_format=None)
>>> infer_type(pd.Series(["07-10-2026", "31-12-2025"])).kind, infer_type(pd.Series(["0123", "C11"])).kind
('date', 'string')
>>> infer_type(pd.Series(["2026-10-06T10:54:00"])).kind
'timestamp'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import numpy as np
import pandas as pd
import pyarrow as pa

_DECIMAL = re.compile(r"^-?\d{1,15}(?:[.,](\d{1,6}))?$")
_DATE_FORMATS = {
    "%Y-%m-%d": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "%d-%m-%Y": re.compile(r"^\d{2}-\d{2}-\d{4}$"),
    "%d/%m/%Y": re.compile(r"^\d{2}/\d{2}/\d{4}$"),
    "%d.%m.%Y": re.compile(r"^\d{2}\.\d{2}\.\d{4}$"),
}
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?$")
MAX_SCALE = 6
MIN_SCALE = 2  # amounts: the same decimal(18,2) in every file of a dataset, whatever a sample shows
# A column is typed when this share of the sampled non-empty values fits; the rest are quarantined.
TYPED_SHARE = 0.98


@dataclass(frozen=True)
class ColumnType:
    kind: str = "string"              # string | decimal | date | timestamp
    scale: Optional[int] = None       # decimal places
    date_format: Optional[str] = None

    def arrow(self) -> pa.DataType:
        if self.kind == "decimal":
            return pa.decimal128(18, self.scale)
        if self.kind == "date":
            return pa.date32()
        if self.kind == "timestamp":
            return pa.timestamp("ms")  # Parquet has no seconds unit
        return pa.string()

    def describe(self) -> str:
        return {"decimal": f"decimal(18,{self.scale})", "date": "date", "timestamp": "timestamp"}.get(self.kind, "string")

    @classmethod
    def parse(cls, text: str) -> "ColumnType":
        """The inverse of :meth:`describe` (data dictionaries store types as text).

        >>> ColumnType.parse("decimal(18,2)"), ColumnType.parse("date").kind
        (ColumnType(kind='decimal', scale=2, date_format=None), 'date')
        """
        if text.startswith("decimal("):
            return cls("decimal", scale=int(text.rstrip(")").split(",")[1]))
        return cls(text) if text in ("date", "timestamp") else STRING


STRING = ColumnType()


def infer_type(sample: pd.Series) -> ColumnType:
    values = [v.strip() for v in sample if isinstance(v, str) and v.strip()]
    if not values:
        return STRING
    need = TYPED_SHARE * len(values)
    for fmt, pattern in _DATE_FORMATS.items():
        if sum(bool(pattern.match(v)) for v in values) >= need:
            parsed = pd.to_datetime(pd.Series(values), format=fmt, errors="coerce")
            if parsed.notna().sum() >= need:
                return ColumnType("date", date_format=fmt)
    if sum(bool(_TIMESTAMP.match(v)) for v in values) >= need:
        return ColumnType("timestamp")
    matches = [_DECIMAL.match(v) for v in values]
    if sum(m is not None for m in matches) >= need:
        separated = [m for m in matches if m and m.group(1)]
        # Only numbers with decimals are amounts; whole numbers here are codes or identifiers.
        if len(separated) >= 0.5 * len(values):
            scale = max(len(m.group(1)) for m in separated)
            return ColumnType("decimal", scale=min(max(scale, MIN_SCALE), MAX_SCALE))
    return STRING


def cast(values: pd.Series, column_type: ColumnType) -> tuple[pa.Array, np.ndarray]:
    """The column as an Arrow array of its type, and the rows whose value does not fit (to quarantine)."""
    strings = values.astype("str")
    empty = (values.isna() | (strings.str.strip() == "")).to_numpy()
    if column_type.kind == "string":
        return pa.array(strings.where(~empty, None), type=pa.string()), np.zeros(len(values), dtype=bool)
    if column_type.kind == "date":
        text = strings.str.strip()
        if column_type.date_format:
            parsed = pd.to_datetime(text, format=column_type.date_format, errors="coerce")
        else:  # a type from a data dictionary: any of the notations
            parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
            for fmt in _DATE_FORMATS:
                parsed = parsed.fillna(pd.to_datetime(text, format=fmt, errors="coerce"))
        bad = parsed.isna().to_numpy() & ~empty
        return pa.array(parsed.dt.date.where(~(empty | bad), None), type=pa.date32()), bad
    if column_type.kind == "timestamp":
        parsed = pd.to_datetime(strings.str.strip().str.replace("T", " ", regex=False), format="mixed", errors="coerce")
        bad = parsed.isna().to_numpy() & ~empty
        return pa.array(parsed.where(~(empty | bad), None).astype("datetime64[ms]"), type=pa.timestamp("ms")), bad
    # decimal: a comma or dot separator, at most `scale` decimals; anything else is quarantined.
    text = strings.str.strip().str.replace(",", ".", regex=False)
    fits = text.str.fullmatch(rf"-?\d{{1,{18 - column_type.scale}}}(?:\.\d{{1,{column_type.scale}}})?").fillna(False).to_numpy()
    bad = ~fits & ~empty
    clean = pa.array(text.where(fits, None), type=pa.string())
    return clean.cast(pa.decimal128(18, column_type.scale)), bad
