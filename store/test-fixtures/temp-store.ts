import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore, type OpenStoreOptions, type Store } from '../open-store.js';
import type { ReceivePhoto } from '../photos-repo.js';
import type { CompleteFields, InspectionFields } from '../types.js';

/** A fresh temporary folder; `cleanup` removes it. */
export function tempDir(prefix = 'store-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A store on a fresh DATA_DIR with a controllable clock (starts at 1_000_000, +1 ms per read);
 * `options` picks the engine (`engineOptions(engine)` from test/postgres.ts).
 */
export function tempStore(options: Partial<OpenStoreOptions> = {}): { store: Store; dataDir: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  let t = 1_000_000;
  const store = openStore({ dataDir: dir, now: () => t++, ...options });
  return {
    store,
    dataDir: dir,
    cleanup: () => {
      store.close();
      cleanup();
    },
  };
}

/** A photo receipt for tests; `key` becomes the Telegram unique file id. */
export function receipt(stationNo: string, key: string, combo = '0'): ReceivePhoto {
  return {
    stationNo,
    tgFileId: `file-${key}`,
    tgFileUniqueId: key,
    source: 'photo',
    mediaGroupId: null,
    chatId: 42,
    messageId: 7,
    combo,
  };
}

/** Plausible inspection results. */
export function inspection(overrides: Partial<InspectionFields> = {}): InspectionFields {
  return {
    sha256: 'a'.repeat(64),
    phash: 'ffff0000ffff0000',
    format: 'jpeg',
    width: 4000,
    height: 3000,
    sharpness: 120.5,
    meanLuma: 0.45,
    darkFraction: 0.01,
    brightFraction: 0.02,
    rawPath: '/data/raw/x.jpg',
    imagePath: '/data/images/x.jpg',
    ...overrides,
  };
}

/** Inspection results that accept the photo. */
export function clean(overrides: Partial<InspectionFields> = {}): CompleteFields {
  return { ...inspection(overrides), status: 'clean' };
}

/** Registers station `no` and returns the number. */
export function addStation(store: Store, no = 'S01'): string {
  store.stations.create({ stationNo: no, contestantName: 'Li Lei', idNumber: '110101199001011234' });
  return no;
}

/** Receives and cleans a photo; returns its id. */
export function cleanPhoto(store: Store, stationNo: string, key: string, combo = '0', sha = key): number {
  const r = store.photos.receive(receipt(stationNo, key, combo));
  store.photos.complete(r.photo.id, clean({ sha256: sha, phash: `ph-${key}` }));
  return r.photo.id;
}
