/**
 * Reader of freqtrade's Feather files (Apache Arrow IPC file format, "Feather v2"): candles
 * `{BASE}_USDT-{tf}.feather` and funding `futures/{BASE}_USDT_USDT-{tf}-funding_rate.feather`,
 * written by `freqtrade download-data` with LZ4-frame-compressed buffers (SOURCES.md §4).
 * Decoding is apache-arrow's `tableFromIPC`; the LZ4 frame codec is lz4js, registered in
 * apache-arrow's `compressionRegistry` for `CompressionType.LZ4_FRAME`. Uncompressed files
 * (as apache-arrow itself writes them) are read too.
 */
import { CompressionType, compressionRegistry, Precision, tableFromIPC, TimeUnit, Type, type Table } from 'apache-arrow';
import * as lz4 from 'lz4js';
import { malformedFile, malformedLine } from './errors';

compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: (data: Uint8Array) => lz4.decompress(data) });

/** `ARROW1`, the first bytes of an Arrow IPC file. */
const ARROW_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];

/** True when `bytes` start like an Arrow IPC (Feather v2) file. */
export function isFeather(bytes: Uint8Array): boolean {
  return ARROW_MAGIC.every((b, i) => bytes[i] === b);
}

/** Divisor from a timestamp unit to ms (SECOND multiplies). */
const PER_MS: Record<TimeUnit, number> = {
  [TimeUnit.SECOND]: 1 / 1000,
  [TimeUnit.MILLISECOND]: 1,
  [TimeUnit.MICROSECOND]: 1000,
  [TimeUnit.NANOSECOND]: 1_000_000,
};

/** The `date` column as Unix ms: a UTC (or zone-less) timestamp of any unit. */
function dateColumn(table: Table, file: string): Float64Array {
  const column = table.getChild('date');
  if (!column) throw malformedFile(file, 'no "date" column');
  const type = column.type;
  if (type.typeId !== Type.Timestamp) throw malformedFile(file, `column "date" is ${type}, expected a timestamp`);
  const { unit, timezone } = type as { unit: TimeUnit; timezone?: string | null };
  if (timezone && !['UTC', 'Etc/UTC', '+00:00', 'Z'].includes(timezone)) {
    throw malformedFile(file, `column "date" has time zone ${timezone}, expected UTC`);
  }
  const out = new Float64Array(table.numRows);
  let row = 0;
  for (const chunk of column.data) {
    const values = chunk.values as BigInt64Array;
    for (let i = 0; i < chunk.length; i++, row++) {
      if (chunk.nullCount > 0 && !column.isValid(row)) throw malformedLine(file, row + 1, 'date is null');
      out[row] = Number(values[chunk.offset + i]) / PER_MS[unit];
    }
  }
  return out;
}

/** A numeric column (float or integer of any width) as Float64Array, read chunk by chunk. */
function numberColumn(table: Table, name: string, file: string): Float64Array {
  const column = table.getChild(name);
  if (!column) throw malformedFile(file, `no "${name}" column`);
  const { typeId } = column.type;
  const halfFloat = typeId === Type.Float && (column.type as { precision: Precision }).precision === Precision.HALF;
  if ((typeId !== Type.Float && typeId !== Type.Int) || halfFloat) {
    throw malformedFile(file, `column "${name}" is ${column.type}, expected float32/float64 or integer numbers`);
  }
  const out = new Float64Array(table.numRows);
  let row = 0;
  for (const chunk of column.data) {
    const values = chunk.values as ArrayLike<number | bigint>;
    for (let i = 0; i < chunk.length; i++, row++) {
      const value = Number(values[chunk.offset + i]);
      if ((chunk.nullCount > 0 && !column.isValid(row)) || !Number.isFinite(value)) {
        throw malformedLine(file, row + 1, `${name} is not a number`);
      }
      out[row] = value;
    }
  }
  return out;
}

/**
 * Decodes a Feather file: the `date` column in Unix ms (timestamp of any unit, UTC) and the
 * named numeric columns, each as a Float64Array of one value per row. "Line" in errors is the
 * 1-based row.
 * @param file name used in error messages.
 * @throws MarketDataError naming the file when it is not Arrow IPC (or cannot be decoded), lacks
 *   a column or has one of another type; naming file and row for a null or non-finite value.
 */
export function readFeather(
  bytes: Uint8Array,
  file: string,
  columns: readonly string[],
): { time: Float64Array; values: Float64Array[] } {
  if (!isFeather(bytes)) throw malformedFile(file, 'not an Arrow IPC (Feather v2) file');
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    throw malformedFile(file, `cannot decode Arrow IPC: ${(error as Error).message}`);
  }
  return { time: dateColumn(table, file), values: columns.map((name) => numberColumn(table, name, file)) };
}
