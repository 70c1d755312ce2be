"""PASSWORD in service configurations and administration commands, where a directive or a
command's argument position is the evidence:

- directives whose argument is a password (`requirepass PW`, `masterauth PW` of Redis,
  `auth_pass PW` of keepalived, `rootpw PW`/`bindpw PW` of OpenLDAP and nslcd, mosquitto's
  bridge login `remote_password PW`, HAProxy's `stats auth admin:PW` and
  `user jdoe insecure-password PW`);
- network-device configurations, all their directives in one detector (`password-device`):
  Cisco's `enable secret 7 ...`, `username jdoe password 0 PW`, `tacacs-server key PW`,
  `radius-server host H key PW`, `ppp chap password PW`, SNMP communities, and Juniper's
  reversible `$9$...`;
- SNMPv3 users (`createUser jdoe SHA "AUTHPW" AES "PRIVPW"`) and the `-A`/`-X` pass phrases of
  net-snmp commands;
- command lines of administration tools: `docker login -u jdoe -p PW`, `htpasswd -b FILE jdoe
  PW`, `echo "jdoe:PW" | chpasswd`, `smbclient -U jdoe%PW`, Oracle's `sqlplus jdoe/PW@db`, and
  a password variable set for one command (`PGPASSWORD=PW psql -h db`, `MYSQL_PWD=PW mysql`).
"""

from __future__ import annotations

import re

from redact.spans import Label

from .anchored import AnchoredPatternDetector
from .passwords import password_name, plausible_password
from .registry import register

# A directive's value: one token, optionally quoted, alone to the end of its line (a comment may follow).
_ARG = r"""(?P<q>["']?)(?P<value>[^\s"'#;]{1,128})(?P=q)[ \t]*(?:#[^\n]*)?\r?$"""
# Cisco's optional encryption type before a key: 0 (plain) or 7 (reversible); 5/8/9 are hashes.
_TYPE = r"(?:[07][ \t]{1,4})?"


class _Service(AnchoredPatternDetector):
    label = Label.PASSWORD
    score = 0.85

    def accept(self, text, match, start, end):
        return (start, end) if plausible_password(text[start:end], positional=True) else None


@register
class DirectivePasswordDetector(_Service):
    """A configuration directive whose argument is a password, at the start of its line (also
    commented out, as samples ship them)."""

    name = "password-directive"
    # Each directive and the blank after it (`auth-pass:` in YAML is no directive).
    anchor = tuple(d + blank for d in ("requirepass", "masterauth", "auth_pass", "auth-pass", "rootpw", "bindpw", "remote_password",
                                       "stats auth", "insecure-password") for blank in " \t")
    required = tuple(re.compile(r) for r in (r"requirepass|masterauth|auth_pass|rootpw|bindpw|auth-pass|remote_password", "stats",
                                             "insecure-password"))
    patterns = (
        re.compile(rf"(?m)^[ \t#]{{0,8}}(?:requirepass|masterauth|auth_pass|rootpw|bindpw|remote_password|sentinel[ \t]{{1,4}}auth-pass[ \t]{{1,4}}\S{{1,64}})[ \t]{{1,8}}{_ARG}"),
        re.compile(rf"(?m)^[ \t#]{{0,8}}stats[ \t]{{1,4}}auth[ \t]{{1,4}}[^\s:]{{1,64}}:{_ARG}"),
        re.compile(rf"(?m)^[ \t#]{{0,8}}user[ \t]{{1,4}}\S{{1,64}}[ \t]{{1,4}}insecure-password[ \t]{{1,4}}{_ARG}"),
    )


_SNMP_AUTH = r"(?:MD5|SHA(?:-?(?:224|256|384|512))?)"
_SNMP_PRIV = r"(?:DES|3DES|AES(?:-?(?:128|192|256))?[CR]?)"
_SNMP_PHRASE = r"""(?P<q>["']?)(?P<value>[^\s"']{1,128})(?P=q)"""


@register
class SnmpV3PasswordDetector(_Service):
    """The pass phrases of an SNMPv3 user: net-snmp's `createUser [-e ID] jdoe SHA "AUTHPW" AES
    "PRIVPW"` (snmpd.conf, snmptrapd.conf, net-snmp-create-v3-user) and the `-A AUTHPW` /
    `-X PRIVPW` options of its commands (`snmpwalk -v3 -u jdoe -a SHA -A AUTHPW ...`)."""

    name = "password-snmpv3"
    # The directive and its blank; for the commands, the option (the tool's name begins the line).
    anchor = ("createUser ", "createUser\t", "createuser ", "createuser\t", "CREATEUSER ", " -A ", " -X ", "\t-A ", "\t-X ")
    required = tuple(re.compile(r) for r in (r"(?i)createUser", r"(?i)createUser", r"\bsnmp", r"\bsnmp"))
    patterns = (
        re.compile(rf"(?i)\bcreateUser[ \t]{{1,4}}(?:-e[ \t]{{1,4}}\S{{1,80}}[ \t]{{1,4}})?\S{{1,64}}[ \t]{{1,4}}{_SNMP_AUTH}[ \t]{{1,4}}{_SNMP_PHRASE}"),
        re.compile(rf"(?i)\bcreateUser[ \t]{{1,4}}(?:-e[ \t]{{1,4}}\S{{1,80}}[ \t]{{1,4}})?\S{{1,64}}[ \t]{{1,4}}{_SNMP_AUTH}[ \t]{{1,4}}"
                   rf"""(?:"[^"\n]{{1,128}}"|'[^'\n]{{1,128}}'|\S{{1,128}})[ \t]{{1,4}}{_SNMP_PRIV}[ \t]{{1,4}}{_SNMP_PHRASE}"""),
        # -A/-X only on the command line of a net-snmp tool that is given a v3 user (-u).
        *(re.compile(rf"\bsnmp(?:walk|bulkwalk|get|getnext|bulkget|set|trap|inform|table|status|df|delta|netstat|usm|vacm)\b"
                     rf"(?=[^\n|;&]{{0,200}}[ \t]-u[ \t])[^\n|;&]{{0,200}}?[ \t]-{flag}[ \t]{{1,4}}{_SNMP_PHRASE}(?=\s|$)")
          for flag in "AX"),
    )


@register
class AdminCommandPasswordDetector(_Service):
    """Passwords on the command lines of administration tools (see the module docstring)."""

    name = "password-admin-command"
    anchor = re.compile(r"docker|podman|helm|htpasswd|chpasswd|smbclient|rpcclient|smbget|smbcacls|net[ \t]{1,4}(?:ads|rpc)|"
                        r"sqlplus|sqlldr|expdp|impdp|rman|userid=|\b(?:exp|imp)[ \t]|[A-Z_](?:PASSWORD|PASSWD|PASS|PWD|PW)=")
    # Each pattern's tool (or a variable's `=`): where anchors are dense, the patterns whose
    # tool the text lacks are not run window by window.
    required = tuple(re.compile(r) for r in (r"docker|podman|helm", "htpasswd", "chpasswd", r"smb|rpcclient|net[ \t]",
                                             r"sqlplus|sqlldr|expdp|impdp|exp|imp|rman|userid=", r"(?:PASSWORD|PASSWD|PASS|PWD|PW)="))
    patterns = (
        re.compile(r"""\b(?:docker|podman|helm[ \t]{1,4}registry)[ \t]{1,4}login\b[^\n|;&]{0,160}?[ \t]-p[ \t=]{1,4}(?P<q>["']?)(?P<value>[^\s"'$`-][^\s"'`]{0,127})(?P=q)(?=\s|$)"""),
        # htpasswd -b[cmBsp...] FILE USER PW, htpasswd -nb USER PW
        re.compile(r"""\bhtpasswd[ \t]{1,4}-(?:[cmBsdDiv]{0,4}b[cmBsdDiv]{0,4}[ \t]{1,4}(?![-$])\S{1,200}|[cmBsdDiv]{0,4}nb[cmBsdDiv]{0,4})[ \t]{1,4}"""
                   r"""(?:"[^"\n]{1,64}"|'[^'\n]{1,64}'|[^\s"'$]{1,64})[ \t]{1,4}(?P<q>["']?)(?P<value>[^\s"'$`][^\s"'`]{0,127})(?P=q)(?=\s|$)"""),
        re.compile(r"""\becho[ \t]{1,4}(?:-e[ \t]{1,4})?(?P<q>["']?)[\w.\-]{1,32}:(?P<value>[^\s"'$`:]{1,128})(?P=q)[ \t]{0,4}\|[ \t]{0,4}(?:sudo[ \t]{1,4})?chpasswd\b"""),
        re.compile(r"""\b(?:smbclient|rpcclient|smbget|smbcacls|net[ \t]{1,4}(?:ads|rpc))\b[^\n|;&]{0,160}?[ \t](?:-U|--user(?:name)?)[ \t=]{1,4}["']?(?:[\w.\-]{1,32}[/\\]{1,2})?[\w.\-]{1,32}%(?P<value>[^\s"'$`]{1,128})"""),
        # Oracle connect strings: `sqlplus jdoe/PW@db`, `sqlplus -s jdoe/PW`, `userid=jdoe/PW`.
        re.compile(r"""\b(?:sqlplus(?:[ \t]{1,4}-[A-Za-z]{1,2})*|sqlldr|expdp|impdp|exp|imp|rman[ \t]{1,4}target[ \t=]{1,4}|userid=)[ \t]{0,4}(?P<q>["']?)(?!/)[A-Za-z]\w{0,29}/(?P<value>[^\s"'@/$`]{1,128})(?=@|(?P=q)(?:\s|$))"""),
        # A password variable set for one command: `PGPASSWORD=PW psql ...` (the variable's
        # name in capitals, then a command in lower case).
        re.compile(r"""(?<![\w$])(?P<name>[A-Z][A-Z0-9_]{0,30}(?:PASSWORD|PASSWD|PASS|PWD|PW))=(?P<q>["']?)(?P<value>[^\s"'$`;&|]{1,128})(?P=q)[ \t]{1,4}(?=[a-z][\w.\-/]{1,40}(?:[ \t]|$))"""),
    )

    def accept(self, text, match, start, end):
        if "name" in match.re.groupindex and not password_name(match.group("name")):
            return None
        return super().accept(text, match, start, end)


@register
class NetworkConfigPasswordDetector(_Service):
    """Router and switch configurations: `enable password 7 0822455D0A16`, `username jdoe
    privilege 15 password 0 PW`, `password 7 ...` under `line vty` (type 7 is a reversible
    encoding, type 0 plain text; types 5, 8 and 9 are hashes), Juniper's reversible
    `encrypted-password "$9$..."`, SNMP communities, and the keys of AAA servers and PPP
    (`tacacs-server key PW`, `radius-server host H key 7 ...`, `ppp chap password PW`). The one
    owner of device directives: the same lines judged once, by one set of rules."""

    name = "password-device"
    anchor = ("password ", "secret ", "key 7 ", "$9$", "snmp-server ",
              *(d + blank for d in ("tacacs-server", "radius-server", "ppp chap", "ppp pap") for blank in " \t"))
    # Only the AAA and PPP directives need their command in the text (the others: None).
    required = (None,) * 7 + (re.compile(r"(?:tacacs|radius)-server"), re.compile("ppp"))
    patterns = (
        re.compile(r"(?m)^[ \t]{0,8}(?:enable[ \t]+|username[ \t]+\S{1,64}[ \t]+(?:privilege[ \t]+\d{1,2}[ \t]+)?|"
                   r"(?:authentication-)?key[ \t]+)?(?:password|secret)[ \t]+7[ \t]+(?P<value>[0-9A-Fa-f]{4,200})[ \t]*$"),
        re.compile(r"(?m)^[ \t]{0,8}(?:enable[ \t]+|username[ \t]+\S{1,64}[ \t]+(?:privilege[ \t]+\d{1,2}[ \t]+)?)"
                   r"(?:password|secret)[ \t]+0[ \t]+(?P<value>\S{1,128})[ \t]*$"),
        re.compile(r"(?m)^[ \t]{0,8}key[ \t]+7[ \t]+(?P<value>[0-9A-Fa-f]{4,200})[ \t]*$"),
        re.compile(r"""(?:encrypted-password|secret|authentication-key|pre-shared-key[ \t]+ascii-text)[ \t]+["']?(?P<value>\$9\$[^\s"';]{4,200})"""),
        # Type 7 after any command (`ppp chap password 7 ...`, `ip ftp password 7 ...`, a commented
        # config line): the encoding's own shape, a two-digit salt index then hex pairs.
        re.compile(r"(?m)(?<![\w\-])(?:password|secret)[ \t]+7[ \t]+(?P<value>(?:0\d|1[0-5])(?:[0-9A-Fa-f]{2}){2,100})[ \t]*$"),
        # SNMP community strings: `snmp-server community PW RO 99`, `snmp-server host H ... 2c PW`.
        re.compile(r"(?m)^[ \t]{0,8}snmp-server[ \t]+community[ \t]+(?P<value>[^\s]{1,128})(?=[ \t]|$)"),
        re.compile(r"(?m)^[ \t]{0,8}snmp-server[ \t]+host[ \t]+[\w.:\-]{1,64}(?:[ \t]+(?:traps|informs))?[ \t]+version[ \t]+"
                   r"(?:1|2c)[ \t]+(?P<value>[^\s]{1,128})(?=[ \t]|$)"),
        # AAA server keys and PPP passwords: any literal, optionally after its type (0 or 7).
        re.compile(rf"(?m)^[ \t#]{{0,8}}(?:tacacs-server|radius-server)(?:[ \t]{{1,4}}host[ \t]{{1,4}}\S{{1,64}}[^\n]{{0,80}}?)?[ \t]{{1,4}}key[ \t]{{1,4}}{_TYPE}{_ARG}"),
        re.compile(rf"(?m)^[ \t#]{{0,8}}ppp[ \t]{{1,4}}(?:chap|pap)[ \t]{{1,4}}(?:sent-username[ \t]{{1,4}}\S{{1,64}}[ \t]{{1,4}})?password[ \t]{{1,4}}{_TYPE}{_ARG}"),
    )

    def accept(self, text, match, start, end):
        value = text[start:end]
        if match.re in self.patterns[7:]:
            return super().accept(text, match, start, end)  # a directive's literal, judged as one
        if "snmp-server" in match.group():
            # Communities are words too; only the factory defaults and templates are no secret.
            return None if value.lower() in ("public", "private") or not plausible_password(value) else (start, end)
        return start, end  # an encoding, not a word: `plausible_password` would judge the ciphertext
