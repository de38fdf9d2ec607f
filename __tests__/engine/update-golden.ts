/**
 * Regenerates the golden files in __tests__/engine/golden/ from the current engine and data:
 * `npx tsx __tests__/engine/update-golden.ts`. Review the diff; when results changed, the
 * engine's ENGINE_VERSION (lib/engine/version.ts) must be bumped first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GOLDEN_CASES, goldenFileName } from './golden-cases';
import { goldenResult } from './golden-result';

async function main(): Promise<void> {
  const dir = path.join(__dirname, 'golden');
  fs.mkdirSync(dir, { recursive: true });
  for (const params of GOLDEN_CASES) {
    const file = path.join(dir, goldenFileName(params));
    fs.writeFileSync(file, `${JSON.stringify(await goldenResult(params), null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
