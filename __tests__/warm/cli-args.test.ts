import { describe, expect, it } from 'vitest';
import { parseDuration, parseWarmerArgs } from '@/lib/warm/cli-args';

describe('parseWarmerArgs', () => {
  it('defaults to the default preset in-process, once', () => {
    const c = parseWarmerArgs([]);
    expect(c.options.preset).toBe('default');
    expect(c.options.permanent).toBe(false);
    expect(c.url).toBeNull();
    expect(c.everyMs).toBeNull();
  });

  it('maps every flag onto the shared options', () => {
    const c = parseWarmerArgs(
      ['--preset', 'grid', '--assets', 'BTC,SOL', '--timeframes', '1h', '--leverages', '2,5', '--strategies', 'momentum',
        '--low-min', '10', '--low-max', '20', '--high-min', '60', '--high-max', '80', '--step', '5',
        '--start', '2024-01-01', '--end', '2024-06-30', '--permanent', '--concurrency', '8',
        '--url', 'http://localhost:3000/', '--every', '6h'],
      { CACHE_ADMIN_TOKEN: 'secret' },
    );
    expect(c.options).toMatchObject({
      preset: 'grid', assets: ['BTC', 'SOL'], timeframes: ['1h'], leverages: [2, 5], strategies: ['momentum'],
      lowMin: 10, lowMax: 20, highMin: 60, highMax: 80, step: 5,
      dateRange: { start: '2024-01-01', end: '2024-06-30' }, permanent: true, concurrency: 8,
    });
    expect(c.url).toBe('http://localhost:3000');
    expect(c.token).toBe('secret');
    expect(c.everyMs).toBe(6 * 3_600_000);
  });

  it('rejects invalid options with a clear message naming the flag', () => {
    expect(() => parseWarmerArgs(['--leverages', '20'])).toThrow(/--leverages.*1 to 12/);
    expect(() => parseWarmerArgs(['--low-min', 'abc'])).toThrow(/--low-min/);
    expect(() => parseWarmerArgs(['--assets', 'DOGE'])).toThrow(/--assets.*BTC, ETH, SOL/);
    expect(() => parseWarmerArgs(['--start', '2024-01-01'])).toThrow(/--start and --end/);
    expect(() => parseWarmerArgs(['--url', 'localhost'])).toThrow(/--url/);
    expect(() => parseWarmerArgs(['--bogus'])).toThrow(/bogus/);
  });
});

describe('parseDuration', () => {
  it('reads s, m, h and d', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1d')).toBe(86_400_000);
  });
  it('refuses other forms and intervals under a second', () => {
    expect(() => parseDuration('6 hours')).toThrow(/--every/);
    expect(() => parseDuration('0.5s')).toThrow(/--every/);
    expect(() => parseDuration('0m')).toThrow(/--every/);
  });
});
