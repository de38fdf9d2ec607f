/**
 * Plain-language notes about what a result really covers (SPEC §8): the range notice when the
 * window that ran differs from the dates asked, and the funding source and coverage. Pure.
 */
import { DEFAULT_ENGINE_CONFIG } from '../engine/config';
import type { BacktestResult } from '../engine/types';
import type { CoverageEntry } from '../market-data/types';
import type { FundingCoverage } from './api-types';
import { lastCoveredDay } from './format';

/** A result as the page reads it: `fundingCoverage` (% of window bars with known funding, 0–100) is absent from older servers. */
export type ShownResult = BacktestResult & { fundingCoverage?: number };

const day = (iso: string) => iso.slice(0, 10);

/**
 * The notice beside the date controls when `result` ran on other days than its params asked
 * (null when they match or no range was asked): e.g. `Ran 2024-12-05 → 2025-11-30 UTC:
 * ETHUSDT 15m data starts 2024-12-05, ends 2025-11-30`. The reason names the series that starts
 * latest (or ends earliest) in `coverage` when known; otherwise "data starts/ends".
 */
export function rangeNotice(result: Pick<BacktestResult, 'params' | 'period'>, coverage?: readonly CoverageEntry[]): string | null {
  const asked = result.params.dateRange;
  if (!asked) return null;
  const ran = { start: day(result.period.start), end: lastCoveredDay(result.period.end) };
  if (ran.start === asked.start && ran.end === asked.end) return null;
  const price = coverage?.find((c) => c.symbol === `${result.params.asset}USDT` && c.interval === result.params.timeframe);
  const fgi = coverage?.find((c) => c.symbol === 'FGI');
  const reasons: string[] = [];
  if (ran.start > asked.start) {
    const fgiLater = fgi && price && day(fgi.first) > day(price.first);
    reasons.push(`${fgiLater ? 'the FGI' : price ? `${price.symbol} ${price.interval} data` : `${result.params.timeframe} data`} starts ${ran.start}`);
  }
  if (ran.end < asked.end) {
    const fgiEarlier = fgi && price && day(fgi.last) < day(price.last);
    reasons.push(`${fgiEarlier ? 'the FGI' : price ? `${price.symbol} ${price.interval} data` : `${result.params.timeframe} data`} ends ${ran.end}`);
  }
  const why = reasons.length ? `: ${reasons.join(', ')}` : '';
  return `Ran ${ran.start} → ${ran.end} UTC, not ${asked.start} → ${asked.end}${why}`;
}

const FIXED_RATE = `${(DEFAULT_ENGINE_CONFIG.fundingRatePer8h * 100).toFixed(2)} %/8 h`;

/**
 * Where the funding of `result` came from, e.g. `real Binance funding, 100 % of bars`, `fixed
 * 0.01 %/8 h before 2019-09-10: 62 % real` (when the perpetual's history starts inside the
 * window), `fixed 0.01 %/8 h (no funding history for this window)`. `funding` is the list from
 * GET /api/market-data (absent from servers that do not read funding history); a result without
 * `fundingCoverage` ran on the fixed rate of the engine config.
 */
export function fundingNote(result: ShownResult, funding?: readonly FundingCoverage[]): string {
  const coverage = result.fundingCoverage;
  if (coverage === undefined || !Number.isFinite(coverage)) return `fixed ${FIXED_RATE} (this server reads no funding history)`;
  const pct = Math.round(coverage);
  if (coverage >= 100) return `real Binance funding, 100 % of bars`;
  if (coverage <= 0) return `fixed ${FIXED_RATE} (no funding history for this window)`;
  const history = funding?.find((f) => f.symbol === `${result.params.asset}USDT`);
  const startsInside = history && history.first > result.period.start && history.first < result.period.end;
  return startsInside ? `fixed ${FIXED_RATE} before ${day(history.first)}: ${pct} % real` : `${pct} % of bars real Binance funding, the rest fixed ${FIXED_RATE}`;
}
