/**
 * Heatmap figures against a real `next start` (heatmaps computed in its worker pool): wall time
 * of whole grids (ETH's year of 15m bars; ETH 1h 2019–2025), time to the first NDJSON row, and
 * execute latency (hits and 90-day misses, one at a time) while 4 distinct long heatmaps and a
 * grid warm-up job run: after 100 executes that warm the route up (not counted: the first
 * requests of a fresh server measure its JIT, not interference), in several rounds whose
 * latencies are pooled, so the p99 rests on more than a handful of requests. Every timed grid
 * and every warm grid is distinct, so none comes from the server's memory or cache.
 */
import { HIT_PARAMS, postJson } from './http-bench';
import { summarize, type Summary, WARM_POST_HEADERS } from './measure';

/** Heatmap figures, ms. */
export interface HeatmapFigures {
  heatmap_1y_15m_ms: number;
  heatmap_7y_1h_ms: number;
  heatmap_first_row_ms: number;
  execute_p99_during_heatmaps_ms: number;
  execute_p50_during_heatmaps_ms: number;
  execute_during_heatmaps_requests: number;
  runs: Record<string, Summary>;
}

/** The whole 15m history (2024-12-05 to 2025-11-30, about 34,600 bars: one year). */
const YEAR_15M = { asset: 'ETH', timeframe: '15m', strategy: 'contrarian', dateRange: { start: '2024-12-05', end: '2025-11-30' } };
const SEVEN_YEARS_1H = { asset: 'ETH', timeframe: '1h', strategy: 'contrarian', dateRange: { start: '2019-01-01', end: '2025-12-31' } };

async function grid(url: string, body: object): Promise<number> {
  const { status, json, ms } = await postJson(url, body);
  if (status !== 200 || json.cached) throw new Error(`heatmap answered ${status}, cached ${json.cached}`);
  return ms;
}

/** ms from sending an NDJSON heatmap request to its first row line. */
async function firstRow(url: string, body: object): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`heatmap stream answered ${res.status}`);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new Error('heatmap stream ended without a row');
    text += value;
    if (text.includes('"type":"row"')) break;
  }
  const ms = performance.now() - started;
  await reader.cancel(); // the server stops computing the rest
  return ms;
}

/**
 * Execute `i` of a latency run: even `i` the hit key, odd a 90-day BTC 1h miss that no other
 * figure touches, distinct per `round` (round 0: the warm-up; leverage 12 − round).
 */
function executeParams(i: number, round: number) {
  if (i % 2 === 0) return HIT_PARAMS;
  const miss = i >> 1; // 810 distinct keys per round before one repeats
  return { ...HIT_PARAMS, asset: 'BTC', timeframe: '1h', leverage: 12 - round, lowThreshold: 1 + (miss % 90), highThreshold: 91 + (Math.floor(miss / 90) % 9) };
}

/**
 * One round of the interference figure: 4 distinct long heatmaps (ETH 1h 2019 → a round's own
 * end day, momentum, leverage 7–10) and a grid warm job (SOL 1h momentum, the round's own
 * leverage), then one execute at a time until the heatmaps finish; waits for the warm job to end.
 * Returns the executes' latencies, ms.
 */
async function executesDuringHeavyWork(baseUrl: string, round: number): Promise<number[]> {
  const url = `${baseUrl}/api/backtest/heatmap`;
  const execute = `${baseUrl}/api/backtest/execute`;
  const dateRange = { start: SEVEN_YEARS_1H.dateRange.start, end: `2025-12-${31 - round}` };
  const heatmaps = Promise.all([7, 8, 9, 10].map((leverage) => grid(url, { ...SEVEN_YEARS_1H, dateRange, leverage, strategy: 'momentum' })));
  let heatmapsDone = false;
  heatmaps.finally(() => (heatmapsDone = true)).catch(() => undefined);
  const warm = await fetch(`${baseUrl}/api/backtest/warm-cache`, {
    method: 'POST',
    headers: WARM_POST_HEADERS,
    body: JSON.stringify({ preset: 'grid', assets: ['SOL'], timeframes: ['1h'], leverages: [7 + round], strategies: ['momentum'] }),
  });
  if (warm.status !== 202) throw new Error(`warm job for the interference run answered ${warm.status}`);
  const during: number[] = [];
  for (let i = 0; !heatmapsDone; i++) {
    const { status, ms } = await postJson(execute, { params: executeParams(i, round), priority: 'high' });
    if (status !== 200) throw new Error(`execute during heatmaps answered ${status}`);
    during.push(ms);
  }
  await heatmaps;
  while ((await (await fetch(`${baseUrl}/api/backtest/warm-cache`)).json()).status === 'running') await new Promise((r) => setTimeout(r, 100));
  return during;
}

/** Measures the heatmap figures against the server at `baseUrl` (`quick`: fewer runs). */
export async function benchHeatmap(baseUrl: string, quick: boolean): Promise<HeatmapFigures> {
  const url = `${baseUrl}/api/backtest/heatmap`;
  const execute = `${baseUrl}/api/backtest/execute`;
  // Load both series and start the workers (excluded from the figures).
  await grid(url, { ...YEAR_15M, leverage: 12, strategy: 'momentum' });
  await grid(url, { ...SEVEN_YEARS_1H, leverage: 12, strategy: 'momentum' });

  const n = quick ? 2 : 5;
  const year: number[] = [];
  const seven: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < n; i++) year.push(await grid(url, { ...YEAR_15M, leverage: 1 + i }));
  for (let i = 0; i < n; i++) seven.push(await grid(url, { ...SEVEN_YEARS_1H, leverage: 1 + i }));
  for (let i = 0; i < n; i++) first.push(await firstRow(url, { ...YEAR_15M, leverage: 1 + i, metric: 'sharpeRatio' }));

  // Warm the execute route up: hits and misses of the kinds measured below (other keys).
  for (let i = 0; i < 100; i++) {
    const { status } = await postJson(execute, { params: executeParams(i, 0), priority: 'high' });
    if (status !== 200) throw new Error(`execute warm-up answered ${status}`);
  }
  const during: number[] = [];
  for (let round = 1; round <= (quick ? 2 : 3); round++) during.push(...(await executesDuringHeavyWork(baseUrl, round)));
  const duringSummary = summarize(during);
  const yearSummary = summarize(year);
  const sevenSummary = summarize(seven);
  const firstSummary = summarize(first);
  return {
    heatmap_1y_15m_ms: yearSummary.median,
    heatmap_7y_1h_ms: sevenSummary.median,
    heatmap_first_row_ms: firstSummary.median,
    execute_p99_during_heatmaps_ms: duringSummary.p99,
    execute_p50_during_heatmaps_ms: duringSummary.median,
    execute_during_heatmaps_requests: duringSummary.runs,
    runs: { heatmap_1y_15m: yearSummary, heatmap_7y_1h: sevenSummary, heatmap_first_row: firstSummary, execute_during_heatmaps: duringSummary },
  };
}
