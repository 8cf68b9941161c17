"""Building blocks of a run: device, batches, optimizer, EMA, training step, precise
BatchNorm, evaluation and its schedule, signals. `run.py` puts them together."""
import copy
import math
import os
import random
import signal

import numpy as np
import torch

from . import augment, metrics
from .log import log

#: Seconds kept free at the end of a time budget for the final evaluation and export.
RESERVE_S = {"cpu": 15.0, "cuda": 8.0}
#: Largest forward/backward on CPU (see train_step); the GPU takes the whole batch.
CPU_MICRO_BATCH = 8
GRAD_CLIP = 10.0
#: evalEvery 0 (auto): share of training time that evaluation may take.
EVAL_SHARE = 0.1
#: Training images re-used for the BatchNorm statistics before each evaluation.
RECAL_IMAGES = 64


class StopFlag:
    """Set by SIGTERM/SIGINT; a second signal exits at once."""

    def __init__(self):
        self.is_set = False

    def install(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._handler)

    def _handler(self, signum, frame):
        if self.is_set:
            log("second signal: exiting now")
            os._exit(130)
        self.is_set = True
        log(f"signal {signum}: stopping after the current step")


def pick_device(name):
    if name == "cuda" or (name == "auto" and torch.cuda.is_available()):
        return torch.device("cuda")
    return torch.device("cpu")


def _batches(n, batch, g):
    """Shuffled index chunks of near-equal size (no chunk of 1 unless n == 1), so BatchNorm
    never sees a lone sample from an uneven last batch."""
    perm = torch.randperm(n, generator=g).tolist()
    k = max(1, math.ceil(n / batch))
    if n >= 2 and n // k < 2:
        k = n // 2
    size, extra = divmod(n, k)
    out, i = [], 0
    for j in range(k):
        s = size + (1 if j < extra else 0)
        out.append(perm[i:i + s])
        i += s
    return out


def _param_groups(model, weight_decay):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (no_decay if p.ndim <= 1 else decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def make_optimizer(model, params):
    groups = _param_groups(model, params["weightDecay"])
    if params["optimizer"] == "sgd":
        return torch.optim.SGD(groups, lr=params["lr"], momentum=0.9, nesterov=True)
    return torch.optim.AdamW(groups, lr=params["lr"], betas=(0.9, 0.999))


class ModelEma:
    """Exponential moving average of weights (and BN buffers), the model that is
    evaluated and exported. The decay ramps up so early steps are not averaged away."""

    def __init__(self, model, decay=0.998):
        self.ema = copy.deepcopy(model).eval()
        for p in self.ema.parameters():
            p.requires_grad_(False)
        self.decay = decay
        self.updates = 0
        self._pairs = None

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        if self._pairs is None:
            msd = model.state_dict()
            esd = self.ema.state_dict()
            floats = [k for k, v in esd.items() if v.dtype.is_floating_point]
            self._pairs = ([esd[k] for k in floats], [msd[k] for k in floats],
                           [(esd[k], msd[k]) for k, v in esd.items() if not v.dtype.is_floating_point])
        ema_f, model_f, others = self._pairs
        torch._foreach_mul_(ema_f, d)  # one fused pass instead of ~600 small kernels
        torch._foreach_add_(ema_f, [t.detach() for t in model_f], alpha=1 - d)
        for e, m in others:
            e.copy_(m)


def predict(model, items, device, batch=16):
    """Run the model in eval mode; returns predictions with 0-based class labels."""
    was_training = model.training
    model.eval()
    preds = []
    with torch.no_grad():
        for i in range(0, len(items), batch):
            imgs = [it["image"].to(device, non_blocking=True).float().div_(255) for it in items[i:i + batch]]
            for o in model(imgs):
                preds.append({
                    "boxes": o["boxes"].float().cpu().numpy(),
                    "labels": (o["labels"] - 1).cpu().numpy(),
                    "scores": o["scores"].float().cpu().numpy(),
                })
    model.train(was_training)
    return preds


def evaluate(model, items, device, num_classes):
    preds = predict(model, items, device)
    gts = [{"boxes": it["boxes"].cpu().numpy(), "labels": it["labels"].cpu().numpy()} for it in items]
    res = metrics.evaluate(preds, gts, num_classes)
    res["map50_95"] = metrics.map_50_95(preds, gts, num_classes)
    return res


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


@torch.no_grad()
def recalibrate_bn(model, items, device, batch=16, max_images=RECAL_IMAGES, g=None):
    """Re-estimate BatchNorm running statistics with the current weights (precise BN).

    From scratch the weights move faster than the running averages follow, so eval-mode
    outputs lag far behind the training loss; a few forward passes over un-augmented
    training images fix that before evaluation and export."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not bns or not items:
        return
    saved = [(m.momentum, m.training) for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average over the passes below
    was_training = model.training
    model.train()
    n = min(len(items), max_images)
    order = torch.randperm(len(items), generator=g)[:n].tolist() if g is not None else list(range(n))
    transform = model.transform
    for i in range(0, n, batch):
        chunk = [items[j]["image"].to(device).float().div_(255) for j in order[i:i + batch]]
        if len(chunk) < 2:
            break
        images, _ = transform(chunk)
        feats = model.backbone(images.tensors)
        if hasattr(model, "head"):  # SSD: the head has BN layers too
            feats = list(feats.values()) if isinstance(feats, dict) else feats
            model.head(feats)
        else:  # Faster R-CNN: BN lives in the backbone only
            pass
    for m, (mom, tr) in zip(bns, saved):
        m.momentum = mom
    model.train(was_training)


def train_step(model, opt, batch, strength, g, micro):
    """One optimizer step over `batch` (cached items), in micro-batches of at most `micro`
    images with gradient accumulation: on CPU a forward/backward of 8 images costs a third
    per image of one of 16 (cache-bound), while the step still sees the whole batch.

    Returns ({loss part: float}, total float), or None when the loss was not finite (no
    update is applied then)."""
    n = len(batch)
    k = max(1, math.ceil(n / micro))
    if n >= 2 and n // k < 2:
        k = n // 2
    size, extra = divmod(n, k)
    opt.zero_grad(set_to_none=True)
    parts, total, start = {}, 0.0, 0
    for j in range(k):
        chunk = batch[start:start + size + (1 if j < extra else 0)]
        start += len(chunk)
        imgs, boxes, labels = augment.augment_batch(
            [b["image"] for b in chunk], [b["boxes"] for b in chunk], [b["labels"] for b in chunk], strength, g)
        targets = [{"boxes": bx, "labels": lb + 1} for bx, lb in zip(boxes, labels)]
        loss_dict = model(imgs, targets)
        loss = sum(loss_dict.values())
        if not torch.isfinite(loss):
            opt.zero_grad(set_to_none=True)
            return None
        (loss * (len(chunk) / n)).backward()
        for key, v in loss_dict.items():
            parts[key] = parts.get(key, 0.0) + float(v.detach()) * len(chunk) / n
        total += float(loss.detach()) * len(chunk) / n
    torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
    opt.step()
    return parts, total


class EvalSchedule:
    """When to evaluate. evalEvery N > 0: every N epochs. 0 (auto): whenever the time spent
    evaluating stays within EVAL_SHARE of the training time so far. Always on the last
    planned epoch and when a run ends early (time budget), so best.pt sees the end."""

    def __init__(self, every, n_val, n_recal):
        self.every = every
        self.n_val = n_val
        self.n_recal = n_recal
        self.eval_s = 0.0
        self.train_s = 0.0
        self.last_eval_s = None
        self.count = 0

    def add_train(self, seconds):
        self.train_s += seconds

    def add_eval(self, seconds):
        self.eval_s += seconds
        self.last_eval_s = seconds
        self.count += 1

    def due(self, epoch, final, sec_per_img):
        if self.n_val == 0:
            return False
        if final:
            return True
        if self.every > 0:
            return epoch % self.every == 0
        est = self.last_eval_s
        if est is None:  # forward only, about a third of a training image
            est = (self.n_val + self.n_recal) * sec_per_img / 3
        return self.eval_s + est <= EVAL_SHARE * self.train_s

    def per_epoch(self, epochs_done):
        return self.eval_s / epochs_done if epochs_done else 0.0
