import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, Metric } from './metric.js';

/**
 * `npm run bench` runs every bench in `bench/benches/`; `npm run bench -- NAME`
 * runs one. Each prints a table and writes `bench/results/NAME.json`: an array of
 * `{ metric, value, unit, budget?, ok? }`, so runs can be compared over time.
 */
const here = dirname(fileURLToPath(import.meta.url));

async function loadBenches(): Promise<Bench[]> {
  const dir = join(here, 'benches');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const benches: Bench[] = [];
  for (const f of files.sort()) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { bench?: Bench };
    if (mod.bench) benches.push(mod.bench);
  }
  return benches;
}

function printTable(name: string, metrics: readonly Metric[]): void {
  const rows = metrics.map((m) => [
    m.metric,
    String(m.value),
    m.unit,
    m.budget === undefined ? '' : String(m.budget),
    m.ok === undefined ? '' : m.ok ? 'ok' : 'OVER',
  ]);
  const head = ['metric', 'value', 'unit', 'budget', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n## ${name}`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const benches = await loadBenches();
  const selected = wanted.length ? benches.filter((b) => wanted.includes(b.name)) : benches;
  if (selected.length === 0) {
    console.error(`no bench named ${wanted.join(', ')}; have: ${benches.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const outDir = join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  let failed = false;
  for (const b of selected) {
    console.log(`running ${b.name}: ${b.description}`);
    try {
      const metrics = await b.run();
      printTable(b.name, metrics);
      writeFileSync(join(outDir, `${b.name}.json`), JSON.stringify(metrics, null, 2) + '\n');
    } catch (err) {
      failed = true;
      console.error(`bench ${b.name} failed:`, err);
    }
  }
  process.exit(failed ? 1 : 0);
}

void main();
