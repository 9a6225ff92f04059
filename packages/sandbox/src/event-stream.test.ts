import { describe, expect, it } from 'vitest';
import * as seed from './seed-examples.js';
import { call, useReceiver } from './test-helpers.js';
import { useSandbox } from './vitest.js';

const sandbox = useSandbox();

const receiver = useReceiver();

/** Opens the event stream and collects `{ event, data }` until aborted. */
async function listen(): Promise<{ events: { event: string; data: unknown }[]; stop: () => void }> {
  const controller = new AbortController();
  const response = await fetch(`${sandbox.url}/api/v1/events`, { signal: controller.signal });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const events: { event: string; data: unknown }[] = [];
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        buffer += chunk.value;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop() ?? '';
        for (const block of blocks) {
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // Aborted by stop().
    }
  })();
  return { events, stop: () => controller.abort() };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('GET /api/v1/events', () => {
  it('streams new messages, their statuses and webhook deliveries as they happen', async () => {
    const stream = await listen();
    try {
      await sandbox.setWebhook('kirem', { url: receiver.url });
      const sent = await call(`${sandbox.kirem.baseUrl}/v1/messages`, {
        token: sandbox.kirem.apiKey,
        json: seed.sendButtons,
      });
      const id = sent.body.data.messages[0].id;
      const count = (name: string) => stream.events.filter((e) => e.event === name).length;
      await until(() => count('message.status') === 3 && count('delivery.created') === 3);

      const names = stream.events.map((e) => e.event);
      expect(names[0]).toBe('message.created');
      expect(stream.events[0]?.data).toMatchObject({ id, type: 'interactive' });
      expect(stream.events.filter((e) => e.event === 'message.status').map((e) => e.data)).toEqual(
        ['sent', 'delivered', 'read'].map((status) => expect.objectContaining({ id, status })),
      );

      await sandbox.inbound({
        provider: 'kirem',
        from: '62812345678',
        button: { id: 'btn_yes', title: 'Ya, bersedia' },
        replyTo: id,
      });
      await until(() =>
        stream.events.some(
          (e) =>
            e.event === 'message.created' &&
            (e.data as { direction: string }).direction === 'inbound',
        ),
      );

      await sandbox.reset();
      await until(() => stream.events.at(-1)?.event === 'sandbox.reset');
    } finally {
      stream.stop();
    }
  });
});
