"""KEY: API keys, tokens, signing secrets, private-key bodies, JWTs, secrets in URLs.

Evidence, from strongest to weakest:
1. known token formats (a vendor prefix such as `ghp_`, `AKIA`, `xoxb-`, `eyJ..` JWTs),
   private-key blocks (PEM, OpenSSH, PGP, PuTTY, headerless bodies in multi-line strings) and
   private JWK members: the shape alone is enough;
2. a secret in a URL or connection string (a webhook's secret path, `?access_token=`, Azure
   `AccountKey=`, `sqs://ID:SECRET@`, `Authorization: Bearer/Basic`);
3. a literal assigned to a secret-like name (`SECRET_KEY = "..."`, `"api_key": "..."`,
   `--token=...`, `<clientSecret>..</clientSecret>`, `jwt.sign(p, "...")`): the name decides how
   much the value must look random, and filters reject placeholders, hashes, UUIDs, identifiers,
   words, sequences, base64 of text and public keys;
4. a random-looking literal on a line that names a key or secret (`keyring = {..: "<b64>"}`).
Every pattern runs only near a literal anchor (see `AnchoredDetector`) and uses bounded
quantifiers; values that must be followed by something are matched atomically.
"""

from __future__ import annotations

import re
from base64 import b64decode

from redact.filters import (
    identifier_words,
    is_base64_text,
    is_code_reference,
    is_placeholder,
    is_public_key,
    is_sequence,
    is_uuid,
    is_word_like,
    looks_like_hash,
    shannon_entropy,
    word_set,
)
from redact.spans import Label, Span

from .anchored import AnchoredDetector
from .base import Detector
from .registry import register

_B = r"(?<![A-Za-z0-9_\-])"  # token boundary before a vendor prefix
_E = r"(?![A-Za-z0-9_\-])"  # ... and after the token
class _Token(AnchoredDetector):
    """A vendor token format: the pattern is the evidence; docs' `EXAMPLE` keys are skipped."""

    label = Label.KEY
    score = 0.95
    keywords_ignore_case = False

    def accept(self, text, match, start, end):
        value = text[start:end]
        if "EXAMPLE" in value.upper() or is_placeholder(value):
            return None  # docs' example keys, masks (`AKIAXXXXXXXXXXXXXXXX`)
        return start, end


def _token(name: str, anchors: tuple[str, ...], *regexes: str, lookback: int = 0, lookahead: int = 100,
           triggers: tuple[str, ...] = ()):
    """Register a vendor-token detector. `triggers` (simple regexes for the prefilter, which
    matches them case-insensitively) replace anchors that are common words in lower case."""
    cls = type(name, (_Token,), {
        "name": name,
        "anchors": anchors,
        "lookback": lookback,
        "lookahead": lookahead,
        "patterns": tuple(re.compile(r) for r in regexes),
    })
    if triggers:
        cls.triggers = triggers
    return register(cls)


# Access key ids only (AKIA long-term, ASIA temporary): AIDA/AROA/ANPA... are public unique ids.
_token("aws-key", ("AKIA", "ASIA", "A3T"), rf"{_B}(?P<value>(?:AKIA|ASIA|A3T[A-Z0-9])[A-Z0-9]{{16}})(?![A-Z0-9])")
_token("gcp-api-key", ("AIza",), rf"{_B}(?P<value>AIza[0-9A-Za-z_\-]{{35}}){_E}")
_token("github-token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
       rf"{_B}(?P<value>gh[pousr]_[A-Za-z0-9]{{36,251}}){_E}", rf"{_B}(?P<value>github_pat_\w{{50,250}}){_E}", lookahead=270)
_token("gitlab-token", ("gl",), rf"{_B}(?P<value>gl(?:pat|dt|rt|ptt|soat|cbt|ft|imt|agent)-[\w\-]{{20,64}}){_E}",
       triggers=(r"gl(?:pat|dt|rt|ptt|soat|cbt|ft|imt|agent)-",))
_token("slack-token", ("xox",), rf"{_B}(?P<value>xox[abposre]-(?:\d{{1,20}}-){{0,4}}[A-Za-z0-9\-]{{8,250}}){_E}", lookahead=360)
_token("stripe-key", ("sk_", "rk_", "whsec_"),
       rf"{_B}(?P<value>(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{{3,247}}){_E}", rf"{_B}(?P<value>whsec_[A-Za-z0-9_+/=]{{8,100}})", lookahead=270)
_token("twilio-key", ("SK", "AC"), r"(?<![A-Za-z0-9])(?P<value>(?:SK|AC)[0-9a-f]{32})(?![A-Za-z0-9])",
       triggers=(r"(?:sk|ac)[0-9a-f]{32}",))
_token("sendgrid-key", ("SG.",), rf"{_B}(?P<value>SG\.[\w\-]{{22}}\.[\w\-]{{43}}){_E}")
_token("npm-token", ("npm_",), rf"{_B}(?P<value>npm_[A-Za-z0-9]{{36}}){_E}")
_token("pypi-token", ("pypi-",), rf"{_B}(?P<value>pypi-Ag[A-Za-z0-9_\-]{{50,400}}){_E}", lookahead=420)
_token("huggingface-token", ("hf_", "api_org_"), rf"{_B}(?P<value>(?:hf|api_org)_[A-Za-z0-9]{{30,40}}){_E}")
_token("openai-key", ("sk-",),
       rf"{_B}(?P<value>sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_\-]{{32,250}}){_E}", lookahead=300,
       triggers=(r"sk-[a-z0-9_\-]{20}",))
_token("google-oauth", ("ya29.", "GOCSPX-"),
       rf"{_B}(?P<value>ya29\.[\w\-]{{30,500}}){_E}",  # OAuth access token
       rf"{_B}(?P<value>GOCSPX-[\w\-]{{28}}){_E}")  # OAuth client secret
_token("misc-token", ("shp", "dop_v1_", "hvs.", "glc_"),
       rf"{_B}(?P<value>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{{32}}){_E}",  # Shopify
       rf"{_B}(?P<value>dop_v1_[a-f0-9]{{64}}){_E}",  # DigitalOcean
       rf"{_B}(?P<value>hvs\.[\w\-]{{24,200}}){_E}",  # HashiCorp Vault
       rf"{_B}(?P<value>glc_[A-Za-z0-9+/]{{32,200}}={{0,2}})",  # Grafana cloud
       lookahead=220, triggers=(r"shp(?:at|ca|pa|ss)_", "dop_v1_", r"hvs\.", "glc_"))
_token("telegram-token", (":AA",), r"(?<!\d)(?P<value>\d{8,10}:AA[\w\-]{33})(?![\w\-])", lookback=10)
_token("jwt", ("eyJ",),
       r"(?<![\w\-])(?P<value>eyJ[\w\-]{8,4000}\.eyJ[\w\-]{2,8000}\.[\w\-]{0,4000})",
       r"(?<![\w\-])(?P<value>eyJ[\w\-]{8,4000}\.[\w\-]{8,8000}\.[\w\-]{16,4000})", lookahead=16100)


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
    anchors = ("token=", "key=", "secret=", "sig=", "signature=")
    keywords_ignore_case = False
    lookback = 20
    lookahead = 620
    patterns = (
        re.compile(
            r"(?i)[?&;#](?:access_token|auth_token|api_?key|apikey|token|key|secret|client_secret|"
            r"sig|signature|private_token|app_secret)=(?P<value>[A-Za-z0-9%+/=_\-.~]{12,600})"
        ),
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
    score = 0.9
    anchors = ("sqs://", "azureservicebus://")
    patterns = (re.compile(r"""(?:sqs|azureservicebus)://[^\s:@/"'`<>]{1,128}:(?P<value>[^\s@"'`<>]{3,200})@"""),)

    def accept(self, text, match, start, end):
        return (start, end) if plausible_secret(text[start:end], 2, "secret") else None


@register
class JwkPrivateDetector(AnchoredDetector):
    """Private members of a JSON Web Key (`"k"` of a symmetric key; `"d"`, `"p"`, `"q"`, `"dp"`,
    `"dq"`, `"qi"` of RSA/EC keys), in texts that contain a `kty` member."""

    name = "jwk-private"
    label = Label.KEY
    score = 0.9
    keywords = ("kty",)
    keywords_ignore_case = False
    anchors = tuple(q + m + q for q in "\"'" for m in ("k", "d", "p", "q", "dp", "dq", "qi"))
    lookahead = 2100
    patterns = (re.compile(r"""["'](?:k|d|p|q|dp|dq|qi)["']\s{0,4}:\s{0,4}["'](?P<value>[A-Za-z0-9_\-]{16,2000})["']"""),)


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


# --- literals assigned to secret-like names ----------------------------------------------------

# Where a name ends and its value begins, in any syntax: `=`, `:`, `=>`, `:=`, `(` (a setter or a
# keyword call), `,` (a pair like `put("apiKey", "...")`), after an optional closing quote/bracket.
SEP = r"""(?:["'`\]]{1,2})?\s{0,4}(?P<sep>=>|:=|=(?![=~])|:(?!:)|\(|,)(?:(?<=\()\s{0,24}|[ \t]{0,4}\n?[ \t]{0,4})"""
# An optional wrapper before the literal: `[]byte(`, `Buffer.from(`, `b"`, `r'`, `@"`.
WRAP = r"""(?:\[\]byte\(|new\s{1,2}\w{1,20}\(|[\w.]{1,30}\(\s{0,2}|[rbuRBfFL@]{1,2}(?=["'`]))?"""
# Config syntaxes (INI, .env, YAML, properties) separate with `=` or `:` only.
SEP_CONFIG = r"""(?:["'`\]]{1,2})?[ \t]{0,4}(?:=(?![=~])|:(?!:))[ \t]{0,4}"""
TRIPLE = '"""' + "|'''"  # Python/Kotlin/Scala multi-line string quotes
# `(?=(?P<value>X))(?P=value)` matches X atomically: a value that is not followed by what must
# follow is dropped at once instead of being retried one character shorter at a time.
QUOTED = r"""(?P<q>["'`])(?=(?P<value>[^"'`\n\\]{1,300}))(?P=value)(?P=q)"""
UNQUOTED = r"""(?=(?P<value>[^\s"'`,;#(){}\[\]<>=]{6,300}={0,2}))(?P=value)(?=[ \t]*(?:[#;][^\n]{0,500})?$|[ \t]*,)"""
_KEY_KW = r"(?:secret|token|key|auth|credential|bearer|signing)"
# Pure configuration files: an unquoted value there is a literal, not a variable.
CONFIG_FILES = frozenset({"yaml", "ini", "dotenv", "properties", "toml", "conf", "shell", "makefile", "dockerfile"})



_STRONG = {"secret", "secrets", "hmac", "apikey", "privatekey", "secretkey"}
_KEY_QUALIFIERS = {"api", "access", "private", "secret", "signing", "encryption", "master", "session",
                   "app", "consumer", "license", "client", "auth", "hmac", "shared", "account",
                   "subscription", "write", "read", "admin", "server", "storage", "sas", "jwt", "crypt",
                   "cipher", "aes", "enc", "sign", "cookie", "webhook", "service", "user", "bot", "dev",
                   "live", "prod", "test", "publishable"}
_TOKEN_QUALIFIERS = {"access", "refresh", "auth", "bearer", "api", "session", "oauth", "id", "personal", "bot",
                     "github", "gitlab", "slack", "npm", "pypi", "hf", "discord", "telegram", "jwt"}
_TOKEN_WORDS = {"token", "tokens", "bearer", "auth", "authorization", "pat", "credential", "credentials"}
# Words that make a name describe something else than the secret itself.
_BAD_NAME = word_set("""
public pub id ids identifier name names path paths file files filename dir url uri urls endpoint
type types len length size count prefix suffix field fields param params env var vars format fmt
hash hashed hasher digest checksum fingerprint expiry expires expiration expire expired ttl
timeout index idx max min cache sort primary foreign label description desc help msg message error
errors pattern regex class mode version ref provider generator location method scope scopes kind
enabled required lifetime limit page next starting continuation pagination cursor tokenizer
tokenize tokenized lexer header headers placeholder template attr attribute column question hint
prompt text title policy rotation manager handler reader loader parser validator verifier request
kid alias ring chain map mapping list dict func fn callback event events input output schema spec
exists valid store lookup resolver source algorithm algorithms alg encoding bits usage pair
strategy icon button keys word words stream arn check config encode decode encrypt decrypt
generate selection expression status state
change import export copy update sequence lock
""")
# Calls whose string argument is a lookup key, a name or a prompt, not the secret.
LOOKUP_WRAPPERS = re.compile(
    r"(?i)get|pop|env|conf|setting|read|load|open|file|path|join|format|lookup|vault|fetch|find|prompt|"
    r"input|query|typevar|generate|param|arg|attr|field|header|name|^_\($|gettext|translate|secret|"
    r"encode|decode|log|debug|info|warn|error|print|echo|raise|assert|message|require|import|include"
)
# Identifiers written as values: `aws_secret_access_key`, `AWSAccessKeyId`, `s3:GetObject`.
_SNAKE = re.compile(r"_?[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][a-z]+|(?:[A-Z][a-z]+-)+[A-Z][a-z]+")
_SECRETISH = frozenset({"key", "secret", "token", "credential", "credentials", "password", "auth", "id", "arn",
                        "signing", "private", "access", "session", "client", "api"})


def name_before(text: str, pos: int, limit: int = 60) -> int:
    """Start of the identifier (letters, digits, `_ - . $ @`) that ends at `pos`."""
    i = pos
    while i > 0 and pos - i < limit and (text[i - 1].isalnum() or text[i - 1] in "_-.$@"):
        i -= 1
    return i


def last_component(name: str) -> str:
    """`self.config.api_key` -> `api_key`: only the last attribute names the value."""
    return name.rstrip(".").rsplit(".", 1)[-1]


# For a call `f_token("x")` the argument is the secret even when `f` hashes or checks it; only
# lookups, prompts and factories take something else.
_BAD_CALL = word_set("""
get read load fetch find lookup prompt input field label name names env file path url type len pop
generate header headers attr param arg typevar id ids description
""")


def secret_name_strength(name: str, call: bool = False) -> int:
    """2: clearly a secret (secret, signing key, api key); 1: a token/key/auth name whose value
    must also look random; 0: not a secret name. `call`: the name is a called function."""
    words = identifier_words(last_component(name).replace("id_token", "token").replace("idToken", "token"))
    if call and words[:1] not in (["set"], ["with"], ["use"]):
        if not words or _BAD_CALL.intersection(words) or "password" in words or "passwd" in words:
            return 0
        return min(1, secret_name_strength(name.replace("hash", "").replace("Hash", "")))
    if not words or _BAD_NAME.intersection(words) or "password" in words or "passwd" in words:
        return 0
    joined = "".join(words)
    if _STRONG.intersection(words) or any(s in joined for s in ("apikey", "privatekey", "clientsecret")):
        return 2
    for i, w in enumerate(words):
        if w == "key" and (i == 0 and len(words) == 1 or i > 0 and words[i - 1] in _KEY_QUALIFIERS):
            return 2 if i > 0 else 1
    for i, w in enumerate(words):  # access_token, refreshToken, AUTH_TOKEN: a credential by name
        if w == "token" and i > 0 and words[i - 1] in _TOKEN_QUALIFIERS:
            return 2
    return 1 if _TOKEN_WORDS.intersection(words) else 0


# Names under which a UUID is a credential: secrets, auth/session/access tokens, snake_case
# `*_token` (Vault's `client_token`), not AWS-style idempotency tokens (`ClientToken`, `LockToken`).
_UUID_SECRET_NAME = re.compile(r"(?i)secret|credential|(?:auth|access|session|api|bearer|refresh|vault)[_-]?token|^[a-z_]*_token$")


# Algorithm names passed where a key could be (`jwt.encode(claims, key, "RS256")`).
_ALGORITHM = re.compile(r"(?i)(?:hs|rs|es|ps)(?:256|384|512)|eddsa|none|(?:hmac-?)?(?:sha|md)\d*(?:-\d+)?|aes-?\d*\w*")


_FILLER = frozenset({"string", "value", "here", "goes", "your", "my", "the", "a", "an", "of", "for", "to", "this"})
# Settings that sit under secret-like names without being secrets (units, modes, schemes).
_ENUM_VALUES = word_set("""
minutes hours days seconds ms enabled disabled required optional auto header query cookie body bearer
basic jwt opaque include omit strict lax plain always never
""")


def is_reference_value(value: str) -> bool:
    """Values that name or point at something rather than being a literal secret: identifiers,
    ARNs and URNs, paths, expressions, doc example values."""
    if "EXAMPLE" in value or value.count(":") >= 2 or value[:1] in "$_%" or not any(c.isalnum() for c in value):
        return True
    if "{" in value and "}" in value:  # f-strings and templates
        return True
    if _SNAKE.fullmatch(value) or re.fullmatch(r"(?:[A-Z][A-Za-z]*\s)+[A-Z][A-Za-z]*", value):
        return True  # identifiers and Title Case labels ("AWS Secret Access Key")
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", value) and _SECRETISH.intersection(identifier_words(value)):
        return True  # AWSAccessKeyId, apiToken: the name of a field, not its value
    parts = re.split(r"[/:.]", value)  # serverlessrepo:applicationId, a/b/c paths
    return len(parts) >= 2 and sum(is_word_like(p) or p.isdigit() or not p for p in parts) >= len(parts) - 1


def plausible_secret(value: str, strength: int, name: str = "") -> bool:
    """Filters common to every assigned secret: placeholders, references, hashes, UUIDs, public
    keys, prose. A clear secret name accepts weak literals (`keyboard cat`); a weaker one asks
    for a random-looking value."""
    value = value.strip()
    if strength <= 0 or len(value) < 4 or value.count(" ") > (5 if strength >= 2 else 0):
        return False
    if is_placeholder(value) or is_code_reference(value) or is_public_key(value) or _ALGORITHM.fullmatch(value):
        return False
    if is_uuid(value) and not _UUID_SECRET_NAME.search(last_component(name)):
        return False  # a UUID names things, unless it sits in a secret's place (Vault tokens)
    if looks_like_hash(value, name) or is_base64_text(value) or is_reference_value(value):
        return False
    if " " in value and set(value.lower().split()) <= _FILLER | set(identifier_words(name)):
        return False  # "private key string", "your api key": the name restated in words
    if strength >= 2:
        return not (is_sequence(value) and len(value) > 4 or value.lower() in _ENUM_VALUES)
    if len(value) < 12 or " " in value or is_word_like(value) or is_sequence(value):
        return False
    if any(len(p) >= 4 and p.isalpha() and p.islower() for p in re.split(r"[-_/.]", value)):
        return False  # `import-token-x7d2`, `signed-<uuid>`: a named identifier, not random
    if re.fullmatch(r"[0-9a-fA-F]+", value):
        return len(value) >= 32 and not looks_like_hash(value, name or None)
    has_lower = any(c.islower() for c in value)
    return has_lower and shannon_entropy(value) >= 3.0 and any(c.isdigit() for c in value)


class _Assigned(AnchoredDetector):
    """Shared `accept`: find the whole name before the value, judge it, then judge the value."""

    label = Label.KEY
    score = 0.8

    def strength(self, name: str, call: bool = False) -> int:
        return secret_name_strength(name, call)

    def accept(self, text, match, start, end):
        groups = match.groupdict()
        name_start = name_before(text, match.start())
        if re.fullmatch(r"::|\w:", text[max(0, name_start - 2) : name_start]):
            return None  # a qualified name (`AWS::KMS::Key`, `ns:key`) names a type, not a secret
        name = text[name_start : match.end("name")] if "name" in groups else ""
        wrap = (groups.get("wrap") or "").strip()
        if wrap.endswith("(") and LOOKUP_WRAPPERS.search(wrap):
            return None  # os.getenv("X"), config.get("x"): the literal is a lookup key
        sep = groups.get("sep")
        strength = self.strength(name, call=sep == "(")
        if sep == ",":
            before = text[max(0, name_start - 8) : name_start]
            if not re.search(r"\(\s{0,4}[\"'`]$", before):
                return None  # `,` separates a pair only in a call: put("apiKey", "..."), not a dict
        if groups.get("q") is None and "value" in groups and self.language not in CONFIG_FILES:
            strength = min(strength, 1)  # unquoted in code: as likely a variable as a literal
        if wrap[-1:] in "fF" and "{" in text[start:end]:
            return None
        return (start, end) if plausible_secret(text[start:end], strength, name) else None


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
        r"(?:secret|token|key|auth|credential)[\w.\-]{0,40}[\"'`\]]{0,2}\s{0,4}(?:=>|:=|=|:|\(|,)\s{0,24}"
        r"(?:\[\]byte\(|new\s{1,2}\w{1,20}\(|[\w.]{1,30}\(\s{0,2}|[rbuRBfFL@]{1,2})?[\"'`]",
        r"(?:secret|token|key|auth|credential)[\w.\-]{0,40}[\"'`\]]{0,2}[ \t]{0,4}[=:][ \t]{0,4}\n?[ \t]{0,4}"
        r"[^\s\"'`,;#(){}\[\]<>=]{6,300}={0,2}[ \t]*(?:[#;,]|\r?\n|$)",
        r"#\s{0,4}define\s{1,8}\w{0,40}(?:secret|token|key|auth|credential)",
    )
    context = (2, 1)  # a hit ends at the value, which may sit a line or two below its name
    lookahead = 450
    patterns = (
        re.compile(rf"(?i)(?P<name>{_KEY_KW}[\w.\-]{{0,40}}){SEP}(?P<wrap>{WRAP}){QUOTED}"),
        re.compile(rf"(?im)(?P<name>{_KEY_KW}[\w.\-]{{0,40}}){SEP_CONFIG}{UNQUOTED}"),
        # C/C++ macros: `#define API_KEY "..."`
        re.compile(rf"(?i)(?P<name>{_KEY_KW}\w{{0,40}})[ \t]{{1,8}}(?P<define>){QUOTED}"),
    )

    def accept(self, text, match, start, end):
        if "define" in match.groupdict():
            line_start = text.rfind("\n", 0, match.start()) + 1
            if not re.fullmatch(r"[ \t]*#[ \t]*define[ \t]+\w*", text[line_start : match.start()]):
                return None
        return super().accept(text, match, start, end)


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
    anchors = ("</", "value=")
    keywords_ignore_case = False
    lookback = 380
    lookahead = 70
    patterns = (
        re.compile(r"<(?P<name>[\w.:\-]{1,60})>(?P<q>)(?P<value>[^<>\s]{3,300})</(?P=name)>"),
        re.compile(r"""(?i)\b(?:key|name)\s{0,2}=\s{0,2}"(?P<name>[^"\n]{1,60})"\s{1,4}value\s{0,2}=\s{0,2}(?P<q>")(?P<value>[^"\n]{3,300})\""""),
    )


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

    def accept(self, text, match, start, end):
        value = text[start:end]
        if match.re is self.patterns[1]:  # Basic credentials: base64 of `user:password`
            try:
                decoded = b64decode(value + "=" * (-len(value) % 4), validate=True).decode("ascii")
            except ValueError:
                return None
            return (start, end) if decoded.isprintable() and ":" in decoded[1:-1] else None
        return super().accept(text, match, start, end)


@register
class SecretCallDetector(_Assigned):
    """A signing secret passed positionally to a JWT/HMAC library call:
    `jwt.sign(payload, 'VALUE')`, `jwt.verify(token, 'VALUE')`, `hmac.new(b'VALUE', ...)`."""

    name = "secret-call"
    anchors = ("jwt.", "JWT.", "hmac.")
    keywords_ignore_case = False
    lookahead = 600
    patterns = (
        re.compile(r"""(?i)\b(?:jwt|jws|jose)\.(?:sign|verify|encode|decode)\((?:[^\n;]{0,200}?,)\s{0,4}[bB]?(?P<q>["'])(?P<value>[^"'\n\\]{3,300})(?P=q)"""),
        re.compile(r"""(?i)\bhmac\.(?:new|digest)\(\s{0,4}[bB]?(?P<q>["'])(?P<value>[^"'\n\\]{3,300})(?P=q)"""),
    )

    def strength(self, name: str, call: bool = False) -> int:
        return 2


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
        line = text[text.rfind("\n", 0, start) + 1 : (text.find("\n", end) + 1 or len(text) + 1) - 1]
        if not _SECRET_LINE.search(line) or _NOT_SECRET_LINE.search(line):
            return None
        value = text[start:end]
        if not (any(c.isupper() for c in value) and any(c.islower() for c in value) and any(c.isdigit() for c in value)):
            return None
        if shannon_entropy(value) < 3.5 or "EXAMPLE" in value.upper():
            return None
        if any(len(p) >= 4 and p.isalpha() and (p.islower() or p.istitle()) for p in re.split(r"[-_]", value)):
            return None  # `X-Amz-Session-Token`: a name made of words
        return (start, end) if plausible_secret(value, 1, "secret") else None
