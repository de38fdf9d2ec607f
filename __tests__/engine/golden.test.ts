/**
 * Golden outputs: full results of a handful of real windows, checked in under golden/. A diff
 * here means the engine's results changed: bump ENGINE_VERSION (lib/engine/version.ts) so cached
 * results are recomputed, then regenerate with `npx tsx __tests__/engine/update-golden.ts` and
 * review the JSON diff.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../lib/engine';
import { GOLDEN_CASES, goldenFileName } from './golden-cases';
import { goldenResult, type GoldenResult } from './golden-result';

const REGENERATE = 'regenerate with `npx tsx __tests__/engine/update-golden.ts` and review the diff';

/** Numbers equal to 1e-12 relative (Math.pow may differ in the last bit between V8 versions). */
function closeTo(expected: unknown): unknown {
  if (typeof expected === 'number') return expected === 0 ? 0 : expect.closeTo(expected, -Math.log10(Math.abs(expected) * 1e-12));
  if (Array.isArray(expected)) return expected.map(closeTo);
  if (expected && typeof expected === 'object') {
    return Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, closeTo(v)]));
  }
  return expected;
}

describe('golden results', () => {
  for (const params of GOLDEN_CASES) {
    const name = goldenFileName(params);
    it(name, async () => {
      const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'golden', name), 'utf8')) as GoldenResult;
      const current = await goldenResult(params);
      expect(current.dataVersion, `market data changed since the golden file was written: ${REGENERATE}`).toBe(golden.dataVersion);
      expect(golden.engineVersion, `ENGINE_VERSION is ${ENGINE_VERSION}: ${REGENERATE}`).toBe(ENGINE_VERSION);
      expect(
        { metrics: current.metrics, firstTrades: current.firstTrades },
        `results differ from the golden file: bump ENGINE_VERSION in lib/engine/version.ts, then ${REGENERATE}`,
      ).toEqual(closeTo({ metrics: golden.metrics, firstTrades: golden.firstTrades }));
    });
  }
});
