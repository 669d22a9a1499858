"""Data-subject rights over the published datasets: access and portability (:mod:`.locate`), erasure and
rectification (:mod:`.erase`), objection (:mod:`.exclusion`) and retention (:mod:`.retention`).
Rows are removed through one crash-safe journal (:mod:`.rewrite`)."""

from .subjects import RightsError, Subject, subjects

__all__ = ["RightsError", "Subject", "subjects"]
