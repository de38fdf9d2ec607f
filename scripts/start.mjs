#!/usr/bin/env node
// `npm start`: builds when needed (scripts/ensure-build.mjs), then runs `next start`
// (PORT, default 3000; extra arguments are passed on).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild } from './ensure-build.mjs';

process.env.NEXT_TELEMETRY_DISABLED = '1';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureBuild();
const server = spawn(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'start', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
