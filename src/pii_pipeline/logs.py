"""One logging setup for the whole package, with raw values kept out of every record.

Our own code logs counts, types, labels and row numbers, never a value; file
and column names are shown only when the value sweep finds them clean (else
by a hash), so the filter need not guess at them.  Third-party libraries are
not so careful (Presidio logs candidate text, openpyxl and pandas quote cell
values in their exceptions), so every record that reaches a handler -- our
stderr handler, Prefect's console handler and Prefect's API handler, which
stores records in Prefect's database -- passes :class:`RedactingFilter`:

* records from Presidio and spaCy below WARNING are dropped;
* in every message and traceback, what the value sweep recognises (BSNs,
  IBANs, phone numbers, e-mail addresses, postcodes with a house number,
  document numbers) is replaced by its type, as are IBAN- and postcode-shaped
  strings and quoted strings that are not clean names;
* messages of other libraries also lose every number of 4 or more digits
  (loopback URLs excepted: ``http://127.0.0.1:4200`` is not personal).

>>> scrub("Failed to validate NL91ABNA0417164300 for 'Jansen' (BSN 123.456.782)")
'Failed to validate <IBAN_CODE> for <QUOTED> (BSN <NL_BSN>)'
>>> scrub("file claims_20261001.csv, key id k1-812855e9a3eb, column 'bedrag': 12345 rows")
"file claims_20261001.csv, key id k1-812855e9a3eb, column 'bedrag': 12345 rows"
>>> scrub("row 1234", third_party=True), scrub("server at http://127.0.0.1:8443/api", third_party=True)
('row <NUMBER>', 'server at http://127.0.0.1:8443/api')
"""

from __future__ import annotations

import logging
import re
import sys

_SHAPES = [
    (re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"), "<EMAIL>"),
    # IBAN-shaped even when the checksum fails (Presidio logs the ones it rejects).
    (re.compile(r"\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?\b"), "<IBAN>"),
    (re.compile(r"\b[1-9]\d{3} ?[A-Z]{2}\b"), "<POSTCODE>"),
]
_QUOTED = re.compile(r"'([^'\n]{1,200})'|\"([^\"\n]{1,200})\"")
_LOOPBACK = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?(?:/[^\s'\"]*)?")
_DIGITS = re.compile(r"\d(?:[ .\-/]?\d){3,}")
NOISY_LIBRARIES = ("presidio-analyzer", "presidio-anonymizer", "presidio_analyzer", "spacy", "tldextract", "filelock")


def _sweep(message: str) -> str:
    from .masking.sweep import find

    out, last = [], 0
    for f in find(message):
        out += [message[last:f.start], f"<{f.entity}>"]
        last = f.end
    return "".join(out) + message[last:]


def _quoted(match: re.Match, third_party: bool) -> str:
    from .masking.sweep import name_is_clean

    inner = match.group(1) if match.group(1) is not None else match.group(2)
    return match.group() if not third_party and name_is_clean(inner) else "<QUOTED>"


def scrub(message: str, third_party: bool = False) -> str:
    """Replace value-like substrings by a type tag (see the module docstring)."""
    message = _sweep(message)
    for pattern, tag in _SHAPES:
        message = pattern.sub(tag, message)
    message = _QUOTED.sub(lambda m: _quoted(m, third_party), message)
    if third_party:
        kept: list = []
        message = _LOOPBACK.sub(lambda m: kept.append(m.group()) or f"\x00{len(kept) - 1}\x00", message)
        message = _DIGITS.sub("<NUMBER>", message)
        message = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], message)
    return message


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(NOISY_LIBRARIES) and record.levelno < logging.WARNING:
            return False
        if getattr(record, "_pii_scrubbed", False):
            return True
        # Our flows log through Prefect's run logger, marked with extra={"pii_pipeline": True}.
        third_party = not (record.name.startswith("pii_pipeline") or getattr(record, "pii_pipeline", False))
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


def secure_all_handlers() -> int:
    """Add the filter to every handler installed so far (root and named loggers); returns how many."""
    handlers = list(logging.getLogger().handlers)
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            handlers.extend(logger.handlers)
    for handler in handlers:
        add_redaction(handler)
    return len(handlers)


def redact_prefect_logs() -> None:
    """Every record Prefect stores in its database passes the filter, whichever handler instance sends it.

    Prefect creates its API log handler from its logging config, possibly more than once (Dask
    workers set logging up on their own), so the class itself is patched, then every existing handler.
    """
    from prefect.logging.handlers import APILogHandler

    if not getattr(APILogHandler, "_pii_redacting", False):
        original = APILogHandler.handle

        def handle(self, record):
            add_redaction(self)
            return original(self, record)

        APILogHandler.handle = handle
        APILogHandler._pii_redacting = True
    secure_all_handlers()
