"""The training loop the policy and the PRM share: AdamW with warm-up and a cosine schedule
over a time budget. Batches are built on the CPU, by the loop itself or, on a GPU where the
model would wait for them, by worker processes."""
import math
import random
import time

import torch
import torch.nn.functional as F


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def pad(batch, fill):
    n = max(len(x) for x in batch)
    return torch.tensor([x + [fill] * (n - len(x)) for x in batch])


class _Batches(torch.utils.data.IterableDataset):
    """Endless batches from make(); each worker reseeds the recipe's generators first, so that
    workers do not build the same batches."""

    def __init__(self, make, reseed, seed):
        super().__init__()
        self.make, self.reseed, self.seed = make, reseed, seed

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        if info is not None:
            self.reseed(self.seed * 1000 + info.id)
        while True:
            yield self.make()


def batch_source(make, workers=0, reseed=None, seed=0):
    """A function returning the next batch: make() itself, or batches from worker processes."""
    if workers <= 0:
        return make
    loader = torch.utils.data.DataLoader(
        _Batches(make, reseed or random.seed, seed), batch_size=None, num_workers=workers,
        prefetch_factor=4, multiprocessing_context="fork")
    it = iter(loader)
    return lambda: next(it)


def _to(batch, device):
    return tuple(x.to(device, non_blocking=True) if torch.is_tensor(x) else x for x in batch)


def train_loop(model, next_batch, loss_of, minutes, lr_max, name, history):
    device = model.embed.weight.device
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() == 2]
    rest = [p for p in params if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                             {"params": rest, "weight_decay": 0.0}],
                            lr=lr_max, betas=(0.9, 0.95))
    budget = minutes * 60
    t0 = time.time()
    step, avg = 0, None
    while time.time() - t0 < budget:
        frac = (time.time() - t0) / budget
        lr = lr_max * min(1.0, (step + 1) / 100) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        loss = loss_of(model, _to(next_batch(), device))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        avg = loss.item() if avg is None else 0.98 * avg + 0.02 * loss.item()
        step += 1
        if step % 50 == 0:
            log(f"{name} step {step} loss {avg:.4f} lr {lr:.2e} {time.time() - t0:.0f}s")
            history.append({"model": name, "step": step, "loss": round(avg, 5),
                            "seconds": round(time.time() - t0)})
    return step


def lm_loss(model, batch):
    ids, mask = batch
    logits = model(ids[:, :-1])
    target = ids[:, 1:].masked_fill(mask[:, 1:] == 0, -100)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1),
                           ignore_index=-100)
