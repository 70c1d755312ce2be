"""Is a name a secret's name, is a literal a secret: the judgement the KEY detectors share.

`secret_name_strength` reads the words of a name (`SECRET_KEY` 2, `api_token` 2, `token` 1,
`token_type` 0); `plausible_secret` asks more of the value the weaker the name is, and drops
placeholders, references, hashes, UUIDs, public keys and prose.
"""

from __future__ import annotations

import re

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

from .assignment import last_component

_STRONG = {"secret", "secrets", "hmac", "apikey", "privatekey", "secretkey"}
_KEY_QUALIFIERS = {"api", "access", "private", "secret", "signing", "encryption", "master", "session",
                   "app", "license", "client", "auth", "hmac", "shared", "account",
                   "subscription", "write", "read", "admin", "server", "storage", "sas", "jwt", "crypt",
                   "cipher", "aes", "enc", "sign", "decryption", "cookie", "webhook", "service", "user", "bot", "dev",
                   "live", "prod", "test", "publishable", "priv", "pvt"}
# Testing clouds whose CI settings hold a user name and a key (`SAUCE_KEY`, `TESTINGBOT_KEY`).
_TEST_CLOUDS = ("sauce", "saucelabs", "testingbot", "browserstack", "lambdatest", "crossbrowsertesting", "kobiton",
                "bitbar", "testobject")
_KEY_QUALIFIERS.update(_TEST_CLOUDS)
_TOKEN_QUALIFIERS = {"access", "refresh", "auth", "bearer", "api", "session", "oauth", "id", "personal", "bot",
                     "github", "gitlab", "slack", "npm", "pypi", "hf", "discord", "telegram", "jwt", "vault"}
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
# Words that leave a key's or secret's name a key's (`digest_key`, `validSigningSecret`).
_KEYED_OK_WORDS = frozenset({"digest", "valid"})
# Keys that are credentials in some services and names in others (PagerDuty's `routing_key`,
# AMQP's; ASP.NET's `validationKey`): the value must look random.
_WEAK_KEY_QUALIFIERS = {"routing", "integration", "validation", "machine"}
# Identifiers written as values: `aws_secret_access_key`, `AWSAccessKeyId`, `s3:GetObject`.
_SNAKE = re.compile(r"_?[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][a-z]+|(?:[A-Z][a-z]+-)+[A-Z][a-z]+")
_SECRETISH = frozenset({"key", "secret", "token", "credential", "credentials", "password", "auth", "id", "arn",
                        "signing", "private", "access", "session", "client", "api"})


# For a call `f_token("x")` the argument is the secret even when `f` hashes or checks it; only
# lookups, prompts and factories take something else.
_BAD_CALL = word_set("""
get read load fetch find lookup prompt input field label name names env file path url type len pop
generate header headers attr param arg typevar id ids description
""")


# Lower-case names written as one word (`sharedsecret`, `appsecret`, `authtoken` in INI and YAML
# configs): a qualifier and a credential word run together, read as the two words. Only qualifiers
# that make a credential: `testkey`, `userkey`, `idtoken` are as often a map's keys or fields,
# and coturn's `hmackey` column holds a digest of a password.
_COMPOUND = re.compile(r"(shared|app|api|auth|access|client|consumer|secret|private|priv|pvt|signing|session|master|oauth|"
                       r"bearer|refresh|webhook|jwt|bot|license|encryption)(secret|key|token)")


def name_words(name: str) -> list[str]:
    """The words of a name's last component, run-together compounds split (`sharedsecret`)."""
    words = identifier_words(last_component(name))
    if len(words) > 3 and words[-2] == "for":
        words = words[:-2]  # Dynaconf's `VAULT_TOKEN_FOR_DYNACONF`: the setting, then its owner
    if not any(len(w) > 5 and _COMPOUND.fullmatch(w) for w in words):
        return words
    return [part for w in words for part in (_COMPOUND.fullmatch(w) or re.fullmatch("(.*)()", w)).groups() if part]


def secret_name_strength(name: str, call: bool = False) -> int:
    """2: clearly a secret (secret, signing key, api key); 1: a token/key/auth name whose value
    must also look random; 0: not a secret name. `call`: the name is a called function."""
    words = name_words(name.replace("id_token", "token").replace("idToken", "token"))
    if call and words[:1] not in (["set"], ["with"], ["use"]):
        if not words or _BAD_CALL.intersection(words) or "password" in words or "passwd" in words:
            return 0
        return min(1, secret_name_strength(name.replace("hash", "").replace("Hash", "")))
    if not words or "password" in words or "passwd" in words:
        return 0
    if _BAD_NAME.intersection(words):
        # A key or secret named after what it signs or digests (`digest_key`, `HMAC_DIGEST_SECRET`)
        # is still a key: its value must look random.
        keyed = words[-1] in ("key", "secret") and _BAD_NAME.intersection(words) <= _KEYED_OK_WORDS
        return 1 if keyed else 0
    joined = "".join(words)
    if _STRONG.intersection(words) or any(s in joined for s in ("apikey", "privatekey", "clientsecret")):
        return 2
    for i, w in enumerate(words):
        if w == "key" and (i == 0 and len(words) == 1 or i > 0 and words[i - 1] in _KEY_QUALIFIERS):
            return 2 if i > 0 else 1
        if w == "key" and i > 0 and words[i - 1] in _WEAK_KEY_QUALIFIERS:
            return 1
    for i, w in enumerate(words):  # access_token, refreshToken, AUTH_TOKEN: a credential by name
        if w == "token" and i > 0 and words[i - 1] in _TOKEN_QUALIFIERS:
            return 2
    return 1 if _TOKEN_WORDS.intersection(words) else 0


# Names under which a UUID is a credential: secrets, auth/session/access tokens, snake_case
# `*_token` (Vault's `client_token`), not AWS-style idempotency tokens (`ClientToken`, `LockToken`).
_UUID_SECRET_NAME = re.compile(
    r"(?i)secret|credential|(?:auth|access|session|api|bearer|refresh|vault)[_-]?token|^[a-z_]*_token$|"
    rf"(?:access|api|private|license|{'|'.join(_TEST_CLOUDS)})[_-]?key"  # SAUCE_ACCESS_KEY=<uuid>, Heroku API keys
)


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
    if "EXAMPLE" in value or value.count(":") >= 2 or value[:1] in "$_%<" or not any(c.isalnum() for c in value):
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
    if value.startswith("base64:") and strength >= 1:
        value = value[7:]  # Laravel's `APP_KEY=base64:<key>`: the scheme of the key, not a reference
    if strength <= 0 or len(value) < 4 or value.count(" ") > (5 if strength >= 2 else 0):
        return False
    if is_placeholder(value) or is_code_reference(value) or is_public_key(value) or _ALGORITHM.fullmatch(value):
        return False
    if is_uuid(value) and not _UUID_SECRET_NAME.search(last_component(name)):
        return False  # a UUID names things, unless it sits in a secret's place (Vault tokens)
    # Under a key's or secret's own name a hex value is the key, whatever the name says it signs.
    keyed = identifier_words(last_component(name))[-1:] in (["key"], ["secret"])
    hash_context = "" if keyed else name
    if looks_like_hash(value, hash_context) or is_base64_text(value) or is_reference_value(value):
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
        return len(value) >= 32 and (keyed or not looks_like_hash(value, name or None))
    has_lower = any(c.islower() for c in value)
    return has_lower and shannon_entropy(value) >= 3.0 and any(c.isdigit() for c in value)


# A name whose last words say the value IS a credential (`token`, `access_token`, `client_secret`,
# `API_KEY`), not a key of a map or a lexer's token kind; under it DECISIONS labels weak and
# metasyntactic literals too (`token = "test_token"`, `secret: "foo"`).
_CREDENTIAL_TAIL = re.compile(r"(?:token|secret|apikey|secretkey|accesskey|privatekey|clientsecret|pat)$")
# Values that restate what the credential is, a field or header name, or its kind.
_KIND_WORDS = _SECRETISH | {"csrf", "xsrf", "oauth", "bearer", "refresh", "jwt", "header", "authorization", "cookie",
                            "value", "string", "type", "name", "none", "null", "new", "old", "my", "your", "the"}

_KIND_RUN = re.compile("(?:" + "|".join(sorted(_KIND_WORDS, key=len, reverse=True)) + ")+")  # `accesskey`


# A test double's marker word, then a credential's kind (`test-oidc-token`, `fakeApiKey`, `mock secret`).
_MARKED = re.compile(r"(?:test|fake|mock|dummy)[ _\-]?(?:[a-z]{1,12}[ _\-]?){0,3}(?:secret|token|key|credentials?)s?\d{0,4}")
_FAKE_CONSTANT = re.compile(r"FAKE_(?:[A-Z]{1,12}_){0,3}(?:SECRET|TOKEN|KEY)S?\d{0,4}")


def marked_literal(value: str) -> bool:
    """A literal that calls itself a test double of a credential: `test-session-token`,
    `testServerToken`, `fake_key`, `FAKE_SECRET` (not `MY_TOKEN` or `TEST_TOKEN`, an environment
    variable's name as often)."""
    lower = value.lower()
    if not lower.startswith(("test", "fake", "mock", "dummy")):
        return False  # cheap first: most literals carry no marker
    return _MARKED.fullmatch(lower) is not None and (value == lower or not value.isupper()
                                                             or _FAKE_CONSTANT.fullmatch(value) is not None)


def self_described_secret(value: str) -> bool:
    """A literal written as a phrase that calls itself a secret (`some secret key`,
    `NeverShareYourSecret`, `this secret is reused`): a value, not a field's or a storage key's name
    (`client_secret`, `userSecretKey`: up to three words of an identifier) nor a label in Title Case
    (`Secret Key`)."""
    if "secret" not in value.lower():
        return False  # cheap first: most literals never say it
    words = identifier_words(value)
    if "secret" not in words or not value[:1].isalpha() or re.fullmatch(r"[A-Z][a-z]*(?:[ \t][A-Z][a-z]*)+", value):
        return False
    return " " in value.strip() or len(words) >= 4 and re.fullmatch(r"[A-Za-z]+", value) is not None


def weak_secret_literal(value: str, name: str) -> bool:
    """A weak but written literal under a credential's name (`mytoken`, `test_token`,
    `tok-123`, `t0pS3cret!`): not a placeholder, reference, enum, kind or field name."""
    words = name_words(name)
    v = value.strip()
    # A first-person compound (`mysecret`, `my secret`, `my_token`) is a literal (DECISIONS),
    # not the credential's kind restated; `your_token` is addressed to the reader. One that says
    # secret or token is one under any key's name (`routing_key: "mysecret"`).
    first_person = re.fullmatch(r"my[ _\-]?[a-z]{3,}\d{0,4}", v.lower()) is not None
    # ... and so is a test double's literal that says what it stands in for (`test-session-token`,
    # `fake_key`, `FAKE_SECRET`, `mockApiKey`: DECISIONS labels a literal that calls itself fake or
    # test like `testpass`); restating the credential's kind is then its description, not its name.
    # Under a bare `key` a marked literal must say secret or token: `key = "test_key"` names a cache
    # or map entry in tests as often; under `credential`, a key too (`credential="fake_key"`).
    marked = first_person or marked_literal(v) or self_described_secret(v)
    says = re.findall(r"secret|token|key", v.lower()) if marked else []
    says_secret = bool(says) and (first_person or set(says) != {"key"})
    if not words or not (_CREDENTIAL_TAIL.search("".join(words)) or says_secret and words[-1] == "key"
                         or says and words[-1] == "credential") or _BAD_NAME.intersection(words):
        return False
    if not 3 <= len(v) <= 200 or v.count(" ") > 3 or not v[0].isalnum() or v.count(":") >= 2 or (
            not any(c.isalpha() for c in v) and len(v) < 6):
        return False
    if marked and _FAKE_CONSTANT.fullmatch(v):
        return True  # `FAKE_SECRET`: upper case, yet no constant's name
    if is_placeholder(v) or is_code_reference(v) or _ALGORITHM.fullmatch(v) or v.lower() in _ENUM_VALUES:
        return False
    keyed = words[-1:] in (["key"], ["secret"])
    if is_public_key(v) or is_base64_text(v) or looks_like_hash(v, "" if keyed else name):
        return False  # what `plausible_secret` rules out whatever the name
    if re.fullmatch(r"[A-Z][A-Z0-9_]*|[^\w]+|[\w.\-]*\.(?:json|txt|pem|key|yml|yaml|toml|env|cfg)|\S*[/\\]\S*|\S*://\S*", v):
        return False  # a lexer's token kind (`IDENT`), punctuation, a file or path, a URL
    if "{" in v or v[:1] in "$%@:<" or "EXAMPLE" in v.upper() or re.fullmatch(r"(?:[A-Z][A-Za-z]*-)+[A-Z][A-Za-z]*", v):
        return False  # templates, references, header names (`X-Auth-Token`)
    value_words = identifier_words(v)
    if not marked and (all(w in _KIND_WORDS or w in words for w in value_words) or _KIND_RUN.fullmatch(v.lower())):
        return False
    if not marked and len(_SECRETISH.intersection(value_words)) >= 2:
        return False  # `aws_access_key_id`, `token = "access_token"`: a field's name, the credential's kind
    return not (is_sequence(v) or is_uuid(v) and not _UUID_SECRET_NAME.search(last_component(name)))
