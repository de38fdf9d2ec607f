/**
 * Golden outputs: full results of a handful of real windows, checked in under golden/. The test
 * fails when the engine's output differs from a file (numbers beyond 1e-12 relative), and when
 * the file was written by another ENGINE_VERSION or from other market data. A result change
 * needs an ENGINE_VERSION bump (lib/engine/version.ts) so cached results are recomputed; then
 * regenerate with `npx tsx __tests__/engine/update-golden.ts` (which refuses to rewrite changed
 * results under an unchanged engine and data version) and review the JSON diff.
 */
import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../lib/engine';
import { GOLDEN_CASES, goldenFileName } from './golden-cases';
import { goldenResult, readGolden, resultDifferences, rewriteRefusal } from './golden-result';

const REGENERATE = 'regenerate with `npx tsx __tests__/engine/update-golden.ts` and review the diff';

describe('golden results', () => {
  for (const params of GOLDEN_CASES) {
    const name = goldenFileName(params);
    it(name, async () => {
      const golden = readGolden(params);
      expect(golden, `no golden file ${name}: ${REGENERATE}`).not.toBeNull();
      const current = await goldenResult(params);
      expect(current.dataVersion, `market data changed since the golden file was written: ${REGENERATE}`).toBe(golden!.dataVersion);
      expect(golden!.engineVersion, `ENGINE_VERSION is ${ENGINE_VERSION}: ${REGENERATE}`).toBe(ENGINE_VERSION);
      expect(
        resultDifferences(golden!, current),
        `results differ from the golden file: bump ENGINE_VERSION in lib/engine/version.ts, then ${REGENERATE}`,
      ).toEqual([]);
    });
  }
});

describe('resultDifferences', () => {
  it('tolerates 1e-12 relative and nothing more, and names what moved', async () => {
    const base = await goldenResult(GOLDEN_CASES[0]);
    const moved = (factor: number) => ({ ...base, metrics: { ...base.metrics, sharpeRatio: base.metrics.sharpeRatio * factor } });
    expect(resultDifferences(base, moved(1 + 5e-13))).toEqual([]);
    expect(resultDifferences(base, moved(1 + 1e-11))).toEqual([expect.stringMatching(/^metrics\.sharpeRatio: /)]);
    const { calmarRatio: _dropped, ...withoutCalmar } = base.metrics;
    expect(resultDifferences(base, { ...base, metrics: withoutCalmar as typeof base.metrics })).toEqual([
      expect.stringMatching(/^metrics\.calmarRatio: /),
    ]);
    const trades = base.firstTrades.map((t, k) => (k === 1 ? { ...t, exitReason: 'end' as const } : t));
    expect(resultDifferences(base, { ...base, firstTrades: trades })).toEqual([
      expect.stringMatching(/^firstTrades\.1\.exitReason: /),
    ]);
  });
});

describe('rewriteRefusal (update-golden)', () => {
  it('refuses changed results under the same engine and data version, allows a version change', async () => {
    const stored = await goldenResult(GOLDEN_CASES[0]);
    const changed = { ...stored, metrics: { ...stored.metrics, returns: stored.metrics.returns + 1 } };
    expect(rewriteRefusal(stored, changed)).toMatch(/metrics\.returns: /);
    // Unchanged results, no file yet, a bumped engine or new market data: the rewrite may go ahead.
    expect(rewriteRefusal(stored, { ...stored })).toBeNull();
    expect(rewriteRefusal(null, changed)).toBeNull();
    expect(rewriteRefusal(stored, { ...changed, engineVersion: `${stored.engineVersion}-next` })).toBeNull();
    expect(rewriteRefusal(stored, { ...changed, dataVersion: `${stored.dataVersion}-funding` })).toBeNull();
  });
});
