import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { capturePlan, evaluateDetections, planProgress, PRESETS } from '../../core/index.js';
import { stationPaths } from '../../store/index.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { validId } from '../../test/harness.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { writeManifest } from '../train/manifest.js';

const FIXTURE_ONNX = resolve('vision/detector/fixtures/detector-alt.onnx');

/** The PDF's text as pdftotext extracts it (layout kept, so table rows stay on one line). */
function pdfText(pdf: Buffer, dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, pdf);
  // KEEP_REPORTS=<dir> keeps the PDFs for a look with pdftoppm.
  if (process.env.KEEP_REPORTS) writeFileSync(join(process.env.KEEP_REPORTS, name), pdf);
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

/** Adds one imported photo (a copy of a seeded one) as the judges' dataset `file`, as the import worker does. */
function importOne(stack: ChatStack, station: string, file: string): void {
  const { store } = stack.env;
  const src = store.labels.listConfirmed(station)[0];
  if (!src?.photo.imagePath) throw new Error('seed gave no photo');
  const added = store.dataset.addImport(station, { format: 'voc', fileName: file, author: 1, chatId: 1 }, [
    { sha256: `${station}-imported`, imagePath: src.photo.imagePath, format: 'jpeg', width: 640, height: 480, combo: src.photo.combo, split: 'train', boxes: src.boxes.map((b) => ({ classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 })) },
  ]);
  expect(added.added).toBe(1);
}

/**
 * `/report1` and `/report2` end to end: the command answers at once, the `report` worker
 * assembles the data from the store, writes the PDF under the station's `reports/` and
 * sends it to the chat as a document whose numbers are the chat's (and the run's).
 */
describe('report worker', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), env: { WORKER_QUEUES: 'report' } });
  });
  afterAll(() => stack.close());

  it('/report1 sends a PDF with the station, the numbers /plan shows and only the masked ID', async () => {
    const idSeed = '11010519900307124';
    await seedConfirmedStation(stack.env, 'P01', 6001, 6, idSeed);
    const u = stack.emu.user(6001, { languageCode: 'en' });

    await u.sendText('/plan');
    const plan = await u.waitFor((m) => (m.text ?? '').includes('P01'));
    const progress = planProgress(capturePlan(stack.env.exam), stack.env.store.photos.countByCombo('P01'));
    expect(plan.text).toContain(`${progress.captured}`);

    await u.sendText('/report1');
    await u.waitFor((m) => (m.text ?? '').includes('Generating the dataset acceptance report'));
    const doc = await u.waitFor((m) => m.document !== undefined, { timeoutMs: 60_000 });
    expect(doc.caption).toContain('P01');
    expect(doc.caption).toContain('not reviewed yet');
    const pdf = await u.downloadFile(doc);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const saved = join(stationPaths(stack.env.dataDir, 'P01').reports, 'stage1.pdf');
    expect(readFileSync(saved).equals(pdf)).toBe(true);

    const text = pdfText(pdf, stack.env.dataDir, 'r1.pdf');
    expect(text).toContain('P01');
    expect(text).toContain('1101**********');
    expect(text).not.toContain(validId(idSeed));
    // The plan's totals row: planned total and final (the /plan "captured of total").
    const totals = text.split('\n').find((l) => /合计|Total/.test(l) && l.includes(String(progress.total)));
    expect(totals, text).toBeDefined();
    expect(totals).toContain(String(progress.captured));
    expect(text).not.toMatch(/imported\)|（导入）/);
  });

  it('/report1 after a finished review prints its seed, verdicts and accuracy', async () => {
    const { store } = stack.env;
    await seedConfirmedStation(stack.env, 'P04', 6004, 5, '11010519900307127');
    const sampled = store.labels.listConfirmed('P04').slice(0, 2);
    const review = store.reviews.create('P04', 424242, 0.2, sampled.map((c) => c.photo.id));
    for (const c of sampled) for (const b of c.boxes) store.reviews.setVerdict(review.id, b.id, 'qualified');
    const first = sampled[0]?.boxes[0];
    if (!first || !sampled[1]) throw new Error('seed gave no boxes');
    store.reviews.setVerdict(review.id, first.id, 'loose');
    store.reviews.setMissed(review.id, sampled[1].photo.id, 1);
    store.reviews.finish(review.id);
    const boxes = sampled.reduce((s, c) => s + c.boxes.length, 0);
    const accuracy = `${((100 * (boxes - 1)) / (boxes + 1)).toFixed(1)}%`;
    importOne(stack, 'P04', 'judges-voc.zip');

    const u = stack.emu.user(6004, { languageCode: 'en' });
    await u.sendText('/report1');
    const doc = await u.waitFor((m) => m.document !== undefined, { timeoutMs: 60_000 });
    expect(doc.caption).toContain(`acceptance accuracy ${accuracy}`);
    const text = pdfText(await u.downloadFile(doc), stack.env.dataDir, 'r1-reviewed.pdf');
    expect(text).toContain('424242');
    expect(text).toContain(accuracy);
    expect(text).not.toMatch(/not reviewed|尚未验收/i);
    // The judges' dataset it was fed: the file, its format and how many photos.
    expect(text).toContain('（导入）');
    expect(text).toMatch(/judges-voc\.zip \(VOC\) · \d{4}-\d\d-\d\d \d\d:\d\d UTC · 1 张照片 photos/);
  });

  it('/report2 refuses clearly while the station has no finished run', async () => {
    await seedConfirmedStation(stack.env, 'P02', 6002, 2, '11010519900307125');
    const u = stack.emu.user(6002, { languageCode: 'en' });
    await u.sendText('/report2');
    const m = await u.waitFor((x) => (x.text ?? '').includes('No finished training run'));
    expect(m.text).toContain('/train');
  });

  it('/report2 on a completed run prints the run, its mAP and its per-epoch history', async () => {
    const { store, exam } = stack.env;
    await seedConfirmedStation(stack.env, 'P03', 6003, 6, '11010519900307126');
    importOne(stack, 'P03', 'standard-yolo.zip');
    const created = store.runs.create({ stationNo: 'P03', kind: 'train', params: { ...PRESETS.fast, valSplit: 0.5 }, chatId: 6003 });
    if (created.kind !== 'created') throw new Error('run not created');
    const run = created.run;
    mkdirSync(run.dir, { recursive: true });
    // What the trainer leaves in its run dir: the manifest, model.onnx, metrics.json.
    const manifest = await writeManifest(store, exam, run, { valSplit: 0.5, seed: 0 });
    copyFileSync(FIXTURE_ONNX, join(run.dir, 'model.onnx'));
    const models = join(stationPaths(stack.env.dataDir, 'P03').root, 'models');
    mkdirSync(models, { recursive: true });
    copyFileSync(FIXTURE_ONNX, join(models, `${run.id}.onnx`));
    const history = [1, 2, 3].map((epoch) => ({ epoch, epochs: 3, loss: 2 / epoch, lossParts: {}, lr: 0.001, imagesPerS: 3, elapsedS: epoch * 10, etaS: 0, ...(epoch === 3 ? { valMap50: 0.5 } : {}) }));
    writeFileSync(join(run.dir, 'metrics.json'), JSON.stringify({ device: 'cpu', history, elapsedS: 31.5, versions: { torch: '1.13.0', torchvision: '0.14.1' } }));
    // The run's metrics: core's evaluation (as the train worker stores it) of detections
    // that miss one box and are loose on others, so mAP is distinctive, not 0 or 1.
    const val = manifest.images.filter((i) => i.split === 'val');
    const gt = val.map((im) => ({ imageId: String(im.photoId), boxes: im.boxes.map((b) => ({ classId: b.classId, box: b })) }));
    const dets = val.flatMap((im, i) =>
      im.boxes.slice(i === 0 ? 1 : 0).map((b, k) => ({ imageId: String(im.photoId), classId: b.classId, score: 0.9 - 0.1 * k - 0.05 * i, box: { x1: b.x1 + 4 * k, y1: b.y1, x2: b.x2 + 6 * k, y2: b.y2 + 3 * i } })),
    );
    const evaluation = evaluateDetections(gt, dets, { classIds: exam.classes.map((c) => c.id) });
    expect(evaluation.map50).not.toBeNull();
    store.runs.update(run.id, { status: 'running' });
    store.runs.update(run.id, { status: 'completed', progress: { device: 'cpu' }, metrics: { ...evaluation, model: join(models, `${run.id}.onnx`) } });
    const ev = { evaluation };

    const u = stack.emu.user(6003, { languageCode: 'en' });
    await u.sendText('/report2');
    await u.waitFor((m) => (m.text ?? '').includes('Generating the project report'));
    const doc = await u.waitFor((m) => m.document !== undefined, { timeoutMs: 60_000 });
    const map50 = (ev.evaluation.map50 ?? 0).toFixed(3);
    expect(doc.caption).toContain(run.id);
    expect(doc.caption).toContain(map50);
    const pdf = await u.downloadFile(doc);
    expect(existsSync(join(stationPaths(stack.env.dataDir, 'P03').reports, 'stage2.pdf'))).toBe(true);
    const text = pdfText(pdf, stack.env.dataDir, 'r2.pdf');
    expect(text).toContain(run.id);
    expect(text).toContain(map50);
    expect(text).toContain((ev.evaluation.map50_95 ?? 0).toFixed(3));
    for (const c of ev.evaluation.perClass) expect(text).toContain((c.ap50 ?? 0).toFixed(3));
    expect(text).toMatch(/Training time\s+32 s/);
    expect(text).toContain(`stations/P03/models/${run.id}.onnx`);
    expect(text).toContain('1.13.0');
    expect(text).not.toContain(validId('11010519900307126'));
    expect(text).toContain('Not deployed');
    expect(text).toMatch(/standard-yolo\.zip \(VOC\) · .* · 1 张照片 photos/);

    // Deployed: the report names the service and a measured latency instead.
    expect(store.runs.setDeployed(run.id).kind).toBe('deployed');
    await u.sendText('/report2');
    const again = await u.waitFor((m) => m.document !== undefined && m.message_id > doc.message_id, { timeoutMs: 60_000 });
    const deployed = pdfText(await u.downloadFile(again), stack.env.dataDir, 'r2-deployed.pdf');
    expect(deployed).toContain('/api/v1/stations/P03/detect');
    expect(deployed).not.toContain('Not deployed');
  });

  it('a report job that can never succeed tells the chat, once, without retrying', async () => {
    const u = stack.emu.user(6005, { languageCode: 'en' });
    stack.env.store.users.upsert({ userId: 6005, chatId: 6005, lang: 'en' });
    await stack.jobs.enqueue('report', { stationNo: 'NOPE', kind: 'stage1', chatId: 6005, lang: 'en', requestId: 1 });
    const m = await u.waitFor((x) => (x.text ?? '').includes('The report could not be made'));
    expect(m.text).toContain('/report1');
  });
});
