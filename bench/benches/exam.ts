import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../core/index.js';
import { runDemo } from '../../scripts/demo/demo.js';
import { contestantSeconds, CONTESTANT_COSTS } from '../../scripts/demo/costs.js';
import { metric, type Bench, type Metric } from '../metric.js';

/**
 * The exam's outcome: the whole exam played by the scripted contestant of `npm run demo`
 * on real processes (the full 100-photo plan with `--full`, else the small plan of the
 * end-to-end test), then contestant actions per photo, the share of one-tap photos, the
 * product's own time per step, and the projected time for Tasks 1 + 2 against the exam's
 * 120 minutes (the contestant's own actions at the costs in scripts/demo/costs.ts).
 */
export const bench: Bench = {
  name: 'exam',
  description: 'the whole exam by the demo contestant: actions per photo, one-tap share, product time per step, projected Tasks 1+2 time vs 120 min',
  async run(): Promise<Metric[]> {
    const full = process.argv.includes('--full');
    const run = await runDemo({
      dataDir: join(mkdtempSync(join(tmpdir(), 'bench-exam-')), 'demo'),
      lang: 'zh',
      train: process.env.BENCH_EXAM_TRAIN ?? 'fast',
      quick: !full,
      log: createLogger({ name: 'bench', level: 'warn', secrets: [] }),
    });
    try {
      const r = run.result;
      const labelled = r.oneTap + r.editorFixes;
      const productS = r.steps.reduce((n, s) => n + s.seconds, 0);
      const ownS = contestantSeconds(r);
      const out: Metric[] = [
        metric(`plan photos labelled (${full ? 'full plan' : 'small plan; --full for 100'})`, labelled, 'photos'),
        metric('contestant actions per plan photo (messages, taps, editor saves)', r.actions / Math.max(1, labelled), 'actions'),
        metric('share of photos confirmed with one tap', r.oneTap / Math.max(1, labelled), 'ratio'),
        metric('photos rejected by cleaning (bad ones sent on purpose included)', r.rejected, 'photos'),
      ];
      for (const s of r.steps) out.push(metric(`product time: ${s.step}`, s.seconds, 's'));
      out.push(metric('product time, every step', productS, 's'));
      out.push(metric(`contestant's own time (${CONTESTANT_COSTS.shot} s a shot, ${CONTESTANT_COSTS.tap} s a tap, ${CONTESTANT_COSTS.editorFix} s an editor fix)`, ownS, 's'));
      out.push(metric('projected Tasks 1 + 2 (own time + product time)', (ownS + productS) / 60, 'min', 120));
      return out;
    } finally {
      await run.product.stop();
    }
  },
};
