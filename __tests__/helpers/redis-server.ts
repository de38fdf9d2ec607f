/**
 * Starts a private `redis-server` on a free loopback port for tests and the benchmark: no
 * persistence (`--save "" --appendonly no`), its own temporary working folder, stopped by its PID.
 * The binary is `REDIS_SERVER_BIN`, else `/usr/bin/redis-server` (.ci/run installs it), else
 * `redis-server` on the PATH. `restart()` brings it back on the same port, empty.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './next-server';

/** A running (or stopped, restartable) redis-server. */
export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:{port}`. */
  url: string;
  /** Everything the server printed so far (stdout + stderr), over all its runs. */
  output: () => string;
  /** True while the process runs. */
  running: () => boolean;
  /** Stops the server: SIGTERM (a clean shutdown) or SIGKILL (a crash); resolves once it exited. */
  stop: (signal?: 'SIGTERM' | 'SIGKILL') => Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted) once the previous run exited. */
  restart: () => Promise<void>;
}

const BINARY =
  process.env.REDIS_SERVER_BIN ?? (fs.existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server');

/** Resolves true when a Redis server on `port` answers PING with PONG within `timeoutMs`. */
function answersPing(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** Starts redis-server on `port` (default: a free one) and resolves once it answers PING. */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  const chosen = port ?? (await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-redis-'));
  let log = '';
  let child: ChildProcess | null = null;

  const launch = async () => {
    fs.mkdirSync(dir, { recursive: true });
    const args = ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--dir', dir, '--daemonize', 'no', '--loglevel', 'warning');
    const proc = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout!.on('data', (d) => (log += d));
    proc.stderr!.on('data', (d) => (log += d));
    const spawned = new Promise<void>((resolve, reject) => {
      proc.once('spawn', resolve);
      proc.once('error', (error) => reject(new Error(`cannot start ${BINARY}: ${error.message}`)));
    });
    await spawned;
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(chosen))) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited early (code ${proc.exitCode}):\n${log}`);
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`redis-server did not answer PING on port ${chosen} within 10 s:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const stop = (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') =>
    new Promise<void>((resolve) => {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill(signal);
      setTimeout(() => proc.exitCode === null && proc.signalCode === null && proc.kill('SIGKILL'), 5_000).unref();
    });

  await launch();
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    output: () => log,
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
    stop: async (signal) => {
      await stop(signal);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await stop();
      await launch();
    },
  };
}
