/**
 * Cache warmer: pre-computes backtests into the result cache so the page answers from it.
 *   bun run scripts/cache-warmer.ts [options]     npx tsx scripts/cache-warmer.ts [options]
 * In-process by default (same CACHE_DIR and market data as the server), or through a running
 * server with --url. `--help` lists the options.
 */
import './react-server-condition';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCacheServerFromEnv } from '../lib/backtest-cache-server';
import { cacheKey } from '../lib/cache/key';
import type { BacktestParams } from '../lib/schemas';
import { parseWarmerArgs, WARMER_USAGE, type WarmerCommand } from '../lib/warm/cli-args';
import { planWarmJob } from '../lib/warm/plan';
import { createProgressReporter } from '../lib/warm/progress-reporter';
import { warmThroughServer } from '../lib/warm/remote-warm';
import { runWarmPlan, type WarmProgress } from '../lib/warm/run-warm-plan';
import { inBackgroundLane } from '../lib/worker-pool';

// Per-entry [CACHE …] lines would drown the progress; cache errors still reach stderr.
const cacheServer = createCacheServerFromEnv({ logger: { info: () => undefined, warn: (line) => console.warn(line) } });

/** Warms once: through the server with --url, else `plan` in-process. */
async function warmOnce(command: WarmerCommand, plan: BacktestParams[], signal: AbortSignal): Promise<WarmProgress> {
  const reporter = createProgressReporter();
  if (command.url) {
    const status = await warmThroughServer(command.url, command.options, {
      token: command.token,
      onProgress: (p) => reporter.update(p),
      signal,
    });
    reporter.finish(status);
    for (const f of status.failures) console.error(`failed ${f.key}: ${f.error}`);
    if (status.status !== 'done') throw new Error(`the server's warm-up job ${status.jobId} broke off (status ${status.status})`);
    return status;
  }
  const summary = await runWarmPlan(
    plan,
    // Background lane: long backtests in the worker pool (WORKERS threads); short ones, lookups and writes on this thread.
    (params) => inBackgroundLane(() => cacheServer.runAndCache(params, { permanent: command.options.permanent })),
    { concurrency: command.options.concurrency, signal, onProgress: (p) => reporter.update(p) },
  );
  reporter.finish(summary);
  for (const f of summary.failures) console.error(`failed ${cacheKey(f.params)}: ${f.error}`);
  return summary;
}

async function cleanStale(command: WarmerCommand): Promise<void> {
  if (!command.url) {
    const { removed, freedBytes } = await cacheServer.cleanStale();
    console.log(`Removed ${removed} stale entries (${freedBytes} bytes)`);
    return;
  }
  const res = await fetch(`${command.url}/api/backtest/cache/clear`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(command.token && { authorization: `Bearer ${command.token}` }),
    },
    body: JSON.stringify({ scope: 'stale' }),
  });
  const body = (await res.json()) as { removed?: number; freedBytes?: number; error?: string };
  if (!res.ok) throw new Error(`clearing stale entries answered ${res.status}: ${body.error}`);
  console.log(`Removed ${body.removed} stale entries (${body.freedBytes} bytes)`);
}

const formatInterval = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

async function main(): Promise<number> {
  let command: WarmerCommand;
  let plan: BacktestParams[];
  try {
    command = parseWarmerArgs(process.argv.slice(2), process.env);
    // Planned up front, so options that select nothing (or too much) are refused like bad flags.
    plan = planWarmJob(command.options);
  } catch (error) {
    console.error(`cache-warmer: ${error instanceof Error ? error.message : error}\n\n${WARMER_USAGE}`);
    return 2;
  }
  if (command.help) {
    console.log(WARMER_USAGE);
    return 0;
  }
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.log(`\nReceived ${sig}: finishing the backtests in flight, then stopping.`);
      stop.abort();
    });
  }

  let failedRuns = 0;
  do {
    try {
      const result = await warmOnce(command, plan, stop.signal);
      if (result.failed > 0) failedRuns++;
      if (command.everyMs !== null && !stop.signal.aborted) await cleanStale(command);
    } catch (error) {
      failedRuns++;
      console.error(`cache-warmer: ${error instanceof Error ? error.message : error}`);
      if (command.everyMs === null) break;
    }
    if (command.everyMs === null || stop.signal.aborted) break;
    console.log(`Next warm-up in ${formatInterval(command.everyMs)} (Ctrl-C to stop)`);
    await sleep(command.everyMs, undefined, { signal: stop.signal }).catch(() => undefined);
  } while (!stop.signal.aborted);

  await cacheServer.flush();
  return failedRuns > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('cache-warmer: unexpected failure:', error);
    process.exit(1);
  },
);
