"""Model construction and checkpoints (best.pt / last.pt, loadable as `init`).

Checkpoint = {"format": "trainer-copilot/1", "meta": JSON string, "state_dict": tensors}
so that `torch.load(..., weights_only=True)` reads it on torch 1.13 (whose safe unpickler
rejects Python floats) and 2.x alike. meta = {model, imgSize, classes [{id,key}], params,
epoch, valMap50, dtype ("float32" or "float16")}. `load_checkpoint` returns the meta
fields merged with state_dict.
torchvision detectors reserve label 0 for background: manifest class id k is model label
k + 1 everywhere inside this package, and the ONNX wrapper subtracts 1 again.
"""
import json
import os
import re

import torch
from torch import nn
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn, ssdlite320_mobilenet_v3_large

FORMAT = "trainer-copilot/1"
_SSD_CLS_CONV = re.compile(r"module_list\.\d+\.1\.(weight|bias)$")
SCORE_THRESH = 0.05
DETECTIONS_PER_IMG = 100


class InitError(ValueError):
    """The `init` checkpoint cannot be used; reported as bad-params on field init."""


def build(model_name, num_classes, img_size):
    """A fresh detector for `num_classes` manifest classes (+1 background), no downloads."""
    if model_name == "ssdlite":
        m = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=num_classes + 1)
        t = m.transform
        t.fixed_size = (img_size, img_size)
        t.min_size = (img_size,)
        t.max_size = img_size
        m.score_thresh = SCORE_THRESH
        m.detections_per_img = DETECTIONS_PER_IMG
        # Running BN statistics must keep up with weights that move fast from scratch
        # over a few hundred steps; torchvision's 0.03 lags and hurts eval-mode accuracy.
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.momentum = 0.1
    elif model_name == "frcnn":
        m = fasterrcnn_mobilenet_v3_large_320_fpn(
            weights=None, weights_backbone=None, num_classes=num_classes + 1,
            min_size=img_size, max_size=2 * img_size,
            box_score_thresh=SCORE_THRESH, box_detections_per_img=DETECTIONS_PER_IMG,
        )
    else:
        raise ValueError(f"unknown model {model_name}")
    return m


def _head_keys(model_name):
    """State-dict key prefixes whose tensors depend on the class count."""
    if model_name == "ssdlite":
        return ("head.classification_head.",)
    return ("roi_heads.box_predictor.",)


def _permute_head(model_name, key, tensor, perm):
    """Reorder class rows of a head tensor. perm[new_label] = old_label (labels incl. bg)."""
    k = len(perm)
    if model_name == "ssdlite":
        # last conv of each SSDLite classification block: out channels = anchors * classes
        if _SSD_CLS_CONV.search(key):
            a = tensor.shape[0] // k
            v = tensor.reshape(a, k, *tensor.shape[1:])
            return v[:, perm].reshape(tensor.shape)
        return tensor
    if key.startswith("roi_heads.box_predictor.cls_score"):
        return tensor[perm]
    if key.startswith("roi_heads.box_predictor.bbox_pred"):
        return tensor.reshape(k, 4, *tensor.shape[1:])[perm].reshape(tensor.shape)
    return tensor


def load_checkpoint(path):
    try:
        try:
            ck = torch.load(path, map_location="cpu", weights_only=True)
        except TypeError:  # torch < 1.13 has no weights_only
            ck = torch.load(path, map_location="cpu")
    except Exception as e:  # noqa: BLE001
        raise InitError(f"cannot read checkpoint {path}: {type(e).__name__}: {e}")
    if not isinstance(ck, dict) or ck.get("format") != FORMAT or "state_dict" not in ck:
        raise InitError(f"{path} is not a trainer checkpoint (format {FORMAT})")
    try:
        meta = json.loads(ck["meta"])
    except (KeyError, TypeError, ValueError) as e:
        raise InitError(f"{path}: checkpoint meta unreadable: {e}")
    return {**meta, "state_dict": ck["state_dict"]}


def apply_init(model, model_name, classes, ck):
    """Load checkpoint weights into `model` for fine-tuning.

    Same class keys (in any order): everything is loaded, head rows reordered by key.
    Otherwise the class-dependent head stays freshly initialised and the rest is loaded.
    Returns a short description for the log.
    """
    if ck.get("model") != model_name:
        raise InitError(f"checkpoint is for model {ck.get('model')!r}, params ask for {model_name!r}")
    sd = {k: (v.float() if v.is_floating_point() else v) for k, v in ck["state_dict"].items()}
    old_keys = [c["key"] for c in ck.get("classes", [])]
    new_keys = [c["key"] for c in classes]
    head = _head_keys(model_name)
    if sorted(old_keys) == sorted(new_keys) and old_keys:
        perm = [0] + [old_keys.index(k) + 1 for k in new_keys]
        sd = {k: (_permute_head(model_name, k, v, perm) if k.startswith(head) else v) for k, v in sd.items()}
        how = "all weights" + ("" if old_keys == new_keys else " (head rows reordered by class key)")
    elif len(old_keys) == len(new_keys):
        how = "all weights (same class count, different keys: head kept as is)"
    else:
        # the class-count-dependent tensors fail the shape check below and stay fresh
        how = f"all but the class outputs; those re-initialised ({len(old_keys)} -> {len(new_keys)} classes)"
    own = model.state_dict()
    usable = {k: v for k, v in sd.items() if k in own and own[k].shape == v.shape}
    skipped = [k for k in sd if k not in usable]
    model.load_state_dict(usable, strict=False)
    if skipped:
        how += f"; {len(skipped)} tensors skipped for shape/name mismatch"
    return how


def save_checkpoint(path, model, model_name, img_size, classes, params, epoch, val_map, half=False):
    sd = {}
    for k, v in model.state_dict().items():
        v = v.detach().to("cpu")
        sd[k] = v.half() if (half and v.is_floating_point()) else v.clone()
    meta = {
        "model": model_name,
        "imgSize": img_size,
        "classes": [{"id": c["id"], "key": c["key"]} for c in classes],
        "params": params,
        "epoch": epoch,
        "valMap50": val_map,
        "dtype": "float16" if half else "float32",
    }
    ck = {"format": FORMAT, "meta": json.dumps(meta), "state_dict": sd}
    tmp = f"{path}.tmp"
    torch.save(ck, tmp)
    os.replace(tmp, path)
