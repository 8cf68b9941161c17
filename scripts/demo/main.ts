import { parseArgs } from 'node:util';
import { createLogger, redactText, type Lang } from '../../core/index.js';
import { contestantSeconds, CONTESTANT_COSTS } from './costs.js';
import { artifacts, runDemo } from './demo.js';

/**
 * `npm run demo`: a scripted contestant plays the whole exam on the local chat — no
 * Telegram account, no internet — then the product stays up on the same state so a person
 * can look around in the browser (`--exit` stops at the end).
 *   npm run demo [-- --lang en] [--train "fast"] [--data-dir ./data-demo] [--quick] [--exit]
 */

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lang: { type: 'string', default: 'zh' },
      train: { type: 'string', default: 'fast' },
      'data-dir': { type: 'string', default: './data-demo' },
      quick: { type: 'boolean', default: false },
      exit: { type: 'boolean', default: false },
    },
  });
  const lang: Lang = values.lang === 'en' ? 'en' : 'zh';
  const log = createLogger({ name: 'demo', level: 'warn', secrets: [] });
  const line = (s: string) => console.log(s);
  line(`\n  Trainer Copilot demo: a scripted contestant plays the whole exam on the local chat (${lang}).`);
  line(`  Data: ${values['data-dir']} (process logs in processes.log there)\n`);
  let elapsed = 0;
  let running: { stop(): Promise<void> } | undefined;
  const stop = () => void (running?.stop() ?? Promise.resolve()).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const run = await runDemo({
    onStarted: (product) => (running = product),
    dataDir: values['data-dir'],
    lang,
    train: values.train,
    quick: values.quick,
    log,
    onStep: (s) => {
      elapsed += s.seconds;
      line(`  [${fmt(elapsed)}] ${s.step.padEnd(46)} ${s.seconds.toFixed(1).padStart(6)} s  ${s.detail}`);
    },
  });
  const r = run.result;
  const photos = r.accepted + r.rejected;
  const contestantS = contestantSeconds(r);
  const waitingS = r.steps.reduce((n, s) => n + s.seconds, 0);
  line('');
  line(`  Done in ${fmt(run.seconds)} (product start-up included).`);
  line(`  Photos: ${r.accepted} accepted, ${r.rejected} rejected by cleaning; pre-labels right at one tap: ${r.oneTap} of ${r.oneTap + r.editorFixes} (${pct(r.oneTap, r.oneTap + r.editorFixes)}), fixed in the editor: ${r.editorFixes}.`);
  line(`  Contestant actions: ${r.actions} (${(r.actions / Math.max(1, r.oneTap + r.editorFixes)).toFixed(1)} per plan photo).`);
  line(`  A contestant's own time, projected: ${fmt(contestantS)} for ${photos} shots (${CONTESTANT_COSTS.shot} s each), taps and messages (${CONTESTANT_COSTS.tap} s), ${r.editorFixes} editor fixes (${CONTESTANT_COSTS.editorFix} s).`);
  line(`  Product time (every step, waiting on it): ${fmt(waitingS)}. Projected Tasks 1 + 2: ${fmt(contestantS + waitingS)} of the exam's 120 min.`);
  line('\n  Artifacts:');
  for (const [what, path] of artifacts(run.dataDir, run.station)) line(`    ${what.padEnd(30)} ${path}`);
  if (values.exit) {
    await run.product.stop();
    return;
  }
  line(`\n  The product is still running on this state.`);
  line(`  Chat page: ${run.product.emulator?.chatUrl ?? ''}  — pick user id ${run.userId} to see the contestant's chat.`);
  line(`  Web (invocation page, editor): ${run.product.webUrl}/invoke/${run.station}`);
  line('  Stop with Ctrl+C.\n');
}

const fmt = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
const pct = (a: number, b: number) => (b === 0 ? '—' : `${Math.round((100 * a) / b)} %`);

main().catch((err: unknown) => {
  console.error(redactText(err instanceof Error ? (err.stack ?? err.message) : String(err)));
  process.exit(1);
});
