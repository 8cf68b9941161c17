"""mAP@0.5, written out so that a TypeScript port can reproduce it number for number.

Definition (also written into metrics.json as `mapDefinition`):

* IoU of axis-aligned boxes in continuous pixel coordinates:
  inter = max(0, min(x2) - max(x1)) * max(0, min(y2) - max(y1));
  union = area(a) + area(b) - inter, area = (x2 - x1) * (y2 - y1) (no "+1");
  IoU = inter / union, or 0 when union <= 0.
* Per class c: all detections of class c over all images are sorted by score,
  descending, with a stable sort (ties keep image order, then the order of the
  detections within the image).
* Greedy matching, COCO style: taking detections in that order, a detection is a true
  positive when some ground-truth box of class c in the same image that is not yet
  matched has IoU >= 0.5 with it; it is then matched to the unmatched one of highest IoU
  (first in the image's GT order on an exact tie). Otherwise it is a false positive.
* recall_i = TP_i / nGT_c, precision_i = TP_i / i (cumulative over the sorted list).
* Precision envelope: p_i := max_{j >= i} precision_j.
* 101-point interpolation (COCO): for each r in {0, 0.01, ..., 1.00}, take p_i at the
  first i with recall_i >= r, or 0 when no such i; AP_c = mean of the 101 values.
* A class with no GT box in the split has AP = null and is left out of the mean; a class
  with GT boxes and no detections has AP = 0. mAP50 = mean of AP_c over classes with GT,
  or null when no class has GT.
"""
import numpy as np

IOU_THRESHOLD = 0.5
RECALL_POINTS = np.linspace(0.0, 1.0, 101)

DEFINITION = (
    "COCO-style AP at IoU>=0.5: per class, detections of all images sorted by score "
    "descending (stable: image order, then detection order); greedy matching to the "
    "unmatched same-class GT of highest IoU (>=0.5) in the same image; precision "
    "envelope; 101-point interpolation at recall 0,0.01,...,1 (first index with "
    "recall>=r, else 0); IoU without +1; mean over classes that have GT boxes."
)


def iou_matrix(a, b):
    """IoU between boxes a [N,4] and b [M,4] (x1,y1,x2,y2) -> [N,M]."""
    a = np.asarray(a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(b, dtype=np.float64).reshape(-1, 4)
    ix1 = np.maximum(a[:, None, 0], b[None, :, 0])
    iy1 = np.maximum(a[:, None, 1], b[None, :, 1])
    ix2 = np.minimum(a[:, None, 2], b[None, :, 2])
    iy2 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(ix2 - ix1, 0, None) * np.clip(iy2 - iy1, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
    return iou


def average_precision(tp, n_gt):
    """101-point interpolated AP from a TP flag list already sorted by score."""
    if n_gt == 0:
        return None
    tp = np.asarray(tp, dtype=np.float64)
    if tp.size == 0:
        return 0.0
    ctp = np.cumsum(tp)
    recall = ctp / n_gt
    precision = ctp / np.arange(1, tp.size + 1)
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    idx = np.searchsorted(recall, RECALL_POINTS, side="left")
    values = np.where(idx < tp.size, envelope[np.minimum(idx, tp.size - 1)], 0.0)
    return float(values.mean())


def evaluate(predictions, ground_truth, num_classes, iou_threshold=IOU_THRESHOLD):
    """Per-class AP@0.5 and the mean.

    predictions: list per image of dicts {"boxes": [N,4], "labels": [N], "scores": [N]}
    ground_truth: list per image of dicts {"boxes": [M,4], "labels": [M]}
    Labels are class ids 0..num_classes-1 (no background).
    `iou_threshold` is 0.5 for mAP50 (other values only for the 0.5:0.95 tie-breaker).
    Returns {"map50": float|None, "perClass": [{"classId", "ap50", "gt", "detections"}]}.
    """
    if len(predictions) != len(ground_truth):
        raise ValueError("predictions and ground_truth must have one entry per image")
    per_class = []
    for c in range(num_classes):
        scores, tps, n_gt = [], [], 0
        for pred, gt in zip(predictions, ground_truth):
            g = np.asarray(gt["boxes"], dtype=np.float64).reshape(-1, 4)[np.asarray(gt["labels"]).reshape(-1) == c]
            n_gt += len(g)
            pl = np.asarray(pred["labels"]).reshape(-1) == c
            d = np.asarray(pred["boxes"], dtype=np.float64).reshape(-1, 4)[pl]
            s = np.asarray(pred["scores"], dtype=np.float64).reshape(-1)[pl]
            scores.append(s)
            tps.append((d, g))
        # global stable order by score over (image order, detection order)
        all_scores = np.concatenate(scores) if scores else np.zeros(0)
        img_of = np.concatenate([np.full(len(s), i) for i, s in enumerate(scores)]) if scores else np.zeros(0, int)
        det_of = np.concatenate([np.arange(len(s)) for s in scores]) if scores else np.zeros(0, int)
        order = np.argsort(-all_scores, kind="stable")
        matched = [np.zeros(len(g), dtype=bool) for _, g in tps]
        ious = [iou_matrix(d, g) if len(d) and len(g) else None for d, g in tps]
        flags = np.zeros(len(order))
        for rank, k in enumerate(order):
            i, j = img_of[k], det_of[k]
            if ious[i] is None:
                continue
            row = np.where(matched[i], -1.0, ious[i][j])
            best = int(np.argmax(row))
            if row[best] >= iou_threshold:
                matched[i][best] = True
                flags[rank] = 1.0
        per_class.append({
            "classId": c,
            "ap50": average_precision(flags, n_gt),
            "gt": int(n_gt),
            "detections": int(len(order)),
        })
    aps = [pc["ap50"] for pc in per_class if pc["ap50"] is not None]
    return {"map50": float(np.mean(aps)) if aps else None, "perClass": per_class}


def map_50_95(predictions, ground_truth, num_classes):
    """Mean of mAP at IoU 0.50, 0.55, ..., 0.95 (same rules); None when no GT."""
    vals = [evaluate(predictions, ground_truth, num_classes, t)["map50"] for t in np.linspace(0.5, 0.95, 10)]
    return None if vals[0] is None else float(np.mean(vals))
