/** dependency-cruiser: no circular imports anywhere in our code (the boundary table is in eslint.config.js). */
module.exports = {
  forbidden: [
    {
      name: 'agents-only-core',
      severity: 'error',
      comment: 'The guide (agents/) sees the product only through core and the facts the workers read for it (STYLE.md import table).',
      from: { path: '^agents/', pathNot: '(\\.test\\.ts$|/test-fixtures/)' },
      to: { path: '^(store|vision|queue|bot|workers|reports|web|emulator|scripts|bench|test)/' },
    },
    {
      name: 'nothing-imports-agents-but-workers',
      severity: 'error',
      comment: 'Only the workers run the guide (an LLM turn takes seconds; the bot never waits on it).',
      from: { path: '^(core|store|vision|queue|bot|reports|web|emulator)/' },
      to: { path: '^agents/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular imports make start-up order fragile; move the shared piece down a layer.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(node_modules|data|bench/results)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
