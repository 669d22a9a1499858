"""The Parquet schema of a masked table: identifiers as strings, amounts as decimals, dates as dates.

Types are inferred from discovery's sample of the whole file, only for columns
that are kept as they are; everything the policy produced (pseudonyms, age
bands, PC4, masked text) is a string.  Digit-only columns stay strings: a
declaration number or prestatiecode is an identifier, not a quantity, and a
leading zero must survive.

Amounts are read by the one number parser (:mod:`recognizers.identifiers.numbers`),
in the notation decided on the whole sample: Dutch ``1.234,56`` or English
``1,234.56``.  A column whose sample does not decide (``1.250`` alone reads
as 1250 and as 1.25) stays a string.  Dates are read by
:mod:`recognizers.identifiers.dates`.

>>> import pandas as pd
>>> infer_type(pd.Series(["12,14", "7,5", ""]))
ColumnType(kind='decimal', scale=2, date_format=None, notation='nl')
>>> infer_type(pd.Series(["1.250", "1.234,56"])).notation, infer_type(pd.Series(["1,250.00", "7.5"])).notation
('nl', 'en')
>>> infer_type(pd.Series(["1.250", "2.500"])).kind
'string'
>>> cast(pd.Series(["1.250", "1.234,56", "x"]), ColumnType("decimal", 2, notation="nl"))[0].to_pylist()
[Decimal('1250.00'), Decimal('1234.56'), None]
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
import pyarrow.compute as pc

from recognizers.identifiers import dates, numbers

_DATE_FORMATS = dates.COLUMN_FORMATS
MAX_DIGITS = 15  # integer digits of an amount (decimal(18, scale) leaves room for the scale)
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
    notation: Optional[str] = None    # decimal: "nl" (1.234,56) or "en" (1,234.56); None: decided per chunk

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
        (ColumnType(kind='decimal', scale=2, date_format=None, notation=None), 'date')
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
    fmt = dates.column_format(values, TYPED_SHARE)
    if fmt is not None:
        return ColumnType("date", date_format=fmt)
    if sum(bool(_TIMESTAMP.match(v)) for v in values) >= need:
        return ColumnType("timestamp")
    return _amount_type(values, need)


def _amount_type(values: list, need: float) -> ColumnType:
    notation = numbers.notation_of(values)
    if notation is None:
        return STRING  # no numbers, or a notation the sample does not decide: never guessed
    thousands, decimal = numbers.NOTATIONS[notation]
    fits = [v for v in values if numbers.is_valid(v, notation)
            and numbers.decimals(v, notation) <= MAX_SCALE and len(numbers.compact(v, notation).split(".")[0].lstrip("+-")) <= MAX_DIGITS]
    if len(fits) < need:
        return STRING
    separated = [v for v in fits if thousands in v or decimal in v]
    # Only written amounts (decimals or thousands separators) are amounts; bare whole numbers are codes.
    if len(separated) < 0.5 * len(values):
        return STRING
    scale = max(numbers.decimals(v, notation) for v in separated)
    return ColumnType("decimal", scale=min(max(scale, MIN_SCALE), MAX_SCALE), notation=notation)


def cast(values: pd.Series, column_type: ColumnType) -> tuple[pa.Array, np.ndarray]:
    """The column as an Arrow array of its type, and the rows whose value does not fit (to quarantine).
    Dates, timestamps and amounts are parsed once per distinct value (a claim file's treatment dates and
    amounts repeat)."""
    from . import kernels

    if column_type.kind == "string":
        return kernels.string_column(values), np.zeros(len(values), dtype=bool)
    if column_type.kind == "decimal" and column_type.notation:
        return _amounts(values, column_type)
    from .operators import on_distinct

    done = on_distinct(values, lambda distinct: _cast(distinct, column_type))
    return done if done is not None else _cast(values, column_type)


def _amounts(values: pd.Series, column_type: ColumnType) -> tuple[pa.Array, np.ndarray]:
    """An amount column of a known notation: the plain amounts (``189,37``) read on their bytes
    (:func:`.kernels.plain_amounts`), every other value cast as before, once per distinct value."""
    from . import kernels
    from .operators import on_distinct

    arr = kernels.strings(values)
    unscaled, plain = kernels.plain_amounts(arr, column_type.notation, column_type.scale)
    out = kernels.decimals(unscaled, plain, column_type.scale)
    rest = ~plain & ~kernels.blank(arr)
    bad = np.zeros(len(arr), dtype=bool)
    if rest.any():
        others = pd.Series(pd.arrays.ArrowStringArray(arr.filter(pa.array(rest))), dtype="str")
        done = on_distinct(others, lambda distinct: _cast(distinct, column_type))
        cast_rest, bad_rest = done if done is not None else _cast(others, column_type)
        out = pc.replace_with_mask(out, pa.array(rest), cast_rest)
        bad[rest] = bad_rest
    return out, bad


def _cast(values: pd.Series, column_type: ColumnType) -> tuple[pa.Array, np.ndarray]:
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
    # decimal: the column's notation (from a data dictionary: decided on this chunk), at most
    # `scale` decimals; anything else is quarantined, never guessed.
    notation = column_type.notation or numbers.notation_of(pd.unique(strings[~empty]).tolist())
    if notation is None:
        # Undecided: only values that read the same in both notations (whole numbers) are cast.
        canonical, fits = numbers.canonical_series(strings, "nl")
        fits = fits & strings.str.strip().str.fullmatch(r"[-+]?\d+").fillna(False).to_numpy(dtype=bool)
    else:
        canonical, fits = numbers.canonical_series(strings, notation)
    canonical = canonical.str.lstrip("+")
    # ASCII digits only: Arrow reads no other digits as a decimal (an Arabic-Indic "٣٤" crashed the cast)
    fits = fits & canonical.str.fullmatch(rf"-?[0-9]{{1,{18 - column_type.scale}}}(?:\.[0-9]{{1,{column_type.scale}}})?").fillna(False).to_numpy(dtype=bool)
    fits = fits & ~_bare_bsn(strings)
    bad = ~fits & ~empty
    clean = pa.array(canonical.where(fits, None), type=pa.string())
    return clean.cast(pa.decimal128(18, column_type.scale)), bad


# A BSN as it is written or as a spreadsheet shows a number cell: 123456782, 123.456.782, 123 456 782,
# +123456782, 0123456782, 123456782,00 (captures: its digits, grouped or not).
_BSN_WRITTEN = r"\+?0?(\d{8,9}|\d{2,3}[ .]\d{3}[ .]\d{3})(?:[.,]00?)?"
# A Dutch phone number without separators: an amount never starts with a 0 before another digit.
_PHONE_WRITTEN = r"0[1-9]\d{8}"


def _bare_bsn(strings: pd.Series) -> np.ndarray:
    """Values of an amount column that are a BSN in one of its notations (passing the elfproef) or a Dutch
    phone number: an identifier shifted into the amounts (a decimal column holds written amounts, so no sweep
    of strings would see it)."""
    from recognizers.identifiers import bsn

    text = strings.str.strip()
    out = text.str.fullmatch(_PHONE_WRITTEN).fillna(False).to_numpy(dtype=bool).copy()
    written = text.str.fullmatch(_BSN_WRITTEN).fillna(False).to_numpy(dtype=bool)   # Arrow's RE2: the few, then each
    if written.any():
        digits = [re.fullmatch(_BSN_WRITTEN, v).group(1).replace(" ", "").replace(".", "") for v in text[written]]
        out[written] |= bsn.elfproef(digits)
    return out
