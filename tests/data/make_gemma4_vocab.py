#!/usr/bin/python3
"""Makes the Gemma 4 tokenizer test data (gemma4_vocab.json): a small vocabulary of Gemma 4's
kind (tokenizer.ggml.model = "gemma4": BPE over SentencePiece-style pieces, spaces written as
U+2581, byte pieces <0x00>..<0xFF>, runs of newlines as pieces, Gemma 4's turn and channel
markers) trained here on the same text as bpe_vocab.json, and the ids llama.cpp gives for the
texts of bpe_cases.json and a few with markers.

llama.cpp is the reference, reached through node-llama-cpp as make_bpe_vocab.py describes.
Needs python3-regex and python3-numpy. Run once; the tests read only the JSON file.

    /usr/bin/python3 tests/data/make_gemma4_vocab.py /tmp/nlcapp
"""
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_bpe_vocab as base  # noqa: E402
from make_bpe_vocab import U32, I32, F32, BOOL, STRING  # noqa: E402

SPACE = "\u2581"
N_MERGES = 1200
# id 0..: Gemma 4's specials first, as its vocabulary has them; <|channel> and its kin are
# user-defined there (shown in the text), the turn markers control tokens.
SPECIALS = [("<pad>", 3), ("<eos>", 3), ("<bos>", 3), ("<unk>", 2), ("<|turn>", 3),
            ("<turn|>", 3), ("<|channel>", 4), ("<channel|>", 4), ("<|think|>", 3)]
NEWLINES = ["\n", "\n\n", "\n\n\n"]
SPECIAL_CASES = [
    "<|turn>user\nHi there<turn|>\n<|turn>model\n",
    "<|channel>thought\nLet me see.<channel|>The answer is 4.<turn|>",
    "<bos>text <eos> more<|think|>",
]


def train(text):
    # Lines cut into words that keep their leading space, as counted pairs; merges are the
    # ranked list llama.cpp applies to whole lines.
    words = Counter()
    for line in text.split("\n"):
        for i, w in enumerate(line.replace(" ", SPACE).split(SPACE)):
            if w or i:
                words[tuple((SPACE if i else "") + w)] += 1
    alphabet = sorted({c for w in words for c in w})
    # Some characters are left out, so that texts reach the byte pieces.
    alphabet = [c for c in alphabet if ord(c) < 0x2000 or c == SPACE]
    words = Counter({w: c for w, c in words.items() if all(ch in alphabet for ch in w)})
    merges = base.learn_merges(words, N_MERGES)
    tokens = [t for t, _ in SPECIALS] + [f"<0x{b:02X}>" for b in range(256)] + NEWLINES
    types = [k for _, k in SPECIALS] + [6] * 256 + [1] * len(NEWLINES)
    seen = set(tokens)
    for t in alphabet + [a + b for a, b in merges]:
        if t not in seen:
            seen.add(t)
            tokens.append(t)
            types.append(1)
    return tokens, types, [f"{a} {b}" for a, b in merges]


def write_model(path, tokens, types, merges):
    """A tiny random llama model with this vocabulary (llama.cpp loads one only with a model)."""
    def vocab_keys(w):
        w.add("tokenizer.ggml.model", STRING, "gemma4")
        w.add_array("tokenizer.ggml.tokens", STRING, tokens)
        w.add_array("tokenizer.ggml.scores", F32, [0.0] * len(tokens))
        w.add_array("tokenizer.ggml.token_type", I32, types)
        w.add_array("tokenizer.ggml.merges", STRING, merges)
        w.add("tokenizer.ggml.bos_token_id", U32, tokens.index("<bos>"))
        w.add("tokenizer.ggml.eos_token_id", U32, tokens.index("<eos>"))
        w.add("tokenizer.ggml.unknown_token_id", U32, tokens.index("<unk>"))
        w.add("tokenizer.ggml.padding_token_id", U32, tokens.index("<pad>"))
        w.add("tokenizer.ggml.add_bos_token", BOOL, True)
        w.add("tokenizer.ggml.add_space_prefix", BOOL, False)
    base.write_model(path, tokens, types, merges, None, vocab_keys)


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit(__doc__)
    app = sys.argv[1]
    root = os.path.join(HERE, "..", "..")
    text = base.EXTRA_TEXT
    for name in ["tests/data/stories.txt", "README.md", "resources/models/arith-test.jsonl"]:
        with open(os.path.join(root, name), encoding="utf-8") as f:
            text += f.read()
    tokens, types, merges = train(text)
    script = os.path.join(app, "tokenize-cases.mjs")
    with open(script, "w") as f:
        f.write(base.NODE_SCRIPT)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "gemma4.gguf")
        write_model(path, tokens, types, merges)
        res = subprocess.run(["node", script],
                             input=json.dumps([{"gemma4": path}, base.CASES, SPECIAL_CASES]),
                             capture_output=True, text=True, cwd=app, check=True)
        ids = json.loads(res.stdout)["gemma4"]
    with open(os.path.join(HERE, "gemma4_vocab.json"), "w", encoding="utf-8") as f:
        json.dump({"source": "llama.cpp (node-llama-cpp 3.21.1)", "tokens": tokens,
                   "token_type": types, "merges": merges, "cases": base.CASES,
                   "special_cases": SPECIAL_CASES, "ids": ids}, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"{len(tokens)} tokens, {len(merges)} merges, {len(base.CASES)} cases")


if __name__ == "__main__":
    main()
