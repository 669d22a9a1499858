"""The pseudonymisation key: where it comes from, how strong it is, and ``key init``.

Where the key is read, first found wins:

1. an explicit Prefect Secret block (``--key-secret NAME``): the user named it;
2. ``PII_PIPELINE_KEY`` (the key itself);
3. ``PII_PIPELINE_KEY_FILE`` (a file holding it);
4. the default key file, ``$XDG_CONFIG_HOME/pii-pipeline/key`` (``~/.config/pii-pipeline/key``),
   written by ``pii-pipeline key init``.

A key file must be owner-only (no group or other permission bits): one that
others can read is refused, as ssh refuses a readable private key, because a
leaked key lets anyone who holds the published data confirm a guessed BSN.

A key must carry at least :data:`MIN_KEY_BITS` bits of estimated entropy
(:func:`estimate_bits`), so ``' ' * 32``, ``'a' * 32``, a repeated pattern or a
few dictionary words are refused, and ``secrets.token_hex(32)`` (256 bits) is
accepted.  No message ever contains the key.

>>> estimate_bits("a" * 32) < 16, estimate_bits(" " * 32) < 16
(True, True)
>>> import secrets; estimate_bits(secrets.token_hex(32)) > 200
True
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
import secrets
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional

KEY_ENV = "PII_PIPELINE_KEY"
KEY_FILE_ENV = "PII_PIPELINE_KEY_FILE"
MIN_KEY_BITS = 128
MIN_KEY_LENGTH = 32       # bytes; the HMAC key is never shorter, whatever the estimate says
_ESTIMATE_CHARS = 256     # only the first 256 characters are estimated (a lower bound; keeps it fast)
_GENERATE_HINT = "run `pii-pipeline key init` to make one"


class MissingKey(Exception):
    """No usable pseudonymisation key.  The message never contains the key."""


@dataclass(frozen=True)
class LoadedKey:
    key: bytes
    source: str               # "PII_PIPELINE_KEY", "key file /path", "Prefect Secret 'name'"


def default_key_path(environ: Optional[Mapping[str, str]] = None) -> Path:
    """``$XDG_CONFIG_HOME/pii-pipeline/key``, else ``~/.config/pii-pipeline/key``."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CONFIG_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".config")
    return Path(base) / "pii-pipeline" / "key"


def key_id(key: bytes) -> str:
    """A public fingerprint of the key (recorded with the output; reveals nothing about the key).

    >>> key_id(b"k" * 32)[:3]
    'k1-'
    """
    return "k1-" + hmac.new(key, b"pii-pipeline/key-id", hashlib.sha256).hexdigest()[:12]


# --- entropy estimate -------------------------------------------------------------------------

_CLASSES = (("0123456789", 10), ("abcdefghijklmnopqrstuvwxyz", 26), ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26))


def _alphabet(text: str) -> int:
    """How many symbols a brute-force guesser of this key must try per character.

    Hex keys count 16; otherwise the sum of the classes present: digits 10, lower 26, upper 26,
    ASCII punctuation and space 33, anything else 100.
    """
    if all(c in "0123456789abcdef" for c in text) or all(c in "0123456789ABCDEF" for c in text):
        return 16
    size = sum(n for chars, n in _CLASSES if any(c in chars for c in text))
    if any(c.isascii() and not c.isalnum() for c in text):
        size += 33
    if any(not c.isascii() for c in text):
        size += 100
    return max(size, 2)


@lru_cache(maxsize=1)
def _words() -> frozenset:
    """Common Dutch and English words (wordfreq, bundled): the dictionary a guesser tries first."""
    try:
        from wordfreq import top_n_list
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return frozenset()
    return frozenset(w for lang in ("nl", "en") for w in top_n_list(lang, 50_000) if len(w) >= 3 and w.isalpha())


_WORD_BITS = math.log2(100_000)   # one word of the two 50,000-word lists
_MAX_WORD = 20


def _word_savings_bound(text: str) -> float:
    """At most how many bits the dictionary words can take off :func:`estimate_bits` without them.

    A word (all letters, cost ``_WORD_BITS + 1``) replaces characters of one run of letters; spelling
    those characters out instead costs ``char_bits`` each, so per run of L letters the words save at
    most ``L * char_bits - (_WORD_BITS + 1)``.  When the estimate without words minus this bound is
    already enough, the word lists (wordfreq, slow to load) are not needed.

    >>> _word_savings_bound("0123456789" * 4)
    0.0
    """
    text = text[:_ESTIMATE_CHARS]
    char_bits = math.log2(_alphabet(text))
    runs = re.findall(r"[^\W\d_]{3,}", text.lower()[:len(text)])
    return float(sum(max(0.0, len(run) * char_bits - (_WORD_BITS + 1)) for run in runs))


def estimate_bits(text: str, words: Optional[frozenset] = None) -> float:
    """A conservative estimate of the key's entropy in bits: the cheapest way to describe it.

    The key is split (by dynamic programming) into the cheapest sequence of pieces:

    * a character: log2(alphabet) bits (see :func:`_alphabet`);
    * a repeat of 3 or more characters that occurred before (overlap allowed, so ``aaaa`` is
      ``a`` + a repeat): log2(position) + log2(length) bits, what pointing back costs;
    * a run of 3 or more characters in steady steps (``abcd``, ``1234``, ``9753``):
      log2(alphabet) + log2(length) + 2 bits;
    * a common Dutch or English word of 3 or more letters (any case):
      log2(100,000) + 1 bits.

    The sum is the estimate (zxcvbn's idea, simplified).  It can only under-count a random key
    slightly (a chance repeat or word), never over-count a patterned one by much.

    >>> round(estimate_bits("abcabcabcabcabcabcabcabcabcabcab"))
    14
    >>> estimate_bits("correct horse battery staple") < 128
    True
    """
    text = text[:_ESTIMATE_CHARS]
    n = len(text)
    if n == 0:
        return 0.0
    char_bits = math.log2(_alphabet(text))
    words = _words() if words is None else words
    lower = text.lower()
    best = [0.0] + [math.inf] * n
    for i in range(n):
        here = best[i]
        if here + char_bits < best[i + 1]:
            best[i + 1] = here + char_bits
        # repeats: the longest earlier occurrence of text[i:i+L] (overlapping allowed)
        length = 3
        while i > 0 and i + length <= n and text.find(text[i:i + length], 0, i + length - 1) != -1:
            cost = here + math.log2(i + 1) + math.log2(length)
            if cost < best[i + length]:
                best[i + length] = cost
            length += 1
        # steady steps
        if i + 2 < n:
            step = ord(text[i + 1]) - ord(text[i])
            if step != 0 and abs(step) <= 3:
                end = i + 2
                while end < n and ord(text[end]) - ord(text[end - 1]) == step:
                    end += 1
                for stop in range(i + 3, end + 1):
                    cost = here + char_bits + math.log2(stop - i) + 2
                    if cost < best[stop]:
                        best[stop] = cost
        # dictionary words
        for stop in range(i + 3, min(n, i + _MAX_WORD) + 1):
            if lower[i:stop] in words:
                cost = here + _WORD_BITS + 1
                if cost < best[stop]:
                    best[stop] = cost
    return best[n]


def check_key(key: bytes, source: str = "the key") -> bytes:
    """Refuse a key shorter than 32 bytes or with less than 128 bits of estimated entropy."""
    if len(key) < MIN_KEY_LENGTH:
        raise MissingKey(f"{source}: the pseudonymisation key is too short ({len(key)} bytes; at least "
                         f"{MIN_KEY_LENGTH} needed); {_GENERATE_HINT}")
    text = key.decode("utf-8", errors="replace")
    if estimate_bits(text, words=frozenset()) - _word_savings_bound(text) >= MIN_KEY_BITS:
        return key  # strong even if every run of letters were a dictionary word
    bits = estimate_bits(text)
    if bits < MIN_KEY_BITS:
        raise MissingKey(f"{source}: the pseudonymisation key is too weak (about {bits:.0f} bits of entropy, at "
                         f"least {MIN_KEY_BITS} needed: repeated, sequential or dictionary-like); {_GENERATE_HINT}")
    return key


# --- reading ----------------------------------------------------------------------------------

def read_key_file(path: Path | str) -> bytes:
    """The key in a file (one line; surrounding white space ignored).  Refuses a file others can read."""
    path = Path(path).expanduser()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise MissingKey(f"{path}: no such key file; {_GENERATE_HINT}") from None
    except OSError as exc:
        raise MissingKey(f"{path}: cannot read the key file ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise MissingKey(f"{path}: not a regular file")
    if os.name == "posix" and mode & 0o077:
        raise MissingKey(f"{path}: the key file can be read by others (mode {stat.S_IMODE(mode):o}); "
                         f"make it owner-only: chmod 600 {path}")
    try:
        data = path.read_bytes()[:4096]
    except OSError as exc:
        raise MissingKey(f"{path}: cannot read the key file ({exc.strerror})") from None
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise MissingKey(f"{path}: the key file is not UTF-8 text") from None
    if not text:
        raise MissingKey(f"{path}: the key file is empty; {_GENERATE_HINT}")
    if "\n" in text:
        raise MissingKey(f"{path}: the key file must hold one line (the key)")
    return check_key(text.encode("utf-8"), str(path))


def _secret_key(name: str) -> bytes:
    """The key from a Prefect Secret block; a missing block is a one-line error, not a traceback."""
    from .prefect_env import configure_prefect_environment

    configure_prefect_environment()  # telemetry off, our PREFECT_HOME: before prefect is imported
    try:
        from prefect.blocks.system import Secret

        value = Secret.load(name).get()
    except ValueError:
        raise MissingKey(f"Prefect Secret '{name}': no such block (create it with "
                         f"Secret(value=...).save('{name}'), or use {KEY_ENV} / a key file)") from None
    except Exception as exc:  # the server unreachable, a block of another type, ...
        raise MissingKey(f"Prefect Secret '{name}': cannot be loaded ({type(exc).__name__})") from None
    return check_key(str(value).encode("utf-8"), f"Prefect Secret '{name}'")


def load_key_with_source(secret: Optional[str] = None, environ: Optional[Mapping[str, str]] = None) -> LoadedKey:
    """The key and where it came from, in the order of the module docstring."""
    global _FROM_SECRET
    environ = os.environ if environ is None else environ
    if secret:
        _FROM_SECRET = _secret_key(secret)
        return LoadedKey(_FROM_SECRET, f"Prefect Secret '{secret}'")
    value = environ.get(KEY_ENV, "")
    if value:
        return LoadedKey(check_key(value.encode("utf-8"), KEY_ENV), KEY_ENV)
    if environ.get(KEY_FILE_ENV):
        path = Path(environ[KEY_FILE_ENV]).expanduser()
        return LoadedKey(read_key_file(path), f"key file {path}")
    default = default_key_path(environ)
    if default.exists():
        return LoadedKey(read_key_file(default), f"key file {default}")
    raise MissingKey(f"no pseudonymisation key: {_GENERATE_HINT} (writes {default}), or set {KEY_ENV}, "
                     f"{KEY_FILE_ENV} or --key-secret")


_FROM_SECRET: Optional[bytes] = None   # the last key this process read from a Prefect Secret


def key_from_secret() -> Optional[bytes]:
    """The key this process last read from a Prefect Secret (``--key-secret``), if any: what name
    references are keyed with when no key is in the environment or a key file."""
    return _FROM_SECRET


def load_key(environ: Optional[Mapping[str, str]] = None, secret: Optional[str] = None) -> bytes:
    return load_key_with_source(secret, environ).key


# --- writing ----------------------------------------------------------------------------------

def init_key(path: Optional[Path | str] = None, force: bool = False) -> Path:
    """Write a new random key (``secrets.token_hex(32)``, 256 bits) to an owner-only file.

    The folder is created owner-only when new; an existing key file is never replaced unless
    ``force`` (a lost key means pseudonyms that no longer link).
    """
    path = Path(path).expanduser() if path is not None else default_key_path()
    if path.exists() and not force:
        raise MissingKey(f"{path}: a key file exists already (replacing it breaks linkage with data published "
                         "under it); use --force to replace it")
    if path.is_dir():
        raise MissingKey(f"{path}: is a folder; give a file name")
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, (secrets.token_hex(32) + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        raise MissingKey(f"{path}: cannot write the key file ({exc.strerror})") from None
    return path
