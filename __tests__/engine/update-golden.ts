/**
 * Regenerates the golden files in __tests__/engine/golden/ from the current engine and data:
 * `npx tsx __tests__/engine/update-golden.ts`. A golden whose results change is rewritten only
 * when ENGINE_VERSION (lib/engine/version.ts) or the series' dataVersion changed since it was
 * written: new market data is a legitimate reason, an engine change needs a version bump first.
 * Otherwise nothing is written, the changed results are listed, and the exit code is 1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GOLDEN_CASES, goldenFileName } from './golden-cases';
import { GOLDEN_DIR, goldenResult, readGolden, rewriteRefusal, type GoldenResult } from './golden-result';

async function main(): Promise<number> {
  const fresh: GoldenResult[] = [];
  const refused: string[] = [];
  for (const params of GOLDEN_CASES) {
    const current = await goldenResult(params);
    const refusal = rewriteRefusal(readGolden(params), current);
    if (refusal) refused.push(refusal);
    fresh.push(current);
  }
  if (refused.length > 0) {
    console.error(
      `Refusing to rewrite the golden files: results changed while ENGINE_VERSION and the data ` +
        `version stayed the same. Bump ENGINE_VERSION in lib/engine/version.ts if the engine ` +
        `change is intended, then run this again.\n  ${refused.join('\n  ')}`,
    );
    return 1;
  }
  fs.mkdirSync(GOLDEN_DIR, { recursive: true });
  for (const result of fresh) {
    const file = path.join(GOLDEN_DIR, goldenFileName(result.params));
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
