/**
 * Starts a real `next start` on a free loopback port for HTTP and browser tests. The app must be
 * built first (`npm test` builds before running vitest). Each server gets its own temporary
 * CACHE_DIR unless one is given, and is stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface NextServer {
  url: string;
  port: number;
  cacheDir: string;
  process: ChildProcess;
  /** Everything the server printed so far (stdout + stderr). */
  output: () => string;
  stop: () => Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Options of startNextServer. */
export interface StartOptions {
  /**
   * Path polled until it answers below 500 (default `/api/market-data`, which also loads every
   * series); a test with deliberately broken market data polls a route that does not load it.
   */
  readyPath?: string;
}

/** Starts `next start` and resolves once it answers HTTP. */
export async function startNextServer(env: Record<string, string> = {}, { readyPath = '/api/market-data' }: StartOptions = {}): Promise<NextServer> {
  const root = path.resolve(__dirname, '../..');
  const distDir = env.NEXT_DIST_DIR ?? process.env.NEXT_DIST_DIR ?? '.next';
  if (!fs.existsSync(path.join(root, distDir, 'BUILD_ID'))) {
    throw new Error(`No build in ${distDir}: run \`npx next build\` (npm test does) first`);
  }
  const port = await freePort();
  const cacheDir = env.CACHE_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-cache-'));
  let log = '';
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', CACHE_DIR: cacheDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited early:\n${log}`);
    try {
      const res = await fetch(`${url}${readyPath}`);
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`next start did not answer within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    cacheDir,
    process: child,
    output: () => log,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5_000).unref();
      });
      // A cache folder made here goes with the server; one the caller passed stays theirs.
      if (!env.CACHE_DIR) fs.rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
