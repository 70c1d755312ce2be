"""`starpii ner train` / `pseudo-label` and the model detector, end to end on tiny CPU models."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redact.documents import Document, read_gold, write_gold
from redact.spans import Label, Span

runner = CliRunner()
FIRST = ["Zoë", "Jane", "Omar", "Li", "Ana"]
LAST = ["Roe", "Müller", "Okafor", "Wei", "Silva"]


def labelled_docs(n: int, seed: int) -> list[Document]:
    """Code with an `# Author: First Last` line somewhere: the entity the model must learn."""
    rng = random.Random(seed)
    docs = []
    for k in range(n):
        lines = [f"value_{i} = compute({i})\r\n" if k % 2 else f"value_{i} = compute({i})\n" for i in range(rng.randint(2, 8))]
        at = rng.randrange(len(lines) + 1)
        before = "".join(lines[:at])
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        line = f"# Author: {name}\n"
        text = before + line + "".join(lines[at:])
        start = len(before) + len("# Author: ")
        docs.append(Document(f"doc-{seed}-{k}", text, [Span(start, start + len(name), Label.NAME)], "python"))
    return docs


@pytest.fixture(scope="module")
def encoder_dir(tokenizer_dir, tmp_path_factory) -> Path:
    from transformers import AutoTokenizer, BertConfig, BertForMaskedLM

    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    out = tmp_path_factory.mktemp("encoder")
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=128, pad_token_id=tokenizer.pad_token_id)
    BertForMaskedLM(config).save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    return out


@pytest.fixture(scope="module")
def trained(encoder_dir, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ner")
    write_gold(folder / "train.jsonl", labelled_docs(64, seed=1))
    write_gold(folder / "eval.jsonl", labelled_docs(12, seed=2))
    result = runner.invoke(_app(), ["ner", "train", str(folder / "train.jsonl"), "-o", str(folder / "model"),
                                    "--encoder", str(encoder_dir), "--eval", str(folder / "eval.jsonl"),
                                    "--max-steps", "90", "--eval-every", "30", "--lr", "3e-3", "--batch-size", "8", "--window", "48",
                                    "--overlap", "8"])
    assert result.exit_code == 0, result.output
    return folder


def _app():
    from redact.cli import app

    return app


def test_fine_tuning_learns_a_synthetic_entity(trained):
    model = trained / "model"
    metrics = json.loads((model / "metrics.json").read_text())
    name = metrics["best"]["eval"]["scores"]["overlap"]["NAME"]
    assert name["recall"] >= 0.8 and name["f1"] >= 0.45, name  # a 2-layer model, 600-token vocabulary, seconds
    assert metrics["best"]["eval"]["seqeval"]["ALL"]["f1"] > 0
    config = json.loads((model / "config.json").read_text())
    assert config["id2label"]["0"] == "O" and config["id2label"]["1"] == "B-KEY" and len(config["id2label"]) == 13
    assert json.loads((model / "ner.json").read_text())["window"] == 48
    from starencoder.infer import NerModel

    # Inference reads text in the windows the model was trained on, unless told otherwise.
    loaded = NerModel.load(model)
    assert (loaded.window, loaded.overlap) == (48, 8)
    assert NerModel.load(model, window=32, overlap=4).window == 32
    from transformers import AutoModelForTokenClassification

    assert AutoModelForTokenClassification.from_pretrained(str(model)).config.num_labels == 13


def test_init_continues_from_a_model_and_default(trained, tmp_path, monkeypatch):
    import starencoder.detector as model_module

    data = str(trained / "train.jsonl")
    result = runner.invoke(_app(), ["ner", "train", data, "-o", str(tmp_path / "again"), "--init", str(trained / "model"),
                                    "--max-steps", "2"])
    assert result.exit_code == 0, result.output
    # A continued model keeps the windows it was trained in, unless told otherwise.
    again = json.loads((tmp_path / "again" / "ner.json").read_text())
    assert (again["window"], again["overlap"]) == (48, 8)
    monkeypatch.setattr(model_module, "DEFAULT_MODEL", trained / "model")
    result = runner.invoke(_app(), ["ner", "train", data, "-o", str(tmp_path / "d"), "--init", "default", "--max-steps", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "d" / "ner.json").read_text())["resolved_from"] == str((trained / "model").resolve())
    monkeypatch.setattr(model_module, "DEFAULT_MODEL", tmp_path / "missing")
    result = runner.invoke(_app(), ["ner", "train", data, "-o", str(tmp_path / "e"), "--init", "default"])
    assert result.exit_code == 2 and "no shipped model" in result.output
    result = runner.invoke(_app(), ["ner", "train", data, "-o", str(tmp_path / "e")])
    assert result.exit_code == 2 and "--encoder PATH" in result.output


def test_continuing_keeps_the_starting_model_when_no_step_beats_it(trained, tmp_path):
    # Annotations that teach the opposite of the eval set (every name left unlabelled) can only
    # make the model worse on it: the output must be the starting model, scored at step 0.
    unlabelled = tmp_path / "o.jsonl"
    write_gold(unlabelled, [Document(d.id, d.content, [], "python") for d in labelled_docs(64, seed=3)])
    result = runner.invoke(_app(), ["ner", "train", str(unlabelled), "-o", str(tmp_path / "m"), "--init", str(trained / "model"),
                                    "--eval", str(trained / "eval.jsonl"), "--max-steps", "40", "--eval-every", "20",
                                    "--lr", "3e-3", "--batch-size", "8", "--window", "48", "--overlap", "8"])
    assert result.exit_code == 0, result.output
    assert "holds the starting model" in result.output
    metrics = json.loads((tmp_path / "m" / "metrics.json").read_text())
    history = [(e["step"], e["eval"]["scores"]["overlap"]["ALL"]["f1"]) for e in metrics["history"]]
    assert history[0][0] == 0 and history[-1][0] == 40 and history[-1][1] < history[0][1], history
    assert metrics["best"]["step"] == 0 and metrics["best"]["loss"] is None
    start = json.loads((trained / "model" / "metrics.json").read_text())["best"]["eval"]["scores"]["overlap"]["ALL"]["f1"]
    assert metrics["best"]["eval"]["scores"]["overlap"]["ALL"]["f1"] == pytest.approx(start, abs=0.05)


def test_training_refuses_benchmark_excerpts(trained, tmp_path):
    from starencoder.manifest import read_manifest

    entry = next(read_manifest())
    write_gold(tmp_path / "leak.jsonl", [Document(entry.id, "x = 1\n", [])])
    result = runner.invoke(_app(), ["ner", "train", str(tmp_path / "leak.jsonl"), "-o", str(tmp_path / "m"),
                                    "--init", str(trained / "model")])
    assert result.exit_code == 2 and "benchmark excerpt" in result.output and entry.id in result.output


def test_detect_redact_and_python_api_with_the_model(trained, tmp_path):
    import redact

    model = trained / "model"
    doc = labelled_docs(1, seed=7)[0]
    records = [{"id": "a", "content": doc.content}, {"id": "b", "content": "x = 1\n"}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    for detectors in ("model", "all"):
        out = tmp_path / f"{detectors}.jsonl"
        result = runner.invoke(_app(), ["detect", str(src), "-o", str(out), "--detectors", detectors, "--model", str(model)])
        assert result.exit_code == 0, result.output
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        assert [line["id"] for line in lines] == ["a", "b"]
        names = [(s["start"], s["end"]) for s in lines[0]["spans"] if s["label"] == "NAME"]
        gold = doc.spans[0]
        assert any(min(e, gold.end) - max(s, gold.start) >= len(gold) / 2 for s, e in names), names
    result = runner.invoke(_app(), ["redact", str(src), "-o", str(tmp_path / "red"), "--detectors", "all", "--model", str(model)])
    assert result.exit_code == 0, result.output
    assert "<NAME>" in redact.redact(doc.content, detectors="model", model=str(model)).text
    from redact.detectors import rule_detectors
    from starencoder.detector import ModelDetector

    # fp32: int8's dynamic activation scales depend on the batch, so a borderline token may flip.
    redactor = redact.Redactor([*rule_detectors(), ModelDetector(model, precision="fp32")])
    texts = [d.content for d in labelled_docs(5, seed=8)] + ["", "x = 1\r\n"]
    def key(found):  # scores differ in the last digits (padding changes the sums' order)
        return [[(s.start, s.end, s.label) for s in spans] for spans in found]

    assert key(redactor.scan_many(texts)) == key([redactor.scan(t) for t in texts])  # batched == one by one


def test_soup_is_the_mean_of_its_models_and_still_detects(trained, tmp_path):
    from safetensors.torch import load_file

    from starencoder.infer import NerModel

    first = trained / "model"
    # A second run of the recipe from the first (another seed, a few more steps): same encoder lineage.
    result = runner.invoke(_app(), ["ner", "train", str(trained / "train.jsonl"), "-o", str(tmp_path / "second"),
                                    "--init", str(first), "--max-steps", "6", "--lr", "3e-3", "--batch-size", "8", "--seed", "5"])
    assert result.exit_code == 0, result.output
    (tmp_path / "second" / "thresholds.json").write_text("{}")
    soup = tmp_path / "soup"
    result = runner.invoke(_app(), ["ner", "soup", str(first), str(tmp_path / "second"), "-o", str(soup)])
    assert result.exit_code == 0, result.output
    assert "ner calibrate" in result.output and not (soup / "thresholds.json").exists()  # never a borrowed calibration
    a, b, mean = (load_file(str(f / "model.safetensors")) for f in (first, tmp_path / "second", soup))
    changed = [name for name in a if not a[name].equal(b[name])]
    assert changed and mean.keys() == a.keys()
    for name in changed:
        expected = ((a[name].double() + b[name].double()) / 2).to(a[name].dtype)
        assert mean[name].dtype == a[name].dtype and mean[name].equal(expected), name
    assert json.loads((soup / "soup.json").read_text())["soup_of"] == [str(first), str(tmp_path / "second")]
    model = NerModel.load(soup)
    assert (model.window, model.overlap) == (48, 8)  # the windows its models were trained on
    doc = labelled_docs(1, seed=7)[0]
    assert any(s.label == Label.NAME for s in model.predict([doc.content])[0])

    # Models that are not runs of one recipe are refused, naming what differs.
    other = tmp_path / "other"
    shutil.copytree(tmp_path / "second", other)
    ner = json.loads((other / "ner.json").read_text())
    (other / "ner.json").write_text(json.dumps({**ner, "window": 64}))
    result = runner.invoke(_app(), ["ner", "soup", str(first), str(other), "-o", str(tmp_path / "bad")])
    assert result.exit_code == 2 and "training windows" in result.output
    result = runner.invoke(_app(), ["ner", "soup", str(first), "-o", str(tmp_path / "bad")])
    assert result.exit_code == 2 and "at least two" in result.output
    result = runner.invoke(_app(), ["ner", "soup", str(first), str(soup), "-o", str(soup)])
    assert result.exit_code == 2 and "one of the models" in result.output
    result = runner.invoke(_app(), ["ner", "soup", str(first), str(tmp_path / "nope"), "-o", str(tmp_path / "bad")])
    assert result.exit_code == 2 and "no config.json" in result.output


def test_pooled_comparison_of_two_models(trained, tmp_path, capsys):
    from eval.bench_model import main

    sets = []
    for k, seed in enumerate((21, 22)):  # two sets that reuse ids: the pool keeps both
        path = tmp_path / f"set{k}.jsonl"
        write_gold(path, [Document(f"d{i}", d.content, d.spans, d.language) for i, d in enumerate(labelled_docs(6, seed))])
        sets.append(str(path))
    model = str(trained / "model")
    assert main(["--model", model, "--against", model, "--sets", *sets, "--json", str(tmp_path / "c.json")]) == 0
    out = capsys.readouterr().out
    assert "(12 excerpts)" in out and "| model |" in out and "| all |" in out
    result = json.loads((tmp_path / "c.json").read_text())
    for system in ("model", "all"):  # a model against itself: no difference, an interval of 0
        assert result[system]["baseline"] == result[system]["candidate"] > 0
        assert result[system]["difference"] == 0 and result[system]["interval_95"] == [0, 0]


def test_missing_model_fails_clearly(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "content": "x"}\n')
    result = runner.invoke(_app(), ["detect", str(src), "-o", str(tmp_path / "o.jsonl"), "--detectors", "model",
                                    "--model", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "NER model not found" in result.output


def test_pseudo_label_keeps_confident_spans(trained, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    email = Document("mail", "x = 1\n# Contact: jane.roe@acme-widgets.io\n", [], "python")
    write_gold(corpus, [*labelled_docs(6, seed=9), email])
    out = tmp_path / "pseudo.jsonl"
    args = ["ner", "pseudo-label", str(corpus), "--model", str(trained / "model"), "-o", str(out),
            "--threshold", "0.3", "--threshold", "KEY=0.99"]
    result = runner.invoke(_app(), [*args, "--no-rules"])
    assert result.exit_code == 0, result.output
    docs = list(read_gold(out))
    assert docs and all(s.label == Label.NAME for d in docs for s in d.spans)
    # with the rules engine's spans added, the email the model never learned is labelled too
    assert runner.invoke(_app(), args).exit_code == 0
    labelled = {d.id: d for d in read_gold(out)}
    assert [(s.label, labelled["mail"].content[s.start:s.end]) for s in labelled["mail"].spans] == [
        (Label.EMAIL, "jane.roe@acme-widgets.io")]
    result = runner.invoke(_app(), ["ner", "pseudo-label", str(corpus), "--model", str(trained / "model"), "-o", str(out),
                                    "--threshold", "NAME=high"])
    assert result.exit_code == 2 and "LABEL=0.9" in result.output


def test_rules_path_never_imports_torch():
    code = ("import sys, redact\nfrom redact.cli import app\nfrom typer.testing import CliRunner\n"
            "redact.redact('# Author: Jane Roe <jane@acme-widgets.io>')\n"
            "CliRunner().invoke(app, ['--help'])\n"
            "import starencoder.detector\n"
            "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_shipped_model_is_the_default():
    from redact.detectors import build_detectors
    from redact.merge import ALL_MIN_SCORES
    from starencoder.calibrate import read_thresholds
    from starencoder.detector import DEFAULT_MODEL

    if not (DEFAULT_MODEL / "config.json").exists():
        pytest.skip("no shipped model in this checkout")
    size = sum(p.stat().st_size for p in DEFAULT_MODEL.iterdir()) / 1e6
    assert size <= 30, f"the shipped model is {size:.1f} MB"
    detector = build_detectors("all")[-1]
    # The folder's calibrated thresholds for `all` when it has them, else the label table's.
    expected = read_thresholds(DEFAULT_MODEL, "all")
    expected = ALL_MIN_SCORES if expected is None else expected
    assert detector.path == DEFAULT_MODEL and detector.min_score == expected
    assert detector.keep == frozenset(expected)
    assert detector.detect("x = 1\n") is not None


@pytest.mark.parametrize(("label", "value", "ok"), [
    (Label.NAME, "Jane Roe", True), (Label.NAME, "加藤 香織", True), (Label.NAME, "Ludwig van Beethoven", True),
    (Label.NAME, "debian", False), (Label.NAME, "GitHub", False), (Label.NAME, "Inc", False),
    (Label.USERNAME, "jroe42", True), (Label.USERNAME, "@jane-roe", True), (Label.USERNAME, "root", False),
    (Label.USERNAME, "the", False), (Label.USERNAME, "two words", False),
    (Label.KEY, "AKIAFAKEFAKEFAKE7Q2Z", True), (Label.KEY, "HS256", False), (Label.KEY, "abcdefghijklmnopqrst", False),
    (Label.PASSWORD, "s3cr3t!", True), (Label.PASSWORD, "a b", False),
    (Label.EMAIL, "jane.roe@acme-widgets.io", True), (Label.EMAIL, "jane.roe", False),
    (Label.IP_ADDRESS, "93.184.216.34", True), (Label.IP_ADDRESS, "2001:db8::1", True), (Label.IP_ADDRESS, "11e0", False),
])
def test_model_spans_must_have_their_labels_shape(label, value, ok):
    from starencoder.detector import plausible

    assert plausible(label, value) is ok


def test_key_lines_join_and_public_blocks_drop():
    from starencoder.detector import join_key_lines

    body = ["FAKEb64LineOneAAAAQ9zq", "FAKEb64LineTwoBBBBQ9zq", "FAKEb64LineEndCCCC"]
    pem = "-----BEGIN FAKE PRIVATE KEY-----\n" + "\n".join(body) + "\n-----END FAKE PRIVATE KEY-----\n"
    py = 'KEY = ("' + '"\n       "'.join(body) + '")\n'
    cert = "-----BEGIN CERTIFICATE-----\nFAKEcertLineOneAAAAQ9zq\n-----END CERTIFICATE-----\n"
    for text in (pem, py):
        spans = [Span(text.index(b), text.index(b) + len(b), Label.KEY, 0.9) for b in body]
        assert [(s.start, s.end) for s in join_key_lines(text, spans)] == [(text.index(body[0]), text.index(body[-1]) + len(body[-1]))]
    two = "a = 'FAKEb64LineOneAAAAQ9zq'\nb = 'FAKEb64LineTwoBBBBQ9zq'\n"  # two values, not one split
    spans = [Span(two.index(b), two.index(b) + len(b), Label.KEY, 0.9) for b in body[:2]]
    assert len(join_key_lines(two, spans)) == 2
    start = cert.index("FAKEcert")
    assert join_key_lines(cert, [Span(start, start + 23, Label.KEY, 0.9)]) == []


def test_split_by_package_never_puts_a_package_on_both_sides(tmp_path):
    from starencoder.splits import split_file

    gold = tmp_path / "gold.jsonl"
    with open(gold, "w", encoding="utf-8") as handle:
        for k in range(60):
            handle.write(json.dumps({"id": f"r{k}", "content": "x = 1\n", "spans": [],
                                     "meta": {"package": f"pkg{k % 12}"}}) + "\n")
    counts = split_file(gold, tmp_path / "out", valid_fraction=0.25, seed=3)
    train = [json.loads(line) for line in (tmp_path / "out" / "train.jsonl").read_text().splitlines()]
    valid = [json.loads(line) for line in (tmp_path / "out" / "valid.jsonl").read_text().splitlines()]
    assert len(train) + len(valid) == 60 and counts["valid_groups"] == 3
    assert not {r["meta"]["package"] for r in train} & {r["meta"]["package"] for r in valid}
    assert split_file(gold, tmp_path / "again", valid_fraction=0.25, seed=3) == counts  # seeded
    assert (tmp_path / "again" / "valid.jsonl").read_text() == (tmp_path / "out" / "valid.jsonl").read_text()
    # The drawn validation groups, written out, fix the same split when records are added later.
    with open(gold, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "new", "content": "y = 2\n", "spans": [], "meta": {"package": "pkg-new"}}) + "\n")
    split_file(gold, tmp_path / "fixed", valid_groups=tmp_path / "out" / "valid-groups.txt")
    assert (tmp_path / "fixed" / "valid.jsonl").read_text() == (tmp_path / "out" / "valid.jsonl").read_text()
    assert "pkg-new" in (tmp_path / "fixed" / "train.jsonl").read_text()


def test_encoder_scaling_bench_fine_tunes_each_encoder_and_prints_a_row(tokenizer_dir, trained, tmp_path, capsys):
    """eval/bench_encoders.py: one row per (encoder, set), tokens read from the encoder's log."""
    from transformers import AutoTokenizer, BertConfig, BertForMaskedLM

    from eval.bench_encoders import main

    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    encoder = tmp_path / "encoder"
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=256, pad_token_id=tokenizer.pad_token_id)
    BertForMaskedLM(config).save_pretrained(str(encoder))
    tokenizer.save_pretrained(str(encoder))
    with pytest.raises(SystemExit, match="no log.jsonl"):
        main([str(encoder), "--sets"])
    (encoder / "log.jsonl").write_text(json.dumps({"step": 3, "tokens": 2_500_000}) + "\n")
    assert main([str(encoder), "--train", str(trained / "train.jsonl"), "--valid", str(trained / "eval.jsonl"),
                 "--max-steps", "2", "--window", "64", "--sets", "--plot", str(tmp_path / "curve.png")]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith(f"| {encoder} ")]
    assert len(rows) == 1 and "| 2.5M | validation |" in rows[0] and "window 64" in out
    assert (tmp_path / "curve.png").stat().st_size > 1000
