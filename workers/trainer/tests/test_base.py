"""The shipped base checkpoint (trained at 480 px) loads as `init` (float16 → float32) into the
default 320 px model too: SSDLite's weights do not depend on the input size."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

import torch  # noqa: E402

from det import models  # noqa: E402

BASE = os.path.join(HERE, "..", "base", "ssdlite-rig.pt")


@unittest.skipUnless(os.path.isfile(BASE), "base checkpoint not built")
class BaseCheckpointTest(unittest.TestCase):
    def test_loads_into_the_default_model(self):
        ck = models.load_checkpoint(BASE)
        self.assertEqual((ck["model"], ck["imgSize"], ck["dtype"]), ("ssdlite", 480, "float16"))
        classes = ck["classes"]
        self.assertEqual([c["key"] for c in classes], ["gauge_normal", "gauge_abnormal", "digital"])
        m = models.build("ssdlite", len(classes), 320)
        self.assertEqual(models.apply_init(m, "ssdlite", classes, ck), "all weights")
        sd = m.state_dict()
        for k, v in ck["state_dict"].items():
            self.assertEqual(sd[k].dtype, torch.float32 if v.is_floating_point() else v.dtype)
            self.assertTrue(torch.equal(sd[k], v.float() if v.is_floating_point() else v), k)

    def test_reordered_classes_permute_the_head(self):
        ck = models.load_checkpoint(BASE)
        swapped = [ck["classes"][2], ck["classes"][0], ck["classes"][1]]
        m = models.build("ssdlite", 3, 320)
        self.assertIn("reordered", models.apply_init(m, "ssdlite", swapped, ck))
        key = "head.classification_head.module_list.0.1.bias"
        old = ck["state_dict"][key].float().reshape(-1, 4)  # anchors x (background + 3)
        new = m.state_dict()[key].reshape(-1, 4)
        self.assertTrue(torch.equal(new[:, 0], old[:, 0]))  # background stays
        self.assertTrue(torch.equal(new[:, 1], old[:, 3]))  # new class 0 = old "digital"
        self.assertTrue(torch.equal(new[:, 2], old[:, 1]))


if __name__ == "__main__":
    unittest.main()
