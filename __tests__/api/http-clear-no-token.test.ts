/**
 * In production (`next start`) without CACHE_ADMIN_TOKEN, POST /api/backtest/cache/clear answers
 * 403 and removes nothing, while the read-only cache routes stay open.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { VALID_PARAMS } from './bad-execute-bodies';

let server: NextServer;

beforeAll(async () => {
  server = await startNextServer({ CACHE_ADMIN_TOKEN: '' });
});

afterAll(() => server?.stop());

it('refuses to clear in production without a configured token', async () => {
  const executed = await fetch(`${server.url}/api/backtest/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ params: VALID_PARAMS }),
  });
  expect(executed.status).toBe(200);
  for (const authorization of [undefined, 'Bearer anything']) {
    const response = await fetch(`${server.url}/api/backtest/cache/clear`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
      body: JSON.stringify({ scope: 'all' }),
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/CACHE_ADMIN_TOKEN/);
  }
  expect(fs.readdirSync(path.join(server.cacheDir, 'temporary'))).toHaveLength(1);
  expect((await fetch(`${server.url}/api/backtest/cache/stats`)).status).toBe(200);
  expect((await fetch(`${server.url}/api/backtest/cache`)).status).toBe(200);
});
