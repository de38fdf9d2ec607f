/**
 * Walk-forward figures: ETH 4h over all data with FGI, 365/90 rolling, objective sharpeRatio,
 * 3× contrarian, cold result cache. `walk_forward_eth_4h_s` is what a trader waits for: the wall
 * time from `POST /api/backtest/walk-forward` (202) to the `GET ?jobId=` poll that reports it done,
 * against a real `next start` (the searches run in its worker pool). `walk_forward_eth_4h_inprocess_s`
 * is the same run in this process on one thread (computeWalkForward with the default step runner,
 * the series loaded before timing). One run each: a run is ~30 grids of 4,950 backtests.
 */
import { loadSeries } from '../lib/market-data';
import { walkForwardRequestSchema } from '../lib/schemas';
import { walkForwardInput } from '../lib/walk-forward/plan';
import { computeWalkForward } from '../lib/walk-forward/run';
import { summarize, type Summary } from './measure';

/** The request of both figures. */
export const WALK_FORWARD_BODY = { asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian' } as const;

/** Poll interval of the HTTP figure, ms (the page polls more slowly; this bounds the figure's error). */
const POLL_MS = 25;

/** In-process figures, s. */
export interface WalkForwardInProcessFigures {
  walk_forward_eth_4h_inprocess_s: number;
  walk_forward_eth_4h_steps: number;
  runs: Record<string, Summary>;
}

/** HTTP figures, s. */
export interface WalkForwardHttpFigures {
  walk_forward_eth_4h_s: number;
  /** The job's own executionTime (compute only, without HTTP, lookup and polling), s. */
  walk_forward_eth_4h_server_s: number;
  runs: Record<string, Summary>;
}

/** Measures one cold in-process run on this thread. */
export async function benchWalkForwardInProcess(): Promise<WalkForwardInProcessFigures> {
  const series = await loadSeries('ETH', '4h');
  const input = walkForwardInput(walkForwardRequestSchema.parse(WALK_FORWARD_BODY));
  const started = performance.now();
  const result = await computeWalkForward(series, input);
  const seconds = (performance.now() - started) / 1000;
  return {
    walk_forward_eth_4h_inprocess_s: seconds,
    walk_forward_eth_4h_steps: result.steps.length,
    runs: { walk_forward_eth_4h_inprocess: summarize([seconds]) },
  };
}

/**
 * Measures one cold run through the API of the server at `baseUrl`, whose result cache must not
 * hold this request's key (a fresh CACHE_DIR).
 * @throws Error when the POST does not answer 202 (e.g. a cached 200) or the job fails.
 */
export async function benchWalkForwardHttp(baseUrl: string): Promise<WalkForwardHttpFigures> {
  const url = `${baseUrl}/api/backtest/walk-forward`;
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(WALK_FORWARD_BODY) });
  if (res.status !== 202) throw new Error(`walk-forward POST answered ${res.status}, not a cold job: ${await res.text()}`);
  const { jobId } = (await res.json()) as { jobId: string };
  for (;;) {
    const status = (await (await fetch(`${url}?jobId=${jobId}`)).json()) as {
      status: string;
      error?: string;
      result?: { executionTime: number };
    };
    if (status.status === 'error') throw new Error(`walk-forward job failed: ${status.error}`);
    if (status.status === 'done') {
      const seconds = (performance.now() - started) / 1000;
      return {
        walk_forward_eth_4h_s: seconds,
        walk_forward_eth_4h_server_s: status.result!.executionTime / 1000,
        runs: { walk_forward_eth_4h: summarize([seconds]) },
      };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
