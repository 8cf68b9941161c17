"""ONNX export through a wrapper with the product's fixed contract.

input  `images`: float32 [3, H, W], RGB, values 0..1, one image, no batch dim; H and W
       are dynamic (the model resizes internally: SSDLite to imgSize×imgSize, Faster
       R-CNN to shorter side imgSize / longer side ≤ 2·imgSize).
outputs, in this order:
  `boxes`  float32 [N, 4] x1, y1, x2, y2 in input pixels,
  `labels` int64   [N]    manifest class id (0-based, background removed),
  `scores` float32 [N]    sorted descending, ≥ 0.05 (the consumer applies its own cut).
The model's own per-class NMS is switched off in the exported graph (IoU threshold 1.0,
up to CANDIDATES rows): the consumer runs class-agnostic NMS and then box voting over
the overlapping candidates (`core/prelabel.ts` selectDetections), which tightens boxes.
"""
import copy
import inspect

import torch
from torch import nn

OPSET = 11
CANDIDATES = 300
INPUT_NAMES = ["images"]
OUTPUT_NAMES = ["boxes", "labels", "scores"]


class ExportWrapper(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, images):
        out = self.model([images])[0]
        return out["boxes"], out["labels"] - 1, out["scores"]


def export(model, path, img_size, example_hw=None):
    """Export `model` (any device; a CPU copy is exported) to `path`; returns input info."""
    m = copy.deepcopy(model).to("cpu").eval()
    m = m.to(memory_format=torch.contiguous_format)
    # Leave NMS to the consumer, which votes over the overlapping candidates.
    if hasattr(m, "nms_thresh"):  # SSDLite
        m.nms_thresh = 1.0
        m.detections_per_img = CANDIDATES
    elif hasattr(m, "roi_heads"):  # Faster R-CNN
        m.roi_heads.nms_thresh = 1.0
        m.roi_heads.detections_per_img = CANDIDATES
    wrapper = ExportWrapper(m).eval()
    h, w = example_hw or (img_size, img_size)
    example = torch.rand(3, h, w)
    kwargs = dict(
        input_names=INPUT_NAMES,
        output_names=OUTPUT_NAMES,
        dynamic_axes={"images": {1: "height", 2: "width"}, "boxes": {0: "n"}, "labels": {0: "n"}, "scores": {0: "n"}},
        opset_version=OPSET,
        do_constant_folding=True,
    )
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # torch >= 2.9 defaults to the dynamo exporter
    import warnings
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about constant shapes are expected
        torch.onnx.export(wrapper, (example,), path, **kwargs)
    return {"name": "images", "layout": "CHW", "dtype": "float32", "range": [0, 1], "color": "RGB",
            "height": "dynamic", "width": "dynamic", "resize": "model-internal", "opset": OPSET}


def verify(path):
    """Check the file with onnx.checker and the graph's I/O names; returns a status string."""
    try:
        import onnx
    except ImportError:
        return "skipped (onnx not installed)"
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ins = [i.name for i in m.graph.input]
    outs = [o.name for o in m.graph.output]
    if ins != INPUT_NAMES or outs != OUTPUT_NAMES:
        raise RuntimeError(f"ONNX I/O names are {ins} -> {outs}, expected {INPUT_NAMES} -> {OUTPUT_NAMES}")
    status = "onnx.checker ok"
    try:
        import numpy as np
        import onnxruntime as ort
    except ImportError:
        return status
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    res = sess.run(None, {"images": np.random.rand(3, 240, 320).astype(np.float32)})
    if [r.dtype.name for r in res] != ["float32", "int64", "float32"]:
        raise RuntimeError(f"ONNX output dtypes {[r.dtype.name for r in res]}")
    return status + "; onnxruntime ok"
