"""Objection and lasting erasure: rows of listed persons are never published.

Two sources, combined per run:

* the policy's ``exclude`` list (a BSN or member-number file, or a Prefect
  Secret): read when the run starts, each value turned into its pseudonym in
  memory for the domain being written; the values are never written anywhere;
* the erasure log of the output folder (pseudonyms per domain and key id).

:func:`rows_to_exclude` is the hook ``mask_file`` calls on every transformed
chunk, before the k-anonymity gate counts it, so the published rows are
k-anonymous without the excluded ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import numpy as np
import pandas as pd

from ..masking.pseudonyms import Pseudonymizer
from .rewrite import LOGS, RIGHTS_DIR, pending_entries, read_log
from .subjects import ENTITIES, RightsError, _check_identifier, read_identifier_file


@dataclass
class Exclusion:
    objections: List[Tuple[str, str]] = field(default_factory=list, repr=False)   # (entity, normalised value)
    erased: List[dict] = field(default_factory=list, repr=False)                 # erasure-log pseudonyms

    def __bool__(self) -> bool:
        return bool(self.objections or self.erased)

    def pseudonyms_for(self, pseudonymizer: Pseudonymizer) -> Dict[str, Dict[str, str]]:
        """entity -> pseudonym -> why ("objection" or "erased"), in this run's domain and key."""
        out: Dict[str, Dict[str, str]] = {}
        for entity, value in self.objections:
            out.setdefault(entity, {})[pseudonymizer.pseudonym(entity, value)] = "objection"
        for e in self.erased:
            if e.get("domain") == pseudonymizer.domain and e.get("key_id") == pseudonymizer.key_id:
                out.setdefault(e["entity"], {}).setdefault(e["pseudonym"], "erased")
        return out


def load_objections(exclude) -> List[Tuple[str, str]]:
    """The policy's ``exclude`` section as (entity, value) pairs, validated (errors name lines, not values)."""
    if exclude is None:
        return []
    found: List[Tuple[str, str]] = []
    if exclude.bsn_file is not None:
        found += [("NL_BSN", v) for v in read_identifier_file(exclude.bsn_file, "NL_BSN")]
    if exclude.member_number_file is not None:
        found += [("NL_MEMBER_NUMBER", v) for v in read_identifier_file(exclude.member_number_file, "NL_MEMBER_NUMBER")]
    if exclude.secret:
        found += [(exclude.secret_entity, v) for v in _secret_values(exclude.secret, exclude.secret_entity)]
    return list(dict.fromkeys(found))


def _secret_values(name: str, entity: str) -> List[str]:
    from ..prefect_env import configure_prefect_environment

    configure_prefect_environment()
    from prefect.blocks.system import Secret

    try:
        raw = Secret.load(name).get()
    except ValueError:
        raise RightsError(f"exclude.secret: no Prefect Secret block named '{name}'") from None
    if isinstance(raw, str):
        text = raw.strip()
        items = json.loads(text) if text.startswith("[") else text.replace(",", "\n").splitlines()
    else:
        items = list(raw)
    return [_check_identifier(entity, str(v), f"exclude.secret '{name}', item {i}")
            for i, v in enumerate(items, 1) if str(v).strip()]


def erased_pseudonyms(output: Optional[Path | str]) -> List[dict]:
    """Every pseudonym in the output folder's erasure log (and in erasures still being applied)."""
    if output is None:
        return []
    path = Path(output) / RIGHTS_DIR / LOGS["erasure"]
    entries = read_log(path) + [j["log"] for j in pending_entries(output)]
    return [p for e in entries if e.get("kind") == "erasure" for p in e.get("pseudonyms", [])]


def for_run(policy, output: Optional[Path | str] = None) -> Exclusion:
    return Exclusion(load_objections(getattr(policy, "exclude", None)), erased_pseudonyms(output))


def rows_to_exclude(plans, frame: pd.DataFrame, wanted: Dict[str, Dict[str, str]], counts: Dict[str, int],
                    skip: Optional[np.ndarray] = None) -> np.ndarray:
    """Rows of a transformed chunk whose BSN or member-number pseudonym is excluded; ``counts`` by reason.
    Rows in ``skip`` (already quarantined) are neither returned nor counted."""
    mask = np.zeros(len(frame), dtype=bool) if skip is None else skip.copy()
    why = np.full(len(frame), "", dtype=object)
    for plan in plans:
        if plan.rule.operator == "mask_text" and plan.rule.replace_with == "pseudonym" and plan.name in frame:
            hit, reasons = _token_rows(frame[plan.name], wanted)   # a note naming an erased person's BSN
            new = hit & ~mask
            why[new] = np.array(reasons, dtype=object)[new]
            mask |= hit
            continue
        lookup = wanted.get(plan.entity or "")
        if (not lookup or not plan.kept or plan.rule.operator != "pseudonymize" or plan.source == "file_names"
                or plan.entity not in ENTITIES or plan.name not in frame):
            continue
        values = frame[plan.name]
        if plan.is_list:
            hit = np.array([any(x in lookup for x in v) if isinstance(v, list) else False for v in values], dtype=bool)
            reasons = [next((lookup[x] for x in v if x in lookup), "") if h else "" for v, h in zip(values, hit)]
        else:
            mapped = values.map(lookup)
            hit = mapped.notna().to_numpy()
            reasons = mapped.fillna("").tolist()
        new = hit & ~mask
        why[new] = np.array(reasons, dtype=object)[new]
        mask |= hit
    if skip is not None:
        mask &= ~skip
        why[skip] = ""
    for reason in ("objection", "erased"):
        n = int((why == reason).sum())
        if n:
            counts[reason] = counts.get(reason, 0) + n
    return mask


def _token_rows(values: pd.Series, wanted: Dict[str, Dict[str, str]]) -> Tuple[np.ndarray, list]:
    """Rows whose masked free text (or any text of a list) holds the token of an excluded pseudonym
    (``<NL_BSN:3fa2b1c9d0>``, ``replace_with: pseudonym``), and why each is excluded."""
    import re

    from ..masking.operators import TOKEN_LENGTH, text_token

    tokens = {text_token(entity, p): why for entity in ENTITIES for p, why in wanted.get(entity, {}).items()}
    if not tokens:
        return np.zeros(len(values), dtype=bool), [""] * len(values)
    found = re.compile("<(?:%s):[0-9a-f]{%d}>" % ("|".join(sorted(ENTITIES)), TOKEN_LENGTH))
    reasons = []
    for v in values:
        texts = v if isinstance(v, list) else [v]
        reasons.append(next((tokens[m.group()] for t in texts if isinstance(t, str) for m in found.finditer(t)
                             if m.group() in tokens), ""))
    return np.array([bool(r) for r in reasons], dtype=bool), reasons
