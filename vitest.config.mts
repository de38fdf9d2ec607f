import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

const alias = {
  '@': root,
  // `import 'server-only'` throws outside a React Server Components bundle; tests run server code directly.
  'server-only': path.resolve(root, '__tests__/helpers/server-only-stub.ts'),
};

/**
 * Two projects: node for lib, routes, scripts, HTTP tests against `next start` and the Chromium
 * browser test (`*.test.ts`), jsdom for components (`*.test.tsx`). The long reliability tests
 * in `__tests__/stress` run separately (vitest.stress.config.mts, `npm run test:stress`).
 */
export default defineConfig({
  plugins: [react()],
  resolve: { alias },
  test: {
    // CI sums the JSON reports into its closing `N passed, N failed` line (scripts/ci-summary.mjs).
    // Server logs ([CACHE HIT] …) are shown for failing tests only.
    silent: 'passed-only',
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'artifacts/vitest-main.json' }]]
      : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['__tests__/**/*.test.ts'],
          exclude: ['__tests__/stress/**'],
          testTimeout: 30_000,
          hookTimeout: 240_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: ['__tests__/**/*.test.tsx'],
          setupFiles: ['__tests__/helpers/jsdom-setup.ts'],
        },
      },
    ],
  },
});
