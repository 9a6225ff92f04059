import { existsSync } from 'node:fs';
import { useSandbox } from '@kabar/sandbox/vitest';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotAgainst } from './test-setup.js';

// Debian's Chromium; .ci/run installs it when it is missing. Without it, a developer's run skips
// this file (and says so), while CI, which always has it, fails if it is gone.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runnable = existsSync(CHROMIUM) || process.env.CI !== undefined;
if (!runnable) console.warn(`inbox browser test skipped: no Chromium at ${CHROMIUM}`);

const sandbox = useSandbox();
let browser: Browser;

beforeAll(async () => {
  if (!runnable) return;
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(() => browser?.close());

describe.runIf(runnable)('the sandbox inbox in a real browser', () => {
  it('shows the bot’s buttons, and a click on one brings the bot’s answer in live', async () => {
    const bot = await startBotAgainst(sandbox);
    try {
      const page = await browser.newPage();
      await page.goto(sandbox.url);
      await sandbox.inbound({ provider: 'kirem', from: '6281234567890', text: 'bantuan' });

      // The conversation appears without a reload; open it and tap the bot's button.
      await page.getByText('6281234567890').first().click();
      const button = page.getByRole('button', { name: 'Tagihan' });
      await button.waitFor({ timeout: 10_000 });
      await button.click();

      const answer = page
        .locator('#thread')
        .getByText('Tim kami akan menghubungi Anda soal: Tagihan. Terima kasih!');
      await answer.waitFor({ timeout: 10_000 });
      expect(await answer.isVisible()).toBe(true);
    } finally {
      await bot.close();
    }
  });
});
