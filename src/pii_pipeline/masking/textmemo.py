"""Free text that recurs over a file is detected once for all workers, during the transform.

Every process remembers the texts it masked (``operators.mask_text_series``' memo), so one worker
detects a recurring remark once.  With several workers each of them detected it again (a claims file
whose templated remarks recur in every chunk: ~1.5-2x the detection of one worker), and masking the
recurring texts in a pass of its own before the transform kept the cores busy with detection while
the transform waited.  So the main process, which hands the chunks out in order, decides per chunk
which of its distinct texts are new: only those are sent to the chunk's worker (a list of strings, not
the column), masked there beside the chunk's other columns, and the main process builds the column
from the results of this chunk and of the chunks before it.  The results come back in chunk order
(``engine._ordered_results``), so every text a chunk needs was masked with it or with an earlier
chunk, whose result is in by then.  :func:`operators.mask_text` depends on the text (and the key)
alone, so the output is the same byte for byte with any number of workers.

Bounded: at most ``TEXTS`` masked texts of at most ``SHORT`` characters are remembered; when full, those no
chunk in flight needs are forgotten (a forgotten text that recurs is sent again).  A longer text is sent with
every chunk that holds it and kept only for that chunk's join.  A text that is missing anyway is masked in the
main process (the same function), so nothing depends on the bound.
"""

from __future__ import annotations

from collections import ChainMap, Counter
from typing import Dict, List, Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import operators

TEXTS = operators.MEMO_TEXTS
SHORT = operators.MEMO_TEXT_CHARS   # longer texts are not remembered (their memory, not their count)


def text_plans(plans) -> list:
    """The plans whose column is free text masked cell by cell (list columns are left to the transform), but for
    columns masked so because no window of a large file's sample saw a value (mostly empty: their workers mask
    them, and the file stays parsed in its workers)."""
    from ..discovery.classifier import UNSEEN

    return [p for p in plans if p.kept and p.rule.operator == "mask_text" and not p.is_list
            and UNSEEN not in getattr(p, "evidence", "")]


def distinct_texts(values: pd.Series) -> List[str]:
    """The distinct non-blank texts of a column, first seen first.

    >>> distinct_texts(pd.Series(["b", None, " ", "a", "b"], dtype="str"))
    ['b', 'a']
    """
    uniques = pd.unique(values.dropna())
    return [t for t in uniques.tolist() if isinstance(t, str) and t.strip()]


class SharedTexts:
    """The main process's side: which texts each chunk's worker masks, and the masked columns put back.

    :meth:`split` is called for the chunks in order as they are handed out, :meth:`join` for their
    results in the same order.
    """

    def __init__(self, masker, limit: int = TEXTS) -> None:
        self.masker, self.limit = masker, limit
        self.plans = text_plans(masker.plans)
        self.names = [p.name for p in self.plans]
        self.masked: Dict[str, dict] = {n: {} for n in self.names}   # text -> (masked, entity counts)
        self.last_use: Dict[str, dict] = {n: {} for n in self.names}  # text -> the last chunk that needs it
        self.sent: Dict[int, Dict[str, List[str]]] = {}                # chunk in flight -> texts it masks
        self.handed = self.joined = 0
        self.detected = 0   # texts sent to the workers (each once while remembered)

    def split(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, Dict[str, List[str]]]:
        """The frame without its free-text columns, and per column the texts its worker is to mask."""
        index, self.handed = self.handed, self.handed + 1
        new: Dict[str, List[str]] = {}
        for name in self.names:
            if name not in frame:
                continue
            if len(self.last_use[name]) >= self.limit:
                self._forget(name)
            last_use = self.last_use[name]
            texts = distinct_texts(frame[name])
            new[name] = [t for t in texts if t not in last_use]
            for t in texts:
                if len(t) <= SHORT:   # a long text is not remembered: sent with every chunk that holds it
                    last_use[t] = index
            self.detected += len(new[name])
        self.sent[index] = new
        apart = [n for n in self.names if n in frame]
        return (frame.drop(columns=apart) if apart else frame), new

    def _forget(self, name: str) -> None:
        """Forget the texts no chunk in flight needs (those needed are kept: memory is bounded by the chunks)."""
        oldest = self.joined
        keep = {t: i for t, i in self.last_use[name].items() if i >= oldest}
        self.last_use[name] = keep
        self.masked[name] = {t: m for t, m in self.masked[name].items() if t in keep}

    def join(self, frame: pd.DataFrame, result: tuple) -> tuple:
        """The worker's result for ``frame`` (the next chunk in order) with its free-text columns added,
        as :meth:`ChunkMasker.masked` gives them."""
        from .engine import _arrow_column

        (casted, bad, counts, n), masked_texts = result
        new = self.sent.pop(self.joined)
        self.joined += 1
        here: Dict[str, dict] = {}   # this chunk's texts, masked by its worker
        for name, texts in new.items():
            here[name] = dict(zip(texts, masked_texts[name]))
            self.masked[name].update((t, m) for t, m in here[name].items() if len(t) <= SHORT)
        masker, by_name = self.masker, {}
        for plan in self.plans:
            values = frame[plan.name] if plan.name in frame else pd.Series([""] * len(frame), index=frame.index, dtype="str")
            by_name[plan.name] = Counter()
            # Every text was masked with this chunk or an earlier one; one forgotten is masked here.
            known = ChainMap(here.get(plan.name, {}), self.masked[plan.name])
            column = _arrow_masked(values, known, lambda t: masker.mask_one_text(plan, t), by_name[plan.name])
            if column is None:
                column = _arrow_column(plan, masker.mask_text_column(plan, values, by_name[plan.name], known=known))
            casted[plan.name] = column
        order = [p.name for p in masker.plans if p.kept]
        casted = {k: casted[k] for k in order if k in casted}
        counts = {k: by_name.get(k, counts.get(k)) for k in order if k in by_name or k in counts}
        return casted, bad, counts, n


def _arrow_masked(values: pd.Series, known: dict, mask, counts: Counter) -> Optional[tuple]:
    """The masked column as ``engine._arrow_column`` makes it of ``operators.mask_text_series``' result (blank
    cells empty), built in Arrow from ``known`` (text -> (masked, entity counts); ``mask`` for a text missing
    there); None when ``values`` is not an Arrow string column.  Counts: each text's times its cells."""
    if not isinstance(values.dtype, pd.StringDtype) or values.dtype.storage != "pyarrow":
        return None
    array = pa.array(values.array)
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    encoded = pc.dictionary_encode(array)
    masked, found = [], []
    for text in encoded.dictionary.to_pylist():
        if not text.strip():
            masked.append(None)
            found.append(None)
            continue
        done = known.get(text)
        text, local = done if done is not None else mask(text)
        masked.append(text)
        found.append(local)
    frequency = np.bincount(encoded.indices.drop_null().to_numpy(), minlength=len(masked))
    per_text: Counter = Counter()
    for local, n in zip(found, frequency.tolist()):
        for entity, c in (local or {}).items():
            per_text[entity] += c * n
    counts.update(per_text)
    return pa.array(masked, type=pa.string()).take(encoded.indices), np.zeros(len(values), dtype=bool)


def mask_texts(masker, texts: Dict[str, List[str]]) -> Dict[str, list]:
    """In a worker: per free-text column, (masked, entity counts) of each text, as the memo holds them."""
    out: Dict[str, list] = {}
    for plan in text_plans(masker.plans):
        if plan.name in texts:
            out[plan.name] = [masker.mask_one_text(plan, t) for t in texts[plan.name]]
    return out
