"""KEY: private-key material: PEM/OpenSSH/PGP/PuTTY blocks, headerless key bodies in
multi-line strings, and the private members of JSON Web Keys. The shape (a BEGIN line, a base64
body, a `kty` member) is the evidence; public keys and certificates are never matched.
"""

from __future__ import annotations

import re

from redact.filters import identifier_words, is_public_key
from redact.spans import Label, Span

from .anchored import AnchoredDetector
from .assignment import SEP, TRIPLE, name_before
from .base import Detector
from .registry import register


@register
class PrivateKeyDetector(Detector):
    """The base64 body of a PEM/OpenSSH/PGP private-key block or a PuTTY `.ppk` private part,
    from its first to its last base64 character, across escaped `\\n`, quotes and string
    concatenation. Public keys and certificates are never matched."""

    name = "private-key"
    labels = (Label.KEY,)
    keywords = ("PRIVATE KEY", "Private-Lines")
    keywords_ignore_case = False
    triggers = (r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY", r"Private-Lines: ")
    context = (0, 400)  # the body's lines follow the BEGIN line
    _begin = re.compile(r"-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----|Private-Lines: \d{1,4}")
    _header = re.compile(r"[A-Za-z][\w\-]{1,30}: [^\n\\]{0,200}(?:\\n|\n)")
    _b64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
    # Between base64 characters: whitespace, quotes, `\n` escapes, concatenation operators.
    _junk = re.compile(r"(?:\s|\\[nr]|\\$|[\"'`+,;&_()]|\s\.\s|<<|\|\||\\)+", re.M)
    _limit = 40000

    def find(self, text, *, language=None):
        ends: dict[str, int] = {}
        last_end = -1
        for m in self._begin.finditer(text):
            pos = m.end()
            junk = self._junk.match(text, pos)
            pos = junk.end() if junk else pos
            while (h := self._header.match(text, pos)) is not None:  # Proc-Type:, Comment: ...
                pos = h.end()
                junk = self._junk.match(text, pos)
                pos = junk.end() if junk else pos
            if pos < last_end:
                continue  # a BEGIN inside the previous body (or a run of BEGIN lines)
            marker = "Private-MAC" if m.group().startswith("Private-Lines") else "-----END"
            if ends.get(marker, -1) < pos:  # the next end marker, searched once per marker
                found = text.find(marker, pos)
                ends[marker] = found if found >= 0 else len(text)
            stop = min(ends[marker], pos + self._limit, len(text))
            end = last_end = self._body_end(text, pos, stop)
            if end - pos >= 40 and "..." not in text[pos:end] and "EXAMPLE" not in text[pos:end]:
                yield Span(pos, end, Label.KEY, 0.99, self.name)

    def _body_end(self, text: str, pos: int, stop: int) -> int:
        """Last base64 character before `stop`, or the end of the first run of body lines."""
        end = pos
        i = pos
        while i < stop:
            j = i
            while j < stop and text[j] in self._b64:
                j += 1
            junk = self._junk.match(text, j, stop)
            # A short run that is not the last line is code after a truncated body, not base64.
            if j == i or (j - i < 20 and end > pos and (junk.end() if junk else j) < stop):
                break
            end = j
            if junk is None:
                break
            i = junk.end()
        return end


@register
class PrivateKeyStringDetector(AnchoredDetector):
    """A headerless private-key body in a multi-line string assigned to a private-key name:
    `PRIVATE_KEY = <triple quote>\\nMIIE...<triple quote>`."""

    name = "private-key-string"
    label = Label.KEY
    score = 0.9
    anchors = ("key",)
    lookahead = 20000
    triggers = (r"key[\w.\-]{0,40}[\"'\]]{0,2}\s{0,4}[=:(,]\s{0,4}[rbu]?(?:\"\"\"|\'\'\')",)
    context = (0, 120)  # the body's lines follow the opening quotes
    patterns = (
        re.compile(rf"(?i)(?P<name>key[\w.\-]{{0,40}}){SEP}[rbu]?(?:{TRIPLE})\\?\s{{0,8}}"
                   r"(?P<value>[A-Za-z0-9+/]{40,100}(?:\s{1,8}[A-Za-z0-9+/]{4,100}){2,200}={0,2})"),
    )

    def accept(self, text, match, start, end):
        words = identifier_words(text[name_before(text, match.start()) : match.end("name")])
        private = "public" not in words and ("private" in words or text.startswith("MII", start))
        return (start, end) if private and not is_public_key(text[start:end]) else None


@register
class JwkPrivateDetector(AnchoredDetector):
    """Private members of a JSON Web Key (`"k"` of a symmetric key; `"d"`, `"p"`, `"q"`, `"dp"`,
    `"dq"`, `"qi"` of RSA/EC keys), in texts that contain a `kty` member; the members may be
    unquoted names of a JS/YAML object (`d: '...'`)."""

    name = "jwk-private"
    label = Label.KEY
    score = 0.9
    keywords = ("kty",)
    keywords_ignore_case = False
    anchors = tuple(q + m + q for q in "\"'" for m in ("k", "d", "p", "q", "dp", "dq", "qi")) + tuple(
        m + ":" for m in ("k", "d", "p", "q", "dp", "dq", "qi"))
    lookahead = 2100
    patterns = (
        re.compile(r"""["'](?:k|d|p|q|dp|dq|qi)["']\s{0,4}:\s{0,4}["'](?P<value>[A-Za-z0-9_\-]{16,2000})["']"""),
        re.compile(r"""(?<![\w$.\-])(?:k|d|p|q|dp|dq|qi):[ \t]{0,4}["'](?P<value>[A-Za-z0-9_\-]{40,2000})["']"""),
    )


@register
class DerPrivateKeyDetector(AnchoredDetector):
    """A headerless base64 private key on one line (`"privateKey": "MIIEog..."` in a Keycloak
    realm export, a Java property): DER's opening bytes are the evidence. An RSA key in PKCS#1
    (`SEQUENCE, INTEGER 0, INTEGER n`) encodes as `MII??IBAAK`, any key in PKCS#8
    (`SEQUENCE, INTEGER 0, SEQUENCE algorithm`) as `MII??IBADA`; public keys (`MIIBIjAN`) and
    certificates (`MIIDdzCC`) never do."""

    name = "private-key-der"
    label = Label.KEY
    score = 0.9
    anchors = ("MII",)
    keywords_ignore_case = False
    lookahead = 20000
    patterns = (re.compile(r"MII[A-Za-z0-9+/]{2}IBA(?:AK|DA)(?=(?P<tail>[A-Za-z0-9+/]{200,20000}))(?P=tail)={0,2}(?![A-Za-z0-9+/])"),)

    def accept(self, text, match, start, end):
        return start, end
