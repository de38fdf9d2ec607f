import { describe, expect, it } from 'vitest';
import { csvField, equityCsv, exportFileName, toCsv, tradesCsv, TRADE_COLUMNS } from '@/lib/client/exports';
import { ETH_4H_PARAMS } from '../helpers/params';
import { detailPoints, tradeFixture } from './api-mock';

/** A minimal RFC 4180 reader for the checks (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('CSV exports', () => {
  it('quotes fields with commas, quotes or line breaks and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(-0.125)).toBe('-0.125');
    const text = toCsv(['a', 'b'], [['x,y', 'q"'], [1, null]]);
    expect(text).toBe('a,b\r\n"x,y","q"""\r\n1,\r\n');
    expect(parseCsv(text)).toEqual([['a', 'b'], ['x,y', 'q"'], ['1', '']]);
  });

  it('writes the trades with their columns, ISO UTC times and PnL % of margin', () => {
    const trade = tradeFixture({ entryTime: Date.UTC(2025, 0, 1, 4), entryPrice: 3_000, exitTime: Date.UTC(2025, 0, 2), exitPrice: 3_100, pnl: 95, funding: -0.25 });
    const [header, row, ...rest] = parseCsv(tradesCsv([trade]));
    expect(header).toEqual([...TRADE_COLUMNS]);
    expect(rest).toEqual([]);
    // 95 USDT on 950 USDT of margin = 10 %.
    expect(row).toEqual(['2025-01-01T04:00:00.000Z', '2025-01-02T00:00:00.000Z', 'long', '3000', '3100', '1', '950', '3', '-0.25', '95', '10', 'signal']);
  });

  it('writes the equity series at each bar close with price, FGI, equity, buy-and-hold and position', () => {
    const points = detailPoints(3);
    const rows = parseCsv(equityCsv([...points, { ...points[2], time: points[2].time + 4 * 3_600_000, fgi: null }], '4h'));
    expect(rows[0]).toEqual(['time_utc', 'price_usdt', 'fgi', 'equity_usdt', 'buy_and_hold_usdt', 'position']);
    // Points are bar open times; a 4h bar opened at 00:00 closes at 04:00. FGI 10 → long at 25/75.
    expect(rows[1]).toEqual(['2025-01-01T04:00:00.000Z', '3000', '10', '10000', '10000', 'long']);
    expect(rows[3][5]).toBe('short');
    expect(rows[4][2]).toBe(''); // unknown FGI
    expect(rows).toHaveLength(5);
  });

  it('names each file after the cache key of the result’s params', () => {
    expect(exportFileName(ETH_4H_PARAMS, 'result')).toBe('ETH-4h-3x-25-75-contrarian.json');
    const params = { ...ETH_4H_PARAMS, extremeLowThreshold: 10, extremeHighThreshold: 90, dateRange: { start: '2024-01-01', end: '2024-03-31' } };
    expect(exportFileName(params, 'trades')).toBe('ETH-4h-3x-25-75-contrarian-e10-90-2024-01-01-2024-03-31-trades.csv');
    expect(exportFileName(params, 'equity')).toBe('ETH-4h-3x-25-75-contrarian-e10-90-2024-01-01-2024-03-31-equity.csv');
  });
});
