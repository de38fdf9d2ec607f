/**
 * `npm run bench:page [-- --json FILE]`: how smooth dragging a threshold is in the browser.
 * Starts `next start` (building first if needed) on a free loopback port with a temporary
 * CACHE_DIR, drives Debian's Chromium (/usr/bin/chromium) with playwright-core, and for each
 * window — the default (ETH 4h, trailing 90 days) and one year of 1h bars (ETH 1h, 2024) —
 * drags the low threshold handle 30 steps with the mouse (one value per move, 60 ms apart, and a
 * 400 ms dwell after every 5th step, longer than the page's 150 ms debounce plus a cached answer,
 * so answers arrive during the drag — with 60 ms steps alone the debounce would send nothing
 * until the release on a fast machine), then keeps measuring 1.5 s while the last answer is drawn.
 * A plain mouse movement over the page (no drag) is measured first as the baseline. Reports,
 * for the drag itself (button pressed → released) and for the settle time after the release
 * apart — the target is about the drag, and the page draws the last answer's charts after the
 * release — frames per second and the worst frame (requestAnimationFrame intervals, ms), and the
 * main thread's long tasks (> 50 ms, PerformanceObserver `longtask`): count and longest; long
 * animation frames (> 50 ms from the frame's start to its paint, `long-animation-frame`), the
 * longest one and its blocking time (main-thread work in it past 50 ms); the
 * backtest answers that arrived, and the split-sea chart's redraws (commits that changed its
 * SVG, MutationObserver), which show the chart following the answers.
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
/** Every DWELL_EVERY steps the pointer rests DWELL_MS (still pressed), as a trader reading a result does. */
const DWELL_EVERY = 5;
const DWELL_MS = 400;
const pauseAfter = (step: number) => (step % DWELL_EVERY === 0 && step < STEPS ? DWELL_MS : STEP_PAUSE_MS);
const SETTLE_MS = 1_500;

const { values } = parseArgs({ options: { json: { type: 'string' }, help: { type: 'boolean' } } });
if (values.help) {
  console.log('Usage: npm run bench:page [-- --json FILE]');
  process.exit(0);
}

/** Frames and long tasks of one phase of an interaction. */
interface PhaseFigures {
  fps: number;
  worstFrameMs: number;
  longTasks: number;
  longestTaskMs: number;
  durationMs: number;
  /** Backtest answers (`POST /api/backtest/execute` responses) that arrived in the phase. */
  answers: number;
  /** Commits that changed the split-sea chart's SVG in the phase. */
  redraws: number;
  /** Long animation frames (> 50 ms, PerformanceObserver `long-animation-frame`): count, longest and its blocking time (main-thread work past 50 ms), ms. */
  longFrames: number;
  longestFrameMs: number;
  longestFrameBlockingMs: number;
}

/** One measured interaction: while the action runs (the drag) and the settle time after it. */
interface Figures {
  during: PhaseFigures;
  after: PhaseFigures;
}

/**
 * Installed before any page script: records long tasks (start, duration), animation frame times,
 * the arrival times of backtest answers and the times the split-sea chart's SVG changed while
 * `__bench.on` is true. Plain JavaScript text (a function would be compiled with tsx helpers the
 * page lacks).
 */
const RECORDER = `(() => {
  const state = { on: false, frames: [], tasks: [], answers: [], redraws: [], loafs: [] };
  window.__bench = state;
  new PerformanceObserver((list) => {
    if (state.on) for (const entry of list.getEntries()) state.loafs.push([entry.startTime, entry.duration, entry.blockingDuration]);
  }).observe({ type: 'long-animation-frame', buffered: false });
  new MutationObserver((records) => {
    if (state.on && records.some((r) => r.target instanceof Element && r.target.closest('[data-testid="split-sea-chart"] svg'))) {
      state.redraws.push(performance.now());
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['d'] });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (state.on && entry.name.includes('/api/backtest/execute')) state.answers.push(entry.responseEnd);
    }
  }).observe({ type: 'resource', buffered: false });
  new PerformanceObserver((list) => {
    if (state.on) for (const entry of list.getEntries()) state.tasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: false });
  const tick = (time) => {
    if (state.on) state.frames.push(time);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

interface Recorded {
  frames: number[];
  tasks: [start: number, duration: number][];
  answers: number[];
  redraws: number[];
  loafs: [start: number, duration: number, blocking: number][];
}

/** Figures of the frames and the tasks that started in [from, to) (page clock, ms). */
function phase({ frames, tasks, answers, redraws, loafs }: Recorded, from: number, to: number): PhaseFigures {
  const inPhase = frames.filter((t) => t >= from && t < to);
  const gaps = inPhase.slice(1).map((t, i) => t - inPhase[i]);
  const durationMs = inPhase.length > 1 ? inPhase[inPhase.length - 1] - inPhase[0] : 0;
  const long = tasks.filter(([start]) => start >= from && start < to).map(([, duration]) => duration);
  return {
    fps: durationMs > 0 ? (gaps.length / durationMs) * 1_000 : 0,
    worstFrameMs: gaps.length ? Math.max(...gaps) : 0,
    longTasks: long.length,
    longestTaskMs: long.length ? Math.max(...long) : 0,
    durationMs,
    answers: answers.filter((t) => t >= from && t < to).length,
    redraws: redraws.filter((t) => t >= from && t < to).length,
    ...longestFrame(loafs.filter(([start]) => start >= from && start < to)),
  };
}

/** Count of long animation frames, the longest one's duration and its blocking time. */
function longestFrame(loafs: Recorded['loafs']): Pick<PhaseFigures, 'longFrames' | 'longestFrameMs' | 'longestFrameBlockingMs'> {
  const longest = loafs.reduce<Recorded['loafs'][number] | null>((max, loaf) => (!max || loaf[1] > max[1] ? loaf : max), null);
  return { longFrames: loafs.length, longestFrameMs: longest?.[1] ?? 0, longestFrameBlockingMs: longest?.[2] ?? 0 };
}

const pageNow = (page: Page) => page.evaluate(() => performance.now());

async function measure(page: Page, action: () => Promise<void>): Promise<Figures> {
  await page.evaluate(() => {
    const b = (window as unknown as { __bench: { on: boolean } & Recorded }).__bench;
    b.frames = [];
    b.tasks = [];
    b.answers = [];
    b.redraws = [];
    b.loafs = [];
    b.on = true;
  });
  const start = await pageNow(page);
  await action();
  const released = await pageNow(page);
  await page.waitForTimeout(SETTLE_MS);
  const recorded = await page.evaluate(() => {
    const b = (window as unknown as { __bench: { on: boolean } & Recorded }).__bench;
    b.on = false;
    return { frames: b.frames, tasks: b.tasks, answers: b.answers, redraws: b.redraws, loafs: b.loafs };
  });
  return { during: phase(recorded, start, released), after: phase(recorded, released, Infinity) };
}

/** Opens `query`, waits for its first result and heatmap, then measures a 30-step drag of the low handle. */
async function dragScenario(page: Page, base: string, query: string): Promise<Figures> {
  await page.goto(`${base}/${query}`);
  await page.getByTestId('run-summary').waitFor({ timeout: 120_000 });
  await page.getByTestId('heatmap-caption').filter({ hasText: /computed in/ }).waitFor({ timeout: 120_000 });
  await page.waitForTimeout(500);
  const low = page.getByRole('slider', { name: 'Low threshold' });
  const from = Number(await low.inputValue());
  return measure(page, () => dragHandle(page, low, from, STEPS, 1, pauseAfter));
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

  console.log(
    `\nSplit Sea page benchmark — ${new Date().toISOString()} — ${STEPS} steps, ${STEP_PAUSE_MS} ms apart, ${DWELL_MS} ms dwell every ${DWELL_EVERY}, + ${SETTLE_MS} ms settle`,
  );
  console.log('target: no main-thread task over 50 ms while dragging (page issue)\n');
  const rows = Object.entries(figures).flatMap(([name, { during, after }]) => [
    [name, 'during', during, during.longTasks === 0 ? 'met' : 'MISSED'],
    ['', 'after release', after, ''],
  ] as const).map(([name, when, f, target]) => [
    name,
    when,
    f.fps.toFixed(1),
    f.worstFrameMs.toFixed(1),
    String(f.longTasks),
    f.longestTaskMs.toFixed(0),
    `${f.longFrames} (${f.longestFrameMs.toFixed(0)}/${f.longestFrameBlockingMs.toFixed(0)})`,
    (f.durationMs / 1_000).toFixed(1),
    String(f.answers),
    String(f.redraws),
    target,
  ]);
  const header = ['scenario', 'phase', 'fps', 'worst frame ms', 'long tasks', 'longest task ms', 'long frames (longest/blocking ms)', 's', 'answers', 'chart redraws', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(figures, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
