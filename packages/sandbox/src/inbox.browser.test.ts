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
import { call, sleep, useReceiver } from './test-helpers.js';
import { eventually, useSandbox } from './vitest.js';

// Debian's Chromium; .ci/run installs it when it is missing. Without it, a developer's run skips
// this file (and says so), while CI, which always has it, fails if it is gone.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runnable = existsSync(CHROMIUM) || process.env.CI !== undefined;
if (!runnable) console.warn(`inbox browser test skipped: no Chromium at ${CHROMIUM}`);

const sandbox = useSandbox();
const receiver = useReceiver();
let browser: Browser;
let page: Page;

// Chromium's first start can take more than the default 10 s while CI runs four suites at once.
beforeAll(async () => {
  if (!runnable) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);
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

/** `count` customer messages, many at a time, so thousands take a few seconds. */
async function writeIn(count: number, message: (i: number) => { from: string; text: string }) {
  for (let start = 0; start < count; start += 100) {
    const batch = Array.from({ length: Math.min(100, count - start) }, (_, k) => start + k);
    await Promise.all(batch.map((i) => sandbox.inbound({ provider: 'kirem', ...message(i) })));
  }
}

/** A page of its own (a size, a colour scheme), closed after the test with the shared one. */
async function pageWith(options: Parameters<Browser['newPage']>[0]): Promise<Page> {
  await page.close();
  page = await browser.newPage(options);
  return page;
}

describe.runIf(runnable)('the inbox: search, detail, webhook log and controls', () => {
  it('finds one message among 2,000 and opens its conversation at it', {
    timeout: 60_000,
  }, async () => {
    const customer = '6281399990000';
    const found = await sandbox.inbound({
      provider: 'meta',
      from: customer,
      text: 'nomor resi JX-4471-KB',
    });
    // The match is older than the first page of its own conversation, and than most others.
    await writeIn(2000, (i) => ({
      from: i % 10 === 0 ? customer : `62812${String(i % 190).padStart(7, '0')}`,
      text: `pesan rutin ${i}`,
    }));
    await page.goto(sandbox.url);
    await page.locator('#count', { hasText: '2,001' }).waitFor();
    expect(await page.locator('.conversation').count()).toBe(50);
    await page.locator('#more-conversations').click();
    await expect.poll(() => page.locator('.conversation').count()).toBe(100);

    await page.keyboard.press('/');
    await page.keyboard.type('jx-4471');
    const hit = page.locator('.conversation', { hasText: customer });
    await page.locator('#result-count', { hasText: '1 conversation matches' }).waitFor();
    expect(await page.locator('.conversation').count()).toBe(1);
    expect(await hit.locator('mark').textContent()).toBe('JX-4471');
    await hit.click();
    const match = page.locator('#thread .bubble.match');
    await match.waitFor();
    expect(await match.textContent()).toContain('nomor resi JX-4471-KB');
    await expect
      .poll(() =>
        match.evaluate((node) => {
          const box = node.getBoundingClientRect();
          const pane = (document.getElementById('thread') as HTMLElement).getBoundingClientRect();
          return box.top >= pane.top && box.bottom <= pane.bottom;
        }),
      )
      .toBe(true);

    for (const query of [found.message.id, '+62 813-9999-0000']) {
      await page.locator('#search').fill(query);
      await page.locator('#result-count', { hasText: '1 conversation matches' }).waitFor();
      await hit.waitFor();
    }
    await page.locator('#filter-direction').selectOption('outbound');
    await page.locator('.empty-list', { hasText: 'No message matches.' }).waitFor();
  });

  it('shows the request the gateway received, without the Authorization header in clear', async () => {
    const sent = await call(`${sandbox.kirem.baseUrl}/v1/messages`, {
      token: sandbox.kirem.apiKey,
      json: seed.sendText,
      headers: { 'idempotency-key': 'pesanan-12' },
    });
    const id = sent.body.data.messages[0].id;
    await page.goto(sandbox.url);
    await page
      .locator('#thread .bubble', { hasText: 'Halo dari Kirem!' })
      .locator('.details-button')
      .click();

    const detail = page.locator('#detail');
    await detail.locator('.request-line', { hasText: 'POST /kirem/v1/messages' }).waitFor();
    expect(await detail.locator('.request-body').textContent()).toBe(JSON.stringify(seed.sendText));
    const headers = detail.locator('.request-headers tr', { hasText: 'authorization' });
    expect(await headers.locator('td').allTextContents()).toEqual([
      'authorization',
      'Bearer [redacted]',
    ]);
    expect(await detail.textContent()).not.toContain(sandbox.kirem.apiKey);
    expect(await detail.locator('tr', { hasText: 'idempotency key' }).textContent()).toContain(
      'pesanan-12',
    );
    expect(await detail.locator('.history li').first().textContent()).toMatch(/^accepted · /);
    expect(JSON.parse((await detail.locator('.message-json').textContent()) ?? '')).toMatchObject({
      id,
      idempotencyKey: 'pesanan-12',
    });

    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
  });

  it('rejects and approves a template from the page; a send refused before then goes through', async () => {
    expect((await sendKirem(seed.sendPromoTemplate)).status).toBe(400);
    await page.goto(sandbox.url);
    await page.locator('#tab-controls').click();
    const row = page
      .locator('.template-row')
      .filter({ hasText: 'kirem' })
      .filter({ hasText: 'promo_diskon_baru' });

    await row.getByRole('button', { name: 'Reject' }).click();
    await row.locator('.template-status', { hasText: 'REJECTED' }).waitFor();
    expect((await sendKirem(seed.sendPromoTemplate)).status).toBe(400);

    await row.getByRole('button', { name: 'Approve' }).click();
    await row.locator('.template-status', { hasText: 'APPROVED' }).waitFor();
    expect((await sendKirem(seed.sendPromoTemplate)).status).toBe(201);
    await page.locator('#tab-inbox').click();
    await page.locator('#thread .bubble', { hasText: 'nikmati diskon HEMAT50%' }).waitFor();
  });

  it('lists each webhook delivery attempt, and redelivering from the log adds one', async () => {
    await sandbox.setWebhook('meta', { url: `${receiver.url}/hooks/meta` });
    await sandbox.inbound({ provider: 'meta', from: '6281234567890', text: 'halo webhook' });
    await page.goto(sandbox.url);
    await page.locator('#tab-deliveries').click();

    const rows = page.locator('#delivery-list .delivery');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const first = rows.first();
    expect(await first.locator('.badge').textContent()).toBe('200');
    expect(await first.locator('.url').textContent()).toBe(`POST ${receiver.url}/hooks/meta`);
    expect(await first.locator('.latency').textContent()).toMatch(/^\d+ ms$/);
    expect(await first.textContent()).toContain('attempt 1');
    await first.locator('summary', { hasText: 'Request' }).click();
    expect(await first.locator('details pre').first().textContent()).toContain('halo webhook');

    await first.locator('.redeliver').click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('attempt 2');
    expect(await page.locator('#deliveries').textContent()).toBe('2');
    await page.locator('.toast', { hasText: 'Redelivered (attempt 2): 200' }).waitFor();
    expect(await sandbox.deliveries()).toHaveLength(2);
    expect(receiver.received).toHaveLength(2);
  });

  it('shows a failed Kirem delivery retried on its own, then redelivered from the log', async () => {
    // The consumer is down for the first POST and back for the automatic retry.
    let calls = 0;
    receiver.respond = () =>
      ++calls === 1 ? { status: 503, body: 'down' } : { status: 200, body: 'ok' };
    await sandbox.setKiremWebhookRetry([200]);
    await sandbox.setWebhook('kirem', { url: `${receiver.url}/hooks/kirem` });
    // The page is live before the first POST, so both attempts arrive as they happen.
    await page.goto(sandbox.url);
    await page.locator('#live', { hasText: 'live' }).waitFor();
    await page.locator('#tab-deliveries').click();
    await sandbox.inbound({ provider: 'kirem', from: '6281234567890', text: 'halo retry' });

    const rows = page.locator('#delivery-list .delivery');
    await expect.poll(() => rows.count(), { timeout: 5000 }).toBe(2);
    // Newest first: the automatic retry that succeeded, above the first attempt that failed.
    expect(await rows.nth(0).locator('.badge').textContent()).toBe('200');
    expect(await rows.nth(0).textContent()).toContain('attempt 2');
    expect(await rows.nth(1).locator('.badge').textContent()).toBe('503');
    expect(await rows.nth(1).textContent()).toContain('attempt 1');

    await rows.nth(1).locator('.redeliver').click();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.first().textContent()).toContain('attempt 3');
    expect(receiver.received.map((r) => r.path)).toEqual([
      '/hooks/kirem',
      '/hooks/kirem',
      '/hooks/kirem',
    ]);
  });

  it('keeps a delivery that arrives live while the webhook log is loading', async () => {
    await sandbox.setWebhook('meta', { url: `${receiver.url}/hooks/meta` });
    await sandbox.inbound({ provider: 'meta', from: '6281234567890', text: 'sebelum' });
    await page.goto(sandbox.url);
    await page.locator('#live', { hasText: 'live' }).waitFor();
    // Hold the log's answer, as a slow network would, until a new delivery has come in live.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/v1/webhooks/deliveries', async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await page.locator('#tab-deliveries').click();
    await sandbox.inbound({ provider: 'meta', from: '6281234567890', text: 'sesudah' });
    await page.locator('#deliveries', { hasText: '2' }).waitFor();
    release();

    const rows = page.locator('#delivery-list .delivery');
    await expect.poll(() => rows.count()).toBe(2);
    await page.unroute('**/api/v1/webhooks/deliveries');
  });

  it('drives faults, the 24-hour window, sessions and reset from the Controls view', async () => {
    await sendKirem(seed.sendText);
    await page.goto(sandbox.url);
    await page.locator('#tab-controls').click();

    const form = page.locator('#fault-form');
    await form.locator('[name=provider]').selectOption('kirem');
    await form.locator('[name=path]').fill('/v1/messages');
    await form.locator('[name=status]').fill('503');
    await form.locator('[name=times]').fill('1');
    await form.getByRole('button', { name: 'Add fault' }).click();
    await page.locator('.fault-row', { hasText: 'answer 503' }).waitFor();
    expect((await sendKirem(seed.sendText)).status).toBe(503);
    await page.locator('#clear-faults').click();
    await page.locator('#fault-list', { hasText: 'No faults' }).waitFor();

    await page.locator('#enforce-window').check();
    await expect.poll(async () => (await sandbox.settings()).enforceWindow).toBe(true);

    await page.locator('.session-row', { hasText: 'Waviro bot' }).getByRole('button').click();
    await page.locator('.session-row', { hasText: /logged out · scan QR 2@/ }).waitFor();
    await page.locator('.session-row', { hasText: 'Kirimy cadangan' }).getByRole('button').click();
    await page
      .locator('.session-row', { hasText: 'Kirimy cadangan' })
      .filter({ hasText: 'inactive' })
      .waitFor();
    expect((await sandbox.kirimySessions()).find((s) => s.id === 'cadangan')?.active).toBe(false);

    const reset = page.locator('#reset-sandbox');
    await reset.click();
    await reset.filter({ hasText: 'Click again to reset' }).click();
    await page.locator('.toast', { hasText: 'Sandbox reset' }).waitFor();
    expect(await sandbox.messages()).toEqual([]);
    expect((await sandbox.settings()).enforceWindow).toBe(false);
    await page.locator('.session-row', { hasText: 'logged in as 6283812345678' }).waitFor();
  });

  it('adds a fault with a probability from the Controls view; at 0 it never hits', async () => {
    await page.goto(sandbox.url);
    await page.locator('#tab-controls').click();
    const form = page.locator('#fault-form');
    await form.locator('[name=provider]').selectOption('kirem');
    await form.locator('[name=path]').fill('/v1/messages');
    await form.locator('[name=status]').fill('503');
    await form.locator('[name=probability]').fill('0');
    await form.getByRole('button', { name: 'Add fault' }).click();
    await page.locator('.fault-row', { hasText: 'probability 0' }).waitFor();

    const listed = await call(`${sandbox.url}/api/v1/faults`);
    expect(listed.body.faults).toMatchObject([
      { provider: 'kirem', path: '/v1/messages', status: 503, probability: 0 },
    ]);
    for (let i = 0; i < 3; i++) expect((await sendKirem(seed.sendText)).status).toBe(201);
  });

  it('adds a Kirem webhook target with a keyword rule from the Controls view, and removes it', async () => {
    const secret = 'rahasia_promo_1234';
    await page.goto(sandbox.url);
    await page.locator('#tab-controls').click();
    await page.locator('#kirem-target-list', { hasText: 'No routing targets' }).waitFor();

    const form = page.locator('#kirem-target-form');
    await form.locator('[name=url]').fill(`${receiver.url}/promo`);
    await form.locator('[name=targetId]').fill('promo');
    await form.locator('[name=secret]').fill(secret);
    await form.locator('[name=keyword]').fill('promo');
    await form.getByRole('button', { name: 'Add target' }).click();
    const row = page.locator('.kirem-target-row', { hasText: 'promo' });
    await row.locator('.target-rules', { hasText: 'keyword promo' }).waitFor();
    expect(await row.locator('.url').textContent()).toBe(`${receiver.url}/promo`);
    expect(await row.textContent()).toContain('signed with own secret');
    // Cleared once added, so the secret does not linger in the form either.
    expect(await form.locator('[name=secret]').inputValue()).toBe('');
    expect(await page.locator('body').textContent()).not.toContain(secret);
    expect(await page.content()).not.toContain(secret);
    expect(await sandbox.kiremWebhookTargets()).toEqual([
      { id: 'promo', url: `${receiver.url}/promo`, secret, rules: [{ keyword: 'promo' }] },
    ]);

    await sandbox.inbound({ provider: 'kirem', from: '6281234567890', text: 'ada promo?' });
    expect(receiver.received.map((r) => r.path)).toEqual(['/promo']);
    expect(receiver.received[0]?.json).toMatchObject({ data: { text: { body: 'ada promo?' } } });
    await sandbox.inbound({ provider: 'kirem', from: '6281234567890', text: 'halo saja' });
    expect(receiver.received).toHaveLength(1);

    await row.getByRole('button', { name: 'Remove' }).click();
    await page.locator('#kirem-target-list', { hasText: 'No routing targets' }).waitFor();
    expect(await sandbox.kiremWebhookTargets()).toEqual([]);
  });

  it("shows a target without a secret as signed with Kirem's, and a refused one as a toast", async () => {
    await page.goto(sandbox.url);
    await page.locator('#tab-controls').click();
    const form = page.locator('#kirem-target-form');
    await form.locator('[name=url]').fill(`${receiver.url}/pesanan`);
    await form.locator('[name=type]').selectOption('text');
    await form.locator('[name=from]').fill('62812');
    await form.locator('[name=regex]').fill('^ORDER-');
    await form.getByRole('button', { name: 'Add target' }).click();
    const row = page.locator('.kirem-target-row', { hasText: '/pesanan' });
    await row
      .locator('.target-rules', { hasText: 'type text · from 62812 · regex ^ORDER-' })
      .waitFor();
    expect(await row.textContent()).toContain("signed with Kirem's webhook secret");

    await form.locator('[name=url]').fill(`${receiver.url}/rusak`);
    await form.locator('[name=regex]').fill('(');
    await form.getByRole('button', { name: 'Add target' }).click();
    const toast = page.locator('.toast.error');
    await toast.waitFor();
    expect(await toast.textContent()).toContain('POST /api/v1/kirem/webhook-targets failed (400)');
    // The refused target stays in the form to be corrected.
    expect(await form.locator('[name=url]').inputValue()).toBe(`${receiver.url}/rusak`);
    expect(await sandbox.kiremWebhookTargets()).toHaveLength(1);
  });

  it("sets Kirem's retry schedule from the Controls view, in seconds, and turns it off", async () => {
    await page.goto(sandbox.url);
    await page.locator('#tab-controls').click();
    const shown = page.locator('#kirem-retry');
    await shown.filter({ hasText: '1 s, 2 s, 4 s, 8 s, 16 s' }).waitFor();

    const form = page.locator('#kirem-retry-form');
    await form.locator('[name=delays]').fill('0.5, 1.5,3');
    await form.getByRole('button', { name: 'Set retries' }).click();
    await shown.filter({ hasText: '0.5 s, 1.5 s, 3 s' }).waitFor();
    expect((await sandbox.kiremWebhookRetry()).delaysMs).toEqual([500, 1500, 3000]);

    await form.locator('[name=delays]').fill('1, soon');
    await form.getByRole('button', { name: 'Set retries' }).click();
    await page.locator('.toast.error', { hasText: 'Retry delays are seconds' }).waitFor();
    expect((await sandbox.kiremWebhookRetry()).delaysMs).toEqual([500, 1500, 3000]);

    await form.getByRole('button', { name: 'Turn retries off' }).click();
    await shown.filter({ hasText: 'off' }).waitFor();
    expect((await sandbox.kiremWebhookRetry()).delaysMs).toEqual([]);
  });

  it('opens a conversation at its newest message and follows new ones while at the bottom', async () => {
    const from = '6281234567890';
    for (let i = 0; i < 40; i++)
      await sandbox.inbound({ provider: 'kirem', from, text: `baris ${i}\nkedua\nketiga` });
    await page.goto(sandbox.url);
    await page.locator('#thread .bubble', { hasText: 'baris 39' }).waitFor();
    const atBottom = () =>
      page
        .locator('#thread')
        .evaluate((node) => node.scrollHeight - node.scrollTop - node.clientHeight < 5);
    await expect.poll(atBottom).toBe(true);

    await sandbox.inbound({ provider: 'kirem', from, text: 'yang terbaru' });
    await page.locator('#thread .bubble', { hasText: 'yang terbaru' }).waitFor();
    await expect.poll(atBottom).toBe(true);

    // Scrolled up to read, a new message does not pull the thread down; a button offers to.
    await page.locator('#thread').evaluate(
      (node) =>
        new Promise((scrolled) => {
          node.addEventListener('scroll', scrolled, { once: true });
          node.scrollTop = 0;
        }),
    );
    await sandbox.inbound({ provider: 'kirem', from, text: 'sambil membaca' });
    await page.locator('#thread .bubble', { hasText: 'sambil membaca' }).waitFor();
    expect(await page.locator('#thread').evaluate((node) => node.scrollTop)).toBe(0);
    await page.locator('#jump').click();
    await expect.poll(atBottom).toBe(true);
  });

  it('moves between conversations with j and k, focuses search with / and closes with Esc', async () => {
    for (const from of ['6281111111111', '6282222222222', '6283333333333']) {
      await sandbox.inbound({ provider: 'meta', from, text: `dari ${from}` });
    }
    await page.goto(sandbox.url);
    const selected = page.locator('.conversation.selected');
    await selected.filter({ hasText: '6283333333333' }).waitFor();
    await page.keyboard.press('j');
    await selected.filter({ hasText: '6282222222222' }).waitFor();
    await page.locator('#thread .bubble', { hasText: 'dari 6282222222222' }).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowUp');
    await selected.filter({ hasText: '6282222222222' }).waitFor();
    await page.keyboard.press('k');
    await selected.filter({ hasText: '6283333333333' }).waitFor();

    await page.locator('#thread .bubble .details-button').first().click();
    await page.locator('#detail').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('#detail').waitFor({ state: 'hidden' });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search');
  });

  it('shows inbound media of every gateway and interactive headers and footers', async () => {
    await sandbox.inbound({
      provider: 'waviro',
      from: '6281234567001',
      image: { caption: 'dari waviro' },
    });
    await sandbox.inbound({
      provider: 'fonnte',
      from: '6281234567002',
      image: { caption: 'dari fonnte' },
    });
    await sandbox.inbound({ provider: 'meta', from: '6281234567003', audio: {} });
    await sandbox.inbound({
      provider: 'wablas',
      from: '6281234567004',
      document: { filename: 'nota.pdf' },
    });
    await sendKirem(seed.sendButtons);
    await page.goto(sandbox.url);

    const open = async (number: string) => {
      await page.locator('.conversation', { hasText: number }).click();
      return page.locator('#thread .bubble').last();
    };
    for (const number of ['6281234567001', '6281234567002']) {
      const image = (await open(number)).locator('img');
      await expect
        .poll(() => image.evaluate((node: HTMLImageElement) => node.complete && node.naturalWidth))
        .toBe(1);
    }
    const audio = (await open('6281234567003')).locator('audio');
    expect(await audio.evaluate((node: HTMLAudioElement) => node.controls)).toBe(true);
    const document = (await open('6281234567004')).locator('a', { hasText: 'nota.pdf' });
    expect(await document.getAttribute('href')).toMatch(/^http:.*\/wablas\/document\//);

    const buttons = await open('62812345678');
    expect(await buttons.locator('.header-text').textContent()).toBe('Konfirmasi Pendaftaran');
    expect(await buttons.locator('.footer').textContent()).toBe('Layanan Pendaftaran Otomatis');
  });

  it('shows a failed request as a message on the page, not in a dialog', async () => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(sandbox.url);
    await page.locator('#live', { hasText: 'live' }).waitFor();
    await page.locator('#composer [name=from]').fill('12');
    await page.locator('#composer [name=text]').fill('halo');
    await page.locator('#composer button').click();
    const toast = page.locator('.toast.error');
    await toast.waitFor();
    expect(await toast.textContent()).toContain('POST /api/v1/inbound failed (400)');
    expect(await toast.getAttribute('role')).toBe('alert');
    expect(dialogs).toEqual([]);
  });

  it('follows a dark colour scheme', async () => {
    await sandbox.inbound({ provider: 'meta', from: '6281234567890', text: 'halo malam' });
    const dark = await pageWith({ colorScheme: 'dark' });
    await dark.goto(sandbox.url);
    await dark.locator('#thread .bubble', { hasText: 'halo malam' }).waitFor();
    const luminance = (selector: string, property: 'backgroundColor' | 'color') =>
      dark
        .locator(selector)
        .first()
        .evaluate((node, name) => {
          const [r = 0, g = 0, b = 0] = (getComputedStyle(node)[name].match(/\d+/g) ?? []).map(
            Number,
          );
          return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        }, property);
    expect(await luminance('body', 'backgroundColor')).toBeLessThan(0.15);
    expect(await luminance('#thread-pane', 'backgroundColor')).toBeLessThan(0.15);
    expect(await luminance('#thread .bubble', 'backgroundColor')).toBeLessThan(0.3);
    expect(await luminance('body', 'color')).toBeGreaterThan(0.8);
  });

  it('at 390 px shows the list and the thread one at a time, with readable bubbles', async () => {
    const long =
      'Selamat pagi, saya ingin menanyakan status pesanan nomor 12 yang saya buat kemarin sore.';
    await sandbox.inbound({ provider: 'meta', from: '6281234567890', text: long });
    const phone = await pageWith({ viewport: { width: 390, height: 844 } });
    await phone.goto(sandbox.url);
    const conversation = phone.locator('.conversation', { hasText: '6281234567890' });
    await conversation.waitFor();
    const width = (selector: string) =>
      phone.locator(selector).evaluate((node) => node.getBoundingClientRect().width);
    expect(await width('#list-pane')).toBe(390);
    expect(await phone.locator('#thread-pane').isVisible()).toBe(false);

    await conversation.click();
    const bubble = phone.locator('#thread .bubble', { hasText: 'Selamat pagi' });
    await bubble.waitFor();
    expect(await phone.locator('#list-pane').isVisible()).toBe(false);
    expect(await width('#thread-pane')).toBe(390);
    expect((await width('#thread .bubble')) / 390).toBeGreaterThan(0.75);
    const overflow = await phone.evaluate(() =>
      ['html', '#thread', '#composer', 'header'].map((selector) => {
        const node = document.querySelector(selector) as HTMLElement;
        return node.scrollWidth - node.clientWidth;
      }),
    );
    expect(overflow).toEqual([0, 0, 0, 0]);

    await bubble.locator('.details-button').click();
    await phone.locator('#detail .request-line, #detail .muted').first().waitFor();
    expect(await width('#detail')).toBe(390);
    await phone.keyboard.press('Escape');
    await phone.locator('#back').click();
    await conversation.waitFor();
  });

  it('logs no console errors or page errors while every view is used', async () => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await sandbox.setWebhook('meta', { url: receiver.url });
    const sent = await call(
      `${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`,
      {
        token: sandbox.meta.accessToken,
        json: { ...seed.sendButtons, to: '6281234567890' },
      },
    );
    expect(sent.status).toBe(200);
    await sandbox.inbound({ provider: 'meta', from: '6281234567890', image: { caption: 'foto' } });
    await sandbox.inbound({ provider: 'waviro', from: '6281234567891', text: 'halo' });

    await page.goto(sandbox.url);
    await page.locator('#live', { hasText: 'live' }).waitFor();
    await page.locator('.conversation', { hasText: '6281234567890' }).click();
    await page.locator('#thread .bubble .details-button').first().click();
    await page.locator('#detail .history li').first().waitFor();
    await page.locator('.actions button', { hasText: 'Ya, bersedia' }).click();
    await page.locator('#thread .bubble.inbound', { hasText: 'Ya, bersedia' }).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('/');
    await page.keyboard.type('foto');
    await page.locator('#result-count', { hasText: '1 conversation matches' }).waitFor();
    await page.locator('#tab-deliveries').click();
    await page.locator('.delivery .redeliver').first().click();
    await page.locator('.toast', { hasText: 'Redelivered' }).waitFor();
    await page.locator('#tab-controls').click();
    await page.locator('.template-row').first().waitFor();
    await page.locator('.session-row').first().waitFor();
    await page.locator('#kirem-retry', { hasText: '1 s, 2 s' }).waitFor();
    await page.locator('#kirem-target-form [name=url]').fill(`${receiver.url}/crm`);
    await page.locator('#kirem-target-form').getByRole('button', { name: 'Add target' }).click();
    await page
      .locator('.kirem-target-row', { hasText: 'every event' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.locator('#kirem-target-list', { hasText: 'No routing targets' }).waitFor();
    await page.locator('#tab-inbox').click();
    await sleep(300);
    expect(errors).toEqual([]);
  });
});
