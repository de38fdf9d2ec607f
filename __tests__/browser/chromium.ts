/**
 * Debian's Chromium driven by playwright-core, as the browser tests and `npm run bench:page` use
 * it: /usr/bin/chromium (`apt-get install -y chromium`), headless, with the flags this machine's
 * closed network needs, in a fresh persistent profile under the OS temp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

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

/** A Chromium context at 1280×800 with its own new profile folder (`profile`, remove it after closing). */
export async function launchChromium(): Promise<{ context: BrowserContext; profile: string }> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'splitsea-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
  });
  return { context, profile };
}
