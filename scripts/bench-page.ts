/**
 * `npm run bench:page [-- --json FILE]`: how smooth dragging a threshold is in the browser.
 * Starts `next start` (building first if needed) on a free loopback port with a temporary
 * CACHE_DIR, drives Debian's Chromium (/usr/bin/chromium) with playwright-core, and for each
 * window — the default (ETH 4h, trailing 90 days) and one year of 1h bars (ETH 1h, 2024) —
 * drags the low threshold handle 30 steps with the mouse (one value per move, 60 ms apart, so
 * answers arrive during the drag), then keeps measuring 1.5 s while the last answer is drawn.
 * A plain mouse movement over the page (no drag) is measured first as the baseline. Reports
 * frames per second and the worst frame (requestAnimationFrame intervals, ms), and the main
 * thread's long tasks (> 50 ms, PerformanceObserver `longtask`): count and longest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { startNextServer } from '../__tests__/helpers/next-server';
import { launchChromium } from '../__tests__/browser/chromium';
import { dragHandle } from '../__tests__/browser/drag';
import { ensureBuild } from './ensure-build.mjs';

const STEPS = 30;
const STEP_PAUSE_MS = 60;
const SETTLE_MS = 1_500;

const { values } = parseArgs({ options: { json: { type: 'string' }, help: { type: 'boolean' } } });
if (values.help) {
  console.log('Usage: npm run bench:page [-- --json FILE]');
  process.exit(0);
}

/** One measured interaction. */
interface Figures {
  fps: number;
  worstFrameMs: number;
  longTasks: number;
  longestTaskMs: number;
  durationMs: number;
}

/**
 * Installed before any page script: records long tasks and animation frames while `__bench.on`
 * is true. Plain JavaScript text (a function would be compiled with tsx helpers the page lacks).
 */
const RECORDER = `(() => {
  const state = { on: false, frames: [], tasks: [] };
  window.__bench = state;
  new PerformanceObserver((list) => {
    if (state.on) for (const entry of list.getEntries()) state.tasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: false });
  const tick = (time) => {
    if (state.on) state.frames.push(time);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

async function measure(page: Page, action: () => Promise<void>): Promise<Figures> {
  await page.evaluate(() => {
    const b = (window as unknown as { __bench: { on: boolean; frames: number[]; tasks: number[] } }).__bench;
    b.frames = [];
    b.tasks = [];
    b.on = true;
  });
  await action();
  await page.waitForTimeout(SETTLE_MS);
  const { frames, tasks } = await page.evaluate(() => {
    const b = (window as unknown as { __bench: { on: boolean; frames: number[]; tasks: number[] } }).__bench;
    b.on = false;
    return { frames: b.frames, tasks: b.tasks };
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  const durationMs = frames.length > 1 ? frames[frames.length - 1] - frames[0] : 0;
  return {
    fps: durationMs > 0 ? (gaps.length / durationMs) * 1_000 : 0,
    worstFrameMs: gaps.length ? Math.max(...gaps) : 0,
    longTasks: tasks.length,
    longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
    durationMs,
  };
}

/** Opens `query`, waits for its first result and heatmap, then measures a 30-step drag of the low handle. */
async function dragScenario(page: Page, base: string, query: string): Promise<Figures> {
  await page.goto(`${base}/${query}`);
  await page.getByTestId('run-summary').waitFor({ timeout: 120_000 });
  await page.getByTestId('heatmap-caption').filter({ hasText: /computed in/ }).waitFor({ timeout: 120_000 });
  await page.waitForTimeout(500);
  const low = page.getByRole('slider', { name: 'Low threshold' });
  const from = Number(await low.inputValue());
  return measure(page, () => dragHandle(page, low, from, STEPS, 1, STEP_PAUSE_MS));
}

async function main() {
  ensureBuild();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-bench-page-'));
  const server = await startNextServer({ CACHE_DIR: cacheDir });
  const { context, profile } = await launchChromium();
  const figures: Record<string, Figures> = {};
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.addInitScript({ content: RECORDER });

    await page.goto(`${server.url}/`);
    await page.getByTestId('run-summary').waitFor({ timeout: 120_000 });
    await page.waitForTimeout(1_000);
    figures['mouse movement only (baseline)'] = await measure(page, async () => {
      for (let i = 0; i < STEPS; i++) {
        await page.mouse.move(300 + i * 10, 400);
        await page.waitForTimeout(STEP_PAUSE_MS);
      }
    });
    figures['drag, default window (ETH 4h, 90 days)'] = await dragScenario(page, server.url, '');
    figures['drag, 1-year 1h window (ETH 1h, 2024)'] = await dragScenario(page, server.url, '?tf=1h&range=2024');
  } finally {
    await context.close();
    await server.stop();
    fs.rmSync(profile, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }

  console.log(`\nSplit Sea page benchmark — ${new Date().toISOString()} — ${STEPS} steps, ${STEP_PAUSE_MS} ms apart, + ${SETTLE_MS} ms settle`);
  console.log('target: no main-thread task over 50 ms while dragging (page issue)\n');
  const rows = Object.entries(figures).map(([name, f]) => [
    name,
    f.fps.toFixed(1),
    f.worstFrameMs.toFixed(1),
    String(f.longTasks),
    f.longestTaskMs.toFixed(0),
    f.longTasks === 0 ? 'met' : 'MISSED',
  ]);
  const header = ['scenario', 'fps', 'worst frame ms', 'long tasks', 'longest task ms', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(figures, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
