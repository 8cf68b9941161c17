"""Learning-rate schedule fitted to the epochs, or to the time budget when there is one.

Linear warm-up, then cosine decay to FINAL_FRACTION of the base rate at the last planned
step. With a time budget the plan (how many epochs fit) is re-estimated from measured
step and evaluation times after the first steps and after every epoch, and the cosine is
stretched or shrunk to end where the budget does.
"""
import math

FINAL_FRACTION = 0.02
WARMUP_START = 0.02
MAX_WARMUP_SHARE = 0.3


def lr_at(step, total_steps, warmup_steps, base_lr):
    """Learning rate for 0-based `step` of a run planned to `total_steps` steps."""
    if warmup_steps > 0 and step < warmup_steps:
        return base_lr * (WARMUP_START + (1 - WARMUP_START) * (step + 1) / warmup_steps)
    span = max(1, total_steps - warmup_steps)
    p = min(1.0, max(0.0, (step - warmup_steps) / span))
    return base_lr * (FINAL_FRACTION + (1 - FINAL_FRACTION) * 0.5 * (1 + math.cos(math.pi * p)))


class Plan:
    """How many epochs the run will do; `total_steps` drives the cosine."""

    def __init__(self, epochs, steps_per_epoch, warmup_epochs, budget_s, reserve_s):
        self.max_epochs = epochs
        self.spe = steps_per_epoch
        self.warmup_epochs = warmup_epochs
        self.budget_s = budget_s
        self.reserve_s = min(reserve_s, 0.25 * budget_s) if budget_s else 0.0
        self.epochs = epochs

    @property
    def total_steps(self):
        return self.epochs * self.spe

    @property
    def warmup_steps(self):
        w = int(round(self.warmup_epochs * self.spe))
        return min(w, int(MAX_WARMUP_SHARE * self.total_steps))

    def replan(self, elapsed_s, steps_done, sec_per_step, eval_s_per_epoch):
        """Re-fit the number of epochs to the time left; no-op without a budget."""
        if not self.budget_s or sec_per_step <= 0:
            return self.epochs
        left = self.budget_s - self.reserve_s - elapsed_s
        per_step = sec_per_step + eval_s_per_epoch / self.spe
        fit_steps = steps_done + max(0, int(left / per_step))
        current_epoch = steps_done // self.spe + (1 if steps_done % self.spe else 0)
        self.epochs = max(1, min(self.max_epochs, max(current_epoch, fit_steps // self.spe)))
        return self.epochs

    def out_of_time(self, elapsed_s):
        """True when only the reserve for final evaluation and export is left."""
        return bool(self.budget_s) and elapsed_s >= self.budget_s - self.reserve_s

    def eta_s(self, epochs_done, sec_per_epoch, final_s):
        return max(0.0, (self.epochs - epochs_done) * sec_per_epoch) + final_s
