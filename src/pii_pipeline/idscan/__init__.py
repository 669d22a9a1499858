"""Copies of identity documents: embedded metadata and image masking."""
