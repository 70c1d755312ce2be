"""USERNAME detectors: a table of hits and near-misses, and pathological inputs."""

import pytest

from redact.filters import is_system_account
from redact.labels import Label

from .conftest import FamilyTests, family_detectors

DETECTORS = family_detectors("usernames", "logins")


HITS = [
    ("- Fix the parser by @jdoe42 in #812", ["@jdoe42"]),
    ("- Fix the lexer (@ann-lee, @bo-kim and @cy-park in #813)", ["@ann-lee", "@bo-kim", "@cy-park"]),
    ("# thanks @kim-lee for the review", ["@kim-lee"]),
    ("Thanks to @annroe, @jdoe42 and @kim-lee!", ["@annroe", "@jdoe42", "@kim-lee"]),
    ("@wbrook (gh pr #673)", ["@wbrook"]),
    ("[@qbrook](https://github.com/qbrook)", ["@qbrook", "qbrook"]),
    ("- Jane Roe (gh: @jroe) **D**", ["@jroe"]),
    ("- Jane Roe (gh: jroe)", ["jroe"]),
    ("-- by :user:`jroe42` (#4000)", ["jroe42"]),
    ("see https://github.com/jdoe42/widget-kit/issues/3", ["jdoe42"]),
    ("https://github.com/sponsors/jdoe42", ["jdoe42"]),
    ("gist.github.com/jroe/a3feb50", ["jroe"]),
    ("follow https://twitter.com/jane_codes", ["jane_codes"]),
    ("https://raw.githubusercontent.com/jroe/widgets/HEAD/logo.png", ["jroe"]),
    ("docs at https://jroe.github.io/widgets", ["jroe"]),
    ("open /home/jdoe42/projects/app.py", ["jdoe42"]),
    ("C:\\Users\\jroe\\Desktop\\notes.txt", ["jroe"]),
    ("/Users/kimlee/Library/Caches", ["kimlee"]),
    ('user = "jdoe42"', ["jdoe42"]),
    ('if username == "slowdive":', ["slowdive"]),
    ('  "login":   "majid",', ["majid"]),
    ("DB_USER=jroe", ["jroe"]),
    ("Host prod\n  User jroe", ["jroe"]),
    ("mysql --user=jroe -p", ["jroe"]),
    ("data = 'grant_type=password&username=jroe&password=x'", ["jroe"]),
    ("('username', 'tarek'),", ["tarek"]),
    ("$sasl->user('gbarr');", ["gbarr"]),
    ("/* $Id: util.c,v 1.12 2003/05/07 14:22:01 jroe Exp $ */", ["jroe"]),
    ("# $Author: jroe $", ["jroe"]),
    ("- Fix the DNS timeout (jroe42)\n", ["jroe42"]),
    ("- [jroe](https://github.com/jroe) - **Jane Roe**", ["jroe", "jroe"]),
    ("engine = 'postgresql://scott:tiger@db.acme-widgets.io/app'", ["scott"]),
    ("- name: Add the user\n  user:\n    name: jroe42\n    shell: /bin/bash", ["jroe42"]),
]

NEAR_MISSES = [
    "[@Component](https://angular.dev/api/core)",
    "@property\ndef name(self): ...",
    "    @staticmethod",
    " * @param {string} name the name",
    " * @returns the value",
    '@Override\npublic String toString() { return ""; }',
    "import '@types/node'; from '@babel/core'",
    "@app.route('/login')",
    "  @name = params[:name]",
    "my @lines = (@ab, @bc);",
    "@media (max-width: 600px) {",
    "'Return a < b.  Computed by @total_ordering from (a <= b).'",
    '"""Helper for @contextmanager decorator."""',
    "# see {@link Parser#consume} and {@code null}",
    "- bump deps by @dependabot in #372",
    "https://github.com/django/django/pull/1",
    "https://github.com/jwt/ruby-jwt/issues",
    "https://github.com/pytest-dev/pytest",
    "https://github.com/features/actions and https://github.com/login",
    "/home/user/app and /home/ubuntu/.ssh and /Users/Shared/x",
    "user = username",
    "user = get_user(request)",
    'user = "root"',
    'username = "admin"',
    'login: "${LOGIN_USER}"',
    'user: "your_database_user"',
    "USER=$USER",
    "OPENSTACK = ('user_name', 'api_key', False)",
    'userName = "fieldName"',
    "- Add caching (optional)\n",
    "- Support Windows (Windows)\n",
    "* status_code (int)\n",
    "sqla+mysql://user:secret@localhost/app ftp://anonymous@ftp.acme-widgets.io",
    "azureservicebus://ManagedIdentityCredential@hostname",
    '"AWS::IAM::User": "fa88f766d15e3dd7",',
    "--username and --password options",
    "https://github.com/my-account/widgets and https://github.com/aws-samples/widgets",
    '<open file "/home/notes.txt">',
]


@pytest.mark.parametrize("name", ["root", "admin", "postgres", "www-data", "user1", "test", "guest",
                                  "nobody", "$USER", "<user>", "renovate[bot]"])
def test_system_accounts(name):
    assert is_system_account(name)


UNITS = ["@a ", "@" * 3, "by @x", "user=", "/home/", "github.com/", "$Id: ", "x (a)\n"]


class TestUsernames(FamilyTests):
    DETECTORS = DETECTORS
    LABELS = frozenset({Label.USERNAME})
    HITS = HITS
    NEAR_MISSES = NEAR_MISSES
    # Dense valid handles ("by @x" repeated) cost a span each: keep that input smaller.
    PATHOLOGICAL = {unit: unit * ((100_000 if "x" in unit else 400_000) // len(unit)) for unit in UNITS} | {
        # Issue 13 item 14: each handle of a "@a, @b, ..." line read the rest of the line.
        "a line of 6000 listed handles": "@Adot, " * 6000,
    }
