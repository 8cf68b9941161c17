#!/usr/bin/python3
"""Turn a run's best.pt into a shippable base checkpoint: float16 weights (half the size),
same format, loadable as `init` (loading converts back to float32).

    /usr/bin/python3 workers/trainer/make_base.py --from RUN/best.pt --out workers/trainer/base/ssdlite-rig.pt
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from det import models  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--from", dest="src", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    ck = models.load_checkpoint(a.src)
    sd = {k: (v.half() if v.is_floating_point() else v) for k, v in ck["state_dict"].items()}
    meta = {k: v for k, v in ck.items() if k != "state_dict"}
    meta["dtype"] = "float16"
    meta["source"] = os.path.basename(a.src)
    tmp = a.out + ".tmp"
    torch.save({"format": models.FORMAT, "meta": json.dumps(meta), "state_dict": sd}, tmp)
    os.replace(tmp, a.out)
    print(json.dumps({"out": a.out, "bytes": os.path.getsize(a.out), "model": meta["model"],
                      "epoch": meta.get("epoch"), "valMap50": meta.get("valMap50")}))


if __name__ == "__main__":
    main()
