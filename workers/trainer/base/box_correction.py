#!/usr/bin/python3
"""Measure a per-class box correction learnt from the first 3 confirmed photos of a
fewshot.py sequence (not used by the product).

    /usr/bin/python3 workers/trainer/base/box_correction.py RUN_DIR CHECKPOINT

RUN_DIR is a fewshot.py --out folder. For each class, the mean offset of the confirmed boxes
from the matched proposals (relative to the proposal size) on photos 1-3 is added to every
later proposal; prints the scores on photos 4.. with and without it.
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.dirname(here))

import torch  # noqa: E402
from torchvision.ops import box_iou  # noqa: E402

import evaluate  # noqa: E402

K = 3


def main():
    run, ck = sys.argv[1], sys.argv[2]
    model, size, keys = evaluate.load_model(ck, 2)
    seq = json.load(open(os.path.join(run, "sequence.json"), encoding="utf-8"))
    corr = {}
    for im in seq["images"][:K]:
        b, _, _, _ = evaluate.propose(model, size, im["path"])
        for g in im["boxes"]:
            if not len(b):
                continue
            iou = box_iou(torch.tensor([[g["x1"], g["y1"], g["x2"], g["y2"]]]), b)[0]
            j = int(iou.argmax())
            if iou[j] < 0.5:
                continue
            p = b[j]
            w, h = float(p[2] - p[0]), float(p[3] - p[1])
            corr.setdefault(g["classId"], []).append(
                [(g["x1"] - float(p[0])) / w, (g["y1"] - float(p[1])) / h, (g["x2"] - float(p[2])) / w, (g["y2"] - float(p[3])) / h])
    mean = {c: [sum(v[i] for v in vs) / len(vs) for i in range(4)] for c, vs in corr.items()}
    print("correction", {c: [round(x, 3) for x in v] for c, v in mean.items()})
    plain, fixed = [], []
    for im in seq["images"][K:]:
        b, lab, _, _ = evaluate.propose(model, size, im["path"])
        gt = [[g["x1"], g["y1"], g["x2"], g["y2"]] for g in im["boxes"]]
        gc = [seq["classes"][g["classId"]]["key"] for g in im["boxes"]]
        ok = lambda p, g: keys[p] == g  # noqa: E731
        plain.append(evaluate.score_photo(b, lab, gt, gc, [], ok))
        b2 = b.clone()
        for i in range(len(b2)):
            d = mean.get(int(lab[i]))
            if d:
                w, h = float(b[i, 2] - b[i, 0]), float(b[i, 3] - b[i, 1])
                b2[i] = torch.tensor([b[i, 0] + d[0] * w, b[i, 1] + d[1] * h, b[i, 2] + d[2] * w, b[i, 3] + d[3] * h])
        fixed.append(evaluate.score_photo(b2, lab, gt, gc, [], ok))
    print("plain", evaluate.summarise(plain, [0]))
    print("corrected", evaluate.summarise(fixed, [0]))


if __name__ == "__main__":
    main()
