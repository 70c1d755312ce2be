"""KEY: secrets in URLs and connection strings, and literals assigned to secret-like names.

Evidence, from strongest to weakest (vendor token formats are tokens.py, private-key material
private_keys.py):
1. a secret in a URL or connection string (a webhook's secret path, `?access_token=`, Azure
   `AccountKey=`, `sqs://ID:SECRET@`, `Authorization: Bearer/Basic`);
2. a literal assigned to a secret-like name (`SECRET_KEY = "..."`, `"api_key": "..."`,
   `--token=...`, `<clientSecret>..</clientSecret>`, `jwt.sign(p, "...")`): the name decides how
   much the value must look random (secret_names.py), and filters reject placeholders, hashes,
   UUIDs, identifiers, words, sequences, base64 of text and public keys;
3. a random-looking literal on a line that names a key or secret (`keyring = {..: "<b64>"}`).
Every pattern runs only near a literal anchor (see `AnchoredDetector`) and uses bounded
quantifiers; values that must be followed by something are matched atomically.
"""

from __future__ import annotations

import re
from base64 import b64decode

from redact.filters import is_placeholder, is_sequence, is_uuid, is_word_like, shannon_entropy
from redact.spans import Label

from .anchored import AnchoredDetector
from .assignment import (
    CONFIG_FILES,
    QUOTED,
    SEP,
    SEP_CONFIG,
    TYPED,
    TYPED_SEP,
    UNQUOTED,
    WRAP,
    AssignmentDetector,
    markup_patterns,
    name_before,
)
from .base import text_memo
from .registry import register
from .secret_names import (
    marked_literal,
    plausible_secret,
    secret_name_strength,
    weak_secret_literal,
)


def _url_value_ok(value: str) -> bool:
    return not (is_placeholder(value) or is_word_like(value) or is_sequence(value) or is_uuid(value))


@register
class WebhookUrlDetector(AnchoredDetector):
    """The secret path of webhook URLs (Slack, Discord, Microsoft Teams)."""

    name = "webhook-url"
    label = Label.KEY
    score = 0.9
    anchors = ("hooks.slack.com/", "discord.com/api/webhooks/", "discordapp.com/api/webhooks/",
               "webhook.office.com/webhookb2/")
    keywords_ignore_case = False
    patterns = (
        re.compile(r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<value>[A-Za-z0-9_\-]{6,40}/[A-Za-z0-9_\-/]{6,160})"),
        # An interaction's `response_url` (`/app/` or `/actions/<team>/<id>/<secret>`): the last part.
        re.compile(r"hooks\.slack\.com/(?:app|actions|commands)/[A-Z0-9]{6,20}/\d{6,20}/(?P<value>[A-Za-z0-9]{16,40})(?![A-Za-z0-9])"),
        re.compile(r"(?i)discord(?:app)?\.com/api/webhooks/\d{5,30}/(?P<value>[\w\-]{30,200})"),
        re.compile(r"(?i)webhook\.office\.com/webhookb2/(?P<value>[\w@\-/]{40,300})"),
    )

    def accept(self, text, match, start, end):
        return (start, end) if _url_value_ok(text[start:end]) else None


@register
class AzureKeyDetector(AnchoredDetector):
    """Azure connection strings: `AccountKey=...`, `SharedAccessKey=...`."""

    name = "azure-key"
    label = Label.KEY
    score = 0.9
    anchors = ("AccountKey", "SharedAccessKey", "SharedSecret")
    keywords_ignore_case = False
    patterns = (
        re.compile(r"(?i)(?:AccountKey|SharedAccessKey|SharedSecret)\s{0,2}=\s{0,2}(?P<value>[A-Za-z0-9+/]{20,200}={0,2})"),
    )

    def accept(self, text, match, start, end):
        return (start, end) if _url_value_ok(text[start:end]) else None


@register
class UrlTokenDetector(AnchoredDetector):
    """Token-like query parameters: `?access_token=...`, `&api_key=...`, SAS `&sig=...`."""

    name = "url-token"
    label = Label.KEY
    score = 0.85
    anchors = ("token=", "key=", "secret=", "sig=", "signature=", "verifier=", "token%3D", "token%3d", "secret%3D",
               "secret%3d", "key%3D", "key%3d")
    keywords_ignore_case = False
    lookback = 20
    lookahead = 620
    _NAMES = (r"(?:access_token|auth_token|api_?key|apikey|token|key|secret|client_secret|sig|signature|private_token|"
              r"app_secret|oauth_token(?:_secret)?|refresh_token|oauth_verifier)")
    patterns = (
        re.compile(rf"(?i)(?:[?&;#]|(?<=[\"'`])){_NAMES}=(?P<value>[A-Za-z0-9%+/=_\-.~]{{12,600}})"),
        # Percent-encoded, as in OAuth 1 signature base strings (`...%26oauth_token%3DVALUE%26...`):
        # the value ends at the next encoded `&`.
        re.compile(rf"(?i)(?:%26|%3F){_NAMES}%3D(?P<value>[A-Za-z0-9+_\-.~]{{12,600}})(?=%26|[\"'`\s]|$)"),
    )

    def accept(self, text, match, start, end):
        value = text[start:end].rstrip(".")
        if not _url_value_ok(value) or ("%" not in value and shannon_entropy(value) < 3.0):
            return None
        if any(len(p) >= 4 and p.isalpha() and p.islower() for p in re.split(r"[-_/.]", value)):
            return None  # `key=cloudformation/<id>`: a path or object name, not a token
        return start, start + len(value)


@register
class CloudUrlKeyDetector(AnchoredDetector):
    """Cloud queue/storage URLs carry an access key, not a password, in their userinfo:
    `sqs://ACCESS_KEY_ID:SECRET@`, `azureservicebus://policy:SAS_KEY@host`."""

    name = "cloud-url-key"
    label = Label.KEY
    score = 0.9  # above password-url's: the same userinfo read as a key wins
    anchors = ("sqs://", "azureservicebus://", "/apps/")
    # Pusher's app URLs (`PUSHER_URL`, `Pusher.forURL`) hold KEY:SECRET before `/apps/<app id>`.
    triggers = (r"(?:sqs|azureservicebus)://", r"://[^\s:@/\"'`<>]{1,128}:[^\s@\"'`<>]{3,200}@[\w.\-]{1,100}(?::\d{1,5})?/apps/\d")
    lookback = 440
    lookahead = 420
    patterns = (
        re.compile(r"""(?:sqs|azureservicebus)://[^\s:@/"'`<>]{1,128}:(?P<value>[^\s@"'`<>]{3,200})@"""),
        re.compile(r"""(?i)\bhttps?://[^\s:@/"'`<>]{1,128}:(?P<value>[^\s@/"'`<>]{3,200})@[\w.\-]{1,100}(?::\d{1,5})?/apps/\d{1,12}(?![\w.])"""),
    )

    def accept(self, text, match, start, end):
        return (start, end) if plausible_secret(text[start:end], 2, "secret") else None


# --- literals assigned to secret-like names ----------------------------------------------------

_KEY_KW = r"(?:secret|token|key|auth|credential|bearer|signing)"


# Words near a bare `token = "x"` that make it a credential (an auth handler, an API client's login).
_CREDENTIAL_CUE = re.compile(
    r"(?i)auth|bearer|credential|api[_-]?key|login|passw|secret|access[_-]?token|handler\(|client\("
)


# Go tests' paired assignment of the actual and the expected value: `if got, want := x.Token, "...";`.
_GOT_WANT = re.compile(r"\b(?:got|have|actual)\w{0,10}[ \t]{0,2},[ \t]{0,2}(?:want|expected?|exp)\w{0,10}[ \t]{0,2}:?=[ \t]{0,2}$")


def _weak_literal_holds(text: str, start: int, value: str, strength: int) -> bool:
    """Whether a weak literal under a credential's name is the credential. A bare `token` is a
    lexer's, a cache's or a date format's as often as a credential: only with a credential word on
    its lines (the prefilter's context), or a value that calls itself a test credential
    (`testServerToken`), does it hold one; a clear secret's name (strength 2) always does."""
    return strength >= 2 or marked_literal(value) or _CREDENTIAL_CUE.search(_lines_around(text, start, 2, 1)) is not None


def _lines_around(text: str, pos: int, before: int, after: int, reach: int = 200) -> str:
    """The lines around `pos`, at most `reach` characters either side (a long line is read
    once per literal: unbounded, a line of literals cost quadratic time)."""
    lo, hi = max(0, pos - reach), min(len(text), pos + reach)
    start = pos
    for _ in range(before + 1):
        start = text.rfind("\n", lo, max(lo, start - 1)) + 1 if start > lo else lo
    start = max(start, lo)
    end = pos
    for _ in range(after + 1):
        found = text.find("\n", end + 1, hi)
        end = found if found >= 0 else hi
    return text[start:end]


class _Assigned(AssignmentDetector):
    """A literal assigned to a secret-like name: find the whole name before the value, judge
    it (`strength`), then judge the value (`plausible_secret`)."""

    label = Label.KEY
    score = 0.8

    def strength(self, name: str, call: bool = False) -> int:
        return secret_name_strength(name, call)

    def judge(self, text, match, start, end):
        groups = match.groupdict()
        # From the name group's start: a markup match starts at its tag (`<string name="api_key">`),
        # whose words (`string`, `name`) are not the secret's name.
        name_start = name_before(text, match.start("name") if "name" in groups else match.start())
        name = text[name_start : match.end("name")] if "name" in groups else ""
        qualifier = text[max(0, name_start - 2) : name_start]
        if re.fullmatch(r"::|\w:", qualifier) and (qualifier != "::" or "." not in name):
            # A qualified name (`AWS::KMS::Key`, `ns:key`) names a type, not a secret; an
            # attribute of a Ruby constant (`App::Application.config.secret_token`) holds one.
            return None
        sep = groups.get("sep")
        strength = self.strength(name, call=sep == "(")
        if sep in ("==", "===", "!=", "!==") and strength < 2:
            return None  # `if key == "name"`: only a clear secret's name compares to a secret
        asserted = False  # the expected value of an equality assertion on a clear secret's name
        if sep == ",":
            before = text[max(0, name_start - 8) : name_start]
            if (re.search(r"(?i)(?:assert|expect|equal)\w{0,20}!?\(\s{0,4}$", text[max(0, name_start - 40) : name_start])
                    or _GOT_WANT.search(text, max(0, name_start - 60), name_start)):
                if strength < 2:
                    return None
                asserted = True
            elif not re.search(r"\(\s{0,4}[\"'`]$", before):
                return None  # `,` separates a pair only in a call: put("apiKey", "..."), not a dict,
                # in an equality assertion: assertEqual(client.api_key, "..."), or Go's
                # `got, want := tok.AccessToken, "..."`
        written = groups.get("q") is not None or self.language in CONFIG_FILES or (
            # A plain-text file that is a config (a template, `cloud.providers`): a whole
            # `client-secret: VALUE` line, commented out or not, under a clear secret's name.
            self.language == "text" and strength >= 2 and sep is None
            and re.fullmatch(r"[ \t]{0,40}(?:#[ \t]{0,4})?(?:-[ \t]{1,4})?", text[text.rfind("\n", 0, name_start) + 1 : name_start]))
        if not written and "value" in groups:
            strength = min(strength, 1)  # unquoted in code: as likely a variable as a literal
        value = text[start:end]
        if plausible_secret(value, strength, name):
            return start, end
        # A weak literal only where it is assigned (`token = "x"`, `token: x`), not passed to a
        # call named like a credential (`create_access_token("username")`).
        # ... or asserted (`assertEqual(storage.secret_key, "boo")`: the test's secret, as DECISIONS labels it).
        assigned = (sep in ("=", ":", "=>", ":=", "<-") or asserted or "sep" not in groups and "define" not in groups) and not groups.get("wrap")
        if not (written and assigned and strength and weak_secret_literal(value, name)):
            return None
        return (start, end) if _weak_literal_holds(text, start, value, strength) else None


@register
class SecretAssignmentDetector(_Assigned):
    """`SECRET_KEY = "..."`, `"api_key": "..."`, `apiKey: '...'`, `token => '...'`,
    `setClientSecret("...")`, `aws_secret_access_key=...` (INI/.env/YAML)."""

    name = "secret-assignment"
    anchors = ("secret", "token", "key", "auth", "credential")
    # For the prefilter: a keyword, the rest of a name, then a separator (not `keys()`, `key in`).
    # ... and then what the patterns need: a (possibly wrapped) quote, or an unquoted value
    # that ends its config line; not `key=lambda ...`, `token=token)`.
    triggers = (
        r"(?:secret|token|key|auth|credential)[\w.\-]{0,40}[\"'`\]]{0,2}\s{0,4}(?:=>|:=|[=!]==?|=|:|\(|,)\s{0,24}"
        r"(?:\[\]byte\(|new\s{1,2}\w{1,20}\(|[\w.]{1,30}\(\s{0,2}|[rbuRBfFL@]{1,2})?[\"'`]",
        r"(?:secret|token|key|auth|credential)[\w.\-]{0,40}[\"'`\]]{0,2}[ \t]{0,4}[=:][ \t]{0,4}\n?[ \t]{0,4}"
        r"[^\s\"'`,;#(){}\[\]<>=]{6,300}={0,2}[ \t]*(?:[#;,]|\r?\n|$)",
        r"#\s{0,4}define\s{1,8}\w{0,40}(?:secret|token|key|auth|credential)",
        rf"(?:secret|token|key|auth|credential)\w{{0,40}}{TYPED}\s{{0,2}}=\s{{0,4}}[rbuRBfFL@]{{0,2}}[\"'`]",
        r"(?:secret|token|key|auth|credential)[\w.]{0,40}[ \t]{0,4}<-[ \t]{0,4}[\"'`]",
    )
    context = (2, 1)  # a hit ends at the value, which may sit a line or two below its name
    lookahead = 450
    patterns = (
        re.compile(rf"(?i)(?P<name>{_KEY_KW}[\w.\-]{{0,40}}){SEP}(?P<wrap>{WRAP}){QUOTED}"),
        re.compile(rf"(?im)(?P<name>{_KEY_KW}[\w.\-]{{0,40}}){SEP_CONFIG}{UNQUOTED}"),
        # C/C++ macros: `#define API_KEY "..."`
        re.compile(rf"(?i)(?P<name>{_KEY_KW}\w{{0,40}})[ \t]{{1,8}}(?P<define>){QUOTED}"),
        # A typed declaration or parameter default: `secret_key: str = "..."` (Python),
        # `apiKey: string = '...'` (TypeScript), `val token: String = "..."`, `const KEY: &str = "..."`;
        # and R's assignment arrow, `client_secret <- "..."` (one pattern: one more try per anchor).
        re.compile(rf"(?i)(?P<name>{_KEY_KW}[\w.]{{0,40}}){TYPED_SEP}(?P<wrap>{WRAP}){QUOTED}"),
    )

    def judge(self, text, match, start, end):
        if "define" in match.groupdict():
            line_start = text.rfind("\n", 0, match.start()) + 1
            if not re.fullmatch(r"[ \t]*#[ \t]*define[ \t]+\w*", text[line_start : match.start()]):
                return None
        return super().judge(text, match, start, end)


@register
class SecretFlagDetector(_Assigned):
    """CLI flags: `--api-key VALUE`, `--token=VALUE`, `--client-secret "VALUE"`."""

    name = "secret-flag"
    anchors = ("--",)
    triggers = (r"--[\w\-]{0,30}(?:secret|token|key|auth|credential|bearer|signing)",)
    keywords_ignore_case = False
    lookahead = 380
    patterns = (
        re.compile(rf"(?i)(?<![\w\-])--(?P<name>[\w\-]{{0,30}}?{_KEY_KW}[\w\-]{{0,20}})(?:=|[ \t]{{1,4}})"
                   r"""(?P<q>["']?)(?=(?P<value>[^\s"'\\]{6,300}))(?P=value)(?P=q)(?=\s|$|\\)"""),
    )


@register
class SecretMarkupDetector(_Assigned):
    """XML/HTML: `<clientSecret>VALUE</clientSecret>`, `<add key="ApiKey" value="VALUE"/>`."""

    name = "secret-markup"
    anchors = ("secret", "token", "key", "auth", "credential", "bearer", "signing")
    triggers = (
        r"(?:<|&lt;)[\w.:\-]{0,40}(?:secret|token|key|auth|credential|bearer|signing)[\w.:\-]{0,30}[ \t>&]",
        r"(?:key|name)\s{0,2}=\s{0,2}[\"'][^\"'\n]{0,60}(?:secret|token|key|auth|credential|bearer|signing)",
        r"<(?:name|key)>[^<>\n]{0,80}(?:secret|token|key|auth|credential|bearer|signing)",
    )
    lookback = 600
    lookahead = 700
    patterns = markup_patterns(r"[^<>\s]{3,300}", r'[^"\n]{3,300}', rf"(?i:{_KEY_KW})")


@register
class AuthHeaderDetector(_Assigned):
    """`Authorization: Bearer VALUE`, `Authorization: token VALUE`, `"Bearer " + "VALUE"`."""

    name = "auth-header"
    anchors = ("Bearer", "bearer", "BEARER", "Authorization", "authorization")
    keywords_ignore_case = False
    lookahead = 4100
    patterns = (
        re.compile(r"""(?i)(?:authorization["']?\s{0,3}[:=,]\s{0,3}["']?(?:bearer|token|basic|digest)?|\bbearer)[ \t]{1,4}(?P<q>)(?P<value>[A-Za-z0-9\-._~+/]{16,4000}=*)"""),
        re.compile(r"""(?i)authorization["']?\s{0,3}[:=,]\s{0,3}["']?basic[ \t]{1,4}(?P<q>)(?P<value>[A-Za-z0-9+/]{8,400}={0,2})(?![\w+/=])"""),
    )

    def strength(self, name: str, call: bool = False) -> int:
        return 1

    def judge(self, text, match, start, end):
        value = text[start:end]
        if match.re is self.patterns[1]:  # Basic credentials: base64 of `user:password`
            try:
                decoded = b64decode(value + "=" * (-len(value) % 4), validate=True).decode("ascii")
            except ValueError:
                return None
            return (start, end) if decoded.isprintable() and ":" in decoded[1:-1] else None
        return super().judge(text, match, start, end)


@register
class SecretCallDetector(_Assigned):
    """A signing secret passed positionally to a JWT/HMAC/signing library call, in the argument
    the API defines: `jwt.sign(payload, 'VALUE')`, `jwt.verify(token, 'VALUE')`,
    `hmac.new(b'VALUE', ...)`, Go's `hmac.New(sha256.New, []byte("VALUE"))` and
    `token.SignedString([]byte("VALUE"))`, Node's `crypto.createHmac('sha256', 'VALUE')`, Ruby's
    `OpenSSL::HMAC.hexdigest('sha256', 'VALUE', data)`, PHP's `hash_hmac('sha256', $data, 'VALUE')`,
    Java's `new SecretKeySpec("VALUE".getBytes(), "HmacSHA256")`, Express's
    `cookieParser('VALUE')`, itsdangerous' `URLSafeTimedSerializer('VALUE')`, `Fernet(b'KEY')`.
    (Cipher keys are left out: `AES.new(key, ...)` literals are mostly published test vectors.)"""

    name = "secret-call"
    anchors = ("jwt.", "JWT.", "hmac.", "OpenSSL::HMAC.", "createHmac(", "hash_hmac(", "SignedString(", "SecretKeySpec(",
               "cookieParser(", "URLSafe", "TimestampSigner(", "TimedSerializer(", "JSONWebSignatureSerializer(", "Fernet(")
    keywords_ignore_case = False
    lookahead = 600
    patterns = (
        # The secret is an argument of its own: a literal followed by `,` or `)`, not a key of
        # the payload object (`jwt.sign({"name": "x"}, "SECRET")`).
        re.compile(r"""(?i)\b(?:jwt|jws|jose)\.(?:sign|verify|encode|decode)\((?:[^\n;]{0,200}?,)\s{0,4}[bB]?(?P<q>["'])(?P<value>[^"'\n\\]{3,300})(?P=q)(?=\s{0,4}[,)])"""),
        re.compile(r"""(?i)\bhmac\.(?:new|digest)\(\s{0,4}[bB]?(?P<q>["'])(?P<value>[^"'\n\\]{3,300})(?P=q)"""),
        re.compile(r"""hmac\.New\(\s{0,4}[\w.]{1,40}\s{0,4},\s{0,4}\[\]byte\((?P<q>["'`])(?P<value>[^"'`\n\\]{3,300})(?P=q)\)"""),
        re.compile(r"""SignedString\(\s{0,4}\[\]byte\((?P<q>["'`])(?P<value>[^"'`\n\\]{3,300})(?P=q)\)"""),
        re.compile(r"""OpenSSL::HMAC\.(?:hexdigest|digest|base64digest)\(\s{0,4}(?:["'][\w\-]{2,20}["']|[\w:.]{1,60}(?:\.new)?(?:\([^()\n]{0,20}\))?)"""
                   r"""\s{0,4},\s{0,4}(?P<q>["'])(?P<value>[^"'\n\\]{3,300})(?P=q)\s{0,4}[,)]"""),
        re.compile(r"""createHmac\(\s{0,4}["'][\w\-]{2,20}["']\s{0,4},\s{0,4}(?P<q>["'`])(?P<value>[^"'`\n\\]{3,300})(?P=q)\s{0,4}\)"""),
        re.compile(r"""hash_hmac\(\s{0,4}["'][\w\-]{2,20}["']\s{0,4},\s{0,4}[^,()\n]{1,120}(?:\([^()\n]{0,80}\))?\s{0,4},\s{0,4}"""
                   r"""(?P<q>["'])(?P<value>[^"'\n\\]{3,300})(?P=q)\s{0,4}[,)]"""),
        re.compile(r"""SecretKeySpec\(\s{0,4}(?P<q>")(?P<value>[^"\n\\]{3,300})"\.getBytes\([^()\n]{0,40}\)\s{0,4},\s{0,4}"Hmac"""),
        re.compile(r"""(?:cookieParser|URLSafe(?:Timed)?Serializer|TimestampSigner|TimedSerializer|(?:Timed)?JSONWebSignatureSerializer)\("""
                   r"""\s{0,4}[bB]?(?P<q>["'])(?P<value>[^"'\n\\]{3,300})(?P=q)\s{0,4}[,)]"""),
        # A Fernet key is 32 bytes in url-safe base64: 44 characters, the last one `=`.
        re.compile(r"""Fernet\(\s{0,4}[bB]?(?P<q>["'])(?P<value>[A-Za-z0-9_\-]{43}=)(?P=q)\s{0,4}\)"""),
    )

    def strength(self, name: str, call: bool = False) -> int:
        return 2


class _NamedValue(_Assigned):
    """A value whose secret's name is a separate literal, not the identifier before it: the judge
    reads the `name` group alone. The syntax (a config's name/value pair) makes it a literal."""

    def judge(self, text, match, start, end):
        name, value = match.group("name"), text[start:end]
        strength = self.strength(name)
        if plausible_secret(value, strength, name):
            return start, end
        # Weak literals as for assignments: under a clear secret's name, or a token's near a credential word.
        if not (strength and weak_secret_literal(value, name)):
            return None
        return (start, end) if _weak_literal_holds(text, start, value, strength) else None


@register
class SecretEnvPairDetector(_NamedValue):
    """A secret's name given as a literal, then its value: environment name/value pairs
    (Kubernetes and Compose `env:` lists, ECS task definitions, Helm `key:`/`value:` lists):
    `- name: API_SECRET` then `value: VALUE`, `{"name": "API_KEY", "value": "VALUE"}`; a Terraform
    variable's default (`variable "api_key" { default = "VALUE" }`)."""

    name = "secret-env-pair"
    anchors = ("secret", "token", "key", "credential")
    triggers = (
        r"(?:name|key)[\"']?[ \t]{0,2}[:=][ \t]{0,2}[\"']?[\w.\-]{0,80}(?:secret|token|key|credential)[\w.\-]{0,30}[\"']?[ \t]{0,4}"
        r"(?:,[ \t]{0,4}|\r?\n[ \t]{0,40})[\"']?value[\"']?[ \t]{0,2}[:=]",
        r"variable[ \t]{1,4}\"[^\"\n]{0,60}(?:secret|token|key|credential)",
    )
    context = (0, 4)  # a Terraform variable's default may follow its description
    lookback = 100  # Spring's env names run long: `SPRING_SECURITY_OAUTH2_..._CLIENT_SECRET`
    lookahead = 420
    _PAIR = (r"""(?i:\b(?:name|key))["']?[ \t]{0,2}[:=][ \t]{0,2}(?P<nq>["']?)(?P<name>[\w.\-]{0,80}(?i:secret|token|key|credential)[\w.\-]{0,30})(?P=nq)"""
             r"""[ \t]{0,4}(?:,[ \t]{0,4}|\r?\n[ \t]{0,40})["']?value["']?[ \t]{0,2}[:=][ \t]{0,2}""")
    patterns = (
        re.compile(_PAIR + QUOTED),
        re.compile("(?m)" + _PAIR + "(?P<q>)" + UNQUOTED.replace("{6,300}", "{3,300}")),
        # Terraform: `variable "api_key" { description = "..." default = "VALUE" }`.
        re.compile(r"""\bvariable[ \t]{1,4}"(?P<name>[\w.\-]{0,60}(?i:secret|token|key|credential)[\w.\-]{0,30})"[ \t]{0,4}\{"""
                   r"""[^{}]{0,300}?\bdefault[ \t]{0,16}=[ \t]{0,4}""" + QUOTED),
    )


# Files where a line `NAME VALUE` sets NAME (space-separated directives), and plain text, where
# such a line is read only with a random-looking value.
_DIRECTIVE_LANGUAGES = frozenset({"ini", "conf", "properties", "dockerfile", "shell", "makefile", "fish", "nginx", "apache",
                                  "text", None})


@register
class SecretDirectiveDetector(_NamedValue):
    """A secret set by a directive line with no `=`: server configs (`secret_key VALUE`,
    `static-auth-secret VALUE`), Dockerfile `ENV API_KEY VALUE`, Apache `SetEnv`, fish
    `set -gx GITHUB_TOKEN VALUE`, nginx `set $api_key VALUE;` and `proxy_set_header X-Api-Key VALUE;`
    (Apache `RequestHeader set`), Makefile `API_KEY ?= VALUE`,
    Java properties `api.key VALUE`; commented-out examples too."""

    name = "secret-directive"
    anchors = ("secret", "token", "key", "credential")
    triggers = (
        r"(?:secret|token|key|credential)[\w.\-]{0,40}(?:[ \t]{1,8}|[ \t]{0,4}[?:+]=[ \t]{0,4})[\"']?"
        r"[^\s\"';#=]{6}[^\s\"';#]{0,300}[\"']?[ \t]*;?[ \t]*(?:\r?\n|$)",
    )
    context = (0, 0)
    lookback = 80
    lookahead = 360
    patterns = (
        re.compile(r"""(?m)^[ \t]{0,40}(?:#[ \t]{0,4})?(?:(?:ENV|SetEnv|setenv|set)[ \t]{1,4}(?:-[gxUu]{1,3}[ \t]{1,4})?\$?|"""
                   r"""(?:proxy_set_header|add_header|grpc_set_header|(?:Request)?Header[ \t]{1,4}set)[ \t]{1,4})?"""
                   rf"""(?P<name>[\w.\-]{{0,40}}(?i:{_KEY_KW})[\w.\-]{{0,40}})(?:[ \t]{{1,8}}|[ \t]{{0,4}}[?:+]=[ \t]{{0,4}})"""
                   r"""(?P<q>["']?)(?=(?P<value>[^\s"';#=][^\s"';#]{5,300}))(?P=value)(?P=q)[ \t]*;?[ \t]*\r?$"""),
    )

    def judge(self, text, match, start, end):
        if self.language not in _DIRECTIVE_LANGUAGES:
            return None  # in code, `name value` on a line is not an assignment
        if self.language in ("text", None) and not plausible_secret(text[start:end], 1, match.group("name")):
            return None  # prose: only a random-looking value
        return super().judge(text, match, start, end)


@register
class ModuleParamSecretDetector(_NamedValue):
    """Kamailio/OpenSIPS module parameters: `modparam("auth", "secret", "VALUE")` (module, then
    parameter, then its value)."""

    name = "modparam-secret"
    anchors = ("modparam",)
    keywords_ignore_case = False
    patterns = (
        re.compile(r"""modparam\(\s{0,4}["'][\w\-]{1,40}["']\s{0,4},\s{0,4}["'](?P<name>[\w\-]{0,40}"""
                   rf"""(?i:{_KEY_KW})[\w\-]{{0,40}})["']\s{{0,4}},\s{{0,4}}{QUOTED}"""),
    )


# A key/secret/token word on the line (`apiKey`, `keyring`, `SECRET`), not `keyword` or `monkey`.
_SECRET_LINE = re.compile(
    r"(?i:secret|token|credential)|(?:(?<![A-Za-z])(?:key|Key|KEY)|(?<=[a-z])Key)(?:s|S|ring|name|file)?(?![a-z])"
)
# Lines that talk about digests, ids or public material: a random literal there is not a secret.
_NOT_SECRET_LINE = re.compile(
    r"(?i)hash|(?<!hmac-)(?<!hmac_)sha-?\d|md5|digest|checksum|integrity|fingerprint|uuid|guid|nonce|salt|public|cert|"
    r"etag|commit|revision|test.?vector|example|sample|\bids?\b|_id\b|Id\b|next|page|continuation|cursor|"
    r"marker|pagination|offset"
)


def _secret_line(text: str, line_start: int, line_end: int) -> bool:
    """The line names a secret and is not one of the lines that only seem to. Memoised per line:
    judging a line of N literals again for each cost N regex passes over it."""
    memo, key = text_memo(text), ("secret-line", line_start, line_end)
    if key not in memo:
        line = text[line_start:line_end]
        memo[key] = bool(_SECRET_LINE.search(line)) and not _NOT_SECRET_LINE.search(line)
    return memo[key]


@register
class SecretLineLiteralDetector(AnchoredDetector):
    """A random-looking string literal (base64/url-safe alphabet, 20+ characters, upper and lower
    case and digits) on a line that names a key, secret or token, whatever the structure around
    it: `keyring = {"name.": ("hmac-sha256.", "<base64>")}`, `tsig.Key("name.", "<base64>")`."""

    name = "secret-line-literal"
    label = Label.KEY
    score = 0.7
    anchors = ("secret", "token", "key", "credential")
    triggers = (
        r"(?:secret|token|key|credential)[^\n]{0,300}[\"'][A-Za-z0-9+/_\-]{20}",
        r"[\"'][A-Za-z0-9+/_\-]{20}[^\n]{0,120}(?:secret|token|key|credential)",
    )
    lookback = 120
    lookahead = 300
    context = (0, 0)
    patterns = (re.compile(r"""(?P<q>["'])(?=(?P<value>[A-Za-z0-9+/_\-]{20,400}={0,2}))(?P=value)(?P=q)"""),)

    def accept(self, text, match, start, end):
        if not _secret_line(text, text.rfind("\n", 0, start) + 1, (text.find("\n", end) + 1 or len(text) + 1) - 1):
            return None
        value = text[start:end]
        if not (any(c.isupper() for c in value) and any(c.islower() for c in value) and any(c.isdigit() for c in value)):
            return None
        if shannon_entropy(value) < 3.5 or "EXAMPLE" in value.upper():
            return None
        if any(len(p) >= 4 and p.isalpha() and (p.islower() or p.istitle()) for p in re.split(r"[-_]", value)):
            return None  # `X-Amz-Session-Token`: a name made of words
        return (start, end) if plausible_secret(value, 1, "secret") else None
