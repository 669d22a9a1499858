"""Readers: one place per input format (text and JSONL documents here; tables in later modules)."""
