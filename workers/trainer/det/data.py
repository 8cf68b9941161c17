"""Manifest reading, the train/val split and the in-memory image cache.

Every image is decoded once, resized to the size the model's own transform would give it
and kept as a uint8 [3,h,w] tensor, so the training loop never touches files or PIL.
Boxes are kept in the cached image's pixels; `scale` maps them back to the file's pixels.
"""
import hashlib
import json
import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch
from PIL import Image
from .log import log


class ManifestError(ValueError):
    """The manifest is unusable; `message` says how to fix it."""


def load_manifest(path):
    """Parse and check the manifest; return (classes, images) with boxes as float lists."""
    try:
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        raise ManifestError(f"cannot read manifest {path}: {e}")
    if not isinstance(m, dict) or not isinstance(m.get("classes"), list) or not isinstance(m.get("images"), list):
        raise ManifestError("manifest must be an object with 'classes' and 'images' arrays")
    classes = m["classes"]
    if not classes:
        raise ManifestError("manifest has no classes")
    ids = []
    for c in classes:
        if not isinstance(c, dict) or not isinstance(c.get("id"), int) or not isinstance(c.get("key"), str):
            raise ManifestError(f"bad class entry {c!r}: need {{id:int, key:str}}")
        ids.append(c["id"])
    if sorted(ids) != list(range(len(ids))):
        raise ManifestError(f"class ids must be 0..{len(ids) - 1} without gaps, got {ids}")
    classes = sorted(({"id": c["id"], "key": c["key"]} for c in classes), key=lambda c: c["id"])
    images = []
    for n, im in enumerate(m["images"]):
        if not isinstance(im, dict) or not isinstance(im.get("path"), str):
            raise ManifestError(f"images[{n}] needs a 'path' string")
        split = im.get("split")
        if split not in (None, "train", "val"):
            raise ManifestError(f"images[{n}].split must be 'train', 'val' or absent, got {split!r}")
        boxes = []
        for k, b in enumerate(im.get("boxes") or []):
            try:
                cid = b["classId"]
                xy = [float(b[key]) for key in ("x1", "y1", "x2", "y2")]
            except (KeyError, TypeError, ValueError):
                raise ManifestError(f"images[{n}].boxes[{k}] needs classId, x1, y1, x2, y2")
            if not isinstance(cid, int) or not (0 <= cid < len(classes)):
                raise ManifestError(f"images[{n}].boxes[{k}].classId {cid!r} is not a class id")
            if not all(math.isfinite(v) for v in xy):
                raise ManifestError(f"images[{n}].boxes[{k}] has a non-finite coordinate")
            boxes.append((cid, xy))
        images.append({"path": im["path"], "width": im.get("width"), "height": im.get("height"),
                       "split": split, "boxes": boxes})
    if not images:
        raise ManifestError("manifest has no images")
    return classes, images


def _hash01(seed, path):
    h = hashlib.sha256(f"{seed}:{path}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2.0**64


def split_images(images, val_split, seed):
    """Return (train_idx, val_idx).

    An image's own `split` wins. The others are split deterministically: grouped by the
    set of classes they contain (so every capture combo lands in both splits when it can),
    ordered by sha256(f"{seed}:{path}"), and the first round(len * valSplit) of each group
    go to val. At least one image stays in train, and one goes to val when there are two
    or more images and none was given a split.
    """
    train, val, free = [], [], []
    for i, im in enumerate(images):
        (train if im["split"] == "train" else val if im["split"] == "val" else free).append(i)
    groups = {}
    for i in free:
        key = tuple(sorted({c for c, _ in images[i]["boxes"]}))
        groups.setdefault(key, []).append(i)
    # largest-remainder allocation so the total matches round(len(free) * val_split)
    want_total = int(round(len(free) * val_split))
    keys = sorted(groups)
    quota = {k: len(groups[k]) * val_split for k in keys}
    alloc = {k: int(math.floor(quota[k])) for k in keys}
    rest = want_total - sum(alloc.values())
    for k in sorted(keys, key=lambda k: (-(quota[k] - alloc[k]), k))[:max(0, rest)]:
        alloc[k] += 1
    for k in keys:
        members = sorted(groups[k], key=lambda i: _hash01(seed, images[i]["path"]))
        val.extend(members[:alloc[k]])
        train.extend(members[alloc[k]:])
    if not train and len(val) > 1:
        train.append(val.pop())
    if not val and len(train) > 1 and free:
        cand = [i for i in train if i in set(free)]
        pick = min(cand, key=lambda i: _hash01(seed, images[i]["path"]))
        train.remove(pick)
        val.append(pick)
    return sorted(train), sorted(val)


def target_size(model_name, img_size, w, h):
    """(width, height) the model's internal transform resizes a w×h image to."""
    if model_name == "ssdlite":
        return img_size, img_size  # SSD resizes to a fixed square, aspect not kept
    # Faster R-CNN: shorter side to img_size, longer side at most 2*img_size
    scale = min(img_size / min(w, h), 2 * img_size / max(w, h))
    return max(1, int(round(w * scale))), max(1, int(round(h * scale)))


def _load_one(im, model_name, img_size):
    with Image.open(im["path"]) as f:
        w, h = f.size
        tw, th = target_size(model_name, img_size, w, h)
        if f.format == "JPEG":
            f.draft("RGB", (tw, th))  # DCT-domain downscale: big photos decode 2-8x faster
        img = f.convert("RGB")
        img = img.resize((tw, th), Image.BILINEAR)
    arr = np.asarray(img, dtype=np.uint8).copy()
    t = torch.from_numpy(arr).permute(2, 0, 1).contiguous()
    sx, sy = tw / w, th / h
    boxes, labels = [], []
    for cid, (x1, y1, x2, y2) in im["boxes"]:
        x1, x2 = sorted((min(max(x1, 0.0), w), min(max(x2, 0.0), w)))
        y1, y2 = sorted((min(max(y1, 0.0), h), min(max(y2, 0.0), h)))
        if x2 - x1 < 1 or y2 - y1 < 1:
            continue
        boxes.append([x1 * sx, y1 * sy, x2 * sx, y2 * sy])
        labels.append(cid)
    return {
        "image": t,
        "boxes": torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4),
        "labels": torch.tensor(labels, dtype=torch.int64),
        "orig": (w, h),
        "mismatch": (im.get("width") not in (None, w)) or (im.get("height") not in (None, h)),
    }


def build_cache(images, indices, model_name, img_size, threads):
    """Decode and resize the given images in parallel; unreadable ones are skipped.

    Returns (items, skipped_paths). Each item: image uint8 [3,h,w], boxes float [k,4]
    in cached pixels, labels int64 [k] (manifest class ids), orig (w, h).
    """
    def job(i):
        try:
            return i, _load_one(images[i], model_name, img_size), None
        except Exception as e:  # noqa: BLE001 - any decode failure skips the image
            return i, None, f"{type(e).__name__}: {e}"

    items, skipped = [], []
    with ThreadPoolExecutor(max_workers=max(1, threads)) as ex:
        for i, item, err in ex.map(job, indices):
            if item is None:
                log(f"[trainer] skipping unreadable image {images[i]['path']}: {err}")
                skipped.append(images[i]["path"])
                continue
            if item["mismatch"]:
                log(f"[trainer] {images[i]['path']}: manifest size differs from the file; using the file's pixels")
            items.append(item)
    return items, skipped
