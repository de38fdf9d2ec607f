/**
 * Browser test of the split-sea page: Debian's Chromium driven by playwright-core against a real
 * `next start` on the real market data. Needs a build (`NEXT_DIST_DIR=.next-ui npx next build`,
 * then run with the same NEXT_DIST_DIR) and /usr/bin/chromium. Writes screenshots to artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { launchChromium } from './chromium';
import { dragHandle, thumbAt } from './drag';

const ADMIN_TOKEN = 'split-sea-browser-test';
const ARTIFACTS = path.resolve(__dirname, '../../artifacts');

let server: NextServer;
let context: BrowserContext;
let page: Page;
let profile: string;
/** Console errors and uncaught page errors, with the URL they came from. */
const consoleErrors: { text: string; url: string }[] = [];

/**
 * Hit-tests a grid of points over the FGI chart and counts, per `data-zone`, the points whose
 * topmost element is that zone's area: a zone is visible exactly when it gets hits.
 */
async function zoneHits(): Promise<Record<string, number>> {
  await page.mouse.move(0, 0); // no tooltip or cursor over the plot
  return page.locator('[data-testid="split-sea-chart"] svg').first().evaluate((svg) => {
    const box = svg.getBoundingClientRect();
    const hits: Record<string, number> = {};
    for (let x = box.left + 2; x < box.right - 2; x += box.width / 120) {
      for (let y = box.top + 2; y < box.bottom - 2; y += box.height / 60) {
        const zone = document.elementFromPoint(x, y)?.getAttribute('data-zone');
        if (zone) hits[zone] = (hits[zone] ?? 0) + 1;
      }
    }
    return hits;
  });
}

const badge = () => page.getByTestId('result-badge');
const summary = () => page.getByTestId('run-summary');
const metric = (key: string) => page.locator(`[aria-label="Backtest metrics"] [data-metric="${key}"] dd`).first();

/** Waits until the shown result answers `low/high` and no request is pending. */
async function waitForResult(low: number, high: number) {
  await expect.poll(() => summary().textContent(), { timeout: 60_000 }).toContain(`contrarian ${low}/${high}`);
  await expect.poll(() => badge().textContent(), { timeout: 60_000 }).not.toContain('updating');
}

beforeAll(async () => {
  server = await startNextServer({ CACHE_ADMIN_TOKEN: ADMIN_TOKEN });
  ({ context, profile } = await launchChromium());
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push({ text: message.text(), url: message.location().url });
  });
  page.on('pageerror', (error) => consoleErrors.push({ text: error.message, url: 'pageerror' }));
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

describe('split-sea page in Chromium', () => {
  let firstReturns: string | null = null;

  it('loads on the real data and draws the FGI water split by the thresholds', async () => {
    await page.goto(server.url);
    await waitForResult(25, 75);
    await expect.poll(() => badge().getAttribute('data-source')).toBe('computed');
    expect(await badge().textContent()).toMatch(/Computed\s*[\d.,]+\s*(ms|s)/);
    firstReturns = await metric('returns').textContent();
    expect(firstReturns).toMatch(/^[+-]?\d[\d,]*\.\d\d %$/);
    expect(await metric('finalEquity').textContent()).toMatch(/USDT$/);

    const hits = await zoneHits();
    expect(hits.fear ?? 0).toBeGreaterThan(0);
    expect(hits.neutral ?? 0).toBeGreaterThan(0);
    // The legend names all three zones with their bounds.
    for (const zone of ['fear', 'neutral', 'greed']) {
      await expect.poll(() => page.locator(`ul[aria-label="Chart legend"] li[data-zone="${zone}"]`).count()).toBe(1);
    }
  }, 120_000);

  it('moving the high threshold with the keyboard changes the result, the badge and the zones', async () => {
    const high = page.getByRole('slider', { name: 'High threshold' });
    await high.focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
    expect(await high.inputValue()).toBe('55');
    await waitForResult(25, 55);
    expect(await badge().getAttribute('data-source')).toBe('computed');
    expect(await metric('returns').textContent()).not.toBe(firstReturns);

    // The window's FGI reaches 60–70 in its first days (SOURCES.md data): greed water appears.
    const hits = await zoneHits();
    expect(hits.fear ?? 0).toBeGreaterThan(0);
    expect(hits.neutral ?? 0).toBeGreaterThan(0);
    expect(hits.greed ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it('answers the same request again from the cache', async () => {
    const high = page.getByRole('slider', { name: 'High threshold' });
    await high.focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
    await waitForResult(25, 75);
    await expect.poll(() => badge().getAttribute('data-source')).toBe('temporary');
    expect(await badge().textContent()).toMatch(/Temporary cache/);
    expect(await metric('returns').textContent()).toBe(firstReturns);
  }, 120_000);

  it('shows a 401 from clear in place, then warms the cache with the admin token to completion', async () => {
    await page.getByRole('button', { name: 'Clear temporary cache entries' }).click();
    await page.getByRole('button', { name: 'Confirm clear' }).click();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'Clear failed' }).textContent())
      .toMatch(/Clear failed \(HTTP 401\): .+Enter the admin token above\./);

    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Warm cache' }).click();
    const bar = page.getByRole('progressbar', { name: 'Cache warm-up progress' });
    await bar.waitFor();
    const total = Number(await bar.getAttribute('aria-valuemax'));
    expect(total).toBeGreaterThan(0);
    await expect.poll(() => bar.getAttribute('data-status'), { timeout: 240_000, interval: 500 }).toBe('done');
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(total);
    expect(await page.getByText(/^Done/).first().textContent()).toBeTruthy();

    await page.getByRole('button', { name: 'Clear temporary cache entries' }).click();
    await page.getByRole('button', { name: 'Confirm clear' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Cleared temporary' }).textContent())
      .toMatch(/removed \d+ entr(y|ies), freed/);
  }, 300_000);

  it('opens a URL with settings and shows them applied', async () => {
    await page.goto(`${server.url}/?asset=BTC&tf=1h&lev=5&low=30&high=70`);
    await expect.poll(() => summary().textContent(), { timeout: 60_000 }).toContain('BTC · 1h · 5× · contrarian 30/70');
    expect(await page.getByRole('radio', { name: 'BTC' }).isChecked()).toBe(true);
    expect(await page.getByRole('slider', { name: 'Low threshold' }).inputValue()).toBe('30');
    expect(await page.getByRole('slider', { name: 'Leverage' }).inputValue()).toBe('5');
    // The chart SVGs are named images, not Tab stops.
    const svgs = await page.locator('[data-testid="result-body"] svg').evaluateAll((all) =>
      all.map((svg) => ({ role: svg.getAttribute('role'), name: svg.querySelector('title')?.textContent ?? '', tab: svg.getAttribute('tabindex') })),
    );
    expect(svgs.length).toBeGreaterThanOrEqual(4); // split sea, position band, zoom brush, equity
    for (const svg of svgs) expect(svg).toMatchObject({ role: 'img', tab: null, name: expect.stringMatching(/\w/) });
  }, 120_000);

  it('drags a handle: the URL follows, one history entry per drag, and back returns the previous settings', async () => {
    await page.goto(`${server.url}/?asset=ETH&tf=4h&low=25&high=75`);
    await waitForResult(25, 75);
    const before = await page.evaluate(() => history.length);
    const low = page.getByRole('slider', { name: 'Low threshold' });
    await dragHandle(page, low, 25, 10, 1);
    const value = Number(await low.inputValue());
    expect(value).toBeGreaterThan(30);
    expect(new URL(page.url()).searchParams.get('low')).toBe(String(value));
    expect(await page.evaluate(() => history.length)).toBe(before + 1);
    await waitForResult(value, 75);

    await page.goBack();
    await expect.poll(() => low.inputValue()).toBe('25');
    expect(new URL(page.url()).search).toBe(''); // the defaults are written as plain /
    await waitForResult(25, 75);
  }, 120_000);

  it('draws each answer while the handle is still held: the chart follows the drag', async () => {
    await page.goto(`${server.url}/?asset=ETH&tf=4h&low=25&high=75`);
    await waitForResult(25, 75);
    const low = page.getByRole('slider', { name: 'Low threshold' });
    await low.scrollIntoViewIfNeeded();
    const fearBounds = page.locator('ul[aria-label="Chart legend"] li[data-zone="fear"]');
    const lowLine = page.locator('[data-testid="split-sea-chart"] line[data-threshold="low"]');
    const lineY = async () => Number(await lowLine.getAttribute('y1'));
    const startY = await lineY();
    const start = await thumbAt(page, low, 25);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    for (const value of [30, 35]) {
      const at = await thumbAt(page, low, value);
      await page.mouse.move(at.x, at.y, { steps: 5 });
      // Still pressed: the chart's zones and threshold line are those of the new answer.
      await expect.poll(() => fearBounds.textContent(), { timeout: 30_000 }).toContain(`≤ ${await low.inputValue()}`);
    }
    expect(await lineY()).toBeLessThan(startY); // a higher low threshold sits higher on the FGI axis
    await page.mouse.up();
  }, 120_000);

  it('downloads the trades and equity CSVs named after the cache key, and they parse', async () => {
    await page.goto(`${server.url}/?asset=ETH&tf=4h&low=25&high=75`);
    await waitForResult(25, 75);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Equity CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('ETH-4h-3x-25-75-contrarian-equity.csv');
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const rows = text.trimEnd().split('\r\n').map((line) => line.split(','));
    expect(rows[0]).toEqual(['time_utc', 'price_usdt', 'fgi', 'equity_usdt', 'buy_and_hold_usdt', 'position']);
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(6);
      expect(Date.parse(row[0])).not.toBeNaN();
      expect(Number(row[3])).toBeGreaterThan(0);
      expect(['long', 'short', 'flat']).toContain(row[5]);
    }
    const [trades] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Trades CSV' }).click()]);
    expect(trades.suggestedFilename()).toBe('ETH-4h-3x-25-75-contrarian-trades.csv');
    const tradeRows = fs.readFileSync((await trades.path())!, 'utf8').trimEnd().split('\r\n');
    expect(tradeRows[0]).toMatch(/^entry_time_utc,exit_time_utc,side,/);
    const shown = await page.getByRole('table', { name: /^Trades \(\d+\)$/ }).getAttribute('aria-label');
    expect(tradeRows.length - 1).toBe(Number(shown!.match(/\d+/)![0]));
  }, 120_000);

  it('says beside the dates what ran when a 15m range is clipped to the data', async () => {
    await page.goto(`${server.url}/?tf=15m&range=custom&from=2019-01-01&to=2025-12-31`);
    const notice = page.getByTestId('range-notice');
    await expect.poll(() => notice.textContent(), { timeout: 60_000 }).toMatch(/^Ran 2024-12-05 → 2025-11-30 UTC, not 2019-01-01 → 2025-12-31: .*15m data starts 2024-12-05/);
    expect(await page.getByLabel('From', { exact: true }).getAttribute('min')).toBe('2024-12-05');
  }, 120_000);

  it('keeps the summary in view at 390 px while a threshold is dragged', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/?asset=ETH&tf=4h&low=25&high=75`);
    await waitForResult(25, 75);
    const sticky = page.getByTestId('sticky-summary');
    const inView = () =>
      sticky.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
      });
    const high = page.getByRole('slider', { name: 'High threshold' });
    await high.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 200));
    expect(await inView()).toBe(true);
    await dragHandle(page, high, 75, 8, -1);
    expect(await inView()).toBe(true);
    await expect.poll(() => sticky.textContent(), { timeout: 60_000 }).toMatch(/Return[+-]?\d/);
    // Touch targets: toggles and the threshold handles are at least 44 px tall on a phone.
    const heights = await page.locator('fieldset label, input[type="range"]').evaluateAll((all) => all.map((el) => el.getBoundingClientRect().height));
    for (const height of heights) expect(height).toBeGreaterThanOrEqual(44);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);

  it('writes screenshots at 1280×800 and at 390 px wide', async () => {
    await page.goto(`${server.url}/?asset=ETH&tf=4h&low=25&high=75`);
    await waitForResult(25, 75);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(0, 0);
    const desktop = path.join(ARTIFACTS, 'page-1280x800.png');
    await page.screenshot({ path: desktop });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    // The charts follow the new width from a ResizeObserver, a frame or a task later: let them.
    await page
      .waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, undefined, { timeout: 5_000 })
      .catch(() => undefined); // measured and named below
    const overflow = await page.evaluate(() => ({
      by: document.documentElement.scrollWidth - window.innerWidth,
      // What sticks out (outside scroll containers), to name it when this fails.
      elements: Array.from(document.querySelectorAll('body *'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('[class*="scroll"]'))
        .slice(0, 8)
        .map((el) => `${el.tagName} ${el.getAttribute('class') ?? ''} ${el.getAttribute('data-testid') ?? ''}`),
    }));
    expect(overflow.by, overflow.elements.join('; ')).toBeLessThanOrEqual(0); // nothing wider than the phone
    const phone = path.join(ARTIFACTS, 'page-390-wide.png');
    await page.screenshot({ path: phone, fullPage: true });
    // Chromium's default scheme is light; the dark theme too, at 1280 × 800.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => window.scrollTo(0, 0));
    const dark = path.join(ARTIFACTS, 'page-1280x800-dark.png');
    await page.screenshot({ path: dark });
    await page.emulateMedia({ colorScheme: 'light' });
    for (const file of [desktop, phone, dark]) expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  }, 60_000);

  it('logged no console errors (besides the one expected 401 of the clear request)', () => {
    const unexpected = consoleErrors.filter(
      (e) => !(e.url.endsWith('/api/backtest/cache/clear') && e.text.includes('401')),
    );
    expect(unexpected).toEqual([]);
  });
});
