"""Replacement policies: what a detected value becomes. Deterministic: a replacement is a pure
function of (label, value, key).

Policies:
- "placeholder": `<EMAIL>`, `<KEY>`, `<PASSWORD>`, `<NAME>`, `<USERNAME>` (and `<IP_ADDRESS>`);
- "ip-swap" (IP_ADDRESS only, the default): a synthetic address of the same version, from the
  private ranges 10.0.0.0/8 and fd00::/8, so the redacted text still parses as code and a second
  pass leaves it alone (private addresses are never redacted);
- "hash": a keyed pseudonym such as `<NAME_5f0c2a91>`: the same value gets the same pseudonym,
  so code that compares two names still reads consistently;
- "keep": leave the value (report the span only).

Keys. With a user key (at least `MIN_KEY_BYTES`), replacements are a function of (label, value,
key): consistent across documents and jobs, and as hard to reverse as the key is to guess.
Without one, each document gets its own key, derived from the document AND a random secret
(`new_secret`, one per Redactor or per batch job): the same value maps to the same replacement
within a document, nothing is comparable across documents or jobs, and a reader of the output
cannot test guesses (a key derived from the text alone could be rebuilt from the redacted text and
the offsets, and a low-entropy value brute-forced).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Mapping

from .labels import LABEL_TABLE, Label

POLICIES = ("placeholder", "ip-swap", "hash", "keep")
PLACEHOLDERS: dict[Label, str] = {label: spec.placeholder for label, spec in LABEL_TABLE.items()}
DEFAULT_POLICY: dict[Label, str] = {label: spec.policy for label, spec in LABEL_TABLE.items()}


def resolve_policy(policy: Mapping[Label | str, str] | None) -> dict[Label, str]:
    """The default policy updated with the user's per-label choices (validated)."""
    resolved = dict(DEFAULT_POLICY)
    for label, choice in (policy or {}).items():
        label = Label.parse(label)
        if choice not in POLICIES:
            raise ValueError(f"unknown policy {choice!r} for {label}; choose one of {', '.join(POLICIES)}")
        if choice == "ip-swap" and label != Label.IP_ADDRESS:
            raise ValueError(f"'ip-swap' only applies to IP_ADDRESS, not {label}")
        resolved[label] = choice
    return resolved


MIN_KEY_BYTES = 16
KEYGEN_HINT = ("make one with `starpii keygen KEYFILE` (or: python -c \"import secrets; "
               "print(secrets.token_hex(32))\" > KEYFILE; chmod 600 KEYFILE)")


def check_key(key: bytes | None, where: str = "the key") -> bytes | None:
    """`key` if it is long enough to keep hashes private; a ValueError naming the fix if not."""
    if key is not None and len(key) < MIN_KEY_BYTES:
        raise ValueError(f"{where} has {len(key)} bytes; a key needs at least {MIN_KEY_BYTES} bytes of "
                         f"random data, or every hash can be guessed: {KEYGEN_HINT}")
    return key


def new_secret() -> bytes:
    """A random secret for keys derived per document (never written into any output)."""
    return secrets.token_bytes(32)


def document_key(text: str, secret: bytes) -> bytes:
    """The key of one document when there is no user key: a function of the text and `secret`."""
    return hmac.new(secret, b"starpii-doc\0" + text.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()


def keyed_digest(label: Label, value: str, key: bytes) -> bytes:
    message = label.value.encode() + b"\0" + value.encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).digest()


def value_hash(label: Label, value: str, key: bytes) -> str:
    """A keyed hash to reference a found value in outputs without revealing it."""
    return keyed_digest(label, value, key).hex()[:16]


def synthetic_ip(value: str, key: bytes) -> str:
    """A private address of the same IP version, stable for (value, key)."""
    digest = keyed_digest(Label.IP_ADDRESS, value.lower(), key)
    try:
        version = ipaddress.ip_address(value.split("%", 1)[0]).version
    except ValueError:
        version = 6 if ":" in value else 4
    if version == 4:
        # 10.x.y.z with z in 1..254: never a network or broadcast address.
        return f"10.{digest[0]}.{digest[1]}.{1 + digest[2] % 254}"
    groups = [int.from_bytes(digest[i : i + 2], "big") for i in range(0, 14, 2)]
    return str(ipaddress.IPv6Address((0xFD00 << 112) | sum(g << (16 * (6 - k)) for k, g in enumerate(groups))))


def replacement(label: Label, value: str, policy: str, key: bytes) -> str:
    if policy == "placeholder":
        return PLACEHOLDERS[label]
    if policy == "keep":
        return value
    if policy == "hash":
        return f"<{label.value}_{value_hash(label, value, key)[:8]}>"
    if policy == "ip-swap":
        return synthetic_ip(value, key)
    raise ValueError(f"unknown policy {policy!r}")
