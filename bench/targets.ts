/**
 * The bar each benchmark figure must meet, as the issues state it. `npm run bench` prints the
 * target beside each figure and whether it is met.
 */

/** A figure's limit: `max` = must stay below, `min` = must reach at least. */
export interface Target {
  max?: number;
  min?: number;
  /** Where the target comes from. */
  source: string;
}

export const TARGETS: Record<string, Target> = {
  data_load_4h_ms: { max: 1_000, source: 'data issue: loading one series (parse + align) well under a second' },
  data_load_1h_ms: { max: 1_000, source: 'data issue: loading one series (parse + align) well under a second' },
  data_load_15m_ms: { max: 1_000, source: 'data issue: loading one series (parse + align) well under a second' },
  engine_90d_4h_us: { max: 50, source: 'engine issue: one 90-day 4h backtest well under 50 µs' },
  engine_1y_15m_us: { max: 1_000, source: 'engine issue: one year of 15m bars under 1 ms' },
  engine_backtests_per_s: { min: 10_000, source: 'engine issue: ≥ 10,000 90-day 4h backtests/s on one core' },
  engine_ns_per_bar_1h: { max: 8, source: 'issue 14: full-history 1h backtest, metrics only, ≤ 8 ns per bar (one-pass engine)' },
  cache_info_100k_ms: { max: 50, source: 'cache issue: GET /api/backtest/cache info at 100,000 entries under 50 ms after the first scan' },
  cache_stats_100k_ms: { max: 50, source: 'cache issue: cache stats at 100,000 entries under 50 ms after the first scan' },
  http_hit_p50_ms: { max: 5, source: 'cache issue: HTTP hit p50 under 5 ms' },
  http_miss_p50_ms: { max: 15, source: 'cache issue: HTTP miss (90-day 4h) p50 under 15 ms' },
  warm_default_s: { max: 2, source: 'warming issue: default preset under 2 s cold' },
  warm_grid_s: { max: 15, source: 'warming issue: 4,950-pair grid under 15 s with every file written' },
  execute_p99_during_warm_ms: { max: 50, source: 'warming issue: uncached execute p99 under 50 ms during a grid job' },
  heatmap_1y_15m_ms: { max: 600, source: 'worker-pool issue: 1-year 15m heatmap (today ~2,500 ms)' },
  heatmap_7y_1h_ms: { max: 1_500, source: 'worker-pool issue: ETH 1h 2019-2025 heatmap (today ~3,100 ms)' },
  heatmap_first_row_ms: { max: 150, source: 'worker-pool issue: first streamed heatmap row' },
  execute_p99_during_heatmaps_ms: { max: 20, source: 'worker-pool issue: execute p99 while 4 long heatmaps and a grid warm job run' },
  warm_grid_2_instances_ratio: { max: 0.65, source: 'worker-pool issue: warm_grid_2_instances_s ≤ 0.65 × warm_grid_s (Redis, two instances)' },
  heatmap_full_grid_ms: { max: 300, source: 'page issue: full heatmap grid on a 90-day 4h window under 300 ms' },
  walk_forward_eth_4h_s: {
    max: 8,
    source: 'walk-forward issue: ETH 4h all data, 365/90 rolling, sharpeRatio, cold, ≤ 8 s — wall time of POST 202 → GET poll done against next start',
  },
};

/** `met`, `MISSED` or '' (no target) for a figure. */
export function verdict(key: string, value: number): string {
  const target = TARGETS[key];
  if (!target) return '';
  const ok = (target.max === undefined || value < target.max) && (target.min === undefined || value >= target.min);
  return ok ? 'met' : 'MISSED';
}

/** `< 50` or `≥ 10000`, or '' without a target. */
export function targetText(key: string): string {
  const target = TARGETS[key];
  if (!target) return '';
  return target.max !== undefined ? `< ${target.max}` : `≥ ${target.min}`;
}
