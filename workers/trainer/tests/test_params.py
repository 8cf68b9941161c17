"""Params validation, the deterministic split, the LR plan, and bad-params on the CLI."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from det.params import DEFAULTS, ParamError, validate  # noqa: E402
from det.schedule import Plan, lr_at  # noqa: E402

TRAIN = os.path.join(HERE, "..", "train.py")


class ValidateTest(unittest.TestCase):
    def bad(self, field, value):
        with self.assertRaises(ParamError) as cm:
            validate({field: value})
        self.assertEqual(cm.exception.field, field)

    def test_defaults(self):
        p = validate({})
        self.assertEqual(p["model"], "ssdlite")
        self.assertEqual(p["imgSize"], 320)
        self.assertIsNone(p["init"])
        self.assertGreater(p["lr"], 0)  # resolved per optimizer
        self.assertEqual(set(p), set(DEFAULTS))

    def test_null_means_default(self):
        self.assertEqual(validate({"epochs": None})["epochs"], DEFAULTS["epochs"])

    def test_each_field_rejects_bad_values(self):
        cases = {
            "model": ["yolo", 1], "epochs": [0, 301, 2.5, "3", True], "batch": [0, 65],
            "lr": [0, 1e-6, 2, float("nan")], "optimizer": ["adam"], "weightDecay": [-0.1, 0.2],
            "warmupEpochs": [-1, 11], "augment": [-0.1, 1.5], "valSplit": [0.01, 0.6],
            "seed": [-1, 1.5], "patience": [-1, 301], "timeBudgetS": [-5],
            "imgSize": [100, 330, 2048], "init": [5, "", "/no/such/checkpoint.pt"],
            "evalEvery": [-1, 301], "device": ["tpu"], "threads": [-1], "workers": [17],
        }
        self.assertEqual(set(cases), set(DEFAULTS))
        for field, values in cases.items():
            for v in values:
                with self.subTest(field=field, value=v):
                    self.bad(field, v)

    def test_accepts_edges(self):
        p = validate({"epochs": 300, "batch": 1, "lr": 1e-5, "optimizer": "sgd", "augment": 0,
                      "valSplit": 0.5, "imgSize": 128, "model": "frcnn", "device": "cpu"})
        self.assertEqual(p["optimizer"], "sgd")
        self.assertEqual(p["lr"], 1e-5)

    def test_unknown_field(self):
        self.bad("epoch", 3)

    def test_not_an_object(self):
        with self.assertRaises(ParamError):
            validate([1, 2])


class ScheduleTest(unittest.TestCase):
    def test_warmup_then_cosine_to_floor(self):
        self.assertAlmostEqual(lr_at(0, 100, 10, 1.0), 0.02 + 0.98 * 0.1)
        self.assertAlmostEqual(lr_at(9, 100, 10, 1.0), 1.0)
        self.assertAlmostEqual(lr_at(10, 100, 10, 1.0), 1.0)
        self.assertAlmostEqual(lr_at(100, 100, 10, 1.0), 0.02)
        self.assertLess(lr_at(60, 100, 10, 1.0), lr_at(40, 100, 10, 1.0))

    def test_plan_fits_budget(self):
        p = Plan(epochs=300, steps_per_epoch=10, warmup_epochs=2, budget_s=100, reserve_s=10)
        # 1 s per step, no eval: 90 s left after reserve -> 9 epochs
        self.assertEqual(p.replan(elapsed_s=0, steps_done=0, sec_per_step=1.0, eval_s_per_epoch=0), 9)
        self.assertEqual(p.total_steps, 90)
        self.assertFalse(p.out_of_time(80))
        self.assertTrue(p.out_of_time(95))
        q = Plan(epochs=5, steps_per_epoch=10, warmup_epochs=2, budget_s=0, reserve_s=10)
        self.assertEqual(q.replan(0, 0, 1.0, 0), 5)  # no budget: epochs as asked


class SplitTest(unittest.TestCase):
    def test_deterministic_stratified(self):
        from det.data import split_images
        imgs = [{"path": f"/x/{i}.jpg", "split": None, "boxes": [(i % 3, [0, 0, 1, 1])]} for i in range(30)]
        a = split_images(imgs, 0.2, 7)
        b = split_images(list(imgs), 0.2, 7)
        self.assertEqual(a, b)
        train, val = a
        self.assertEqual(len(val), 6)
        self.assertEqual(sorted(train + val), list(range(30)))
        self.assertEqual(sorted({i % 3 for i in val}), [0, 1, 2])  # each combo in val
        self.assertNotEqual(split_images(imgs, 0.2, 8)[1], val)

    def test_given_split_wins(self):
        from det.data import split_images
        imgs = [{"path": f"/x/{i}.jpg", "split": "val" if i < 2 else "train", "boxes": []} for i in range(5)]
        self.assertEqual(split_images(imgs, 0.5, 0), ([2, 3, 4], [0, 1]))


class CliBadParamsTest(unittest.TestCase):
    def test_bad_params_line_and_exit_2(self):
        with tempfile.TemporaryDirectory() as d:
            pp = os.path.join(d, "p.json")
            with open(pp, "w") as f:
                json.dump({"epochs": 0}, f)
            r = subprocess.run([sys.executable, TRAIN, "--manifest", os.path.join(d, "m.json"), "--params", pp,
                                "--out", os.path.join(d, "out")], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 2, r.stderr)
            lines = r.stdout.strip().splitlines()
            self.assertEqual(len(lines), 1)
            ev = json.loads(lines[0])
            self.assertEqual((ev["type"], ev["code"], ev["field"]), ("error", "bad-params", "epochs"))
            self.assertIn("epochs", ev["message"])

    def test_bad_manifest(self):
        with tempfile.TemporaryDirectory() as d:
            pp, mp = os.path.join(d, "p.json"), os.path.join(d, "m.json")
            with open(pp, "w") as f:
                json.dump({}, f)
            with open(mp, "w") as f:
                json.dump({"classes": [{"id": 0, "key": "a"}], "images": [
                    {"path": "/x.jpg", "boxes": [{"classId": 3, "x1": 0, "y1": 0, "x2": 1, "y2": 1}]}]}, f)
            r = subprocess.run([sys.executable, TRAIN, "--manifest", mp, "--params", pp,
                                "--out", os.path.join(d, "out")], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 2, r.stderr)
            ev = json.loads(r.stdout.strip().splitlines()[-1])
            self.assertEqual((ev["type"], ev["code"]), ("error", "bad-manifest"))


if __name__ == "__main__":
    unittest.main()
