#!/usr/bin/python3
"""Export a trainer checkpoint (e.g. the shipped base model) to ONNX with the product's contract.

    /usr/bin/python3 workers/trainer/export_onnx.py --checkpoint base/ssdlite-rig.pt --out DIR/base.onnx

Writes the ONNX file and, beside it, `<out>.json` with the checkpoint's classes, model
and imgSize, so the consumer can check the classes match its exam config.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from det.models import build, load_checkpoint  # noqa: E402
from det.onnx_export import export  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    ck = load_checkpoint(args.checkpoint)
    model = build(ck["model"], len(ck["classes"]), ck["imgSize"])
    model.load_state_dict({k: (v.float() if v.is_floating_point() else v) for k, v in ck["state_dict"].items()})
    model.eval()
    tmp = args.out + ".tmp"
    export(model, tmp, ck["imgSize"])
    os.replace(tmp, args.out)
    with open(args.out + ".json", "w", encoding="utf-8") as f:
        json.dump({"model": ck["model"], "imgSize": ck["imgSize"], "classes": ck["classes"], "valMap50": ck.get("valMap50")}, f)
    print(json.dumps({"type": "exported", "onnx": args.out}), flush=True)


if __name__ == "__main__":
    main()
