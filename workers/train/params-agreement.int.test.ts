import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS, type PresetName } from '../../core/index.js';

const TRAINER_DIR = resolve('workers/trainer');

/** Runs the trainer's own `det.params.validate` on each params object; returns its verdict per name. */
function pythonVerdicts(all: Record<string, unknown>): Record<string, string> {
  const code = [
    'import json, sys',
    'from det.params import validate, ParamError',
    'out = {}',
    'for name, p in json.load(sys.stdin).items():',
    '    try:',
    '        validate(p); out[name] = "ok"',
    '    except ParamError as e:',
    '        out[name] = f"{e.field}: {e.message}"',
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', code], { cwd: TRAINER_DIR, input: JSON.stringify(all), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, string>;
}

/** The parameter ranges exist once: every preset the bot offers is one the trainer accepts. */
describe('TypeScript presets against the trainer’s own validation', () => {
  it('accepts every preset, as the worker writes it (with the device)', () => {
    const names = Object.keys(PRESETS) as PresetName[];
    const all = Object.fromEntries(names.map((n) => [n, { ...PRESETS[n], device: 'cpu' }]));
    expect(pythonVerdicts(all)).toEqual(Object.fromEntries(names.map((n) => [n, 'ok'])));
  });

  it('can fail: the trainer refuses a preset pushed out of range', () => {
    const v = pythonVerdicts({ bad: { ...PRESETS.fast, imgSize: 100 } });
    expect(v.bad).toMatch(/^imgSize: /);
  });
});
