import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { memoryLogger, testEnv, validId } from '../../../test/harness.js';
import { ensureStationDirs } from '../../../store/index.js';
import { createWebServer } from '../../server.js';
import { editorRoutes, type EditorSaved } from '../index.js';

/** What the editor's integration tests share: a served store with two stations. */
export interface EditorWorld {
  baseUrl: string;
  env: ReturnType<typeof testEnv>;
  /** A01's contestant and B02's. */
  userA: number;
  userB: number;
  /** A01's accepted photo (640×480) with a model proposal of one box. */
  photoId: number;
  /** A01's accepted photo whose image path points outside DATA_DIR. */
  strayPhotoId: number;
  saved: EditorSaved[];
  logLines: string[];
  close(): Promise<void>;
}

export const LINK_SECRET = 'int-test-link-secret-0123456789';
export const PROPOSAL = { classId: 0, x1: 100, y1: 100, x2: 300, y2: 260 };

/** A 640×480 JPEG of a grey rig with two round gauges and a digital meter. */
export function rigJpeg(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <rect width="640" height="480" fill="#8d939b"/>
    <circle cx="200" cy="180" r="75" fill="#f4f4f0" stroke="#333" stroke-width="8"/>
    <line x1="200" y1="180" x2="250" y2="140" stroke="#c00" stroke-width="5"/>
    <rect x="430" y="310" width="140" height="110" rx="8" fill="#1d2a22"/>
    <text x="450" y="380" font-size="40" fill="#7f7" font-family="monospace">12.5</text>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

const blank = { sha256: null, phash: null, format: 'jpeg', sharpness: null, meanLuma: null, darkFraction: null, brightFraction: null, rawPath: null };

/** Seeds stations, users and photos, and serves the web process with the editor routes on a free port. */
export async function startEditorWorld(opts: { initDataMaxAgeS?: number } = {}): Promise<EditorWorld> {
  const env = testEnv({ LINK_SECRET });
  const { store } = env;
  for (const stationNo of ['A01', 'B02']) {
    store.stations.create({ stationNo, contestantName: '张三', idNumber: validId() });
  }
  const userA = 700_001;
  const userB = 700_002;
  store.users.upsert({ userId: userA, chatId: userA });
  store.users.bindStation(userA, 'A01', 'contestant');
  store.users.upsert({ userId: userB, chatId: userB, lang: 'en' });
  store.users.bindStation(userB, 'B02', 'contestant');

  const paths = ensureStationDirs(env.dataDir, 'A01');
  const jpeg = await rigJpeg();
  const receive = (n: number) =>
    store.photos.receive({
      stationNo: 'A01', tgFileId: `f${n}`, tgFileUniqueId: `u${n}`, source: 'photo', mediaGroupId: null,
      chatId: userA, messageId: n, combo: '0+2',
    }).photo.id;
  const photoId = receive(1);
  const imagePath = path.join(paths.images, `${photoId}.jpg`);
  writeFileSync(imagePath, jpeg);
  store.photos.complete(photoId, { ...blank, width: 640, height: 480, imagePath, status: 'clean' });
  store.labels.addVersion(photoId, { kind: 'proposal', author: 'model', boxes: [{ ...PROPOSAL, source: 'model', score: 0.9 }] });

  const strayPhotoId = receive(2);
  const outsideDir = mkdtempSync(path.join(tmpdir(), 'copilot-outside-'));
  const outside = path.join(outsideDir, 'secret.jpg');
  writeFileSync(outside, jpeg);
  store.photos.complete(strayPhotoId, { ...blank, width: 640, height: 480, imagePath: outside, status: 'clean' });

  const { log, lines } = memoryLogger('web');
  const saved: EditorSaved[] = [];
  const deps = { config: env.config, exam: env.exam, store, log };
  const routes = editorRoutes({ ...deps, initDataMaxAgeS: opts.initDataMaxAgeS, onSaved: (e) => void saved.push(e) });
  const server = createWebServer(deps, routes);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    env,
    userA,
    userB,
    photoId,
    strayPhotoId,
    saved,
    logLines: lines,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      env.cleanup();
      rmSync(outsideDir, { recursive: true, force: true });
    },
  };
}

/** Mini App initData for `userId`, signed with the bot token the way Telegram signs it. */
export function signedInitData(botToken: string, userId: number, opts: { authDate?: number; startParam?: string } = {}): string {
  const fields: Record<string, string> = {
    auth_date: String(opts.authDate ?? Math.floor(Date.now() / 1000)),
    query_id: 'AAHtest',
    user: JSON.stringify({ id: userId, first_name: 'Test', language_code: 'zh-hans' }),
    ...(opts.startParam ? { start_param: opts.startParam } : {}),
  };
  const check = Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('\n');
  const key = createHmac('sha256', 'WebAppData').update(botToken).digest();
  return new URLSearchParams({ ...fields, hash: createHmac('sha256', key).update(check).digest('hex') }).toString();
}
