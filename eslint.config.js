// ESLint flat config: typescript-eslint's recommended rules plus the import-boundary
// table from STYLE.md. Circular imports are checked by dependency-cruiser (`npm run lint`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const PARTS = ['core', 'store', 'vision', 'queue', 'bot', 'agents', 'workers', 'reports', 'web', 'emulator'];

/**
 * Tooling around the product: the launcher (`scripts/`), test helpers (`test/`) and
 * benches (`bench/`). They may import anything of ours (benches and tests reach into
 * internals on purpose); nothing in the product may import them.
 */
const TOOLING = ['test', 'scripts', 'bench'];

/** Which of our folders each folder may import (STYLE.md). */
const MAY_IMPORT = {
  core: [],
  // Telegram's stand-in: it speaks only HTTP to the bot, so it shares no code with it.
  emulator: [],
  store: ['core'],
  vision: ['core'],
  queue: ['core'],
  reports: ['core'],
  agents: ['core'],
  workers: ['core', 'store', 'vision', 'queue', 'reports', 'agents'],
  bot: ['core', 'store', 'queue'],
  web: ['core', 'store', 'queue'],
};

const up = '(?:\\.\\./)+';

function boundary(part) {
  const forbidden = [...PARTS.filter((p) => p !== part && !MAY_IMPORT[part].includes(p)), ...TOOLING];
  const patterns = [
    {
      regex: `^${up}(?:${forbidden.join('|')})(?:/|$)`,
      message: `${part}/ may import only ${MAY_IMPORT[part].join(', ') || 'nothing of ours'} (STYLE.md import table).`,
    },
    {
      regex: `^${up}(?:${MAY_IMPORT[part].join('|') || 'NONE'})/(?!index\\.js$).+`,
      message: 'Import another folder only through its index.ts.',
    },
  ];
  if (part === 'vision') {
    patterns.push({
      regex: '(?:^|/)synth(?:/|$)',
      message: 'vision/synth is test-data tooling: only tests, benches and scripts import it (vision/synth/index.js).',
    });
  }
  if (part === 'core') {
    patterns.push({
      regex: '^(?:node:)?(?:fs|fs/promises|http|https|net|child_process)$|^(?:telegraf|bullmq|ioredis|better-sqlite3|sharp|onnxruntime-node|pdfkit)(?:/|$)',
      message: 'core/ is pure: no I/O libraries.',
    });
  }
  return {
    files: [`${part}/**/*.ts`],
    ignores: [
      `${part}/**/*.test.ts`,
      `${part}/**/*.bench.ts`,
      `${part}/**/test-fixtures/**`,
      ...(part === 'web' ? ['web/inference*.ts', 'web/invoke/**', 'web/editor/snap.ts'] : []),
      ...(part === 'vision' ? ['vision/synth/**'] : []),
    ],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'bench/results/**', '**/static/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its error (a chat reply that silently
    // failed), a promise passed where a callback is expected races its caller, and a `switch`
    // over a union must name every member (a new job name or reject reason cannot be forgotten).
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  ...PARTS.map(boundary),
  {
    // The launcher ships with the product: it may start the emulator but never reach into
    // tests or benches. Tests may use the launcher's helpers (Redis), not the benches.
    files: ['scripts/**/*.ts'],
    ignores: ['scripts/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: `^${up}(?:test|bench)(?:/|$)`, message: 'scripts/ (the launcher) may not import tests or benches.' }] }] },
  },
  {
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: `^${up}bench(?:/|$)`, message: 'test/ may not import benches.' }] }] },
  },
  {
    // Entry points print start-up failures for a person; scripts, benches and tests print freely.
    files: ['**/main.ts', 'scripts/**', 'bench/**', 'test/**', '**/*.test.ts', '**/cli.ts', '**/*.bench.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Web's inference route may use vision (STYLE.md), and so may the editor's snap (pixels for one request).
    files: ['web/inference*.ts', 'web/invoke/**/*.ts', 'web/editor/snap.ts'],
    ignores: ['web/invoke/**/*.test.ts', 'web/invoke/**/test-fixtures/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: `^${up}(?:bot|workers|agents|reports|emulator|test|scripts|bench)(?:/|$)`, message: 'web/ may import core, store, queue and (here) vision only.' }] }] },
  },
);
