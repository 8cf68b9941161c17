#!/usr/bin/python3
"""Quick evaluation of a detector checkpoint the way pre-labels use it.

    /usr/bin/python3 workers/trainer/base/evaluate.py --model workers/trainer/base/ssdlite-rig.pt \
        [--real ../shared/data/real-gauges --from 58] [--synth DIR_WITH_manifest.json] [--json OUT]

A proposal is what the product shows: the model's detections with score >= 0.3 after a
class-agnostic NMS at IoU 0.5 (`vision/detector` DETECT_DEFAULTS). The photo is resized
with PIL bilinear to the model's square input and the boxes are scaled back, as the
detector does with sharp.

Real photos (`real-gauges`, measured on g058+ only, the first half may be trained on):
  the set has one class, `pointer_gauge`, so any gauge class (gauge_normal /
  gauge_abnormal) counts; a `digital` box on a pointer gauge is a false box.
  - recall@0.5: share of GT gauges with a proposal at IoU >= 0.5 (greedy, by score);
  - mean IoU of the matched boxes;
  - false boxes / photo: proposals matching no GT at IoU >= 0.5 and not mainly (>= 50 %
    of their area) inside an `ignore.tsv` region;
  - part boxes / photo: false boxes that lie mostly (>= 70 % of their area) inside a GT
    gauge box or touch it from below (a half dial, a stem, a fitting);
  - one-tap share: every GT matched at IoU >= 0.9 and no false box (the `prelabel`
    bench's definition, class-agnostic among gauge classes).
Synthetic photos (a manifest from `vision/synth/cli.ts`): the same numbers, classes must
match (the `prelabel` bench's definition: IoU >= 0.9, right class, nothing extra).
"""
import argparse
import glob
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402
from torchvision.ops import box_iou, nms  # noqa: E402

from det import models  # noqa: E402

SCORE = 0.3
NMS_IOU = 0.5
GAUGE_KEYS = ("gauge_normal", "gauge_abnormal")


def load_model(path, threads):
    torch.set_num_threads(threads)
    ck = models.load_checkpoint(path)
    size = int(ck["imgSize"])
    m = models.build(ck["model"], len(ck["classes"]), size)
    models.apply_init(m, ck["model"], ck["classes"], ck)
    m.eval()
    return m, size, [c["key"] for c in ck["classes"]]


def propose(model, size, path):
    """Proposals in the photo's pixels: list of (x1,y1,x2,y2), class id, score."""
    with Image.open(path) as f:
        w, h = f.size
        img = f.convert("RGB").resize((size, size), Image.BILINEAR)
    x = torch.from_numpy(np.asarray(img, dtype=np.uint8).copy()).permute(2, 0, 1).float().div_(255)
    t0 = time.perf_counter()
    with torch.no_grad():
        out = model([x])[0]
    ms = (time.perf_counter() - t0) * 1000
    keep = out["scores"] >= SCORE
    boxes, scores, labels = out["boxes"][keep], out["scores"][keep], out["labels"][keep] - 1
    k = nms(boxes, scores, NMS_IOU)
    boxes, scores, labels = boxes[k], scores[k], labels[k]
    boxes = boxes * torch.tensor([w / size, h / size, w / size, h / size])
    return boxes, labels, scores, ms


def _inside_share(a, b):
    """Share of box a's area inside box b."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    area = max(1e-9, (a[2] - a[0]) * (a[3] - a[1]))
    return ix * iy / area


def score_photo(boxes, labels, gt, gt_cls, ignore, ok_class):
    """Greedy matching by score. Returns dict of per-photo counts."""
    n = len(gt)
    matched_iou = [None] * n
    false, part = 0, 0
    gt_t = torch.tensor(gt, dtype=torch.float32).reshape(-1, 4)
    for i in range(len(boxes)):
        b = boxes[i:i + 1]
        ious = box_iou(b, gt_t)[0] if n else torch.zeros(0)
        best, bj = 0.0, -1
        for j in range(n):
            if matched_iou[j] is None and ok_class(int(labels[i]), gt_cls[j]) and float(ious[j]) > best:
                best, bj = float(ious[j]), j
        if bj >= 0 and best >= 0.5:
            matched_iou[bj] = best
            continue
        bb = b[0].tolist()
        if any(_inside_share(bb, r) >= 0.5 for r in ignore):
            continue
        false += 1
        for g in gt:
            below = bb[1] >= g[1] + 0.5 * (g[3] - g[1]) and bb[1] <= g[3] + 0.1 * (g[3] - g[1]) \
                and _inside_share(bb, [g[0] - 0.1 * (g[2] - g[0]), g[1], g[2] + 0.1 * (g[2] - g[0]), 1e9]) >= 0.7
            if _inside_share(bb, g) >= 0.7 or below:
                part += 1
                break
    hits = [v for v in matched_iou if v is not None]
    one_tap = false == 0 and all(v is not None and v >= 0.9 for v in matched_iou)
    return {"gt": n, "hits": len(hits), "ious": hits, "false": false, "part": part, "oneTap": one_tap}


def summarise(rows, ms):
    gt = sum(r["gt"] for r in rows)
    ious = [v for r in rows for v in r["ious"]]
    return {
        "photos": len(rows),
        "gt": gt,
        "recall50": round(sum(r["hits"] for r in rows) / max(1, gt), 3),
        "meanIoU": round(float(np.mean(ious)), 3) if ious else None,
        "falsePerPhoto": round(sum(r["false"] for r in rows) / max(1, len(rows)), 3),
        "partPerPhoto": round(sum(r["part"] for r in rows) / max(1, len(rows)), 3),
        "oneTap": round(sum(r["oneTap"] for r in rows) / max(1, len(rows)), 3),
        "msMedian": round(float(np.median(ms)), 1) if ms else None,
    }


def eval_real(model, size, keys, root, first, last=999, verbose=False):
    gauge_ids = {keys.index(k) for k in GAUGE_KEYS if k in keys}
    ignore = {}
    ig_path = os.path.join(root, "ignore.tsv")
    if os.path.exists(ig_path):
        for line in open(ig_path, encoding="utf-8").read().splitlines()[1:]:
            p = line.split("\t")
            ignore.setdefault(p[0], []).append([float(v) for v in p[1:5]])
    rows, ms, per = [], [], {}
    for img in sorted(glob.glob(os.path.join(root, "images", "g*.jpg"))):
        name = os.path.basename(img)
        num = int(name[1:4])
        if not (first <= num <= last):
            continue
        with Image.open(img) as f:
            w, h = f.size
        gt = []
        for line in open(os.path.join(root, "labels", name[:-4] + ".txt"), encoding="utf-8").read().split("\n"):
            if line.strip():
                _, cx, cy, bw, bh = (float(v) for v in line.split())
                gt.append([(cx - bw / 2) * w, (cy - bh / 2) * h, (cx + bw / 2) * w, (cy + bh / 2) * h])
        boxes, labels, _, t = propose(model, size, img)
        ms.append(t)
        r = score_photo(boxes, labels, gt, [0] * len(gt), ignore.get(name, []), lambda p, g: p in gauge_ids)
        rows.append(r)
        per[name] = {"hits": r["hits"], "gt": r["gt"], "ious": [round(v, 2) for v in r["ious"]], "false": r["false"],
                     "oneTap": r["oneTap"]}
        if verbose:
            print(name, per[name], file=sys.stderr)
    return summarise(rows, ms), per


def eval_synth(model, size, keys, manifest):
    m = json.load(open(manifest, encoding="utf-8"))
    mkeys = {c["id"]: c["key"] for c in m["classes"]}
    rows, ms = [], []
    for im in m["images"]:
        boxes, labels, _, t = propose(model, size, im["path"])
        ms.append(t)
        gt = [[b["x1"], b["y1"], b["x2"], b["y2"]] for b in im["boxes"]]
        gt_cls = [mkeys[b["classId"]] for b in im["boxes"]]
        rows.append(score_photo(boxes, labels, gt, gt_cls, [], lambda p, g: keys[p] == g))
    return summarise(rows, ms)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="a trainer checkpoint (.pt)")
    ap.add_argument("--real", default=os.path.join(os.path.dirname(__file__), "../../../../shared/data/real-gauges"))
    ap.add_argument("--from", dest="first", type=int, default=58, help="first real photo number measured")
    ap.add_argument("--to", dest="last", type=int, default=999)
    ap.add_argument("--synth", help="folder with a synthetic manifest.json")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json", help="write the result here")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    model, size, keys = load_model(a.model, a.threads)
    out = {"model": a.model, "imgSize": size}
    if a.real and os.path.isdir(a.real):
        out["real"], per = eval_real(model, size, keys, os.path.abspath(a.real), a.first, a.last, a.verbose)
        out["realPerPhoto"] = per
    if a.synth:
        out["synth"] = eval_synth(model, size, keys, os.path.join(a.synth, "manifest.json"))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1)
    print(json.dumps({k: v for k, v in out.items() if k != "realPerPhoto"}))


if __name__ == "__main__":
    main()
