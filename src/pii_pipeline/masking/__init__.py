"""Masking: policy-driven anonymisation of tables and texts into Parquet (and CSV, JSONL, XLSX, text)."""

from .policy import Policy, PolicyError, default_policy, load_policy
from .pseudonyms import MissingKey, Pseudonymizer, load_key

__all__ = ["Policy", "PolicyError", "default_policy", "load_policy", "MissingKey", "Pseudonymizer", "load_key"]
