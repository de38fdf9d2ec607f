/**
 * A damaged market-data folder under `next start`: MARKET_DATA_DIR is a temporary mirror of the
 * SOURCES.md layout made of symbolic links to the real files (__tests__/reliability/
 * linked-market-data.ts), except two broken files written next to them, outside the project:
 * ETHUSDT 4h with one line cut short in the middle, and the BTCUSDT 1h 2023 year file truncated in
 * its last line (a download or copy that stopped early); plus a SOLUSDT 4h link to a file that was
 * moved away. Requests for the broken series answer 503 with an error naming the file and the
 * line (the unreadable one: the file and the error code); every other series keeps answering
 * 200, and the broken ones are retried (a failed load is not cached).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { findLeaks } from '../reliability/cache-audit';
import { linkedMarketData, REAL_MARKET_DATA } from '../reliability/linked-market-data';
import { recordFigures } from '../reliability/figures';
import { execute, gridParams } from './stress-helpers';

const ETH_4H = 'klines/ETHUSDT/4h/ETHUSDT_4h.csv';
const BTC_1H_2023 = 'klines/BTCUSDT/1h/BTCUSDT-1h-2023-01.csv';
/** A link to a file that was moved away. */
const SOL_4H_MOVED = 'klines/SOLUSDT/4h/SOLUSDT_4h-2026.csv';

let server: NextServer;
let dataDir: string;
/** 1-based line numbers of the broken lines. */
const broken = { eth: 0, btc: 0 };

beforeAll(async () => {
  const eth = fs.readFileSync(path.join(REAL_MARKET_DATA, ETH_4H), 'utf8').split('\n');
  broken.eth = Math.floor(eth.length / 2);
  eth[broken.eth - 1] = eth[broken.eth - 1].slice(0, 25); // `2021-… 08:00:00,1500.` : 2 of 6 columns
  const btc = fs.readFileSync(path.join(REAL_MARKET_DATA, BTC_1H_2023), 'utf8');
  const lastLineStart = btc.trimEnd().lastIndexOf('\n') + 1;
  broken.btc = btc.slice(0, lastLineStart).split('\n').length;
  dataDir = linkedMarketData({
    replaced: { [ETH_4H]: eth.join('\n'), [BTC_1H_2023]: btc.slice(0, lastLineStart + 40) },
    danglingLinks: [SOL_4H_MOVED],
  });
  // /api/market-data loads every series, so it cannot tell readiness here: poll stats instead.
  server = await startNextServer({ MARKET_DATA_DIR: dataDir }, { readyPath: '/api/backtest/cache/stats' });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.cacheDir, { recursive: true, force: true });
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const post = (route: string, body: unknown) =>
  fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Expects a 503 whose error starts with `prefix`, leaks nothing, and returns the error. */
async function expect503(label: string, response: Promise<Response>, prefix: string): Promise<string> {
  const res = await response;
  const text = await res.text();
  expect(res.status, `${label}: ${text}`).toBe(503);
  expect(JSON.parse(text).error.startsWith(prefix), `${label}: ${text}`).toBe(true);
  expect(findLeaks(text), label).toEqual([]);
  expect(text).not.toContain(dataDir);
  return JSON.parse(text).error as string;
}

it('answers 503 naming the file (and line) for the damaged series, and 200 for every other series', async () => {
  const ethParams = gridParams(25, 75, 3, 'ETH');
  const ethError = `Malformed market data in ${ETH_4H}, line ${broken.eth}:`;
  const messages = [
    await expect503('ETH 4h execute', post('/api/backtest/execute', { params: ethParams }), ethError),
    await expect503('ETH 4h heatmap', post('/api/backtest/heatmap', { asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian' }), ethError),
    await expect503(
      'BTC 1h execute',
      post('/api/backtest/execute', { params: { ...gridParams(25, 75, 3, 'BTC'), timeframe: '1h' } }),
      `Malformed market data in ${BTC_1H_2023}, line ${broken.btc}:`,
    ),
    await expect503('SOL 4h execute', post('/api/backtest/execute', { params: gridParams(25, 75, 3, 'SOL') }), `Cannot read market data ${SOL_4H_MOVED}: ENOENT`),
  ];
  // Coverage lists the three damaged series with the same reasons, and covers the six others.
  const coverage = await fetch(`${server.url}/api/market-data`);
  const coverageText = await coverage.text();
  expect(coverage.status, coverageText).toBe(200);
  expect(findLeaks(coverageText)).toEqual([]);
  expect(coverageText).not.toContain(dataDir);
  const { coverage: rows, unavailable } = JSON.parse(coverageText) as {
    coverage: { symbol: string; interval: string }[];
    unavailable: { symbol: string; interval: string; error: string }[];
  };
  expect(rows).toHaveLength(7); // 6 healthy series + FGI
  expect(unavailable.map((u) => `${u.symbol} ${u.interval}`).sort()).toEqual(['BTCUSDT 1h', 'ETHUSDT 4h', 'SOLUSDT 4h']);
  expect(unavailable.map((u) => u.error).sort()).toEqual([...new Set(messages)].sort());
  // A failed load is not remembered: the next request reads the file again and fails the same way.
  await expect503('ETH 4h again', post('/api/backtest/execute', { params: ethParams }), ethError);

  const healthy: string[] = [];
  for (const asset of ['BTC', 'ETH', 'SOL'] as const) {
    for (const timeframe of ['15m', '1h', '4h'] as const) {
      if (['ETH-4h', 'BTC-1h', 'SOL-4h'].includes(`${asset}-${timeframe}`)) continue;
      const { status, body } = await execute(server.url, { ...gridParams(25, 75, 3, asset), timeframe });
      expect(status, `${asset} ${timeframe}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
      healthy.push(`${asset}-${timeframe}`);
    }
  }
  expect(server.output()).not.toMatch(/\[API ERROR\]/); // no 500 on the way
  recordFigures('broken-market-data', {
    damaged: {
      [ETH_4H]: `line ${broken.eth} cut to 2 of 6 columns`,
      [BTC_1H_2023]: `truncated in its last line (${broken.btc})`,
      [SOL_4H_MOVED]: 'a link to a file that was moved away',
    },
    errors: messages,
    healthySeriesAnswered200: healthy,
  });
}, 120_000);
