/**
 * Figures of the reliability and stress runs for docs/reliability.md: each test writes its own
 * `artifacts/reliability/{name}.json` (git-ignored) and prints it.
 */
import fs from 'node:fs';
import path from 'node:path';

const ARTIFACTS = path.resolve(__dirname, '../../artifacts/reliability');

/** Writes the figures of one test run to `artifacts/reliability/{name}.json` and prints them. */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const record = { test: name, at: new Date().toISOString(), ...figures };
  fs.writeFileSync(path.join(ARTIFACTS, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`[reliability] ${JSON.stringify(record)}`);
}
