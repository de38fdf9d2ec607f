import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLS, updateControls, type Controls } from '@/lib/client/controls';
import { controlsFromQuery, controlsToQuery } from '@/lib/client/url-state';

/** Every control away from its default. */
const EVERYTHING: Controls = {
  asset: 'SOL',
  timeframe: '15m',
  leverage: 7,
  strategy: 'contrarian',
  low: 18,
  high: 81,
  extremeEnabled: true,
  extremeLow: 6,
  extremeHigh: 94,
  datePreset: 'custom',
  dateRange: { start: '2025-02-01', end: '2025-03-15' },
};

describe('URL state', () => {
  it('writes nothing for the defaults, so the first view is plain /', () => {
    expect(controlsToQuery(DEFAULT_CONTROLS)).toBe('');
    expect(controlsFromQuery('')).toEqual({ controls: DEFAULT_CONTROLS, notices: [] });
  });

  it('writes every control in the query and reads it back unchanged', () => {
    const query = controlsToQuery(EVERYTHING);
    expect(query).toBe('asset=SOL&tf=15m&lev=7&low=18&high=81&elow=6&ehigh=94&range=custom&from=2025-02-01&to=2025-03-15');
    expect(controlsFromQuery(`?${query}`)).toEqual({ controls: EVERYTHING, notices: [] });
  });

  it('round-trips each control on its own', () => {
    const variants: Partial<Controls>[] = [
      { asset: 'BTC' },
      { timeframe: '1h' },
      { leverage: 12 },
      { strategy: 'momentum' },
      { low: 1, high: 2 },
      { low: 99, high: 100 },
      { extremeEnabled: true, extremeLow: 0, extremeHigh: 100 },
      { datePreset: '2024', dateRange: undefined },
      { datePreset: 'custom', dateRange: { start: '2024-02-29', end: '2024-02-29' } },
    ];
    for (const patch of variants) {
      const controls = { ...DEFAULT_CONTROLS, ...patch };
      const back = controlsFromQuery(controlsToQuery(controls));
      expect(back.notices, JSON.stringify(patch)).toEqual([]);
      expect(back.controls, JSON.stringify(patch)).toEqual(controls);
    }
  });

  it('uses the example of SPEC §8', () => {
    const { controls, notices } = controlsFromQuery('?asset=ETH&tf=4h&lev=3&low=25&high=75');
    expect(notices).toEqual([]);
    expect(controls).toEqual(DEFAULT_CONTROLS);
  });

  it('falls back to the default of each invalid value, with a notice naming it', () => {
    const { controls, notices } = controlsFromQuery('?asset=DOGE&tf=5m&lev=40&strategy=yolo&low=abc&high=7.5');
    expect(controls).toEqual(DEFAULT_CONTROLS);
    expect(notices).toEqual([
      'asset="DOGE" is not BTC, ETH or SOL; using the default',
      'tf="5m" is not 15m, 1h or 4h; using the default',
      'lev="40" is not a whole leverage from 1 to 12; using the default',
      'strategy="yolo" is not contrarian or momentum; using the default',
      'low="abc" is not a whole FGI value from 1 to 99; using the default',
      'high="7.5" is not a whole FGI value from 2 to 100; using the default',
    ]);
  });

  it('keeps the valid values next to invalid ones', () => {
    const { controls, notices } = controlsFromQuery('?asset=BTC&lev=0&low=30&high=60');
    expect(controls).toMatchObject({ asset: 'BTC', leverage: 3, low: 30, high: 60 });
    expect(notices).toHaveLength(1);
  });

  it('refuses low ≥ high, a lone or misplaced extreme, extremes with momentum and a broken custom range', () => {
    expect(controlsFromQuery('?low=60&high=40')).toMatchObject({ controls: { low: 25, high: 75 }, notices: ['low 60 is not below high 40; using 25/75'] });
    expect(controlsFromQuery('?elow=5').controls.extremeEnabled).toBe(false);
    expect(controlsFromQuery('?elow=30&ehigh=90').notices[0]).toMatch(/must lie outside 25\/75/);
    expect(controlsFromQuery('?strategy=momentum&elow=5&ehigh=95')).toMatchObject({
      controls: { strategy: 'momentum', extremeEnabled: false },
      notices: ['extreme thresholds apply to the contrarian strategy only; left off'],
    });
    const range = controlsFromQuery('?range=custom&from=2025-02-30&to=2025-03-01');
    expect(range.controls.datePreset).toBe('trailing-90');
    expect(range.notices[0]).toMatch(/not a range of UTC days/);
    expect(controlsFromQuery('?range=custom&from=2025-03-02&to=2025-03-01').controls.dateRange).toBeUndefined();
    expect(controlsFromQuery('?range=../../etc').notices[0]).toMatch(/range="..\/..\/etc" is not a year/);
  });

  it('never throws on hostile input', () => {
    for (const q of ['?%E0%A4%A', '?asset=&tf=&lev=&low=&high=', '?lev=1e3', '?low=-0', '?high=Infinity', '?from=2025-01-01', '?' + 'a=1&'.repeat(1000)]) {
      expect(() => controlsFromQuery(q), q).not.toThrow();
    }
  });
});

describe('extreme thresholds', () => {
  it('start at 10/90 when turned on, even after thresholds at 1/100 pushed them out', () => {
    let c = updateControls(DEFAULT_CONTROLS, { low: 1, high: 100 });
    c = updateControls(c, { low: 25, high: 75 });
    expect(updateControls(c, { extremeEnabled: true })).toMatchObject({ extremeLow: 10, extremeHigh: 90 });
  });

  it('start inside the allowed range when low/high leave less room', () => {
    const c = updateControls(DEFAULT_CONTROLS, { low: 5, high: 95 });
    expect(updateControls(c, { extremeEnabled: true })).toMatchObject({ extremeLow: 5, extremeHigh: 95 });
  });
});
