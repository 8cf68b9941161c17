import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (scripts/setup-system.sh), headless, as the browser tests and the screenshots drive it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
