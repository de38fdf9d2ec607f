/**
 * Protection of the operator endpoints (cache clear, warm-cache; SPEC §6): when
 * CACHE_ADMIN_TOKEN is set they need `Authorization: Bearer <token>`. Used only by route handlers.
 */
import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { NextResponse } from 'next/server';
import { getEnv } from './env';

/** Options of checkAdminAuth. */
export interface AdminAuthOptions {
  /** Answer 403 in production (NODE_ENV=production) when no token is configured (default true). */
  forbidInProductionWithoutToken?: boolean;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * The answer to an anonymous warm-cache request that chooses its own plan: in production without
 * CACHE_ADMIN_TOKEN only the default preset (an empty body) may be warmed, so nobody can make the
 * server compute and store an arbitrary grid (SPEC §6). Returns the 403 response, or null when
 * the plan may run (a token is configured and was checked, outside production, or `choosesPlan`
 * is false: the body was empty or asked exactly for the default preset).
 */
export function checkAnonymousWarmPlan(choosesPlan: boolean): NextResponse | null {
  const env = getEnv();
  if (env.CACHE_ADMIN_TOKEN || env.NODE_ENV !== 'production' || !choosesPlan) return null;
  return NextResponse.json(
    {
      error:
        'in production without CACHE_ADMIN_TOKEN only the default preset can be warmed: send an empty body, or set CACHE_ADMIN_TOKEN and authenticate to choose a plan',
    },
    { status: 403 },
  );
}

/**
 * Checks the request's bearer token against CACHE_ADMIN_TOKEN with a constant-time comparison
 * (crypto.timingSafeEqual over SHA-256 digests, which have equal length whatever was sent).
 * Returns null when the request may proceed, else the error response: 401 (with
 * `WWW-Authenticate: Bearer`) for a missing or wrong token, 403 in production without a
 * configured token. Without a token outside production the endpoint is open.
 */
export function checkAdminAuth(request: Request, options: AdminAuthOptions = {}): NextResponse | null {
  const env = getEnv();
  const token = env.CACHE_ADMIN_TOKEN;
  if (!token) {
    if (env.NODE_ENV === 'production' && options.forbidInProductionWithoutToken !== false) {
      return NextResponse.json(
        { error: 'this endpoint is disabled in production until CACHE_ADMIN_TOKEN is set' },
        { status: 403 },
      );
    }
    return null;
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  if (match && timingSafeEqual(digest(match[1]), digest(token))) return null;
  return NextResponse.json(
    { error: match ? 'invalid admin token' : 'missing admin token: send Authorization: Bearer <CACHE_ADMIN_TOKEN>' },
    { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
  );
}
