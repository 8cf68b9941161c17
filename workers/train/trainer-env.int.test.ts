import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrainer, type TrainerEvent } from './trainer-process.js';

/** Issue 9 point 8: the trainer child sees an allow-listed environment, never the bot token. */
describe('trainer child environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainer-env-'));
  const saved = { token: process.env.TELEGRAM_BOT_TOKEN, key: process.env.OPENAI_API_KEY, omp: process.env.OMP_NUM_THREADS };

  afterAll(() => {
    for (const [name, value] of [['TELEGRAM_BOT_TOKEN', saved.token], ['OPENAI_API_KEY', saved.key], ['OMP_NUM_THREADS', saved.omp]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes PATH and thread settings but not the bot token or API keys', async () => {
    const script = join(dir, 'env.py');
    const out = join(dir, 'env.json');
    writeFileSync(script, `import json, os\nopen(${JSON.stringify(out)}, "w").write(json.dumps(sorted(os.environ)))\n`);
    process.env.TELEGRAM_BOT_TOKEN = '123456:secret-token-for-the-env-test';
    process.env.OPENAI_API_KEY = 'sk-env-test';
    process.env.OMP_NUM_THREADS = '2';
    const events: TrainerEvent[] = [];
    const r = await runTrainer({ python: '/usr/bin/python3', script, args: [], onEvent: (e) => events.push(e), shouldStop: () => false });
    expect(r.code).toBe(0);
    const seen = JSON.parse(readFileSync(out, 'utf8')) as string[];
    expect(seen).toContain('PATH');
    expect(seen).toContain('OMP_NUM_THREADS');
    expect(seen).toContain('PYTHONUNBUFFERED');
    expect(seen).not.toContain('TELEGRAM_BOT_TOKEN');
    expect(seen).not.toContain('OPENAI_API_KEY');
  });
});
