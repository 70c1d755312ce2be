"""IP_ADDRESS detectors: a table of hits and near-misses, and pathological inputs."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redact.detectors.ips import _NOT_IP_BEFORE, _versioned_before
from redact.filters import is_private_ip
from redact.labels import Label

from .conftest import FamilyTests, family_detectors

DETECTORS = family_detectors("ips")


HITS = [
    ('upstream = "93.184.216.34"', ["93.184.216.34"]),
    ("curl http://52.14.7.201:8080/health", ["52.14.7.201"]),
    ("nameservers: [8.8.8.8, 1.1.1.1, 9.9.9.9]", ["8.8.8.8", "1.1.1.1", "9.9.9.9"]),
    ("resolver 208.67.222.222.", ["208.67.222.222"]),
    ("dns = '2001:4860:4860::8888'", ["2001:4860:4860::8888"]),
    ("listen [2606:4700:4700::1111]:53;", ["2606:4700:4700::1111"]),
    ("mapped ::ffff:93.184.216.34 here", ["::ffff:93.184.216.34"]),
    ("compat ::babe:93.184.216.34 here", ["::babe:93.184.216.34"]),
    ("full 2a00:1450:4001:0829:0000:0000:0000:200e", ["2a00:1450:4001:0829:0000:0000:0000:200e"]),
    ("peer ip 3.1.4.1 answered", ["3.1.4.1"]),
    ("// Send a udp frame to 8.8.8.8 on port 53", ["8.8.8.8"]),
    ('answers = ["132.58.234.0", "12.12.12.12"]', ["132.58.234.0", "12.12.12.12"]),
    # A list file, one address a line; hosts of test and router configurations; a port after.
    ("93.184.216.34\n58.216.129.161\n", ["93.184.216.34", "58.216.129.161"]),
    (" 10 permit tcp host 1.1.1.1 eq telnet host 2.2.2.2 log", ["1.1.1.1", "2.2.2.2"]),
    ("@\tIN\tA\t3.3.3.3", ["3.3.3.3"]),
    ('\t"8.8.4.4:53",', ["8.8.4.4"]),
    ("// 8.8.8.8\n", ["8.8.8.8"]),
    ("snmp-server host 93.184.216.34 traps version 2c", ["93.184.216.34"]),
    ('{"69.123.43.94", true},', ["69.123.43.94"]),
]

NEAR_MISSES = [
    "10.0.0.1 172.16.5.4 192.168.1.1 127.0.0.1 0.0.0.0 255.255.255.255",
    "169.254.1.1 224.0.0.251 239.255.255.250 100.64.1.1 240.0.0.1",
    "192.0.2.10 198.51.100.7 203.0.113.5 192.0.0.9",
    "placeholder 1.2.3.4",
    "mask 255.255.255.0 and 255.255.0.0",
    '__version__ = "2.3.14.1"',
    "version 4.2.2.2 released",
    "Django==3.2.18.1",
    "See section 4.3.12.1 of the spec",
    "oid 1.3.6.1 and 1.3.6.1.4.1.311.21.20",
    "1.2.0.1 (2019-03-01)\n------------------",
    "* 2.0.1.3\n",
    "1.10.20.0 (2020-01-01)\n",
    "snmp-server community 93.184.216.34",
    "servers = ['7.7.7.7']",
    "range 52.95.110.0/24",
    "ec2-52-1-2-3.compute.example and 52.1.2.3.nip.io",
    "v1.4.2.1",
    "2001:db8::1 fe80::1 ::1 :: ff02::1 fc00::5",
    "2001:470:: is a prefix",
    "std::vector<int> v; a[::2]; 12:30:45",
    "mac 00:1A:2B:3C:4D:5E and fingerprint ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89",
    "dead::beef and abc::def",
    '"PublicIp": "12.1.2.3" and "PublicIp": "54.123.4.56"',
    'the HTML5 specs sections "8.2.4.44 Bogus comment state"',
    "* Upgrade V8 to 3.11.10.17",
    "upgrade from 4.2.77.18 to 4.2.77.20",
    '<path d="M11.1 12.08c-2.33-4.51-.5 3.51.98.32 0 1.98 6.59"/>',
    "ok(cert, '14.15.16.17') and sockets['5.5.5.5']",
    "ipaddress.ip_network('11.0.0.0')",
    "// 19.2.3.1\n",
    "// Client workflow 5.4.3.2: check for rollback attack",
]


@pytest.mark.parametrize(
    ("value", "private"),
    [("8.8.8.8", False), ("10.1.2.3", True), ("100.100.1.1", True), ("2001:db8::5", True),
     ("2606:4700::1", False), ("::ffff:10.0.0.1", True), ("not an ip", True), ("1.2.3.4", True)],
)
def test_is_private_ip(value, private):
    assert is_private_ip(value) is private


UNITS = ["1.2.", "8.8.8.8.", "1:", "ab:", "::", "255.", "9" * 50 + "."]


class TestIps(FamilyTests):
    DETECTORS = DETECTORS
    LABELS = frozenset({Label.IP_ADDRESS})
    HITS = HITS
    NEAR_MISSES = NEAR_MISSES
    PATHOLOGICAL = {unit: unit * (400_000 // len(unit)) for unit in UNITS} | {
        # Issue 13 item 14: a line of public addresses was read once per address (8 KB: 4 s).
        "a line of 1000 addresses": "1.1.1.1 " * 1000,
        # Issue 13 item 14: sparse addresses on one 5 MB line; each address looked for its
        # line's ends and compared the whole line with itself (5 s).
        "a 5 MB line, an address every 5,000 characters": ("x" * 4990 + ':1.1.1.1="') * 1000,
    }


# Pieces of the words `_NOT_IP_BEFORE` knows, mixed with what surrounds them, so that random
# strings hit and miss the regex by a character.
_PIECES = ["v", "ver", "Version", "rev", "ision", "release", "d", "chang", "elog", "es", "build", "firmware",
           "tag", "=", "==", ">", "<", "!", "~", "^", "sect", "ion", "s", "§", "chapter", "clause", "rfc", "1",
           "fig", "ure", "table", "step", "para", "graph", "item", "oid", "mib", "snmp", "asn", ".", "object",
           "identifier", "up", "down", "grade", "patch", "since", "deprecated", "python", "unicode", "ſ", "K",
           " ", "_", "-", ":", "a", "x", "9", "(", "\t"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12))
@settings(max_examples=3000, deadline=None)
def test_versioned_before_is_the_regex(pieces):
    """The literal pre-check in front of `_NOT_IP_BEFORE` never changes its answer."""
    before = "".join(pieces)[-40:]
    assert _versioned_before(before) == (_NOT_IP_BEFORE.search(before) is not None)
