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
    unquoted names of a JS/YAML object (`d: '...'`), their values split over concatenated literals."""

    name = "jwk-private"
    label = Label.KEY
    score = 0.9
    keywords = ("kty",)
    keywords_ignore_case = False
    anchors = tuple(q + m + q for q in "\"'" for m in ("k", "d", "p", "q", "dp", "dq", "qi")) + tuple(
        m + ":" for m in ("k", "d", "p", "q", "dp", "dq", "qi"))
    lookahead = 2100
    patterns = (
        # ... the value possibly split over literals (`"d": (\n "<piece>"\n "<piece>")`): first to last piece.
        re.compile(r"""["'](?:k|d|p|q|dp|dq|qi)["']\s{0,4}:\s{0,4}(?:\(\s{0,40})?["']"""
                   r"""(?P<value>[A-Za-z0-9_\-]{16,2000}(?:["']\s{0,80}["'][A-Za-z0-9_\-]{1,2000}){0,40})["']"""),
        re.compile(r"""(?<![\w$.\-])(?:k|d|p|q|dp|dq|qi):[ \t]{0,4}["'](?P<value>[A-Za-z0-9_\-]{40,2000})["']"""),
    )


# DER's opening bytes, base64-encoded, of the private-key structures (none of them opens a
# public key or a certificate, which start with a SEQUENCE, not an INTEGER, after the outer one):
# PKCS#1 RSA (`SEQUENCE, INTEGER 0, INTEGER n`) and PKCS#8 (`SEQUENCE, INTEGER 0, SEQUENCE
# algorithm`) with a two-byte length (`30 82 LL LL 02 01 00` -> `MII??[AQgw]IBA` + `AK`/`DA`)
# or a one-byte one (`30 81 LL` -> `MI[E-H]?AgEA` + `Ak`/`Ag`/`M`); short PKCS#8 keys (Ed25519,
# X25519: `30 2e 02 01 00 30` -> `M??CAQAw`) and SEC1 EC keys (`SEQUENCE, INTEGER 1, OCTET
# STRING`: `MHcCAQEE`, `MIGkAgEBBD`).
_DER_B64_OPENINGS = (
    r"MII[A-Za-z0-9+/]{2}[AQgw]IBA(?:AK|DA)",
    r"MI[E-H][A-Za-z0-9+/]AgE(?:A(?:Ak|Ag|M[A-P])|BBD)",
    r"M[A-Za-z0-9+/]{2}CAQ(?:Aw|EE)",
)
# PKCS#12 key stores, which carry a private key (`SEQUENCE, INTEGER 3, SEQUENCE authSafe`:
# `30 82 LL LL 02 01 03 30 82` -> `MII??[AQgw]IBAzCC`; `30 80`, BER's open length, -> `zCA`).
_P12_B64_OPENING = r"MII[A-Za-z0-9+/]{2}[AQgw]IBAzC[CA]"
# ... in a Python bytes literal's escapes (`b"0\x82\x02\\\x02\x01\x00..."`, `b"0o\x02\x01\x01..."`, as
# `repr` writes DER: printable bytes as themselves), over implicitly concatenated literals, one per
# line: one byte, then the outer SEQUENCE and its length, then `INTEGER 0` or `INTEGER 1`.
_ESC_BYTE = r"""(?:\\x[0-9a-fA-F]{2}|\\[\\'"tnr]|(?!(?P=q))[ -\[\]-~])"""  # `q`: the literal's quote
_ESC_OPENING = rf"0(?:\\x82{_ESC_BYTE}{{2}}|\\x81{_ESC_BYTE}|{_ESC_BYTE})\\x02\\x01\\x0[01]"
_ESC_JOIN = r"""(?P=q)[ \t]{0,4}\\?\r?\n[ \t]{0,80}[bB](?P=q)"""
# Counting the bytes of a match: the joins between its literals out, then one escape or character a byte.
_ESC_SPLIT = re.compile(r"""["'][ \t]{0,4}\\?\r?\n[ \t]{0,80}[bB]["']""")
_ESC_TOKEN = re.compile(r"\\x..|\\.|.")
# ... and hex-encoded (`3082025d020100028181...`, `30770201010420...`).
_DER_HEX_OPENING = r"30(?:82[0-9a-fA-F]{4}|81[0-9a-fA-F]{2}|[0-7][0-9a-fA-F])02010(?:0(?:02|30)|104)"


@register
class DerPrivateKeyDetector(AnchoredDetector):
    """A headerless private key on one line, base64 (`"privateKey": "MIIEog..."` in a Keycloak
    realm export, a Java property) or hex (`pkcs1PrivKeyHex = "3082025d0201..."`): DER's
    opening bytes (`_DER_B64_OPENINGS`, `_DER_HEX_OPENING`) are the evidence, then enough
    body for a key (an Ed25519 PKCS#8 key is 64 base64 characters). Or a base64 key file without
    PEM armour (`identity.p12.base64`, a `.key` of base64 DER): the same opening, then lines of
    one width (the last one shorter), as base64 encoders wrap them."""

    name = "private-key-der"
    label = Label.KEY
    score = 0.9
    anchors = ("IBAAK", "IBADA", "IBAzC", "AgEA", "AgEB", "CAQAw", "CAQEE", "020100", "020101", "\\x02\\x01\\x0")
    keywords_ignore_case = False
    lookback = 20  # a bytes literal's opening, `b"0\x82\x04\xa4`, before its anchor
    lookahead = 20000
    patterns = (
        re.compile(rf"(?<![A-Za-z0-9+/])(?:{'|'.join(_DER_B64_OPENINGS)})(?=(?P<tail>[A-Za-z0-9+/]{{48,20000}}))(?P=tail)={{0,2}}(?![A-Za-z0-9+/=])"),
        re.compile(rf"(?<![0-9A-Za-z])(?:{_DER_HEX_OPENING})(?=(?P<tail>[0-9a-fA-F]{{100,20000}}))(?P=tail)(?![0-9A-Za-z])"),
        # Wrapped base64 lines (the first at a line's start): widths are checked in `accept`.
        re.compile(rf"(?m)^(?P<value>(?:{'|'.join((*_DER_B64_OPENINGS, _P12_B64_OPENING))})(?=(?P<tail>[A-Za-z0-9+/]{{20,200}}(?:\r?\n[A-Za-z0-9+/]{{4,200}}){{2,400}}))"
                   r"(?P=tail)={0,2})[ \t]*\r?$"),
        # A key store on one line: a store is kilobytes (its certificates), not a 48-character tail.
        re.compile(rf"(?<![A-Za-z0-9+/]){_P12_B64_OPENING}(?=(?P<tail>[A-Za-z0-9+/]{{1000,20000}}))(?P=tail)={{0,2}}(?![A-Za-z0-9+/=])"),
        # Bytes escapes, from the first literal's first byte to the last one's last (96 bytes at least: an Ed25519 key's PKCS#8).
        re.compile(rf"""\b[bB](?P<q>["'])(?P<value>{_ESC_OPENING}{_ESC_BYTE}{{0,4000}}(?:{_ESC_JOIN}{_ESC_BYTE}{{1,4000}}){{0,200}})(?P=q)"""),
    )

    def accept(self, text, match, start, end):
        value = text[start:end]
        if match.re is self.patterns[1] and (len(value) % 2 or not (value.islower() or value.isupper() or value.isdigit())):
            return None  # hex bytes: an even count, one case
        if match.re is self.patterns[2]:
            widths = [len(line.rstrip("\r")) for line in value.rstrip("=").split("\n")]
            if len(set(widths[:-1])) != 1 or widths[-1] > widths[0] or widths[0] < 40:
                return None  # ragged lines: not one body wrapped by an encoder
        if match.re is self.patterns[4] and len(_ESC_TOKEN.findall(_ESC_SPLIT.sub("", value))) < 48:
            return None  # too few bytes for a private key (Ed25519's PKCS#8 is 48)
        return start, end
