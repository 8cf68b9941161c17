import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config, ExamConfig, Logger } from '../core/index.js';
import { writeFileAtomic } from '../store/index.js';
import { baseModelPath } from './models.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The base checkpoint that ships with the project (trained on synthetic rig photos). */
export const BASE_CHECKPOINT = resolve(here, 'trainer/base/ssdlite-rig.pt');
const EXPORT_SCRIPT = resolve(here, 'trainer/export_onnx.py');
const EXPORT_CODE = [EXPORT_SCRIPT, resolve(here, 'trainer/det/onnx_export.py'), resolve(here, 'trainer/det/models.py')];

/**
 * Makes `DATA_DIR/models/base.onnx` from the shipped checkpoint (a few seconds of
 * Python), so the first photos of every station get pre-labels. The export is redone
 * when the checkpoint changed since (an upgraded project) or an earlier export did not
 * finish: `base.onnx.source` holds the sha256 of the checkpoint and the export code it was made from and is
 * written last. Skipped, with a log line, when the exam's classes are not the ones the
 * base model knows (an organiser's own label list): then pre-labels start with the
 * station's first assist model.
 */
export async function ensureBaseModel(config: Config, exam: ExamConfig, log: Logger, checkpoint = BASE_CHECKPOINT): Promise<string | undefined> {
  const out = baseModelPath(resolve(config.DATA_DIR));
  if (!existsSync(checkpoint)) {
    log.warn({ checkpoint }, 'no base checkpoint shipped; pre-labels start with the first assist model');
    return undefined;
  }
  // The checkpoint and the export code: a changed export (e.g. NMS left to the consumer) redoes it.
  const hash = createHash('sha256').update(readFileSync(checkpoint));
  for (const file of EXPORT_CODE) hash.update(readFileSync(file));
  const source = hash.digest('hex');
  const stamp = `${out}.source`;
  const current = existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === source;
  if (!current) {
    mkdirSync(dirname(out), { recursive: true });
    const code = await new Promise<number | null>((done) => {
      const child = spawn(config.TRAINER_PYTHON, [EXPORT_SCRIPT, '--checkpoint', checkpoint, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err = (err + String(d)).slice(-2000)));
      child.once('error', () => done(-1));
      child.once('close', (c) => {
        if (c !== 0) log.warn({ code: c, stderr: err }, 'base model export failed');
        done(c);
      });
    });
    if (code !== 0 || !existsSync(out)) return undefined;
    await writeFileAtomic(stamp, `${source}\n`);
    log.info({ model: out }, 'base model exported');
  }
  try {
    const meta = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as { classes?: Array<{ id: number; key: string }> };
    const same = JSON.stringify(meta.classes?.map((c) => [c.id, c.key])) === JSON.stringify(exam.classes.map((c) => [c.id, c.key]));
    if (!same) {
      log.warn('the base model was trained on other classes than this exam config; not using it for pre-labels');
      return undefined;
    }
  } catch {
    return undefined;
  }
  return out;
}
