"""PASSWORD detectors: a table of hits and near-misses, plus pathological inputs.

Per the guidelines even weak literal test values are passwords; placeholders, env lookups,
prompts and variable references are not. Every value here is project-written."""

from redact import Label

from .conftest import FamilyTests, family_detectors

DETECTORS = [d for d in family_detectors("passwords", "credential_calls", "password_formats", "service_passwords", "credential_files",
                                     "login_tables") if Label.PASSWORD in d.labels]


HITS = [
    # (text, language, expected values)
    ('password = "hunter2"', "python", ["hunter2"]),
    ("db_pass = 'fake-P4ss!'", "python", ["fake-P4ss!"]),
    ('  "password": "s3cr3t fake",', "json", ["s3cr3t fake"]),
    ("const oldPassword = 'bar';", "javascript", ["bar"]),
    ('cfg := Config{User: "app", Passwd: "p@ss(fake)"}', "go", ["p@ss(fake)"]),
    ("$dbpass => 'tiger',", "perl", ["tiger"]),
    ('if (password == "fakepass") {', "c", ["fakepass"]),
    # A C buffer with its size; Perl's string comparison; HTML-escaped quotes and elements.
    ('char password[128] = "fakepass9";', "c", ["fakepass9"]),
    ("if ($user eq 'zq' && $password eq 'fakepw7') {", "perl", ["fakepw7"]),
    ("&lt;weblogic password=&quot;fakeWeblogic9&quot;/&gt;", "html", ["fakeWeblogic9"]),
    ("&lt;password>fakepass77&lt;/password> &lt;password&gt;fakepass88&lt;/password&gt;", "html",
     ["fakepass77", "fakepass88"]),
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
    # A call named for the passphrase it takes, the literal last.
    ('let k = PKey::private_key_from_pem_passphrase(&pem, b"fake-pp-1").unwrap();', "rust", ["fake-pp-1"]),
    ('k.private_key_to_pem_pkcs8_passphrase(Cipher::aes_128_cbc(), b"fake-pp-2")', "rust", ["fake-pp-2"]),
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
    # JVM system properties, also inside a quoted JAVA_OPTS value.
    ("java -Djavax.net.ssl.keyStorePassword=Fake-Pass-9 -jar app.jar", "shell", ["Fake-Pass-9"]),
    ('JAVA_OPTS="-Dtrust.store.password=fakepass -Xmx256m"', "shell", ["fakepass"]),
    ("changepasswd.py -reset acme.local/jdoe@DC1 -newpass 'N3wFakePass!'", "shell", ["N3wFakePass!"]),
    # .netrc and .pgpass entries, router configs (type 7 and Juniper $9$ are reversible).
    ("machine api.acme-widgets.io login jdoe password Fake-Pass-9", "text", ["Fake-Pass-9"]),
    ("machine api.acme-widgets.io\n  login jdoe\n  password fakepass\n", "text", ["fakepass"]),
    # netrc tokens in any order, a comment ending a line.
    ("machine api.acme-widgets.io\n  login jdoe\n  account fakeacct # a comment\n  password fk29netrc\n", "text", ["fk29netrc"]),
    ("machine api.acme-widgets.io\n  password fk29netrc\n  login jdoe\n", "text", ["fk29netrc"]),
    # A login -> password table of a test fixture, as a map or a list of pairs.
    ('users = {\n    "jdoe": "fk29table",\n    "zqsmith": "fk30table",\n}', "python", ["fk29table", "fk30table"]),
    ("my $USERS = {\n  jdoe   => 'fk29table',\n  zqsmith => 'fk30table'\n};", "perl", ["fk29table", "fk30table"]),
    ('users = [\n    (b"jdoe", b"fk29table"),\n    (b"zqsmith", b"fk30table"),\n]', "python", ["fk29table", "fk30table"]),
    ('users := map[string]string{\n\t"jdoe": "fk29table",\n}', "go", ["fk29table"]),
    # A first-person phrase is a chosen value, spaced as well as camelCase (`MySecretPass`).
    ("t.assert.equal(password.toString(), 'my fake pass')", "javascript", ["my fake pass"]),
    ("opts = { username: 'jdoe', password: 'my fake pass' }", "javascript", ["my fake pass"]),
    # Django's create_user with its arguments on the next line (in a file long enough to be read
    # in windows around the call, not whole).
    ("#" + " filler" * 150 + "\nu = User.objects.create_user(\n    'fake_user', 'fake@example.com', 'fk29create'\n)\n" + "#" + " filler" * 150,
     "python", ["fk29create"]),
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
    ('let id = Identity::from_pkcs12(&der, "fakepass")?;', "rust", ["fakepass"]),
    # Typed declarations and defaults, R's arrow, Perl's Set($NamePassword, ...), Erlang tuples.
    ('def connect(password: str = "zq29fake"):\nval dbPassword: String = "Fake-Pw-9"', "python", ["zq29fake", "Fake-Pw-9"]),
    ('var dbPassword string = "zq29fake"\npassword <- "Fake-Pw-9"', "go", ["zq29fake", "Fake-Pw-9"]),
    ("Set($DatabasePassword, 'zq29fake');", "perl", ["zq29fake"]),
    ('\t\tPassword: "MyZqFakePass",', "go", ["MyZqFakePass"]),  # first-person: a chosen value, not a field name
    ('{password, "zq29fake"},\n%% {default_pass, <<"Fake-Pw-9">>},', "erlang", ["zq29fake", "Fake-Pw-9"]),
    ('key, cert, err := pkcs12.Decode(data, "fakepass")', "go", ["fakepass"]),
    ('var c = new X509Certificate2("c.pfx", "fakepass", X509KeyStorageFlags.Exportable);', "csharp", ["fakepass"]),
    # Percona Toolkit DSNs: comma-separated options after a user.
    ("pt-table-sync --execute h=db1,u=zqbob,p=zq29fake h=db2\npt-archiver --source h=db,P=3306,u=zqann,p=Fake-Pw-9,D=shop",
     "shell", ["zq29fake", "Fake-Pw-9"]),
    ("creds = base64.b64encode(b'jdoe:Fake-Pass-9').decode()", "python", ["Fake-Pass-9"]),
    ("password = environ.get('PGPASSWORD', 'fakepass')", "python", ["fakepass"]),
    # The fallback of an env lookup in PHP, Ruby and Python's `or`; a RADIUS secret is a password.
    ("$pass   = (getenv('RADIUS_PASS'))        ?: 'zqfake7';", "php", ["zqfake7"]),
    ("$secret = (getenv('RADIUS_SECRET'))      ?: 'zqfake8';", "php", ["zqfake8"]),
    ("$p = $_ENV['MYSQL_PASSWORD'] ?? 'zq-fake';", "php", ["zq-fake"]),
    ("  ENV['STOMP_PASSCODE'] || 'zqfake9'", "ruby", ["zqfake9"]),
    ("pw = os.getenv('DB_PASSWORD') or 'zqfake10'", "python", ["zqfake10"]),
    # OpenLDAP-style `pw` names.
    ("        'adminpw' => 'zqfakepw',", "php", ["zqfakepw"]),
    ("  'bindpw' => 'zqfake11',", "php", ["zqfake11"]),
    # Container env entries (any length), rabbitmqctl's positional password.
    ("docker run -e KC_USER=jdoe -e KC_PASSWORD=zq1 quay.io/x/y:1", ["zq1"]),
    ("    environment:\n      - MYSQL_ROOT_PASSWORD=zq2\n", "yaml", ["zq2"]),
    ("$ctl add_user zq_app zq_app_pw", "shell", ["zq_app_pw"]),
    ('rabbitmqctl change_password "jdoe" "zq3fake"', "shell", ["zq3fake"]),
    # A `-p` after the `-u` that names the login; `PASS` after `USER` in a POP3/FTP transcript.
    ("cat l.txt | ./imapcreate.pl -u zqadm -p 'zqfake9' -q 50M mail.acme-widgets.io", "shell", ["zqfake9"]),
    ("  > exaplus -u zqsys -p zqfake10 -c localhost:8563", "shell", ["zqfake10"]),
    ("Client: 'USER jdoe@acme-widgets.io\\r\\n'\nServer: '+OK send PASS\\r\\n'\nClient: 'PASS zqfake13\\r\\n'\n",
     "text", ["zqfake13"]),
    ("USER jdoe\r\nPASS zqfake12\r\n", "text", ["zqfake12"]),
    ("Gitlab.create_user('jdoe@acme-widgets.io', 'zqpw4fake', 'jdoe')", "ruby", ["zqpw4fake"]),
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
    ('{ name: "zquser",\n  authProtocol: snmp.AuthProtocols.sha,\n  authKey: "zq29auth!x",\n  privKey: "zq29priv!x" }',
     ["zq29auth!x", "zq29priv!x"]),
    ("client zq {\n\tipaddr = 192.0.2.7\n\tsecret\t\t= zq29radius\n}", ["zq29radius"]),
    ("$r = new Authen::Radius(Host => 'myserver', Secret => 'zq29radius');", ["zq29radius"]),
    # YAML in a code file's strings (an Ansible module's EXAMPLES); `test` is a literal too.
    ("EXAMPLES = r'''\n- mysql_user:\n    login_password: 123456\n    password: zq29fake\n'''", "python",
     ["123456", "zq29fake"]),
    ('cfg := `\nusers:\n  - password: zq29fake\n`', "go", ["zq29fake"]),
    ('client, err := NewClient(endpoint, "zqbob", "test")', "go", ["test"]),
    # A call named for credentials takes the pair after a context argument.
    ('tok, err := conf.PasswordCredentialsToken(context.Background(), "zqbob", "zq29fake")', "go", ["zq29fake"]),
    # Cisco type 7 after any command, and SNMP communities.
    ("ppp pap sent-username zqbob password 7 023530612D5319347A", "text", ["023530612D5319347A"]),
    ("#     password 7 12090404011C03162E", "python", ["12090404011C03162E"]),
    ("snmp-server community ZqFakeCommunity RW 99", "text", ["ZqFakeCommunity"]),
    ("snmp-server host 192.0.2.10 traps version 2c zq-fake-rw", "text", ["zq-fake-rw"]),
    # A login variable, then the password literal, in a credentials call.
    ("conn = SMBConnection(info['user'], 'zq29fake', info['client_name'])", "python", ["zq29fake"]),
    ("conn = SMBConnection(info['user'], lambda: 'wrongPass', 'x')", "python", ["wrongPass"]),
    ('client.login(self.username, "zq29fake")', "python", ["zq29fake"]),
    ('db = mysql.connect(host, user, "zq29fake")', "python", ["zq29fake"]),
    # RANCID .cloginrc entries, WPA passphrases.
    ("add password *.fake.net\t{zq29vty}\t{zq29enable}\n", "text", ["zq29vty", "zq29enable"]),
    ("#add password sl*\tzqhank\tzqdog\n", "text", ["zqhank", "zqdog"]),
    ('network={\n\tpsk="very fake passphrase"\n}\n', "conf", ["very fake passphrase"]),
    ("#sae_password=zq fake secret|mac=ff:ff:ff:ff:ff:ff\n", "conf", ["zq fake secret"]),
    # A bare password beside its user in a one-line config object (NATS/HOCON, also in a Go string).
    ("users = [\n  {user: zqbob, password: zqfake1},\n  {user: zqann, password: zqfake2, permissions: $all}\n]", "go",
     ["zqfake1", "zqfake2"]),
    ("accounts: [{username: zqbob, password: zq29fake}]\n", "yaml", ["zq29fake"]),
    # A client's constructor in any spelling, after its endpoint.
    ('client, err := NewClientWithParameters(endpoint, "zqbob", "zq29fake", params)', "go", ["zq29fake"]),
    ("#auth_server_shared_secret=zqfake2\n", "ini", ["zqfake2"]),
    # A RADIUS client library's constructor (pyrad): the shared secret is a password, not a key.
    ('srv = Client(server="10.9.8.7", secret=b"zq29fake", dict=Dictionary("dictionary"))', "python", ["zq29fake"]),
    ("req = AuthPacket(secret=b'zq fake two')", "python", ["zq fake two"]),
    # Service directives whose argument is a password (Redis, keepalived, OpenLDAP, HAProxy, Cisco).
    ("requirepass zq29fake-redis\n# masterauth zq29fake-master\n", "conf", ["zq29fake-redis", "zq29fake-master"]),
    ("vrrp_instance VI_1 {\n    authentication {\n        auth_pass zq29\n    }\n}", "conf", ["zq29"]),
    ("rootpw   zqFakeRoot\nbindpw zqFakeBind\n", "text", ["zqFakeRoot", "zqFakeBind"]),
    ("listen stats\n    stats auth admin:zq29fake\nuserlist L\n  user zqbob insecure-password zqfake2\n", "conf",
     ["zq29fake", "zqfake2"]),
    ("tacacs-server host 10.9.8.7 key zq29fake\nradius-server key 7 0822455D0A16\n ppp chap password zqfake2\n", "text",
     ["zq29fake", "0822455D0A16", "zqfake2"]),
    # SNMPv3 users and net-snmp's pass phrase options.
    ('createUser -e 0x80001f8880fa4e fakeuser SHA "zq29fake-auth" AES "zq29fake-priv"', "conf",
     ["zq29fake-auth", "zq29fake-priv"]),
    ("snmpget -v3 -u fakeuser -l authPriv -a SHA -A zqauth29 -x AES -X zqpriv29 host sysName.0", "shell",
     ["zqauth29", "zqpriv29"]),
    # Administration commands.
    ("docker login -u zqbob -p zq29fake registry.acme-widgets.io", "shell", ["zq29fake"]),
    ("htpasswd -bc /etc/nginx/.htpasswd zqbob zq29fake\nhtpasswd -nb zqann 'zqfake3'", "shell", ["zq29fake", "zqfake3"]),
    ('echo "zqbob:zq29fake" | chpasswd', "shell", ["zq29fake"]),
    ("smbclient //files/share -U zqbob%zq29fake", "shell", ["zq29fake"]),
    ("sqlplus -s zqbob/zq29fake@//db.acme-widgets.io:1521/ORCL @run.sql\nexp userid=zqann/zqfake2 file=x.dmp", "shell",
     ["zq29fake", "zqfake2"]),
    ("PGPASSWORD=zq29fake psql -h db -U zqbob\nMYSQL_PWD='zqfake2' mysqldump shop", "shell", ["zq29fake", "zqfake2"]),
    # Credential list files whose header is the evidence: pppd's chap/pap-secrets, l2tp-secrets,
    # hostapd's wpa_psk_file and RADIUS client list.
    ('# Secrets for authentication using CHAP\n# client\tserver\tsecret\t\tIP addresses\nzqbob\t*\t"Fake Pw 9"\t10.9.8.7 # static\n'
     '*\tzqann\tzq29fake\n', "text", ["Fake Pw 9", "zq29fake"]),
    ("#client     server     secret     IP addresses\n zqbob      *        zq29fake   203.0.113.9 *\n", "text", ["zq29fake"]),
    ("# us\tthem\tsecret\n# *\t\tzqhost zq29fake\n", "text", ["zq29fake"]),
    ("# hostapd: a MAC address and PSK per line\n00:11:22:33:44:55 fake wifi passphrase\nkeyid=zq wps=1 02:00:00:00:00:01 Fake-Psk-123\n",
     "text", ["fake wifi passphrase", "Fake-Psk-123"]),
    ("# RADIUS client configuration for the RADIUS server\n192.0.2.7\tfake shared phrase\n198.51.100.0/24\tzq29fake\n", "text",
     ["fake shared phrase", "zq29fake"]),
    # pgbouncer's auth_file, every line an entry (the md5/SCRAM verifiers are hashes); a mosquitto
    # bridge's login; a FreeRADIUS client's secret however far below its header, nested blocks before it.
    ('"zqbob" "Fake-Passw0rd-123"\n"zqann" "md5' + "0f1e2d3c" * 4 + '"\n', "text", ["Fake-Passw0rd-123"]),
    ('; users of the pool\n"zqbob"\t"fake ""quoted"" pw" ignored\n"zqcarl" "SCRAM-SHA-256$4096:ZmFrZQ==$ZmFrZQ==:ZmFrZQ=="\n',
     "text", ['fake ""quoted"" pw']),
    ("connection zqbridge\naddress 192.0.2.5:1883\nremote_username zqbob\nremote_password Fake-Passw0rd-123\n", "conf",
     ["Fake-Passw0rd-123"]),
    ("client zqnas {\n\tipaddr = 192.0.2.7\n\tproto = *\n\tnas_type = other\n\tlimit {\n\t\tmax_connections = 16\n\t}\n"
     "\tsecret = zq29radius\n}\n", "text", ["zq29radius"]),
    ("#client zqnas {\n#\tipaddr = 192.0.2.7\n#\tproto = *\n#\tshortname = zq\n#\tnas_type = other\n#\tsecret = zq29fake\n#}\n",
     "text", ["zq29fake"]),
    # A credentials call with more arguments before the pair; a placeholder word in an odd case is a value.
    ('client.connect(host, 22, "zqdeploy", "Fake-Passw0rd-123")', "python", ["Fake-Passw0rd-123"]),
    ("password='secRet'", "python", ["secRet"]),
]

NEAR_MISSES = [
    # `pass` compared with `eq` is a test's outcome; an escaped element holding a template.
    ('if ($pass eq "FAIL") { print "not ok" }', "perl"),
    ("&lt;password&gt;${db.password}&lt;/password&gt; &lt;input type=&quot;password&quot;&gt;", "html"),
    # A prompt or label in a password position, not first-person.
    ("opts = { username: 'jdoe', password: 'your fake pass' }", "javascript"),
    ("opts = { username: 'jdoe', password: 'My fake password' }", "javascript"),
    # netrc-like prose: no login token in the entry; a table of records, roles, env settings, logins.
    ("machine learning\npassword reset is hard", "text"),
    ("machine api.acme-widgets.io\n  password fk29netrc\n", "text"),
    ('users = [{"name": "Jo Fake", "email": "jo@example.com"}]', "python"),
    ('users = {"jdoe": "admin", "zqsmith": "viewer"}', "python"),
    ("credentials = {\n  FAKE_DB_USER: 'root',\n  FAKE_DB_HOST: 'fk29host',\n}", "javascript"),
    ('allowed_users = ["jdoe", "zqsmith"]', "python"),
    ('USERS = {1: jdoe, "zq": zqsmith}', "python"),
    # A passphrase prompt is no passphrase; a call only mentioning one takes none.
    ('read_passphrase(fd, "Passphrase:")', "c"),
    ('passphrase_hint(key, "fake-hint")', "rust"),
    # Lines that look like list entries without the file's header, or the header alone.
    ("zqbob * zq29fake 10.9.8.7\n0 * * * * /usr/bin/backup\n", "text"),
    ("# client server secret IP addresses\n*\t*\t\"\"\t*\nzqbob\t*\tpasswd\n", "text"),
    ("# client server secret\nwidth * height\n", "text"),
    ("08:00:20:00:61:ca zqhost-ethers-name\n", "text"),  # /etc/ethers: a MAC and a host name
    ("# PSKs below\n00:22:33:44:55:66 " + "0123456789abcdef" * 4 + "\n", "text"),  # the 64-hex derived key
    ("192.0.2.7 zqhost.acme-widgets.io\n", "text"),  # /etc/hosts
    ('f(a, b, "zqbob", "Fake-Pw-9")', "python"),  # not a credentials call
    ('check(password, "zq29fake")\n{password, Password}\ndef f(password: str = None):', "python"),  # no setter, tuple or literal
    ("password='secret'\npassword='SECRET'", "python"),
    ("java -Dkeystore.password=${KS_PASSWORD} -Dpassword.file=/etc/app/pw -jar app.jar", "shell"),  # a variable; a file
    ('c = Client(secret="zq29fake")', "python"),  # no server: an API client's secret (a KEY)
    # Directives and commands without a literal password, or where the argument is something else.
    ("requirepass ${REDIS_PASSWORD}\nmasterauth \"\"\n", "conf"),
    ("# requirepass foobared is the default, see below\n", "conf"),
    ("rootpw {SSHA}Zq29FakeHashFakeHashFakeHash\n", "text"),
    ("tacacs-server host 10.9.8.7\nradius-server key 5 $1$zq29$FakeHashFake\n", "text"),
    ("docker login -u zqbob -p $REGISTRY_PASSWORD registry.acme-widgets.io\ndocker login --password-stdin", "shell"),
    ("htpasswd -c /etc/nginx/.htpasswd zqbob\nhtpasswd -b $FILE $USER $PASS", "shell"),
    ("smbclient -L //files -U zqbob", "shell"),
    ("sqlplus / as sysdba\nsqlplus zqbob@orcl", "shell"),
    ("PGPASSWORD=$(cat /run/secrets/pg) psql -h db\nPGPASSWORD=\"$DB_PW\" psql", "shell"),
    ("PASSWORD_LENGTH=12 pwgen", "shell"),
    ("snmpwalk -v2c -c public host -A x", "shell"),
    "[app]\nsecret = zq29radius\n",
    'const privKey = "zq29priv!x";',
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
    ('var c = new X509Certificate2("server.pfx");\nvar d = new X509Certificate2("zqserver");', "csharp"),  # a file name alone
    ("pt-table-sync h=db1,u=zqbob,p=$DB_PASS h=db2\nopts = {a=1,p=2}", "shell"),  # a variable; no user before
    ("password = environ.get('PGPASSWORD', '')", "python"),
    ("x = getenv('DB_PASSWORD_FILE') ?: '/run/secrets/db'", "php"),
    ("x = ENV['PASSWORD_MIN_LENGTH'] || '8'", "ruby"),
    ("$u = getenv('DB_USER') ?: 'jdoe'", "php"),
    ("        'pass_col' => 'user_pass',", "php"),  # the column's name, not a password
    ("  -e PASSWORD_FILE=/run/secrets/x", "shell"),
    ("      - POSTGRES_PASSWORD=${PW}\n", "yaml"),
    ("rabbitmqctl add_user $USER $PASS", "shell"),
    # A numeric `-u` (a uid) before a port mapping; mysql's `-p` prompts (the next word is the database);
    # anonymous FTP's address; `USER` in a Dockerfile; a test runner's PASS line.
    ("docker run -u 1000 -p 8080:80 nginx", "shell"),
    ("mysql -h db -u jdoe -p shop < dump.sql", "shell"),
    ("USER anonymous 331\nPASS jdoe@acme-widgets.io 530\n", "text"),
    ("USER node\nRUN npm ci\nCMD [\"node\", \"PASS\"]\n", "dockerfile"),
    ("PASS test_login (0.01s)\n", "text"),
    ("Gitlab.create_user('jdoe@acme-widgets.io', 'secret', 'jdoe')", "ruby"),  # not the login
    ("pip install -e . --find-links x", "shell"),
    ("assertEqual(form.errors['password'], 'This field is required.')", "python"),
    ('assertEqual(len(password), 12)', "python"),
    # Python annotations and docstrings, JS/Ruby objects, expiry settings, default communities.
    ("class User:\n    password: SecretStr\n    password: float\n", "python"),
    ('def f():\n    """\n    password: optional.\n    password: Password for the account\n    """', "python"),
    ("const opts = {\n  password: pass\n}", "javascript"),
    ("- user:\n    password_expire_warn: 30\n", "python"),
    ("snmp-server community public RO", "text"),
    ("password 7 times", "text"),
    ('result = self.client.plain_login("zqbob", "secret", "authid")', "python"),
    ('get_user(username, "default")', "python"),
    ("client.login(username, password)", "python"),
    ('login(host, user, "zq29fake")', "python"),
    ('client.login(self.username, "Password:")', "python"),
    ("add password to the list\n", "text"),
    ('psk="<passphrase>"\n', "conf"),
    ("psk=06b4be19da289f475aa46a33cb793029d4ab3db7a23ee92382eb0106c72ac7bb\n", "conf"),  # KEY, not PASSWORD
    # Objects of variables in code; a struct literal; a session's request arguments.
    ("opts[:basic_auth] = {username: u, password: p}", "ruby"),
    ("const auth = {user: name, pass: secretVar}", "javascript"),
    ("x = {user: username, password: password}", None),
    ("cfg := Config{user: u, password: p}", "go"),
    ('s = requests.Session(base, "GET", "application/json")', "python"),
    ("auth_server_shared_secret=$RADIUS_SECRET\n", "ini"),
    # Two quoted strings in code; an auth_file whose lines are all hashes; one line of code among entries.
    ('x = f(\n"zqbob" "Fake-Passw0rd-123"\n)\n', "python"),
    ('"zqbob" "md5' + "0f1e2d3c" * 4 + '"\n"zqann" "SCRAM-SHA-256$4096:ZmFrZQ==$ZmFrZQ==:ZmFrZQ=="\n', "text"),
    ('"zqbob" "Fake-Passw0rd-123"\nputs "done"\n', "text"),
    # A mosquitto password_file holds hashes; a bridge password from a variable.
    ("zqbob:$7$101$ZmFrZXNhbHQ=$ZmFrZWhhc2hmYWtlaGFzaA==\nzqann:$6$ZmFrZQ==$ZmFrZWhhc2g=\n", "text"),
    ("remote_password ${BRIDGE_PASSWORD}\n", "conf"),
    # `secret =` outside a client block, and after the block has closed.
    ("client zqnas {\n\tipaddr = 192.0.2.7\n}\nlimit {\n\tmax = 1\n\tx = 2\n\ty = 3\n\tz = 4\n}\nsecret = zq29fake\n", "text"),
    ("server zq {\n\ta = 1\n\tb = 2\n\tc = 3\n\td = 4\n\tsecret = zq29fake\n}\n", "text"),
]


PATHOLOGICAL = {
    "emails": "a@a." * 250_000,
    "base64": ("Zx9FAKEq/Lm4+vB7nR1tY8w" * 43_479)[:1_000_000],
    "dotted digits": "1.2.3.4." * 125_000,
    "assignments": "password=" * 110_000,
    "userinfo": "pass:x@" * 140_000,
    "dashes": "-" * 1_000_000,
    "env flags": "-e A_PASS" * 110_000,
    "env items": "\n - A_PW" * 110_000,
    "rabbitmqctl": "$ctl add_user a " * 60_000,
    "user flags": "-u a -p b " * 100_000,
    "protocol commands": "USER a\nPASS b\n" * 70_000,
    "env fallbacks": "getenv('A_PASS') ?: " * 50_000,
    # Issue 13 item 14: sparse `pw=` on one 5 MB line; each read the line from its start (2 s).
    "sparse config values": ("x" * 4995 + "pw=: ") * 1000,
    # A password assertion's test for an assert call read its line from the start (200 s per 5 MB).
    "sparse password assertions": ("x" * 993 + 'pwd,"="') * 1000,
    # Whole-file entries: one reading of the file, however many entries.
    "auth_file entries": '"a" "b"\n' * 120_000,
    "auth_file long line": '"a" "' + "b" * 250 + '" ' + "c" * 1_000_000,
    # One pass over the braces: secrets in one long client block, braces without a client.
    "radius client block": "client a {\n" + "secret = x\n" * 90_000 + "}",
    "radius braces": "client a {\n" + "{" * 500_000 + "\nsecret = x\n" + "}" * 500_000,
}



class TestPasswords(FamilyTests):
    DETECTORS = DETECTORS
    LABELS = frozenset({Label.PASSWORD})
    HITS = HITS
    NEAR_MISSES = NEAR_MISSES
    PATHOLOGICAL = PATHOLOGICAL
