/**
 * Browser test of the split-sea page: Debian's Chromium driven by playwright-core against a real
 * `next start` on the real market data. Needs a build (`NEXT_DIST_DIR=.next-ui npx next build`,
 * then run with the same NEXT_DIST_DIR) and /usr/bin/chromium. Writes screenshots to artifacts/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
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
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  server = await startNextServer({ CACHE_ADMIN_TOKEN: ADMIN_TOKEN });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
  });
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

  it('writes screenshots at 1280×800 and at 390 px wide', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(0, 0);
    const desktop = path.join(ARTIFACTS, 'page-1280x800.png');
    await page.screenshot({ path: desktop });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0); // nothing wider than the phone
    const phone = path.join(ARTIFACTS, 'page-390-wide.png');
    await page.screenshot({ path: phone, fullPage: true });
    for (const file of [desktop, phone]) expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 60_000);

  it('logged no console errors (besides the one expected 401 of the clear request)', () => {
    const unexpected = consoleErrors.filter(
      (e) => !(e.url.endsWith('/api/backtest/cache/clear') && e.text.includes('401')),
    );
    expect(unexpected).toEqual([]);
  });
});
