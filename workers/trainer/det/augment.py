"""Augmentation on cached uint8 tensors, batched, on the training device.

No flips and no rotations: a mirrored gauge mirrors its normal/abnormal zones (the class
could change), and a rotated box is no longer tight. What is used, scaled by `strength`
(0 = none, 1 = strongest):

* geometric (80% of images): zoom in/out up to ×(1 + 0.5·s), aspect change up to
  ±10·s %, shift up to the free margin + 10·s % of the size; padding is mid-grey; a box
  survives when at least 60% of its area stays in frame, and is clipped to the frame;
* photometric: brightness ±0.25·s, contrast ±40·s %, saturation ±50·s %, per-channel
  gain ±6·s % (white balance), Gaussian noise up to σ = 0.03·s.
"""
import math

import torch
import torch.nn.functional as F

KEEP_AREA = 0.6


def _u(g, n, lo=-1.0, hi=1.0):
    return torch.rand(n, generator=g) * (hi - lo) + lo


def geometric(x, boxes, labels, s, g):
    """x float [B,3,H,W] in 0..1; boxes/labels lists of per-image tensors (same device)."""
    b, _, h, w = x.shape
    dev = x.device
    zoom = torch.exp(_u(g, b) * math.log(1 + 0.5 * s))
    aspect = torch.exp(_u(g, b) * 0.1 * s)
    zx, zy = zoom * aspect, zoom / aspect
    cx = _u(g, b) * ((1 - 1 / zx).abs() + 0.1 * s)
    cy = _u(g, b) * ((1 - 1 / zy).abs() + 0.1 * s)
    identity = torch.rand(b, generator=g) < 0.2
    zx, zy = torch.where(identity, torch.ones_like(zx), zx), torch.where(identity, torch.ones_like(zy), zy)
    cx, cy = torch.where(identity, torch.zeros_like(cx), cx), torch.where(identity, torch.zeros_like(cy), cy)
    theta = torch.zeros(b, 2, 3)
    theta[:, 0, 0], theta[:, 0, 2] = 1 / zx, cx
    theta[:, 1, 1], theta[:, 1, 2] = 1 / zy, cy
    grid = F.affine_grid(theta.to(dev), [b, 3, h, w], align_corners=False)
    x = F.grid_sample(x - 0.5, grid, mode="bilinear", padding_mode="zeros", align_corners=False) + 0.5
    out_boxes, out_labels = [], []
    for i in range(b):
        bx = boxes[i]
        if bx.numel() == 0:
            out_boxes.append(bx)
            out_labels.append(labels[i])
            continue
        fx, fy = float(zx[i]), float(zy[i])
        ox, oy = float(cx[i]), float(cy[i])
        nx = ((bx[:, [0, 2]] * (2.0 / w) - 1 - ox) * fx + 1) * (w / 2.0)
        ny = ((bx[:, [1, 3]] * (2.0 / h) - 1 - oy) * fy + 1) * (h / 2.0)
        nb = torch.stack([nx[:, 0], ny[:, 0], nx[:, 1], ny[:, 1]], 1)
        area = (nb[:, 2] - nb[:, 0]) * (nb[:, 3] - nb[:, 1])
        cb = torch.stack([nb[:, 0].clamp(0, w), nb[:, 1].clamp(0, h), nb[:, 2].clamp(0, w), nb[:, 3].clamp(0, h)], 1)
        carea = (cb[:, 2] - cb[:, 0]).clamp(min=0) * (cb[:, 3] - cb[:, 1]).clamp(min=0)
        keep = (carea >= KEEP_AREA * area) & ((cb[:, 2] - cb[:, 0]) >= 2) & ((cb[:, 3] - cb[:, 1]) >= 2)
        out_boxes.append(cb[keep])
        out_labels.append(labels[i][keep])
    return x, out_boxes, out_labels


def photometric(x, s, g):
    b = x.shape[0]
    dev = x.device
    bright = (_u(g, b) * 0.25 * s).to(dev).view(b, 1, 1, 1)
    contrast = (1 + _u(g, b) * 0.4 * s).to(dev).view(b, 1, 1, 1)
    sat = (1 + _u(g, b) * 0.5 * s).to(dev).view(b, 1, 1, 1)
    gain = (1 + _u(g, b * 3) * 0.06 * s).to(dev).view(b, 3, 1, 1)
    sigma = (torch.rand(b, generator=g) * 0.03 * s).to(dev).view(b, 1, 1, 1)
    gray = (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])
    x = gray + (x - gray) * sat
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - mean) * contrast + mean + bright
    x = x * gain
    noise = torch.randn(x.shape, generator=g).to(dev) if dev.type == "cpu" else torch.randn_like(x)
    x = x + noise * sigma
    return x.clamp_(0, 1)


def augment_batch(images, boxes, labels, strength, g):
    """images: list of uint8 [3,h,w] tensors on the device. Returns float images in 0..1
    (list), boxes and labels (lists). Same-size images are processed as one batch."""
    xs = [im.float().div_(255) for im in images]
    if strength <= 0:
        return xs, boxes, labels
    same = all(t.shape == xs[0].shape for t in xs)
    groups = [list(range(len(xs)))] if same else [[i] for i in range(len(xs))]
    out_x, out_b, out_l = [None] * len(xs), [None] * len(xs), [None] * len(xs)
    for grp in groups:
        x = torch.stack([xs[i] for i in grp])
        x, bb, ll = geometric(x, [boxes[i] for i in grp], [labels[i] for i in grp], strength, g)
        x = photometric(x, strength, g)
        for k, i in enumerate(grp):
            out_x[i], out_b[i], out_l[i] = x[k], bb[k], ll[k]
    return out_x, out_b, out_l
