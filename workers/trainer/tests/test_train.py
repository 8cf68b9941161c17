"""End to end through the CLI: a tiny run, its files, the ONNX contract, fine-tuning from
its checkpoint, and SIGTERM. Small images (imgSize 128) keep it to seconds on 2 cores."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))

from synth_shapes import generate  # noqa: E402

TRAIN = os.path.join(HERE, "..", "train.py")
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
ORT_NODE = os.path.join(REPO, "node_modules", "onnxruntime-node")

TINY = {"epochs": 1, "batch": 4, "imgSize": 128, "valSplit": 0.25, "seed": 3, "warmupEpochs": 0}


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f)


def run_cli(manifest, params, out, timeout=120):
    pp = out + ".params.json"
    write_json(pp, params)
    r = subprocess.run([sys.executable, TRAIN, "--manifest", manifest, "--params", pp, "--out", out],
                       capture_output=True, text=True, timeout=timeout)
    events = [json.loads(line) for line in r.stdout.splitlines()]  # every line must be JSON
    return r, events


class TinyRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="trainer-test-")
        m = generate(os.path.join(cls.tmp, "ds"), 8, seed=11, width=256, height=192)
        for im in m["images"][:2]:
            im["boxes"] = []  # photos without objects must train too
        cls.manifest = os.path.join(cls.tmp, "ds", "manifest.json")
        write_json(cls.manifest, m)
        cls.out = os.path.join(cls.tmp, "run")
        cls.r, cls.events = run_cli(cls.manifest, TINY, cls.out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_events_and_exit(self):
        self.assertEqual(self.r.returncode, 0, self.r.stderr[-2000:])
        types = [e["type"] for e in self.events]
        self.assertEqual(types[0], "start")
        self.assertEqual(types[-1], "done")
        self.assertIn("epoch", types)
        start, done = self.events[0], self.events[-1]
        self.assertEqual((start["trainImages"], start["valImages"]), (6, 2))
        self.assertEqual(start["model"], "ssdlite")
        self.assertEqual(start["params"]["imgSize"], 128)
        ep = [e for e in self.events if e["type"] == "epoch"][0]
        for k in ("epoch", "epochs", "loss", "lossParts", "lr", "elapsedS", "etaS", "imagesPerS", "valMap50"):
            self.assertIn(k, ep)
        self.assertEqual(done["reason"], "completed")
        self.assertEqual(done["onnx"], os.path.join(self.out, "model.onnx"))
        for k in ("onnx", "checkpoint", "metrics"):
            self.assertTrue(os.path.isfile(done[k]), k)
        with open(os.path.join(self.out, "progress.jsonl")) as f:
            self.assertEqual([json.loads(x) for x in f], self.events)

    def test_metrics_json(self):
        with open(os.path.join(self.out, "metrics.json")) as f:
            m = json.load(f)
        self.assertEqual(m["map"]["interpolation"], "coco-101")
        self.assertEqual(m["input"]["name"], "images")
        self.assertEqual(len(m["split"]["val"]), 2)
        self.assertEqual([c["key"] for c in m["classes"]], ["gauge_normal", "gauge_abnormal", "digital"])
        self.assertEqual(len(m["history"]), 1)
        import torch, torchvision  # noqa: E401 (the versions the project report prints)
        self.assertEqual(m["versions"], {"torch": torch.__version__, "torchvision": torchvision.__version__})

    def test_onnx_contract(self):
        import onnx
        model = onnx.load(os.path.join(self.out, "model.onnx"))
        onnx.checker.check_model(model)
        self.assertGreaterEqual(model.opset_import[0].version, 11)
        self.assertEqual([i.name for i in model.graph.input], ["images"])
        self.assertEqual([o.name for o in model.graph.output], ["boxes", "labels", "scores"])
        inp = model.graph.input[0].type.tensor_type
        self.assertEqual(inp.elem_type, onnx.TensorProto.FLOAT)
        self.assertEqual(len(inp.shape.dim), 3)
        self.assertEqual(inp.shape.dim[0].dim_value, 3)
        elem = [o.type.tensor_type.elem_type for o in model.graph.output]
        self.assertEqual(elem, [onnx.TensorProto.FLOAT, onnx.TensorProto.INT64, onnx.TensorProto.FLOAT])

    @unittest.skipUnless(shutil.which("node") and os.path.isdir(ORT_NODE), "node + onnxruntime-node not installed")
    def test_onnx_runs_in_onnxruntime_node(self):
        script = (
            "const ort=require(process.argv[1]);(async()=>{const s=await ort.InferenceSession.create(process.argv[2]);"
            "const out={};for(const [h,w] of [[128,128],[96,160]]){const r=await s.run({images:new ort.Tensor('float32',"
            "new Float32Array(3*h*w).fill(0.5),[3,h,w])});out[h+'x'+w]={dims:[r.boxes.dims,r.labels.dims,r.scores.dims],"
            "types:[r.boxes.type,r.labels.type,r.scores.type]};}console.log(JSON.stringify(out));})()"
            ".catch(e=>{console.error(e);process.exit(1)})"
        )
        r = subprocess.run(["node", "-e", script, ORT_NODE, os.path.join(self.out, "model.onnx")],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        res = json.loads(r.stdout)
        for v in res.values():  # dynamic H/W: both sizes run
            self.assertEqual(v["types"], ["float32", "int64", "float32"])
            n = v["dims"][0][0]
            self.assertEqual(v["dims"], [[n, 4], [n], [n]])

    def test_fine_tune_with_other_classes(self):
        ck = os.path.join(self.out, "best.pt")
        with open(self.manifest) as f:
            m = json.load(f)
        m["classes"] = m["classes"][:2]  # class count differs: head re-initialised
        for im in m["images"]:
            im["boxes"] = [b for b in im["boxes"] if b["classId"] < 2]
        mp = os.path.join(self.tmp, "m2.json")
        write_json(mp, m)
        out = os.path.join(self.tmp, "run2")
        r, events = run_cli(mp, {**TINY, "init": ck}, out)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        self.assertIn("re-initialised", r.stderr)
        self.assertEqual(events[-1]["type"], "done")
        import torch
        sd = torch.load(os.path.join(out, "best.pt"), map_location="cpu")
        meta = json.loads(sd["meta"])
        self.assertEqual([c["key"] for c in meta["classes"]], ["gauge_normal", "gauge_abnormal"])


class SigtermTest(unittest.TestCase):
    def test_sigterm_stops_cleanly(self):
        with tempfile.TemporaryDirectory() as tmp:
            generate(os.path.join(tmp, "ds"), 8, seed=12, width=256, height=192)
            out = os.path.join(tmp, "run")
            write_json(os.path.join(tmp, "p.json"), {**TINY, "epochs": 300})
            p = subprocess.Popen([sys.executable, TRAIN, "--manifest", os.path.join(tmp, "ds", "manifest.json"),
                                  "--params", os.path.join(tmp, "p.json"), "--out", out],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            events = []
            deadline = time.time() + 60
            for line in p.stdout:  # wait until training runs, then stop it
                events.append(json.loads(line))
                if events[-1]["type"] == "epoch" or time.time() > deadline:
                    p.send_signal(signal.SIGTERM)
                    break
            events += [json.loads(x) for x in p.stdout]
            p.stdout.close()
            self.assertEqual(p.wait(timeout=60), 0)
            self.assertEqual(events[-1]["type"], "done")
            self.assertEqual(events[-1]["reason"], "stopped")
            self.assertLess(events[-1]["bestEpoch"] or 0, 300)
            for f in ("model.onnx", "best.pt", "last.pt", "metrics.json", "progress.jsonl"):
                self.assertTrue(os.path.isfile(os.path.join(out, f)), f)


if __name__ == "__main__":
    unittest.main()
