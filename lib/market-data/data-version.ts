/**
 * Content hash of loaded market data.
 */
import { createHash } from 'node:crypto';

/**
 * First 12 hex digits of the SHA-256 of the arrays' bytes, in order. Any change of a bar value,
 * a bar time or a joined FGI value changes it.
 */
export function dataVersionOf(arrays: readonly Float64Array[]): string {
  const hash = createHash('sha256');
  for (const array of arrays) {
    hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }
  return hash.digest('hex').slice(0, 12);
}
