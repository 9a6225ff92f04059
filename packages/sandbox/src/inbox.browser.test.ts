import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  authSend,
  authTemplate,
  ctaUrl,
  customer,
  flow,
  interactive,
  locationRequest,
  productList,
  replyCarousel,
} from './cloud-api/fixtures.js';
import * as seed from './seed-examples.js';
import { call, sleep } from './test-helpers.js';
import { eventually, useSandbox } from './vitest.js';

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

  it('shows what went through Fonnte and Wablas, and a Fonnte customer writing in', async () => {
    const fonnteForm = new FormData();
    fonnteForm.append('target', '6281234567001');
    fonnteForm.append('message', 'Halo dari Fonnte');
    const viaFonnte = await fetch(`${sandbox.fonnte.baseUrl}/send`, {
      method: 'POST',
      headers: { authorization: sandbox.fonnte.token },
      body: fonnteForm,
    });
    expect(await viaFonnte.json()).toMatchObject({ status: true });
    const viaWablas = await fetch(`${sandbox.wablas.baseUrl}/api/send-message`, {
      method: 'POST',
      headers: { authorization: `${sandbox.wablas.token}.${sandbox.wablas.secretKey}` },
      body: new URLSearchParams({ phone: '6281234567002', message: 'Halo dari Wablas' }),
    });
    expect(await viaWablas.json()).toMatchObject({ status: true });
    await sandbox.inbound({
      provider: 'fonnte',
      from: '6281234567003',
      text: 'halo dari pelanggan',
    });

    await page.goto(sandbox.url);
    const shown: [string, string][] = [
      ['6281234567001', 'Halo dari Fonnte'],
      ['6281234567002', 'Halo dari Wablas'],
      ['6281234567003', 'halo dari pelanggan'],
    ];
    for (const [number, text] of shown) {
      await page.locator('.conversation', { hasText: number }).click();
      await page.locator('#thread .bubble', { hasText: text }).waitFor();
    }
  });

  it('files a send addressed by BSUID under that user id, and its buttons answer as it', async () => {
    const userId = 'ID.1502576394655843';
    const { to: _to, ...noPhone } = seed.sendButtons;
    const sent = await call(
      `${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`,
      { token: sandbox.meta.accessToken, json: { ...noPhone, recipient: userId } },
    );
    expect(sent.body.contacts).toEqual([{ input: userId, user_id: userId }]);
    await page.goto(sandbox.url);
    await page.locator('.conversation', { hasText: userId }).click();
    await page.locator('.actions button', { hasText: 'Ya, bersedia' }).click();
    const [answer] = await eventually(
      () => sandbox.messages({ direction: 'inbound' }),
      (found) => found.length > 0,
    );
    expect(answer).toMatchObject({ userId, text: 'Ya, bersedia' });
  });

  it('shows a carousel whose quick-reply button answers like a reply button', async () => {
    await sendKirem(interactive(replyCarousel));
    await page.goto(sandbox.url);
    const cards = page.locator('.carousel .card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(3);
    await expect
      .poll(() => page.locator('.carousel').evaluate((node) => getComputedStyle(node).overflowX))
      .toBe('auto');
    await cards.nth(1).locator('button', { hasText: 'Simpan' }).click();

    const replies = await eventually(
      () => sandbox.messages({ direction: 'inbound' }),
      (messages) => messages.length > 0,
    );
    expect(replies[0]).toMatchObject({ from: customer, type: 'interactive', text: 'Simpan' });
    expect(replies[0]?.payload).toMatchObject({
      data: { interactive: { button_reply: { id: 'card-1-1', title: 'Simpan' } } },
    });
  });

  it('shows a CTA URL message as its text and a link that opens the URL apart', async () => {
    const sent = await call(
      `${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`,
      { token: sandbox.meta.accessToken, json: interactive(ctaUrl) },
    );
    expect(sent.status).toBe(200);
    await page.goto(sandbox.url);
    const bubble = page.locator('#thread .bubble', { hasText: ctaUrl.body.text });
    await bubble.waitFor();
    const link = bubble.locator('a.cta');
    expect(await link.textContent()).toBe('↗ Lihat jadwal');
    expect(await link.getAttribute('href')).toBe('https://kabar.test/jadwal?ref=wa');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
    expect(await bubble.locator('.header-media img').getAttribute('src')).toBe(
      'https://kabar.test/banner.png',
    );
    expect(await bubble.locator('.footer').textContent()).toBe('Jadwal bisa berubah.');
  });

  it("shows an authentication template's code with a Copy code button", async () => {
    const created = await call(`${sandbox.kirem.baseUrl}/v1/templates`, {
      token: sandbox.kirem.apiKey,
      json: authTemplate('kode_masuk'),
    });
    expect(created.status).toBe(200);
    await sandbox.setTemplateStatus('kirem', 'kode_masuk', 'APPROVED');
    expect((await sendKirem(authSend('kode_masuk', '482913'))).status).toBe(201);
    await page.goto(sandbox.url);
    const bubble = page.locator('#thread .bubble', { hasText: 'is your verification code' });
    await bubble.waitFor();
    expect(await bubble.locator('.otp').textContent()).toBe('482913');
    expect(await bubble.locator('.footer').textContent()).toBe('This code expires in 10 minutes.');
    const copy = bubble.locator('button.copy-code');
    expect(await copy.textContent()).toBe('⧉ Copy code');
    await copy.click();
    await page.locator('button.copy-code', { hasText: /Copied|482913/ }).waitFor();
  });

  it('renders the other new kinds and shows a typing indicator', async () => {
    const messages = [
      interactive(productList([2, 1])),
      interactive(flow),
      interactive(locationRequest),
    ];
    for (const message of messages) expect((await sendKirem(message)).status).toBe(201);
    await page.goto(sandbox.url);
    await page.locator('.products .section-title', { hasText: 'Bagian 2' }).waitFor();
    expect(await page.locator('.products .product').count()).toBe(3);

    await page.locator('.actions button', { hasText: 'Daftar' }).click();
    expect(await page.locator('.flow-info').textContent()).toBe(
      'Flow 1197715005513101 · navigate → WELCOME · published',
    );

    await page.locator('.actions button', { hasText: 'Send location' }).click();
    const [shared] = await eventually(
      () => sandbox.messages({ direction: 'inbound' }),
      (found) => found.length > 0,
    );
    expect(shared).toMatchObject({ type: 'location', from: customer });

    const read = await call(`${sandbox.kirem.baseUrl}/v1/messages/read`, {
      token: sandbox.kirem.apiKey,
      json: { ...seed.readReceipt, message_id: shared?.id, typing_indicator: { type: 'text' } },
    });
    expect(read.status).toBe(200);
    await page.locator('.conversation .last.typing', { hasText: 'typing…' }).waitFor();
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
    // Polled: a late re-render (the initial load landing after the status) can detach the node
    // between finding it and reading its style, which then reads ''.
    await expect
      .poll(() => ticks.evaluate((node) => getComputedStyle(node).color))
      .toBe('rgb(83, 189, 235)');
  });

  it('shows why a send outside the 24-hour window failed, on the bubble', async () => {
    await sandbox.setEnforceWindow(true);
    await page.goto(sandbox.url);
    await page.locator('#live', { hasText: 'live' }).waitFor();
    await call(`${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`, {
      token: sandbox.meta.accessToken,
      json: seed.sendText,
    });
    const reason = page.locator('.bubble.outbound .failure');
    await reason.waitFor();
    expect(await reason.textContent()).toBe(
      '⚠ Not delivered: #131047 Re-engagement message — More than 24 hours have passed since the recipient last replied to the sender number.',
    );
    await expect
      .poll(() => reason.evaluate((node) => getComputedStyle(node).color))
      .toBe('rgb(209, 36, 47)');
    expect(await page.locator('.ticks.failed').textContent()).toBe(' ⚠');
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
