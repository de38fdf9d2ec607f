/**
 * Hostile HTTP against `next start` (CACHE_ADMIN_TOKEN set), with raw requests where a fetch
 * client would tidy things up: bodies of invalid UTF-8 (lone continuation bytes, overlong `/`,
 * truncated sequences), bodies over 64 KB with and without Content-Length (chunked), lying
 * Content-Length, wrong or missing content types, wrong methods, and URLs with `../`, `%2e%2e`,
 * `%00` and encoded slashes. Then the fast-check bodies of the route-handler fuzz
 * (__tests__/reliability/hostile-input.ts), fewer runs, over HTTP. Never a 5xx; errors of the API
 * routes are JSON `{ error }` that leak no path or stack; no file appears outside the cache.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { auditCacheDir, findLeaks, findNamed } from '../reliability/cache-audit';
import {
  FUZZ_MARKER,
  hostileBodies,
  validClearBody,
  validExecuteBody,
  validHeatmapBody,
  validWarmBody,
} from '../reliability/hostile-input';
import { recordFigures } from '../reliability/figures';

const TOKEN = 'http-fuzz-token';
const ROOT = path.resolve(__dirname, '../..');
const POST_ROUTES = ['/api/backtest/execute', '/api/backtest/cache/clear', '/api/backtest/heatmap', '/api/backtest/warm-cache'];
const GET_ROUTES = ['/api/backtest/cache', '/api/backtest/cache/stats', '/api/backtest/warm-cache', '/api/market-data'];

let server: NextServer;
const statuses: Record<number, number> = {};
let requests = 0;

beforeAll(async () => {
  server = await startNextServer({ CACHE_ADMIN_TOKEN: TOKEN });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.cacheDir, { recursive: true, force: true });
});

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One raw HTTP/1.1 request; `body` is written as given (chunked when no content-length header is set). */
function raw(method: string, pathname: string, headers: Record<string, string | number> = {}, body?: Buffer | string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path: pathname, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer (413) and close before a huge body is fully written.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Checks an answer of an API route: < 500, JSON `{ error }` for 4xx with nothing leaked. */
function expectApiAnswer(res: Raw, context: string, requestText = ''): void {
  requests += 1;
  statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  expect(res.status, `${context}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(findLeaks(res.text, requestText), context).toEqual([]);
  if (res.status >= 400 && res.status !== 405) {
    expect(res.headers['content-type'] ?? '', `${context}: ${res.status} ${res.text.slice(0, 200)}`).toMatch(/^application\/json/);
    expect(typeof JSON.parse(res.text).error, context).toBe('string');
  }
}

const json = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };

describe('raw HTTP', () => {
  it('answers bodies of invalid UTF-8 with 400', async () => {
    const bad = [
      Buffer.from([0xff, 0xfe, 0xfd]),
      Buffer.concat([Buffer.from('{"params":{"asset":"'), Buffer.from([0xc0, 0xaf, 0xc0, 0xaf]), Buffer.from('"}}')]), // overlong "/"
      Buffer.concat([Buffer.from('{"scope":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')]), // truncated sequence
      Buffer.concat([Buffer.from('{"preset":"grid'), Buffer.from([0x80]), Buffer.from('"}')]), // lone continuation byte
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"scope":"all"}')]), // UTF-8 BOM
    ];
    for (const route of POST_ROUTES) {
      for (const body of bad) {
        const res = await raw('POST', route, { ...json, 'content-length': body.length }, body);
        expectApiAnswer(res, `${route} ${body.toString('hex').slice(0, 20)}`);
        expect(res.status).toBe(400);
      }
    }
  });

  it('answers bodies over 64 KB with 413, whether declared, chunked, or declared small', async () => {
    const huge = Buffer.alloc(1024 * 1024, 'x');
    for (const route of POST_ROUTES) {
      const declared = await raw('POST', route, { ...json, 'content-length': huge.length }, huge);
      expectApiAnswer(declared, `${route} declared 1 MB`);
      expect(declared.status).toBe(413);
      const chunked = await raw('POST', route, { ...json, 'transfer-encoding': 'chunked' }, huge);
      expectApiAnswer(chunked, `${route} chunked 1 MB`);
      expect(chunked.status).toBe(413);
    }
    // A Content-Length smaller than the body: the rest is not a valid next request, so Node's HTTP
    // parser answers 400 and closes the connection before the app sees anything.
    const lying = await raw('POST', '/api/backtest/execute', { ...json, 'content-length': 5 }, '{"params":{}}');
    expect(lying.status).toBe(400);
    expect(lying.text).toBe('');
  });

  it('answers bodies not declared JSON with 415', async () => {
    const body = JSON.stringify({ scope: 'all' });
    for (const route of POST_ROUTES) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', '']) {
        const headers: Record<string, string | number> = { authorization: `Bearer ${TOKEN}`, 'content-length': body.length };
        if (type) headers['content-type'] = type;
        const res = await raw('POST', route, headers, body);
        expectApiAnswer(res, `${route} as ${type || 'no type'}`);
        expect(res.status).toBe(415);
      }
    }
  });

  it('answers wrong methods with 405 and odd query strings on GET routes with 200', async () => {
    for (const route of POST_ROUTES.filter((r) => r !== '/api/backtest/warm-cache')) {
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
        const res = method === 'GET' ? await raw(method, route, json) : await raw(method, route, { ...json, 'content-length': 2 }, '{}');
        expectApiAnswer(res, `${method} ${route}`);
        expect(res.status).toBe(405);
      }
    }
    for (const route of GET_ROUTES) {
      for (const query of ['?path=../../etc/passwd', '?%00=%00', `?dir=%2e%2e%2f${FUZZ_MARKER}`, '?a[]=1&a[]=2', `?${'q'.repeat(4000)}`]) {
        const res = await raw('GET', `${route}${query}`);
        expectApiAnswer(res, `GET ${route}${query.slice(0, 30)}`);
        expect(res.status).toBe(200);
      }
    }
  });

  it('never serves a file for a traversal URL', async () => {
    const urls = [
      '/api/backtest/../../package.json',
      '/api/backtest/%2e%2e/%2e%2e/package.json',
      '/api/%2e%2e%2f%2e%2e%2fpackage.json',
      '/api/backtest/cache/..%2f..%2f..%2fpackage.json',
      '/api/backtest/execute%00',
      '/api/backtest/cache/%00../../package.json',
      '/_next/static/..%2f..%2f..%2fpackage.json',
      '/_next/static/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      `/api/backtest/cache/${encodeURIComponent(`../../${FUZZ_MARKER}`)}`,
      '/.cache/backtests/temporary/',
      '/.env',
      '/next.config.ts',
    ];
    for (const url of urls) {
      const res = await raw('GET', url);
      requests += 1;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      expect(res.status, `${url}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
      expect(res.text, url).not.toMatch(/"name":\s*"split-sea"|root:x:0:0|distDir/);
      expect(findLeaks(res.text.replace(/<script[\s\S]*?<\/script>/g, ''), url), url).toEqual([]);
    }
  });
});

describe('fast-check bodies over HTTP', () => {
  it.each([
    ['/api/backtest/execute', validExecuteBody, 300],
    ['/api/backtest/cache/clear', validClearBody, 150],
    ['/api/backtest/heatmap', validHeatmapBody.map((b) => ({ ...b, leverage: 99 })), 150], // never valid: a heatmap takes seconds
    ['/api/backtest/warm-cache', validWarmBody.map((b) => ({ ...b, lowMax: 20, highMax: 70 })), 150],
  ] as const)('%s never answers 5xx', async (route, valid, numRuns) => {
    await fc.assert(
      fc.asyncProperty(hostileBodies(valid as fc.Arbitrary<unknown>), async (body) => {
        const res = await raw('POST', route, { ...json, 'content-length': Buffer.byteLength(body.text) }, body.text);
        expectApiAnswer(res, `${route} ${body.kind}`, body.text);
      }),
      { numRuns },
    );
  }, 120_000);

  it('left only valid entries in the cache folder and no file named after the input anywhere', async () => {
    for (;;) {
      const status = await (await fetch(`${server.url}/api/backtest/warm-cache`)).json();
      if (status.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const audit = auditCacheDir(server.cacheDir);
    expect(audit.problems).toEqual([]);
    expect(findNamed(ROOT, FUZZ_MARKER)).toEqual([]);
    expect(fs.readdirSync(os.tmpdir()).filter((n) => n.includes(FUZZ_MARKER))).toEqual([]);
    expect(server.output()).not.toMatch(/\[API ERROR\]/);
    recordFigures('http-fuzz', { requests, statuses, cacheFilesChecked: audit.entries.length + audit.tempFiles.length, corrupt: audit.problems.length });
  });
});
