"""The utility check: for every numeric column kept, sum and count in = sum and count out (+ quarantined).

Masking must not change the figures analysts compute.  For each kept column
whose output type is a number (decimal, integer, float), the values parsed from
the input (with the schema's own parse, :func:`~.schema.cast`, whatever notation
it accepts) are summed and counted per table as the chunks are read; the rows
written are summed and counted again from what the writer is given.  Rows that
are quarantined leave with their parsed values, so::

    sum in  = sum out  + sum of the quarantined rows
    count in = count out + count of the quarantined rows

A mismatch fails the file (nothing is published).  The figures go in the
manifest (``utility``); the batch job adds them per period.

>>> import numpy as np, pyarrow as pa
>>> check = UtilityCheck()
>>> from decimal import Decimal as D
>>> amounts = pa.array([D("1.00"), D("2.00"), None, D("4.00")], type=pa.decimal128(18, 2))
>>> check.add_input("t", {"bedrag": amounts}, np.array([False, True, False, False]))
>>> check.add_output("t", pa.table({"bedrag": amounts.filter(pa.array([True, False, True, True]))}))
>>> check.verify("x.csv")["t"]["bedrag"]
{'sum_in': '7.00', 'count_in': 3, 'sum_out': '5.00', 'count_out': 2, 'sum_quarantined': '2.00', 'count_quarantined': 1, 'passed': True}
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Dict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .writers import OutputError


def is_numeric(t: pa.DataType) -> bool:
    return pa.types.is_decimal(t) or pa.types.is_integer(t) or pa.types.is_floating(t)


def _sum_count(array) -> tuple:
    total = pc.sum(array).as_py()
    return (total if total is not None else 0), int(pc.count(array).as_py())


class UtilityCheck:
    def __init__(self) -> None:
        # table -> column -> [sum_in, count_in, sum_q, count_q, sum_out, count_out]
        self.tables: Dict[str, Dict[str, list]] = {}

    def _figures(self, table: str, column: str) -> list:
        return self.tables.setdefault(table, {}).setdefault(column, [0, 0, 0, 0, 0, 0])

    def add_input(self, table: str, columns: Dict[str, pa.Array], quarantined: np.ndarray) -> None:
        """Every parsed row of a chunk, and which of them are quarantined."""
        mask = pa.array(quarantined)
        for name, array in columns.items():
            if not is_numeric(array.type):
                continue
            f = self._figures(table, name)
            s, c = _sum_count(array)
            qs, qc = _sum_count(array.filter(mask))
            f[0] += s
            f[1] += c
            f[2] += qs
            f[3] += qc

    def add_output(self, table: str, written: pa.Table) -> None:
        for name in written.column_names:
            if is_numeric(written.schema.field(name).type):
                f = self._figures(table, name)
                s, c = _sum_count(written[name])
                f[4] += s
                f[5] += c

    def verify(self, file_name: str) -> dict:
        """The figures per table and column; raises :class:`OutputError` when in != out + quarantined."""
        report: dict = {}
        for table, columns in self.tables.items():
            for name, (s_in, c_in, s_q, c_q, s_out, c_out) in columns.items():
                same = math.isclose(s_in, s_out + s_q, rel_tol=1e-9) if isinstance(s_in, float) else s_in == s_out + s_q
                passed = same and c_in == c_out + c_q
                report.setdefault(table, {})[name] = {
                    "sum_in": _text(s_in), "count_in": c_in, "sum_out": _text(s_out), "count_out": c_out,
                    "sum_quarantined": _text(s_q), "count_quarantined": c_q, "passed": passed}
                if not passed:
                    raise OutputError(f"{file_name}: utility check failed for column '{name}': sum and count in "
                                      f"({c_in:,} values) differ from out + quarantined ({c_out:,} + {c_q:,}); nothing was published")
        return report


def _text(value) -> str:
    # Exact decimals as text (JSON numbers would round them); integers and floats as they are.
    return str(value) if isinstance(value, Decimal) else value
