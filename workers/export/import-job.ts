import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { Markup } from 'telegraf';
import sharp from 'sharp';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  LOOSE_LIMITS,
  looseFileKind,
  looseLayoutPath,
  safeLooseName,
  applyClassMapping,
  bestEffort,
  className,
  encodeCallback,
  importDataset,
  mapClasses,
  t,
  type DatasetIssue,
  type ImportJob,
  type Lang,
  type ParsedDataset,
} from '../../core/index.js';
import { stationPaths, type ImportedPhoto } from '../../store/index.js';
import { downloadTelegramFile } from '../ingest/download.js';
import type { WorkerDeps } from '../processors.js';
import { dirSource } from './dir-source.js';
import { extractZip } from './zip-read.js';
import { writeThrough } from '../blob-sync.js';

/** The largest dataset zip taken (the exam's are ~100 MB; a local Bot API server serves files that large). */
export const IMPORT_MAX_BYTES = 200 * 1024 * 1024;
const ISSUES_SHOWN = 15;

/** Working folder of one import, inside the station's folder: `imports/r<message id>/`. */
export function importDir(dataDir: string, stationNo: string, requestId: number): string {
  return join(stationPaths(dataDir, stationNo).root, 'imports', `r${requestId}`);
}

/** The issue list as the user reads it: one line per problem, file and line named. */
export function issuesText(lang: Lang, issues: readonly DatasetIssue[]): string {
  if (issues.length === 0) return '';
  const lines = issues.slice(0, ISSUES_SHOWN).map((i) => {
    const where = i.file ? ` · ${i.file}${i.line !== undefined ? `:${i.line}` : ''}` : '';
    return `• ${t(lang, `import.issue.${i.code}`)}${where} (${i.detail})`;
  });
  if (issues.length > ISSUES_SHOWN) lines.push(t(lang, 'import.issuesMore', { count: issues.length - ISSUES_SHOWN }));
  return [t(lang, 'import.issues', { count: issues.length }), ...lines].join('\n');
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function uprightSize(file: string): Promise<{ width: number; height: number } | undefined> {
  try {
    const m = await sharp(file).metadata();
    if (!m.width || !m.height) return undefined;
    return (m.orientation ?? 1) >= 5 ? { width: m.height, height: m.width } : { width: m.width, height: m.height };
  } catch {
    return undefined;
  }
}

/** The button step for the first class still unmapped (the user's choices so far are in the wizard). */
export function mappingPrompt(lang: Lang, deps: WorkerDeps, name: string, index: number, left: number) {
  const rows = deps.exam.classes.map((c) => [Markup.button.callback(className(c, lang), encodeCallback('im', index, String(c.id)))]);
  rows.push([Markup.button.callback(t(lang, 'import.mapDrop'), encodeCallback('im', index, 'x'))]);
  return { text: t(lang, 'import.map', { name: escape(name), left }), markup: Markup.inlineKeyboard(rows) };
}

/**
 * The import job. `fetch`: download and extract (refusals named), parse, validate; when
 * classes do not match one to one, store the question in the user's wizard and ask with
 * buttons. `apply` (after the last answer) and a one-to-one `fetch`: save the photos as
 * the station's confirmed dataset in one transaction. Nothing is written outside
 * `stations/<station>/`, and nothing saved changes unless the whole import is saved.
 */
export async function runImport(job: ImportJob, deps: WorkerDeps, progress: (text: string) => Promise<void>): Promise<unknown> {
  const { lang } = job;
  const say = (text: string, extra: object = {}) => deps.telegram.sendMessage(job.chatId, text, { parse_mode: 'HTML', ...extra });
  const dir = importDir(deps.store.dataDir, job.stationNo, job.requestId);
  const x = join(dir, 'x');
  const filesJson = join(dir, 'files.json');
  const file = escape(job.fileName);
  if (job.stage === 'fetch' && job.loose) {
    const fetched = await fetchLoose(job, deps, dir, x, progress);
    if (fetched.kind !== 'ok') return fetched;
    await writeFile(filesJson, JSON.stringify(fetched.files));
  } else if (job.stage === 'fetch') {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const got = await downloadTelegramFile(deps.telegram, job.fileId, IMPORT_MAX_BYTES);
    if (got.kind !== 'ok') {
      await rm(dir, { recursive: true, force: true });
      await say(t(lang, got.kind === 'too-large' ? 'import.tooLarge' : 'import.failed', { size: ((got.kind === 'too-large' ? got.bytes : 0) / 1048576).toFixed(1), max: IMPORT_MAX_BYTES / 1048576 }));
      return { kind: got.kind };
    }
    const zipPath = join(dir, 'upload.zip');
    await writeFile(zipPath, got.data);
    let last = 0;
    const read = await extractZip(zipPath, x, undefined, (done, total) => {
      if (done - last >= 200) {
        last = done;
        void progress(t(lang, 'import.progress', { file, step: t(lang, 'import.step.extract', { done, total }) }));
      }
    });
    await rm(zipPath, { force: true });
    if (read.kind === 'refused') {
      await rm(dir, { recursive: true, force: true });
      const entry = read.entry ? t(lang, 'import.refused.entry', { entry: escape(read.entry.slice(0, 120)) }) : '';
      await say(t(lang, 'import.refused', { reason: t(lang, `import.zip.${read.reason}`), entry }));
      return { kind: 'refused', reason: read.reason };
    }
    await writeFile(filesJson, JSON.stringify(read.files));
  }
  if (!existsSync(filesJson)) {
    await say(t(lang, 'import.expired'));
    return { kind: 'expired' };
  }
  const files = JSON.parse(await readFile(filesJson, 'utf8')) as { path: string; size: number }[];
  const parsed = await importDataset(dirSource(x, files, uprightSize));
  if (parsed.kind === 'none') {
    await rm(dir, { recursive: true, force: true });
    await say(`${t(lang, 'import.nothing')}\n\n${issuesText(lang, parsed.issues)}`);
    return { kind: 'none' };
  }
  const ds = parsed.dataset;
  await progress(t(lang, 'import.progress', { file, step: t(lang, 'import.step.check', { format: ds.format.toUpperCase() }) }));
  const chosen = new Map(Object.entries(job.chosen ?? {}).map(([k, v]) => [Number(k), v]));
  const mapping = mapClasses(ds.classes, deps.exam.classes, chosen);
  const first = mapping.unmatched[0];
  if (first) {
    deps.store.users.setWizard(job.userId, {
      step: 'import-map',
      draft: {
        requestId: job.requestId,
        fileId: job.fileId,
        fileName: job.fileName,
        chosen: job.chosen ?? {},
        unmatched: mapping.unmatched.map((u) => ({ index: u.index, name: u.source.name })),
        ...(job.loose ? { loose: true } : {}),
      },
    });
    const p = mappingPrompt(lang, deps, first.source.name, first.index, mapping.unmatched.length);
    await say(p.text, p.markup);
    return { kind: 'asking', unmatched: mapping.unmatched.length };
  }
  return save(job, deps, ds, mapping, dir, x, progress);
}

/**
 * Loose documents (collected by the bot after /import, listed in SQLite): each is
 * downloaded and laid out where the format readers look (`looseLayoutPath`). A YOLO
 * data.yaml's `train`/`val` folders cannot exist among loose files, so its copy points
 * `train` at `images/` (the photos import as train; the train worker draws its own val).
 * A file that cannot be downloaded stops the import with its name; the collection is kept.
 */
async function fetchLoose(
  job: ImportJob,
  deps: WorkerDeps,
  dir: string,
  x: string,
  progress: (text: string) => Promise<void>,
): Promise<{ kind: 'ok'; files: { path: string; size: number }[] } | { kind: 'expired' | 'download-failed' }> {
  const { lang } = job;
  const uploads = deps.store.dataset.uploads(job.userId, job.stationNo);
  await rm(dir, { recursive: true, force: true });
  if (uploads.length === 0) {
    await deps.telegram.sendMessage(job.chatId, t(lang, 'import.expired'), { parse_mode: 'HTML' });
    return { kind: 'expired' };
  }
  await mkdir(x, { recursive: true });
  const files: { path: string; size: number }[] = [];
  for (const [i, u] of uploads.entries()) {
    const kind = looseFileKind(u.fileName);
    if (!kind) continue;
    const got = await downloadTelegramFile(deps.telegram, u.fileId, LOOSE_LIMITS.maxFileBytes);
    if (got.kind !== 'ok') {
      await rm(dir, { recursive: true, force: true });
      await deps.telegram.sendMessage(job.chatId, t(lang, 'import.loose.fetchFailed', { file: escape(u.fileName) }), { parse_mode: 'HTML' });
      return { kind: 'download-failed' };
    }
    const rel = looseLayoutPath(kind, safeLooseName(u.fileName));
    const target = resolve(x, ...rel.split('/'));
    if (!target.startsWith(`${resolve(x)}/`)) continue;
    await mkdir(join(target, '..'), { recursive: true });
    let data: Buffer = got.data;
    if (kind === 'yaml') data = Buffer.from(looseYaml(got.data.toString('utf8')));
    await writeFile(target, data);
    files.push({ path: rel, size: data.length });
    if ((i + 1) % 20 === 0) void progress(t(lang, 'import.progress', { file: escape(job.fileName), step: t(lang, 'import.step.fetch', { done: i + 1, total: uploads.length }) }));
  }
  return { kind: 'ok', files };
}

/** A data.yaml for loose files: `train` is the images folder, no `val`/`test`/`path` (there are no folders). Unreadable YAML is kept as sent, so its error is reported with its line. */
function looseYaml(text: string): string {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return text;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return text;
  const { val: _val, test: _test, path: _path, ...rest } = doc as Record<string, unknown>;
  return stringifyYaml({ ...rest, train: 'images' });
}

async function save(job: ImportJob, deps: WorkerDeps, ds: ParsedDataset, mapping: ReturnType<typeof mapClasses>, dir: string, x: string, progress: (text: string) => Promise<void>): Promise<unknown> {
  const { lang } = job;
  const applied = applyClassMapping(ds, mapping);
  const issues = [...ds.issues, ...applied.issues];
  const paths = stationPaths(deps.store.dataDir, job.stationNo);
  await mkdir(paths.images, { recursive: true });
  const photos: ImportedPhoto[] = [];
  const copied: string[] = [];
  await progress(t(lang, 'import.progress', { file: escape(job.fileName), step: t(lang, 'import.step.save', { photos: applied.images.length }) }));
  for (const [i, img] of applied.images.entries()) {
    const src = ds.images[i];
    if (!src || img.boxes.length === 0) continue;
    const abs = resolve(x, ...src.path.split('/'));
    if (!existsSync(abs)) continue;
    const bytes = await readFile(abs);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = join(paths.images, `import-${sha256.slice(0, 16)}${extname(src.fileName).toLowerCase() || '.jpg'}`);
    if (!existsSync(target)) {
      // Boxes are in upright pixels: an EXIF-rotated file is stored upright, like every processed photo.
      const orientation = (await sharp(bytes).metadata().catch(() => undefined))?.orientation ?? 1;
      if (orientation > 1) await sharp(bytes).rotate().toFile(target);
      else await copyFile(abs, target);
      copied.push(target);
    }
    const combo = [...new Set(img.boxes.map((b) => b.classId))].sort((a, b) => a - b).join('+');
    photos.push({ sha256, imagePath: target, format: extname(src.fileName).slice(1).toLowerCase(), width: img.width, height: img.height, combo, split: img.split, boxes: img.boxes });
  }
  deps.store.users.setWizard(job.userId, null);
  if (photos.length === 0) {
    await rm(dir, { recursive: true, force: true });
    await deps.telegram.sendMessage(job.chatId, `${t(lang, 'import.nothing')}\n\n${issuesText(lang, issues)}`, { parse_mode: 'HTML' });
    return { kind: 'none' };
  }
  let result;
  try {
    result = deps.store.dataset.addImport(job.stationNo, { format: ds.format, fileName: job.fileName, author: job.userId, chatId: job.chatId }, photos);
  } catch (err) {
    for (const f of copied) await rm(f, { force: true });
    throw err;
  }
  await rm(dir, { recursive: true, force: true });
  // The collected documents are now the station's dataset: a new /import starts afresh.
  if (job.loose) deps.store.dataset.clearUploads(job.userId, job.stationNo);
  // The imported photos join the shared object store like captured ones (a train host fetches them).
  await writeThrough(deps, photos.map((p) => p.imagePath), 'imported photos');
  const done = t(lang, 'import.done', {
    photos: result.added,
    boxes: result.record.boxes,
    format: ds.format.toUpperCase(),
    file: escape(job.fileName),
    station: job.stationNo,
    skipped: result.skipped,
  });
  const list = issuesText(lang, issues);
  await bestEffort(deps.telegram.sendMessage(job.chatId, list ? `${done}\n\n${list}` : done, { parse_mode: 'HTML' }), deps.log, 'import result');
  return { kind: 'imported', photos: result.added, boxes: result.record.boxes, format: ds.format };
}
