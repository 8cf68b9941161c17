"""Tiny synthetic rig-like dataset for the trainer's own tests and quick measurements.

Draws three kinds of meters on a cluttered background: round gauges whose needle sits in
the green zone (class 0, gauge_normal) or the red zone (class 1, gauge_abnormal), and
digital displays (class 2). The real generator lives in `vision/synth/` (TypeScript);
this one exists so the Python tests need nothing outside this folder.

    /usr/bin/python3 workers/trainer/tests/synth_shapes.py --out DIR --count 100 --seed 1
"""
import argparse
import json
import math
import os
import random

from PIL import Image, ImageDraw, ImageFilter

CLASSES = [
    {"id": 0, "key": "gauge_normal"},
    {"id": 1, "key": "gauge_abnormal"},
    {"id": 2, "key": "digital"},
]


def _background(rng, w, h):
    base = tuple(rng.randint(60, 200) for _ in range(3))
    img = Image.new("RGB", (w, h), base)
    d = ImageDraw.Draw(img)
    for _ in range(rng.randint(4, 10)):  # distractors: panels, cables, screws
        x, y = rng.randint(0, w), rng.randint(0, h)
        s = rng.randint(10, 120)
        col = tuple(rng.randint(0, 255) for _ in range(3))
        if rng.random() < 0.5:
            d.rectangle([x, y, x + s, y + s // 2], fill=col)
        else:
            d.line([x, y, x + rng.randint(-200, 200), y + rng.randint(-200, 200)], fill=col, width=rng.randint(2, 8))
    return img


def _gauge(d, rng, cx, cy, r, abnormal):
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(235, 235, 230), outline=(40, 40, 40), width=max(2, r // 12))
    # scale from 225 deg (left-down) clockwise to -45 deg; green zone first 60%, red last 25%
    start, end = 225.0, -45.0

    def ang(frac):
        return math.radians(start + (end - start) * frac)
    for frac0, frac1, col in ((0.0, 0.6, (40, 170, 60)), (0.75, 1.0, (210, 40, 40))):
        a0, a1 = -math.degrees(ang(frac0)), -math.degrees(ang(frac1))
        rr = r * 0.85
        d.arc([cx - rr, cy - rr, cx + rr, cy + rr], a0, a1, fill=col, width=max(2, r // 8))
    for i in range(11):
        a = ang(i / 10)
        d.line([cx + 0.7 * r * math.cos(a), cy - 0.7 * r * math.sin(a), cx + 0.8 * r * math.cos(a), cy - 0.8 * r * math.sin(a)], fill=(30, 30, 30), width=2)
    frac = rng.uniform(0.8, 0.98) if abnormal else rng.uniform(0.05, 0.55)
    a = ang(frac)
    d.line([cx, cy, cx + 0.75 * r * math.cos(a), cy - 0.75 * r * math.sin(a)], fill=(20, 20, 20), width=max(2, r // 15))
    d.ellipse([cx - r // 10, cy - r // 10, cx + r // 10, cy + r // 10], fill=(20, 20, 20))
    return [cx - r, cy - r, cx + r, cy + r]


def _digital(d, rng, x, y, w, h):
    d.rectangle([x, y, x + w, y + h], fill=(30, 30, 35), outline=(120, 120, 120), width=3)
    col = rng.choice([(255, 60, 60), (60, 255, 90), (90, 200, 255)])
    n = rng.randint(3, 5)
    cw = (w - 10) / n
    for i in range(n):  # crude 7-segment digits
        dx = x + 5 + i * cw
        segs = [s for s in range(7) if rng.random() < 0.7]
        for s in segs:
            if s in (0, 3, 6):
                yy = y + 6 + (h - 12) * {0: 0, 3: 0.5, 6: 1}[s]
                d.line([dx + 3, yy, dx + cw - 4, yy], fill=col, width=3)
            else:
                xx = dx + 3 if s in (1, 4) else dx + cw - 4
                y0 = y + 6 if s in (1, 2) else y + h / 2
                d.line([xx, y0, xx, y0 + (h - 12) / 2], fill=col, width=3)
    return [x, y, x + w, y + h]


def _overlaps(box, boxes):
    for b in boxes:
        if not (box[2] + 8 < b[0] or b[2] + 8 < box[0] or box[3] + 8 < b[1] or b[3] + 8 < box[1]):
            return True
    return False


def make_image(rng, w=640, h=480):
    img = _background(rng, w, h)
    d = ImageDraw.Draw(img)
    n = rng.choice([1, 1, 2, 2, 2, 3])
    kinds = rng.sample([0, 1, 2], n)
    boxes = []
    for cls in kinds:
        for _ in range(50):
            if cls == 2:
                bw, bh = rng.randint(90, 180), rng.randint(40, 80)
                x, y = rng.randint(5, w - bw - 5), rng.randint(5, h - bh - 5)
                cand = [x, y, x + bw, y + bh]
            else:
                r = rng.randint(35, 85)
                cx, cy = rng.randint(r + 5, w - r - 5), rng.randint(r + 5, h - r - 5)
                cand = [cx - r, cy - r, cx + r, cy + r]
            if not _overlaps(cand, [b["box"] for b in boxes]):
                break
        else:
            continue
        if cls == 2:
            box = _digital(d, rng, cand[0], cand[1], cand[2] - cand[0], cand[3] - cand[1])
        else:
            r = (cand[2] - cand[0]) // 2
            box = _gauge(d, rng, cand[0] + r, cand[1] + r, r, abnormal=(cls == 1))
        boxes.append({"classId": cls, "box": box})
    if rng.random() < 0.3:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.5)))
    return img, boxes


def generate(out, count, seed, width=640, height=480):
    rng = random.Random(seed)
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    images = []
    for i in range(count):
        img, boxes = make_image(rng, width, height)
        path = os.path.abspath(os.path.join(out, "images", f"{i:05d}.jpg"))
        img.save(path, quality=90)
        images.append({
            "path": path, "width": width, "height": height,
            "boxes": [{"classId": b["classId"], "x1": float(b["box"][0]), "y1": float(b["box"][1]),
                       "x2": float(b["box"][2]), "y2": float(b["box"][3])} for b in boxes],
        })
    manifest = {"classes": CLASSES, "images": images}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    return manifest


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--width", type=int, default=640)
    ap.add_argument("--height", type=int, default=480)
    a = ap.parse_args()
    generate(a.out, a.count, a.seed, a.width, a.height)
