/**
 * JSON over HTTP for the page: the routes of SPEC §6, with the server's `{ error }` message kept
 * so the page can show it in place. Client-safe.
 */

/** A failed API call: HTTP status (0 when the server could not be reached) and its message. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Options of one call: a bearer token for admin routes and an abort signal. */
export interface RequestOptions {
  token?: string;
  signal?: AbortSignal;
}

/**
 * Fetches `url` and returns its JSON body.
 * @throws ApiError with the server's `error` text (or `HTTP <status>`) for a non-2xx answer,
 * status 0 when the request could not be sent.
 */
export async function requestJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(`Cannot reach the server (${(error as Error).message})`, 0);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: fall through with the raw status
  }
  if (!response.ok) {
    const payload = body as { error?: unknown; details?: unknown } | null;
    const message = typeof payload?.error === 'string' ? payload.error : `HTTP ${response.status} ${response.statusText}`.trim();
    throw new ApiError(message, response.status, payload?.details);
  }
  return body as T;
}

/** GET `url` as JSON (the fetcher of the page's SWR hooks). */
export function getJson<T>(url: string): Promise<T> {
  return requestJson<T>(url, { headers: { accept: 'application/json' } });
}

/** POST `body` as JSON to `url`, with `Authorization: Bearer <token>` when a token is given. */
export function postJson<T>(url: string, body: unknown, { token, signal }: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return requestJson<T>(url, {
    method: 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
}
