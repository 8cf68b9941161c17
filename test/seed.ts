import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stationPaths } from '../store/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../vision/synth/index.js';
import { validId, type testEnv } from './harness.js';

/** A registered station whose `photos` synthetic rig photos (all three classes) carry confirmed labels. */
export async function seedConfirmedStation(env: ReturnType<typeof testEnv>, station: string, userId: number, photos: number, idSeed: string): Promise<void> {
  env.store.stations.create({ stationNo: station, contestantName: station, idNumber: validId(idSeed) });
  env.store.users.upsert({ userId, chatId: userId, lang: 'en' });
  env.store.users.bindStation(userId, station, 'contestant');
  const dir = stationPaths(env.dataDir, station).images;
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < photos; i++) {
    const p = await renderRigPhoto({ seed: 900 + i, classes: DEFAULT_CLASSES, combo: ['gauge_normal', 'gauge_abnormal', 'digital'], width: 640, height: 480 });
    const { photo } = env.store.photos.receive({ stationNo: station, tgFileId: `${station}f${i}`, tgFileUniqueId: `${station}u${i}`, source: 'photo', mediaGroupId: null, chatId: userId, messageId: i + 1, combo: '0+1+2' });
    const path = join(dir, `${photo.id}.jpg`);
    writeFileSync(path, p.jpeg);
    env.store.photos.complete(photo.id, { status: 'clean', sha256: `${station}${i}`, phash: '0'.repeat(16), format: 'jpeg', width: 640, height: 480, sharpness: 300, meanLuma: 120, darkFraction: 0, brightFraction: 0, rawPath: path, imagePath: path });
    const v = env.store.labels.addVersion(photo.id, { kind: 'label', author: userId, boxes: p.boxes.map((b) => ({ ...b, source: 'human' as const })) });
    env.store.labels.confirm(photo.id, v);
  }
}
