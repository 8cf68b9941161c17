// @ts-check
/**
 * One ONNX session in a worker thread (`thread-detector.ts`): onnxruntime-node's `run`
 * blocks the thread that calls it, so the web process runs its models here and its main
 * thread keeps answering (the box editor, health checks) while a model runs. Plain
 * JavaScript so it runs the same under tsx, vitest and node.
 *
 * In:  { id, input: Float32Array (transferred), dims: [3, h, w] } or { close: true }.
 * Out: { id, boxes, labels, scores, input } (transferred; the input handed back for reuse) or { id, error }.
 */
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';

/** @type {{ modelPath: string; threads: number }} */
const data = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

const ready = readFile(data.modelPath).then((bytes) =>
  ort.InferenceSession.create(bytes, { intraOpNumThreads: data.threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' }),
);
ready.then(
  (s) => port.postMessage({ ready: true, inputNames: s.inputNames, outputNames: s.outputNames }),
  (err) => port.postMessage({ ready: false, error: String(err instanceof Error ? err.message : err) }),
);

port.on('message', async (msg) => {
  const session = await ready.catch(() => undefined);
  if (msg.close) {
    await session?.release();
    port.close();
    return;
  }
  try {
    if (!session) throw new Error('the model could not be loaded');
    const out = await session.run({ images: new ort.Tensor('float32', msg.input, msg.dims) });
    const boxes = out.boxes?.data;
    const labels = out.labels?.data;
    const scores = out.scores?.data;
    if (!(boxes instanceof Float32Array && labels instanceof BigInt64Array && scores instanceof Float32Array)) {
      throw new Error('returned outputs of the wrong types (need boxes float32, labels int64, scores float32)');
    }
    // Copies (small: a few hundred boxes at most) that this thread owns and can hand over.
    const b = Float32Array.from(boxes);
    const l = BigInt64Array.from(labels);
    const sc = Float32Array.from(scores);
    port.postMessage({ id: msg.id, boxes: b, labels: l, scores: sc, input: msg.input }, [b.buffer, l.buffer, sc.buffer, msg.input.buffer]);
  } catch (err) {
    port.postMessage({ id: msg.id, error: String(err instanceof Error ? err.message : err) });
  }
});
