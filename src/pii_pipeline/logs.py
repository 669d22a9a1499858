"""One logging setup for the whole package, with raw values kept out of every record.

Our own code logs counts, types, file names and row numbers, never a value.
Third-party libraries are not so careful (Presidio logs candidate text in its
decision process and in some recognizers), so every record that reaches a
handler installed here passes :class:`RedactingFilter`:

* records from Presidio and spaCy below WARNING are dropped;
* in every message and traceback, runs of digits, e-mail addresses,
  IBAN-like and postcode-like strings and quoted strings are replaced by a tag.

>>> scrub("Failed to validate NL91ABNA0417164300 for 'Jansen' (BSN 123.456.782)")
'Failed to validate <IBAN> for <QUOTED> (BSN <NUMBER>)'
>>> scrub("row 1234 of 5000 rows"), scrub("row 1234", third_party=True)
('row 1234 of 5000 rows', 'row <NUMBER>')
"""

from __future__ import annotations

import logging
import re
import sys

_PATTERNS = [
    (re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"), "<EMAIL>"),
    (re.compile(r"\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?\b"), "<IBAN>"),
    (re.compile(r"(?:'[^'\n]{1,200}'|\"[^\"\n]{1,200}\")"), "<QUOTED>"),
    (re.compile(r"\b[1-9]\d{3} ?[A-Z]{2}\b"), "<POSTCODE>"),
    # Identifiers, phone numbers and dates: 8 or more digits, separators allowed.
    (re.compile(r"\+?\d(?:[ .\-/()]?\d){7,}"), "<NUMBER>"),
]
# Other libraries get no benefit of the doubt: any number of 4+ digits goes.
_THIRD_PARTY_PATTERNS = _PATTERNS + [(re.compile(r"\d(?:[ .\-/]?\d){3,}"), "<NUMBER>")]
NOISY_LIBRARIES = ("presidio-analyzer", "presidio-anonymizer", "presidio_analyzer", "spacy", "tldextract", "filelock")


def scrub(message: str, third_party: bool = False) -> str:
    """Replace value-like substrings by a type tag.

    Our own messages keep row numbers and counts (fewer than 8 digits);
    messages from other libraries lose every number of 4 digits or more.
    """
    for pattern, tag in _THIRD_PARTY_PATTERNS if third_party else _PATTERNS:
        message = pattern.sub(tag, message)
    return message


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(NOISY_LIBRARIES) and record.levelno < logging.WARNING:
            return False
        if getattr(record, "_pii_scrubbed", False):
            return True
        third_party = not record.name.startswith("pii_pipeline")
        record.msg = scrub(record.getMessage(), third_party)
        record.args = ()
        if record.exc_info:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info), third_party)
            record.exc_info = None
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, third_party)
        record._pii_scrubbed = True
        return True


def configure_logging(level: int = logging.WARNING) -> None:
    """Install one stderr handler with the redacting filter (idempotent)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if any(isinstance(f, RedactingFilter) for f in handler.filters):
            root.setLevel(level)
            return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    quiet_noisy_libraries()


def quiet_noisy_libraries() -> None:
    """Presidio installs its own DEBUG handler: route its records through ours, WARNING and up."""
    for name in NOISY_LIBRARIES:
        logger = logging.getLogger(name)
        logger.setLevel(logging.WARNING)
        logger.handlers.clear()
        logger.propagate = True


def add_redaction(handler: logging.Handler) -> None:
    """Give a handler someone else created (e.g. Prefect's) the same filter."""
    if not any(isinstance(f, RedactingFilter) for f in handler.filters):
        handler.addFilter(RedactingFilter())
