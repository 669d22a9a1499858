"""pii-pipeline: find personal data in Dutch healthcare files and publish anonymised datasets."""

__version__ = "0.1.0"
