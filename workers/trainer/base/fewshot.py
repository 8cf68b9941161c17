#!/usr/bin/python3
"""Few-shot measurement of the station's assist model on a same-rig sequence.

    /usr/bin/python3 workers/trainer/base/fewshot.py --real ../shared/data/real-gauges \
        --bg workers/trainer/.data/rig300 --init workers/trainer/base/ssdlite-rig.pt \
        --out workers/trainer/.runs/fewshot --k 3 --params '{"timeBudgetS":90,...}'

A rig is the same few meters in every photo. The sequence is built from 2-3 gauges of the
real measurement half (g058+: never trained on by the base model) pasted on one fixed
background (a synthetic rig photo, its own meters kept and labelled) and photographed
`--photos` times: the camera moves (shift, zoom 1-1.3, aspect squeeze up to
+-12 %), the light changes (brightness, white balance), some photos are blurred or noisy,
JPEG quality 70-92. The first k photos are "confirmed" (train; the newest of them held
out for val, as the product does), the assist trainer runs from `--init` on them, and
both the init model and the assist model are scored on the photos after the first k
(evaluate.py's synthetic definition: IoU >= 0.9, right class, nothing extra).
"""
import argparse
import glob
import json
import os
import random
import subprocess
import sys

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.dirname(here))

import evaluate  # noqa: E402
from make_mix import ellipse_mask, real_boxes  # noqa: E402


def make_sequence(real, bg_dir, out, photos, seed, first=58):
    rng = random.Random(seed)
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    bgm = json.load(open(os.path.join(bg_dir, "manifest.json"), encoding="utf-8"))
    normal = next(c["id"] for c in bgm["classes"] if c["key"] == "gauge_normal")
    cand = []
    for p in sorted(glob.glob(os.path.join(real, "images", "g*.jpg"))):
        if int(os.path.basename(p)[1:4]) < first:
            continue
        with Image.open(p) as f:
            w, h = f.size
        bx = real_boxes(real, os.path.basename(p), w, h)
        if len(bx) == 1 and min(bx[0][2] - bx[0][0], bx[0][3] - bx[0][1]) >= 80:
            cand.append((p, bx[0]))
    picks = rng.sample(cand, rng.choice([2, 3]))
    gauges = [Image.open(p).convert("RGB").crop(tuple(int(round(v)) for v in b)) for p, b in picks]
    bg_entry = rng.choice(bgm["images"])
    bg0 = Image.open(bg_entry["path"]).convert("RGB").resize((1280, 960), Image.BICUBIC)
    sx0 = 1280 / bg_entry["width"]
    sy0 = 960 / bg_entry["height"]
    # fixed layout on the rig (in rig pixels): sizes 22-32 % of the height, no overlap
    layout = []
    for g in gauges:
        for _ in range(100):
            side = rng.uniform(0.22, 0.32) * 960
            gw, gh = int(side * g.width / max(g.size)), int(side * g.height / max(g.size))
            x, y = rng.randint(60, 1280 - gw - 60), rng.randint(60, 960 - gh - 60)
            r = (x, y, x + gw, y + gh)
            if all(r[2] + 20 < q[0] or r[0] > q[2] + 20 or r[3] + 20 < q[1] or r[1] > q[3] + 20 for q in layout):
                layout.append(r)
                break
    rig = bg0.copy()
    boxes = []
    for b in bgm["images"][bgm["images"].index(bg_entry)]["boxes"]:
        bb = [b["x1"] * sx0, b["y1"] * sy0, b["x2"] * sx0, b["y2"] * sy0]
        if any(not (bb[2] < q[0] or bb[0] > q[2] or bb[3] < q[1] or bb[1] > q[3]) for q in layout):
            continue  # a synthetic meter under a pasted gauge: left unlabelled would be wrong, so skip the rig
        boxes.append((b["classId"], bb))
    for g, q in zip(gauges, layout):
        gw, gh = q[2] - q[0], q[3] - q[1]
        rig.paste(g.resize((gw, gh), Image.BICUBIC), (q[0], q[1]), ellipse_mask(gw, gh, 1.5))
        boxes.append((normal, list(q)))
    # a cover for synthetic meters under pastes would be needed; rigs where one is covered are
    # simply re-drawn by choosing another seed, so check:
    images = []
    W, H = 1024, 768
    for i in range(photos):
        z = rng.uniform(1.0, 1.3)
        sq = rng.uniform(max(1 / z, 0.88), min(z, 1.12))
        cw, ch = 1280 / (z * sq), 960 / (z / sq)
        cx, cy = rng.uniform(0, 1280 - cw), rng.uniform(0, 960 - ch)
        view = rig.transform((W, H), Image.EXTENT, (cx, cy, cx + cw, cy + ch), Image.BILINEAR)
        view = ImageEnhance.Brightness(view).enhance(rng.uniform(0.7, 1.3))
        arr = np.asarray(view).astype(np.float32) * np.array([rng.uniform(0.9, 1.1) for _ in range(3)])
        if rng.random() < 0.4:
            arr += np.random.default_rng(seed * 100 + i).normal(0, rng.uniform(3, 10), arr.shape)
        view = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
        if rng.random() < 0.3:
            view = view.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.5)))
        out_boxes = []
        for c, b in boxes:
            nb = [(b[0] - cx) * W / cw, (b[1] - cy) * H / ch, (b[2] - cx) * W / cw, (b[3] - cy) * H / ch]
            area = (nb[2] - nb[0]) * (nb[3] - nb[1])
            cb = [max(0, nb[0]), max(0, nb[1]), min(W, nb[2]), min(H, nb[3])]
            carea = max(0, cb[2] - cb[0]) * max(0, cb[3] - cb[1])
            if carea >= 0.6 * area:
                out_boxes.append({"classId": c, "x1": cb[0], "y1": cb[1], "x2": cb[2], "y2": cb[3]})
            elif carea > 0:
                # a meter mostly out of frame: paint it over with the frame's edge colour is too
                # much; such photos are dropped from the sequence
                out_boxes = None
                break
        if out_boxes is None:
            continue
        path = os.path.abspath(os.path.join(out, "images", f"seq-{seed}-{i:02d}.jpg"))
        view.save(path, quality=rng.randint(70, 92))
        images.append({"path": path, "width": W, "height": H, "boxes": out_boxes})
    seq = {"classes": bgm["classes"], "images": images, "gauges": [p for p, _ in picks]}
    with open(os.path.join(out, "sequence.json"), "w", encoding="utf-8") as f:
        json.dump(seq, f)
    return seq


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--real", required=True)
    ap.add_argument("--bg", required=True)
    ap.add_argument("--init", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--photos", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--params", default="{}", help="assist params (JSON), merged over the assist preset")
    a = ap.parse_args()
    seq = make_sequence(a.real, a.bg, a.out, a.photos, a.seed)
    imgs = seq["images"]
    train = [dict(im, split="train") for im in imgs[:a.k]]
    if len(train) >= 2:
        train[-1]["split"] = "val"
    test = {"classes": seq["classes"], "images": imgs[a.k:]}
    with open(os.path.join(a.out, "train.json"), "w", encoding="utf-8") as f:
        json.dump({"classes": seq["classes"], "images": train}, f)
    os.makedirs(os.path.join(a.out, "test"), exist_ok=True)
    with open(os.path.join(a.out, "test", "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(test, f)
    preset = {"model": "ssdlite", "epochs": 30, "batch": 16, "optimizer": "adamw", "weightDecay": 0.0005,
              "warmupEpochs": 1, "augment": 0.4, "valSplit": 0.15, "seed": 0, "patience": 0, "timeBudgetS": 150,
              "imgSize": 480}
    params = {**preset, **json.loads(a.params), "init": os.path.abspath(a.init)}
    with open(os.path.join(a.out, "params.json"), "w", encoding="utf-8") as f:
        json.dump(params, f)
    run_dir = os.path.join(a.out, "run")
    r = subprocess.run([sys.executable, os.path.join(os.path.dirname(here), "train.py"), "--manifest",
                        os.path.join(a.out, "train.json"), "--params", os.path.join(a.out, "params.json"),
                        "--out", run_dir], capture_output=True, text=True)
    done = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{") and '"done"' in line]
    res = {"k": a.k, "testPhotos": len(test["images"]), "gauges": seq["gauges"], "params": params,
           "trainer": done[-1] if done else r.stderr[-500:]}
    for name, path in (("init", a.init), ("assist", os.path.join(run_dir, "best.pt"))):
        if os.path.exists(path):
            m, size, keys = evaluate.load_model(path, 2)
            res[name] = evaluate.eval_synth(m, size, keys, os.path.join(a.out, "test", "manifest.json"))
    with open(os.path.join(a.out, "result.json"), "w", encoding="utf-8") as f:
        json.dump(res, f, indent=1)
    print(json.dumps({k: v for k, v in res.items() if k != "params"}))


if __name__ == "__main__":
    main()
