/**
 * Import first in every script that reaches server modules: those start with
 * `import 'server-only'`, which throws unless the `react-server` export condition is active (as
 * in Next's server bundles). The npm scripts pass `--conditions=react-server`; when a script is
 * started without it (`bun run scripts/cache-warmer.ts`, `npx tsx scripts/cache-warmer.ts`, as
 * SPEC §7 promises), this module runs the same script again with the condition, passing on the
 * arguments, standard streams and exit code, and stops the first run before any other import.
 */
import { spawnSync } from 'node:child_process';

/** True when `server-only` resolves to its empty react-server export. */
function conditionActive(): boolean {
  try {
    require('server-only');
    return true;
  } catch {
    return false;
  }
}

if (!conditionActive()) {
  const [runtime, ...args] = process.argv;
  // Node (tsx keeps its loader in execArgv) or bun, which takes the same flag before the script.
  const flags = process.versions.bun ? ['--conditions=react-server'] : [...process.execArgv, '--conditions=react-server'];
  const rerun = spawnSync(runtime, [...flags, ...args], { stdio: 'inherit' });
  process.exit(rerun.status ?? 1);
}
