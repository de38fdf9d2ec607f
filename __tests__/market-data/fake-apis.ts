/**
 * A local stand-in for the Binance klines API, the Binance USDT-M funding-rate history and the
 * alternative.me FGI API on 127.0.0.1 (a free port), answering in their documented shapes from
 * the real files of ../shared/market-data, as the live APIs would have at the given "now".
 * Counts the requests it serves.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseFgiCsv, type FgiDays } from '@/lib/market-data/fgi';
import { parseFundingFile, type FundingSettlements } from '@/lib/market-data/funding';
import { parseKlineCsv, type KlineColumns } from '@/lib/market-data/klines';

export const REAL_DATA_DIR = path.resolve(__dirname, '../../../shared/market-data');

/** Real klines of one file of ../shared/market-data. */
export function realKlines(rel: string): KlineColumns {
  return parseKlineCsv(fs.readFileSync(path.join(REAL_DATA_DIR, rel), 'utf8'), rel).klines;
}

/** Real funding settlements of one file of ../shared/market-data. */
export function realFunding(rel: string): FundingSettlements {
  return parseFundingFile(fs.readFileSync(path.join(REAL_DATA_DIR, rel)), rel).settlements;
}

/** The real primary FGI file. */
export function realFgi(): FgiDays {
  const rel = 'fgi/crypto_fear_greed.csv';
  return parseFgiCsv(fs.readFileSync(path.join(REAL_DATA_DIR, rel), 'utf8'), rel);
}

export interface FakeApis {
  url: string;
  /** Paths with query of every request served, in order. */
  requests: string[];
  /** The simulated current time; bars opening after it and FGI days after it do not exist yet. */
  now: number;
  /** When set, every request is answered with this status and a Binance-style error body. */
  failWith?: { status: number; msg: string };
  close(): Promise<void>;
}

const fixed = (x: number) => x.toFixed(8);

/**
 * Starts the fake APIs serving `klines` for `symbol`/`interval` (bar length `intervalMs`), `fgi`,
 * and `funding` (settlements of `symbol`'s perpetual) when given; without it the funding
 * endpoint answers Binance's 400 "Invalid symbol.".
 */
export async function startFakeApis(options: {
  symbol: string;
  interval: string;
  intervalMs: number;
  klines: KlineColumns;
  fgi: FgiDays;
  funding?: FundingSettlements;
  now: number;
}): Promise<FakeApis> {
  const { symbol, interval, intervalMs, klines, fgi, funding } = options;
  const state = { requests: [] as string[], now: options.now, failWith: undefined as FakeApis['failWith'] };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    state.requests.push(`${url.pathname}${url.search}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (state.failWith) return send(state.failWith.status, { code: -1121, msg: state.failWith.msg });
    if (url.pathname === '/api/v3/klines') {
      const q = url.searchParams;
      if (q.get('symbol') !== symbol || q.get('interval') !== interval) return send(400, { code: -1121, msg: 'Invalid symbol.' });
      const start = Number(q.get('startTime'));
      const end = Math.min(Number(q.get('endTime')), state.now);
      const limit = Number(q.get('limit'));
      const rows = [];
      for (let i = 0; i < klines.openTime.length && rows.length < limit; i++) {
        const t = klines.openTime[i];
        if (t < start || t > end) continue;
        rows.push([t, fixed(klines.open[i]), fixed(klines.high[i]), fixed(klines.low[i]), fixed(klines.close[i]), fixed(klines.volume[i]), t + intervalMs - 1, '0', 0, '0', '0', '0']);
      }
      return send(200, rows);
    }
    if (url.pathname === '/fapi/v1/fundingRate') {
      const q = url.searchParams;
      if (!funding || q.get('symbol') !== symbol) return send(400, { code: -1121, msg: 'Invalid symbol.' });
      const start = Number(q.get('startTime') ?? 0);
      const limit = Math.min(Number(q.get('limit') ?? 100), 1000);
      const rows = [];
      for (let i = 0; i < funding.time.length && rows.length < limit; i++) {
        // Binance stamps some settlements a few ms late (SOURCES.md §4): the fake does too.
        const t = funding.time[i] + (i % 7);
        if (t < start || t > state.now) continue;
        rows.push({ symbol, fundingTime: t, fundingRate: fixed(funding.rate[i]), markPrice: '' });
      }
      return send(200, rows);
    }
    if (url.pathname === '/fng/') {
      const data = [];
      for (let i = fgi.day.length - 1; i >= 0; i--) {
        if (fgi.day[i] > state.now) continue;
        data.push({ value: String(fgi.value[i]), value_classification: 'Fear', timestamp: String(fgi.day[i] / 1000) });
      }
      const limit = Number(url.searchParams.get('limit'));
      return send(200, { name: 'Fear and Greed Index', data: limit > 0 ? data.slice(0, limit) : data, metadata: { error: null } });
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // do not wait for the client's keep-alive sockets
      }),
  });
}

/** The URL of a loopback port that nothing listens on (it was free a moment ago). */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
