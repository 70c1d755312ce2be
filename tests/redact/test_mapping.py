"""`redact.map_fn` inside `datasets.Dataset.map(num_proc=2)`, and the placeholder list."""

import pickle

import pytest

import redact
from redact import PLACEHOLDERS, Label, map_fn

from .batch_fixtures import EMAIL, KEY, records


def test_map_fn_with_datasets_num_proc_2():
    datasets = pytest.importorskip("datasets")
    rows = records(40)
    rows[5]["content"] = None  # kept as it is
    for row in rows[:4]:
        row["content"] = "x = 1\n"  # a first batch with no PII
    dataset = datasets.Dataset.from_list(rows)
    fn = map_fn("content")
    out = dataset.map(fn, batched=True, batch_size=4, num_proc=2, features=fn.features(dataset.features))
    assert out.column_names == ["id", "content", "stars", "pii"] and out["id"] == dataset["id"]
    texts = [t for t in out["content"] if t is not None]
    assert not any(EMAIL in t or KEY in t for t in texts) and out[5]["content"] is None and out[5]["pii"] == []
    assert {m["label"] for m in out[6]["pii"]} == {"EMAIL", "NAME"} and "value" not in out[6]["pii"][0]
    # the same records, computed in one process by the same callable (its secret keys the hashes)
    direct = fn({k: [r[k] for r in rows[6:9]] for k in rows[0]})
    assert out["content"][6:9] == direct["content"] and out["pii"][6:9] == direct["pii"]


def test_map_fn_is_picklable_and_keeps_values_on_request():
    fn = pickle.loads(pickle.dumps(map_fn("code", "found", policy={"NAME": "hash"}, keep_values=True)))
    out = fn({"code": [f"# Jane Roe <{EMAIL}>\n"], "path": ["a.py"]})
    assert out["code"][0].startswith("# <NAME_") and EMAIL in [m["value"] for m in out["found"][0]]
    with pytest.raises(KeyError, match="no 'content' column"):
        map_fn()({"text": ["x"]})
    with pytest.raises(ValueError, match="unknown policy"):
        map_fn(policy={"NAME": "blur"})


def test_placeholders_are_exposed():
    assert PLACEHOLDERS[Label.EMAIL] == "<EMAIL>" and len(PLACEHOLDERS) == len(redact.LABELS) == 6
    assert redact.redact(f"# {EMAIL}").text == "# <EMAIL>"
