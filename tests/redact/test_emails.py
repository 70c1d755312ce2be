"""EMAIL detectors: a table of hits and near-misses, and pathological inputs."""

from redact.labels import Label

from .conftest import FamilyTests, family_detectors

DETECTORS = family_detectors("emails")


HITS = [
    # A string escape after the address (gettext headers) is no regex around it.
    ('"Report-Msgid-Bugs-To: dev@lists.qzwidgets.org\\n"\n', ["dev@lists.qzwidgets.org"]),
    ("puts \"mail jane@qzwidgets.io\\t now\"", ["jane@qzwidgets.io"]),
    ("Contact jane.doe@acme-widgets.io for access", ["jane.doe@acme-widgets.io"]),
    # A person's own address after their name, on a .local host or a stand-in-looking domain.
    ("Zqar Fakename <zqar@zq-laptop.local>", ["zqar@zq-laptop.local"]),
    ("* Zqar Fakename <zqf@foobar.fi> for packaging", ["zqf@foobar.fi"]),
    ("# Author: Kim Lee <kim.lee+dev@mail.acme-widgets.co.uk>", ["kim.lee+dev@mail.acme-widgets.co.uk"]),
    ('"author": "Ann Roe <ann_roe@northwind-labs.dev> (https://northwind-labs.dev)"', ["ann_roe@northwind-labs.dev"]),
    ("mailto:support@northwind-labs.com?subject=hi", ["support@northwind-labs.com"]),
    ("emails = ['a.b@acme-widgets.io', 'c-d@acme-widgets.io']", ["a.b@acme-widgets.io", "c-d@acme-widgets.io"]),
    ("E<lt>kim.lee@acme-widgets.ioE<gt>", ["kim.lee@acme-widgets.io"]),
    ("x509/svc-robot%40acme-widgets.iam.gserviceaccount.com", ["svc-robot%40acme-widgets.iam.gserviceaccount.com"]),
    ("Copyright: 2013, Ann Roe <ann.roe at northwind-labs.net>", ["ann.roe at northwind-labs.net"]),
    ("reach me: jeff AT acme-widgets.org", ["jeff AT acme-widgets.org"]),
    ("jeff [at] acme-widgets [dot] com", ["jeff [at] acme-widgets [dot] com"]),
    ("jeff(at)acme-widgets(dot)com", ["jeff(at)acme-widgets(dot)com"]),
    ("jeff <at> acme-widgets <dot> com", ["jeff <at> acme-widgets <dot> com"]),
    # The @ HTML-escaped, as generated docs and mail archives write it.
    ('<a href="mailto:zqbob&#64;acme-widgets.com">zqann&#x40;acme-widgets.org</a> zqkim&commat;acme-widgets.net',
     ["zqbob&#64;acme-widgets.com", "zqann&#x40;acme-widgets.org", "zqkim&commat;acme-widgets.net"]),
    # A mailing-list archive's sender lines (pipermail): the mbox separator and the From: header.
    ("From zqbob at acme-widgets.com  Tue Jul 10 11:29:44 2012\nFrom: zqbob at acme-widgets.com (Zq Bob)",
     ["zqbob at acme-widgets.com", "zqbob at acme-widgets.com"]),
    ("write to jane at acme-widgets dot io", ["jane at acme-widgets dot io"]),
    ("Kim Lee <kim DOT lee AT acme-widgets.com>", ["kim DOT lee AT acme-widgets.com"]),
    ("j@acme-widgets.io", ["j@acme-widgets.io"]),
    # A numbered mailbox on a real domain, a name that starts like "your".
    ("contact user1@qzwidgets.io or youri@qzwidgets.nl", ["user1@qzwidgets.io", "youri@qzwidgets.nl"]),
    ("Contact:jane@acme-widgets.io", ["jane@acme-widgets.io"]),
    ('uri = "sip:kim@voip.acme-widgets.io;transport=tcp"', ["kim@voip.acme-widgets.io"]),
    # An author's <git@...> mailbox; Perl strings escape the @.
    ("# Copyright 2015 Zq Roe <git@zqroe.dev>", ["git@zqroe.dev"]),
    ('$con->RosterAdd(jid => "zqbob\\@jabber.org");', ["zqbob\\@jabber.org"]),
    # Obfuscations inside brackets: spaced ` at `, `_at_`, a spaced `@` in escaped HTML.
    ("author:  Kim Lee < kim.lee at qzwidgets.com >", ["kim.lee at qzwidgets.com"]),
    ("Copyright (C) 2001 Ann Roe <ann_at_qzwidgets.info>", ["ann_at_qzwidgets.info"]),
    ("    &lt;ann-roe @ qzwidgets.ca&gt;<br>", ["ann-roe @ qzwidgets.ca"]),
    # `_at_` and `_dot_` with spaces around them, as GitPython's AUTHORS writes them.
    ("-Zq Roe <zqroe _at_ qzwidgets.com>", ["zqroe _at_ qzwidgets.com"]),
    ("-Kim Lee <kim _dot_ lee _at_ qzwidgets.com>", ["kim _dot_ lee _at_ qzwidgets.com"]),
    # Initials after a person's name are a mailbox; real TLDs .icu .ovh .land; GitHub's bot addresses.
    ("Upstream-Contact: Zq Roe <z@q1.fi>", ["z@q1.fi"]),
    ("Kim Lee <kim@qzwidgets.icu>, tux@qzpenguin.land", ["kim@qzwidgets.icu", "tux@qzpenguin.land"]),
    ("zqbot[bot] <12345+zqbot[bot]@users.noreply.github.com>", ["12345+zqbot[bot]@users.noreply.github.com"]),
]

NEAR_MISSES = [
    # The ident of an IRC hostmask (freenode's `n=` marker) is a login, not a mailbox.
    "[14 Jan 12:36] <zqbob!n=zq@203-0-113-9.fake-isp.net> hi\n--> kq (n=kqlee@fake-isp.net) joined",
    "From mirrors at ftp.acme-widgets.com you can fetch it",  # prose, not an mbox separator (no date)
    "mail zqbob at acme-widgets.com for help",  # a plain "at" outside brackets or a sender line
    "zqbob&#64;example.com and &#64;media screen",  # an example domain; an escaped CSS at-rule
    "Zqar Fakename <zqar@example.com>",  # reserved names stay examples after a name
    "Zqar Fakename <zqar@laptop.test>",
    "Maintainer: System Administrator <root@localhost.localdomain>",
    "Foo Q. Bar <foo@bar.com>",  # a placeholder mailbox after a placeholder name
    "send to zqar@zq-laptop.local",  # without a name, a .local host is no mail domain
    're = r"^jane@lists.qzwidgets.org\\.x"',
    "m = /jane@qzwidgets.org\\n/",
    "git clone git@github.com:zq/x.git",
    'my $pattern = "\\@zq";',
    "@decorator\ndef f(): pass",
    "@app.route('/login')",
    "npm install lodash@4.17.21 @babel/core@7.22.0",
    '"dependencies": {"@types/node": "^20.1.0"}',
    "git clone git@github.com:acme/widgets.git",
    "ssh deploy@build.acme-widgets.io:/srv/app",
    "y = x@self.weight.T",
    "postgres://deploy:hunter2@db.acme-widgets.io/app",
    "re.compile(r'^admin@acme-widgets.io$')",
    "EMAIL_RE = r'[a-z]+@[a-z]+\\.[a-z]{2,}'",
    "user@example.com and a@b.example.org",
    "bob@widgets.test, bob@widgets.invalid, root@localhost",
    "user@domain.com you@yourdomain.com name@company.com",
    "email@acme-widgets.io is a template",
    "xxx@acme-widgets.io",
    "hmac-sha2-256-etm@openssh.com chacha20-poly1305@openssh.com",
    "curve25519-sha256@libssh.org aes128-gcm@acme-widgets.com",
    "look at github.com for details",
    "y = (x @ self.w.T) + (a @ b.linalg)",
    "ts = created_at_utc.isoformat()",
    "mail kim_at_qzwidgets.com",
    "mail kim _at_ qzwidgets.com today",  # spaced `_at_` outside brackets: prose or code
    # Stand-in domains: a possessive or test word before what the domain stands for; Microsoft's
    # fictitious companies.
    "admins: admin rick.admin@hisdomain.com jill.admin@herdomain.net",
    "Admin Email: zqperson1@testcompany.ca, zq@mycorp.com, alice@myjabberserver.com",
    'username: "zq@contoso.com", "kim@fabrikam.com", "ann@someone.com"',
    # Numbered stand-ins on free mail, the reader's own address, a stand-in label anywhere.
    'c.Verify("user1@gmail.com"); c.Verify("user_2@gmail.com"); mail("some@mail.com")',
    "&lt;username>YOUR_USERNAME@gmail.com&lt;/username> your_email_here@qzwidgets.io",
    "$mailer->mail('emailguy@your.mail.host');",
    "a@b.com <k@b.com> Language-Team: Japanese <LL@li.org>",
    "image@sha256:abc123",
    "file@2x.png icon@3x.webp",
    'for hp in ("www.acme-widgets.io:abc", "user:password@www.acme-widgets.io"):',
    "msg['to'] = 'a: k@b.com, y@z.com;'",
    "tech@example.com.whoisprivacyservice.org exampleUser2@site.acme-widgets.io",
    "Message-Id: <E18w63j-0007VK-00@pyramid.acme-widgets.com>",
]


def test_offsets_are_into_the_original_text():
    text = "x = 1\n# by jane.doe@acme-widgets.io\n"
    (span,) = [s for d in DETECTORS for s in d.detect(text)]
    assert text[span.start : span.end] == "jane.doe@acme-widgets.io"
    assert span.source == "email"


UNITS = ["a@a.", "a" * 70 + "@", "a at a dot ", "x [at] ", "@a.b", "aa.bb.cc@dd.", "%40a."]


class TestEmails(FamilyTests):
    DETECTORS = DETECTORS
    LABELS = frozenset({Label.EMAIL})
    HITS = HITS
    NEAR_MISSES = NEAR_MISSES
    PATHOLOGICAL = {unit: unit * (400_000 // len(unit)) for unit in UNITS}
