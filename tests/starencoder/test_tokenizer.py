from __future__ import annotations

from redact import PLACEHOLDERS
from starencoder.tokenizer import CLS, MASK, PAD, SEP, SPECIAL_TOKENS, UNK

CODE = [
    "def héllo(naïve: str) -> str:\n    return f'{naïve} ☕ 日本語'\n",
    "x = 0x7f3a  # 🚀 emoji\r\n\tif (a && b) { return 12345678; }\n",
    "    \n\n  trailing   spaces   \t\n",
    "",
]


def test_loads_with_auto_tokenizer_and_round_trips_code(tokenizer_dir):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    for text in CODE:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        assert tokenizer.decode(ids) == text
    assert tokenizer.convert_ids_to_tokens(tokenizer("x = 1")["input_ids"])[0] == CLS


def test_special_tokens_come_first_and_placeholders_are_single_tokens(tokenizer_dir):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    assert [tokenizer.convert_tokens_to_ids(t) for t in SPECIAL_TOKENS] == [0, 1, 2, 3, 4]
    assert (tokenizer.pad_token, tokenizer.unk_token, tokenizer.cls_token, tokenizer.sep_token,
            tokenizer.mask_token) == (PAD, UNK, CLS, SEP, MASK)
    for placeholder in PLACEHOLDERS.values():
        ids = tokenizer(f"email = '{placeholder}'", add_special_tokens=False)["input_ids"]
        assert placeholder in tokenizer.convert_ids_to_tokens(ids)


def test_offsets_point_into_the_original_text(tokenizer_dir):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    text = CODE[0]
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    offsets = encoded["offset_mapping"]
    assert all(0 <= s <= e <= len(text) for s, e in offsets)
    assert [s for s, _ in offsets] == sorted(s for s, _ in offsets)
    # Every visible character is covered (the pieces of one multi-byte character share its offsets).
    covered = {i for s, e in offsets for i in range(s, e)}
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_digits_split_into_groups_of_three(tokenizer_dir):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    tokens = tokenizer.tokenize("12345678")
    assert all(len(t.replace("Ġ", "")) <= 3 for t in tokens)
