"""The policy's own solutions, labelled step by step: written by the engine (one process per
solution) or by the recipe's PyTorch copy of it, many at a time: on a GPU this takes seconds
where the engine takes minutes. In PyTorch, prompts of equal length share a batch, so no padding
enters the attention."""
import collections
import json
import re
import subprocess

import torch

import problems as P
from training import log


@torch.no_grad()
def generate(model, tok, prompts, temperature, seed, max_new=160):
    """Text written after each prompt (a list of strings), up to the end of text or max_new
    tokens. temperature 0 is greedy decoding."""
    device = model.embed.weight.device
    gen = torch.Generator(device=device)
    gen.manual_seed(seed)
    encoded = [[tok.bos] + tok(p) for p in prompts]
    by_length = collections.defaultdict(list)
    for i, ids in enumerate(encoded):
        by_length[len(ids)].append(i)
    out = [None] * len(prompts)
    for length in sorted(by_length):
        rows = by_length[length]
        for start in range(0, len(rows), 256):
            part = rows[start:start + 256]
            ids = torch.tensor([encoded[i] for i in part], device=device)
            done = torch.zeros(len(part), dtype=torch.bool, device=device)
            for _ in range(max_new):
                logits = model(ids)[:, -1].float()
                if temperature > 0:
                    probs = (logits / temperature).softmax(-1)
                    nxt = torch.multinomial(probs, 1, generator=gen)[:, 0]
                else:
                    nxt = logits.argmax(-1)
                ids = torch.cat([ids, nxt[:, None]], 1)
                done |= nxt == tok.eos
                if bool(done.all()):
                    break
            for i, row in zip(part, ids[:, length:].tolist()):
                if tok.eos in row:
                    row = row[: row.index(tok.eos)]
                out[i] = tok.sp.decode(row)
    return out


def sample_with_torch(model, tok, prompt_of, probs, per_problem, seed, temperature=1.0):
    """Like sample_with_engine: (problem, steps, labels) for each solution."""
    prompts = [prompt_of(p.question) for p in probs for _ in range(per_problem)]
    texts = generate(model, tok, prompts, temperature, seed)
    out = []
    for i, text in enumerate(texts):
        p = probs[i // per_problem]
        steps = split_steps(text, len(p.ops) + 1)
        if steps:
            out.append((p, steps, P.label_steps(p, steps)))
    return out


def split_steps(text, limit=None):
    """The step contents of what the policy wrote after the prompt's "## Step 1: ", headings
    removed, at most `limit` of them, up to the one that gives the answer."""
    steps = [re.sub(r"^\s*(##\s*)?Step\s*\d+\s*:\s*", "", s).strip()
             for s in ("## Step 1: " + text).split("\n\n")]
    steps = [s for s in steps if s][:limit]
    for k, s in enumerate(steps):
        if "answer is" in s:
            return steps[: k + 1]
    return steps


def sample_with_engine(nqkv, policy_path, prompt_of, probs, per_problem, seed, temperature=1.0):
    """The policy's own solutions, sampled by the engine (at temperature 1 by default)."""
    out = []
    for i, p in enumerate(probs):
        for j in range(per_problem):
            r = subprocess.run([nqkv, "generate", "-m", policy_path, "-p", prompt_of(p.question),
                                "-n", "160", "--temp", str(temperature), "--top-k", "0", "--top-p", "1",
                                "--min-p", "0", "--seed", str(seed + 97 * i + j), "--json",
                                "--threads", "2"], capture_output=True, text=True, check=True)
            steps = split_steps(json.loads(r.stdout)["text"], len(p.ops) + 1)
            if steps:
                out.append((p, steps, P.label_steps(p, steps)))
        if (i + 1) % 50 == 0:
            log(f"sampled {i + 1}/{len(probs)} problems")
    return out
