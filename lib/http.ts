/**
 * Helpers that keep route handlers thin: bounded JSON body parsing with a shared zod schema,
 * and the mapping from errors to `{ error }` responses that never leak paths or stacks.
 */
import 'server-only';
import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { formatZodError } from './schemas';
import { getEnv } from './env';
import { BusyError, CacheStoreError, MarketDataError, NoDataInRangeError, RequestError } from './errors';

/** Largest accepted request body, bytes (SPEC §6: larger bodies get 413). */
export const MAX_BODY_BYTES = 64 * 1024;

/** `application/json`, `application/vnd.x+json`, with or without parameters (RFC 6839 suffix). */
const JSON_MEDIA_TYPE = /^\s*application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
/** The `charset` parameter of a media type, quoted or not. */
const CHARSET_PARAM = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/** The client went away before its request body arrived in full (HTTP 400, logged in one line). */
export class ClientAbortError extends RequestError {
  constructor() {
    super('the request body was not received in full: the client aborted the upload', 400);
    this.name = 'ClientAbortError';
  }
}

/** `{ error, details? }` with the given status. */
export function jsonError(status: number, error: string, details?: unknown): NextResponse {
  return NextResponse.json(details === undefined ? { error } : { error, details }, { status });
}

/**
 * Reads the request body (at most MAX_BODY_BYTES) and validates it with `schema`.
 * An empty body is parsed as `emptyValue` when given, else rejected. A non-empty body must be
 * declared JSON (`application/json` or `…+json`): a cross-site page can send `text/plain`,
 * form or untyped bodies without a CORS preflight, but not JSON ones.
 * JSON is UTF-8 (RFC 8259 §8.1): a declared charset other than UTF-8 is refused.
 * @throws RequestError 413 when too large, 415 when not declared JSON or declared in another
 * charset, 400 when not JSON or invalid (message names the field); ClientAbortError (400) when
 * the client aborts the upload.
 */
export async function parseJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  emptyValue?: unknown,
): Promise<z.infer<S>> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > MAX_BODY_BYTES) throw new RequestError('request body exceeds 64 KB', 413);
  const text = await readBounded(request);
  let value: unknown;
  if (text.trim() === '' && emptyValue !== undefined) {
    value = emptyValue;
  } else {
    const contentType = request.headers.get('content-type') ?? '';
    if (text !== '' && !JSON_MEDIA_TYPE.test(contentType)) {
      throw new RequestError('send the body as JSON with Content-Type: application/json', 415);
    }
    const charset = CHARSET_PARAM.exec(contentType)?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      throw new RequestError(`JSON bodies are UTF-8: charset=${charset.slice(0, 40)} is not supported`, 415);
    }
    try {
      value = JSON.parse(text);
    } catch {
      throw new RequestError('body is not valid JSON');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RequestError(formatZodError(parsed.error));
  return parsed.data;
}

async function readBounded(request: Request): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The connection closed mid-upload (the client aborted or went away).
      throw new ClientAbortError();
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new RequestError('request body exceeds 64 KB', 413);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Maps an error to a response: ClientAbortError → 400 with one log line, RequestError → its status, NoDataInRangeError → 422,
 * MarketDataError and CacheStoreError → 503, anything else → 500 `Internal server error` (logged, not leaked).
 * The server's own folders in a message are replaced by the settings that name them
 * (`MARKET_DATA_DIR`, `CACHE_DIR`, `.` for the project), so no answer reveals where it runs.
 */
export function errorResponse(error: unknown): NextResponse {
  if (error instanceof ClientAbortError) {
    console.warn(`[API] ${error.message} (answered 400)`);
    return jsonError(400, error.message);
  }
  if (error instanceof RequestError) return jsonError(error.status, withoutLocalPaths(error.message));
  if (error instanceof NoDataInRangeError) return jsonError(422, withoutLocalPaths(error.message));
  if (error instanceof BusyError) {
    const response = jsonError(429, error.message);
    response.headers.set('Retry-After', String(error.retryAfterSeconds));
    return response;
  }
  if (error instanceof MarketDataError || error instanceof CacheStoreError) {
    return jsonError(503, withoutLocalPaths(error.message));
  }
  console.error('[API ERROR]', error);
  return jsonError(500, 'Internal server error');
}

/** `message` with the absolute folders of lib/env.ts replaced by their setting names, longest first. */
export function withoutLocalPaths(message: string): string {
  const env = getEnv();
  const folders: [string | null, string][] = [
    [env.marketDataDir, 'MARKET_DATA_DIR'],
    [env.cacheDir, 'CACHE_DIR'],
    [env.downloadDir, '.cache/market-data'],
    [env.projectRoot, '.'],
  ];
  return folders
    .filter((f): f is [string, string] => f[0] !== null && f[0].length > 1)
    .sort((a, b) => b[0].length - a[0].length)
    .reduce((text, [folder, name]) => text.split(folder).join(name), message);
}
