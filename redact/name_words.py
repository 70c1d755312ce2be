"""The names family's word lists and word tests: who can be a person, what is an organisation.

Public API (used by the NAME detectors, the labels' shape checks and the model detector):
`PARTICLES`, `NOT_PERSON`, `ORG_NOUNS`, `SENTENCE_WORDS`, `GIVEN_NAMES` (lowercase words),
`is_name_word(word)` (a capitalised word that can be part of a person's name) and
`looks_like_pseudonym(word, loose)` (a handle standing where a name is expected), and the
gazetteer of first names and surnames of every locale Faker knows (`is_given_name`,
`is_surname`), read from the installed package on first use and cached. No name data is copied
here: the lists are Faker's, maintained upstream.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from redact.filters import is_system_account, word_set

PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "dos",
                        "das", "le", "la", "bin", "ibn", "al", "el", "ten", "ter", "y", "zu", "af",
                        "av", "v.", "v"})
# Words that make a candidate an organisation, a project or boilerplate, not a person.
NOT_PERSON = word_set("""
inc incorporated ltd limited llc llp corp corporation co company companies gmbh ag sa srl bv
plc pty kg oy ab foundation software project projects team teams authors author contributors
contributor developers developer maintainers maintainer community university universität
institute institut college school labs lab laboratory laboratories group systems technologies
technology tech networks network solutions services association consortium organization
organisation society trust council government department agency center centre the all rights
reserved copyright license licence licensed licensor others python apache mit
bsd gnu free open source public general see notice notices owner owners original version
unknown anonymous various none null todo fixme et al and by from for with of in on at to this
that these those it its is are was be our your my his her their we you they he she http https
www com org net io google microsoft facebook apple amazon oracle ibm intel mozilla github gitlab
npm pypi debian ubuntu redhat linux kernel js node react vue angular django flask also thanks
special note notes file files code docs documentation package packages module modules library
libraries framework api sdk client server app application tool tools utility utils test tests
example sample demo bot service main core current past former other additional contact email
mail admin administrator support info list lists mailing members member staff
people everyone anyone someone website homepage github twitter research dept univ
universite université faculty division laboratoire laboratorium department developers
""")
# Nouns that make the words before them an organisation's name, whatever their case.
ORG_NOUNS = word_set("""
project projects team developers authors contributors community foundation inc ltd llc gmbh
corporation corp company group org organization organisation consortium labs
""")
SENTENCE_WORDS = frozenset({"for", "in", "the", "a", "an", "of", "to", "is", "was", "this",
                             "that", "with", "on", "as", "it", "be", "are", "or", "if", "not",
                             "by", "from", "thanks", "thank", "you"})

# Common given names, written for this project: a lone capitalised word in an author position is
# a person only when it is a known first name ("Guido"); otherwise it is usually a company.
GIVEN_NAMES = word_set("""
aaron adam adrian ahmed aisha akira alan albert alberto alejandro alex alexander alexandra alexis
ali alice alicia amanda amir amit amy ana andre andrea andreas andrew andy angela anna anne anton
antonio arjun armin arnaud arthur ben benjamin bernard bill bob brad brandon brian bruce bruno
carl carlos carol caroline charles charlie chen chris christian christina christine christoph
christopher claire claudia colin craig dan daniel daniela dave david dennis derek diana diego
dmitry dominik donald doug douglas dylan ed eddie edward elena eli elias elizabeth ellen emily
emma eric erik ethan eugene eva evan fabian fabio felix fernando florian francesco francis
francisco frank franz fred frederic gabriel gary george georg gerhard giovanni greg gregory guido
guillaume gustavo hannah hans harry hector helen henri henrik henry hiroshi hugo ian igor ilya
isaac ivan jack jacob jake james jan jane janet jason javier jean jeff jeffrey jennifer jens
jeremy jerry jesse jessica jim jimmy joan joao joe joel johan johannes john jon jonas jonathan
jordan jorge jose josef joseph josh joshua juan julia julian julie julien justin kai karen karl
kate katherine kathy kazuhiko keith ken kenji kenneth kevin kim klaus kris kumar kurt larry lars
laura lauren lee leo leon leonardo li lin linda lisa liu louis luca lucas luis luke lukas maria
marc marcel marco marcus maria mario mark markus martin mary matt matteo matthew matthias max
maxim maxime michael michal michel michelle miguel mike mikhail ming mohamed mohammed nadia
natalia nathan neil nick nicholas nicola nicolas niels nikita nikolai noah oliver olivier omar
oscar pablo patrick paul paulo pavel pedro peter petr philip philipp philippe pierre piotr
rachel rafael rahul raj ralph ramon randy raphael ray raymond rebecca richard rick rob robert
roberto robin roger roman ron ronald ruben russell ryan sam samuel sandra sara sarah satoshi
scott sean sebastian serge sergei sergey seth simon sofia sophie stefan stefano stephan stephane
stephen steve steven susan sven takashi taro thomas tim timothy tobias todd tom tomas tony
tyler uwe valentin victor vincent vladimir walter wei will william wolfgang xavier yann yuki
yuri yusuf zach zhang
""")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})")
_LOWER_HANDLE = re.compile(r"[a-z][a-z0-9_\-]{2,38}")
_LOWER_CAMEL = re.compile(r"[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*")
_CAMEL = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+")
_WITH_DIGITS = re.compile(r"[A-Za-z]+\d+[A-Za-z0-9]*")
_CONTRACTION = re.compile(r"['’](?:s|d|m|t|ll|re|ve)$")


def unescape(word: str) -> str:
    if "\\" not in word:
        return word
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), word)


# The word tests below are pure functions of a word, asked again for the same words (a
# changelog's maintainers, every `name` window re-read by `name-list`): cached.
@lru_cache(maxsize=1 << 16)
def looks_like_pseudonym(word: str, loose: bool = False) -> bool:
    """jdoe42, DisposaBoy-style CamelCase-inside: a handle in a name position. `loose` (a word
    standing alone where a name is expected) also takes plain lowercase words (jdoe)."""
    core = word.rstrip(".")
    if len(core) < 3 or not core.isascii() or core.lower() in NOT_PERSON or is_system_account(core):
        return False
    if loose and _LOWER_HANDLE.fullmatch(core):
        return core not in SENTENCE_WORDS
    if loose and _LOWER_CAMEL.fullmatch(core):
        return True  # sebbASF, pySilver: a handle, whatever its parts
    if _CAMEL.fullmatch(core):
        return _TECH_PART.search(core) is None  # DisposaBoy, but not SymPy or GitHub
    return _WITH_DIGITS.fullmatch(core) is not None


# Parts of product names written in CamelCase (SymPy, GitHub, JavaScript, MySQL, WordPress).
_TECH_PART = re.compile(
    r"(?i)py|git|script|sql|db|hub|lab|soft|tube|press|shell|book|base|ware|code|data|web|app|"
    r"cloud|doc|net|flow|kit|lib|api|type|java|mongo|redis|linux|mac|win|dev|bot|ops|box"
)


@lru_cache(maxsize=1 << 16)
def is_name_word(word: str) -> bool:
    core = unescape(word).rstrip(".")
    if not core or core.lower() in NOT_PERSON:
        return False
    if len(core) == 1:
        return core.isupper()  # an initial: "J." or "Brandon W Maister"
    if _CONTRACTION.search(core):
        return False  # I'd, It's, Don't: contractions, not O'Neil
    if core.isupper():
        return 2 <= len(core) <= 12 and core.isalpha()  # "INADA Naoki", "TJ"
    # Capitalised, rest lowercase, or an inner capital after a prefix (McDonald, O'Neil, DeWitt)
    # or a hyphen (Menon-Sen).
    if "-" in core:  # Jean-Paul, Menon-Sen, Jean-loup; not OSS-Fuzz
        first, *rest = core.split("-")
        return is_name_word(first) and all(part[:1].isupper() and (len(part) == 1 or part[1:].islower()) or (
            part.isalpha() and part.islower() and is_given_name(first)) for part in rest)
    if _TWO_SYLLABLES.fullmatch(core) and not _TECH_PART.search(core):
        return True  # romanised given names written in two capitals: YongUk, ZhiQiang, JongChan
    return core[0].isupper() and (core[1:].islower() or re.fullmatch(
        r"(?:Mc|Mac|O'|O’|De|Di|La|Le|Van|Von|D')[^\W\d_][^\W\d_]+", core) is not None)


_TWO_SYLLABLES = re.compile(r"[A-Z][a-z]{1,5}[A-Z][a-z]{1,5}")


# Gazetteer first names that are far more often an English or programming word when capitalised
# (the most frequent ones in installed-package source): never evidence of a person alone.
_NOT_EVIDENCE = word_set("""
true false none can add an per will unknown server case skip don valid general constant max min sys
may early press red my line hence mac north delta else trace math roman dot beta le link unique
doc alpha reason august january cap long sage atlas price job green theta ford edit emit judge
brain fancy tab diamond asia sine less tiny sep roll young media lo liberty dev golden west
phoenix mar april floor june said lemma tri page mark grant hunter rose summer hope faith joy
chase king star sun son rich see so go do key read set get meta bert fern gemma bart pascal
paris york france london berlin texas america london sydney florence georgian gregorian french
london china india japan jersey virginia carolina dallas austin denver houston boston madison
""")


def _names_of(providers, prefixes: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for provider in providers:
        for attribute, value in vars(provider).items():
            if attribute.startswith(prefixes) and isinstance(value, (list, tuple, dict)):
                found.update(v.lower() for v in value if isinstance(v, str) and len(v) > 1)
    return found


@cache
def gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames), lowercased, of every locale of Faker's person provider; empty
    sets when Faker is not installed (then only `GIVEN_NAMES` is evidence). Loaded once per
    process, on first use (about 0.4 s): `import redact` never pays for it."""
    try:
        import faker.providers.person as person
    except ImportError:  # pragma: no cover - faker is a core dependency
        return frozenset(), frozenset()
    import importlib
    import pkgutil

    providers = []
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None)
        if provider is not None:
            providers += [cls for cls in provider.__mro__ if cls.__module__.startswith(person.__name__)]
    first = _names_of(providers, ("first_name", "first_romanized_name")) - _NOT_EVIDENCE - NOT_PERSON
    last = _names_of(providers, ("last_name", "last_romanized_name")) - _NOT_EVIDENCE - NOT_PERSON
    return frozenset(first | GIVEN_NAMES - _NOT_EVIDENCE), frozenset(last)


def is_given_name(word: str) -> bool:
    """A first name in some locale (`Torbjörn`, `Łukasz`, `Dovydas`), not a common word."""
    return unescape(word).rstrip(".").lower() in gazetteer()[0]


def is_surname(word: str) -> bool:
    core = unescape(word).rstrip(".").lower()
    return core in gazetteer()[1]
