"""A trained model written out: the GGUF the engine reads, and the golden logits it must
reproduce."""
import copy
import os

import sentencepiece as spm
import torch

import prm_recipe as R
from gguf_writer import BOOL, F32, I32, STRING, U32, GgufWriter
from prm_recipe import BAD, GOOD, TAG
from training import log


def write_gguf(path, model, tok_path, name, description, prm=False, reply_prefix=None):
    """The model as GGUF with the tokenizer at tok_path; a PRM with its Math-Shepherd keys, a
    policy with the chat layout it was trained on (reply_prefix)."""
    cfg = model.cfg
    w = GgufWriter()
    w.add("general.architecture", STRING, "llama")
    w.add("general.name", STRING, name)
    w.add("general.description", STRING, description)
    w.add("llama.context_length", U32, cfg.ctx)
    w.add("llama.embedding_length", U32, cfg.dim)
    w.add("llama.block_count", U32, cfg.layers)
    w.add("llama.feed_forward_length", U32, cfg.ff)
    w.add("llama.attention.head_count", U32, cfg.heads)
    w.add("llama.attention.head_count_kv", U32, cfg.kv_heads)
    w.add("llama.attention.layer_norm_rms_epsilon", F32, cfg.eps)
    w.add("llama.rope.freq_base", F32, cfg.rope_base)
    w.add("llama.rope.dimension_count", U32, cfg.head_dim)
    sp = spm.SentencePieceProcessor(model_file=tok_path)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    types = []
    for i in range(sp.get_piece_size()):
        t = 1  # normal
        if sp.is_unknown(i):
            t = 2
        elif sp.is_control(i):
            t = 3
        elif sp.is_byte(i):
            t = 6
        types.append(t)
    w.add("tokenizer.ggml.model", STRING, "llama")
    w.add_array("tokenizer.ggml.tokens", STRING, pieces)
    w.add_array("tokenizer.ggml.scores", F32, [sp.get_score(i) for i in range(len(pieces))])
    w.add_array("tokenizer.ggml.token_type", I32, types)
    w.add("tokenizer.ggml.bos_token_id", U32, sp.bos_id())
    w.add("tokenizer.ggml.eos_token_id", U32, sp.eos_id())
    w.add("tokenizer.ggml.unknown_token_id", U32, sp.unk_id())
    w.add("tokenizer.ggml.add_bos_token", BOOL, True)
    w.add("tokenizer.ggml.add_space_prefix", BOOL, False)
    if reply_prefix is not None:
        # Where a reply begins in the plain chat format, so that a chat in the app or
        # `nqkv chat` prompts the policy the way training did.
        w.add("nqkv.chat.reply_prefix", STRING, reply_prefix)
    if prm:
        w.add("nqkv.prm.step_tag", STRING, TAG)
        w.add("nqkv.prm.good_token", STRING, GOOD)
        w.add("nqkv.prm.bad_token", STRING, BAD)
        if R.layout["name"] != "plain":
            w.add("nqkv.prm.question_template", STRING, R.layout["question"])
            w.add("nqkv.prm.step_separator", STRING, R.layout["separator"])
    model.export(w, f16=True)
    w.write(path)
    log(f"wrote {path} ({os.path.getsize(path) / 2**20:.2f} MiB)")


def golden(model, ids_list, last=4):
    """The last positions' logits in float64, computed on the CPU wherever the model trained
    (the same plain attention the engine's reference is, on every machine)."""
    out = []
    m64 = copy.deepcopy(model).cpu().double()
    with torch.no_grad():
        for ids in ids_list:
            logits = m64(torch.tensor([ids]))[0, -last:]
            out.append({"ids": ids, "last": last,
                        "logits": [[round(float(v), 6) for v in row] for row in logits]})
    return out
