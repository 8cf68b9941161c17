"""Run train.py once per parameter set and summarise mAP against time.

    /usr/bin/python3 workers/trainer/bench/sweep.py --manifest M.json --out DIR \
        --base '{"epochs":40}' --sets '[{"lr":0.001},{"lr":0.003}]' [--parallel 2] [--env K=V ...]

Each set is merged over --base; a set may carry "_env": {"VAR": "value"} for the trainer's
environment switches and "_name". Writes DIR/summary.json and prints one line per run.
Manifest paths that do not exist are looked up in images/ beside the manifest, so a
dataset generated on one machine can be measured on another.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN = os.path.join(HERE, "..", "train.py")


def rebase(manifest, out):
    with open(manifest) as f:
        m = json.load(f)
    base = os.path.join(os.path.dirname(os.path.abspath(manifest)), "images")
    for im in m["images"]:
        if not os.path.exists(im["path"]):
            im["path"] = os.path.join(base, os.path.basename(im["path"]))
    path = os.path.join(out, "manifest.json")
    with open(path, "w") as f:
        json.dump(m, f)
    return path


def one(i, s, base, manifest, out):
    s = dict(s)
    env = {**os.environ, **{k: str(v) for k, v in s.pop("_env", {}).items()}}
    name = s.pop("_name", f"run{i}")
    params = {**base, **s}
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "params.json"), "w") as f:
        json.dump(params, f)
    t = time.time()
    r = subprocess.run([sys.executable, TRAIN, "--manifest", manifest, "--params", os.path.join(d, "params.json"),
                        "--out", d], capture_output=True, text=True, env=env)
    events = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
    with open(os.path.join(d, "stderr.log"), "w") as f:
        f.write(r.stderr)
    curve = [(e["epoch"], e["elapsedS"], e.get("valMap50")) for e in events if e["type"] == "epoch"]
    done = next((e for e in events if e["type"] in ("done", "error")), {})
    start = next((e for e in events if e["type"] == "start"), {})
    res = {"name": name, "params": params, "env": {k: v for k, v in env.items() if k.startswith("TRAINER_")},
           "rc": r.returncode, "wall": round(time.time() - t, 1), "done": done, "curve": curve,
           "device": start.get("device")}
    try:
        with open(os.path.join(d, "metrics.json")) as f:
            res["onnxCheck"] = json.load(f).get("onnxCheck")
    except (OSError, ValueError):
        res["onnxCheck"] = None
    best = done.get("bestValMap50")
    print(f"{name:>16} rc={r.returncode} wall={res['wall']:>6}s best={best} epochs={len(curve)} "
          f"{json.dumps(s)} {done.get('message', '')} onnx: {res['onnxCheck']}", flush=True)
    if r.returncode not in (0,):
        print(r.stderr[-3000:], flush=True)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--base", default="{}")
    ap.add_argument("--sets", required=True)
    ap.add_argument("--parallel", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    manifest = rebase(a.manifest, a.out)
    base = json.loads(a.base)
    sets = json.loads(a.sets)
    results = []

    def job(p):
        r = one(p[0], p[1], base, manifest, a.out)
        results.append(r)  # summary rewritten after every run, so a killed sweep keeps results
        with open(os.path.join(a.out, "summary.json"), "w") as f:
            json.dump(results, f, indent=1)
        return r

    with ThreadPoolExecutor(a.parallel) as ex:
        list(ex.map(job, enumerate(sets)))


if __name__ == "__main__":
    main()
