"""Print, as one JSON line, the device the trainer would train on.

Usage: probe_device.py [auto|cpu|cuda]. The train worker runs it at start-up and
advertises the answer, so /train can say which device a run will use.
"""
import json
import os
import sys


def probe(requested):
    import torch
    info = {"kind": "cpu", "name": f"{os.cpu_count() or 1} CPU cores", "torch": torch.__version__, "memoryGiB": None}
    if requested != "cpu" and torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        info.update(kind="cuda", name=props.name, memoryGiB=round(props.total_memory / 2**30, 1))
    return info


if __name__ == "__main__":
    print(json.dumps(probe(sys.argv[1] if len(sys.argv) > 1 else "auto")))
