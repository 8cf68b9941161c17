import { performance } from 'node:perf_hooks';
import { renderStage1Report, renderStage2Report } from '../../reports/index.js';
import { stage1Fixture, stage2Fixture } from '../../reports/fixtures.js';
import { median, metric, percentile, type Bench, type Metric } from '../metric.js';
import { testEnv } from '../../test/harness.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { stage1Data } from '../../workers/report/stage1-data.js';

/**
 * The `report` worker's stage-one job without the chat: data assembly from the store
 * (plan, cleaning, labels, the review's 20 thumbnails) plus rendering, on a seeded
 * 100-photo station with a finished 20 % review.
 */
async function workerStage1(out: Metric[]): Promise<void> {
  const env = testEnv();
  try {
    await seedConfirmedStation(env, 'B01', 1, 100, '11010519900307123');
    const photos = env.store.labels.listConfirmed('B01');
    const review = env.store.reviews.create('B01', 7, 0.2, photos.slice(0, 20).map((c) => c.photo.id));
    env.store.reviews.finish(review.id);
    const runs: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      await renderStage1Report(await stage1Data(env.store, env.exam, 'B01'));
      runs.push(performance.now() - t0);
    }
    out.push(metric('report worker stage one, 100-photo station: data + render (median of 4)', median(runs), 'ms', 2000));
  } finally {
    env.cleanup();
  }
}

/**
 * Report generation for a 100-photo station (20 sampled thumbnails in stage one,
 * 12 val predictions in stage two): data in → PDF bytes out, budget 2 s each.
 * The first report in a process also parses the CJK font collections (once per
 * process, as in the `report` worker); later ones are the steady cost.
 */
export const bench: Bench = {
  name: 'report',
  description: 'stage-one and stage-two PDF generation for a 100-photo station (pdfkit + embedded Noto Sans CJK)',
  async run(): Promise<Metric[]> {
    const [one, two] = await Promise.all([stage1Fixture(), stage2Fixture()]);
    const out: Metric[] = [];
    const time = async (f: () => Promise<Buffer>): Promise<{ ms: number; bytes: number }> => {
      const t0 = performance.now();
      const pdf = await f();
      return { ms: performance.now() - t0, bytes: pdf.length };
    };
    const first = await time(() => renderStage1Report(one));
    out.push(metric('stage-one report, first in process (font parse included)', first.ms, 'ms', 2000));
    for (const [name, f] of [['stage-one', () => renderStage1Report(one)], ['stage-two', () => renderStage2Report(two)]] as const) {
      const runs: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 6; i++) {
        const r = await time(f);
        runs.push(r.ms);
        bytes = r.bytes;
      }
      out.push(metric(`${name} report (median of 6)`, median(runs), 'ms', 2000));
      out.push(metric(`${name} report (max of 6)`, percentile(runs, 100), 'ms'));
      out.push(metric(`${name} report size`, bytes / 1024, 'KiB'));
    }
    await workerStage1(out);
    return out;
  },
};
