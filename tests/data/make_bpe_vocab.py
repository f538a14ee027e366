#!/usr/bin/python3
"""Makes the byte-level BPE test data: a small vocabulary trained here on tests/data/stories.txt,
the project README, the bundled held-out problems and a few lines in other scripts
(bpe_vocab.json), the ids llama.cpp gives for a list of texts under each supported
pre-tokenizer (bpe_cases.json), and the words llama.cpp's Tekken pre-tokenizer cuts a list of
texts into, and those of GPT-4o's, Qwen3.5's, DeepSeek's and Kimi K2's (tekken_splits.json: read from a vocabulary
holding every substring of those texts as a token, so that each word comes back as one token).

llama.cpp is the reference: every case is tokenized by its own library, reached through the
npm package node-llama-cpp (install it in a scratch folder with `npm install
node-llama-cpp@3.21.1 --ignore-scripts` and pass that folder). Needs python3-regex and
python3-numpy. Run once; the tests read only the JSON files.

    /usr/bin/python3 tests/data/make_bpe_vocab.py /tmp/nlcapp [--keep-vocab]

--keep-vocab reads bpe_vocab.json instead of training it again (the training text includes the
README, so a new vocabulary would change every test that uses it).
"""
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "models", "train"))
from gguf_writer import GgufWriter, U32, I32, F32, BOOL, STRING  # noqa: E402

LLAMA3 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
          r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
GPT2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
N_MERGES = 1500
SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
            "<|eot_id|>"]
EXTRA_TEXT = """Grüße aus München! Der Straßenbahnfahrer fährt über die Brücke.
нещо на Български, и още малко текст на кирилица.
我想在apple工作1314151天，今天天气很好。
Cửa Việt là một cửa biển. 🦙 llamas 🚀 rockets ✅ done.
It's 12:45 -- they'll say "I've 3,141.59 reasons"; we'd've known. 
def f(x):\n\treturn x**2 + 0x1F  # comment\n\n\n    indented\r\n
"""

CASES = [
    "", " ", "  ", "   ", "\t", "\n", "\n\n", "\n\n\n", "\t\n", "Hello world", " Hello world",
    "Hello World", " Hello World", " Hello World!", "Hello, world!", " Hello, world!",
    " this is 🦙.cpp", "w048 7tuijk dsdfhu", "нещо на Български", "ដែលអាចបង្កើតបាន",
    "🚀 (normal) 😶\u200d🌫️ (multiple emojis concatenated) ✅ (only emoji that has its own token)",
    "Hello", " Hello", "  Hello", "   Hello", "    Hello", "    Hello\n    Hello", " (", "\n =",
    "' era", "Hello, y'all! How are you 😁 ?我想在apple工作1314151天～", "!!!!!!", "3", "33",
    "333", "3333", "33333", "333333", "3333333", "33333333", "333333333", "Cửa Việt",
    " discards", "I'm sure they'll say it's fine, WE'RE SURE, I'D SAY", "'S 'RE 'Ve 'lL",
    "tab\tsep\t\tend", "a\r\nb\r\n\r\nc", "  \n\n  x", "x  ", "x \n", "end with spaces   ",
    "١٢٣ ٤٥ and ①②③ and １２３４", "e\u0301 cafe\u0301 café", "$100.00 + 15% = $115.00!?",
    "--flag=value --other", "a\u00a0b\u2003c\u3000d", "Grüße aus München", "x\u000by\u000cz",
    "## Step 1: 60 - 13 = 47.\n\n## Step 2: 47 + 18 = 65. The answer is 65.",
    "\"quoted\" and 'single' and `code`", "1234567890 12 345 6789", "\n\n\nHello\n\n\n",
]
SPECIAL_CASES = [
    "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>"
    "<|start_header_id|>assistant<|end_header_id|>\n\n",
    "<|begin_of_text|>text <|eot_id|> more<|end_of_text|>",
]
# "refact" (IBM Granite), "command-r", "olmo" and "dbrx" are llama.cpp's other names for the
# expressions of "smollm", "gpt-2" and "llama-bpe": checked all the same.
# "hunyuan" and "hunyuan-dense" are llama.cpp's names for Qwen2's and DeepSeek-V3's expressions.
# "gpt-4o" (o200k: Phi-4-mini, gpt-oss) and "llama4" name one expression, Tekken's words each
# with an optional contraction after it and up to three digits at a time.
PRE_NAMES = ["llama-bpe", "gpt-2", "qwen2", "smollm", "tekken", "refact", "command-r", "olmo",
             "dbrx", "gpt-4o", "llama4", "glm4", "smaug-bpe", "pixtral", "exaone4", "lfm2",
             "qwen35", "deepseek-v3", "deepseek-llm", "seed-coder", "kimi-k2", "hunyuan",
             "hunyuan-dense"]
# GPT-4o's words: Tekken's, each with the contraction that follows it, and up to three digits.
GPT4O_EXTRA = ["don't I'LL we'Re it's 'S x'd", "HELLO's world'S they'VE O'Neil",
               "x123456 1234567890 12", "rock'n'roll 'twas ''s", "camelCase's iPhone'll Émile's"]
# Qwen3.5's words take combining marks (\p{M}) as letters; elsewhere a mark is punctuation.
QWEN35_CASES = [
    "nai\u0308ve cafe\u0301 e\u0301 \u0301a \u0301\u0301 x\u0301!", "\u0915\u093f\u0924\u093e\u092c \u0939\u093f\u0902\u0926\u0940",
    "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35 \u0e04\u0e23\u0e31\u0e1a", "\u0645\u064e\u0631\u0652\u062d\u064e\u0628\u064b\u0627 \u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd",
    "\u2764\ufe0f \u263a\ufe0f! 1\ufe0f\u20e3 #\u20e3", "3\u0301 .\u0301 \n\u0301x '\u0301s", "Z\u0351\u036b\u0343a\u0352l\u0350g\u030co",
    "Tie\u0302\u0301ng Vie\u0323\u0302t", "don't 'S 'll x\u0301's", "a\u0301\u0301\u0301 \u0301\u0301 \u0301",
]
# DeepSeek-V3's three expressions in turn: numbers in threes, CJK and kana runs, then ASCII
# punctuation taking the ASCII letters after it, letters with marks, punctuation with symbols.
DEEPSEEK3_CASES = [
    "你好，世界！こんにちは カタカナ゠カナ ラーメン", "12345 1234567 ٣٤٥٦ x1y22z333w", "a.b .com x-y 's 'S",
    "e\u0301 \u0301a \u0301\u0301 x\u0301!", "$5 +x <tag> ^up `tick` |pipe ~t", "“quotes” «fr» ¿qué? ¡sí!",
    "a\r\nb\r\n\r\nc  \n\n  x", "end with spaces   ", "\u00a0 \u3000x \u2009y \x1cx \x0bz",
    "🚀x 😀 ✅ok ©2024 ®™", "Grüße ÀB École Жук", "\u0915\u093f\u0924\u093e\u092c \u0e2a\u0e27\u0e31\u0e2a",
    "日本語テキストAbc漢字ひらがな", "__init__ x_y @user #tag", "...world--!? ---\n--",
]
# DeepSeek LLM's six expressions in turn: line breaks, listed letters with a space before them,
# ASCII and full-width punctuation (ASCII letters too), trailing spaces, CJK and the scripts
# from U+0800 on, numbers.
DEEPSEEK_LLM_CASES = [
    "café naïve Grüße École ǅa Ωmega K", "hello world  foo\tbar", "Hello, world! (a+b)=c; x.y",
    "don't it's 'S @user #tag __init__", "x²½ Ⅻ 123 ٣٤٥ x1y22", "“quotes” ‘q’ «fr» ¿qué?",
    "你好，世界！ＡＢＣ！？ こんにちは", "안녕하세요 세계 مرحبا يا", "\u0915\u093f\u0924\u093e\u092c \u0e2a\u0e27\u0e31\u0e2a",
    "a\r\nb\n\nc  \n  x", "end with spaces   ", "\u00a0x \u3000y \u2009z", "🚀x 😀 ✅ok ©2024",
    "e\u0301 \u0301a x\u0301!", "Жук жУК Ελλάδα Հայ", "...world--!? ---\n--", "x 😀  ok ©  ",
]
# Kimi K2's: Han runs apart (also next to other letters and after punctuation), words taking
# the contraction after them, no case split, three digits at a time.
KIMI_CASES = [
    "你好，世界！abc中文x", "Hello中文World's 'S x'RE", "HelloWorld camelCase don't I'LL",
    "日本語テキスト漢字ひらがな 한국어", "㐀㐁 𠀀𠀁 豈更 x𠀀y", " 中 (中) \n中\n", "12345 ٣٤٥٦ x1y22z333w",
    "e\u0301 \u0301a x\u0301's", "a\r\nb\n\n  c   ", "Grüße ÀB Жук's", "...world--!? 's",
]
# Mistral's Tekken cuts words where lower case turns to upper, keeps digits single, lets a
# punctuation run take slashes, and has no contractions; llama.cpp runs a rewritten form of it.
TEKKEN_CASES = [
    "camelCase HTTPServer iPhone McDonald XMLHttpRequest", "ABCdef abcDEF aBcD", "don't 'S 'll",
    "a/b//c\n/path/to/file.txt", "x = 12345;\ty++", "Grüße ÀB ÉCOLE École", "Жук жУК",
    "日本語テキストAbc", "e\u0301 E\u0301x \u0301a", "ǅa ǈx ᾈ", "\u00a0 \u3000x \u2009y",
    "\x1cx \x1fy \x0bz \x0cw", "١٢٣ ²½Ⅻ", "🚀x 😀 Ⓐⓐ", "İı ﬁ", "\u0915\u093f\u0924\u093e\u092c",
    "  \n\n  x", "a\r\nb\r\n\r\nc", "end with spaces   ", "Hello!? ...world--", "__init__ x_y",
    "\"quoted\" (paren) [br]",
]


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def train(text):
    import regex
    b2u = bytes_to_unicode()
    # Words cut both ways, so that merges exist which only one of the pre-tokenizers can reach
    # (" 12", "333", "\n\n  ").
    words = Counter(tuple(b2u[b] for b in w.encode())
                    for expr in (LLAMA3, GPT2) for w in regex.findall(expr, text))
    merges = learn_merges(words, N_MERGES)
    tokens = [b2u[b] for b in range(256)] + [a + b for a, b in merges]
    seen, unique = set(), []
    for t in tokens:
        if t not in seen:
            seen.add(t)
            unique.append(t)
    types = [1] * len(unique) + [3] * len(SPECIALS)
    return unique + SPECIALS, types, [f"{a} {b}" for a, b in merges]


def learn_merges(words, n_merges):
    """The n_merges most frequent pairs of the words (a Counter of symbol tuples), merged in
    turn; ties go to the smallest pair."""
    merges = []
    for _ in range(n_merges):
        pairs = Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        merged = Counter()
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] += c
        words = merged
    return merges


def substring_vocab(texts, every_split=False):
    """Every substring (up to 24 bytes) of the texts as a token, each reached by merging its
    prefix with its last byte, or (every_split) by merging any two substrings that make it up:
    then merges in any order end in the whole word, which a vocabulary whose words are found by
    merging alone (no whole-word lookup, as Tekken has) needs to give its words back."""
    b2u = bytes_to_unicode()
    tokens = [b2u[b] for b in range(256)]
    seen, subs = set(tokens), set()
    for t in texts:
        e = "".join(b2u[b] for b in t.encode())
        subs.update(e[i:j] for i in range(len(e)) for j in range(i + 2, min(len(e), i + 24) + 1))
    merges = []
    for s in sorted(subs, key=lambda x: (len(x), x)):
        if every_split:
            merges += [f"{s[:k]} {s[k:]}" for k in range(1, len(s))]
            tokens.append(s)
            continue
        if s[:-1] in seen:
            merges.append(f"{s[:-1]} {s[-1]}")
            tokens.append(s)
            seen.add(s)
    types = [1] * len(tokens) + [3] * len(SPECIALS)
    return tokens + SPECIALS, types, merges


def write_model(path, tokens, types, merges, pre, vocab_keys=None):
    """A tiny random llama model: llama.cpp loads a vocabulary only with a whole model. The
    vocabulary's keys are byte-level BPE's with `pre`, or what vocab_keys(writer) sets."""
    rng = np.random.default_rng(7)
    d, ff, nv = 32, 48, len(tokens)
    w = GgufWriter()
    w.add("general.architecture", STRING, "llama")
    w.add("general.name", STRING, "bpe-vocab-test")
    for k, v in [("context_length", 256), ("embedding_length", d), ("block_count", 1),
                 ("feed_forward_length", ff), ("attention.head_count", 2),
                 ("attention.head_count_kv", 2), ("rope.dimension_count", 16)]:
        w.add("llama." + k, U32, v)
    w.add("llama.attention.layer_norm_rms_epsilon", F32, 1e-5)
    if vocab_keys:
        vocab_keys(w)
    else:
        w.add("tokenizer.ggml.model", STRING, "gpt2")
        w.add("tokenizer.ggml.pre", STRING, pre)
        w.add_array("tokenizer.ggml.tokens", STRING, tokens)
        w.add_array("tokenizer.ggml.token_type", I32, types)
        w.add_array("tokenizer.ggml.merges", STRING, merges)
        w.add("tokenizer.ggml.bos_token_id", U32, tokens.index("<|begin_of_text|>"))
        w.add("tokenizer.ggml.eos_token_id", U32, tokens.index("<|eot_id|>"))
        w.add("tokenizer.ggml.add_bos_token", BOOL, False)
    for name, shape in [("token_embd.weight", (nv, d)), ("blk.0.attn_q.weight", (d, d)),
                        ("blk.0.attn_k.weight", (d, d)), ("blk.0.attn_v.weight", (d, d)),
                        ("blk.0.attn_output.weight", (d, d)), ("blk.0.ffn_gate.weight", (ff, d)),
                        ("blk.0.ffn_up.weight", (ff, d)), ("blk.0.ffn_down.weight", (d, ff))]:
        w.add_tensor(name, rng.standard_normal(shape) * 0.1)
    for name in ["blk.0.attn_norm.weight", "blk.0.ffn_norm.weight", "output_norm.weight"]:
        w.add_tensor(name, np.ones(d))
    w.write(path)


NODE_SCRIPT = """
import {getLlama} from "node-llama-cpp";
import fs from "fs";
const [models, cases, special] = JSON.parse(fs.readFileSync(0, "utf8"));
const llama = await getLlama({gpu: false, build: "never", logLevel: "error"});
const out = {};
for (const [pre, path] of Object.entries(models)) {
    const model = await llama.loadModel({modelPath: path, vocabOnly: true});
    out[pre] = {plain: cases.map(t => Array.from(model.tokenize(t, false))),
                special: special.map(t => Array.from(model.tokenize(t, true)))};
    await model.dispose();
}
process.stdout.write(JSON.stringify(out));
"""


def main():
    if len(sys.argv) not in (2, 3) or sys.argv[1].startswith("-"):
        sys.exit(__doc__)
    app = sys.argv[1]
    root = os.path.join(HERE, "..", "..")
    if "--keep-vocab" in sys.argv[2:]:
        with open(os.path.join(HERE, "bpe_vocab.json"), encoding="utf-8") as f:
            v = json.load(f)
        tokens, types, merges = v["tokens"], v["token_type"], v["merges"]
    else:
        text = EXTRA_TEXT
        for name in ["tests/data/stories.txt", "README.md", "resources/models/arith-test.jsonl"]:
            with open(os.path.join(root, name), encoding="utf-8") as f:
                text += f.read()
        tokens, types, merges = train(text)
        with open(os.path.join(HERE, "bpe_vocab.json"), "w", encoding="utf-8") as f:
            json.dump({"tokens": tokens, "token_type": types, "merges": merges}, f,
                      ensure_ascii=False, indent=0)
            f.write("\n")
    script = os.path.join(app, "tokenize-cases.mjs")
    with open(script, "w") as f:
        f.write(NODE_SCRIPT)

    def llama_cpp(models, cases):
        res = subprocess.run(["node", script], input=json.dumps([models, cases, SPECIAL_CASES]),
                             capture_output=True, text=True, cwd=app, check=True)
        return json.loads(res.stdout)

    with tempfile.TemporaryDirectory() as tmp:
        models = {}
        for pre in PRE_NAMES:
            models[pre] = os.path.join(tmp, pre + ".gguf")
            write_model(models[pre], tokens, types, merges, pre)
        ids = llama_cpp(models, CASES)
        u2b = {u: b for b, u in bytes_to_unicode().items()}
        splits = {}
        for pre, cases in (("tekken", TEKKEN_CASES), ("gpt-4o", TEKKEN_CASES + GPT4O_EXTRA),
                           ("qwen35", QWEN35_CASES), ("deepseek-v3", DEEPSEEK3_CASES),
                           ("deepseek-llm", DEEPSEEK_LLM_CASES), ("kimi-k2", KIMI_CASES)):
            s_tokens, s_types, s_merges = substring_vocab(cases, every_split=pre != "tekken")
            path = os.path.join(tmp, pre + "-substrings.gguf")
            write_model(path, s_tokens, s_types, s_merges, pre)
            words = llama_cpp({pre: path}, cases)[pre]["plain"]
            splits[pre] = [[bytes(u2b[c] for c in s_tokens[i]).decode() for i in w]
                           for w in words]
            for case, split in zip(cases, splits[pre]):
                assert "".join(split) == case, case
    with open(os.path.join(HERE, "tekken_splits.json"), "w", encoding="utf-8") as f:
        json.dump({"source": "llama.cpp (node-llama-cpp 3.21.1), a vocabulary of every substring",
                   "cases": TEKKEN_CASES, "splits": splits["tekken"],
                   "gpt4o_cases": TEKKEN_CASES + GPT4O_EXTRA, "gpt4o_splits": splits["gpt-4o"],
                   "qwen35_cases": QWEN35_CASES, "qwen35_splits": splits["qwen35"],
                   "deepseek3_cases": DEEPSEEK3_CASES,
                   "deepseek3_splits": splits["deepseek-v3"],
                   "deepseek_llm_cases": DEEPSEEK_LLM_CASES,
                   "deepseek_llm_splits": splits["deepseek-llm"],
                   "kimi_k2_cases": KIMI_CASES, "kimi_k2_splits": splits["kimi-k2"]},
                  f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "bpe_cases.json"), "w", encoding="utf-8") as f:
        json.dump({"source": "llama.cpp (node-llama-cpp 3.21.1) with bpe_vocab.json",
                   "cases": CASES, "special_cases": SPECIAL_CASES, "ids": ids}, f,
                  ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(tokens)} tokens, {len(merges)} merges, {len(CASES)} cases")


if __name__ == "__main__":
    main()
