"""The residual scan: the output is read again, and a direct identifier left in it fails the run.

Two checks on every batch of output, before anything is published:

* every row of every string column is searched for identifiers that carry
  their own proof: e-mail addresses, IBANs passing mod-97, Dutch phone
  numbers, and BSN columns (9-digit values passing the elfproef far more often
  than the 1 in 11 that chance gives a column of other numbers);
* a sample of the free-text cells is run through the detector again: a
  name, BSN or other direct identifier that survived masking is found here.

Findings are locations (row, column, entity type), never values.

>>> scan = ResidualScan(text_columns={"notitie"}, detector=None, text_sample=0)
>>> scan.check(pd.DataFrame({"notitie": ["mail jan@example.nl"], "code": ["C11"]}), np.array([7]))
>>> scan.findings
[{'row': 7, 'column': 'notitie', 'entity_type': 'EMAIL_ADDRESS'}]
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, List, Set

import numpy as np
import pandas as pd

from recognizers.entities import ENTITIES
from recognizers.identifiers import bsn, iban, phone

EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
# Cheap pre-filters (RE2: pandas runs them on Arrow strings); the identifier modules decide.
IBAN = iban.PREFILTER
PHONE = phone.PREFILTER
BSN_COLUMN_RATE = 0.3     # share of 9-digit values passing the elfproef that makes a column a BSN column
MAX_LOCATIONS = 1000


def _finds(texts: pd.Series, find) -> np.ndarray:
    """Per cell: does the identifier module's ``find`` report a span anywhere in it (fail closed)?"""
    return np.array([next(iter(find(t)), None) is not None for t in texts.tolist()], dtype=bool)


class ResidualScan:
    def __init__(self, text_columns: Set[str], detector, text_sample: int, skip_columns: Iterable[str] = ()) -> None:
        self.text_columns = set(text_columns)
        self.skip = set(skip_columns)       # pseudonyms, bands: produced by the policy, not input values
        self.detector = detector
        self.text_budget = text_sample
        self.findings: List[dict] = []
        self.counts: Counter = Counter()
        self._bsn_seen: Counter = Counter()
        self._bsn_pass: Counter = Counter()
        self._bsn_rows: dict = {}

    def _found(self, rows: np.ndarray, column: str, entity: str) -> None:
        self.counts[(column, entity)] += len(rows)
        for row in rows[: max(0, MAX_LOCATIONS - len(self.findings))]:
            self.findings.append({"row": int(row), "column": column, "entity_type": entity})

    def check(self, frame: pd.DataFrame, rows: np.ndarray) -> None:
        for column in frame.columns:
            if column in self.skip:
                continue
            values = frame[column]
            if values.dtype != "str" and values.dtype != object:
                continue  # dates and decimals
            text = values.astype("str").fillna("")
            free = column in self.text_columns
            email = text.str.contains(EMAIL, regex=True).to_numpy()
            if email.any():
                self._found(rows[email], column, "EMAIL_ADDRESS")
            candidates = text.str.contains(IBAN, regex=True).fillna(False).to_numpy()
            if candidates.any():
                ibans = _finds(text[candidates], iban.find)
                self._found(rows[candidates][ibans], column, "IBAN_CODE")
            candidates = text.str.contains(PHONE, regex=True).fillna(False).to_numpy()
            if candidates.any():
                phones = _finds(text[candidates], phone.find)
                self._found(rows[candidates][phones], column, "PHONE_NUMBER")
            if not free:
                nine = text.str.strip().str.replace(r"[ .\-/]", "", regex=True)
                # 8-digit BSNs are zero-padded, as everywhere (recognizers.identifiers.bsn).
                nine = nine.where(~nine.str.fullmatch(r"\d{8}").fillna(False), "0" + nine)
                is_nine = nine.str.fullmatch(r"\d{9}").fillna(False).to_numpy()
                if is_nine.any():
                    passing = bsn.elfproef(nine[is_nine].tolist())
                    self._bsn_seen[column] += int(is_nine.sum())
                    self._bsn_pass[column] += int(passing.sum())
                    kept = self._bsn_rows.setdefault(column, [])
                    if len(kept) < MAX_LOCATIONS:
                        kept.extend(rows[is_nine][passing][: MAX_LOCATIONS - len(kept)].tolist())
            elif self.detector is not None and self.text_budget > 0:
                self._detect(text, rows, column)

    def _detect(self, text: pd.Series, rows: np.ndarray, column: str) -> None:
        seen = set()
        for value, row in zip(text.tolist(), rows.tolist()):
            if self.text_budget <= 0:
                break
            if not value or value in seen:
                continue
            seen.add(value)
            self.text_budget -= 1
            for f in self.detector.detect(value):
                if ENTITIES[f.entity_type].kind == "direct_identifier":
                    self._found(np.array([row]), column, f.entity_type)

    def finish(self) -> List[dict]:
        """All findings, once every batch has been checked (BSN columns are judged on their totals)."""
        for column, seen in self._bsn_seen.items():
            passed = self._bsn_pass[column]
            if passed >= 3 and passed / seen >= BSN_COLUMN_RATE:
                self._found(np.array(self._bsn_rows.get(column, [])), column, "NL_BSN")
                self.counts[(column, "NL_BSN")] += passed - len(self._bsn_rows.get(column, []))
        return self.findings

    def summary(self) -> List[dict]:
        return [{"column": c, "entity_type": e, "rows": n} for (c, e), n in sorted(self.counts.items())]
