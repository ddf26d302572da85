// Debian's Chromium under playwright-core (never a downloaded browser: none can be fetched here).
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.MQ_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
