"""USERNAME detectors: a table of hits and near-misses, and pathological inputs."""

import pytest

from redact.filters import is_system_account
from redact.labels import Label

from .conftest import FamilyTests, family_detectors

DETECTORS = [d for d in family_detectors("usernames", "logins", "handle_credits", "credential_calls", "committer_tags",
                                               "package_authors", "credential_files", "listing_users", "sql_roles")
             if Label.USERNAME in d.labels]


HITS = [
    # Contributor lists: a handle and its owner's full name, line after line; CPAN's PAUSE ids.
    ("* jqroe (Jane Q. Roe)\n* kqlee (Kim Lee)\n", ["jqroe", "kqlee"]),
    ("    - zq-dev, Zed Quill\n    - bo0k, Bo Kimroe (#1013)\n", ["zq-dev", "bo0k"]),
    ("jqr - Jane Q. Roe (cpan:JQROE) <jqr@fake-mail.test>\nkql - Kim Lee (cpan:KQL) <kql@fake-mail.test>\n",
     ["jqr", "JQROE", "kql", "KQL"]),
    ("jqr: Jane Roe <jqr@fake-mail.test>\nkql: Kim Lee <kql@fake-mail.test>\n", ["jqr", "kql"]),
    # Tool output: the owner column of `ls -l`, an IRC hostmask's nick and ident.
    ("drwxr-xr-x   7 jqroe  staff     4096 Aug  9 14:48 src\n", ["jqroe"]),
    ("[14 Jan 12:36] <zqbob!~zq@203-0-113-9.fake-isp.test> hi", ["zqbob", "zq"]),
    ("[14 Jan 10:36] --> zqbob (n=zqb@fake-isp.test) joined the channel", ["zqbob", "zqb"]),
    ("- Fix the parser by @jdoe42 in #812", ["@jdoe42"]),
    ("- Fix the lexer (@ann-lee, @bo-kim and @cy-park in #813)", ["@ann-lee", "@bo-kim", "@cy-park"]),
    ("# thanks @kim-lee for the review", ["@kim-lee"]),
    ("Thanks to @annroe, @jdoe42 and @kim-lee!", ["@annroe", "@jdoe42", "@kim-lee"]),
    ("@wbrook (gh pr #673)", ["@wbrook"]),
    ("[@qbrook](https://github.com/qbrook)", ["@qbrook", "qbrook"]),
    ("- Jane Roe (gh: @jroe) **D**", ["@jroe"]),
    ("- Jane Roe (gh: jroe)", ["jroe"]),
    # Lists and changelog credits: runs of @handles, a cue with a comma, the item's closing author.
    ("@fakeuser0, @7own, @acme-dev2 and @kq-lee\n", ["@fakeuser0", "@7own", "@acme-dev2", "@kq-lee"]),
    ("- New helper (thanks, @jroe42, #1789).", ["@jroe42"]),
    ("  prevent the clipping of borders (@kimlee, #4118)", ["@kimlee"]),
    ("  to `oauth_service_token()` (#131, @jroe42).", ["@jroe42"]),
    ("- rspamd plugin (@kq-lee)\n", ["@kq-lee"]),
    ("- outbound doc updates (#1258) @Quillfeather\n", ["@Quillfeather"]),
    ("  Thanks to ``@dongroe`` for the patch.", ["@dongroe"]),
    ("* Handle bad gateway errors (credit to @jroe-cider)", ["@jroe-cider"]),
    # Code hosts' API and CI/badge URLs, link texts and rst targets name the account.
    ('"url":"https://api.github.com/users/jroe42","type":"User"', ["jroe42"]),
    ("[![image](https://coveralls.io/repos/github/jroe42/fakelib/badge.svg)]", ["jroe42"]),
    (".. image:: https://travis-ci.org/kimlee/widget-kit.svg", ["kimlee"]),
    ("https://img.shields.io/github/stars/jroe42/fakelib", ["jroe42"]),
    ('<a href="https://github.com/jroe42">jroe42</a> (<a href="https://github.com/widgetkit/widgetkit/commits?author=jroe42">17</a>)',
     ["jroe42", "jroe42", "jroe42"]),
    (".. _V0idk: https://github.com/V0idk", ["V0idk", "V0idk"]),
    # Merge lines, gitchangelog authors, POD contributor lists, auth and mail logs.
    ("- Merge pull request #78 from kqroe/patch-1. [Jane Roe]", ["kqroe"]),
    ("- Bump version. [latty]\n", ["latty"]),
    ("- Fix the loader (#1404). *By pedro-qq*.\n", ["pedro-qq"]),
    ("B<jroe>: Jane Roe <jroe@acme-widgets.io>\nB<kq42>: Kim Quill\n", ["jroe", "kq42"]),
    ("sshd[4242]: Accepted password for jroe42 from 203.0.113.9 port 22 ssh2", ["jroe42"]),
    ("sshd[4242]: Failed password for invalid user kqroe from 203.0.113.9 port 22", ["kqroe"]),
    ("dovecot: imap-login: Login: user=<jroe42>, method=PLAIN, rip=203.0.113.9", ["jroe42"]),
    ("postfix/smtpd[42]: 4B2F: client=x[203.0.113.9], sasl_method=PLAIN, sasl_username=kqroe", ["kqroe"]),
    # Revision control: the BSDs' keywords, CVS and Subversion logs; LDAP uids; INI logins.
    ("/*\t$OpenBSD: tree.h,v 1.7 2002/10/17 21:51:54 jroe Exp $\t*/", ["jroe"]),
    ("date: 2003/01/02 10:00:00;  author: kqroe;  state: Exp;  lines: +2 -1", ["kqroe"]),
    ("r1234 | jroe42 | 2003-01-02 10:00:00 +0000 (Thu, 02 Jan 2003) | 2 lines", ["jroe42"]),
    # sudoers: User_Alias members, a Defaults user, a user granted everything.
    ("User_Alias\tFULLTIMERS = kqroe, jdoe42, zqann\nDefaults:kqroe\t!authenticate\njqbob\t\tCSNETS = ALL\n",
     ["kqroe", "jdoe42", "zqann", "kqroe", "jqbob"]),
    ("zqann  SERVERS = (ALL) NOPASSWD: ALL\n", ["zqann"]),
    ("dn: uid=jroe,ou=people,o=acme\nuid: jroe\n", ["jroe", "jroe"]),
    ("[mailbox]\nusername = jeff.quill\n", ["jeff.quill"]),
    ("elif username == 'garçon':", ["garçon"]),
    # A login passed by position with its password.
    ('$dbh = DBI->connect("DBI:ODBC:shop", "jroe", "fakepass");', ["jroe"]),
    ('nc, err = nats.Connect(url, nats.UserInfo("kqroe", "fakepass"))', ["kqroe"]),
    ("s = Session('fake-host.acme-widgets.io', auth=('john.quill', 'secret'))", ["john.quill"]),
    ('credentials.UsernamePassword(b"kimlee", b"fakepass")', ["kimlee"]),
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
    # A tool's domain/user:'PW'@host target and its -altuser option.
    ("changepasswd.py -reset fake.local/j.doe:'Fk29dK!x'@DC1", ["j.doe"]),
    ("#   -altuser FAKE/SrvAdm -k -no-pass", ["SrvAdm"]),
    ("- community.mysql.mysql_user:\n    login_user: root\n    name: zqbob\n", ["zqbob"]),
    # A changelog item's closing credit past the first 120 characters, and a group of them.
    ("* Reworked the frobnicator so that long resource names round-trip through every widget and "
     "the cache stays consistent across restarts. (@kqroe42)\n", ["@kqroe42"]),
    ("* Added relay options. (@kqroe42, @ann-lee)\n", ["@kqroe42", "@ann-lee"]),
    ("- Early talker #1075 (@zqbob & @kq-lee)\n", ["@zqbob", "@kq-lee"]),
    # R CMD build's login in a DESCRIPTION file.
    ("Packaged: 2023-02-23 17:08:46 UTC; kqroe\n", ["kqroe"]),
    # .mailmap commit names, ssh key comments, shell prompts, Slack mentions, a DN's login cn.
    ("Jane Roe <jroe@acme-widgets.io> jroe42 <jroe@old-widgets.io>\nKim Lee <kim@acme-widgets.io> kq.lee <>\n",
     ["jroe42", "kq.lee"]),
    ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFake jroe42@fake-laptop.local\n", ["jroe42"]),
    ("[kqroe@widgets.test ~]$ klist\n", ["kqroe"]),
    ("kqroe@buildbox:~/src$ make\n", ["kqroe"]),
    ('"text": "<@U2147483828|kqroe> has joined the channel"', ["kqroe"]),
    ("'dn:cn=kqroe,ou=nerdherd,dc=widgets,dc=test'", ["kqroe"]),
    ("B<Kqroe>: Jane Roe <jroe@acme-widgets.io>\n", ["Kqroe"]),
    # @handles after a person, leading a changelog item, after "courtesy of", in a run after a
    # cue, with R relator codes, and in a possessive credit.
    ("Jane Roe <jroe@acme-widgets.io> (@jroe42)\n", ["@jroe42"]),
    ("# Author: Jane Roe (@jroe42)\n", ["@jroe42"]),
    ("- @kqroe converted __all__ to a tuple\n", ["@kqroe"]),
    ("- Fix request bodies courtesy of @kqroe\n", ["@kqroe"]),
    ("(thanks, @kqroe @jroe42 @zqbob).\n", ["@kqroe", "@jroe42", "@zqbob"]),
    ("x\n  @kq-lee [ctb],\n", ["@kq-lee"]),
    ('person("@kq-lee","", role="ctb"),\n', ["@kq-lee"]),
    ("(per @kqroe's suggestion on #635).\n", ["@kqroe"]),
    # Horde/PEAR changelogs: the committer's login opens the entry, also in a .reg file's notes.
    ("[kqr] Fix the parser.\n[zqb] SECURITY: Check the input.\n", ["kqr", "zqb"]),
    ('s:5:"notes";s:31:"* [kqroe] Add license file.";', ["kqroe"]),
    ("  * [kqr] PHP 8 compatibility fixes.\n", ["kqr"]),
    ("- fixed bug #10537: safer check for a valid connection [kqroe]\n", ["kqroe"]),
    ("  [GitHub#129] [Patch by kqroe42]\n", ["kqroe42"]),
    (" <lead>\n  <name>Jane Roe</name>\n  <user>kqroe</user>\n", ["kqroe"]),
    ('s:4:"name";s:8:"Jane Roe";s:4:"user";s:5:"kqroe";s:6:"handle";s:3:"kqr";', ["kqroe", "kqr"]),
    # A "Thanks" section's items that are handles; a gemspec's authors that are handles.
    ("### Thanks\n\n* kq_24\n* Jane Roe\n* jroe01\n\n## 5.1\n* zqx9\n", ["kq_24", "jroe01"]),
    # The fallback of an env lookup for a login.
    ("$user   = (getenv('RADIUS_USER'))        ?: 'zqnemo';", ["zqnemo"]),
    ("u = ENV['DB_USERNAME'] || 'zqroe'", ["zqroe"]),
    ('  s.authors = ["Jane Roe".freeze, "Kim Lee aka kqlee".freeze, "zqroe42".freeze]', ["kqlee", "zqroe42"]),
    # The speakers of an IRC log (irssi's `HH:MM < nick>`, a bracketed time, a mode sigil).
    ("23:52 < zqnemo> is the bouncer up?\n[23:53:07] <@kqlee42> yes\n", ["zqnemo", "kqlee42"]),
    # Collections of logins (JupyterHub); pppd secrets entries under their header.
    ("c.Authenticator.allowed_users = ['zqbob', 'kqlee42']\nc.Authenticator.admin_users = {\n    \"zqann\",\n}\n", "python",
     ["zqbob", "kqlee42", "zqann"]),
    ("#client     server     secret     IP addresses\n zqbob      *        zq29fake   203.0.113.9 *\n", "text", ["zqbob"]),
    ('client.connect(host, 22, "zqdeploy", "Fake-Passw0rd-123")', "python", ["zqdeploy"]),
    # A mosquitto bridge's login.
    ("connection zqbridge\nremote_username zqbob\nremote_password Fake-Passw0rd-123\n", "conf", ["zqbob"]),
    # pgbouncer's auth_file: personal logins, not the service and generic accounts.
    ('"zqbob" "Fake-Passw0rd-123"\n"postgres" "fakepw"\n"pgbouncer" "md5' + "0f1e2d3c" * 4 + '"\n"app_user" "x2"\n',
     "text", ["zqbob"]),
    # An SSH remote's owner; the role of SQL account statements (PostgreSQL, MySQL).
    ("git remote add origin git@github.com:kqroe42/fakelib.git", ["kqroe42"]),
    ("CREATE USER zqbob WITH PASSWORD 'hunter2-example';\nALTER ROLE kqlee42 VALID UNTIL 'infinity';\n"
     "DROP ROLE IF EXISTS zqann;\nCREATE USER 'zqroe'@'localhost' IDENTIFIED BY 'fake-pw-1';\n", "sql",
     ["zqbob", "kqlee42", "zqann", "zqroe"]),
    # msmtp/mpop's `user` directive; a URL's userinfo before an empty (local socket) host.
    ("account zqmail\nhost smtp.fake-mail.test\nuser zq.roe\npassword hunter2-example\n", "text", ["zq.roe"]),
    ("$pg->from_string('postgresql://zqbob@/fakedb');", "perl", ["zqbob"]),
    # A GitHub API account object of a person ("type": "User").
    ('{"owner":{"login":"zqann42","url":"https://api.github.com/users/zqann42",'
     '"events_url":"https://api.github.com/users/zqann42/events{/privacy}","type":"User"}}', "json",
     ["zqann42", "zqann42", "zqann42"]),
]

NEAR_MISSES = [
    # One "word (Two Words)" line is no list; copyright years and names before a comma are no handles.
    "* parser (New Feature)\n",
    " 2001, Jane Roe <jroe@fake-mail.test>\n 2004, Kim Lee <klee@fake-mail.test>\n",
    " * Jane, Kim Lee, Bo Quill,\n * Zed, Ann Roe, Cy Park,\n",
    "name: Fake Widget\ndescription: Some Fake Thing\nauthor: Jane Roe\n",
    # The group column; a file mode in prose; "x!y@z" without a host's dot.
    "-rw-r--r--   1 root  staff  260 Mar 25  2008 .bashrc\n",
    "if (!ok@done) return;",
    ("allowed_users = ['root', 'admin']\nuser_ids = ['zqbob']\n", "python"),  # system accounts; not a login list
    ("# client server secret IP addresses\n*\t*\t\"\"\t*\nzqbob\t*\tpasswd\n", "text"),  # no real secret
    "<td>12:30 <b>noon</b></td>\nt = 12:30 < limit> 0\n",  # a time before markup; not at a line's start
    '    logger.info("[setup] Creating workers.")\n',  # a log prefix, not a committer
    "    [nltk_data] Downloading package 'words'...\n",
    "- [x] Done\n[fix] Parser crash.\n",  # a checkbox, an entry kind
    " * @param {Array} [results]\n",  # JSDoc's optional parameter
    "- fixed bug #12: crash [security]\n",
    "  <user>root</user>\n",
    "[Patch by Jane Roe]\n",  # a name: the NAME detectors' job
    '  config.dsn = "dummy://12345:67890@sentry.localdomain:3000/sentry/42"',  # ids, no login
    "u = os.getenv('DB_USER') or 'root'",
    "u = ENV['USER_AGENT'] || 'curl'",
    "### Thanks\n\n* everyone who reported bugs\n* Jane\n",
    "Some text\n* kq_24\n",  # a list without a thanks heading
    '  s.authors = ["Widget Team".freeze, "admin"]',
    '- mysql_user:\n    name: "{{ item }}"\n',
    "- mysql_db:\n    name: zqshop\n",
    "- mysql_user:\n    name: replication\n",
    "changepasswd.py SRV01/administrator:'Fk29dK!x'@10.10.13.37",  # a system account
    "x = {'a':'b'}@decorator",
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
    "use the `@property` decorator",
    "- parse (@param name)",
    "[global]\nurl = https://gitlab.acme-widgets.io\n   [elsewhere]\n",
    "B<Note>: this is emphasis",
    "session opened for user root by (uid=0)",
    "r1234 | root | 2003-01-02 10:00:00 +0000",
    # sudoers: groups, aliases, system accounts, a command grant; Defaults options; a docstring.
    "User_Alias ADMINS = %wheel, #1000, +ops, WEBMASTERS\nroot ALL = (ALL) ALL\noperator ALL = /usr/sbin/dump\n",
    "Defaults\tsyslog=auth\nDefaults: the value used when unset\n",
    "%admin ALL = ALL\nFULLTIMERS ALL = NOPASSWD: ALL\n",
    "user = request.user",
    'login("Sign in", "Cancel")',
    "mock_auth.login(\"username\", \"fakepass\")",
    'new Sequelize("database", "username", "password")',
    "my @all = (@ab, @bc);\n",
    "  push(@list, @other)\n",
    "* Pass the globals through (@ARGV, @INC)\n",
    "Packaged: 2023-02-23 17:08:46 UTC; root\n",
    "Packaged with care; kqroe\n",
    "  # tables in the wild have no <thead> or <tfoot>\n",
    "Jane Roe <jroe@acme-widgets.io> Jane Roe <jroe@old-widgets.io>\n",
    "root@buildbox:~# make\n",
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQFakeFakeFakeFakeFakeFake root@fake-host\n",
    "cn=editors,ou=groups,dc=widgets,dc=test",
    "cn=Jane Roe,ou=people,dc=widgets,dc=test",
    "total = price$ 5",
    "  return (@result);\n",
    "- @param name the name\n",
    " * Affected by @ref XXH_FORCE_MEMORY_ACCESS.\n",
    "@Override @Deprecated @SuppressWarnings\n",
    "x = 1 @foo @bar\n",
    # Gists are numbered; go.sum's most common module owners are organisations.
    "git clone https://gist.github.com/5339374.git",
    "github.com/stretchr/testify v1.3.0/go.mod h1:FakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFak=",
    "URL: https://github.com/r-lib/httr2",
    ('x = f(\n"zqbob" "Fake-Passw0rd-123"\n)\n', "python"),  # two strings in code, not an auth_file
    ("remote_username ${BRIDGE_USER}\n#remote_username admin\n", "conf"),
    "https://github.com/aio-libs/propcache/issues/26 https://github.com/data-apis/array-api/issues/595",
    # A port after an SSH remote's host; SQL prose, keywords and an application's own account.
    "url = ssh://git@github.com:2222/fakelib.git",
    "git push git@github.com:whatever/fakelib.git master",
    ("-- Use CREATE USER to be compatible with NO_AUTO_CREATE_USER\nCREATE USER IF NOT EXISTS admin;\n"
     "CREATE DATABASE fakeshop;\nCREATE USER fakeshop;\n", "sql"),
    # A Markdown heading, a sentence; the system account of a local-socket URL.
    ("## User login\nuser input.\n", "markdown"),
    "postgresql://postgres@/fakedb",
    # ...and of an organisation: its login and URLs name no person.
    ('{"owner":{"login":"zqacme","url":"https://api.github.com/users/zqacme",'
     '"events_url":"https://api.github.com/users/zqacme/events{/privacy}","type":"Organization"}}', "json"),
]


@pytest.mark.parametrize("name", ["root", "admin", "postgres", "www-data", "user1", "test", "guest",
                                  "nobody", "postfix", "cyrus", "octocat", "$USER", "<user>", "renovate[bot]"])
def test_system_accounts(name):
    assert is_system_account(name)


UNITS = ["@a ", "@" * 3, "by @x", "user=", "/home/", "github.com/", "$Id: ", "x (a)\n", "User_Alias A = a, ",
         "\nDefaults:a", "\na A = ALL"]


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
