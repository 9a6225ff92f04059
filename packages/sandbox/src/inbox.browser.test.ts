import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as seed from './seed-examples';
import { type BrowserPage, browserRunnable, CHROMIUM, openPage } from './test-browser';
import { call, sleep } from './test-helpers';
import { eventually, useSandbox } from './vitest';

if (!browserRunnable) console.warn(`inbox browser test skipped: no Chromium at ${CHROMIUM}`);

const sandbox = useSandbox();
let page: BrowserPage;

beforeAll(async () => {
  if (browserRunnable) page = await openPage();
});
afterAll(() => page?.close());

/** Waits until `expression` is true in the page; returns whether it became true. */
const until = (expression: string) =>
  eventually(() => page.evaluate<boolean>(expression), Boolean, { timeoutMs: 10_000 });

const sendKirem = (body: unknown) =>
  call(`${sandbox.kirem.baseUrl}/v1/messages`, { token: sandbox.kirem.apiKey, json: body });

describe.runIf(browserRunnable)('the inbox in Chromium, under its Content-Security-Policy', () => {
  it('runs its own script and style and shows messages live, but no injected script', async () => {
    await page.goto(sandbox.url);
    expect(await until("document.getElementById('live')?.textContent === 'live'")).toBe(true);
    await sandbox.inbound({ provider: 'kirem', from: '6281234567890', text: 'halo' });
    expect(await until("document.body.textContent.includes('6281234567890')")).toBe(true);
    expect(await page.evaluate('getComputedStyle(document.body).display')).toBe('flex');

    const injected = `(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      return window.injected === true;
    })()`;
    expect(await page.evaluate(injected)).toBe(false);
  });

  it('posts a tapped reply button to the control API, which takes it from its own page', async () => {
    await sendKirem(seed.sendButtons);
    await page.goto(sandbox.url);
    const button =
      "[...document.querySelectorAll('.actions button')].find((b) => b.textContent === 'Ya, bersedia')";
    expect(await until(`${button} !== undefined`)).toBe(true);
    await page.evaluate(`${button}.click()`);

    const replies = await eventually(
      () => sandbox.messages({ direction: 'inbound' }),
      (messages) => messages.length > 0,
    );
    expect(replies).toMatchObject([
      { from: '62812345678', type: 'interactive', text: 'Ya, bersedia' },
    ]);
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
    const link = `document.querySelector('.bubble a[href^="blob:"]')`;
    expect(await until(`${link} !== null`)).toBe(true);

    await page.evaluate(`${link}.click()`);
    await sleep(1500);
    expect(await sandbox.messages({ from: '6289999999999' })).toEqual([]);
    expect(await page.evaluate(`${link}.download`)).toBe('invoice.html');
  });
});
