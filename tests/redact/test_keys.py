"""KEY detectors: a table of hits and near-misses, plus pathological inputs.

Every secret below is project-written and obviously fake (FAKE/Fake in it, made-up hosts)."""

import hashlib

from redact import Label

from .conftest import FamilyTests, family_detectors

DETECTORS = family_detectors("keys", "tokens", "private_keys", "key_formats", "key_bodies") + [
    d for d in family_detectors("credential_files") if Label.KEY in d.labels]
FAKE_PSK = hashlib.sha256(b"fake wifi").hexdigest()  # 64 hex digits, derived from nothing secret
JWK_D = "FakeJwkD_" + "zq29Fk-dK3mQ8zL5vB1nR7tY4wPfakeJWKprivateExponent0"  # a fake base64url member
B64 = "MIIEFAKEkeyBODYfakeKEYbodyFAKEkeyBODYfakeKEYbodyFAKEkeyBODYfake0"  # 64 base64 characters
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlLXVzZXIifQ.RkFLRS1zaWduYXR1cmUtRkFLRS1zaWc"
HEX = hashlib.sha512(b"fake vendor tokens").hexdigest()  # 128 hex digits, derived from nothing secret
ALNUM = "Fk29dK3mQ8zL5vB1nR7tY4wPfAKE" * 8  # letters and digits to cut vendor bodies from
LONG_HEX = "".join(hashlib.sha512(b"fake long key %d" % i).hexdigest() for i in range(4))  # 512 hex digits: past one literal's 300
PYPI = "pypi-AgEIcHlwaS5vcmcFAKE" + ALNUM[:80]  # a fake PyPI upload token, split over lines below
# Fake DER in Python bytes literals (as `repr` writes them, split over two lines): a private key's
# opening (`SEQUENCE, INTEGER 0`), an ECDSA signature's (`SEQUENCE, INTEGER r`), a public key's.
_FAKE_BYTES = hashlib.sha512(b"fake der").digest() + hashlib.sha512(b"fake der 2").digest()
DER_BYTES = repr(bytes([0x30, 0x81, 0x86, 0x02, 0x01, 0x00, 0x30, 0x10]) + _FAKE_BYTES[:60])
DER_BYTES_2 = repr(_FAKE_BYTES[60:120])
SIG_BYTES = repr(bytes([0x30, 0x45, 0x02, 0x21, 0x00]) + _FAKE_BYTES[:68])
SPKI_BYTES = repr(bytes([0x30, 0x59, 0x30, 0x13, 0x06, 0x07]) + _FAKE_BYTES[:85])
# A fake PKCS#12 store, base64 without armour: `SEQUENCE, INTEGER 3, SEQUENCE` opens it (`MII??wIBAzCC`).
P12_LINES = ["MIIKTwIBAzCCCgUGCSqGSIb3DQEHAaCC" + B64[:32]] + [B64] * 5 + [B64[:20] + "=="]
# Fake tokens in vendors' documented formats (prefix + the body's alphabet and length).
VENDOR_FAKES = [
    "dckr_pat_" + ALNUM[:27], "sbp_" + HEX[:40], "rubygems_" + HEX[:48], "glsa_" + ALNUM[:32] + "_" + HEX[:8],
    "PMAK-" + HEX[:24] + "-" + HEX[24:58], "lin_api_" + ALNUM[:40], "dapi" + HEX[:32], "NRAK-" + ALNUM.upper()[:27],
    "pul-" + HEX[:40], "bkua_" + HEX[:40], "pscale_tkn_" + ALNUM[:43], "pnu_" + ALNUM[:36], "rdme_" + HEX[:70],
    "CFPAT-" + ALNUM[:43], "dp.pt." + ALNUM[:43], "AGE-SECRET-KEY-1" + ("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L" * 2)[:58],
    "gsk_" + ALNUM[:52], "pplx-" + ALNUM[:48], "xai-" + ALNUM[:80], "r8_" + ALNUM[:37], "lsv2_pt_" + HEX[:32] + "_" + HEX[32:42],
    "xkeysib-" + HEX[:64] + "-" + ALNUM[:16], "ATATT3" + ALNUM[:186], "sq0csp-" + ALNUM[:43], "duffel_test_" + ALNUM[:43],
    "EZAK" + ALNUM[:54], "FLWSECK_TEST-" + HEX[:32] + "-X", "shippo_live_" + HEX[:40], "doo_v1_" + HEX[:64],
    "xapp-1-AFAKE01234-1234567890123-" + HEX[:64], "abc8Q~" + ALNUM[:34], "sk.eyJ" + ALNUM[:60] + "." + ALNUM[:22],
]


HITS = [
    # An attribute of a Ruby constant is assigned, not a type (Rails' secret_token.rb).
    ("FakeApp::Application.config.secret_token = '" + "d7a405571fe7726566e1a41c3d79fd1cda49a6caf1680ca8085f6c34c6f836bf90d7d552ec8f43717471c1e87ec3d9704c21e7ee9b91aea9434cd1e10e4c9bdc'", ["d7a405571fe7726566e1a41c3d79fd1cda49a6caf1680ca8085f6c34c6f836bf90d7d552ec8f43717471c1e87ec3d9704c21e7ee9b91aea9434cd1e10e4c9bdc"]),
    # vendor formats
    ('aws_access_key_id = "AKIAFAKEFAKEFAKEFAKE"', ["AKIAFAKEFAKEFAKEFAKE"]),
    ("maps_key: AIzaFakeFakeFakeFakeFakeFakeFakeFake123", ["AIzaFakeFakeFakeFakeFakeFakeFakeFake123"]),
    ("GH=ghp_FakeFakeFakeFakeFakeFakeFakeFake1234", ["ghp_FakeFakeFakeFakeFakeFakeFakeFake1234"]),
    ("git clone https://oauth2:glpat-FakeFakeFake12345678@gitlab.acme-widgets.io/x.git", ["glpat-FakeFakeFake12345678"]),
    ('SLACK = "xoxb-1234567890-0987654321-FakeFakeFakeFake"', ["xoxb-1234567890-0987654321-FakeFakeFakeFake"]),
    ("stripe.api_key = 'sk_live_FakeFake1234FakeFake'", ["sk_live_FakeFake1234FakeFake"]),
    ("const whsec = 'whsec_FakeFakeFake1234'", ["whsec_FakeFakeFake1234"]),
    ("SENDGRID=SG.FakeFakeFakeFake123456.FakeFakeFakeFakeFakeFakeFakeFakeFake1234567", ["SG.FakeFakeFakeFake123456.FakeFakeFakeFakeFakeFakeFakeFakeFake1234567"]),
    ("//registry.npmjs.org/:_authToken=npm_FakeFakeFakeFakeFakeFakeFakeFake1234", ["npm_FakeFakeFakeFakeFakeFakeFakeFake1234"]),
    ("password = pypi-AgEIcHlwaS5vcmcFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake12", ["pypi-AgEIcHlwaS5vcmcFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake12"]),
    ('HF_TOKEN="hf_FakeFakeFakeFakeFakeFakeFakeFakeFa"', ["hf_FakeFakeFakeFakeFakeFakeFakeFakeFa"]),
    ('client = OpenAI(api_key="sk-proj-FakeFakeFakeFakeFakeFakeFakeFake1234")', ["sk-proj-FakeFakeFakeFakeFakeFakeFakeFake1234"]),
    (f"Authorization: Bearer {JWT}", [JWT]),
    (f'token = "{JWT}"', [JWT]),
    # private-key bodies: first to last base64 character, across escapes and concatenation
    (f"-----BEGIN RSA PRIVATE KEY-----\n{B64}\n{B64[:40]}==\n-----END RSA PRIVATE KEY-----\n", [f"{B64}\n{B64[:40]}=="]),
    (f'key = "-----BEGIN PRIVATE KEY-----\\n{B64}\\n{B64[:20]}\\n-----END PRIVATE KEY-----\\n"', [f"{B64}\\n{B64[:20]}"]),
    (f'PEM = ("-----BEGIN EC PRIVATE KEY-----\\n"\n       "{B64}\\n"\n       "{B64[:30]}\\n"\n       "-----END EC PRIVATE KEY-----")', [f'{B64}\\n"\n       "{B64[:30]}']),
    # secrets in URLs and connection strings
    ("https://hooks.slack.com/services/TFAKE0001/BFAKE0002/FakeFakeFakeFake1234", ["TFAKE0001/BFAKE0002/FakeFakeFakeFake1234"]),
    ("curl https://api.acme-widgets.io/v1/items?access_token=Fk29dK3mQ8zL5vB1nR7t", ["Fk29dK3mQ8zL5vB1nR7t"]),
    ("DefaultEndpointsProtocol=https;AccountName=fake;AccountKey=RkFLRWtleUZBS0VrZXlGQUtFa2V5RkFLRQ==;", ["RkFLRWtleUZBS0VrZXlGQUtFa2V5RkFLRQ=="]),
    ("broker_url = 'sqs://AKIDFAKE:Fk29dK3mQ8zL5vB1n+FAKE@'", ["Fk29dK3mQ8zL5vB1n+FAKE"]),
    # literals assigned to secret names, in many syntaxes
    ("SECRET_KEY = 'django-insecure-fake-9x8y7z'", ["django-insecure-fake-9x8y7z"]),
    ('app.secret_key = "keyboard fake cat"', ["keyboard fake cat"]),
    ('  "client_secret": "Fk29dK3mQ8zL5vB1nR7tY4wP",', ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("apiKey: 'Fk29dK3mQ8zL5vB1nR7tY4wP'", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("$config['api_key'] => 'Fk29dK3mQ8zL5vB1nR7tY4wP';", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("aws_secret_access_key = FakeFk29dK3mQ8zL5vB1nR7tY4wPFakeFake12", ["FakeFk29dK3mQ8zL5vB1nR7tY4wPFakeFake12"]),
    ("export AUTH_TOKEN=Fk29dK3mQ8zL5vB1nR7tY4wP", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("mySigningKey := []byte(\"AllFakeBase\")", ["AllFakeBase"]),
    ("<clientSecret>Fk29dK3mQ8zL5vB1nR7tY4wP</clientSecret>", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("&lt;clientSecret&gt;Fk29dK3mQ8zL5vB1nR7tY4wQ&lt;/clientSecret&gt;", ["Fk29dK3mQ8zL5vB1nR7tY4wQ"]),
    ('<entry key="api.secret">Fk29dK3mQ8zL5vB1nR7tY4wP</entry>', ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    # Provider formats: Google refresh tokens and codes, pub/sub and messaging keys, nkey seeds.
    ('refresh = "1//0gFakeFakeFk29dK3mQ8zL5vB1nR7tY4wPq2ZxFk29dK3mQ8zL5vB1"',
     ["1//0gFakeFakeFk29dK3mQ8zL5vB1nR7tY4wPq2ZxFk29dK3mQ8zL5vB1"]),
    ("PUBNUB_PUBLISH_KEY=pub-c-0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", ["pub-c-0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"]),
    ("mailgun = Mailgun(key='key-0f1e2d3c4b5a69788776a5b4c3d2e1f0')", ["key-0f1e2d3c4b5a69788776a5b4c3d2e1f0"]),
    ("MC_KEY = '0f1e2d3c4b5a69788776a5b4c3d2e1f0-us14'", ["0f1e2d3c4b5a69788776a5b4c3d2e1f0-us14"]),
    ('seed := []byte("SUAFAKEFAKEZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBKH5L")',
     ["SUAFAKEFAKEZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBKH5L"]),
    # CI/testing-cloud keys (a UUID under an access key's name), hex keys named after a digest.
    ("  - SAUCE_ACCESS_KEY=0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", ["0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"]),
    ('DIGEST_KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
     ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]),
    ("  SAUCE_KEY: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", ["0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"]),
    ("env:\n  - TESTINGBOT_KEY=0f1e2d3c4b5a49688776a5b4c3d2e1f0", ["0f1e2d3c4b5a49688776a5b4c3d2e1f0"]),
    # Routing/integration keys (PagerDuty) and ASP.NET machine keys: credentials when random.
    ('  - routing_key: "0f1e2d3c4b5a49688776a5b4c3d2e1f0"', ["0f1e2d3c4b5a49688776a5b4c3d2e1f0"]),
    ('<machineKey validationKey="0F1E2D3C4B5A49688776A5B4C3D2E1F00F1E2D3C" decryptionKey="Fk29dK3mQ8zL5vB1nR7tY4wP" />',
     ["0F1E2D3C4B5A49688776A5B4C3D2E1F00F1E2D3C", "Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ('validSigningSecret = "e6b19c573a6a7c5a9a5d26a0c5e3b8f1"', ["e6b19c573a6a7c5a9a5d26a0c5e3b8f1"]),
    ("SLACK_TOKEN=xoxe.xoxp-1-Fk29dK3mQ8zL5vB1nR7tY4wPq2ZxFk29dK3mQ8zL5vB1nR7t",
     ["xoxe.xoxp-1-Fk29dK3mQ8zL5vB1nR7tY4wPq2ZxFk29dK3mQ8zL5vB1nR7t"]),
    ('aws_session = {"AccessKeyId": "ASIAFAKEFAKEFAKEFAKE"}', ["ASIAFAKEFAKEFAKEFAKE"]),
    # File formats: DNSSEC private fields (not the public ones), TSIG secrets, SASL PLAIN.
    ("Private-key-format: v1.3\nAlgorithm: 8 (RSASHA256)\nModulus: AQPFakeModulusFake==\nPublicExponent: AQAB\n"
     "PrivateExponent: Fk29dK3mQ8zL5vB1nR7tY4wP\nPrime1: Zx9FAKEq/Lm4+vB7nR1tY8w=\n",
     ["Fk29dK3mQ8zL5vB1nR7tY4wP", "Zx9FAKEq/Lm4+vB7nR1tY8w="]),
    ('key "fake." {\n  algorithm hmac-sha256;\n  secret "Fk29dK3mQ8zL5vB1nR7tY4wPq2Zx=";\n};',
     ["Fk29dK3mQ8zL5vB1nR7tY4wPq2Zx="]),
    ("C: AUTH PLAIN AGpkb2UAZmFrZXBhc3M=", ["AGpkb2UAZmFrZXBhc3M="]),
    # A generator's output in a doc; a token given to an API client; rotated signing secrets.
    (">>> secrets.token_urlsafe(24)\n'Fk29dK3mQ8zL5vB1nR7tY4wPq2Zx'", ["Fk29dK3mQ8zL5vB1nR7tY4wPq2Zx"]),
    ('api = shodan.Shodan("Fk29dK3mQ8zL5vB1nR7tY4wP")', ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    # ... a package's `New` constructor; the secret after an account id; a header written whole.
    ('api := slack.New("Fk29dK3mQ8zL5vB1nR7tY4wP")', "go", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ('client = Twilio::REST::Client.new("AC0fake29", "Fk29dK3mQ8zL5vB1nR7tY4wP")', "ruby", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ('curl -H "X-API-Key: Fk29dK3mQ8zL5vB1nR7tY4wP" https://api.acme-widgets.io', "shell", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("curl --header 'PRIVATE-TOKEN: 9koXpgFAKEheJpvBs5tK' https://git.acme-widgets.io", "shell", ["9koXpgFAKEheJpvBs5tK"]),
    # Laravel's key scheme prefix is part of the value, not a reference.
    ("APP_KEY=base64:Fk29dK3mQ8zL5vB1nR7tY4wPq2ZxFAKEfakeFAKE00=", "dotenv", ["base64:Fk29dK3mQ8zL5vB1nR7tY4wPq2ZxFAKEfakeFAKE00="]),
    ("app.use(jwt({ secret: ['fake-old-shhh', 'fake-new-shhh'] }));", ["fake-old-shhh", "fake-new-shhh"]),
    ("app.keys = ['im a fake secret', 'i like fake turtles'];", ["im a fake secret", "i like fake turtles"]),
    ("body = 'oauth_token=Fk29dK3mQ8zL5vB1nR7tY4wP&oauth_token_secret=Zx9FAKEqLm4vB7nR1tY8w'",
     ["Fk29dK3mQ8zL5vB1nR7tY4wP", "Zx9FAKEqLm4vB7nR1tY8w"]),
    ('const token = JWT.sign({ id: 123, "name": "Charlie" }, "fake-signing-secret");', ["fake-signing-secret"]),
    ('<add key="ApiKey" value="Fk29dK3mQ8zL5vB1nR7tY4wP" />', ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("deploy --api-token Fk29dK3mQ8zL5vB1nR7tY4wP --verbose", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("jwt.sign({ sub: 'fake' }, 'fake-signing-secret')", ["fake-signing-secret"]),
    ('"auth": {"client_token": "0f4e3a2b-1c5d-4e6f-8a9b-fa4efa4efa4e"}', ["0f4e3a2b-1c5d-4e6f-8a9b-fa4efa4efa4e"]),
    ('{"kty": "oct", "k": "RkFLRS1qd2stc3ltbWV0cmljLWtleQ"}', ["RkFLRS1qd2stc3ltbWV0cmljLWtleQ"]),
    ('old_keyring = {"fake.": "Fk29dK3mQ8zL5vB1nR7tYw=="}', ["Fk29dK3mQ8zL5vB1nR7tYw=="]),
    ('key = tsig.Key("fake.", "Fk29dK3mQ8zL5vB1nR7tYw==")', ["Fk29dK3mQ8zL5vB1nR7tYw=="]),
    ('PRIVATE_KEY = """\n' + B64 + "\n" + B64 + '\nFAKE==\n"""', [B64 + "\n" + B64 + "\nFAKE=="]),
    ("self.grant.id_token_hash(\n    'Fk29dK3mQ8zL5vB1nR7tY4wPq2Zx'\n)", ["Fk29dK3mQ8zL5vB1nR7tY4wPq2Zx"]),
    ("Authorization: Basic amRvZTpmYWtlcGFzcw==", ["amRvZTpmYWtlcGFzcw=="]),
    ("define('AUTH_KEY', 'x!G7#fake-salt-9Qz');", ["x!G7#fake-salt-9Qz"]),
    ('#define API_SECRET "fake-firmware-secret"', ["fake-firmware-secret"]),
    # JWK private members as unquoted names of a JS object; a headerless DER private key.
    ("{ kty: 'RSA', e: 'AQAB',\n  d: '" + JWK_D + "' }", "javascript", [JWK_D]),
    ('JWK.from_json({"kty": "EC", "d": (\n    "' + JWK_D[:30] + '"\n    "' + JWK_D[30:] + '"\n)})', "python",
     [JWK_D[:30] + '"\n    "' + JWK_D[30:]]),
    ('"privateKey": "MIICXAIBAAKBgQ' + B64 * 4 + '",', "json", ["MIICXAIBAAKBgQ" + B64 * 4]),
    ('"privateKey": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' + B64 * 4 + '",', "json", ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + B64 * 4]),
    # ... with a two-byte length whose third character is not "I"'s neighbour (any RSA size),
    # one-byte lengths (EC PKCS#8), short ones (Ed25519 PKCS#8, SEC1 EC), and in hex.
    ('"privateKey" : [ "MIIEogIBAAKCAQEA' + B64 * 4 + '" ],', "json", ["MIIEogIBAAKCAQEA" + B64 * 4]),
    ('EC_KEY = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg' + B64 * 2 + '"', "python", ["MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg" + B64 * 2]),
    ('ed = "MC4CAQAwBQYDK2VwBCIEI' + B64[:43] + '"', "python", ["MC4CAQAwBQYDK2VwBCIEI" + B64[:43]]),
    ("sec1: MHcCAQEEI" + B64 * 2, "yaml", ["MHcCAQEEI" + B64 * 2]),
    ('const pkcs1Hex = "3082025d02010002818100' + FAKE_PSK * 3 + '"', "go", ["3082025d02010002818100" + FAKE_PSK * 3]),
    ('k = "30770201010420' + FAKE_PSK * 2 + '"', "python", ["30770201010420" + FAKE_PSK * 2]),
    # Key material past one literal's 300 characters, read whole; a body split over literals,
    # from its first piece to its last (Python's implicit concatenation, Go's `+`, a split vendor token).
    ('const privKeyFakeHex = "' + LONG_HEX + '"', "go", [LONG_HEX]),
    ('fake_private_key = (\n    "' + B64 + '"\n    "' + B64[:40] + '"\n)', "python", [B64 + '"\n    "' + B64[:40]]),
    ('const signingKey = "' + ALNUM[:60] + '" +\n\t"' + ALNUM[60:120] + '"', "go", [ALNUM[:60] + '" +\n\t"' + ALNUM[60:120]]),
    ('fake_upload_token = (\n    "' + PYPI[:50] + '"\n    "' + PYPI[50:] + '"\n)', "python", [PYPI[:50] + '"\n    "' + PYPI[50:]]),
    ("sk_der = (\n    " + DER_BYTES + "\n    " + DER_BYTES_2 + "\n)", "python", [DER_BYTES[2:] + "\n    " + DER_BYTES_2[:-1]]),
    # A vendor token split over literals under any name; a JWT's parts as literals in a doc's comment.
    ('password = (\n    "' + PYPI[:50] + '"\n    "' + PYPI[50:] + '"\n)', "python", [PYPI[:50] + '"\n    "' + PYPI[50:]]),
    ('SAMPLE_ID_TOKEN = (\n    b"' + JWT[:40] + '"\n    b"' + JWT[40:] + '"\n)', "python", [JWT[:40] + '"\n    b"' + JWT[40:]]),
    ("# $jwt = join '.',\n#     '" + "',\n#     '".join(JWT.split(".")) + "'\n", "perl", ["',\n#     '".join(JWT.split("."))]),
    # A base64 key file without PEM armour: a key store's DER opening, lines of one width.
    ("\n".join(P12_LINES) + "\n", "text", ["\n".join(P12_LINES)]),
    # The pre-shared key wpa_passphrase derives.
    ("psk=" + FAKE_PSK + "\n", "conf", [FAKE_PSK]),
    # A clear secret name compared to, or asserted equal to, a literal.
    ("assert.equal(client.apiKey, 'zq29fakekey');", "javascript", ["zq29fakekey"]),
    ('self.assertEqual(app.client_secret, "fake-cleartext-secret")', "python", ["fake-cleartext-secret"]),
    # A weak literal as the expected value of a clear secret name's assertion (DECISIONS labels it).
    ('self.assertEqual(storage.secret_key, "zqfake")\nassert_eq!(cfg.access_key, "qux");', "python", ["zqfake", "qux"]),
    ('assert settings.API_KEY == "fake-tok-123"', "python", ["fake-tok-123"]),
    # Weak and metasyntactic literals assigned to a credential's name (DECISIONS: labelled).
    ('ClientSecret: "fake_shared_secret",', "go", ["fake_shared_secret"]),
    ('{"access_token": "foo", "refresh_token": "bar"}', "json", ["foo", "bar"]),
    ("const secret = 'NeverShareFakeSecret';", "javascript", ["NeverShareFakeSecret"]),
    # ... a bare `token` only near a credential word.
    ('token = "test_token"\nhandler = fakeinfo.getHandler(token)', "python", ["test_token"]),
    ('auth = FakeAuth()\ntoken := "sha1fake"', "go", ["sha1fake"]),
    ("api_token: fake_token_123\n", "yaml", ["fake_token_123"]),
    # A test double's literal that restates the credential's kind (DECISIONS: `FAKE_SECRET` is labelled),
    # also under a bare `credential` and a `token` with no credential word near.
    ('"client-secret": "FAKE_SECRET",', "python", ["FAKE_SECRET"]),
    ('FAKE_OIDC_TOKEN = "test-oidc-token"', "python", ["test-oidc-token"]),
    ('c = BlobClient("https://fake.example.net", credential="fake_key")', "python", ["fake_key"]),
    ('const serverToken = "testServerToken";', "typescript", ["testServerToken"]),
    # A phrase that calls itself a secret, under a bare `key` (DECISIONS: descriptive literals are labelled).
    ("Encryptor.encrypt(value: 'fake text', key: 'some fake secret key')", "ruby", ["some fake secret key"]),
    ("signer = createSigner({ key: 'NeverShareThisFakeSecret' })", "javascript", ["NeverShareThisFakeSecret"]),
    # Chinese clouds' access key ids (Tencent SecretId, Alibaba AccessKey ID).
    ("# id: AKIDFakeFakeFake0123456789FakeFake01", ["AKIDFakeFakeFake0123456789FakeFake01"]),
    ('access_key_id = "LTAIFakeFake0123FAKE"', ["LTAIFakeFake0123FAKE"]),
    # First-person compounds are literals (DECISIONS); run-together lower-case names.
    ("app.config['SECRET_KEY'] = 'my fake secret'", ["my fake secret"]),
    ("      - token: myfakesecret\n", "yaml", ["myfakesecret"]),
    ("#  sharedsecret: fakebacon\n", "yaml", ["fakebacon"]),
    # Typed declarations and defaults; R's arrow.
    ('def __init__(self, secret_key: str = "fakeadmin"):', "python", ["fakeadmin"]),
    ("private apiKey: string = 'Fk29dK3mQ8zL5vB1nR7t';", "typescript", ["Fk29dK3mQ8zL5vB1nR7t"]),
    ('const API_KEY: &str = "fake-rust-key-9x";', "rust", ["fake-rust-key-9x"]),
    ('client_secret <- "fake-r-secret-9x"', "r", ["fake-r-secret-9x"]),
    # Environment name/value pairs (Kubernetes, ECS); Kamailio module parameters.
    ("env:\n  - name: OIDC_CLIENT_SECRET\n    value: fake_app\n", "yaml", ["fake_app"]),
    ('{"name": "STRIPE_API_KEY", "value": "Fk29dK3mQ8zL5vB1nR7t"}', "json", ["Fk29dK3mQ8zL5vB1nR7t"]),
    ('modparam("auth", "secret", "fakekamailiosecret")', ["fakekamailiosecret"]),
    # A plain-text config (a template): a whole line under a clear secret's name.
    ("oauth:\n  client-secret: fakeinternal\n", "text", ["fakeinternal"]),
    # SQL inserts: the column a secret's name heads, or the value column of a table of secrets.
    ("INSERT INTO oauth_clients (name, client_secret) VALUES ('web', 'fake''s-secret');", "sql", ["fake''s-secret"]),
    ("insert into turn_secret (realm,value) values('fake.example','fakelogen');", "sql", ["fakelogen"]),
    # Env-suffixed settings (Dynaconf), Vault tokens, `priv`/`pvt` keys, a first-person secret
    # under any key's name.
    ('os.environ["VAULT_TOKEN_FOR_DYNACONF"] = "fakeroot"', "python", ["fakeroot"]),
    ('  - routing_key: "myfakesecret"\n', "yaml", ["myfakesecret"]),
    ("web-push send --vapid-pvtkey=Fk29dK3mQ8zL5vB1nR7tY4wP_fake-x \\\n", "shell", ["Fk29dK3mQ8zL5vB1nR7tY4wP_fake-x"]),
    ('const privKeyRSA = "Fk29dK3mQ8zL5vB1nR7tY4wP"', "go", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    # Push registration tokens (FCM) and Slack interaction response URLs.
    ('"endpoint": "https://fcm.googleapis.com/fcm/send/fakeInst01:APA91b' + "Fk29dK3mQ8zL5vB1nR7tY4wP" * 4 + '"', "json",
     ["fakeInst01:APA91b" + "Fk29dK3mQ8zL5vB1nR7tY4wP" * 4]),
    ('"response_url": "https://hooks.slack.com/app/TFAKE0001/123456789/Fk29dK3mQ8zL5vB1nR7tY4wP"', "json",
     ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    # Pusher app URLs hold KEY:SECRET; Go tests' `got, want :=` pair under a clear secret's name.
    ("PUSHER_URL=http://fakekey:fakesecret99@api-eu.pusher.acme-widgets.io/apps/12345\n", "shell", ["fakesecret99"]),
    ('\tif got, want := tok.AccessToken, "Fk29dK3mQ8zL5vB1nR7tY4wP"; got != want {', "go", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    # Directive lines without `=`: server configs, Dockerfile ENV, fish, nginx, Makefile `?=`.
    ("secret_key Fk29dK3mQ8zL5vB1nR7tY4wP\n", "conf", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("#static-auth-secret fakenorth\n", "ini", ["fakenorth"]),
    ("ENV API_KEY Fk29dK3mQ8zL5vB1nR7tY4wP\n", "dockerfile", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ('set -gx GITHUB_TOKEN "Fk29dK3mQ8zL5vB1nR7tY4wP"\n', "fish", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("  set $api_key Fk29dK3mQ8zL5vB1nR7tY4wP;\n", "nginx", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("API_KEY ?= Fk29dK3mQ8zL5vB1nR7tY4wP\n", "makefile", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("    proxy_set_header X-Api-Key Fk29dK3mQ8zL5vB1nR7tY4wP;\n", "nginx", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("  api.secret Fk29dK3mQ8zL5vB1nR7tY4wP\n", "text", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    # Signing secrets in the argument a signing API defines.
    ("const sig = crypto.createHmac('sha256', 'fake-hmac-secret-9').update(body);", "javascript", ["fake-hmac-secret-9"]),
    ("sig = OpenSSL::HMAC.hexdigest('sha256', 'fake-hmac-secret-9', data)", "ruby", ["fake-hmac-secret-9"]),
    ("$sig = hash_hmac('sha256', $data, 'fake-hmac-secret-9');", "php", ["fake-hmac-secret-9"]),
    ('mac := hmac.New(sha256.New, []byte("fake-hmac-secret-9"))', "go", ["fake-hmac-secret-9"]),
    ('s, err := token.SignedString([]byte("fake-jwt-secret-9"))', "go", ["fake-jwt-secret-9"]),
    ('new SecretKeySpec("fake-hmac-secret-9".getBytes(), "HmacSHA256");', "java", ["fake-hmac-secret-9"]),
    ("app.use(cookieParser('fake-cookie-secret-9'))", "javascript", ["fake-cookie-secret-9"]),
    ("s = URLSafeTimedSerializer('fake-signer-secret-9')", "python", ["fake-signer-secret-9"]),
    ("f = Fernet(b'Fk29dK3mQ8zL5vB1nR7tY4wPq2ZxFk29dK3mQ8zL5vB=')", "python", ["Fk29dK3mQ8zL5vB1nR7tY4wPq2ZxFk29dK3mQ8zL5vB="]),
    # A percent-encoded query (OAuth 1 signature base strings).
    ("base = `GET&https%3A%2F%2Fapi.acme-widgets.io%2F&oauth_nonce%3Dx%26oauth_token%3D1234-Fk29dK3mQ8zL5vB1nR7t%26oauth_version%3D1.0`",
     "go", ["1234-Fk29dK3mQ8zL5vB1nR7t"]),
    *[(f"see {fake} here", "text", [fake]) for fake in VENDOR_FAKES],  # the format alone, no name
    # Markup whose name attribute sits in a `name=` (Android resources and meta-data, .NET
    # settings); Helm key/value lists; Terraform variable defaults.
    ('<string name="fake_api_key">Fk29dK3mQ8zL5vB1nR7tY4wP</string>', "xml", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ('<meta-data android:name="com.acme.fake.API_KEY" android:value="Fk29dK3mQ8zL5vB1nR7tY4wP"/>', "xml",
     ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ('<setting name="ApiSecret" serializeAs="String">\n  <value>Fk29dK3mQ8zL5vB1nR7tY4wP</value>\n</setting>', "xml",
     ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ("- key: API_TOKEN\n  value: Fk29dK3mQ8zL5vB1nR7tY4wP\n", "yaml", ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    ('variable "api_key" {\n  description = "fake"\n  default     = "Fk29dK3mQ8zL5vB1nR7tY4wP"\n}\n', "hcl",
     ["Fk29dK3mQ8zL5vB1nR7tY4wP"]),
    # mosquitto's psk_file (every line `identity:HEX`) and a bridge's `bridge_psk`.
    ("# TLS-PSK identities\nzqdevice:" + HEX[:32] + "\nzqhub:" + HEX[32:64] + "\n", "text", [HEX[:32], HEX[32:64]]),
    ("bridge_identity zqbridge\nbridge_psk " + HEX[:32] + "\n", "conf", [HEX[:32]]),
]

NEAR_MISSES = [
    # Digest lines, a lone `name:hex` line, a psk file line among code, odd-length hex, a placeholder psk.
    ("sha256:" + HEX[:64] + "\nsha512:" + HEX + "\n", "text"),
    ("zqdevice:" + HEX[:32] + "\n", "text"),
    ("zqdevice:" + HEX[:32] + "\nzqhub:" + HEX[32:64] + "\nprint(x)\n", "text"),
    ("zqdevice:" + HEX[:31] + "\nzqhub:" + HEX[32:63] + "\n", "text"),
    ("bridge_psk 0123456789abcdef\n", "conf"),
    '      #     :secret => "kd94hf93k423kf44"',  # RFC 5849's example consumer secret
    # OAuth 1's consumer key identifies the client, as a client id does (its secret is the key).
    "'consumer_key': 'zqconsumer77',\nConsumerKey: \"zq-app-2\",",
    "Resources:\n  Key:\n    Type: AWS::KMS::Key\n",
    'aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"',  # the documentation's example key
    "<keyboardLayout>Fk29dK3mQ8zL5vB1nR7tY4wP</keyboardLayout>",
    "<publicKeyId>Fk29dK3mQ8zL5vB1nR7tY4wP</publicKeyId>",
    'routing_key = "logs.info.fake"',  # an AMQP routing key: a name
    'sauce_key = "your-sauce-key"',
    'checksum = "e6b19c573a6a7c5a9a5d26a0c5e3b8f1"',
    "Private-key-format: v1.3\nAlgorithm: 8 (RSASHA256)\nModulus: Fk29dK3mQ8zL5vB1nR7tY4wP\nPublicExponent: AQAB\n",
    "C: AUTH PLAIN =",
    ">>> secrets.token_hex(16)\n# prints 32 hex digits",
    "profile = api.fetch_profile('Fk29dK3mQ8zL5vB1nR7tY4wP')",
    "keys = ['id', 'name', 'email']",
    "hash_key = 'user_id'",
    'pub-c-0f1e2d3c and key-value stores',
    'api_key = "YOUR_API_KEY"',
    "token = '<token>'",
    "secret: ${APP_SECRET}",
    "SECRET_KEY = os.environ['SECRET_KEY']",
    "api_key = settings.API_KEY",
    "SECRET_KEY = get_random_secret_key()",
    'api_key = "xxxxxxxxxxxxxxxxxxxx"',
    'secret = "changeme"',
    '"integrity": "sha512-RkFLRWludGVncml0eUZBS0VpbnRlZ3JpdHlGQUtFaW50ZWdyaXR5RkFLRWludGVncml0eQ=="',
    'checksum_key = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
    'request_id_key = "0f4e3a2b-1c5d-4e6f-8a9b-fa4efa4efa4e"',
    "-----BEGIN PUBLIC KEY-----\n" + B64 + "\n-----END PUBLIC KEY-----",
    "-----BEGIN CERTIFICATE-----\n" + B64 + "\n-----END CERTIFICATE-----",
    'public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFake"',
    'STRIPE_PUBLISHABLE = "pk_live_FakeFake1234FakeFake"',  # publishable keys are public
    'primary_key = "user_id"',
    'cache_key = f"{prefix}:{user_id}"',
    'token_type = "bearer"',
    'TOKEN_URL = "https://auth.acme-widgets.io/oauth/token"',
    "ACCESS_KEY = 'aws_access_key_id'",
    "SECRET_KEY = 'AWSSecretKey'",
    'key = "WordPress_App_2-0.zip"',
    "monkey = 'Fk29dK3mQ8zL5vB1nR7tY4wP'",
    'keyword = "Fk29dK3mQ8zL5vB1nR7tY4wP"',
    "tokens = tokenize(source)",
    'next_page_token = "Fk29dK3mQ8zL5vB1nR7tY4wP"',  # pagination tokens are not secrets
    '"ChangeToken": "abcd12f2-46da-4fdb-b8d5-fbd4c466928f"',  # an idempotency token
    'secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fake"',
    'private_key_path = "/etc/ssl/private/server.key"',
    'secret = "SGVsbG8gd29ybGQgZnJvbSBhIGZha2U="',  # base64 of ordinary text
    "commit = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'",
    'api_key = "abcdefghijklmnopqrstuvwxyz"',  # a sequence
    "  --token-file ~/.config/fake/token",
    "hash = hmac.new(key, msg, hashlib.sha256)",
    "token = jwt.encode(claims, private_pem, 'RS256')",
    '"NextToken": "Fk29dK3mQ8zL5vB1nR7tY4wPq2ZxFk29dK3mQ8zL5vB1"',  # pagination
    "fetch(url, { credentials: 'include' })",
    "headers['X-Amz-Security-Token'] = token",
    'PUBLIC_KEY = """\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAfake\n' + B64 + '\n"""',
    'api_key = os.getenv("FAKE_API_KEY", "")',
    "define('AUTH_KEY', 'put your unique phrase here');",
    "Authorization: Basic realm",
    'AES_KEY = "000102030405060708090a0b0c0d0e0f"',  # a crypto test vector
    'auth_token = "abc"',
    '#define KEY_NAME "api_key"',
    'printf("token %s", tok);',
    # JWK-like members without a `kty`, short ones, ids; public keys and certificates in DER.
    ("{ alg: 'RS256', d: '" + JWK_D + "' }", "javascript"),
    ("{ kty: 'RSA', id: '" + JWK_D + "', n: '" + JWK_D + "' }", "javascript"),
    ('"publicKey": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' + B64 * 4 + '"', "json"),
    ('"cert": "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa' + B64 * 4 + '"', "json"),
    ('"ed25519Public": "MCowBQYDK2VwAyEA' + B64[:44] + '"', "json"),  # SubjectPublicKeyInfo
    ('sig = "MEUCIQ' + B64[:40] + '"', "python"),  # an ECDSA signature: SEQUENCE, INTEGER r
    ("hex_cert = '308203b130820299a003020102" + FAKE_PSK * 3 + "'", "python"),  # a certificate in hex
    ("der = '3082025d02010002818100" + FAKE_PSK[:40] + "'", "python"),  # too short for a key
    ('"MIIEogIBAAKCAQEA"', "json"),  # the opening alone
    # Long or split literals under public, certificate and digest names, certificates split
    # under a key's name (DER opening with two SEQUENCEs), short pieces, pieces of prose.
    ('const publicKeyFakeHex = "' + LONG_HEX + '"', "go"),
    ('fake_cert = (\n    "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa"\n    "' + B64 + '"\n)', "python"),
    ('signing_key = (\n    "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa"\n    "' + B64 + '"\n)', "python"),
    ('key_hash = (\n    "' + HEX[:64] + '"\n    "' + HEX[64:] + '"\n)', "python"),
    ('api_key = (\n    "Fk29dK3m"\n    "Q8zL5vB1"\n)', "python"),
    ('"WorkUnitToken": "' + (B64 + ALNUM) * 2 + '"', "json"),  # a long value under a bare token's name
    ("parts = ['eyJmb28iOiJiYXIifQ', 'eyJiYXoiOjF9']", "python"),  # base64 JSON, but no JOSE header first
    ('HEADERS = (\n    "eyJhbGciOiJIUzI1NiJ9"\n    "eyJhbGciOiJSUzI1NiJ9"\n)', "python"),  # joined: not one JWT
    ('fake_upload = (\n    "pypi-AgEIcHlwaS5vcmcFAKE"\n    "not-a-token here"\n)', "python"),  # the second literal is prose
    ("sig = " + SIG_BYTES, "python"),  # DER, but a signature (INTEGER r) and a public key (SEQUENCE, SEQUENCE)
    ("spki = " + SPKI_BYTES, "python"),
    ("short = " + repr(bytes([0x30, 0x81, 0x86, 0x02, 0x01, 0x00]) + _FAKE_BYTES[:10]), "python"),  # too short for a key
    ('secret_message = (\n    "this is not "\n    "a key at all"\n)', "python"),
    ("\n".join([P12_LINES[0], B64[:50], B64, B64[:30]]) + "\n", "text"),  # ragged: not one wrapped body
    ('w = widget.New("Fk29dK3mQ8zL5vB1nR7tY4wP")', "go"),  # not a client's package
    ('c = api.Client.new("fake-project-name", "Fk29dK3mQ8zL5vB1nR7tY4wP")', "ruby"),  # a name first, not an account id
    ('"X-Request-Id: Fk29dK3mQ8zL5vB1nR7tY4wP"', "python"),
    ('curl -H "X-Api-Key: $API_KEY" https://api.acme-widgets.io', "shell"),
    ('"cache-key: Fk29dK3mQ8zL5vB1nR7tY4wP"', "python"),
    ("APP_KEY=base64:\n", "dotenv"),
    ("psk=" + "0" * 64 + "\n", "conf"),
    ("psk=" + "".join(f"{i:02x}" for i in range(32)) + "\n", "conf"),
    ('psk="a fake passphrase"\n', "conf"),
    ('if token == "EOF":', "python"),
    ('if key != "name":', "python"),
    ('assertEqual(token, "abc")', "python"),
    ('self.assertEqual(key, "fake_value_x9")', "python"),
    ('self.assertEqual(storage.security_token, "zqfake")', "python"),  # a weaker name: only random values
    ('APP_KEYS="toBeModified1,toBeModified2"\nJWT_SECRET=tobemodified\nAPI_TOKEN=fill_me_in', "dotenv"),  # told to replace
    # A bare `token` is a lexer's, a cache's or a date format's; calls, kinds and field names.
    ('if (diff < 0) token = "lastWeek";', "javascript"),
    ('search_token = "async"\n_DEFAULT_TOKEN = "_sa_default"', "python"),
    ('e = d.map_blocks(inc, token="fake-name")', "python"),
    ('token = create_access_token("username")\nauth = True', "python"),
    ('access_token = "access_token"\nclient_secret = "CLIENT_SECRET"', "python"),
    ('api_key = "Api-Key"\naccess_token = "Bearer"', "python"),
    ('auth_token = "${AUTH_TOKEN}"\nsecret_key = "config/secret.key"', "python"),
    ("AKIDFAKE and LTAI", "text"),  # prefixes without their lengths
    ('MapClaims{"testkey": "fakeval"}', "go"),  # `testkey`: a map's key, not a run-together credential
    ("password = 'your_token'\ntoken: your_token\n", "yaml"),
    ('token_type: str = "bearer"\nkey_prefix: str = "fake_prefix"', "python"),
    ("tokens <- c('fake', 'list')\nkey <- \"name\"", "r"),
    ("env:\n  - name: LOG_KEY_PREFIX\n    value: fakeapp\n  - name: TOKEN_TTL\n    value: \"3600\"\n", "yaml"),
    ('modparam("auth", "secret_file", "/etc/fake/secret")', "conf"),
    ("Use a client-secret: then restart", "text"),
    ("  token: fakeword\n", "text"),  # a bare token's name in prose is not a clear secret's
    ("INSERT INTO settings (key, value) VALUES ('theme', 'dark');", "sql"),
    ("INSERT INTO api_tokens (user_id, token) VALUES (?, ?);", "sql"),
    ("insert into turnusers_lt (realm, name, hmackey) values('fake.example','fakeuser','" + FAKE_PSK[:32] + "');", "sql"),
    ('  - routing_key: "myfakequeue"\n', "yaml"),
    ("[--vapid-pvtkey=<private key url base64>]", "markdown"),
    ("APA91b alone, fcm/send/short:APA91bFake", "text"),
    ("u = 'https://fake:Fk29dK3mQ8zL5vB1nR7t@host.acme-widgets.io/apps/list'", "python"),  # not an app id
    ('\tif got, want := tok.TokenType, "Bearer"; got != want {', "go"),
    ('\tif got, want := item.Key, "fake-name-x9"; got != want {', "go"),  # a bare key: a name
    ("HostKey /etc/ssh/ssh_host_fake_key\nAuthorizedKeysFile .ssh/authorized_keys\n", "conf"),
    ("secret_key fakeword\n", "text"),  # prose: only a random-looking value
    ("api_token Fk29dK3mQ8zL5vB1nR7tY4wP\n", "python"),  # not a directive in code
    ("keyboard layout us-intl-altgr\nkey_bits 4096\n", "conf"),
    ("    proxy_set_header X-Request-Key $request_id;\n", "nginx"),
    ("cipher = AES.new(b'" + FAKE_PSK[:32] + "', AES.MODE_ECB)", "python"),  # cipher keys: test vectors
    ("h = crypto.createHmac('sha256', key).update('fake-body-text')", "javascript"),  # data, not the key
    ("$sig = hash_hmac('sha256', 'fake-payload-x', $secret);", "php"),  # the data argument
    ("f = Fernet(b'too-short-for-a-key')", "python"),
    ("s = URLSafeSerializer(app.config['SECRET_KEY'])", "python"),
    ("q = 'a%3Db%26oauth_consumer_key%3DFk29dK3mQ8zL5vB1nR7t%26oauth_token%3Dshort'", "python"),  # a client id; too short
    ('<string name="api_key_label">Your API key</string>', "xml"),
    # Vendor prefixes without their bodies, and public tokens.
    "dckr_pat_short sbp_12 rubygems_ glsa_x PMAK-1 lin_api_x dapi pul- NRAK-x xai-x gsk_x r8_x sq0atp- EZAK Q~",
    'MAPBOX_PUBLIC = "pk.eyJ' + ALNUM[:60] + "." + ALNUM[:22] + '"',
    "ldapi" + HEX[:32],  # `dapi` inside a word
    ('<setting name="TokenLifetime" serializeAs="String">\n  <value>Fk29dK3mQ8zL5vB1nR7tY4wP</value>\n</setting>', "xml"),
    ('- key: node-role.kubernetes.io/master\n  value: "true"\n', "yaml"),
    # Restated kinds without a test double's marker, an environment variable's name, a marked literal
    # under a non-credential name.
    ('"access_token": "access_token_value",', "python"),
    ('token: "TEST_TOKEN",', "javascript"),
    ('c = Client(credential="my_credential")', "python"),
    ('label = "test-session-token"', "python"),
    # A storage key's name and a Title Case label that mention a secret.
    ("localStorage.setItem({ key: 'userSecretKey' })", "javascript"),
    ('cache.set(key="test_key", value=1)', "python"),  # a test's cache key
    ("fields = [{ key: 'Webhook Secret', type: 'text' }]", "javascript"),
    ('variable "api_key" {\n  description = "The API key"\n  type        = string\n}\n', "hcl"),
]


def test_detector_names_are_unique_and_registered():
    names = [d.name for d in DETECTORS]
    assert len(names) == len(set(names)) and {"aws-key", "jwt", "private-key", "secret-assignment"} <= set(names)


PATHOLOGICAL = {
    "emails": "a@a." * 250_000,
    "base64": ("Zx9FAKEq/Lm4+vB7nR1tY8w" * 43_479)[:1_000_000],
    "dotted digits": "1.2.3.4." * 125_000,
    "assignments": "key=" * 250_000,
    "private keys": "-----BEGIN PRIVATE KEY-----\n" * 35_000,
    "jwt prefixes": "eyJ" * 330_000,
    "dashes": "-" * 1_000_000,
    "psk entries": "a:0011223344556677\n" * 50_000,
    "split pieces": 'key = "' + 'Zx9FAKEq" +\n"' * 100_000,
    "unclosed long literals": ('key = "' + "Zx9FAKEq" * 2_500 + "\n") * 50,
    "wrapped key lines": ("MIIKTwIBAzCC" + "Zx9FAKEq" * 8 + "\n") * 10_000,
}



class TestKeys(FamilyTests):
    DETECTORS = DETECTORS
    LABELS = frozenset({Label.KEY})
    HITS = HITS
    NEAR_MISSES = NEAR_MISSES
    PATHOLOGICAL = PATHOLOGICAL
