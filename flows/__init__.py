"""Prefect flows over the pii_pipeline library (orchestration only)."""
