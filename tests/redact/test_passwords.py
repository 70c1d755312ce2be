"""PASSWORD detectors: a table of hits and near-misses, plus pathological inputs.

Per the guidelines even weak literal test values are passwords; placeholders, env lookups,
prompts and variable references are not. Every value here is project-written."""

from redact import Label

from .conftest import FamilyTests, family_detectors

DETECTORS = [d for d in family_detectors("passwords", "credential_calls", "password_formats") if Label.PASSWORD in d.labels]


HITS = [
    # (text, language, expected values)
    ('password = "hunter2"', "python", ["hunter2"]),
    ("db_pass = 'fake-P4ss!'", "python", ["fake-P4ss!"]),
    ('  "password": "s3cr3t fake",', "json", ["s3cr3t fake"]),
    ("const oldPassword = 'bar';", "javascript", ["bar"]),
    ('cfg := Config{User: "app", Passwd: "p@ss(fake)"}', "go", ["p@ss(fake)"]),
    ("$dbpass => 'tiger',", "perl", ["tiger"]),
    ('if (password == "fakepass") {', "c", ["fakepass"]),
    ('user.set_password("Fake-Pa55")', "python", ["Fake-Pa55"]),
    ("password: 1234", "yaml", ["1234"]),
    ("password: bar!#@ |&82$M", "yaml", ["bar!#@ |&82$M"]),
    ("DB_PASSWORD=tiger", "dotenv", ["tiger"]),
    ("export PGPASSWORD=Fake-Pg-Pass", "shell", ["Fake-Pg-Pass"]),
    ("[server]\npassword = hunter2\n", "ini", ["hunter2"]),
    ("ansible-playbook site.yml -e ansible_password=fakepass \\\n  -v", "shell", ["fakepass"]),
    ("url = 'postgres://scott:tiger@db.acme-widgets.io:5432/app'", "python", ["tiger"]),
    ('new Redis("redis://:fake%20pass@cache.acme-widgets.io:6379")', "javascript", ["fake%20pass"]),
    ('dsn := "app:p@ss(fake)@tcp(db.acme-widgets.io:3306)/shop"', "go", ["p@ss(fake)"]),
    ('conn = connect("host=db.acme-widgets.io password=fakepass dbname=app")', "python", ["fakepass"]),
    ('cs = "Server=db;User Id=app;Password=Fake123;"', "csharp", ["Fake123"]),
    ("mysql -u root -pFakePass123 shop", "shell", ["FakePass123"]),
    ("sshpass -p fakepass ssh deploy@host", "shell", ["fakepass"]),
    ("pg_dump --password=Fake-Pass-9 app", "shell", ["Fake-Pass-9"]),
    ("CREATE USER 'app'@'%' IDENTIFIED BY 'Fake-Pass-9';", "sql", ["Fake-Pass-9"]),
    ("<password>fakepass</password>", "xml", ["fakepass"]),
    ('<add key="DbPassword" value="fakepass" />', "xml", ["fakepass"]),
    # XML protocols and property pairs: attributes on the element, the name in an attribute or
    # in a sibling element (Hadoop configs, plists).
    ('<wsse:Password Type="http://fake.acme-widgets.io#PasswordText">fakepass</wsse:Password>', "xml", ["fakepass"]),
    ('<property name="db.password">fakepass</property>', "xml", ["fakepass"]),
    ("<property>\n  <name>javax.jdo.option.ConnectionPassword</name>\n  <value>fakepass</value>\n</property>",
     "xml", ["fakepass"]),
    ("<key>Password</key>\n<string>fake-pass-9</string>", "xml", ["fake-pass-9"]),
    ('auth = HTTPBasicAuth("jdoe", "fakepass")', "python", ["fakepass"]),
    ('$dbh = DBI->connect($dsn, "joe", "fakepass");', "perl", ["fakepass"]),
    ("# connect with the password \"fakepass\"", "python", ["fakepass"]),
    ('assertPassword(values{"user": "app"}, "fake_pass_A")', "go", ["fake_pass_A"]),
    ("self.assertRaises(Error, encrypt_password, 'fakepass', 'jdoe')", "python", ["fakepass"]),
    ('new Sequelize("shop", "jdoe", "fakepass", {})', "javascript", ["fakepass"]),
    # Positional (login, password) pairs in credentials calls of any language.
    ('conn = DriverManager.getConnection("jdbc:mysql://db.acme-widgets.io/shop", "jdoe", "Fake-Pass-9");', "java", ["Fake-Pass-9"]),
    ('db = MySQLdb.connect("localhost", "jdoe", "fakepass", "shop")', "python", ["fakepass"]),
    ("$pdo = new PDO($dsn, 'jdoe', 'fakepass');", "php", ["fakepass"]),
    ("ftp.login('jdoe', 'Fake-Pass-9')", "python", ["Fake-Pass-9"]),
    ('client, err := NewClient(endpoint, "Administrator", "v3ryFak3")', "go", ["v3ryFak3"]),
    ('nc, err := nats.Connect(url, nats.UserInfo("derek", "foo"))', "go", ["foo"]),
    ("r = requests.get(url, auth=('jdoe', 'fakepass'))", "python", ["fakepass"]),
    ('options = {"basic_auth": ("admin", "Fake-Pass-9")}', "python", ["Fake-Pass-9"]),
    ('UsernameToken token = new UsernameToken("jdoe", "fakepass");', "java", ["fakepass"]),
    # Abbreviated names in compose/env files; whose password it is, before the word.
    ("environment:\n  - MYSQL_ROOT_PW=Fake-Pw-9\n  POSTGRES_PWD: fakepass2", "yaml", ["Fake-Pw-9", "fakepass2"]),
    ("REDIS_PW=fakepass", "dotenv", ["fakepass"]),
    ('{"ssl_key_password": "fakepass", "private_key_password": "fakepass2"}', "json", ["fakepass", "fakepass2"]),
    ("remotepass = SeKr3tFake", "conf", ["SeKr3tFake"]),
    # Database shells and tools with single-dash flags.
    ("sqlcmd -S localhost -U sa -P 'Fake-Pass-9' -Q \"select 1\"", "shell", ["Fake-Pass-9"]),
    ("mongosh \"mongodb://db.acme-widgets.io\" -u jdoe -p Fake-Pass-9", "shell", ["Fake-Pass-9"]),
    ("plink -ssh jdoe@host -pw fakepass", "shell", ["fakepass"]),
    ("openssl rsa -in key.pem -passin pass:Fake-Pass-9", "shell", ["Fake-Pass-9"]),
    ("keytool -genkey -keystore k.jks -storepass fakepass -keypass fakepass2", "shell", ["fakepass", "fakepass2"]),
    ("mysqladmin -u root password 'Fake-Pass-9'", "shell", ["Fake-Pass-9"]),
    ("changepasswd.py -reset acme.local/jdoe@DC1 -newpass 'N3wFakePass!'", "shell", ["N3wFakePass!"]),
    # .netrc and .pgpass entries, router configs (type 7 and Juniper $9$ are reversible).
    ("machine api.acme-widgets.io login jdoe password Fake-Pass-9", "text", ["Fake-Pass-9"]),
    ("machine api.acme-widgets.io\n  login jdoe\n  password fakepass\n", "text", ["fakepass"]),
    ("db.acme-widgets.io:5432:shop:jdoe:Fake-Pass-9", "text", ["Fake-Pass-9"]),
    (" username jdoe privilege 15 password 7 0822455D0A16\n enable password 7 094F471A1A0A", "text",
     ["0822455D0A16", "094F471A1A0A"]),
    (" username jdoe password 0 fakepass", "text", ["fakepass"]),
    ('set system login user jdoe authentication encrypted-password "$9$fakeQF3/9pOBEhrlK8X"', "text",
     ["$9$fakeQF3/9pOBEhrlK8X"]),
    # Passphrases of key-loading calls, env lookups' fallbacks, tests' expected passwords.
    ('key = serialization.load_pem_private_key(data, b"fakepass", backend)', "python", ["fakepass"]),
    ('k = paramiko.RSAKey.from_private_key_file("id_rsa", "fakepass")', "python", ["fakepass"]),
    ('ks.load(in, "fakepass".toCharArray());', "java", ["fakepass"]),
    ("creds = base64.b64encode(b'jdoe:Fake-Pass-9').decode()", "python", ["Fake-Pass-9"]),
    ("password = environ.get('PGPASSWORD', 'fakepass')", "python", ["fakepass"]),
    ("const pw = process.env.DB_PASS || 'fakepass';", "javascript", ["fakepass"]),
    ('PGPASSWORD="${DB_PASSWORD:-fakepass}"', "shell", ["fakepass"]),
    ("t.equal(subject.password, 's@f#Fake');", "javascript", ["s@f#Fake"]),
    ("expect(config.webPass).toBe('fake_web_pass');", "javascript", ["fake_web_pass"]),
    ('c.Assert(client.password, Equals, "v3ryFak3")', "go", ["v3ryFak3"]),
    ("url = 'http://jdoe:f:a:k:e@acme-widgets.io/'", "python", ["f:a:k:e"]),
    ("curl -u jdoe:fakepass https://api.acme-widgets.io/v1", "shell", ["fakepass"]),
    ("define('DB_PASSWORD', 'fake-db-pass');", "php", ["fake-db-pass"]),
    ('os.Setenv("DB_PASSWORD", "Fake-Pass-9")', "go", ["Fake-Pass-9"]),
    ('r.acl_setuser("jdoe", passwords=["+fakepass1", "+fakepass2"])', "python", ["fakepass1", "fakepass2"]),
    ('password = "hunter2"', None, ["hunter2"]),
    ("password: hunter2", None, ["hunter2"]),
    # Quoted passwords of tool targets; Django's create_user by position; PGP passphrases.
    ("changepasswd.py fake.local/j.doe:'Fk29dK!x'@DC1", ["Fk29dK!x"]),
    ('UserModel.objects.create_user("fake_user", "fake@example.com", "fk29dk")', ["fk29dk"]),
    ("with key.unlock('Fake passphrase for the demo 29') as ukey:", ["Fake passphrase for the demo 29"]),
    ('/// assert_eq!(url.password(), Some("fk29secret"));', ["fk29secret"]),
]

NEAR_MISSES = [
    "x = {'a':'b'}@decorator",
    "lock.unlock('x')",
    'User.objects.create_user("fake_user", "fake@example.com", password)',
    'assert_eq!(url.password(), None);',
    ('password = ""', "python"),
    ('password = "password"', "python"),
    ('password = "changeme"', "python"),
    ("password: ${DB_PASSWORD}", "yaml"),
    ("password: '{{ db_password }}'", "yaml"),
    ('password = "%(password)s"', "python"),
    ("password = os.environ['DB_PASSWORD']", "python"),
    ('password = os.getenv("DB_PASSWORD")', "python"),
    ("password = getpass.getpass()", "python"),
    ("password = request.form['password']", "python"),
    ("password = user_password", "python"),
    ("password: str", "python"),
    ("password: str | None = None", None),
    ('PASSWORD_FIELD = "password"', "python"),
    ('password_hash = "$2b$12$FakeFakeFakeFakeFakeFuFakeFakeFakeFakeFakeFakeFakeFake"', "python"),
    ('label = "Password:"', "python"),
    ('"password": "****"', "json"),
    ('password = "<password>"', "python"),
    ('"password_help": "Enter your password"', "json"),
    ("url = 'postgres://user:${PASS}@db.acme-widgets.io/app'", "python"),
    ("url = 'https://db.acme-widgets.io:5432/app'", "python"),
    (":param password: The password of the user.", "python"),
    ("firwin(41, 0.5, pass_zero='lowpass')", "python"),
    ("PASSWORD_MIN_LENGTH = 12", "python"),
    ("    password=password,", "python"),
    ('password = password.encode("utf-8")', "python"),
    ("update_password: always", "yaml"),
    ("The --username and --password options are optional.", "text"),
    ('query = "grant_type=password&username=jdoe&password=%s"', "python"),
    ("ldap.change_password('cn=Joe,dc=acme-widgets,dc=io', old, new)", "python"),
    ('credentials.UsernamePassword(b"jdoe")', "python"),
    ('pass("First test")', "perl"),
    ("my $out = $ok->{pass} ? \"PASS\" : \"FAIL\";", "perl"),
    ("const fsMiniPass = require('fs-minipass')", "javascript"),
    ("pw = read_password('  Again:  ')", "python"),
    ("gpass : float", "restructuredtext"),
    ("#password_encryption = scram-sha-256", "conf"),
    ("self.nopass = 'amqp://user:**@localhost:5672/vhost'", "python"),
    ("define('DB_PASSWORD', 'password_here');", "php"),
    ('fields = ("username", "password", "email")', "python"),
    ("<passwordPolicy>strict</passwordPolicy>", "xml"),
    ("<property>\n  <name>javax.jdo.option.ConnectionPassword</name>\n  <value>${DB_PASS}</value>\n</property>", "xml"),
    ('<input type="password" name="pass" value="">', "html"),
    ("<b>password</b> is required", "html"),
    ('new Sequelize("database", "username", "password")', "javascript"),
    ('login("Sign in", "Cancel")', "python"),
    ('setTitle("Login", "Please log in")', "javascript"),
    ('conn = connect("localhost", "jdoe")', "python"),
    ('{"reset_password": "/account/reset", "password_hash": "x9Fake"}', "json"),
    ("pw_length: 12", "yaml"),
    (" enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "text"),
    ("machine api.acme-widgets.io login jdoe", "text"),
    ("12:30:00:00:00 and 10.0.0.1:8080:app", "text"),
    ("-p 8080:80 --pull always", "shell"),
    ("openssl rsa -in key.pem -passin env:KEY_PASS", "shell"),
    ('key = load_pem_private_key(open("keys/key.pem").read(), None)', "python"),
    ("password = environ.get('PGPASSWORD', '')", "python"),
    ("assertEqual(form.errors['password'], 'This field is required.')", "python"),
    ('assertEqual(len(password), 12)', "python"),
]


PATHOLOGICAL = {
    "emails": "a@a." * 250_000,
    "base64": ("Zx9FAKEq/Lm4+vB7nR1tY8w" * 43_479)[:1_000_000],
    "dotted digits": "1.2.3.4." * 125_000,
    "assignments": "password=" * 110_000,
    "userinfo": "pass:x@" * 140_000,
    "dashes": "-" * 1_000_000,
}



class TestPasswords(FamilyTests):
    DETECTORS = DETECTORS
    LABELS = frozenset({Label.PASSWORD})
    HITS = HITS
    NEAR_MISSES = NEAR_MISSES
    PATHOLOGICAL = PATHOLOGICAL
