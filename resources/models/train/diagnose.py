#!/usr/bin/python3
"""Measures what limits AR-Sampling with the bundled pair, on the policy's own greedy solutions:

- how the PRM separates the first wrong step of each wrong solution from the right steps
  (AUROC), and how many of each it would send back at a few thresholds;
- the same for the policy's own doubt (its lowest probability of the result tokens it wrote),
  read in the policy's layout and in the PRM's;
- how near its wrong results come: where each first leaves the right one, the right token's
  rank among the policy's choices;
- an oracle: the trigger placed exactly at the first wrong step (how many answers it repairs),
  and on a right step (how many it breaks), with the rethink written freely and as the engine
  writes it (leaving the rejected step at its least likely token).

    /usr/bin/python3 resources/models/train/diagnose.py [--problems 150] [--false-alarms 40] [--prm PRM]
        [--policy POLICY] [--kinds N]

Needs a built `nqkv`, python3-torch and python3-sentencepiece (the tokenizer is retrained from
the recipe's seed, as train.py does). Reads resources/models/; writes nothing.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import problems as P  # noqa: E402
import prm_recipe as R  # noqa: E402
import torch  # noqa: E402
import train as T  # noqa: E402
from gguf_reader import read_tensors  # noqa: E402
from model import Config, Llama  # noqa: E402
from sampling import split_steps  # noqa: E402


def load(path, vocab):
    t = read_tensors(path)
    layers = 1 + max(int(k.split(".")[1]) for k in t if k.startswith("blk."))
    m = Llama(Config(vocab=vocab, layers=layers))
    m.load_exported(t)
    return m.eval()


def greedy_steps(nqkv, policy, text):
    r = subprocess.run([nqkv, "generate", "-m", policy, "-p", text, "-n", "160", "--temp", "0", "--json"],
                       capture_output=True, text=True, check=True)
    out = json.loads(r.stdout)["text"]
    return split_steps(out), out


def doubt(policy, tok, question, steps, layout):
    """Per step: the policy's lowest probability of a token it wrote after the step's "="."""
    R.use_layout(layout)
    ids, tags, _ = R.prm_example(tok, question, steps, [True] * len(steps))
    eq = tok.sp.piece_to_id("\u2581=")
    with torch.no_grad():
        probs = policy(torch.tensor([ids]))[0].softmax(-1)
    out, start = [], 0
    for pos, _ in tags:
        low, on = 1.0, False
        for t in range(start, pos):
            if on:
                low = min(low, float(probs[t - 1, ids[t]]))
            on = on or ids[t] == eq
        out.append(low)
        start = pos + 1
    return out


def right_token_rank(policy, tok, question, steps, k, right):
    """Where the policy's wrong step k first leaves the right one: the rank of the right token
    in its distribution there (0: its first choice), and that token's probability; None where
    the two part before a number (a misread step rather than a wrong result)."""
    wrong = steps[k]
    i = next((j for j in range(min(len(wrong), len(right))) if wrong[j] != right[j]),
             min(len(wrong), len(right)))
    if i == 0 or not (wrong[i - 1].isdigit() or wrong[:i].endswith("= ")):
        return None
    prefix = T.policy_prompt(question) + T.join_steps(steps[:k] + [wrong[:i]])
    ids = [tok.bos] + tok(prefix)
    good = tok(prefix + right[i:])[len(ids) - 1]
    with torch.no_grad():
        probs = policy(torch.tensor([ids]))[0, -1].softmax(-1)
    return int((probs > probs[good]).sum()), float(probs[good])


def rethink_leaving_weakest(policy, tok, before, step, trigger, limit=80):
    """The engine's rethink rule: after `before` (ending with the step's heading), the rejected
    `step` and the trigger, the rethought step is written greedily, except that where it has
    written the rejected step's tokens up to the one the policy found least likely, it does not
    take that token. Returns the rethought step's text."""
    head, ids = [tok.bos] + tok(before), tok(step)
    with torch.no_grad():
        probs = policy(torch.tensor([head + ids]))[0].softmax(-1)
    # Not the first token: read apart from the heading, it is tokenized unlike the policy's own.
    weakest = min(range(1, len(ids)), key=lambda j: float(probs[len(head) + j - 1, ids[j]]))
    avoided = tok.sp.decode(ids[:weakest]).strip()
    context, out = head + ids + tok("\n\n" + trigger), []
    for _ in range(limit):
        with torch.no_grad():
            logits = policy(torch.tensor([context]))[0, -1]
        if tok.sp.decode(out).strip() == avoided:
            logits[ids[weakest]] = float("-inf")
        t = int(logits.argmax())
        if t == tok.eos:
            break
        out.append(t)
        context.append(t)
        if "\n\n" in tok.sp.decode(out):
            break
    return tok.sp.decode(out).split("\n\n")[0]


def by_kind(prm, tok, layout, n, rng):
    """For each kind of corruption: in how many of n generated problems the PRM scores the
    right step k above its corrupted version, and the right solution's last step above the
    corrupted one's (the later steps carried on from the wrong value, as in the twins)."""
    R.use_layout(layout)

    def scores(question, steps):
        ids, tags, _ = R.prm_example(tok, question, steps, [True] * len(steps))
        with torch.no_grad():
            logits = prm(torch.tensor([ids]))[0]
        return [float(logits[pos, [tok.good, tok.bad]].softmax(-1)[0]) for pos, _ in tags]

    for kind in P.CORRUPTIONS:
        at_step = at_last = 0
        for _ in range(n):
            p = P.make_problem(rng)
            k = rng.randrange(len(p.ops))
            wrong, x = P.corrupt_step(rng, p, k, kind=kind)
            bad = R.carried_on(p, k, wrong, x)
            good, worse = scores(p.question, p.steps()), scores(p.question, bad)
            at_step += good[k] > worse[k]
            at_last += good[len(bad) - 1] > worse[-1]
        print(f"  {kind}: right step above the corrupted one in {at_step} of {n}, "
              f"by the last step in {at_last} of {n}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--problems", type=int, default=150, help="held-out problems to solve")
    ap.add_argument("--false-alarms", type=int, default=40, help="right solutions to send back once")
    ap.add_argument("--nqkv", default=os.path.join(T.ROOT, "build/bin/nqkv"))
    ap.add_argument("--prm", default=os.path.join(T.OUT, "prm.gguf"),
                    help="the PRM to measure (default: the bundled one)")
    ap.add_argument("--policy", default=os.path.join(T.OUT, "policy.gguf"),
                    help="the policy to measure (default: the bundled one)")
    ap.add_argument("--kinds", type=int, default=0, metavar="N",
                    help="also N generated problems per kind of corrupted step: how often the PRM "
                    "scores the right step above the corrupted one")
    ap.add_argument("--seed", type=int, default=20261129)
    args = ap.parse_args()
    if not os.access(args.nqkv, os.X_OK):
        sys.exit(f"diagnose.py: {args.nqkv}: not found; build the project first (scripts/build)")
    torch.set_num_threads(2)
    tok = T.Tok(T.train_tokenizer(random.Random(args.seed + 3), T.read_triggers(),
                                  T.scratch_dir("nqkv-diagnose-"), 768))
    vocab = tok.sp.get_piece_size()
    policy = load(args.policy, vocab)
    prm_path = args.prm
    prm = load(prm_path, vocab)
    prm_layout = "policy" if b"nqkv.prm.question_template" in open(prm_path, "rb").read(1 << 20) else "plain"

    if args.kinds:
        by_kind(prm, tok, prm_layout, args.kinds, random.Random(args.seed + 9))
    if args.problems <= 0:
        return

    test = [json.loads(line) for line in open(os.path.join(T.OUT, "arith-test.jsonl"), encoding="utf-8")]
    trigger = T.read_triggers()[0]
    rows = []  # (score kind -> value, good) for each right step and each first wrong step
    wrong, right_solutions = [], []
    for p in test[: args.problems]:
        q = p["question"]
        steps, _ = greedy_steps(args.nqkv, args.policy, T.policy_prompt(q))
        ref = [re.sub(r"^## Step \d+: ", "", s) for s in p["steps"]]
        R.use_layout(prm_layout)
        ids, tags, _ = R.prm_example(tok, q, steps, [True] * len(steps))
        with torch.no_grad():
            logits = prm(torch.tensor([ids]))[0]
        scores = [float(logits[pos, [tok.good, tok.bad]].softmax(-1)[0]) for pos, _ in tags]
        own = doubt(policy, tok, q, steps, "policy")
        other = doubt(policy, tok, q, steps, "plain")
        for k in range(len(steps)):
            good = k < len(ref) and steps[k] == ref[k]
            rows.append(({"prm": scores[k], "doubt, policy layout": own[k],
                          "doubt, PRM layout": other[k]}, good))
            if not good:
                wrong.append((p, steps, k))
                break
        else:
            right_solutions.append((p, steps))

    labels = [g for _, g in rows]
    print(f"{args.problems} problems: {len(wrong)} greedy solutions go wrong; "
          f"{labels.count(True)} right steps, {labels.count(False)} first wrong steps")
    for kind in rows[0][0]:
        print(f"  AUROC, {kind}: {R.auroc([r[kind] for r, _ in rows], labels):.3f}")
    for th in (0.1, 0.3, 0.5):
        sent = [(r["prm"] < th, g) for r, g in rows]
        print(f"  PRM at p = {th}: sends back {sum(s for s, g in sent if g)} right and "
              f"{sum(s for s, g in sent if not g)} wrong steps")

    # How near the policy came: a rethink that only left out the token it wrote before would
    # repair the steps whose right token is its second choice.
    ranks = [right_token_rank(policy, tok, p["question"], s, k,
                              re.sub(r"^## Step \d+: ", "", p["steps"][k]))
             for p, s, k in wrong if k < len(p["steps"])]
    ranks = [r for r in ranks if r is not None]
    if ranks:
        print(f"  where a first wrong result leaves the right one ({len(ranks)} steps), the "
              f"right token is the policy's second choice in {sum(r == 1 for r, _ in ranks)}, "
              f"in its top three in {sum(r <= 2 for r, _ in ranks)} (mean probability "
              f"{sum(q for _, q in ranks) / len(ranks):.2f})")

    def answer_after_trigger(p, steps, k):
        text = T.policy_prompt(p["question"]) + T.join_steps(steps[: k + 1]) + "\n\n" + trigger.format(n=k + 1)
        _, out = greedy_steps(args.nqkv, args.policy, text)
        return f"The answer is {p['answer']}." in out

    def answer_after_rule(p, steps, k):
        before = T.policy_prompt(p["question"]) + T.join_steps(steps[:k] + [""])  # its heading
        t = trigger.format(n=k + 1)
        again = rethink_leaving_weakest(policy, tok, before, steps[k], t)
        _, out = greedy_steps(args.nqkv, args.policy, before + steps[k] + "\n\n" + t + again + "\n\n")
        return f"The answer is {p['answer']}." in again + out

    alarms = right_solutions[: args.false_alarms]
    for name, after in (("written freely", answer_after_trigger),
                        ("leaving the rejected step's weakest token", answer_after_rule)):
        fixed = sum(after(p, s, k) for p, s, k in wrong)
        broken = sum(not after(p, s, len(s) // 2) for p, s in alarms)
        print(f"oracle, the rethink {name}: a trigger at the first wrong step repairs {fixed} "
              f"of {len(wrong)} answers; one on a right step breaks {broken} of {len(alarms)}")


if __name__ == "__main__":
    main()
