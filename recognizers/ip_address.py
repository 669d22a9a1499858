"""IP_ADDRESS: IPv4 and IPv6 addresses (scanner and workstation addresses in exports).

Validated with :mod:`ipaddress`; version strings such as ``1.2.3`` have too few
parts and dates too few too.

>>> r = IpAddressRecognizer()
>>> [(x.start, x.end) for x in r.analyze("scanner 192.168.10.25 en fe80::1ff:fe23:4567:890a", ["IP_ADDRESS"])]
[(8, 21), (25, 49)]
>>> r.analyze("versie 300.1.2.3", ["IP_ADDRESS"])
[]
"""

from __future__ import annotations

import ipaddress
from typing import Optional

from presidio_analyzer import Pattern

from .base import DutchPatternRecognizer

# (Each starts with one character matched before its look-behind: the engines then skip to a
# candidate at C speed instead of trying the look-behind at every position.)
_IPV4 = r"\d(?<![\w.]\d)\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?![\w]|\.\d)"
# Full and compressed IPv6 forms; ipaddress decides what is valid.
_IPV6 = (r"[0-9A-Fa-f](?<![\w:][0-9A-Fa-f])[0-9A-Fa-f]{0,3}:(?:[0-9A-Fa-f]{1,4}:){0,6}(?::|(?::[0-9A-Fa-f]{1,4}){1,7}|[0-9A-Fa-f]{1,4})(?![\w:])"
         r"|:(?<![\w:]:):(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4}(?![\w:])")


class IpAddressRecognizer(DutchPatternRecognizer):
    ENTITY = "IP_ADDRESS"
    PATTERNS = [Pattern("ipv4", _IPV4, 0.7), Pattern("ipv6", _IPV6, 0.7)]
    RE_PATTERNS = frozenset({"ipv6"})
    CONTEXT = [r"ip", r"ip-?adres", r"address", r"host", r"scanner", r"werkstation", r"client"]
    # "Releaseversie portaal: 10.2.45.118": a version number, also in a compound ("softwareversie")
    NEGATIVE_CONTEXT = [r"[a-z]*versie", r"version", r"v\d", r"release", r"build\b", r"firmware"]

    def score(self, text, start, end, pattern):
        if pattern.name == "ipv6":
            # a version number has no colons: the version words nearby ("agent=Mozilla/5.0 build 10.0") are not its own
            return self.CONTEXT_SCORE if self.context_rule.classify(text, start, end) == "positive" else pattern.score
        return super().score(text, start, end, pattern)

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        try:
            address = ipaddress.ip_address(pattern_text)
        except ValueError:
            return False
        # "1.2.3.4"-like version numbers: IPv6 needs at least two groups with a colon.
        return not (address.version == 6 and pattern_text.count(":") < 2)
