import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stationPaths } from '../../store/index.js';
import { testEnv, validId } from '../../test/harness.js';
import { closeDetectors } from '../../vision/index.js';
import { heldOutProposals, judgeAssist } from './adoption.js';
import type { ManifestImage } from './manifest.js';

/**
 * The assist model's adoption test with real ONNX models and the real proposal path. The
 * fixtures: `detector-alt.onnx` proposes one box (the middle half of the photo, class 2),
 * `detector.onnx` several. The photos are flat grey (snap finds no edge to move a side to),
 * so what each model proposes is known exactly.
 */
const ALT = resolve('vision/detector/fixtures/detector-alt.onnx');
const MANY = resolve('vision/detector/fixtures/detector.onnx');
const W = 640;
const H = 480;
const MIDDLE = { classId: 2, x1: 160, y1: 120, x2: 480, y2: 360 };
/** The middle box moved right by a tenth of its width: what the contestant drew on this rig. */
const SHIFTED = { ...MIDDLE, x1: 192, x2: 512 };

describe('assist adoption: judged on the held-out photos through the proposal path', () => {
  const env = testEnv();
  let grey: Buffer;
  let seq = 0;

  /** A confirmed photo of combo `2` with `truth`; `proposed`: what model `modelId` proposed for it. */
  function confirmed(station: string, truth: typeof MIDDLE, proposed?: { modelId: string; box: typeof MIDDLE }): ManifestImage {
    seq++;
    const { photo } = env.store.photos.receive({ stationNo: station, tgFileId: `f${seq}`, tgFileUniqueId: `u${seq}`, source: 'photo', mediaGroupId: null, chatId: 1, messageId: seq, combo: '2' });
    const dir = stationPaths(env.dataDir, station).images;
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${photo.id}.jpg`);
    writeFileSync(path, grey);
    env.store.photos.complete(photo.id, { status: 'clean', sha256: `s${seq}`, phash: '0'.repeat(16), format: 'jpeg', width: W, height: H, sharpness: 300, meanLuma: 128, darkFraction: 0, brightFraction: 0, rawPath: path, imagePath: path });
    if (proposed) env.store.modelBoxes.record(photo.id, proposed.modelId, [proposed.box]);
    const v = env.store.labels.addVersion(photo.id, { kind: 'label', author: 1, boxes: [{ ...truth, source: 'human' as const }] });
    env.store.labels.confirm(photo.id, v);
    return { photoId: photo.id, path, width: W, height: H, split: 'val', boxes: [truth] };
  }

  beforeAll(async () => {
    grey = await sharp({ create: { width: W, height: H, channels: 3, background: { r: 128, g: 128, b: 128 } } }).jpeg().toBuffer();
    for (const [i, s] of ['A01', 'A02', 'A03'].entries()) env.store.stations.create({ stationNo: s, contestantName: s, idNumber: validId(`1101051990030712${i}`) });
  });

  afterAll(async () => {
    await closeDetectors();
    env.cleanup();
  });

  const judge = (station: string, base: string | undefined, candidateMap: number, val: ManifestImage[], candidate = ALT) =>
    judgeAssist({ store: env.store, exam: env.exam, baseModel: base }, station, { path: candidate, id: `${station}-a1` }, candidateMap, val);

  it('adopts the model with more held-out photos one tap whatever its mAP; on as many, the higher mAP; a tie keeps the current one', async () => {
    const val = [confirmed('A01', MIDDLE), confirmed('A01', MIDDLE)];
    expect(await heldOutProposals(env, 'A01', { path: ALT, id: 'x' }, val)).toEqual({ photos: 2, oneTap: 2, meanIou: expect.closeTo(1, 6) });
    expect((await heldOutProposals(env, 'A01', { path: MANY, id: 'x' }, val)).oneTap).toBe(0);

    const better = await judge('A01', MANY, 0, val);
    expect(better).toMatchObject({ adopted: true, proposals: { oneTap: 2 }, incumbentProposals: { oneTap: 0 } });
    const worse = await judge('A01', ALT, 1, val, MANY);
    expect(worse).toMatchObject({ adopted: false, proposals: { oneTap: 0 }, incumbentProposals: { oneTap: 2 } });
    // as many one tap: the current model's mAP here is 1, so nothing beats it and a tie keeps it
    const tie = await judge('A01', ALT, 1, val);
    expect(tie).toMatchObject({ adopted: false, incumbentMap50_95: 1 });
    // with no model to beat, the first assist model is taken
    expect(await judge('A01', undefined, 0, val, MANY)).toMatchObject({ adopted: true, incumbentProposals: null, incumbentMap50_95: null });
  });

  it("judges the current model with the station's box correction, never learnt from the held-out photos", async () => {
    // three earlier photos: the current model proposed the middle box, the contestant moved it right
    for (let i = 0; i < 3; i++) confirmed('A02', SHIFTED, { modelId: 'base', box: MIDDLE });
    const val = [confirmed('A02', SHIFTED), confirmed('A02', SHIFTED)];
    // the same network as a new model has no correction yet: IoU 0.82, not one tap — and a
    // higher mAP does not make up for the photos it would not get right
    const verdict = await judge('A02', ALT, 1, val);
    expect(verdict.incumbentProposals?.oneTap).toBe(2);
    expect(verdict.proposals.oneTap).toBe(0);
    expect(verdict.proposals.meanIou).toBeCloseTo(288 / 352, 3);
    expect(verdict.incumbentMap50_95).toBeLessThan(1);
    expect(verdict.adopted).toBe(false);

    // two earlier pairs and the two held-out ones: from the earlier ones alone (fewer than
    // three) nothing is learnt, so the held-out photos' own pairs were left out
    for (let i = 0; i < 2; i++) confirmed('A03', SHIFTED, { modelId: 'base', box: MIDDLE });
    const held = [confirmed('A03', SHIFTED, { modelId: 'base', box: MIDDLE }), confirmed('A03', SHIFTED, { modelId: 'base', box: MIDDLE })];
    expect((await heldOutProposals(env, 'A03', { path: ALT, id: 'base' }, held)).oneTap).toBe(0);
    expect((await heldOutProposals(env, 'A03', { path: ALT, id: 'base' }, held.slice(0, 1))).oneTap).toBe(1);
  });
});
