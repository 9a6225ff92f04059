import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as seed from './seed-examples';
import { call, sleep } from './test-helpers';
import { eventually, useSandbox } from './vitest';

// Debian's Chromium; .ci/run installs it when it is missing. Without it, a developer's run skips
// this file (and says so), while CI, which always has it, fails if it is gone.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runnable = existsSync(CHROMIUM) || process.env.CI !== undefined;
if (!runnable) console.warn(`inbox browser test skipped: no Chromium at ${CHROMIUM}`);

const sandbox = useSandbox();
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!runnable) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(() => browser?.close());
beforeEach(async () => {
  if (runnable) page = await browser.newPage({ acceptDownloads: true });
});
afterEach(() => page?.close());

const sendKirem = (body: unknown) =>
  call(`${sandbox.kirem.baseUrl}/v1/messages`, { token: sandbox.kirem.apiKey, json: body });

describe.runIf(runnable)('the inbox in Chromium, under its Content-Security-Policy', () => {
  it('runs its own script and style and shows messages live, but no injected script', async () => {
    await page.goto(sandbox.url);
    await page.locator('#live', { hasText: 'live' }).waitFor();
    await sandbox.inbound({ provider: 'kirem', from: '6281234567890', text: 'halo' });
    await page.getByText('6281234567890').first().waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.body).display)).toBe('flex');

    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      return (window as { injected?: boolean }).injected === true;
    });
    expect(ran).toBe(false);
  });

  it('posts a tapped reply button to the control API, which takes it from its own page', async () => {
    await sendKirem(seed.sendButtons);
    await page.goto(sandbox.url);
    await page.locator('.actions button', { hasText: 'Ya, bersedia' }).click();

    const replies = await eventually(
      () => sandbox.messages({ direction: 'inbound' }),
      (messages) => messages.length > 0,
    );
    expect(replies).toMatchObject([
      { from: '62812345678', type: 'interactive', text: 'Ya, bersedia' },
    ]);
  });

  it('shows a BSUID-only customer as a conversation and writes back as that BSUID', async () => {
    const userId = 'ID.1502576394655843';
    await sandbox.inbound({ provider: 'meta', userId, text: 'halo dari username' });
    await page.goto(sandbox.url);
    await page.locator('.conversation', { hasText: userId }).click();
    await page.locator('#thread .bubble', { hasText: 'halo dari username' }).waitFor();
    expect(await page.locator('#composer [name=from]').inputValue()).toBe(userId);

    await page.locator('#composer [name=text]').fill('balasan');
    await page.locator('#composer button').click();
    const messages = await eventually(
      () => sandbox.messages({ userId }),
      (found) => found.length === 2,
    );
    expect(messages[0]).toMatchObject({ provider: 'meta', userId, text: 'balasan' });
    expect(messages[0]?.from).toBeUndefined();
  });

  it('shows a played voice message with blue ticks', async () => {
    const sent = await call(
      `${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`,
      {
        token: sandbox.meta.accessToken,
        json: {
          messaging_product: 'whatsapp',
          to: '6281234567890',
          type: 'audio',
          audio: { link: 'https://kabar.test/voice.ogg' },
        },
      },
    );
    await page.goto(sandbox.url);
    await sandbox.setMessageStatus(sent.body.messages[0].id, 'played');
    const ticks = page.locator('.ticks.played');
    await ticks.waitFor();
    expect(await ticks.textContent()).toBe(' ✓✓ ▶');
    expect(await ticks.evaluate((node) => getComputedStyle(node).color)).toBe('rgb(83, 189, 235)');
  });

  it('saves an HTML file sent as a document instead of running it at its origin', async () => {
    // Opened as a page at the sandbox's origin, this would write in as a customer of its own.
    const attack = `<script>fetch('${sandbox.url}/api/v1/inbound', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'kirem', from: '6289999999999', text: 'pwned' }),
    })</script>`;
    const form = new FormData();
    form.append('file', new Blob([attack], { type: 'text/html' }), 'invoice.html');
    const uploaded = await call(`${sandbox.kirem.baseUrl}/v1/media`, {
      token: sandbox.kirem.apiKey,
      body: form,
    });
    await sendKirem({
      messaging_product: 'whatsapp',
      to: '62812345678',
      type: 'document',
      document: { id: uploaded.body.data.id, filename: 'invoice.html' },
    });
    await page.goto(sandbox.url);

    const download = page.waitForEvent('download');
    await page.locator('.bubble a', { hasText: 'invoice.html' }).click();
    expect((await download).suggestedFilename()).toBe('invoice.html');
    await sleep(1000);
    expect(await sandbox.messages({ from: '6289999999999' })).toEqual([]);
  });
});
