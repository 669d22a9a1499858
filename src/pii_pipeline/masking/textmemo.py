"""Free text that recurs over a file is detected once for all workers, before the transform.

Every process remembers the texts it masked (``operators.mask_text_series``' memo), so one worker
detects a recurring remark once.  With several workers each of them detected it again: on a claims
file whose templated remarks recur in every chunk, two workers did ~1.5-2x the detection of one.
When a CSV was spilled (parsed once, read back for the transform), its free-text columns are read
back from the spill first (only those columns), the texts that stand in more than one chunk are
masked here in ``workers`` processes, each text once, and the transform's workers inherit the result
(forked after it: no copy) and look a text up in it before they detect.  :func:`operators.mask_text`
depends on the text (and the key) alone, so the output is the same byte for byte, with any number of
workers and whatever this pass leaves out.

Bounded: at most ``TEXTS`` texts and ``CHARS`` characters are masked ahead (the rest are detected in
the transform as before), and chunk membership is tracked for at most ``SEEN`` distinct texts (their
hashes; a collision only masks a text ahead that did not need it).
"""

from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor
from typing import Dict, Iterable, List

import pyarrow as pa
import pyarrow.compute as pc

from . import operators

TEXTS = 100_000
CHARS = 20_000_000
SEEN = 500_000     # ~40 MB of hashes while the spill is read, freed before the transform
BATCH = 64          # texts per task: small enough to balance the workers, large enough to pay the IPC

_PSEUDONYMIZER = None
_ROUNDS: dict = {}  # operators.mask_text's later rounds, per worker process


def text_plans(plans) -> list:
    """The plans whose column is free text masked cell by cell (list columns are left to the transform)."""
    return [p for p in plans if p.kept and p.rule.operator == "mask_text" and not p.is_list]


def repeated_texts(chunks: Iterable[pa.Array], texts: int = TEXTS, chars: int = CHARS, seen_limit: int = SEEN) -> List[str]:
    """The distinct non-blank texts of a column that stand in more than one of ``chunks``, first seen first.

    >>> repeated_texts([pa.array(["a", "b", None, " "]), pa.array(["b", "c", " "]), pa.array(["a", "b", "d"])])
    ['b', 'a']
    """
    seen: set = set()
    picked: set = set()
    out: List[str] = []
    held = 0
    for array in chunks:
        uniques = pc.unique(array.drop_null()).to_pylist()
        for text in uniques:
            h = hash(text)
            if h not in seen:
                if len(seen) < seen_limit:
                    seen.add(h)
                continue
            if text in picked or not isinstance(text, str) or not text.strip():
                continue
            if len(out) >= texts or held + len(text) > chars:
                return out
            picked.add(text)
            out.append(text)
            held += len(text)
    return out


def _init(key: bytes, domain: str) -> None:
    global _PSEUDONYMIZER
    from ..logs import configure_logging
    from .pseudonyms import Pseudonymizer

    configure_logging(logging.WARNING)
    _PSEUDONYMIZER = Pseudonymizer(key, domain)   # as the transform's workers make theirs


def _mask_batch(texts: List[str], pseudonyms: bool) -> list:
    from collections import Counter

    from ..detection import get_detector

    detector, pz = get_detector(), _PSEUDONYMIZER if pseudonyms else None   # the transform's workers' detector
    out = []
    for text in texts:
        local: Counter = Counter()
        out.append((operators.mask_text(text, detector, pz, local, rounds=_ROUNDS), local))
    return out


def mask_ahead(masker, spill, workers: int, key: bytes) -> Dict[str, dict]:
    """Per free-text column of ``masker``'s plans: {text: (masked, entity counts)} for the texts of the
    spill that recur across chunks, masked in ``workers`` processes (empty when there are none)."""
    plans = text_plans(masker.plans)
    if not plans:
        return {}
    repeated = {p.name: repeated_texts(spill.column_chunks(p.name)) for p in plans}
    if not any(repeated.values()):
        return {}
    from ..detection import get_detector

    get_detector()  # built here once (classification has usually built it), inherited by the forked workers
    known: Dict[str, dict] = {p.name: {} for p in plans}
    with ProcessPoolExecutor(workers, initializer=_init, initargs=(key, masker.pseudonymizer.domain)) as pool:
        tasks = []
        for plan in plans:
            pseudonyms = plan.rule.replace_with == "pseudonym"
            texts = repeated[plan.name]
            for i in range(0, len(texts), BATCH):
                batch = texts[i:i + BATCH]
                tasks.append((plan.name, batch, pool.submit(_mask_batch, batch, pseudonyms)))
        for name, batch, future in tasks:
            known[name].update(zip(batch, future.result()))
    return known
