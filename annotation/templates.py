"""Where PII really occurs in code, as templates: headers, docstrings, configs, fixtures,
connection strings, package metadata, shell commands and comments, in many languages.

`{NAME}`, `{USERNAME}`, `{EMAIL}`, `{PASSWORD}`, `{KEY}`, `{IP}` become fake values with exact
spans; `{c}` is the host file's line-comment prefix; `{word}`, `{Word}`, `{year}`, `{port}` are
filler that is not PII. Other braces are literal. `place` says where a template goes: `header`
(top of a file), `line` (between two lines of code, indented like the next line) or `file` (a
document of its own: configs, metadata). `NEGATIVES` hold no PII (placeholders, env lookups,
example domains, private IPs, system accounts): the model must learn to leave them alone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    id: str
    place: str  # header | line | file
    text: str
    language: str = ""  # for `file` templates: the document's language


def _t(id: str, place: str, text: str, language: str = "") -> Template:
    return Template(id, place, text, language)


TEMPLATES: tuple[Template, ...] = (
    # headers and comments
    _t("h-author", "header", "{c}Author: {NAME} <{EMAIL}>\n"),
    _t("h-copyright", "header", "{c}Copyright (c) {year} {NAME}\n{c}All rights reserved.\n"),
    _t("h-copyright-email", "header", "{c}Copyright {year}-{year} {NAME} ({EMAIL})\n"),
    _t("h-maintainer", "header", "{c}Maintainer: {NAME} <{EMAIL}>\n{c}Created: {year}\n"),
    _t("h-written", "header", "{c}Written by {NAME}, {year}.\n"),
    _t("h-contributors", "header", "{c}Contributors:\n{c}   {NAME}\n{c}   {NAME} <{EMAIL}>\n{c}   {NAME}\n"),
    _t("h-javadoc", "header", "/**\n * {Word} helpers.\n *\n * @author {NAME}\n * @since {year}\n */\n"),
    _t("h-created-by", "header", "{c}Created by {NAME} on {year}-0{port}.\n"),
    _t("h-py-docstring", "header", '"""{Word} module.\n\n:author: {NAME} <{EMAIL}>\n:license: MIT\n"""\n'),
    _t("h-dunder", "header", '__author__ = "{NAME}"\n__email__ = "{EMAIL}"\n'),
    _t("h-handle", "header", "{c}Ported from the original by @{USERNAME}\n"),
    _t("h-github", "header", "{c}Based on https://github.com/{USERNAME}/{word}\n"),
    _t("c-todo", "line", "{c}TODO({USERNAME}): handle the {word} case\n"),
    _t("c-thanks", "line", "{c}Thanks to {NAME} for the {word} fix.\n"),
    _t("c-contact", "line", "{c}Questions: ask {NAME} ({EMAIL}).\n"),
    _t("c-signed", "line", "{c}Signed-off-by: {NAME} <{EMAIL}>\n"),
    _t("c-server", "line", "{c}the {word} server lives at {IP} (see ops wiki)\n"),
    _t("c-fixme", "line", "{c}FIXME {USERNAME}: the {word} path is slow\n"),
    _t("c-home", "line", "{c}data is under /home/{USERNAME}/{word}/\n"),
    # assignments and calls in code
    _t("a-py-key", "line", 'API_KEY = "{KEY}"\n'),
    _t("a-py-pass", "line", 'password = "{PASSWORD}"\n'),
    _t("a-py-connect", "line", 'conn = connect(host="{IP}", user="{USERNAME}", password="{PASSWORD}")\n'),
    _t("a-py-auth", "line", 'resp = requests.get(url, auth=("{USERNAME}", "{PASSWORD}"))\n'),
    _t("a-py-bearer", "line", 'headers = {"Authorization": "Bearer {KEY}"}\n'),
    _t("a-py-dburl", "line", 'DATABASE_URL = "postgres://{USERNAME}:{PASSWORD}@{IP}:5432/{word}"\n'),
    _t("a-py-client", "line", 'client = {Word}Client(api_key="{KEY}", region="eu-west-1")\n'),
    _t("a-js-key", "line", "const apiKey = '{KEY}';\n"),
    _t("a-js-config", "line", "const config = {\n  host: '{IP}',\n  user: '{USERNAME}',\n  password: '{PASSWORD}',\n};\n"),
    _t("a-js-mongo", "line", "mongoose.connect('mongodb://{USERNAME}:{PASSWORD}@{IP}:27017/{word}');\n"),
    _t("a-go-dsn", "line", 'db, err := sql.Open("mysql", "{USERNAME}:{PASSWORD}@tcp({IP}:3306)/{word}")\n'),
    _t("a-go-token", "line", 'const token = "{KEY}"\n'),
    _t("a-java-pass", "line", 'private static final String PASSWORD = "{PASSWORD}";\n'),
    _t("a-java-key", "line", 'String secretKey = "{KEY}";\n'),
    _t("a-php", "line", "$db_user = '{USERNAME}';\n$db_pass = '{PASSWORD}';\n"),
    _t("a-ruby", "line", 'config.api_key = "{KEY}"\nconfig.owner = "{NAME}"\n'),
    _t("a-cs", "line", 'var cred = new NetworkCredential("{USERNAME}", "{PASSWORD}");\n'),
    _t("a-ip", "line", 'SERVER_IP = "{IP}"\n'),
    _t("a-smtp", "line", 'smtp.login("{EMAIL}", "{PASSWORD}")\n'),
    _t("a-mailto", "line", 'SUPPORT = "{EMAIL}"\n'),
    # fixtures and docstrings
    _t("f-py-user", "line", 'user = User(name="{NAME}", email="{EMAIL}", username="{USERNAME}")\n'),
    _t("f-json", "line", '{"name": "{NAME}", "login": "{USERNAME}", "email": "{EMAIL}"},\n'),
    _t("f-doctest", "line", '    >>> login("{USERNAME}", "{PASSWORD}")\n    True\n'),
    _t("f-sql", "line", "INSERT INTO users (name, email) VALUES ('{NAME}', '{EMAIL}');\n"),
    _t("f-csv", "line", "{NAME},{EMAIL},{IP}\n"),
    # shell
    _t("s-ssh", "line", "ssh {USERNAME}@{IP}\n"),
    _t("s-curl", "line", "curl -u {USERNAME}:{PASSWORD} https://{IP}/api/v1/{word}\n"),
    _t("s-mysql", "line", "mysql -u {USERNAME} -p{PASSWORD} -h {IP} {word}\n"),
    _t("s-git", "line", "git clone https://{USERNAME}:{KEY}@github.com/{USERNAME}/{word}.git\n"),
    _t("s-export", "line", "export GITHUB_TOKEN={KEY}\n"),
    # positional arguments, fixtures and credits (no keyword says what the value is)
    _t("p-connect", "line", 'conn = {word}_db.connect("{IP}", "{USERNAME}", "{PASSWORD}", "{word}")\n'),
    _t("p-perl-dbi", "line", 'my $dbh = DBI->connect("dbi:Pg:dbname={word}", "{USERNAME}", "{PASSWORD}");\n'),
    _t("p-sequelize", "line", "const db = new Sequelize('{word}', '{USERNAME}', '{PASSWORD}', { host: '{IP}' });\n"),
    _t("p-users-map", "line", 'USERS = {\n    "{USERNAME}": "{PASSWORD}",\n    "{USERNAME}": "{PASSWORD}",\n}\n'),
    _t("p-user-tuples", "line", '(b"{USERNAME}", b"{PASSWORD}"),\n(b"{USERNAME}", b"{PASSWORD}"),\n'),
    _t("p-user-ctor", "line", '{word} = User("{NAME}", {port})\n'),
    _t("p-claims", "line", 'claims = {"sub": "{USERNAME}", "iss": "{USERNAME}", "exp": 17000000{port}0}\n'),
    _t("p-execute", "line", 'cursor.execute(query, ("{EMAIL}", "{PASSWORD}"))\n'),
    _t("p-hmac", "line", 'var signingKey = []byte("{KEY}")\n'),
    _t("p-doc-login", "line", "{c}log in as ``{USERNAME}`` with the password ``{PASSWORD}``.\n"),
    _t("p-credit", "line", "{c}  * {word}: fix the {word} crash (reported by {NAME})\n"),
    _t("p-patch-from", "line", "{c}Added {word} support (patch from {NAME}).\n"),
    _t("p-contrib-md", "file", "## Contributors\n\n- [{USERNAME}](https://github.com/{USERNAME}) - **{NAME}**\n"
       "- [{USERNAME}](https://github.com/{USERNAME}) - **{NAME}** (author)\n", "markdown"),
    _t("p-credits-rst", "file", "{Word} is written by {NAME} and maintained by {NAME}.\n\n"
       "Thanks to {NAME}, {NAME} and {NAME} for {word} and {word}.\n", "restructuredtext"),
    _t("p-copyright-list", "file", "Files: *\nCopyright: {year}-{year}, {NAME} <{EMAIL}>\n"
       "           {year}, {NAME} & {NAME}\nLicense: {word}\n", "text"),
    # whole files: configs and package metadata
    _t("m-setup", "file", 'setup(\n    name="{word}",\n    version="1.{port}.0",\n    author="{NAME}",\n    author_email="{EMAIL}",\n)\n', "python"),
    _t("m-package-json", "file", '{\n  "name": "{word}",\n  "version": "2.{port}.1",\n  "author": "{NAME} <{EMAIL}>",\n  "contributors": ["{NAME}"]\n}\n', "json"),
    _t("m-cargo", "file", '[package]\nname = "{word}"\nversion = "0.{port}.0"\nauthors = ["{NAME} <{EMAIL}>"]\n', "toml"),
    _t("m-pom", "file", "<developers>\n  <developer>\n    <id>{USERNAME}</id>\n    <name>{NAME}</name>\n    <email>{EMAIL}</email>\n  </developer>\n</developers>\n", "xml"),
    _t("m-env", "file", "DB_HOST={IP}\nDB_USER={USERNAME}\nDB_PASSWORD={PASSWORD}\nSTRIPE_KEY={KEY}\n", "shell"),
    _t("m-yaml", "file", "database:\n  host: {IP}\n  username: {USERNAME}\n  password: {PASSWORD}\napi:\n  token: {KEY}\n", "yaml"),
    _t("m-ini", "file", "[smtp]\nserver = {IP}\nuser = {EMAIL}\npassword = {PASSWORD}\n", "ini"),
    _t("m-authors", "file", "# Authors\n\n- {NAME} <{EMAIL}>\n- {NAME} (@{USERNAME})\n- {NAME}\n", "markdown"),
    _t("m-changelog", "file", "{year}-0{port}-1{port}  {NAME}  <{EMAIL}>\n\n\t* {word}.c: fix the {word} leak.\n", "text"),
    _t("m-readme", "file", "## {Word}\n\nMaintained by [{NAME}](mailto:{EMAIL}). Ping @{USERNAME} on issues.\n", "markdown"),
)

NEGATIVES: tuple[Template, ...] = (
    _t("n-env", "line", 'password = os.environ["DB_PASSWORD"]\n'),
    _t("n-placeholder-key", "line", 'API_KEY = "YOUR_API_KEY"\n'),
    _t("n-localhost", "line", 'host = "127.0.0.1"\n'),
    _t("n-private", "line", "{c}the test box is 192.168.{port}.10\n"),
    _t("n-example-email", "line", 'email = "user@example.com"\n'),
    _t("n-org", "header", "{c}Copyright (c) {year} The {Word} Authors\n"),
    _t("n-root", "line", "ssh root@localhost\n"),
    _t("n-template", "line", 'url = f"postgres://{user}:{password}@{host}/db"\n'),
    _t("n-version", "line", 'VERSION = "1.{port}.0.3"\n'),
    _t("n-hash", "line", 'EXPECTED_SHA = "{HEX}"\n'),
    _t("n-changeme", "line", 'DEFAULT_PASSWORD = "changeme"\n'),
)


def is_held_out(template: Template, folds: int = 5) -> bool:
    """Whole templates are held out for evaluation (a stable split by position)."""
    return (TEMPLATES + NEGATIVES).index(template) % folds == folds - 1
