/**
 * Names of source files as listed in `MarketSeries.sources`.
 */
import path from 'node:path';

/** A downloaded file's path relative to the working directory (project root), with `/` separators. */
export function downloadedSourceName(absolutePath: string): string {
  return path.relative(process.cwd(), absolutePath).split(path.sep).join('/');
}
