/**
 * Small Feather (Arrow IPC file) fixtures written with apache-arrow, uncompressed, in freqtrade's
 * column layout: `date` (timestamp, UTC) plus float64 columns.
 */
import { Float64, makeData, makeVector, Table, tableToIPC, Timestamp, TimeUnit } from 'apache-arrow';

/**
 * An Arrow IPC file with a `date` column holding `dates` (Unix ms, UTC) in `unit` and one float64
 * column per entry of `columns`.
 */
export function featherFile(
  dates: readonly number[],
  columns: Record<string, readonly number[]>,
  unit: TimeUnit = TimeUnit.NANOSECOND,
): Uint8Array {
  const perMs = { [TimeUnit.SECOND]: 0n, [TimeUnit.MILLISECOND]: 1n, [TimeUnit.MICROSECOND]: 1_000n, [TimeUnit.NANOSECOND]: 1_000_000n }[unit];
  const date = makeVector(
    makeData({ type: new Timestamp(unit, 'UTC'), length: dates.length, data: BigInt64Array.from(dates.map((ms) => BigInt(ms) * perMs)) }),
  );
  const vectors = Object.fromEntries(
    Object.entries(columns).map(([name, values]) => [name, makeVector(makeData({ type: new Float64(), length: values.length, data: Float64Array.from(values) }))]),
  );
  return tableToIPC(new Table({ date, ...vectors }), 'file');
}
