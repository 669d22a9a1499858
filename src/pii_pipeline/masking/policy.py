"""The masking policy: which operator applies to which entity type and column.

A policy is a YAML file validated by pydantic, so a typo (an unknown operator,
entity or option) fails with a message naming the field before any data is
read.  The shipped policies live in ``masking/policies/``; ``pii-pipeline
policy init`` writes the default one out for editing.

How a column's rule is chosen (first match wins):

1. ``columns``: an override by column name or dotted JSON path (``patient.naam``),
   or a glob (``regels[].*``);
2. the column is free text: ``free_text`` (mask the entities inside it);
3. the column's entity type (from discovery): ``entities``;
4. otherwise ``default`` (``keep``).

Overrides can be scoped to a dataset (the batch job's dataset name)::

    datasets:
      claims:
        columns: {agb_instelling: {operator: keep}}

In the batch job a file of dataset ``claims`` gets those ``columns`` (before the
policy's own) and ``entities`` (over the policy's own): :meth:`Policy.for_dataset`.
A column override naming a column the file lacks is a warning, unless the policy
(or the dataset's section) says ``strict: true``: then it fails the file.

>>> p = default_policy()
>>> p.entities["NL_BSN"].operator, p.entities["DATE_OF_BIRTH"].to, p.k_anonymity.k
('pseudonymize', 'age_band', 10)
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Dict, List, Literal, Optional, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from recognizers.entities import ENTITY_NAMES

Operator = Literal["pseudonymize", "generalize", "drop", "redact", "keep", "mask_text"]
Target = Literal["birth_year", "age_band", "pc4", "pc3", "month", "year"]

# Which generalisations make sense for which entity (None: a column without an entity, e.g. a date).
TARGETS_FOR_ENTITY = {
    "DATE_OF_BIRTH": {"birth_year", "age_band", "month", "year"},
    "NL_POSTCODE": {"pc4", "pc3"},
    None: {"month", "year"},
}
POLICY_DIR = "policies"


class PolicyError(Exception):
    """A policy that cannot be used; the message names the file and field."""


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    operator: Operator
    to: Optional[Target] = None                       # generalize: what to generalise to
    band_width: int = Field(10, ge=1, le=50)          # generalize to age_band: years per band
    top_code: Optional[int] = Field(90, ge=1, le=120)  # ages at or above this become one band ("90+")
    replace_with: Literal["tag", "pseudonym"] = "tag"  # mask_text: <PERSON> or <PERSON:3fa2b1c9d0>

    @model_validator(mode="after")
    def _options_fit_operator(self) -> "Rule":
        if self.operator == "generalize" and self.to is None:
            raise ValueError("generalize needs 'to' (one of birth_year, age_band, pc4, pc3, month, year)")
        if self.operator != "generalize" and self.to is not None:
            raise ValueError(f"'to' applies to generalize only, not to {self.operator}")
        return self


class KAnonymity(BaseModel):
    """The disclosure-control gate (see ``kanon.py``): k persons per class, by optimal generalisation."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    k: int = Field(10, ge=2)
    # Entity types or column names; those present in the output are the quasi-identifiers.
    quasi_identifiers: List[str] = ["DATE_OF_BIRTH", "GENDER", "NL_POSTCODE"]
    # Who a row is about: entity types or column names, the first non-empty one per row (after
    # pseudonymisation). Rows without any count as a person each.
    person_key: List[str] = ["NL_BSN", "NL_MEMBER_NUMBER"]
    # Search the generalisation lattice (wider age bands, PC3, ...) for the least information loss
    # that meets k with at most max_suppression of the persons suppressed.
    generalize: bool = True
    max_suppression: float = Field(0.05, ge=0.0, le=1.0)
    # No generalisation within the limit: fail (nothing published), or suppress beyond the limit.
    on_failure: Literal["fail", "suppress"] = "fail"
    # A new file that would break k (or l) for its dataset at the dataset's generalisation: fail (the file
    # is not published), or regeneralise: search the levels above the dataset's over all its parts together
    # and re-publish every part at the levels found, with the new file, in one crash-safe commit.
    on_dataset_break: Literal["fail", "regeneralise"] = "fail"
    # Extra hierarchies for quasi-identifiers without a built-in one (column name or entity type):
    # a list of levels, each '*', 'truncate:N' or a mapping of values (unlisted values become '*').
    hierarchies: Dict[str, List[Union[str, Dict[str, str]]]] = {}
    # Share of the population the data covers (journalist and marketer risk); 1.0: the data is the population.
    sampling_fraction: float = Field(1.0, gt=0.0, le=1.0)

    @field_validator("hierarchies")
    @classmethod
    def _levels_valid(cls, value):
        for name, levels in value.items():
            for level in levels:
                if isinstance(level, str) and level != "*" and not re.fullmatch(r"truncate:[1-9]\d*", level):
                    raise ValueError(f"{name}: level '{level}' must be '*', 'truncate:N' or a mapping of values")
        return value


class LDiversity(BaseModel):
    """Distinct l-diversity of the sensitive attributes within every equivalence class."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    l: int = Field(2, ge=2)
    # Entity types, or column-name globs (case-insensitive; JSON paths as in the output: regels[].prestatiecode).
    sensitive: List[str] = ["HEALTH_DATA", "*diagnos*", "*prestatiecode*", "*zorgproduct*"]


class ResidualScan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    # Kept for old policies; the value sweep reads every cell and no longer samples.
    text_sample: int = Field(2000, ge=0)
    # A column fails the file when more than this share of its cells is withheld (the policy does not fit).
    max_withheld: float = Field(0.01, ge=0.0, le=1.0)


TERM = r"^[1-9][0-9]{0,4}[dmy]$"   # a retention term: 30d, 3m, 7y


class Exclude(BaseModel):
    """Objection: persons left out of every published dataset (BSNs or member numbers, one a line).

    The list is read when a run starts and each value is turned into its pseudonym in memory; it is never
    written anywhere.  ``secret`` names a Prefect Secret block holding the same list (a string, one a line,
    or a JSON list)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bsn_file: Optional[Path] = None
    member_number_file: Optional[Path] = None
    secret: Optional[str] = None
    secret_entity: Literal["NL_BSN", "NL_MEMBER_NUMBER"] = "NL_BSN"

    @model_validator(mode="after")
    def _something(self) -> "Exclude":
        if not (self.bsn_file or self.member_number_file or self.secret):
            raise ValueError("exclude needs bsn_file, member_number_file or secret")
        return self


class Retention(BaseModel):
    """How long a dataset's rows are kept: ``{column: declaratiedatum, keep: 7y}``; without ``column`` the
    partition period dates the rows; ``from: last_per_person`` runs the term from the person's last record."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    column: Optional[str] = None
    keep: str = Field(..., pattern=TERM)
    from_: Literal["record", "last_per_person"] = Field("record", alias="from")
    # The person for last_per_person: a pseudonymised column; empty: the dataset's BSN column.
    person_column: Optional[str] = None
def _check_entity_rules(value: Dict[str, Rule]) -> Dict[str, Rule]:
    unknown = sorted(set(value) - set(ENTITY_NAMES))
    if unknown:
        raise ValueError(f"unknown entity type(s) {unknown}; known: {', '.join(ENTITY_NAMES)}")
    for entity, rule in value.items():
        if rule.operator == "generalize" and rule.to not in TARGETS_FOR_ENTITY.get(entity, set()):
            allowed = sorted(TARGETS_FOR_ENTITY.get(entity, set())) or "none"
            raise ValueError(f"{entity}: cannot generalize to {rule.to} (possible: {allowed})")
    return value


class DatasetOverrides(BaseModel):
    """``datasets: {claims: {...}}``: rules for the files of one dataset only."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: Dict[str, Rule] = {}
    entities: Dict[str, Rule] = {}
    strict: Optional[bool] = None     # None: the policy's own setting

    @field_validator("entities")
    @classmethod
    def _known_entities(cls, value: Dict[str, Rule]) -> Dict[str, Rule]:
        return _check_entity_rules(value)


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    name: str
    description: str = ""
    # Pseudonyms differ per domain: give each recipient its own, so their datasets do not link.
    pseudonym_domain: str = Field("statistics", pattern=r"^[a-z0-9][a-z0-9_.\-]{0,63}$")
    # Ages are computed at this date; empty: the day of the run (recorded in the manifest).
    reference_date: Optional[dt.date] = None
    entities: Dict[str, Rule]
    columns: Dict[str, Rule] = {}
    free_text: Rule = Rule(operator="mask_text")
    # Columns of file names that carry a name or number (scan_jansen_001.jpg); empty: the entity's rule.
    # pseudonymize keeps the extension: 3fa2b1c9d0e1f2a3.jpg.
    file_names: Optional[Rule] = None
    default: Rule = Rule(operator="keep")
    k_anonymity: KAnonymity = KAnonymity()
    l_diversity: LDiversity = LDiversity()
    residual_scan: ResidualScan = ResidualScan()
    # Data-subject rights (see rights/): objection list, retention per dataset, term of quarantined inputs.
    exclude: Optional[Exclude] = None
    retention: Dict[str, Retention] = {}
    quarantine_retention: str = Field("30d", pattern=TERM)
    # A column override naming a column the file lacks: a warning (False) or a failure (True).
    strict: bool = False
    # Overrides for the files of one dataset (batch job): name -> columns / entities / strict.
    datasets: Dict[str, DatasetOverrides] = {}

    @field_validator("entities")
    @classmethod
    def _known_entities(cls, value: Dict[str, Rule]) -> Dict[str, Rule]:
        return _check_entity_rules(value)

    @field_validator("datasets")
    @classmethod
    def _dataset_names(cls, value: Dict[str, DatasetOverrides]) -> Dict[str, DatasetOverrides]:
        for name in value:
            if not re.fullmatch(r"[a-z0-9_]+", name):
                raise ValueError(f"dataset name '{name}' must be lower-case letters, digits and '_'")
        return value

    def for_dataset(self, dataset: Optional[str]) -> "Policy":
        r"""The policy as it applies to the files of ``dataset``: its section's rules first.

        >>> p = parse_policy("name: t\nentities: {}\ncolumns: {a: {operator: drop}}\n"
        ...                  "datasets: {claims: {columns: {b: {operator: keep}}, strict: true}}")
        >>> list(p.for_dataset("claims").columns), p.for_dataset("claims").strict, p.for_dataset("other") is p
        (['b', 'a'], True, True)
        """
        scoped = self.datasets.get(dataset or "")
        if scoped is None:
            return self
        columns = {**scoped.columns, **{k: v for k, v in self.columns.items() if k not in scoped.columns}}
        return self.model_copy(update={"columns": columns, "entities": {**self.entities, **scoped.entities},
                                       "strict": self.strict if scoped.strict is None else scoped.strict})

    @model_validator(mode="after")
    def _known_quasi_identifiers(self) -> "Policy":
        for qi in self.k_anonymity.quasi_identifiers:
            if qi.isupper() and qi not in ENTITY_NAMES and qi not in self.columns:
                raise ValueError(f"k_anonymity.quasi_identifiers: unknown entity type '{qi}'")
        return self

    def rule_for(self, column: str, entity: Optional[str], free_text: bool, file_names: bool = False) -> tuple[Rule, str]:
        """The rule for a column and where it came from (for the manifest)."""
        if column in self.columns:
            return self.columns[column], f"columns.{column}"
        for pattern, rule in self.columns.items():
            if _is_glob(pattern) and fnmatch.fnmatchcase(column, pattern):
                return rule, f"columns.{pattern}"
        if free_text:
            return self.free_text, "free_text"
        if file_names and self.file_names is not None:
            return self.file_names, "file_names"
        if entity is not None and entity in self.entities:
            return self.entities[entity], f"entities.{entity}"
        return self.default, "default"

    def check_columns(self, path: Path | str, columns: List[str]) -> List[str]:
        """Column overrides naming a column the file does not have (a typo would leak).

        Returns one warning per such override; with ``strict: true`` the first one fails instead."""
        warnings = []
        for pattern in self.columns:
            matched = any(fnmatch.fnmatchcase(c, pattern) for c in columns) if _is_glob(pattern) else pattern in columns
            if not matched:
                message = f"{path}: policy column '{pattern}' is not a column of this file"
                if self.strict:
                    raise PolicyError(f"{message} (columns: {', '.join(columns)}; the policy is strict)")
                warnings.append(message + " (override not used)")
        return warnings

    def digest(self) -> str:
        """sha256 of the policy's canonical JSON: the manifest's record of what was applied."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def _is_glob(pattern: str) -> bool:
    return bool(re.search(r"(?<!\[)\*|\?", pattern.replace("[]", "")))


def _format_errors(source: str, exc: ValidationError) -> str:
    lines = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e["loc"]) or "(top level)"
        lines.append(f"{where}: {e['msg']}")
    return f"{source}: invalid policy\n  " + "\n  ".join(lines)


def parse_policy(text: str, source: str = "policy") -> Policy:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PolicyError(f"{source}: not valid YAML" + (f" (line {mark.line + 1})" if mark else "")) from None
    if not isinstance(data, dict):
        raise PolicyError(f"{source}: expected a mapping of policy fields")
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(_format_errors(source, exc)) from None


def load_policy(path: Path | str | None = None) -> Policy:
    """The policy at ``path``, a shipped policy by name, or the shipped default for statistics and benchmarking."""
    if path is None:
        return default_policy()
    path = Path(path)
    if not path.exists() and str(path) in shipped_policy_names():
        return default_policy(str(path))  # a shipped policy by name: "id_scans"
    if not path.is_file():
        raise PolicyError(f"{path}: no such policy file")
    return _relative_to(parse_policy(path.read_text(encoding="utf-8"), str(path)), path.parent)


def _relative_to(policy: Policy, folder: Path) -> Policy:
    """Relative list paths in ``exclude`` are read beside the policy file, whatever the working folder."""
    ex = policy.exclude
    if ex is None:
        return policy
    fix = {k: (folder / v).resolve() for k, v in (("bsn_file", ex.bsn_file), ("member_number_file", ex.member_number_file))
           if v is not None and not v.is_absolute()}
    return policy.model_copy(update={"exclude": ex.model_copy(update=fix)}) if fix else policy


def shipped_policy_text(name: str = "statistics") -> str:
    """The YAML text (with its comments) of a shipped policy: ``statistics`` or ``id_scans``."""
    try:
        return resources.files(__package__).joinpath(POLICY_DIR, f"{name}.yaml").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"no shipped policy '{name}' (shipped: {', '.join(shipped_policy_names())})") from None


def shipped_policy_names() -> List[str]:
    folder = resources.files(__package__).joinpath(POLICY_DIR)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def default_policy(name: str = "statistics") -> Policy:
    return parse_policy(shipped_policy_text(name), f"shipped policy '{name}'")
