// Debian's Chromium under playwright-core (never a downloaded browser: none can be fetched here).
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.MQ_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A desktop-sized page whose uncaught errors land in `pageErrors` (each test asserts it stays empty). */
export async function openPage(browser: Browser, pageErrors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.setDefaultTimeout(60_000);
  return page;
}
