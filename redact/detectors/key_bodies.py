"""KEY: key material under a key's name that one literal of `secret-assignment` does not hold:

- a literal longer than its 300 characters (`privKeyHex = "9501fe...<1000 hex digits>"`), read
  whole to its closing quote (at most 16 KB) instead of being dropped;
- a key body split over several string literals, one per line, joined by concatenation (`"..." +`
  in Go/Java/JS, Python's implicit `"..."\\n"..."`, PHP's `.`, a line continuation `\\`): one span
  from the first piece's first character to the last piece's last, as the guidelines label a
  private-key body.

The name must be a clear secret's (`secret_name_strength` 2: a private, signing, session or API
key, a secret, an access token) and the joined body what that name asks for (`plausible_secret`),
or the body a vendor token's format (a PyPI token split over lines). Certificates,
public keys and signatures stay unlabelled: their names (`public_key`, `cert`, `signature`) are
not secrets' names, and a DER body that opens with two SEQUENCEs (a certificate, a public key)
is dropped whatever its name.

And whatever the name (`split-token`): a PyPI token or a JWT split over literals the same way,
when the joined pieces are one token of its vendor's format.
"""

from __future__ import annotations

import binascii
import re
from base64 import b64decode

from redact.filters import identifier_words, is_public_key
from redact.spans import Label

from .anchored import AnchoredDetector
from .assignment import AssignmentDetector, name_before
from .registry import register
from .secret_names import plausible_secret, secret_name_strength
from .tokens import VENDOR_TOKENS

# One piece of a body: key characters only (base64, base64url, hex), so prose, PEM armour lines
# and format strings never start one.
_PIECE = r"[A-Za-z0-9+/_\-]{1,16384}={0,2}"
# Between two pieces: the closing quote, a concatenation operator or a continuation, a line
# break (a split body has one piece per line), an operator leading the next line, the next quote.
_JOIN = r"""["'`][ \t]{0,4}(?:[+.&]|\\)?[ \t]{0,4}\r?\n[ \t]{0,80}(?:[+.&][ \t]{0,4})?[bBuU]?["'`]"""
_JOIN_RE = re.compile(_JOIN)
_LONG = 300  # what secret-assignment's literal holds; a single literal up to it is its
_MIN_BODY = 48  # joined characters of a split body: shorter pieces are ids and words
# Names of public or derived material that contain a key's word.
_NOT_SECRET_WORDS = frozenset({"public", "pub", "cert", "certificate", "signature", "sig", "signed", "hash", "digest",
                               "fingerprint", "checksum", "encrypted", "ciphertext", "iv", "nonce", "salt"})
# Vendor token formats (tokens.py), which a split body may join into ...
_VENDOR_RES = tuple(re.compile(p) for row in VENDOR_TOKENS for p in row.patterns)
# ... and those of the tokens long enough to be written over several lines (a PyPI macaroon, a JWT).
_SPLIT_RES = tuple(re.compile(p) for row in VENDOR_TOKENS if row.name in ("pypi-token", "jwt") for p in row.patterns)


def _vendor_format(body: str, formats: tuple[re.Pattern[str], ...] = _VENDOR_RES) -> bool:
    """The joined body is one vendor token whole (a PyPI token or a JWT split over lines)."""
    return any((m := r.match(body)) is not None and m.span("value") == (0, len(body)) for r in formats)


def _public_der(body: str) -> bool:
    """DER that opens with SEQUENCE, SEQUENCE (a certificate, a SubjectPublicKeyInfo, a CSR),
    base64- or hex-encoded; private keys open with SEQUENCE, INTEGER."""
    try:
        head = bytes.fromhex(body[:16]) if re.fullmatch(r"[0-9a-fA-F]{16,}", body) else b64decode(body[:16])
    except (binascii.Error, ValueError):
        return False
    if len(head) < 5 or head[0] != 0x30:
        return False
    skip = 2 + (head[1] & 0x7F if head[1] & 0x80 else 0)
    return len(head) > skip and head[skip] == 0x30


@register
class KeyBodyDetector(AssignmentDetector):
    """`privKeyHex = "<300+ key characters>"`, `private_key = (\\n "<piece>"\\n "<piece>")`,
    `signingKey: "<piece>" +\\n "<piece>"` (see the module's docstring)."""

    name = "key-body"
    label = Label.KEY
    score = 0.85
    anchors = ("secret", "token", "key", "credential")
    # A literal of 300 key characters after a key's name, or a piece of 8+ joined to a second piece.
    triggers = (
        r"(?:secret|token|key|credential)[\w.\-]{0,40}[\"'`\]]{0,2}[ \t]{0,4}(?:=>|:=|=|:)[ \t]{0,4}[bBuU]?[\"'`]"
        r"[A-Za-z0-9+/_\-]{300}",
        r"(?:secret|token|key|credential)[\w.\-]{0,40}[\"'`\]]{0,2}[ \t]{0,4}(?:=>|:=|=|:)[ \t]{0,4}\(?[ \t]{0,4}\r?\n?"
        r"[ \t]{0,80}[bBuU]?[\"'`][A-Za-z0-9+/_\-]{8,300}={0,2}[\"'`][ \t]{0,4}(?:[+.&]|\\)?[ \t]{0,4}\r?\n"
        r"[ \t]{0,80}(?:[+.&][ \t]{0,4})?[bBuU]?[\"'`][A-Za-z0-9+/_\-]",
    )
    context = (2, 0)  # a hit ends a line or two below the name; the pieces are in the margin
    lookahead = 16500
    patterns = (
        re.compile(r"""(?i)(?P<name>(?:secret|token|key|credential)[\w.\-]{0,40})(?:["'`\]]{1,2})?[ \t]{0,4}"""
                   r"""(?P<sep>=>|:=|=(?![=~])|:(?!:))[ \t]{0,4}(?:\([ \t]{0,4})?(?:\r?\n[ \t]{0,80})?"""
                   rf"""[bBuU]?(?P<q>["'`])(?P<value>{_PIECE}(?:{_JOIN}{_PIECE}){{0,1000}})["'`]"""),
    )

    def judge(self, text, match, start, end):
        name = text[name_before(text, match.start("name")) : match.end("name")]
        if _NOT_SECRET_WORDS.intersection(identifier_words(name)):
            return None
        pieces = _JOIN_RE.split(text[start:end])
        body = "".join(pieces)
        if len(pieces) == 1 and len(body) <= _LONG or len(body) < _MIN_BODY:
            return None  # one short literal: secret-assignment's to judge
        if is_public_key(body) or _public_der(body):
            return None
        if _vendor_format(body):
            return start, end
        # A clear secret's name only: under a bare `token` name a long value is as often a
        # pagination, grant or work-unit token (AWS docs' outputs run to kilobytes).
        strength = secret_name_strength(name)
        return (start, end) if strength >= 2 and plausible_secret(body, strength, name) else None


_SPLIT_PREFIXES = ("pypi-Ag", "eyJ")  # the first piece of a `_SPLIT_RES` token


@register
class SplitTokenDetector(AnchoredDetector):
    """A vendor token split over concatenated literals, one a line, under any name or none:
    `password = ("pypi-AgEI..."\n "...")`, `ID_TOKEN = (b"eyJhbGciOi..."\n b"...")`. The pieces
    joined must be one token of its vendor's format (tokens.py), from the first piece to the last."""

    name = "split-token"
    label = Label.KEY
    score = 0.9
    anchors = _SPLIT_PREFIXES
    keywords_ignore_case = False
    triggers = (r"(?:pypi-Ag|eyJ)[\w\-.]{4,400}[\"'][ \t]{0,4}(?:[+.&]|\\)?[ \t]{0,4}\r?\n",)
    context = (0, 0)  # the pieces that follow are in the margin (`lookahead` characters)
    lookahead = 16500
    patterns = (
        re.compile(rf"""(?<=["'`])(?P<value>(?:pypi-Ag|eyJ)[\w\-.]{{4,8000}}(?:{_JOIN}[\w\-.=]{{1,8000}}){{1,200}})["'`]"""),
    )

    def accept(self, text, match, start, end):
        return (start, end) if _vendor_format(_JOIN_RE.sub("", text[start:end]), _SPLIT_RES) else None
