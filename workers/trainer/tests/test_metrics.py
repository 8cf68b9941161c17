"""mAP@0.5 on hand-computed cases (the TypeScript port must give the same numbers)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from det.metrics import average_precision, evaluate, iou_matrix, map_50_95  # noqa: E402


def img(boxes=(), labels=(), scores=None):
    d = {"boxes": [list(b) for b in boxes], "labels": list(labels)}
    if scores is not None:
        d["scores"] = list(scores)
    return d


class IoUTest(unittest.TestCase):
    def test_hand_values(self):
        # 10x10 boxes overlapping by 5x10: inter 50, union 150
        self.assertAlmostEqual(iou_matrix([[0, 0, 10, 10]], [[5, 0, 15, 10]])[0, 0], 1 / 3)
        self.assertEqual(iou_matrix([[0, 0, 10, 10]], [[10, 0, 20, 10]])[0, 0], 0.0)  # touching
        self.assertEqual(iou_matrix([[0, 0, 10, 10]], [[0, 0, 10, 10]])[0, 0], 1.0)
        self.assertEqual(iou_matrix([[0, 0, 0, 0]], [[0, 0, 0, 0]])[0, 0], 0.0)  # empty union


class APTest(unittest.TestCase):
    def test_perfect(self):
        self.assertEqual(average_precision([1, 1], 2), 1.0)

    def test_101_point_hand_case(self):
        # sorted TP flags [1, 0, 1], 2 GT: recall .5 .5 1, precision 1 .5 .667
        # envelope 1 .667 .667; r in [0,.5] (51 pts) -> 1, r in (.5,1] (50 pts) -> 2/3
        self.assertAlmostEqual(average_precision([1, 0, 1], 2), (51 * 1 + 50 * (2 / 3)) / 101)

    def test_missed_gt_caps_recall(self):
        # one TP of 4 GT: recall .25 -> 26 points at precision 1
        self.assertAlmostEqual(average_precision([1], 4), 26 / 101)

    def test_no_gt_and_no_detections(self):
        self.assertIsNone(average_precision([], 0))
        self.assertEqual(average_precision([], 3), 0.0)


class EvaluateTest(unittest.TestCase):
    def test_two_images_two_classes(self):
        gts = [
            img([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 1]),
            img([[0, 0, 10, 10]], [0]),
        ]
        preds = [
            # class 0: TP (0.9); class 1: FP at wrong place (0.8) then TP (0.3)
            img([[0, 0, 10, 10], [50, 50, 60, 60], [21, 21, 31, 31]], [0, 1, 1], [0.9, 0.8, 0.3]),
            # class 0: duplicate of the same GT -> second is FP; then a TP... order 0.7 TP, 0.6 FP
            img([[0, 0, 10, 9], [0, 0, 10, 10]], [0, 0], [0.7, 0.6]),
        ]
        r = evaluate(preds, gts, 3)
        pc = {p["classId"]: p for p in r["perClass"]}
        # class 0: sorted .9 TP, .7 TP, .6 FP; 2 GT -> recall 1 at precision 1 -> AP 1
        self.assertAlmostEqual(pc[0]["ap50"], 1.0)
        # class 1: .8 FP, .3 TP; 1 GT -> precision .5 at recall 1; envelope .5 everywhere
        self.assertAlmostEqual(pc[1]["ap50"], 0.5)
        self.assertIsNone(pc[2]["ap50"])  # no GT: left out of the mean
        self.assertEqual(pc[2]["gt"], 0)
        self.assertAlmostEqual(r["map50"], 0.75)

    def test_greedy_takes_highest_iou_unmatched(self):
        # two GT; the first detection overlaps both and must take the better one (B),
        # leaving A for the second detection.
        gts = [img([[0, 0, 10, 10], [4, 0, 14, 10]], [0, 0])]
        preds = [img([[3, 0, 13, 10], [0, 0, 10, 10]], [0, 0], [0.9, 0.8])]
        r = evaluate(preds, gts, 1)
        self.assertAlmostEqual(r["map50"], 1.0)

    def test_iou_threshold_boundary(self):
        # IoU exactly 0.5 counts: [0,0,10,10] vs [0,0,10,20] -> 100/200
        gts = [img([[0, 0, 10, 20]], [0])]
        preds = [img([[0, 0, 10, 10]], [0], [0.5])]
        self.assertAlmostEqual(evaluate(preds, gts, 1)["map50"], 1.0)

    def test_wrong_class_is_fp_and_gt_missed(self):
        gts = [img([[0, 0, 10, 10]], [0])]
        preds = [img([[0, 0, 10, 10]], [1], [0.9])]
        r = evaluate(preds, gts, 2)
        self.assertEqual(r["perClass"][0]["ap50"], 0.0)
        self.assertIsNone(r["perClass"][1]["ap50"])
        self.assertEqual(r["map50"], 0.0)

    def test_stable_tie_order(self):
        # equal scores: image order decides; FP in image 0 comes first
        gts = [img(), img([[0, 0, 10, 10]], [0])]
        preds = [img([[0, 0, 10, 10]], [0], [0.5]), img([[0, 0, 10, 10]], [0], [0.5])]
        # sorted FP, TP: precision .5 at recall 1 -> AP .5
        self.assertAlmostEqual(evaluate(preds, gts, 1)["map50"], 0.5)

    def test_no_gt_anywhere(self):
        r = evaluate([img(scores=[])], [img()], 2)
        self.assertIsNone(r["map50"])
        self.assertIsNone(map_50_95([img(scores=[])], [img()], 2))

    def test_map_50_95_rewards_tight_boxes(self):
        gts = [img([[0, 0, 100, 100]], [0])]
        tight = [img([[0, 0, 100, 100]], [0], [0.9])]
        loose = [img([[0, 0, 100, 140]], [0], [0.9])]  # IoU 0.714
        self.assertAlmostEqual(map_50_95(tight, gts, 1), 1.0)
        self.assertAlmostEqual(map_50_95(loose, gts, 1), 0.5)  # passes 0.50..0.70: 5 of 10


if __name__ == "__main__":
    unittest.main()
