import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportDataset, importDataset, mapClasses, type DatasetExportInput, type DatasetFormat } from '../../core/index.js';
import { syntheticInput } from '../../core/dataset/test-fixtures.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { createBot } from '../../bot/app.js';
import { openStore } from '../../store/index.js';
import { TEST_TOKEN } from '../../test/harness.js';
import { validId } from '../../test/harness.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { stationPaths } from '../../store/index.js';
import { dirSource, extractZip, writeDatasetZip } from './index.js';

/**
 * /dataset, /import and /handin through the chat: the emulator, the bot, real Redis and
 * the export worker on a fresh DATA_DIR.
 */
describe('dataset export, import and hand-in', () => {
  let stack: ChatStack;
  let tmp: string;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), env: { WORKER_QUEUES: 'export' }, name: 'export' });
    tmp = await mkdtemp(join(tmpdir(), 'export-int-'));
  });
  afterAll(async () => {
    await stack.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const size = async (file: string) => {
    const m = await sharp(file).metadata();
    return m.width && m.height ? { width: m.width, height: m.height } : undefined;
  };

  async function unzip(buf: Buffer, name: string) {
    const zip = join(tmp, `${name}.zip`);
    writeFileSync(zip, buf);
    const out = join(tmp, name);
    const r = await extractZip(zip, out);
    if (r.kind !== 'extracted') throw new Error(`refused: ${JSON.stringify(r)}`);
    return { out, files: r.files };
  }

  /** A dataset zip in `formats` with real JPEGs of the images' sizes. */
  async function datasetZip(input: DatasetExportInput, formats: DatasetFormat[], name: string): Promise<Buffer> {
    const dir = join(tmp, `src-${name}`);
    mkdirSync(dir, { recursive: true });
    for (const img of input.images) {
      await sharp({ create: { width: img.width, height: img.height, channels: 3, background: '#777' } }).jpeg().toFile(join(dir, img.fileName));
    }
    const zip = join(tmp, `${name}.zip`);
    await writeDatasetZip(zip, exportDataset(input, formats), (f) => join(dir, f));
    const { readFile } = await import('node:fs/promises');
    return readFile(zip);
  }

  function register(no: string, userId: number) {
    const { store } = stack.env;
    store.stations.create({ stationNo: no, contestantName: '张三', idNumber: validId(`1101051990030${String(userId).padStart(4, '0')}`) });
    store.users.upsert({ userId, chatId: userId, lang: 'en' });
    store.users.bindStation(userId, no, 'contestant');
  }

  it('/dataset sends a zip whose YOLO, COCO and VOC folders import back with the same boxes, and saves it unzipped', async () => {
    await seedConfirmedStation(stack.env, 'D01', 6101, 6, '11010519900307123');
    const u = stack.emu.user(6101, { languageCode: 'en' });
    await u.sendText('/dataset');
    const doc = await u.waitFor((m) => m.document !== undefined, { timeoutMs: 30_000 });
    expect(doc.document?.file_name).toBe('D01.zip');
    expect(doc.caption).toMatch(/Dataset <b>D01<\/b> \(task competition\): 6 photos \(\d train, \d val\)/);
    const { out, files } = await unzip(await u.downloadFile(doc), 'd01');
    const exam = stack.env.exam.classes.map((c) => ({ id: c.id, key: c.key, zh: c.zh, en: c.en }));
    type B = { photo: string; classId: number; c: number[] };
    const order = (a: B, b: B) => a.photo.localeCompare(b.photo) || a.classId - b.classId || (a.c[0] ?? 0) - (b.c[0] ?? 0);
    const want: B[] = stack.env.store.labels
      .listConfirmed('D01')
      .flatMap((c) => c.boxes.map((b) => ({ photo: String(c.photo.id), classId: b.classId, c: [b.x1, b.y1, b.x2, b.y2] })))
      .sort(order);
    expect(want.length).toBeGreaterThan(6);
    for (const format of ['yolo', 'coco', 'voc'] as const) {
      const r = await importDataset(dirSource(out, files, size), (found) => found.find((d) => d.format === format));
      if (r.kind !== 'found') throw new Error(`${format}: nothing found`);
      expect(r.dataset.format).toBe(format);
      const mapping = mapClasses(r.dataset.classes, exam);
      expect(mapping.unmatched, format).toEqual([]);
      const got: B[] = r.dataset.images
        .flatMap((img) => img.boxes.map((b) => ({ photo: img.fileName.split('.')[0] ?? '', classId: mapping.map.get(b.sourceClass) ?? -1, c: [b.x1, b.y1, b.x2, b.y2] })))
        .sort(order);
      expect(got.map((b) => `${b.photo}:${b.classId}`), format).toEqual(want.map((b) => `${b.photo}:${b.classId}`));
      // VOC stores whole pixels (the minimal enclosing rectangle); YOLO and COCO keep fractions.
      const tol = format === 'voc' ? 1 : 0.01;
      got.forEach((b, i) => b.c.forEach((v, k) => expect(Math.abs(v - (want[i]?.c[k] ?? NaN)), `${format} box ${i}`).toBeLessThanOrEqual(tol)));
    }
    const exports = stationPaths(stack.env.dataDir, 'D01').exports;
    expect(existsSync(join(exports, 'D01.zip'))).toBe(true);
    expect((await readdir(join(exports, 'D01'))).sort()).toEqual(['coco', 'voc', 'yolo']);
    // The split is recorded: a second export gives the same one.
    const split = stack.env.store.dataset.splitOf('D01');
    expect(split.size).toBe(6);
  });

  it('/import of a YOLO zip with the exam classes becomes the station dataset, marked imported', async () => {
    register('I01', 6201);
    const classes = stack.env.exam.classes.map((c) => ({ id: c.id, key: c.key, zh: c.zh, en: c.en }));
    const input = { ...syntheticInput(5, 3, { width: 200, height: 150 }), classes };
    const zip = await datasetZip(input, ['yolo'], 'good');
    const u = stack.emu.user(6201, { languageCode: 'en' });
    await u.sendText('/import');
    expect((await u.nextMessage()).text).toContain('Send the judges');
    await u.sendDocument(zip, 'standard.zip', { mimeType: 'application/zip' });
    const done = await u.waitFor((m) => (m.text ?? '').includes('Imported'), { timeoutMs: 30_000 });
    expect(done.text).toContain('Imported 5 photos');
    expect(done.text).toContain('YOLO');
    const saved = stack.env.store.labels.listConfirmed('I01');
    expect(saved).toHaveLength(5);
    expect(saved.reduce((s, c) => s + c.boxes.length, 0)).toBe(input.images.reduce((s, i) => s + i.boxes.length, 0));
    expect(stack.env.store.dataset.imports('I01')).toMatchObject([{ format: 'yolo', fileName: 'standard.zip', photos: 5 }]);
    // The working folder is gone.
    expect(await readdir(join(stationPaths(stack.env.dataDir, 'I01').root, 'imports'))).toEqual([]);
  });

  it('a zip with ../ is refused by name: nothing written outside, nothing saved lost', async () => {
    await seedConfirmedStation(stack.env, 'I02', 6301, 2, '11010519900307456');
    const evil = '../../evil.txt';
    const placeholder = 'p'.repeat(evil.length);
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('pwned'), placeholder);
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
    let bytes = Buffer.concat(chunks);
    for (let at = bytes.indexOf(placeholder); at >= 0; at = bytes.indexOf(placeholder, at + 1)) Buffer.from(evil).copy(bytes, at);
    bytes = Buffer.from(bytes);
    const u = stack.emu.user(6301, { languageCode: 'en' });
    await u.sendText('/import');
    await u.nextMessage();
    await u.sendDocument(bytes, 'evil.zip', { mimeType: 'application/zip' });
    const refused = await u.waitFor((m) => (m.text ?? '').includes('refused'), { timeoutMs: 30_000 });
    expect(refused.text).toContain('path traversal');
    expect(refused.text).toContain(evil);
    const root = stationPaths(stack.env.dataDir, 'I02').root;
    expect(existsSync(join(root, 'evil.txt'))).toBe(false);
    expect(existsSync(join(root, '..', 'evil.txt'))).toBe(false);
    expect(existsSync(join(root, 'imports'))).toBe(true);
    expect(await readdir(join(root, 'imports'))).toEqual([]);
    expect(stack.env.store.labels.listConfirmed('I02')).toHaveLength(2);
  });

  it('classes that do not match one to one are mapped with buttons', async () => {
    register('I03', 6401);
    // pressure_gauge and indicator_light are not exam classes; digital_meter matches "Digital meter" by name.
    const input = syntheticInput(4, 5, { width: 200, height: 150 });
    const zip = await datasetZip(input, ['coco'], 'unmatched');
    const u = stack.emu.user(6401, { languageCode: 'en' });
    await u.sendText('/import');
    await u.nextMessage();
    await u.sendDocument(zip, 'other-names.zip', { mimeType: 'application/zip' });
    const ask = await u.waitFor((m) => (m.text ?? '').includes('is not an exam class'), { timeoutMs: 30_000 });
    expect(ask.text).toContain('pressure_gauge');
    await u.press(/Pointer gauge \(normal\)/, { messageId: ask.message_id });
    const second = await u.waitForMessage(ask.message_id, (m) => (m.text ?? '').includes('indicator_light'));
    await u.press(/Leave its boxes out/, { messageId: second.message_id });
    const done = await u.waitFor((m) => (m.text ?? '').includes('Imported'), { timeoutMs: 30_000 });
    expect(done.text).toContain('COCO');
    const boxes = stack.env.store.labels.listConfirmed('I03').flatMap((c) => c.boxes);
    const src = input.images.flatMap((i) => i.boxes);
    expect(boxes.filter((b) => b.classId === 0)).toHaveLength(src.filter((b) => b.classId === 0).length);
    expect(boxes.filter((b) => b.classId === 2)).toHaveLength(src.filter((b) => b.classId === 1).length);
    expect(boxes.filter((b) => b.classId === 1)).toHaveLength(0);
  });

  it('/handin sends a zip with the <name><ID> folder: images, dataset, stage-one report; the chat shows the ID masked', async () => {
    await seedConfirmedStation(stack.env, 'H01', 6501, 3, '11010519900307789');
    const station = stack.env.store.stations.get('H01');
    if (!station) throw new Error('seed failed');
    const paths = stationPaths(stack.env.dataDir, 'H01');
    mkdirSync(paths.reports, { recursive: true });
    writeFileSync(join(paths.reports, 'stage1.pdf'), '%PDF-1.4 test');
    const u = stack.emu.user(6501, { languageCode: 'en' });
    await u.sendText('/handin');
    const doc = await u.waitFor((m) => m.document !== undefined, { timeoutMs: 30_000 });
    const fullId = validId('11010519900307789');
    const folder = `H01${fullId}`;
    expect(doc.document?.file_name).toBe('H01-handin.zip');
    expect(doc.caption).toContain(`H01${station.idMasked}`);
    expect(doc.caption).toContain('Not there yet');
    expect(doc.caption).not.toContain(fullId);
    const { out } = await unzip(await u.downloadFile(doc), 'h01');
    expect(await readdir(out)).toEqual([folder]);
    expect((await readdir(join(out, folder))).sort()).toEqual(['dataset', 'images', 'reports']);
    expect(await readdir(join(out, folder, 'images'))).toHaveLength(3);
    expect((await readdir(join(out, folder, 'dataset', 'H01'))).sort()).toEqual(['coco', 'voc', 'yolo']);
    expect(await readdir(join(out, folder, 'reports'))).toEqual(['stage1.pdf']);
    expect(existsSync(join(paths.handin, folder, 'images'))).toBe(true);
  });

  /** The files of `input` exported in `format`, each as its base name and bytes, as a contestant would send them one by one. */
  async function looseFiles(input: DatasetExportInput, format: DatasetFormat, name: string): Promise<{ name: string; bytes: Buffer }[]> {
    const { out, files } = await unzip(await datasetZip(input, [format], name), name);
    const { readFile } = await import('node:fs/promises');
    const kept = files.filter((f) => !/ImageSets|\/$/.test(f.path));
    return Promise.all(kept.map(async (f) => ({ name: f.path.split('/').pop() ?? f.path, bytes: await readFile(join(out, ...f.path.split('/'))) })));
  }

  it('/import of loose documents (data.yaml + images + labels): collected on disk until Done, across a bot restart, then imported as YOLO', async () => {
    register('I06', 6701);
    const classes = stack.env.exam.classes.map((c) => ({ id: c.id, key: c.key, zh: c.zh, en: c.en }));
    const input = { ...syntheticInput(5, 3, { width: 200, height: 150 }), name: 'I06', classes };
    const files = await looseFiles(input, 'yolo', 'loose-yolo');
    expect(files.filter((f) => f.name.endsWith('.txt'))).toHaveLength(5);
    const u = stack.emu.user(6701, { languageCode: 'en' });
    await u.sendText('/import');
    expect((await u.nextMessage()).text).toContain('or as several documents');
    const half = Math.ceil(files.length / 2);
    for (const f of files.slice(0, half)) {
      await u.sendDocument(f.bytes, f.name);
      expect((await u.nextMessage()).text).toContain(`Got <b>${f.name}</b>`);
    }
    // A document over the Bot API's 20 MB download limit is refused by name; the others stay.
    await u.sendDocument(Buffer.alloc(21 * 1024 * 1024, 1), 'huge.jpg');
    expect((await u.nextMessage()).text).toContain('<b>huge.jpg</b> is 21.0 MB; a bot can download at most 20.0 MB');

    // The bot restarts mid-collection: what was received is on disk (SQLite), not in memory.
    const { store, config, exam } = stack.env;
    stack.bot.stop('restart');
    const other = openStore({ dataDir: stack.env.dataDir });
    expect(other.dataset.uploads(6701, 'I06').map((f) => f.fileName)).toEqual(files.slice(0, half).map((f) => f.name));
    other.close();
    const restarted = createBot(TEST_TOKEN, { config, exam, store, jobs: stack.jobs, log: stack.log, now: Date.now }, { apiRoot: stack.emu.apiRoot });
    void restarted.launch();
    try {

    let last;
    for (const f of files.slice(half)) {
      await u.sendDocument(f.bytes, f.name);
      last = await u.waitFor((m) => (m.text ?? '').includes(`Got <b>${f.name}</b>`), { timeoutMs: 30_000 });
    }
    expect(last?.text).toContain('So far: 5 images, 5 label files, 1 data.yaml');
    await u.press('✅ Done: import these', { messageId: last?.message_id });
    expect((await u.waitFor((m) => (m.text ?? '').includes('Importing 11 documents'))).text).toContain('5 images, 5 label files, 1 data.yaml');
    const done = await u.waitFor((m) => (m.text ?? '').includes('Imported'), { timeoutMs: 60_000 });
    expect(done.text).toContain('Imported 5 photos');
    expect(done.text).toContain('(YOLO) from data.yaml +10');
    const saved = store.labels.listConfirmed('I06');
    expect(saved.reduce((s, c) => s + c.boxes.length, 0)).toBe(input.images.reduce((s, i) => s + i.boxes.length, 0));
    expect(store.dataset.imports('I06')).toMatchObject([{ format: 'yolo', fileName: 'data.yaml +10', photos: 5 }]);
    expect(store.dataset.uploads(6701, 'I06')).toEqual([]);
    } finally {
      // The stack's own bot serves the tests that follow (and is the one close() stops).
      restarted.stop('test');
      void stack.bot.launch();
    }
  });

  it('/import of loose COCO and VOC documents imports each format with every box', async () => {
    for (const [i, format] of (['coco', 'voc'] as const).entries()) {
      const station = `I0${7 + i}`;
      const userId = 6801 + i;
      register(station, userId);
      const classes = stack.env.exam.classes.map((c) => ({ id: c.id, key: c.key, zh: c.zh, en: c.en }));
      const input = { ...syntheticInput(4, 3, { width: 180, height: 120 }), name: station, classes };
      const files = await looseFiles(input, format, `loose-${format}`);
      const u = stack.emu.user(userId, { languageCode: 'en' });
      await u.sendText('/import');
      await u.nextMessage();
      let last;
      for (const f of files) {
        await u.sendDocument(f.bytes, f.name);
        last = await u.waitFor((m) => (m.text ?? '').includes(`<b>${f.name}</b>`), { timeoutMs: 30_000 });
      }
      expect(last?.text).toContain(format === 'coco' ? '4 images, 2 COCO json' : '4 images, 4 VOC xml');
      await u.press('✅ Done: import these', { messageId: last?.message_id });
      const done = await u.waitFor((m) => (m.text ?? '').includes('Imported'), { timeoutMs: 60_000 });
      expect(done.text).toContain(`Imported 4 photos`);
      expect(done.text).toContain(`(${format.toUpperCase()})`);
      expect(stack.env.store.labels.listConfirmed(station).reduce((s, c) => s + c.boxes.length, 0)).toBe(input.images.reduce((s, im) => s + im.boxes.length, 0));
    }
  });

  it('after /import a non-zip document is not captured; a mapping press with no import of ones own changes nothing', async () => {
    register('I05', 6601);
    const u = stack.emu.user(6601, { languageCode: 'en' });
    await u.sendText('/import');
    await u.nextMessage();
    await u.sendDocument(Buffer.from('not a zip'), 'photo.jpg', { mimeType: 'image/jpeg' });
    // Collected as a file of a loose dataset, not captured as a photo.
    expect((await u.nextMessage()).text).toContain('Got <b>photo.jpg</b>. So far: 1 images');
    expect(stack.env.store.photos.countByCombo('I05').size).toBe(0);
    // A type no dataset format uses is refused by name and not kept.
    await u.sendDocument(Buffer.from('%PDF-1.4'), 'notes.pdf', { mimeType: 'application/pdf' });
    expect((await u.nextMessage()).text).toContain('<b>notes.pdf</b> is not part of a dataset');
    expect(stack.env.store.dataset.uploads(6601, 'I05').map((f) => f.fileName)).toEqual(['photo.jpg']);
    // A compressed photo has no file name to pair with a label: asked to send files, not captured.
    await u.sendPhoto(await sharp({ create: { width: 64, height: 48, channels: 3, background: '#777' } }).jpeg().toBuffer());
    expect((await u.nextMessage()).text).toContain('Send the images as files');
    expect(stack.env.store.photos.countByCombo('I05').size).toBe(0);
    // Done on what was collected: no dataset in it, said by name; the collection is kept, and Done again runs again.
    const got = await u.waitFor((m) => (m.text ?? '').includes('Got <b>photo.jpg</b>'));
    for (const round of [1, 2]) {
      await u.press('✅ Done: import these', { messageId: got.message_id });
      const none = await u.waitFor((m) => (m.text ?? '').includes('No usable photo') && u.messages().filter((x) => (x.text ?? '').includes('No usable photo')).length === round, { timeoutMs: 30_000 });
      expect(none.text).toContain('no YOLO, COCO or Pascal VOC dataset found');
      expect(stack.env.store.dataset.uploads(6601, 'I05')).toHaveLength(1);
    }
    // Another station's pending question cannot be answered from here: the press acts on this user's own wizard only.
    const before = stack.env.store.dataset.imports('I03').length;
    const menu = await u.sendText('/help');
    const answer = await u.callbackAnswer(await u.pressData(menu.message_id, 'v1:im:0:0'));
    expect(answer.text).toContain('no longer waiting');
    expect(stack.env.store.dataset.imports('I03')).toHaveLength(before);
    expect(stack.env.store.dataset.imports('I05')).toHaveLength(0);
  });
});
