import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stationPaths, type BoxInput } from '../store/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../vision/synth/index.js';
import { validId, type testEnv } from './harness.js';

type Env = ReturnType<typeof testEnv>;

/** A registered station bound to `userId` (English), with no photos. */
export function seedStation(env: Env, station: string, userId: number, idSeed: string): void {
  env.store.stations.create({ stationNo: station, contestantName: station, idNumber: validId(idSeed) });
  env.store.users.upsert({ userId, chatId: userId, lang: 'en' });
  env.store.users.bindStation(userId, station, 'contestant');
}

/**
 * One accepted synthetic rig photo of `keys` (class keys) in the station's images/, with
 * its exact boxes returned; no label yet. `n` makes the bytes and Telegram ids unique.
 */
export async function seedPhoto(env: Env, station: string, keys: readonly string[], n: number): Promise<{ id: number; boxes: BoxInput[] }> {
  const rig = await renderRigPhoto({ seed: 700 + n, classes: DEFAULT_CLASSES, combo: [...keys], width: 640, height: 480 });
  const combo = keys.map((k) => DEFAULT_CLASSES.findIndex((c) => c.key === k)).sort((a, b) => a - b).join('+');
  const { photo } = env.store.photos.receive({ stationNo: station, tgFileId: `${station}f${n}`, tgFileUniqueId: `${station}u${n}`, source: 'photo', mediaGroupId: null, chatId: 1, messageId: n, combo });
  const dir = stationPaths(env.dataDir, station).images;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${photo.id}.jpg`);
  writeFileSync(path, rig.jpeg);
  env.store.photos.complete(photo.id, { status: 'clean', sha256: `${station}${n}`, phash: '0'.repeat(16), format: 'jpeg', width: 640, height: 480, sharpness: 300, meanLuma: 120, darkFraction: 0, brightFraction: 0, rawPath: path, imagePath: path });
  return { id: photo.id, boxes: rig.boxes.map((b) => ({ classId: b.classId, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, source: 'human' as const })) };
}

/** Stores `boxes` as a new label version of the photo and confirms it; returns the version. */
export function confirmBoxes(env: Env, photoId: number, boxes: readonly BoxInput[], author = 1): number {
  const v = env.store.labels.addVersion(photoId, { kind: 'label', author, boxes });
  env.store.labels.confirm(photoId, v);
  return v;
}
