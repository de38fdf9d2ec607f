import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mts';

/**
 * `npm run test:stress`: the long reliability tests (load, kill -9, operator deletes) that take
 * more than a few seconds each. Runs against the build `npm test` made.
 */
export default mergeConfig(
  // Reporters are replaced, not added to (mergeConfig concatenates arrays: `default` would print twice).
  { ...base, test: { ...base.test, projects: undefined, reporters: undefined } },
  defineConfig({
    test: {
      name: 'stress',
      environment: 'node',
      include: ['__tests__/stress/**/*.test.ts'],
      testTimeout: 180_000,
      hookTimeout: 240_000,
      fileParallelism: false,
      reporters: process.env.CI
        ? ['default', ['json', { outputFile: 'artifacts/vitest-stress.json' }]]
        : ['default'],
    },
  }),
);
