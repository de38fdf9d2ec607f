/**
 * Column storage for OHLCV klines while they are read and merged (before they become a
 * MarketSeries). Server and client safe (no I/O).
 */

/** OHLCV bars as parallel typed arrays of equal length. Open time in Unix ms UTC, prices in USDT, volume in the base asset. */
export interface KlineColumns {
  openTime: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Room for `capacity` bars. */
export function allocateKlines(capacity: number): KlineColumns {
  return {
    openTime: new Float64Array(capacity),
    open: new Float64Array(capacity),
    high: new Float64Array(capacity),
    low: new Float64Array(capacity),
    close: new Float64Array(capacity),
    volume: new Float64Array(capacity),
  };
}

/** Writes one bar (open time in Unix ms UTC, prices in USDT, volume in the base asset) at index `i`. */
export function setKline(
  columns: KlineColumns,
  i: number,
  openTime: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): void {
  columns.openTime[i] = openTime;
  columns.open[i] = open;
  columns.high[i] = high;
  columns.low[i] = low;
  columns.close[i] = close;
  columns.volume[i] = volume;
}

/** The first `length` bars of `columns`, copied into exactly sized arrays. */
export function takeKlines(columns: KlineColumns, length: number): KlineColumns {
  return {
    openTime: columns.openTime.slice(0, length),
    open: columns.open.slice(0, length),
    high: columns.high.slice(0, length),
    low: columns.low.slice(0, length),
    close: columns.close.slice(0, length),
    volume: columns.volume.slice(0, length),
  };
}

/**
 * Why a bar's values are impossible, or null when they are fine: prices must be > 0, volume ≥ 0,
 * and low ≤ open, close ≤ high (the OHLC sanity check of SOURCES.md "Verification").
 */
export function barProblem(open: number, high: number, low: number, close: number, volume: number): string | null {
  if (!(open > 0 && high > 0 && low > 0 && close > 0)) return 'prices must be greater than 0';
  if (!(volume >= 0)) return 'volume must not be negative';
  if (!(low <= high)) return `low ${low} is above high ${high}`;
  if (!(low <= open && low <= close && open <= high && close <= high)) {
    return `open ${open} or close ${close} lies outside low ${low} .. high ${high}`;
  }
  return null;
}
