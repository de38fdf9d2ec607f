import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, postJson, requestJson } from '@/lib/client/api';
import { DEFAULT_CONTROLS, heatmapBaseOf, reconcileDateChoice, toBacktestParams, updateControls } from '@/lib/client/controls';
import { coveredDays, datePresets, TRAILING_PRESET } from '@/lib/client/date-presets';
import { formatBytes, formatDuration, formatPercent, formatUsdt, lastCoveredDay, timeTickFormatter } from '@/lib/client/format';
import { heatmapColor, heatmapScale } from '@/lib/client/heatmap-scale';
import type { CoverageEntry } from '@/lib/market-data/types';

const entry = (symbol: string, interval: string, first: string, last: string): CoverageEntry => ({
  symbol,
  interval,
  first,
  last,
  bars: 1,
  gaps: [],
});

describe('date presets', () => {
  const coverage = [
    entry('SOLUSDT', '1h', '2024-01-01T00:00:00.000Z', '2025-12-31T22:00:00.000Z'),
    entry('FGI', '1d', '2018-02-01T00:00:00.000Z', '2025-10-16T00:00:00.000Z'),
  ];

  it('intersects the price series with the FGI', () => {
    expect(coveredDays(coverage, 'SOL', '1h')).toEqual({ first: '2024-01-01', last: '2025-10-16' });
    expect(coveredDays(coverage, 'BTC', '1h')).toBeNull();
  });

  it('offers the trailing window, then each covered year newest first, clipped', () => {
    const presets = datePresets(coveredDays(coverage, 'SOL', '1h'));
    expect(presets).toEqual([
      TRAILING_PRESET,
      { id: '2025', label: '2025 (01-01 – 10-16)', range: { start: '2025-01-01', end: '2025-10-16' } },
      { id: '2024', label: '2024', range: { start: '2024-01-01', end: '2024-12-31' } },
    ]);
    expect(datePresets(null)).toEqual([TRAILING_PRESET]);
  });
});

describe('controls', () => {
  it('builds params in a fixed key order, with extremes only for contrarian', () => {
    const built = toBacktestParams({ ...DEFAULT_CONTROLS, extremeEnabled: true });
    expect('params' in built && JSON.stringify(built.params)).toBe(
      '{"asset":"ETH","timeframe":"4h","leverage":3,"lowThreshold":25,"highThreshold":75,"strategy":"contrarian","extremeLowThreshold":10,"extremeHighThreshold":90}',
    );
    const momentum = toBacktestParams({ ...DEFAULT_CONTROLS, extremeEnabled: true, strategy: 'momentum' });
    expect('params' in momentum && momentum.params.extremeLowThreshold).toBeUndefined();
  });

  it("names the offending field when the controls are invalid (schema's message)", () => {
    const built = toBacktestParams({ ...DEFAULT_CONTROLS, datePreset: 'custom', dateRange: { start: '2024-05-01', end: '2024-01-01' } });
    expect(built).toEqual({ error: 'dateRange: dateRange start must not be after end' });
  });

  it('pushes extreme thresholds out of the low/high band when the band grows', () => {
    const c = updateControls({ ...DEFAULT_CONTROLS, extremeLow: 20, extremeHigh: 80 }, { low: 15, high: 85 });
    expect([c.extremeLow, c.extremeHigh]).toEqual([15, 85]);
  });

  it('gives the heatmap every fixed param of the backtest, the extreme thresholds included', () => {
    const built = toBacktestParams({ ...DEFAULT_CONTROLS, extremeEnabled: true, datePreset: '2024', dateRange: { start: '2024-01-01', end: '2024-12-31' } });
    expect('params' in built && JSON.stringify(heatmapBaseOf(built.params))).toBe(
      '{"asset":"ETH","timeframe":"4h","leverage":3,"strategy":"contrarian","extremeLowThreshold":10,"extremeHighThreshold":90,"dateRange":{"start":"2024-01-01","end":"2024-12-31"}}',
    );
    const plain = toBacktestParams(DEFAULT_CONTROLS);
    expect('params' in plain && heatmapBaseOf(plain.params)).toEqual({ asset: 'ETH', timeframe: '4h', leverage: 3, strategy: 'contrarian' });
  });

  it('keeps a year preset across assets when it exists, else falls back to the trailing window', () => {
    const presets = [TRAILING_PRESET, { id: '2024', label: '2024', range: { start: '2024-03-01', end: '2024-12-31' } }];
    const kept = reconcileDateChoice({ ...DEFAULT_CONTROLS, datePreset: '2024', dateRange: { start: '2024-01-01', end: '2024-12-31' } }, presets);
    expect(kept.dateRange).toEqual({ start: '2024-03-01', end: '2024-12-31' });
    const dropped = reconcileDateChoice({ ...DEFAULT_CONTROLS, datePreset: '2019', dateRange: { start: '2019-01-01', end: '2019-12-31' } }, presets);
    expect([dropped.datePreset, dropped.dateRange]).toEqual(['trailing-90', undefined]);
  });
});

describe('heatmap colour scale', () => {
  const values = [
    [-20, 0, 10],
    [null, 40, null],
  ];

  it('diverges around 0 for returns and Sharpe, with the strongest colour at the largest |value|', () => {
    const scale = heatmapScale('returns', values);
    expect(scale).toEqual({ kind: 'diverging', min: -20, max: 40 });
    expect(heatmapColor(40, scale)).toBe('rgb(46, 204, 113)');
    expect(heatmapColor(null, scale)).toBeNull();
    const [r, g] = heatmapColor(-20, scale)!.match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(g);
  });

  it('runs green → red over the grid range for max drawdown', () => {
    const scale = heatmapScale('maxDrawdown', [[5, 25, 45]]);
    expect(scale.kind).toBe('sequential');
    expect(heatmapColor(5, scale)).toBe('rgb(46, 204, 113)');
    expect(heatmapColor(45, scale)).toBe('rgb(231, 76, 60)');
  });
});

describe('formatting with units', () => {
  it('formats %, USDT, durations and bytes', () => {
    expect(formatPercent(12.345, { signed: true })).toBe('+12.35 %');
    expect(formatPercent(-3)).toBe('-3.00 %');
    expect(formatUsdt(10234.5)).toBe('10,234.50 USDT');
    expect(formatDuration(0.42)).toBe('0.42 ms');
    expect(formatDuration(212.4)).toBe('212 ms');
    expect(formatDuration(1_340)).toBe('1.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3.5 * 1024 * 1024)).toBe('3.5 MiB');
  });

  it('rounds durations before splitting them into units, so no unit shows 60', () => {
    expect(formatDuration(9.996)).toBe('10 ms');
    expect(formatDuration(999.6)).toBe('1.0 s');
    expect(formatDuration(9_940)).toBe('9.9 s');
    expect(formatDuration(9_960)).toBe('10 s');
    expect(formatDuration(45_400)).toBe('45 s');
    expect(formatDuration(59_960)).toBe('1 min 0 s');
    expect(formatDuration(119_700)).toBe('2 min 0 s');
    expect(formatDuration(3_599_600)).toBe('1 h 0 min');
    expect(formatDuration(5_430_000)).toBe('1 h 30 min');
    expect(formatDuration(3 * 86_400_000)).toBe('3 d 0 h');
    expect(formatDuration(86_399_700)).toBe('1 d 0 h');
  });

  it('names the last UTC day a period covers (its end is the last bar close)', () => {
    expect(lastCoveredDay('2025-01-01T00:00:00.000Z')).toBe('2024-12-31');
    expect(lastCoveredDay('2026-01-06T12:00:00.000Z')).toBe('2026-01-06');
    expect(lastCoveredDay('2024-03-01T00:15:00.000Z')).toBe('2024-03-01');
  });

  it('labels time ticks by the span of the axis (UTC)', () => {
    const t = Date.UTC(2024, 6, 9, 13, 0);
    expect(timeTickFormatter(365 * 86_400_000)(t)).toBe('2024-07');
    expect(timeTickFormatter(90 * 86_400_000)(t)).toBe('07-09');
    expect(timeTickFormatter(86_400_000)(t)).toBe('07-09 13:00');
  });
});

describe('api client', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("throws ApiError with the server's message and status", async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: 'params.leverage: leverage must be an integer from 1 to 12' }), { status: 400 })));
    await expect(requestJson('/api/backtest/execute')).rejects.toMatchObject({
      name: 'ApiError',
      status: 400,
      message: 'params.leverage: leverage must be an integer from 1 to 12',
    });
  });

  it('falls back to the HTTP status when the body is not JSON, and to status 0 when unreachable', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })));
    await expect(requestJson('/x')).rejects.toMatchObject({ status: 502, message: 'HTTP 502 Bad Gateway' });
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('fetch failed'))));
    const error = await requestJson('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, message: 'Cannot reach the server (fetch failed)' });
  });

  it('sends the admin token as a bearer token', async () => {
    const fetch = vi.fn(async () => new Response('{"removed":0,"freedBytes":0}'));
    vi.stubGlobal('fetch', fetch);
    await postJson('/api/backtest/cache/clear', { scope: 'all' }, { token: 't0k' });
    expect(fetch).toHaveBeenCalledWith(
      '/api/backtest/cache/clear',
      expect.objectContaining({ method: 'POST', body: '{"scope":"all"}', headers: expect.objectContaining({ authorization: 'Bearer t0k' }) }),
    );
  });
});
