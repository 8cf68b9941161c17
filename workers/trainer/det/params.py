"""Training parameters: defaults, validation and resolution.

Every field is checked; the first bad one raises `ParamError(field, message)`, which the
CLI turns into one `{"type":"error","code":"bad-params",...}` line and exit code 2.
Unknown fields are rejected too (a typo must not silently fall back to a default); a
field given as null takes its default.
"""
import math
import os

MODELS = ("ssdlite", "frcnn")
OPTIMIZERS = ("sgd", "adamw")
DEVICES = ("auto", "cpu", "cuda")

#: Defaults, chosen by measurement on the synthetic rig set (see README.md).
#: `lr: None` resolves per optimizer in `resolve()`.
DEFAULTS = {
    "model": "ssdlite",
    "epochs": 60,
    "batch": None,
    "lr": None,
    "optimizer": "adamw",
    "weightDecay": 0.0005,
    "warmupEpochs": 2,
    "augment": 0.5,
    "valSplit": 0.2,
    "seed": 0,
    "patience": 0,
    "timeBudgetS": 0,
    "imgSize": 320,
    "init": None,
    "evalEvery": 0,
    "device": "auto",
    "threads": 0,
    "workers": 0,
}

#: Batch used when `batch` is null, per device: on CPU 8 trains fastest per image and per
#: epoch; on a GPU a step costs about the same at 16, so 16 sees twice the images.
DEFAULT_BATCH = {"cpu": 8, "cuda": 16}

#: Learning rate used when `lr` is null: per optimizer, from scratch / fine-tuning (`init`).
DEFAULT_LR = {"sgd": (0.05, 0.02), "adamw": (0.003, 0.001)}


class ParamError(ValueError):
    """A parameter the caller can fix; `field` names it as given in the params JSON."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _is_int(v):
    return (isinstance(v, int) and not isinstance(v, bool)) or (_is_number(v) and float(v).is_integer())


def _num(p, field, lo, hi):
    v = p[field]
    if not _is_number(v) or not (lo <= v <= hi):
        raise ParamError(field, f"{field} must be a number in [{lo}, {hi}], got {v!r}")
    return float(v)


def _int(p, field, lo, hi):
    v = p[field]
    if not _is_int(v) or not (lo <= v <= hi):
        raise ParamError(field, f"{field} must be an integer in [{lo}, {hi}], got {v!r}")
    return int(v)


def _choice(p, field, choices):
    v = p[field]
    if v not in choices:
        raise ParamError(field, f"{field} must be one of {', '.join(choices)}, got {v!r}")
    return v


def validate(raw):
    """Return a complete, validated params dict (defaults filled in, `lr` resolved).

    Raises ParamError on the first bad or unknown field.
    """
    if not isinstance(raw, dict):
        raise ParamError("", "params must be a JSON object")
    for k in raw:
        if k not in DEFAULTS:
            raise ParamError(k, f"unknown parameter {k!r}; known: {', '.join(DEFAULTS)}")
    p = dict(DEFAULTS)
    p.update({k: v for k, v in raw.items() if v is not None or k in ("lr", "init", "batch")})
    out = {}
    out["model"] = _choice(p, "model", MODELS)
    out["epochs"] = _int(p, "epochs", 1, 300)
    out["batch"] = None if p["batch"] is None else _int(p, "batch", 1, 64)  # None: per device
    out["optimizer"] = _choice(p, "optimizer", OPTIMIZERS)
    lr_given = p["lr"] is not None
    if lr_given:
        out["lr"] = _num(p, "lr", 1e-5, 1.0)
    out["weightDecay"] = _num(p, "weightDecay", 0.0, 0.1)
    out["warmupEpochs"] = _num(p, "warmupEpochs", 0.0, 10.0)
    out["augment"] = _num(p, "augment", 0.0, 1.0)
    out["valSplit"] = _num(p, "valSplit", 0.05, 0.5)
    out["seed"] = _int(p, "seed", 0, 2**31 - 1)
    out["patience"] = _int(p, "patience", 0, 300)
    out["timeBudgetS"] = _num(p, "timeBudgetS", 0.0, 7 * 24 * 3600.0)
    out["imgSize"] = _int(p, "imgSize", 128, 1024)
    if out["imgSize"] % 32:
        raise ParamError("imgSize", f"imgSize must be a multiple of 32, got {out['imgSize']}")
    init = p["init"]
    if init is not None:
        if not isinstance(init, str) or not init:
            raise ParamError("init", f"init must be a checkpoint path or null, got {init!r}")
        if not os.path.isfile(init):
            raise ParamError("init", f"init checkpoint not found: {init}")
    out["init"] = init
    if not lr_given:
        out["lr"] = DEFAULT_LR[out["optimizer"]][1 if init else 0]
    out["evalEvery"] = _int(p, "evalEvery", 0, 300)
    out["device"] = _choice(p, "device", DEVICES)
    out["threads"] = _int(p, "threads", 0, 256)
    out["workers"] = _int(p, "workers", 0, 16)
    return out
