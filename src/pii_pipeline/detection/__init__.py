"""Detection: the Dutch Presidio analyzer, built once per process, and its findings."""

from .engine import Detector, Finding, get_detector

__all__ = ["Detector", "Finding", "get_detector"]
