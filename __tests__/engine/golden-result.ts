/**
 * What a golden file holds for one case: the engine and data versions, the params, the full
 * metrics and the first trades; and the one comparison rule shared by update-golden.ts (which
 * refuses a silent change) and golden.test.ts (which fails on any difference).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ENGINE_VERSION, runBacktest, type BacktestMetrics, type Trade } from '../../lib/engine';
import { loadSeries } from '../../lib/market-data';
import type { BacktestParams } from '../../lib/schemas';
import { goldenFileName } from './golden-cases';

export interface GoldenResult {
  engineVersion: string;
  dataVersion: string;
  params: BacktestParams;
  metrics: BacktestMetrics;
  firstTrades: Trade[];
}

/** Folder of the golden files. */
export const GOLDEN_DIR = path.join(__dirname, 'golden');

/** Runs `params` on the real data with the current engine. */
export async function goldenResult(params: BacktestParams): Promise<GoldenResult> {
  const series = await loadSeries(params.asset, params.timeframe);
  const { metrics, detail } = runBacktest(series, params, { detail: true });
  return {
    engineVersion: ENGINE_VERSION,
    dataVersion: series.dataVersion,
    params,
    metrics,
    firstTrades: detail!.trades.slice(0, 3),
  };
}

/** The stored golden file of `params`, or null when there is none yet. */
export function readGolden(params: BacktestParams): GoldenResult | null {
  const file = path.join(GOLDEN_DIR, goldenFileName(params));
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as GoldenResult) : null;
}

/** Relative tolerance for numbers: Math.pow may differ in the last bit between V8 versions. */
const RELATIVE = 1e-12;

/**
 * Paths (e.g. `metrics.sharpeRatio`, `firstTrades.0.pnl`) where the results of `actual` differ
 * from `expected`: numbers beyond 1e-12 relative, anything else not strictly equal, keys missing
 * on either side. Only `metrics` and `firstTrades` are compared (the versions are checked apart).
 */
export function resultDifferences(expected: GoldenResult, actual: GoldenResult): string[] {
  const found: string[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (typeof a === 'number' && typeof b === 'number') {
      if (!(a === b || Math.abs(a - b) <= RELATIVE * Math.max(Math.abs(a), Math.abs(b)))) {
        found.push(`${at}: ${a} → ${b}`);
      }
    } else if (a && b && typeof a === 'object' && typeof b === 'object') {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const key of keys) {
        walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
      }
    } else if (a !== b) {
      found.push(`${at}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
    }
  };
  walk(expected.metrics, actual.metrics, 'metrics');
  walk(expected.firstTrades, actual.firstTrades, 'firstTrades');
  return found;
}

/**
 * Why `current` may not replace `stored` (null when it may): its results differ while both the
 * engine version and the data version are unchanged. No stored file, a new ENGINE_VERSION or a
 * new dataVersion all allow the rewrite.
 */
export function rewriteRefusal(stored: GoldenResult | null, current: GoldenResult): string | null {
  if (stored === null) return null;
  if (stored.engineVersion !== current.engineVersion || stored.dataVersion !== current.dataVersion) return null;
  const differences = resultDifferences(stored, current);
  if (differences.length === 0) return null;
  return (
    `${goldenFileName(current.params)} (engine ${current.engineVersion}, data ${current.dataVersion}):\n    ` +
    differences.join('\n    ')
  );
}
