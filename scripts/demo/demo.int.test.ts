import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { openStore, stationPaths } from '../../store/index.js';
import { testPrefix } from '../../test/harness.js';
import { runDemo, type DemoRun } from './demo.js';
import { SHOTS, takeScreenshots } from './screenshots.js';

/**
 * Issue 17 point 3: the whole exam end to end on real processes — a short demo (2 photos a
 * combo, a 40-second training run) — and every artifact checked against the chat's numbers.
 */
describe('the whole exam, end to end (npm run demo --quick)', () => {
  let run: DemoRun | undefined;
  const steps: string[] = [];
  afterAll(async () => {
    await run?.product.stop();
  });

  it('registers, captures and labels the plan, reviews, exports, reports, trains, deploys, is called, hands in', async () => {
    run = await runDemo({
      dataDir: join('/tmp', `demo-e2e-${testPrefix()}`),
      lang: 'en',
      train: 'fast time=40s',
      quick: true,
      env: { REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: testPrefix() },
      log: createLogger({ name: 'demo', level: 'warn', secrets: [] }),
      onStep: (s) => steps.push(`${s.step}: ${s.detail}`),
    });
    const r = run.result;
    let runId = '';
    const store = openStore({ dataDir: run.dataDir });
    try {
      // Counts in the database match the chat: 14 plan photos accepted and confirmed, the bad ones refused.
      const confirmed = store.labels.listConfirmed('A07');
      expect(confirmed).toHaveLength(14);
      expect(r.accepted).toBeGreaterThanOrEqual(14);
      expect(r.oneTap + r.editorFixes).toBe(14);
      expect(steps.find((s) => s.startsWith('bad photos'))).toMatch(/exact duplicate: rejected; too dark: rejected; blurry: rejected/);
      // The review: a finished sample of ceil(20 % of 14) = 3 photos, every box qualified.
      const review = store.reviews.list('A07')[0];
      expect(review?.finishedAt).not.toBeNull();
      expect(steps.find((s) => s.startsWith('/review'))).toMatch(/Accuracy 100(\.0)?%/);
      // A completed run, deployed, and the service answered with boxes.
      const deployed = store.runs.deployed('A07');
      expect(deployed?.status).toBe('completed');
      runId = deployed?.id ?? '';
      // The service answered with the deployed run's boxes (a 40 s run may score under the default threshold).
      expect(r.detectRun).toBe(deployed?.id);
      expect(Math.max(r.detectBoxes ?? 0, r.detectBoxesLow ?? 0)).toBeGreaterThan(0);
    } finally {
      store.close();
    }
    const p = stationPaths(run.dataDir, 'A07');
    // Both PDFs hold the chat's numbers.
    const stage1 = execFileSync('pdftotext', ['-layout', join(p.reports, 'stage1.pdf'), '-'], { encoding: 'utf8' });
    expect(stage1).toContain('A07');
    expect(stage1).toMatch(/100(\.0)?\s*%/);
    const stage2 = execFileSync('pdftotext', ['-layout', join(p.reports, 'stage2.pdf'), '-'], { encoding: 'utf8' });
    expect(stage2).toContain(runId);
    // The dataset zip and the hand-in folder exist with the required layout.
    expect(existsSync(join(p.exports, 'A07.zip'))).toBe(true);
    const zipList = execFileSync('unzip', ['-l', join(p.exports, 'A07.zip')], { encoding: 'utf8' });
    expect(zipList).toMatch(/data\.yaml/);
    expect(readFileSync(join(p.exports, 'A07.zip')).length).toBeGreaterThan(1000);
    expect(existsSync(p.handin)).toBe(true);

    // The README's screenshots come from this state (`npm run screenshots` keeps them in docs/screenshots).
    const shots = await takeScreenshots(run, process.env.SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir(), 'shots-')));
    expect(shots.map((f) => f.split('/').pop())).toEqual(SHOTS.map((s) => `${s}.png`));
    for (const f of shots) expect(statSync(f).size, f).toBeGreaterThan(10_000);
  }, 15 * 60_000);
});
