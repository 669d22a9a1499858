"""EMAIL_ADDRESS: e-mail addresses, validated against the public suffix list offline.

Presidio's e-mail recognizer validates the domain with ``tldextract``, which
downloads the public suffix list on first use; this one uses the snapshot
that ships inside ``tldextract`` and never reaches the network.

>>> r = EmailRecognizer()
>>> [(x.start, x.end) for x in r.analyze("mail: j.devries@zorg-voorbeeld.nl.", ["EMAIL_ADDRESS"])]
[(6, 33)]
>>> r.analyze("jan@localhost", ["EMAIL_ADDRESS"])
[]
>>> [(x.start, x.end) for x in r.analyze("login ok user=j.devos@quicknet.nl ip=10.0.0.1", ["EMAIL_ADDRESS"])]
[(14, 33)]
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

import tldextract
from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer


@lru_cache(maxsize=1)
def offline_tld_extractor() -> tldextract.TLDExtract:
    """A TLDExtract that reads only its bundled suffix list: no download, no cache file."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


class EmailRecognizer(DutchPatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = [
        Pattern(
            "email",
            # (?!key=): in a log line (user=j.devos@quicknet.nl, to=...) the key is no part of the address
            r"(?<![\w.%+\-])(?![A-Za-z_][A-Za-z0-9_]*=)[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+)*"
            r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w\-])",
            1.0,
        )
    ]
    CONTEXT = [r"e-?mail", r"mail"]

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_language)
        # tldextract builds its suffix trie (~16,000 entries, ~0.2 s) on its first call: here,
        # with the engine, not inside the first note that holds an e-mail address.
        offline_tld_extractor()("example.nl")

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        return has_public_suffix(pattern_text.rsplit("@", 1)[1])

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for r in results:
            r.start = _address_start(text, r.start, r.end)
        return results


def _address_start(text: str, start: int, end: int) -> int:
    """Where the address begins in a match whose local part a URL or a quote runs into: the local part
    may hold ``/ ? = &`` and a quote, but in a URL's path or query (``/api/contact?email=roel@…``) the address
    starts after the last of them, and a quote that opens it is a string's (``SET email = 'b.smid@…'``).

    >>> t = "GET /api/contact?email=roel@hotmail.com"
    >>> t[_address_start(t, 4, len(t)):]
    'roel@hotmail.com'
    >>> t = "SET email = 'b.smid@kpnplanet.nl'"
    >>> t[_address_start(t, 12, 32):32]
    'b.smid@kpnplanet.nl'
    """
    at = text.rfind("@", start, end)
    query = max(text.rfind(c, start, at) for c in "/?&")
    if query >= 0:  # (an "=" alone is part of an address: a forwarder's "SRS0=Ab1=TT=example.com=piet@…")
        start = max(query, text.rfind("=", query, at)) + 1
    while start < at - 1 and text[start] in "'`":
        start += 1
    return start


# Top-level names reserved for tests and private networks (RFC 2606, RFC 6761, ICANN's .internal) and
# the ones companies' own mail servers use (Active Directory's .local, .lan, .corp): no public suffix,
# and still a person's address ("j.devries@zorggroep.local", "noreply@portaal.example").
PRIVATE_TLDS = frozenset({"example", "test", "invalid", "localhost", "local", "internal", "lan", "corp", "home", "intranet"})


@lru_cache(maxsize=4096)
def has_public_suffix(domain: str) -> bool:
    """True when ``domain`` ends in a public suffix or a reserved or private top-level name
    (cached: a file repeats its few domains).

    >>> has_public_suffix("tandarts.nl"), has_public_suffix("portaal.example"), has_public_suffix("foo.bar123")
    (True, True, False)
    """
    if "." in domain and domain.rsplit(".", 1)[1].lower() in PRIVATE_TLDS:
        return True
    return bool(offline_tld_extractor()(domain).suffix)
