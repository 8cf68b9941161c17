import sharp from 'sharp';
import { evaluateDetections, nmsPerClass, SELECT_DEFAULTS, selectDetections, type DetectionEvaluation, type ExamConfig, type ImageDetection } from '../../core/index.js';
import { getDetector } from '../../vision/index.js';
import type { ManifestImage } from './manifest.js';

/**
 * Evaluates the exported ONNX model — the file that will be deployed — on the run's
 * val photos, in TypeScript with onnxruntime-node: per-class AP@0.5, mAP@0.5,
 * COCO mAP@0.5:0.95 (101-point), precision/recall at `scoreThreshold`, confusion
 * matrix and PR points (core/metrics). Also returns the mean detect latency.
 *
 * `evaluation` scores the model's candidates (score floor 0.05) after per-class NMS at
 * torchvision's IoU for SSDLite — what the model itself returned before its export left NMS
 * to us — the same definition as the trainer's val mAP, so the two agree; `deployedMap50`
 * scores them as pre-labeling and the invocation service select them (class-agnostic NMS,
 * box voting, parts dropped: one label per object).
 */

/** torchvision SSDLite's per-class NMS IoU (the default model; Faster R-CNN's is 0.5). */
export const MODEL_NMS_IOU = 0.55;
export async function evaluateOnnx(
  modelPath: string,
  images: readonly ManifestImage[],
  exam: ExamConfig,
  scoreThreshold = 0.5,
): Promise<{ evaluation: DetectionEvaluation; deployedMap50: number | null; msPerImage: number; images: number }> {
  const detector = await getDetector(modelPath);
  const gt = images.map((im) => ({ imageId: String(im.photoId), boxes: im.boxes.map((b) => ({ classId: b.classId, box: b })) }));
  const dets: ImageDetection[] = [];
  const deployed: ImageDetection[] = [];
  let total = 0;
  for (const im of images) {
    const { data, info } = await sharp(im.path).resize(640, 640, { fit: 'inside', withoutEnlargement: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const t0 = performance.now();
    const candidates = await detector.detect(
      { data, width: info.width, height: info.height, channels: 3 },
      { scoreThreshold: 0.05, nmsIou: 1, voteIou: false, containedShare: false, sourceSize: { width: im.width, height: im.height } },
    );
    total += performance.now() - t0;
    const imageId = String(im.photoId);
    for (const d of nmsPerClass(candidates, MODEL_NMS_IOU)) dets.push({ imageId, classId: d.classId, score: d.score, box: d.box });
    const selected = selectDetections(candidates, { scoreThreshold: 0.05, nmsIou: 0.5, scaleX: 1, scaleY: 1, width: im.width, height: im.height, ...SELECT_DEFAULTS });
    for (const d of selected) deployed.push({ imageId, classId: d.classId, score: d.score, box: d.box });
  }
  const classIds = exam.classes.map((c) => c.id);
  const evaluation = evaluateDetections(gt, dets, { classIds, scoreThreshold });
  const deployedMap50 = evaluateDetections(gt, deployed, { classIds, scoreThreshold }).map50;
  return { evaluation, deployedMap50, msPerImage: images.length ? total / images.length : 0, images: images.length };
}
