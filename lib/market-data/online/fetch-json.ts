/**
 * GET a JSON document from a public API with a timeout, validated with a zod schema.
 */
import type { z } from 'zod';
import { MarketDataError } from '../../errors';

/** Give up on one request after this many ms. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Fetches `url` and validates the JSON body with `schema`.
 * @throws MarketDataError naming the URL for a network failure, a timeout, a non-2xx status
 *   (with the API's own message when it sends one) or a body of the wrong shape.
 */
export async function fetchJson<S extends z.ZodType>(url: string, schema: S): Promise<z.infer<S>> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    body = await response.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new MarketDataError(`GET ${url} failed: ${reason}`, { cause: error });
  }
  if (!response.ok) {
    throw new MarketDataError(`GET ${url} failed: HTTP ${response.status} ${body.slice(0, 200)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MarketDataError(`GET ${url} returned a body that is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new MarketDataError(`GET ${url} returned an unexpected shape: ${parsed.error.issues[0].message}`);
  }
  return parsed.data;
}
