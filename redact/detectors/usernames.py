"""USERNAME: account handles: @mentions, profile URLs, changelog credits (login names are
logins.py).

Handles are everywhere a sigil is (`@` is also a decorator, an annotation, a doc tag, a Ruby
instance variable, a Perl array), so every detector here needs a context that only people have:
a credit cue before an @handle, a profile URL on a code host or social site, or a changelog
item's closing credit. Generic and system accounts are dropped by `filters.is_system_account`.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from redact.filters import is_system_account, word_set
from redact.spans import Label

from .anchored import AnchoredPatternDetector
from .base import line_bounds, text_memo
from .registry import register

_HANDLE = r"[A-Za-z0-9](?:[A-Za-z0-9_]|-(?=[A-Za-z0-9])){0,38}"

# Words right before an @handle that say "this is a person": credits, mentions, reviews.
_CUE_WORDS = (
    # One `\b` before the alternation, not one per word: a position inside a word fails at once
    # instead of entering every alternative (the search runs before every @handle).
    r"(?i)\b(?:by|thanks?(?:\s+to)?|thx|kudos(?:\s+to)?|cc:?|ping|via|hi|"
    r"hey|hello|dear|authors?|maintainers?|owners?|reviewers?|assignees?|contact|"
    r"credits?(?:\s+to)?|thank\s+you|follow(?:\s+(?:me|us))?(?:\s+on\s+\w+)?|twitter|github|mastodon|telegram|"
    r"discord|slack|keybase|reported|suggested|patch(?:ed)?|fixed|contributed|"
    r"written|created|made|ask|gh|github|tw|x|courtesy\s+of)"
)
_HANDLE_CUE_BEFORE = re.compile(_CUE_WORDS + r"[\s:(\[*_,`]*$|\(#\d{1,6},?\s*$")
_CUE_ANYWHERE = re.compile(_CUE_WORDS + r"\b")
# "thanks to @a, @b and @c": later handles of a list opened by a cue word.
_HANDLE_LIST_BEFORE = re.compile(r"@" + _HANDLE + r"(?:[^@\n]{0,60}?(?:,|&|\band\b)\s*(?:and\s+)?[\[*_]*|[ \t]{1,3})$")
# ...or right after it: "@jdoe in #123", "@jdoe (#123)", "@jdoe's", "@jdoe wrote". At most 20
# more handles in between: unbounded, every handle of a long "@a, @b, ..." line read the rest of
# the line (quadratic).
_HANDLE_CUE_AFTER = re.compile(
    r"(?:\s*(?:,|&|\band\b)\s*@[\w-]{1,39}){0,20}(?:\s+in\s+\[?`?#\d|\s*\(\s*(?:gh|github)?\s*(?:issue|pr|pull)?\s*#\d|"
    r"\s*`#\d|\s+(?:wrote|said|made|added|fixed|reported)\b|\s*,\s*\[?#\d|"
    # an R DESCRIPTION's relator codes (`@jdoe [ctb]`), a possessive credit (`@jdoe's suggestion`)
    r"[ \t]{1,3}\[(?:aut|cre|ctb|cph|trl|rev)\b|'s[ \t]{1,3}(?:suggestion|idea|report|patch|fix|work|help|comment|review|pr)\b)"
)
# After a full name or an address: "Jane Roe (@jroe)", "Jane Roe <jane@...> (@jroe)".
_NAMED_BEFORE = re.compile(r"(?:>|[^\W\d_][\w'’\-]{1,30})[ \t]{1,3}\($")
# Doc tags that open a list item in some doc styles ("- @param x"): never a credit.
_DOC_TAGS = word_set("""
param params arg argument returns return type see since deprecated throws throw example note todo
version private public override abstract internal api link inheritdoc default property typedef
callback module namespace memberof fires event async function class method static
ref brief details retval file defgroup ingroup addtogroup code endcode warning remark remarks
""")
# A changelog item that ends with its author: "- rspamd plugin (@jdoe)", "- docs (#1258) @jdoe".
# ...or several: "- SOCKS plugins. (@jdoe, @ann-lee)", each handle of the closing group.
_MORE_HANDLES = r"(?:[ \t]*(?:,|&|\band\b)[ \t]*@[A-Za-z0-9][\w\-]{0,38}){0,10}"
_CLOSING_CREDIT = re.compile(_MORE_HANDLES + r"`{0,2}\)?[.,;!]?[ \t]*$", re.MULTILINE)
_BEFORE_CLOSING = re.compile(
    r"(?:\(|#\d{1,6}\)?[ \t]{1,3}|\([ \t]{0,2})(?:@[A-Za-z0-9][\w\-]{0,38}[ \t]*(?:,|&|\band\b)[ \t]*){0,10}$"
)
# Three or more @handles in a row: "@a, @b, @c and @d" lists contributors, whatever comes before.
_HANDLE_RUN = re.compile(r"@[A-Za-z0-9][\w\-]{0,38}(?:[ \t]*(?:,|&|\band\b)[ \t]*(?:and[ \t]+)?@[A-Za-z0-9][\w\-]{0,38}){2,}")
_NOT_AFTER = re.compile(r"[.:]\w|\(|=|/|\{|\[")



_runs_of: tuple[str, list[int], list[int]] = ("", [], [])  # the last text's handle runs (starts, ends)


def _in_handle_run(text: str, start: int, end: int) -> bool:
    # The runs of a text are found once, in one pass (a window scanned per '@' made a long line
    # of '@' quadratic), and kept for the text's other handles.
    global _runs_of
    cached = _runs_of  # read once: another thread may replace it
    if cached[0] is not text:
        runs = [(m.start(), m.end()) for m in _HANDLE_RUN.finditer(text)]
        cached = _runs_of = (text, [a for a, _ in runs], [b for _, b in runs])
    _, starts, ends = cached
    k = bisect_right(starts, start) - 1
    return k >= 0 and end <= ends[k]


def _item_line(text: str, start: int) -> bool:
    """Does the line of `start` open a list item (`- `, `* `, `+ `)? Read from the line's real
    start: a changelog item's closing credit often sits past the 120 characters `_line_before`
    keeps."""
    line_start = text.rfind("\n", max(0, start - 2000), start) + 1
    return text[line_start:start].lstrip()[:1] in ("-", "*", "+")


def _line_before(text: str, start: int, limit: int = 120) -> str:
    return text[text.rfind("\n", max(0, start - limit), start) + 1 or max(0, start - limit) : start]


@register
class MentionDetector(AnchoredPatternDetector):
    """@handles in credits, changelogs, comments and docs."""

    name = "username-mention"
    label = Label.USERNAME
    score = 0.8
    anchor = re.compile("@")
    # Mirrors `accept`: something before the handle on its line (a decorator or doc tag stands
    # first), or a credit right after it ("@jdoe in #12").
    triggers = (
        r"\S[ \t]*@[A-Za-z0-9][A-Za-z0-9_\-]",
        r"@[A-Za-z0-9][\w\-]{0,38}(?:\s*(?:,|&|and)\s*@[\w\-]{1,39})*(?:\s+in\s|\s*\(|\s*`#|\s+(?:wrote|said|made|added|fixed|reported)"
        r"|[ \t]{1,3}\[(?:aut|cre|ctb|cph|trl|rev)\b)",
    )
    patterns = (re.compile(rf"(?<![\w@.+\-/$%\\{{])(?P<value>@{_HANDLE})(?![\w@\-])"),)

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        if len(value) < 3 or is_system_account(value[1:]) or value[1:].isdigit() or value[1:] in _DOC_TAGS:
            return None  # ... and doc tags, also after a cue word ("Affected by @ref X")
        if "_" in value and value.islower():
            return None  # @total_ordering, @lru_cache: a decorator named in prose
        if _NOT_AFTER.match(text, end):
            return None  # @app.route, @Foo(...), @type {x}, @scope/pkg, @param:
        before = _line_before(text, start)
        if before.endswith("`") and not (before.endswith("``") or _HANDLE_CUE_BEFORE.search(before, max(0, len(before) - 34))):
            return None  # `@decorator` in a code span, unless a credit cue comes before it
        if _HANDLE_CUE_AFTER.match(text, end):
            return start, end  # "@jdoe in #123", "@jdoe (gh pr #45)": a changelog credit
        if _in_handle_run(text, start, end):
            return start, end
        if (_BEFORE_CLOSING.search(before) and _CLOSING_CREDIT.match(text, end) and not value[1:].isupper()
                and _item_line(text, start)):
            return start, end  # "- rspamd plugin (@jdoe)": the item's author
        if before.endswith("[") and text.startswith("](", end):
            # A markdown link whose text is the handle and whose target is its profile page.
            target = text[end + 2 : text.find(")", end, end + 300)].lower()
            if target.endswith("/" + value[1:].lower()):
                return start, end
        if before.strip() in ("-", "+") and re.match(r"[ \t]{1,3}[a-z]{3,}\b", text[end : end + 20]) and (
                value[1:].lower() not in _DOC_TAGS):
            return start, end  # "- @jdoe converted __all__ to a tuple": a changelog item's author
        if text.startswith(")", end) and _NAMED_BEFORE.search(before) and (
                before.rstrip(" \t(").endswith(">") or before.rstrip(" \t(").split()[-1][:1].isupper()):
            return start, end  # "Jane Roe <jane@...> (@jroe)": the person's handle
        if not before.strip(" \t#*/-;!<>|\"'"):
            return None  # first on its line: a decorator, annotation or doc tag (@param)
        if before.endswith('person("') or _HANDLE_CUE_BEFORE.search(before, max(0, len(before) - 32)):
            return start, end  # (cue words are short: look at the last few characters only)
        # A list match starts at the last "@" of `before` (none may follow it): one attempt there
        # instead of a search from every "@" of the line.
        at = before.rfind("@")
        if at >= 0 and _HANDLE_LIST_BEFORE.match(before, at) and _CUE_ANYWHERE.search(before):
            return start, end
        return None


# Paths that are site features, not accounts, on code hosts and social sites.
_SITE_PAGES = word_set("""
about account apps blog collections contact dashboard enterprise events explore features
help home intent i issues join login logout marketplace new notifications orgs organizations
pricing pulls search security settings share site sponsors topics trending users watch
hashtag status statuses signup signin privacy terms tos legal docs downloads download api
raw releases tags wiki readme license static assets images img css js en us gist gists
oauth authorize auth sessions session pages p r u in company school groups feed posts
""")
# Owners a how-to writes where the reader's own account goes.
_PLACEHOLDER_OWNERS = word_set("whatever someone somebody anyone anybody foo bar baz owner you yours me username yourname")
# Account names that are organisations or projects rather than people.
_ORG_WORDS = re.compile(
    r"(?i)(?:^|[-_.])(?:dev|devs|org|orgs|team|teams|project|projects|labs?|libs?|apis|inc|corp|hq|io|js|"
    r"py|rs|go|lang|foundation|community|contrib|tools|official|oss|opensource|app|apps|"
    r"software|systems|cloud|group|sdk|api|bot|bots|ci|infra|aws|azure|gcp|rust|python|node|golang|"
    r"php|ruby|java|dotnet|cpp)(?:$|[-_.])"
)
_ORG_SUFFIX = re.compile(r"(?:js|hq|labs|team|org|project|foundation|ci|alliance|collective|community)$")
_KNOWN_ORGS = word_set("""
google googleapis googlecloudplatform microsoft azure facebook facebookresearch meta apple aws
amzn awslabs aws-samples python pypa psf nodejs npm golang rust-lang apache mozilla kubernetes
docker moby github gitlab-org torvalds linux pallets django encode tiangolo pydata numpy scipy
pandas-dev scikit-learn pytorch tensorflow huggingface openai anthropics jupyter ipython
matplotlib sphinx-doc pytest-dev tox-dev psycopg sqlalchemy celery redis elastic hashicorp
vercel netlify cloudflare stripe twilio sendgrid slackapi auth0 okta expressjs facebookincubator
angular vuejs sveltejs reactjs webpack babel eslint prettier typescript-eslint denoland
w3c wicg whatwg tc39 ietf khronosgroup unicode-org opencontainers cncf openssl llvm
stretchr prometheus pkg golang-jwt gogo json-iterator gorilla gofrs coreos getsentry digitalocean
uber-go etcd-io grpc grpc-ecosystem census-instrumentation opentracing go-kit go-yaml go-playground
gin-gonic labstack go-git src-d protonmail caddyserver gogs cloudfoundry containerd moby-project
r-lib rstudio tidyverse ropensci rdatatable cran jazzband octokit pyca certbot magicstack mongodb
web-platform-tests servo square mixpanel googlechrome hetznercloud twbs jquery nodejitsu
""")

_URL_HOSTS = (
    r"(?:www\.)?(?:github\.com/sponsors|github\.com|gist\.github\.com|raw\.githubusercontent\.com|api\.github\.com/users|"
    # CI and badge services name the account that owns a repository.
    r"(?:app\.)?travis-ci\.(?:org|com)|circleci\.com/gh|coveralls\.io/(?:repos/)?(?:github|r)|codecov\.io/(?:gh|github)|"
    r"app\.codacy\.com/gh|ci\.appveyor\.com/project|david-dm\.org|snyk\.io/test/github|gitter\.im|xscode\.com|"
    r"img\.shields\.io/(?:github/(?:actions/workflow/status|[a-z\-]{1,30})|travis|circleci/build/gh|codecov/c/github|coveralls/github)|"
    r"badgen\.net/github/[a-z\-]{1,30}|"
    r"bsky\.app/profile|gitlab\.com|bitbucket\.org|"
    r"codeberg\.org|sr\.ht/~|git\.sr\.ht/~|twitter\.com|x\.com|instagram\.com|facebook\.com|"
    r"linkedin\.com/in|keybase\.io|medium\.com/@|dev\.to|npmjs\.com/~|www\.npmjs\.com/~|"
    r"pypi\.org/user|sourceforge\.net/u|launchpad\.net/~|hub\.docker\.com/u|"
    r"reddit\.com/u(?:ser)?|youtube\.com/@|twitch\.tv|patreon\.com|ko-fi\.com|"
    r"buymeacoffee\.com|mastodon\.social/@|fosstodon\.org/@|hachyderm\.io/@)"
)


# An account object of the GitHub API (`"login": "acme", ..., "type": "Organization"`; its URL
# templates hold `{/privacy}`-style braces): the login is an organisation's, and so is every
# URL of its on the same line. Read per line (a recorded API response is one line of JSON), so
# that a window of lines finds what the whole text finds.
_API_ORG = re.compile(
    r'\\?"login\\?"\s{0,4}:\s{0,4}\\?"(?P<login>[\w.\-]{1,39})\\?"(?:[^{}\n]|\{/\w{1,20}\}){0,3000}?'
    r'\\?"type\\?"\s{0,4}:\s{0,4}\\?"Organization\\?"'
)


def api_organisations(text: str, start: int, end: int) -> frozenset[str]:
    """The lowercased logins that GitHub API objects on the line of text[start:end] give the
    type Organization (found once per line: a long line has many handles)."""
    line_start, line_end = line_bounds(text, start, end)
    memo, key = text_memo(text), ("api-orgs", line_start)
    orgs = memo.get(key)
    if orgs is None:
        found = "Organization" in text[line_start:line_end] and _API_ORG.finditer(text, line_start, line_end)
        orgs = memo[key] = frozenset(m.group("login").lower() for m in found) if found else frozenset()
    return orgs


@register
class ProfileUrlDetector(AnchoredPatternDetector):
    """The handle segment of a profile or repository URL: github.com/HANDLE[/repo], and the
    owner of an SSH remote: git@github.com:HANDLE/repo.git."""

    name = "username-url"
    label = Label.USERNAME
    score = 0.8
    anchor = ("github", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht", "twitter.com", "travis-ci.",
              "circleci.com", "coveralls.io", "codecov.io", "codacy.com", "appveyor.com", "david-dm.org", "snyk.io",
              "gitter.im", "xscode.com", "shields.io", "badgen.net",
              "x.com/", "instagram.com", "facebook.com", "linkedin.com", "keybase.io", "medium.com",
              "dev.to", "npmjs.com", "pypi.org/user", "sourceforge.net", "launchpad.net",
              "docker.com", "reddit.com", "youtube.com", "twitch.tv", "patreon.com", "ko-fi.com",
              "buymeacoffee.com", "mastodon.social", "fosstodon.org", "hachyderm.io", "bsky.app")
    patterns = (
        # [jdoe](https://github.com/jdoe): the link text is the handle too.
        re.compile(
            rf"\[(?P<value>[A-Za-z0-9][\w.\-]{{0,38}})\]\((?:https?://)?{_URL_HOSTS}/(?P=value)/?\)"
        ),
        re.compile(
            rf"(?<![\w.\-]){_URL_HOSTS}/(?P<value>[A-Za-z0-9](?:[A-Za-z0-9_.]|-(?=[A-Za-z0-9])){{0,38}})"
            r"(?P<rest>/[\w.\-]{1,100})?"
        ),
        # <a href="https://github.com/jdoe">jdoe</a> and the rst target `.. _jdoe: https://github.com/jdoe`.
        re.compile(rf"""href=["'](?:https?://)?{_URL_HOSTS}/(?P<handle>[A-Za-z0-9][\w.\-]{{0,38}})/?["'][^<>\n]{{0,200}}>(?P<value>(?P=handle))</a>"""),
        re.compile(rf"(?m)^[ \t]{{0,8}}\.\.[ \t]_(?P<value>[A-Za-z0-9][\w.\-]{{0,38}}):[ \t]{{1,4}}(?:https?://)?{_URL_HOSTS}/(?P=value)/?[ \t]*$"),
        # github.com/OWNER/REPO/commits?author=jdoe
        re.compile(r"(?<![\w.\-])github\.com/[\w.\-]{1,100}/[\w.\-]{1,100}/commits/?\?author=(?P<value>[A-Za-z0-9][\w\-]{0,38})"),
        # jdoe.github.io: GitHub Pages of a user.
        re.compile(r"(?<![\w.\-])(?P<value>[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})\.github\.io\b"),
        # git@github.com:jdoe/repo.git: an SSH remote names the owner after the colon, where an
        # HTTPS one has a slash (`ssh://git@host:2222/...` is a port: digits only, refused).
        re.compile(
            r"(?<![\w.\-])git@(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org):(?!\d{1,5}/)"
            r"(?P<value>[A-Za-z0-9](?:[A-Za-z0-9_.]|-(?=[A-Za-z0-9])){0,38})(?P<rest>/[\w.\-]{1,100})"
        ),
    )
    # What each pattern holds besides a host (None: the host alone); the Pages pattern, tried
    # at every letter, is skipped in the windows that hold no .github.io.
    required = tuple(None if r is None else re.compile(r) for r in (
        r"\]\(", None, r"href=[\"']", r"\.\.[ \t]_", r"/commits/?\?author=", r"\.github\.io", r"git@"))

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        handle = text[start:end].rstrip(".")
        end = start + len(handle)
        lowered = handle.lower()
        if lowered in _SITE_PAGES or lowered in _KNOWN_ORGS or is_system_account(handle):
            return None
        if lowered in api_organisations(text, start, end):
            return None  # the API's own record says this account is an organisation
        if lowered.endswith(".git") or lowered.isdigit() and "gist." in match.group():
            return None  # gist.github.com/5339374(.git): a gist's number or a clone URL, not an account
        if re.match(r"(?:my|your|some|example)[-_]", lowered) or re.fullmatch(r"(.)\1+", lowered):
            return None  # github.com/my-account/..., /xxx/: placeholders
        if lowered in _PLACEHOLDER_OWNERS:
            return None  # `git push git@github.com:whatever/repo.git` in a how-to
        if _ORG_WORDS.search(re.sub(r"(?<=[a-z])(?=[A-Z])", "-", handle)) or _ORG_SUFFIX.search(lowered):
            return None  # pytest-dev, PalletsTeam, expressjs
        rest = match.groupdict().get("rest")
        if rest:
            repo = rest[1:].lower().removesuffix(".git")
            # django/django, jwt/ruby-jwt, golang-jwt/jwt, mysqljs/mysql: an owner that names
            # its own project is an organisation.
            owner_parts = set(re.split(r"[-_.]", lowered))
            repo_parts = set(re.split(r"[-_.]", repo))
            flat_owner, flat_repo = re.sub(r"[-_.]", "", lowered), re.sub(r"[-_.]", "", repo)
            if flat_owner == flat_repo:
                return None  # validatorjs/validator.js
            if owner_parts & repo_parts - {""} or (len(repo) >= 3 and repo in lowered) or (
                    len(lowered) >= 3 and lowered in repo):
                return None
        return start, end


# Parenthesised words that end changelog items but name no one.
_NOT_CREDIT = word_set("""
optional default deprecated experimental required internal beta alpha breaking unreleased
security regression docs doc wip minor major patch bugfix fix fixes feature features
performance refactor tests test ci build chore revert style again maybe yet now etc
backport backported removed added changed partial partially thanks unstable stable
windows linux macos mac osx posix unix android ios web node browser python js typescript
sync async legacy preview draft bug bugs issue issues pr prs see example examples
author authors maintainer maintainers creator contributor contributors owner lead emeritus
oops sigh again finally hopefully duh yay
""")


@register
class ChangelogCreditDetector(AnchoredPatternDetector):
    """A handle closing a changelog item: `- Fix the parser (jdoe42)`. Only items that start
    like a change ("Fix", "Add", "Update"...), so that `- value (string)` in docs is no credit."""

    name = "username-credit"
    label = Label.USERNAME
    score = 0.7
    anchor = re.compile(
        r"(?i)[-*+][ \t]{1,4}(?:fix|feat|add|allow|avoid|better|bump|change|clean|correct|deprecate|drop|"
        r"enable|ensure|expose|handle|implement|improve|make|move|prevent|refactor|remove|rename|"
        r"replace|support|update|upgrade|use)"
    )
    patterns = (
        re.compile(
            r"(?im)^[ \t]{0,8}[-*+][ \t]{1,4}(?:fix|feat|add|allow|avoid|better|bump|change|clean|correct|"
            r"deprecate|drop|enable|ensure|expose|handle|implement|improve|make|move|prevent|refactor|"
            r"remove|rename|replace|support|update|upgrade|use)[^\n]{4,300}?[ \t]\((?:by[ \t]{1,3})?"
            r"(?P<value>[A-Za-z][A-Za-z0-9_]{0,38}(?:-[A-Za-z0-9_]{1,38}){0,3})\)\.?[ \t]*$"
        ),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        if len(value) < 3 or value.lower() in _NOT_CREDIT or value.isupper() or is_system_account(value):
            return None
        if value[0].isupper() and value[1:].islower():
            return None  # "(Windows)", "(Oracle)": a capitalised word is a product more often
        return start, end


@register
class ChatLogNickDetector(AnchoredPatternDetector):
    """The speaker of a line of an IRC or chat log, as irssi, WeeChat and most bouncers write
    it: `23:52 < jdoe42> text`, `[23:52:07] <@jdoe42> text` (a mode sigil before the nick)."""

    name = "username-chat-log"
    label = Label.USERNAME
    score = 0.7
    anchor = re.compile(r":\d\d(?::\d\d)?\]?[ \t]{1,3}<")
    patterns = (
        re.compile(
            r"(?m)^[ \t]{0,4}\[?\d{1,2}:\d\d(?::\d\d)?\]?[ \t]{1,3}<[ @+%&~]?"
            r"(?P<value>[A-Za-z\[\]\\`_^{|}][\w\[\]\\`^{|}\-]{1,15})>[ \t]"
        ),
    )

    def accept(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        return None if is_system_account(text[start:end]) else (start, end)
