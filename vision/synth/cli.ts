/**
 * `npx tsx vision/synth/cli.ts --out DIR (--count N | --plan [--quotas 1=10,2=20,3=10]) --seed S
 *  [--width W --height H] [--classes classes.json] [--difficulty D] [--quality Q] [--fittings F]`
 *
 * Writes a synthetic YOLO dataset (see `generateDataset`), or with `--plan` exactly the
 * capture plan's photos with one folder per combo (see `generatePlanDataset`), and prints
 * a one-line summary. Without `--classes` it uses the default exam's three classes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseSynthClasses } from './classes.js';
import { generateDataset } from './dataset.js';
import { DEFAULT_QUOTAS, generatePlanDataset } from './plan-dataset.js';
import { DEFAULT_CLASSES } from './types.js';

const USAGE =
  'usage: tsx vision/synth/cli.ts --out DIR (--count N | --plan [--quotas 1=10,2=20,3=10]) --seed S [--width W] [--height H] [--classes classes.json] [--difficulty 0..1] [--quality 1..100] [--fittings 0..1]';

/** `1=10,2=20,3=10` → photos per combo size. */
function quotasArg(raw: string | undefined): Record<number, number> {
  if (raw === undefined) return { ...DEFAULT_QUOTAS };
  const out: Record<number, number> = {};
  for (const part of raw.split(',')) {
    const m = /^\s*([1-9])\s*=\s*(\d+)\s*$/.exec(part);
    if (!m) throw new RangeError(`--quotas must look like 1=10,2=20,3=10, got ${JSON.stringify(raw)}`);
    out[Number(m[1])] = Number(m[2]);
  }
  return out;
}

function intArg(name: string, raw: string | undefined, fallback?: number): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new RangeError(`--${name} is required\n${USAGE}`);
    return fallback;
  }
  const v = Number(raw);
  if (!Number.isInteger(v)) throw new RangeError(`--${name} must be an integer, got ${JSON.stringify(raw)}`);
  return v;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      classes: { type: 'string' },
      difficulty: { type: 'string' },
      quality: { type: 'string' },
      fittings: { type: 'string' },
      plan: { type: 'boolean' },
      quotas: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.out) throw new RangeError(`--out is required\n${USAGE}`);
  const classes = values.classes
    ? parseSynthClasses(JSON.parse(await readFile(values.classes, 'utf8')) as unknown)
    : [...DEFAULT_CLASSES];
  const difficulty = values.difficulty === undefined ? undefined : Number(values.difficulty);
  const started = performance.now();
  if (values.plan && values.count !== undefined) throw new RangeError(`--plan and --count exclude each other\n${USAGE}`);
  const common = {
    out: values.out,
    seed: intArg('seed', values.seed),
    width: intArg('width', values.width, 640),
    height: intArg('height', values.height, 480),
    classes,
    ...(difficulty === undefined ? {} : { difficulty }),
    ...(values.quality === undefined ? {} : { quality: intArg('quality', values.quality) }),
    ...(values.fittings === undefined ? {} : { fittings: Number(values.fittings) }),
  };
  const result: { images: number; boxes: number; folders?: readonly unknown[] } = values.plan
    ? await generatePlanDataset({ ...common, quotas: quotasArg(values.quotas) })
    : await generateDataset({ ...common, count: intArg('count', values.count) });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `synth: ${result.images} images, ${result.boxes} boxes, ${classes.length} classes${result.folders ? `, ${result.folders.length} combo folders` : ''} → ${path.resolve(values.out)} (${seconds.toFixed(1)} s)`,
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`synth: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
