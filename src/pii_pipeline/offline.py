"""Keep every run off the network.

Nothing this tool does needs the network, but two libraries try by default:
``tldextract`` (used by Presidio's e-mail and URL recognizers) fetches the
public suffix list on first use, and spaCy downloads a model it cannot find.
:func:`ensure_offline` points ``tldextract`` at its bundled snapshot; spaCy
models are only ever loaded from disk (see ``detection.nlp``).
"""

from __future__ import annotations

import os

_DONE = False


def ensure_offline() -> None:
    global _DONE
    if _DONE:
        return
    import tldextract.tldextract as tld

    from recognizers.email import offline_tld_extractor

    # Presidio calls the module-level tldextract.extract(): make it the offline one.
    tld.TLD_EXTRACTOR = offline_tld_extractor()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    _DONE = True
