"""The grammar of `name = value` shared by the KEY and PASSWORD detectors: where a name ends and
its value begins in any syntax, how a literal is quoted or wrapped, which files are pure config,
which calls take a lookup key rather than the secret, and the `accept` steps every assigned
literal goes through (`AssignmentDetector`).
"""

from __future__ import annotations

import re

from .anchored import AnchoredDetector

# Where a name ends and its value begins, in any syntax: `=`, `:`, `=>`, `:=`, `(` (a setter or a
# keyword call), `,` (a pair like `put("apiKey", "...")`), `==`/`!=` (a comparison: KEY takes it
# for clear secret names only), after an optional closing quote/bracket.
SEP = r"""(?:["'`\]]{1,2})?\s{0,4}(?P<sep>=>|:=|[=!]==?|=(?![=~])|:(?!:)|\(|,)(?:(?<=\()\s{0,24}|[ \t]{0,4}\n?[ \t]{0,4})"""
# An optional wrapper before the literal: `[]byte(`, `Buffer.from(`, `b"`, `r'`, `@"`, Erlang's
# binary `<<"`.
WRAP = r"""(?:\[\]byte\(|new\s{1,2}\w{1,20}\(|[\w.]{1,30}\(\s{0,2}|[rbuRBfFL@]{1,2}(?=["'`])|<<(?="))?"""
# A string type annotation between a name and its `=`: `: str`, `: Optional[str]`, `: string`,
# `: String?`, `: &'static str`, and Go's `var apiKey string`.
TYPED = r"""(?:[ \t]{0,2}:[ \t]{0,2}(?:Optional\[str\]|str|bytes|string|String|&(?:'static[ \t]{1,2})?str)\??|[ \t]{1,2}string)"""
# After a name: its type annotation then `=`, or R's `<-` (the `sep` group), up to the value.
TYPED_SEP = rf"""(?:{TYPED}[ \t]{{0,2}}(?==)|[ \t]{{0,4}}(?=<-))(?P<sep>=|<-)[ \t]{{0,4}}"""
# Config syntaxes (INI, .env, YAML, properties) separate with `=` or `:` only.
SEP_CONFIG = r"""(?:["'`\]]{1,2})?[ \t]{0,4}(?:=(?![=~])|:(?!:))[ \t]{0,4}"""
TRIPLE = '"""' + "|'''"  # Python/Kotlin/Scala multi-line string quotes
# `(?=(?P<value>X))(?P=value)` matches X atomically: a value that is not followed by what must
# follow is dropped at once instead of being retried one character shorter at a time.
QUOTED = r"""(?P<q>["'`])(?=(?P<value>[^"'`\n\\]{1,300}))(?P=value)(?P=q)"""
UNQUOTED = r"""(?=(?P<value>[^\s"'`,;#(){}\[\]<>=]{6,300}={0,2}))(?P=value)(?=[ \t]*(?:[#;][^\n]{0,500})?$|[ \t]*,)"""

# Pure configuration files: an unquoted value there is a literal, not a variable.
CONFIG_FILES = frozenset({"yaml", "ini", "dotenv", "properties", "toml", "conf", "shell", "makefile", "dockerfile"})
# ... and the prose and markup where an unquoted `password: x` line is a value too.
CONFIG_OR_DOC_LANGUAGES = CONFIG_FILES | {"text", "markdown", "restructuredtext", "sql", "xml", "html"}

# Calls whose string argument is a lookup key, a name or a prompt, not the secret.
LOOKUP_WRAPPERS = re.compile(
    r"(?i)get|pop|env|conf|setting|read|load|open|file|path|join|format|lookup|vault|fetch|find|prompt|"
    r"input|query|typevar|generate|param|arg|attr|field|header|name|^_\($|gettext|translate|secret|"
    r"encode|decode|log|debug|info|warn|error|print|echo|raise|assert|message|require|import|include"
)


def name_before(text: str, pos: int, limit: int = 60) -> int:
    """Start of the identifier (letters, digits, `_ - . $ @`) that ends at `pos`."""
    i = pos
    while i > 0 and pos - i < limit and (text[i - 1].isalnum() or text[i - 1] in "_-.$@"):
        i -= 1
    return i


def last_component(name: str) -> str:
    """`self.config.api_key` -> `api_key`: only the last attribute names the value."""
    return name.rstrip(".").rsplit(".", 1)[-1]


def is_lookup_or_template(groups: dict, value: str) -> bool:
    """An assigned literal that is not one: the key of a lookup (`os.getenv("X")`,
    `config.get("x")`) or a template (an f-string, or an unwrapped value with `{`)."""
    wrap = (groups.get("wrap") or "").strip()
    return wrap.endswith("(") and LOOKUP_WRAPPERS.search(wrap) is not None or wrap[-1:] in "fF" and "{" in value


def markup_patterns(tag_value: str, attr_value: str, keyword: str) -> tuple[re.Pattern[str], ...]:
    """XML/HTML elements and attributes whose name holds `keyword` (a regex), values of the
    given regexes (the empty `q` group marks them as written literals):
    `<NAME>VALUE</NAME>` (attributes allowed: `<wsse:Password Type="...">VALUE</wsse:Password>`;
    also HTML-escaped, `&lt;NAME&gt;VALUE&lt;/NAME&gt;`),
    `<add key="NAME" value="VALUE"/>` (Android's `<meta-data android:name="NAME" android:value="VALUE"/>`),
    `<property name="NAME">VALUE</property>` and the
    name/value element pairs of Hadoop configs and plists
    (`<name>NAME</name> <value>VALUE</value>`, `<key>NAME</key> <string>VALUE</string>`), and .NET
    settings (`<setting name="NAME" ...><value>VALUE</value>`)."""
    name = rf"[\w.:\-]{{0,40}}{keyword}[\w.:\-]{{0,30}}"
    return (
        re.compile(rf"<(?P<name>{name})(?:[ \t][^<>\n]{{0,200}})?>(?P<q>)(?P<value>{tag_value})</(?P=name)>"),
        # The same element shown in an HTML page (`&lt;password&gt;VALUE&lt;/password&gt;`, often
        # with a bare `>`): the value ends at the first `&lt;`.
        re.compile(rf"&lt;(?P<name>{name})(?:[ \t](?:(?!&gt;)[^<>\n]){{0,200}})?(?:>|&gt;)(?P<q>)"
                   rf"(?P<value>(?:(?!&lt;)[^<>\s]){{1,300}})&lt;/(?P=name)(?:>|&gt;)"),
        re.compile(rf"""(?i)\b(?:key|name)\s{{0,2}}=\s{{0,2}}"(?P<name>[^"\n]{{0,60}}{keyword}[^"\n]{{0,30}})"\s{{1,4}}(?:android:)?value\s{{0,2}}=\s{{0,2}}(?P<q>")(?P<value>{attr_value})\""""),
        re.compile(rf"""<(?P<tag>[\w:\-]{{1,30}})[ \t][^<>\n]{{0,100}}?\b(?:key|name)\s{{0,2}}=\s{{0,2}}["'](?P<name>[^"'\n]{{0,60}}{keyword}[^"'\n]{{0,30}})["'][^<>\n]{{0,100}}>(?P<q>)(?P<value>{tag_value})</(?P=tag)>"""),
        re.compile(rf"<(?P<tag>name|key)>(?P<name>[^<>\n]{{0,80}}{keyword}[^<>\n]{{0,30}})</(?P=tag)>\s{{0,200}}?<(?P<vtag>value|string)>(?P<q>)(?P<value>{tag_value})</(?P=vtag)>"),
        # .NET settings: `<setting name="NAME" serializeAs="String"><value>VALUE</value></setting>`.
        re.compile(rf"""<setting[ \t][^<>\n]{{0,100}}?\bname\s{{0,2}}=\s{{0,2}}"(?P<name>[^"\n]{{0,60}}{keyword}[^"\n]{{0,30}})"[^<>\n]{{0,100}}>"""
                   rf"""\s{{0,200}}?<value>(?P<q>)(?P<value>{tag_value})</value>"""),
    )


class AssignmentDetector(AnchoredDetector):
    """A literal assigned to a name. `accept` drops lookups and templates, then asks the family's
    `judge` (is the name the label's kind of name, is the literal its kind of value)."""

    def accept(self, text, match, start, end):
        if is_lookup_or_template(match.groupdict(), text[start:end]):
            return None
        return self.judge(text, match, start, end)

    def judge(self, text: str, match: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        raise NotImplementedError
