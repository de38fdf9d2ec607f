/**
 * fast-check arbitraries of hostile request bodies, shared by the route-handler fuzz tests and the
 * HTTP fuzz run against `next start`: valid bodies of each route, the same bodies with fields
 * replaced by hostile values (wrong types, huge numbers, NaN-like strings, unicode, path-like
 * strings with `../`, `%2e%2e`, NUL), extra and prototype-polluting fields, huge arrays, deep
 * nesting, raw JSON tokens that JSON.stringify cannot produce (`1e999`, `NaN`, `0x0C`), truncated
 * and oversized texts.
 */
import fc from 'fast-check';
import type { BacktestParams } from '@/lib/schemas';

/** Appears in every path-like string, so a file or folder created from input can be searched for. */
export const FUZZ_MARKER = 'splitsea-fuzz-marker';

/** Largest body the routes accept (lib/http.ts MAX_BODY_BYTES). */
export const BODY_LIMIT = 64 * 1024;

const PATH_LIKE = [
  '../',
  '..',
  '../../etc/passwd',
  `../../${FUZZ_MARKER}`,
  `..%2f..%2f${FUZZ_MARKER}`,
  `%2e%2e%2f%2e%2e%2f${FUZZ_MARKER}`,
  `%252e%252e%252f${FUZZ_MARKER}`,
  `..\\..\\${FUZZ_MARKER}`,
  `/tmp/${FUZZ_MARKER}`,
  `/work/main/${FUZZ_MARKER}`,
  `ETH\u0000/../../${FUZZ_MARKER}`,
  `ETH/../../${FUZZ_MARKER}`,
  `ETH-4h-3x-25-75-contrarian/../../${FUZZ_MARKER}`,
  `2024-01-01/../../${FUZZ_MARKER}`,
  `2024-01-01\u0000${FUZZ_MARKER}`,
  `temporary/../../${FUZZ_MARKER}`,
  `file:///tmp/${FUZZ_MARKER}`,
  `\\\\server\\share\\${FUZZ_MARKER}`,
  `C:\\${FUZZ_MARKER}`,
  '\u0000',
];

const NAN_LIKE = ['NaN', 'nan', 'Infinity', '-Infinity', '1e309', '-1e309', '-0', '0x0C', '3', ' 3', '3.0', '12 ', '+3', '1_0', 'null', 'undefined', 'true', ''];

const ALMOST_VALID = [
  'eth', 'ETH ', ' ETH', 'ETH\n', 'ＥＴＨ', 'E\u200bTH', 'ETH\u0000', 'BTCUSDT', 'DOGE', '4H', '4h\u0000', '1d', '240m',
  'Contrarian', 'contrarian\u0000', 'hodl', 'HIGH', 'urgent', 'ALL', 'stale ', 'grid\u0000',
  '2024-02-30', '2024-1-1', '2024-13-01', '+002024-01-01', '2024-01-01T00:00:00Z', '0000-01-01', '9999-12-31', '20240101',
];

const ODD_TEXT = ['💥', '\ud800', '\udfff', 'a\u0301', '\u202e', '<script>alert(1)</script>', "'; DROP TABLE x;--", '${jndi:ldap://x}', '%s%s%n', '__proto__', 'constructor', 'hasOwnProperty', 'toString'];

/** Keys that must never pollute prototypes or be taken as known fields. */
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', '', ' ', 'params ', 'PARAMS', 'asset\u0000', ...PATH_LIKE.slice(0, 6)];

/** Strings a careless route might accept, echo, or use as a path. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PATH_LIKE, ...NAN_LIKE, ...ALMOST_VALID, ...ODD_TEXT),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ minLength: 2000, maxLength: 6000 }),
);

/** Numbers at and beyond every bound (JSON-representable; see rawTokens for the rest). */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 2.5, 12.000001, 13, 99.5, 100, 101, 1e21, 1e308, -1e308, 5e-324, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Number tokens JSON.parse accepts (1e999 → Infinity) or rejects (NaN, 0x0C): spliced into raw text. */
export const RAW_NUMBER_TOKENS = ['1e999', '-1e999', '1E400', '-0', '0.0', '3.0000000000000001', '1e-400', 'NaN', 'Infinity', '0x0C', '012', '+3', '.5', '3.', '1_0'];

/** Arrays of up to a few thousand items (some beyond the 64 KB body limit once serialized). */
const hugeArray = fc.oneof(
  fc.array(fc.integer(), { minLength: 500, maxLength: 4000 }),
  fc.array(fc.constantFrom('ETH', 'BTC', 'SOL', '4h', 'contrarian'), { minLength: 200, maxLength: 4000 }),
);

/**
 * A value nested `depth` levels deep in arrays or objects. At most 400 levels, so that the
 * generator's own recursion (clone, paths, JSON.stringify) stays far from the stack limit; deeper
 * nesting (up to 60,000 levels) comes as raw text in hostileBodies.
 */
const deepNest = fc.tuple(fc.integer({ min: 20, max: 400 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 'ETH';
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { params: value };
  return value;
});

/** Any hostile JSON value. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: fc.constantFrom(true, false, null, [], {}), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...ODD_KEYS), fc.string({ maxLength: 8 })), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }), weight: 1 },
  { arbitrary: hugeArray, weight: 1 },
  { arbitrary: deepNest, weight: 1 },
);

/** A key for an extra field. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...ODD_KEYS, 'verbose', 'stopLoss', 'path', 'file', 'key', 'cacheDir'), hostileString.filter((s) => s.length < 100));

/** A day YYYY-MM-DD between 2016 and 2027 (valid calendar days only). */
const isoDay = fc.date({ min: new Date('2016-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const dateRange = fc.tuple(isoDay, isoDay).map(([a, b]) => (a <= b ? { start: a, end: b } : { start: b, end: a }));

/** Backtest params that pass backtestParamsSchema; date ranges may lie outside the data (→ 422). */
export const validParams: fc.Arbitrary<BacktestParams> = fc
  .record({
    asset: fc.constantFrom('BTC', 'ETH', 'SOL'),
    timeframe: fc.constantFrom('15m', '1h', '4h', '4h', '4h'),
    leverage: fc.integer({ min: 1, max: 12 }),
    low: fc.integer({ min: 1, max: 99 }),
    gap: fc.integer({ min: 1, max: 99 }),
    strategy: fc.constantFrom('contrarian', 'momentum'),
    extremes: fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: undefined }),
    dateRange: fc.option(dateRange, { nil: undefined }),
  })
  .map(({ asset, timeframe, leverage, low, gap, strategy, extremes, dateRange }) => {
    const high = Math.min(100, low + gap);
    const params: BacktestParams = { asset, timeframe, leverage, lowThreshold: low, highThreshold: high, strategy } as BacktestParams;
    if (extremes && strategy === 'contrarian') {
      params.extremeLowThreshold = extremes[0] % (low + 1);
      params.extremeHighThreshold = high + (extremes[1] % (101 - high));
    }
    if (dateRange) params.dateRange = dateRange;
    return params;
  });

/** Valid bodies of POST /api/backtest/execute. */
export const validExecuteBody = fc.record(
  {
    params: validParams,
    forceRefresh: fc.boolean(),
    priority: fc.constantFrom('normal', 'high'),
    includeDetail: fc.boolean(),
  },
  { requiredKeys: ['params'] },
);

/** Valid bodies of POST /api/backtest/cache/clear. */
export const validClearBody = fc.record(
  { scope: fc.constantFrom('temporary', 'permanent', 'all', 'stale'), asset: fc.constantFrom('BTC', 'ETH', 'SOL') },
  { requiredKeys: ['scope'] },
);

/** Valid heatmap bodies, 4h only (a heatmap is 4,950 backtests; longer series take seconds). */
export const validHeatmapBody = fc.record(
  {
    asset: fc.constantFrom('BTC', 'ETH', 'SOL'),
    timeframe: fc.constant('4h'),
    leverage: fc.integer({ min: 1, max: 12 }),
    strategy: fc.constantFrom('contrarian', 'momentum'),
    metric: fc.constantFrom('returns', 'sharpeRatio', 'maxDrawdown'),
  },
  { requiredKeys: ['asset', 'timeframe', 'leverage', 'strategy'] },
);

/** Valid warm-cache bodies (narrow grids, so a started job is small). */
export const validWarmBody = fc.record(
  {
    preset: fc.constantFrom('default', 'grid'),
    assets: fc.subarray(['BTC', 'ETH', 'SOL'] as const, { minLength: 1 }),
    timeframes: fc.constant(['4h']),
    leverages: fc.constant([2]),
    strategies: fc.constant(['contrarian']),
    lowMin: fc.constant(20),
    lowMax: fc.integer({ min: 20, max: 23 }),
    highMin: fc.constant(70),
    highMax: fc.integer({ min: 70, max: 72 }),
    permanent: fc.boolean(),
    concurrency: fc.integer({ min: 1, max: 8 }),
  },
  { requiredKeys: ['preset', 'timeframes', 'leverages', 'strategies', 'lowMax', 'highMax'] },
);

type Path = (string | number)[];

/**
 * Paths to values inside `value` (objects and arrays), the root first, breadth first, at most
 * `limit` of them. Iterative: the values may be nested hundreds of levels deep.
 */
function pathsOf(value: unknown, limit = 5000): Path[] {
  const out: Path[] = [];
  const queue: [unknown, Path][] = [[value, []]];
  for (let i = 0; i < queue.length && out.length < limit; i++) {
    const [node, path] = queue[i];
    out.push(path);
    if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) queue.push([v, [...path, Array.isArray(node) ? Number(k) : k]]);
    }
  }
  return out;
}

const clone = <T>(value: T): T => structuredClone(value);

function parentOf(root: unknown, path: Path): Record<string, unknown> | null {
  let node = root as Record<string, unknown>;
  for (const step of path.slice(0, -1)) {
    node = node?.[step as string] as Record<string, unknown>;
    if (!node || typeof node !== 'object') return null;
  }
  return node;
}

type Mutation =
  | { kind: 'replace'; pick: number; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'extra'; pick: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: hostileValue }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('extra' as const), pick: fc.nat(), key: hostileKey, value: hostileValue }), weight: 2 },
);

/**
 * Applies mutations to a copy of `body`; `__proto__` keys are set as own properties (as JSON.parse
 * does). Inserted values are copied too: fast-check hands out shared instances (`[]`, `{}` of
 * constantFrom), which a later mutation would otherwise change, or insert into themselves.
 */
function mutate(body: unknown, mutations: Mutation[]): unknown {
  let root: unknown = clone(body);
  for (const original of mutations) {
    const m = 'value' in original ? { ...original, value: clone(original.value) } : original;
    const paths = pathsOf(root);
    const path = paths[m.pick % paths.length];
    if (m.kind === 'extra') {
      const target = path.length === 0 ? root : (parentOf(root, path)?.[path.at(-1) as string] as unknown);
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      }
      continue;
    }
    if (path.length === 0) {
      if (m.kind === 'replace') root = m.value;
      continue;
    }
    const parent = parentOf(root, path);
    if (!parent) continue;
    const key = path.at(-1) as string;
    if (m.kind === 'delete') delete parent[key];
    else Object.defineProperty(parent, key, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

/** A request body as sent: its text and, when it is JSON, what JSON.parse makes of it. */
export interface FuzzBody {
  /** How it was made, for failure messages. */
  kind: string;
  text: string;
}

const RAW_SLOT = '"\u0001raw\u0001"';

/**
 * Bodies for a route whose valid bodies come from `valid`: valid ones, mutated ones, arbitrary
 * JSON, raw-token splices, truncations, garbage, empty, and oversized texts.
 */
export function hostileBodies(valid: fc.Arbitrary<unknown>): fc.Arbitrary<FuzzBody> {
  const text = (kind: string) => (value: unknown): FuzzBody => ({ kind, text: JSON.stringify(value) ?? 'null' });
  return fc.oneof(
    { arbitrary: valid.map(text('valid')), weight: 2 },
    { arbitrary: fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => text('mutated')(mutate(v, ms))), weight: 10 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map(text('arbitrary JSON')), weight: 2 },
    {
      // A raw number token in place of one field.
      arbitrary: fc.tuple(valid, fc.nat(), fc.constantFrom(...RAW_NUMBER_TOKENS)).map(([v, pick, token]) => {
        const paths = pathsOf(v).filter((p) => p.length > 0);
        const replaced = paths.length ? mutate(v, [{ kind: 'replace', pick: pick % paths.length + 1, value: '\u0001raw\u0001' }]) : v;
        return { kind: `raw token ${token}`, text: JSON.stringify(replaced).replace(RAW_SLOT, token) };
      }),
      weight: 2,
    },
    {
      arbitrary: fc.tuple(valid, fc.nat()).map(([v, cut]) => {
        const full = JSON.stringify(v);
        return { kind: 'truncated', text: full.slice(0, cut % Math.max(1, full.length)) };
      }),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom(
        '', ' ', '\n', 'null', 'true', '0', '""', '[]', '{}', '{', '}', '{"params":', '\ufeff{}', 'undefined', 'NaN',
        "{'params': {}}", '{"params": {"asset": "ETH",}}', '<?xml version="1.0"?><params/>', 'asset=ETH&timeframe=4h',
        `{"params":{"asset":"ETH","__proto__":{"polluted":true}}}`, '{"__proto__":{"polluted":true},"scope":"all"}',
        `{"constructor":{"prototype":{"polluted":true}},"scope":"stale"}`,
      ).map((t) => ({ kind: 'garbage', text: t })),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(fc.integer({ min: 50, max: 60_000 }), fc.boolean()).map(([depth, arrays]) => ({
        kind: `nested ${depth}`,
        text: arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"params":'.repeat(depth) + '1' + '}'.repeat(depth),
      })),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(valid, fc.integer({ min: 1, max: 200_000 })).map(([v, extra]) => {
        const base = JSON.stringify(v);
        return { kind: 'oversized', text: `${base.slice(0, -1)}${base.length > 2 ? ',' : ''}"pad":"${'x'.repeat(BODY_LIMIT + extra - base.length)}"}` };
      }),
      weight: 1,
    },
  );
}
