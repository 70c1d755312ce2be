"""Allowlists: values, value patterns, path globs and the `starpii: allow` pragma, in the Python
API, the config file and the CLI flags; allowlisted values never reach the output."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from redact import Redactor
from redact.allowlist import Allowlist, glob_regex, pragma_lines
from redact.cli import app
from redact.settings import RedactSettings

EMAIL = "jane.roe@acme-widgets.io"  # fake person, fake company
OTHER = "max.mustermann@fake-corp.io"
CODE = f'AUTHOR = "{EMAIL}"\nMAINTAINER = "{OTHER}"\n'

runner = CliRunner()


def values(redactor: Redactor, text: str, **kw) -> list[str]:
    return [text[s.start : s.end] for s in redactor.scan(text, **kw)]


def test_without_allowlist_both_found():
    assert values(Redactor(), CODE) == [EMAIL, OTHER]


@pytest.mark.parametrize("allowlist, kept", [
    (Allowlist(values=[EMAIL]), [OTHER]),
    (Allowlist(patterns=[r"@acme-widgets\.io$"]), [OTHER]),
    (Allowlist(patterns=[r"^max\."]), [EMAIL]),
    (Allowlist(values=["jane.roe"]), [EMAIL, OTHER]),  # exact values only
])
def test_values_and_patterns(allowlist, kept):
    redactor = Redactor(allowlist=allowlist)
    assert values(redactor, CODE) == kept
    assert allowlist.counts["spans"] == 2 - len(kept)


@pytest.mark.parametrize("comment", ["# starpii: allow", "// starpii: allow", "/* starpii:allow */",
                                     "<!-- starpii: allow -->", "-- STARPII: allow", "; starpii: allow"])
def test_pragma_any_comment_syntax_keeps_its_line_only(comment):
    text = f'AUTHOR = "{EMAIL}"  {comment}\nMAINTAINER = "{OTHER}"\n'
    assert values(Redactor(), text) == [OTHER]


def test_pragma_can_be_turned_off():
    text = f'AUTHOR = "{EMAIL}"  # starpii: allow\n'
    assert values(Redactor(allowlist=Allowlist(pragma=False)), text) == [EMAIL]
    assert pragma_lines("x = 1\n# starpii: allowance\n") == []


@pytest.mark.parametrize("glob, path, skipped", [
    ("tests/fixtures/**", "tests/fixtures/keys.py", True),
    ("tests/fixtures/**", "tests/fixtures/deep/er/keys.py", True),
    ("tests/fixtures/**", "pkg/tests/fixtures/keys.py", True),  # at any folder boundary
    ("tests/fixtures/**", "tests/fixturesX/keys.py", False),
    ("tests/*.py", "tests/a/b.py", False),  # * stays within one folder
    ("*.lock", "sub/poetry.lock", True),
    ("/setup.py", "pkg/setup.py", False),  # a leading / anchors at the root
    ("/setup.py", "setup.py", True),
])
def test_skip_path_globs(glob, path, skipped):
    assert bool(glob_regex(glob).match(path)) is skipped


def test_skip_paths_in_the_redactor():
    allowlist = Allowlist(skip_paths=["tests/fixtures/**"])
    redactor = Redactor(allowlist=allowlist)
    assert redactor.scan(CODE, path="tests/fixtures/a.py") == []
    assert len(redactor.scan(CODE, path="src/a.py")) == 2
    found = redactor.scan_many([CODE, CODE], paths=["tests/fixtures/a.py", "src/a.py"])
    assert [len(f) for f in found] == [0, 2]
    assert allowlist.counts["skipped"] == 2


def test_bad_pattern_names_its_position_not_its_text():
    with pytest.raises(ValueError, match=r"allow_patterns\[1\]") as err:
        Allowlist(patterns=["ok", "sk_fake_(unclosed"])
    assert "sk_fake_" not in str(err.value)


def write_config(tmp_path, body: str):
    config = tmp_path / "redact.toml"
    config.write_text(body, encoding="utf-8")
    return config


def make_tree(tmp_path):
    tree = tmp_path / "tree"
    (tree / "tests" / "fixtures").mkdir(parents=True)
    (tree / "src").mkdir()
    (tree / "tests" / "fixtures" / "data.py").write_text(CODE, encoding="utf-8")
    (tree / "src" / "app.py").write_text(CODE + f'OWNER = "{EMAIL}"  # starpii: allow\n', encoding="utf-8")
    return tree


def test_redact_config_allowlist_counts_and_no_values(tmp_path):
    tree = make_tree(tmp_path)
    config = write_config(tmp_path, f'allow_values = ["{OTHER}"]\nskip_paths = ["tests/fixtures/**"]\n')
    out = tmp_path / "out"
    result = runner.invoke(app, ["redact", str(tree), "-o", str(out), "--config", str(config), "--keep-values"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    # src/app.py: EMAIL redacted, OTHER allowlisted by value, the pragma line's EMAIL kept.
    assert summary["allowlisted"] == 2 and summary["skipped_paths"] == 1
    assert summary["spans"] == {"EMAIL": 1}
    rows = {r["path"]: r for r in map(json.loads, (out / "shard-00000.jsonl").read_text().splitlines())}
    assert rows["tests/fixtures/data.py"]["content"] == CODE and rows["tests/fixtures/data.py"]["pii"] == []
    assert OTHER in rows["src/app.py"]["content"]
    assert [m["value"] for m in rows["src/app.py"]["pii"]] == [EMAIL]  # only what was redacted
    manifest = (out / "_starpii" / "manifest.json").read_text()
    assert OTHER not in manifest and OTHER not in result.output


def test_flags_add_to_the_config(tmp_path):
    tree = make_tree(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["redact", str(tree), "-o", str(out), "--allow-pattern", "fake-corp",
                                 "--skip-path", "tests/**", "--policy", "EMAIL=hash"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["allowlisted"] == 2 and summary["skipped_paths"] == 1
    app_row = [json.loads(r) for r in (out / "shard-00000.jsonl").read_text().splitlines()][0]
    assert "<EMAIL_" in app_row["content"]  # --policy EMAIL=hash


def test_detect_allowlist_flags(tmp_path):
    tree = make_tree(tmp_path)
    result = runner.invoke(app, ["detect", str(tree), "--format", "text", "--allow-value", OTHER,
                                 "--skip-path", "tests/fixtures/**"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines == [f"{tree.as_posix()}/src/app.py:1:11 EMAIL email"]
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    assert summary["allowlisted"] == 2 and summary["skipped_paths"] == 1
    assert OTHER not in result.output


def test_settings_refuse_bad_lists(tmp_path):
    with pytest.raises(ValueError, match="allow_values"):
        RedactSettings().update({"allow_values": "not-a-list"})
    with pytest.raises(ValueError, match=r"allow_values\[0\]"):
        RedactSettings().update({"allow_values": [3]})
    with pytest.raises(ValueError, match="--policy"):
        from redact.detect_cli import apply_flags

        apply_flags(RedactSettings(), policy=["NAME"])


def test_a_resume_with_other_allowlisted_values_is_refused(tmp_path):
    tree = make_tree(tmp_path)
    out = tmp_path / "out"
    first = runner.invoke(app, ["redact", str(tree), "-o", str(out), "--allow-value", OTHER])
    assert first.exit_code == 0, first.output
    config = json.loads((out / "_starpii" / "manifest.json").read_text())["config"]
    assert config["allow_values_fingerprint"] and OTHER not in json.dumps(config)
    again = runner.invoke(app, ["redact", str(tree), "-o", str(out), "--allow-value", OTHER])
    assert again.exit_code == 0, again.output  # the same command resumes
    other = runner.invoke(app, ["redact", str(tree), "-o", str(out), "--allow-value", EMAIL])
    assert other.exit_code == 2 and "allow_values_fingerprint" in other.output
    assert EMAIL not in other.output and OTHER not in other.output
