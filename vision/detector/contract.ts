/**
 * The ONNX contract between the trainer (`workers/trainer/det/onnx_export.py`) and the
 * detector: input `images` float32 [3, H, W] RGB 0..1 (one image, no batch dimension, H
 * and W dynamic, the model resizes internally); outputs in this order `boxes` float32
 * [N, 4] x1, y1, x2, y2 in input pixels, `labels` int64 [N] exam class ids (0-based),
 * `scores` float32 [N] (≥ 0.05; the consumer applies its own threshold).
 */
import type { InferenceSession } from 'onnxruntime-node';

/** Input names the contract requires, in order. */
export const INPUT_NAMES = ['images'] as const;
/** Output names the contract requires, in order. */
export const OUTPUT_NAMES = ['boxes', 'labels', 'scores'] as const;

const FIX =
  'Export the model with workers/trainer/det/onnx_export.py (ExportWrapper, input_names=["images"], ' +
  'output_names=["boxes", "labels", "scores"], dynamic H/W), or retrain it with workers/trainer/train.py.';

/** A model file that cannot serve as the detector; the message says how to fix it. */
export class DetectorModelError extends Error {
  override readonly name = 'DetectorModelError';
  constructor(
    readonly modelPath: string,
    problem: string,
  ) {
    super(`Detector model ${modelPath} ${problem}. ${FIX}`);
  }
}

type Metadata = InferenceSession['inputMetadata'][number];

function describe(m: Metadata): string {
  return m.isTensor ? `${m.name}: ${m.type} [${m.shape.join(', ')}]` : `${m.name}: not a tensor`;
}

function isTensorOf(m: Metadata | undefined, type: string, rank: number): boolean {
  return m !== undefined && m.isTensor && m.type === type && m.shape.length === rank;
}

/**
 * Throws {@link DetectorModelError} unless the session's inputs and outputs follow the
 * contract: names (in order), element types and ranks.
 */
export function checkContract(session: Pick<InferenceSession, 'inputNames' | 'outputNames' | 'inputMetadata' | 'outputMetadata'>, modelPath: string): void {
  const ins = [...session.inputNames];
  const outs = [...session.outputNames];
  if (ins.join() !== INPUT_NAMES.join() || outs.join() !== OUTPUT_NAMES.join()) {
    throw new DetectorModelError(
      modelPath,
      `has inputs [${ins.join(', ')}] and outputs [${outs.join(', ')}]; the contract is inputs [${INPUT_NAMES.join(', ')}] ` +
        `and outputs [${OUTPUT_NAMES.join(', ')}] in this order`,
    );
  }
  const [images] = session.inputMetadata;
  const [boxes, labels, scores] = session.outputMetadata;
  const isOk =
    isTensorOf(images, 'float32', 3) &&
    isTensorOf(boxes, 'float32', 2) &&
    isTensorOf(labels, 'int64', 1) &&
    isTensorOf(scores, 'float32', 1);
  if (!isOk) {
    const found = [...session.inputMetadata, ...session.outputMetadata].map(describe).join('; ');
    throw new DetectorModelError(
      modelPath,
      `has the right names but wrong types or shapes (${found}); the contract is images: float32 [3, H, W] → ` +
        'boxes: float32 [N, 4], labels: int64 [N], scores: float32 [N] (one image, no batch dimension)',
    );
  }
}
