import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Opens the live view of the emulator on `port` in headless Chromium, on its Journeys tab, where each
 * server-sent update makes the page read the journeys again: the rounds are measured with a developer
 * watching. `BENCH_LIVE_VIEW=0`, or no Chromium, leaves it closed. Resolves with what closes it, and
 * with whether it is open.
 */
export async function openLiveView(port: number): Promise<{ open: boolean; close: () => Promise<void> }> {
  if (process.env.BENCH_LIVE_VIEW === '0' || !existsSync(CHROMIUM)) {
    return { open: false, close: async () => undefined };
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/_emulate/`);
  await page.click('nav button[data-tab="journeys"]');
  await page.waitForSelector('#status:has-text("live")');
  return { open: true, close: () => browser.close() };
}

/** The bench's line saying whether the live view watched. */
export const liveViewNote = (open: boolean) =>
  open
    ? '  (the live view open in Chromium on its Journeys tab throughout)'
    : '  (the live view not open: BENCH_LIVE_VIEW=0 or no /usr/bin/chromium)';
