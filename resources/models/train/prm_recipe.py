"""The PRM's side of the recipe: what it reads around the steps, its training examples (right,
corrupted and sampled solutions with a label per step tag and per token), its loss, and how
well it tells wrong steps from right ones (AUROC)."""
import problems as P
import torch
import torch.nn.functional as F

TAG, GOOD, BAD = " ки", "+", "-"
# What the PRM reads around the steps. "plain" (Math-Shepherd's): the question, then the steps
# back to back, each with its tag. "policy": the question and the steps the way the policy
# wrote them, with the tag after each step, so that a PRM built on the policy's frozen blocks
# reads what they know; written into the GGUF keys nqkv.prm.question_template and
# nqkv.prm.step_separator. Chosen with use_layout (--prm-layout).
LAYOUTS = {"plain": ("{question}", ""), "policy": ("User: {question}\nAssistant:\n", "\n\n")}
layout = {"name": "plain", "question": LAYOUTS["plain"][0], "separator": LAYOUTS["plain"][1]}


def use_layout(name):
    layout.update(name=name, question=LAYOUTS[name][0], separator=LAYOUTS[name][1])


def prm_example(tok, question, steps, labels, reference=None):
    """ids and (position, good) at each step tag. With `reference` (the right step texts),
    also a label per step token for dense training: good until the first token where a
    wrong step leaves its right version, bad from there on and in every later step."""
    ids = [tok.bos] + tok(layout["question"].replace("{question}", question))
    tags, dense = [], [-1] * len(ids)
    broken = False
    for n, (s, good) in enumerate(zip(steps, labels), 1):
        head = (layout["separator"] if n > 1 else "") + f"## Step {n}: "
        part = tok(head + s)
        if good:
            marks = [0] * len(part)
        elif broken or reference is None or n > len(reference):
            marks = [1] * len(part)
        else:
            right = tok(head + reference[n - 1])
            d = next((i for i, (a, b) in enumerate(zip(part, right)) if a != b),
                     min(len(part), len(right)))
            marks = [0] * d + [1] * (len(part) - d)
        broken = broken or not good
        tag = tok(TAG)
        ids += part + tag
        dense += marks + [0 if good else 1] * len(tag)
        tags.append((len(ids) - 1, bool(good)))
    return ids, tags, dense


def corrupted_solution(rng, p):
    """Steps with one corrupted and the later ones carried on from the wrong value."""
    k = rng.randrange(len(p.ops))
    wrong, x = P.corrupt_step(rng, p, k)
    steps = carried_on(p, k, wrong, x)
    return steps, [True] * k + [False] * (len(steps) - k)


def carried_on(p, k, wrong, x):
    """The right steps before k, the wrong step k (result x) and the later steps done from x,
    up to one that x makes impossible (a negative value, an inexact division)."""
    steps = p.steps()[:k] + [wrong]
    for j in range(k + 1, len(p.ops)):
        op, b = p.ops[j]
        if x < 0 or (op == "/" and x % b):
            break
        y = P.apply(op, x, b)
        steps.append(p.step_text(j, x=x, y=y))
        x = y
    return steps


def careful_solution(rng, p):
    """A solution whose step k was rethought (worked in parts, as the policy writes after a
    trigger; the PRM then reads it in place of the step it sent back): right, or with a part
    off and the later steps carried on from it. Returns (steps, labels, reference)."""
    k = rng.randrange(len(p.ops))
    steps = p.steps()
    reference = steps[:k] + [p.careful_text(k)] + steps[k + 1:]
    if rng.random() < 0.5:
        return reference, [True] * len(steps), reference
    slip = rng.choice([-10, -2, -1, 1, 2, 10])
    wrong, x = p.careful_slip(k, slip=slip, early=rng.random() < 0.5)
    out = carried_on(p, k, wrong, x)
    return out, [True] * k + [False] * (len(out) - k), reference


def prm_loss_fn(tok, dense_weight=0.3, doubt="confidence"):
    """Cross-entropy of (good, bad) at the step tags, plus a dense term that asks for the same
    judgement at every step token: it teaches the model to notice the token where a step goes
    wrong, which the tags alone teach slowly. With a frozen bottom (the policy), the dense
    target after a step's "=" also takes in the policy's own doubt: a result the policy is
    unsure of makes the step so far look that much worse. The policy's greedy mistakes are
    where it doubts (its lowest result-token probability alone separates them from its right
    steps with an AUROC of about 0.9), so this is the feature the tags need."""
    eq = tok.sp.piece_to_id("\u2581=")
    assert tok.sp.id_to_piece(eq) == "\u2581=", "the tokenizer has no piece for ' ='"
    tag_len = len(tok(TAG))

    def loss(model, batch):
        ids, tags, dense = batch
        if getattr(model, "frozen", 0):
            logits, bottom = model(ids, with_bottom=True)
            with torch.no_grad():
                probs = bottom.softmax(-1)
                if doubt == "written":  # how likely the policy found the token written next
                    p = torch.ones(ids.shape, device=ids.device)
                    p[:, 1:] = probs[:, :-1].gather(-1, ids[:, 1:, None])[..., 0]
                else:  # how sure the policy is of the token it would write next
                    p = probs.max(-1).values
                p = p.cpu()  # walked token by token below: not on a GPU
                target = dense.cpu().float()
                for b in range(ids.shape[0]):
                    row, d, run = ids[b].tolist(), dense[b].tolist(), None
                    in_tag = set()
                    for pos, _ in tags[b]:
                        in_tag.update(range(pos - tag_len + 1, pos + 1))
                    for t in range(1, len(row)):
                        if d[t] < 0 or t in in_tag:
                            run = None
                            continue
                        if row[t] == eq:
                            run = 1.0
                        if run is not None:
                            run = min(run, float(p[b, t]))
                            target[b, t] = max(d[t], 1.0 - run)
                target = target.to(ids.device)
        else:
            logits = model(ids)
            target = dense.float()
        rows, cols, labels = [], [], []  # indices of the step tags
        for b, t in enumerate(tags):
            for pos, good in t:
                rows.append(b)
                cols.append(pos)
                labels.append(0 if good else 1)
        pair = logits[rows, cols][:, [tok.good, tok.bad]]
        total = F.cross_entropy(pair, torch.tensor(labels, device=pair.device))
        if dense_weight > 0:
            both = logits[:, :, [tok.good, tok.bad]].log_softmax(-1)
            valid = dense >= 0
            per = -(both[..., 1] * target + both[..., 0] * (1 - target))
            total = total + dense_weight * per[valid].mean()
        return total
    return loss


# The corruptions that leave the step's wording and operands alone and get the result wrong:
# only arithmetic tells them, and the policy's own mistakes are all of this kind.
ARITHMETIC = ["off", "digit"]


def drill_example(tok, rng, p, kinds=None):
    """One step alone, right or corrupted, without the question or the steps before it: the
    arithmetic check at a fifth of a whole solution's length. Every kind of corruption shows
    in the step itself (its wording names the operation and the operand), so the label holds
    without the question; only a wrong carried value needs the steps before, which whole
    solutions teach. `kinds` limits the corruptions to some of P.CORRUPTIONS."""
    k = rng.randrange(len(p.ops))
    right = p.steps()[k]
    kind = rng.choice(kinds) if kinds else None
    step, good = (right, True) if rng.random() < 0.5 else (P.corrupt_step(rng, p, k, kind=kind)[0], False)
    head = f"## Step {k + 1}: "
    part, ref = tok(head + step), tok(head + right)
    d = next((i for i, (a, b) in enumerate(zip(part, ref)) if a != b), min(len(part), len(ref)))
    marks = [0] * len(part) if good else [0] * d + [1] * (len(part) - d)
    tag = tok(TAG)
    ids = [tok.bos] + part + tag
    dense = [-1] + marks + [0 if good else 1] * len(tag)
    return ids, [(len(ids) - 1, good)], dense


def first_mistake_auroc(prm, tok, solutions):
    """AUROC of the PRM's step scores: each solution's right steps up to its first wrong step,
    against those first wrong steps. Also returns how many solutions go wrong."""
    scores, labels = [], []
    with torch.no_grad():
        for p, steps, good in solutions:
            ids, tags, _ = prm_example(tok, p.question, steps, good)
            logits = prm(torch.tensor([ids], device=prm.embed.weight.device))[0]
            for (pos, ok), _ in zip(tags, steps):
                scores.append(float(logits[pos, [tok.good, tok.bad]].softmax(-1)[0]))
                labels.append(ok)
                if not ok:
                    break
    return auroc(scores, labels), labels.count(False)


def auroc(scores, labels):
    pos = [s for s, l in zip(scores, labels) if l]
    neg = [s for s, l in zip(scores, labels) if not l]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))
