"""What last-run.json records of a run. A run may go on from the files of earlier ones (the
PRM kept or continued, the policy kept or fine-tuned again), so the record carries what made
each model, nested as far back as the chain goes."""

# What last-run.json says about the PRM's training, carried over by --keep-prm.
PRM_RUN_KEYS = ["prm_minutes", "prm_dense_weight", "prm_lr", "prm_doubt", "prm_drill", "prm_start",
                "prm_arith_first", "prm_drill_kinds", "prm_careful", "prm_layout",
                "sampled_solutions", "sample_temperature", "sampled_wrong_steps", "sampled_steps",
                "prm_stream_seed", "prm_continued_from"]

# What it says about the policy's last fine-tune, carried over by a run that keeps the policy.
POLICY_FINETUNE_KEYS = ["policy_finetune_steps", "policy_finetune_minutes", "policy_lr",
                        "own_mistakes", "own_temperature", "own_share", "rethink_share",
                        "careful_rethinks", "rethink_only", "policy_stream_seed",
                        "policy_continued_from"]


def continued_from(before):
    """What last-run.json said of the PRM a --prm-start prm run went on from."""
    keys = PRM_RUN_KEYS + ["prm_steps", "prm_step_auroc", "prm_greedy_mistake_auroc"]
    out = {k: before[k] for k in keys if k in before}
    out["history"] = [h for h in before.get("history", []) if h["model"] == "prm"]
    return out


def policy_stream_seed(before):
    # Records older than the key: the last run trained the policy where its stream seed is
    # not the PRM's.
    if "policy_stream_seed" in before:
        return before["policy_stream_seed"]
    if before.get("stream_seed") != before.get("prm_stream_seed"):
        return before.get("stream_seed")
    return None


def policy_finetuned_before(before):
    """What last-run.json said of the fine-tune a further --resume-policy run went on from."""
    out = {k: before[k] for k in POLICY_FINETUNE_KEYS if k in before}
    out["policy_stream_seed"] = policy_stream_seed(before)
    out["greedy_wrong_of_150"] = before.get("greedy_wrong_of_150")
    return out


def run_record(args, previous, measured):
    """The record of this run: its options, `measured` (steps, sample counts, AUROCs,
    history) and, from `previous` (the record of the run whose files it went on from), what
    made the models it kept."""
    run = dict(measured)
    run.update({
        "batch": args.batch, "prm_minutes": args.prm_minutes,
        "prm_dense_weight": args.prm_dense_weight, "prm_lr": args.prm_lr,
        "prm_doubt": args.prm_doubt, "prm_drill": args.prm_drill, "prm_start": args.prm_start,
        "prm_arith_first": args.prm_arith_first, "prm_drill_kinds": args.prm_drill_kinds,
        "prm_careful": args.prm_careful, "prm_layers": args.prm_layers,
        "prm_layout": args.prm_layout})
    if not args.keep_prm:
        run["prm_stream_seed"] = measured["stream_seed"]
    if args.resume_policy:
        run["policy_minutes"] = previous.get("policy_minutes", args.policy_minutes)
    else:
        run["policy_minutes"] = args.policy_minutes
    if args.policy_minutes or not args.resume_policy:  # the policy trained in this run
        run.update({"policy_lr": args.policy_lr, "rethink_share": args.rethink_share,
                    "careful_rethinks": args.careful_rethinks,
                    "own_temperature": args.own_temperature, "own_share": args.own_share,
                    "rethink_only": args.rethink_only,
                    "policy_stream_seed": measured["stream_seed"],
                    "policy_finetune_minutes": args.policy_minutes if args.resume_policy else 0})
        if args.resume_policy and previous.get("policy_finetune_steps"):
            run["policy_continued_from"] = policy_finetuned_before(previous)
    elif args.resume_policy:  # the policy kept as it was
        kept = {k: previous[k] for k in POLICY_FINETUNE_KEYS if k in previous}
        kept["policy_stream_seed"] = policy_stream_seed(previous)
        kept["own_mistakes"] = previous.get("own_mistakes", 0)
        run.update(kept)
    if args.keep_prm:  # the PRM's own run
        run.update({k: previous[k] for k in PRM_RUN_KEYS if k in previous})
    elif args.prm_start == "prm":  # the run this PRM went on from, and where it stood then
        run["prm_continued_from"] = continued_from(previous)
    return run
