"""The policy's own solutions written by the recipe's PyTorch copy of it, many at a time: on a
GPU this takes seconds where one engine process per solution takes minutes. Prompts of equal
length share a batch, so no padding enters the attention."""
import collections

import torch

import problems as P


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


def sample_with_torch(model, tok, prompt_of, split_steps, probs, per_problem, seed,
                      temperature=1.0):
    """Like train.sample_with_engine: (problem, steps, labels) for each solution."""
    prompts = [prompt_of(p.question) for p in probs for _ in range(per_problem)]
    texts = generate(model, tok, prompts, temperature, seed)
    out = []
    for i, text in enumerate(texts):
        p = probs[i // per_problem]
        steps = split_steps(text, len(p.ops) + 1)
        if steps:
            out.append((p, steps, P.label_steps(p, steps)))
    return out
