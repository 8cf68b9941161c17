import { className, reasonName, t, type Detection, type PredictJob } from '../../core/index.js';
import { runModelPath } from '../../store/index.js';
import { fetchStationModels } from '../blob-sync.js';
import { classPalette, DETECT_DEFAULTS, getDetector, inspectImage, renderPreview, type RawImage } from '../../vision/index.js';
import { downloadTelegramFile } from '../ingest/download.js';
import { displayOf } from '../preview/render.js';
import type { WorkerDeps } from '../processors.js';

/**
 * `/deploy`'s sample and `/predict`'s answer: the station's deployed run's ONNX model on one
 * image, drawn with numbered boxes and a class legend, the detections listed in the caption.
 * An uploaded photo is downloaded and decoded here and never stored: it is not part of the
 * dataset. The run is the one named in the job (the one deployed when it was asked), so a
 * redeploy in between does not change what the user was told would answer.
 */

/** Detections listed in the caption (Telegram captions stop at 1024 characters). */
const MAX_CAPTION_LINES = 20;

type Source = { image: RawImage; size: { width: number; height: number }; label: string };

async function loadSource(job: PredictJob, deps: WorkerDeps): Promise<Source | { refused: string } | undefined> {
  if (job.source === 'val') {
    const photo = job.photoId === undefined ? undefined : deps.store.photos.getForStation(job.stationNo, job.photoId);
    if (!photo?.imagePath) return undefined;
    const image = await displayOf(photo.imagePath);
    return { image, size: { width: photo.width ?? image.width, height: photo.height ?? image.height }, label: t(job.lang, 'predict.sourceVal', { id: photo.id }) };
  }
  const { limits } = deps.exam;
  const dl = await downloadTelegramFile(deps.telegram, job.fileId ?? '', limits.maxFileBytes);
  if (dl.kind === 'too-large') return { refused: reasonName(job.lang, 'too-large-file') };
  if (dl.kind === 'failed') return { refused: reasonName(job.lang, 'download-failed') };
  const insp = await inspectImage(dl.data, { maxInputPixels: limits.maxInputPixels, maxBytes: limits.maxFileBytes });
  if (insp.kind === 'rejected') return { refused: reasonName(job.lang, insp.reason) };
  return { image: insp.display, size: { width: insp.width, height: insp.height }, label: t(job.lang, 'predict.sourceUpload') };
}

/** The caption: run, source, count, then one line per detection (class and score). */
export function predictCaption(job: PredictJob, deps: WorkerDeps, source: string, detections: readonly Detection[], threshold: number): string {
  const byId = new Map(deps.exam.classes.map((c) => [c.id, c]));
  const lines = detections.slice(0, MAX_CAPTION_LINES).map((d, i) => {
    const cls = byId.get(d.classId);
    return t(job.lang, 'predict.line', { i: i + 1, cls: cls ? className(cls, job.lang) : `class_${d.classId}`, score: d.score.toFixed(2) });
  });
  if (detections.length > MAX_CAPTION_LINES) lines.push(t(job.lang, 'predict.more', { n: detections.length - MAX_CAPTION_LINES }));
  return [t(job.lang, 'predict.title', { run: job.runId, source, n: detections.length, threshold }), ...lines].join('\n');
}

export async function predict(job: PredictJob, deps: WorkerDeps): Promise<{ kind: string; detections?: number }> {
  const run = deps.store.runs.getForStation(job.stationNo, job.runId);
  if (!run || run.status !== 'completed') return { kind: 'missing' };
  const src = await loadSource(job, deps);
  if (!src) return { kind: 'missing' };
  if ('refused' in src) {
    await deps.telegram.sendMessage(job.chatId, t(job.lang, 'predict.bad', { reason: src.refused }), { parse_mode: 'HTML' });
    return { kind: 'refused' };
  }
  await fetchStationModels(deps, job.stationNo);
  const detector = await getDetector(runModelPath(deps.store.dataDir, job.stationNo, run.id));
  const threshold = DETECT_DEFAULTS.scoreThreshold;
  const detections = await detector.detect(src.image, { sourceSize: src.size, scoreThreshold: threshold });
  const palette = classPalette(deps.exam.classes.length);
  const boxes = detections.map((d, i) => ({ ...d.box, label: String(i + 1), color: palette[d.classId] ?? '#ff0' }));
  const legend = deps.exam.classes.map((c) => ({ color: palette[c.id] ?? '#ff0', text: className(c, job.lang) }));
  const jpeg = await renderPreview(src.image, boxes, { legend, sourceSize: src.size });
  await deps.telegram.sendPhoto(job.chatId, { source: jpeg }, { caption: predictCaption(job, deps, src.label, detections, threshold), parse_mode: 'HTML' });
  return { kind: 'sent', detections: detections.length };
}

/** Final failure: say so once (the model file missing or unreadable, Telegram down for good). */
export async function predictFailed(job: PredictJob, deps: WorkerDeps): Promise<void> {
  await deps.telegram.sendMessage(job.chatId, t(job.lang, 'predict.failed', { run: job.runId }), { parse_mode: 'HTML' });
}
