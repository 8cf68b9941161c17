"""Augmentation keeps boxes on their objects; no flips; empty targets survive."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import torch  # noqa: E402

from det import augment  # noqa: E402
from det.loop import _batches  # noqa: E402


def white_square(h, w, box):
    x = torch.zeros(1, 3, h, w)
    x1, y1, x2, y2 = box
    x[:, :, y1:y2, x1:x2] = 1.0
    return x


def bounds(img):
    ys, xs = torch.nonzero(img[0] > 0.75, as_tuple=True)
    return [xs.min().item(), ys.min().item(), xs.max().item() + 1, ys.max().item() + 1]


class GeometricTest(unittest.TestCase):
    def test_box_follows_the_object(self):
        box = [40, 50, 80, 90]
        checked = 0
        for seed in range(40):
            g = torch.Generator().manual_seed(seed)
            x = white_square(128, 160, box)
            out, boxes, labels = augment.geometric(x, [torch.tensor([box], dtype=torch.float32)],
                                                   [torch.tensor([2])], 1.0, g)
            if len(boxes[0]) == 0:
                continue  # mostly out of frame: dropped together with its label
            self.assertEqual(labels[0].tolist(), [2])
            b = boxes[0][0].tolist()
            if min(b[0], b[1]) <= 1 or b[2] >= 159 or b[3] >= 127:
                continue  # clipped at the frame: bounds of the visible part differ by the clip only
            got = bounds(out[0])
            for a, e in zip(got, b):
                self.assertLess(abs(a - e), 2.0, f"seed {seed}: pixels {got} vs box {b}")
            checked += 1
        self.assertGreater(checked, 15)

    def test_no_horizontal_flip(self):
        # an object left of centre stays left of centre's mirror position
        g = torch.Generator().manual_seed(0)
        for _ in range(20):
            x = white_square(128, 128, [10, 50, 30, 70])
            out, boxes, _ = augment.geometric(x, [torch.tensor([[10.0, 50, 30, 70]])], [torch.tensor([0])], 1.0, g)
            if len(boxes[0]):
                self.assertLess(boxes[0][0, 0].item(), 64)

    def test_empty_targets(self):
        g = torch.Generator().manual_seed(0)
        imgs = [torch.zeros(3, 64, 64, dtype=torch.uint8), torch.zeros(3, 64, 64, dtype=torch.uint8)]
        xs, bs, ls = augment.augment_batch(imgs, [torch.zeros(0, 4), torch.zeros(0, 4)],
                                           [torch.zeros(0, dtype=torch.int64)] * 2, 0.7, g)
        self.assertEqual([tuple(b.shape) for b in bs], [(0, 4), (0, 4)])
        self.assertTrue(all(0 <= float(x.min()) and float(x.max()) <= 1 for x in xs))

    def test_strength_zero_is_identity(self):
        g = torch.Generator().manual_seed(0)
        img = (torch.rand(3, 32, 32) * 255).to(torch.uint8)
        xs, bs, _ = augment.augment_batch([img], [torch.tensor([[1.0, 2, 3, 4]])], [torch.tensor([0])], 0.0, g)
        self.assertTrue(torch.equal(xs[0], img.float() / 255))
        self.assertEqual(bs[0].tolist(), [[1.0, 2, 3, 4]])


class BatchesTest(unittest.TestCase):
    def test_never_a_lone_sample(self):
        g = torch.Generator().manual_seed(0)
        for n in range(2, 40):
            for b in (1, 2, 3, 8, 16):
                chunks = _batches(n, b, g)
                self.assertEqual(sorted(i for c in chunks for i in c), list(range(n)))
                self.assertTrue(all(len(c) >= 2 for c in chunks), (n, b, [len(c) for c in chunks]))
                self.assertLessEqual(max(len(c) for c in chunks), max(b, 2) + 1)


if __name__ == "__main__":
    unittest.main()
