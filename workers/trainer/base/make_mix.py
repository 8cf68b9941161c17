#!/usr/bin/python3
"""Build the base model's training manifest: synthetic rig photos + real photos (the
first half of `real-gauges` only) + cut-and-paste composites of real gauge crops.

    /usr/bin/python3 workers/trainer/base/make_mix.py --synth workers/trainer/.data/rig300 \
        --real ../shared/data/real-gauges --last 57 --out workers/trainer/.data/mix [--seed 1]

- Synthetic: every image of `--synth/manifest.json` with its classes (the exam's three).
- Real: `gNNN.jpg` with NNN <= `--last` (never the measurement half, g058+). The set has
  one class, pointer_gauge; it is labelled `gauge_normal` (a product photo's needle rests
  at zero, inside the normal zone). Each photo is listed `--real-repeat` times: the
  trainer augments every pass differently. `--real-val` photos (the last of the half) go
  to val.
- Composites (`--composites` images, 640x480): a synthetic rig photo as the background
  (its own meters keep their labels unless covered), and 1-2 real gauges cut from the
  first-half photos with an elliptical, feathered mask (the gauge's round case is the
  box's inscribed ellipse), scaled to 20-75 % of the frame height, squeezed up to
  +-25 % (perspective), blurred or sharpened a little. Labelled `gauge_normal`, box =
  the pasted ellipse's bounds. Some also get the real stem/fitting region under the gauge
  pasted below it, unlabelled, so boxes learn to stop at the case.
Photos of real-gauges are CC BY 4.0 (Roboflow Universe "Pressure Gauges" v2, amecproject;
see its README): composites made from them carry the same attribution.
"""
import argparse
import glob
import json
import os
import random

from PIL import Image, ImageDraw, ImageFilter


def real_boxes(root, name, w, h):
    out = []
    for line in open(os.path.join(root, "labels", name[:-4] + ".txt"), encoding="utf-8").read().split("\n"):
        if line.strip():
            _, cx, cy, bw, bh = (float(v) for v in line.split())
            out.append([(cx - bw / 2) * w, (cy - bh / 2) * h, (cx + bw / 2) * w, (cy + bh / 2) * h])
    return out


def ellipse_mask(w, h, feather):
    m = Image.new("L", (w, h), 0)
    ImageDraw.Draw(m).ellipse([0, 0, w - 1, h - 1], fill=255)
    return m.filter(ImageFilter.GaussianBlur(feather)) if feather > 0 else m


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synth", required=True)
    ap.add_argument("--real", required=True)
    ap.add_argument("--last", type=int, default=57)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--real-repeat", type=int, default=3)
    ap.add_argument("--real-val", type=int, default=6)
    ap.add_argument("--synth-val", type=int, default=30)
    ap.add_argument("--composites", type=int, default=200)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(os.path.join(a.out, "images"), exist_ok=True)
    synth = json.load(open(os.path.join(a.synth, "manifest.json"), encoding="utf-8"))
    classes = synth["classes"]
    normal = next(c["id"] for c in classes if c["key"] == "gauge_normal")
    images = []
    for i, im in enumerate(synth["images"]):
        images.append({**im, "split": "val" if i >= len(synth["images"]) - a.synth_val else "train"})

    reals = []
    for p in sorted(glob.glob(os.path.join(a.real, "images", "g*.jpg"))):
        name = os.path.basename(p)
        if int(name[1:4]) > a.last:
            continue
        with Image.open(p) as f:
            w, h = f.size
        reals.append((p, w, h, real_boxes(a.real, name, w, h)))
    val_real = {r[0] for r in reals[-a.real_val:]} if a.real_val else set()
    for p, w, h, bx in reals:
        entry = {"path": os.path.abspath(p), "width": w, "height": h,
                 "boxes": [{"classId": normal, "x1": b[0], "y1": b[1], "x2": b[2], "y2": b[3]} for b in bx]}
        if p in val_real:
            images.append({**entry, "split": "val"})
        else:
            images.extend({**entry, "split": "train"} for _ in range(a.real_repeat))

    # crops for composites: training photos only, round gauges (aspect 0.6-1.6), >= 60 px
    crops = []
    for p, w, h, bx in reals:
        if p in val_real:
            continue
        img = Image.open(p).convert("RGB")
        for b in bx:
            bw, bh = b[2] - b[0], b[3] - b[1]
            if min(bw, bh) < 60 or not 0.6 <= bw / bh <= 1.6:
                continue
            x1, y1, x2, y2 = (int(round(v)) for v in b)
            gauge = img.crop((x1, y1, x2, y2))
            # region under the gauge: stem and fittings (unlabelled distractor)
            sw = int(bw * 0.45)
            sx = int((x1 + x2) / 2 - sw / 2)
            sh = min(h - y2, int(bh * 0.6))
            stem = img.crop((max(0, sx), y2, min(w, sx + sw), y2 + sh)) if sh > 10 else None
            crops.append((gauge, stem))
    train_synth = [im for im in images[:len(synth["images"]) - a.synth_val]]
    for k in range(a.composites):
        bg_entry = rng.choice(train_synth)
        bg = Image.open(bg_entry["path"]).convert("RGB")
        W, H = bg.size
        boxes = [dict(b) for b in bg_entry["boxes"]]
        pasted = []
        for _ in range(rng.choice([1, 1, 2])):
            gauge, stem = rng.choice(crops)
            side = rng.uniform(0.2, 0.75) * H
            squeeze = rng.uniform(0.75, 1.25)
            gw = max(16, int(side * squeeze * gauge.width / max(gauge.width, gauge.height)))
            gh = max(16, int(side / squeeze * gauge.height / max(gauge.width, gauge.height)))
            if gw >= W or gh >= H:
                continue
            g = gauge.resize((gw, gh), Image.BICUBIC)
            r = rng.random()
            if r < 0.25:
                g = g.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.5)))
            elif r < 0.4:
                g = g.filter(ImageFilter.SHARPEN)
            x = rng.randint(0, W - gw)
            y = rng.randint(0, H - gh)
            if any(not (x + gw < p[0] or x > p[2] or y + gh < p[1] or y > p[3]) for p in pasted):
                continue
            if stem is not None and rng.random() < 0.5:
                s = stem.resize((max(4, int(stem.width * gw / gauge.width)), max(4, int(stem.height * gh / gauge.height))),
                                Image.BICUBIC)
                sx, sy = x + gw // 2 - s.width // 2, y + gh - max(1, gh // 30)
                bg.paste(s, (sx, sy), ellipse_mask(s.width, s.height * 2, 2).crop((0, s.height, s.width, 2 * s.height))
                         if rng.random() < 0.3 else None)
            bg.paste(g, (x, y), ellipse_mask(gw, gh, max(0.5, gw / 150)))
            pasted.append((x, y, x + gw, y + gh))
        if not pasted:
            continue
        # a synthetic meter that a paste covers by > 30 % loses its label; partly covered ones are dropped too
        kept = []
        for b in boxes:
            area = max(1e-6, (b["x2"] - b["x1"]) * (b["y2"] - b["y1"]))
            cov = sum(max(0, min(b["x2"], p[2]) - max(b["x1"], p[0])) * max(0, min(b["y2"], p[3]) - max(b["y1"], p[1]))
                      for p in pasted) / area
            if cov < 0.05:
                kept.append(b)
            elif cov < 0.3:
                kept = None
                break
        if kept is None:
            continue
        kept += [{"classId": normal, "x1": p[0], "y1": p[1], "x2": p[2], "y2": p[3]} for p in pasted]
        path = os.path.abspath(os.path.join(a.out, "images", f"comp-{a.seed}-{k:04d}.jpg"))
        bg.save(path, quality=rng.randint(70, 92))
        images.append({"path": path, "width": W, "height": H, "boxes": kept, "split": "train"})
    with open(os.path.join(a.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"classes": classes, "images": images}, f)
    n_train = sum(1 for im in images if im["split"] == "train")
    print(json.dumps({"images": len(images), "train": n_train, "val": len(images) - n_train, "crops": len(crops)}))


if __name__ == "__main__":
    main()
