import sharp from 'sharp';
import { evaluateDetections, nms, type DetectionEvaluation, type ExamConfig, type ImageDetection } from '../../core/index.js';
import { getDetector } from '../../vision/index.js';
import type { ManifestImage } from './manifest.js';

/**
 * Evaluates the exported ONNX model — the file that will be deployed — on the run's
 * val photos, in TypeScript with onnxruntime-node: per-class AP@0.5, mAP@0.5,
 * COCO mAP@0.5:0.95 (101-point), precision/recall at `scoreThreshold`, confusion
 * matrix and PR points (core/metrics). Also returns the mean detect latency.
 *
 * `evaluation` scores the model's own outputs (per-class NMS inside the model, score
 * floor 0.05), the same definition as the trainer's val mAP, so the two agree;
 * `deployedMap50` scores them after the class-agnostic NMS that pre-labeling and the
 * invocation service apply (one label per object).
 */
export async function evaluateOnnx(
  modelPath: string,
  images: readonly ManifestImage[],
  exam: ExamConfig,
  scoreThreshold = 0.5,
): Promise<{ evaluation: DetectionEvaluation; deployedMap50: number | null; msPerImage: number; images: number }> {
  const detector = await getDetector(modelPath);
  const gt = images.map((im) => ({ imageId: String(im.photoId), boxes: im.boxes.map((b) => ({ classId: b.classId, box: b })) }));
  const dets: ImageDetection[] = [];
  let total = 0;
  for (const im of images) {
    const { data, info } = await sharp(im.path).resize(640, 640, { fit: 'inside', withoutEnlargement: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const t0 = performance.now();
    const found = await detector.detect(
      { data, width: info.width, height: info.height, channels: 3 },
      { scoreThreshold: 0.05, nmsIou: 1, sourceSize: { width: im.width, height: im.height } },
    );
    total += performance.now() - t0;
    for (const d of found) dets.push({ imageId: String(im.photoId), classId: d.classId, score: d.score, box: d.box });
  }
  const classIds = exam.classes.map((c) => c.id);
  const evaluation = evaluateDetections(gt, dets, { classIds, scoreThreshold });
  const deployed = images.flatMap((im) => nms(dets.filter((d) => d.imageId === String(im.photoId)), 0.5));
  const deployedMap50 = evaluateDetections(gt, deployed, { classIds, scoreThreshold }).map50;
  return { evaluation, deployedMap50, msPerImage: images.length ? total / images.length : 0, images: images.length };
}
