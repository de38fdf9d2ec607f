/**
 * The page's controls in the URL query (SPEC §8): `?asset=ETH&tf=4h&lev=3&strategy=contrarian&
 * low=25&high=75&elow=10&ehigh=90&range=2024&from=2024-02-01&to=2024-03-31`. Only values that
 * differ from DEFAULT_CONTROLS are written, so the first view is plain `/`. Reading validates
 * every value with the shared schemas (lib/schemas.ts): an invalid one falls back to its default
 * and is named in `notices`; reading never throws. Pure.
 */
import { z } from 'zod';
import { assetSchema, dateRangeSchema, strategySchema, timeframeSchema } from '../schemas';
import { CUSTOM_PRESET_ID, DEFAULT_CONTROLS, toBacktestParams, type Controls } from './controls';
import { TRAILING_PRESET } from './date-presets';
import { THRESHOLD_MAX, THRESHOLD_MIN } from './threshold-range';

/** Query parameter names, in the order they are written. */
export const QUERY_KEYS = ['asset', 'tf', 'lev', 'strategy', 'low', 'high', 'elow', 'ehigh', 'range', 'from', 'to'] as const;

/** Controls read from a query string, and one readable line per value that was replaced by its default. */
export interface ParsedQuery {
  controls: Controls;
  notices: string[];
}

const intSchema = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const PRESET_ID = /^(\d{4}|trailing-90|custom)$/;

/**
 * The query string of `c` (without `?`; empty for the defaults). Extreme thresholds are written
 * only while enabled; `from`/`to` only for a custom range.
 */
export function controlsToQuery(c: Controls): string {
  const q = new URLSearchParams();
  const d = DEFAULT_CONTROLS;
  if (c.asset !== d.asset) q.set('asset', c.asset);
  if (c.timeframe !== d.timeframe) q.set('tf', c.timeframe);
  if (c.leverage !== d.leverage) q.set('lev', String(c.leverage));
  if (c.strategy !== d.strategy) q.set('strategy', c.strategy);
  if (c.low !== d.low) q.set('low', String(c.low));
  if (c.high !== d.high) q.set('high', String(c.high));
  if (c.extremeEnabled) {
    q.set('elow', String(c.extremeLow));
    q.set('ehigh', String(c.extremeHigh));
  }
  if (c.datePreset !== d.datePreset) q.set('range', c.datePreset);
  if (c.datePreset === CUSTOM_PRESET_ID && c.dateRange) {
    q.set('from', c.dateRange.start);
    q.set('to', c.dateRange.end);
  }
  return q.toString();
}

/**
 * Controls of a query string (`?…` or without `?`). Each value is checked on its own (asset,
 * timeframe, strategy with their zod enums; leverage 1–12; thresholds 1–100 with low < high;
 * extremes 0–100 outside low/high, contrarian only; dates with dateRangeSchema), then the whole
 * set with backtestParamsSchema; whatever fails keeps its default, with a notice. Unknown keys
 * are ignored. A year preset is accepted here and checked against the data's years later
 * (reconcileDateChoice falls back to the trailing 90 days).
 */
export function controlsFromQuery(search: string): ParsedQuery {
  const q = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const notices: string[] = [];
  const read = <T>(key: string, schema: z.ZodType<T>, what: string): T | undefined => {
    const raw = q.get(key);
    if (raw === null) return undefined;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    notices.push(`${key}=${JSON.stringify(raw)} is not ${what}; using the default`);
    return undefined;
  };
  const d = DEFAULT_CONTROLS;
  const asset = read('asset', assetSchema, 'BTC, ETH or SOL') ?? d.asset;
  const timeframe = read('tf', timeframeSchema, '15m, 1h or 4h') ?? d.timeframe;
  const leverage = read('lev', intSchema(1, 12), 'a whole leverage from 1 to 12') ?? d.leverage;
  const strategy = read('strategy', strategySchema, 'contrarian or momentum') ?? d.strategy;
  let low = read('low', intSchema(THRESHOLD_MIN, THRESHOLD_MAX - 1), 'a whole FGI value from 1 to 99') ?? d.low;
  let high = read('high', intSchema(THRESHOLD_MIN + 1, THRESHOLD_MAX), 'a whole FGI value from 2 to 100') ?? d.high;
  if (low >= high) {
    notices.push(`low ${low} is not below high ${high}; using ${d.low}/${d.high}`);
    [low, high] = [d.low, d.high];
  }
  let controls: Controls = { ...d, asset, timeframe, leverage, strategy, low, high };

  const extremeLow = read('elow', intSchema(0, THRESHOLD_MAX), 'a whole FGI value from 0 to 100');
  const extremeHigh = read('ehigh', intSchema(0, THRESHOLD_MAX), 'a whole FGI value from 0 to 100');
  if (extremeLow !== undefined || extremeHigh !== undefined) {
    const pair = extremeLow !== undefined && extremeHigh !== undefined;
    const inside = pair && extremeLow <= low && extremeHigh >= high;
    if (!pair) notices.push('extreme thresholds need both elow and ehigh; left off');
    else if (!inside) notices.push(`extreme thresholds ${extremeLow}/${extremeHigh} must lie outside ${low}/${high}; left off`);
    else if (strategy !== 'contrarian') notices.push('extreme thresholds apply to the contrarian strategy only; left off');
    else controls = { ...controls, extremeEnabled: true, extremeLow, extremeHigh };
  }

  const preset = read('range', z.string().regex(PRESET_ID), 'a year, trailing-90 or custom');
  if (preset === CUSTOM_PRESET_ID) {
    const range = dateRangeSchema.safeParse({ start: q.get('from'), end: q.get('to') });
    if (range.success) controls = { ...controls, datePreset: CUSTOM_PRESET_ID, dateRange: range.data };
    else notices.push(`from=${q.get('from') ?? ''} to=${q.get('to') ?? ''} is not a range of UTC days (YYYY-MM-DD, from ≤ to); using the last 90 days`);
  } else if (preset !== undefined && preset !== TRAILING_PRESET.id) {
    controls = { ...controls, datePreset: preset };
  }

  // The per-value checks mirror the schema; the full check guards the combination.
  const built = toBacktestParams(controls);
  if ('error' in built) {
    notices.push(`the settings are not a valid backtest (${built.error}); using the defaults`);
    return { controls: DEFAULT_CONTROLS, notices };
  }
  return { controls, notices };
}
