/**
 * Chooses the kline reader from the file's first line: a digit means a native Binance 12-column
 * dump without header, anything else a 6-column CSV with a header.
 */
import type { KlineColumns } from './kline-columns';
import { parseHeaderKlines } from './parse-header-klines';
import { parseNativeKlines } from './parse-native-klines';

/** The two kline CSV layouts of SOURCES.md. */
export type KlineLayout = 'native12' | 'header6';

/** Layout of a kline CSV, judged by its first character (after an optional BOM). */
function klineLayout(text: string): KlineLayout {
  const first = text.charCodeAt(text.charCodeAt(0) === 0xfeff ? 1 : 0);
  return first >= 48 && first <= 57 ? 'native12' : 'header6';
}

/**
 * Parses any kline CSV of SOURCES.md into columns (open time in Unix ms UTC).
 * @throws MarketDataError naming file and line of the first malformed line.
 */
export function parseKlineCsv(text: string, file: string): { layout: KlineLayout; klines: KlineColumns } {
  const layout = klineLayout(text);
  const klines = layout === 'native12' ? parseNativeKlines(text, file) : parseHeaderKlines(text, file);
  return { layout, klines };
}
