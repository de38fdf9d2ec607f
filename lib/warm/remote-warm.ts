/**
 * Warming through a running server (`cache-warmer --url`): starts a job with
 * `POST /api/backtest/warm-cache` and follows it with `GET` until it finishes.
 */
import type { WarmOptions } from '../schemas';
import type { WarmJobStatus } from './warm-job';
import type { WarmProgress } from './run-warm-plan';

const POLL_MS = 1_000;

/**
 * Runs `options` as a job on the server at `baseUrl` and resolves with its final status.
 * @throws Error with the server's message on a non-2xx answer (401, 409, 400) or when unreachable.
 */
export async function warmThroughServer(
  baseUrl: string,
  options: WarmOptions,
  { token, onProgress, signal }: { token?: string; onProgress?: (p: WarmProgress) => void; signal?: AbortSignal },
): Promise<WarmJobStatus> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const endpoint = `${baseUrl}/api/backtest/warm-cache`;
  const started = await request(endpoint, { method: 'POST', headers, body: JSON.stringify(options) });
  const { jobId } = (await started.json()) as { jobId: string };
  for (;;) {
    const status = (await (await request(endpoint, { headers })).json()) as WarmJobStatus;
    if (status.jobId !== jobId) throw new Error(`the server reports another job (${status.jobId})`);
    onProgress?.(status);
    if (status.status !== 'running') return status;
    if (signal?.aborted) throw new Error('stopped while the server job is still running');
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function request(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (error) {
    throw new Error(`cannot reach ${url}: ${error instanceof Error ? error.message : error}`);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${body.error ?? res.statusText}`);
  }
  return res;
}
