/**
 * `npm run bench [-- --quick] [-- --json FILE]`: measures the engine, the cache, walk-forward
 * analysis (in-process on one thread, and through its API as a trader waits for it), the HTTP API, warming, heatmaps in the worker pool (bench/heatmap-bench.ts), the
 * Redis-shared warm-up job with one and two instances (bench/warm-shared-bench.ts) and HTTP hits
 * through Redis (bench/redis-bench.ts, next to the file store's) on the real data, prints a table
 * and optionally writes the figures as
 * JSON. Uses temporary CACHE_DIRs only; builds the app if needed and starts `next start` on a
 * free loopback port, stopping it by its PID.
 */
import './react-server-condition';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchCache } from '../bench/cache-bench';
import { benchData } from '../bench/data-bench';
import { benchEngine } from '../bench/engine-bench';
import { benchHeatmap } from '../bench/heatmap-bench';
import { benchHttp } from '../bench/http-bench';
import { benchRedis } from '../bench/redis-bench';
import { benchWalkForwardHttp, benchWalkForwardInProcess } from '../bench/walk-forward-bench';
import { benchWarmShared } from '../bench/warm-shared-bench';
import { startNextServer } from '../__tests__/helpers/next-server';
import { BENCH_ADMIN_TOKEN } from '../bench/measure';
import { TARGETS, targetText, verdict } from '../bench/targets';
import { ensureBuild } from './ensure-build.mjs';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, json: { type: 'string' }, help: { type: 'boolean' } },
});
if (values.help) {
  console.log('Usage: npm run bench [-- --quick] [-- --json FILE]');
  process.exit(0);
}
const quick = values.quick!;
const tempDir = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `splitsea-bench-${name}-`));

const UNITS: Record<string, string> = { _ns_per_bar_1h: 'ns', _per_s: '/s', _us: 'µs', _ms: 'ms', _s: 's', _rps: 'req/s', _mb: 'MB' };
function unitOf(key: string): string {
  // Longest suffix first: `_per_s` before `_s`.
  const suffix = Object.keys(UNITS).find((s) => key.endsWith(s));
  return suffix ? UNITS[suffix] : '';
}

async function main() {
  const figures: Record<string, unknown> = {};
  console.log(`Split Sea benchmark${quick ? ' (quick)' : ''} — ${new Date().toISOString()}`);

  console.log('• market data…');
  const data = await benchData(quick);
  console.log('• engine…');
  const engine = await benchEngine(quick);
  console.log('• cache in-process…');
  const cache = await benchCache(tempDir('cache'), quick);
  console.log('• walk-forward in-process, one thread (ETH 4h, all data, 365/90)…');
  const walkForwardInProcess = await benchWalkForwardInProcess();

  console.log('• HTTP against next start…');
  ensureBuild();
  const server = await startNextServer({ CACHE_DIR: tempDir('http'), CACHE_ADMIN_TOKEN: BENCH_ADMIN_TOKEN });
  let http;
  let walkForward;
  try {
    http = await benchHttp(server.url, server.process.pid!, quick);
    // After the HTTP figures, so the server runs as for a trader (pool started), with its result cache cold for this key.
    console.log('• walk-forward through POST /api/backtest/walk-forward (ETH 4h, all data, 365/90)…');
    walkForward = await benchWalkForwardHttp(server.url);
  } finally {
    await server.stop();
  }
  console.log('• heatmaps in the worker pool…');
  const heatmapServer = await startNextServer({ CACHE_DIR: tempDir('heatmap'), CACHE_ADMIN_TOKEN: BENCH_ADMIN_TOKEN });
  let heatmap;
  try {
    heatmap = await benchHeatmap(heatmapServer.url, quick);
  } finally {
    await heatmapServer.stop();
  }
  console.log('• HTTP hits through Redis (CACHE_STORE=redis)…');
  const redis = await benchRedis(tempDir('redis'), quick);
  console.log('• shared warm-up job, one and two instances (CACHE_STORE=redis)…');
  const warmShared = await benchWarmShared(tempDir('warm-shared'));
  const warmRatio = { warm_grid_2_instances_ratio: warmShared.warm_grid_2_instances_s / http.warm_grid_s };

  const runs = { ...data.runs, ...engine.runs, ...cache.runs, ...walkForwardInProcess.runs, ...walkForward.runs, ...http.runs, ...heatmap.runs, ...redis.runs };
  for (const part of [data, engine, cache, walkForwardInProcess, walkForward, http, heatmap, redis, warmShared, warmRatio]) {
    for (const [k, v] of Object.entries(part)) if (k !== 'runs') figures[k] = v;
  }
  figures.machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.arch()}` };
  figures.quick = quick;
  figures.date = new Date().toISOString();
  figures.runs = runs;

  const rows = Object.entries(figures).filter(([, v]) => typeof v === 'number') as [string, number][];
  figures.targets = Object.fromEntries(
    rows.filter(([k]) => k in TARGETS).map(([k, v]) => [k, { target: targetText(k), result: verdict(k, v) }]),
  );
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${'figure'.padEnd(width)}  ${'value'.padStart(12)}  unit   target`);
  for (const [k, v] of rows) {
    const shown = Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(v < 10 ? 3 : 1);
    const target = targetText(k) ? `${targetText(k)} ${verdict(k, v)}` : '';
    console.log(`${k.padEnd(width)}  ${shown.padStart(12)}  ${unitOf(k).padEnd(5)}  ${target}`);
  }
  console.log(`\nmachine: ${JSON.stringify(figures.machine)}`);
  console.log('runs per figure: ' + Object.entries(runs).map(([k, s]) => `${k}=${s.runs}`).join(', '));
  if (values.json) {
    fs.writeFileSync(values.json, JSON.stringify(figures, null, 2) + '\n');
    console.log(`JSON written to ${values.json}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
