/**
 * Reader for Binance's native kline dumps (data.binance.vision): 12 columns, no header —
 * `open_time, open, high, low, close, volume, close_time, quote_asset_volume, number_of_trades,
 * taker_buy_base_volume, taker_buy_quote_volume, ignore` (SOURCES.md §2b).
 */
import { allocateKlines, barProblem, setKline, takeKlines, type KlineColumns } from './kline-columns';
import { findCommas, forEachLine, lineCapacity, malformedLine, numberField } from './csv-text';

/** Open times above this are µs: Binance switched its spot dumps from ms to µs on 2025-01-01. */
const MICROSECOND_THRESHOLD = 1e15;

const FIELDS = ['open_time', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Parses a native 12-column Binance kline CSV. `open_time` is ms, or µs when above 1e15 (2025
 * files); it is returned in ms. Columns after `volume` are checked for count only.
 * @param file name used in error messages.
 * @throws MarketDataError naming file and line for a wrong column count, a non-number, an
 *   impossible OHLC bar, or an open time not after the previous line's.
 */
export function parseNativeKlines(text: string, file: string): KlineColumns {
  const out = allocateKlines(lineCapacity(text));
  const commas = new Int32Array(11);
  const values = new Float64Array(6);
  let n = 0;
  forEachLine(text, (start, end, line) => {
    const count = findCommas(text, start, end, commas);
    if (count !== 11) {
      throw malformedLine(file, line, `expected 12 columns (Binance kline dump), found ${count + 1}`);
    }
    for (let f = 0; f < 6; f++) {
      const from = f === 0 ? start : commas[f - 1] + 1;
      values[f] = numberField(text, from, commas[f], FIELDS[f], file, line);
    }
    const openTime = values[0] > MICROSECOND_THRESHOLD ? Math.floor(values[0] / 1000) : values[0];
    if (!Number.isInteger(openTime) || openTime < 0) {
      throw malformedLine(file, line, `open_time is not a Unix time in ms or µs: ${values[0]}`);
    }
    if (n > 0 && openTime <= out.openTime[n - 1]) {
      throw malformedLine(file, line, 'open_time is not after the previous line');
    }
    const problem = barProblem(values[1], values[2], values[3], values[4], values[5]);
    if (problem) throw malformedLine(file, line, problem);
    setKline(out, n, openTime, values[1], values[2], values[3], values[4], values[5]);
    n += 1;
  });
  return takeKlines(out, n);
}
