/**
 * HTTP figures against a real `next start` on loopback: execute hits and misses (sequential,
 * one connection), hit throughput with autocannon, warm-up jobs, execute latency while a grid
 * job runs, the heatmap endpoint and the server's RSS.
 */
import fs from 'node:fs';
import autocannon from 'autocannon';
import type { BacktestParams } from '../lib/schemas';
import { summarize, type Summary, WARM_POST_HEADERS } from './measure';

type Json = Record<string, unknown>;

/** POSTs JSON and returns the status, body and wall time in ms. */
export async function postJson(url: string, body: unknown): Promise<{ status: number; json: Json; ms: number }> {
  const start = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Json;
  return { status: res.status, json, ms: performance.now() - start };
}

async function getJson(url: string): Promise<Json> {
  return (await (await fetch(url)).json()) as Json;
}

/** Distinct uncached params: SOL/BTC 4h thresholds walk a grid no warm job here touches. */
function missParams(i: number, asset: 'SOL' | 'BTC' = 'SOL'): BacktestParams {
  const low = 1 + (i % 49);
  const high = 51 + Math.floor(i / 49);
  return { asset, timeframe: '4h', leverage: 7, lowThreshold: low, highThreshold: high, strategy: 'momentum' };
}

/** The params of the hit figures: one key, requested over and over (ETH 4h 3x 25/75 contrarian). */
export const HIT_PARAMS: BacktestParams = { asset: 'ETH', timeframe: '4h', leverage: 3, lowThreshold: 25, highThreshold: 75, strategy: 'contrarian' };

/**
 * Runs `request(0..n-1)` one after another (one at a time, so each sample is one request's wall
 * time in ms) and summarises the times.
 * @throws Error when a request answers other than 200.
 */
export async function sequentialLatency(n: number, request: (i: number) => Promise<{ status: number; ms: number }>): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const { status, ms } = await request(i);
    if (status !== 200) throw new Error(`request ${i} answered ${status}`);
    samples.push(ms);
  }
  return summarize(samples);
}

/** Runs a warm-up job and returns its server-measured duration in s. */
async function runWarmJob(baseUrl: string, body: Json | undefined): Promise<{ seconds: number; status: Json }> {
  const res = await fetch(`${baseUrl}/api/backtest/warm-cache`, {
    method: 'POST',
    headers: WARM_POST_HEADERS,
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status !== 202) throw new Error(`warm-cache answered ${res.status}: ${await res.text()}`);
  for (;;) {
    const status = await getJson(`${baseUrl}/api/backtest/warm-cache`);
    if (status.status !== 'running') {
      if (status.failed) throw new Error(`warm job had ${status.failed} failures`);
      return { seconds: ((status.finishedAt as number) - (status.startedAt as number)) / 1000, status };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface HttpFigures {
  http_hit_p50_ms: number;
  http_hit_p99_ms: number;
  http_miss_p50_ms: number;
  http_miss_p99_ms: number;
  http_hit_rps: number;
  http_hit_rps_non2xx: number;
  warm_default_s: number;
  warm_grid_s: number;
  warm_grid_pairs: number;
  execute_p99_during_warm_ms: number;
  execute_p50_during_warm_ms: number;
  execute_during_warm_requests: number;
  heatmap_full_grid_ms: number;
  heatmap_full_grid_server_ms: number;
  /** A repeated heatmap request, answered from the server's memory of recent grids. */
  heatmap_kept_ms: number;
  server_rss_mb: number;
  runs: Record<string, Summary>;
}

/** Measures the HTTP figures against the server at `baseUrl` (fresh CACHE_DIR) with PID `pid`. */
export async function benchHttp(baseUrl: string, pid: number, quick: boolean): Promise<HttpFigures> {
  const execute = `${baseUrl}/api/backtest/execute`;

  // Warm the series and the code paths (excluded from the figures).
  for (const asset of ['ETH', 'SOL', 'BTC'] as const) await postJson(execute, { params: { ...HIT_PARAMS, asset } });
  for (let i = 0; i < 20; i++) await postJson(execute, { params: HIT_PARAMS });

  const n = quick ? 100 : 500;
  const hits = await sequentialLatency(n, () => postJson(execute, { params: HIT_PARAMS }));
  const misses = await sequentialLatency(n, (i) => postJson(execute, { params: missParams(i) }));

  const cannon = await autocannon({
    url: execute,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ params: HIT_PARAMS }),
    connections: 16,
    duration: quick ? 3 : 10,
  });

  const warmDefault = await runWarmJob(baseUrl, undefined);
  const gridBody = { preset: 'grid', assets: ['ETH'], timeframes: ['4h'], leverages: [3], strategies: ['contrarian'] };
  const warmGrid = await runWarmJob(baseUrl, gridBody);

  // Uncached execute requests while another grid job runs (BTC 4h 2x momentum, cold).
  const started = await fetch(`${baseUrl}/api/backtest/warm-cache`, {
    method: 'POST',
    headers: WARM_POST_HEADERS,
    body: JSON.stringify({ ...gridBody, assets: ['BTC'], leverages: [2], strategies: ['momentum'] }),
  });
  if (started.status !== 202) throw new Error(`grid job for the interference run answered ${started.status}`);
  // Until the job ends, at most 1,400 requests (distinct keys: missParams has 2,450): under
  // back-to-back requests the job yields to them and slows down (lib/cache/concurrency.ts).
  const during: number[] = [];
  for (let i = 0; i < 1_400; i++) {
    const { status, ms } = await postJson(execute, { params: missParams(1000 + i, 'SOL'), priority: 'high' });
    if (status !== 200) throw new Error(`execute during warm answered ${status}`);
    during.push(ms);
    if (i % 10 === 0 && (await getJson(`${baseUrl}/api/backtest/warm-cache`)).status !== 'running') break;
  }
  while ((await getJson(`${baseUrl}/api/backtest/warm-cache`)).status === 'running') await new Promise((r) => setTimeout(r, 100));
  const duringSummary = summarize(during);

  // Every timed heatmap is a distinct grid (leverage × strategy), so none is served from the
  // server's memory of recent grids; the last request repeats one to time that path too.
  const heatmapUrl = `${baseUrl}/api/backtest/heatmap`;
  const heatmapBody = (i: number) => ({
    asset: 'ETH', timeframe: '4h', leverage: 1 + (i % 12), strategy: i < 12 ? 'contrarian' : 'momentum',
  });
  await postJson(heatmapUrl, { ...heatmapBody(0), asset: 'SOL' });
  const heatmapWall: number[] = [];
  const heatmapServer: number[] = [];
  for (let i = 0; i < (quick ? 6 : 24); i++) {
    const { status, json, ms } = await postJson(heatmapUrl, heatmapBody(i));
    if (status !== 200 || json.cached) throw new Error(`heatmap answered ${status}, cached ${json.cached}`);
    heatmapWall.push(ms);
    heatmapServer.push(json.executionTime as number);
  }
  const keptHeatmap = await postJson(heatmapUrl, heatmapBody(0));
  if (!keptHeatmap.json.cached) throw new Error('a repeated heatmap request was computed again');

  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  const heatmap = summarize(heatmapWall);
  return {
    http_hit_p50_ms: hits.median,
    http_hit_p99_ms: hits.p99,
    http_miss_p50_ms: misses.median,
    http_miss_p99_ms: misses.p99,
    http_hit_rps: Math.round(cannon.requests.average),
    http_hit_rps_non2xx: cannon.non2xx,
    warm_default_s: warmDefault.seconds,
    warm_grid_s: warmGrid.seconds,
    warm_grid_pairs: warmGrid.status.total as number,
    execute_p99_during_warm_ms: duringSummary.p99,
    execute_p50_during_warm_ms: duringSummary.median,
    execute_during_warm_requests: duringSummary.runs,
    heatmap_full_grid_ms: heatmap.median,
    heatmap_full_grid_server_ms: summarize(heatmapServer).median,
    heatmap_kept_ms: keptHeatmap.ms,
    server_rss_mb: Math.round(rssKb / 1024),
    runs: { http_hit: hits, http_miss: misses, execute_during_warm: duringSummary, heatmap },
  };
}
