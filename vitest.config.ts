import { defineConfig } from 'vitest/config';

const src = ['core', 'store', 'vision', 'queue', 'bot', 'agents', 'workers', 'reports', 'web', 'emulator', 'scripts', 'bench', 'test'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: src.map((d) => `${d}/**/*.test.ts`),
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'int',
          include: src.map((d) => `${d}/**/*.int.test.ts`),
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration tests start processes and servers; two cores, so keep it modest.
          maxWorkers: 2,
          globalSetup: ['test/global-setup.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
