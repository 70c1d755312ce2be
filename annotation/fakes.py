"""Obviously fake but realistic PII values for synthetic training data (faker, many locales).

Names, usernames and emails come from faker's locales (Latin, Cyrillic, CJK, Devanagari...);
keys follow real token formats (AWS, GitHub, Slack, Stripe, Google, JWT, hex and base64 secrets)
with random bodies, so the model learns shapes and contexts, not values; IPs are public
addresses (never private or documentation ranges, which the guidelines do not label).
Every value is a pure function of the seeded `random.Random`.
"""

from __future__ import annotations

import base64
import ipaddress
import random
import string
from functools import cache

from redact.labels import spec

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "nl_NL", "pl_PL", "sv_SE",
           "ru_RU", "tr_TR", "ja_JP", "zh_CN", "ko_KR", "hi_IN", "cs_CZ", "fi_FI", "uk_UA", "vi_VN")
# Mostly Latin-script names (most code is), but every locale appears.
LOCALE_WEIGHTS = (8, 3, 3, 3, 3, 2, 2, 2, 2, 1, 2, 1, 2, 2, 1, 1, 1, 1, 1, 1)
ALNUM = string.ascii_letters + string.digits
DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "proton.me", "fastmail.fm", "posteo.de", "web.de",
           "mail.ru", "qq.com", "naver.com", "uni-heidelberg.de", "cs.stanford.edu", "mozilla.org", "redhat.com",
           "acme-widgets.io", "lumen-labs.dev", "fjordsoft.no", "kernel-hub.org")
PLACEHOLDER_USERS = {"root", "admin", "administrator", "postgres", "nobody", "user", "test", "guest", "demo", "foo"}


@cache
def _faker(locale: str):
    from faker import Faker

    return Faker(locale)


class Fakes:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def faker(self, latin: bool = False):
        """A seeded faker of a random locale (`latin`: en_US), for a label's fake-value generator."""
        locale = "en_US" if latin else self.rng.choices(LOCALES, LOCALE_WEIGHTS)[0]
        fake = _faker(locale)
        fake.seed_instance(self.rng.getrandbits(32))
        return fake

    def name(self) -> str:
        fake = self.faker()
        return fake.name() if self.rng.random() < 0.8 else f"{fake.first_name()} {fake.last_name()}"

    def username(self) -> str:
        fake = self.faker(latin=True)
        for _ in range(10):
            first, last = fake.first_name().lower(), fake.last_name().lower()
            value = self.rng.choice([
                fake.user_name(), f"{first[0]}{last}", f"{first}.{last}", f"{first}_{last}{self.rng.randint(1, 99)}",
                f"{last}{first[:2]}", f"{first}{self.rng.randint(70, 2010)}", f"{first[:3]}-{last[:4]}"])
            value = "".join(ch for ch in value if ch.isascii() and (ch.isalnum() or ch in "._-"))
            if len(value) >= 3 and value not in PLACEHOLDER_USERS:
                return value
        return "jdoe" + str(self.rng.randint(100, 999))

    def email(self) -> str:
        local = self.username().lower().strip("._-") or "dev"
        return f"{local}@{self.rng.choice(DOMAINS)}"

    def password(self) -> str:
        rng = self.rng
        kind = rng.randrange(4)
        if kind == 0:
            return "".join(rng.choice(ALNUM + "!@#$%^&*") for _ in range(rng.randint(8, 20)))
        if kind == 1:
            word = self.faker(latin=True).word().capitalize()
            return f"{word}{rng.randint(1, 9999)}{rng.choice('!@#$%?')}"
        if kind == 2:
            return "".join(rng.choice(ALNUM) for _ in range(rng.randint(6, 12)))
        words = [self.faker(latin=True).word() for _ in range(3)]
        return rng.choice("-_.").join(words) + str(rng.randint(0, 99))

    def _chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def key(self) -> str:
        rng, upper_digits = self.rng, string.ascii_uppercase + string.digits
        kind = rng.randrange(11)
        if kind == 0:
            return "AKIA" + self._chars(upper_digits, 16)
        if kind == 1:
            return self._chars(ALNUM + "/+", 40)  # AWS secret access key shape
        if kind == 2:
            return rng.choice(["ghp_", "gho_", "ghs_"]) + self._chars(ALNUM, 36)
        if kind == 3:
            return f"xoxb-{rng.randint(10**10, 10**11)}-{rng.randint(10**10, 10**11)}-{self._chars(ALNUM, 24)}"
        if kind == 4:
            return rng.choice(["sk_live_", "rk_live_", "sk_test_"]) + self._chars(ALNUM, 24)
        if kind == 5:
            return "AIza" + self._chars(ALNUM + "_-", 35)
        if kind == 6:
            return self._chars("0123456789abcdef", rng.choice([32, 40, 64]))
        if kind == 7:
            parts = [base64.urlsafe_b64encode(bytes(rng.getrandbits(8) for _ in range(n))).decode().rstrip("=")
                     for n in (27, rng.randint(40, 90), 32)]
            return "eyJ" + parts[0][3:] + "." + "eyJ" + parts[1][3:] + "." + parts[2]
        if kind == 8:
            return base64.b64encode(bytes(rng.getrandbits(8) for _ in range(rng.choice([24, 32, 48])))).decode()
        if kind == 9:
            return "glpat-" + self._chars(ALNUM + "_-", 20)
        return self._chars(ALNUM + "!@#$%^&*(-_=+)", 50)  # Django SECRET_KEY shape

    def ip(self) -> str:
        rng = self.rng
        while True:
            if rng.random() < 0.85:
                address = ipaddress.IPv4Address(rng.getrandbits(32))
            else:
                address = ipaddress.IPv6Address((0x2 << 124) | rng.getrandbits(124))
            if address.is_global and not address.is_multicast and not str(address).startswith("2001:db8"):
                return str(address)

    def value(self, label) -> str:
        """A fake value of `label` (its generator is in the label table, redact/labels.py)."""
        return spec(label).fake(self)
