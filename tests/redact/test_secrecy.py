"""Nothing `starpii redact` writes lets a reader recover a secret: no hash or swapped address is
a function of the value and public data alone (issue 13, items 1, 2 and 4)."""

import hashlib
import hmac
import json
import stat

import pytest
from typer.testing import CliRunner

from redact import Redactor
from redact.cli import app
from redact.replace import synthetic_ip, value_hash
from redact.spans import Label

from .batch_fixtures import read_rows, write_jsonl

runner = CliRunner()
WORDS = ["letmein", "hunter2", "dragon", "monkey", "qwerty", "s3cr3t"]  # a tiny dictionary
PASSWORD, IP = "hunter2", "93.184.216.34"
TEXT = f'DB_PASSWORD = "{PASSWORD}"\nserver = "{IP}"\n'


def redact_cli(*args, code=0):
    result = runner.invoke(app, ["redact", *[str(a) for a in args]])
    assert result.exit_code == code, result.output
    return result


def recovered(row: dict) -> list[str]:
    """The published attack: the redacted text and the offsets give the original text back
    except for the hidden value, so every guess can be checked against the hash (or the
    swapped address) with the key derived from that text."""
    found = []
    meta = row["pii"]
    for guess in WORDS + [IP]:
        for label, width in (("PASSWORD", len(PASSWORD)), ("IP_ADDRESS", len(IP))):
            if len(guess) != width:
                continue
            text = TEXT.replace(PASSWORD, guess) if label == "PASSWORD" else TEXT
            key = hashlib.sha256(b"starpii-doc\0" + text.encode()).digest()
            if any(m["hash"] == value_hash(Label(label), guess, key) for m in meta if m["label"] == label):
                found.append(guess)
            if label == "IP_ADDRESS" and synthetic_ip(guess, key) in row["content"]:
                found.append(guess)
    return found


def test_unkeyed_output_cannot_be_brute_forced(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "content": TEXT}])
    redact_cli(src, "-o", tmp_path / "one")
    row = read_rows(tmp_path / "one")[0]
    assert {m["label"] for m in row["pii"]} == {"PASSWORD", "IP_ADDRESS"} and IP not in row["content"]
    assert recovered(row) == []


def test_unkeyed_jobs_differ_and_a_resume_is_identical(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": str(i), "content": TEXT} for i in range(6)])
    redact_cli(src, "-o", tmp_path / "one", "--shard-records", 2)
    redact_cli(src, "-o", tmp_path / "two", "--shard-records", 2)
    one, two = read_rows(tmp_path / "one"), read_rows(tmp_path / "two")
    assert [m["hash"] for m in one[0]["pii"]] != [m["hash"] for m in two[0]["pii"]]
    assert one[0]["content"] != two[0]["content"]  # another swapped address
    # The job's secret is private to the owner and never in the manifest.
    secret_file = tmp_path / "one" / "_starpii" / "job-secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    secret = bytes.fromhex(secret_file.read_text())
    assert len(secret) >= 32
    for path in (tmp_path / "one").rglob("*"):
        if path.is_file() and path != secret_file:
            assert secret not in path.read_bytes() and secret.hex().encode() not in path.read_bytes(), path
    # A resume (two shards removed from the record of completed ones) rewrites the same bytes.
    first = {p.name: p.read_bytes() for p in (tmp_path / "one").glob("shard-*")}
    done = tmp_path / "one" / "_starpii" / "done.jsonl"
    done.write_bytes(b"".join(done.read_bytes().splitlines(keepends=True)[:1]))
    for name in sorted(first)[1:]:
        (tmp_path / "one" / name).unlink()
    redact_cli(src, "-o", tmp_path / "one", "--shard-records", 2)
    assert {p.name: p.read_bytes() for p in (tmp_path / "one").glob("shard-*")} == first


def test_python_api_without_a_key_is_not_replayable():
    a, b = Redactor(policy={"PASSWORD": "hash"}), Redactor(policy={"PASSWORD": "hash"})
    assert a.redact(TEXT).text == a.redact(TEXT).text  # stable within one redactor
    assert a.redact(TEXT).text != b.redact(TEXT).text  # two redactors: other pseudonyms
    assert Redactor(secret=b"s" * 32).redact(TEXT).text == Redactor(secret=b"s" * 32).redact(TEXT).text


@pytest.mark.parametrize("content", [b"", b"\n", b"short-key\n", b"x" * 15])
def test_short_keys_are_refused(tmp_path, content):
    (tmp_path / "key").write_bytes(content)
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "content": TEXT}])
    result = redact_cli(src, "-o", tmp_path / "out", "--key-file", tmp_path / "key", code=2)
    assert "at least 16 bytes" in result.output and "starpii keygen" in result.output
    assert not (tmp_path / "out").exists()
    with pytest.raises(ValueError, match="at least 16 bytes"):
        Redactor(key=content)


def test_keygen_and_a_keyed_fingerprint(tmp_path):
    result = runner.invoke(app, ["keygen", str(tmp_path / "key")])
    assert result.exit_code == 0, result.output
    key_file = tmp_path / "key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_bytes().strip()
    assert len(key) == 64 and key not in result.output.encode()
    assert runner.invoke(app, ["keygen", str(key_file)]).exit_code == 2  # never overwrites a key
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": str(i), "content": TEXT} for i in range(2)])
    redact_cli(src, "-o", tmp_path / "a", "--key-file", key_file)
    redact_cli(src, "-o", tmp_path / "b", "--key-file", key_file)
    rows_a, rows_b = read_rows(tmp_path / "a"), read_rows(tmp_path / "b")
    assert rows_a == rows_b and rows_a[0]["pii"] == rows_a[1]["pii"]  # a key: consistent across records and jobs
    manifest = (tmp_path / "a" / "_starpii" / "manifest.json").read_text()
    assert hashlib.sha256(key).hexdigest() not in manifest and "key_sha256" not in manifest
    config = json.loads(manifest)["config"]
    assert config["key_fingerprint"] != json.loads((tmp_path / "b" / "_starpii" / "manifest.json").read_text())["config"]["key_fingerprint"]
    # Resuming with another key is refused.
    (tmp_path / "other").write_bytes(b"another-key-of-enough-length\n")
    result = redact_cli(src, "-o", tmp_path / "a", "--key-file", tmp_path / "other", code=2)
    assert "changed: key" in result.output
    assert hmac.compare_digest(key_file.read_bytes().strip(), key)


def test_rejects_never_echo_column_names(tmp_path):
    # Item 4: a column name can be a secret; a reject names the missing column and counts the others.
    secret_column = "hunter2@corp-mail.com"
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "content": TEXT}, {secret_column: "x", "other": 1}])
    redact_cli(src, "-o", tmp_path / "out")
    reject = json.loads((tmp_path / "out" / "rejects.jsonl").read_text())
    assert reject["reason"] == "no 'content' column (the record has 2 other columns); pass --text-column"
    result = runner.invoke(app, ["detect", str(src), "-o", str(tmp_path / "spans.jsonl")])
    assert result.exit_code == 0, result.output
    for path in [*(tmp_path / "out").rglob("*"), tmp_path / "spans.jsonl"]:
        if path.is_file():
            assert secret_column.encode() not in path.read_bytes(), path
    assert secret_column not in result.output
