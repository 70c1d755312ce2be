"""Pure predicates shared by the detectors: is this value a hash, a UUID, a placeholder, a word?

Stdlib only, no state: each function looks at a value (and sometimes a little context) and
answers yes or no, so detectors can reject what the annotation guidelines say is not PII.
"""

from __future__ import annotations

import binascii
import ipaddress
import math
import re
from base64 import b64decode
from collections import Counter


def word_set(block: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text: how the word lists are written."""
    return frozenset(block.split())


# --- secrets: entropy, hashes, UUIDs, placeholders, words --------------------------------------


def shannon_entropy(value: str) -> float:
    """Bits per character of `value` (0.0 for the empty string)."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


_HEX = re.compile(r"[0-9a-fA-F]+")
# Digest lengths in hex: md5, sha1/ripemd, sha224, sha256, sha384, sha512.
HEX_DIGEST_LENGTHS = frozenset({32, 40, 56, 64, 96, 128})
# Algorithm-prefixed digests: SRI `sha512-...`, `sha256:...` (docker, pip), `{SSHA}...`, `md5$...`.
_PREFIXED_HASH = re.compile(
    r"(?i)^(?:\{s?(?:sha\d*|md5|crypt|ssha\d*)\}|(?:sha-?(?:1|224|256|384|512)|md5|blake2[bs]?|"
    r"sha3-\d+|crc32|xxh\d*)[-:$=])\S+$"
)
# Unix crypt/bcrypt/argon2 hashes: `$2b$12$...`, `$6$salt$...`, `$argon2id$v=19$...`.
_CRYPT_HASH = re.compile(r"^\$(?:2[abxy]?|1|5|6|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*|y|gy|7)\$\S{8,}$")
_HASH_CONTEXT = re.compile(
    r"(?i)sha\d|sha-|md5|hash|digest|checksum|integrity|fingerprint|etag|crc|commit|revision|"
    r"\brev\b|git|blake|sum\b|_sum|signature_of|tree|object_id|oid|cache"
)


def is_hex_digest_shape(value: str) -> bool:
    """Hex string as long as a common digest (md5 .. sha512)."""
    return len(value) in HEX_DIGEST_LENGTHS and _HEX.fullmatch(value) is not None


def looks_like_hash(value: str, context: str | None = None) -> bool:
    """True for hashes/checksums of public content, which are not secrets.

    An algorithm-prefixed or crypt-style value is a hash whatever the context. A bare hex value
    of a digest length is a hash when `context` (a variable name or the nearby text) talks about
    hashes, or when no context is given at all (shape alone decides).
    """
    if _PREFIXED_HASH.match(value) or _CRYPT_HASH.match(value):
        return True
    if not is_hex_digest_shape(value):
        return False
    return context is None or _HASH_CONTEXT.search(context) is not None


def is_hash_context(context: str) -> bool:
    """The context (name or nearby text) speaks of hashes, digests or checksums."""
    return _HASH_CONTEXT.search(context) is not None


_UUID = re.compile(r"\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?")


def is_uuid(value: str) -> bool:
    return _UUID.fullmatch(value) is not None


# Templating and variable references: ${X}, $X, {{ x }}, {x}, %(x)s, %s, <x>, [x], @x@, __X__, #{x}.
_TEMPLATE = re.compile(
    r"""^(?:\$\{[^}]*\}?|\$\(.*\)?|\$[A-Za-z_]\w*|\{\{.*\}\}|\{[^{}]*\}|%\(?\w*\)?[sdr]|%\w+%|
    <[^<>]*>|\[[^\[\]]*\]|@\w+@|__\w+__|\#\{[^}]*\}|\{%.*%\}|<%.*%>|\$\$\w+)$""",
    re.VERBOSE,
)
# Any embedded template/variable reference makes the whole value a template.
_EMBEDDED_TEMPLATE = re.compile(r"\$\{|\{\{|%\(\w+\)s|\$\(|\#\{|<%|\{%")
# Mask characters only (****, xxxx, ....) or the same character repeated.
_MASK = re.compile(r"^(?:[*x•#.?_\-0]+|(.)\1+)$", re.IGNORECASE)
_PLACEHOLDER_WORD = re.compile(
    r"""(?ix)
    ^(?:none|null|nil|undefined|true|false|empty|todo|fixme|tbd|n/?a|secret|secrets|password|passwd|
    pass|pwd|token|key|apikey|api[_-]?key|changeme|change[_-]?me|change[_-]?it|redacted|removed|
    hidden|masked|placeholder|sample|dummy|default|xxx+|value|string|str|your[_-]?\w*)$
    """
)
# A one-word placeholder is written in one case (`secret`, `SECRET`, `Secret`); a capital inside
# the word (`secRet`, `toKen`) is a chosen value (camelCase joins of two words, `changeMe`,
# `apiKey`, are still placeholders).
_ONE_WORDS = frozenset({"secret", "secrets", "token", "none", "null", "empty", "hidden", "masked", "sample",
                        "dummy", "default", "value", "string", "redacted", "removed", "placeholder"})
_ODD_CASE = re.compile(r"[a-z][A-Z]")


def has_inner_capital(value: str) -> bool:
    """`secRet`, `toKen`: a capital inside a word, which a placeholder word never has."""
    return _ODD_CASE.search(value) is not None

# Phrases that mark a value as an instruction to the reader, not a value.
_PLACEHOLDER_PHRASE = re.compile(
    r"(?i)\byour[_\- ]?(?:own[_\- ]?)?[\w\- ]{0,20}(?:key|token|secret|password|pass|id|here)|"
    r"(?:key|token|secret|password)[_\- ]?here|replace[_\- ]?(?:me|with|this)|insert[_\- ]|"
    r"enter[_\- ]?(?:your|the|a)|put[_\- ]?your|change[_\- ]?(?:me|this)|placeholder|"
    r"redacted|xxxx|\.\.\.|<[a-z_\- ]+>|example[_\- ]?(?:key|token|secret)|^example|example$|"
    r"not[_\- ]?(?:a[_\- ]?)?(?:real|set)|dummy|changeit|notsecret|insecure-?default|"
    # `tobemodified` (Strapi's .env.example), `to_be_replaced`, `fill_me_in`, `modify-me`.
    r"to[_\- ]?be[_\- ]?(?:modified|changed|replaced|set|filled|defined|generated)|(?:fill|modify|set)[_\- ]?me(?![a-z])"
)
# Environment lookups written as a value (.env references, CI syntax, shell defaults).
_ENV_LOOKUP = re.compile(
    r"(?i)^(?:env[:(.\[]|\$env:|%env|!env|os\.environ|os\.getenv|getenv|process\.env|"
    r"system\.getenv|environment\.|secrets\.|vars\.|settings\.|config\.|\$ENV\{|ENV\[)"
)


def is_env_lookup(value: str) -> bool:
    return _ENV_LOOKUP.match(value) is not None


# Specification example credentials, copied into every library that implements the spec: RFC
# 5849's (OAuth 1.0) consumer, temporary and token credentials and verifier. Like AWS's
# ...EXAMPLE keys they are documentation, not secrets (eval/benchmark/DECISIONS.md).
_SPEC_EXAMPLE_SECRETS = frozenset({
    "dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00",
    "hh5s93j4hdidpola", "hdhd0244k9j7ao03", "hfdp7dh39dks9884", "9djdj82h48djs9d2",
    "kkk9d7dh3k39sjv7",
})


def is_placeholder(value: str) -> bool:
    """Templates, masks, env lookups and instruction-like placeholders (YOUR_API_KEY, <token>,
    changeme, ${VAR}, {{ var }}, %(x)s, ****, "password", xxx...). Weak but literal values
    (`hunter2`, `1234`) are NOT placeholders."""
    v = value.strip().strip("\"'`")
    if not v or v in _SPEC_EXAMPLE_SECRETS:
        return True
    return bool(
        _MASK.match(v)
        or _TEMPLATE.match(v)
        or _EMBEDDED_TEMPLATE.search(v)
        or _PLACEHOLDER_WORD.match(v) and not (v.lower() in _ONE_WORDS and has_inner_capital(v))
        or _PLACEHOLDER_PHRASE.search(v)
        or _ENV_LOOKUP.match(v)
    )


# Identifier-ish: words joined by _ - . / : or a space, camelCase, optional trailing digits.
_WORDS = re.compile(r"^[A-Za-z]+(?:[_\-. /:][A-Za-z]+)*[_\-]?\d{0,3}$")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def is_word_like(value: str) -> bool:
    """Words and identifiers (`my_secret_key`, `SomeClassName`, `app.settings.KEY`), not
    random strings: a random 20+ character secret almost always has a digit, and its
    camelCase parts would be too many and too short to be words."""
    if _WORDS.match(value):
        return True
    if not value.isalnum():
        return False
    parts = _CAMEL_PART.findall(value)
    letters = [p for p in parts if p.isalpha()]
    digits = [p for p in parts if p.isdigit()]
    # Words average 4+ letters; random mixed-case strings split into 1-2 letter fragments.
    return bool(letters) and len(digits) <= 1 and sum(map(len, letters)) / len(letters) >= 4


def is_sequence(value: str) -> bool:
    """Keyboard/alphabet/digit runs and repeated units: `123456789`, `abcdef`, `qwerty`,
    `abcabcabc`, `0123456789abcdef`."""
    v = value.lower()
    if len(v) < 3:
        return False
    for size in range(1, len(v) // 2 + 1):  # repeated unit ("abab", "xyzxyzxyz")
        if len(v) % size == 0 and v[:size] * (len(v) // size) == v:
            return True
    steps = sum(1 for a, b in zip(v, v[1:]) if abs(ord(b) - ord(a)) == 1)
    if steps >= 0.7 * (len(v) - 1):
        return True
    if len(v) >= 8 and len(v) % 2 == 0 and _HEX.fullmatch(v):  # hex bytes 00 01 02 ... (test vectors)
        raw = bytes.fromhex(v)
        if all(b - a == 1 for a, b in zip(raw, raw[1:])):
            return True
    return any(run in v and len(run) >= 0.6 * len(v) for run in _KEYBOARD_RUNS)


_KEYBOARD_RUNS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx", "qwerty", "asdfgh")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2}")


def is_base64_text(value: str) -> bool:
    """Base64 of ordinary text (`SGVsbG8gd29ybGQ=` = "Hello world"): words encoded, not a key."""
    if len(value) < 8 or not _BASE64.fullmatch(value):
        return False
    padded = value.replace("-", "+").replace("_", "/")
    padded += "=" * (-len(padded) % 4)
    try:
        raw = b64decode(padded, validate=True)
        text = raw.decode("ascii")
    except (binascii.Error, ValueError):
        return False
    if not text.isprintable():
        return False
    plain = sum(c.isalpha() or c == " " for c in text)
    return " " in text.strip() and plain >= 0.85 * len(text)


# OpenSSH/PuTTY public keys (`ssh-rsa AAAAB3NzaC1yc2E...`): the base64 starts with the key type.
# DER SubjectPublicKeyInfo in base64 (RSA `MIIBIjANBgkqhkiG9w0BAQEFAAOC...`, Ed25519 `MCowBQYDK2VwAyEA`).
_PUBLIC_KEY = re.compile(
    r"^(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-\S+|AAAA[BCE][0-9][A-Za-z0-9]{4}|"
    r"MI[A-Za-z0-9+/]{2}[A-Za-z0-9+/]{0,4}ANBgkqhkiG9w0BAQEFAAO|MCowBQYDK2Vw|MFkwEwYHKoZIzj0CAQ)"
)


def is_public_key(value: str) -> bool:
    return _PUBLIC_KEY.match(value) is not None


_IDENT_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def identifier_words(name: str) -> list[str]:
    """Lower-case words of an identifier: `awsSecretAccessKey` / `AWS_SECRET_ACCESS_KEY` /
    `aws-secret.access_key` -> ["aws", "secret", "access", "key"]."""
    return [p.lower() for p in _IDENT_PART.findall(name)]


# A value that is code or a reference rather than a literal secret: env var names, dotted
# identifiers, file paths and names, URLs, format strings.
_CODE_REF = re.compile(
    r"^(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Za-z_][A-Za-z_]*\d{0,3}(?:\.[A-Za-z_][A-Za-z_]*\d{0,3})+(?:\(\))?|"
    r"(?:\.{0,2}|~)/[\w./\-]*|[\w\-]+\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|ya?ml|txt|env|ini|cfg|"
    r"conf|toml|xml|pub|gpg|asc|keystore|properties|js|py|rb|go|sh|zip|gz|tar|csv|log|html|png|jpg))$|"
    r"://|%[sd]|\{\}|\{\d\}"
)


def is_code_reference(value: str) -> bool:
    return _CODE_REF.search(value) is not None


# --- addresses (IP_ADDRESS) ---------------------------------------------------------------------

# Addresses that look public but are placeholders in docs and tests (the guidelines' `1.2.3.4`).
_PLACEHOLDER_IPS = frozenset({"1.2.3.4", "4.3.2.1", "1.1.1.2", "0.0.0.1"})
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# IETF protocol assignments (RFC 6890): anycast service addresses, not hosts of anyone.
_IETF_PROTOCOL = ipaddress.ip_network("192.0.0.0/24")


def is_private_ip(value: str) -> bool:
    """True when `value` is NOT a public, routable address worth redacting: unparsable, private,
    loopback, link-local, multicast, CGNAT, reserved, unspecified, documentation ranges, or a
    well-known placeholder. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is judged by its IPv4 part."""
    try:
        ip = ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return True
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if str(ip) in _PLACEHOLDER_IPS:
        return True
    if ip.version == 4 and (ip in _CGNAT or ip in _IETF_PROTOCOL):
        return True
    # is_global is False for private, loopback, link-local, documentation and the IANA
    # special-purpose blocks; multicast and reserved need their own checks (both count as
    # "global" to `ipaddress`). For IPv6 only 2000::/3 is assigned global unicast.
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return True
    return ip.version == 6 and int(ip) >> 125 != 1


# --- emails (EMAIL) ---------------------------------------------------------------------------

# RFC 2606/6761 reserved names and the second-level labels that docs use as stand-ins.
_EXAMPLE_TLDS = frozenset({"test", "example", "invalid", "localhost", "local", "localdomain",
                           "internal", "lan", "home", "corp", "domain", "tld"})
# (Possessive stand-ins such as `yourdomain`, `mycompany` are `_STAND_IN_SLD` below.)
_PLACEHOLDER_SLDS = frozenset({
    "example", "examples", "domain", "company", "host", "server", "foo", "bar", "baz", "qux",
    "foobar", "test", "testing", "tests", "sample", "dummy", "fake", "invalid", "localhost",
    "website", "site", "email", "provider", "emailprovider", "acme", "xyz", "abc", "xxx",
    "placeholder", "changeme", "here", "there", "somewhere", "anywhere", "nowhere", "elsewhere",
    "evil", "attacker", "malicious",
})
# (The reader's own address, `yourname@`, `your.email@`, is `_YOUR_LOCAL` below.)
_PLACEHOLDER_LOCALS = frozenset({
    "user", "username", "user.name", "user_name", "name", "you", "me", "someone", "somebody",
    "email", "myemail", "my.email", "foo", "bar", "foobar", "xxx", "xyz", "abc", "test", "address",
    "example", "sample", "nobody", "firstname.lastname", "first.last", "firstname", "lastname",
    "john.doe", "jane.doe", "johndoe", "janedoe", "login", "some", "testuser", "test.user", "test.account",
})
# Local parts that are templates whatever the domain (email@project.iam.gserviceaccount.com).
_TEMPLATE_LOCALS = frozenset({
    "email", "username", "user.name", "user_name", "someone", "somebody", "firstname.lastname",
    "first.last", "firstname_lastname", "name.surname", "my.email", "myemail", "email.address",
})
# The reader's own address goes there: `YOUR_USERNAME@gmail.com`, `your.login@corp.io`, `yourname@`.
_YOUR_LOCAL = re.compile(r"your[._\-]?(?:user[._\-]?)?(?:name|email|e-mail|mail|login|account|address|id|user)(?![a-z])")
# Free-mail and generic hosts that placeholder local parts are paired with in docs.
_GENERIC_MAIL_SLDS = frozenset({"gmail", "googlemail", "yahoo", "hotmail", "outlook", "mail",
                                "email", "company", "domain", "host", "server", "site", "you"})


# A possessive (or `test`), then what a domain stands for (`hisdomain.com`, `mycorp.com`,
# `testcompany.ca`, `myjabberserver.com`), and the fictitious companies of Microsoft's docs.
_STAND_IN_SLD = re.compile(
    r"(?:(?:your|my|his|her|some|our|their|other|another|any)[-_]?|test)"
    r"(?:domain|company|corp|host|server|site|mail|email|isp|org|provider|jabberserver|mailserver)s?|"
    r"contoso|fabrikam|northwindtraders|adventure-works|wingtiptoys|tailspintoys|litwareinc|woodgrovebank|"
    r"someone|somebody|somewhere"
)


def is_example_domain(domain: str) -> bool:
    """True for RFC 2606/6761 names (example.com, *.test, *.invalid, *.example, localhost, ...)
    and obvious stand-ins (yourdomain.com, foo.com, company.com)."""
    labels = domain.lower().rstrip(".").split(".")
    if len(labels) < 2 or labels[-1] in _EXAMPLE_TLDS:
        return True  # a bare host name is no mail domain
    sld = labels[-2]
    return (sld in _PLACEHOLDER_SLDS or _STAND_IN_SLD.fullmatch(sld) is not None or sld.startswith("my-")
            or "example" in sld or "example" in labels or any(label.startswith("your") for label in labels[:-1]))


def _reserved_domain(domain: str) -> bool:
    """The names no mailbox can have (RFC 2606/6761: example.*, *.test, *.example, *.invalid,
    localhost) and the `your`/`my` stand-ins. A person's own address in a credits line may sit on
    a `.local` host or a domain that reads like a stand-in (`foobar.fi`, `email.it`)."""
    labels = domain.lower().rstrip(".").split(".")
    return (len(labels) < 2 or labels[-1] in ("test", "example", "invalid") or "localhost" in labels
            or "example" in labels[-2] or labels[-2].startswith(("your", "my")))


def is_example_email(value: str, *, named: bool = False) -> bool:
    """True for addresses that are placeholders, not mailboxes: example/reserved domains and
    template pairs like user@domain.com or you@gmail.com. `named`: the address follows a
    person's name (`Ana Quill <a@q1.fi>`), where a short local part is initials."""
    local, _, domain = value.rpartition("@")
    if not local or not domain:
        return True
    if is_example_domain(domain) and not (named and not _reserved_domain(domain) and local.lower() not in _PLACEHOLDER_LOCALS):
        return True
    local = local.lower()
    sld = domain.lower().split(".")[-2]
    numbered = re.sub(r"[._\-]?\d{1,3}$", "", local)  # user1@, user_2@: a test's numbered stand-ins
    if local in _TEMPLATE_LOCALS or ({local, numbered} & _PLACEHOLDER_LOCALS and sld in _GENERIC_MAIL_SLDS):
        return True
    if _YOUR_LOCAL.match(local):
        return True
    if local.startswith("example") or (len(local) <= 2 and len(sld) <= 2 and not named):
        return True  # exampleUser2@..., a@b.com, k@b.com: made-up test addresses
    # xxx@acme.io: a repeated character is a pattern, not a mailbox.
    return re.fullmatch(r"(.)\1{2,}", local) is not None


# --- accounts (USERNAME) ----------------------------------------------------------------------

_SYSTEM_ACCOUNTS = frozenset({
    "root", "admin", "administrator", "admins", "sa", "sys", "sysdba", "system", "postgres",
    "postgresql", "mysql", "oracle", "nobody", "nogroup", "daemon", "www-data", "www", "wwwrun",
    "http", "httpd", "apache", "nginx", "user", "users", "username", "test", "tester", "testing",
    "testuser", "test-user", "test_user", "guest", "anonymous", "anon", "demo", "foo", "bar",
    "baz", "foobar", "default", "operator", "superuser", "su", "bin", "sync", "mail", "ftp",
    "git", "svn", "hg", "ubuntu", "debian", "centos", "fedora", "ec2-user", "vagrant", "pi",
    "runner", "travis", "jenkins", "circleci", "docker", "builder", "build", "buildbot",
    "me", "you", "someone", "somebody", "name", "login", "owner", "example", "sample", "dummy",
    "none", "null", "nil", "undefined", "true", "false", "yes", "no", "unknown", "service",
    "app", "api", "bot", "ghost", "local", "localhost", "public", "private", "dev", "developer",
    "staff", "support", "info", "webmaster", "postmaster", "hostmaster", "noreply", "no-reply",
    "master", "main", "rdsadmin", "dbo", "dbadmin", "db", "redis", "elastic", "kibana",
    "rabbitmq", "celery", "airflow", "dependabot", "renovate", "renovate-bot", "greenkeeper",
    "github-actions", "pre-commit-ci", "allcontributors", "all-contributors", "codecov",
    "snyk-bot", "mergify", "imgbot", "stale", "web-flow", "actions-user", "hadoop", "hdfs",
    "yarn", "hive", "spark", "kafka", "zookeeper", "jovyan", "jupyter", "deploy", "deployer",
    "aws", "azure", "gcp", "oauth2accesstoken", "x-access-token", "__token__", "x-oauth-basic",
    # Mail, directory and monitoring daemons run as accounts of their own name; octocat is
    # GitHub's demo account in every API client's docs.
    "postfix", "cyrus", "dovecot", "vmail", "exim", "amavis", "clamav", "named", "squid",
    "openldap", "slapd", "memcache", "tomcat", "jetty", "zabbix", "nagios", "icinga", "sshd",
    "ntp", "octocat",
})
_NUMBERED_GENERIC = re.compile(
    r"(?:user|test|guest|demo|admin|tester|account|client|member|foo|bar)[-_]?\d{0,4}"
)


def is_system_account(name: str) -> bool:
    """True for system, service and generic account names that identify nobody (root, admin,
    postgres, www-data, user, user1, test, guest, ...) and for template variables."""
    lowered = name.lower().lstrip("@~")
    if lowered in _SYSTEM_ACCOUNTS or _NUMBERED_GENERIC.fullmatch(lowered):
        return True
    if lowered.endswith(("[bot]", "-bot", "_bot")):
        return True  # automation accounts act for nobody
    # $USER, ${user}, %USERNAME%, <user>, {{ user }}: templates, not accounts.
    return re.search(r"[$%<>{}*]", name) is not None
